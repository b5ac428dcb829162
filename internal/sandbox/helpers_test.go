package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testEnv is a sandbox served over real HTTP.
type testEnv struct {
	t   *testing.T
	s   *Sandbox
	srv *httptest.Server
}

func fixedNow() time.Time { return time.Date(2025, 5, 18, 15, 32, 15, 589e6, time.UTC) }

// newEnv starts a fresh sandbox (default sizes unless cfg says otherwise).
func newEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	s := New(cfg)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &testEnv{t: t, s: s, srv: srv}
}

// smallEnv is a fresh sandbox with a small inventory (fast to seed).
func smallEnv(t *testing.T) *testEnv {
	return newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: fixedNow})
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("status %d: body is not a JSON object: %v: %q", r.status, err, r.body)
	}
	return m
}

// auth is how a request authenticates: "basic:login:pw", "bearer:tok" or "".
type auth string

func basicAuth(c Credentials) auth { return auth("basic:" + c.Login + ":" + c.Password) }
func bearer(tok string) auth       { return auth("bearer:" + tok) }

func (e *testEnv) do(a auth, method, path, contentType string, body string) resp {
	e.t.Helper()
	h := map[string]string{}
	if contentType != "" {
		h["Content-Type"] = contentType
	}
	return e.doBody(a, method, path, h, body)
}

func (e *testEnv) doWith(a auth, method, path string, h map[string]string) resp {
	e.t.Helper()
	return e.doBody(a, method, path, h, "")
}

func (e *testEnv) doBody(a auth, method, path string, h map[string]string, body string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	switch {
	case strings.HasPrefix(string(a), "basic:"):
		parts := strings.SplitN(string(a), ":", 3)
		req.SetBasicAuth(parts[1], parts[2])
	case strings.HasPrefix(string(a), "bearer:"):
		req.Header.Set("Authorization", "Bearer "+strings.TrimPrefix(string(a), "bearer:"))
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, b}
}

func (e *testEnv) get(a auth, path string) resp { return e.do(a, "GET", path, "", "") }

func (e *testEnv) sendJSON(a auth, method, path string, body any) resp {
	e.t.Helper()
	var b []byte
	switch x := body.(type) {
	case string:
		b = []byte(x)
	default:
		var err error
		if b, err = json.Marshal(body); err != nil {
			e.t.Fatal(err)
		}
	}
	return e.do(a, method, path, "application/json", string(b))
}

// mustJSON requests and expects status want, returning the decoded object.
func (e *testEnv) mustJSON(want int, r resp) map[string]any {
	e.t.Helper()
	if r.status != want {
		e.t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	return r.json(e.t)
}

// token creates a bearer token for c.
func (e *testEnv) token(c Credentials) string {
	e.t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {c.Login}, "password": {c.Password},
		"client_id": {"5c7965f285344165b003ce1a3202e589"}, "client_secret": {"s3cret"}}
	r := e.do("", "POST", "/core/v2/oauth/token", "application/x-www-form-urlencoded", form.Encode())
	m := e.mustJSON(200, r)
	tok, _ := m["access_token"].(string)
	if tok == "" {
		e.t.Fatalf("no access_token in %s", r.body)
	}
	return tok
}

// items returns the items of a list response.
func items(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["items"].([]any)
	if !ok {
		t.Fatalf("items is %T, not an array", m["items"])
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		if out[i], ok = x.(map[string]any); !ok {
			t.Fatalf("item %d is %T", i, x)
		}
	}
	return out
}

// checkError asserts CarrierX's error shape, status, message and first field.
func checkError(t *testing.T, r resp, status int, message string, field any) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.json(t)
	if len(m) != 2 {
		t.Errorf("error body has keys %v, want message and errors", keysOf(m))
	}
	if m["message"] != message {
		t.Errorf("message %q, want %q", m["message"], message)
	}
	errs, ok := m["errors"].([]any)
	if !ok || len(errs) == 0 {
		t.Fatalf("errors is %v", m["errors"])
	}
	first := errs[0].(map[string]any)
	for _, k := range []string{"field", "message", "reference_sid"} {
		if _, ok := first[k]; !ok {
			t.Errorf("error item lacks %q: %v", k, first)
		}
	}
	if len(first) != 3 {
		t.Errorf("error item keys %v", keysOf(first))
	}
	if first["field"] != field {
		t.Errorf("field %v, want %v (%s)", first["field"], field, r.body)
	}
	if s, _ := first["message"].(string); s == "" {
		t.Errorf("empty error message")
	}
	return m
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func compactJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(buf.String())
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func newRequest(method, path string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	r.SetBasicAuth("demo", "demo")
	return r
}
