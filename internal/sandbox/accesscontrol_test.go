package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

func createRule(e *testEnv, a auth, body string) map[string]any {
	e.t.Helper()
	return e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/accesscontrol/rules", body))
}

// setPartnerACLs stores acl lists on a partner as a partner update would.
func setPartnerACLs(e *testEnv, sid string, acls, parentAssigned []any) {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	p := e.s.partners.get(sid)
	o := cloneObject(p.obj)
	o["acls"], o["parent_assigned_acls"] = acls, parentAssigned
	p.set(o)
}

func TestAccessControlRuleShapeAndErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	r := createRule(e, demo, `{"field":"to","quantifier":"any","entries":["1800","1615"],"operation":"prefix"}`)
	want := []string{"entries", "field", "name", "operation", "quantifier", "read_only", "rule_sid"}
	if got := strings.Join(sortedKeys(r), ","); got != strings.Join(want, ",") {
		t.Fatalf("rule keys %s, want %s", got, strings.Join(want, ","))
	}
	if r["name"] != "N/A" || r["read_only"] != false {
		t.Fatalf("defaults: %v", r)
	}
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/accesscontrol/rules", `{"field":"to"}`), 422, "object validation error", "entries")
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/accesscontrol/rules",
		`{"field":"pin","quantifier":"any","entries":["1"],"operation":"prefix"}`), 422, "object validation error", "field")
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/accesscontrol/rules",
		`{"field":"to","quantifier":"any","entries":[],"operation":"prefix"}`), 422, "object validation error", "entries")
	sid := r["rule_sid"].(string)
	checkError(t, e.sendJSON(demo, "PATCH", "/core/v2/accesscontrol/rules/"+sid, `{"read_only":true}`), 422, "object validation error", "read_only")
	checkError(t, e.sendJSON(demo, "PATCH", "/core/v2/accesscontrol/rules/"+sid, `{"operation":"regexp","entries":["(["]}`), 422, "object validation error", "entries")
	got := e.mustJSON(200, e.sendJSON(demo, "PUT", "/core/v2/accesscontrol/rules/"+sid, `{"entries":["^1800"],"operation":"regexp"}`))
	if got["name"] != "N/A" || got["field"] != "to" || got["quantifier"] != "any" {
		t.Fatalf("PUT resets name and keeps required fields: %v", got)
	}
	other := basicAuth(e.s.OtherPartner())
	checkError(t, e.get(other, "/core/v2/accesscontrol/rules/"+sid), 404, "no item error", nil)
	checkError(t, e.do(other, "DELETE", "/core/v2/accesscontrol/rules/"+sid, "", ""), 404, "no item error", nil)
	if r := e.do(demo, "DELETE", "/core/v2/accesscontrol/rules/"+sid, "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
}

func TestAccessControlParentRulesAreReadOnly(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	rule := createRule(e, basicAuth(demo), `{"field":"called","quantifier":"any","entries":["1900"],"operation":"prefix"}`)
	sid := rule["rule_sid"].(string)

	e.s.mu.Lock()
	sub := e.s.addPartner(partnerSeed{login: "sub", password: "subpw", name: "Sub", balance: "0"})
	o := cloneObject(sub.obj)
	o["parent_sid"] = demo.PartnerSID
	sub.set(o)
	e.s.mu.Unlock()
	subAuth := auth("basic:sub:subpw")

	got := e.mustJSON(200, e.get(subAuth, "/core/v2/accesscontrol/rules/"+sid))
	if got["read_only"] != true {
		t.Fatalf("the parent's rule is read-only for the sub-partner: %v", got)
	}
	list := e.mustJSON(200, e.get(subAuth, "/core/v2/accesscontrol/rules?filter="+url.QueryEscape("read_only eq true")))
	if n := len(items(t, list)); n != 1 {
		t.Fatalf("filter on read_only: %d items", n)
	}
	checkError(t, e.sendJSON(subAuth, "PATCH", "/core/v2/accesscontrol/rules/"+sid, `{"name":"x"}`), 403, "forbidden", "read_only")
	checkError(t, e.do(subAuth, "DELETE", "/core/v2/accesscontrol/rules/"+sid, "", ""), 403, "forbidden", "read_only")
	own := e.mustJSON(200, e.get(basicAuth(demo), "/core/v2/accesscontrol/rules/"+sid))
	if own["read_only"] != false {
		t.Fatalf("the owner sees its rule writable: %v", own)
	}

	// The parent looks up the sub-partner's effective ACLs; the parent's
	// assignment is the top layer.
	acl := map[string]any{"access_control_rules": []any{sid}, "direction": "outbound", "voice_action_true": "reject403"}
	setPartnerACLs(e, sub.sid, []any{}, []any{acl})
	m := e.mustJSON(200, e.get(basicAuth(demo), "/core/v2/accesscontrol/effective_acl/calls?partner_sid="+sub.sid))
	its := items(t, m)
	if len(its) != 1 || its[0]["layer"] != float64(1) {
		t.Fatalf("layers %v", its)
	}
	checkError(t, e.get(subAuth, "/core/v2/accesscontrol/effective_acl/calls?partner_sid="+demo.PartnerSID), 404, "no item error", nil)
	checkError(t, e.do(basicAuth(demo), "DELETE", "/core/v2/accesscontrol/rules/"+sid, "", ""), 409, "conflict error", "rule_sid")
}

func TestEffectiveACLLayers(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	a := basicAuth(demo)
	r1 := createRule(e, a, `{"field":"to","quantifier":"any","entries":["1800"],"operation":"prefix"}`)["rule_sid"].(string)
	r2 := createRule(e, a, `{"field":"called","quantifier":"none","entries":["1900"],"operation":"prefix"}`)["rule_sid"].(string)

	smsACL := map[string]any{"access_control_rules": []any{r1}, "direction": "outbound", "sms_action_true": "reject"}
	voiceAny := map[string]any{"access_control_rules": []any{r2, "no-such-rule"}, "direction": "any", "voice_action_false": "reject503"}
	setPartnerACLs(e, demo.PartnerSID, []any{smsACL, voiceAny}, []any{})

	g := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/trunk_groups", map[string]any{
		"name":   "acl",
		"acls":   []any{map[string]any{"access_control_rules": []any{r2}, "direction": "inbound", "voice_action_true": "accept"}},
		"trunks": []any{map[string]any{"name": "t1", "acls": []any{map[string]any{"access_control_rules": []any{r1}, "direction": "undirected", "voice_action_true": "reject403"}}}},
	}))
	gsid := g["trunk_group_sid"].(string)
	trunks := e.mustJSON(200, e.get(a, "/core/v2/trunk_groups/"+gsid+"/trunks"))
	tsid := items(t, trunks)[0]["trunk_sid"].(string)

	// SMS: the partner's SMS ACL only, as one layer with every ACL key.
	m := e.mustJSON(200, e.get(a, "/core/v2/accesscontrol/effective_acl/sms"))
	its := items(t, m)
	if len(its) != 1 || m["total"] != float64(1) {
		t.Fatalf("sms layers: %s", compactJSON(t, m))
	}
	want := `[{"access_control_rules":["` + r1 + `"],"direction":"outbound","sms_action_false":null,"sms_action_true":"reject","voice_action_false":null,"voice_action_true":null}]`
	if got := compactJSON(t, its[0]["effective_acls"]); got != want {
		t.Fatalf("sms ACLs %s, want %s", got, want)
	}
	checkError(t, e.get(a, "/core/v2/accesscontrol/effective_acl/sms?trunk_group_sid="+gsid), 400, "bad request", "trunk_group_sid")

	// Calls through a trunk: partner, group and trunk layers, top first;
	// unknown rule SIDs are left out.
	m = e.mustJSON(200, e.get(a, "/core/v2/accesscontrol/effective_acl/calls?trunk_sid="+tsid))
	its = items(t, m)
	if len(its) != 3 {
		t.Fatalf("call layers: %s", compactJSON(t, m))
	}
	firstRules := its[0]["effective_acls"].([]any)[0].(map[string]any)["access_control_rules"]
	if compactJSON(t, firstRules) != `["`+r2+`"]` {
		t.Fatalf("partner layer rules %v", firstRules)
	}
	for i, l := range its {
		if l["layer"] != float64(i+1) {
			t.Fatalf("layer %d numbered %v", i, l["layer"])
		}
	}
	// direction=outbound keeps only the "any" ACL of the partner.
	m = e.mustJSON(200, e.get(a, "/core/v2/accesscontrol/effective_acl/calls?direction=outbound&trunk_group_sid="+gsid+"&trunk_sid="+tsid))
	if n := len(items(t, m)); n != 1 {
		t.Fatalf("outbound call layers: %s", compactJSON(t, m))
	}
	// Paging and field filtering.
	m = e.mustJSON(200, e.get(a, "/core/v2/accesscontrol/effective_acl/calls?trunk_sid="+tsid+"&limit=1&offset=1&exclude_fields=effective_acls"))
	its = items(t, m)
	if len(its) != 1 || compactJSON(t, its[0]) != `{"layer":2}` || m["has_more"] != true {
		t.Fatalf("page: %s", compactJSON(t, m))
	}
	other := e.s.OtherPartner()
	checkError(t, e.get(a, "/core/v2/accesscontrol/effective_acl/calls?trunk_group_sid="+gsid+"&trunk_sid=nope"), 404, "no item error", nil)
	checkError(t, e.get(basicAuth(other), "/core/v2/accesscontrol/effective_acl/calls?trunk_sid="+tsid), 404, "no item error", nil)
	checkError(t, e.get(a, "/core/v2/accesscontrol/effective_acl/calls?direction=up"), 400, "bad request", "direction")
}

func TestPartnerLogins(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	a := basicAuth(demo)
	l := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/oauth/logins",
		`{"login":"demo_portal","password":"myStrongPassword123","token_scopes":["partners.manage","sms.manage"]}`))
	if got := strings.Join(sortedKeys(l), ","); got != "login,login_sid,partner_sid,token_scopes" {
		t.Fatalf("login keys %s", got)
	}
	sid := l["login_sid"].(string)
	if r := e.get(a, "/core/v2/oauth/logins?include_fields=password,login"); strings.Contains(string(r.body), "myStrongPassword123") || r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}

	// The sub-login signs in: Basic, and tokens with its scopes.
	sub := auth("basic:demo_portal:myStrongPassword123")
	me := e.mustJSON(200, e.get(sub, "/core/v2/oauth/whoami"))
	if me["partner_sid"] != demo.PartnerSID {
		t.Fatalf("whoami %v", me["partner_sid"])
	}
	form := url.Values{"grant_type": {"password"}, "username": {"demo_portal"}, "password": {"myStrongPassword123"}, "scopes": {"sms.manage"}}
	tok := e.mustJSON(200, e.do("", "POST", "/core/v2/oauth/token", "application/x-www-form-urlencoded", form.Encode()))
	if compactJSON(t, tok["scopes"]) != `["sms.manage"]` {
		t.Fatalf("requested scopes %v", tok["scopes"])
	}
	form.Set("scopes", "oauth.manage")
	checkError(t, e.do("", "POST", "/core/v2/oauth/token", "application/x-www-form-urlencoded", form.Encode()), 422, "object validation error", "scopes")
	form.Set("password", "wrong")
	checkError(t, e.do("", "POST", "/core/v2/oauth/token", "application/x-www-form-urlencoded", form.Encode()), 401, "authentication error", nil)
	if e.token(demo) == "" { // the partner's own login still works
		t.Fatal("no token")
	}

	// Only the password changes; logins are the partner's own.
	checkError(t, e.sendJSON(a, "PATCH", "/core/v2/oauth/logins/"+sid, `{"login":"demo_other"}`), 422, "object validation error", "login")
	checkError(t, e.sendJSON(a, "PATCH", "/core/v2/oauth/logins/"+sid, `{"password":""}`), 422, "object validation error", "password")
	checkError(t, e.sendJSON(a, "PATCH", "/core/v2/oauth/logins/"+sid, `{"password":7}`), 422, "object validation error", "password")
	e.mustJSON(200, e.get(sub, "/core/v2/oauth/whoami")) // failed updates keep the password
	checkError(t, e.sendJSON(a, "POST", "/core/v2/oauth/logins", `{"login":"demo","password":"x","token_scopes":[]}`), 422, "object validation error", "login")
	checkError(t, e.sendJSON(a, "POST", "/core/v2/oauth/logins", `{"login":"demo_x","password":"x","token_scopes":["no.scope"]}`), 422, "object validation error", "token_scopes")
	other := basicAuth(e.s.OtherPartner())
	checkError(t, e.get(other, "/core/v2/oauth/logins/"+sid), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "PATCH", "/core/v2/oauth/logins/"+sid, `{"password":"mine"}`), 404, "no item error", nil)
	if r := e.get(other, "/core/v2/oauth/logins"); strings.Contains(string(r.body), sid) {
		t.Fatalf("another partner lists the login: %s", r.body)
	}

	if r := e.do(a, "DELETE", "/core/v2/oauth/logins/"+sid, "", ""); r.status != 204 {
		t.Fatalf("delete %d %s", r.status, r.body)
	}
	checkError(t, e.get(sub, "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	e.mustJSON(200, e.get(a, "/core/v2/oauth/whoami"))
}

func sortedKeys(m map[string]any) []string {
	ks := keysOf(m)
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}
