package sandbox

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"mime/multipart"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cv1Endpoint creates a conference endpoint for partner and returns it with
// the credentials of its Conference v1 API.
func cv1Endpoint(t *testing.T, e *testEnv, partner auth) (map[string]any, auth) {
	t.Helper()
	ep := e.mustJSON(200, e.sendJSON(partner, "POST", "/core/v2/endpoints", `{"name":"conf v1","type":"conference"}`))
	p := ep["properties"].(map[string]any)
	if !strings.HasSuffix(p["api_url"].(string), "/conference/v1") {
		t.Fatalf("api_url %v", p["api_url"])
	}
	return ep, auth("basic:" + p["login"].(string) + ":" + p["password"].(string))
}

func cv1Prop(ep map[string]any, k string) string {
	return ep["properties"].(map[string]any)[k].(string)
}

// cv1Items returns the items of a v1 list answer, checking its shape.
func cv1Items(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	ks := keysOf(m)
	slices.Sort(ks)
	want := []string{key, "last", "offset", "total"}
	slices.Sort(want)
	if !slices.Equal(ks, want) {
		t.Fatalf("list keys %v, want %v", ks, want)
	}
	raw := m[key].([]any)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	if m["total"] == nil || m["last"] != m["offset"].(float64)+float64(len(out))-1 {
		t.Errorf("envelope %v", m)
	}
	return out
}

// cv1Rent rents a Core number for partner and adds it to DID group group of
// the v1 account; it returns the v1 DID.
func cv1Rent(t *testing.T, e *testEnv, partner, creds auth, group any) map[string]any {
	t.Helper()
	d := e.mustJSON(200, e.sendJSON(partner, "POST", "/core/v2/phonenumber/dids", `{}`))
	return e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/dids",
		map[string]any{"didGroupId": group, "phoneNumber": d["phonenumber"]}))
}

// cv1DefaultGroup is the ID of the account's provisioned DID group.
func cv1DefaultGroup(t *testing.T, e *testEnv, creds auth) any {
	t.Helper()
	gs := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/didGroups")), "didGroups")
	if len(gs) != 1 {
		t.Fatalf("DID groups %v", gs)
	}
	return gs[0]["id"]
}

func TestConfV1AccountIsProvisionedWithItsEndpoint(t *testing.T) {
	e := newSMSClockEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds := cv1Endpoint(t, e.testEnv, demo)
	login := cv1Prop(ep, "login")

	me := e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/whoami"))
	if me["login"] != login || me["role"] != float64(1) || me["sid"] == nil || me["password"] != nil ||
		me["created"] != float64(fixedNow().UnixMilli()) || me["authenticationToken"] == nil {
		t.Fatalf("whoami %v", me)
	}
	if _, ok := me["parentSid"]; ok {
		t.Errorf("the owner has no parent (null attributes are left out): %v", me)
	}
	subs := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/subscribers")), "subscribers")
	if len(subs) != 1 || subs[0]["sid"] != me["sid"] {
		t.Fatalf("subscribers %v", subs)
	}
	flows := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/callFlows")), "callFlows")
	var names []string
	for _, f := range flows {
		names = append(names, f["name"].(string))
		if len(f["attributeTemplates"].([]any)) == 0 {
			t.Errorf("call flow without attribute templates: %v", f)
		}
	}
	if !slices.Equal(names, []string{"direct_host", "direct_participant", "secured"}) {
		t.Fatalf("call flows %v", names)
	}
	g := e.mustJSON(200, e.get(creds, fmt.Sprintf("/conference/v1/didGroups/%v", cv1DefaultGroup(t, e.testEnv, creds))))
	if g["name"] != login+"_didGroup" || g["subscriberSid"] != me["sid"] || g["state"] != float64(-1) || len(g["dids"].([]any)) != 0 {
		t.Fatalf("default DID group %v", g)
	}

	// Logging out answers 204 and changes nothing for Basic credentials.
	if r := e.do(creds, "POST", "/conference/v1/subscribers/logout", "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("logout %d %s", r.status, r.body)
	}
	e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/whoami"))

	// Core credentials and another endpoint type's are refused.
	checkError(t, e.get(demo, "/conference/v1/subscribers/whoami"), 401, "authentication error", nil)
	_, med := cv1EndpointOfType(t, e.testEnv, demo, "mediator")
	checkError(t, e.get(med, "/conference/v1/subscribers/whoami"), 401, "authentication error", nil)

	// Deleting the endpoint removes the account and everything in it.
	sub := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/subscribers", `{"login":"v1-gone","password":"pw"}`))
	e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": g["id"]}))
	if r := e.do(demo, "DELETE", "/core/v2/endpoints/"+ep["endpoint_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete endpoint %d %s", r.status, r.body)
	}
	checkError(t, e.get(creds, "/conference/v1/subscribers/whoami"), 401, "authentication error", nil)
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	for _, name := range []string{cv1AccountsTable, cv1SubscribersTable, cv1CallFlowsTable, cv1DIDGroupsTable, cv1RoomsTable} {
		if n := len(e.s.cv1Recs(name, cv1Prop(ep, "account_sid"), nil)); n != 0 {
			t.Errorf("%s keeps %d record(s) of the deleted account", name, n)
		}
	}
	for _, r := range e.s.table(cv1SubscribersTable).recs {
		if r.obj["login"] == sub["login"] {
			t.Errorf("subscriber left behind")
		}
	}
}

func cv1EndpointOfType(t *testing.T, e *testEnv, partner auth, typ string) (map[string]any, auth) {
	t.Helper()
	ep := e.mustJSON(200, e.sendJSON(partner, "POST", "/core/v2/endpoints", `{"name":"x","type":"`+typ+`"}`))
	p := ep["properties"].(map[string]any)
	return ep, auth("basic:" + p["login"].(string) + ":" + p["password"].(string))
}

func TestConfV1SubscribersAndTheirRooms(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	_, creds := cv1Endpoint(t, e, demo)
	group := cv1DefaultGroup(t, e, creds)
	me := e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/whoami"))

	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/subscribers", `{"login":"ann"}`), 422, "object validation error", "password")
	ann := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/subscribers",
		`{"login":"ann","password":"secret","firstName":"Ann","eventCallbackUrl":"https://example.com/cb"}`))
	if ann["parentSid"] != me["sid"] || ann["role"] != float64(3) || ann["externalId"] != float64(-1) || ann["lastName"] != "" ||
		ann["password"] != nil || ann["eventCallbackUrl"] != nil || ann["callback"].(map[string]any)["url"] != "https://example.com/cb" {
		t.Fatalf("subscriber %v", ann)
	}
	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/subscribers", `{"login":"ann","password":"x"}`), 422, "object validation error", "login")
	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/subscribers", `{"login":"bob","password":"x","role":7}`), 422, "object validation error", "role")
	sid := ann["sid"].(string)

	// PUT changes only what it names; a new password draws a new token.
	up := e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v1/subscribers/"+sid, `{"lastName":"Lee","password":"new"}`))
	if up["lastName"] != "Lee" || up["firstName"] != "Ann" || up["authenticationToken"] == ann["authenticationToken"] {
		t.Fatalf("updated %v", up)
	}
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v1/subscribers/"+me["sid"].(string), `{"login":"mine"}`), 422, "object validation error", "login")
	checkError(t, e.do(creds, "DELETE", "/conference/v1/subscribers/"+me["sid"].(string), "", ""), 403, "forbidden", "sid")

	// A subscriber's rooms are its own; /meetingRooms reaches all of them.
	room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/subscribers/"+sid+"/meetingRooms", map[string]any{"primaryDidGroupId": group}))
	mine := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": group}))
	if room["subscriberSid"] != sid || mine["subscriberSid"] != me["sid"] || len(room["keychain"].([]any)) != 0 {
		t.Fatalf("rooms %v %v", room, mine)
	}
	refs := room["didGroupReferences"].([]any)
	if len(refs) != 1 || refs[0].(map[string]any)["didGroupId"] != group {
		t.Errorf("the primary group is referenced: %v", refs)
	}
	if _, ok := room["description"]; ok {
		t.Errorf("unset description answered: %v", room)
	}
	n := fmt.Sprint(int64(room["meetingNumber"].(float64)))
	if len(n) != 6 {
		t.Errorf("meeting number %s", n)
	}
	if got := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/"+sid+"/meetingRooms")), "meetingRooms"); len(got) != 1 {
		t.Errorf("subscriber's rooms %v", got)
	}
	if got := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/meetingRooms")), "meetingRooms"); len(got) != 2 {
		t.Errorf("account's rooms %v", got)
	}
	checkError(t, e.get(creds, "/conference/v1/subscribers/"+me["sid"].(string)+"/meetingRooms/"+n), 404, "no item error", nil)
	e.mustJSON(200, e.get(creds, "/conference/v1/meetingRooms/"+n))

	// Deleting the subscriber takes its rooms along.
	if r := e.do(creds, "DELETE", "/conference/v1/subscribers/"+sid, "", ""); r.status != 204 {
		t.Fatalf("delete %d %s", r.status, r.body)
	}
	checkError(t, e.get(creds, "/conference/v1/meetingRooms/"+n), 404, "no item error", nil)
	checkError(t, e.get(creds, "/conference/v1/subscribers/"+sid), 404, "no item error", nil)
}

func TestConfV1AccessCodesAreUniqueInTheAccount(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	_, creds := cv1Endpoint(t, e, demo)
	_, creds2 := cv1Endpoint(t, e, demo)
	_, otherCreds := cv1Endpoint(t, e, other)
	group := cv1DefaultGroup(t, e, creds)

	a := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": group,
		"keychain": []any{map[string]any{"accessCode": "1111", "role": 1}, map[string]any{"role": 2}}}))
	keys := a["keychain"].([]any)
	gen := keys[1].(map[string]any)["accessCode"].(string)
	if len(keys) != 2 || keys[0].(map[string]any)["accessCode"] != "1111" || len(gen) != 6 || keys[1].(map[string]any)["id"] == nil {
		t.Fatalf("keychain %v", keys)
	}
	// The same code in another room of the account, twice in one keychain,
	// or through the keychain routes is refused.
	for field, kc := range map[string][]any{
		"keychain[0].accessCode": {map[string]any{"accessCode": "1111", "role": 2}},
		"keychain[1].accessCode": {map[string]any{"accessCode": "77", "role": 2}, map[string]any{"accessCode": gen, "role": 3}},
		"keychain[2].accessCode": {map[string]any{"accessCode": "77", "role": 2}, map[string]any{"role": 2}, map[string]any{"accessCode": "77", "role": 3}},
	} {
		checkError(t, e.sendJSON(creds, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": group, "keychain": kc}),
			422, "object validation error", field)
	}
	b := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": group}))
	bn := fmt.Sprint(int64(b["meetingNumber"].(float64)))
	owner := b["subscriberSid"].(string)
	keyPath := "/conference/v1/subscribers/" + owner + "/meetingRooms/" + bn + "/keychain"
	checkError(t, e.sendJSON(creds, "POST", keyPath, `{"accessCode":"1111","role":3}`), 422, "object validation error", "accessCode")
	checkError(t, e.sendJSON(creds, "POST", keyPath, `{"accessCode":"2222"}`), 422, "object validation error", "role")
	k := e.mustJSON(200, e.sendJSON(creds, "POST", keyPath, `{"accessCode":"2222","role":3}`))
	if k["meetingRoomId"] == nil || k["role"] != float64(3) {
		t.Fatalf("key %v", k)
	}
	kid := fmt.Sprint(int64(k["id"].(float64)))
	got := e.mustJSON(200, e.get(creds, keyPath+"/"+kid))
	if _, ok := got["meetingRoomId"]; ok || got["accessCode"] != "2222" {
		t.Errorf("GET key %v", got)
	}
	checkError(t, e.sendJSON(creds, "PUT", keyPath+"/"+kid, `{"accessCode":"1111"}`), 422, "object validation error", "accessCode")
	e.mustJSON(200, e.sendJSON(creds, "PUT", keyPath+"/"+kid, `{"accessCode":"2222","role":2}`))

	// Meeting numbers are unique in the account too.
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v1/meetingRooms/"+bn, map[string]any{"meetingNumber": a["meetingNumber"]}),
		422, "object validation error", "meetingNumber")

	// Other accounts, the partner's own or another partner's, have their own codes.
	for _, c := range []auth{creds2, otherCreds} {
		g := cv1DefaultGroup(t, e, c)
		e.mustJSON(200, e.sendJSON(c, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": g,
			"keychain": []any{map[string]any{"accessCode": "1111", "role": 1}}}))
		// and see none of this account's rooms
		checkError(t, e.get(c, "/conference/v1/meetingRooms/"+bn), 404, "no item error", nil)
	}
	if len(cv1Items(t, e.mustJSON(200, e.get(creds, keyPath)), "keychain")) != 1 {
		t.Errorf("keychain list")
	}
	if r := e.do(creds, "DELETE", keyPath+"/"+kid, "", ""); r.status != 204 {
		t.Fatalf("delete key %d", r.status)
	}
	checkError(t, e.get(creds, keyPath+"/"+kid), 404, "no item error", nil)
}

// cv1LiveRoom prepares a room with a DID and a host, a participant and a
// listener code; it returns the room's meeting number.
func cv1LiveRoom(t *testing.T, e *testEnv, partner, creds auth) string {
	t.Helper()
	group := cv1DefaultGroup(t, e, creds)
	cv1Rent(t, e, partner, creds, group)
	room := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/meetingRooms", map[string]any{"primaryDidGroupId": group,
		"keychain": []any{map[string]any{"role": 1}, map[string]any{"role": 2}, map[string]any{"role": 3}}}))
	return strconv.FormatInt(int64(room["meetingNumber"].(float64)), 10)
}

func TestConfV1CallersJoinAndLeaveOnTheClock(t *testing.T) {
	e := newSMSClockEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	ep, creds := cv1Endpoint(t, e.testEnv, demo)
	account := cv1Prop(ep, "account_sid")
	num := cv1LiveRoom(t, e.testEnv, demo, creds)

	if err := e.s.DialIntoConferenceV1(account, "999", 1); err == nil {
		t.Fatal("dialling an unknown room succeeds")
	}
	if err := e.s.DialIntoConferenceV1(account, num, 3); err != nil {
		t.Fatal(err)
	}
	calls := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/calls")), "calls")
	if len(calls) != 3 {
		t.Fatalf("calls %v", calls)
	}
	for i, c := range calls {
		if c["role"] != float64(i+1) || fmt.Sprint(c["meetingNumber"]) != num || c["state"] != float64(2) ||
			c["muteMode"] != float64(0) || c["created"] != float64(fixedNow().UnixMilli()) || c["accessCode"] == "" {
			t.Errorf("call %d: %v", i, c)
		}
	}
	e.advance(30 * time.Second)
	m := e.mustJSON(200, e.get(creds, "/conference/v1/meetings/"+num))
	if m["participantCount"] != float64(3) || m["duration"] != float64(30) || m["isSecured"] != true {
		t.Fatalf("meeting %v", m)
	}

	// PUT mutes and unmutes; an undocumented mute state is refused.
	id := fmt.Sprint(int64(calls[1]["id"].(float64)))
	put := e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v1/calls/"+id, `{"muteMode":40}`))
	if got := cv1Items(t, put, "calls"); len(got) != 1 || got[0]["muteMode"] != float64(40) || got[0]["role"] != float64(2) {
		t.Fatalf("muted %v", put)
	}
	if c := e.mustJSON(200, e.get(creds, "/conference/v1/calls/"+id)); c["muteMode"] != float64(40) {
		t.Fatalf("mute not kept: %v", c)
	}
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v1/calls/"+id, `{"muteMode":5}`), 422, "object validation error", "muteMode")
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v1/calls/"+id, `{"id":1}`), 422, "object validation error", "id")
	e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v1/calls/"+id, `{"muteMode":0}`))

	// Another account (here another partner's) sees nothing of it.
	_, otherCreds := cv1Endpoint(t, e.testEnv, other)
	checkError(t, e.get(otherCreds, "/conference/v1/calls/"+id), 404, "no item error", nil)
	if n := len(cv1Items(t, e.mustJSON(200, e.get(otherCreds, "/conference/v1/meetings")), "meetings")); n != 0 {
		t.Errorf("other account sees %d meetings", n)
	}

	// DELETE hangs one up.
	if r := e.do(creds, "DELETE", "/conference/v1/calls/"+id, "", ""); r.status != 204 {
		t.Fatalf("hang up %d %s", r.status, r.body)
	}
	checkError(t, e.get(creds, "/conference/v1/calls/"+id), 404, "no item error", nil)
	if m := e.mustJSON(200, e.get(creds, "/conference/v1/meetings/"+num)); m["participantCount"] != float64(2) {
		t.Fatalf("after hang-up %v", m)
	}
	// The room cannot go while the meeting is on.
	checkError(t, e.do(creds, "DELETE", "/conference/v1/meetingRooms/"+num, "", ""), 409, "conflict error", "meetingNumber")

	// The others leave within fifteen minutes; the meeting ends with them.
	e.advance(15 * time.Minute)
	if n := len(cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/calls")), "calls")); n != 0 {
		t.Fatalf("%d calls still connected", n)
	}
	checkError(t, e.get(creds, "/conference/v1/meetings/"+num), 404, "no item error", nil)

	recs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/meetings?filter=endpoint_sid+eq+"+ep["endpoint_sid"].(string))))
	if len(recs) != 1 || fmt.Sprint(recs[0]["participants"]) != "3" {
		t.Fatalf("meeting records %v", recs)
	}
	ccs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/calls?filter=meeting_sid+eq+"+recs[0]["meeting_sid"].(string))))
	roles := map[string]bool{}
	for _, c := range ccs {
		roles[c["role"].(string)] = true
	}
	if len(ccs) != 3 || !roles["host"] || !roles["participant"] || !roles["listener"] {
		t.Errorf("call records %v", ccs)
	}
	checkError(t, e.get(other, "/core/v2/app/conference/meetings/"+recs[0]["meeting_sid"].(string)), 404, "no item error", nil)
}

func TestConfV1EndingAMeetingRecordsItForThePartnerOnly(t *testing.T) {
	e := newSMSClockEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	ep, creds := cv1Endpoint(t, e.testEnv, demo)
	num := cv1LiveRoom(t, e.testEnv, demo, creds)
	if err := e.s.DialIntoConferenceV1(cv1Prop(ep, "account_sid"), num, 2); err != nil {
		t.Fatal(err)
	}

	// The meeting's attributes: call_maxduration shortens every call.
	attrs := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/meetings/"+num+"/attributes")), "attributes")
	if len(attrs) == 0 {
		t.Fatal("no attributes")
	}
	a := e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v1/meetings/"+num+"/attributes/call_maxduration", `{"value":90}`))
	if a["value"] != "90" || a["name"] != "call_maxduration" {
		t.Fatalf("attribute %v", a)
	}
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v1/meetings/"+num+"/attributes/call_maxduration", `{"value":"soon"}`),
		422, "object validation error", "value")
	checkError(t, e.sendJSON(creds, "PUT", "/conference/v1/meetings/"+num+"/attributes/no_such", `{"value":"1"}`), 404, "no item error", nil)
	m := e.mustJSON(200, e.get(creds, "/conference/v1/meetings/"+num))
	v, _ := cv1AttrOf(anySlice(m["attributes"]), "call_maxduration")
	if v != "90" {
		t.Errorf("meeting attributes %v", m["attributes"])
	}
	e.advance(60 * time.Second)
	if n := len(cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/calls")), "calls")); n != 2 {
		t.Fatalf("calls after 60s: %d", n)
	}

	// DELETE ends the meeting and its calls before call_maxduration does.
	if r := e.do(creds, "DELETE", "/conference/v1/meetings/"+num, "", ""); r.status != 204 {
		t.Fatalf("end meeting %d %s", r.status, r.body)
	}
	if n := len(cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/calls")), "calls")); n != 0 {
		t.Fatalf("calls after the end: %d", n)
	}
	checkError(t, e.do(creds, "DELETE", "/conference/v1/meetings/"+num, "", ""), 404, "no item error", nil)

	q := "?filter=endpoint_sid+eq+" + ep["endpoint_sid"].(string)
	recs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/meetings"+q)))
	if len(recs) != 1 || fmt.Sprint(recs[0]["duration"]) != "60" || fmt.Sprint(recs[0]["participants"]) != "2" {
		t.Fatalf("records %v", recs)
	}
	if n := len(items(t, e.mustJSON(200, e.get(other, "/core/v2/app/conference/meetings"+q)))); n != 0 {
		t.Errorf("the other partner sees %d of the records", n)
	}

	// A new dial-in starts a new meeting; call_maxduration from the room
	// applies from its start and the callers go after 30 seconds.
	e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v1/meetingRooms/"+num,
		`{"attributes":[{"name":"call_maxduration","value":30}]}`))
	if err := e.s.DialIntoConferenceV1(cv1Prop(ep, "account_sid"), num, 1); err != nil {
		t.Fatal(err)
	}
	e.advance(31 * time.Second)
	checkError(t, e.get(creds, "/conference/v1/meetings/"+num), 404, "no item error", nil)
	if n := len(items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/conference/meetings"+q)))); n != 2 {
		t.Errorf("%d meeting records, want 2", n)
	}
}

func anySlice(v any) []any { x, _ := v.([]any); return x }

func TestConfV1DIDsAreThePartnersNumbers(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	_, creds := cv1Endpoint(t, e, demo)
	group := cv1DefaultGroup(t, e, creds)
	d := cv1Rent(t, e, demo, creds, group)
	if d["countryCode"] != "US" || d["state"] != float64(-1) || d["didGroupId"] != group {
		t.Fatalf("DID %v", d)
	}
	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/dids", map[string]any{"didGroupId": group, "phoneNumber": d["phoneNumber"]}),
		422, "object validation error", "phoneNumber")
	theirs := e.mustJSON(200, e.sendJSON(other, "POST", "/core/v2/phonenumber/dids", `{}`))
	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/dids", map[string]any{"didGroupId": group, "phoneNumber": theirs["phonenumber"]}),
		422, "object validation error", "phoneNumber")
	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/dids", map[string]any{"didGroupId": 1, "phoneNumber": "15550000000"}),
		422, "object validation error", "didGroupId")

	// A group lists its DIDs and cannot be deleted while it has some.
	g2 := e.mustJSON(200, e.sendJSON(creds, "POST", "/conference/v1/didGroups", `{"name":"second","callFlowId":"`+
		fmt.Sprint(cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/callFlows")), "callFlows")[0]["id"])+`"}`))
	id := fmt.Sprint(d["id"])
	moved := e.mustJSON(200, e.sendJSON(creds, "PUT", "/conference/v1/dids/"+id, map[string]any{"didGroupId": g2["id"]}))
	if moved["didGroupId"] != g2["id"] || moved["phoneNumber"] != d["phoneNumber"] {
		t.Fatalf("moved %v", moved)
	}
	gid := fmt.Sprint(g2["id"])
	if got := e.mustJSON(200, e.get(creds, "/conference/v1/didGroups/"+gid)); len(got["dids"].([]any)) != 1 {
		t.Fatalf("group %v", got)
	}
	checkError(t, e.do(creds, "DELETE", "/conference/v1/didGroups/"+gid, "", ""), 409, "conflict error", "id")
	if r := e.do(creds, "DELETE", "/conference/v1/dids/"+id, "", ""); r.status != 204 {
		t.Fatalf("delete DID %d", r.status)
	}
	if r := e.do(creds, "DELETE", "/conference/v1/didGroups/"+gid, "", ""); r.status != 204 {
		t.Fatalf("delete group %d %s", r.status, r.body)
	}

	// Paging: limit, offset, and the envelope's last index.
	for range 3 {
		cv1Rent(t, e, demo, creds, group)
	}
	page := e.mustJSON(200, e.get(creds, "/conference/v1/dids?limit=2&offset=1&order=id+desc"))
	got := cv1Items(t, page, "dids")
	if len(got) != 2 || page["total"] != float64(3) || page["offset"] != float64(1) || page["last"] != float64(2) ||
		got[0]["id"].(float64) < got[1]["id"].(float64) {
		t.Fatalf("page %v", page)
	}
	checkError(t, e.get(creds, "/conference/v1/dids?after=1"), 400, "bad request", "after")
}

// cv1WAV is a WAV file of n bytes of 8 kHz 16-bit mono silence.
func cv1WAV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(8000), uint32(16000), uint16(2), uint16(16)} {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	_ = binary.Write(&b, binary.LittleEndian, uint32(n))
	b.Write(make([]byte, n))
	return b.Bytes()
}

func cv1Upload(t *testing.T, e *testEnv, creds auth, sid, name string, data []byte) resp {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", name)
	_, _ = w.Write(data)
	_ = mw.Close()
	return e.do(creds, "POST", "/conference/v1/subscribers/"+sid+"/files", mw.FormDataContentType(), body.String())
}

func TestConfV1MediaFiles(t *testing.T) {
	e := smallEnv(t)
	_, creds := cv1Endpoint(t, e, basicAuth(e.s.DemoPartner()))
	sid := e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/whoami"))["sid"].(string)

	f := e.mustJSON(200, cv1Upload(t, e, creds, sid, "hello.wav", cv1WAV(32000)))
	if f["name"] != "hello.wav" || f["size"] != float64(32044) || f["duration"] != float64(2000) ||
		f["url"] != "/storage/subscribers/"+sid+"/hello.wav" {
		t.Fatalf("file %v", f)
	}
	// An MP3 (128 kbit/s) gets its duration from the frame header.
	mp3 := append([]byte{0xff, 0xfb, 0x90, 0x00}, make([]byte, 15996)...)
	if g := e.mustJSON(200, cv1Upload(t, e, creds, sid, "b.mp3", mp3)); g["duration"] != float64(1000) {
		t.Errorf("mp3 %v", g)
	}
	e.mustJSON(200, cv1Upload(t, e, creds, sid, "hello.wav", cv1WAV(16000))) // replaces
	e.s.mu.Lock()
	stored := len(e.s.cv1FileData(sid, "hello.wav"))
	e.s.mu.Unlock()
	if stored != 16044 {
		t.Errorf("stored %d bytes", stored)
	}
	checkError(t, cv1Upload(t, e, creds, sid, "notes.txt", []byte("hello")), 422, "object validation error", "file")
	checkError(t, e.sendJSON(creds, "POST", "/conference/v1/subscribers/"+sid+"/files", `{}`), 415, "unsupported media type", nil)
	checkError(t, cv1Upload(t, e, creds, "nobody", "x.wav", cv1WAV(10)), 404, "no item error", nil)

	list := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/"+sid+"/files")), "files")
	if len(list) != 2 || list[0]["name"] != "hello.wav" || list[0]["size"] != float64(16044) {
		t.Fatalf("files %v", list)
	}
	if r := e.do(creds, "DELETE", "/conference/v1/subscribers/"+sid+"/files/b.mp3", "", ""); r.status != 204 {
		t.Fatalf("delete one %d", r.status)
	}
	checkError(t, e.do(creds, "DELETE", "/conference/v1/subscribers/"+sid+"/files/b.mp3", "", ""), 404, "no item error", nil)
	if r := e.do(creds, "DELETE", "/conference/v1/subscribers/"+sid+"/files", "", ""); r.status != 204 {
		t.Fatalf("delete all %d", r.status)
	}
	if n := len(cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/"+sid+"/files")), "files")); n != 0 {
		t.Errorf("%d files left", n)
	}
}

func TestConfV1IsDeterministic(t *testing.T) {
	run := func() string {
		e := smallEnv(t)
		demo := basicAuth(e.s.DemoPartner())
		ep, creds := cv1Endpoint(t, e, demo)
		num := cv1LiveRoom(t, e, demo, creds)
		if err := e.s.DialIntoConferenceV1(cv1Prop(ep, "account_sid"), num, 2); err != nil {
			t.Fatal(err)
		}
		me := e.mustJSON(200, e.get(creds, "/conference/v1/subscribers/whoami"))
		calls := cv1Items(t, e.mustJSON(200, e.get(creds, "/conference/v1/calls")), "calls")
		return fmt.Sprint(me["sid"], num, calls[0]["caller"], calls[1]["accessCode"])
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("same seed, different sandboxes: %q vs %q", a, b)
	}
}
