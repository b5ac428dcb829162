package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// A number's line information: the caller name (CNAM) listed for its calls.
// Only what changed is sent (PATCH), so the settings the form does not show
// (screening, extended names) keep their values.

func lineInfoPanelOf(d carrierx.DID, li *carrierx.DIDLineInformation, err error, csrf string) views.LineInfoPanel {
	p := views.LineInfoPanel{DIDSID: d.DIDSID, Number: orName(d.InternationalFormat, "+"+d.Phonenumber), CSRF: csrf,
		Form: views.LineInfoForm{Privacy: "public", ClassOfService: "none", Enabled: true}}
	switch {
	case carrierx.IsNotFound(err):
	case err != nil:
		p.Error = "The caller name could not be read: " + explain(err).Message
	default:
		p.Set, p.Enabled = true, li.Enabled
		p.Form = views.LineInfoForm{CallerName: deref(li.CallerName), Privacy: li.Privacy, ClassOfService: li.ClassOfService, Enabled: li.Enabled}
	}
	return p
}

func (s *Server) lineInfoPanel(ctx context.Context, cx *carrierx.Client, d carrierx.DID, csrf string) views.LineInfoPanel {
	li, err := cx.GetDIDLineInformation(ctx, d.DIDSID)
	return lineInfoPanelOf(d, li, err, csrf)
}

// saveLineInfo writes what changed of the caller name settings.
func (s *Server) saveLineInfo(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	cur, cerr := cx.GetDIDLineInformation(ctx, d.DIDSID)
	if cerr != nil && !carrierx.IsNotFound(cerr) {
		return s.failCarrierX(c, cerr)
	}
	panel := lineInfoPanelOf(*d, cur, cerr, a.CSRF)
	f := views.LineInfoForm{CallerName: strings.TrimSpace(c.FormValue("caller_name")), Privacy: c.FormValue("privacy"),
		ClassOfService: c.FormValue("class_of_service"), Enabled: c.FormValue("enabled") == "1", Errors: map[string]string{}}
	reply := func(status int, fl views.Flash) error {
		if status >= 400 {
			panel.Form = f
			panel.Form.Message = fl.Text
		}
		return s.formReply(c, "/numbers/"+d.DIDSID, status, fl, func() templ.Component { return views.LineInfoPanelView(panel) })
	}
	if len(f.CallerName) > 15 {
		f.Errors["caller_name"] = "At most 15 characters: that is all a called phone shows."
	}
	for _, r := range f.CallerName {
		if r < 0x20 || r > 0x7e {
			f.Errors["caller_name"] = "Letters, digits, spaces and punctuation of plain ASCII only."
			break
		}
	}
	if f.Enabled && f.CallerName == "" {
		f.Errors["caller_name"] = "Give the name to list, or untick the listing."
	}
	if f.Privacy != "public" && f.Privacy != "private" {
		f.Errors["privacy"] = "Choose public or private."
	}
	if f.ClassOfService != "none" && f.ClassOfService != "business" && f.ClassOfService != "residential" {
		f.Errors["class_of_service"] = "Choose a class of service."
	}
	if len(f.Errors) > 0 {
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	var u carrierx.DIDLineInformationUpdate
	var was views.LineInfoForm
	if cur != nil {
		was = panel.Form
	}
	after := map[string]any{}
	if cur == nil || f.CallerName != was.CallerName {
		if u.CallerName = carrierx.Set(f.CallerName); f.CallerName == "" {
			u.CallerName = carrierx.Null[string]()
		}
		after["caller_name"] = f.CallerName
	}
	if cur == nil || f.Privacy != was.Privacy {
		u.Privacy, after["privacy"] = carrierx.Set(f.Privacy), f.Privacy
	}
	if cur == nil || f.ClassOfService != was.ClassOfService {
		u.ClassOfService, after["class_of_service"] = carrierx.Set(f.ClassOfService), f.ClassOfService
	}
	if cur == nil || f.Enabled != was.Enabled {
		u.Enabled, after["enabled"] = carrierx.Set(f.Enabled), f.Enabled
	}
	if len(after) == 0 {
		return reply(http.StatusOK, flashInfo("No changes to save for the caller name."))
	}
	var before any
	if cur != nil {
		before = map[string]any{"caller_name": was.CallerName, "privacy": was.Privacy, "class_of_service": was.ClassOfService, "enabled": was.Enabled}
	}
	label := panel.Number + " caller name"
	saved, err := cx.UpdateDIDLineInformation(ctx, d.DIDSID, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did line information", ObjectSID: d.DIDSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before), After: jsonOf(after)})
		for k, v := range p.Fields {
			f.Errors[k] = v
		}
		return reply(refusalStatus(p), flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did line information", ObjectSID: d.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(after)})
	panel = lineInfoPanelOf(*d, saved, nil, a.CSRF)
	return reply(http.StatusOK, flashOK("Saved the caller name of "+panel.Number+"."))
}
