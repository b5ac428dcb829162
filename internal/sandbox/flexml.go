package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// FlexML API (/flexml/v1, §4.17): the account of a flexml endpoint, the
// numbers it answers and places calls from, and the outbound calls it
// places. Requests authenticate with the endpoint's login and password
// (hosted.go); every object belongs to the endpoint's account.
//
// Creating a Core endpoint of type flexml provisions its account (named
// after the endpoint); deleting the endpoint removes the account, its
// numbers and its calls (a call still ringing or talking is cut and
// recorded as it stands).
//
// Calls. POST /calls places a call from one of the account's numbers
// (calling_did; any other number is a 422) to called_did, after delay
// seconds. On the sandbox clock a call is queued until its delay has
// passed, then rings, then is answered and talks, then ends. The far end's
// answer follows the called number's last three digits (the SIP cause they
// spell), so that every outcome can be produced on purpose:
//
//	...486  busy       (SIP 486 after 2 s of ringing)
//	...480  no-answer  (SIP 480 after 30 s of ringing)
//	...404  failed     (SIP 404 after 1 s)
//	...503  failed     (SIP 503 after 1 s)
//	other   completed  (answered after 2-7 s of ringing, talks 15-180 s)
//
// Ringing and talk times are drawn from the seeded generator when the call
// is created, so a seed replays the same calls. A call that reached the
// network (it rang, even briefly) leaves a call detail record in Core
// (/core/v2/calls/call_drs, outbound, endpoint_sid_src = the FlexML
// endpoint) for the endpoint's partner when it ends.
//
// Not confirmed, and served conservatively:
//   - a call object is listed while it is live (queued, ringing or
//     talking) and removed once it ends, as Conference calls are; the Call
//     object has no status field in the docs, so the state is not shown
//     (CallStatus values are only sent to status callbacks, which the
//     sandbox does not send);
//   - the call detail record's dr_sid is kept by the sandbox but not shown
//     on the call (the Call object documents no such field);
//   - updates: the docs list attributes, called_did, calling_did, delay,
//     method, status_callback_method, status_callback_url and url as
//     updatable, the python SDK only status_callback_url/_method. Both are
//     served: everything listed while the call is still queued, only the
//     status callback settings once it is dialing (the others are a 422);
//   - DELETE cancels a live call (204): a queued call is dropped without a
//     record, a ringing one is recorded as cancelled (SIP 487), a talking
//     one is hung up (recorded as answered, ending now);
//   - an account's numbers: see syncNumbers.

func init() {
	extraTables = append(extraTables, flexAccountsTable, flexDIDsTable, flexCallsTable, flexStatesTable)
	hostedAPIs = append(hostedAPIs, hostedAPI{prefix: "/flexml/v1", endpointType: "flexml", routes: (*Sandbox).flexmlRoutes})
	endpointCreated = append(endpointCreated, (*Sandbox).provisionFlexML)
	endpointDeleted = append(endpointDeleted, (*Sandbox).removeFlexML)
	tickers = append(tickers, (*Sandbox).tickFlexML)
}

const (
	flexAccountsTable = "flexml_accounts"
	flexDIDsTable     = "flexml_dids"
	flexCallsTable    = "flexml_calls"
	flexStatesTable   = "flexml_call_states" // the sandbox's own state of each call; never served
)

// httpMethods are the values of status_callback_method (the Account page
// lists them); method (how FlexML instructions are fetched) is GET or POST.
var httpMethods = []string{"GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"}

// flexAccountSchema is the FlexML Account object. login and the password
// (never shown) are the endpoint's; name starts as the endpoint's name.
var flexAccountSchema = newSchema("account", "account_sid",
	sidField("account_sid"),
	fld("date_created", kindTime, ro()),
	fld("error_handler", kindString, def("basic"), enum("basic", "none")),
	fld("login", kindString, ro()),
	fld("method", kindString, def("POST"), enum("GET", "POST")),
	fld("name", kindString, maxLen(255)),
	fld("status_callback_method", kindString, def("POST"), enum(httpMethods...)),
	fld("status_callback_url", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
	fld("url", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
)

// flexDIDSchema is the FlexML DID object: the number's formats are
// read-only; where its calls fetch FlexML instructions and report their end
// is updatable.
var flexDIDSchema = newSchema("did", "did_sid",
	sidField("account_sid"),
	roStr("country_code"),
	sidField("did_sid"),
	roStr("in_country_format"),
	roStr("international_format"),
	fld("method", kindString, def("POST"), enum("GET", "POST")),
	fld("phonenumber", kindString, ro()),
	fld("status_callback_method", kindString, def("POST"), enum(httpMethods...)),
	fld("status_callback_url", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
	fld("url", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
)

// flexCallSchema is the FlexML Call object (§9 ex. 19). calling_did and
// called_did are required on create.
var flexCallSchema = newSchema("call", "call_sid",
	sidField("account_sid"),
	emptyObj("attributes"),
	sidField("call_sid"),
	fld("called_did", kindString, check(e164Check("called_did"))),
	fld("calling_did", kindString, check(e164Check("calling_did"))),
	fld("date_created", kindTime, ro()),
	fld("delay", kindInt, def(int64(0)), minInt(0)),
	fld("method", kindString, def("POST"), enum("GET", "POST")),
	fld("status_callback_method", kindString, def("POST"), enum(httpMethods...)),
	fld("status_callback_url", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
	fld("url", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
)

// e164Check accepts a phone number in E.164 format, with or without "+"
// (stored without it, as in every sample).
func e164Check(name string) func(c *call, v any) string {
	return func(c *call, v any) string {
		if !smsE164RE.MatchString(v.(string)) {
			return name + " must be a phone number in E.164 format"
		}
		return ""
	}
}

// plainNumber drops the "+" of an E.164 string value (nil stays nil).
func plainNumber(v any) any {
	if s, ok := v.(string); ok {
		return strings.TrimPrefix(s, "+")
	}
	return v
}

// hostedVisible: objects of a hosted API belong to the caller's account.
func hostedVisible(c *call, r *record) bool { return r.owner == c.accountSID() }

// ---- the numbers of a hosted account (FlexML and Mediator) ----

// hostedNumbers is the number table of one hosted API.
type hostedNumbers struct {
	table  string
	schema *schema
}

var (
	flexNumbers = hostedNumbers{table: flexDIDsTable, schema: flexDIDSchema}
	medNumbers  = hostedNumbers{table: medDIDsTable, schema: medDIDSchema}
)

// hostedGiftKey marks (on the stored object, never shown) a number given to
// the account when it was provisioned.
const hostedGiftKey = "_gift"

// hostedGifts is how many unrouted numbers a new account is given.
const hostedGifts = 3

// hostedPresent leaves the sandbox's bookkeeping keys out of an object.
func hostedPresent(c *call, r *record) object {
	if _, ok := r.obj[hostedGiftKey]; !ok {
		return r.obj
	}
	o := make(object, len(r.obj))
	for k, v := range r.obj {
		if !strings.HasPrefix(k, "_") {
			o[k] = v
		}
	}
	return o
}

// trunkGroupEndpoints maps each of the partner's trunk groups to the
// endpoints its trunks name.
func (s *Sandbox) trunkGroupEndpoints(partnerSID string) map[string][]string {
	m := map[string][]string{}
	for _, t := range s.trunks.recs {
		if t.owner != partnerSID {
			continue
		}
		if ep, ok := t.obj["endpoint_sid"].(string); ok && ep != "" {
			m[t.parent] = append(m[t.parent], ep)
		}
	}
	return m
}

// syncNumbers brings a FlexML or Mediator account's numbers up to date with
// Core. The docs say only that the endpoint's numbers are DIDs rented
// through CarrierX and associated with the endpoint (the quick starts
// associate a number by putting it on a trunk group whose trunk leads to
// the endpoint). The rule served:
//
//   - a number the partner rents whose trunk group has a trunk naming this
//     endpoint is the account's;
//   - so that a new account can work at once, it is also given up to
//     hostedGifts of the partner's rented numbers that route nowhere (no
//     trunk group) and that no FlexML or Mediator account holds (gift is
//     true at provisioning only);
//   - a given number stays the account's while the partner rents it and
//     it routes nowhere or to this endpoint; a routed one while it routes
//     here. A number that leaves the account and comes back gets a new
//     did_sid (the account's DID object is its own, with its own SID).
//
// Callers hold the write lock.
func (s *Sandbox) syncNumbers(k hostedNumbers, account, endpointSID, partnerSID string, gift bool) {
	t := s.table(k.table)
	tgEPs := s.trunkGroupEndpoints(partnerSID)
	rented := func(d *record) bool { return d != nil && d.owner == partnerSID && d.status == "assigned" }
	// routed reports whether d routes to this endpoint, or anywhere else
	// (a trunk group whose trunks lead elsewhere or to the partner's own
	// equipment).
	routed := func(d *record) (here, elsewhere bool) {
		tg, _ := d.obj["trunk_group_sid"].(string)
		if tg == "" {
			return false, false
		}
		for _, ep := range tgEPs[tg] {
			if ep == endpointSID {
				return true, false
			}
		}
		return false, true
	}
	have := map[string]bool{}
	var drop []string
	for _, r := range t.recs {
		if r.owner != account {
			continue
		}
		d := s.dids.get(r.parent)
		keep := false
		if rented(d) {
			here, elsewhere := routed(d)
			keep = here || (r.obj[hostedGiftKey] == true && !elsewhere)
		}
		if keep {
			have[r.parent] = true
		} else {
			drop = append(drop, r.sid)
		}
	}
	for _, sid := range drop {
		t.remove(sid)
	}
	held := map[string]bool{}
	if gift {
		for _, name := range []string{flexDIDsTable, medDIDsTable} {
			for _, r := range s.table(name).recs {
				held[r.parent] = true
			}
		}
	}
	gifts := hostedGifts
	for _, d := range s.dids.recs {
		if !rented(d) || have[d.sid] {
			continue
		}
		here, elsewhere := routed(d)
		switch {
		case here:
			t.insert(s.hostedNumber(k, account, d, false))
		case gift && gifts > 0 && !elsewhere && !held[d.sid]:
			t.insert(s.hostedNumber(k, account, d, true))
			gifts--
		}
	}
}

// hostedNumber is a new number record of an account for the Core DID d.
func (s *Sandbox) hostedNumber(k hostedNumbers, account string, d *record, gift bool) *record {
	o := k.schema.defaults()
	sid := s.newSID()
	o["account_sid"], o["did_sid"] = account, sid
	for _, f := range []string{"country_code", "in_country_format", "international_format", "phonenumber"} {
		o[f] = d.obj[f]
	}
	if gift {
		o[hostedGiftKey] = true
	}
	return &record{sid: sid, owner: account, parent: d.sid, obj: o}
}

// accountNumber returns the account's number record for phonenumber, or nil.
func (s *Sandbox) accountNumber(k hostedNumbers, account, number string) *record {
	for _, r := range s.table(k.table).recs {
		if r.owner == account && r.obj["phonenumber"] == number {
			return r
		}
	}
	return nil
}

// removeOwned removes every record of the table that belongs to account.
func (s *Sandbox) removeOwned(name, account string) {
	t := s.table(name)
	keep := t.recs[:0:0]
	for _, r := range t.recs {
		if r.owner == account {
			delete(t.byID, r.sid)
			continue
		}
		keep = append(keep, r)
	}
	t.recs = keep
}

// ---- accounts ----

// provisionFlexML creates a new flexml endpoint's account and gives it its
// numbers.
func (s *Sandbox) provisionFlexML(c *call, ep *record) {
	if ep.obj["type"] != "flexml" {
		return
	}
	acct := endpointProperty(ep, "account_sid")
	o := flexAccountSchema.defaults()
	o["account_sid"], o["date_created"], o["login"] = acct, formatTS(c.now), endpointProperty(ep, "login")
	o["name"] = ep.obj["name"]
	s.table(flexAccountsTable).insert(&record{sid: acct, owner: acct, parent: ep.sid, obj: o})
	s.syncNumbers(flexNumbers, acct, ep.sid, ep.owner, true)
}

// removeFlexML removes a deleted flexml endpoint's account, numbers and
// calls; live calls are cut now and recorded.
func (s *Sandbox) removeFlexML(ep *record) {
	if ep.obj["type"] != "flexml" {
		return
	}
	acct := endpointProperty(ep, "account_sid")
	now := s.now()
	for _, r := range s.table(flexStatesTable).recs {
		if st := flexStateOf(r); r.owner == acct && !st.final() {
			s.flexAdvance(st, now)
			if !st.final() {
				s.flexCancel(st, now)
			}
		}
	}
	for _, name := range []string{flexAccountsTable, flexDIDsTable, flexCallsTable, flexStatesTable} {
		s.removeOwned(name, acct)
	}
}

// flexmlSynced brings the caller's numbers up to date before h runs.
func (s *Sandbox) flexmlSynced(h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		s.syncNumbers(flexNumbers, c.accountSID(), c.endpoint.sid, c.partner.sid, false)
		return h(c)
	}
}

func (s *Sandbox) flexmlRoutes(rt *router) {
	accounts := &view{schema: flexAccountSchema, table: s.table(flexAccountsTable), param: "account_sid",
		defaultLimit: 10, visible: hostedVisible}
	dids := &view{schema: flexDIDSchema, table: s.table(flexDIDsTable), param: "did_sid",
		defaultLimit: 10, visible: hostedVisible, present: hostedPresent}
	calls := s.flexCallView()
	h := func(method, path string, f handlerFunc) { rt.handle(method, path, s.flexmlSynced(f)) }
	h("GET", "/accounts", accounts.list(nil))
	h("GET", "/accounts/{account_sid}", accounts.get())
	h("PATCH", "/accounts/{account_sid}", accounts.update(false))
	h("PUT", "/accounts/{account_sid}", accounts.update(true))
	h("POST", "/calls", s.flexCallCreate(calls))
	h("GET", "/calls", calls.list(nil))
	h("GET", "/calls/{call_sid}", calls.get())
	h("PATCH", "/calls/{call_sid}", s.flexCallUpdate(calls, false))
	h("PUT", "/calls/{call_sid}", s.flexCallUpdate(calls, true))
	h("DELETE", "/calls/{call_sid}", s.flexCallDelete(calls))
	h("GET", "/dids", dids.list(nil))
	h("GET", "/dids/{did_sid}", dids.get())
	h("PATCH", "/dids/{did_sid}", dids.update(false))
	h("PUT", "/dids/{did_sid}", dids.update(true))
}

// ---- calls ----

// flexCall is the sandbox's state of one FlexML call.
type flexCall struct {
	sid, account, partner, endpoint string

	status  string // queued, ringing, in-progress; then completed, busy, no-answer, failed or cancelled
	created time.Time
	dialAt  time.Time     // created + delay
	drawn   flexDraw      // drawn when the call was placed
	outcome string        // the far end's answer (see flexOutcome): completed, busy, no-answer or failed
	cause   string        // its SIP cause: "200" when answered
	ring    time.Duration // until answered (or refused)

	from, to            string // as dialled
	start, answer, stop time.Time
	drSID               string // the call detail record, once ended
}

func (st *flexCall) final() bool {
	switch st.status {
	case "queued", "ringing", "in-progress":
		return false
	}
	return true
}

func flexStateOf(r *record) *flexCall {
	st, _ := r.obj["state"].(*flexCall)
	return st
}

// flexOutcome is how the far end answers a call to number (see the top of
// this file): the final status, the SIP cause, and how long it rings.
func flexOutcome(number string, answeredAfter time.Duration) (status, cause string, ring time.Duration) {
	switch {
	case strings.HasSuffix(number, "486"):
		return "busy", "486", 2 * time.Second
	case strings.HasSuffix(number, "480"):
		return "no-answer", "480", 30 * time.Second
	case strings.HasSuffix(number, "404"):
		return "failed", "404", time.Second
	case strings.HasSuffix(number, "503"):
		return "failed", "503", time.Second
	}
	return "completed", "200", answeredAfter
}

// flexDraw is what the seeded generator decides of an answered call: how
// long it rings, how long it talks, and which side hangs up.
type flexDraw struct {
	ring, talk time.Duration
	farEnd     bool
}

func (s *Sandbox) flexDraw() flexDraw {
	return flexDraw{
		ring:   time.Duration(2000+s.rng.IntN(5001)) * time.Millisecond,
		talk:   time.Duration(15+s.rng.IntN(166)) * time.Second,
		farEnd: s.rng.IntN(2) == 0,
	}
}

func (s *Sandbox) flexCallView() *view {
	return &view{schema: flexCallSchema, table: s.table(flexCallsTable), param: "call_sid", defaultLimit: 10,
		visible: hostedVisible,
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			var errs []errItem
			if st := s.flexState(rec.sid); st != nil && st.status != "queued" {
				for _, k := range []string{"attributes", "called_did", "calling_did", "delay", "method", "url"} {
					if !sameJSON(plainNumber(next[k]), rec.obj[k]) {
						errs = append(errs, item(k, k+" cannot be changed once the call is dialing"))
					}
				}
			}
			return append(errs, s.flexCallChecks(c, rec, body, next)...)
		},
	}
}

// flexCallChecks validates the numbers of a call being created or updated:
// both are required, and calling_did must be one of the account's numbers
// (checked when it is given). Numbers are stored without "+".
func (s *Sandbox) flexCallChecks(c *call, rec *record, body map[string]any, next object) []errItem {
	var errs []errItem
	for _, k := range []string{"called_did", "calling_did"} {
		if next[k] == nil {
			if _, sent := body[k]; !sent {
				errs = append(errs, item(k, k+" is required"))
			}
			continue
		}
		next[k] = plainNumber(next[k])
	}
	if from, ok := next["calling_did"].(string); ok {
		_, sent := body["calling_did"]
		changed := rec == nil || from != rec.obj["calling_did"]
		if sent && changed && smsE164RE.MatchString(from) && s.accountNumber(flexNumbers, c.accountSID(), from) == nil {
			errs = append(errs, item("calling_did", "calling_did must be one of the DIDs of the FlexML endpoint"))
		}
	}
	return errs
}

// flexState returns the state of the call sid, or nil.
func (s *Sandbox) flexState(sid string) *flexCall {
	if r := s.table(flexStatesTable).get(sid); r != nil {
		return flexStateOf(r)
	}
	return nil
}

// flexCallCreate serves POST /calls: 200 and the new call, queued until its
// delay has passed.
func (s *Sandbox) flexCallCreate(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		o := flexCallSchema.defaults()
		o["account_sid"], o["call_sid"], o["date_created"] = c.accountSID(), s.newSID(), formatTS(c.now)
		next, errs := applyBody(c, flexCallSchema, o, body, modeCreate, "")
		errs = append(errs, s.flexCallChecks(c, nil, body, next)...)
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		sid := next["call_sid"].(string)
		rec := &record{sid: sid, owner: c.accountSID(), parent: c.endpoint.sid, obj: next}
		v.table.insert(rec)
		st := &flexCall{sid: sid, account: c.accountSID(), partner: c.partner.sid, endpoint: c.endpoint.sid,
			status: "queued", created: c.now, drawn: s.flexDraw()}
		flexPlan(st, next)
		s.table(flexStatesTable).insert(&record{sid: sid, owner: c.accountSID(), obj: object{"state": st}})
		s.wake(st.dialAt)
		return http.StatusOK, v.output(c, rec, fieldSel{}, false), nil
	}
}

// flexPlan (re)computes a queued call's dial time and the far end's answer
// from the call object.
func flexPlan(st *flexCall, o object) {
	delay, _ := intOf(o["delay"])
	st.dialAt = st.created.Add(time.Duration(delay) * time.Second)
	to, _ := o["called_did"].(string)
	st.outcome, st.cause, st.ring = flexOutcome(to, st.drawn.ring)
}

// flexCallUpdate serves PATCH (put=false) and PUT on a call; a queued
// call's new delay or number takes effect.
func (s *Sandbox) flexCallUpdate(v *view, put bool) handlerFunc {
	upd := v.update(put)
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		status, body, err := upd(c)
		if err != nil {
			return 0, nil, err
		}
		if st := s.flexState(r.sid); st != nil && st.status == "queued" {
			flexPlan(st, r.obj)
			s.wake(st.dialAt)
		}
		return status, body, nil
	}
}

// flexCallDelete serves DELETE /calls/{call_sid}: the live call is
// cancelled (204).
func (s *Sandbox) flexCallDelete(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		st := s.flexState(r.sid)
		if st == nil {
			v.table.remove(r.sid)
			return http.StatusNoContent, nil, nil
		}
		s.flexAdvance(st, c.now)
		if !st.final() {
			s.flexCancel(st, c.now)
		}
		return http.StatusNoContent, nil, nil
	}
}

// tickFlexML moves live calls along the clock; it returns when the next
// one changes.
func (s *Sandbox) tickFlexML(now time.Time) time.Time {
	var next time.Time
	for _, r := range s.table(flexStatesTable).recs {
		st := flexStateOf(r)
		if st == nil || st.final() {
			continue
		}
		if at := s.flexAdvance(st, now); !at.IsZero() && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	return next
}

// flexAdvance applies every change due by now to a live call and returns
// when it next changes (zero once it has ended). Callers hold the write
// lock.
func (s *Sandbox) flexAdvance(st *flexCall, now time.Time) time.Time {
	for {
		switch st.status {
		case "queued":
			if now.Before(st.dialAt) {
				return st.dialAt
			}
			if r := s.table(flexCallsTable).get(st.sid); r != nil {
				st.from, _ = r.obj["calling_did"].(string)
				st.to, _ = r.obj["called_did"].(string)
			}
			st.start, st.status = st.dialAt, "ringing"
		case "ringing":
			at := st.start.Add(st.ring)
			if now.Before(at) {
				return at
			}
			if st.cause != "200" {
				s.flexEnd(st, at, st.outcome, st.cause, false)
				return time.Time{}
			}
			st.answer, st.status = at, "in-progress"
		case "in-progress":
			at := st.answer.Add(st.drawn.talk)
			if now.Before(at) {
				return at
			}
			s.flexEnd(st, at, "completed", "200", st.drawn.farEnd)
			return time.Time{}
		default:
			return time.Time{}
		}
	}
}

// flexCancel ends a live call now at the caller's request.
func (s *Sandbox) flexCancel(st *flexCall, now time.Time) {
	switch st.status {
	case "queued":
		st.status, st.stop = "cancelled", now
		s.table(flexCallsTable).remove(st.sid)
	case "ringing":
		s.flexEnd(st, now, "cancelled", "487", false)
	case "in-progress":
		s.flexEnd(st, now, "cancelled", "200", false)
	}
}

// flexEnd ends a call that reached the network: its record goes to Core and
// the call object goes away.
func (s *Sandbox) flexEnd(st *flexCall, stop time.Time, status, cause string, farEnd bool) {
	st.status, st.stop = status, stop
	answer := st.answer
	if cause != "200" {
		answer = time.Time{}
	}
	st.drSID = s.recordCall(st.partner, liveCall{direction: dirOutbound, number: st.from, external: st.to,
		start: st.start, answer: answer, stop: stop, sipCause: cause, endpointSID: st.endpoint, hangupByFarEnd: farEnd})
	s.table(flexCallsTable).remove(st.sid)
}
