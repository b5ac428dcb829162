package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
)

// routeToEndpoint makes an endpoint reachable in one step: a new trunk
// group whose one trunk delivers to it, created in a single CarrierX call
// (group and trunk together, so nothing is left half made). Numbers are then
// assigned to the group from My numbers.
func (s *Server) routeToEndpoint(c echo.Context) error {
	a := authOf(c)
	e, err := s.getEndpoint(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	back := "/endpoints/" + e.EndpointSID
	if e.Type == carrierx.EndpointSystemGateway {
		return echo.NewHTTPError(http.StatusForbidden, "The System Gateway is managed by CarrierX.")
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" {
		return s.redirectWithFlash(c, back, flashError("Give the new trunk group a name."))
	}
	trunk := orName(e.Name, "trunk")
	g, err := s.client(c).CreateTrunkGroup(c.Request().Context(), carrierx.TrunkGroupUpdate{
		Name:   carrierx.Set(name),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set(trunk), EndpointSID: carrierx.Set(e.EndpointSID)}}),
	})
	after := map[string]any{"name": name, "trunks": []map[string]any{{"name": trunk, "endpoint_sid": e.EndpointSID}}}
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "trunk_group", ObjectLabel: name,
			Outcome: store.OutcomeError, Message: p.Message, After: jsonOf(after)})
		return s.redirectWithFlash(c, back, flashError("No trunk group created: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: name,
		Outcome: store.OutcomeOK, After: jsonOf(after)})
	return s.redirectWithFlash(c, "/trunk-groups/"+g.TrunkGroupSID,
		flashOK("Created trunk group "+name+": its trunk delivers to "+endpointLabel(*e)+
			". Assign numbers to it from My numbers (select them, then choose this group)."))
}
