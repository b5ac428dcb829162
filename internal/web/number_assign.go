package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Bulk assignment of numbers to a trunk group, from My numbers: select,
// choose a group, review what will change, apply. Each number is changed on
// its own; a failure is listed beside that number and the others go on.
// Applying twice changes nothing the second time (the numbers are already
// there), so a repeated submission does no harm.

// maxAssign bounds one assignment.
const maxAssign = 1000

// assignTarget reads the chosen trunk group and the selected numbers (as
// CarrierX has them now: a SID that is not one of the partner's numbers is
// listed as an error, never changed).
func (s *Server) assignTarget(c echo.Context) (views.AssignData, []carrierx.DID, error) {
	ctx := c.Request().Context()
	cx := s.client(c)
	data := views.AssignData{GroupSID: c.FormValue("trunk_group_sid"), CSRF: authOf(c).CSRF}
	form, _ := c.FormParams()
	sids := slices.Compact(slices.Sorted(slices.Values(form["did"])))
	if len(sids) == 0 {
		return data, nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "Select at least one number in My numbers, then choose a trunk group.")
	}
	if len(sids) > maxAssign {
		return data, nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "Assign at most 1000 numbers at a time.")
	}
	if data.GroupSID == "" {
		return data, nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "Choose the trunk group to assign the numbers to.")
	}
	tg, err := s.trunkGroups(ctx, cx)
	if err != nil {
		return data, nil, err
	}
	name, ok := tg[data.GroupSID]
	if !ok {
		return data, nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "That trunk group is not one of yours.")
	}
	data.GroupName = name
	found, err := s.didsBySID(ctx, cx, sids)
	if err != nil {
		return data, nil, err
	}
	var dids []carrierx.DID
	for _, sid := range sids {
		d, ok := found[sid]
		if !ok {
			data.Items = append(data.Items, views.AssignItem{SID: sid, Number: sid, Outcome: "error", Message: "not one of your numbers"})
			continue
		}
		cur := deref(d.TrunkGroupSID)
		it := views.AssignItem{SID: sid, Number: numberRow(d, nil).International, Name: d.Name, From: tg[cur],
			Unchanged: cur == data.GroupSID}
		if cur != "" && it.From == "" {
			it.From = cur
		}
		data.Items = append(data.Items, it)
		dids = append(dids, d)
	}
	return data, dids, nil
}

// didsBySID reads the partner's numbers with these SIDs, 100 at a time.
func (s *Server) didsBySID(ctx context.Context, cx *carrierx.Client, sids []string) (map[string]carrierx.DID, error) {
	out := map[string]carrierx.DID{}
	for start := 0; start < len(sids); start += 100 {
		chunk := sids[start:min(start+100, len(sids))]
		vals := make([]any, len(chunk))
		for i, s := range chunk {
			vals[i] = s
		}
		for d, err := range cx.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000, Filter: carrierx.Filter{}.In("did_sid", vals...)}) {
			if err != nil {
				return nil, err
			}
			out[d.DIDSID] = d
		}
	}
	return out, nil
}

// reviewAssign shows what an assignment will change, before it does.
func (s *Server) reviewAssign(c echo.Context) error {
	data, _, err := s.assignTarget(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	return render(c, http.StatusOK, views.AssignPage(s.page(c, "Assign numbers to "+data.GroupName, "numbers"), data))
}

// applyAssign assigns each number in turn and reports each outcome.
func (s *Server) applyAssign(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	data, dids, err := s.assignTarget(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	cx := s.client(c)
	byS := map[string]carrierx.DID{}
	for _, d := range dids {
		byS[d.DIDSID] = d
	}
	for i := range data.Items {
		it := &data.Items[i]
		d, ok := byS[it.SID]
		switch {
		case !ok:
			data.Failed++
			continue
		case it.Unchanged:
			it.Outcome = "unchanged"
			data.Unchanged++
			continue
		}
		before := map[string]any{"trunk_group_sid": d.TrunkGroupSID}
		after := map[string]any{"trunk_group_sid": data.GroupSID}
		_, err := cx.UpdateDID(ctx, d.DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(data.GroupSID)})
		if err != nil {
			p := explain(err)
			if p.Expired {
				return s.endSession(c)
			}
			it.Outcome, it.Message = "error", p.Message
			data.Failed++
			s.audit(c, a, store.AuditEntry{Action: "assign trunk group", ObjectType: "did", ObjectSID: d.DIDSID, ObjectLabel: didLabel(d),
				Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before), After: jsonOf(after)})
			continue
		}
		it.Outcome = "ok"
		data.OK++
		s.audit(c, a, store.AuditEntry{Action: "assign trunk group", ObjectType: "did", ObjectSID: d.DIDSID, ObjectLabel: didLabel(d),
			Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(after)})
	}
	data.Applied = true
	pg := s.page(c, "Assigned to "+data.GroupName, "numbers")
	status := http.StatusOK
	if data.Failed > 0 {
		pg.Flashes = append(pg.Flashes, flashError("Some numbers were not assigned: see each one below."))
	} else {
		pg.Flashes = append(pg.Flashes, flashOK("Assigned to "+data.GroupName+"."))
	}
	return render(c, status, views.AssignPage(pg, data))
}
