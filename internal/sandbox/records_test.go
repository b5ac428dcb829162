package sandbox

import (
	"math/big"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// recEnv is a sandbox with a modest number of records.
func recEnv(t *testing.T) *testEnv {
	return newEnv(t, Config{Seed: 11, AvailableDIDs: 300, RentedDIDs: 30, Now: fixedNow, CDRs: 6000,
		MessageDRs: 1500, ConferenceMeetings: 200, MediatorCalls: 400})
}

// recordPaths are the record collections; Mediator records have no
// documented by-SID method, so none is served.
var recordPaths = []struct {
	path, sid string
	bySID     bool
}{
	{"/core/v2/calls/call_drs", "dr_sid", true},
	{"/core/v2/sms/message_drs", "dr_sid", true},
	{"/core/v2/app/conference/calls", "call_sid", true},
	{"/core/v2/app/conference/meetings", "meeting_sid", true},
	{"/core/v2/app/mediator/calls", "dr_sid", false},
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func mustTS(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(tsLayout, s)
	if err != nil {
		t.Fatalf("timestamp %q: %v", s, err)
	}
	return v
}

func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok || !isDecimal(s) {
		t.Fatalf("%q is not a decimal string", s)
	}
	return r
}

func TestRecordEnvelopes(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, rp := range recordPaths {
		t.Run(rp.path, func(t *testing.T) {
			m := e.mustJSON(200, e.get(demo, rp.path))
			checkEnvelope(t, m, true)
			if m["limit"] != float64(10) || m["count"] != float64(10) || m["has_more"] != true {
				t.Errorf("limit %v count %v has_more %v", m["limit"], m["count"], m["has_more"])
			}
			its := items(t, m)
			prev := ""
			for _, it := range its {
				if str(it, "partner_sid") != e.s.DemoPartner().PartnerSID {
					t.Errorf("partner_sid %v", it["partner_sid"])
				}
				if d := str(it, "date_stop"); d < prev {
					t.Errorf("not ordered by date_stop: %s after %s", d, prev)
				} else {
					prev = d
				}
				mustTS(t, str(it, "date_stop"))
			}
			sid := str(its[3], rp.sid)
			if !rp.bySID {
				checkError(t, e.get(demo, rp.path+"/"+sid), 404, "not found", nil)
				return
			}
			// By SID: the same object.
			one := e.mustJSON(200, e.get(demo, rp.path+"/"+sid))
			if compactJSON(t, one) != compactJSON(t, its[3]) {
				t.Errorf("by SID differs from the list item:\n%v\n%v", one, its[3])
			}
			// Field selection.
			sel := e.mustJSON(200, e.get(demo, rp.path+"/"+sid+"?include_fields="+rp.sid+",date_stop"))
			if len(sel) != 2 || sel[rp.sid] != sid {
				t.Errorf("include_fields: %v", sel)
			}
			ex := items(t, e.mustJSON(200, e.get(demo, rp.path+"?limit=1&exclude_fields=date_stop")))
			if _, ok := ex[0]["date_stop"]; ok || len(ex[0]) != len(its[0])-1 {
				t.Errorf("exclude_fields: %v", ex[0])
			}
			checkError(t, e.get(demo, rp.path+"?include_fields=nope"), 400, "bad request", "include_fields")
			// Unknown and malformed SIDs.
			checkError(t, e.get(demo, rp.path+"/"+strings.Repeat("0", 8)+"-0000-4000-8000-000000000000"), 404, "no item error", nil)
			checkError(t, e.get(demo, rp.path+"/nope"), 404, "no item error", nil)
			// with_related adds the partner.
			rel := items(t, e.mustJSON(200, e.get(demo, rp.path+"?limit=1&with_related=true")))
			if p, ok := rel[0]["partner"].(map[string]any); !ok || p["partner_sid"] != e.s.DemoPartner().PartnerSID {
				t.Errorf("with_related: %v", rel[0]["partner"])
			}
		})
	}
	// Auth is required.
	checkError(t, e.get("", "/core/v2/calls/call_drs"), 401, "authentication error", nil)
}

// walk follows pagination links from path in direction key ("next" or
// "previous"), returning every item's SID and date_stop.
func walk(t *testing.T, e *testEnv, a auth, path, key, sidField string) (sids, stops []string, pages int) {
	t.Helper()
	u := e.srv.URL + path
	for u != "" {
		if pages++; pages > 500 {
			t.Fatal("too many pages")
		}
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		m := e.mustJSON(200, e.get(a, pu.RequestURI()))
		checkEnvelope(t, m, true)
		its := items(t, m)
		if key == "previous" {
			for i := len(its) - 1; i >= 0; i-- {
				sids, stops = append(sids, str(its[i], sidField)), append(stops, str(its[i], "date_stop"))
			}
		} else {
			for _, it := range its {
				sids, stops = append(sids, str(it, sidField)), append(stops, str(it, "date_stop"))
			}
		}
		p := m["pagination"].(map[string]any)
		next, _ := p[key].(string)
		if (next != "") != (m["has_more"] == true) { // has_more looks in the direction of travel
			t.Errorf("%s link %q with has_more %v (%s)", key, next, m["has_more"], u)
		}
		if next != "" && !strings.HasPrefix(next, e.srv.URL+"/core/v2/") {
			t.Errorf("link %q is not absolute", next)
		}
		u = next
	}
	return sids, stops, pages
}

func TestRecordCursorPaging(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	from, to := "2025-03-01T00:00:00Z", "2025-03-11T00:00:00Z"
	filter := url.QueryEscape("date_stop ge " + from + " and date_stop lt " + to)
	base := "/core/v2/calls/call_drs?filter=" + filter + "&order=date_stop+asc&limit=97"

	// Reference: every record of the range, straight from the store.
	p := e.s.records().byPartner[e.s.DemoPartner().PartnerSID]
	lo, hi := mustTS(t, "2025-03-01T00:00:00.000Z").UnixMilli(), mustTS(t, "2025-03-11T00:00:00.000Z").UnixMilli()
	var want []string
	for i := range p.cdrs {
		if s := p.cdrs[i].stop; s >= lo && s < hi {
			want = append(want, sidString(p.keys[recCDR], i))
		}
	}
	if len(want) < 300 {
		t.Fatalf("only %d records in the range", len(want))
	}

	// Offset paging (cdr-download: first page, then pagination.next).
	sids, stops, pages := walk(t, e, demo, base, "next", "dr_sid")
	checkWalk(t, "offset", sids, stops, want, from, to)
	if pages != (len(want)+96)/97 {
		t.Errorf("%d pages for %d records", pages, len(want))
	}

	// Cursor paging (cdr-apps: limit=1 first, then after=<last>).
	first := items(t, e.mustJSON(200, e.get(demo, base+"&limit=1")))
	sid0 := str(first[0], "dr_sid")
	sids, stops, _ = walk(t, e, demo, "/core/v2/calls/call_drs?filter="+filter+"&order=date_stop+asc&limit=50&after="+sid0, "next", "dr_sid")
	checkWalk(t, "after", append([]string{sid0}, sids...), append([]string{str(first[0], "date_stop")}, stops...), want, from, to)

	// A page after a cursor: previous link shape (§9 ex. 12) and next.
	m := e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?after="+want[5]+"&limit=1&filter="+filter))
	its := items(t, m)
	if str(its[0], "dr_sid") != want[6] || m["offset"] != float64(0) || m["has_more"] != true {
		t.Fatalf("after want[5]: %v", m)
	}
	pg := m["pagination"].(map[string]any)
	if prev := str(pg, "previous"); !strings.Contains(prev, "before="+want[6]) || !strings.Contains(prev, "limit=1") ||
		!strings.Contains(prev, "offset=0") || !strings.Contains(prev, "filter=") {
		t.Errorf("previous = %q", prev)
	}
	if next := str(pg, "next"); !strings.Contains(next, "after="+want[6]) || !strings.Contains(next, "filter=") {
		t.Errorf("next = %q", next)
	}

	// Backwards from the end with before/previous.
	last := want[len(want)-1]
	sids, stops, _ = walk(t, e, demo, "/core/v2/calls/call_drs?filter="+filter+"&limit=41&before="+last, "previous", "dr_sid")
	for i, j := 0, len(sids)-1; i < j; i, j = i+1, j-1 {
		sids[i], sids[j], stops[i], stops[j] = sids[j], sids[i], stops[j], stops[i]
	}
	checkWalk(t, "before", append(sids, last), stops, want, from, to)

	// Descending order, offset paging.
	sids, _, _ = walk(t, e, demo, "/core/v2/calls/call_drs?filter="+filter+"&order=date_stop+desc&limit=200", "next", "dr_sid")
	for i := range sids {
		if i >= len(want) || sids[i] != want[len(want)-1-i] {
			t.Fatalf("desc walk differs at %d", i)
		}
	}
	if len(sids) != len(want) {
		t.Errorf("desc walk: %d records, want %d", len(sids), len(want))
	}
	// Descending with after: the records before the cursor in time.
	d := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?order=date_stop+desc&limit=3&filter="+filter+"&after="+want[10])))
	if len(d) != 3 || str(d[0], "dr_sid") != want[9] || str(d[2], "dr_sid") != want[7] {
		t.Errorf("desc after: %v", d)
	}
	// The first page has no previous link, the last no next.
	m = e.mustJSON(200, e.get(demo, base))
	if _, ok := m["pagination"].(map[string]any)["previous"]; ok {
		t.Errorf("first page has a previous link")
	}
	m = e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?filter="+filter+"&after="+want[len(want)-2]))
	if m["has_more"] != false || m["count"] != float64(1) {
		t.Errorf("last page: %v", m)
	}
	if _, ok := m["pagination"].(map[string]any)["next"]; ok {
		t.Errorf("last page has a next link")
	}

	// Errors.
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?after=nope"), 400, "bad request", "after")
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?after="+want[0]+"&before="+want[1]), 400, "bad request", "after")
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?after="+want[0]+"&offset=5"), 400, "bad request", "offset")
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?after="+want[0]+"&order=price"), 400, "bad request", "order")
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?limit=1001"), 400, "bad request", "limit")
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?order=shuffle"), 400, "bad request", "order")
	checkError(t, e.get(demo, "/core/v2/calls/call_drs?order=nope"), 400, "bad request", "order")
}

func checkWalk(t *testing.T, name string, sids, stops, want []string, from, to string) {
	t.Helper()
	seen := map[string]bool{}
	for i, s := range sids {
		if seen[s] {
			t.Fatalf("%s: duplicate %s", name, s)
		}
		seen[s] = true
		if i < len(stops) {
			if st := stops[i]; st < from[:19] || st >= to[:19] {
				t.Errorf("%s: date_stop %s outside [%s, %s)", name, st, from, to)
			}
			if i > 0 && stops[i] < stops[i-1] {
				t.Errorf("%s: out of order at %d", name, i)
			}
		}
	}
	if len(sids) != len(want) {
		t.Fatalf("%s: %d records, want %d", name, len(sids), len(want))
	}
	for i := range want {
		if sids[i] != want[i] {
			t.Fatalf("%s: record %d is %s, want %s (gap or reorder)", name, i, sids[i], want[i])
		}
	}
}

// allItems lists every item of path (+ query) by following next links.
func allItems(t *testing.T, e *testEnv, a auth, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	u := path
	for u != "" {
		m := e.mustJSON(200, e.get(a, u))
		out = append(out, items(t, m)...)
		next, _ := m["pagination"].(map[string]any)["next"].(string)
		if next == "" {
			break
		}
		pu, err := url.Parse(next)
		if err != nil {
			t.Fatal(err)
		}
		u = pu.RequestURI()
	}
	return out
}

func TestRecordFilters(t *testing.T) {
	e := newEnv(t, Config{Seed: 11, AvailableDIDs: 300, RentedDIDs: 30, Now: fixedNow, CDRs: 2500,
		MessageDRs: 1500, ConferenceMeetings: 200, MediatorCalls: 400})
	demo := basicAuth(e.s.DemoPartner())
	list := func(filter string) []map[string]any {
		t.Helper()
		return allItems(t, e, demo, "/core/v2/calls/call_drs?limit=1000&filter="+url.QueryEscape(filter))
	}
	all := list("")
	if len(all) != 2500 {
		t.Fatalf("%d CDRs, want 2500", len(all))
	}
	count := func(pred func(map[string]any) bool) int {
		n := 0
		for _, it := range all {
			if pred(it) {
				n++
			}
		}
		return n
	}
	tg := ""
	for _, it := range all {
		if s := str(it, "trunk_group_sid_dst"); s != "" {
			tg = s
			break
		}
	}
	cases := []struct {
		filter string
		pred   func(map[string]any) bool
	}{
		{"direction eq inbound", func(m map[string]any) bool { return m["direction"] == "inbound" }},
		{"direction eq outbound and sipcause eq 200", func(m map[string]any) bool {
			return m["direction"] == "outbound" && m["sipcause"] == "200"
		}},
		{"sipcause ne 200", func(m map[string]any) bool { return m["sipcause"] != "200" }},
		{"sipcause in (486, 487)", func(m map[string]any) bool { return m["sipcause"] == "486" || m["sipcause"] == "487" }},
		{`number_src like "+%"`, func(m map[string]any) bool { return strings.HasPrefix(str(m, "number_src"), "+") }},
		{"trunk_group_sid_dst eq " + tg, func(m map[string]any) bool { return m["trunk_group_sid_dst"] == tg }},
		{"trunk_group_sid_src eq null", func(m map[string]any) bool { return m["trunk_group_sid_src"] == nil }},
		{"endpoint_sid_src eq " + systemGatewaySID, func(m map[string]any) bool { return m["endpoint_sid_src"] == systemGatewaySID }},
		{"price gt 0.01", func(m map[string]any) bool { return rat(t, str(m, "price")).Cmp(big.NewRat(1, 100)) > 0 }},
		{"price eq 0.0025", func(m map[string]any) bool { return str(m, "price") == "0.0025" }},
		{"duration ge 60.5", func(m map[string]any) bool { return rat(t, str(m, "duration")).Cmp(big.NewRat(121, 2)) >= 0 }},
		{"duration_billing le 6", func(m map[string]any) bool { return rat(t, str(m, "duration_billing")).Cmp(big.NewRat(6, 1)) <= 0 }},
		{"date_start ge 2025-04-01 and date_start lt 2025-04-02T12:00:00Z", func(m map[string]any) bool {
			s := str(m, "date_start")
			return s >= "2025-04-01T00:00:00.000Z" && s < "2025-04-02T12:00:00.000Z"
		}},
		{"date_stop gt 2025-05-01T10:00:00.5Z and date_stop le 2025-05-03", func(m map[string]any) bool {
			s := str(m, "date_stop")
			return s > "2025-05-01T10:00:00.500Z" && s <= "2025-05-03T00:00:00.000Z"
		}},
		{"date_talk eq null", func(m map[string]any) bool { return m["date_talk"] == nil }},
		{"transcoded eq true", func(m map[string]any) bool { return m["transcoded"] == true }},
		{"number_dst like '1212%'", func(m map[string]any) bool { return strings.HasPrefix(str(m, "number_dst"), "1212") }},
	}
	for _, tc := range cases {
		got := list(tc.filter)
		want := count(tc.pred)
		if len(got) != want {
			t.Errorf("%s: %d records, want %d", tc.filter, len(got), want)
		}
		for _, it := range got {
			if !tc.pred(it) {
				t.Errorf("%s: %v does not match", tc.filter, it["dr_sid"])
				break
			}
		}
		if want == 0 && !strings.Contains(tc.filter, "1212") {
			t.Errorf("%s: no records match, the case tests nothing", tc.filter)
		}
	}
	// Ordering by another field (offset paging).
	byPrice := items(t, e.mustJSON(200, e.get(demo, "/core/v2/calls/call_drs?order=price+desc&limit=50")))
	for i := 1; i < len(byPrice); i++ {
		if rat(t, str(byPrice[i], "price")).Cmp(rat(t, str(byPrice[i-1], "price"))) > 0 {
			t.Fatalf("order=price desc broken at %d", i)
		}
	}
	// Filter errors.
	for _, f := range []string{"nope eq 1", "price eq abc", "date_stop ge yesterday", "direction eq inbound or direction eq outbound",
		"media_urls eq x", "price like 1%", "transcoded gt true", "price gt null"} {
		checkError(t, e.get(demo, "/core/v2/calls/call_drs?filter="+url.QueryEscape(f)), 400, "bad request", "filter")
	}
	// Message DRs and conference calls filter the same way.
	in := allItems(t, e, demo, "/core/v2/sms/message_drs?limit=1000&filter="+url.QueryEscape("type eq mms and direction eq inbound"))
	if len(in) == 0 {
		t.Fatal("no inbound MMS")
	}
	for _, m := range in {
		if m["type"] != "mms" || m["direction"] != "inbound" || len(m["media_urls"].([]any)) != 1 {
			t.Fatalf("inbound mms filter: %v", m)
		}
	}
	hosts := allItems(t, e, demo, "/core/v2/app/conference/calls?limit=1000&filter="+url.QueryEscape("role eq host"))
	meetings := allItems(t, e, demo, "/core/v2/app/conference/meetings?limit=1000")
	if len(hosts) != len(meetings) || len(meetings) != 200 {
		t.Errorf("%d hosts for %d meetings", len(hosts), len(meetings))
	}
}

// TestRecordConsistency checks every CDR against the partner's numbers, trunk
// groups and the billing rules, and the traffic profile.
func TestRecordConsistency(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	dids := map[string]string{} // number -> trunk group
	for _, d := range allItems(t, e, demo, "/core/v2/phonenumber/dids?limit=1000") {
		dids[str(d, "phonenumber")] = str(d, "trunk_group_sid")
	}
	tgs := map[string]bool{}
	for _, g := range allItems(t, e, demo, "/core/v2/trunk_groups?limit=1000") {
		tgs[str(g, "trunk_group_sid")] = true
	}
	all := allItems(t, e, demo, "/core/v2/calls/call_drs?limit=1000")
	causes := map[string]int{}
	var byHour [24]int
	weekday, weekend := 0, 0
	plus := 0
	now := fixedNow()
	for _, r := range all {
		start, stop := mustTS(t, str(r, "date_start")), mustTS(t, str(r, "date_stop"))
		if stop.After(now) || start.Before(now.Add(-recordWindow)) {
			t.Fatalf("record outside the 90 days: %v", r)
		}
		dur := rat(t, str(r, "duration"))
		ms := new(big.Rat).Mul(dur, big.NewRat(1000, 1))
		diff := big.NewRat(stop.Sub(start).Milliseconds(), 1)
		if d := new(big.Rat).Sub(ms, diff); d.Sign() < 0 || d.Cmp(big.NewRat(1, 1)) >= 0 {
			t.Fatalf("duration %s vs stop-start %v", str(r, "duration"), stop.Sub(start))
		}
		if parts := strings.Split(str(r, "duration"), "."); len(parts) == 2 && len(parts[1]) > 5 {
			t.Fatalf("duration %s has more than 5 decimals", str(r, "duration"))
		}
		cause := str(r, "sipcause")
		causes[cause]++
		bill := rat(t, str(r, "duration_billing"))
		price, rate := rat(t, str(r, "price")), rat(t, str(r, "rate"))
		dir := str(r, "direction")
		if cause != "200" {
			if r["date_talk"] != nil || str(r, "duration_billing") != "0" || str(r, "price") != "0" {
				t.Fatalf("unanswered call billed: %v", r)
			}
		} else {
			talk := mustTS(t, str(r, "date_talk"))
			incr := int64(6)
			if dir == "inbound" {
				incr = 60
			}
			secs := (stop.Sub(talk).Milliseconds() + 999) / 1000
			want := (secs + incr - 1) / incr * incr
			if bill.Cmp(big.NewRat(want, 1)) != 0 {
				t.Fatalf("duration_billing %s, want %d (talk %v, %s)", str(r, "duration_billing"), want, stop.Sub(talk), dir)
			}
			wantPrice := new(big.Rat).Mul(rate, new(big.Rat).Quo(bill, big.NewRat(60, 1)))
			if price.Cmp(wantPrice) != 0 {
				t.Fatalf("price %s != rate %s x %s s", str(r, "price"), str(r, "rate"), str(r, "duration_billing"))
			}
		}
		switch dir {
		case "inbound":
			if _, ok := dids[str(r, "number_dst")]; !ok || str(r, "number_billing") != str(r, "number_dst") {
				t.Fatalf("inbound to a number not rented: %v", r)
			}
			if str(r, "trunk_group_sid_dst") != dids[str(r, "number_dst")] || r["trunk_group_sid_src"] != nil {
				t.Fatalf("inbound trunk groups: %v", r)
			}
			if str(r, "endpoint_sid_src") != systemGatewaySID || str(r, "number_external") != strings.TrimPrefix(str(r, "number_src"), "+") {
				t.Fatalf("inbound endpoints/numbers: %v", r)
			}
			if str(r, "rate") != "0.0025" {
				t.Fatalf("inbound rate %v", r["rate"])
			}
		case "outbound":
			src := strings.TrimPrefix(str(r, "number_src"), "+")
			if _, ok := dids[src]; !ok || str(r, "number_billing") != src {
				t.Fatalf("outbound from a number not rented: %v", r)
			}
			if !tgs[str(r, "trunk_group_sid_src")] || r["trunk_group_sid_dst"] != nil || str(r, "endpoint_sid_dst") != systemGatewaySID {
				t.Fatalf("outbound trunk groups/endpoints: %v", r)
			}
			if s := str(r, "rate"); s != "0.005" && s != "0.012" {
				t.Fatalf("outbound rate %v", s)
			}
		default:
			t.Fatalf("direction %q", dir)
		}
		if strings.HasPrefix(str(r, "number_src"), "+") {
			plus++
		}
		local := start.Add(usLocal)
		byHour[local.Hour()]++
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend++
		} else {
			weekday++
		}
	}
	if causes["200"] < len(all)*3/4 || causes["486"] == 0 || causes["487"] == 0 || causes["480"] == 0 || causes["404"] == 0 || causes["503"] == 0 {
		t.Errorf("sipcause mix %v", causes)
	}
	if plus == 0 || plus == len(all) {
		t.Errorf("%d of %d number_src with +", plus, len(all))
	}
	busy, night := byHour[9]+byHour[10]+byHour[11]+byHour[14]+byHour[15], byHour[1]+byHour[2]+byHour[3]+byHour[4]+byHour[5]
	if busy < 8*night {
		t.Errorf("by local hour %v: busy hours not busier than the night", byHour)
	}
	if weekday/5 < 2*weekend/2 {
		t.Errorf("weekday %d vs weekend %d", weekday, weekend)
	}
}

func TestRecordIsolation(t *testing.T) {
	e := recEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	for _, rp := range recordPaths {
		d := items(t, e.mustJSON(200, e.get(demo, rp.path+"?limit=5")))
		o := e.mustJSON(200, e.get(other, rp.path+"?limit=5"))
		oi := items(t, o)
		if len(oi) == 0 {
			t.Fatalf("%s: the other partner has no records", rp.path)
		}
		for _, it := range oi {
			if str(it, "partner_sid") != e.s.OtherPartner().PartnerSID {
				t.Errorf("%s: other sees %v", rp.path, it["partner_sid"])
			}
		}
		sid := str(d[0], rp.sid)
		if rp.bySID {
			checkError(t, e.get(other, rp.path+"/"+sid), 404, "no item error", nil)
		}
		checkError(t, e.get(other, rp.path+"?after="+sid), 400, "bad request", "after")
		e.mustJSON(200, e.get(demo, rp.path+"?after="+sid))
	}
	od := allItems(t, e, other, "/core/v2/calls/call_drs?limit=1000")
	if len(od) != 600 {
		t.Errorf("other has %d CDRs, want 600 (CDRs/10)", len(od))
	}
	odids := map[string]bool{}
	for _, d := range allItems(t, e, other, "/core/v2/phonenumber/dids?limit=1000") {
		odids[str(d, "phonenumber")] = true
	}
	for _, r := range od {
		if !odids[str(r, "number_billing")] {
			t.Fatalf("other's CDR billed to %v", r["number_billing"])
		}
	}
	om := allItems(t, e, other, "/core/v2/sms/message_drs?limit=1000")
	if len(om) != 150 {
		t.Errorf("other has %d message DRs, want 150", len(om))
	}
	// Invoices too.
	di := items(t, e.mustJSON(200, e.get(demo, "/core/v2/invoices")))
	oinv := items(t, e.mustJSON(200, e.get(other, "/core/v2/invoices")))
	if len(di) == 0 || len(oinv) != len(di) {
		t.Fatalf("%d demo and %d other invoices", len(di), len(oinv))
	}
	checkError(t, e.get(other, "/core/v2/invoices/"+str(di[0], "invoice_sid")), 404, "no item error", nil)
	checkError(t, e.get(other, "/core/v2/invoices/"+str(di[0], "invoice_sid")+".pdf"), 404, "no item error", nil)
	if str(oinv[0], "partner_sid") != e.s.OtherPartner().PartnerSID || str(oinv[0], "amount") == str(di[0], "amount") {
		t.Errorf("other's invoice %v", oinv[0])
	}
}

func TestPatchMessageDR(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	it := items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/message_drs?limit=1")))[0]
	path := "/core/v2/sms/message_drs/" + str(it, "dr_sid")
	m := e.mustJSON(200, e.sendJSON(demo, "PATCH", path, map[string]any{"user_data": "ticket <42> \"x\""}))
	if m["user_data"] != "ticket <42> \"x\"" || m["message"] != it["message"] {
		t.Fatalf("patched: %v", m)
	}
	got := e.mustJSON(200, e.get(demo, path))
	if got["user_data"] != m["user_data"] {
		t.Errorf("user_data not kept: %v", got["user_data"])
	}
	f := items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/message_drs?filter="+url.QueryEscape(`user_data eq 'ticket <42> "x"'`))))
	if len(f) != 1 || f[0]["dr_sid"] != it["dr_sid"] {
		t.Errorf("filter on user_data: %v", f)
	}
	// Read-modify-write PUT works; a changed read-only field does not.
	got["user_data"] = "second"
	e.mustJSON(200, e.sendJSON(demo, "PUT", path, got))
	checkError(t, e.sendJSON(demo, "PATCH", path, map[string]any{"price": "1"}), 422, "object validation error", "price")
	checkError(t, e.sendJSON(demo, "PATCH", path, map[string]any{"nope": "1"}), 422, "object validation error", "nope")
	checkError(t, e.sendJSON(demo, "PATCH", path, map[string]any{"user_data": 5}), 422, "object validation error", "user_data")
	checkError(t, e.sendJSON(demo, "PATCH", path, map[string]any{"user_data": strings.Repeat("x", 256)}), 422, "object validation error", "user_data")
	checkError(t, e.do(demo, "PATCH", path, "text/plain", `{}`), 415, "unsupported media type", nil)
	// PUT without user_data resets it.
	m = e.mustJSON(200, e.sendJSON(demo, "PUT", path, map[string]any{}))
	if m["user_data"] != nil {
		t.Errorf("PUT {} kept user_data %v", m["user_data"])
	}
	// Another partner cannot.
	checkError(t, e.sendJSON(basicAuth(e.s.OtherPartner()), "PATCH", path, map[string]any{"user_data": "x"}), 404, "no item error", nil)
	checkError(t, e.sendJSON(demo, "PATCH", "/core/v2/calls/call_drs/"+str(it, "dr_sid"), map[string]any{}), 405, "method not allowed", nil)
}

func TestRecordsDeterministic(t *testing.T) {
	cfg := Config{Seed: 5, AvailableDIDs: 200, RentedDIDs: 15, Now: fixedNow, CDRs: 3000}
	a, b := newEnv(t, cfg), newEnv(t, cfg)
	cfg.Seed = 6
	c := newEnv(t, cfg)
	page := func(e *testEnv, path string) string {
		t.Helper()
		return string(e.get(basicAuth(e.s.DemoPartner()), path).body)
	}
	for _, path := range []string{"/core/v2/calls/call_drs?limit=1000&offset=1000", "/core/v2/sms/message_drs?limit=200",
		"/core/v2/app/conference/calls?limit=100", "/core/v2/app/mediator/calls?limit=100", "/core/v2/invoices"} {
		pa, pb, pc := page(a, path), page(b, path), page(c, path)
		pa = strings.ReplaceAll(pa, a.srv.URL, "")
		pb = strings.ReplaceAll(pb, b.srv.URL, "")
		pc = strings.ReplaceAll(pc, c.srv.URL, "")
		if pa != pb {
			t.Errorf("%s differs for the same seed", path)
		}
		if pa == pc {
			t.Errorf("%s is the same for another seed", path)
		}
	}
	// Data does not depend on what happened before first use.
	d := newEnv(t, Config{Seed: 5, AvailableDIDs: 200, RentedDIDs: 15, Now: fixedNow, CDRs: 3000})
	dids := items(t, d.mustJSON(200, d.get(basicAuth(d.s.DemoPartner()), "/core/v2/phonenumber/dids?limit=1")))
	d.do(basicAuth(d.s.DemoPartner()), "DELETE", "/core/v2/phonenumber/dids/"+str(dids[0], "did_sid"), "", "")
	if strings.ReplaceAll(page(d, "/core/v2/calls/call_drs?limit=1000"), d.srv.URL, "") !=
		strings.ReplaceAll(page(a, "/core/v2/calls/call_drs?limit=1000"), a.srv.URL, "") {
		t.Errorf("records changed after releasing a DID before first use")
	}
}

func TestRecordSIDs(t *testing.T) {
	for _, key := range []uint64{1, 0xdeadbeef, 1 << 63} {
		seen := map[string]bool{}
		for i := 0; i < 5000; i++ {
			s := sidString(key, i)
			if seen[s] || len(s) != 36 || s[14] != '4' || !strings.ContainsAny(s[19:20], "89ab") {
				t.Fatalf("SID %d = %s (dup %v)", i, s, seen[s])
			}
			seen[s] = true
			if j := indexOf(key, s, 5000); j != i {
				t.Fatalf("indexOf(%s) = %d, want %d", s, j, i)
			}
			if j := indexOf(key, strings.ToUpper(s), 5000); j != i {
				t.Fatalf("upper-case SID not found")
			}
			if j := indexOf(key+1, s, 5000); j >= 0 {
				t.Fatalf("SID found with another key")
			}
			if indexOf(key, s, i) >= 0 {
				t.Fatalf("SID %d found among %d records", i, i)
			}
		}
	}
	if indexOf(1, "not-a-sid", 10) >= 0 || indexOf(1, "zzzzzzzz-0000-4000-8000-000000000000", 10) >= 0 {
		t.Fatal("malformed SID found")
	}
}

func TestAppendScaled(t *testing.T) {
	for _, tc := range []struct {
		v     int64
		scale int
		want  string
	}{{425015, 5, "4.25015"}, {2500, 6, "0.0025"}, {0, 6, "0"}, {60, 0, "60"}, {-450000, 6, "-0.45"},
		{12000000, 6, "12"}, {100, 5, "0.001"}} {
		if got := string(appendScaled(nil, tc.v, tc.scale)); got != tc.want {
			t.Errorf("appendScaled(%d, %d) = %s, want %s", tc.v, tc.scale, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		want int64
		ok   bool
	}{{"0.37", 370000, true}, {"-1.5", -1500000, true}, {"+2", 2000000, true}, {"0.0000001", 0, false},
		{"0.1000000", 100000, true}, {"x", 0, false}, {"", 0, false}, {".", 0, false}} {
		if got, ok := parseMicro(tc.s); got != tc.want || ok != tc.ok {
			t.Errorf("parseMicro(%q) = %d, %v", tc.s, got, ok)
		}
	}
	if got := string(appendJSONString(nil, "a\"b\\c\n\x01é\u2028")); got != `"a\"b\\c\n\u0001é\u2028"` {
		t.Errorf("appendJSONString: %s", got)
	}
}

// TestMillionRecords generates 1M + 1M call records (100k + 100k with -short)
// and checks time, memory and order.
func TestMillionRecords(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	s := New(Config{Seed: 1, Now: fixedNow, CDRs: n, OtherCDRs: n})
	var before, after runtimeMem
	before.read()
	start := time.Now()
	st := s.records()
	took := time.Since(start)
	after.read()
	demo, other := st.byPartner[s.DemoPartner().PartnerSID], st.byPartner[s.OtherPartner().PartnerSID]
	if len(demo.cdrs) != n || len(other.cdrs) != n {
		t.Fatalf("%d and %d CDRs, want %d", len(demo.cdrs), len(other.cdrs), n)
	}
	for _, p := range []*partnerRecs{demo, other} {
		if !sort.SliceIsSorted(p.cdrs, func(i, j int) bool { return p.cdrs[i].stop < p.cdrs[j].stop }) {
			t.Fatal("CDRs not sorted by date_stop")
		}
	}
	heap := int64(after.heap) - int64(before.heap)
	t.Logf("%d+%d CDRs (+%d+%d message DRs): generated in %v, heap +%d MB (total %d MB)",
		n, n, len(demo.mdrs), len(other.mdrs), took, heap>>20, after.heap>>20)
	if heap > 600<<20 {
		t.Errorf("records take %d MB", heap>>20)
	}
	if limit := 20 * time.Second; took > limit { // generous: -race is slow
		t.Errorf("generation took %v", took)
	}
	runtime.KeepAlive(st)
}
