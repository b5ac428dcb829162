package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
)

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if c.Request().TLS != nil || s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			// Pages hold partner data: never keep them in shared or back-forward caches.
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// logRequests logs one line per request: never bodies, cookies or tokens.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		r := c.Request()
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", c.Response().Status,
			"duration_ms", time.Since(start).Milliseconds(), "client", c.RealIP(), "htmx", isHTMX(c))
		return nil
	}
}

// Request bodies are bounded: forms are small; only a file upload to
// storage may be large.
const (
	maxFormBody   = 2 << 20
	maxUploadBody = 100 << 20
)

// limitBodies caps every request body before anything reads it (the CSRF
// check reads the form). A body over the cap fails with 413.
func limitBodies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body != nil && r.Body != http.NoBody {
			limit := int64(maxFormBody)
			if strings.HasSuffix(r.URL.Path, "/upload") && strings.HasPrefix(r.URL.Path, "/storage/") {
				limit = maxUploadBody
			}
			if r.ContentLength > limit {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request is too large.")
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		}
		return next(c)
	}
}

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // abort the response: a cut-off download must not look complete
				}
				s.log.Error("panic", "path", c.Request().URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				err = echo.NewHTTPError(http.StatusInternalServerError, "The console hit an internal error.")
			}
		}()
		return next(c)
	}
}

type ctxKey int

const clientIPKey ctxKey = iota

func clientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey).(string); ok {
		return ip
	}
	return r.RemoteAddr
}

// auth is the signed-in partner of a request.
type auth struct {
	Token       string
	TokenSID    string
	PartnerSID  string
	PartnerName string
	Login       string
	CSRF        string
	TimeZone    string
	session     *sessions.Session
}

const authKey = "auth"

func authOf(c echo.Context) *auth {
	a, _ := c.Get(authKey).(*auth)
	return a
}

// loadSession reads the session named by the cookie, if any.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		r = r.WithContext(context.WithValue(r.Context(), clientIPKey, c.RealIP()))
		c.SetRequest(r)
		sess, err := s.sessions.Get(r, sessionCookie)
		if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		str := func(k string) string { v, _ := sess.Values[k].(string); return v }
		if str(keyPartnerSID) != "" {
			if exp, _ := sess.Values[keyTokenExpiry].(int64); exp != 0 && time.Now().Unix() >= exp {
				// The CarrierX token has expired: the session is over.
				_ = s.sessions.destroy(r, c.Response(), sess)
			} else {
				c.Set(authKey, &auth{
					Token: str(keyToken), TokenSID: str(keyTokenSID), PartnerSID: str(keyPartnerSID),
					PartnerName: str(keyPartnerName), Login: str(keyLogin), CSRF: str(keyCSRF),
					TimeZone: str(keyTimeZone), session: sess,
				})
			}
		}
		return next(c)
	}
}

// requireSignIn sends requests without a live session to the sign-in page; an
// htmx request gets HX-Redirect so the whole page goes there.
func (s *Server) requireSignIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if authOf(c) != nil {
			return next(c)
		}
		return s.toSignIn(c, "")
	}
}

func (s *Server) toSignIn(c echo.Context, reason string) error {
	target := "/login"
	q := url.Values{}
	if r := c.Request(); r.Method == http.MethodGet && !isHTMX(c) && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	if reason != "" {
		q.Set("reason", reason)
	}
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

var errCSRF = echo.NewHTTPError(http.StatusForbidden,
	"This form has expired or did not come from the console. Reload the page and try again.")

// checkOrigin refuses unsafe requests whose Origin (or Referer) is another site.
func (s *Server) checkOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !isUnsafe(r.Method) {
			return next(c)
		}
		origin := r.Header.Get("Origin")
		if origin == "" {
			origin = r.Header.Get("Referer")
		}
		if origin != "" && origin != "null" {
			u, err := url.Parse(origin)
			if err != nil || u.Host != r.Host {
				return errCSRF
			}
		}
		return next(c)
	}
}

// checkCSRF requires the session's token on every unsafe request, from the
// X-CSRF-Token header (htmx) or the _csrf form field.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !isUnsafe(c.Request().Method) {
			return next(c)
		}
		a := authOf(c)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if a == nil || a.CSRF == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.CSRF)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}

// handleError renders errors where the user is looking: a flash for htmx, a page otherwise.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	msg := "The console hit an internal error. Nothing more was changed; try again."
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(status)
		}
	} else {
		s.log.Error("request failed", "path", c.Request().URL.Path, "err", err)
	}
	if status == http.StatusNotFound && msg == "Not Found" {
		msg = "There is no such page."
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Reswap", "none")
		_ = s.renderFlashOnly(c, status, flashError(msg))
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/static/") || c.Request().URL.Path == "/healthz" || c.Request().URL.Path == "/readyz" {
		_ = c.String(status, msg)
		return
	}
	_ = s.renderErrorPage(c, status, msg)
}
