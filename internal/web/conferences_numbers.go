package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// DID groups and numbers of a conference endpoint. The numbers themselves
// follow Core routing; here they are grouped, and groups are created,
// renamed and deleted. Every change answers the whole panel.

func confDIDNumber(d carrierx.ConfV2DID) string {
	if d.InternationalFormat != "" {
		return d.InternationalFormat
	}
	return "+" + d.Phonenumber
}

// confNumbers builds the DID groups panel.
func (s *Server) confNumbers(ctx context.Context, cf *conference, csrf string, rooms []carrierx.ConfV2MeetingRoom,
	groups []carrierx.ConfV2DIDGroup, flows map[string]string) (views.ConferenceNumbers, error) {
	n := views.ConferenceNumbers{EndpointSID: cf.ep.EndpointSID, Forms: map[string]views.ConferenceDIDGroupForm{},
		GroupOpts: groupOptions(groups), CSRF: csrf,
		New: views.ConferenceDIDGroupForm{EndpointSID: cf.ep.EndpointSID, CSRF: csrf}}
	dids, err := confAll(cf.api.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000, Order: "phonenumber asc"}))
	if err != nil {
		return n, err
	}
	byGroup := map[string][]views.ConferenceDIDRow{}
	known := groupNames(groups)
	for _, d := range dids {
		row := views.ConferenceDIDRow{SID: d.DIDSID, Number: confDIDNumber(d), DIDGroupSID: deref(d.DIDGroupSID)}
		if _, ok := known[row.DIDGroupSID]; row.DIDGroupSID == "" || !ok {
			n.Ungrouped = append(n.Ungrouped, row)
			continue
		}
		byGroup[row.DIDGroupSID] = append(byGroup[row.DIDGroupSID], row)
	}
	roomsIn := map[string][]string{}
	for _, r := range rooms {
		if g := deref(r.DIDGroupSID); g != "" {
			roomsIn[g] = append(roomsIn[g], orName(r.Name, r.MeetingRoomSID))
		}
	}
	for _, g := range groups {
		row := views.ConferenceDIDGroupRow{SID: g.DIDGroupSID, Name: g.Name, Numbers: byGroup[g.DIDGroupSID], Rooms: roomsIn[g.DIDGroupSID]}
		if f := deref(g.CallFlowSID); f != "" {
			row.CallFlow = orName(flows[f], f)
		}
		n.Groups = append(n.Groups, row)
		n.Forms[g.DIDGroupSID] = views.ConferenceDIDGroupForm{EndpointSID: cf.ep.EndpointSID, SID: g.DIDGroupSID, Name: g.Name, CSRF: csrf}
	}
	return n, nil
}

// confNumbersReply answers the panel as it now is, with adjust applied
// (a form's errors shown back), and a flash.
func (s *Server) confNumbersReply(c echo.Context, cf *conference, status int, fl views.Flash, adjust func(*views.ConferenceNumbers)) error {
	ctx := c.Request().Context()
	back := "/conferences/" + cf.ep.EndpointSID
	if !isHTMX(c) {
		return s.formReply(c, back, status, fl, nil)
	}
	rooms, err := cf.rooms(ctx)
	var groups []carrierx.ConfV2DIDGroup
	var flows map[string]string
	if err == nil {
		groups, err = cf.groups(ctx)
	}
	if err == nil {
		flows, err = cf.flowNames(ctx)
	}
	var n views.ConferenceNumbers
	if err == nil {
		n, err = s.confNumbers(ctx, cf, authOf(c).CSRF, rooms, groups, flows)
	}
	if err != nil {
		return failConference(err)
	}
	if adjust != nil {
		adjust(&n)
	}
	return renderFragment(c, status, views.ConferenceNumbersView(n), fl)
}

func confGroupLabel(g carrierx.ConfV2DIDGroup) string {
	return orName(g.Name, "DID group "+g.DIDGroupSID)
}

func checkGroupName(name string) string {
	switch {
	case name == "":
		return "Give the group a name."
	case len(name) > 255:
		return "At most 255 characters."
	}
	return ""
}

func (s *Server) createConfDIDGroup(c echo.Context) error {
	a := authOf(c)
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	name := strings.TrimSpace(c.FormValue("name"))
	showForm := func(status int, msg string, errs map[string]string) error {
		return s.confNumbersReply(c, cf, status, flashError(msg), func(n *views.ConferenceNumbers) {
			n.New.Name, n.New.Errors, n.New.Message = name, errs, msg
		})
	}
	if e := checkGroupName(name); e != "" {
		return showForm(http.StatusUnprocessableEntity, "Not created: "+e, map[string]string{"name": e})
	}
	g, err := cf.api.CreateDIDGroup(c.Request().Context(), carrierx.ConfV2DIDGroupUpdate{Name: carrierx.Set(name)})
	if err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "DID group", ObjectLabel: name + " on " + endpointLabel(*cf.ep),
			Outcome: store.OutcomeError, Message: p.Message})
		return showForm(refusedStatus(p), "Not created: "+p.Message, p.Fields)
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "DID group", ObjectSID: g.DIDGroupSID,
		ObjectLabel: confGroupLabel(*g) + " on " + endpointLabel(*cf.ep), Outcome: store.OutcomeOK, After: jsonOf(map[string]any{"name": g.Name})})
	return s.confNumbersReply(c, cf, http.StatusOK, flashOK("Created the DID group "+confGroupLabel(*g)+"."), nil)
}

func (s *Server) renameConfDIDGroup(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	cur, err := cf.api.GetDIDGroup(ctx, c.Param("group"))
	if err != nil {
		return failConference(err)
	}
	name := strings.TrimSpace(c.FormValue("name"))
	showForm := func(status int, msg string, errs map[string]string) error {
		return s.confNumbersReply(c, cf, status, flashError(msg), func(n *views.ConferenceNumbers) {
			f := n.Forms[cur.DIDGroupSID]
			f.Name, f.Errors, f.Message = name, errs, msg
			n.Forms[cur.DIDGroupSID] = f
		})
	}
	if e := checkGroupName(name); e != "" {
		return showForm(http.StatusUnprocessableEntity, "Not renamed: "+e, map[string]string{"name": e})
	}
	if name == cur.Name {
		return s.confNumbersReply(c, cf, http.StatusOK, flashInfo("No changes to save for "+confGroupLabel(*cur)+"."), nil)
	}
	g, err := cf.api.UpdateDIDGroup(ctx, cur.DIDGroupSID, carrierx.ConfV2DIDGroupUpdate{Name: carrierx.Set(name)})
	if err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "DID group", ObjectSID: cur.DIDGroupSID,
			ObjectLabel: confGroupLabel(*cur) + " on " + endpointLabel(*cf.ep), Outcome: store.OutcomeError, Message: p.Message})
		return showForm(refusedStatus(p), "Not renamed: "+p.Message, p.Fields)
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "DID group", ObjectSID: g.DIDGroupSID,
		ObjectLabel: confGroupLabel(*g) + " on " + endpointLabel(*cf.ep), Outcome: store.OutcomeOK,
		Before: jsonOf(map[string]any{"name": cur.Name}), After: jsonOf(map[string]any{"name": g.Name})})
	return s.confNumbersReply(c, cf, http.StatusOK, flashOK("Renamed the DID group to "+confGroupLabel(*g)+"."), nil)
}

func (s *Server) deleteConfDIDGroup(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	g, err := cf.api.GetDIDGroup(ctx, c.Param("group"))
	if err != nil {
		return failConference(err)
	}
	label := confGroupLabel(*g) + " on " + endpointLabel(*cf.ep)
	if err := cf.api.DeleteDIDGroup(ctx, g.DIDGroupSID); err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "DID group", ObjectSID: g.DIDGroupSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message})
		msg := "Not deleted: " + p.Message
		return s.confNumbersReply(c, cf, refusedStatus(p), flashError(msg), func(n *views.ConferenceNumbers) { n.Error = msg })
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "DID group", ObjectSID: g.DIDGroupSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(map[string]any{"name": g.Name})})
	return s.confNumbersReply(c, cf, http.StatusOK, flashOK("Deleted the DID group "+confGroupLabel(*g)+"."), nil)
}

// moveConfDID puts a number in a DID group, or in none.
func (s *Server) moveConfDID(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	d, err := cf.api.GetDID(ctx, c.Param("did"))
	if err != nil {
		return failConference(err)
	}
	to := strings.TrimSpace(c.FormValue("did_group_sid"))
	from := deref(d.DIDGroupSID)
	number := confDIDNumber(*d)
	if to == from {
		return s.confNumbersReply(c, cf, http.StatusOK, flashInfo(number+" is already there."), nil)
	}
	u := carrierx.ConfV2DIDUpdate{DIDGroupSID: carrierx.Null[string]()}
	if to != "" {
		u.DIDGroupSID = carrierx.Set(to)
	}
	label := number + " on " + endpointLabel(*cf.ep)
	moved, err := cf.api.UpdateDID(ctx, d.DIDSID, u)
	if err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "move", ObjectType: "conference DID", ObjectSID: d.DIDSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(map[string]any{"did_group_sid": from})})
		msg := "Not moved: " + p.Message
		return s.confNumbersReply(c, cf, refusedStatus(p), flashError(msg), func(n *views.ConferenceNumbers) { n.Error = msg })
	}
	s.audit(c, a, store.AuditEntry{Action: "move", ObjectType: "conference DID", ObjectSID: d.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(map[string]any{"did_group_sid": from}),
		After: jsonOf(map[string]any{"did_group_sid": deref(moved.DIDGroupSID)})})
	where := "no DID group"
	if g := deref(moved.DIDGroupSID); g != "" {
		where = "the DID group " + g
		if grp, err := cf.api.GetDIDGroup(ctx, g); err == nil {
			where = "the DID group " + confGroupLabel(*grp)
		}
	}
	return s.confNumbersReply(c, cf, http.StatusOK, flashOK("Moved "+number+" to "+where+"."), nil)
}
