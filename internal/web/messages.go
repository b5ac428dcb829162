package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Messages: send an SMS or MMS from one of the partner's numbers and follow
// it until CarrierX has sent it. Each form carries a key of its own, claimed
// in Postgres before CarrierX is asked: a double click, a second tab or a
// retried request sends one message, never two.

// messageLive reports whether CarrierX is still working on a message.
// Only "queued" and "sent" are confirmed status names; anything else is
// shown as CarrierX gives it, and polling stops.
func messageLive(status string) bool {
	switch status {
	case "queued", "sending", "accepted":
		return true
	}
	return false
}

const (
	maxMessageText  = 1600
	messagesPerPage = 25
)

// senderNumbers are the partner's numbers that can send messages (SMS).
func (s *Server) senderNumbers(ctx context.Context, cx *carrierx.Client) ([]views.Option, error) {
	var out []views.Option
	f := carrierx.Filter{}.Bit("capabilities", int(carrierx.CapSendSMS))
	for d, err := range cx.AllDIDs(ctx, carrierx.ListOptions{Filter: f, Order: "phonenumber asc", Limit: 1000}) {
		if err != nil {
			return nil, err
		}
		label := orName(d.InternationalFormat, "+"+d.Phonenumber)
		if d.Name != "" && d.Name != "N/A" {
			label += " · " + d.Name
		}
		if d.ActiveCapabilities&int(carrierx.CapSendSMS) == 0 {
			// CarrierX may refuse until messaging is enabled on the number
			// (its page does that); the sandbox does not require it.
			label += " · messaging not enabled"
		}
		out = append(out, views.Option{Value: d.Phonenumber, Label: label})
	}
	return out, nil
}

func (s *Server) messagesPage(c echo.Context, status int, form views.MessageSendForm, flashes ...views.Flash) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	a := authOf(c)
	pg := s.page(c, "Messages", "messages")
	pg.Flashes = append(pg.Flashes, flashes...)
	d := views.MessagesData{Form: form, RecordsURL: views.RecordsQuery{Path: "/records/messages", Preset: "7d"}.URL()}
	if d.Form.Numbers == nil {
		nums, err := s.senderNumbers(ctx, cx)
		if err != nil {
			p := explain(err)
			if p.Expired {
				return s.endSession(c)
			}
			pg.Outage = p.Message
		}
		d.Form.Numbers = nums
	}
	offset, _ := strconv.Atoi(c.QueryParam("offset"))
	offset = max(0, min(offset, 100_000))
	page, err := cx.ListMessages(ctx, carrierx.ListOptions{Order: "date_created desc", Limit: messagesPerPage, Offset: offset})
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		d.RecentError = "The latest messages could not be listed: " + p.Message
	} else {
		for _, m := range page.Items {
			d.Recent = append(d.Recent, messageRow(m, a))
		}
		if page.HasMore || (page.Total != nil && offset+len(page.Items) < *page.Total) {
			d.OlderURL = "/messages?offset=" + strconv.Itoa(offset+messagesPerPage)
		}
		if offset > 0 {
			d.NewerURL = "/messages?offset=" + strconv.Itoa(max(0, offset-messagesPerPage))
		}
	}
	return render(c, status, views.MessagesPage(pg, d))
}

func messageRow(m carrierx.SMSMessage, a *auth) views.MessageRow {
	text := m.Message
	if utf8.RuneCountInString(text) > 60 {
		text = string([]rune(text)[:59]) + "…"
	}
	return views.MessageRow{SID: m.MessageSID, Created: appTime(m.DateCreated, a.location()), Direction: m.Direction,
		From: plusE164(m.From), To: plusE164(m.To), Type: strings.ToUpper(m.Type), Status: m.Status, Text: text}
}

func (s *Server) newMessageForm(a *auth) views.MessageSendForm {
	return views.MessageSendForm{Key: newSessionID(), CSRF: a.CSRF}
}

// showMessages is the Messages page.
func (s *Server) showMessages(c echo.Context) error {
	f := s.newMessageForm(authOf(c))
	f.From = digitsOnly(c.QueryParam("from"))
	return s.messagesPage(c, http.StatusOK, f)
}

// sendMessage sends the form's message once.
func (s *Server) sendMessage(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	f := views.MessageSendForm{Key: strings.TrimSpace(c.FormValue("send_key")), From: digitsOnly(c.FormValue("from")),
		To: typedNumber(c.FormValue("to")), Text: strings.TrimSpace(strings.ReplaceAll(c.FormValue("message"), "\r\n", "\n")),
		MediaURL: strings.TrimSpace(c.FormValue("media_url")), Errors: map[string]string{}, CSRF: a.CSRF}
	reply := func(status int, fl views.Flash) error {
		f.Message = fl.Text
		if nums, err := s.senderNumbers(ctx, cx); err == nil {
			f.Numbers = nums
		}
		if !isHTMX(c) {
			return s.messagesPage(c, status, f, fl)
		}
		return renderFragment(c, status, views.MessageSendFormView(f), fl)
	}
	if f.Key == "" || len(f.Key) > 64 {
		f.Key = newSessionID()
		return reply(http.StatusBadRequest, flashError("The form had expired: check it and send again."))
	}
	if f.From == "" {
		f.Errors["from"] = "Choose the number to send from."
	}
	if f.To == "" {
		f.Errors["to"] = "Enter the number to send to."
	}
	if f.Text == "" && f.MediaURL == "" {
		f.Errors["message"] = "Write the text, or give a media URL for an MMS."
	}
	if n := utf8.RuneCountInString(f.Text); n > maxMessageText {
		f.Errors["message"] = "At most 1600 characters (" + strconv.Itoa(n) + " now)."
	}
	checkAppURL(f.Errors, "media_url", f.MediaURL)
	if len(f.Errors) > 0 {
		return reply(http.StatusUnprocessableEntity, flashError("Not sent: correct the fields marked below."))
	}

	claim, err := s.db.ClaimMessageSend(ctx, a.PartnerSID, f.Key)
	if err != nil {
		s.log.Error("claim message send", "err", err)
		return reply(http.StatusInternalServerError, flashError("Not sent: the console could not record the send. Try again."))
	}
	if !claim.Claimed {
		if claim.MessageSID != "" {
			return s.redirectWithFlash(c, "/messages/"+claim.MessageSID, flashInfo("This form was already sent: here is its message. Nothing was sent again."))
		}
		f.Key = newSessionID()
		return reply(http.StatusConflict, flashError("This form was already submitted and CarrierX has not confirmed it: check the latest messages before sending again."))
	}

	req := carrierx.SendMessageRequest{From: f.From, To: f.To, Message: f.Text}
	if f.MediaURL != "" {
		req.MediaURLs = []string{f.MediaURL}
	}
	label := plusE164(f.From) + " → " + f.To
	m, err := cx.SendMessage(ctx, req)
	if err != nil {
		p := explain(err)
		if p.Expired {
			_ = s.db.ReleaseMessageSend(context.WithoutCancel(ctx), a.PartnerSID, f.Key)
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "send", ObjectType: "message", ObjectLabel: label, Outcome: store.OutcomeError,
			Message: p.Message, After: jsonOf(messageAudit(req))})
		if p.Outage || p.Status == 0 {
			// CarrierX may have sent it: the key stays used, and the next
			// send needs a new form.
			f.Key = newSessionID()
			return reply(http.StatusBadGateway, flashError("CarrierX did not confirm the message ("+p.Message+") It may have been sent: check the latest messages before sending again."))
		}
		if rerr := s.db.ReleaseMessageSend(context.WithoutCancel(ctx), a.PartnerSID, f.Key); rerr != nil {
			s.log.Error("release message send", "err", rerr)
		}
		for k, v := range p.Fields {
			switch k {
			case "media_urls", "media_urls[0]":
				f.Errors["media_url"] = v
			default:
				f.Errors[k] = v
			}
		}
		return reply(refusalStatus(p), flashError("Not sent: "+p.Message))
	}
	if err := s.db.MessageSent(context.WithoutCancel(ctx), a.PartnerSID, f.Key, m.MessageSID); err != nil {
		s.log.Error("record message send", "err", err)
	}
	s.audit(c, a, store.AuditEntry{Action: "send", ObjectType: "message", ObjectSID: m.MessageSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, After: jsonOf(messageAudit(req))})
	return s.redirectWithFlash(c, "/messages/"+m.MessageSID,
		flashOK("Message to "+plusE164(m.To)+" accepted by CarrierX ("+m.Status+")."))
}

// messageAudit is what the audit log keeps of a send: who to whom and the
// size of the text, not the text itself.
func messageAudit(r carrierx.SendMessageRequest) map[string]any {
	return map[string]any{"from": r.From, "to": r.To, "characters": utf8.RuneCountInString(r.Message), "media_urls": len(r.MediaURLs)}
}

func (s *Server) messageState(c echo.Context, sid string) (views.MessageState, *carrierx.SMSMessage, error) {
	m, err := s.client(c).GetMessage(c.Request().Context(), sid)
	if err != nil {
		return views.MessageState{}, nil, err
	}
	st := views.MessageState{SID: m.MessageSID, Status: m.Status, Live: messageLive(m.Status),
		Changed:    appTime(m.DateStatusChanged, authOf(c).location()),
		RecordsURL: views.RecordsQuery{Path: "/records/messages", Preset: "7d", Number: m.To}.URL()}
	if !st.Live {
		s.scheduler.SyncNow(authOf(c).PartnerSID)
	}
	return st, m, nil
}

// showMessage is one message's page, following it while queued.
func (s *Server) showMessage(c echo.Context) error {
	st, m, err := s.messageState(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	loc := authOf(c).location()
	facts := []views.Field{{Name: "Message", Value: m.MessageSID}, {Name: "From", Value: plusE164(m.From)},
		{Name: "To", Value: plusE164(m.To)}, {Name: "Type", Value: strings.ToUpper(m.Type)},
		{Name: "Created", Value: appTime(m.DateCreated, loc)}, {Name: "Segments", Value: strconv.Itoa(m.MessageSegments)},
		{Name: "Text", Value: m.Message}}
	for _, u := range m.MediaURLs {
		facts = append(facts, views.Field{Name: "Media", Value: u})
	}
	return render(c, http.StatusOK, views.MessagePage(s.page(c, "Message", "messages"), views.MessageData{Facts: facts, State: st}))
}

// messageStatePart is the polled status.
func (s *Server) messageStatePart(c echo.Context) error {
	st, _, err := s.messageState(c, c.Param("sid"))
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		if !p.Outage {
			return s.failCarrierX(c, err)
		}
		st = views.MessageState{SID: c.Param("sid"), Live: true, Error: "CarrierX could not be asked: " + p.Message}
	}
	return render(c, http.StatusOK, views.MessageStateView(st))
}
