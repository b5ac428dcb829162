package web

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// maxAttentionListed bounds the numbers the panel names.
const maxAttentionListed = 10

// showAttention checks the partner's routing: numbers in no trunk group,
// and trunk groups whose trunks reach no endpoint (none, or one that no
// longer exists). It reads every number, so the overview loads it after
// the page. Which numbers have no trunk group is worked out here, not with
// a "trunk_group_sid eq null" filter: that form is not confirmed on
// CarrierX.
func (s *Server) showAttention(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	var d views.AttentionData
	err := func() error {
		endpoints := map[string]bool{}
		for e, err := range cx.AllEndpoints(ctx, carrierx.ListOptions{Limit: 1000, IncludeFields: []string{"endpoint_sid"}}) {
			if err != nil {
				return err
			}
			endpoints[e.EndpointSID] = true
		}
		nowhere := map[string]*views.AttentionGroup{}
		for g, err := range cx.AllTrunkGroups(ctx, carrierx.ListOptions{Limit: 1000, Params: map[string][]string{"with_trunks": {"true"}}}) {
			if err != nil {
				return err
			}
			reason := "it has no trunks"
			if len(g.Trunks) > 0 {
				reason = "no trunk names an endpoint"
			}
			live := false
			for _, t := range g.Trunks {
				if ep := deref(t.EndpointSID); ep != "" {
					if endpoints[ep] {
						live = true
					} else {
						reason = "its trunks name endpoints that no longer exist"
					}
				}
			}
			if !live {
				nowhere[g.TrunkGroupSID] = &views.AttentionGroup{SID: g.TrunkGroupSID, Name: g.Name, Reason: reason}
			}
		}
		opts := carrierx.ListOptions{Limit: 1000, Order: "phonenumber asc",
			IncludeFields: []string{"did_sid", "phonenumber", "international_format", "name", "trunk_group_sid"}}
		for n, err := range cx.AllDIDs(ctx, opts) {
			if err != nil {
				return err
			}
			tg := deref(n.TrunkGroupSID)
			switch {
			case tg == "" && len(d.NoGroup) < maxAttentionListed:
				d.NoGroup = append(d.NoGroup, views.AttentionNumber{SID: n.DIDSID, Number: orName(n.InternationalFormat, "+"+n.Phonenumber), Name: n.Name})
			case tg == "":
				d.NoGroupMore++
			case nowhere[tg] != nil:
				nowhere[tg].Numbers++
				d.NowhereCount++
			}
		}
		for _, g := range nowhere {
			d.Nowhere = append(d.Nowhere, *g)
		}
		sort.Slice(d.Nowhere, func(i, j int) bool { return d.Nowhere[i].Name < d.Nowhere[j].Name })
		return nil
	}()
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		d = views.AttentionData{Error: "The routing could not be checked: " + p.Message}
	}
	if !isHTMX(c) {
		pg := s.page(c, "Needs attention", "overview")
		return render(c, http.StatusOK, views.AttentionPage(pg, d))
	}
	return render(c, http.StatusOK, views.AttentionView(d))
}
