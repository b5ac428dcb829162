package sandbox

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// medBody unwraps a Mediator answer, checking the wrapper's status.
func medBody(t *testing.T, r resp, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.json(t)
	if len(m) != 2 || m["status"] != float64(status) {
		t.Fatalf("not wrapped with status %d: %s", status, r.body)
	}
	body, ok := m["body"].(map[string]any)
	if !ok {
		t.Fatalf("body is %T: %s", m["body"], r.body)
	}
	return body
}

// medError checks a wrapped error answer: status, message and first field.
func medError(t *testing.T, r resp, status int, message string, field any) map[string]any {
	t.Helper()
	body := medBody(t, r, status)
	errs, _ := body["errors"].([]any)
	if body["message"] != message || len(errs) == 0 {
		t.Fatalf("error body %v, want message %q", body, message)
	}
	if first := errs[0].(map[string]any); first["field"] != field {
		t.Errorf("field %v, want %v (%v)", first["field"], field, body)
	}
	return body
}

func TestMediatorAnswersAreWrapped(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds, acct := fmEndpoint(t, e.testEnv, demo, "mediator", "Forwarding")

	list := medBody(t, e.get(creds, "/mediator/v1/accounts"), 200)
	accounts := items(t, list)
	if len(accounts) != 1 || list["total"] != float64(1) || list["limit"] != float64(10) {
		t.Fatalf("accounts %v", list)
	}
	if got := epKeys(accounts[0]); !slices.Equal(got, []string{"account_sid", "date_created", "login", "name"}) {
		t.Errorf("account keys %v", got)
	}
	a := medBody(t, e.get(creds, "/mediator/v1/accounts/"+acct), 200)
	if a["account_sid"] != acct || a["name"] != "Forwarding" || a["login"] != ep["properties"].(map[string]any)["login"] {
		t.Errorf("account %v", a)
	}
	medError(t, e.get(creds, "/mediator/v1/accounts/nope"), 404, "no item error", nil)
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", `{}`), 422, "object validation error", "destination_did")
	medError(t, e.do(creds, "POST", "/mediator/v1/bindings", "application/json", "{"), 400, "bad request", nil)
	medError(t, e.get(demo, "/mediator/v1/bindings"), 401, "authentication error", nil)
	if r := e.do(creds, "PATCH", "/mediator/v1/accounts/"+acct, "application/json", "{}"); r.status != 405 {
		t.Errorf("accounts are read-only: %d", r.status)
	}

	dids := medBody(t, e.get(creds, "/mediator/v1/dids"), 200)
	l := items(t, dids)
	if len(l) != 3 {
		t.Fatalf("numbers %v", dids)
	}
	want := []string{"account_sid", "country_code", "did_sid", "in_country_format", "international_format", "phonenumber"}
	if got := epKeys(l[0]); !slices.Equal(got, want) {
		t.Errorf("DID keys %v, want %v", got, want)
	}
	d := medBody(t, e.get(creds, "/mediator/v1/dids/"+l[0]["did_sid"].(string)), 200)
	if d["phonenumber"] != l[0]["phonenumber"] || d["account_sid"] != acct {
		t.Errorf("DID %v", d)
	}

	// Deleting the endpoint removes the account and its objects.
	medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", `{"destination_did":"15162065338"}`), 200)
	if r := e.do(demo, "DELETE", "/core/v2/endpoints/"+ep["endpoint_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete endpoint: %d %s", r.status, r.body)
	}
	medError(t, e.get(creds, "/mediator/v1/accounts"), 401, "authentication error", nil)
	e.s.mu.Lock()
	for _, name := range []string{medAccountsTable, medDIDsTable, medBindingsTable, medDialoutsTable, medStatesTable} {
		for _, rec := range e.s.table(name).recs {
			if rec.owner == acct {
				t.Errorf("%s keeps %s", name, rec.sid)
			}
		}
	}
	e.s.mu.Unlock()
	// Its numbers are free for the next account.
	_, creds2, _ := fmEndpoint(t, e.testEnv, demo, "mediator", "Again")
	if got := fmNumbers(t, items(t, medBody(t, e.get(creds2, "/mediator/v1/dids"), 200))); !slices.Equal(got, fmNumbers(t, l)) {
		t.Errorf("next account's numbers %v, want %v", got, fmNumbers(t, l))
	}
}

func TestMediatorBindingsTakeFreeRedirectNumbers(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	_, creds, acct := fmEndpoint(t, e.testEnv, demo, "mediator", "Forwarding")
	nums := fmNumbers(t, items(t, medBody(t, e.get(creds, "/mediator/v1/dids"), 200)))
	if len(nums) != 3 {
		t.Fatalf("numbers %v", nums)
	}
	bind := func(query string, body any) map[string]any {
		t.Helper()
		return medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings"+query, body), 200)
	}

	// §9 ex. 18.
	b1 := bind("", `{"destination_did":"15162065338","attributes":{"ringback":"moh"}}`)
	want := []string{"account_sid", "attributes", "binding_sid", "date_created", "destination_did", "dtmf", "maximum_ttl",
		"name", "origination_did", "redirect_did", "redirect_did_info", "wait_origination_did_ttl"}
	if got := epKeys(b1); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	info := b1["redirect_did_info"].(map[string]any)
	if b1["account_sid"] != acct || b1["redirect_did"] != nums[0] || b1["maximum_ttl"] != float64(-1) ||
		b1["wait_origination_did_ttl"] != float64(300) || b1["name"] != "N/A" || b1["origination_did"] != nil ||
		b1["dtmf"] != nil || b1["attributes"].(map[string]any)["ringback"] != "moh" ||
		info["e164_format"] != "+"+nums[0] || info["phonenumber"] != nums[0] || info["country_code"] != "USA" ||
		info["international_format"] == nil || info["in_country_format"] == nil {
		t.Errorf("binding %v", b1)
	}

	// b1 forwards nums[0] for every caller, so the next bindings take the
	// next numbers, whatever their caller.
	b2 := bind("", map[string]any{"destination_did": "+15162065339", "origination_did": "+15550001111"})
	if b2["redirect_did"] != nums[1] || b2["destination_did"] != "15162065339" || b2["origination_did"] != "15550001111" {
		t.Errorf("second binding %v", b2)
	}
	// nums[1] is forwarded for one caller only: another caller may share it.
	b3 := bind("", map[string]any{"destination_did": "15162065340", "origination_did": "15550002222"})
	if b3["redirect_did"] != nums[1] {
		t.Errorf("third binding %v, want %s shared", b3["redirect_did"], nums[1])
	}
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings",
		map[string]any{"destination_did": "15162065341", "origination_did": "15550001111", "redirect_did": nums[1]}),
		409, "conflict error", "redirect_did")
	b4 := bind("", map[string]any{"destination_did": "15162065341"})
	if b4["redirect_did"] != nums[2] {
		t.Errorf("fourth binding %v", b4["redirect_did"])
	}
	// Every number is forwarded for every caller now.
	conflict := medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", `{"destination_did":"15162065342"}`),
		409, "conflict error", "redirect_did")
	if len(conflict) != 2 {
		t.Errorf("error body %v", conflict)
	}
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings?fallback_country=CAN", `{"destination_did":"15162065342"}`),
		409, "conflict error", "fallback_country")
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings?fallback_country=us", `{"destination_did":"15162065342"}`),
		400, "bad request", "fallback_country")
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", map[string]any{"destination_did": "15162065342", "redirect_did": "15550003333"}),
		422, "object validation error", "redirect_did")
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", map[string]any{"destination_did": "15162065342", "maximum_ttl": 0}),
		422, "object validation error", "maximum_ttl")
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", map[string]any{"destination_did": "15162065342", "dtmf": "12a"}),
		422, "object validation error", "dtmf")

	// reuse answers the existing binding.
	again := bind("?reuse=true", `{"destination_did":"15162065338"}`)
	if again["binding_sid"] != b1["binding_sid"] {
		t.Errorf("reuse %v, want %v", again["binding_sid"], b1["binding_sid"])
	}
	if l := items(t, medBody(t, e.get(creds, "/mediator/v1/bindings"), 200)); len(l) != 4 {
		t.Errorf("%d bindings", len(l))
	}

	// Deleting a binding frees its number; fallback_country picks in it.
	if r := e.do(creds, "DELETE", "/mediator/v1/bindings/"+b4["binding_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	medError(t, e.get(creds, "/mediator/v1/bindings/"+b4["binding_sid"].(string)), 404, "no item error", nil)
	b5 := bind("?fallback_country=USA", `{"destination_did":"15162065343"}`)
	if b5["redirect_did"] != nums[2] {
		t.Errorf("after delete %v", b5["redirect_did"])
	}

	// Updates: PATCH keeps the rest; a redirect number change is checked.
	sid := b2["binding_sid"].(string)
	got := medBody(t, e.sendJSON(creds, "PATCH", "/mediator/v1/bindings/"+sid, `{"maximum_ttl":3600,"dtmf":",,,,1357"}`), 200)
	if got["maximum_ttl"] != float64(3600) || got["dtmf"] != ",,,,1357" || got["destination_did"] != "15162065339" {
		t.Errorf("patched %v", got)
	}
	medError(t, e.sendJSON(creds, "PATCH", "/mediator/v1/bindings/"+sid, map[string]any{"redirect_did": nums[0]}), 409, "conflict error", "redirect_did")
	medError(t, e.sendJSON(creds, "PATCH", "/mediator/v1/bindings/"+sid, `{"redirect_did_info":{}}`), 422, "object validation error", "redirect_did_info")
	got["name"] = "campaign"
	delete(got, "dtmf")
	put := medBody(t, e.sendJSON(creds, "PUT", "/mediator/v1/bindings/"+sid, got), 200)
	if put["name"] != "campaign" || put["dtmf"] != nil || put["maximum_ttl"] != float64(3600) {
		t.Errorf("put %v", put)
	}

	// A binding with maximum_ttl expires on the clock.
	e.advance(3601 * time.Second)
	medError(t, e.get(creds, "/mediator/v1/bindings/"+sid), 404, "no item error", nil)

	// Another account sees none of them.
	_, other, _ := fmEndpoint(t, e.testEnv, basicAuth(e.s.OtherPartner()), "mediator", "Other")
	medError(t, e.get(other, "/mediator/v1/bindings/"+b1["binding_sid"].(string)), 404, "no item error", nil)
	if l := items(t, medBody(t, e.get(other, "/mediator/v1/bindings"), 200)); len(l) != 0 {
		t.Errorf("other account lists %v", l)
	}
	medError(t, e.sendJSON(other, "POST", "/mediator/v1/bindings", `{"destination_did":"15162065338"}`), 409, "conflict error", "redirect_did")
}

func TestMediatorCallThroughABindingLeavesARecord(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds, acct := fmEndpoint(t, e.testEnv, demo, "mediator", "Forwarding")
	anyone := medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", `{"destination_did":"15162065338","wait_origination_did_ttl":-1}`), 200)
	first := medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/bindings", `{"destination_did":"15162065339"}`), 200)

	e.s.CallBinding(acct, anyone["binding_sid"].(string), "+15550001111", 90*time.Second)
	recs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/mediator/calls?filter=binding_sid+eq+"+anyone["binding_sid"].(string))))
	if len(recs) != 1 {
		t.Fatalf("records %v", recs)
	}
	r := recs[0]
	if r["status"] != "completed" || r["number_src"] != "15550001111" || r["number_dst"] != "15162065338" ||
		r["number_redirect"] != anyone["redirect_did"] || r["endpoint_sid"] != ep["endpoint_sid"] || r["dialout_sid"] != nil ||
		fmt.Sprint(r["duration_billing"]) != "120" || r["date_stop"] != formatTS(fixedNow()) {
		t.Errorf("record %v", r)
	}
	legs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?filter=endpoint_sid_src+eq+"+ep["endpoint_sid"].(string))))
	in := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?filter=endpoint_sid_dst+eq+"+ep["endpoint_sid"].(string))))
	if len(legs) != 1 || legs[0]["number_dst"] != "15162065338" || len(in) != 1 || in[0]["number_dst"] != anyone["redirect_did"] {
		t.Errorf("leg records %v / %v", legs, in)
	}
	checkError(t, e.get(basicAuth(e.s.OtherPartner()), "/core/v2/calls/call_drs/"+legs[0]["dr_sid"].(string)), 404, "no item error", nil)

	// A binding waiting for its first caller takes it, then ignores others.
	e.s.CallBinding(acct, first["binding_sid"].(string), "15550002222", 0)
	got := medBody(t, e.get(creds, "/mediator/v1/bindings/"+first["binding_sid"].(string)), 200)
	if got["origination_did"] != "15550002222" {
		t.Errorf("first caller not bound: %v", got)
	}
	e.s.CallBinding(acct, first["binding_sid"].(string), "15550003333", time.Minute)
	recs = items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/mediator/calls?filter=binding_sid+eq+"+first["binding_sid"].(string))))
	if len(recs) != 1 || recs[0]["status"] != "no_answer" || recs[0]["number_src"] != "15550002222" {
		t.Errorf("records of the first-caller binding %v", recs)
	}
	// Unknown bindings and other accounts' bindings leave nothing.
	e.s.CallBinding("nope", first["binding_sid"].(string), "15550002222", time.Minute)
	e.s.CallBinding(acct, "nope", "15550002222", time.Minute)
	if n := len(items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/mediator/calls?filter=endpoint_sid+eq+"+ep["endpoint_sid"].(string))))); n != 2 {
		t.Errorf("%d records", n)
	}
}

func TestMediatorDialoutConnectsAndLeavesARecord(t *testing.T) {
	e := fmEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ep, creds, acct := fmEndpoint(t, e.testEnv, demo, "mediator", "Dialer")
	nums := fmNumbers(t, items(t, medBody(t, e.get(creds, "/mediator/v1/dids"), 200)))

	d := medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/dialouts", map[string]any{"stage_one_destination_did": "15162065339",
		"stage_two_destination_did": "15162065338", "redirect_did": nums[0], "attributes": map[string]any{"ringback": "false"}}), 200)
	want := []string{"account_sid", "attributes", "date_created", "delay", "dialout_sid", "redirect_did",
		"stage_one_destination_did", "stage_two_destination_did"}
	if got := epKeys(d); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	attrs := d["attributes"].(map[string]any)
	if d["account_sid"] != acct || d["delay"] != float64(0) || attrs["ringback"] != "false" || attrs["hide_origination_did"] != "true" {
		t.Errorf("dialout %v", d)
	}
	sid := d["dialout_sid"].(string)

	// Numbers are unique among live dialouts; the redirect number must be
	// the account's.
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/dialouts", map[string]any{"stage_one_destination_did": "15162065340",
		"stage_two_destination_did": "15162065341", "redirect_did": nums[0]}), 409, "conflict error", "redirect_did")
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/dialouts", map[string]any{"stage_one_destination_did": "15162065340",
		"stage_two_destination_did": "15162065341", "redirect_did": "15550009999"}), 422, "object validation error", "redirect_did")
	medError(t, e.sendJSON(creds, "POST", "/mediator/v1/dialouts", map[string]any{"stage_one_destination_did": "15162065340",
		"redirect_did": nums[1]}), 422, "object validation error", "stage_two_destination_did")

	// Dialing: the first leg rings, then the second; once both answer, the
	// dialout is gone and the bridged call talks.
	e.advance(time.Second)
	e.get(creds, "/mediator/v1/dialouts")
	medError(t, e.sendJSON(creds, "PATCH", "/mediator/v1/dialouts/"+sid, `{"stage_two_destination_did":"15162065342"}`),
		422, "object validation error", "stage_two_destination_did")
	e.advance(15 * time.Second)
	if l := items(t, medBody(t, e.get(creds, "/mediator/v1/dialouts"), 200)); len(l) != 0 {
		t.Fatalf("dialouts once bridged %v", l)
	}
	medError(t, e.get(creds, "/mediator/v1/dialouts/"+sid), 404, "no item error", nil)
	path := "/core/v2/app/mediator/calls?filter=dialout_sid+eq+" + sid
	if l := items(t, e.mustJSON(200, e.get(demo, path))); len(l) != 0 {
		t.Fatalf("record before the call ends %v", l)
	}
	e.advance(300 * time.Second)
	recs := items(t, e.mustJSON(200, e.get(demo, path)))
	if len(recs) != 1 {
		t.Fatalf("records %v", recs)
	}
	r := recs[0]
	if r["status"] != "completed" || r["binding_sid"] != nil || r["number_redirect"] != nums[0] || r["number_src"] != "15162065339" ||
		r["number_dst"] != "15162065338" || r["endpoint_sid"] != ep["endpoint_sid"] || r["date_start"] != formatTS(fixedNow()) {
		t.Errorf("record %v", r)
	}
	legs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?filter=endpoint_sid_src+eq+"+ep["endpoint_sid"].(string))))
	if len(legs) != 2 || legs[0]["number_dst"] == legs[1]["number_dst"] || legs[0]["sipcause"] != "200" || legs[0]["date_stop"] != r["date_stop"] {
		t.Errorf("leg records %v", legs)
	}
	if l := items(t, e.mustJSON(200, e.get(basicAuth(e.s.OtherPartner()), path))); len(l) != 0 {
		t.Errorf("the other partner sees %v", l)
	}

	// A refused second leg ends the dialout unanswered.
	busy := medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/dialouts", map[string]any{"stage_one_destination_did": "15162065339",
		"stage_two_destination_did": "15162065486", "redirect_did": nums[0]}), 200)["dialout_sid"].(string)
	e.advance(10 * time.Second)
	recs = items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/mediator/calls?filter=dialout_sid+eq+"+busy)))
	if len(recs) != 1 || recs[0]["status"] != "no_answer" {
		t.Errorf("refused dialout's record %v", recs)
	}

	// Scheduled: its delay may change until it dials; DELETE cancels it
	// without a record.
	later := medBody(t, e.sendJSON(creds, "POST", "/mediator/v1/dialouts", map[string]any{"stage_one_destination_did": "15162065339",
		"stage_two_destination_did": "15162065338", "redirect_did": nums[1], "delay": 600}), 200)["dialout_sid"].(string)
	got := medBody(t, e.sendJSON(creds, "PATCH", "/mediator/v1/dialouts/"+later, `{"delay":"1800"}`), 200)
	if got["delay"] != float64(1800) {
		t.Errorf("patched delay %v", got["delay"])
	}
	e.advance(900 * time.Second)
	medBody(t, e.get(creds, "/mediator/v1/dialouts/"+later), 200)
	if r := e.do(creds, "DELETE", "/mediator/v1/dialouts/"+later, "", ""); r.status != 204 {
		t.Fatalf("cancel: %d %s", r.status, r.body)
	}
	medError(t, e.get(creds, "/mediator/v1/dialouts/"+later), 404, "no item error", nil)
	if l := items(t, e.mustJSON(200, e.get(demo, "/core/v2/app/mediator/calls?filter=dialout_sid+eq+"+later))); len(l) != 0 {
		t.Errorf("cancelled dialout's record %v", l)
	}
}
