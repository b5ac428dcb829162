package web

import (
	"context"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Mediator bindings: calls to a redirect number (one of the account's) are
// forwarded to a destination, from one caller or from anyone. Created,
// edited in place of their row and deleted, each change audited.

// bindingRow is a binding as listed.
func bindingRow(epSID string, b carrierx.MediatorBinding, labels map[string]string, loc *time.Location) views.BindingRow {
	r := views.BindingRow{EndpointSID: epSID, SID: b.BindingSID, Name: b.Name, Redirect: accountNumberLabel(labels, b.RedirectDID),
		Destination: plusE164(b.DestinationDID), DTMF: deref(b.DTMF), Lifetime: "no limit", Attributes: attributesText(b.Attributes, ", "),
		CallsURL: views.RecordsQuery{Path: "/records/mediator", Preset: "30d", Number: digitsOnly(b.RedirectDID)}.URL()}
	switch {
	case deref(b.OriginationDID) != "":
		r.Callers = "only " + plusE164(*b.OriginationDID)
	case b.WaitOriginationDIDTTL > 0:
		r.Callers = "the first caller within " + strconv.Itoa(b.WaitOriginationDIDTTL) + " s of its creation"
	default:
		r.Callers = "anyone"
	}
	if b.MaximumTTL > 0 && b.DateCreated != nil {
		until := b.DateCreated.Add(time.Duration(b.MaximumTTL) * time.Second)
		r.Lifetime = "until " + appTime(&until, loc)
	}
	return r
}

// bindingName names a binding in flashes and the audit log.
func bindingName(b carrierx.MediatorBinding) string {
	if b.Name != "" && b.Name != "N/A" {
		return b.Name
	}
	return plusE164(b.RedirectDID) + " → " + plusE164(b.DestinationDID)
}

// bindingAudit is what the audit log keeps of a binding.
func bindingAudit(b carrierx.MediatorBinding) map[string]any {
	return map[string]any{"name": b.Name, "redirect_did": b.RedirectDID, "destination_did": b.DestinationDID,
		"origination_did": deref(b.OriginationDID), "maximum_ttl": b.MaximumTTL,
		"wait_origination_did_ttl": b.WaitOriginationDIDTTL, "dtmf": deref(b.DTMF), "attributes": b.Attributes}
}

// mediatorBindings lists the bindings, oldest first, with the account's
// numbers as the create form's choices.
func (s *Server) mediatorBindings(ctx context.Context, m *carrierx.Mediator, epSID string, loc *time.Location, csrf string) (views.MediatorBindings, []views.AppNumber, error) {
	b := views.MediatorBindings{EndpointSID: epSID, CSRF: csrf, New: newBindingForm(epSID, nil, csrf)}
	nums, opts, labels, err := mediatorNumbers(ctx, m)
	if err != nil {
		return b, nil, err
	}
	b.New.Numbers = opts
	var list []carrierx.MediatorBinding
	for x, err := range m.AllBindings(ctx, carrierx.ListOptions{Limit: 1000}) {
		if err != nil {
			return b, nums, err
		}
		list = append(list, x)
	}
	sort.SliceStable(list, func(i, j int) bool {
		ti, tj := list[i].DateCreated, list[j].DateCreated
		return ti != nil && tj != nil && ti.Before(*tj)
	})
	for _, x := range list {
		b.Rows = append(b.Rows, bindingRow(epSID, x, labels, loc))
	}
	return b, nums, nil
}

func newBindingForm(epSID string, numbers []views.Option, csrf string) views.BindingForm {
	return views.BindingForm{EndpointSID: epSID, MaximumTTL: "-1", WaitTTL: "300", Numbers: numbers, CSRF: csrf}
}

// bindingInput is the binding form as submitted.
type bindingInput struct {
	name, destination, redirect, origination, maxTTL, wait, dtmf, attributes string
}

func parseBindingForm(c echo.Context) bindingInput {
	return bindingInput{name: strings.TrimSpace(c.FormValue("name")), destination: typedNumber(c.FormValue("destination_did")),
		redirect: typedNumber(c.FormValue("redirect_did")), origination: typedNumber(c.FormValue("origination_did")),
		maxTTL: strings.TrimSpace(c.FormValue("maximum_ttl")), wait: strings.TrimSpace(c.FormValue("wait_origination_did_ttl")),
		dtmf: strings.TrimSpace(c.FormValue("dtmf")), attributes: c.FormValue("attributes")}
}

func (in bindingInput) form(epSID, sid, csrf string) views.BindingForm {
	return views.BindingForm{EndpointSID: epSID, SID: sid, Name: in.name, DestinationDID: in.destination,
		RedirectDID: digitsOnly(in.redirect), OriginationDID: in.origination, MaximumTTL: in.maxTTL, WaitTTL: in.wait,
		DTMF: in.dtmf, Attributes: in.attributes, CSRF: csrf}
}

func bindingFormOf(epSID string, b carrierx.MediatorBinding, csrf string) views.BindingForm {
	return views.BindingForm{EndpointSID: epSID, SID: b.BindingSID, Name: b.Name, DestinationDID: plusE164(b.DestinationDID),
		RedirectDID: b.RedirectDID, OriginationDID: plusE164(deref(b.OriginationDID)), MaximumTTL: strconv.Itoa(b.MaximumTTL),
		WaitTTL: strconv.Itoa(b.WaitOriginationDIDTTL), DTMF: deref(b.DTMF), Attributes: attributesText(b.Attributes, "\n"), CSRF: csrf}
}

// update checks the input and builds CarrierX's body: everything typed for a
// create, only what differs from cur for an edit. The ranges of the
// lifetimes and the numbers' format are CarrierX's to judge.
func (in bindingInput) update(cur *carrierx.MediatorBinding) (carrierx.MediatorBindingUpdate, map[string]string) {
	errs := map[string]string{}
	var u carrierx.MediatorBindingUpdate
	if in.destination == "" {
		errs["destination_did"] = "Enter the number calls are forwarded to."
	}
	if len(in.name) > 255 {
		errs["name"] = "At most 255 characters."
	}
	maxTTL := appIntField(errs, "maximum_ttl", in.maxTTL, -1, -1, "Whole seconds, or -1 for no limit.")
	wait := appIntField(errs, "wait_origination_did_ttl", in.wait, 300, -1, "Whole seconds, or -1.")
	attrs := parseAttributes(errs, in.attributes)
	if cur == nil {
		if len(attrs) > 0 {
			u.Attributes = carrierx.Set(attrs)
		}
		if in.name != "" {
			u.Name = carrierx.Set(in.name)
		}
		u.DestinationDID = carrierx.Set(in.destination)
		if in.redirect != "" {
			u.RedirectDID = carrierx.Set(in.redirect)
		}
		if in.origination != "" {
			u.OriginationDID = carrierx.Set(in.origination)
		}
		if in.dtmf != "" {
			u.DTMF = carrierx.Set(in.dtmf)
		}
		u.MaximumTTL, u.WaitOriginationDIDTTL = carrierx.Set(maxTTL), carrierx.Set(wait)
		return u, errs
	}
	if in.name != cur.Name && !(in.name == "" && cur.Name == "N/A") {
		u.Name = carrierx.Set(in.name)
	}
	if digitsOnly(in.destination) != digitsOnly(cur.DestinationDID) {
		u.DestinationDID = carrierx.Set(in.destination)
	}
	if in.redirect != "" && digitsOnly(in.redirect) != digitsOnly(cur.RedirectDID) {
		u.RedirectDID = carrierx.Set(in.redirect)
	}
	switch {
	case in.origination == "" && deref(cur.OriginationDID) != "":
		u.OriginationDID = carrierx.Null[string]()
	case in.origination != "" && digitsOnly(in.origination) != digitsOnly(deref(cur.OriginationDID)):
		u.OriginationDID = carrierx.Set(in.origination)
	}
	switch {
	case in.dtmf == "" && deref(cur.DTMF) != "":
		u.DTMF = carrierx.Null[string]()
	case in.dtmf != "" && in.dtmf != deref(cur.DTMF):
		u.DTMF = carrierx.Set(in.dtmf)
	}
	if maxTTL != cur.MaximumTTL {
		u.MaximumTTL = carrierx.Set(maxTTL)
	}
	if wait != cur.WaitOriginationDIDTTL {
		u.WaitOriginationDIDTTL = carrierx.Set(wait)
	}
	if attrs != nil && !maps.Equal(attrs, cur.Attributes) {
		u.Attributes = carrierx.Set(attrs) // the whole set: see keptAttributes
	}
	return u, errs
}

// bindingUnchanged reports whether an edit has nothing to send.
func bindingUnchanged(u carrierx.MediatorBindingUpdate) bool {
	return !u.Name.IsSet() && !u.DestinationDID.IsSet() && !u.RedirectDID.IsSet() && !u.OriginationDID.IsSet() &&
		!u.DTMF.IsSet() && !u.MaximumTTL.IsSet() && !u.WaitOriginationDIDTTL.IsSet() && !u.Attributes.IsSet()
}

// createBinding creates a binding; htmx gets the bindings part again with
// the new row, or the form with CarrierX's refusal beside its fields.
func (s *Server) createBinding(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	in := parseBindingForm(c)
	f := in.form(ep.EndpointSID, "", a.CSRF)
	reply := func(status int, fl views.Flash, form views.BindingForm) error {
		if !isHTMX(c) {
			if status < 400 {
				return s.redirectWithFlash(c, mediatorURL(ep.EndpointSID), fl)
			}
			pg := s.page(c, orName(ep.Name, "Mediator")+" · Mediator", "mediator")
			pg.Flashes = append(pg.Flashes, fl)
			return render(c, status, views.MediatorPage(pg, s.mediatorData(c, ep, m, &pg, &form, nil)))
		}
		b, _, lerr := s.mediatorBindings(ctx, m, ep.EndpointSID, a.location(), a.CSRF)
		if lerr != nil {
			b.Error = "The bindings could not be listed: " + explainApp(lerr).Message
		}
		form.Numbers = b.New.Numbers
		b.New = form
		return renderFragment(c, status, views.MediatorBindingsView(b), fl)
	}
	u, errs := in.update(nil)
	if len(errs) > 0 {
		f.Errors, f.Message = errs, "Not created: correct the fields marked below."
		return reply(http.StatusUnprocessableEntity, flashError(f.Message), f)
	}
	b, err := m.CreateBinding(ctx, u, carrierx.MediatorBindingOptions{})
	if err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "mediator_binding", ObjectLabel: orName(in.name, in.destination),
			Outcome: store.OutcomeError, Message: p.Message, After: jsonOf(map[string]any{"endpoint_sid": ep.EndpointSID,
				"destination_did": in.destination, "redirect_did": in.redirect})})
		f.Errors, f.Message = p.Fields, "Not created: "+p.Message
		return reply(refusalStatus(p), flashError(f.Message), f)
	}
	after := bindingAudit(*b)
	after["endpoint_sid"] = ep.EndpointSID
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "mediator_binding", ObjectSID: b.BindingSID,
		ObjectLabel: bindingName(*b), Outcome: store.OutcomeOK, After: jsonOf(after)})
	return reply(http.StatusOK, flashOK("Created the binding "+bindingName(*b)+": calls to "+plusE164(b.RedirectDID)+
		" are forwarded to "+plusE164(b.DestinationDID)+"."), newBindingForm(ep.EndpointSID, nil, a.CSRF))
}

// bindingOf reads the binding of the path.
func bindingOf(c echo.Context, m *carrierx.Mediator) (*carrierx.MediatorBinding, error) {
	return m.GetBinding(c.Request().Context(), c.Param("binding"))
}

// bindingEditForm is the edit form of b, with the account's numbers (and
// b's own redirect number, should it have left the account).
func bindingEditForm(ctx context.Context, m *carrierx.Mediator, epSID string, b carrierx.MediatorBinding, f views.BindingForm) (views.BindingForm, map[string]string, error) {
	_, opts, labels, err := mediatorNumbers(ctx, m)
	if err != nil {
		return f, labels, err
	}
	if _, ok := labels[b.RedirectDID]; !ok {
		opts = append(opts, views.Option{Value: b.RedirectDID, Label: plusE164(b.RedirectDID)})
	}
	f.Numbers = opts
	return f, labels, nil
}

func (s *Server) editBinding(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	a := authOf(c)
	b, err := bindingOf(c, m)
	if err != nil {
		return s.failApp(err)
	}
	f, _, err := bindingEditForm(c.Request().Context(), m, ep.EndpointSID, *b, bindingFormOf(ep.EndpointSID, *b, a.CSRF))
	if err != nil {
		return s.failApp(err)
	}
	if !isHTMX(c) {
		return render(c, http.StatusOK, views.BindingEditPage(s.page(c, "Edit binding", "mediator"),
			views.BindingEditData{Endpoint: appEndpointView(ep), Form: f}))
	}
	return render(c, http.StatusOK, views.BindingEditRow(f))
}

// showBindingRow is a binding's row again (an edit cancelled).
func (s *Server) showBindingRow(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	a := authOf(c)
	b, err := bindingOf(c, m)
	if err != nil {
		return s.failApp(err)
	}
	_, _, labels, err := mediatorNumbers(c.Request().Context(), m)
	if err != nil {
		return s.failApp(err)
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, mediatorURL(ep.EndpointSID))
	}
	return render(c, http.StatusOK, views.BindingRowView(bindingRow(ep.EndpointSID, *b, labels, a.location()), a.CSRF))
}

// saveBinding changes a binding: only what differs is sent. htmx gets the
// row back, or the form with CarrierX's refusal beside its fields.
func (s *Server) saveBinding(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	cur, err := bindingOf(c, m)
	if err != nil {
		return s.failApp(err)
	}
	in := parseBindingForm(c)
	f, labels, err := bindingEditForm(ctx, m, ep.EndpointSID, *cur, in.form(ep.EndpointSID, cur.BindingSID, a.CSRF))
	if err != nil {
		return s.failApp(err)
	}
	reply := func(status int, fl views.Flash, comp templ.Component) error {
		if !isHTMX(c) {
			if status < 400 {
				return s.redirectWithFlash(c, mediatorURL(ep.EndpointSID), fl)
			}
			pg := s.page(c, "Edit binding", "mediator")
			pg.Flashes = append(pg.Flashes, fl)
			return render(c, status, views.BindingEditPage(pg, views.BindingEditData{Endpoint: appEndpointView(ep), Form: f}))
		}
		return renderFragment(c, status, comp, fl)
	}
	u, errs := in.update(cur)
	if len(errs) > 0 {
		f.Errors, f.Message = errs, "Not saved: correct the fields marked below."
		return reply(http.StatusUnprocessableEntity, flashError(f.Message), views.BindingEditRow(f))
	}
	if bindingUnchanged(u) {
		row := bindingRow(ep.EndpointSID, *cur, labels, a.location())
		return reply(http.StatusOK, flashInfo("No changes to save for the binding "+bindingName(*cur)+"."), views.BindingRowView(row, a.CSRF))
	}
	b, err := m.UpdateBinding(ctx, cur.BindingSID, u)
	if err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "mediator_binding", ObjectSID: cur.BindingSID,
			ObjectLabel: bindingName(*cur), Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(bindingAudit(*cur))})
		f.Errors, f.Message = p.Fields, "Not saved: "+p.Message
		return reply(refusalStatus(p), flashError(f.Message), views.BindingEditRow(f))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "mediator_binding", ObjectSID: b.BindingSID,
		ObjectLabel: bindingName(*b), Outcome: store.OutcomeOK, Before: jsonOf(bindingAudit(*cur)), After: jsonOf(bindingAudit(*b))})
	row := bindingRow(ep.EndpointSID, *b, labels, a.location())
	fl := flashOK("Saved the binding " + bindingName(*b) + ".")
	if sent, ok := u.Attributes.Get(); ok {
		if kept := keptAttributes(sent, b.Attributes, cur.Attributes); len(kept) > 0 {
			fl = flashInfo("Saved the binding " + bindingName(*b) + ", but CarrierX kept the attribute(s) " + strings.Join(kept, ", ") + ".")
		}
	}
	return reply(http.StatusOK, fl, views.BindingRowView(row, a.CSRF))
}

// deleteBinding deletes a binding; htmx gets its row removed.
func (s *Server) deleteBinding(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	cur, err := bindingOf(c, m)
	if err != nil {
		return s.failApp(err)
	}
	name := bindingName(*cur)
	if err := m.DeleteBinding(ctx, cur.BindingSID); err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "mediator_binding", ObjectSID: cur.BindingSID,
			ObjectLabel: name, Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(bindingAudit(*cur))})
		fl := flashError("The binding " + name + " was not deleted: " + p.Message)
		if !isHTMX(c) {
			return s.redirectWithFlash(c, mediatorURL(ep.EndpointSID), fl)
		}
		_, _, labels, _ := mediatorNumbers(ctx, m)
		return renderFragment(c, refusalStatus(p), views.BindingRowView(bindingRow(ep.EndpointSID, *cur, labels, a.location()), a.CSRF), fl)
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "mediator_binding", ObjectSID: cur.BindingSID,
		ObjectLabel: name, Outcome: store.OutcomeOK, Before: jsonOf(bindingAudit(*cur))})
	fl := flashOK("Deleted the binding " + name + ": calls to " + plusE164(cur.RedirectDID) + " are no longer forwarded.")
	if !isHTMX(c) {
		return s.redirectWithFlash(c, mediatorURL(ep.EndpointSID), fl)
	}
	return renderFragment(c, http.StatusOK, views.Empty(), fl)
}
