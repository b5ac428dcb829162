package sandbox

import (
	"net/http"
	"sort"
	"strings"
)

// didSchema is the DID object (§4.1). Available DIDs (§4.2) share it.
var didSchema = func() *schema {
	s := newSchema("did", "did_sid",
		fld("active_capabilities", kindInt, ro()),
		emptyObj("attributes"),
		fld("callback_url", kindString, null(), maxLen(2048), urlCheck()),
		roStr("campaign_sid"),
		fld("capabilities", kindInt, ro()),
		roStr("classification_sid"),
		roStr("country_code"),
		fld("did_group_sid", kindString, null(), check(didGroupRef)),
		sidField("did_sid"),
		roStr("in_country_format"),
		roStr("international_format"),
		roStr("lata"),
		roStr("locality"),
		roStr("lrn_sid"),
		fld("name", kindString, def("N/A"), maxLen(255)),
		roStr("ocn"),
		roStr("partner_sid"),
		fld("phonenumber", kindString, createOnly()),
		optStr("porting_pin"),
		fld("price", kindNum, ro(), null()),
		roStr("state"),
		fld("status", kindString, ro()),
		optStr("string_key_1"),
		optStr("string_key_2"),
		emptyArr("transformations"),
		fld("trunk_group_sid", kindString, null(), check(trunkGroupRef)),
	)
	// npa / npa_nxx are documented coverage filter keys (§4.3); that they work
	// on DID lists too is inferred (§5).
	s.virtual["npa"] = &virtualKey{kindString, func(o object) any { return numberPart(o, 1, 4) }}
	s.virtual["npa_nxx"] = &virtualKey{kindString, func(o object) any { return numberPart(o, 1, 7) }}
	return s
}()

func numberPart(o object, i, j int) any {
	n, _ := o["phonenumber"].(string)
	if len(n) != 11 || n[0] != '1' {
		return nil
	}
	return n[i:j]
}

// coverageSchema describes coverage items, for order and field filtering.
var coverageSchema = newSchema("coverage", "key",
	fld("count", kindInt, ro()),
	fld("key", kindString, ro()))

func trunkGroupRef(c *call, v any) string {
	sid, _ := v.(string)
	if tg := c.s.trunkGroups.get(sid); tg == nil || tg.owner != c.partner.sid {
		return "cannot find trunk group by sid"
	}
	return ""
}

// didGroupRef: DID groups are not served yet, so no SID can match.
func didGroupRef(c *call, v any) string { return "cannot find did group by sid" }

func (s *Sandbox) availableView() *view {
	return &view{schema: didSchema, table: s.dids, param: "did_sid", defaultLimit: 10,
		totalNull: true, nearby: true,
		visible: func(c *call, r *record) bool { return r.status == "available" }}
}

func (s *Sandbox) didView() *view {
	return &view{schema: didSchema, table: s.dids, param: "did_sid", defaultLimit: 10,
		visible: func(c *call, r *record) bool {
			return r.owner == c.partner.sid && r.status == "assigned"
		}}
}

// didsByTrunkGroup is the `trunk_group_sid` query argument of GET /phonenumber/dids.
func didsByTrunkGroup(c *call) (func(*record) bool, *apiError) {
	tg := c.q.Get("trunk_group_sid")
	if tg == "" {
		return nil, nil
	}
	return func(r *record) bool { return r.obj["trunk_group_sid"] == tg }, nil
}

// rentDID serves POST /phonenumber/dids (§5): {} rents the first available
// number, {"phonenumber": "..."} that number; other writable fields may be
// set at once. Answer: 200 and the DID, now "assigned" to the caller. The
// DID keeps the did_sid it had in the inventory (not confirmed; it matches
// the samples). Renting runs under the write lock, so two concurrent rents of
// one number cannot both succeed.
//
// A number that cannot be rented (rented by anyone, aging, unknown) is a 422
// with field "phonenumber": CarrierX's code for this is not confirmed.
// A `filter` query argument restricts which number may be rented ("renting
// restricted by filters" in an older quick start; not confirmed).
func (s *Sandbox) rentDID(c *call) (int, any, *apiError) {
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	m, err := parseFilterParam(c.q.Get("filter"), didSchema, false)
	if err != nil {
		return 0, nil, err
	}
	rec, next, err := s.planRent(c, body, m, nil)
	if err != nil {
		return 0, nil, err
	}
	s.commitRent(c, rec, next)
	return http.StatusOK, next, nil
}

// planRent works out what renting with body would do, changing nothing: the
// number's record and the DID it would become. m restricts the numbers
// (nil: any); skip, when not nil, leaves numbers out (those a batch has
// already picked). The errors are rentDID's. Callers hold the write lock.
func (s *Sandbox) planRent(c *call, body map[string]any, m *matcher, skip func(*record) bool) (*record, object, *apiError) {
	available := func(r *record) bool {
		return r.status == "available" && m.match(r.obj) && (skip == nil || !skip(r))
	}
	var rec *record
	if raw, ok := body["phonenumber"]; ok && raw != nil {
		str, ok := raw.(string)
		if !ok {
			return nil, nil, errValidation(item("phonenumber", "phonenumber must be a string"))
		}
		num := strings.TrimPrefix(strings.TrimSpace(str), "+")
		rec = s.didByNumber[num]
		if rec == nil || !available(rec) {
			return nil, nil, errValidation(item("phonenumber", "phonenumber is not available"))
		}
		body = cloneObject(body)
		body["phonenumber"] = num
	} else {
		for _, r := range s.dids.recs {
			if available(r) {
				rec = r
				break
			}
		}
		if rec == nil {
			return nil, nil, errValidation(item("phonenumber", "no phonenumber is available"))
		}
		body = cloneObject(body)
		delete(body, "phonenumber")
	}
	next, errs := applyBody(c, didSchema, rec.obj, body, modeCreate, "")
	if len(errs) > 0 {
		return nil, nil, errValidation(errs...)
	}
	next["status"] = "assigned"
	next["partner_sid"] = c.partner.sid
	return rec, next, nil
}

// commitRent assigns the number of rec to the caller as next (planRent's
// answer). Callers hold the write lock.
func (s *Sandbox) commitRent(c *call, rec *record, next object) {
	rec.owner = c.partner.sid
	rec.set(next)
}

// releaseDID serves DELETE /phonenumber/dids/{did_sid} (§5): 204, and the
// number goes "aging": out of the partner's list and not rentable again.
func (s *Sandbox) releaseDID(c *call) (int, any, *apiError) {
	rec, err := s.didView().find(c)
	if err != nil {
		return 0, nil, err
	}
	releaseNumber(rec)
	return http.StatusNoContent, nil, nil
}

// releaseNumber takes a rented number back: its writable fields return to
// their defaults and it goes "aging". Callers hold the write lock.
func releaseNumber(rec *record) {
	o := cloneObject(rec.obj)
	for _, f := range didSchema.Fields {
		if !f.ReadOnly && !f.CreateOnly {
			o[f.Name] = f.Default
		}
	}
	o["status"] = "aging"
	o["partner_sid"] = nil
	rec.owner = ""
	rec.set(o)
}

// coverageKeys are the accepted group_by values: state is documented, the
// others mirror the documented filter keys (not confirmed, §4.3).
var coverageKeys = map[string]func(object) any{
	"state":        func(o object) any { return o["state"] },
	"locality":     func(o object) any { return o["locality"] },
	"country_code": func(o object) any { return o["country_code"] },
	"npa":          didSchema.virtual["npa"].Get,
	"npa_nxx":      didSchema.virtual["npa_nxx"].Get,
}

// coverage serves GET /phonenumber/coverage?group_by=...: how many available
// numbers there are per key, after the filter. Items {"count","key"} in key
// order; total is the number of groups.
func (s *Sandbox) coverage(c *call) (int, any, *apiError) {
	gb := strings.TrimSpace(c.q.Get("group_by"))
	if gb == "" {
		return 0, nil, errBadRequest("group_by", "group_by is required")
	}
	keyOf := coverageKeys[gb]
	if keyOf == nil {
		return 0, nil, errBadRequest("group_by", "group_by must be one of: country_code, locality, npa, npa_nxx, state")
	}
	lp, err := parseListParams(c, coverageSchema, didSchema, 10, false, nil)
	if err != nil {
		return 0, nil, err
	}
	counts := map[string]int64{}
	for _, r := range s.dids.recs {
		if r.status == "available" && lp.match.match(r.obj) {
			if k, ok := keyOf(r.obj).(string); ok {
				counts[k]++
			}
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	groups := make([]*record, len(keys))
	for i, k := range keys {
		groups[i] = &record{sid: k, obj: object{"count": counts[k], "key": k}}
	}
	sortRecords(groups, lp.order, func(r *record) object { return r.obj })
	w, err := c.paginate(lp, len(groups), nil)
	if err != nil {
		return 0, nil, err
	}
	items := make([]any, 0, w.end-w.start)
	for _, g := range groups[w.start:w.end] {
		items = append(items, lp.sel.apply(g.obj))
	}
	return http.StatusOK, newEnvelope(items, lp, w, len(groups), false), nil
}
