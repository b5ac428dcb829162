package web

import (
	"encoding/json"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/store"
)

// audit records a change made through the console. A failure to write the
// audit row is logged loudly; the change itself has already happened at CarrierX.
func (s *Server) audit(c echo.Context, a *auth, e store.AuditEntry) {
	e.PartnerSID, e.PartnerName, e.Actor = a.PartnerSID, a.PartnerName, a.Login
	e.RemoteAddr = c.RealIP()
	if err := s.db.RecordAudit(c.Request().Context(), e); err != nil {
		s.log.Error("audit write failed", "action", e.Action, "object", e.ObjectSID, "err", err)
	}
}

// jsonOf encodes v for an audit before/after column.
func jsonOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
