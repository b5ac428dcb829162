package carrierx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

const availableInSandbox = 2500

type fixture struct {
	sb    *sandbox.Sandbox
	base  string
	creds sandbox.Credentials
	anon  *carrierx.Client // no credentials
	cx    *carrierx.Client // bearer token of the demo partner
	token *carrierx.OAuthToken
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	sb := sandbox.New(sandbox.Config{AvailableDIDs: availableInSandbox})
	base, stop, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	anon := carrierx.New(base, carrierx.WithRetry(4, 5*time.Millisecond, 50*time.Millisecond), carrierx.WithTimeout(10*time.Second))
	creds := sb.DemoPartner()
	tok, err := anon.CreateToken(context.Background(), carrierx.TokenRequest{Login: creds.Login, Password: creds.Password, Name: "carrierx client test"})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{sb: sb, base: base, creds: creds, anon: anon, cx: anon.WithBearer(tok.AccessToken), token: tok}
}

func TestSandboxAuth(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if f.token.TokenType != "bearer" || f.token.AccessToken == "" || f.token.PartnerSID != f.creds.PartnerSID || f.token.Name != "carrierx client test" {
		t.Fatalf("token %+v", f.token)
	}
	me, err := f.cx.WhoAmI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me.PartnerSID != f.creds.PartnerSID || me.Login != f.creds.Login {
		t.Fatalf("whoami %+v", me)
	}
	if !me.Balance.Valid || me.Balance.Decimal.String() != "351.52" {
		t.Fatalf("balance %v", me.Balance)
	}
	// Legacy Basic auth on Core.
	me2, err := f.anon.WithBasic(f.creds.Login, f.creds.Password).WhoAmI(ctx)
	if err != nil || me2.PartnerSID != me.PartnerSID {
		t.Fatalf("basic whoami: %v %+v", err, me2)
	}
	// Wrong credentials and no credentials are 401s; Ping is still fine.
	if _, err := f.anon.CreateToken(ctx, carrierx.TokenRequest{Login: f.creds.Login, Password: "wrong-password"}); !carrierx.IsUnauthorized(err) {
		t.Fatalf("bad password: %v", err)
	} else if strings.Contains(err.Error(), "wrong-password") {
		t.Fatalf("error leaks the password: %v", err)
	}
	if _, err := f.anon.WhoAmI(ctx); !carrierx.IsUnauthorized(err) {
		t.Fatalf("anonymous whoami: %v", err)
	}
	if err := f.anon.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	// The token is listed; revoking it locks it out at once.
	var found bool
	for tok, err := range f.cx.AllTokens(ctx, carrierx.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || tok.TokenSID == f.token.TokenSID
	}
	if !found {
		t.Fatal("token not listed")
	}
	got, err := f.cx.GetToken(ctx, f.token.TokenSID)
	if err != nil || got.TokenSID != f.token.TokenSID {
		t.Fatalf("GetToken: %v %+v", err, got)
	}
	if err := f.cx.RevokeToken(ctx, f.token.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cx.WhoAmI(ctx); !carrierx.IsUnauthorized(err) {
		t.Fatalf("revoked token still works: %v", err)
	}
}

func TestSandboxBrowseAndPaging(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	page, err := f.cx.ListAvailableDIDs(ctx, carrierx.ListOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != 5 || len(page.Items) != 5 || !page.HasMore || page.Total != nil || page.Pagination.Next == "" {
		t.Fatalf("first page %+v", page)
	}

	seen := map[string]bool{}
	for d, err := range f.cx.AllAvailableDIDs(ctx, carrierx.ListOptions{Limit: 1000, Order: "phonenumber asc"}) {
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != carrierx.DIDStatusAvailable || d.PartnerSID != nil || !d.Price.Valid {
			t.Fatalf("available DID %+v", d)
		}
		if seen[d.DIDSID] {
			t.Fatalf("DID %s yielded twice", d.DIDSID)
		}
		seen[d.DIDSID] = true
	}
	if len(seen) != availableInSandbox {
		t.Fatalf("iterated %d available DIDs, want %d", len(seen), availableInSandbox)
	}

	// Filters are understood by the sandbox and applied.
	ny := 0
	filter := carrierx.Filter{}.Eq("state", "NY").Bit("capabilities", int(carrierx.CapVoice))
	for d, err := range f.cx.AllAvailableDIDs(ctx, carrierx.ListOptions{Filter: filter, Limit: 1000}) {
		if err != nil {
			t.Fatal(err)
		}
		if d.State != "NY" || !d.Can(carrierx.CapVoice) {
			t.Fatalf("filter not applied: %+v", d)
		}
		ny++
	}
	cov, err := f.cx.Coverage(ctx, "state", carrierx.ListOptions{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sum, nyCov := 0, -1
	for _, it := range cov.Items {
		sum += it.Count
		if it.Key == "NY" {
			nyCov = it.Count
		}
	}
	if sum != availableInSandbox {
		t.Fatalf("coverage sums to %d", sum)
	}
	voiceNY := 0
	for _, err := range f.cx.AllAvailableDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("state", "NY"), Limit: 1000}) {
		if err != nil {
			t.Fatal(err)
		}
		voiceNY++
	}
	if voiceNY != nyCov || ny > voiceNY {
		t.Fatalf("NY: coverage %d, listed %d, voice %d", nyCov, voiceNY, ny)
	}

	// A filter on an unknown field is the server's 400/422, as an *Error.
	_, err = f.cx.ListAvailableDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("no_such_field", 1)})
	if e, ok := carrierx.AsError(err); !ok || (e.Status != 400 && e.Status != 422) {
		t.Fatalf("unknown filter field: %v", err)
	}
}

func TestSandboxRentUpdateRelease(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	avail, err := f.cx.ListAvailableDIDs(ctx, carrierx.ListOptions{Limit: 1, Filter: carrierx.Filter{}.Bit("capabilities", int(carrierx.CapVoice))})
	if err != nil || len(avail.Items) != 1 {
		t.Fatalf("%v %+v", err, avail)
	}
	number := avail.Items[0].Phonenumber
	one, err := f.cx.GetAvailableDID(ctx, avail.Items[0].DIDSID)
	if err != nil || one.Phonenumber != number {
		t.Fatalf("GetAvailableDID: %v %+v", err, one)
	}

	var tgSID string
	for tg, err := range f.cx.AllTrunkGroups(ctx, carrierx.ListOptions{Params: map[string][]string{"with_trunks": {"true"}}}) {
		if err != nil {
			t.Fatal(err)
		}
		if len(tg.Trunks) == 0 {
			t.Fatalf("with_trunks=true but no trunks in %+v", tg)
		}
		tgSID = tg.TrunkGroupSID
	}
	if tgSID == "" {
		t.Fatal("the demo partner has no trunk group")
	}
	if tg, err := f.cx.GetTrunkGroup(ctx, tgSID); err != nil || tg.TrunkGroupSID != tgSID {
		t.Fatalf("GetTrunkGroup: %v %+v", err, tg)
	}

	did, err := f.cx.RentDID(ctx, carrierx.RentDIDRequest{Phonenumber: number, CallbackURL: carrierx.Null[string](), TrunkGroupSID: carrierx.Set(tgSID)})
	if err != nil {
		t.Fatal(err)
	}
	if did.Status != carrierx.DIDStatusAssigned || did.PartnerSID == nil || *did.PartnerSID != f.creds.PartnerSID || did.Phonenumber != number || did.TrunkGroupSID == nil || *did.TrunkGroupSID != tgSID {
		t.Fatalf("rented %+v", did)
	}

	// Renting it again fails with a field message.
	_, err = f.cx.RentDID(ctx, carrierx.RentDIDRequest{Phonenumber: number})
	e, ok := carrierx.AsError(err)
	if !ok || e.Status < 400 || e.Status >= 500 || e.FieldMessages()["phonenumber"] == "" {
		t.Fatalf("second rent: %v", err)
	}

	upd, err := f.cx.UpdateDID(ctx, did.DIDSID, carrierx.DIDUpdate{
		Name:       carrierx.Set("main line"),
		Attributes: carrierx.Set(map[string]string{"name": "main line"}),
		StringKey1: carrierx.Set("crm-1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Name != "main line" || upd.Attributes["name"] != "main line" || upd.StringKey1 == nil || *upd.StringKey1 != "crm-1" || *upd.TrunkGroupSID != tgSID {
		t.Fatalf("updated %+v", upd)
	}
	// Explicit null clears a field; unset fields stay.
	upd, err = f.cx.UpdateDID(ctx, did.DIDSID, carrierx.DIDUpdate{StringKey1: carrierx.Null[string]()})
	if err != nil || upd.StringKey1 != nil || upd.Name != "main line" {
		t.Fatalf("null update: %v %+v", err, upd)
	}

	// Validation errors come back as *Error with field messages.
	_, err = f.cx.UpdateDID(ctx, did.DIDSID, carrierx.DIDUpdate{CallbackURL: carrierx.Set("not a url"), TrunkGroupSID: carrierx.Set("00000000-0000-0000-0000-000000000000")})
	e, ok = carrierx.AsError(err)
	if !ok || !carrierx.IsValidation(err) {
		t.Fatalf("invalid update: %v", err)
	}
	fm := e.FieldMessages()
	if fm["callback_url"] == "" || fm["trunk_group_sid"] == "" {
		t.Fatalf("field messages %v (%v)", fm, err)
	}

	// PUT with the object as read: read-only fields are not sent, so it is accepted.
	got, err := f.cx.GetDID(ctx, did.DIDSID)
	if err != nil {
		t.Fatal(err)
	}
	got.Name = "replaced"
	rep, err := f.cx.ReplaceDID(ctx, did.DIDSID, *got)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Name != "replaced" || rep.Attributes["name"] != "main line" || rep.Phonenumber != number {
		t.Fatalf("replaced %+v", rep)
	}

	listed := false
	for d, err := range f.cx.AllDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", number)}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = listed || d.DIDSID == did.DIDSID
	}
	if !listed {
		t.Fatal("rented DID not listed")
	}

	// Names with quotes and backslashes survive the filter's quoting.
	for _, name := range []string{`say "hi"`, `it's "quoted" \ name`, `back\slash`, "plain words"} {
		if _, err := f.cx.UpdateDID(ctx, did.DIDSID, carrierx.DIDUpdate{Name: carrierx.Set(name)}); err != nil {
			t.Fatal(err)
		}
		n := 0
		for d, err := range f.cx.AllDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("name", name)}) {
			if err != nil {
				t.Fatalf("filter on %q: %v", name, err)
			}
			if d.DIDSID != did.DIDSID || d.Name != name {
				t.Fatalf("filter on %q matched %+v", name, d)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("filter on %q matched %d DIDs", name, n)
		}
	}

	if err := f.cx.ReleaseDID(ctx, did.DIDSID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cx.GetDID(ctx, did.DIDSID); !carrierx.IsNotFound(err) {
		t.Fatalf("released DID: %v", err)
	}
	if err := f.cx.ReleaseDID(ctx, did.DIDSID); !carrierx.IsNotFound(err) {
		t.Fatalf("second release: %v", err)
	}
}

func TestSandboxRetries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	f.sb.InjectFaults(sandbox.Faults{Status: 503, Count: 2})
	if _, err := f.cx.WhoAmI(ctx); err != nil {
		t.Fatalf("GET not retried through two 503s: %v", err)
	}
	if hits := f.sb.FaultHits(); hits != 2 {
		t.Fatalf("fault hits %d", hits)
	}

	f.sb.InjectFaults(sandbox.Faults{Status: 429, RetryAfter: "0", Count: 3})
	if _, err := f.cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1}); err != nil {
		t.Fatalf("GET not retried through 429s: %v", err)
	}

	f.sb.InjectFaults(sandbox.Faults{Reset: true, Count: 2})
	if _, err := f.cx.WhoAmI(ctx); err != nil {
		t.Fatalf("GET not retried through connection resets: %v", err)
	}
	if hits := f.sb.FaultHits(); hits != 7 {
		t.Fatalf("fault hits %d", hits)
	}

	// More failures than attempts: the last 503 comes back as an *Error.
	f.sb.InjectFaults(sandbox.Faults{Status: 503, Count: 10})
	if _, err := f.cx.WhoAmI(ctx); carrierx.StatusOf(err) != 503 {
		t.Fatalf("exhausted retries: %v", err)
	}
	if hits := f.sb.FaultHits(); hits != 11 {
		t.Fatalf("fault hits %d (want 4 attempts)", hits)
	}
	f.sb.InjectFaults(sandbox.Faults{})

	// Writes are never retried.
	f.sb.InjectFaults(sandbox.Faults{Status: 503, Count: 2, Method: "POST"})
	if _, err := f.cx.RentDID(ctx, carrierx.RentDIDRequest{}); carrierx.StatusOf(err) != 503 {
		t.Fatalf("rent under fault: %v", err)
	}
	if hits := f.sb.FaultHits(); hits != 12 {
		t.Fatalf("POST was retried: fault hits %d", hits)
	}
	f.sb.InjectFaults(sandbox.Faults{Reset: true, Count: 1, Method: "PATCH"})
	if _, err := f.cx.UpdateDID(ctx, "whatever", carrierx.DIDUpdate{Name: carrierx.Set("x")}); err == nil {
		t.Fatal("PATCH through a reset succeeded")
	}
	if hits := f.sb.FaultHits(); hits != 13 {
		t.Fatalf("PATCH was retried: fault hits %d", hits)
	}
	f.sb.InjectFaults(sandbox.Faults{})
	if did, err := f.cx.RentDID(ctx, carrierx.RentDIDRequest{}); err != nil || did.Status != carrierx.DIDStatusAssigned {
		t.Fatalf("rent after faults: %v", err)
	}
}

// TestSandboxFidelity checks that the client's types keep every field the
// sandbox sends: raw JSON decoded into the type and re-encoded is unchanged.
func TestSandboxFidelity(t *testing.T) {
	f := newFixture(t)
	get := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequest("GET", f.base+"/core/v2"+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.token.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	check := func(name string, raw []byte, v any) {
		t.Helper()
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want, got := genericJSON(t, raw), genericJSON(t, out)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s: round trip differs\nsandbox %s\nclient  %s", name, raw, out)
		}
	}
	check("available DIDs", get("/phonenumber/available_dids?limit=3"), &carrierx.Page[carrierx.DID]{})
	check("DIDs", get("/phonenumber/dids?limit=20"), &carrierx.Page[carrierx.DID]{})
	check("coverage", get("/phonenumber/coverage?group_by=state&limit=3"), &carrierx.Page[carrierx.CoverageItem]{})
	check("trunk groups", get("/trunk_groups?with_trunks=true"), &carrierx.Page[carrierx.TrunkGroup]{})

	// The partner object must at least decode and keep the fields we model.
	var p carrierx.Partner
	raw := get("/oauth/whoami")
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if p.PartnerSID != f.creds.PartnerSID {
		t.Fatalf("partner %+v", p)
	}
}

func genericJSON(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
