package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// call is one request being served.
type call struct {
	s       *Sandbox
	r       *http.Request
	q       url.Values
	params  map[string]string
	partner *record // the authenticated partner
	token   *record // the bearer token used, nil for Basic
	// endpoint is the endpoint whose credentials a hosted API call
	// presented (hosted.go); nil on Core.
	endpoint *record
	now      time.Time
}

func (c *call) param(name string) string { return c.params[name] }

// handlerFunc answers a call: a status and a JSON body (nil = empty body), or
// an error in CarrierX's shape. It runs under the sandbox lock (read lock for
// GET), and must return values that are not mutated afterwards.
type handlerFunc func(c *call) (int, any, *apiError)

type route struct {
	segs    []string // literal segments, or "{name}" parameters
	methods map[string]handlerFunc
	public  bool // no authentication (POST /oauth/token)
}

type router struct{ routes []*route }

// handle registers h for the space-separated methods on pattern.
func (rt *router) handle(methods, pattern string, h handlerFunc) *route {
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	var r *route
	for _, x := range rt.routes {
		if strings.Join(x.segs, "/") == strings.Join(segs, "/") {
			r = x
		}
	}
	if r == nil {
		r = &route{segs: segs, methods: map[string]handlerFunc{}}
		rt.routes = append(rt.routes, r)
	}
	for _, m := range strings.Fields(methods) {
		r.methods[m] = h
	}
	return r
}

// find matches path (relative to /core/v2). Literal segments win over
// parameters.
func (rt *router) find(path string) (*route, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *route
	var bestParams map[string]string
	bestLits := -1
	for _, r := range rt.routes {
		if len(r.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		lits := 0
		ok := true
		for i, s := range r.segs {
			if strings.HasPrefix(s, "{") {
				if segs[i] == "" {
					ok = false
					break
				}
				params[strings.Trim(s, "{}")] = segs[i]
				continue
			}
			if s != segs[i] {
				ok = false
				break
			}
			lits++
		}
		if ok && lits > bestLits {
			best, bestParams, bestLits = r, params, lits
		}
	}
	return best, bestParams
}

const corePrefix = "/core/v2"

func (s *Sandbox) serve(w http.ResponseWriter, r *http.Request) {
	if s.fault(w, r) {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.tick(s.now())
	rest, ok := strings.CutPrefix(r.URL.Path, corePrefix)
	if !ok || (rest != "" && rest[0] != '/') {
		if h, rest := s.hostedFor(r.URL.Path); h != nil {
			s.serveHosted(w, r, h, rest)
			return
		}
		writeError(w, errRouteNotFound())
		return
	}
	rt, params := s.routes.find(rest)
	if rt == nil {
		writeError(w, errRouteNotFound())
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
		writeError(w, errMethod(allowed))
		return
	}
	c := &call{s: s, r: r, q: r.URL.Query(), params: params, now: s.now()}
	if !rt.public {
		if err := s.authenticate(c); err != nil {
			writeError(w, err)
			return
		}
	} else if r.Header.Get("Authorization") != "" {
		_ = s.authenticate(c) // optional identity (e.g. POST /oauth/token)
	}
	status, body, err := s.run(c, hf, method == http.MethodGet)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, status, body)
}

// run calls hf under the sandbox lock and turns a panic into a 500.
func (s *Sandbox) run(c *call, hf handlerFunc, read bool) (status int, body any, aerr *apiError) {
	if read {
		s.mu.RLock()
		defer s.mu.RUnlock()
	} else {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	defer func() {
		if p := recover(); p != nil {
			status, body, aerr = 0, nil, errStatus(http.StatusInternalServerError)
		}
	}()
	return hf(c)
}
