package sandbox

import (
	"net/url"
	"sort"
	"strings"
	"testing"
)

// checkEnvelope asserts the seven keys of §2.1 and their JSON types.
func checkEnvelope(t *testing.T, m map[string]any, totalNull bool) {
	t.Helper()
	want := []string{"count", "has_more", "items", "limit", "offset", "pagination", "total"}
	got := keysOf(m)
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("envelope keys %v, want %v", got, want)
	}
	for _, k := range []string{"count", "limit", "offset"} {
		if v, ok := m[k].(float64); !ok || v != float64(int(v)) || v < 0 {
			t.Errorf("%s = %v (%T), want a non-negative integer", k, m[k], m[k])
		}
	}
	if _, ok := m["has_more"].(bool); !ok {
		t.Errorf("has_more is %T", m["has_more"])
	}
	if _, ok := m["pagination"].(map[string]any); !ok {
		t.Errorf("pagination is %T", m["pagination"])
	}
	its := items(t, m)
	if int(m["count"].(float64)) != len(its) {
		t.Errorf("count %v != len(items) %d", m["count"], len(its))
	}
	if totalNull {
		if m["total"] != nil {
			t.Errorf("total = %v, want null", m["total"])
		}
	} else if v, ok := m["total"].(float64); !ok || v < float64(len(its)) {
		t.Errorf("total = %v, want an integer >= count", m["total"])
	}
}

func TestEnvelopes(t *testing.T) {
	e := newEnv(t, Config{Now: fixedNow})
	demo := basicAuth(e.s.DemoPartner())
	tok := e.token(e.s.DemoPartner())
	tgs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/trunk_groups")))
	tg := tgs[0]["trunk_group_sid"].(string)
	for _, tc := range []struct {
		path      string
		totalNull bool
		limit     float64
	}{
		{"/core/v2/phonenumber/available_dids", true, 10},
		{"/core/v2/dids/inventory", true, 10},
		{"/core/v2/phonenumber/coverage?group_by=state", false, 10},
		{"/core/v2/phonenumber/dids", false, 10},
		{"/core/v2/trunk_groups", false, 10},
		{"/core/v2/trunk_groups/" + tg + "/trunks", false, 1000},
		{"/core/v2/oauth/tokens", true, 10},
	} {
		t.Run(tc.path, func(t *testing.T) {
			m := e.mustJSON(200, e.get(bearer(tok), tc.path))
			checkEnvelope(t, m, tc.totalNull)
			if m["limit"] != tc.limit {
				t.Errorf("default limit %v, want %v", m["limit"], tc.limit)
			}
			if len(items(t, m)) == 0 {
				t.Errorf("no items")
			}
		})
	}
	// Totals are right.
	m := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids"))
	if m["total"] != float64(50) {
		t.Errorf("demo has %v DIDs, want 50", m["total"])
	}
	m = e.mustJSON(200, e.get(demo, "/core/v2/trunk_groups"))
	if m["total"] != float64(3) {
		t.Errorf("demo has %v trunk groups, want 3", m["total"])
	}
}

func TestPaginationLinks(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	base := e.srv.URL + "/core/v2/phonenumber/available_dids"

	m := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?limit=1"))
	if got := m["pagination"].(map[string]any)["next"]; got != base+"?limit=1&offset=1" {
		t.Errorf("next = %v", got)
	}
	if _, ok := m["pagination"].(map[string]any)["previous"]; ok {
		t.Errorf("previous on the first page")
	}

	// The original query is kept (order and encoding), offset replaced.
	q := "filter=state+eq+NY&limit=3&offset=6&order=price+desc"
	m = e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?"+q))
	p := m["pagination"].(map[string]any)
	if m["offset"] != float64(6) || m["limit"] != float64(3) {
		t.Errorf("offset/limit %v/%v", m["offset"], m["limit"])
	}
	if p["next"] != base+"?filter=state+eq+NY&limit=3&order=price+desc&offset=9" {
		t.Errorf("next = %v", p["next"])
	}
	if p["previous"] != base+"?filter=state+eq+NY&limit=3&order=price+desc&offset=3" {
		t.Errorf("previous = %v", p["previous"])
	}

	// Following next walks the whole collection exactly once.
	seen := map[string]bool{}
	next := base + "?limit=40"
	pages := 0
	for next != "" {
		u, _ := url.Parse(next)
		m := e.mustJSON(200, e.get(demo, u.RequestURI()))
		for _, it := range items(t, m) {
			sid := it["did_sid"].(string)
			if seen[sid] {
				t.Fatalf("%s seen twice", sid)
			}
			seen[sid] = true
		}
		n, _ := m["pagination"].(map[string]any)["next"].(string)
		if (n != "") != m["has_more"].(bool) {
			t.Fatalf("has_more %v but next %q", m["has_more"], n)
		}
		next = n
		pages++
	}
	if len(seen) != 300 || pages != 8 {
		t.Errorf("walked %d numbers in %d pages, want 300 in 8", len(seen), pages)
	}

	// X-Forwarded-Proto/Host are honoured.
	req := e.srv.URL + "/core/v2/phonenumber/coverage?limit=1&group_by=state"
	r := e.doHeaders(demo, req, map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.test"})
	m = e.mustJSON(200, r)
	if got := m["pagination"].(map[string]any)["next"]; got != "https://api.example.test/core/v2/phonenumber/coverage?limit=1&group_by=state&offset=1" {
		t.Errorf("forwarded next = %v", got)
	}

	// Past the end: empty page, previous link, no next.
	m = e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?offset=5000&limit=10"))
	if m["count"] != float64(0) || m["has_more"] != false {
		t.Errorf("past the end: %v", m)
	}
	if _, ok := m["pagination"].(map[string]any)["previous"]; !ok {
		t.Errorf("past the end: no previous")
	}
}

func TestCursorPaging(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	all := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?limit=10")))
	third := all[2]["did_sid"].(string)
	base := e.srv.URL + "/core/v2/phonenumber/available_dids"

	m := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?after="+third+"&limit=2"))
	its := items(t, m)
	if len(its) != 2 || its[0]["did_sid"] != all[3]["did_sid"] || its[1]["did_sid"] != all[4]["did_sid"] {
		t.Fatalf("after page wrong: %v", its)
	}
	if m["offset"] != float64(0) || m["has_more"] != true || m["total"] != nil {
		t.Errorf("cursor envelope %v", m)
	}
	p := m["pagination"].(map[string]any)
	if p["previous"] != base+"?before="+all[3]["did_sid"].(string)+"&limit=2&offset=0" {
		t.Errorf("previous = %v", p["previous"])
	}
	if p["next"] != base+"?after="+all[4]["did_sid"].(string)+"&limit=2&offset=0" {
		t.Errorf("next = %v", p["next"])
	}
	m = e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?before="+all[4]["did_sid"].(string)+"&limit=3"))
	its = items(t, m)
	if len(its) != 3 || its[0]["did_sid"] != all[1]["did_sid"] || its[2]["did_sid"] != all[3]["did_sid"] {
		t.Fatalf("before page wrong: %v", its)
	}
	checkError(t, e.get(demo, "/core/v2/phonenumber/available_dids?after=nope"), 400, "bad request", "after")
	checkError(t, e.get(demo, "/core/v2/phonenumber/available_dids?after="+third+"&offset=3"), 400, "bad request", "offset")
	checkError(t, e.get(demo, "/core/v2/phonenumber/coverage?group_by=state&after=NY"), 400, "bad request", "after")
}

func TestListParamErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, tc := range []struct{ query, field string }{
		{"limit=1001", "limit"},
		{"limit=-1", "limit"},
		{"limit=ten", "limit"},
		{"limit=1.5", "limit"},
		{"offset=-5", "offset"},
		{"offset=x", "offset"},
		{"order=nosuch", "order"},
		{"order=price+sideways", "order"},
		{"order=attributes", "order"},
		{"filter=state+eq+NY+or+state+eq+NJ", "filter"},
		{"filter=nosuch+eq+1", "filter"},
		{"filter=%28state+eq+NY%29", "filter"},
		{"filter=state+eq+%22NY", "filter"},
		{"filter=state+is+NY", "filter"},
		{"filter=+and+", "filter"},
		{"include_fields=nosuch", "include_fields"},
		{"exclude_fields=did_sid,nosuch", "exclude_fields"},
		{"with_related=maybe", "with_related"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			checkError(t, e.get(demo, "/core/v2/phonenumber/available_dids?"+tc.query), 400, "bad request", tc.field)
		})
	}
	// limit=1000 is fine.
	m := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?limit=1000"))
	if m["count"] != float64(300) || m["limit"] != float64(1000) {
		t.Errorf("limit=1000: count %v limit %v", m["count"], m["limit"])
	}
}

func TestFilterOrderAndFields(t *testing.T) {
	e := newEnv(t, Config{Now: fixedNow})
	demo := basicAuth(e.s.DemoPartner())
	get := func(q string) []map[string]any {
		t.Helper()
		return items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?"+q)))
	}
	for _, it := range get("limit=1000&filter=" + url.QueryEscape(`state eq NY and phonenumber like "1516%" and capabilities bit 4`)) {
		if it["state"] != "NY" || !strings.HasPrefix(it["phonenumber"].(string), "1516") || int(it["capabilities"].(float64))&4 == 0 {
			t.Fatalf("filter let through %v", it)
		}
	}
	if n := len(get("limit=1000&filter=npa+eq+516")); n == 0 {
		t.Errorf("no 516 numbers")
	}
	// Numeric comparison of num-strings: price ge 1 excludes "0.6" but keeps "1.25".
	for _, it := range get("limit=1000&filter=price+ge+1") {
		if it["price"] == "0.6" {
			t.Fatalf("price ge 1 let through 0.6")
		}
	}
	// Order by price desc, then by phonenumber desc.
	its := get("limit=50&order=price+desc")
	if its[0]["price"] != "2.5" {
		t.Errorf("most expensive first: %v", its[0]["price"])
	}
	its = get("limit=5&order=phonenumber%20desc")
	for i := 1; i < len(its); i++ {
		if its[i-1]["phonenumber"].(string) < its[i]["phonenumber"].(string) {
			t.Errorf("not descending: %v", its)
		}
	}
	if len(get("limit=5&order=shuffle")) != 5 {
		t.Errorf("shuffle")
	}
	// Default order is stable (phonenumber order for the inventory).
	its = get("limit=100")
	for i := 1; i < len(its); i++ {
		if its[i-1]["phonenumber"].(string) >= its[i]["phonenumber"].(string) {
			t.Fatalf("default order not by phonenumber")
		}
	}
	// include / exclude fields, on lists and single GETs.
	its = get("limit=2&include_fields=did_sid,phonenumber")
	if len(its[0]) != 2 || its[0]["did_sid"] == nil || its[0]["phonenumber"] == nil {
		t.Errorf("include_fields: %v", its[0])
	}
	its = get("limit=2&includeFields=did_sid")
	if len(its[0]) != 1 {
		t.Errorf("includeFields: %v", its[0])
	}
	its = get("limit=2&exclude_fields=attributes,price")
	if _, ok := its[0]["price"]; ok || len(its[0]) != len(didSchema.Fields)-2 {
		t.Errorf("exclude_fields: %d keys", len(its[0]))
	}
	sid := its[0]["did_sid"].(string)
	one := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids/"+sid+"?include_fields=state"))
	if len(one) != 1 || one["state"] == nil {
		t.Errorf("single include_fields: %v", one)
	}
	one = e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids/"+sid+"?exclude_fields=state"))
	if _, ok := one["state"]; ok || len(one) != len(didSchema.Fields)-1 {
		t.Errorf("single exclude_fields: %v", one)
	}
	// nearby orders by distance: Seattle coordinates give a WA number first.
	its = get("limit=1&filter=" + url.QueryEscape("phonenumber nearby latlng:47.6062,-122.3321"))
	if its[0]["state"] != "WA" {
		t.Errorf("nearby Seattle gave %v", its[0]["state"])
	}
	// with_related adds the partner object.
	d := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids?limit=1&with_related=true")))[0]
	if p, ok := d["partner"].(map[string]any); !ok || p["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Errorf("with_related partner: %v", d["partner"])
	}
}

func TestCoverage(t *testing.T) {
	e := newEnv(t, Config{Now: fixedNow})
	demo := basicAuth(e.s.DemoPartner())
	checkError(t, e.get(demo, "/core/v2/phonenumber/coverage"), 400, "bad request", "group_by")
	checkError(t, e.get(demo, "/core/v2/phonenumber/coverage?group_by=planet"), 400, "bad request", "group_by")
	sum := func(q string) (int, int) {
		m := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/coverage?limit=1000&"+q))
		checkEnvelope(t, m, false)
		n := 0
		for _, it := range items(t, m) {
			if len(it) != 2 {
				t.Fatalf("coverage item %v", it)
			}
			n += int(it["count"].(float64))
		}
		return n, int(m["total"].(float64))
	}
	for _, g := range []string{"state", "npa", "npa_nxx", "locality", "country_code"} {
		n, groups := sum("group_by=" + g)
		if n != 6000 {
			t.Errorf("group_by=%s counts %d numbers, want 6000", g, n)
		}
		switch g {
		case "state":
			if groups < 20 {
				t.Errorf("%d states, want >= 20", groups)
			}
		case "npa":
			if groups < 100 {
				t.Errorf("%d area codes, want >= 100", groups)
			}
		case "country_code":
			if groups != 1 {
				t.Errorf("%d countries", groups)
			}
		}
	}
	ny, _ := sum("group_by=npa&filter=state+eq+NY")
	all := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/available_dids?limit=1&filter=state+eq+NY")))
	if ny == 0 || len(all) == 0 {
		t.Errorf("no NY coverage")
	}
	// order by count desc.
	its := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/coverage?group_by=state&order=count+desc&limit=3")))
	if its[0]["count"].(float64) < its[1]["count"].(float64) {
		t.Errorf("not ordered by count: %v", its)
	}
	// Renting a number lowers its group's count.
	before := stateCount(t, e, demo, "NY")
	e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/phonenumber/dids?filter=state+eq+NY", map[string]any{}))
	if after := stateCount(t, e, demo, "NY"); after != before-1 {
		t.Errorf("NY coverage %d -> %d after renting", before, after)
	}
}

func stateCount(t *testing.T, e *testEnv, a auth, state string) int {
	t.Helper()
	for _, it := range items(t, e.mustJSON(200, e.get(a, "/core/v2/phonenumber/coverage?group_by=state&limit=100"))) {
		if it["key"] == state {
			return int(it["count"].(float64))
		}
	}
	t.Fatalf("no %s in coverage", state)
	return 0
}

func (e *testEnv) doHeaders(a auth, rawURL string, h map[string]string) resp {
	e.t.Helper()
	u, _ := url.Parse(rawURL)
	return e.doWith(a, "GET", u.RequestURI(), h)
}
