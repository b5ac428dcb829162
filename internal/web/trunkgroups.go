package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Trunk groups: a number is assigned to a trunk group, whose trunks deliver
// its calls to endpoints.

// endpointNames are the partner's endpoints by SID, for labels and choices.
func (s *Server) endpointNames(ctx context.Context, cx *carrierx.Client) (map[string]string, []views.Option, error) {
	names := map[string]string{}
	var opts []views.Option
	for e, err := range cx.AllEndpoints(ctx, carrierx.ListOptions{Limit: 1000, IncludeFields: []string{"endpoint_sid", "name", "type"}}) {
		if err != nil {
			return names, opts, err
		}
		label := orName(e.Name, e.EndpointSID) + " (" + endpointTypeLabel(e.Type) + ")"
		names[e.EndpointSID] = label
		opts = append(opts, views.Option{Value: e.EndpointSID, Label: label})
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Label < opts[j].Label })
	return names, opts, nil
}

// groupNumbers are the numbers assigned to each trunk group.
func (s *Server) groupNumbers(ctx context.Context, cx *carrierx.Client, groupSID string) (map[string][]carrierx.DID, error) {
	out := map[string][]carrierx.DID{}
	opts := carrierx.ListOptions{Limit: 1000, Order: "phonenumber asc",
		IncludeFields: []string{"did_sid", "phonenumber", "international_format", "in_country_format", "name", "trunk_group_sid"}}
	if groupSID != "" {
		opts.Filter = carrierx.Filter{}.Eq("trunk_group_sid", groupSID)
	}
	for d, err := range cx.AllDIDs(ctx, opts) {
		if err != nil {
			return out, err
		}
		if tg := deref(d.TrunkGroupSID); tg != "" {
			out[tg] = append(out[tg], d)
		}
	}
	return out, nil
}

func trunkGroupRow(g carrierx.TrunkGroup, numbers int, epNames map[string]string) views.TrunkGroupRow {
	r := views.TrunkGroupRow{SID: g.TrunkGroupSID, Name: g.Name, RoutingType: g.RoutingType, Trunks: len(g.Trunks), Numbers: numbers}
	seen := map[string]bool{}
	for _, t := range g.Trunks {
		if ep := deref(t.EndpointSID); ep != "" && !seen[ep] {
			seen[ep] = true
			r.Endpoints = append(r.Endpoints, orName(epNames[ep], ep))
		}
	}
	return r
}

func (s *Server) listTrunkGroups(c echo.Context) error {
	a := authOf(c)
	return s.renderTrunkGroups(c, http.StatusOK, views.TrunkGroupForm{CSRF: a.CSRF})
}

func (s *Server) renderTrunkGroups(c echo.Context, status int, form views.TrunkGroupForm) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	pg := s.page(c, "Trunk groups", "trunk-groups")
	data := views.TrunkGroupsData{New: form}
	err := func() error {
		epNames, _, err := s.endpointNames(ctx, cx)
		if err != nil {
			return err
		}
		nums, err := s.groupNumbers(ctx, cx, "")
		if err != nil {
			return err
		}
		for g, err := range cx.AllTrunkGroups(ctx, carrierx.ListOptions{Limit: 1000, Order: "name asc", Params: map[string][]string{"with_trunks": {"true"}}}) {
			if err != nil {
				return err
			}
			data.Rows = append(data.Rows, trunkGroupRow(g, len(nums[g.TrunkGroupSID]), epNames))
		}
		return nil
	}()
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		data.Error = p.Message
		if p.Outage {
			pg.Outage = p.Message
		}
	}
	return render(c, status, views.TrunkGroupsPage(pg, data))
}

func (s *Server) createTrunkGroup(c echo.Context) error {
	a := authOf(c)
	name := strings.TrimSpace(c.FormValue("name"))
	form := views.TrunkGroupForm{Name: name, CSRF: a.CSRF}
	if name == "" {
		form.Errors = map[string]string{"name": "Give the trunk group a name."}
		return s.renderTrunkGroups(c, http.StatusUnprocessableEntity, form)
	}
	g, err := s.client(c).CreateTrunkGroup(c.Request().Context(), carrierx.TrunkGroupUpdate{Name: carrierx.Set(name)})
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "trunk_group", ObjectLabel: name, Outcome: store.OutcomeError, Message: p.Message})
		form.Errors, form.Message = p.Fields, "Not created: "+p.Message
		return s.renderTrunkGroups(c, http.StatusUnprocessableEntity, form)
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: name,
		Outcome: store.OutcomeOK, After: jsonOf(map[string]any{"name": name})})
	return s.redirectWithFlash(c, "/trunk-groups/"+g.TrunkGroupSID, flashOK("Created trunk group "+name+". Add a trunk to deliver its calls."))
}

// formReply answers a form post: htmx gets the form fragment again (with
// the flash), a plain post is redirected to back (or gets an error page).
func (s *Server) formReply(c echo.Context, back string, status int, fl views.Flash, fragment func() templ.Component) error {
	if !isHTMX(c) {
		if status < 400 {
			return s.redirectWithFlash(c, back, fl)
		}
		return echo.NewHTTPError(status, fl.Text)
	}
	return renderFragment(c, status, fragment(), fl)
}

func trunkGroupForm(g carrierx.TrunkGroup, csrf string) views.TrunkGroupForm {
	return views.TrunkGroupForm{SID: g.TrunkGroupSID, Name: g.Name, RoutingType: g.RoutingType,
		HardFailureCodes: g.HardFailureCodes, HardFailureThreshold: strconv.Itoa(g.HardFailureThreshold),
		HardFailureInterval: strconv.Itoa(g.HardFailureInterval), HardFailureCooldown: strconv.Itoa(g.HardFailureCooldown),
		HardFailureLastResort: g.HardFailureLastResort, SoftFailureCodes: g.SoftFailureCodes, CSRF: csrf}
}

func trunkForm(groupSID string, t carrierx.Trunk, eps []views.Option, csrf string) views.TrunkForm {
	return views.TrunkForm{GroupSID: groupSID, SID: t.TrunkSID, Name: t.Name, EndpointSID: deref(t.EndpointSID),
		Priority: strconv.Itoa(t.Priority), Weight: strconv.Itoa(t.Weight), Codec: deref(t.Codec),
		InCapacity: strconv.Itoa(t.InCapacity), OutCapacity: strconv.Itoa(t.OutCapacity), Endpoints: eps, CSRF: csrf}
}

func newTrunkForm(groupSID string, eps []views.Option, csrf string) views.TrunkForm {
	return views.TrunkForm{GroupSID: groupSID, Priority: "0", Weight: "0", InCapacity: "0", OutCapacity: "0", Endpoints: eps, CSRF: csrf}
}

// trunkGroupWithTrunks reads a group and its trunks.
func (s *Server) trunkGroupWithTrunks(ctx context.Context, cx *carrierx.Client, sid string) (*carrierx.TrunkGroup, error) {
	g, err := cx.GetTrunkGroup(ctx, sid)
	if err != nil {
		return nil, err
	}
	g.Trunks = nil
	for t, err := range cx.AllTrunks(ctx, sid, carrierx.ListOptions{Limit: 1000, Order: "priority asc"}) {
		if err != nil {
			return nil, err
		}
		g.Trunks = append(g.Trunks, t)
	}
	return g, nil
}

func (s *Server) showTrunkGroup(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	g, err := s.trunkGroupWithTrunks(ctx, cx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	epNames, eps, err := s.endpointNames(ctx, cx)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	nums, err := s.groupNumbers(ctx, cx, g.TrunkGroupSID)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	data := views.TrunkGroupDetailData{Row: trunkGroupRow(*g, len(nums[g.TrunkGroupSID]), epNames),
		Form: trunkGroupForm(*g, a.CSRF), NewTrnk: newTrunkForm(g.TrunkGroupSID, eps, a.CSRF), CSRF: a.CSRF}
	for _, t := range g.Trunks {
		data.Trunks = append(data.Trunks, views.TrunkRow{Form: trunkForm(g.TrunkGroupSID, t, eps, a.CSRF), EndpointName: epNames[deref(t.EndpointSID)]})
	}
	for _, d := range nums[g.TrunkGroupSID] {
		data.Numbers = append(data.Numbers, numberRow(d, nil))
	}
	return render(c, http.StatusOK, views.TrunkGroupDetailPage(s.page(c, orName(g.Name, "Trunk group"), "trunk-groups"), data))
}

// intField parses a whole number typed in a form.
func intField(errs map[string]string, name, v string, min int, msg string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min {
		errs[name] = msg
	}
	return n
}

func (s *Server) saveTrunkGroup(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	cur, err := cx.GetTrunkGroup(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	f := views.TrunkGroupForm{SID: cur.TrunkGroupSID, Name: strings.TrimSpace(c.FormValue("name")),
		RoutingType: c.FormValue("routing_type"), HardFailureCodes: strings.TrimSpace(c.FormValue("hard_failure_codes")),
		HardFailureThreshold: c.FormValue("hard_failure_threshold"), HardFailureInterval: c.FormValue("hard_failure_interval"),
		HardFailureCooldown: c.FormValue("hard_failure_cooldown"), HardFailureLastResort: c.FormValue("hard_failure_last_resort"),
		SoftFailureCodes: strings.TrimSpace(c.FormValue("soft_failure_codes")), CSRF: a.CSRF}
	reply := func(status int, fl views.Flash) error {
		if fl.Kind == views.FlashError {
			f.Message = fl.Text
		}
		return s.formReply(c, "/trunk-groups/"+cur.TrunkGroupSID, status, fl, func() templ.Component { return views.TrunkGroupFormView(f) })
	}
	errs := map[string]string{}
	if f.Name == "" {
		errs["name"] = "Give the trunk group a name."
	}
	codes := func(name, v string) {
		for _, code := range strings.Split(strings.TrimSuffix(v, ";"), ";") {
			if n, err := strconv.Atoi(strings.TrimSpace(code)); v != "" && (err != nil || n < 300 || n > 699) {
				errs[name] = "SIP codes from 300 to 699, each followed by ; (e.g. 408;503;)."
			}
		}
	}
	codes("hard_failure_codes", f.HardFailureCodes)
	codes("soft_failure_codes", f.SoftFailureCodes)
	threshold := intField(errs, "hard_failure_threshold", f.HardFailureThreshold, 1, "1 or more.")
	interval := intField(errs, "hard_failure_interval", f.HardFailureInterval, 1, "Seconds, 1 or more.")
	cooldown := intField(errs, "hard_failure_cooldown", f.HardFailureCooldown, 0, "Seconds, 0 or more.")
	if len(errs) > 0 {
		f.Errors = errs
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	var u carrierx.TrunkGroupUpdate
	before, after := map[string]any{}, map[string]any{}
	change := func(name string, old, new any, set func()) {
		if old != new {
			before[name], after[name] = old, new
			set()
		}
	}
	change("name", cur.Name, f.Name, func() { u.Name = carrierx.Set(f.Name) })
	change("routing_type", cur.RoutingType, f.RoutingType, func() { u.RoutingType = carrierx.Set(f.RoutingType) })
	change("hard_failure_codes", cur.HardFailureCodes, f.HardFailureCodes, func() { u.HardFailureCodes = carrierx.Set(f.HardFailureCodes) })
	change("soft_failure_codes", cur.SoftFailureCodes, f.SoftFailureCodes, func() { u.SoftFailureCodes = carrierx.Set(f.SoftFailureCodes) })
	change("hard_failure_threshold", cur.HardFailureThreshold, threshold, func() { u.HardFailureThreshold = carrierx.Set(threshold) })
	change("hard_failure_interval", cur.HardFailureInterval, interval, func() { u.HardFailureInterval = carrierx.Set(interval) })
	change("hard_failure_cooldown", cur.HardFailureCooldown, cooldown, func() { u.HardFailureCooldown = carrierx.Set(cooldown) })
	change("hard_failure_last_resort", cur.HardFailureLastResort, f.HardFailureLastResort, func() {
		u.HardFailureLastResort = carrierx.Set(f.HardFailureLastResort)
	})
	if len(after) == 0 {
		return reply(http.StatusOK, flashInfo("No changes to save for "+cur.Name+"."))
	}
	g, err := cx.UpdateTrunkGroup(ctx, cur.TrunkGroupSID, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "trunk_group", ObjectSID: cur.TrunkGroupSID, ObjectLabel: cur.Name,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before), After: jsonOf(after)})
		f.Errors = p.Fields
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: g.Name,
		Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(after)})
	f = trunkGroupForm(*g, a.CSRF)
	return reply(http.StatusOK, flashOK("Saved trunk group "+g.Name+"."))
}

// trunkInput is a trunk form as submitted, checked.
func trunkInput(c echo.Context, groupSID, sid string, eps []views.Option, csrf string) (views.TrunkForm, carrierx.TrunkUpdate, map[string]string) {
	f := views.TrunkForm{GroupSID: groupSID, SID: sid, Name: strings.TrimSpace(c.FormValue("name")),
		EndpointSID: c.FormValue("endpoint_sid"), Priority: c.FormValue("priority"), Weight: c.FormValue("weight"),
		Codec: c.FormValue("codec"), InCapacity: c.FormValue("in_capacity"), OutCapacity: c.FormValue("out_capacity"),
		Endpoints: eps, CSRF: csrf}
	errs := map[string]string{}
	if f.Name == "" {
		errs["name"] = "Give the trunk a name."
	}
	var u carrierx.TrunkUpdate
	u.Name = carrierx.Set(f.Name)
	if f.EndpointSID == "" {
		u.EndpointSID = carrierx.Null[string]()
	} else {
		known := false
		for _, o := range eps {
			known = known || o.Value == f.EndpointSID
		}
		if !known {
			errs["endpoint_sid"] = "Choose one of your endpoints."
		}
		u.EndpointSID = carrierx.Set(f.EndpointSID)
	}
	u.Priority = carrierx.Set(intField(errs, "priority", f.Priority, 0, "0 or more."))
	u.Weight = carrierx.Set(intField(errs, "weight", f.Weight, 0, "0 or more."))
	u.InCapacity = carrierx.Set(intField(errs, "in_capacity", f.InCapacity, -1, "-1 (off), 0 (unlimited) or more."))
	u.OutCapacity = carrierx.Set(intField(errs, "out_capacity", f.OutCapacity, 0, "0 (unlimited) or more."))
	if f.Codec == "" {
		u.Codec = carrierx.Null[string]()
	} else {
		u.Codec = carrierx.Set(f.Codec)
	}
	return f, u, errs
}

func trunkAuditOf(t carrierx.Trunk) map[string]any {
	return map[string]any{"name": t.Name, "endpoint_sid": deref(t.EndpointSID), "priority": t.Priority, "weight": t.Weight,
		"codec": deref(t.Codec), "in_capacity": t.InCapacity, "out_capacity": t.OutCapacity}
}

// addTrunk adds a trunk to a group; the page reloads to show it in order.
func (s *Server) addTrunk(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	g, err := cx.GetTrunkGroup(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	_, eps, err := s.endpointNames(ctx, cx)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	f, u, errs := trunkInput(c, g.TrunkGroupSID, "", eps, a.CSRF)
	fail := func(status int, msg string) error {
		f.Message = msg
		if !isHTMX(c) {
			return echo.NewHTTPError(status, msg)
		}
		return renderFragment(c, status, views.TrunkFormView(f), flashError(msg))
	}
	if len(errs) > 0 {
		f.Errors = errs
		return fail(http.StatusUnprocessableEntity, "Not added: correct the fields marked below.")
	}
	t, err := cx.CreateTrunk(ctx, g.TrunkGroupSID, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "add trunk", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: g.Name,
			Outcome: store.OutcomeError, Message: p.Message})
		f.Errors = p.Fields
		return fail(http.StatusUnprocessableEntity, "Not added: "+p.Message)
	}
	s.audit(c, a, store.AuditEntry{Action: "add trunk", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: g.Name + " / " + t.Name,
		Outcome: store.OutcomeOK, After: jsonOf(trunkAuditOf(*t))})
	return s.redirectWithFlash(c, "/trunk-groups/"+g.TrunkGroupSID, flashOK("Added trunk "+t.Name+" to "+g.Name+"."))
}

func (s *Server) saveTrunk(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	groupSID := c.Param("sid")
	cur, err := cx.GetTrunk(ctx, groupSID, c.Param("trunk"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	_, eps, err := s.endpointNames(ctx, cx)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	f, u, errs := trunkInput(c, groupSID, cur.TrunkSID, eps, a.CSRF)
	reply := func(status int, fl views.Flash) error {
		if fl.Kind == views.FlashError {
			f.Message = fl.Text
		}
		return s.formReply(c, "/trunk-groups/"+groupSID, status, fl, func() templ.Component { return views.TrunkFormView(f) })
	}
	if len(errs) > 0 {
		f.Errors = errs
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	t, err := cx.UpdateTrunk(ctx, groupSID, cur.TrunkSID, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit trunk", ObjectType: "trunk_group", ObjectSID: groupSID, ObjectLabel: cur.Name,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(trunkAuditOf(*cur))})
		f.Errors = p.Fields
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit trunk", ObjectType: "trunk_group", ObjectSID: groupSID, ObjectLabel: t.Name,
		Outcome: store.OutcomeOK, Before: jsonOf(trunkAuditOf(*cur)), After: jsonOf(trunkAuditOf(*t))})
	f = trunkForm(groupSID, *t, eps, a.CSRF)
	return reply(http.StatusOK, flashOK("Saved trunk "+t.Name+"."))
}

func (s *Server) deleteTrunk(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	groupSID := c.Param("sid")
	cur, err := cx.GetTrunk(ctx, groupSID, c.Param("trunk"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	if err := cx.DeleteTrunk(ctx, groupSID, cur.TrunkSID); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "delete trunk", ObjectType: "trunk_group", ObjectSID: groupSID, ObjectLabel: cur.Name,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(trunkAuditOf(*cur))})
		return s.redirectWithFlash(c, "/trunk-groups/"+groupSID, flashError("Trunk "+cur.Name+" not deleted: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "delete trunk", ObjectType: "trunk_group", ObjectSID: groupSID, ObjectLabel: cur.Name,
		Outcome: store.OutcomeOK, Before: jsonOf(trunkAuditOf(*cur))})
	return s.redirectWithFlash(c, "/trunk-groups/"+groupSID, flashOK("Deleted trunk "+cur.Name+"."))
}

func (s *Server) trunkGroupDeleteData(c echo.Context) (*carrierx.TrunkGroup, views.TrunkGroupDeleteData, error) {
	ctx := c.Request().Context()
	cx := s.client(c)
	g, err := s.trunkGroupWithTrunks(ctx, cx, c.Param("sid"))
	if err != nil {
		return nil, views.TrunkGroupDeleteData{}, err
	}
	nums, err := s.groupNumbers(ctx, cx, g.TrunkGroupSID)
	if err != nil {
		return nil, views.TrunkGroupDeleteData{}, err
	}
	d := views.TrunkGroupDeleteData{Row: trunkGroupRow(*g, len(nums[g.TrunkGroupSID]), nil), CSRF: authOf(c).CSRF}
	for _, n := range nums[g.TrunkGroupSID] {
		d.Numbers = append(d.Numbers, numberRow(n, nil).International)
	}
	return g, d, nil
}

func (s *Server) confirmDeleteTrunkGroup(c echo.Context) error {
	_, data, err := s.trunkGroupDeleteData(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	if !isHTMX(c) {
		return render(c, http.StatusOK, views.TrunkGroupDeletePage(s.page(c, "Delete "+orName(data.Row.Name, "trunk group"), "trunk-groups"), data))
	}
	return render(c, http.StatusOK, views.TrunkGroupDeleteConfirm(data))
}

func (s *Server) deleteTrunkGroup(c echo.Context) error {
	a := authOf(c)
	g, data, err := s.trunkGroupDeleteData(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	before := map[string]any{"name": g.Name, "trunks": len(g.Trunks), "numbers": data.Numbers}
	if err := s.client(c).DeleteTrunkGroup(c.Request().Context(), g.TrunkGroupSID); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: g.Name,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before)})
		data.Error = "Not deleted: " + p.Message
		if !isHTMX(c) {
			return render(c, http.StatusUnprocessableEntity, views.TrunkGroupDeletePage(s.page(c, "Delete "+orName(g.Name, "trunk group"), "trunk-groups"), data))
		}
		return renderFragment(c, http.StatusUnprocessableEntity, views.TrunkGroupDeleteConfirm(data), flashError(data.Error))
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "trunk_group", ObjectSID: g.TrunkGroupSID, ObjectLabel: g.Name,
		Outcome: store.OutcomeOK, Before: jsonOf(before)})
	return s.redirectWithFlash(c, "/trunk-groups", flashOK("Deleted trunk group "+g.Name+"."))
}
