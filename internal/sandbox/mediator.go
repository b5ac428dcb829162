package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Mediator API (/mediator/v1, §4.16, §2.5): the account of a mediator
// endpoint, its numbers, bindings (calls to a redirect number are forwarded
// to a destination) and dialouts (two numbers are called and bridged).
// Every answer, errors included, is wrapped in {"body": ..., "status": ...}
// (hosted.go). Objects belong to the endpoint's account; creating the Core
// endpoint provisions the account, deleting it removes the account and its
// objects. The account's numbers follow syncNumbers (flexml.go).
//
// Bindings. destination_did is required; redirect_did, when not given, is
// the first of the account's numbers that is free (with fallback_country,
// the first free one of that country). A number is free for a binding when
// no other binding of the account forwards it for the same callers: the
// docs say a binding applies to one caller (origination_did) or, with no
// origination_did, to every caller (or to the first one within
// wait_origination_did_ttl seconds). Two bindings may share a redirect
// number only when both name an origination_did and the two differ (the
// redirect number and the caller then tell which binding applies). No free
// number is a 409, as documented; so is a redirect_did given explicitly
// that another binding already forwards for the same callers (not
// confirmed: conservative). A redirect_did that is not one of the account's
// numbers is a 422. reuse=true answers an existing binding with the same
// destination_did and origination_did (and redirect_did, when given)
// instead of creating one.
//
// A binding with a positive maximum_ttl expires that many seconds after
// date_created and is removed then (not confirmed: the docs say it stops
// being active). The sample answers maximum_ttl -1 to a create that did not
// set it, while the attribute table says 3600: the sample is served.
//
// Calls through a binding come from outside; CallBinding simulates one.
//
// Dialouts. redirect_did (one of the account's numbers; 422 otherwise),
// stage_one_destination_did and stage_two_destination_did are required. The
// docs say the three must be unique among dialouts at a time: another live
// dialout of the account with the same redirect_did, the same first or the
// same second number is a 409. On the sandbox clock, after delay seconds the
// redirect number calls the first number, then (once it answers) the
// second; once both have answered they are bridged and the dialout goes away
// (dialouts are transient, per the docs). The bridged call talks for a time
// drawn from the seeded generator; when it ends, a Mediator record
// (/core/v2/app/mediator/calls, with dialout_sid) and a call detail record
// per leg appear in Core for the partner. A destination answers as a FlexML
// call's does (flexOutcome: numbers ending in 486, 480, 404 or 503 refuse);
// a refused leg ends the dialout with an unanswered record.
//
// Not confirmed, and served conservatively: once dialing has started, a
// dialout's numbers and delay cannot change (422); DELETE cancels a dialout
// not yet bridged (a leg that was ringing is recorded as cancelled); the
// dialout create sample answers attributes with "hide_origination_did":
// "true" it was not sent, so that attribute is added when not given.

func init() {
	extraTables = append(extraTables, medAccountsTable, medDIDsTable, medBindingsTable, medDialoutsTable, medStatesTable)
	hostedAPIs = append(hostedAPIs, hostedAPI{prefix: "/mediator/v1", endpointType: "mediator", wrapped: true,
		routes: (*Sandbox).mediatorRoutes})
	endpointCreated = append(endpointCreated, (*Sandbox).provisionMediator)
	endpointDeleted = append(endpointDeleted, (*Sandbox).removeMediator)
	tickers = append(tickers, (*Sandbox).tickMediator)
}

const (
	medAccountsTable = "mediator_accounts"
	medDIDsTable     = "mediator_dids"
	medBindingsTable = "mediator_bindings"
	medDialoutsTable = "mediator_dialouts"
	medStatesTable   = "mediator_dialout_states" // the sandbox's own state of each dialout; never served
)

// medAccountSchema is the Mediator Account object: read-only.
var medAccountSchema = newSchema("account", "account_sid",
	sidField("account_sid"),
	fld("date_created", kindTime, ro()),
	fld("login", kindString, ro()),
	fld("name", kindString, ro()),
)

// medDIDSchema is the Mediator DID object: read-only.
var medDIDSchema = newSchema("did", "did_sid",
	sidField("account_sid"),
	roStr("country_code"),
	sidField("did_sid"),
	roStr("in_country_format"),
	roStr("international_format"),
	fld("phonenumber", kindString, ro()),
)

// medDTMFRE: digits, * and #, with commas for pauses (the docs' example
// is ",,,,1357").
var medDTMFRE = regexp.MustCompile(`^[0-9*#,]+$`)

// medBindingSchema is the Binding object (§9 ex. 18). destination_did is
// required on create; redirect_did is assigned when not given.
var medBindingSchema = newSchema("binding", "binding_sid",
	sidField("account_sid"),
	emptyObj("attributes"),
	sidField("binding_sid"),
	fld("date_created", kindTime, ro()),
	fld("destination_did", kindString, check(e164Check("destination_did"))),
	fld("dtmf", kindString, null(), emptyNull(), maxLen(255), check(func(c *call, v any) string {
		if !medDTMFRE.MatchString(v.(string)) {
			return "dtmf may hold digits, *, # and commas only"
		}
		return ""
	})),
	fld("maximum_ttl", kindInt, def(int64(-1)), check(ttlCheck("maximum_ttl"))),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("origination_did", kindString, null(), emptyNull(), check(e164Check("origination_did"))),
	fld("redirect_did", kindString, check(e164Check("redirect_did"))),
	fld("redirect_did_info", kindObject, ro(), null()),
	fld("wait_origination_did_ttl", kindInt, def(int64(300)), check(ttlCheck("wait_origination_did_ttl"))),
)

// ttlCheck: -1 (no limit) or a positive number of seconds.
func ttlCheck(name string) func(c *call, v any) string {
	return func(c *call, v any) string {
		if n := v.(int64); n != -1 && n < 1 {
			return name + " must be -1 or a positive number of seconds"
		}
		return ""
	}
}

// medDialoutSchema is the Dialout object. delay is an integer; the update
// sample sends it as a string ("1800") and is answered a number, so an
// integer string is accepted too.
var medDialoutSchema = newSchema("dialout", "dialout_sid",
	sidField("account_sid"),
	emptyObj("attributes"),
	fld("date_created", kindTime, ro()),
	fld("delay", kindAny, def(int64(0)), check(func(c *call, v any) string {
		if n, ok := shortTTL(v); !ok || n < 0 {
			return "delay must be a non-negative integer"
		}
		return ""
	})),
	sidField("dialout_sid"),
	fld("redirect_did", kindString, check(e164Check("redirect_did"))),
	fld("stage_one_destination_did", kindString, check(e164Check("stage_one_destination_did"))),
	fld("stage_two_destination_did", kindString, check(e164Check("stage_two_destination_did"))),
)

// ---- accounts ----

func (s *Sandbox) provisionMediator(c *call, ep *record) {
	if ep.obj["type"] != "mediator" {
		return
	}
	acct := endpointProperty(ep, "account_sid")
	o := medAccountSchema.defaults()
	o["account_sid"], o["date_created"], o["login"] = acct, formatTS(c.now), endpointProperty(ep, "login")
	o["name"] = ep.obj["name"]
	s.table(medAccountsTable).insert(&record{sid: acct, owner: acct, parent: ep.sid, obj: o})
	s.syncNumbers(medNumbers, acct, ep.sid, ep.owner, true)
}

func (s *Sandbox) removeMediator(ep *record) {
	if ep.obj["type"] != "mediator" {
		return
	}
	acct := endpointProperty(ep, "account_sid")
	now := s.now()
	for _, r := range s.table(medStatesTable).recs {
		if st := medStateOf(r); r.owner == acct && !st.final() {
			s.medAdvance(st, now)
			if !st.final() {
				s.medCancel(st, now)
			}
		}
	}
	for _, name := range []string{medAccountsTable, medDIDsTable, medBindingsTable, medDialoutsTable, medStatesTable} {
		s.removeOwned(name, acct)
	}
}

// mediatorSynced brings the caller's numbers up to date before h runs.
func (s *Sandbox) mediatorSynced(h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		s.syncNumbers(medNumbers, c.accountSID(), c.endpoint.sid, c.partner.sid, false)
		return h(c)
	}
}

func (s *Sandbox) mediatorRoutes(rt *router) {
	accounts := &view{schema: medAccountSchema, table: s.table(medAccountsTable), param: "account_sid",
		defaultLimit: 10, visible: hostedVisible}
	dids := &view{schema: medDIDSchema, table: s.table(medDIDsTable), param: "did_sid",
		defaultLimit: 10, visible: hostedVisible, present: hostedPresent}
	bindings := &view{schema: medBindingSchema, table: s.table(medBindingsTable), param: "binding_sid",
		defaultLimit: 10, visible: hostedVisible}
	dialouts := &view{schema: medDialoutSchema, table: s.table(medDialoutsTable), param: "dialout_sid",
		defaultLimit: 10, visible: hostedVisible}
	h := func(method, path string, f handlerFunc) { rt.handle(method, path, s.mediatorSynced(f)) }
	h("GET", "/accounts", accounts.list(nil))
	h("GET", "/accounts/{account_sid}", accounts.get())
	h("POST", "/bindings", s.medBindingCreate(bindings))
	h("GET", "/bindings", bindings.list(nil))
	h("GET", "/bindings/{binding_sid}", bindings.get())
	h("PATCH", "/bindings/{binding_sid}", s.medBindingUpdate(bindings, false))
	h("PUT", "/bindings/{binding_sid}", s.medBindingUpdate(bindings, true))
	h("DELETE", "/bindings/{binding_sid}", bindings.remove())
	h("POST", "/dialouts", s.medDialoutCreate(dialouts))
	h("GET", "/dialouts", dialouts.list(nil))
	h("GET", "/dialouts/{dialout_sid}", dialouts.get())
	h("PATCH", "/dialouts/{dialout_sid}", s.medDialoutUpdate(dialouts, false))
	h("PUT", "/dialouts/{dialout_sid}", s.medDialoutUpdate(dialouts, true))
	h("DELETE", "/dialouts/{dialout_sid}", s.medDialoutDelete(dialouts))
	h("GET", "/dids", dids.list(nil))
	h("GET", "/dids/{did_sid}", dids.get())
}

// ---- bindings ----

var countryCodeRE = regexp.MustCompile(`^[A-Z]{3}$`)

// redirectInfo is a binding's redirect_did_info for number.
func (s *Sandbox) redirectInfo(account, number string) object {
	info := object{"country_code": nil, "e164_format": "+" + number, "in_country_format": nil,
		"international_format": nil, "phonenumber": number}
	d := s.accountNumber(medNumbers, account, number)
	if d == nil {
		d = s.didByNumber[number]
	}
	if d != nil {
		for _, k := range []string{"country_code", "in_country_format", "international_format"} {
			info[k] = d.obj[k]
		}
	}
	return info
}

// medRedirectConflict returns another binding of the account that already
// forwards number for the callers origination names (nil: every caller),
// or nil when there is none (see the top of this file).
func (s *Sandbox) medRedirectConflict(account, number string, origination any, except string) *record {
	for _, b := range s.table(medBindingsTable).recs {
		if b.owner != account || b.sid == except || b.obj["redirect_did"] != number {
			continue
		}
		if o := b.obj["origination_did"]; o == nil || origination == nil || o == origination {
			return b
		}
	}
	return nil
}

// medBindingChecks validates a binding being created or updated: the
// numbers are stored without "+", destination_did is required, and a
// redirect_did given must be one of the account's numbers.
func (s *Sandbox) medBindingChecks(c *call, rec *record, body map[string]any, next object) []errItem {
	var errs []errItem
	for _, k := range []string{"destination_did", "origination_did", "redirect_did"} {
		next[k] = plainNumber(next[k])
	}
	if next["destination_did"] == nil {
		if _, sent := body["destination_did"]; !sent {
			errs = append(errs, item("destination_did", "destination_did is required"))
		}
	}
	if to, ok := next["redirect_did"].(string); ok {
		_, sent := body["redirect_did"]
		changed := rec == nil || to != rec.obj["redirect_did"]
		if sent && changed && smsE164RE.MatchString(to) && s.accountNumber(medNumbers, c.accountSID(), to) == nil {
			errs = append(errs, item("redirect_did", "redirect_did must be one of the DIDs of the Mediator endpoint"))
		}
	}
	return errs
}

// medBindingCreate serves POST /bindings (query arguments fallback_country
// and reuse).
func (s *Sandbox) medBindingCreate(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		country := strings.TrimSpace(c.q.Get("fallback_country"))
		if country != "" && !countryCodeRE.MatchString(country) {
			return 0, nil, errBadRequest("fallback_country", "fallback_country must be an ISO 3166-1 alpha-3 code such as USA")
		}
		reuse, err := parseBoolParam("reuse", c.q.Get("reuse"), false)
		if err != nil {
			return 0, nil, err
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		// The python SDK sends reuse among the body's fields; the docs make
		// it a query argument. Both are accepted.
		if v, ok := body["reuse"]; ok {
			b, isBool := v.(bool)
			if !isBool {
				return 0, nil, errValidation(item("reuse", "reuse must be a boolean"))
			}
			reuse = reuse || b
			body = cloneObject(body)
			delete(body, "reuse")
		}
		acct := c.accountSID()
		o := medBindingSchema.defaults()
		o["account_sid"], o["binding_sid"], o["date_created"] = acct, s.newSID(), formatTS(c.now)
		next, errs := applyBody(c, medBindingSchema, o, body, modeCreate, "")
		errs = append(errs, s.medBindingChecks(c, nil, body, next)...)
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		if reuse {
			for _, b := range v.table.recs {
				if b.owner == acct && b.obj["destination_did"] == next["destination_did"] &&
					b.obj["origination_did"] == next["origination_did"] &&
					(next["redirect_did"] == nil || b.obj["redirect_did"] == next["redirect_did"]) {
					return http.StatusOK, v.output(c, b, fieldSel{}, false), nil
				}
			}
		}
		if to, ok := next["redirect_did"].(string); ok {
			if b := s.medRedirectConflict(acct, to, next["origination_did"], ""); b != nil {
				return 0, nil, errConflict("redirect_did", "redirect_did is already used by a binding for the same callers", b.sid)
			}
		} else {
			found, inCountry := "", false
			for _, d := range s.table(medDIDsTable).recs {
				if d.owner != acct || (country != "" && d.obj["country_code"] != country) {
					continue
				}
				inCountry = true
				n, _ := d.obj["phonenumber"].(string)
				if s.medRedirectConflict(acct, n, next["origination_did"], "") == nil {
					found = n
					break
				}
			}
			switch {
			case country != "" && !inCountry:
				return 0, nil, errConflict("fallback_country", "no DID from "+country+" is assigned to the Mediator endpoint", "")
			case found == "":
				return 0, nil, errConflict("redirect_did", "no redirect_did could be found: every DID of the Mediator endpoint is used", "")
			}
			next["redirect_did"] = found
		}
		next["redirect_did_info"] = s.redirectInfo(acct, next["redirect_did"].(string))
		rec := &record{sid: next["binding_sid"].(string), owner: acct, parent: c.endpoint.sid, obj: next}
		v.table.insert(rec)
		s.wake(c.now)
		return http.StatusOK, v.output(c, rec, fieldSel{}, false), nil
	}
}

// medBindingUpdate serves PATCH (put=false) and PUT on a binding.
func (s *Sandbox) medBindingUpdate(v *view, put bool) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		mode := modePatch
		if put {
			mode = modePut
		}
		next, errs := applyBody(c, medBindingSchema, r.obj, body, mode, "")
		errs = append(errs, s.medBindingChecks(c, r, body, next)...)
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		to, _ := next["redirect_did"].(string)
		if to != r.obj["redirect_did"] || next["origination_did"] != r.obj["origination_did"] {
			if b := s.medRedirectConflict(r.owner, to, next["origination_did"], r.sid); b != nil {
				return 0, nil, errConflict("redirect_did", "redirect_did is already used by a binding for the same callers", b.sid)
			}
		}
		if to != r.obj["redirect_did"] {
			next["redirect_did_info"] = s.redirectInfo(r.owner, to)
		}
		r.set(next)
		s.wake(c.now)
		return http.StatusOK, v.output(c, r, fieldSel{}, false), nil
	}
}

// bindingExpiry is when a binding stops (zero: never).
func bindingExpiry(b *record) time.Time {
	ttl, _ := intOf(b.obj["maximum_ttl"])
	created, ok := parseTS(fmt.Sprint(b.obj["date_created"]))
	if ttl <= 0 || !ok {
		return time.Time{}
	}
	return created.Add(time.Duration(ttl) * time.Second)
}

// CallBinding simulates a call from callerNumber to the redirect number of
// the account's binding bindingSID, forwarded to its destination_did, that
// talks for talk (a talk of zero or less: the destination does not answer)
// and has just ended. It leaves a Mediator record
// (/core/v2/app/mediator/calls) and a call detail record per leg (the
// caller's, inbound, and the forwarded one, outbound) for the endpoint's
// partner. A binding for another caller ignores the call; one waiting for
// its first caller (no origination_did and a positive
// wait_origination_did_ttl) takes this caller as its origination_did while
// the wait lasts, and ignores calls after it. For demos and tests.
func (s *Sandbox) CallBinding(accountSID, bindingSID, callerNumber string, talk time.Duration) {
	s.tick(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	b := s.table(medBindingsTable).get(bindingSID)
	acct := s.table(medAccountsTable).get(accountSID)
	if b == nil || acct == nil || b.owner != accountSID {
		return
	}
	if exp := bindingExpiry(b); !exp.IsZero() && !now.Before(exp) {
		return
	}
	ep := s.table(endpointsTable).get(acct.parent)
	if ep == nil {
		return
	}
	caller := digitsOnly(callerNumber)
	switch orig := b.obj["origination_did"]; {
	case orig == nil:
		wait, _ := intOf(b.obj["wait_origination_did_ttl"])
		if wait > 0 {
			created, _ := parseTS(fmt.Sprint(b.obj["date_created"]))
			if !now.Before(created.Add(time.Duration(wait) * time.Second)) {
				return
			}
			o := cloneObject(b.obj)
			o["origination_did"] = caller
			b.set(o)
		}
	case orig != caller:
		return
	}
	redirect, _ := b.obj["redirect_did"].(string)
	dest, _ := b.obj["destination_did"].(string)
	const ring = 4 * time.Second
	var start, answer time.Time
	inCause, outCause := "200", "200"
	if talk > 0 {
		answer = now.Add(-talk)
		start = answer.Add(-ring)
	} else {
		start = now.Add(-30 * time.Second)
		inCause, outCause = "487", "480"
	}
	inAnswer := answer
	if !answer.IsZero() {
		inAnswer = start.Add(time.Second) // the caller hears ringback while the destination rings
	}
	s.recordCall(ep.owner, liveCall{direction: dirInbound, number: redirect, external: caller, start: start,
		answer: inAnswer, stop: now, sipCause: inCause, endpointSID: ep.sid})
	s.recordCall(ep.owner, liveCall{direction: dirOutbound, number: redirect, external: dest, start: start.Add(time.Second),
		answer: answer, stop: now, sipCause: outCause, endpointSID: ep.sid, hangupByFarEnd: true})
	s.recordMediatorCall(ep.owner, liveMediatorCall{bindingSID: b.sid, endpointSID: ep.sid, redirect: redirect,
		src: caller, dst: dest, start: start, answer: answer, stop: now})
}

// ---- dialouts ----

// medDialout is the sandbox's state of one dialout (its legs and, once the
// dialout object is gone, the bridged call).
type medDialout struct {
	sid, account, partner, endpoint string

	status  string // pending, stage_one, stage_two, bridged; then completed, failed or cancelled
	created time.Time
	dialAt  time.Time
	ring1   time.Duration // drawn: how long each answering destination rings
	ring2   time.Duration
	talk    time.Duration // drawn: how long the bridged call lasts

	redirect, one, two string // as dialled
	start1, answer1    time.Time
	start2, answer2    time.Time
	stop               time.Time
	drSID              string // the Mediator record, once ended
}

func (st *medDialout) final() bool {
	switch st.status {
	case "pending", "stage_one", "stage_two", "bridged":
		return false
	}
	return true
}

func medStateOf(r *record) *medDialout {
	st, _ := r.obj["state"].(*medDialout)
	return st
}

func (s *Sandbox) medState(sid string) *medDialout {
	if r := s.table(medStatesTable).get(sid); r != nil {
		return medStateOf(r)
	}
	return nil
}

// medDialoutChecks validates a dialout being created or updated: numbers
// stored without "+", all three required, redirect_did one of the account's
// numbers, delay an integer, and (once dialing) no change to what has been
// dialled.
func (s *Sandbox) medDialoutChecks(c *call, rec *record, body map[string]any, next object) []errItem {
	var errs []errItem
	numbers := []string{"redirect_did", "stage_one_destination_did", "stage_two_destination_did"}
	for _, k := range numbers {
		next[k] = plainNumber(next[k])
		if next[k] == nil {
			if _, sent := body[k]; !sent {
				errs = append(errs, item(k, k+" is required"))
			}
		}
	}
	if n, ok := shortTTL(next["delay"]); ok {
		next["delay"] = n
	}
	if to, ok := next["redirect_did"].(string); ok {
		_, sent := body["redirect_did"]
		changed := rec == nil || to != rec.obj["redirect_did"]
		if sent && changed && smsE164RE.MatchString(to) && s.accountNumber(medNumbers, c.accountSID(), to) == nil {
			errs = append(errs, item("redirect_did", "redirect_did must be one of the DIDs of the Mediator endpoint"))
		}
	}
	if rec != nil {
		if st := s.medState(rec.sid); st != nil && st.status != "pending" {
			for _, k := range append(numbers, "delay") {
				if !sameJSON(next[k], rec.obj[k]) {
					errs = append(errs, item(k, k+" cannot be changed once the dialout is dialing"))
				}
			}
		}
	}
	return errs
}

// medDialoutConflict returns another live dialout of the account with the
// same redirect_did, stage one or stage two number, and the field.
func (s *Sandbox) medDialoutConflict(account string, o object, except string) (*record, string) {
	for _, d := range s.table(medDialoutsTable).recs {
		if d.owner != account || d.sid == except {
			continue
		}
		for _, k := range []string{"redirect_did", "stage_one_destination_did", "stage_two_destination_did"} {
			if d.obj[k] == o[k] {
				return d, k
			}
		}
	}
	return nil, ""
}

// medDialoutCreate serves POST /dialouts: 200 and the dialout, which starts
// dialing after its delay.
func (s *Sandbox) medDialoutCreate(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		acct := c.accountSID()
		o := medDialoutSchema.defaults()
		o["account_sid"], o["dialout_sid"], o["date_created"] = acct, s.newSID(), formatTS(c.now)
		next, errs := applyBody(c, medDialoutSchema, o, body, modeCreate, "")
		errs = append(errs, s.medDialoutChecks(c, nil, body, next)...)
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		if d, k := s.medDialoutConflict(acct, next, ""); d != nil {
			return 0, nil, errConflict(k, k+" is already used by another dialout", d.sid)
		}
		if attrs, _ := next["attributes"].(map[string]any); attrs["hide_origination_did"] == nil {
			a := cloneObject(attrs)
			a["hide_origination_did"] = "true"
			next["attributes"] = a
		}
		sid := next["dialout_sid"].(string)
		rec := &record{sid: sid, owner: acct, parent: c.endpoint.sid, obj: next}
		v.table.insert(rec)
		st := &medDialout{sid: sid, account: acct, partner: c.partner.sid, endpoint: c.endpoint.sid, status: "pending",
			created: c.now, ring1: time.Duration(2000+s.rng.IntN(5001)) * time.Millisecond,
			ring2: time.Duration(2000+s.rng.IntN(5001)) * time.Millisecond,
			talk:  time.Duration(30+s.rng.IntN(271)) * time.Second}
		medPlan(st, next)
		s.table(medStatesTable).insert(&record{sid: sid, owner: acct, obj: object{"state": st}})
		s.wake(st.dialAt)
		return http.StatusOK, v.output(c, rec, fieldSel{}, false), nil
	}
}

func medPlan(st *medDialout, o object) {
	delay, _ := intOf(o["delay"])
	st.dialAt = st.created.Add(time.Duration(delay) * time.Second)
}

// medDialoutUpdate serves PATCH (put=false) and PUT on a dialout.
func (s *Sandbox) medDialoutUpdate(v *view, put bool) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		mode := modePatch
		if put {
			mode = modePut
		}
		next, errs := applyBody(c, medDialoutSchema, r.obj, body, mode, "")
		errs = append(errs, s.medDialoutChecks(c, r, body, next)...)
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		if d, k := s.medDialoutConflict(r.owner, next, r.sid); d != nil {
			return 0, nil, errConflict(k, k+" is already used by another dialout", d.sid)
		}
		r.set(next)
		if st := s.medState(r.sid); st != nil && st.status == "pending" {
			medPlan(st, next)
			s.wake(st.dialAt)
		}
		return http.StatusOK, v.output(c, r, fieldSel{}, false), nil
	}
}

// medDialoutDelete serves DELETE /dialouts/{dialout_sid}: the dialout is
// cancelled (204).
func (s *Sandbox) medDialoutDelete(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		st := s.medState(r.sid)
		if st == nil {
			v.table.remove(r.sid)
			return http.StatusNoContent, nil, nil
		}
		s.medAdvance(st, c.now)
		if !st.final() {
			s.medCancel(st, c.now)
		}
		return http.StatusNoContent, nil, nil
	}
}

// tickMediator moves dialouts along the clock and removes expired
// bindings; it returns when something next changes.
func (s *Sandbox) tickMediator(now time.Time) time.Time {
	var next time.Time
	soonest := func(at time.Time) {
		if !at.IsZero() && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	for _, r := range s.table(medStatesTable).recs {
		if st := medStateOf(r); st != nil && !st.final() {
			soonest(s.medAdvance(st, now))
		}
	}
	bindings := s.table(medBindingsTable)
	var expired []string
	for _, b := range bindings.recs {
		switch exp := bindingExpiry(b); {
		case exp.IsZero():
		case !now.Before(exp):
			expired = append(expired, b.sid)
		default:
			soonest(exp)
		}
	}
	for _, sid := range expired {
		bindings.remove(sid)
	}
	return next
}

// medAdvance applies every change due by now to a dialout and returns when
// it next changes (zero once it has ended). Callers hold the write lock.
func (s *Sandbox) medAdvance(st *medDialout, now time.Time) time.Time {
	for {
		switch st.status {
		case "pending":
			if now.Before(st.dialAt) {
				return st.dialAt
			}
			if r := s.table(medDialoutsTable).get(st.sid); r != nil {
				st.redirect, _ = r.obj["redirect_did"].(string)
				st.one, _ = r.obj["stage_one_destination_did"].(string)
				st.two, _ = r.obj["stage_two_destination_did"].(string)
			}
			st.start1, st.status = st.dialAt, "stage_one"
		case "stage_one":
			_, cause, ring := flexOutcome(st.one, st.ring1)
			at := st.start1.Add(ring)
			if now.Before(at) {
				return at
			}
			if cause != "200" {
				s.medEnd(st, at, "failed", cause, "")
				return time.Time{}
			}
			st.answer1, st.start2, st.status = at, at, "stage_two"
		case "stage_two":
			_, cause, ring := flexOutcome(st.two, st.ring2)
			at := st.start2.Add(ring)
			if now.Before(at) {
				return at
			}
			if cause != "200" {
				s.medEnd(st, at, "failed", "200", cause)
				return time.Time{}
			}
			st.answer2, st.status = at, "bridged"
			s.table(medDialoutsTable).remove(st.sid) // transient: gone once both legs are connected
		case "bridged":
			at := st.answer2.Add(st.talk)
			if now.Before(at) {
				return at
			}
			s.medEnd(st, at, "completed", "200", "200")
			return time.Time{}
		default:
			return time.Time{}
		}
	}
}

// medCancel ends a dialout now at the caller's request.
func (s *Sandbox) medCancel(st *medDialout, now time.Time) {
	switch st.status {
	case "pending":
		st.status, st.stop = "cancelled", now
		s.table(medDialoutsTable).remove(st.sid)
	case "stage_one":
		s.medEnd(st, now, "cancelled", "487", "")
	case "stage_two":
		s.medEnd(st, now, "cancelled", "200", "487")
	case "bridged":
		s.medEnd(st, now, "completed", "200", "200")
	}
}

// medEnd records an ended dialout: a call detail record per leg dialled
// (cause1, cause2: each leg's SIP cause; "" for a leg never dialled) and
// the Mediator record, answered when both legs were bridged.
func (s *Sandbox) medEnd(st *medDialout, stop time.Time, status, cause1, cause2 string) {
	st.status, st.stop = status, stop
	leg := func(to string, start, answer time.Time, cause string) {
		if cause != "200" {
			answer = time.Time{}
		}
		s.recordCall(st.partner, liveCall{direction: dirOutbound, number: st.redirect, external: to, start: start,
			answer: answer, stop: stop, sipCause: cause, endpointSID: st.endpoint, hangupByFarEnd: true})
	}
	leg(st.one, st.start1, st.answer1, cause1)
	if cause2 != "" {
		leg(st.two, st.start2, st.answer2, cause2)
	}
	var bridged time.Time
	if cause1 == "200" && cause2 == "200" {
		bridged = st.answer2
	}
	st.drSID = s.recordMediatorCall(st.partner, liveMediatorCall{dialoutSID: st.sid, endpointSID: st.endpoint,
		redirect: st.redirect, src: st.one, dst: st.two, start: st.start1, answer: bridged, stop: stop})
	s.table(medDialoutsTable).remove(st.sid)
}
