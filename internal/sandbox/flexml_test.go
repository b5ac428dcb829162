package sandbox

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// fmEnv is a small sandbox whose clock the test moves, with few generated
// detail records (the Core record routes generate them on first use).
func fmEnv(t *testing.T) *smsClockEnv {
	e := &smsClockEnv{now: fixedNow()}
	e.testEnv = newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, CDRs: 100, MessageDRs: 10,
		ConferenceMeetings: 5, MediatorCalls: 10, Now: func() time.Time {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.now
		}})
	return e
}

// fmEndpoint creates an endpoint of typ for the partner and returns it,
// the credentials of its API and its account_sid.
func fmEndpoint(t *testing.T, e *testEnv, partner auth, typ, name string) (map[string]any, auth, string) {
	t.Helper()
	ep := e.mustJSON(200, e.sendJSON(partner, "POST", "/core/v2/endpoints", map[string]any{"name": name, "type": typ}))
	p := ep["properties"].(map[string]any)
	return ep, auth("basic:" + p["login"].(string) + ":" + p["password"].(string)), p["account_sid"].(string)
}

// fmNumbers returns the phone numbers of a FlexML or Mediator DID list.
func fmNumbers(t *testing.T, list []map[string]any) []string {
	t.Helper()
	var out []string
	for _, d := range list {
		out = append(out, d["phonenumber"].(string))
	}
	return out
}

// unroutedDemoNumbers are the demo partner's rented numbers without a trunk
// group, in inventory order.
func unroutedDemoNumbers(t *testing.T, e *testEnv) []string {
	t.Helper()
	var out []string
	for _, d := range items(t, e.mustJSON(200, e.get(basicAuth(e.s.DemoPartner()), "/core/v2/phonenumber/dids?limit=1000"))) {
		if d["trunk_group_sid"] == nil {
			out = append(out, d["phonenumber"].(string))
		}
	}
	return out
}

func TestFlexMLAccountIsProvisionedWithTheEndpoint(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds, acct := fmEndpoint(t, e.testEnv, demo, "flexml", "IVR")

	list := e.mustJSON(200, e.get(creds, "/flexml/v1/accounts"))
	accounts := items(t, list)
	if len(accounts) != 1 || list["total"] != float64(1) || list["limit"] != float64(10) {
		t.Fatalf("accounts %v", list)
	}
	a := accounts[0]
	want := []string{"account_sid", "date_created", "error_handler", "login", "method", "name",
		"status_callback_method", "status_callback_url", "url"}
	if got := epKeys(a); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	props := ep["properties"].(map[string]any)
	if a["account_sid"] != acct || a["login"] != props["login"] || a["name"] != "IVR" || a["error_handler"] != "basic" ||
		a["method"] != "POST" || a["status_callback_method"] != "POST" || a["url"] != nil ||
		a["date_created"] != formatTS(fixedNow()) {
		t.Errorf("account %v", a)
	}
	e.mustJSON(200, e.get(creds, "/flexml/v1/accounts/"+acct))

	got := e.mustJSON(200, e.sendJSON(creds, "PATCH", "/flexml/v1/accounts/"+acct,
		`{"url":"https://ivr.example.com/flexml","error_handler":"none"}`))
	if got["url"] != "https://ivr.example.com/flexml" || got["error_handler"] != "none" || got["name"] != "IVR" {
		t.Errorf("patched %v", got)
	}
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/accounts/"+acct, `{"url":"ftp://x.example/a"}`), 422, "object validation error", "url")
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/accounts/"+acct, `{"login":"other"}`), 422, "object validation error", "login")
	got["name"] = "Renamed"
	delete(got, "url")
	put := e.mustJSON(200, e.sendJSON(creds, "PUT", "/flexml/v1/accounts/"+acct, got))
	if put["name"] != "Renamed" || put["url"] != nil || put["error_handler"] != "none" {
		t.Errorf("put %v", put)
	}

	// A second FlexML account, of the same partner: its own account only.
	_, creds2, acct2 := fmEndpoint(t, e.testEnv, demo, "flexml", "Second")
	if l := items(t, e.mustJSON(200, e.get(creds2, "/flexml/v1/accounts"))); len(l) != 1 || l[0]["account_sid"] != acct2 {
		t.Errorf("second account lists %v", l)
	}
	checkError(t, e.get(creds2, "/flexml/v1/accounts/"+acct), 404, "no item error", nil)
	checkError(t, e.get(demo, "/flexml/v1/accounts"), 401, "authentication error", nil)
}

func TestFlexMLNumbersFollowCore(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	free := unroutedDemoNumbers(t, e.testEnv)
	if len(free) != 4 {
		t.Fatalf("the seed has %d unrouted numbers, want 4", len(free))
	}

	// A new account is given up to three numbers that route nowhere ...
	ep, creds, acct := fmEndpoint(t, e.testEnv, demo, "flexml", "IVR")
	dids := items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/dids")))
	if got := fmNumbers(t, dids); !slices.Equal(got, free[:3]) {
		t.Fatalf("numbers %v, want %v", got, free[:3])
	}
	want := []string{"account_sid", "country_code", "did_sid", "in_country_format", "international_format", "method",
		"phonenumber", "status_callback_method", "status_callback_url", "url"}
	d := dids[0]
	if got := epKeys(d); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	if d["account_sid"] != acct || d["country_code"] != "USA" || d["method"] != "POST" || d["url"] != nil {
		t.Errorf("did %v", d)
	}
	// ... and the next account the one left; a Mediator account none.
	_, creds2, _ := fmEndpoint(t, e.testEnv, demo, "flexml", "Second")
	if got := fmNumbers(t, items(t, e.mustJSON(200, e.get(creds2, "/flexml/v1/dids")))); !slices.Equal(got, free[3:]) {
		t.Errorf("second account's numbers %v, want %v", got, free[3:])
	}
	_, med, _ := fmEndpoint(t, e.testEnv, demo, "mediator", "Med")
	if l := items(t, e.mustJSON(200, e.get(med, "/mediator/v1/dids"))["body"].(map[string]any)); len(l) != 0 {
		t.Errorf("mediator account's numbers %v", l)
	}

	// Updating a number.
	sid := d["did_sid"].(string)
	got := e.mustJSON(200, e.sendJSON(creds, "PATCH", "/flexml/v1/dids/"+sid,
		`{"url":"https://ivr.example.com/in","method":"GET","status_callback_url":"http://cb.example.com/end"}`))
	if got["url"] != "https://ivr.example.com/in" || got["method"] != "GET" || got["status_callback_url"] != "http://cb.example.com/end" {
		t.Errorf("patched %v", got)
	}
	if _, hidden := got[hostedGiftKey]; hidden {
		t.Errorf("bookkeeping shown: %v", got)
	}
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/dids/"+sid, `{"status_callback_url":"/relative"}`), 422, "object validation error", "status_callback_url")
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/dids/"+sid, `{"method":"PUT"}`), 422, "object validation error", "method")
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/dids/"+sid, `{"phonenumber":"15550001111"}`), 422, "object validation error", "phonenumber")
	checkError(t, e.get(creds2, "/flexml/v1/dids/"+sid), 404, "no item error", nil)
	if l := items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/dids?filter=method+eq+GET"))); len(l) != 1 || l[0]["did_sid"] != sid {
		t.Errorf("filtered %v", l)
	}

	// A number routed to the endpoint (its trunk group has a trunk to it)
	// is the account's; released, it is not.
	tg := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/trunk_groups",
		map[string]any{"name": "to ivr", "trunks": []any{map[string]any{"name": "ivr", "endpoint_sid": ep["endpoint_sid"]}}}))
	rented := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/phonenumber/dids", map[string]any{"trunk_group_sid": tg["trunk_group_sid"]}))
	number := rented["phonenumber"].(string)
	if got := fmNumbers(t, items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/dids")))); !slices.Contains(got, number) || len(got) != 4 {
		t.Errorf("numbers after routing %v (want %s too)", got, number)
	}
	// Routing a given number elsewhere takes it away.
	e.mustJSON(200, e.sendJSON(demo, "PATCH", "/core/v2/phonenumber/dids/"+didSIDOf(t, e.testEnv, free[0]),
		map[string]any{"trunk_group_sid": items(t, e.mustJSON(200, e.get(demo, "/core/v2/trunk_groups?limit=1")))[0]["trunk_group_sid"]}))
	if r := e.do(demo, "DELETE", "/core/v2/phonenumber/dids/"+rented["did_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("release: %d %s", r.status, r.body)
	}
	if got := fmNumbers(t, items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/dids")))); !slices.Equal(got, free[1:3]) {
		t.Errorf("numbers after release and rerouting %v, want %v", got, free[1:3])
	}
}

// didSIDOf returns the Core did_sid of one of the demo partner's numbers.
func didSIDOf(t *testing.T, e *testEnv, number string) string {
	t.Helper()
	l := items(t, e.mustJSON(200, e.get(basicAuth(e.s.DemoPartner()), "/core/v2/phonenumber/dids?filter=phonenumber+eq+"+number)))
	if len(l) != 1 {
		t.Fatalf("no DID %s", number)
	}
	return l[0]["did_sid"].(string)
}

// billed is a call detail record's duration_billing.
func billed(r map[string]any) time.Duration {
	var n float64
	_, _ = fmt.Sscan(fmt.Sprint(r["duration_billing"]), &n)
	return time.Duration(n) * time.Second
}

// fmCallState reads the sandbox's state of a FlexML call.
func fmCallState(e *testEnv, sid string) flexCall {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	if st := e.s.flexState(sid); st != nil {
		return *st
	}
	return flexCall{}
}

func TestFlexMLCallWalksToCompletionAndLeavesARecord(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds, acct := fmEndpoint(t, e.testEnv, demo, "flexml", "IVR")
	from := fmNumbers(t, items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/dids"))))[0]

	c := e.mustJSON(200, e.sendJSON(creds, "POST", "/flexml/v1/calls",
		map[string]any{"calling_did": "+" + from, "called_did": "15162065318", "delay": 5}))
	want := []string{"account_sid", "attributes", "call_sid", "called_did", "calling_did", "date_created", "delay",
		"method", "status_callback_method", "status_callback_url", "url"}
	if got := epKeys(c); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v (§9 ex. 19)", got, want)
	}
	if c["account_sid"] != acct || c["calling_did"] != from || c["called_did"] != "15162065318" || c["delay"] != float64(5) ||
		c["method"] != "POST" || c["status_callback_method"] != "POST" || c["url"] != nil {
		t.Errorf("call %v", c)
	}
	sid := c["call_sid"].(string)
	if l := items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/calls"))); len(l) != 1 || l[0]["call_sid"] != sid {
		t.Fatalf("calls %v", l)
	}

	step := func(d time.Duration, status string) flexCall {
		t.Helper()
		e.advance(d)
		e.get(creds, "/flexml/v1/calls")
		st := fmCallState(e.testEnv, sid)
		if st.status != status {
			t.Fatalf("after %v: %s, want %s", d, st.status, status)
		}
		return st
	}
	step(4*time.Second, "queued")
	st := step(time.Second, "ringing")
	if st.from != from || st.to != "15162065318" || !st.start.Equal(fixedNow().Add(5*time.Second)) {
		t.Errorf("dialled %+v", st)
	}
	st = step(7*time.Second, "in-progress")
	if ring := st.answer.Sub(st.start); ring < 2*time.Second || ring > 7*time.Second {
		t.Errorf("rang %v", ring)
	}
	e.mustJSON(200, e.get(creds, "/flexml/v1/calls/"+sid))
	st = step(180*time.Second, "completed")
	checkError(t, e.get(creds, "/flexml/v1/calls/"+sid), 404, "no item error", nil)
	if st.drSID == "" {
		t.Fatal("no record reference")
	}

	// The partner's call detail record, outbound from the FlexML endpoint.
	r := e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs/"+st.drSID))
	talk := st.stop.Sub(st.answer)
	if r["direction"] != "outbound" || r["endpoint_sid_src"] != ep["endpoint_sid"] || r["number_dst"] != "15162065318" ||
		r["sipcause"] != "200" || r["date_stop"] != formatTS(st.stop) || r["date_talk"] != formatTS(st.answer) ||
		r["date_start"] != formatTS(st.start) || billed(r) < talk || billed(r) >= talk+time.Minute {
		t.Errorf("record %v (talked %v)", r, talk)
	}
	l := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?filter=endpoint_sid_src+eq+"+ep["endpoint_sid"].(string))))
	if len(l) != 1 || l[0]["dr_sid"] != st.drSID {
		t.Errorf("records of the endpoint %v", l)
	}
	checkError(t, e.get(basicAuth(e.s.OtherPartner()), "/core/v2/calls/call_drs/"+st.drSID), 404, "no item error", nil)

	// The same seed places the same call.
	e2 := fmEnv(t)
	_, creds2, _ := fmEndpoint(t, e2.testEnv, basicAuth(e2.s.DemoPartner()), "flexml", "IVR")
	c2 := e2.mustJSON(200, e2.sendJSON(creds2, "POST", "/flexml/v1/calls",
		map[string]any{"calling_did": from, "called_did": "15162065318", "delay": 5}))
	if st2 := fmCallState(e2.testEnv, c2["call_sid"].(string)); c2["call_sid"] != sid || st2.drawn != st.drawn {
		t.Errorf("seeded call differs: %v %+v", c2, st2)
	}
}

func TestFlexMLCallOutcomesUpdatesAndCancel(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds, _ := fmEndpoint(t, e.testEnv, demo, "flexml", "IVR")
	from := fmNumbers(t, items(t, e.mustJSON(200, e.get(creds, "/flexml/v1/dids"))))[0]
	place := func(body map[string]any) string {
		t.Helper()
		body["calling_did"] = from
		return e.mustJSON(200, e.sendJSON(creds, "POST", "/flexml/v1/calls", body))["call_sid"].(string)
	}
	tick := func(d time.Duration) {
		e.advance(d)
		e.get(creds, "/flexml/v1/accounts")
	}

	// Validation.
	checkError(t, e.sendJSON(creds, "POST", "/flexml/v1/calls", map[string]any{"calling_did": "15550009999", "called_did": "15162065318"}),
		422, "object validation error", "calling_did")
	checkError(t, e.sendJSON(creds, "POST", "/flexml/v1/calls", map[string]any{"calling_did": from}), 422, "object validation error", "called_did")
	checkError(t, e.sendJSON(creds, "POST", "/flexml/v1/calls", map[string]any{"calling_did": from, "called_did": "12"}),
		422, "object validation error", "called_did")
	checkError(t, e.sendJSON(creds, "POST", "/flexml/v1/calls", map[string]any{"calling_did": from, "called_did": "15162065318", "delay": -1}),
		422, "object validation error", "delay")
	checkError(t, e.sendJSON(creds, "POST", "/flexml/v1/calls", map[string]any{"calling_did": from, "called_did": "15162065318", "url": "x"}),
		422, "object validation error", "url")
	checkError(t, e.do(creds, "POST", "/flexml/v1/calls", "text/plain", "{}"), 415, "unsupported media type", nil)

	// Busy: refused after two seconds of ringing, recorded with its cause.
	busy := place(map[string]any{"called_did": "15162065486"})
	tick(time.Second)
	if st := fmCallState(e.testEnv, busy); st.status != "ringing" {
		t.Fatalf("busy call %s", st.status)
	}
	tick(time.Second)
	st := fmCallState(e.testEnv, busy)
	if st.status != "busy" || st.drSID == "" {
		t.Fatalf("busy call %+v", st)
	}
	r := e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs/"+st.drSID))
	if r["sipcause"] != "486" || r["date_talk"] != nil || fmt.Sprint(r["duration_billing"]) != "0" {
		t.Errorf("busy record %v", r)
	}

	// A queued call: everything listed may change; a cancelled one leaves
	// no record.
	queued := place(map[string]any{"called_did": "15162065318", "delay": 60})
	got := e.mustJSON(200, e.sendJSON(creds, "PATCH", "/flexml/v1/calls/"+queued,
		`{"delay":120,"called_did":"+15162065480","attributes":{"campaign":"spring"}}`))
	if got["delay"] != float64(120) || got["called_did"] != "15162065480" {
		t.Errorf("patched %v", got)
	}
	tick(61 * time.Second)
	if st := fmCallState(e.testEnv, queued); st.status != "queued" || st.outcome != "no-answer" {
		t.Errorf("queued call after the new delay's old end: %+v", st)
	}
	if r := e.do(creds, "DELETE", "/flexml/v1/calls/"+queued, "", ""); r.status != 204 {
		t.Fatalf("cancel queued: %d %s", r.status, r.body)
	}
	if st := fmCallState(e.testEnv, queued); st.status != "cancelled" || st.drSID != "" {
		t.Errorf("cancelled queued call %+v", st)
	}
	checkError(t, e.get(creds, "/flexml/v1/calls/"+queued), 404, "no item error", nil)

	// A dialing call: only the status callback settings may change; DELETE
	// cancels it and the record says so.
	ringing := place(map[string]any{"called_did": "15162065480"})
	tick(time.Second)
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/calls/"+ringing, `{"called_did":"15162065318"}`), 422, "object validation error", "called_did")
	checkError(t, e.sendJSON(creds, "PATCH", "/flexml/v1/calls/"+ringing, `{"delay":5}`), 422, "object validation error", "delay")
	got = e.mustJSON(200, e.sendJSON(creds, "PATCH", "/flexml/v1/calls/"+ringing,
		`{"status_callback_url":"https://cb.example.com/status","status_callback_method":"GET"}`))
	if got["status_callback_url"] != "https://cb.example.com/status" || got["status_callback_method"] != "GET" {
		t.Errorf("patched %v", got)
	}
	put := e.mustJSON(200, e.sendJSON(creds, "PUT", "/flexml/v1/calls/"+ringing, got))
	if put["status_callback_url"] != "https://cb.example.com/status" {
		t.Errorf("put echo %v", put)
	}
	if r := e.do(creds, "DELETE", "/flexml/v1/calls/"+ringing, "", ""); r.status != 204 {
		t.Fatalf("cancel ringing: %d %s", r.status, r.body)
	}
	st = fmCallState(e.testEnv, ringing)
	if st.status != "cancelled" || st.drSID == "" {
		t.Fatalf("cancelled ringing call %+v", st)
	}
	if r := e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs/"+st.drSID)); r["sipcause"] != "487" || r["endpoint_sid_src"] != ep["endpoint_sid"] {
		t.Errorf("cancelled record %v", r)
	}
	checkError(t, e.do(creds, "DELETE", "/flexml/v1/calls/"+ringing, "", ""), 404, "no item error", nil)

	// Another partner's FlexML account sees none of these, and its
	// account has no number to call from (its numbers all route to its
	// own trunk group).
	_, other, _ := fmEndpoint(t, e.testEnv, basicAuth(e.s.OtherPartner()), "flexml", "Other IVR")
	talking := place(map[string]any{"called_did": "15162065318"})
	checkError(t, e.get(other, "/flexml/v1/calls/"+talking), 404, "no item error", nil)
	checkError(t, e.do(other, "DELETE", "/flexml/v1/calls/"+talking, "", ""), 404, "no item error", nil)
	if l := items(t, e.mustJSON(200, e.get(other, "/flexml/v1/dids"))); len(l) != 0 {
		t.Errorf("other account's numbers %v", l)
	}
	checkError(t, e.sendJSON(other, "POST", "/flexml/v1/calls", map[string]any{"calling_did": from, "called_did": "15162065318"}),
		422, "object validation error", "calling_did")

	// Deleting the endpoint cuts its live call (recorded), removes the
	// account, and its credentials stop working.
	tick(10 * time.Second)
	if st := fmCallState(e.testEnv, talking); st.status != "in-progress" {
		t.Fatalf("talking call %s", st.status)
	}
	if r := e.do(demo, "DELETE", "/core/v2/endpoints/"+ep["endpoint_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete endpoint: %d %s", r.status, r.body)
	}
	if r := e.get(creds, "/flexml/v1/accounts"); r.status != 401 {
		t.Errorf("deleted endpoint's credentials: %d", r.status)
	}
	e.s.mu.Lock()
	for _, name := range []string{flexAccountsTable, flexDIDsTable, flexCallsTable, flexStatesTable} {
		for _, rec := range e.s.table(name).recs {
			if rec.owner == ep["properties"].(map[string]any)["account_sid"] {
				t.Errorf("%s keeps %s", name, rec.sid)
			}
		}
	}
	e.s.mu.Unlock()
	l := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?filter=endpoint_sid_src+eq+"+ep["endpoint_sid"].(string))))
	if len(l) != 3 || l[2]["sipcause"] != "200" || l[2]["date_stop"] != formatTS(fixedNow().Add(74*time.Second)) {
		t.Errorf("records after the cut %v", l)
	}
}
