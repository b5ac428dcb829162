package sandbox

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	shortDomainsURL = "/core/v2/shortener/domains"
	shortLinksURL   = "/core/v2/shortener/links"
)

func shortKeyList(m map[string]any) string { return strings.Join(slices.Sorted(maps.Keys(m)), ",") }

func TestShortenerShapesMatchTheDocs(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	d := e.mustJSON(200, e.sendJSON(demo, "POST", shortDomainsURL, `{"domain_name":"newdomain.com"}`))
	want := "domain_name,domain_sid,expired_mode,expired_page,expired_status_code,minimum_length,not_found_mode," +
		"not_found_page,not_found_status_code,partner_sid,scope,secure,suffix_pattern"
	if got := shortKeyList(d); got != want {
		t.Fatalf("domain keys %s, want %s", got, want)
	}
	if d["expired_mode"] != "redirect_temporary" || d["minimum_length"] != float64(6) || d["scope"] != "children" ||
		d["secure"] != "disabled" || d["suffix_pattern"] != nil || d["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Fatalf("domain defaults: %v", d)
	}
	dsid := d["domain_sid"].(string)

	// CarrierX's create sample sends maximum_ttl as a string.
	l := e.mustJSON(200, e.sendJSON(demo, "POST", shortLinksURL,
		`{"domain_sid":"`+dsid+`","destination_url":"http://destinationurl.com","maximum_ttl":"-1"}`))
	want = "date_accessed,date_created,destination_url,domain_sid,hits,link_sid,maximum_ttl,mode,partner_sid,short_name,url"
	if got := shortKeyList(l); got != want {
		t.Fatalf("link keys %s, want %s", got, want)
	}
	name, _ := l["short_name"].(string)
	if len(name) != 6 || l["url"] != "http://newdomain.com/"+name || l["maximum_ttl"] != float64(-1) ||
		l["hits"] != float64(0) || l["date_accessed"] != nil || l["date_created"] != formatTS(fixedNow()) {
		t.Fatalf("link: %v", l)
	}

	list := e.mustJSON(200, e.get(demo, shortLinksURL))
	if list["total"] != nil || list["limit"] != float64(1000) || len(items(t, list)) != 1 {
		t.Fatalf("links envelope: %s", compactJSON(t, list))
	}
	list = e.mustJSON(200, e.get(demo, shortDomainsURL))
	if list["total"] != float64(1) || list["limit"] != float64(1000) {
		t.Fatalf("domains envelope: %s", compactJSON(t, list))
	}
	got := e.mustJSON(200, e.get(demo, shortLinksURL+"/"+l["link_sid"].(string)+"?exclude_fields=url,hits"))
	if _, ok := got["url"]; ok || got["short_name"] != name {
		t.Fatalf("field filtering: %v", got)
	}
}

func TestShortenerErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	other := basicAuth(e.s.OtherPartner())
	d := e.mustJSON(200, e.sendJSON(demo, "POST", shortDomainsURL, `{"domain_name":"go.example.com"}`))
	dsid := d["domain_sid"].(string)

	checkError(t, e.sendJSON(demo, "POST", shortDomainsURL, `{}`), 422, "object validation error", "domain_name")
	checkError(t, e.sendJSON(demo, "POST", shortDomainsURL, `{"domain_name":"GO.example.com"}`), 422, "object validation error", "domain_name")
	checkError(t, e.sendJSON(other, "POST", shortDomainsURL, `{"domain_name":"go.example.com"}`), 422, "object validation error", "domain_name")
	checkError(t, e.sendJSON(demo, "PATCH", shortDomainsURL+"/"+dsid, `{"suffix_pattern":"(["}`), 422, "object validation error", "suffix_pattern")
	checkError(t, e.sendJSON(demo, "PATCH", shortDomainsURL+"/"+dsid, `{"partner_sid":"x"}`), 422, "object validation error", "partner_sid")
	checkError(t, e.sendJSON(demo, "PATCH", shortDomainsURL+"/"+dsid, `{"expired_mode":"proxy_pass"}`), 403, "forbidden", "expired_mode")
	checkError(t, e.sendJSON(demo, "PATCH", shortDomainsURL+"/"+dsid, `{"minimum_length":0}`), 422, "object validation error", "minimum_length")
	checkError(t, e.do(demo, "POST", shortDomainsURL, "text/plain", `{"domain_name":"a.example.com"}`), 415, "unsupported media type", nil)
	checkError(t, e.get(other, shortDomainsURL+"/"+dsid), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "PATCH", shortDomainsURL+"/"+dsid, `{"expired_mode":"proxy_pass"}`), 404, "no item error", nil)

	l := e.mustJSON(200, e.sendJSON(demo, "POST", shortLinksURL, `{"domain_sid":"`+dsid+`","destination_url":"https://example.com/a","short_name":"a1"}`))
	lsid := l["link_sid"].(string)
	checkError(t, e.sendJSON(demo, "POST", shortLinksURL, `{"domain_sid":"`+dsid+`"}`), 422, "object validation error", "destination_url")
	checkError(t, e.sendJSON(other, "POST", shortLinksURL, `{"domain_sid":"`+dsid+`","destination_url":"https://example.com/"}`),
		422, "object validation error", "domain_sid")
	checkError(t, e.sendJSON(demo, "POST", shortLinksURL, `{"domain_sid":"`+dsid+`","destination_url":"https://example.com/","short_name":"a b"}`),
		422, "object validation error", "short_name")
	checkError(t, e.sendJSON(demo, "POST", shortLinksURL, `{"domain_sid":"`+dsid+`","destination_url":"https://example.com/","maximum_ttl":"soon"}`),
		422, "object validation error", "maximum_ttl")
	checkError(t, e.sendJSON(demo, "POST", shortLinksURL+"?reuse=maybe", `{}`), 400, "bad request", "reuse")
	checkError(t, e.sendJSON(demo, "PATCH", shortLinksURL+"/"+lsid, `{"short_name":null}`), 422, "object validation error", "short_name")
	checkError(t, e.sendJSON(demo, "PATCH", shortLinksURL+"/"+lsid, `{"hits":5}`), 422, "object validation error", "hits")
	checkError(t, e.sendJSON(demo, "PATCH", shortLinksURL+"/"+lsid, `{"mode":"proxy_pass"}`), 403, "forbidden", "mode")
	checkError(t, e.get(other, shortLinksURL+"/"+lsid), 404, "no item error", nil)
	checkError(t, e.do(other, "DELETE", shortLinksURL+"/"+lsid, "", ""), 404, "no item error", nil)

	got := e.mustJSON(200, e.sendJSON(demo, "PUT", shortLinksURL+"/"+lsid, `{"destination_url":"https://example.com/b"}`))
	if got["short_name"] != "a1" || got["mode"] != "redirect_temporary" || got["maximum_ttl"] != float64(-1) {
		t.Fatalf("PUT keeps the short name and resets the rest: %v", got)
	}
	ref := checkError(t, e.do(demo, "DELETE", shortDomainsURL+"/"+dsid, "", ""), 409, "conflict error", "domain_sid")
	if first := ref["errors"].([]any)[0].(map[string]any); first["reference_sid"] != lsid {
		t.Fatalf("the conflict names the link: %v", first)
	}
}

func TestShortenerChildPartnerUsesParentDomain(t *testing.T) {
	e := smallEnv(t)
	demo := e.s.DemoPartner()
	d := e.mustJSON(200, e.sendJSON(basicAuth(demo), "POST", shortDomainsURL, `{"domain_name":"go.example.com"}`))
	dsid := d["domain_sid"].(string)

	e.s.mu.Lock()
	sub := e.s.addPartner(partnerSeed{login: "shortsub", password: "pw", name: "Sub", balance: "0"})
	o := cloneObject(sub.obj)
	o["parent_sid"] = demo.PartnerSID
	sub.set(o)
	e.s.mu.Unlock()
	subAuth := auth("basic:shortsub:pw")

	l := e.mustJSON(200, e.sendJSON(subAuth, "POST", shortLinksURL, `{"domain_sid":"`+dsid+`","destination_url":"https://example.com/"}`))
	if l["partner_sid"] != sub.sid || !strings.HasPrefix(l["url"].(string), "http://go.example.com/") {
		t.Fatalf("a sub-partner's link on the parent's domain: %v", l)
	}
	checkError(t, e.get(subAuth, shortDomainsURL+"/"+dsid), 404, "no item error", nil)
	checkError(t, e.get(basicAuth(demo), shortLinksURL+"/"+l["link_sid"].(string)), 404, "no item error", nil)
}

func TestShortLinkHandler(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	d := e.mustJSON(200, e.sendJSON(demo, "POST", shortDomainsURL,
		`{"domain_name":"go.example.com","not_found_page":"https://example.com/404","expired_mode":"redirect_permanent"}`))
	dsid := d["domain_sid"].(string)
	perm := e.mustJSON(200, e.sendJSON(demo, "POST", shortLinksURL,
		`{"domain_sid":"`+dsid+`","destination_url":"https://example.com/p","short_name":"p","mode":"redirect_permanent"}`))
	short := e.mustJSON(200, e.sendJSON(demo, "POST", shortLinksURL,
		`{"domain_sid":"`+dsid+`","destination_url":"https://example.com/t","short_name":"t","maximum_ttl":60}`))

	srv := httptest.NewServer(e.s.ShortLinkHandler())
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	hit := func(method, host, path string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Location")
	}
	if code, loc := hit("GET", "go.example.com", "/p"); code != 301 || loc != "https://example.com/p" {
		t.Fatalf("permanent link: %d %q", code, loc)
	}
	if code, loc := hit("GET", "go.example.com:80", "/t"); code != 302 || loc != "https://example.com/t" {
		t.Fatalf("temporary link: %d %q", code, loc)
	}
	if code, loc := hit("GET", "go.example.com", "/nope"); code != 302 || loc != "https://example.com/404" {
		t.Fatalf("unknown short name: %d %q", code, loc)
	}
	if code, _ := hit("GET", "elsewhere.example.com", "/p"); code != 404 {
		t.Fatalf("unknown domain: %d", code)
	}
	if code, _ := hit("POST", "go.example.com", "/p"); code != 405 {
		t.Fatalf("POST: %d", code)
	}
	if code, _ := hit("HEAD", "go.example.com", "/p"); code != 301 {
		t.Fatalf("HEAD: %d", code)
	}
	got := e.mustJSON(200, e.get(demo, shortLinksURL+"/"+perm["link_sid"].(string)))
	if got["hits"] != float64(1) || got["date_accessed"] != formatTS(fixedNow()) {
		t.Fatalf("one GET is one hit (HEAD is not counted): %v", got)
	}

	// Age the 60-second link past its lifetime.
	e.s.mu.Lock()
	r := e.s.table(shortLinksTable).get(short["link_sid"].(string))
	o := cloneObject(r.obj)
	o["date_created"] = formatTS(fixedNow().Add(-time.Minute))
	r.set(o)
	e.s.mu.Unlock()
	if code, _ := hit("GET", "go.example.com", "/t"); code != 404 {
		t.Fatalf("an expired link without expired_page: %d", code)
	}
	e.mustJSON(200, e.sendJSON(demo, "PATCH", shortDomainsURL+"/"+dsid, `{"expired_page":"https://example.com/gone"}`))
	if code, loc := hit("GET", "go.example.com", "/t"); code != 301 || loc != "https://example.com/gone" {
		t.Fatalf("an expired link: %d %q", code, loc)
	}
	got = e.mustJSON(200, e.get(demo, shortLinksURL+"/"+short["link_sid"].(string)))
	if got["hits"] != float64(1) {
		t.Fatalf("hits of the expired link (one before it expired): %v", got)
	}
}

func TestRoutingLocations(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	list := e.mustJSON(200, e.get(demo, "/core/v2/routing/locations"))
	locs := items(t, list)
	if len(locs) != len(routingLocationNames) || list["total"] != float64(len(routingLocationNames)) || list["limit"] != float64(10) {
		t.Fatalf("envelope: %s", compactJSON(t, list))
	}
	for _, l := range locs {
		if shortKeyList(l) != "location_sid,name" {
			t.Fatalf("location keys: %v", l)
		}
	}
	sid := locs[0]["location_sid"].(string)
	if again := newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: fixedNow}); again.s.table(routingLocationsTable).get(sid) == nil {
		t.Fatalf("the same seed gives the same location SIDs")
	}
	other := e.mustJSON(200, e.get(basicAuth(e.s.OtherPartner()), "/core/v2/routing/locations/"+sid))
	if other["name"] != locs[0]["name"] {
		t.Fatalf("every partner sees the locations: %v", other)
	}
	filtered := e.mustJSON(200, e.get(demo, "/core/v2/routing/locations?filter="+url.QueryEscape(`name eq "Chicago, IL"`)))
	if n := len(items(t, filtered)); n != 1 {
		t.Fatalf("filter by name: %d items", n)
	}
	checkError(t, e.get(demo, "/core/v2/routing/locations/no-such-location"), 404, "no item error", nil)
	if r := e.sendJSON(demo, "POST", "/core/v2/routing/locations", `{}`); r.status != 405 {
		t.Fatalf("locations are read-only: %d", r.status)
	}
}
