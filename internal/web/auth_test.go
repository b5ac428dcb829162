package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, path := range []string{"/login", "/healthz", "/numbers", "/static/nope.js"} {
		r := b.get(path)
		csp := r.Header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "script-src 'self'", path)
		assert.NotContains(t, csp, "unsafe-inline", path)
		assert.Contains(t, csp, "frame-ancestors 'none'", path)
		assert.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), path)
		assert.NotEmpty(t, r.Header.Get("Referrer-Policy"), path)
	}
	login := b.get("/login")
	assert.NotContains(t, login.Body, "<script>", "no inline script")
	assert.Contains(t, login.Body, "Sandbox: sign in as", "sandbox mode shows the demo credentials")
}

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	assert.Equal(t, http.StatusOK, b.get("/healthz").StatusCode)
	assert.Equal(t, http.StatusOK, b.get("/readyz").StatusCode)
	e.cxServer.Close()
	r := b.get("/readyz")
	assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
	assert.Contains(t, r.Body, "carrierx")
	assert.Equal(t, http.StatusOK, b.get("/healthz").StatusCode, "the process is still up")
}

func TestSignInSetsSafeCookieAndNewID(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	first := b.signIn("demo", "demo")
	require.Equal(t, http.StatusSeeOther, first.StatusCode)
	assert.Equal(t, "/numbers", first.Header.Get("Location"))
	var sc *http.Cookie
	for _, c := range first.Cookies() {
		if c.Name == "cxconsole_session" {
			sc = c
		}
	}
	require.NotNil(t, sc)
	assert.True(t, sc.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, sc.SameSite)
	assert.Len(t, sc.Value, 43, "only a random id")
	assert.NotContains(t, sc.Value, ".", "no data in the cookie")

	page := b.get("/numbers")
	assert.Contains(t, page.Body, "Demo Telecom")

	// Signing in again issues a new id; the old one is dead.
	old := *b.sessionCookie()
	fresh := e.browser()
	form := fresh.get("/login")
	loginURL, _ := url.Parse(e.console.URL + "/login")
	b.http.Jar.SetCookies(loginURL, fresh.http.Jar.Cookies(loginURL))
	again := b.post("/login", url.Values{"login": {"demo"}, "password": {"demo"}, "_csrf": {csrfIn(t, form.Body)}}, false)
	require.Equal(t, http.StatusSeeOther, again.StatusCode)
	assert.NotEqual(t, old.Value, b.sessionCookie().Value)
	stale := e.browser()
	u, _ := url.Parse(e.console.URL)
	stale.http.Jar.SetCookies(u, []*http.Cookie{{Name: old.Name, Value: old.Value, Path: "/"}})
	assert.Equal(t, http.StatusSeeOther, stale.get("/numbers").StatusCode)
}

func TestWrongPasswordThenSlowedDown(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.signIn("demo", "wrong")
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	assert.Contains(t, r.Body, "did not accept that login and password")
	for i := 0; i < 4; i++ {
		b.signIn("demo", "wrong")
	}
	r = b.signIn("demo", "demo")
	assert.Equal(t, http.StatusTooManyRequests, r.StatusCode, "even the right password waits after repeated failures")
	assert.Contains(t, r.Body, "Too many failed sign-ins")
	assert.NotEmpty(t, r.Header.Get("Retry-After"))
}

func TestSignedOutRequestsGoToSignIn(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.get("/numbers?state=NY")
	assert.Equal(t, http.StatusSeeOther, r.StatusCode)
	assert.Equal(t, "/login?next=%2Fnumbers%3Fstate%3DNY", r.Header.Get("Location"))

	h := b.get("/numbers", "numbers-results")
	assert.Equal(t, http.StatusUnauthorized, h.StatusCode)
	assert.Equal(t, "/login", h.Header.Get("HX-Redirect"))
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	require.Equal(t, http.StatusOK, b.get("/numbers").StatusCode)

	require.NoError(t, e.db.ExpireSession(context.Background(), hashOf(b.sessionCookie().Value)))
	r := b.get("/numbers", "numbers-results")
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)
	assert.Equal(t, "/login", r.Header.Get("HX-Redirect"), "htmx is sent to the sign-in page")
	assert.Equal(t, http.StatusSeeOther, b.get("/numbers").StatusCode)
}

func TestLogoutKillsACopiedCookieAndRevokesTheToken(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	copied := *b.sessionCookie()

	cx := e.demoClient()
	consoleTokens := func() int {
		page, err := cx.ListTokens(context.Background(), carrierx.ListOptions{Limit: 100})
		require.NoError(t, err)
		n := 0
		for _, tok := range page.Items {
			if tok.Name == "carrierx-console" {
				n++
			}
		}
		return n
	}
	require.Equal(t, 1, consoleTokens(), "the session's token is live at CarrierX")

	r := b.post("/logout", url.Values{"_csrf": {b.csrf}}, false)
	require.Equal(t, http.StatusSeeOther, r.StatusCode)
	assert.Equal(t, "/login?reason=signed_out", r.Header.Get("Location"))

	thief := e.browser()
	u, _ := url.Parse(e.console.URL)
	thief.http.Jar.SetCookies(u, []*http.Cookie{{Name: copied.Name, Value: copied.Value, Path: "/"}})
	assert.Equal(t, http.StatusSeeOther, thief.get("/numbers").StatusCode, "a copied cookie is useless after sign-out")

	assert.Equal(t, 0, consoleTokens(), "sign-out revoked the session's token at CarrierX")

	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(entries), 2)
	assert.Equal(t, "sign_out", entries[0].Action)
	assert.Equal(t, "sign_in", entries[1].Action)
}

func TestCSRFRefusal(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	mine, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	sid := mine.Items[0].DIDSID

	// No token.
	r := b.post("/numbers/"+sid, url.Values{"name": {"pwned"}}, false)
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
	// Wrong token in the htmx header.
	b2 := *b
	b2.csrf = "wrong"
	r = b2.post("/numbers/"+sid, url.Values{"name": {"pwned"}}, true)
	assert.Equal(t, http.StatusForbidden, r.StatusCode)
	// Right token but from another site.
	req, _ := http.NewRequest(http.MethodPost, e.console.URL+"/numbers/"+sid,
		strings.NewReader(url.Values{"name": {"pwned"}, "_csrf": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	assert.Equal(t, http.StatusForbidden, b.do(req).StatusCode)
	// Sign-in without the form's token.
	r = e.browser().post("/login", url.Values{"login": {"demo"}, "password": {"demo"}}, false)
	assert.Equal(t, http.StatusForbidden, r.StatusCode)

	d, err := cx.GetDID(context.Background(), sid)
	require.NoError(t, err)
	assert.NotEqual(t, "pwned", d.Name, "nothing was changed")

	// The right token in the htmx header works.
	r = b.post("/numbers/"+sid+"?inline=1", url.Values{"name": {"Front desk"}}, true)
	assert.Equal(t, http.StatusOK, r.StatusCode, r.Body)
}

// TestRequestBodiesAreBounded: a form post larger than the forms need is
// refused before anything reads it, and changes nothing.
func TestRequestBodiesAreBounded(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	form := url.Values{"_csrf": {b.csrf}, "billing_email": {strings.Repeat("a", 3<<20)}}
	r := b.post("/account/contacts", form, false)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode)
	p, err := e.demoClient().GetPartner(context.Background(), e.sandbox.DemoPartner().PartnerSID)
	require.NoError(t, err)
	assert.NotContains(t, p.BillingEmail, "aaaa")
	// A form of ordinary size goes through.
	ok := b.post("/account/contacts", url.Values{"_csrf": {b.csrf}, "billing_email": {p.BillingEmail},
		"tech_email": {p.TechEmail}, "owner_email": {p.OwnerEmail}}, false)
	assert.Equal(t, http.StatusSeeOther, ok.StatusCode)
}
