package sandbox

import (
	"net"
	"net/http"
	"strings"
)

// Faults makes the sandbox fail requests on purpose, to exercise clients'
// retry and error paths. CarrierX's own 429/5xx behaviour and headers are not
// confirmed (§3.1); bodies use the usual error shape.
type Faults struct {
	Status     int    // e.g. 429 or 503; 0 = none
	RetryAfter string // value of the Retry-After header sent with Status, "" = none
	Reset      bool   // instead of answering, abort the TCP connection (hijack and close)
	Count      int    // how many matching requests fail before faults stop (0 = unlimited)
	Method     string // only this HTTP method ("" = all)
	PathPrefix string // only paths with this prefix, e.g. "/core/v2/phonenumber" ("" = all)
}

// InjectFaults replaces any faults in force. A Faults with neither Status nor
// Reset clears them.
func (s *Sandbox) InjectFaults(f Faults) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if f.Status == 0 && !f.Reset {
		s.faults = nil
		return
	}
	s.faults = &f
	s.faultLeft = f.Count
}

// FaultHits is how many requests were failed by injected faults so far.
func (s *Sandbox) FaultHits() int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faultHits
}

// fault fails the request if an injected fault matches; it reports whether
// the request was handled.
func (s *Sandbox) fault(w http.ResponseWriter, r *http.Request) bool {
	s.faultMu.Lock()
	f := s.faults
	if f == nil || (f.Method != "" && !strings.EqualFold(f.Method, r.Method)) ||
		(f.PathPrefix != "" && !strings.HasPrefix(r.URL.Path, f.PathPrefix)) {
		s.faultMu.Unlock()
		return false
	}
	if f.Count > 0 {
		s.faultLeft--
		if s.faultLeft <= 0 {
			s.faults = nil
		}
	}
	s.faultHits++
	s.faultMu.Unlock()

	if f.Reset {
		resetConn(w)
		return true
	}
	e := errStatus(f.Status)
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeError(w, e)
	return true
}

// resetConn aborts the connection without an answer: hijacked and closed
// with SO_LINGER 0 so the peer sees a TCP reset.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
