package sandbox

import (
	"net/url"
	"strings"
	"sync"
	"testing"
)

func firstAvailable(t *testing.T, e *testEnv, a auth, filter string) map[string]any {
	t.Helper()
	q := "/core/v2/phonenumber/available_dids?limit=1"
	if filter != "" {
		q += "&filter=" + url.QueryEscape(filter)
	}
	its := items(t, e.mustJSON(200, e.get(a, q)))
	if len(its) == 0 {
		t.Fatalf("no available number for %q", filter)
	}
	return its[0]
}

func TestRentAndRelease(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	a := bearer(e.token(demo))
	av := firstAvailable(t, e, a, "state eq NY")
	num, sid := av["phonenumber"].(string), av["did_sid"].(string)
	avBefore := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/available_dids?limit=1000"))
	total := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids"))["total"].(float64)

	d := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids",
		map[string]any{"phonenumber": num, "callback_url": nil, "name": "Main line", "attributes": map[string]any{"x": "y"}}))
	if d["status"] != "assigned" || d["partner_sid"] != demo.PartnerSID || d["phonenumber"] != num ||
		d["did_sid"] != sid || d["name"] != "Main line" || d["attributes"].(map[string]any)["x"] != "y" {
		t.Fatalf("rented DID: %v", d)
	}
	// Left the inventory, joined the partner's list.
	checkError(t, e.get(a, "/core/v2/phonenumber/available_dids/"+sid), 404, "no item error", nil)
	avAfter := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/available_dids?limit=1000"))
	if avAfter["count"].(float64) != avBefore["count"].(float64)-1 {
		t.Errorf("available %v -> %v", avBefore["count"], avAfter["count"])
	}
	for _, it := range items(t, avAfter) {
		if it["did_sid"] == sid {
			t.Fatalf("rented number still available")
		}
	}
	got := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids/"+sid))
	if got["status"] != "assigned" || got["name"] != "Main line" {
		t.Errorf("GET rented: %v", got)
	}
	list := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids?limit=1&filter=phonenumber+eq+"+num))
	if list["total"] != float64(1) || items(t, list)[0]["did_sid"] != sid {
		t.Errorf("list by phonenumber: %v", list)
	}
	if n := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids"))["total"].(float64); n != total+1 {
		t.Errorf("total %v -> %v", total, n)
	}

	// Renting it again (anyone) fails.
	checkError(t, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": num}), 422, "object validation error", "phonenumber")
	checkError(t, e.sendJSON(basicAuth(e.s.OtherPartner()), "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": num}), 422, "object validation error", "phonenumber")

	// Release: 204, empty body, gone, aging, not rentable.
	r := e.do(a, "DELETE", "/core/v2/phonenumber/dids/"+sid, "", "")
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("release: %d %q", r.status, r.body)
	}
	checkError(t, e.get(a, "/core/v2/phonenumber/dids/"+sid), 404, "no item error", nil)
	checkError(t, e.get(a, "/core/v2/phonenumber/available_dids/"+sid), 404, "no item error", nil)
	checkError(t, e.do(a, "DELETE", "/core/v2/phonenumber/dids/"+sid, "", ""), 404, "no item error", nil)
	checkError(t, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": num}), 422, "object validation error", "phonenumber")
	e.s.mu.RLock()
	status := e.s.didByNumber[num].obj["status"]
	e.s.mu.RUnlock()
	if status != "aging" {
		t.Errorf("released number is %v, want aging", status)
	}
	if n := e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids"))["total"].(float64); n != total {
		t.Errorf("total after release %v, want %v", n, total)
	}

	// Unknown numbers are not available either; + prefix is tolerated.
	checkError(t, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": "19999999999"}), 422, "object validation error", "phonenumber")
	av = firstAvailable(t, e, a, "")
	d = e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": "+" + av["phonenumber"].(string)}))
	if d["did_sid"] != av["did_sid"] {
		t.Errorf("rent with +: %v", d)
	}
}

func TestRentAny(t *testing.T) {
	e := smallEnv(t)
	a := basicAuth(e.s.DemoPartner())
	av := firstAvailable(t, e, a, "")
	d := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{}))
	if d["did_sid"] != av["did_sid"] || d["status"] != "assigned" {
		t.Errorf("rent any took %v, first available was %v", d["phonenumber"], av["phonenumber"])
	}
	// A filter on the POST restricts the pick.
	d = e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids?filter="+url.QueryEscape("capabilities eq 31 and state eq CA"), map[string]any{}))
	if d["state"] != "CA" || d["capabilities"] != float64(31) {
		t.Errorf("filtered rent: %v", d)
	}
	checkError(t, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids?filter=state+eq+ZZ", map[string]any{}), 422, "object validation error", "phonenumber")
	// Echoing the inventory object back as the body is accepted.
	av = firstAvailable(t, e, a, "")
	d = e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", av))
	if d["did_sid"] != av["did_sid"] {
		t.Errorf("echo rent: %v", d)
	}
}

func TestRentValidation(t *testing.T) {
	e := smallEnv(t)
	a := basicAuth(e.s.DemoPartner())
	otherTG := items(t, e.mustJSON(200, e.get(basicAuth(e.s.OtherPartner()), "/core/v2/trunk_groups")))[0]["trunk_group_sid"]
	const p = "/core/v2/phonenumber/dids"
	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"trunk_group_sid": "nope"}, "trunk_group_sid"},
		{map[string]any{"trunk_group_sid": otherTG}, "trunk_group_sid"},
		{map[string]any{"callback_url": "ftp://x"}, "callback_url"},
		{map[string]any{"callback_url": "not a url"}, "callback_url"},
		{map[string]any{"name": strings.Repeat("x", 256)}, "name"},
		{map[string]any{"name": 5}, "name"},
		{map[string]any{"name": nil}, "name"},
		{map[string]any{"attributes": "x"}, "attributes"},
		{map[string]any{"transformations": map[string]any{}}, "transformations"},
		{map[string]any{"status": "assigned"}, "status"},
		{map[string]any{"price": "0.01"}, "price"},
		{map[string]any{"did_sid": "mine"}, "did_sid"},
		{map[string]any{"bogus": 1}, "bogus"},
		{map[string]any{"phonenumber": 15162065573}, "phonenumber"},
		{map[string]any{"did_group_sid": "x"}, "did_group_sid"},
	} {
		checkError(t, e.sendJSON(a, "POST", p, tc.body), 422, "object validation error", tc.field)
	}
	// Nothing was rented by the failures.
	if n := e.mustJSON(200, e.get(a, p))["total"]; n != float64(20) {
		t.Errorf("total %v after failed rents", n)
	}
	// Several problems are all reported.
	m := checkError(t, e.sendJSON(a, "POST", p, map[string]any{"name": 1, "callback_url": "x"}), 422, "object validation error", "callback_url")
	if n := len(m["errors"].([]any)); n != 2 {
		t.Errorf("%d errors, want 2", n)
	}
	// Body rules (§1.4).
	checkError(t, e.do(a, "POST", p, "", "{}"), 415, "unsupported media type", nil)
	checkError(t, e.do(a, "POST", p, "text/plain", "{}"), 415, "unsupported media type", nil)
	checkError(t, e.do(a, "POST", p, "application/x-www-form-urlencoded", "phonenumber=1"), 415, "unsupported media type", nil)
	m = checkError(t, e.do(a, "POST", p, "application/json", "{nope"), 400, "bad request", nil)
	if m["errors"].([]any)[0].(map[string]any)["message"] != "no json object could be decoded" {
		t.Errorf("400 message: %v", m)
	}
	checkError(t, e.do(a, "POST", p, "application/json", ""), 400, "bad request", nil)
	checkError(t, e.do(a, "POST", p, "application/json", "[]"), 400, "bad request", nil)
	checkError(t, e.do(a, "POST", p, "application/json", "{} {}"), 400, "bad request", nil)
	e.mustJSON(200, e.do(a, "POST", p, "application/json; charset=utf-8", "{}"))
}

func TestConcurrentRent(t *testing.T) {
	e := smallEnv(t)
	a := bearer(e.token(e.s.DemoPartner()))
	b := bearer(e.token(e.s.OtherPartner()))
	for round := 0; round < 5; round++ {
		num := firstAvailable(t, e, a, "")["phonenumber"].(string)
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				who := a
				if i%2 == 1 {
					who = b
				}
				codes[i] = e.sendJSON(who, "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": num}).status
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			switch {
			case c == 200:
				ok++
			case c < 400 || c >= 500:
				t.Errorf("unexpected status %d", c)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d successful rents of one number (%v)", round, ok, codes)
		}
	}
}

func TestPatchAndPut(t *testing.T) {
	e := smallEnv(t)
	a := basicAuth(e.s.DemoPartner())
	tgs := items(t, e.mustJSON(200, e.get(a, "/core/v2/trunk_groups")))
	tg := tgs[1]["trunk_group_sid"].(string)
	d := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{
		"name": "Sales", "string_key_1": "k1", "callback_url": "https://hooks.example.test/sms",
		"attributes": map[string]any{"a": "1", "b": "2"}}))
	sid := d["did_sid"].(string)
	path := "/core/v2/phonenumber/dids/" + sid

	// PATCH changes only what is sent; nested objects are replaced wholesale.
	p := e.mustJSON(200, e.sendJSON(a, "PATCH", path, map[string]any{"attributes": map[string]any{"name": "main line"}, "trunk_group_sid": tg}))
	if p["name"] != "Sales" || p["string_key_1"] != "k1" || p["callback_url"] != "https://hooks.example.test/sms" || p["trunk_group_sid"] != tg {
		t.Errorf("PATCH touched other fields: %v", p)
	}
	if attrs := p["attributes"].(map[string]any); len(attrs) != 1 || attrs["name"] != "main line" {
		t.Errorf("attributes after PATCH: %v", attrs)
	}
	if g := e.mustJSON(200, e.get(a, path)); compactJSON(t, g) != compactJSON(t, p) {
		t.Errorf("GET after PATCH differs:\n%v\n%v", g, p)
	}
	// The trunk_group_sid filter of the list.
	its := items(t, e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids?limit=1000&trunk_group_sid="+tg)))
	found := false
	for _, it := range its {
		if it["trunk_group_sid"] != tg {
			t.Fatalf("trunk_group_sid query let through %v", it["trunk_group_sid"])
		}
		found = found || it["did_sid"] == sid
	}
	if !found {
		t.Errorf("patched DID not listed under its trunk group")
	}

	// PUT replaces: omitted writable fields go back to their defaults.
	u := e.mustJSON(200, e.sendJSON(a, "PUT", path, map[string]any{"name": "Support"}))
	if u["name"] != "Support" || u["string_key_1"] != nil || u["callback_url"] != nil || u["trunk_group_sid"] != nil ||
		len(u["attributes"].(map[string]any)) != 0 || u["phonenumber"] != d["phonenumber"] || u["status"] != "assigned" {
		t.Errorf("PUT did not replace: %v", u)
	}
	// A full read-modify-write PUT (read-only fields echoed unchanged) works.
	u["string_key_2"] = "rmw"
	w := e.mustJSON(200, e.sendJSON(a, "PUT", path, u))
	if w["string_key_2"] != "rmw" || w["name"] != "Support" {
		t.Errorf("read-modify-write PUT: %v", w)
	}
	// Read-only and create-only fields cannot change.
	checkError(t, e.sendJSON(a, "PATCH", path, map[string]any{"phonenumber": "15550000000"}), 422, "object validation error", "phonenumber")
	checkError(t, e.sendJSON(a, "PATCH", path, map[string]any{"capabilities": 0}), 422, "object validation error", "capabilities")
	checkError(t, e.sendJSON(a, "PUT", path, map[string]any{"status": "available"}), 422, "object validation error", "status")
	checkError(t, e.sendJSON(a, "PATCH", path, map[string]any{"trunk_group_sid": "nope"}), 422, "object validation error", "trunk_group_sid")
	checkError(t, e.do(a, "PATCH", path, "text/plain", `{"name":"x"}`), 415, "unsupported media type", nil)
	checkError(t, e.do(a, "PATCH", path, "application/json", `{"name":`), 400, "bad request", nil)
	// Failed writes changed nothing.
	if g := e.mustJSON(200, e.get(a, path)); compactJSON(t, g) != compactJSON(t, w) {
		t.Errorf("failed writes changed the DID")
	}
}

func TestPartnerIsolation(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	mine := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids?limit=1000")))
	theirs := items(t, e.mustJSON(200, e.get(other, "/core/v2/phonenumber/dids?limit=1000")))
	if len(mine) != 20 || len(theirs) != 10 {
		t.Fatalf("demo has %d DIDs, other %d", len(mine), len(theirs))
	}
	for _, d := range theirs {
		if d["partner_sid"] != e.s.OtherPartner().PartnerSID {
			t.Fatalf("other sees %v", d["partner_sid"])
		}
	}
	sid := mine[0]["did_sid"].(string)
	path := "/core/v2/phonenumber/dids/" + sid
	checkError(t, e.get(other, path), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "PATCH", path, map[string]any{"name": "mine now"}), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "PUT", path, map[string]any{"name": "mine now"}), 404, "no item error", nil)
	checkError(t, e.do(other, "DELETE", path, "", ""), 404, "no item error", nil)
	if g := e.mustJSON(200, e.get(demo, path)); g["name"] != mine[0]["name"] || g["status"] != "assigned" {
		t.Errorf("demo's DID changed: %v", g)
	}
	// Trunk groups too.
	tg := items(t, e.mustJSON(200, e.get(demo, "/core/v2/trunk_groups")))[0]["trunk_group_sid"].(string)
	checkError(t, e.get(other, "/core/v2/trunk_groups/"+tg), 404, "no item error", nil)
	checkError(t, e.get(other, "/core/v2/trunk_groups/"+tg+"/trunks"), 404, "no item error", nil)
	checkError(t, e.do(other, "DELETE", "/core/v2/trunk_groups/"+tg, "", ""), 404, "no item error", nil)
	for _, g := range items(t, e.mustJSON(200, e.get(other, "/core/v2/trunk_groups?with_trunks=true"))) {
		if g["partner_sid"] != e.s.OtherPartner().PartnerSID {
			t.Errorf("other sees trunk group %v", g)
		}
	}
	// A filter cannot reach across partners.
	m := e.mustJSON(200, e.get(other, "/core/v2/phonenumber/dids?filter=partner_sid+eq+"+e.s.DemoPartner().PartnerSID))
	if m["total"] != float64(0) {
		t.Errorf("filter on partner_sid leaked %v", m["total"])
	}
}
