package web

import (
	"context"
	"encoding/json"
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

// Dialouts: CarrierX calls a first number from one of the account's
// numbers, then a second, and connects them. A dialout is listed until both
// have answered; the connected call then leaves a Mediator record (with the
// dialout's SID) in Core when it ends. The console follows it from one to
// the other.

func dialoutURL(epSID, sid string) string { return "/mediator/" + epSID + "/dialouts/" + sid }

// dialoutHint is what the follow page carries of a live dialout: when it
// was placed and its first number (its record's number_src).
func dialoutHint(d carrierx.MediatorDialout) followHint {
	h := followHint{Number: digitsOnly(d.StageOneDestinationDID)}
	if d.DateCreated != nil {
		h.At = d.DateCreated.UTC()
	}
	return h
}

func dialoutRow(epSID string, d carrierx.MediatorDialout, labels map[string]string, loc *time.Location) views.DialoutRow {
	return views.DialoutRow{SID: d.DialoutSID, Redirect: accountNumberLabel(labels, d.RedirectDID),
		StageOne: plusE164(d.StageOneDestinationDID), StageTwo: plusE164(d.StageTwoDestinationDID),
		Created: appTime(d.DateCreated, loc), FollowURL: dialoutHint(d).url(dialoutURL(epSID, d.DialoutSID))}
}

func dialoutAudit(epSID string, d carrierx.MediatorDialout) map[string]any {
	return map[string]any{"endpoint_sid": epSID, "redirect_did": d.RedirectDID, "stage_one_destination_did": d.StageOneDestinationDID,
		"stage_two_destination_did": d.StageTwoDestinationDID, "delay": d.Delay, "attributes": d.Attributes}
}

func dialoutLabel(d carrierx.MediatorDialout) string {
	return plusE164(d.StageOneDestinationDID) + " ↔ " + plusE164(d.StageTwoDestinationDID)
}

// createDialout places a dialout and sends the browser to follow it; a
// refusal stays in the form, beside the fields CarrierX names.
func (s *Server) createDialout(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	f := views.DialoutForm{EndpointSID: ep.EndpointSID, RedirectDID: typedNumber(c.FormValue("redirect_did")),
		StageOne: typedNumber(c.FormValue("stage_one_destination_did")), StageTwo: typedNumber(c.FormValue("stage_two_destination_did")),
		Delay: strings.TrimSpace(c.FormValue("delay")), Attributes: c.FormValue("attributes"), CSRF: a.CSRF}
	reply := func(status int, msg string) error {
		f.Message = msg
		if !isHTMX(c) {
			pg := s.page(c, orName(ep.Name, "Mediator")+" · Mediator", "mediator")
			pg.Flashes = append(pg.Flashes, flashError(msg))
			return render(c, status, views.MediatorPage(pg, s.mediatorData(c, ep, m, &pg, nil, &f)))
		}
		if _, opts, _, err := mediatorNumbers(ctx, m); err == nil {
			f.Numbers = opts
		}
		return renderFragment(c, status, views.DialoutFormView(f), flashError(msg))
	}
	errs := map[string]string{}
	if f.RedirectDID == "" {
		errs["redirect_did"] = "Choose the number to call from."
	}
	if f.StageOne == "" {
		errs["stage_one_destination_did"] = "Enter the number to call first."
	}
	if f.StageTwo == "" {
		errs["stage_two_destination_did"] = "Enter the number to connect it to."
	}
	delay := appIntField(errs, "delay", f.Delay, 0, 0, "Whole seconds, 0 or more.")
	attrs := parseAttributes(errs, f.Attributes)
	if len(errs) > 0 {
		f.Errors = errs
		return reply(http.StatusUnprocessableEntity, "Not placed: correct the fields marked below.")
	}
	u := carrierx.MediatorDialoutUpdate{RedirectDID: carrierx.Set(f.RedirectDID),
		StageOneDestinationDID: carrierx.Set(f.StageOne), StageTwoDestinationDID: carrierx.Set(f.StageTwo), Delay: carrierx.Set(delay)}
	if len(attrs) > 0 {
		u.Attributes = carrierx.Set(attrs)
	}
	d, err := m.CreateDialout(ctx, u)
	if err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "mediator_dialout", ObjectLabel: f.StageOne + " ↔ " + f.StageTwo,
			Outcome: store.OutcomeError, Message: p.Message, After: jsonOf(map[string]any{"endpoint_sid": ep.EndpointSID,
				"redirect_did": f.RedirectDID, "stage_one_destination_did": f.StageOne, "stage_two_destination_did": f.StageTwo, "delay": delay, "attributes": attrs})})
		f.Errors = p.Fields
		return reply(refusalStatus(p), "Not placed: "+p.Message)
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "mediator_dialout", ObjectSID: d.DialoutSID,
		ObjectLabel: dialoutLabel(*d), Outcome: store.OutcomeOK, After: jsonOf(dialoutAudit(ep.EndpointSID, *d))})
	return s.redirectWithFlash(c, dialoutHint(*d).url(dialoutURL(ep.EndpointSID, d.DialoutSID)),
		flashOK("Dialout placed: CarrierX calls "+plusE164(d.StageOneDestinationDID)+", then "+plusE164(d.StageTwoDestinationDID)+"."))
}

// showDialout is the page that follows a dialout to its record.
func (s *Server) showDialout(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	a := authOf(c)
	loc := a.location()
	sid := c.Param("dialout")
	h := parseFollowHint(c)
	d, derr := m.GetDialout(c.Request().Context(), sid)
	facts := []views.Field{{Name: "Dialout", Value: sid}}
	if derr == nil {
		facts = append(facts, views.Field{Name: "Calls from", Value: plusE164(d.RedirectDID)},
			views.Field{Name: "First number", Value: plusE164(d.StageOneDestinationDID)},
			views.Field{Name: "Second number", Value: plusE164(d.StageTwoDestinationDID)},
			views.Field{Name: "Placed", Value: appTime(d.DateCreated, loc)},
			views.Field{Name: "Delay (s)", Value: strconv.Itoa(d.Delay)})
	} else if !h.At.IsZero() {
		facts = append(facts, views.Field{Name: "Placed", Value: appTime(&h.At, loc)})
	}
	data := views.CallFollowData{Endpoint: appEndpointView(ep), Title: "Dialout", BackURL: mediatorURL(ep.EndpointSID),
		BackLabel: orName(ep.Name, "Mediator"), Facts: facts, State: s.dialoutState(c, ep, sid, h, d, derr)}
	return render(c, http.StatusOK, views.CallFollowPage(s.page(c, "Dialout", "mediator"), data))
}

// dialoutStatePart is the polled state of a dialout.
func (s *Server) dialoutStatePart(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	sid := c.Param("dialout")
	d, derr := m.GetDialout(c.Request().Context(), sid)
	return render(c, http.StatusOK, views.CallStateView(s.dialoutState(c, ep, sid, parseFollowHint(c), d, derr)))
}

// dialoutState is what is known of a dialout: live while CarrierX lists it
// (d, derr are its answer), then its record once found.
func (s *Server) dialoutState(c echo.Context, ep *carrierx.Endpoint, sid string, h followHint, d *carrierx.MediatorDialout, derr error) views.CallState {
	a := authOf(c)
	loc := a.location()
	now := time.Now()
	stateURL := dialoutURL(ep.EndpointSID, sid) + "/state"
	st := views.CallState{ID: "dialout-state", CSRF: a.CSRF}
	switch {
	case derr == nil:
		if h.At.IsZero() || h.Number == "" {
			h = dialoutHint(*d)
		}
		st.Live = true
		st.Phase = "Dialing: CarrierX calls " + plusE164(d.StageOneDestinationDID) + ", then " +
			plusE164(d.StageTwoDestinationDID) + "; the dialout leaves the live list once both have answered."
		if d.DateCreated != nil {
			if at := d.DateCreated.Add(time.Duration(d.Delay) * time.Second); now.Before(at) {
				st.Phase = "Waiting: dials at " + appTime(&at, loc) + "."
			}
		}
		st.PollURL, st.PollEvery = h.url(stateURL), pollFast
		st.CancelURL, st.CancelLabel = dialoutURL(ep.EndpointSID, sid)+"/cancel", "Cancel the dialout"
		return st
	case !appNotFound(derr):
		st.Error = "CarrierX could not be asked about the dialout: " + explainApp(derr).Message
		st.PollURL, st.PollEvery = h.url(stateURL), pollSlow
		return st
	}
	st.Gone = "Both numbers were connected, or the dialout ended: CarrierX no longer lists it."
	rec, err := s.findDialoutRecord(c, sid, h)
	if rec == nil && err == nil && h.At.IsZero() {
		// Not placed from here, or long ago: nothing to wait for.
		st.Note = "No record of this dialout was found."
		st.LookAgain = h.url(stateURL)
		return st
	}
	st.Note = "Looking for its record: it arrives when the connected call ends."
	followGone(&st, h, stateURL, now, rec, err)
	return st
}

// findDialoutRecord finds the Mediator record a dialout left: in the report
// cache first (the records through its first number since it was placed),
// else from Core, filtered by dialout_sid.
func (s *Server) findDialoutRecord(c echo.Context, sid string, h followHint) (*views.RecordOutcome, error) {
	ctx := c.Request().Context()
	a := authOf(c)
	loc := a.location()
	if !h.At.IsZero() && h.Number != "" {
		rec, err := s.cachedDialoutRecord(ctx, a.PartnerSID, sid, h)
		if err != nil {
			s.log.Error("mediator record look-up", "err", err)
			return nil, errors.New("the report cache could not be read")
		}
		if rec != nil {
			return mediatorOutcome(*rec, true, loc), nil
		}
	}
	page, err := s.client(c).ListMediatorCalls(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("dialout_sid", sid), Limit: 1})
	if err != nil {
		return nil, errors.New(explain(err).Message)
	}
	if len(page.Items) == 0 {
		return nil, nil
	}
	mc := page.Items[0]
	_, err = s.db.RecordRaw(ctx, a.PartnerSID, store.SourceMediatorCalls, mc.DRSID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Error("mediator record look-up", "err", err)
	}
	return mediatorOutcome(mc, err == nil, loc), nil
}

// cachedDialoutRecord is the cached Mediator record of the dialout, or nil.
func (s *Server) cachedDialoutRecord(ctx context.Context, partnerSID, sid string, h followHint) (*carrierx.MediatorCall, error) {
	rows, _, err := s.db.QueryRecords(ctx, store.MediatorCallSpec, store.RecordFilter{PartnerSID: partnerSID,
		From: h.At.Add(-time.Minute), Number: h.Number}, store.RecordCursor{}, 100)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		raw, err := s.db.RecordRaw(ctx, partnerSID, store.SourceMediatorCalls, r.SID)
		if err != nil {
			return nil, err
		}
		var mc carrierx.MediatorCall
		if json.Unmarshal(raw, &mc) == nil && deref(mc.DialoutSID) == sid {
			return &mc, nil
		}
	}
	return nil, nil
}

// mediatorOutcome is a Mediator record as the follow page shows it.
func mediatorOutcome(mc carrierx.MediatorCall, cached bool, loc *time.Location) *views.RecordOutcome {
	status := deref(mc.Status)
	r := &views.RecordOutcome{SID: mc.DRSID, OK: status == "completed", From: plusE164(deref(mc.NumberSrc)),
		To: plusE164(deref(mc.NumberDst)), Via: plusE164(deref(mc.NumberRedirect)), Started: appTime(mc.DateStart, loc),
		Ended: appTime(mc.DateStop, loc), Duration: appSeconds(mc.Duration), Billed: appSeconds(mc.DurationBilling), Cached: cached}
	switch {
	case r.OK:
		r.Outcome = "connected"
	case status == "":
		r.Outcome = "not connected"
	default:
		r.Outcome = "not connected (" + strings.ReplaceAll(status, "_", " ") + ")"
	}
	if cached && mc.DateStop != nil {
		from, to := explorerRange(*mc.DateStop, loc)
		r.Link = views.RecordsQuery{Path: "/records/mediator", Preset: "custom", From: from, To: to,
			Number: digitsOnly(deref(mc.NumberRedirect))}.URL() + "#record-" + mc.DRSID
	}
	return r
}

// cancelDialout cancels a dialout not yet connected; the state is answered
// in place.
func (s *Server) cancelDialout(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	sid := c.Param("dialout")
	h := parseFollowHint(c)
	d, derr := m.GetDialout(ctx, sid)
	var fl views.Flash
	status := http.StatusOK
	switch {
	case derr != nil && appNotFound(derr):
		fl = flashInfo("Nothing to cancel: the dialout was already connected or had ended.")
	case derr != nil:
		return s.failApp(derr)
	default:
		h = dialoutHint(*d)
		if err := m.DeleteDialout(ctx, sid); err != nil {
			p := explainApp(err)
			s.audit(c, a, store.AuditEntry{Action: "cancel", ObjectType: "mediator_dialout", ObjectSID: sid, ObjectLabel: dialoutLabel(*d),
				Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(dialoutAudit(ep.EndpointSID, *d))})
			fl, status = flashError("The dialout was not cancelled: "+p.Message), refusalStatus(p)
		} else {
			s.audit(c, a, store.AuditEntry{Action: "cancel", ObjectType: "mediator_dialout", ObjectSID: sid, ObjectLabel: dialoutLabel(*d),
				Outcome: store.OutcomeOK, Before: jsonOf(dialoutAudit(ep.EndpointSID, *d))})
			fl = flashOK("Cancelled the dialout " + dialoutLabel(*d) + ".")
		}
	}
	if !isHTMX(c) {
		return s.redirectWithFlash(c, h.url(dialoutURL(ep.EndpointSID, sid)), fl)
	}
	d, derr = m.GetDialout(ctx, sid)
	return renderFragment(c, status, views.CallStateView(s.dialoutState(c, ep, sid, h, d, derr)), fl)
}
