package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// A number's emergency (E911) record: the address 911 calls from it are
// located at. It is written whole (PUT): the form holds every field, so
// nothing of an earlier record lingers. Only US addresses: E911 is a North
// American service and CarrierX's numbers here are US numbers.

var zipRE = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

func emergencyAddress(l carrierx.EmergencyLocation) string {
	parts := nonEmpty(l.Address1, deref(l.Address2), l.City, strings.TrimSpace(l.State+" "+l.Zip), l.CountryCode)
	return strings.Join(parts, ", ")
}

// emergencyPanel reads the record of d (none is CarrierX's 404).
func (s *Server) emergencyPanel(ctx context.Context, cx *carrierx.Client, d carrierx.DID, csrf string) views.EmergencyPanel {
	em, err := cx.GetDIDEmergency(ctx, d.DIDSID)
	return emergencyPanelOf(d, em, err, csrf)
}

// emergencyPanelOf is the panel of d, whose record CarrierX answered with
// em, err.
func emergencyPanelOf(d carrierx.DID, em *carrierx.DIDEmergency, err error, csrf string) views.EmergencyPanel {
	p := views.EmergencyPanel{DIDSID: d.DIDSID, Number: orName(d.InternationalFormat, "+"+d.Phonenumber), CSRF: csrf,
		Form: views.EmergencyForm{Enabled: true}}
	switch {
	case carrierx.IsNotFound(err):
		return p
	case err != nil:
		p.Error = "The emergency address could not be read: " + explain(err).Message
		return p
	}
	fillEmergency(&p, *em)
	return p
}

func fillEmergency(p *views.EmergencyPanel, em carrierx.DIDEmergency) {
	p.Set, p.Enabled, p.CallerName = true, em.Enabled, deref(em.CallerName)
	p.Form = views.EmergencyForm{CallerName: deref(em.CallerName), Enabled: em.Enabled}
	if len(em.Locations) > 0 {
		l := em.Locations[0]
		p.Address = emergencyAddress(l)
		p.Form.Address1, p.Form.Address2, p.Form.City, p.Form.State, p.Form.Zip = l.Address1, deref(l.Address2), l.City, l.State, l.Zip
	}
}

func emergencyAudit(em *carrierx.DIDEmergency) map[string]any {
	if em == nil {
		return nil
	}
	out := map[string]any{"enabled": em.Enabled, "caller_name": deref(em.CallerName)}
	if len(em.Locations) > 0 {
		out["address"] = emergencyAddress(em.Locations[0])
	}
	return out
}

// emergencyField is the form field a CarrierX field error is about
// ("locations[0].zip" is the zip field).
func emergencyField(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 && strings.HasPrefix(name, "locations") {
		return name[i+1:]
	}
	if name == "locations" {
		return "address_1"
	}
	return name
}

// saveEmergency writes the record from the form.
func (s *Server) saveEmergency(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	before, berr := cx.GetDIDEmergency(ctx, d.DIDSID)
	panel := emergencyPanelOf(*d, before, berr, a.CSRF)
	f := views.EmergencyForm{CallerName: strings.TrimSpace(c.FormValue("caller_name")), Address1: strings.TrimSpace(c.FormValue("address_1")),
		Address2: strings.TrimSpace(c.FormValue("address_2")), City: strings.TrimSpace(c.FormValue("city")),
		State: strings.ToUpper(strings.TrimSpace(c.FormValue("state"))), Zip: strings.TrimSpace(c.FormValue("zip")),
		Enabled: c.FormValue("enabled") == "1", Errors: map[string]string{}}
	back := "/numbers/" + d.DIDSID
	reply := func(status int, fl views.Flash) error {
		if status >= 400 {
			panel.Form = f
			panel.Form.Message = fl.Text
		}
		return s.formReply(c, back, status, fl, func() templ.Component { return views.EmergencyPanelView(panel) })
	}
	for name, v := range map[string]string{"address_1": f.Address1, "city": f.City} {
		if v == "" {
			f.Errors[name] = "Required."
		}
	}
	if len(f.State) != 2 || strings.Trim(f.State, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		f.Errors["state"] = "Two letters, such as NY."
	}
	if !zipRE.MatchString(f.Zip) {
		f.Errors["zip"] = "A US ZIP code: 12345 or 12345-6789."
	}
	if len(f.Errors) > 0 {
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	loc := carrierx.EmergencyLocation{Address1: f.Address1, City: f.City, CountryCode: "USA", State: f.State, Zip: f.Zip}
	if f.Address2 != "" {
		loc.Address2 = &f.Address2
	}
	rec := carrierx.DIDEmergency{Enabled: f.Enabled, Locations: []carrierx.EmergencyLocation{loc}}
	if f.CallerName != "" {
		rec.CallerName = &f.CallerName
	}
	label := panel.Number + " emergency address"
	saved, err := cx.ReplaceDIDEmergency(ctx, d.DIDSID, rec)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did emergency", ObjectSID: d.DIDSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(emergencyAudit(before)), After: jsonOf(emergencyAudit(&rec))})
		for k, v := range p.Fields {
			f.Errors[emergencyField(k)] = v
		}
		return reply(refusalStatus(p), flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did emergency", ObjectSID: d.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(emergencyAudit(before)), After: jsonOf(emergencyAudit(saved))})
	fillEmergency(&panel, *saved)
	msg := "Saved the emergency address of " + panel.Number + "."
	if !saved.Enabled {
		msg += " It is disabled: 911 calls are not located until it is enabled."
	}
	return reply(http.StatusOK, flashOK(msg))
}

// deleteEmergency clears the record.
func (s *Server) deleteEmergency(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	before, _ := cx.GetDIDEmergency(ctx, d.DIDSID)
	number := orName(d.InternationalFormat, "+"+d.Phonenumber)
	back := "/numbers/" + d.DIDSID
	err = cx.DeleteDIDEmergency(ctx, d.DIDSID)
	if err != nil && !carrierx.IsNotFound(err) {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "did emergency", ObjectSID: d.DIDSID, ObjectLabel: number + " emergency address",
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(emergencyAudit(before))})
		return s.formReply(c, back, refusalStatus(p), flashError("The emergency address was not removed: "+p.Message),
			func() templ.Component { return views.EmergencyPanelView(s.emergencyPanel(ctx, cx, *d, a.CSRF)) })
	}
	if err == nil {
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "did emergency", ObjectSID: d.DIDSID, ObjectLabel: number + " emergency address",
			Outcome: store.OutcomeOK, Before: jsonOf(emergencyAudit(before))})
	}
	return s.formReply(c, back, http.StatusOK, flashOK("Removed the emergency address of "+number+"."),
		func() templ.Component { return views.EmergencyPanelView(s.emergencyPanel(ctx, cx, *d, a.CSRF)) })
}
