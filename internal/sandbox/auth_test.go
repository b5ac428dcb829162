package sandbox

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func tokenForm(login, pw string, extra ...string) string {
	v := url.Values{"grant_type": {"password"}, "username": {login}, "password": {pw}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v.Encode()
}

func TestAuthRequired(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	for _, a := range []auth{"", "basic:demo:wrong", "basic:nobody:demo", "bearer:not-a-token", "bearer:"} {
		for _, path := range []string{"/core/v2/phonenumber/dids", "/core/v2/oauth/whoami", "/core/v2/trunk_groups"} {
			m := checkError(t, e.get(a, path), 401, "authentication error", nil)
			if m["errors"].([]any)[0].(map[string]any)["message"] != "bad credentials" {
				t.Errorf("401 message: %v", m)
			}
		}
	}
	// Legacy Basic with the partner login works; so does a bearer token.
	e.mustJSON(200, e.get(basicAuth(demo), "/core/v2/phonenumber/dids"))
	tok := e.token(demo)
	who := e.mustJSON(200, e.get(bearer(tok), "/core/v2/oauth/whoami"))
	if who["partner_sid"] != demo.PartnerSID || who["name"] != "Demo Telecom" || who["login"] != "demo" {
		t.Errorf("whoami: %v", who)
	}
	if _, ok := who["balance"].(string); !ok || who["status"] != "active" {
		t.Errorf("whoami balance/status: %v %v", who["balance"], who["status"])
	}
	for _, k := range []string{"available_scopes", "company_name", "date_created", "display_id", "payment_type", "billing_email"} {
		if _, ok := who[k]; !ok {
			t.Errorf("whoami lacks %s", k)
		}
	}
	if _, ok := who["password"]; ok {
		t.Errorf("whoami shows a password")
	}
	// The other partner is itself.
	who = e.mustJSON(200, e.get(basicAuth(e.s.OtherPartner()), "/core/v2/oauth/whoami?include_fields=name,partner_sid"))
	if len(who) != 2 || who["name"] != "Other Networks LLC" || who["partner_sid"] != e.s.OtherPartner().PartnerSID {
		t.Errorf("other whoami: %v", who)
	}
}

func TestTokenCreate(t *testing.T) {
	e := smallEnv(t)
	const path = "/core/v2/oauth/token"
	form := "application/x-www-form-urlencoded"
	r := e.do("", "POST", path, form, tokenForm("demo", "demo", "name", "ops console", "client_id", "abc"))
	tk := e.mustJSON(200, r)
	if tk["name"] != "ops console" || tk["client_id"] != "abc" || tk["token_type"] != "bearer" ||
		tk["partner_sid"] != e.s.DemoPartner().PartnerSID || tk["date_last_accessed"] != nil {
		t.Errorf("token: %v", tk)
	}
	if _, ok := tk["client_secret"]; ok {
		t.Errorf("client_secret is returned")
	}
	if tk["date_created"] != "2025-05-18T15:32:15.589Z" || tk["date_expiration_access_token"] != "2125-04-24T15:32:15.589Z" {
		t.Errorf("dates: %v %v", tk["date_created"], tk["date_expiration_access_token"])
	}
	checkError(t, e.do("", "POST", path, form, tokenForm("demo", "nope")), 401, "authentication error", nil)
	checkError(t, e.do("", "POST", path, form, tokenForm("", "")), 401, "authentication error", nil)
	checkError(t, e.do("", "POST", path, "application/json", `{"username":"demo","password":"demo"}`), 415, "unsupported media type", nil)
	checkError(t, e.do("", "POST", path, "", tokenForm("demo", "demo")), 415, "unsupported media type", nil)
	checkError(t, e.do("", "POST", path, form, "username=demo&password=demo"), 400, "bad request", "grant_type")
	checkError(t, e.do("", "POST", path, form, tokenForm("demo", "demo", "access_token_expires_in", "soon")), 422, "object validation error", "access_token_expires_in")
	checkError(t, e.do("", "POST", path, form, tokenForm("demo", "demo", "name", strings.Repeat("n", 256))), 422, "object validation error", "name")
	checkError(t, e.do("", "POST", path, form, tokenForm("demo", "demo", "scopes", "phonenumber.manage nuke.all")), 422, "object validation error", "scopes")
	// A token for the caller of a valid Authorization header (no username).
	r = e.do(bearer(tk["access_token"].(string)), "POST", path, form, "grant_type=password")
	if m := e.mustJSON(200, r); m["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Errorf("token via bearer: %v", m)
	}
	// No sub-partners in the sandbox.
	checkError(t, e.do(basicAuth(e.s.DemoPartner()), "POST", path+"/"+e.s.OtherPartner().PartnerSID, form, "client_id=x"), 404, "no item error", nil)
	checkError(t, e.do("", "POST", path+"/"+e.s.OtherPartner().PartnerSID, form, "client_id=x"), 401, "authentication error", nil)
	// Scopes may be narrowed.
	m := e.mustJSON(200, e.do("", "POST", path, form, tokenForm("demo", "demo", "scopes", "phonenumber.manage,oauth.manage")))
	if s := m["scopes"].([]any); len(s) != 2 {
		t.Errorf("scopes: %v", s)
	}
}

func TestTokensListAndUse(t *testing.T) {
	e := smallEnv(t)
	demo, other := e.s.DemoPartner(), e.s.OtherPartner()
	t1, t2 := e.token(demo), e.token(demo)
	ot := e.token(other)
	m := e.mustJSON(200, e.get(bearer(t1), "/core/v2/oauth/tokens"))
	checkEnvelope(t, m, true)
	its := items(t, m)
	if len(its) != 2 {
		t.Fatalf("demo sees %d tokens, want 2", len(its))
	}
	var t1sid string
	for _, it := range its {
		if it["partner_sid"] != demo.PartnerSID {
			t.Errorf("foreign token listed: %v", it)
		}
		if it["access_token"] == t1 {
			t1sid = it["token_sid"].(string)
			if it["date_last_accessed"] != "2025-05-18T15:32:15.589Z" || it["ip_last_accessed"] != "127.0.0.1" {
				t.Errorf("last access not recorded: %v %v", it["date_last_accessed"], it["ip_last_accessed"])
			}
		}
	}
	one := e.mustJSON(200, e.get(bearer(t2), "/core/v2/oauth/tokens/"+t1sid))
	if one["access_token"] != t1 {
		t.Errorf("token by sid: %v", one)
	}
	checkError(t, e.get(bearer(ot), "/core/v2/oauth/tokens/"+t1sid), 404, "no item error", nil)
	// PATCH the name.
	p := e.mustJSON(200, e.sendJSON(bearer(t1), "PATCH", "/core/v2/oauth/tokens/"+t1sid, map[string]any{"name": "renamed"}))
	if p["name"] != "renamed" || p["access_token"] != t1 {
		t.Errorf("patched token: %v", p)
	}
	checkError(t, e.sendJSON(bearer(t1), "PATCH", "/core/v2/oauth/tokens/"+t1sid, map[string]any{"access_token": "mine"}), 422, "object validation error", "access_token")
}

func TestRevoke(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	const path = "/core/v2/oauth/revoke"
	// Form body (RFC 7009 style).
	a, b := e.token(demo), e.token(demo)
	if r := e.do(bearer(b), "POST", path, "application/x-www-form-urlencoded", "token="+a); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("revoke: %d %q", r.status, r.body)
	}
	checkError(t, e.get(bearer(a), "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	e.mustJSON(200, e.get(bearer(b), "/core/v2/oauth/whoami"))
	// JSON body.
	c := e.token(demo)
	if r := e.sendJSON(bearer(b), "POST", path, map[string]any{"token": c}); r.status != 204 {
		t.Fatalf("JSON revoke: %d %s", r.status, r.body)
	}
	checkError(t, e.get(bearer(c), "/core/v2/phonenumber/dids"), 401, "authentication error", nil)
	// No body: the calling token.
	if r := e.do(bearer(b), "POST", path, "", ""); r.status != 204 {
		t.Fatalf("self revoke: %d %s", r.status, r.body)
	}
	checkError(t, e.get(bearer(b), "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	// Revoked tokens leave the list.
	d := e.token(demo)
	if n := len(items(t, e.mustJSON(200, e.get(bearer(d), "/core/v2/oauth/tokens")))); n != 1 {
		t.Errorf("%d tokens listed after revokes, want 1", n)
	}
	// Basic without a token: nothing to revoke.
	checkError(t, e.do(basicAuth(demo), "POST", path, "", ""), 400, "bad request", "token")
	// Someone else's (or an unknown) token: 404, and it still works.
	ot := e.token(e.s.OtherPartner())
	checkError(t, e.do(bearer(d), "POST", path, "application/x-www-form-urlencoded", "token="+ot), 404, "no item error", nil)
	e.mustJSON(200, e.get(bearer(ot), "/core/v2/oauth/whoami"))
	checkError(t, e.do(bearer(d), "POST", path, "text/plain", "token="+d), 415, "unsupported media type", nil)
}

func TestTokenExpiry(t *testing.T) {
	clk := &clock{t: fixedNow()}
	e := newEnv(t, Config{Seed: 3, AvailableDIDs: 50, RentedDIDs: 5, Now: clk.now})
	r := e.do("", "POST", "/core/v2/oauth/token", "application/x-www-form-urlencoded",
		tokenForm("demo", "demo", "access_token_expires_in", "60"))
	tk := e.mustJSON(200, r)
	if tk["date_expiration_access_token"] != "2025-05-18T15:33:15.589Z" {
		t.Errorf("expiry %v", tk["date_expiration_access_token"])
	}
	tok := tk["access_token"].(string)
	e.mustJSON(200, e.get(bearer(tok), "/core/v2/oauth/whoami"))
	clk.add(61 * time.Second)
	checkError(t, e.get(bearer(tok), "/core/v2/oauth/whoami"), 401, "authentication error", nil)
	if n := len(items(t, e.mustJSON(200, e.get(basicAuth(e.s.DemoPartner()), "/core/v2/oauth/tokens")))); n != 0 {
		t.Errorf("expired token listed")
	}
}

func TestRoutingErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	checkError(t, e.get(demo, "/core/v2/nosuch"), 404, "not found", nil)
	checkError(t, e.get(demo, "/core/v2/phonenumber/dids/x/y/z"), 404, "not found", nil)
	checkError(t, e.get(demo, "/conference/v9/meeting_rooms"), 404, "not found", nil)
	// A hosted API refuses Core credentials.
	checkError(t, e.get(demo, "/conference/v2/meeting_rooms"), 401, "authentication error", nil)
	checkError(t, e.get(demo, "/"), 404, "not found", nil)
	r := e.do(demo, "DELETE", "/core/v2/phonenumber/available_dids", "", "")
	checkError(t, r, 405, "method not allowed", nil)
	if r.header.Get("Allow") != "GET" {
		t.Errorf("Allow: %q", r.header.Get("Allow"))
	}
	r = e.do(demo, "POST", "/core/v2/phonenumber/dids/abc", "application/json", "{}")
	checkError(t, r, 405, "method not allowed", nil)
	if r.header.Get("Allow") != "DELETE, GET, PATCH, PUT" {
		t.Errorf("Allow: %q", r.header.Get("Allow"))
	}
	checkError(t, e.get(demo, "/core/v2/phonenumber/dids/no-such-sid"), 404, "no item error", nil)
}
