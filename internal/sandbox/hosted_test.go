package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A hosted API registered only in tests: it echoes the caller's account and
// counts the clock ticks it asked for.
var (
	testProvisioned = map[string]bool{}
	testTickAt      time.Time
	testTicks       int
)

func init() {
	hostedAPIs = append(hostedAPIs, hostedAPI{prefix: "/hostedtest/v1", endpointType: "mediator", wrapped: true,
		routes: func(s *Sandbox, rt *router) {
			rt.handle("GET", "/whoami", func(c *call) (int, any, *apiError) {
				return http.StatusOK, object{"account_sid": c.accountSID(), "partner_sid": c.partner.sid,
					"provisioned": testProvisioned[c.accountSID()]}, nil
			})
			rt.handle("POST", "/later", func(c *call) (int, any, *apiError) {
				testTickAt = c.now.Add(2 * time.Second)
				s.wake(testTickAt)
				return http.StatusCreated, object{}, nil
			})
			rt.handle("GET", "/missing", func(c *call) (int, any, *apiError) { return 0, nil, errNoItem() })
		}})
	endpointCreated = append(endpointCreated, func(s *Sandbox, c *call, ep *record) {
		if ep.obj["type"] == "mediator" {
			testProvisioned[endpointProperty(ep, "account_sid")] = true
		}
	})
	endpointDeleted = append(endpointDeleted, func(s *Sandbox, ep *record) {
		delete(testProvisioned, endpointProperty(ep, "account_sid"))
	})
	tickers = append(tickers, func(s *Sandbox, now time.Time) time.Time {
		if testTickAt.IsZero() {
			return time.Time{}
		}
		if now.Before(testTickAt) {
			return testTickAt
		}
		testTicks++
		testTickAt = time.Time{}
		return time.Time{}
	})
}

func TestHostedAPIAuthenticatesWithEndpointCredentials(t *testing.T) {
	e := newSMSClockEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/endpoints", `{"name":"med","type":"mediator"}`))
	props := ep["properties"].(map[string]any)
	creds := auth("basic:" + props["login"].(string) + ":" + props["password"].(string))

	got := e.mustJSON(200, e.get(creds, "/hostedtest/v1/whoami"))
	body := got["body"].(map[string]any)
	if got["status"] != float64(200) || body["account_sid"] != props["account_sid"] ||
		body["partner_sid"] != e.s.DemoPartner().PartnerSID || body["provisioned"] != true {
		t.Fatalf("wrapped answer %v", got)
	}

	// Core credentials, a wrong password and no credentials are refused,
	// wrapped like every answer of this API.
	for _, a := range []auth{demo, auth("basic:" + props["login"].(string) + ":nope"), ""} {
		r := e.get(a, "/hostedtest/v1/whoami")
		if r.status != 401 || r.json(t)["status"] != float64(401) || !strings.Contains(string(r.body), "authentication error") {
			t.Errorf("%q: %d %s", a, r.status, r.body)
		}
	}
	if r := e.get(creds, "/hostedtest/v1/missing"); r.status != 404 || r.json(t)["status"] != float64(404) {
		t.Errorf("error answer %d %s", r.status, r.body)
	}
	if r := e.get(creds, "/hostedtest/v1/nothing"); r.status != 404 {
		t.Errorf("unknown route %d", r.status)
	}
	if r := e.do(creds, "DELETE", "/hostedtest/v1/whoami", "", ""); r.status != 405 {
		t.Errorf("wrong method %d", r.status)
	}

	// The clock: nothing runs before the time asked for, then once.
	e.mustJSON(201, e.do(creds, "POST", "/hostedtest/v1/later", "application/json", "{}"))
	e.advance(time.Second)
	e.get(demo, "/core/v2/oauth/whoami")
	if testTicks != 0 {
		t.Fatalf("ticked early")
	}
	e.advance(1500 * time.Millisecond)
	e.get(demo, "/core/v2/oauth/whoami")
	e.get(demo, "/core/v2/oauth/whoami")
	if testTicks != 1 {
		t.Fatalf("ticks %d, want 1", testTicks)
	}

	// Deleting the endpoint removes its account and its credentials stop working.
	if r := e.do(demo, "DELETE", "/core/v2/endpoints/"+ep["endpoint_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete endpoint: %d %s", r.status, r.body)
	}
	if testProvisioned[props["account_sid"].(string)] {
		t.Error("account not removed")
	}
	if r := e.get(creds, "/hostedtest/v1/whoami"); r.status != 401 {
		t.Errorf("deleted endpoint's credentials: %d", r.status)
	}
}

func TestLiveRecordsAreListedInCore(t *testing.T) {
	e := newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: fixedNow, CDRs: 300, MessageDRs: 30, ConferenceMeetings: 5, MediatorCalls: 10})
	demo := e.s.DemoPartner()
	now := fixedNow()
	e.s.mu.Lock()
	cdrSID := e.s.recordCall(demo.PartnerSID, liveCall{direction: dirOutbound, number: "15551230001", external: "+15551239999",
		start: now.Add(-70 * time.Second), answer: now.Add(-64 * time.Second), stop: now, sipCause: "200", endpointSID: "ep-flexml"})
	mdrSID := e.s.recordMessage(demo.PartnerSID, liveMessage{direction: dirOutbound, number: "15551230001", external: "15551239999",
		text: "a live message", start: now.Add(-3 * time.Second), sent: now.Add(-time.Second), stop: now})
	meetingSID, callSIDs := e.s.recordMeeting(demo.PartnerSID, liveMeeting{roomSID: "room-live", endpointSID: "ep-conf",
		accessNumber: "15551230002", start: now.Add(-time.Hour), stop: now, calls: []liveConfCall{
			{number: "15551238888", role: "host", start: now.Add(-time.Hour), join: now.Add(-time.Hour + 5*time.Second), stop: now},
			{number: "15551237777", role: "listener", start: now.Add(-30 * time.Minute), join: now.Add(-29 * time.Minute), stop: now}}})
	medSID := e.s.recordMediatorCall(demo.PartnerSID, liveMediatorCall{bindingSID: "binding-live", dialoutSID: "dialout-live",
		endpointSID: "ep-med", redirect: "15551230003", src: "15551236666", dst: "15551235555",
		start: now.Add(-2 * time.Minute), answer: now.Add(-110 * time.Second), stop: now})
	e.s.mu.Unlock()

	a := basicAuth(demo)
	one := func(path string) map[string]any {
		t.Helper()
		m := e.mustJSON(200, e.get(a, path))
		return m
	}
	c := one("/core/v2/calls/call_drs/" + cdrSID)
	if c["number_dst"] != "15551239999" || fmt.Sprint(c["duration_billing"]) != "66" || fmt.Sprint(c["price"]) != "0.0055" ||
		c["endpoint_sid_src"] != "ep-flexml" || c["sipcause"] != "200" || c["direction"] != "outbound" {
		t.Errorf("call record %v", c)
	}
	m := one("/core/v2/sms/message_drs/" + mdrSID)
	if m["message"] != "a live message" || m["number_dst"] != "15551239999" || m["direction"] != "outbound" {
		t.Errorf("message record %v", m)
	}
	mt := one("/core/v2/app/conference/meetings/" + meetingSID)
	if mt["meeting_room_sid"] != "room-live" || mt["endpoint_sid"] != "ep-conf" || fmt.Sprint(mt["participants"]) != "2" ||
		fmt.Sprint(mt["duration"]) != "3600" {
		t.Errorf("meeting record %v", mt)
	}
	cc := one("/core/v2/app/conference/calls/" + callSIDs[1])
	if cc["meeting_sid"] != meetingSID || cc["role"] != "listener" || cc["number_src"] != "+15551237777" {
		t.Errorf("conference call record %v", cc)
	}
	list := items(t, one("/core/v2/app/mediator/calls?filter=dialout_sid+eq+dialout-live"))
	if len(list) != 1 || list[0]["dr_sid"] != medSID || list[0]["binding_sid"] != "binding-live" ||
		fmt.Sprint(list[0]["duration_billing"]) != "120" || list[0]["status"] != "completed" {
		t.Errorf("mediator records %v", list)
	}
	// The other partner sees none of them.
	if r := e.get(basicAuth(e.s.OtherPartner()), "/core/v2/calls/call_drs/"+cdrSID); r.status != 404 {
		t.Errorf("other partner: %d", r.status)
	}
}
