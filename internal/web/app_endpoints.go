package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// listAppEndpoints is the index of one hosted application type (Mediator or
// FlexML): the partner's endpoints of that type, each linking to its console.
func (s *Server) listAppEndpoints(typ, title, active string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cx := s.client(c)
		pg := s.page(c, title, active)
		d := views.AppEndpointsData{Title: title, Type: typ, TypeLabel: endpointTypeLabel(typ)}
		routing, err := s.endpointRouting(ctx, cx)
		if err == nil {
			opts := carrierx.ListOptions{Limit: 1000, Order: "name asc", Filter: carrierx.Filter{}.Eq("type", typ)}
			for e, lerr := range cx.AllEndpoints(ctx, opts) {
				if lerr != nil {
					err = lerr
					break
				}
				d.Rows = append(d.Rows, endpointRow(e, routing))
			}
		}
		if err != nil {
			p := explain(err)
			if p.Expired {
				return s.endSession(c)
			}
			d.Error = p.Message
			if p.Outage {
				pg.Outage = p.Message
			}
		}
		return render(c, http.StatusOK, views.AppEndpointsPage(pg, d))
	}
}
