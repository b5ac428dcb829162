package carrierx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// API base paths, relative to the host root given to New.
const (
	CoreV2Path       = "/core/v2"
	ConferenceV2Path = "/conference/v2"
	MediatorV1Path   = "/mediator/v1"
	FlexMLV1Path     = "/flexml/v1"
)

// Defaults applied by New.
const (
	DefaultTimeout     = 20 * time.Second
	DefaultMaxAttempts = 4
	DefaultRetryBase   = 200 * time.Millisecond
	DefaultRetryMax    = 5 * time.Second
	DefaultUserAgent   = "carrierx-ops-dashboard/1 (+https://github.com/carrierx-ops/dashboard)"

	// maxBodyBytes caps how much of a response body is read.
	maxBodyBytes = 64 << 20
	// maxErrorBodyBytes caps how much of an error body is read.
	maxErrorBodyBytes = 1 << 20
)

// Client is a CarrierX API client. It is safe for concurrent use. The zero value
// is not usable; construct one with New.
type Client struct {
	base      *url.URL // host root, no trailing slash
	baseErr   error    // set when the base URL given to New is unusable
	http      *http.Client
	auth      authKind
	token     string // bearer token (never printed)
	login     string
	password  string // basic password (never printed)
	timeout   time.Duration
	retry     retryPolicy
	userAgent string
	// invoiceRoute remembers which invoices path answers (invoiceRoute*
	// constants). Shared by the copies WithBearer/WithBasic make: the route
	// is a property of the host, not of the credentials.
	invoiceRoute *atomic.Int32
}

type authKind int

const (
	authNone authKind = iota
	authBearer
	authBasic
)

type retryPolicy struct {
	maxAttempts int
	base, max   time.Duration
}

// Option configures a Client in New.
type Option func(*Client)

// New returns a client for the CarrierX host at baseURL (the host root, e.g.
// "https://api.carrierx.com"; Core lives at baseURL + "/core/v2"). A trailing
// slash is tolerated, and so is a base URL that already ends in "/core/v2".
// An unusable base URL is reported by every call made with the client.
func New(baseURL string, opts ...Option) *Client {
	c := &Client{
		http:         &http.Client{},
		timeout:      DefaultTimeout,
		retry:        retryPolicy{maxAttempts: DefaultMaxAttempts, base: DefaultRetryBase, max: DefaultRetryMax},
		userAgent:    DefaultUserAgent,
		invoiceRoute: new(atomic.Int32),
	}
	c.base, c.baseErr = parseBase(baseURL)
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

func parseBase(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("carrierx: invalid base URL")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("carrierx: base URL must be an absolute http(s) URL")
	}
	if u.User != nil {
		// Credentials belong in WithBasic/WithBearer, never in the URL (they
		// would leak into error strings and logs).
		return nil, errors.New("carrierx: base URL must not contain credentials; use WithBasic or WithBearer")
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, CoreV2Path)
	u.Path = strings.TrimRight(p, "/")
	u.RawPath = ""
	return u, nil
}

// WithHTTPClient sets the http.Client used for requests (nil keeps the default).
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithTimeout sets the deadline applied to every call whose context has no
// shorter deadline (default 20s). The deadline covers the whole call, retries
// and backoff included. Zero or negative disables it.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) { c.timeout = d }
}

// WithRetry sets the retry policy for idempotent (GET/HEAD) requests:
// maxAttempts attempts in all (values < 1 mean 1, i.e. no retry), with capped
// exponential backoff starting at base and never exceeding max.
func WithRetry(maxAttempts int, base, max time.Duration) Option {
	return func(c *Client) {
		if maxAttempts < 1 {
			maxAttempts = 1
		}
		if base < 0 {
			base = 0
		}
		if max < base {
			max = base
		}
		c.retry = retryPolicy{maxAttempts: maxAttempts, base: base, max: max}
	}
}

// WithUserAgent sets the User-Agent header sent with every request.
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua != "" {
			c.userAgent = ua
		}
	}
}

// WithBearer returns a copy of c that authenticates with
// "Authorization: Bearer <token>". c itself is unchanged.
func (c *Client) WithBearer(token string) *Client {
	cp := *c
	cp.auth, cp.token, cp.login, cp.password = authBearer, token, "", ""
	return &cp
}

// WithBasic returns a copy of c that authenticates with HTTP Basic (partner
// login/password on Core — legacy but accepted; endpoint credentials on
// Conference/Mediator/FlexML). c itself is unchanged.
func (c *Client) WithBasic(login, password string) *Client {
	cp := *c
	cp.auth, cp.token, cp.login, cp.password = authBasic, "", login, password
	return &cp
}

// WithoutAuth returns a copy of c that sends no Authorization header.
func (c *Client) WithoutAuth() *Client {
	cp := *c
	cp.auth, cp.token, cp.login, cp.password = authNone, "", "", ""
	return &cp
}

// BaseURL returns the host root the client talks to, without a trailing slash
// (empty when the URL given to New was unusable).
func (c *Client) BaseURL() string {
	if c.base == nil {
		return ""
	}
	return c.base.String()
}

// Ping reports whether CarrierX answers at all: it sends one GET
// /core/v2/oauth/whoami (no retries) and returns nil for any HTTP response
// below 500, even 401/403. It returns an error on network failure or a 5xx.
func (c *Client) Ping(ctx context.Context) error {
	err := c.do(ctx, &request{method: http.MethodGet, path: CoreV2Path + "/oauth/whoami", noRetry: true}, nil)
	if err == nil {
		return nil
	}
	if e, ok := AsError(err); ok && e.Status < 500 {
		return nil
	}
	return err
}

// request describes one API call.
type request struct {
	method string
	// path is relative to the host root, e.g. "/core/v2/phonenumber/dids",
	// and already escaped (segments built with pathEscape).
	path  string
	query url.Values
	// rawURL, when set, is an absolute URL (already checked to be on the
	// client's own scheme+host) used instead of path+query.
	rawURL string
	// body is JSON-encoded when hasBody; a nil body on POST/PUT/PATCH sends {}.
	body any
	// form, when non-nil, is sent form-encoded instead of a JSON body.
	form url.Values
	// noAuth suppresses the Authorization header.
	noAuth bool
	// noRetry disables retries even for GET.
	noRetry bool
	// wrapped: the response is {"body": <payload>, "status": <int>} (Mediator).
	wrapped bool
	// maybeWrapped: unwrap the response when it is exactly such an envelope,
	// take it as it is otherwise (routes whose wrapping is not confirmed).
	maybeWrapped bool
	// accept overrides the Accept header (default application/json).
	accept string
}

func (r *request) hasBody() bool {
	switch r.method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return true
	}
	return r.form != nil
}

func (r *request) idempotent() bool {
	return r.method == http.MethodGet || r.method == http.MethodHead
}

// do performs req and decodes a 2xx JSON body into out (when out is non-nil
// and the body is non-empty). Non-2xx responses become *Error.
func (c *Client) do(ctx context.Context, req *request, out any) error {
	if c.baseErr != nil {
		return c.baseErr
	}
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	resp, ePath, err := c.exchange(ctx, req)
	if err != nil {
		return err
	}
	return c.handleResponse(resp, req, ePath, out)
}

// callContext applies the client's timeout to ctx unless ctx already has a
// shorter deadline. The returned cancel must always be called.
func (c *Client) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	if c.timeout > 0 {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > c.timeout {
			return context.WithTimeout(ctx, c.timeout)
		}
	}
	return ctx, func() {}
}

// exchange sends req, retrying idempotent requests on retryable statuses and
// connection failures, and returns the final response (any status) with its
// body unread, plus the escaped path for error messages. ctx must already
// carry the call's deadline (see callContext).
func (c *Client) exchange(ctx context.Context, req *request) (*http.Response, string, error) {
	target, err := c.buildURL(req)
	if err != nil {
		return nil, "", err
	}
	// Method and path for error messages: never the query string.
	ePath := target.EscapedPath()

	var (
		payload     []byte
		contentType string
	)
	switch {
	case req.form != nil:
		payload, contentType = []byte(req.form.Encode()), "application/x-www-form-urlencoded"
	case req.hasBody():
		if req.body == nil {
			payload = []byte("{}")
		} else {
			payload, err = json.Marshal(req.body)
			if err != nil {
				return nil, ePath, fmt.Errorf("carrierx: %s %s: encoding request body: %w", req.method, ePath, err)
			}
			if bytes.Equal(payload, []byte("null")) {
				payload = []byte("{}")
			}
		}
		contentType = "application/json"
	}
	accept := req.accept
	if accept == "" {
		accept = "application/json"
	}

	attempts := 1
	if req.idempotent() && !req.noRetry {
		attempts = max(c.retry.maxAttempts, 1)
	}

	for attempt := 1; ; attempt++ {
		hreq, err := http.NewRequestWithContext(ctx, req.method, target.String(), nil)
		if err != nil {
			return nil, ePath, fmt.Errorf("carrierx: %s %s: building request: %w", req.method, ePath, err)
		}
		if payload != nil {
			hreq.Body = io.NopCloser(bytes.NewReader(payload))
			hreq.ContentLength = int64(len(payload))
			p := payload
			hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(p)), nil }
			hreq.Header.Set("Content-Type", contentType)
		}
		hreq.Header.Set("Accept", accept)
		hreq.Header.Set("User-Agent", c.userAgent)
		if !req.noAuth {
			switch c.auth {
			case authBearer:
				hreq.Header.Set("Authorization", "Bearer "+c.token)
			case authBasic:
				hreq.SetBasicAuth(c.login, c.password)
			}
		}

		resp, err := c.http.Do(hreq)
		if err != nil {
			cause := unwrapURLError(err)
			if ctx.Err() != nil {
				return nil, ePath, fmt.Errorf("carrierx: %s %s: %w", req.method, ePath, ctx.Err())
			}
			if attempt < attempts && retryableNetError(cause) {
				if serr := sleepCtx(ctx, c.backoff(attempt, nil)); serr != nil {
					return nil, ePath, fmt.Errorf("carrierx: %s %s: %w (while retrying after: %v)", req.method, ePath, serr, cause)
				}
				continue
			}
			return nil, ePath, fmt.Errorf("carrierx: %s %s: %w", req.method, ePath, cause)
		}

		if attempt < attempts && retryableStatus(resp.StatusCode) {
			wait := c.backoff(attempt, resp.Header)
			drainClose(resp.Body)
			if serr := sleepCtx(ctx, wait); serr != nil {
				return nil, ePath, fmt.Errorf("carrierx: %s %s: %w (while retrying after HTTP %d)", req.method, ePath, serr, resp.StatusCode)
			}
			continue
		}
		return resp, ePath, nil
	}
}

func (c *Client) buildURL(req *request) (*url.URL, error) {
	if req.rawURL != "" {
		u, err := url.Parse(req.rawURL)
		if err != nil {
			return nil, errors.New("carrierx: invalid URL")
		}
		if !c.sameOrigin(u) {
			return nil, errors.New("carrierx: refusing to send a request to another host")
		}
		return u, nil
	}
	u := *c.base
	p := req.path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	// req.path is already escaped (SIDs go through pathEscape).
	full := c.base.EscapedPath() + p
	unesc, err := url.PathUnescape(full)
	if err != nil {
		return nil, errors.New("carrierx: invalid request path")
	}
	u.Path, u.RawPath = unesc, full
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	return &u, nil
}

// sameOrigin reports whether u has the client's scheme and host (default
// ports normalised, host compared case-insensitively) and carries no userinfo.
func (c *Client) sameOrigin(u *url.URL) bool {
	if u == nil || c.base == nil || u.User != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, c.base.Scheme) &&
		strings.EqualFold(hostPort(u), hostPort(c.base))
}

func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

func (c *Client) handleResponse(resp *http.Response, req *request, ePath string, out any) error {
	defer drainClose(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		if req.wrapped || req.maybeWrapped {
			// A wrapped API may wrap its errors too.
			if inner, ok := mediatorEnvelope(body); ok {
				body = inner
			}
		}
		return decodeError(resp.StatusCode, req.method, ePath, body)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent || req.method == http.MethodHead {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return fmt.Errorf("carrierx: %s %s: reading response: %w", req.method, ePath, err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if req.maybeWrapped && !req.wrapped {
		if inner, ok := mediatorEnvelope(body); ok {
			var w struct {
				Status int `json:"status"`
			}
			_ = json.Unmarshal(body, &w)
			if w.Status != 0 && (w.Status < 200 || w.Status > 299) {
				return decodeError(w.Status, req.method, ePath, inner)
			}
			body = inner
		}
	}
	if req.wrapped {
		var w struct {
			Body   json.RawMessage `json:"body"`
			Status int             `json:"status"`
		}
		if err := json.Unmarshal(body, &w); err != nil {
			return fmt.Errorf("carrierx: %s %s: decoding response envelope: %w", req.method, ePath, err)
		}
		if w.Status != 0 && (w.Status < 200 || w.Status > 299) {
			return decodeError(w.Status, req.method, ePath, w.Body)
		}
		body = w.Body
		if len(body) == 0 {
			return nil
		}
	}
	if rb, ok := out.(*rawBody); ok {
		*rb = body
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("carrierx: %s %s: decoding response: %w", req.method, ePath, err)
	}
	return nil
}

// mediatorEnvelope reports whether body is a JSON object whose keys are
// exactly "body" and "status" (status a number), and returns the inner body.
func mediatorEnvelope(body []byte) (json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || len(m) != 2 {
		return nil, false
	}
	b, okB := m["body"]
	st, okS := m["status"]
	if !okB || !okS {
		return nil, false
	}
	var n int
	if json.Unmarshal(st, &n) != nil {
		return nil, false
	}
	return b, true
}

func drainClose(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	_ = rc.Close()
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		// url.Error's text carries the full URL (query string included);
		// callers get method+path from our own wrapping instead.
		return ue.Err
	}
	return err
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableNetError reports connection-level failures worth retrying for an
// idempotent request: resets, unexpected EOFs, refused connections.
func retryableNetError(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// net/http does not always wrap the underlying errno.
	msg := err.Error()
	for _, s := range []string{"connection reset", "connection refused", "broken pipe", "EOF", "server closed idle connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// backoff returns the delay before attempt+1: capped exponential with jitter,
// or the server's Retry-After (seconds or HTTP date), capped at the max delay.
func (c *Client) backoff(attempt int, h http.Header) time.Duration {
	if h != nil {
		if d, ok := parseRetryAfter(h.Get("Retry-After"), time.Now()); ok {
			return min(d, c.retry.max)
		}
	}
	d := c.retry.base
	for i := 1; i < attempt && d < c.retry.max; i++ {
		d *= 2
	}
	d = min(d, c.retry.max)
	if d <= 0 {
		return 0
	}
	// "Equal jitter": half fixed, half random, so the delay never collapses to 0.
	half := d / 2
	return half + rand.N(d-half+1)
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
