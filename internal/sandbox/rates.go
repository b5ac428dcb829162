package sandbox

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rate tables (§4.20: /calls/rates, /sms/rates, /phonenumber/rates and their
// CSV downloads) and rating lookups (/rating). Every partner is on the same
// plans, and they hold the prices the sandbox charges its records and
// numbers with, so a rate served here is the rate a detail record or an
// invoice shows:
//   - PSTN calls: callRates (records.go), per minute, billed in increments
//     of billing_increment seconds with billing_minimum = one increment (a
//     billed call lasts at least a second). Inbound calls have one rate for
//     any number (prefix null, as in CarrierX's inbound sample); outbound
//     calls are rated by the longest prefix of the number called: "1"
//     (domestic) and a few high-cost NANP prefixes at the high-cost rate.
//   - VoIP legs (to and from hosted endpoints) are not charged: each sub_type
//     has one zero rate, as CarrierX's VoIP samples show (price "0").
//   - Messages: messageRates (records.go), per segment (SMS) or per message
//     (MMS), one price for every US network (MCC 310 and the MNCs message
//     records carry). The sandbox sends from long codes only; toll_free and
//     short_code are priced like toll (no record says otherwise).
//   - Phone numbers: each DID classification's monthly price, the price of
//     every number of the class (DID objects' price, invoices' "did" item).
//
// Not confirmed by CarrierX's docs, and chosen conservatively:
//   - default page size 1000 (the VoIP samples, requested without limit);
//   - "pagination": null on the call rate lists (their samples, even with
//     has_more), the usual links on SMS and DID rates (their samples);
//   - rate items have no SID: after/before are refused (400), and so is
//     with_related (a plan is not a partner's object);
//   - effective_date: the first day of the month the records start in;
//   - CSV downloads are text/csv with a header row of the item fields (the
//     JSON key order, narrowed by include_fields/exclude_fields), one line
//     per item, null as an empty cell; filter and order apply as in JSON,
//     paging does not (the download is every matching row);
//   - an unknown sub_type is a 404 naming sub_type;
//   - rating: a missing or invalid query argument is a 422 naming it; so is
//     a number no rate applies to; partner_sid may name the caller or one of
//     its sub-partners (else 404), who are on the same plans.

func init() {
	extraTables = append(extraTables, ratePlansTable, callRatesTable, smsRatesTable, didRatesTable)
	seeders = append(seeders, (*Sandbox).seedRates)
	routeAdders = append(routeAdders, (*Sandbox).rateRoutes)
}

const (
	ratePlansTable = "rate_plans" // by plan key; obj is the envelope's rates_plan
	callRatesTable = "call_rates" // rows' parent is their plan key
	smsRatesTable  = "sms_rates"
	didRatesTable  = "did_rates"
)

// rateDefaultLimit is the page size of rate lists without limit.
const rateDefaultLimit = 1000

// callRateRow is one row of a call rate table.
type callRateRow struct {
	prefix  string // "" = any number (null)
	country string // ISO 3166 alpha-3; "" = null
	rate    callRate
}

// pstnCallRates are the PSTN call rate tables by direction. The high-cost
// prefixes are numbers the generated far ends never use.
var pstnCallRates = [2][]callRateRow{
	dirInbound: {{rate: callRates[0]}},
	dirOutbound: {
		{"1", "USA", callRates[1]},
		{"1808", "USA", callRates[2]},
		{"1876", "JAM", callRates[2]},
		{"1907", "USA", callRates[2]},
	},
}

// voipCallRate is the rate of every VoIP sub_type: free, per minute.
var voipCallRate = callRate{0, 60}

var rateCountryNames = map[string]string{"JAM": "Jamaica", "USA": "United States"}

// Sub-types: of the VoIP rate lists, of VoIP call rating (which also names
// conference_v2 and the peering endpoints), and of messaging.
var (
	voipRateSubTypes   = []string{"conference", "conference_playback", "flexml", "mediator", "third_party", "voicemail"}
	voipRatingSubTypes = []string{"conference", "conference_playback", "conference_v2", "flexml", "mediator",
		"peering_receiver", "peering_sender", "third_party", "voicemail"}
	messageSubTypes = []string{"short_code", "toll", "toll_free"}
)

// usMCC is the mobile country code of the networks messages go through.
const usMCC = 310

// didRateTiers are the quantity thresholds of a DID rate's price_0..price_6.
// The sandbox charges a class's price whatever the quantity, so every tier
// holds the same price.
var didRateTiers = [7]int64{0, 100, 500, 1000, 5000, 10000, 50000}

// longestPrefix returns the row whose prefix is the longest one number
// starts with (a null prefix matches any number).
func longestPrefix(rows []callRateRow, number string) (callRateRow, bool) {
	var best callRateRow
	found := false
	for _, r := range rows {
		if strings.HasPrefix(number, r.prefix) && (!found || len(r.prefix) > len(best.prefix)) {
			best, found = r, true
		}
	}
	return best, found
}

// pstnCallRate is the rate of a PSTN call in direction dir (dirInbound,
// dirOutbound) with the far end number (digits, no "+").
func pstnCallRate(dir int, number string) (callRate, bool) {
	r, ok := longestPrefix(pstnCallRates[dir], number)
	return r.rate, ok
}

// messageRateApplies reports whether the message rates cover the far end
// number: the US networks, reached by NANP numbers.
func messageRateApplies(number string) bool { return strings.HasPrefix(number, "1") }

// billedSeconds is the billed duration of a call of duration seconds: rounded
// up to the increment, at least one increment; an unanswered call (0) is not
// billed. This is how the records bill their calls.
func billedSeconds(r callRate, duration int64) int64 {
	if duration <= 0 {
		return 0
	}
	incr := int64(r.incr)
	return max((duration+incr-1)/incr*incr, incr)
}

// callPrice is rate × billed minutes in micro-dollars, rounded half-up (exact
// for the sandbox's rates, as in cdr.price).
func callPrice(r callRate, billed int64) int64 { return (r.micro*billed + 30) / 60 }

// Item schemas, fields in JSON key order (the CSV columns).
var (
	callRateSchema = newSchema("call rate", "",
		fld("billing_increment", kindNum, ro()),
		fld("billing_minimum", kindNum, ro()),
		fld("country_code", kindString, ro(), null()),
		fld("country_name", kindString, ro(), null()),
		fld("prefix", kindString, ro(), null()),
		fld("price", kindNum, ro()),
	)
	smsRateSchema = newSchema("sms rate", "",
		fld("country_code", kindString, ro(), null()),
		fld("country_name", kindString, ro(), null()),
		fld("mcc", kindInt, ro(), null()),
		fld("mnc", kindInt, ro(), null()),
		fld("network", kindString, ro(), null()),
		fld("operator", kindString, ro(), null()),
		fld("price", kindNum, ro()),
	)
	didRateSchema = func() *schema {
		fs := []*field{
			fld("classification_sid", kindString, ro()),
			fld("country_code", kindString, ro(), null()),
			fld("country_name", kindString, ro(), null()),
			fld("prefix", kindString, ro(), null()),
		}
		for i := range didRateTiers {
			fs = append(fs, fld("price_"+itoa(i), kindNum, ro(), null()))
		}
		for i := range didRateTiers {
			fs = append(fs, fld("quantity_"+itoa(i), kindInt, ro(), null()))
		}
		return newSchema("did rate", "", fs...)
	}()
)

// rateKind is one shape of rate table.
type rateKind struct {
	schema         *schema
	table          string
	nullPagination bool
}

var (
	callRateKind = &rateKind{callRateSchema, callRatesTable, true}
	smsRateKind  = &rateKind{smsRateSchema, smsRatesTable, false}
	didRateKind  = &rateKind{didRateSchema, didRatesTable, false}
)

func rateNullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (r callRateRow) object() object {
	incr := strconv.Itoa(int(r.rate.incr))
	return object{
		"billing_increment": incr,
		"billing_minimum":   incr,
		"country_code":      rateNullable(r.country),
		"country_name":      rateNullable(rateCountryNames[r.country]),
		"prefix":            rateNullable(r.prefix),
		"price":             formatMicro(r.rate.micro),
	}
}

// ratesEffectiveDate is when the plans took effect: the first day of the
// month the records start in.
func (s *Sandbox) ratesEffectiveDate() time.Time {
	return monthStart(s.recs.snap.now.Add(-recordWindow))
}

// seedRates stores the plans and their rows. Plan SIDs derive from the seed
// and the plan, so seeding draws nothing from the shared generator.
func (s *Sandbox) seedRates() {
	day := s.ratesEffectiveDate().Format("2006-01-02")
	plans := s.table(ratePlansTable)
	addPlan := func(key, name string) {
		plans.insert(&record{sid: key, obj: object{"name": name, "rates_plan_sid": pnSeedSID(s.cfg.Seed, "rates_plan/"+key)}})
	}
	add := func(table, key string, rows []object) {
		t := s.table(table)
		for i, o := range rows {
			t.insert(&record{sid: key + "#" + itoa(i), parent: key, obj: o})
		}
	}
	callRows := func(rows []callRateRow) []object {
		out := make([]object, len(rows))
		for i, r := range rows {
			out[i] = r.object()
		}
		return out
	}

	addPlan("calls/inbound/pstn", "retail_voice_in_rates-"+day)
	add(callRatesTable, "calls/inbound/pstn", callRows(pstnCallRates[dirInbound]))
	addPlan("calls/outbound/pstn", "retail_voice_out-"+day)
	add(callRatesTable, "calls/outbound/pstn", callRows(pstnCallRates[dirOutbound]))
	for _, st := range voipRateSubTypes {
		for _, dir := range []string{"inbound", "outbound"} {
			key := "calls/" + dir + "/voip/" + st
			addPlan(key, "voip_"+st+"_"+strings.TrimSuffix(dir, "bound")+"_zero_rate.txt")
			add(callRatesTable, key, callRows([]callRateRow{{rate: voipCallRate}}))
		}
	}

	sorted := slices.Clone(mncs[:])
	slices.Sort(sorted)
	for _, st := range messageSubTypes {
		key := "sms/outbound/" + st
		addPlan(key, "sms_"+st+"_rates-"+day)
		rows := make([]object, len(sorted))
		for i, mnc := range sorted {
			rows[i] = object{"country_code": "USA", "country_name": rateCountryNames["USA"], "mcc": int64(usMCC),
				"mnc": mnc, "network": nil, "operator": nil, "price": formatMicro(messageRates[0][dirOutbound])}
		}
		add(smsRatesTable, key, rows)
	}

	addPlan("phonenumber", "did_retail-"+day+".txt")
	rows := make([]object, len(s.classes))
	for i, cl := range s.classes {
		price := cl.price
		if m, ok := parseMicro(price); ok {
			price = formatMicro(m)
		}
		o := object{"classification_sid": cl.sid, "country_code": "USA", "country_name": rateCountryNames["USA"], "prefix": "1"}
		for j, q := range didRateTiers {
			o["price_"+itoa(j)] = price
			o["quantity_"+itoa(j)] = q
		}
		rows[i] = o
	}
	add(didRatesTable, "phonenumber", rows)
}

// planKeyFunc resolves the plan a request names.
type planKeyFunc func(c *call) (string, *apiError)

func fixedPlan(key string) planKeyFunc {
	return func(*call) (string, *apiError) { return key, nil }
}

// subTypePlan is the plan prefix+sub_type, for the sub_types allowed.
func subTypePlan(prefix string, allowed []string) planKeyFunc {
	return func(c *call) (string, *apiError) {
		st := c.param("sub_type")
		if !contains(allowed, st) {
			return "", errUnknownSubType(st, allowed)
		}
		return prefix + st, nil
	}
}

// errUnknownSubType: CarrierX's answer to a sub_type it does not know is not
// documented; a 404 (there is no such collection) is the conservative one.
func errUnknownSubType(st string, allowed []string) *apiError {
	return newErr(http.StatusNotFound, "not found",
		item("sub_type", "unknown sub_type "+strconv.Quote(st)+"; one of: "+strings.Join(allowed, ", ")))
}

func (s *Sandbox) rateView(k *rateKind, key string) *view {
	return &view{schema: k.schema, table: s.table(k.table), defaultLimit: rateDefaultLimit,
		visible: func(_ *call, r *record) bool { return r.parent == key }}
}

// rateList serves a rate table as a list envelope with the plan's keys.
func (s *Sandbox) rateList(k *rateKind, plan planKeyFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		key, err := plan(c)
		if err != nil {
			return 0, nil, err
		}
		for _, p := range []string{"after", "before"} {
			if c.q.Get(p) != "" {
				return 0, nil, errBadRequest(p, p+" is not supported on rate lists: rates have no SID")
			}
		}
		if wr, err := parseBoolParam("with_related", c.q.Get("with_related"), false); err != nil || wr {
			return 0, nil, errBadRequest("with_related", "with_related is not accepted by rate lists")
		}
		_, body, err := s.rateView(k, key).list(nil)(c)
		if err != nil {
			return 0, nil, err
		}
		env := body.(*envelope)
		var pagination any = env.Pagination
		if k.nullPagination {
			pagination = nil
		}
		plan, effective := s.table(ratePlansTable).get(key).obj, formatTS(s.ratesEffectiveDate())
		if a, ok := s.assignedPlan(c.partner, key); ok {
			plan = object{"name": a["plan_name"], "rates_plan_sid": a["plan_sid"]}
			effective, _ = a["effective_date"].(string)
		}
		return http.StatusOK, object{
			"active":         "yes",
			"count":          env.Count,
			"effective_date": effective,
			"has_more":       env.HasMore,
			"items":          env.Items,
			"limit":          env.Limit,
			"offset":         env.Offset,
			"pagination":     pagination,
			"partner_sid":    c.partner.sid,
			"rates_plan":     plan,
			"total":          env.Total,
		}, nil
	}
}

// partnerRateAssignments is the table of the plans assigned to partners
// (partners.go, served by /partners/{partner_sid}/effective_rates). It is
// looked up by name, and only when registered: without it the rate lists
// name the sandbox's own plans.
const partnerRateAssignments = "partner_rate_assignments"

// planAssignments maps plan keys to the (type, direction, sub_type) of the
// assignment that names them; other plans (VoIP, toll-free and short-code
// SMS) are not assigned.
var planAssignments = map[string][3]string{
	"calls/inbound/pstn":  {"pstn", "inbound", ""},
	"calls/outbound/pstn": {"pstn", "outbound", ""},
	"sms/outbound/toll":   {"sms", "outbound", "toll"},
	"phonenumber":         {"phonenumber", "undirected", ""},
}

// assignedPlan returns the assignment (plan_name, plan_sid,
// effective_date) of the plan key that partner p, or its nearest ancestor
// with plans, has, so the rate lists name the plan the partner's effective
// rates name.
func (s *Sandbox) assignedPlan(p *record, key string) (object, bool) {
	want, ok := planAssignments[key]
	t := s.tables[partnerRateAssignments]
	if !ok || t == nil {
		return nil, false
	}
	for depth := 0; p != nil && depth < 32; depth++ {
		for _, r := range t.recs {
			a, _ := r.obj["assignment"].(object)
			if r.owner != p.sid || a == nil {
				continue
			}
			sub, _ := a["sub_type"].(string)
			if a["type"] != want[0] || a["direction"] != want[1] || sub != want[2] {
				continue
			}
			_, named := a["plan_name"].(string)
			_, sid := a["plan_sid"].(string)
			_, eff := a["effective_date"].(string)
			return a, named && sid && eff
		}
		p = s.partners.get(parentOf(p))
	}
	return nil, false
}

// rateCSV serves a rate table as CSV: the rows the JSON list pages through.
func (s *Sandbox) rateCSV(k *rateKind, plan planKeyFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		key, err := plan(c)
		if err != nil {
			return 0, nil, err
		}
		lp := &listParams{}
		if lp.order, err = parseOrder(c.q.Get("order"), k.schema); err != nil {
			return 0, nil, err
		}
		if lp.match, err = parseFilterParam(c.q.Get("filter"), k.schema, false); err != nil {
			return 0, nil, err
		}
		if lp.sel, err = parseFieldSel(c.q, k.schema, nil); err != nil {
			return 0, nil, err
		}
		recs := s.rateView(k, key).selectRecs(c, lp, nil)
		var cols []string
		for _, f := range k.schema.Fields {
			if (lp.sel.include == nil || lp.sel.include[f.Name]) && !lp.sel.exclude[f.Name] {
				cols = append(cols, f.Name)
			}
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(cols)
		row := make([]string, len(cols))
		for _, r := range recs {
			for i, col := range cols {
				row[i], _ = textOf(r.obj[col]) // null: empty
			}
			_ = w.Write(row)
		}
		w.Flush()
		return http.StatusOK, &rawResponse{"text/csv; charset=utf-8", buf.Bytes()}, nil
	}
}

// Rating limits: a day of call, and more segments than a message can have.
const (
	maxRatingDuration = 86400
	maxRatingSegments = 255
)

// ratingArgs are the query arguments shared by the rating lookups.
type ratingArgs struct {
	dir int
	to  string // digits, no "+"
}

// parseRatingArgs reads direction and to (both required) and checks
// partner_sid. errs collects 422 items; a foreign partner_sid is a 404.
func parseRatingArgs(c *call) (ratingArgs, []errItem, *apiError) {
	var a ratingArgs
	var errs []errItem
	switch d := c.q.Get("direction"); d {
	case "inbound":
		a.dir = dirInbound
	case "outbound":
		a.dir = dirOutbound
	case "":
		errs = append(errs, item("direction", "direction is required"))
	default:
		errs = append(errs, item("direction", "direction must be inbound or outbound"))
	}
	raw := strings.TrimSpace(c.q.Get("to"))
	switch a.to = strings.TrimPrefix(raw, "+"); {
	case raw == "":
		errs = append(errs, item("to", "to is required"))
	case !isRatingNumber(a.to):
		errs = append(errs, item("to", "to must be a phone number of up to 15 digits"))
	}
	if sid := c.q.Get("partner_sid"); sid != "" && sid != c.partner.sid {
		if p := c.s.partners.get(sid); p == nil || parentOf(p) != c.partner.sid {
			return a, nil, errNoItem()
		}
	}
	return a, errs, nil
}

func isRatingNumber(s string) bool {
	if s == "" || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ratingAmount renders micro-dollars as the rating samples do: at least five
// decimals ("0.01400"), more when the amount needs them.
func ratingAmount(micro int64) string {
	s := formatMicro(micro)
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		s += "."
		dot = len(s) - 1
	}
	if pad := 5 - (len(s) - dot - 1); pad > 0 {
		s += strings.Repeat("0", pad)
	}
	return s
}

// rateCall serves /rating/calls/pstn (voip false) and
// /rating/calls/voip/{sub_type}: {direction, duration_billing, price, rate}.
func (s *Sandbox) rateCall(voip bool) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		if voip && !contains(voipRatingSubTypes, c.param("sub_type")) {
			return 0, nil, errUnknownSubType(c.param("sub_type"), voipRatingSubTypes)
		}
		a, errs, aerr := parseRatingArgs(c)
		if aerr != nil {
			return 0, nil, aerr
		}
		var duration int64
		switch raw := strings.TrimSpace(c.q.Get("duration")); {
		case raw == "":
			errs = append(errs, item("duration", "duration is required"))
		default:
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 || n > maxRatingDuration {
				errs = append(errs, item("duration", "duration must be a whole number of seconds from 0 to "+itoa(maxRatingDuration)))
			}
			duration = n
		}
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		rate := voipCallRate
		if !voip {
			var ok bool
			if rate, ok = pstnCallRate(a.dir, a.to); !ok {
				return 0, nil, errValidation(item("to", "no "+dirNames[a.dir]+" rate applies to "+a.to))
			}
		}
		billed := billedSeconds(rate, duration)
		return http.StatusOK, object{
			"direction":        dirNames[a.dir],
			"duration_billing": strconv.FormatInt(billed, 10),
			"price":            ratingAmount(callPrice(rate, billed)),
			"rate":             ratingAmount(rate.micro),
		}, nil
	}
}

// rateMessage serves /rating/sms/{sub_type} (typ 0) and
// /rating/mms/{sub_type} (typ 1): {direction, price, rate, segments}.
// message_segments (SMS only; the docs' sample sends it, their table does
// not list it) defaults to 1; an MMS is always one segment.
func (s *Sandbox) rateMessage(typ int) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		if !contains(messageSubTypes, c.param("sub_type")) {
			return 0, nil, errUnknownSubType(c.param("sub_type"), messageSubTypes)
		}
		a, errs, aerr := parseRatingArgs(c)
		if aerr != nil {
			return 0, nil, aerr
		}
		segs := int64(1)
		if raw := strings.TrimSpace(c.q.Get("message_segments")); raw != "" && typ == 0 {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 1 || n > maxRatingSegments {
				errs = append(errs, item("message_segments", "message_segments must be a whole number from 1 to "+itoa(maxRatingSegments)))
			}
			segs = n
		}
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		if !messageRateApplies(a.to) {
			return 0, nil, errValidation(item("to", "no "+msgTypes[typ]+" rate applies to "+a.to))
		}
		rate := messageRates[typ][a.dir]
		return http.StatusOK, object{
			"direction": dirNames[a.dir],
			"price":     ratingAmount(rate * segs),
			"rate":      ratingAmount(rate),
			"segments":  strconv.FormatInt(segs, 10),
		}, nil
	}
}

func (s *Sandbox) rateRoutes(rt *router) {
	lists := []struct {
		path string
		kind *rateKind
		plan planKeyFunc
	}{
		{"/calls/rates/inbound/pstn", callRateKind, fixedPlan("calls/inbound/pstn")},
		{"/calls/rates/inbound/voip/{sub_type}", callRateKind, subTypePlan("calls/inbound/voip/", voipRateSubTypes)},
		{"/calls/rates/outbound/pstn", callRateKind, fixedPlan("calls/outbound/pstn")},
		{"/calls/rates/outbound/voip/{sub_type}", callRateKind, subTypePlan("calls/outbound/voip/", voipRateSubTypes)},
		{"/sms/rates/outbound/{sub_type}", smsRateKind, subTypePlan("sms/outbound/", messageSubTypes)},
		{"/phonenumber/rates", didRateKind, fixedPlan("phonenumber")},
	}
	for _, l := range lists {
		rt.handle("GET", l.path, s.rateList(l.kind, l.plan))
		rt.handle("GET", l.path+"/csv", s.rateCSV(l.kind, l.plan))
	}
	rt.handle("GET", "/dids/rates", s.rateList(didRateKind, fixedPlan("phonenumber"))) // deprecated alias

	rt.handle("GET", "/rating/calls/pstn", s.rateCall(false))
	rt.handle("GET", "/rating/calls/voip/{sub_type}", s.rateCall(true))
	rt.handle("GET", "/rating/sms/{sub_type}", s.rateMessage(0))
	rt.handle("GET", "/rating/mms/{sub_type}", s.rateMessage(1))
}
