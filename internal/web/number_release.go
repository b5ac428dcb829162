package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// confirmRelease asks, naming the number, before it is released.
func (s *Server) confirmRelease(c echo.Context) error {
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	data := views.ReleaseData{Row: numberRow(*d, nil), CSRF: authOf(c).CSRF, Inline: htmxTarget(c) == "row-"+d.DIDSID}
	if !isHTMX(c) {
		return render(c, http.StatusOK, views.ReleasePage(s.page(c, "Release "+data.Row.International, "numbers"), data))
	}
	return render(c, http.StatusOK, views.ReleaseConfirm(data))
}

// releaseNumber gives a number back to CarrierX. It goes into aging and cannot
// be rented back.
func (s *Server) releaseNumber(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	inline := c.QueryParam("inline") == "1"
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	label := didLabel(*d)
	before := map[string]any{"phonenumber": d.Phonenumber, "name": d.Name, "status": d.Status,
		"trunk_group_sid": d.TrunkGroupSID}
	if err := s.client(c).ReleaseDID(ctx, d.DIDSID); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "release", ObjectType: "did", ObjectSID: d.DIDSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before)})
		data := views.ReleaseData{Row: numberRow(*d, nil), CSRF: a.CSRF, Inline: inline, Error: "Not released: " + p.Message}
		if !isHTMX(c) {
			return echo.NewHTTPError(http.StatusBadGateway, data.Error)
		}
		return renderFragment(c, http.StatusUnprocessableEntity, views.ReleaseConfirm(data), flashError(data.Error))
	}
	s.audit(c, a, store.AuditEntry{Action: "release", ObjectType: "did", ObjectSID: d.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(map[string]any{"status": "aging"})})
	done := flashOK("Released " + label + ". It is aging and no longer yours.")
	if inline && isHTMX(c) {
		// The row disappears; the flash says what happened.
		return renderFragment(c, http.StatusOK, views.Empty(), done)
	}
	return s.redirectWithFlash(c, "/numbers", done)
}
