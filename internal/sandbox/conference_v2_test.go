package sandbox

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// conf2Env is a small sandbox with a clock the test moves, and few detail
// records (Core lists the live ones after them).
func conf2Env(t *testing.T) *smsClockEnv {
	e := &smsClockEnv{now: fixedNow()}
	e.testEnv = newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, CDRs: 200, MessageDRs: 20,
		ConferenceMeetings: 10, MediatorCalls: 10, Now: func() time.Time {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.now
		}})
	return e
}

// conf2NewEndpoint creates a conference_v2 endpoint for the partner and
// returns it with the credentials of its API.
func conf2NewEndpoint(t *testing.T, e *testEnv, partner auth, name string) (map[string]any, auth) {
	t.Helper()
	ep := e.mustJSON(200, e.sendJSON(partner, "POST", "/core/v2/endpoints", map[string]any{"name": name, "type": "conference_v2"}))
	p := ep["properties"].(map[string]any)
	return ep, auth("basic:" + p["login"].(string) + ":" + p["password"].(string))
}

func conf2Props(ep map[string]any, k string) string {
	return ep["properties"].(map[string]any)[k].(string)
}

func TestConferenceV2AccountIsProvisionedWithItsEndpoint(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds := conf2NewEndpoint(t, e, demo, "Sales bridge")
	account := conf2Props(ep, "account_sid")

	list := items(t, e.mustJSON(200, e.get(creds, "/conference/v2/accounts")))
	if len(list) != 1 || list[0]["account_sid"] != account {
		t.Fatalf("accounts %v, want exactly %s", list, account)
	}
	me := e.mustJSON(200, e.get(creds, "/conference/v2/accounts/whoami"))
	want := []string{"account_sid", "call_flow_sid", "date_created", "login", "name", "properties"}
	if got := epKeys(me); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("account keys %v, want %v (password is write-only)", got, want)
	}
	if me["login"] != conf2Props(ep, "login") || me["name"] != "Sales bridge" || me["call_flow_sid"] != conf2SecuredFlowSID ||
		me["date_created"] != formatTS(fixedNow()) {
		t.Errorf("whoami %v", me)
	}
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/accounts/"+account, `{"call_flow_sid":"nope"}`),
		422, "object validation error", "call_flow_sid")

	// The call flows are CarrierX's, read-only.
	flows := items(t, e.mustJSON(200, e.get(creds, "/conference/v2/call_flows")))
	var names []string
	for _, f := range flows {
		names = append(names, f["name"].(string))
		if f["properties"].(map[string]any)["conference_start_how"] != "first" {
			t.Errorf("flow %v lacks the documented properties", f)
		}
	}
	if strings.Join(names, ",") != "secured,direct_host,direct_participant" {
		t.Errorf("call flows %v", names)
	}
	checkError(t, e.do(creds, "POST", "/conference/v2/call_flows", "application/json", "{}"), 405, "method not allowed", nil)

	// A second endpoint of the same partner is a separate account.
	_, creds2 := conf2NewEndpoint(t, e, demo, "Support bridge")
	room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{}`))
	checkError(t, e.get(creds2, "/conference/v2/meeting_rooms/"+room["meeting_room_sid"].(string)), 404, "no item error", nil)
	checkError(t, e.get(creds2, "/conference/v2/accounts/"+account), 404, "no item error", nil)
	if n := len(items(t, e.mustJSON(200, e.get(creds2, "/conference/v2/meeting_rooms")))); n != 0 {
		t.Errorf("the other account lists %d rooms", n)
	}

	// A new password is the endpoint's new API password.
	e.mustJSON(200, e.sendJSON(creds, "PATCH", "/conference/v2/accounts/"+account, `{"password":"n3w-secret","name":"Renamed"}`))
	checkError(t, e.get(creds, "/conference/v2/accounts/whoami"), 401, "authentication error", nil)
	creds = auth("basic:" + conf2Props(ep, "login") + ":n3w-secret")
	if me := e.mustJSON(200, e.get(creds, "/conference/v2/accounts/whoami")); me["name"] != "Renamed" || me["password"] != nil {
		t.Errorf("after the update: %v", me)
	}
	core := e.mustJSON(200, e.get(demo, "/core/v2/endpoints/"+ep["endpoint_sid"].(string)))
	if conf2Props(core, "password") != "n3w-secret" {
		t.Errorf("Core endpoint password %q", conf2Props(core, "password"))
	}

	// Deleting the endpoint removes the account and everything it held.
	if r := e.do(demo, "DELETE", "/core/v2/endpoints/"+ep["endpoint_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete endpoint: %d %s", r.status, r.body)
	}
	checkError(t, e.get(creds, "/conference/v2/accounts/whoami"), 401, "authentication error", nil)
	e.s.mu.Lock()
	for name := range e.s.tables {
		if !strings.HasPrefix(name, "conference_v2_") {
			continue
		}
		for _, r := range e.s.tables[name].recs {
			if r.owner == account {
				t.Errorf("%s still holds %s", name, r.sid)
			}
		}
	}
	e.s.mu.Unlock()
}

func TestConferenceV2AccessCodesAreGeneratedAndUnique(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	_, creds := conf2NewEndpoint(t, e, demo, "a")
	_, other := conf2NewEndpoint(t, e, demo, "b")

	room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{}`))
	codes := room["access_codes"].([]any)
	digits := regexp.MustCompile(`^[0-9]{6}$`)
	seen := map[string]bool{}
	var roles []string
	for _, x := range codes {
		kc := x.(map[string]any)
		code := kc["access_code"].(string)
		if !digits.MatchString(code) || seen[code] {
			t.Errorf("generated code %q", code)
		}
		seen[code] = true
		roles = append(roles, kc["role"].(string))
	}
	if strings.Join(roles, ",") != "host,participant,listener" || room["name"] != "N/A" || room["did_group_sid"] != nil {
		t.Errorf("room created from {}: %v", room)
	}

	// The documented create sample; then its codes are taken in this account only.
	sample := `{"name":"My meeting room","access_codes":[{"access_code":"890671","role":"host"},{"access_code":"265423","role":"listener"},{"access_code":"143623","role":"participant"}]}`
	mine := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", sample))
	if compactJSON(t, mine["access_codes"]) != `[{"access_code":"890671","role":"host"},{"access_code":"265423","role":"listener"},{"access_code":"143623","role":"participant"}]` {
		t.Errorf("codes %v", mine["access_codes"])
	}
	checkError(t, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{"access_codes":[{"access_code":"265423","role":"host"}]}`),
		422, "object validation error", "access_codes[0].access_code")
	checkError(t, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{"access_codes":[{"access_code":"555111","role":"host"},{"access_code":"555111","role":"listener"}]}`),
		422, "object validation error", "access_codes[1].access_code")
	checkError(t, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{"access_codes":[{"access_code":"12ab","role":"host"}]}`),
		422, "object validation error", "access_codes[0].access_code")
	checkError(t, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{"access_codes":[{"access_code":"777111"}]}`),
		422, "object validation error", "access_codes[0].role")
	e.mustJSON(200, e.sendJSON(other, "POST", "/conference/v2/meeting_rooms", sample))

	// A code without a value is generated; a room keeps its own codes on PUT.
	sid := mine["meeting_room_sid"].(string)
	got := e.mustJSON(200, e.sendJSON(creds, "PATCH", "/conference/v2/meeting_rooms/"+sid,
		`{"access_codes":[{"access_code":"890671","role":"host"},{"role":"participant"}]}`))
	kcs := got["access_codes"].([]any)
	if len(kcs) != 2 || !digits.MatchString(kcs[1].(map[string]any)["access_code"].(string)) || got["name"] != "My meeting room" {
		t.Errorf("patched %v", got)
	}
	got["name"] = "Replaced"
	for _, k := range []string{"account_sid", "meeting_room_sid"} {
		delete(got, k)
	}
	if put := e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v2/meeting_rooms/"+sid, got)); put["name"] != "Replaced" ||
		compactJSON(t, put["access_codes"]) != compactJSON(t, kcs) {
		t.Errorf("put %v", put)
	}
	// The freed code can be used again.
	e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{"access_codes":[{"access_code":"265423","role":"host"}]}`))
}

func TestConferenceV2DIDsFollowCoreRouting(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds := conf2NewEndpoint(t, e, demo, "routed")
	if n := len(items(t, e.mustJSON(200, e.get(creds, "/conference/v2/dids")))); n != 0 {
		t.Fatalf("a new account has %d DIDs", n)
	}
	did := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids?limit=1")))[0]
	tg := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/trunk_groups",
		map[string]any{"name": "conference", "trunks": []any{map[string]any{"name": "t", "endpoint_sid": ep["endpoint_sid"]}}}))
	e.mustJSON(200, e.sendJSON(demo, "PATCH", "/core/v2/phonenumber/dids/"+did["did_sid"].(string),
		map[string]any{"trunk_group_sid": tg["trunk_group_sid"]}))

	list := items(t, e.mustJSON(200, e.get(creds, "/conference/v2/dids")))
	if len(list) != 1 || list[0]["phonenumber"] != did["phonenumber"] || list[0]["in_country_format"] != did["in_country_format"] ||
		list[0]["country_code"] != "USA" || list[0]["call_flow_sid"] != nil || list[0]["did_group_sid"] != nil {
		t.Fatalf("conference DIDs %v", list)
	}
	sid := list[0]["did_sid"].(string)
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/dids/"+sid, `{"did_group_sid":"no-such-group"}`),
		422, "object validation error", "did_group_sid")
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/dids/"+sid, `{"phonenumber":"15550000000"}`),
		422, "object validation error", "phonenumber")
	group := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/did_groups", `{"name":"New DID group"}`))
	if group["call_flow_sid"] != nil || compactJSON(t, group["properties"]) != "{}" {
		t.Errorf("group %v", group)
	}
	got := e.mustJSON(200, e.sendJSON(creds, "PATCH", "/conference/v2/dids/"+sid,
		map[string]any{"did_group_sid": group["did_group_sid"], "properties": map[string]any{"did_language": "fr_FR"}}))
	if got["did_group_sid"] != group["did_group_sid"] || got["properties"].(map[string]any)["did_language"] != "fr_FR" {
		t.Errorf("patched DID %v", got)
	}
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/dids/"+sid, `{"properties":{"did_language":1}}`),
		422, "object validation error", "properties")
	r := e.do(creds, "DELETE", "/conference/v2/did_groups/"+group["did_group_sid"].(string), "", "")
	if m := checkError(t, r, 409, "conflict error", "did_group_sid"); m["errors"].([]any)[0].(map[string]any)["reference_sid"] != sid {
		t.Errorf("conflict names %v", m)
	}

	// Another partner's conference endpoint does not get the number.
	_, otherCreds := conf2NewEndpoint(t, e, basicAuth(e.s.OtherPartner()), "other")
	if n := len(items(t, e.mustJSON(200, e.get(otherCreds, "/conference/v2/dids")))); n != 0 {
		t.Errorf("other partner's account has %d DIDs", n)
	}

	// Routed elsewhere, the number leaves the account.
	e.mustJSON(200, e.sendJSON(demo, "PATCH", "/core/v2/phonenumber/dids/"+did["did_sid"].(string), `{"trunk_group_sid":null}`))
	if n := len(items(t, e.mustJSON(200, e.get(creds, "/conference/v2/dids")))); n != 0 {
		t.Errorf("unrouted number still listed (%d)", n)
	}
	checkError(t, e.get(creds, "/conference/v2/dids/"+sid), 404, "no item error", nil)
	if r := e.do(creds, "DELETE", "/conference/v2/did_groups/"+group["did_group_sid"].(string), "", ""); r.status != 204 {
		t.Errorf("delete unused group: %d %s", r.status, r.body)
	}
}

// conf2Account returns the account SID behind conference credentials.
func conf2Account(t *testing.T, e *testEnv, creds auth) string {
	t.Helper()
	return e.mustJSON(200, e.get(creds, "/conference/v2/accounts/whoami"))["account_sid"].(string)
}

func TestConferenceV2CallersJoinAndLeaveOnTheClock(t *testing.T) {
	e := conf2Env(t)
	demo := basicAuth(e.s.DemoPartner())
	_, creds := conf2NewEndpoint(t, e.testEnv, demo, "live")
	account := conf2Account(t, e.testEnv, creds)
	room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{"name":"standup"}`))
	roomSID := room["meeting_room_sid"].(string)

	// Nothing happens until someone dials in.
	e.advance(time.Hour)
	if n := len(items(t, e.mustJSON(200, e.get(creds, "/conference/v2/meetings")))); n != 0 {
		t.Fatalf("%d meetings before anyone dialled", n)
	}
	if err := e.s.DialIntoMeetingRoom(account, roomSID, "host", 1); err != nil {
		t.Fatal(err)
	}
	if err := e.s.DialIntoMeetingRoom(account, roomSID, "participant", 2); err != nil {
		t.Fatal(err)
	}
	if err := e.s.DialIntoMeetingRoom(account, roomSID, "speaker", 1); err == nil {
		t.Error("unknown role accepted")
	}
	if err := e.s.DialIntoMeetingRoom(account, "no-room", "host", 1); err == nil {
		t.Error("unknown room accepted")
	}

	// Dialled: calls exist, not yet in a meeting.
	e.advance(3 * time.Second)
	calls := items(t, e.mustJSON(200, e.get(creds, "/conference/v2/calls")))
	if len(calls) == 0 {
		t.Fatal("no call after 3 s")
	}
	c0 := calls[0]
	if c0["meeting_sid"] != nil || c0["date_joined"] != nil || c0["role"] != nil || c0["direction"] != "In" ||
		!strings.HasPrefix(c0["number_src"].(string), "<sip:+1") || !strings.Contains(c0["number_dst"].(string), conf2DefaultAccessNumber) {
		t.Errorf("dialled call %v", c0)
	}

	// Joined: one meeting with everyone.
	e.advance(20 * time.Second)
	meetings := items(t, e.mustJSON(200, e.get(creds, "/conference/v2/meetings")))
	if len(meetings) != 1 {
		t.Fatalf("meetings %v", meetings)
	}
	m := meetings[0]
	if compactJSON(t, m["attendees"]) != `{"hosts":1,"listeners":0,"participants":2}` || m["meeting_room_sid"] != roomSID ||
		m["locked"] != false || m["recording"] != false || m["participant_muted"] != "false" || m["on_hold"] != nil {
		t.Errorf("meeting %v", m)
	}
	if d := m["duration"].(float64); d < 10 || d > 20 {
		t.Errorf("meeting duration %v", d)
	}
	meetingSID := m["meeting_sid"].(string)
	calls = items(t, e.mustJSON(200, e.get(creds, "/conference/v2/calls?filter=role+eq+participant")))
	if len(calls) != 2 {
		t.Fatalf("participant calls %v", calls)
	}
	for _, c := range calls {
		if c["meeting_sid"] != meetingSID || c["muted"] != false || c["date_joined"] == nil || c["access_code"] == nil {
			t.Errorf("joined call %v", c)
		}
	}

	// Mute by PATCH, with the string the documented sample sends.
	callSID := calls[0]["call_sid"].(string)
	got := e.mustJSON(200, e.sendJSON(creds, "PATCH", "/conference/v2/calls/"+callSID, `{"muted":"true"}`))
	if got["muted"] != true {
		t.Errorf("muted %v", got["muted"])
	}
	if got := e.mustJSON(200, e.get(creds, "/conference/v2/calls/"+callSID)); got["muted"] != true {
		t.Errorf("muted not kept: %v", got)
	}
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/calls/"+callSID, `{"muted":"maybe"}`), 422, "object validation error", "muted")
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/calls/"+callSID, `{"role":"host"}`), 422, "object validation error", "role")
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v2/calls/"+callSID, `{}`), 405, "method not allowed", nil)

	// The meeting's settings reach its calls; read-only fields stay.
	got = e.mustJSON(200, e.sendJSON(creds, "PATCH", "/conference/v2/meetings/"+meetingSID, `{"on_hold":"pl","participant_muted":true}`))
	if got["on_hold"] != "pl" || got["participant_muted"] != "true" {
		t.Errorf("meeting after PATCH %v", got)
	}
	for _, c := range items(t, e.mustJSON(200, e.get(creds, "/conference/v2/calls"))) {
		host := c["role"] == "host"
		if c["on_hold"] != !host || c["muted"] != !host {
			t.Errorf("call %v after the meeting was held and muted", c)
		}
	}
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/meetings/"+meetingSID, `{"locked":true}`), 422, "object validation error", "locked")
	checkError(t, e.sendJSON(creds, "PATCH", "/conference/v2/meetings/"+meetingSID, `{"on_hold":"x"}`), 422, "object validation error", "on_hold")

	// Everyone leaves within 20 minutes; the meeting ends with the last.
	e.advance(25 * time.Minute)
	if n := len(items(t, e.mustJSON(200, e.get(creds, "/conference/v2/calls")))); n != 0 {
		t.Errorf("%d calls left", n)
	}
	checkError(t, e.get(creds, "/conference/v2/meetings/"+meetingSID), 404, "no item error", nil)
	recs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/meetings?filter=meeting_room_sid+eq+"+roomSID)))
	if len(recs) != 1 || fmt.Sprint(recs[0]["participants"]) != "3" {
		t.Fatalf("Core meeting records %v", recs)
	}
}

func TestConferenceV2EndingAMeetingRecordsItInCore(t *testing.T) {
	e := conf2Env(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds := conf2NewEndpoint(t, e.testEnv, demo, "records")
	account := conf2Account(t, e.testEnv, creds)
	room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{}`))
	roomSID := room["meeting_room_sid"].(string)
	if err := e.s.DialIntoMeetingRoom(account, roomSID, "host", 1); err != nil {
		t.Fatal(err)
	}
	if err := e.s.DialIntoMeetingRoom(account, roomSID, "listener", 2); err != nil {
		t.Fatal(err)
	}
	e.advance(30 * time.Second)
	m := items(t, e.mustJSON(200, e.get(creds, "/conference/v2/meetings")))[0]
	for _, c := range items(t, e.mustJSON(200, e.get(creds, "/conference/v2/calls?filter=role+eq+listener"))) {
		if c["muted"] != true {
			t.Errorf("listener not muted: %v", c)
		}
	}
	checkError(t, e.do(creds, "DELETE", "/conference/v2/meeting_rooms/"+roomSID, "", ""), 409, "conflict error", "meeting_room_sid")

	// Another account's credentials cannot end it.
	_, other := conf2NewEndpoint(t, e.testEnv, demo, "other")
	checkError(t, e.do(other, "DELETE", "/conference/v2/meetings/"+m["meeting_sid"].(string), "", ""), 404, "no item error", nil)

	e.advance(10 * time.Second)
	end := e.now
	if r := e.do(creds, "DELETE", "/conference/v2/meetings/"+m["meeting_sid"].(string), "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("end meeting: %d %s", r.status, r.body)
	}
	if n := len(items(t, e.mustJSON(200, e.get(creds, "/conference/v2/calls")))); n != 0 {
		t.Errorf("%d calls after the meeting ended", n)
	}
	if n := len(items(t, e.mustJSON(200, e.get(creds, "/conference/v2/meetings")))); n != 0 {
		t.Errorf("%d meetings after it ended", n)
	}

	q := "?filter=meeting_room_sid+eq+" + roomSID
	recs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/meetings"+q)))
	if len(recs) != 1 {
		t.Fatalf("Core meeting records %v", recs)
	}
	rec := recs[0]
	if fmt.Sprint(rec["participants"]) != "3" || rec["endpoint_sid"] != ep["endpoint_sid"] || rec["date_stop"] != formatTS(end) ||
		rec["date_start"] != m["date_created"] {
		t.Errorf("Core meeting record %v (live meeting %v)", rec, m)
	}
	calls := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/calls"+q)))
	roles := map[string]int{}
	for _, c := range calls {
		roles[c["role"].(string)]++
		if c["meeting_sid"] != rec["meeting_sid"] || c["date_stop"] != formatTS(end) || c["number_dst"] != conf2DefaultAccessNumber ||
			!strings.HasPrefix(c["number_src"].(string), "+1") {
			t.Errorf("Core conference call %v", c)
		}
	}
	if len(calls) != 3 || roles["host"] != 1 || roles["listener"] != 2 {
		t.Errorf("Core conference calls %v", calls)
	}

	// The other partner sees none of it.
	o := basicAuth(e.s.OtherPartner())
	if n := len(items(t, e.mustJSON(200, e.get(o, "/core/v2/app/conference/meetings"+q)))); n != 0 {
		t.Errorf("other partner sees %d meeting records", n)
	}
	if n := len(items(t, e.mustJSON(200, e.get(o, "/core/v2/app/conference/calls"+q)))); n != 0 {
		t.Errorf("other partner sees %d call records", n)
	}
	// The room is free to go now.
	if r := e.do(creds, "DELETE", "/conference/v2/meeting_rooms/"+roomSID, "", ""); r.status != 204 {
		t.Errorf("delete room: %d %s", r.status, r.body)
	}
}

func TestConferenceV2IsDeterministic(t *testing.T) {
	run := func() string {
		e := conf2Env(t)
		_, creds := conf2NewEndpoint(t, e.testEnv, basicAuth(e.s.DemoPartner()), "same")
		account := conf2Account(t, e.testEnv, creds)
		room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v2/meeting_rooms", `{}`))
		if err := e.s.DialIntoMeetingRoom(account, room["meeting_room_sid"].(string), "participant", 3); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Minute)
		return string(e.get(creds, "/conference/v2/calls").body)
	}
	if a, b := run(), run(); a != b {
		t.Errorf("two runs differ:\n%s\n%s", a, b)
	}
}
