package carrierx

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The §9 examples of the hosted APIs, SMS and countries decode into the
// client's types and encode back without losing or changing a field.

func TestRoundTripSentMessage(t *testing.T) {
	m := roundTrip[SMSMessage](t, "sms_sent.json")
	if m.Status != "queued" || m.MessageSegments != 1 || m.To != "15162065574" {
		t.Fatalf("%+v", m)
	}
}

func TestRoundTripFlexMLCall(t *testing.T) {
	c := roundTrip[FlexMLCall](t, "flexml_call.json")
	if c.CalledDID != "15162065318" || c.CallingDID != "15162065319" || c.Method != "POST" {
		t.Fatalf("%+v", c)
	}
}

func TestRoundTripConferenceMeetingRoom(t *testing.T) {
	r := roundTrip[ConfV2MeetingRoom](t, "conference_meeting_room.json")
	if len(r.AccessCodes) != 3 || r.AccessCodes[0].Role != "host" || r.AccessCodes[0].AccessCode != "890671" {
		t.Fatalf("%+v", r)
	}
}

// The binding comes wrapped, as Mediator answers; its body round-trips.
func TestRoundTripMediatorBinding(t *testing.T) {
	var w struct {
		Body   json.RawMessage `json:"body"`
		Status int             `json:"status"`
	}
	if err := json.Unmarshal(readTestdata(t, "mediator_binding.json"), &w); err != nil || w.Status != 200 {
		t.Fatalf("wrapper: %v %d", err, w.Status)
	}
	b := roundTripBytes[MediatorBinding](t, "mediator_binding.json body", w.Body)
	if b.DestinationDID != "15162065338" || b.RedirectDID != "15162065346" || b.MaximumTTL != -1 {
		t.Fatalf("%+v", b)
	}
}

// The country sample leaves out common_name (exclude_fields): every field it
// has survives, and the one left out is the only one added back.
func TestRoundTripCountryWithExcludedField(t *testing.T) {
	raw := readTestdata(t, "country_ita.json")
	var c Country
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want, got := generic(t, raw).(map[string]any), generic(t, out).(map[string]any)
	for k, v := range want {
		if !reflect.DeepEqual(v, got[k]) {
			t.Errorf("field %q: %#v -> %#v", k, v, got[k])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && k != "common_name" {
			t.Errorf("field %q added", k)
		}
	}
	if c.ISONumeric != 380 || c.DialingPrefix != "39" {
		t.Fatalf("%+v", c)
	}
}
