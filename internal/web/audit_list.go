package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// auditLabels are readable names of the actions the console records; an
// action without one is shown as recorded.
var auditLabels = map[string]string{
	"sign_in": "Sign-in", "sign_out": "Sign-out", "rent": "Rent", "edit": "Edit", "release": "Release",
	"email_invoice": "Email invoice", "create": "Create", "delete": "Delete",
}

func auditOptions(values []string, labels map[string]string) []views.Option {
	out := make([]views.Option, 0, len(values))
	for _, v := range values {
		out = append(out, views.Option{Value: v, Label: orName(labels[v], v)})
	}
	return out
}

// listAudit is the partner's audit log, newest first, in the user's time
// zone: filtered by action, kind of object, outcome, or one object's
// history (?object=SID, linked from that object's page).
func (s *Server) listAudit(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	actions, types, err := s.db.AuditFacets(ctx, a.PartnerSID)
	if err != nil {
		return err
	}
	q := store.AuditQuery{PartnerSID: a.PartnerSID, Limit: 50, ObjectSID: strings.TrimSpace(c.QueryParam("object"))}
	if v := c.QueryParam("action"); slices.Contains(actions, v) {
		q.Action = v
	}
	if v := c.QueryParam("type"); slices.Contains(types, v) {
		q.ObjectType = v
	}
	if v := c.QueryParam("outcome"); v == store.OutcomeOK || v == store.OutcomeError {
		q.Outcome = v
	}
	if len(q.ObjectSID) > 100 {
		q.ObjectSID = ""
	}
	if id, err := strconv.ParseInt(c.QueryParam("before"), 10, 64); err == nil && id > 0 {
		q.BeforeID = id
	}
	entries, more, err := s.db.ListAudit(ctx, q)
	if err != nil {
		return err
	}
	loc := a.location()
	d := views.AuditData{Action: q.Action, Actions: auditOptions(actions, auditLabels), Type: q.ObjectType,
		Types: auditOptions(types, nil), Outcome: q.Outcome, Object: q.ObjectSID, Zone: loc.String()}
	for _, e := range entries {
		d.Rows = append(d.Rows, views.AuditRow{
			When: e.OccurredAt.In(loc).Format("2006-01-02 15:04:05 MST"), Actor: e.Actor, Partner: e.PartnerName,
			Action: e.Action, Object: e.ObjectLabel, ObjectSID: e.ObjectSID, Outcome: e.Outcome,
			Message: e.Message, Before: string(e.Before), After: string(e.After), RemoteAddr: e.RemoteAddr,
		})
	}
	if q.ObjectSID != "" && len(entries) > 0 {
		d.ObjectLabel = entries[0].ObjectLabel
	}
	if more && len(entries) > 0 {
		v := url.Values{}
		for k, val := range map[string]string{"action": q.Action, "type": q.ObjectType, "outcome": q.Outcome, "object": q.ObjectSID} {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.NextURL = "/audit?" + v.Encode()
	}
	return render(c, http.StatusOK, views.AuditPage(s.page(c, "Audit", "audit"), d))
}
