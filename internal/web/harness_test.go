package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
	"github.com/carrierx-ops/dashboard/internal/views"
	"github.com/carrierx-ops/dashboard/internal/web"
)

// env is a console on a fresh database, talking to a sandbox over real HTTP.
type env struct {
	t        testing.TB
	sandbox  *sandbox.Sandbox
	cxServer *httptest.Server
	cx       *carrierx.Client
	db       *store.Store
	console  *httptest.Server
	srv      *web.Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, sandbox.Config{})
}

// newEnvWith is newEnv on a sandbox of the given shape.
func newEnvWith(t testing.TB, cfg sandbox.Config) *env {
	t.Helper()
	sb := sandbox.New(cfg)
	cxServer := httptest.NewServer(sb.Handler())
	t.Cleanup(cxServer.Close)
	db, _ := storetest.NewStore(t)
	cx := carrierx.New(cxServer.URL)
	srv, err := web.New(web.Config{
		Store: db, CarrierX: cx, SessionSecret: []byte("test-secret-test-secret-test-secret"),
		DemoHint: &views.DemoHint{Login: "demo", Password: "demo"},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	console := httptest.NewServer(srv)
	t.Cleanup(console.Close)
	return &env{t: t, sandbox: sb, cxServer: cxServer, cx: cx, db: db, console: console, srv: srv}
}

// browser is an HTTP client with a cookie jar that does not follow redirects.
type browser struct {
	t    testing.TB
	env  *env
	http *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, env: e, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	*http.Response
	Body string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	resp, err := b.http.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return response{resp, string(body)}
}

func (b *browser) get(path string, htmx ...string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.env.console.URL+path, nil)
	require.NoError(b.t, err)
	if len(htmx) > 0 {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", htmx[0])
	}
	return b.do(req)
}

// post sends a form; with htmx it carries the CSRF header as htmx does.
func (b *browser) post(path string, form url.Values, htmx bool) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.env.console.URL+path, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func csrfIn(t testing.TB, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	require.NotNil(t, m, "no CSRF field in page")
	return m[1]
}

// signIn signs in through the form and remembers the session's CSRF token.
func (b *browser) signIn(login, password string) response {
	b.t.Helper()
	page := b.get("/login")
	require.Equal(b.t, http.StatusOK, page.StatusCode)
	resp := b.post("/login", url.Values{"login": {login}, "password": {password}, "_csrf": {csrfIn(b.t, page.Body)}}, false)
	if resp.StatusCode == http.StatusSeeOther {
		numbers := b.get("/numbers")
		require.Equal(b.t, http.StatusOK, numbers.StatusCode)
		b.csrf = csrfIn(b.t, numbers.Body)
	}
	return resp
}

func (b *browser) sessionCookie() *http.Cookie {
	u, _ := url.Parse(b.env.console.URL)
	for _, c := range b.http.Jar.Cookies(u) {
		if c.Name == "cxconsole_session" {
			return c
		}
	}
	return nil
}

// demoClient is a CarrierX client signed in as the demo partner.
func (e *env) demoClient() *carrierx.Client {
	tok, err := e.cx.CreateToken(context.Background(), carrierx.TokenRequest{Login: "demo", Password: "demo"})
	require.NoError(e.t, err)
	return e.cx.WithBearer(tok.AccessToken)
}

// otherClient is a CarrierX client signed in as the other partner.
func (e *env) otherClient() *carrierx.Client {
	tok, err := e.cx.CreateToken(context.Background(), carrierx.TokenRequest{Login: "other", Password: "other"})
	require.NoError(e.t, err)
	return e.cx.WithBearer(tok.AccessToken)
}

// firstAvailable is an available number in the given area code.
func (e *env) firstAvailable(cx *carrierx.Client, npa string) carrierx.DID {
	page, err := cx.ListAvailableDIDs(context.Background(), carrierx.ListOptions{
		Filter: carrierx.Filter{}.Like("phonenumber", "1"+npa+"%"), Limit: 1})
	require.NoError(e.t, err)
	require.NotEmpty(e.t, page.Items, "no available number in %s", npa)
	return page.Items[0]
}

// areaCodeWithNumbers picks an area code that has available numbers.
func (e *env) areaCodeWithNumbers(cx *carrierx.Client) string {
	page, err := cx.ListAvailableDIDs(context.Background(), carrierx.ListOptions{Limit: 1, Offset: 100})
	require.NoError(e.t, err)
	require.NotEmpty(e.t, page.Items)
	return page.Items[0].Phonenumber[1:4]
}

// createTrunkGroup adds a trunk group for the demo partner (the client has no
// trunk group writes yet) and returns its SID.
func (e *env) createTrunkGroup(name string) string {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.cxServer.URL+"/core/v2/trunk_groups",
		strings.NewReader(`{"name":"`+name+`"}`))
	require.NoError(e.t, err)
	req.SetBasicAuth("demo", "demo")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	var tg carrierx.TrunkGroup
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&tg))
	return tg.TrunkGroupSID
}

func (e *env) deleteTrunkGroup(cx *carrierx.Client, sid string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodDelete, e.cxServer.URL+"/core/v2/trunk_groups/"+sid, nil)
	require.NoError(e.t, err)
	req.SetBasicAuth("demo", "demo")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	resp.Body.Close()
	require.Equal(e.t, http.StatusNoContent, resp.StatusCode)
}
