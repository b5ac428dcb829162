package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"
)

// saveTimeZone stores the zone times are shown in; everything is kept in UTC.
func (s *Server) saveTimeZone(c echo.Context) error {
	a := authOf(c)
	tz := c.FormValue("tz")
	if !slices.Contains(zones, tz) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Unknown time zone.")
	}
	a.session.Values[keyTimeZone] = tz
	if err := s.sessions.Save(c.Request(), c.Response(), a.session); err != nil {
		return err
	}
	back := "/numbers"
	if ref, err := url.Parse(c.Request().Referer()); err == nil && ref.Host == c.Request().Host && ref.Path != "" {
		back = ref.RequestURI()
	}
	return s.redirectWithFlash(c, back, flashOK("Times are now shown in "+tz+"."))
}
