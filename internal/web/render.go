package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/views"
)

// isHTMX reports whether the request came from htmx and wants a fragment.
// A history restore asks for the whole page.
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-History-Restore-Request") != "true" && h.Get("HX-Boosted") != "true"
}

// htmxTarget is the id of the element an htmx request will swap.
func htmxTarget(c echo.Context) string { return c.Request().Header.Get("HX-Target") }

func render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// renderFragment renders comp followed by the flash area, swapped out of band.
func renderFragment(c echo.Context, status int, comp templ.Component, flashes ...views.Flash) error {
	if len(flashes) == 0 {
		return render(c, status, comp)
	}
	return render(c, status, templ.Join(comp, views.FlashesOOB(flashes)))
}

func (s *Server) renderFlashOnly(c echo.Context, status int, flashes ...views.Flash) error {
	return render(c, status, views.FlashesOOB(flashes))
}

// rowDeleteReply answers a delete made from a table row: a plain post goes
// back to the page with the flash; htmx gets the flash alone, so the row
// goes when the delete was done and stays (no swap) when it was refused.
func (s *Server) rowDeleteReply(c echo.Context, back string, status int, fl views.Flash) error {
	if !isHTMX(c) {
		return s.redirectWithFlash(c, back, fl)
	}
	if status >= 400 {
		c.Response().Header().Set("HX-Reswap", "none")
	}
	return s.renderFlashOnly(c, status, fl)
}

func (s *Server) renderErrorPage(c echo.Context, status int, msg string) error {
	if authOf(c) == nil {
		return c.String(status, msg)
	}
	return render(c, status, views.ErrorPage(s.page(c, "Error", ""), status, msg))
}

func flashOK(text string) views.Flash    { return views.Flash{Kind: views.FlashOK, Text: text} }
func flashError(text string) views.Flash { return views.Flash{Kind: views.FlashError, Text: text} }
func flashInfo(text string) views.Flash  { return views.Flash{Kind: views.FlashInfo, Text: text} }

// zones offered in the time-zone selector.
var zones = []string{
	"UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
	"America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Sao_Paulo",
	"Europe/London", "Europe/Berlin", "Europe/Moscow", "Asia/Kolkata", "Asia/Singapore",
	"Asia/Tokyo", "Australia/Sydney",
}

// location is the user's chosen time zone (UTC until chosen).
func (a *auth) location() *time.Location {
	if a != nil && a.TimeZone != "" {
		if loc, err := time.LoadLocation(a.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// page is the layout data of a full page, taking the pending flashes with it.
func (s *Server) page(c echo.Context, title, nav string) views.Page {
	a := authOf(c)
	p := views.Page{Title: title, Nav: nav, Zones: zones, TimeZone: "UTC"}
	if a == nil {
		return p
	}
	p.PartnerName, p.Login, p.CSRF = a.PartnerName, a.Login, a.CSRF
	if a.TimeZone != "" {
		p.TimeZone = a.TimeZone
	}
	if raw, ok := a.session.Values[keyFlash].(string); ok && raw != "" {
		_ = json.Unmarshal([]byte(raw), &p.Flashes)
		delete(a.session.Values, keyFlash)
		if err := s.sessions.Save(c.Request(), c.Response(), a.session); err != nil {
			s.log.Error("save session", "err", err)
		}
	}
	return p
}

// addFlash keeps a flash in the session for the next full page (after a redirect).
func (s *Server) addFlash(c echo.Context, f views.Flash) error {
	a := authOf(c)
	if a == nil {
		return nil
	}
	var fs []views.Flash
	if raw, ok := a.session.Values[keyFlash].(string); ok && raw != "" {
		_ = json.Unmarshal([]byte(raw), &fs)
	}
	fs = append(fs, f)
	b, _ := json.Marshal(fs)
	a.session.Values[keyFlash] = string(b)
	return s.sessions.Save(c.Request(), c.Response(), a.session)
}

// redirectWithFlash sends the browser to target with a flash waiting there;
// an htmx request gets HX-Redirect so the whole page changes.
func (s *Server) redirectWithFlash(c echo.Context, target string, f views.Flash) error {
	if err := s.addFlash(c, f); err != nil {
		return err
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, target)
}
