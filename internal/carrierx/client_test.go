package carrierx

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorded is one request as the test server saw it.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// recorder is a test server that records requests and delegates to h.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, req.Header.Clone(), string(b)})
		r.mu.Unlock()
		h(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func (r *recorder) count() int { return len(r.requests()) }

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// fast returns a client with quick retries, suitable for tests.
func fast(url string, opts ...Option) *Client {
	return New(url, append([]Option{WithRetry(4, time.Millisecond, 20*time.Millisecond)}, opts...)...)
}

const didJSON = `{"did_sid":"d1","phonenumber":"15162065574","price":"0.6","capabilities":7,"active_capabilities":4,"attributes":{},"transformations":[]}`

func TestNewBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.carrierx.com":          "https://api.carrierx.com",
		"https://api.carrierx.com/":         "https://api.carrierx.com",
		"https://api.carrierx.com/core/v2":  "https://api.carrierx.com",
		"https://api.carrierx.com/core/v2/": "https://api.carrierx.com",
		"http://127.0.0.1:8080/prefix/":     "http://127.0.0.1:8080/prefix",
	} {
		if got := New(in).BaseURL(); got != want {
			t.Errorf("New(%q).BaseURL() = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "api.carrierx.com", "ftp://x", "https://user:secret@api.carrierx.com"} {
		c := New(bad)
		err := c.Ping(context.Background())
		if err == nil {
			t.Errorf("New(%q): expected an error", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func TestRequestPathAndHeaders(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, didJSON) })
	c := fast(srv.URL+"/", WithUserAgent("ops-test/1")).WithBearer("tok-123")
	if _, err := c.GetDID(context.Background(), "d1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RentDID(context.Background(), RentDIDRequest{}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests", len(reqs))
	}
	get, post := reqs[0], reqs[1]
	if get.Method != "GET" || get.Path != "/core/v2/phonenumber/dids/d1" {
		t.Fatalf("GET went to %s %s", get.Method, get.Path)
	}
	if get.Header.Get("Accept") != "application/json" || get.Header.Get("User-Agent") != "ops-test/1" {
		t.Fatalf("headers: %v", get.Header)
	}
	if get.Header.Get("Content-Type") != "" || get.Body != "" {
		t.Fatalf("GET must not carry a body: %q %q", get.Header.Get("Content-Type"), get.Body)
	}
	if get.Header.Get("Authorization") != "Bearer tok-123" {
		t.Fatalf("Authorization = %q", get.Header.Get("Authorization"))
	}
	if post.Method != "POST" || post.Path != "/core/v2/phonenumber/dids" || post.Body != "{}" {
		t.Fatalf("POST: %s %s %q", post.Method, post.Path, post.Body)
	}
	if post.Header.Get("Content-Type") != "application/json" || post.Header.Get("Accept") != "application/json" {
		t.Fatalf("POST headers: %v", post.Header)
	}
}

func TestAuthHeaders(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"partner_sid":"p1"}`) })
	base := fast(srv.URL)
	ctx := context.Background()

	if _, err := base.WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	bearer := base.WithBearer("abc")
	if _, err := bearer.WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	basic := bearer.WithBasic("partner", "p@ss:word")
	if _, err := basic.WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := basic.WithoutAuth().WhoAmI(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if got := reqs[0].Header.Get("Authorization"); got != "" {
		t.Fatalf("unauthenticated client sent %q", got)
	}
	if got := reqs[1].Header.Get("Authorization"); got != "Bearer abc" {
		t.Fatalf("bearer: %q", got)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("partner:p@ss:word"))
	if got := reqs[2].Header.Get("Authorization"); got != want {
		t.Fatalf("basic: %q want %q", got, want)
	}
	if got := reqs[3].Header.Get("Authorization"); got != "" {
		t.Fatalf("WithoutAuth sent %q", got)
	}
	// The copies do not affect the original.
	if base.auth != authNone || bearer.auth != authBearer {
		t.Fatal("WithBearer/WithBasic modified the receiver")
	}
}

func TestErrorDecodingCarrierXShape(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/core/v2/phonenumber/dids/missing":
			writeJSON(w, 404, string(readTestdata(t, "error_not_found.json"))) // §9 ex.9
		case "/core/v2/phonenumber/dids/bad":
			writeJSON(w, 422, `{"message":"object validation error","errors":[{"field":"callback_url","message":"not a valid url","reference_sid":null},{"field":"name","message":"too long","reference_sid":"r1"},{"field":"name","message":"bad chars","reference_sid":null}]}`)
		default:
			writeJSON(w, 401, `{"message":"unauthorized","errors":[{"field":null,"message":"bad credentials","reference_sid":null}]}`)
		}
	})
	c := fast(srv.URL).WithBearer("super-secret-token")
	ctx := context.Background()

	_, err := c.GetDID(ctx, "missing")
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("not an *Error: %v", err)
	}
	if !IsNotFound(err) || IsUnauthorized(err) || StatusOf(err) != 404 {
		t.Fatalf("status helpers wrong for %v", err)
	}
	if e.Message != "no item error" || len(e.Errors) != 1 || e.Errors[0].Field != nil || e.Errors[0].Message != "cannot find item by sid" {
		t.Fatalf("decoded %+v", e)
	}
	if e.Method != "GET" || e.Path != "/core/v2/phonenumber/dids/missing" {
		t.Fatalf("context %s %s", e.Method, e.Path)
	}
	if got := e.Error(); got != "carrierx: GET /core/v2/phonenumber/dids/missing: 404 no item error: cannot find item by sid" {
		t.Fatalf("Error() = %q", got)
	}
	if len(e.FieldMessages()) != 0 {
		t.Fatalf("FieldMessages = %v", e.FieldMessages())
	}

	_, err = c.UpdateDID(ctx, "bad", DIDUpdate{CallbackURL: Set("nope")})
	e, ok = AsError(err)
	if !ok || e.Status != 422 || !IsValidation(err) {
		t.Fatalf("got %v", err)
	}
	fm := e.FieldMessages()
	if fm["callback_url"] != "not a valid url" || fm["name"] != "too long; bad chars" || len(fm) != 2 {
		t.Fatalf("FieldMessages = %v", fm)
	}
	if e.Errors[1].ReferenceSID == nil || *e.Errors[1].ReferenceSID != "r1" {
		t.Fatalf("reference_sid not decoded: %+v", e.Errors[1])
	}
	if !strings.Contains(e.Error(), "callback_url: not a valid url") {
		t.Fatalf("Error() = %q", e.Error())
	}

	_, err = c.WhoAmI(ctx)
	if !IsUnauthorized(err) {
		t.Fatalf("expected 401, got %v", err)
	}
	if strings.Contains(err.Error(), "super-secret-token") {
		t.Fatal("error string leaks the token")
	}
	if StatusOf(errors.New("plain")) != 0 || StatusOf(nil) != 0 {
		t.Fatal("StatusOf of a non-*Error must be 0")
	}
}

func TestErrorDecodingNonJSON(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	})
	c := New(srv.URL, WithRetry(1, 0, 0))
	_, err := c.GetDID(context.Background(), "x")
	e, ok := AsError(err)
	if !ok || e.Status != 502 || e.Message != "bad gateway" || e.Errors != nil {
		t.Fatalf("got %#v (%v)", e, err)
	}
	if !strings.Contains(err.Error(), "502 bad gateway") {
		t.Fatalf("Error() = %q", err.Error())
	}

	// JSON without CarrierX's keys, and an odd status without status text.
	srv2 := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 499, `{"detail":"x"}`) })
	_, err = New(srv2.URL).GetDID(context.Background(), "x")
	if e, ok := AsError(err); !ok || e.Status != 499 || e.Message != "http status 499" {
		t.Fatalf("got %v", err)
	}
}

func TestRetryOnStatusHonoursRetryAfter(t *testing.T) {
	var n atomic.Int32
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"message":"too many requests","errors":[]}`)
		case 2:
			w.Header().Set("Retry-After", time.Now().Add(-time.Second).UTC().Format(http.TimeFormat)) // date in the past: no wait
			writeJSON(w, 503, `{"message":"unavailable","errors":[]}`)
		default:
			writeJSON(w, 200, didJSON)
		}
	})
	c := New(srv.URL, WithRetry(4, time.Millisecond, 3*time.Second))
	start := time.Now()
	d, err := c.GetDID(context.Background(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	if d.DIDSID != "d1" || srv.count() != 3 {
		t.Fatalf("did %+v after %d requests", d, srv.count())
	}
	if el := time.Since(start); el < 900*time.Millisecond || el > 2500*time.Millisecond {
		t.Fatalf("elapsed %v: Retry-After: 1 not honoured", el)
	}
}

func TestRetryAfterCappedAtMaxDelay(t *testing.T) {
	var n atomic.Int32
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "120")
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, didJSON)
	})
	c := New(srv.URL, WithRetry(3, time.Millisecond, 50*time.Millisecond))
	start := time.Now()
	if _, err := c.GetDID(context.Background(), "d1"); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("Retry-After not capped: %v", el)
	}
}

func TestRetryExhaustedReturnsLastError(t *testing.T) {
	for _, code := range []int{429, 502, 503, 504} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, code, `{"message":"busy","errors":[]}`) })
		_, err := fast(srv.URL).GetDID(context.Background(), "d1")
		if StatusOf(err) != code {
			t.Fatalf("%d: got %v", code, err)
		}
		if srv.count() != 4 {
			t.Fatalf("%d: %d attempts, want 4 (the configured maximum)", code, srv.count())
		}
	}
	// 500 and 4xx are not retried.
	for _, code := range []int{500, 400, 404} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, code, `{}`) })
		_, _ = fast(srv.URL).GetDID(context.Background(), "d1")
		if srv.count() != 1 {
			t.Fatalf("%d retried %d times", code, srv.count())
		}
	}
}

// hijackClose drops the connection without answering.
func hijackClose(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST rather than FIN
	}
	_ = conn.Close()
}

func TestRetryOnConnectionReset(t *testing.T) {
	var n atomic.Int32
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			hijackClose(t, w)
			return
		}
		writeJSON(w, 200, didJSON)
	})
	d, err := fast(srv.URL).GetDID(context.Background(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	if d.DIDSID != "d1" || n.Load() != 3 {
		t.Fatalf("got %+v after %d requests", d, n.Load())
	}
}

func TestRetryOnConnectionResetExhausted(t *testing.T) {
	var n atomic.Int32
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		hijackClose(t, w)
	})
	_, err := fast(srv.URL).WithBearer("tok-secret").GetDID(context.Background(), "d1")
	if err == nil || n.Load() != 4 {
		t.Fatalf("err %v after %d requests", err, n.Load())
	}
	if _, ok := AsError(err); ok {
		t.Fatalf("a transport error must not be an *Error: %v", err)
	}
	if strings.Contains(err.Error(), "tok-secret") || !strings.Contains(err.Error(), "GET /core/v2/phonenumber/dids/d1") {
		t.Fatalf("error: %v", err)
	}
}

func TestRetryStopsOnContextCancel(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "10")
		writeJSON(w, 503, `{}`)
	})
	c := New(srv.URL, WithRetry(10, time.Second, 10*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetDID(ctx, "d1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("cancel not honoured during backoff: %v", el)
	}
	if srv.count() != 1 {
		t.Fatalf("%d requests", srv.count())
	}
}

func TestWritesNeverRetried(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"POST rent": func(c *Client) error {
			_, err := c.RentDID(ctx, RentDIDRequest{Phonenumber: "15162065575"})
			return err
		},
		"PATCH":  func(c *Client) error { _, err := c.UpdateDID(ctx, "d1", DIDUpdate{Name: Set("x")}); return err },
		"PUT":    func(c *Client) error { _, err := c.ReplaceDID(ctx, "d1", DID{}); return err },
		"DELETE": func(c *Client) error { return c.ReleaseDID(ctx, "d1") },
		"POST token": func(c *Client) error {
			_, err := c.CreateToken(ctx, TokenRequest{Login: "u", Password: "p"})
			return err
		},
		"POST revoke": func(c *Client) error { return c.RevokeToken(ctx, "t") },
	}
	for name, call := range calls {
		for _, mode := range []string{"429", "503", "504", "reset"} {
			t.Run(name+"/"+mode, func(t *testing.T) {
				srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
					if mode == "reset" {
						hijackClose(t, w)
						return
					}
					w.Header().Set("Retry-After", "0")
					writeJSON(w, map[string]int{"429": 429, "503": 503, "504": 504}[mode], `{"message":"busy","errors":[]}`)
				})
				err := call(fast(srv.URL))
				if err == nil {
					t.Fatal("expected an error")
				}
				if got := srv.count(); got != 1 {
					t.Fatalf("server saw %d requests, want exactly 1", got)
				}
			})
		}
	}
}

func TestDeadlineApplied(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := New(srv.URL, WithTimeout(150*time.Millisecond))
	start := time.Now()
	_, err := c.GetDID(context.Background(), "d1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("timeout not applied: %v", el)
	}
	if srv.count() != 1 {
		t.Fatalf("a timed-out request must not be retried (%d)", srv.count())
	}

	// A shorter ctx deadline wins over the client's timeout.
	c = New(srv.URL, WithTimeout(10*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = c.GetDID(ctx, "d1")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}

	// A longer ctx deadline is shortened to the client's timeout.
	c = New(srv.URL, WithTimeout(100*time.Millisecond))
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	start = time.Now()
	_, err = c.GetDID(ctx2, "d1")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}

func TestPing(t *testing.T) {
	for code, wantErr := range map[int]bool{200: false, 401: false, 403: false, 404: false, 500: true, 503: true} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/core/v2/oauth/whoami" || r.Method != "GET" {
				t.Errorf("ping went to %s %s", r.Method, r.URL.Path)
			}
			writeJSON(w, code, `{}`)
		})
		err := fast(srv.URL).Ping(context.Background())
		if (err != nil) != wantErr {
			t.Fatalf("status %d: Ping = %v", code, err)
		}
	}
	// Network failure: nothing listens.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	if err := fast("http://" + addr).Ping(context.Background()); err == nil {
		t.Fatal("Ping on a closed port must fail")
	}
}

func TestCreateTokenFormAndRevoke(t *testing.T) {
	tokenJSON := readTestdata(t, "token.json")
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/core/v2/oauth/token":
			writeJSON(w, 200, string(tokenJSON))
		case "/core/v2/oauth/revoke":
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	c := fast(srv.URL).WithBearer("old-token")
	tok, err := c.CreateToken(context.Background(), TokenRequest{
		Login: "carrierx_partner", Password: "qwerty123", ClientID: "cid", ClientSecret: "csecret",
		Name: "ops console", AccessTokenExpiresIn: 3600,
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "8bfd6c6d-6291-488a-bed1-8784c195ce87" || tok.TokenType != "bearer" || tok.DateLastAccessed != nil {
		t.Fatalf("token %+v", tok)
	}
	if s := tok.String(); strings.Contains(s, tok.AccessToken) || strings.Contains(s, tok.RefreshToken) {
		t.Fatalf("String leaks secrets: %s", s)
	}
	if err := c.RevokeToken(context.Background(), tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	tr := reqs[0]
	if tr.Method != "POST" || tr.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Fatalf("token request %s %q", tr.Method, tr.Header.Get("Content-Type"))
	}
	if tr.Header.Get("Authorization") != "" {
		t.Fatalf("token request sent Authorization %q", tr.Header.Get("Authorization"))
	}
	want := "access_token_expires_in=3600&client_id=cid&client_secret=csecret&grant_type=password&name=ops+console&password=qwerty123&username=carrierx_partner"
	if tr.Body != want {
		t.Fatalf("form\n got %s\nwant %s", tr.Body, want)
	}
	rv := reqs[1]
	if rv.Body != "token=8bfd6c6d-6291-488a-bed1-8784c195ce87" || rv.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || rv.Header.Get("Authorization") != "Bearer old-token" {
		t.Fatalf("revoke request %+v", rv)
	}
	if s := (TokenRequest{Password: "qwerty123", ClientSecret: "csecret"}).String(); strings.Contains(s, "qwerty123") || strings.Contains(s, "csecret") {
		t.Fatalf("TokenRequest.String leaks: %s", s)
	}
}

func TestCreateTokenErrorDoesNotLeakPassword(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"message":"bad credentials","errors":[]}`)
	})
	_, err := fast(srv.URL).CreateToken(context.Background(), TokenRequest{Login: "u", Password: "hunter2-secret", ClientSecret: "cs-secret"})
	if !IsUnauthorized(err) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "cs-secret") {
		t.Fatalf("error leaks: %v", err)
	}
}

func TestWriteBodies(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "DELETE" {
			w.WriteHeader(204)
			return
		}
		writeJSON(w, 200, didJSON)
	})
	c := fast(srv.URL)
	ctx := context.Background()
	if _, err := c.RentDID(ctx, RentDIDRequest{Phonenumber: "15162065575", CallbackURL: Null[string]()}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDID(ctx, "d1", DIDUpdate{Attributes: Set(map[string]string{"name": "main line"})}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDID(ctx, "d1", DIDUpdate{TrunkGroupSID: Null[string](), Name: Set("x")}); err != nil {
		t.Fatal(err)
	}
	var d DID
	if err := json.Unmarshal(readTestdata(t, "did.json"), &d); err != nil {
		t.Fatal(err)
	}
	tg := "tg1"
	d.TrunkGroupSID = &tg
	if _, err := c.ReplaceDID(ctx, d.DIDSID, d); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReplaceDID(ctx, "d2", DID{Name: "n"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReleaseDID(ctx, "d1"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	wants := []struct{ method, path, body string }{
		{"POST", "/core/v2/phonenumber/dids", `{"phonenumber":"15162065575","callback_url":null}`},
		{"PATCH", "/core/v2/phonenumber/dids/d1", `{"attributes":{"name":"main line"}}`},
		{"PATCH", "/core/v2/phonenumber/dids/d1", `{"name":"x","trunk_group_sid":null}`},
		{"PUT", "/core/v2/phonenumber/dids/e8df62d5-07a3-4189-a67e-87585067c5fe", `{"attributes":{},"callback_url":null,"did_group_sid":null,"name":"N/A","porting_pin":null,"string_key_1":null,"string_key_2":null,"transformations":[],"trunk_group_sid":"tg1"}`},
		{"PUT", "/core/v2/phonenumber/dids/d2", `{"attributes":{},"callback_url":null,"did_group_sid":null,"name":"n","porting_pin":null,"string_key_1":null,"string_key_2":null,"transformations":[],"trunk_group_sid":null}`},
		{"DELETE", "/core/v2/phonenumber/dids/d1", ``},
	}
	if len(reqs) != len(wants) {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, w := range wants {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path || r.Body != w.body {
			t.Errorf("request %d:\n got %s %s %s\nwant %s %s %s", i, r.Method, r.Path, r.Body, w.method, w.path, w.body)
		}
	}
	// Empty SIDs are refused without a request.
	if _, err := c.GetDID(ctx, ""); err == nil {
		t.Fatal("empty sid accepted")
	}
	if err := c.ReleaseDID(ctx, " "); err == nil {
		t.Fatal("empty sid accepted")
	}
	if srv.count() != len(wants) {
		t.Fatal("a request was sent for an empty SID")
	}
}

func TestPathEscaping(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, didJSON) })
	_, err := fast(srv.URL).GetDID(context.Background(), "../../oauth/whoami")
	if err != nil {
		t.Fatal(err)
	}
	// The SID stays one escaped path segment.
	if got := srv.requests()[0].Path; got != "/core/v2/phonenumber/dids/..%2F..%2Foauth%2Fwhoami" {
		t.Fatalf("path %s", got)
	}
	// A base URL with a path prefix keeps it.
	srv2 := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, didJSON) })
	if _, err := fast(srv2.URL+"/cx/").GetDID(context.Background(), "a b"); err != nil {
		t.Fatal(err)
	}
	if got := srv2.requests()[0].Path; got != "/cx/core/v2/phonenumber/dids/a%20b" {
		t.Fatalf("path %s", got)
	}
}

func TestBackoff(t *testing.T) {
	c := New("http://x", WithRetry(10, 100*time.Millisecond, time.Second))
	for attempt := 1; attempt <= 8; attempt++ {
		exp := min(100*time.Millisecond<<(attempt-1), time.Second)
		for range 50 {
			d := c.backoff(attempt, nil)
			if d < exp/2 || d > exp {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, exp/2, exp)
			}
		}
	}
	h := http.Header{}
	h.Set("Retry-After", "3")
	if d := c.backoff(1, h); d != time.Second {
		t.Fatalf("Retry-After 3 with 1s cap = %v", d)
	}
	h.Set("Retry-After", "0")
	if d := c.backoff(1, h); d != 0 {
		t.Fatalf("Retry-After 0 = %v", d)
	}
	now := time.Now()
	if d, ok := parseRetryAfter(now.Add(30*time.Second).UTC().Format(http.TimeFormat), now); !ok || d < 28*time.Second || d > 31*time.Second {
		t.Fatalf("HTTP-date Retry-After = %v %v", d, ok)
	}
	if _, ok := parseRetryAfter("soon", now); ok {
		t.Fatal("garbage Retry-After accepted")
	}
	if _, ok := parseRetryAfter("-5", now); ok {
		t.Fatal("negative Retry-After accepted")
	}
}
