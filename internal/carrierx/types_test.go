package carrierx

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// generic decodes JSON keeping numbers exact (json.Number) and distinct from
// strings.
func generic(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

// roundTrip decodes the sample into a fresh T, re-encodes it, and requires
// the result to equal the sample as generic JSON.
func roundTrip[T any](t *testing.T, file string) T {
	t.Helper()
	return roundTripBytes[T](t, file, readTestdata(t, file))
}

// roundTripBytes is roundTrip on a sample already read.
func roundTripBytes[T any](t *testing.T, file string, raw []byte) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // every sample field must have a home in T
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: decode: %v", file, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: encode: %v", file, err)
	}
	want, got := generic(t, raw), generic(t, out)
	if !reflect.DeepEqual(want, got) {
		diffJSON(t, file, want, got)
	}
	return v
}

func diffJSON(t *testing.T, file string, want, got any) {
	t.Helper()
	wm, ok1 := want.(map[string]any)
	gm, ok2 := got.(map[string]any)
	if ok1 && ok2 {
		for k, wv := range wm {
			gv, ok := gm[k]
			if !ok {
				t.Errorf("%s: field %q lost", file, k)
			} else if !reflect.DeepEqual(wv, gv) {
				t.Errorf("%s: field %q changed: %#v -> %#v", file, k, wv, gv)
			}
		}
		for k := range gm {
			if _, ok := wm[k]; !ok {
				t.Errorf("%s: field %q added", file, k)
			}
		}
		return
	}
	t.Errorf("%s: round trip differs:\nwant %#v\n got %#v", file, want, got)
}

func TestRoundTripToken(t *testing.T) {
	tok := roundTrip[OAuthToken](t, "token.json")
	if tok.DateCreated != time.Date(2024, 9, 11, 13, 46, 42, 211e6, time.UTC) {
		t.Fatalf("date_created %v", tok.DateCreated)
	}
	if tok.DateExpirationAccessToken == nil || tok.DateExpirationAccessToken.Year() != 2124 || tok.IPLastAccessed != nil || len(tok.Scopes) != 11 {
		t.Fatalf("token %+v", tok)
	}
	roundTrip[Page[OAuthToken]](t, "tokens.json")
}

func TestRoundTripAvailableDIDs(t *testing.T) {
	p := roundTrip[Page[DID]](t, "available_dids.json")
	d := p.Items[0]
	if !d.Price.Valid || !d.Price.Decimal.Equal(decimal.RequireFromString("0.6")) {
		t.Fatalf("price %v", d.Price)
	}
	if d.PartnerSID != nil || d.Status != DIDStatusAvailable || d.Capabilities != 7 {
		t.Fatalf("did %+v", d)
	}
	if !d.Can(CapVoice) || !d.Can(CapReceiveSMS) || !d.Can(CapSendSMS) || d.Can(CapReceiveMMS) || d.Can(CapSendMMS) {
		t.Fatal("Can() wrong for capabilities 7")
	}
	if !d.Active(CapVoice) || d.Active(CapSendSMS) {
		t.Fatal("Active() wrong for active_capabilities 4")
	}
}

func TestRoundTripCoverage(t *testing.T) {
	p := roundTrip[Page[CoverageItem]](t, "coverage.json")
	if *p.Total != 5 || p.Items[0].Key != "IL" {
		t.Fatalf("%+v", p)
	}
}

func TestRoundTripDID(t *testing.T) {
	d := roundTrip[DID](t, "did.json")
	if d.PartnerSID == nil || *d.PartnerSID != "e00430c3-a7d0-4666-ab5c-f7202448382f" || d.Attributes == nil || len(d.Attributes) != 0 {
		t.Fatalf("%+v", d)
	}
	d = roundTrip[DID](t, "did_rented.json")
	for _, c := range []Capability{CapReceiveSMS, CapSendSMS, CapVoice, CapReceiveMMS, CapSendMMS, CapSendMMS | CapVoice} {
		if !d.Can(c) {
			t.Fatalf("capabilities 31 lacks %v", c)
		}
	}
	d = roundTrip[DID](t, "did_patched.json")
	if d.Attributes["name"] != "main line" {
		t.Fatalf("attributes %v", d.Attributes)
	}
	// The price stays a JSON string.
	out, _ := json.Marshal(d)
	if !strings.Contains(string(out), `"price":"0.6"`) {
		t.Fatalf("price not a string: %s", out)
	}
	// A null price stays null.
	var n DID
	if err := json.Unmarshal([]byte(`{"price":null}`), &n); err != nil || n.Price.Valid {
		t.Fatalf("null price: %v %v", n.Price, err)
	}
	out, _ = json.Marshal(n)
	if !strings.Contains(string(out), `"price":null`) {
		t.Fatalf("null price re-encoded: %s", out)
	}
}

func TestRoundTripTrunk(t *testing.T) {
	tr := roundTrip[Trunk](t, "trunk.json")
	if !tr.AllowTransfer.IsBool || tr.AllowTransfer.Enabled() || tr.Name != "trunk01" {
		t.Fatalf("%+v", tr)
	}
	// allow_transfer as a string enum also decodes and re-encodes as a string.
	var tr2 Trunk
	if err := json.Unmarshal([]byte(`{"allow_transfer":"disabled"}`), &tr2); err != nil {
		t.Fatal(err)
	}
	if tr2.AllowTransfer.IsBool || tr2.AllowTransfer.String() != "disabled" || tr2.AllowTransfer.Enabled() {
		t.Fatalf("%+v", tr2.AllowTransfer)
	}
	b, _ := json.Marshal(tr2.AllowTransfer)
	if string(b) != `"disabled"` {
		t.Fatalf("re-encoded %s", b)
	}
	if err := json.Unmarshal([]byte(`{"allow_transfer":true}`), &tr2); err != nil || !tr2.AllowTransfer.Enabled() {
		t.Fatalf("%v %+v", err, tr2.AllowTransfer)
	}
	if err := json.Unmarshal([]byte(`{"allow_transfer":7}`), &tr2); err == nil {
		t.Fatal("a number accepted for allow_transfer")
	}
	// A trunk group with trunks.
	var tg TrunkGroup
	raw := `{"name":"tg","trunk_group_sid":"g1","trunks":[` + string(readTestdata(t, "trunk.json")) + `]}`
	if err := json.Unmarshal([]byte(raw), &tg); err != nil || len(tg.Trunks) != 1 || tg.Trunks[0].TrunkSID != "4c51c85c-5355-4a91-bf1e-f33d731bcfa9" {
		t.Fatalf("%v %+v", err, tg)
	}
}

func TestOptionalJSON(t *testing.T) {
	type body struct {
		A Optional[string]            `json:"a,omitzero"`
		B Optional[int]               `json:"b,omitzero"`
		C Optional[map[string]string] `json:"c,omitzero"`
	}
	cases := []struct {
		in   body
		want string
	}{
		{body{}, `{}`},
		{body{A: Set("x")}, `{"a":"x"}`},
		{body{A: Set("")}, `{"a":""}`},
		{body{A: Null[string]()}, `{"a":null}`},
		{body{B: Set(0)}, `{"b":0}`},
		{body{C: Set(map[string]string{"k": "v"})}, `{"c":{"k":"v"}}`},
		{body{C: Null[map[string]string](), A: Set("y")}, `{"a":"y","c":null}`},
	}
	for _, tc := range cases {
		b, err := json.Marshal(tc.in)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal = %s, %v; want %s", b, err, tc.want)
		}
		var back body
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, tc.in) {
			t.Errorf("Unmarshal(%s) = %+v, want %+v", b, back, tc.in)
		}
	}
	o := Set(3)
	if v, ok := o.Get(); !ok || v != 3 || o.IsNull() || !o.IsSet() {
		t.Fatal("Set")
	}
	n := Null[int]()
	if _, ok := n.Get(); ok || !n.IsNull() || n.IsZero() {
		t.Fatal("Null")
	}
	var z Optional[int]
	if !z.IsZero() || z.IsSet() {
		t.Fatal("zero")
	}
	s := "v"
	if v, _ := SetPtr(&s).Get(); v != "v" || !SetPtr[string](nil).IsNull() {
		t.Fatal("SetPtr")
	}
	if !(DIDUpdate{}).IsZero() || (DIDUpdate{Name: Null[string]()}).IsZero() {
		t.Fatal("DIDUpdate.IsZero")
	}
}

func TestDIDUpdateJSON(t *testing.T) {
	u := DIDUpdate{
		Name:            Set("main"),
		CallbackURL:     Null[string](),
		StringKey1:      Set("k1"),
		Transformations: Set([]json.RawMessage{}),
	}
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"callback_url":null,"name":"main","string_key_1":"k1","transformations":[]}` {
		t.Fatalf("%s", b)
	}
	b, _ = json.Marshal(RentDIDRequest{})
	if string(b) != `{}` {
		t.Fatalf("empty rent request = %s", b)
	}
}

func TestAttributesTolerant(t *testing.T) {
	var a Attributes
	if err := json.Unmarshal([]byte(`{"s":"x","n":5,"b":true,"z":null,"o":{"k":1}}`), &a); err != nil {
		t.Fatal(err)
	}
	want := Attributes{"s": "x", "n": "5", "b": "true", "z": "", "o": `{"k":1}`}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("%v", a)
	}
	if err := json.Unmarshal([]byte(`null`), &a); err != nil || a != nil {
		t.Fatalf("%v %v", a, err)
	}
	if err := json.Unmarshal([]byte(`[1]`), &a); err == nil {
		t.Fatal("array accepted")
	}
}

func TestPartnerDecoding(t *testing.T) {
	raw := `{"partner_sid":"p1","balance":"351.52","available_scopes":["oauth.manage"],"callbacks":{"sms":null,"app_mediator":"https://x/cb"},
	"date_created":"2024-01-02T03:04:05.000Z","display_id":"CX72521509","attributes":{},"spending_limit":null,"status":"active","payment_type":"prepay"}`
	var p Partner
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Balance.Valid || p.Balance.Decimal.String() != "351.52" || p.SpendingLimit.Valid || p.Callbacks["sms"] != nil || *p.Callbacks["app_mediator"] != "https://x/cb" {
		t.Fatalf("%+v", p)
	}
	if p.DateCreated == nil || p.DateCreated.Year() != 2024 {
		t.Fatalf("date %v", p.DateCreated)
	}
}

func TestCapabilityString(t *testing.T) {
	if s := (CapVoice | CapSendSMS).String(); s != "voice|send_sms" {
		t.Fatal(s)
	}
	if s := Capability(0).String(); s != "none" {
		t.Fatal(s)
	}
	if (DID{Capabilities: 31}).Can(0) {
		t.Fatal("Can(0) must be false")
	}
}
