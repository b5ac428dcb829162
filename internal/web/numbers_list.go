package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

const numbersPageSize = 25

var numberSorts = []string{"phonenumber", "name", "state"}

func parseNumbersQuery(c echo.Context) views.NumbersQuery {
	q := views.NumbersQuery{
		Contains:   digitsOnly(c.QueryParam("contains")),
		Name:       strings.TrimSpace(c.QueryParam("name")),
		State:      strings.ToUpper(strings.TrimSpace(c.QueryParam("state"))),
		TrunkGroup: strings.TrimSpace(c.QueryParam("trunk_group")),
		Sort:       c.QueryParam("sort"),
		Desc:       c.QueryParam("dir") == "desc",
		Limit:      numbersPageSize,
	}
	if !slices.Contains(numberSorts, q.Sort) {
		q.Sort = ""
	}
	if !slices.Contains(usStates, q.State) {
		q.State = ""
	}
	if n, err := strconv.Atoi(c.QueryParam("offset")); err == nil && n > 0 {
		q.Offset = n
	}
	return q
}

// numbersListOptions is the CarrierX query for a My numbers search.
func numbersListOptions(q views.NumbersQuery) carrierx.ListOptions {
	f := carrierx.Filter{}
	if q.Contains != "" {
		f = f.Like("phonenumber", "%"+q.Contains+"%")
	}
	if q.Name != "" {
		// like, not ilike: ilike is not confirmed on CarrierX, so the name
		// search is case-sensitive.
		f = f.Like("name", "%"+q.Name+"%")
	}
	if q.State != "" {
		f = f.Eq("state", q.State)
	}
	if q.TrunkGroup != "" {
		f = f.Eq("trunk_group_sid", q.TrunkGroup)
	}
	order := q.Sort
	if order == "" {
		order = "phonenumber"
	}
	if q.Desc {
		order += " desc"
	} else {
		order += " asc"
	}
	return carrierx.ListOptions{Filter: f, Order: order, Limit: q.Limit, Offset: q.Offset}
}

// listNumbers is My numbers: the partner's rented DIDs, searched, sorted and paged.
func (s *Server) listNumbers(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	q := parseNumbersQuery(c)
	d := views.NumbersData{Query: q, States: stateOptions(), CSRF: authOf(c).CSRF}
	var outage string

	tg, err := s.trunkGroups(ctx, cx)
	if err == nil {
		var page *carrierx.Page[carrierx.DID]
		page, err = cx.ListDIDs(ctx, numbersListOptions(q))
		if err == nil {
			for _, did := range page.Items {
				d.Rows = append(d.Rows, numberRow(did, tg))
			}
			d.HasMore = page.HasMore
			if page.Total != nil {
				d.Total = *page.Total
			}
		}
	}
	d.TrunkGroups = tg.options()
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		d.Error = p.Message
		if p.Outage {
			outage = p.Message
		}
	}
	if isHTMX(c) && htmxTarget(c) == "numbers-results" {
		return render(c, http.StatusOK, views.NumbersResults(d))
	}
	pg := s.page(c, "My numbers", "numbers")
	pg.Outage = outage
	return render(c, http.StatusOK, views.NumbersPage(pg, d))
}
