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

// A number's SMS/MMS messaging enablement: enabled for application-to-person
// (A2P) traffic, with the 10DLC campaign it belongs to, or disabled. A
// voice-only number has none (CarrierX's 404).

func messagingPanelOf(d carrierx.DID, m *carrierx.DIDMessaging, err error, csrf string) views.MessagingPanel {
	p := views.MessagingPanel{DIDSID: d.DIDSID, Number: orName(d.InternationalFormat, "+"+d.Phonenumber), CSRF: csrf}
	switch {
	case carrierx.IsNotFound(err):
		p.VoiceOnly = true
	case err != nil:
		p.Error = "The messaging settings could not be read: " + explain(err).Message
		p.VoiceOnly = true // no form on settings that could not be read
	default:
		p.Status, p.Type, p.CampaignSID, p.Enabled = m.Status, deref(m.Type), deref(m.CampaignSID), m.Enabled
	}
	return p
}

func (s *Server) messagingPanel(ctx context.Context, cx *carrierx.Client, d carrierx.DID, csrf string) views.MessagingPanel {
	m, err := cx.GetDIDMessaging(ctx, d.DIDSID)
	return messagingPanelOf(d, m, err, csrf)
}

// setMessaging enables (with an optional campaign) or disables messaging.
// Changing the campaign of an enabled number is what the user asked for, so
// it is sent with force (without it CarrierX wants a disable first).
func (s *Server) setMessaging(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	cur, cerr := cx.GetDIDMessaging(ctx, d.DIDSID)
	if cerr != nil {
		return s.failCarrierX(c, cerr) // a voice-only number is a 404 here too
	}
	enable := c.FormValue("action") != "disable"
	campaign := strings.TrimSpace(c.FormValue("campaign_sid"))
	req := carrierx.DIDMessagingRequest{Enabled: enable}
	force := false
	if enable {
		req.Type = carrierx.Set(carrierx.MessagingA2P)
		if campaign != "" {
			req.CampaignSID = carrierx.Set(campaign)
		}
		force = cur.Enabled && campaign != deref(cur.CampaignSID)
	}
	before := map[string]any{"enabled": cur.Enabled, "type": deref(cur.Type), "campaign_sid": deref(cur.CampaignSID)}
	after := map[string]any{"enabled": enable, "campaign_sid": campaign}
	label := orName(d.InternationalFormat, "+"+d.Phonenumber) + " messaging"
	panel := messagingPanelOf(*d, cur, nil, a.CSRF)
	reply := func(status int, fl views.Flash) error {
		return s.formReply(c, "/numbers/"+d.DIDSID, status, fl, func() templ.Component { return views.MessagingPanelView(panel) })
	}
	if enable == cur.Enabled && !force {
		return reply(http.StatusOK, flashInfo("No changes to save for messaging."))
	}
	if _, err := cx.SetDIDMessaging(ctx, d.DIDSID, req, force); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did messaging", ObjectSID: d.DIDSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before), After: jsonOf(after)})
		panel.Errors, panel.CampaignSID = p.Fields, campaign
		panel.Error = "Not changed: " + p.Message
		return reply(refusalStatus(p), flashError(panel.Error))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did messaging", ObjectSID: d.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(after)})
	panel = s.messagingPanel(ctx, cx, *d, a.CSRF) // an enable answers "in_progress"; read where it stands
	msg := "Disabled messaging on " + panel.Number + "."
	if enable {
		msg = "Messaging on " + panel.Number + ": " + orName(panel.Status, "requested") + "."
	}
	return reply(http.StatusOK, flashOK(msg))
}
