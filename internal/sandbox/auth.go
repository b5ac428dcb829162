package sandbox

import (
	"crypto/subtle"
	"net"
	"strings"
)

// authenticate identifies the caller (§1.2): "Authorization: Bearer <token>"
// with a live token, or HTTP Basic with a partner login and password
// (legacy, accepted on Core). Using a token records date_last_accessed and
// ip_last_accessed on it.
func (s *Sandbox) authenticate(c *call) *apiError {
	h := strings.TrimSpace(c.r.Header.Get("Authorization"))
	scheme, cred, _ := strings.Cut(h, " ")
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "bearer":
		s.mu.Lock()
		defer s.mu.Unlock()
		tok := s.liveToken(cred, c)
		if tok == nil {
			return errAuth()
		}
		o := cloneObject(tok.obj)
		o["date_last_accessed"] = formatTS(c.now)
		o["ip_last_accessed"] = clientIP(c)
		tok.set(o)
		c.token, c.partner = tok, s.partners.get(tok.owner)
		if c.partner == nil {
			return errAuth()
		}
		return nil
	case "basic":
		login, pw, ok := c.r.BasicAuth()
		if !ok {
			return errAuth()
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		if p := s.checkPassword(login, pw); p != nil {
			c.partner = p
			return nil
		}
	}
	return errAuth()
}

// liveToken finds an unrevoked, unexpired token by its access token.
func (s *Sandbox) liveToken(access string, c *call) *record {
	tok := s.tokenByAccess[access]
	if tok == nil || access == "" {
		return nil
	}
	if exp, ok := tok.obj["date_expiration_access_token"].(string); ok {
		if t, ok := parseTS(exp); ok && !c.now.Before(t) {
			return nil
		}
	}
	return tok
}

// checkPassword returns the partner with this login and password, or nil.
func (s *Sandbox) checkPassword(login, pw string) *record {
	p := s.byLogin[login]
	if p == nil || subtle.ConstantTimeCompare([]byte(p.secret), []byte(pw)) != 1 {
		return nil
	}
	return p
}

func clientIP(c *call) string {
	if f := strings.TrimSpace(strings.Split(c.r.Header.Get("X-Forwarded-For"), ",")[0]); f != "" {
		return f
	}
	host, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		return c.r.RemoteAddr
	}
	return host
}
