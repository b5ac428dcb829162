package sandbox

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"testing"
)

const partnersURL = "/core/v2/partners"

// partnerTestCreate creates a sub-partner of a with login and password and
// returns it and its Basic credentials.
func partnerTestCreate(e *testEnv, a auth, login string, extra string) (map[string]any, auth) {
	e.t.Helper()
	body := `{"login":"` + login + `","password":"pw-` + login + `","name":"` + login + ` Inc."` + extra + `}`
	p := e.mustJSON(200, e.sendJSON(a, "POST", partnersURL, body))
	return p, auth("basic:" + login + ":pw-" + login)
}

func partnerTestSIDs(t *testing.T, m map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range items(t, m) {
		out = append(out, it["partner_sid"].(string))
	}
	sort.Strings(out)
	return out
}

func partnerTestToken(e *testEnv, a auth, sid string) resp {
	e.t.Helper()
	form := url.Values{"client_id": {"5c7965f285344165b003ce1a3202e589"}, "client_secret": {"s3cret"}}
	return e.do(a, "POST", "/core/v2/oauth/token/"+sid, "application/x-www-form-urlencoded", form.Encode())
}

func TestPartnersCreateMatchesTheSample(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	// CarrierX's create sample, body as documented.
	p := e.mustJSON(200, e.sendJSON(basicAuth(demo), "POST", partnersURL,
		`{"login":"john", "password":"sample_password", "name":"John Smith", "company_name": "ABC", "parent_sid":"",
		  "country_code":"USA", "zip":"90804", "owner_email": "johnsmith@carriex.com", "payment_type": "postpay",
		  "phonenumber": "180045012323", "charge_at": 20, "prepay_amount": "100"}`))
	want := "acls,address1,address2,attributes,available_scopes,balance,billing_email,callbacks,charge_at,city," +
		"company_name,country_code,daily_spending_limit,daily_spent_amount,date_created,display_id,login,name," +
		"owner_email,parent_assigned_acls,parent_sid,partner_sid,payment_type,phonenumber,prepay_amount," +
		"spending_limit,state,status,tech_email,transformations,zip"
	if got := shortKeyList(p); got != want {
		t.Fatalf("keys %s, want %s", got, want)
	}
	if p["parent_sid"] != demo.PartnerSID || p["login"] != "john" || p["payment_type"] != "postpay" ||
		p["charge_at"] != nil || p["prepay_amount"] != nil || p["daily_spending_limit"] != "500" ||
		p["spending_limit"] != "100" || p["balance"] != "0" || p["status"] != "active" ||
		p["date_created"] != formatTS(fixedNow()) || !strings.HasPrefix(p["display_id"].(string), "CX") {
		t.Fatalf("created partner: %s", compactJSON(t, p))
	}
	// The new partner logs in with its password; the answer never shows it.
	who := e.mustJSON(200, e.get(auth("basic:john:sample_password"), "/core/v2/oauth/whoami"))
	if who["partner_sid"] != p["partner_sid"] {
		t.Fatalf("whoami %v", who["partner_sid"])
	}
	if _, ok := who["password"]; ok {
		t.Fatal("the password is answered")
	}
}

func TestPartnersSeeThemselvesAndTheirSubPartnersOnly(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	demoSID, otherSID := e.s.DemoPartner().PartnerSID, e.s.OtherPartner().PartnerSID

	child, childAuth := partnerTestCreate(e, demo, "child", "")
	grand, grandAuth := partnerTestCreate(e, childAuth, "grand", "")
	if grand["parent_sid"] != child["partner_sid"] {
		t.Fatalf("grand's parent %v", grand["parent_sid"])
	}
	childSID, grandSID := child["partner_sid"].(string), grand["partner_sid"].(string)

	wantSet := func(sids ...string) string { sort.Strings(sids); return strings.Join(sids, ",") }
	list := e.mustJSON(200, e.get(demo, partnersURL))
	if got := strings.Join(partnerTestSIDs(t, list), ","); got != wantSet(demoSID, childSID, grandSID) || list["total"] != float64(3) {
		t.Fatalf("demo lists %s (total %v)", got, list["total"])
	}
	list = e.mustJSON(200, e.get(childAuth, partnersURL))
	if got := strings.Join(partnerTestSIDs(t, list), ","); got != wantSet(childSID, grandSID) {
		t.Fatalf("child lists %s", got)
	}
	list = e.mustJSON(200, e.get(other, partnersURL))
	if got := strings.Join(partnerTestSIDs(t, list), ","); got != otherSID {
		t.Fatalf("other lists %s", got)
	}
	list = e.mustJSON(200, e.get(demo, partnersURL+"?filter="+url.QueryEscape("parent_sid eq "+childSID)))
	if got := strings.Join(partnerTestSIDs(t, list), ","); got != grandSID {
		t.Fatalf("filter on parent_sid: %s", got)
	}

	e.mustJSON(200, e.get(demo, partnersURL+"/"+grandSID))
	for _, c := range []struct {
		a   auth
		sid string
	}{{childAuth, demoSID}, {grandAuth, childSID}, {other, childSID}, {demo, otherSID}, {childAuth, otherSID}} {
		checkError(t, e.get(c.a, partnersURL+"/"+c.sid), 404, "no item error", nil)
	}
}

func TestSubPartnerTokens(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	child, childAuth := partnerTestCreate(e, demo, "child", "")
	grand, _ := partnerTestCreate(e, childAuth, "grand", "")
	childSID := child["partner_sid"].(string)

	tok := e.mustJSON(200, partnerTestToken(e, demo, childSID))
	if tok["partner_sid"] != childSID || tok["token_type"] != "bearer" || tok["client_id"] != "5c7965f285344165b003ce1a3202e589" {
		t.Fatalf("sub-partner token: %s", compactJSON(t, tok))
	}
	childTok := bearer(tok["access_token"].(string))
	who := e.mustJSON(200, e.get(childTok, "/core/v2/oauth/whoami"))
	if who["partner_sid"] != childSID {
		t.Fatalf("the token authenticates as %v", who["partner_sid"])
	}
	// The token is the child's: the parent's token list does not show it.
	for _, it := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/oauth/tokens?limit=1000"))) {
		if it["token_sid"] == tok["token_sid"] {
			t.Fatal("the parent lists the sub-partner's token")
		}
	}
	// The child sees its own objects only.
	dids := e.mustJSON(200, e.get(childTok, "/core/v2/phonenumber/dids"))
	if dids["total"] != float64(0) {
		t.Fatalf("the new sub-partner sees %v DIDs", dids["total"])
	}
	rented := e.mustJSON(200, e.sendJSON(childTok, "POST", "/core/v2/phonenumber/dids", `{}`))
	if rented["partner_sid"] != childSID {
		t.Fatalf("rented for %v", rented["partner_sid"])
	}
	checkError(t, e.get(demo, "/core/v2/phonenumber/dids/"+rented["did_sid"].(string)), 404, "no item error", nil)

	// A grandchild is a sub-partner too; the caller itself, its parent and
	// partners outside its sub-tree are not.
	e.mustJSON(200, partnerTestToken(e, demo, grand["partner_sid"].(string)))
	checkError(t, partnerTestToken(e, demo, e.s.DemoPartner().PartnerSID), 403, "forbidden", "partner_sid")
	checkError(t, partnerTestToken(e, demo, e.s.OtherPartner().PartnerSID), 404, "no item error", nil)
	checkError(t, partnerTestToken(e, childTok, e.s.DemoPartner().PartnerSID), 404, "no item error", nil)
	checkError(t, partnerTestToken(e, demo, "00000000-0000-4000-8000-000000000000"), 404, "no item error", nil)
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/oauth/token/"+childSID, `{}`), 415, "unsupported media type", nil)
	r := e.do(demo, "POST", "/core/v2/oauth/token/"+childSID, "application/x-www-form-urlencoded", "scopes=billing.everything")
	checkError(t, r, 422, "object validation error", "scopes")
	r = e.do(demo, "POST", "/core/v2/oauth/token/"+childSID, "application/x-www-form-urlencoded", "scopes=sms.manage&name=narrow")
	narrow := e.mustJSON(200, r)
	if compactJSON(t, narrow["scopes"]) != `["sms.manage"]` || narrow["name"] != "narrow" {
		t.Fatalf("narrow token: %s", compactJSON(t, narrow))
	}
}

func TestPartnersReadOnlyAndValidation(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	child, childAuth := partnerTestCreate(e, demo, "child", "")
	childURL := partnersURL + "/" + child["partner_sid"].(string)

	for _, body := range []string{`{"balance":"1000"}`, `{"status":"suspended"}`, `{"display_id":"CX1"}`,
		`{"available_scopes":[]}`, `{"login":"renamed"}`, `{"payment_type":"postpay"}`, `{"date_created":"2020-01-01T00:00:00.000Z"}`} {
		r := e.sendJSON(demo, "PATCH", childURL, body)
		if r.status != 422 {
			t.Errorf("PATCH %s: status %d, want 422", body, r.status)
		}
	}
	// Echoing read-only values back (a read-modify-write) is accepted.
	got := e.mustJSON(200, e.sendJSON(demo, "PATCH", childURL,
		`{"balance":"0","status":"active","login":"child","company_name":"Child Co"}`))
	if got["company_name"] != "Child Co" {
		t.Fatalf("patched: %v", got["company_name"])
	}

	for _, c := range []struct{ body, field string }{
		{`{"password":"x"}`, "login"},
		{`{"login":"demo","password":"x"}`, "login"},
		{`{"login":"x1","password":"x","parent_sid":"` + e.s.OtherPartner().PartnerSID + `"}`, "parent_sid"},
		{`{"login":"x2","password":"x","owner_email":"not an address"}`, "owner_email"},
		{`{"login":"x3","password":"x","country_code":"USA","state":"ZZ"}`, "state"},
		{`{"login":"x4","password":"x","callbacks":{"fax":"https://example.com/"}}`, "callbacks"},
		{`{"login":"x5","password":"x","nickname":"x"}`, "nickname"},
		{`{"login":"x6","password":"x","acls":[{"direction":"outbound"}]}`, "acls"},
		{`{"login":"x 7","password":"x"}`, "login"},
	} {
		checkError(t, e.sendJSON(demo, "POST", partnersURL, c.body), 422, "object validation error", c.field)
	}

	// acls are the partner's own, parent_assigned_acls the parent's.
	acl := `[{"access_control_rules":[],"direction":"outbound","sms_action_false":null,"sms_action_true":null,"voice_action_false":null,"voice_action_true":"reject403"}]`
	checkError(t, e.sendJSON(demo, "PATCH", childURL, `{"acls":`+acl+`}`), 422, "object validation error", "acls")
	e.mustJSON(200, e.sendJSON(childAuth, "PATCH", childURL, `{"acls":`+acl+`}`))
	checkError(t, e.sendJSON(childAuth, "PATCH", childURL, `{"parent_assigned_acls":`+acl+`}`), 422, "object validation error", "parent_assigned_acls")
	got = e.mustJSON(200, e.sendJSON(demo, "PATCH", childURL, `{"parent_assigned_acls":`+acl+`}`))
	if compactJSON(t, got["acls"]) != compactJSON(t, got["parent_assigned_acls"]) {
		t.Fatalf("acls %v / parent_assigned_acls %v", got["acls"], got["parent_assigned_acls"])
	}
	// A PUT by the parent keeps the child's own acls; one by the child keeps
	// the parent's.
	got = e.mustJSON(200, e.sendJSON(demo, "PUT", childURL, `{"name":"Replaced","parent_assigned_acls":`+acl+`}`))
	if got["name"] != "Replaced" || got["company_name"] != nil || len(got["acls"].([]any)) != 1 {
		t.Fatalf("PUT by the parent: %s", compactJSON(t, got))
	}
	got = e.mustJSON(200, e.sendJSON(childAuth, "PUT", childURL, `{"name":"Mine"}`))
	if got["name"] != "Mine" || len(got["parent_assigned_acls"].([]any)) != 1 || len(got["acls"].([]any)) != 0 {
		t.Fatalf("PUT by the child: %s", compactJSON(t, got))
	}

	// The parent changes the child's password.
	e.mustJSON(200, e.sendJSON(demo, "PATCH", childURL, `{"password":"fresh"}`))
	checkError(t, e.get(childAuth, "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	e.mustJSON(200, e.get(auth("basic:child:fresh"), "/core/v2/oauth/whoami"))
	// A failed update keeps the password.
	checkError(t, e.sendJSON(demo, "PATCH", childURL, `{"password":"other","balance":"5"}`), 422, "object validation error", "balance")
	e.mustJSON(200, e.get(auth("basic:child:fresh"), "/core/v2/oauth/whoami"))

	// Another partner cannot change it.
	checkError(t, e.sendJSON(basicAuth(e.s.OtherPartner()), "PATCH", childURL, `{"name":"x"}`), 404, "no item error", nil)
}

func TestPartnersDeleteRefusesLiveObjects(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	child, childAuth := partnerTestCreate(e, demo, "child", "")
	grand, grandAuth := partnerTestCreate(e, childAuth, "grand", "")
	childURL := partnersURL + "/" + child["partner_sid"].(string)
	grandURL := partnersURL + "/" + grand["partner_sid"].(string)

	m := checkError(t, e.do(demo, "DELETE", childURL, "", ""), 409, "conflict error", "partner_sid")
	if ref := m["errors"].([]any)[0].(map[string]any)["reference_sid"]; ref != grand["partner_sid"] {
		t.Fatalf("reference_sid %v", ref)
	}
	did := e.mustJSON(200, e.sendJSON(grandAuth, "POST", "/core/v2/phonenumber/dids", `{}`))
	checkError(t, e.do(demo, "DELETE", grandURL, "", ""), 409, "conflict error", "partner_sid")
	if r := e.do(grandAuth, "DELETE", "/core/v2/phonenumber/dids/"+did["did_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("release: %d %s", r.status, r.body)
	}
	tok := e.mustJSON(200, partnerTestToken(e, demo, grand["partner_sid"].(string)))

	checkError(t, e.do(childAuth, "DELETE", childURL, "", ""), 403, "forbidden", "partner_sid")
	checkError(t, e.do(basicAuth(e.s.OtherPartner()), "DELETE", grandURL, "", ""), 404, "no item error", nil)
	if r := e.do(childAuth, "DELETE", grandURL, "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	checkError(t, e.get(demo, grandURL), 404, "no item error", nil)
	checkError(t, e.get(grandAuth, "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	checkError(t, e.get(bearer(tok["access_token"].(string)), "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	// The login is free again.
	partnerTestCreate(e, childAuth, "grand", "")
}

func TestBillingMethod(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	child, _ := partnerTestCreate(e, demo, "child", "")
	bmURL := partnersURL + "/" + child["partner_sid"].(string) + "/billing_method"

	checkError(t, e.get(demo, bmURL), 404, "no item error", nil)
	// CarrierX's register sample.
	sample := `{"type":"visa", "cc_number":"4012888818888", "cc_expiration":"022019", "cc_cid":"318", "first_name":"John",
		"last_name":"Smith", "address1":"4300 E Pacific Coast Hwy", "address2":"Suite 1", "city":"Los Angeles", "state":"CA",
		"zip":"90804", "country_code":"USA", "phone":"15162065574"}`
	bm := e.mustJSON(200, e.sendJSON(demo, "POST", bmURL, sample))
	if bm["cc_number"] != "8888" || bm["type"] != "visa" || bm["cc_expiration"] != "022019" || bm["first_name"] != "John" {
		t.Fatalf("billing method: %s", compactJSON(t, bm))
	}
	if _, ok := bm["cc_cid"]; ok {
		t.Fatal("cc_cid is answered")
	}
	if strings.Contains(string(e.get(demo, bmURL).body), "4012888818888") {
		t.Fatal("the full card number is answered")
	}
	if got := e.mustJSON(200, e.get(demo, bmURL)); compactJSON(t, got) != compactJSON(t, bm) {
		t.Fatalf("GET %s, POST answered %s", compactJSON(t, got), compactJSON(t, bm))
	}

	for _, c := range []struct{ body, field string }{
		{strings.Replace(sample, "4012888818888", "4012888818889", 1), "cc_number"},
		{strings.Replace(sample, `"cc_cid":"318", `, "", 1), "cc_cid"},
		{strings.Replace(sample, `"022019"`, `"132019"`, 1), "cc_expiration"},
		{strings.Replace(sample, `"visa"`, `"bitcoin"`, 1), "type"},
		{strings.Replace(sample, `"CA"`, `"QQ"`, 1), "state"},
		{`{"type":"electronic_check","first_name":"J","last_name":"S","phone":"15162065574","country_code":"USA","zip":"90804","address1":"1 Main St","city":"LA","ec_routing_number":"021000021"}`, "ec_account_number"},
	} {
		checkError(t, e.sendJSON(demo, "POST", bmURL, c.body), 422, "object validation error", c.field)
	}
	// Registering again replaces it; the account number is masked too.
	ec := e.mustJSON(200, e.sendJSON(demo, "POST", bmURL,
		`{"type":"electronic_check","first_name":"J","last_name":"S","phone":"15162065574","country_code":"USA","zip":"90804","address1":"1 Main St","city":"LA","ec_routing_number":"021000021","ec_account_number":"123456789012"}`))
	if ec["ec_account_number"] != "9012" || ec["cc_number"] != nil || ec["ec_routing_number"] != "021000021" {
		t.Fatalf("electronic check: %s", compactJSON(t, ec))
	}

	checkError(t, e.get(basicAuth(e.s.OtherPartner()), bmURL), 404, "no item error", nil)
	if r := e.do(demo, "DELETE", bmURL, "", ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	checkError(t, e.get(demo, bmURL), 404, "no item error", nil)
	checkError(t, e.do(demo, "DELETE", bmURL, "", ""), 404, "no item error", nil)
}

func TestEffectiveRates(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	demoSID := e.s.DemoPartner().PartnerSID
	r := e.get(demo, partnersURL+"/"+demoSID+"/effective_rates")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var rates []map[string]any
	if err := json.Unmarshal(r.body, &rates); err != nil {
		t.Fatalf("not an array: %v: %s", err, r.body)
	}
	if len(rates) != len(partnerRatePlans) {
		t.Fatalf("%d effective rates", len(rates))
	}
	for _, rt := range rates {
		a, p := rt["assignment"].(map[string]any), rt["plan"].(map[string]any)
		if shortKeyList(a) != "active,assignment_sid,direction,effective_date,endpoint_sid,partner_sid,plan_name,plan_sid,sub_type,type" ||
			shortKeyList(p) != "date_created,name,owner_sid,plan_sid,type" {
			t.Fatalf("shape: %s", compactJSON(t, rt))
		}
		if a["partner_sid"] != demoSID || a["active"] != "yes" || a["plan_sid"] != p["plan_sid"] || a["plan_name"] != p["name"] || rt["inherited"] != false {
			t.Fatalf("rate: %s", compactJSON(t, rt))
		}
	}
	child, _ := partnerTestCreate(e, demo, "child", "")
	r = e.get(demo, partnersURL+"/"+child["partner_sid"].(string)+"/effective_rates?exclude_fields=plan")
	var inherited []map[string]any
	if err := json.Unmarshal(r.body, &inherited); err != nil || len(inherited) != len(rates) {
		t.Fatalf("sub-partner rates: %v %s", err, r.body)
	}
	for i, rt := range inherited {
		if _, ok := rt["plan"]; ok || rt["inherited"] != true ||
			rt["assignment"].(map[string]any)["plan_sid"] != rates[i]["assignment"].(map[string]any)["plan_sid"] {
			t.Fatalf("inherited rate: %s", compactJSON(t, rt))
		}
	}
	checkError(t, e.get(demo, partnersURL+"/"+e.s.OtherPartner().PartnerSID+"/effective_rates"), 404, "no item error", nil)
}
