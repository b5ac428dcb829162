package sandbox

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// rateListPaths are every rate list, one per plan.
func rateListPaths() []string {
	paths := []string{"/core/v2/calls/rates/inbound/pstn", "/core/v2/calls/rates/outbound/pstn", "/core/v2/phonenumber/rates"}
	for _, st := range voipRateSubTypes {
		paths = append(paths, "/core/v2/calls/rates/inbound/voip/"+st, "/core/v2/calls/rates/outbound/voip/"+st)
	}
	for _, st := range messageSubTypes {
		paths = append(paths, "/core/v2/sms/rates/outbound/"+st)
	}
	return paths
}

func rateItemKeys(path string) string {
	switch {
	case strings.Contains(path, "/calls/"):
		return "billing_increment,billing_minimum,country_code,country_name,prefix,price"
	case strings.Contains(path, "/sms/"):
		return "country_code,country_name,mcc,mnc,network,operator,price"
	}
	return "classification_sid,country_code,country_name,prefix,price_0,price_1,price_2,price_3,price_4,price_5,price_6," +
		"quantity_0,quantity_1,quantity_2,quantity_3,quantity_4,quantity_5,quantity_6"
}

func TestRateListsShapes(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, path := range rateListPaths() {
		m := e.mustJSON(200, e.get(demo, path))
		if got := shortKeyList(m); got != "active,count,effective_date,has_more,items,limit,offset,pagination,partner_sid,rates_plan,total" {
			t.Fatalf("%s: envelope keys %s", path, got)
		}
		its := items(t, m)
		if m["active"] != "yes" || m["partner_sid"] != e.s.DemoPartner().PartnerSID || m["limit"] != float64(1000) ||
			m["count"] != float64(len(its)) || m["total"] != float64(len(its)) || m["has_more"] != false || len(its) == 0 {
			t.Fatalf("%s: envelope %s", path, compactJSON(t, m))
		}
		if _, ok := parseTS(fmt.Sprint(m["effective_date"])); !ok {
			t.Fatalf("%s: effective_date %v", path, m["effective_date"])
		}
		plan, _ := m["rates_plan"].(map[string]any)
		if shortKeyList(plan) != "name,rates_plan_sid" || plan["name"] == "" || plan["rates_plan_sid"] == "" {
			t.Fatalf("%s: rates_plan %v", path, m["rates_plan"])
		}
		for _, it := range its {
			if got := shortKeyList(it); got != rateItemKeys(path) {
				t.Fatalf("%s: item keys %s", path, got)
			}
		}
		if strings.Contains(path, "/calls/") && m["pagination"] != nil {
			t.Fatalf("%s: call rate lists answer pagination null: %v", path, m["pagination"])
		}
	}

	out := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/outbound/pstn")))
	byPrefix := map[string]map[string]any{}
	for _, it := range out {
		byPrefix[fmt.Sprint(it["prefix"])] = it
	}
	if d := byPrefix["1"]; d["price"] != "0.005" || d["billing_increment"] != "6" || d["billing_minimum"] != "6" ||
		d["country_code"] != "USA" || d["country_name"] != "United States" {
		t.Fatalf("domestic outbound rate: %v", d)
	}
	if h := byPrefix["1876"]; h["price"] != "0.012" || h["country_code"] != "JAM" {
		t.Fatalf("high-cost outbound rate: %v", h)
	}
	in := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/inbound/pstn")))
	if len(in) != 1 || in[0]["prefix"] != nil || in[0]["country_code"] != nil || in[0]["price"] != "0.0025" || in[0]["billing_increment"] != "60" {
		t.Fatalf("inbound rates: %v", in)
	}
	voip := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/inbound/voip/conference")))
	if len(voip) != 1 || voip[0]["price"] != "0" || voip[0]["prefix"] != nil {
		t.Fatalf("VoIP rates: %v", voip)
	}
	sms := items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/rates/outbound/toll")))
	for _, it := range sms {
		if it["mcc"] != float64(310) || it["price"] != "0.004" || it["network"] != nil || it["country_code"] != "USA" {
			t.Fatalf("SMS rate: %v", it)
		}
	}
	dids := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/rates")))
	if len(dids) != len(e.s.classes) {
		t.Fatalf("%d DID rates for %d classes", len(dids), len(e.s.classes))
	}
	for i, it := range dids {
		cl := e.s.classes[i]
		for j := range didRateTiers {
			if it["classification_sid"] != cl.sid || it[fmt.Sprintf("price_%d", j)] != cl.price {
				t.Fatalf("DID rate %v, class %v", it, cl)
			}
		}
		if it["quantity_0"] != float64(0) {
			t.Fatalf("the first tier starts at 0: %v", it)
		}
	}
	if alias := e.mustJSON(200, e.get(demo, "/core/v2/dids/rates")); len(items(t, alias)) != len(dids) {
		t.Fatalf("the deprecated /dids/rates: %s", compactJSON(t, alias))
	}

	// Filters, order, field selection and paging.
	f := e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/outbound/pstn?filter="+url.QueryEscape(`price gt 0.005`)+"&order=prefix+desc&exclude_fields=country_name"))
	got := items(t, f)
	if len(got) != 3 || got[0]["prefix"] != "1907" || f["total"] != float64(3) {
		t.Fatalf("filtered and ordered: %s", compactJSON(t, f))
	}
	if _, ok := got[0]["country_name"]; ok {
		t.Fatalf("exclude_fields: %v", got[0])
	}
	p := e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/outbound/pstn?limit=1&offset=1"))
	if len(items(t, p)) != 1 || p["has_more"] != true || p["pagination"] != nil || p["offset"] != float64(1) || p["total"] != float64(4) {
		t.Fatalf("call rate page: %s", compactJSON(t, p))
	}
	p = e.mustJSON(200, e.get(demo, "/core/v2/sms/rates/outbound/toll?limit=1"))
	next, _ := p["pagination"].(map[string]any)["next"].(string)
	if !strings.HasSuffix(next, "/core/v2/sms/rates/outbound/toll?limit=1&offset=1") || p["has_more"] != true {
		t.Fatalf("SMS rate page: %s", compactJSON(t, p))
	}
}

func TestRateListErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, path := range []string{"/core/v2/calls/rates/inbound/voip/nope", "/core/v2/calls/rates/outbound/voip/conference_v2/csv",
		"/core/v2/sms/rates/outbound/mms", "/core/v2/sms/rates/outbound/mms/csv"} {
		checkError(t, e.get(demo, path), 404, "not found", "sub_type")
	}
	checkError(t, e.get(demo, "/core/v2/calls/rates/outbound/pstn?after=x"), 400, "bad request", "after")
	checkError(t, e.get(demo, "/core/v2/phonenumber/rates?with_related=true"), 400, "bad request", "with_related")
	checkError(t, e.get(demo, "/core/v2/phonenumber/rates?limit=1001"), 400, "bad request", "limit")
	checkError(t, e.get(demo, "/core/v2/calls/rates/outbound/pstn/csv?filter="+url.QueryEscape("rate eq 1")), 400, "bad request", "filter")
	checkError(t, e.get(demo, "/core/v2/sms/rates/outbound/toll/csv?exclude_fields=nope"), 400, "bad request", "exclude_fields")
	checkError(t, e.get("", "/core/v2/phonenumber/rates"), 401, "authentication error", nil)
	if r := e.sendJSON(demo, "POST", "/core/v2/calls/rates/outbound/pstn", `{}`); r.status != 405 {
		t.Fatalf("rates are read-only: %d", r.status)
	}
}

// csvRows requests path as CSV and returns its header and rows.
func csvRows(t *testing.T, e *testEnv, a auth, path string) ([]string, [][]string) {
	t.Helper()
	r := e.get(a, path)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%s: %d %s: %s", path, r.status, r.header.Get("Content-Type"), r.body)
	}
	recs, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s: not CSV with a header: %v %q", path, err, r.body)
	}
	return recs[0], recs[1:]
}

// cellOf renders a JSON value as its CSV cell.
func cellOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return fmt.Sprint(int64(x))
	}
	return fmt.Sprint(v)
}

func TestRateCSVMatchesJSON(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	queries := []string{"", "?order=price+desc&exclude_fields=country_name", "?filter=" + url.QueryEscape(`country_code eq "USA"`) + "&include_fields=price,country_code"}
	for _, path := range rateListPaths() {
		for _, q := range queries {
			if strings.Contains(path, "/phonenumber/") {
				q = strings.ReplaceAll(q, "price", "price_0") // DID rates have tiers
			}
			its := items(t, e.mustJSON(200, e.get(demo, path+q)))
			header, rows := csvRows(t, e, demo, path+"/csv"+q)
			if len(its) == 0 && !strings.Contains(q, "filter") {
				t.Fatalf("%s%s: no items", path, q)
			}
			if len(rows) != len(its) {
				t.Fatalf("%s%s: %d CSV rows, %d JSON items", path, q, len(rows), len(its))
			}
			for i, it := range its {
				if got := strings.Join(header, ","); got != shortKeyList(it) {
					t.Fatalf("%s%s: CSV columns %s, JSON keys %s", path, q, got, shortKeyList(it))
				}
				for j, col := range header {
					if rows[i][j] != cellOf(it[col]) {
						t.Fatalf("%s%s row %d %s: CSV %q, JSON %v", path, q, i, col, rows[i][j], it[col])
					}
				}
			}
		}
	}
}

// rating asks a rating lookup and returns its answer.
func rating(t *testing.T, e *testEnv, a auth, path string, q url.Values) map[string]any {
	t.Helper()
	return e.mustJSON(200, e.get(a, path+"?"+q.Encode()))
}

func TestRatingLookups(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	call := func(path, dir, duration, to string) map[string]any {
		return rating(t, e, demo, path, url.Values{"direction": {dir}, "duration": {duration}, "to": {to}})
	}
	for _, c := range []struct {
		path, dir, duration, to string
		want                    string
	}{
		// The sample's shape; outbound domestic at 0.005 per minute in 6-second increments.
		{"/core/v2/rating/calls/pstn", "outbound", "10", "17605692222", `{"direction":"outbound","duration_billing":"12","price":"0.00100","rate":"0.00500"}`},
		// The longest prefix wins: 1808 over 1.
		{"/core/v2/rating/calls/pstn", "outbound", "61", "+18085550100", `{"direction":"outbound","duration_billing":"66","price":"0.01320","rate":"0.01200"}`},
		// Inbound: any number, 60-second increments (as the documented CDR: 4.25 s billed as 60).
		{"/core/v2/rating/calls/pstn", "inbound", "4", "442071234567", `{"direction":"inbound","duration_billing":"60","price":"0.00250","rate":"0.00250"}`},
		{"/core/v2/rating/calls/pstn", "inbound", "0", "15162065451", `{"direction":"inbound","duration_billing":"0","price":"0.00000","rate":"0.00250"}`},
		{"/core/v2/rating/calls/voip/conference_v2", "outbound", "10", "17605692222", `{"direction":"outbound","duration_billing":"60","price":"0.00000","rate":"0.00000"}`},
	} {
		if got := compactJSON(t, call(c.path, c.dir, c.duration, c.to)); got != c.want {
			t.Errorf("%s %s %s %s: %s, want %s", c.path, c.dir, c.duration, c.to, got, c.want)
		}
	}
	sms := rating(t, e, demo, "/core/v2/rating/sms/toll", url.Values{"direction": {"outbound"}, "message_segments": {"3"}, "to": {"17605692222"}})
	if got := compactJSON(t, sms); got != `{"direction":"outbound","price":"0.01200","rate":"0.00400","segments":"3"}` {
		t.Errorf("SMS rating: %s", got)
	}
	mms := rating(t, e, demo, "/core/v2/rating/mms/toll_free", url.Values{"direction": {"inbound"}, "message_segments": {"4"}, "to": {"17605692222"}})
	if got := compactJSON(t, mms); got != `{"direction":"inbound","price":"0.01000","rate":"0.01000","segments":"1"}` {
		t.Errorf("MMS rating (always one segment): %s", got)
	}
	self := rating(t, e, demo, "/core/v2/rating/sms/short_code", url.Values{"direction": {"inbound"}, "to": {"17605692222"},
		"partner_sid": {e.s.DemoPartner().PartnerSID}})
	if self["rate"] != "0.00250" || self["segments"] != "1" {
		t.Errorf("SMS rating for the caller's own partner_sid: %v", self)
	}

	for _, c := range []struct {
		path  string
		field string
	}{
		{"/core/v2/rating/calls/pstn?duration=10&to=17605692222", "direction"},
		{"/core/v2/rating/calls/pstn?direction=sideways&duration=10&to=17605692222", "direction"},
		{"/core/v2/rating/calls/pstn?direction=outbound&to=17605692222", "duration"},
		{"/core/v2/rating/calls/pstn?direction=outbound&duration=-1&to=17605692222", "duration"},
		{"/core/v2/rating/calls/pstn?direction=outbound&duration=1.5&to=17605692222", "duration"},
		{"/core/v2/rating/calls/pstn?direction=outbound&duration=10", "to"},
		{"/core/v2/rating/calls/pstn?direction=outbound&duration=10&to=760-569", "to"},
		{"/core/v2/rating/calls/pstn?direction=outbound&duration=10&to=442071234567", "to"}, // no rate applies
		{"/core/v2/rating/calls/voip/flexml?direction=inbound&duration=x&to=1", "duration"},
		{"/core/v2/rating/sms/toll?direction=outbound&to=17605692222&message_segments=0", "message_segments"},
		{"/core/v2/rating/sms/toll?direction=outbound&to=442071234567", "to"},
		{"/core/v2/rating/mms/toll?to=17605692222", "direction"},
	} {
		checkError(t, e.get(demo, c.path), 422, "object validation error", c.field)
	}
	for _, path := range []string{"/core/v2/rating/calls/voip/pstn?direction=outbound&duration=1&to=1",
		"/core/v2/rating/sms/mms?direction=outbound&to=1", "/core/v2/rating/mms/long_code?direction=outbound&to=1"} {
		checkError(t, e.get(demo, path), 404, "not found", "sub_type")
	}
	other := "/core/v2/rating/calls/pstn?direction=outbound&duration=10&to=17605692222&partner_sid=" + e.s.OtherPartner().PartnerSID
	checkError(t, e.get(demo, other), 404, "no item error", nil)
}

// TestRatesAreWhatRecordsAreCharged checks the tables against the detail
// records and numbers the sandbox prices: what rating answers for a
// record's number and duration is the record's rate and price.
func TestRatesAreWhatRecordsAreCharged(t *testing.T) {
	e := newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: fixedNow, CDRs: 600, MessageDRs: 300,
		ConferenceMeetings: 2, MediatorCalls: 2})
	demo := basicAuth(e.s.DemoPartner())

	outPrices := map[string]string{} // outbound table: price -> billing increment
	for _, it := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/outbound/pstn"))) {
		outPrices[it["price"].(string)] = it["billing_increment"].(string)
	}
	sameAmount := func(a, b any) bool {
		x, ok1 := parseMicro(fmt.Sprint(a))
		y, ok2 := parseMicro(fmt.Sprint(b))
		return ok1 && ok2 && x == y
	}
	checked := [2]int{}
	for _, r := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?limit=1000"))) {
		billed := fmt.Sprint(r["duration_billing"])
		if billed == "0" {
			continue
		}
		dir := r["direction"].(string)
		to := r["number_src"].(string)
		if dir == "outbound" {
			to = r["number_dst"].(string)
			incr, ok := outPrices[formatMicroOf(t, r["rate"])]
			if !ok {
				t.Fatalf("outbound record rate %v is not in the outbound table %v", r["rate"], outPrices)
			}
			if b, _ := parseMicro(billed); b/1e6%mustInt(t, incr) != 0 {
				t.Fatalf("record billed %s seconds, not in %s-second increments", billed, incr)
			}
		}
		got := rating(t, e, demo, "/core/v2/rating/calls/pstn", url.Values{"direction": {dir}, "duration": {billed}, "to": {to}})
		if !sameAmount(got["rate"], r["rate"]) || !sameAmount(got["price"], r["price"]) || got["duration_billing"] != billed {
			t.Fatalf("%s record %v: rating says %v", dir, compactJSON(t, r), got)
		}
		if checked[dirIndex(dir)]++; checked[0] >= 40 && checked[1] >= 40 {
			break
		}
	}
	if checked[0] == 0 || checked[1] == 0 {
		t.Fatalf("records checked: %v", checked)
	}
	t.Logf("call records rated again: %d inbound, %d outbound", checked[0], checked[1])

	n := 0
	for _, m := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/message_drs?limit=200"))) {
		path := "/core/v2/rating/" + m["type"].(string) + "/toll"
		got := rating(t, e, demo, path, url.Values{"direction": {m["direction"].(string)}, "to": {m["number_external"].(string)},
			"message_segments": {fmt.Sprint(m["message_segments"])}})
		if !sameAmount(got["rate"], m["rate"]) || !sameAmount(got["price"], m["price"]) {
			t.Fatalf("message record %v: rating says %v", compactJSON(t, m), got)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no message records")
	}

	classPrice := map[string]any{}
	for _, it := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/rates"))) {
		classPrice[it["classification_sid"].(string)] = it["price_0"]
	}
	for _, d := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids?limit=1000"))) {
		if !sameAmount(classPrice[fmt.Sprint(d["classification_sid"])], d["price"]) {
			t.Fatalf("DID %v priced %v; its class's rate is %v", d["phonenumber"], d["price"], classPrice[fmt.Sprint(d["classification_sid"])])
		}
	}

	// The plans took effect before the first record.
	eff := e.mustJSON(200, e.get(demo, "/core/v2/calls/rates/outbound/pstn"))["effective_date"].(string)
	first := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?limit=1&order=date_stop+asc")))[0]["date_stop"].(string)
	if mustTS(t, eff).After(mustTS(t, first)) {
		t.Fatalf("rates effective %s, after the first record (%s)", eff, first)
	}
}

func formatMicroOf(t *testing.T, v any) string {
	t.Helper()
	m, ok := parseMicro(fmt.Sprint(v))
	if !ok {
		t.Fatalf("not a decimal: %v", v)
	}
	return formatMicro(m)
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	m, ok := parseMicro(s)
	if !ok || m%1e6 != 0 || m == 0 {
		t.Fatalf("not a positive whole number: %q", s)
	}
	return m / 1e6
}

func dirIndex(dir string) int { return slices.Index(dirNames[:], dir) }

// TestRateListsNameThePartnersPlan: where partners have assigned plans
// (/partners/{partner_sid}/effective_rates), a rate list names the same plan.
func TestRateListsNameThePartnersPlan(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	r := e.get(demo, "/core/v2/partners/"+e.s.DemoPartner().PartnerSID+"/effective_rates")
	if r.status != 200 {
		t.Fatalf("effective rates: %d %s", r.status, r.body)
	}
	var list []map[string]any
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatalf("effective rates: %v: %s", err, r.body)
	}
	assigned := map[string]map[string]any{}
	for _, x := range list {
		a, _ := x["assignment"].(map[string]any)
		assigned[fmt.Sprint(a["type"], "/", a["direction"], "/", a["sub_type"])] = a
	}
	for path, key := range map[string]string{
		"/core/v2/calls/rates/inbound/pstn":  "pstn/inbound/<nil>",
		"/core/v2/calls/rates/outbound/pstn": "pstn/outbound/<nil>",
		"/core/v2/sms/rates/outbound/toll":   "sms/outbound/toll",
		"/core/v2/phonenumber/rates":         "phonenumber/undirected/<nil>",
	} {
		a := assigned[key]
		if a == nil {
			t.Fatalf("no %s assignment in %s", key, r.body)
		}
		m := e.mustJSON(200, e.get(demo, path))
		plan := m["rates_plan"].(map[string]any)
		if plan["name"] != a["plan_name"] || plan["rates_plan_sid"] != a["plan_sid"] || m["effective_date"] != a["effective_date"] {
			t.Fatalf("%s names %v (effective %v); the partner's plan is %v", path, plan, m["effective_date"], a)
		}
	}
}
