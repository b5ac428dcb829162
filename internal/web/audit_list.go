package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

var auditActions = []views.Option{
	{Value: "sign_in", Label: "Sign-in"}, {Value: "sign_out", Label: "Sign-out"},
	{Value: "rent", Label: "Rent"}, {Value: "edit", Label: "Edit"}, {Value: "release", Label: "Release"},
	{Value: "email_invoice", Label: "Email invoice"},
}

// listAudit is the partner's audit log, newest first, in the user's time zone.
func (s *Server) listAudit(c echo.Context) error {
	a := authOf(c)
	q := store.AuditQuery{PartnerSID: a.PartnerSID, Limit: 50}
	for _, o := range auditActions {
		if o.Value == c.QueryParam("action") {
			q.Action = o.Value
		}
	}
	if id, err := strconv.ParseInt(c.QueryParam("before"), 10, 64); err == nil && id > 0 {
		q.BeforeID = id
	}
	entries, more, err := s.db.ListAudit(c.Request().Context(), q)
	if err != nil {
		return err
	}
	loc := a.location()
	d := views.AuditData{Action: q.Action, Actions: auditActions, Zone: loc.String()}
	for _, e := range entries {
		d.Rows = append(d.Rows, views.AuditRow{
			When: e.OccurredAt.In(loc).Format("2006-01-02 15:04:05 MST"), Actor: e.Actor, Partner: e.PartnerName,
			Action: e.Action, Object: e.ObjectLabel, ObjectSID: e.ObjectSID, Outcome: e.Outcome,
			Message: e.Message, Before: string(e.Before), After: string(e.After), RemoteAddr: e.RemoteAddr,
		})
	}
	if more && len(entries) > 0 {
		v := url.Values{}
		if q.Action != "" {
			v.Set("action", q.Action)
		}
		v.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.NextURL = "/audit?" + v.Encode()
	}
	return render(c, http.StatusOK, views.AuditPage(s.page(c, "Audit", "audit"), d))
}
