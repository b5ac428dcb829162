package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// The sign-in form has no session yet, so its CSRF token is a double-submit
// cookie: the form must echo the cookie's random value.
const loginCSRFCookie = "cxconsole_login_csrf"

var signInReasons = map[string]string{
	"expired":    "Your session has ended. Sign in again.",
	"signed_out": "You have signed out.",
	"token":      "CarrierX no longer accepts your session. Sign in again.",
}

func (s *Server) showLogin(c echo.Context) error {
	if sess, err := s.sessions.Get(c.Request(), sessionCookie); err == nil && !sess.IsNew {
		if sid, _ := sess.Values[keyPartnerSID].(string); sid != "" {
			return c.Redirect(http.StatusSeeOther, "/numbers")
		}
	}
	d := views.LoginData{DemoHint: s.cfg.DemoHint, Error: signInReasons[c.QueryParam("reason")]}
	return s.renderLogin(c, http.StatusOK, d)
}

func (s *Server) renderLogin(c echo.Context, status int, d views.LoginData) error {
	// Keep a token the browser already holds, so that two tabs (or a stray
	// request for the login page) do not invalidate each other's form.
	if ck, err := c.Cookie(loginCSRFCookie); err == nil && len(ck.Value) == 43 {
		d.CSRF = ck.Value
	} else {
		d.CSRF = newSessionID()
	}
	d.DemoHint = s.cfg.DemoHint
	c.SetCookie(&http.Cookie{
		Name: loginCSRFCookie, Value: d.CSRF, Path: "/login", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies || c.Request().TLS != nil,
		MaxAge: int((2 * time.Hour).Seconds()),
	})
	return render(c, status, views.LoginPage(d))
}

func (s *Server) submitLogin(c echo.Context) error {
	ctx := c.Request().Context()
	login := strings.TrimSpace(c.FormValue("login"))
	password := c.FormValue("password")
	d := views.LoginData{Login: login}

	ck, err := c.Cookie(loginCSRFCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.FormValue("_csrf"))) != 1 {
		d.Error = "The sign-in form expired. Enter your password again."
		return s.renderLogin(c, http.StatusForbidden, d)
	}
	if login == "" || password == "" {
		d.Error = "Enter your CarrierX partner login and password."
		return s.renderLogin(c, http.StatusUnprocessableEntity, d)
	}

	client := c.RealIP()
	wait, err := s.db.LoginWait(ctx, client, time.Now())
	if err != nil {
		return err
	}
	if wait > 0 {
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds()+0.999)))
		d.Error = fmt.Sprintf("Too many failed sign-ins from your address. Wait %d seconds and try again.", int(wait.Seconds()+0.999))
		return s.renderLogin(c, http.StatusTooManyRequests, d)
	}

	tok, err := s.cx.WithoutAuth().CreateToken(ctx, carrierx.TokenRequest{Login: login, Password: password, Name: "carrierx-console"})
	if err != nil {
		p := explain(err)
		status := carrierx.StatusOf(err)
		if status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusBadRequest {
			if err := s.db.RecordLoginFailure(ctx, client, time.Now()); err != nil {
				return err
			}
			s.log.Info("sign-in refused", "login", login, "client", client, "status", status)
			d.Error = "CarrierX did not accept that login and password."
			return s.renderLogin(c, http.StatusUnauthorized, d)
		}
		d.Error = p.Message + " Sign-in is not possible until it answers."
		return s.renderLogin(c, http.StatusServiceUnavailable, d)
	}

	cx := s.cx.WithBearer(tok.AccessToken)
	partnerName := login
	if who, err := cx.WhoAmI(ctx); err == nil {
		partnerName = firstNonEmpty(who.Name, who.CompanyName, login)
	} else {
		s.log.Warn("whoami failed after sign-in", "err", err)
	}

	sess, err := s.sessions.Get(c.Request(), sessionCookie)
	if err != nil {
		return err
	}
	// A new id at every sign-in, so an id planted before it is worthless.
	if err := s.sessions.rotate(c.Request(), sess); err != nil {
		return err
	}
	sess.Values[keyToken] = tok.AccessToken
	sess.Values[keyTokenSID] = tok.TokenSID
	if tok.DateExpirationAccessToken != nil {
		sess.Values[keyTokenExpiry] = tok.DateExpirationAccessToken.Unix()
	}
	sess.Values[keyPartnerSID] = tok.PartnerSID
	sess.Values[keyPartnerName] = partnerName
	sess.Values[keyLogin] = login
	sess.Values[keyCSRF] = newSessionID()
	sess.Values[keyTimeZone] = "UTC"
	if err := s.sessions.Save(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true})
	if err := s.db.ClearLoginFailures(ctx, client); err != nil {
		s.log.Error("clear login failures", "err", err)
	}
	s.audit(c, &auth{PartnerSID: tok.PartnerSID, PartnerName: partnerName, Login: login},
		store.AuditEntry{Action: "sign_in", ObjectType: "session", ObjectLabel: login, Outcome: store.OutcomeOK})
	s.scheduler.SyncNow(tok.PartnerSID) // bring the report cache up to date

	return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
}

// safeNext keeps post-sign-in redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/numbers"
	}
	return next
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

// logout revokes the CarrierX token and deletes the session row: a copied
// cookie is useless afterwards.
func (s *Server) logout(c echo.Context) error {
	a := authOf(c)
	if err := s.cx.WithBearer(a.Token).RevokeToken(c.Request().Context(), a.Token); err != nil {
		s.log.Warn("revoke token at sign-out", "token_sid", a.TokenSID, "err", err)
	}
	if err := s.sessions.destroy(c.Request(), c.Response(), a.session); err != nil {
		return err
	}
	s.audit(c, a, store.AuditEntry{Action: "sign_out", ObjectType: "session", ObjectLabel: a.Login, Outcome: store.OutcomeOK})
	return c.Redirect(http.StatusSeeOther, "/login?reason=signed_out")
}

// endSession is for a token CarrierX no longer accepts: the session goes, and
// the user is sent to sign in again.
func (s *Server) endSession(c echo.Context) error {
	if a := authOf(c); a != nil {
		if err := s.sessions.destroy(c.Request(), c.Response(), a.session); err != nil {
			return err
		}
	}
	return s.toSignIn(c, "token")
}
