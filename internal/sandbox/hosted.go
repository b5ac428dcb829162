package sandbox

import (
	"crypto/subtle"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Hosted APIs (§1.1): Conference v2 (/conference/v2), Conference v1
// (/conference/v1), FlexML (/flexml/v1) and Mediator (/mediator/v1). Each is
// reached with the login and password of one of the partner's endpoints of
// the matching type (HTTP Basic, from the endpoint's properties); that
// endpoint's account is the caller. Core credentials are refused (401), as
// the docs say of old.
//
// A family registers its API from its own file, in an init function:
//
//	func init() {
//		hostedAPIs = append(hostedAPIs, hostedAPI{
//			prefix: "/conference/v2", endpointType: "conference_v2",
//			routes: (*Sandbox).conferenceV2Routes,
//		})
//		endpointCreated = append(endpointCreated, (*Sandbox).provisionConferenceV2)
//		endpointDeleted = append(endpointDeleted, (*Sandbox).removeConferenceV2)
//		tickers = append(tickers, (*Sandbox).tickConferenceV2)
//	}
//
// Handlers of a hosted API always run under the write lock: reading a live
// meeting or call may move it along the sandbox clock.
type hostedAPI struct {
	prefix       string // e.g. "/conference/v2"
	endpointType string // the Core endpoint type whose credentials it takes
	// wrapped answers every response, errors included, as
	// {"body": <payload>, "status": <code>} (Mediator, §2.5). That errors
	// are wrapped too is not confirmed; the python SDK unwraps every
	// Mediator answer, so the wrapper is applied throughout.
	wrapped bool
	routes  func(s *Sandbox, rt *router)
}

var (
	hostedAPIs []hostedAPI
	// endpointCreated runs after a Core endpoint is created (its
	// properties, with account_sid, login and password, are set), under
	// the write lock. Families provision the endpoint's account here.
	endpointCreated []func(s *Sandbox, c *call, ep *record)
	// endpointDeleted runs after a Core endpoint is deleted, under the
	// write lock. Families remove the endpoint's account and its objects.
	endpointDeleted []func(s *Sandbox, ep *record)
	// tickers move live objects (meetings, calls, dialouts, messages)
	// along the sandbox clock, under the write lock. Each returns when it
	// next needs to run (the zero time: nothing pending).
	tickers []func(s *Sandbox, now time.Time) time.Time
)

// hostedRouter is one hosted API with its routes.
type hostedRouter struct {
	api    hostedAPI
	routes *router
}

func (s *Sandbox) buildHosted() {
	for _, api := range hostedAPIs {
		rt := &router{}
		api.routes(s, rt)
		s.hosted = append(s.hosted, &hostedRouter{api: api, routes: rt})
	}
	// Longest prefix first, so /conference/v2 never shadows a longer one.
	sort.Slice(s.hosted, func(i, j int) bool { return len(s.hosted[i].api.prefix) > len(s.hosted[j].api.prefix) })
}

// hostedFor returns the hosted API serving path and the path relative to
// its prefix.
func (s *Sandbox) hostedFor(path string) (*hostedRouter, string) {
	for _, h := range s.hosted {
		if rest, ok := strings.CutPrefix(path, h.api.prefix); ok && (rest == "" || rest[0] == '/') {
			return h, rest
		}
	}
	return nil, ""
}

// accountSID is the hosted account the call acts for: the account_sid of
// the endpoint whose credentials it presented.
func (c *call) accountSID() string {
	if c.endpoint == nil {
		return ""
	}
	if p, ok := c.endpoint.obj["properties"].(object); ok {
		sid, _ := p["account_sid"].(string)
		return sid
	}
	return ""
}

// endpointProperty reads one of an endpoint's properties as a string.
func endpointProperty(ep *record, name string) string {
	if p, ok := ep.obj["properties"].(object); ok {
		v, _ := p[name].(string)
		return v
	}
	return ""
}

// authenticateEndpoint identifies a hosted API caller by HTTP Basic with an
// endpoint's login and password; the endpoint must be of the API's type.
// Callers hold the write lock.
func (s *Sandbox) authenticateEndpoint(c *call, typ string) *apiError {
	login, pw, ok := c.r.BasicAuth()
	if !ok || login == "" {
		return errAuth()
	}
	for _, ep := range s.table(endpointsTable).recs {
		if ep.obj["type"] != typ || endpointProperty(ep, "login") != login {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(endpointProperty(ep, "password")), []byte(pw)) != 1 {
			return errAuth()
		}
		c.endpoint, c.partner = ep, s.partners.get(ep.owner)
		if c.partner == nil {
			return errAuth()
		}
		return nil
	}
	return errAuth()
}

// serveHosted answers a request under a hosted API's prefix.
func (s *Sandbox) serveHosted(w http.ResponseWriter, r *http.Request, h *hostedRouter, rest string) {
	fail := func(e *apiError) {
		if h.api.wrapped {
			for k, vs := range e.Header {
				for _, v := range vs {
					w.Header().Add(k, v)
				}
			}
			writeJSON(w, e.Status, wrappedBody{Body: e, Status: e.Status})
			return
		}
		writeError(w, e)
	}
	rt, params := h.routes.find(rest)
	if rt == nil {
		fail(errRouteNotFound())
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	hf := rt.methods[method]
	if hf == nil {
		allowed := make([]string, 0, len(rt.methods))
		for m := range rt.methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		fail(errMethod(allowed))
		return
	}
	c := &call{s: s, r: r, q: r.URL.Query(), params: params, now: s.now()}
	status, body, err := s.run(c, func(c *call) (int, any, *apiError) {
		if err := s.authenticateEndpoint(c, h.api.endpointType); err != nil {
			return 0, nil, err
		}
		return hf(c)
	}, false)
	if err != nil {
		fail(err)
		return
	}
	if h.api.wrapped {
		if _, raw := body.(*rawResponse); !raw {
			body = wrappedBody{Body: body, Status: status}
		}
	}
	writeJSON(w, status, body)
}

// wrappedBody is Mediator's response wrapper (§2.5).
type wrappedBody struct {
	Body   any `json:"body"`
	Status int `json:"status"`
}

// tick runs the tickers when something is due. nextTick holds the earliest
// time one asked to run again (unix ms; 0 = nothing pending), so requests
// take the write lock only when a live object changes state.
func (s *Sandbox) tick(now time.Time) {
	next := s.nextTick.Load()
	if next == 0 || now.UnixMilli() < next {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runTickers(now)
}

// runTickers runs every ticker and records when to run next. Callers hold
// the write lock.
func (s *Sandbox) runTickers(now time.Time) {
	s.nextTick.Store(0)
	var soonest int64
	for _, t := range tickers {
		if at := t(s, now); !at.IsZero() {
			if ms := max(at.UnixMilli(), 1); soonest == 0 || ms < soonest {
				soonest = ms
			}
		}
	}
	s.wakeAt(soonest)
}

// wake asks for the tickers to run at t (or earlier, if already asked).
// Families call it when they create something that changes on the clock.
func (s *Sandbox) wake(t time.Time) { s.wakeAt(max(t.UnixMilli(), 1)) }

func (s *Sandbox) wakeAt(ms int64) {
	if ms == 0 {
		return
	}
	for {
		cur := s.nextTick.Load()
		if cur != 0 && cur <= ms {
			return
		}
		if s.nextTick.CompareAndSwap(cur, ms) {
			return
		}
	}
}
