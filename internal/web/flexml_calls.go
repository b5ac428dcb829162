package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// FlexML calls: placed from one of the account's numbers, listed while they
// are live (the call object carries no status), gone once they end. The
// call detail record they leave in Core does not name the call; it is the
// first outbound record of the endpoint to the called number that started
// once the call was placed.

func flexCallURL(epSID, sid string) string { return "/flexml/" + epSID + "/calls/" + sid }

// flexCallHint is what the follow page carries of a live call: when it was
// placed and the number it calls.
func flexCallHint(x carrierx.FlexMLCall) followHint {
	h := followHint{Number: digitsOnly(x.CalledDID)}
	if x.DateCreated != nil {
		h.At = x.DateCreated.UTC()
	}
	return h
}

func flexCallLabel(x carrierx.FlexMLCall) string {
	return plusE164(x.CallingDID) + " → " + plusE164(x.CalledDID)
}

func flexCallAudit(epSID string, x carrierx.FlexMLCall) map[string]any {
	return map[string]any{"endpoint_sid": epSID, "calling_did": x.CallingDID, "called_did": x.CalledDID,
		"url": deref(x.URL), "method": x.Method, "delay": x.Delay}
}

// placeFlexMLCall places a call and sends the browser to follow it; a
// refusal stays in the form, beside the fields CarrierX names.
func (s *Server) placeFlexMLCall(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	form := views.FlexMLCallForm{EndpointSID: ep.EndpointSID, CallingDID: typedNumber(c.FormValue("calling_did")),
		CalledDID: typedNumber(c.FormValue("called_did")), URL: strings.TrimSpace(c.FormValue("url")),
		Method: c.FormValue("method"), Delay: strings.TrimSpace(c.FormValue("delay")), CSRF: a.CSRF}
	reply := func(status int, msg string) error {
		form.Message = msg
		if !isHTMX(c) {
			return s.flexPageReply(c, ep, f, status, flashError(msg), nil, &form)
		}
		if nums, err := flexNumbers(ctx, f); err == nil {
			for _, n := range nums {
				form.Numbers = append(form.Numbers, views.Option{Value: n.Phonenumber, Label: flexNumberLabel(n)})
			}
		}
		return renderFragment(c, status, views.FlexMLCallFormView(form), flashError(msg))
	}
	errs := map[string]string{}
	if form.CallingDID == "" {
		errs["calling_did"] = "Choose the number to call from."
	}
	if form.CalledDID == "" {
		errs["called_did"] = "Enter the number to call."
	}
	checkAppURL(errs, "url", form.URL)
	delay := appIntField(errs, "delay", form.Delay, 0, 0, "Whole seconds, 0 or more.")
	if len(errs) > 0 {
		form.Errors = errs
		return reply(http.StatusUnprocessableEntity, "Not placed: correct the fields marked below.")
	}
	u := carrierx.FlexMLCallUpdate{CallingDID: carrierx.Set(form.CallingDID), CalledDID: carrierx.Set(form.CalledDID),
		Delay: carrierx.Set(delay)}
	if form.Method != "" {
		u.Method = carrierx.Set(form.Method)
	}
	if form.URL != "" {
		u.URL = carrierx.Set(form.URL)
	}
	x, err := f.CreateCall(ctx, u)
	if err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "place call", ObjectType: "flexml_call", ObjectLabel: plusE164(form.CallingDID) + " → " + form.CalledDID,
			Outcome: store.OutcomeError, Message: p.Message, After: jsonOf(map[string]any{"endpoint_sid": ep.EndpointSID,
				"calling_did": form.CallingDID, "called_did": form.CalledDID, "url": form.URL, "delay": delay})})
		form.Errors = p.Fields
		return reply(refusalStatus(p), "Not placed: "+p.Message)
	}
	s.audit(c, a, store.AuditEntry{Action: "place call", ObjectType: "flexml_call", ObjectSID: x.CallSID, ObjectLabel: flexCallLabel(*x),
		Outcome: store.OutcomeOK, After: jsonOf(flexCallAudit(ep.EndpointSID, *x))})
	return s.redirectWithFlash(c, flexCallHint(*x).url(flexCallURL(ep.EndpointSID, x.CallSID)),
		flashOK("Call placed: CarrierX calls "+plusE164(x.CalledDID)+" from "+plusE164(x.CallingDID)+"."))
}

// showFlexMLCall is the page that follows a call to its record.
func (s *Server) showFlexMLCall(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	loc := authOf(c).location()
	sid := c.Param("call")
	h := parseFollowHint(c)
	x, xerr := f.GetCall(c.Request().Context(), sid)
	facts := []views.Field{{Name: "Call", Value: sid}}
	if xerr == nil {
		facts = append(facts, views.Field{Name: "From", Value: plusE164(x.CallingDID)},
			views.Field{Name: "To", Value: plusE164(x.CalledDID)},
			views.Field{Name: "Instructions URL", Value: deref(x.URL)},
			views.Field{Name: "Placed", Value: appTime(x.DateCreated, loc)},
			views.Field{Name: "Delay (s)", Value: strconv.Itoa(x.Delay)})
	} else if h.Number != "" {
		facts = append(facts, views.Field{Name: "To", Value: plusE164(h.Number)}, views.Field{Name: "Placed", Value: appTime(&h.At, loc)})
	}
	data := views.CallFollowData{Endpoint: appEndpointView(ep), Title: "FlexML call", BackURL: flexmlURL(ep.EndpointSID),
		BackLabel: orName(ep.Name, "FlexML"), Facts: facts, State: s.flexCallState(c, ep, sid, h, x, xerr)}
	return render(c, http.StatusOK, views.CallFollowPage(s.page(c, "FlexML call", "flexml"), data))
}

// flexMLCallStatePart is the polled state of a call.
func (s *Server) flexMLCallStatePart(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	sid := c.Param("call")
	x, xerr := f.GetCall(c.Request().Context(), sid)
	return render(c, http.StatusOK, views.CallStateView(s.flexCallState(c, ep, sid, parseFollowHint(c), x, xerr)))
}

// flexCallState is what is known of a call: live while CarrierX lists it
// (x, xerr are its answer), then its record once found.
func (s *Server) flexCallState(c echo.Context, ep *carrierx.Endpoint, sid string, h followHint, x *carrierx.FlexMLCall, xerr error) views.CallState {
	a := authOf(c)
	loc := a.location()
	now := time.Now()
	stateURL := flexCallURL(ep.EndpointSID, sid) + "/state"
	st := views.CallState{ID: "flexml-call-state", CSRF: a.CSRF}
	switch {
	case xerr == nil:
		if h.At.IsZero() || h.Number == "" {
			h = flexCallHint(*x)
		}
		st.Live = true
		st.Phase = "Ringing or talking: CarrierX lists the call until it ends (its call object carries no status)."
		if x.DateCreated != nil {
			if at := x.DateCreated.Add(time.Duration(x.Delay) * time.Second); now.Before(at) {
				st.Phase = "Queued: dials at " + appTime(&at, loc) + "."
			}
		}
		st.PollURL, st.PollEvery = h.url(stateURL), pollFast
		st.CancelURL, st.CancelLabel = flexCallURL(ep.EndpointSID, sid)+"/cancel", "Hang up"
		return st
	case !appNotFound(xerr):
		st.Error = "CarrierX could not be asked about the call: " + explainApp(xerr).Message
		st.PollURL, st.PollEvery = h.url(stateURL), pollSlow
		return st
	}
	st.Gone = "The call has ended: CarrierX no longer lists it."
	if h.At.IsZero() || h.Number == "" {
		st.Note = "The console does not know whom this call dialled, so it cannot find its record: look in the call records."
		return st
	}
	rec, err := s.findFlexCallRecord(c, ep.EndpointSID, h)
	st.Note = "Looking for its record: it arrives once the call has ended (a call cancelled before it dialled leaves none)."
	followGone(&st, h, stateURL, now, rec, err)
	return st
}

// findFlexCallRecord finds the call detail record of a call: in the report
// cache first, else from Core.
func (s *Server) findFlexCallRecord(c echo.Context, epSID string, h followHint) (*views.RecordOutcome, error) {
	ctx := c.Request().Context()
	a := authOf(c)
	loc := a.location()
	since := h.At.Add(-5 * time.Second) // CarrierX's clock and the call's own may differ by a little
	rec, err := s.cachedFlexCallRecord(ctx, a.PartnerSID, epSID, h.Number, since)
	if err != nil {
		s.log.Error("call record look-up", "err", err)
		return nil, errors.New("the report cache could not be read")
	}
	if rec != nil {
		return cachedCallOutcome(*rec, epSID, loc), nil
	}
	filter := carrierx.Filter{}.Eq("endpoint_sid_src", epSID).Like("number_dst", "%"+h.Number).Ge("date_start", since)
	page, err := s.client(c).ListCallDRs(ctx, carrierx.ListOptions{Filter: filter, Order: "date_start asc", Limit: 1})
	if err != nil {
		return nil, errors.New(explain(err).Message)
	}
	if len(page.Items) == 0 {
		return nil, nil
	}
	r := page.Items[0]
	_, err = s.db.RecordRaw(ctx, a.PartnerSID, store.SourceCalls, r.DRSID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Error("call record look-up", "err", err)
	}
	out := callOutcome(deref(r.SIPCause), r.DateTalk != nil, loc)
	out.SID, out.From, out.To = r.DRSID, plusE164(digitsOnly(deref(r.NumberSrc))), plusE164(deref(r.NumberDst))
	out.Started, out.Ended = appTime(r.DateStart, loc), appTime(r.DateStop, loc)
	out.Duration, out.Billed = appSeconds(r.Duration), appSeconds(r.DurationBilling)
	if r.DateTalk != nil {
		out.Answered = appTime(r.DateTalk, loc)
	}
	if err == nil && r.DateStop != nil {
		out.Cached, out.Link = true, callExplorerLink(*r.DateStop, h.Number, epSID, r.DRSID, loc)
	}
	return out, nil
}

// cachedFlexCallRecord is the cached record of the call, or nil: the
// earliest outbound record of the endpoint to number started since then.
func (s *Server) cachedFlexCallRecord(ctx context.Context, partnerSID, epSID, number string, since time.Time) (*store.CallRecord, error) {
	rows, _, err := s.db.QueryCalls(ctx, store.CallFilter{PartnerSID: partnerSID, From: since, Direction: "outbound",
		Number: number, Endpoint: epSID}, store.CallSort{Field: "date_stop", Asc: true}, store.CallCursor{}, 50)
	if err != nil {
		return nil, err
	}
	var best *store.CallRecord
	for i := range rows {
		r := &rows[i]
		if digitsOnly(r.NumberDst) != number || r.DateStart == nil || r.DateStart.Before(since) {
			continue
		}
		if best == nil || r.DateStart.Before(*best.DateStart) {
			best = r
		}
	}
	return best, nil
}

func cachedCallOutcome(r store.CallRecord, epSID string, loc *time.Location) *views.RecordOutcome {
	out := callOutcome(r.SIPCause, r.DateTalk != nil, loc)
	out.SID, out.From, out.To = r.SID, plusE164(digitsOnly(r.NumberSrc)), plusE164(r.NumberDst)
	out.Started, out.Ended = appTime(r.DateStart, loc), appTime(r.DateStop, loc)
	out.Duration, out.Billed, out.Cached = appSeconds(r.Duration), appSeconds(r.DurationBilling), true
	if r.DateTalk != nil {
		out.Answered = appTime(r.DateTalk, loc)
	}
	if r.DateStop != nil {
		out.Link = callExplorerLink(*r.DateStop, digitsOnly(r.NumberDst), epSID, r.SID, loc)
	}
	return out
}

// sipOutcomes names the SIP causes a call commonly ends with.
var sipOutcomes = map[string]string{"486": "busy", "480": "no answer", "487": "cancelled", "404": "number not found",
	"503": "service unavailable", "403": "refused", "408": "no answer (timeout)", "603": "declined"}

// callOutcome is a call record's outcome in words.
func callOutcome(cause string, answered bool, loc *time.Location) *views.RecordOutcome {
	out := &views.RecordOutcome{OK: answered}
	switch {
	case answered:
		out.Outcome = "answered"
	case sipOutcomes[cause] != "":
		out.Outcome = sipOutcomes[cause]
	default:
		out.Outcome = "not answered"
	}
	if cause != "" {
		out.Outcome += " (SIP " + cause + ")"
	}
	if !answered {
		out.Answered = "not answered"
	}
	return out
}

// callExplorerLink is the record in the call explorer: the minutes around
// its end, to its number, from the endpoint.
func callExplorerLink(stop time.Time, number, epSID, sid string, loc *time.Location) string {
	from, to := explorerRange(stop, loc)
	return views.CallQuery{Preset: "custom", From: from, To: to, Number: number, Endpoint: epSID}.URL() + "#call-" + sid
}

// cancelFlexMLCall hangs up a live call (or drops a queued one); the state
// is answered in place.
func (s *Server) cancelFlexMLCall(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	sid := c.Param("call")
	h := parseFollowHint(c)
	x, xerr := f.GetCall(ctx, sid)
	var fl views.Flash
	status := http.StatusOK
	switch {
	case xerr != nil && appNotFound(xerr):
		fl = flashInfo("Nothing to hang up: the call had already ended.")
	case xerr != nil:
		return s.failApp(xerr)
	default:
		h = flexCallHint(*x)
		if err := f.DeleteCall(ctx, sid); err != nil {
			p := explainApp(err)
			s.audit(c, a, store.AuditEntry{Action: "hang up", ObjectType: "flexml_call", ObjectSID: sid, ObjectLabel: flexCallLabel(*x),
				Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(flexCallAudit(ep.EndpointSID, *x))})
			fl, status = flashError("The call was not hung up: "+p.Message), refusalStatus(p)
		} else {
			s.audit(c, a, store.AuditEntry{Action: "hang up", ObjectType: "flexml_call", ObjectSID: sid, ObjectLabel: flexCallLabel(*x),
				Outcome: store.OutcomeOK, Before: jsonOf(flexCallAudit(ep.EndpointSID, *x))})
			fl = flashOK("Hung up the call " + flexCallLabel(*x) + ".")
		}
	}
	if !isHTMX(c) {
		return s.redirectWithFlash(c, h.url(flexCallURL(ep.EndpointSID, sid)), fl)
	}
	x, xerr = f.GetCall(ctx, sid)
	return renderFragment(c, status, views.CallStateView(s.flexCallState(c, ep, sid, h, x, xerr)), fl)
}
