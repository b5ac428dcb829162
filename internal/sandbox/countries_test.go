package sandbox

import (
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

const countriesURL = "/core/v2/countries"

// TestCountryMatchesTheDocsSample is §9 example 15:
// GET /countries/ITA?exclude_fields=common_name.
func TestCountryMatchesTheDocsSample(t *testing.T) {
	e := smallEnv(t)
	r := e.get(basicAuth(e.s.DemoPartner()), countriesURL+"/ITA?exclude_fields=common_name")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	want := `{"capital":"Rome","dialing_prefix":"39","domain":"it","iso_3166_alpha_2":"IT","iso_3166_alpha_3":"ITA",` +
		`"iso_3166_numeric":380,"mcc":"222","official_name":"Italian Republic","region":"Europe","subregion":"Southern Europe"}`
	if got := compactJSON(t, r.json(t)); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// TestCountryListMatchesTheDocsSample is the Get Countries sample: limit=1
// answers the United States, and more remain.
func TestCountryListMatchesTheDocsSample(t *testing.T) {
	e := smallEnv(t)
	m := e.mustJSON(200, e.get(basicAuth(e.s.DemoPartner()), countriesURL+"?limit=1"))
	it := items(t, m)
	if len(it) != 1 || m["has_more"] != true || m["total"] != float64(len(countryRows)) {
		t.Fatalf("envelope: %s", compactJSON(t, m))
	}
	want := `{"capital":"Washington D.C.","common_name":"United States","dialing_prefix":"1","domain":"us",` +
		`"iso_3166_alpha_2":"US","iso_3166_alpha_3":"USA","iso_3166_numeric":840,"mcc":"310,311,312,313,316",` +
		`"official_name":"United States of America","region":"Americas","subregion":"Northern America"}`
	if got := compactJSON(t, it[0]); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	m = e.mustJSON(200, e.get(basicAuth(e.s.DemoPartner()), countriesURL))
	if m["limit"] != float64(10) || len(items(t, m)) != 10 {
		t.Fatalf("default page: %s", compactJSON(t, m))
	}
}

// TestEveryISOCountryIsServed walks the whole list and checks each
// country's codes and the shape of its attributes.
func TestEveryISOCountryIsServed(t *testing.T) {
	if len(countryRows) != 249 {
		t.Fatalf("%d countries, want the 249 of ISO 3166-1", len(countryRows))
	}
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	seen := map[string]bool{}
	digits := regexp.MustCompile(`^[0-9]{1,4}$`)
	mcc := regexp.MustCompile(`^[0-9]{3}(,[0-9]{3})*$`)
	regions := map[string]bool{"Africa": true, "Americas": true, "Antarctic": true, "Asia": true, "Europe": true, "Oceania": true}
	for offset := 0; ; offset += 100 {
		m := e.mustJSON(200, e.get(demo, countriesURL+"?limit=100&offset="+strconv.Itoa(offset)))
		for _, c := range items(t, m) {
			a3, _ := c["iso_3166_alpha_3"].(string)
			a2, _ := c["iso_3166_alpha_2"].(string)
			if len(a3) != 3 || len(a2) != 2 || seen[a3] {
				t.Fatalf("bad or repeated codes: %v", c)
			}
			seen[a3] = true
			if p, _ := c["dialing_prefix"].(string); !digits.MatchString(p) {
				t.Errorf("%s: dialing_prefix %v", a3, c["dialing_prefix"])
			}
			if m, ok := c["mcc"].(string); c["mcc"] != nil && (!ok || !mcc.MatchString(m)) {
				t.Errorf("%s: mcc %v", a3, c["mcc"])
			}
			if r, _ := c["region"].(string); !regions[r] {
				t.Errorf("%s: region %v", a3, c["region"])
			}
			if n, _ := c["iso_3166_numeric"].(float64); n <= 0 || n > 999 {
				t.Errorf("%s: iso_3166_numeric %v", a3, c["iso_3166_numeric"])
			}
			for _, k := range []string{"common_name", "official_name", "domain"} {
				if s, _ := c[k].(string); s == "" {
					t.Errorf("%s: empty %s", a3, k)
				}
			}
		}
		if m["has_more"] != true {
			break
		}
	}
	if len(seen) != 249 {
		t.Fatalf("walked %d countries", len(seen))
	}
	// Spot checks of facts that are easy to get wrong.
	for code, want := range map[string][2]string{
		"GBR": {"44", "uk"}, "CAN": {"1", "ca"}, "JAM": {"1876", "jm"}, "KAZ": {"7", "kz"}, "DEU": {"49", "de"},
	} {
		c := e.mustJSON(200, e.get(demo, countriesURL+"/"+code))
		if c["dialing_prefix"] != want[0] || c["domain"] != want[1] {
			t.Errorf("%s: %v", code, c)
		}
	}
	aq := e.mustJSON(200, e.get(demo, countriesURL+"/ATA"))
	if aq["capital"] != nil || aq["mcc"] != nil || aq["subregion"] != nil || aq["region"] != "Antarctic" {
		t.Errorf("Antarctica: %v", aq)
	}
}

func TestCountryListFiltersAndOrders(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	q := url.Values{"filter": {`subregion eq "Northern America"`}, "order": {"common_name desc"}, "limit": {"100"}}
	m := e.mustJSON(200, e.get(demo, countriesURL+"?"+q.Encode()))
	var names []string
	for _, c := range items(t, m) {
		names = append(names, c["common_name"].(string))
	}
	want := []string{"United States", "Saint Pierre and Miquelon", "Greenland", "Canada", "Bermuda"}
	if compactJSON(t, names) != compactJSON(t, want) || m["total"] != float64(5) {
		t.Fatalf("Northern America: %v (total %v)", names, m["total"])
	}
	q = url.Values{"filter": {"dialing_prefix eq 44"}, "include_fields": {"iso_3166_alpha_3"}, "order": {"iso_3166_alpha_3"}}
	m = e.mustJSON(200, e.get(demo, countriesURL+"?"+q.Encode()))
	if got := compactJSON(t, items(t, m)); got != `[{"iso_3166_alpha_3":"GBR"},{"iso_3166_alpha_3":"GGY"},{"iso_3166_alpha_3":"IMN"},{"iso_3166_alpha_3":"JEY"}]` {
		t.Fatalf("+44: %s", got)
	}
	q = url.Values{"filter": {"iso_3166_numeric gt 890"}}
	m = e.mustJSON(200, e.get(demo, countriesURL+"?"+q.Encode()))
	if it := items(t, m); len(it) != 1 || it[0]["iso_3166_alpha_3"] != "ZMB" { // 894, the highest code in use
		t.Fatalf("numeric > 890: %s", compactJSON(t, m))
	}
	checkError(t, e.get(demo, countriesURL+"?filter=capitol+eq+Rome"), 400, "bad request", "filter")
	checkError(t, e.get(demo, countriesURL+"?exclude_fields=flag"), 400, "bad request", "exclude_fields")
	checkError(t, e.get(demo, countriesURL+"?with_related=true"), 400, "bad request", "with_related")
}

func TestCountryByCodeIsAlpha3Only(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, code := range []string{"IT", "ita", "XXX", "380"} {
		checkError(t, e.get(demo, countriesURL+"/"+code), 404, "no item error", nil)
	}
	// Authentication applies as everywhere.
	checkError(t, e.get("", countriesURL+"/ITA"), 401, "authentication error", nil)
	// A bearer token works too.
	m := e.mustJSON(200, e.get(bearer(e.token(e.s.OtherPartner())), countriesURL+"/FRA"))
	if m["common_name"] != "France" || m["capital"] != "Paris" {
		t.Fatalf("France: %v", m)
	}
}

func TestCountryByIP(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	// The docs' sample.
	r := e.get(demo, countriesURL+"/ip/2.6.26.2")
	want := `{"city":"Bordeaux","common_name":"France","iso_3166_alpha_2":"FR","region":"Nouvelle-Aquitaine","state":null}`
	if r.status != 200 || compactJSON(t, r.json(t)) != want {
		t.Fatalf("2.6.26.2: %d %s", r.status, r.body)
	}
	// The longest prefix wins: elsewhere in Orange's block there is no city.
	m := e.mustJSON(200, e.get(demo, countriesURL+"/ip/2.10.1.1"))
	if m["iso_3166_alpha_2"] != "FR" || m["city"] != nil {
		t.Fatalf("2.10.1.1: %v", m)
	}
	m = e.mustJSON(200, e.get(demo, countriesURL+"/ip/8.8.8.8"))
	if m["common_name"] != "United States" || m["state"] != "CA" || m["region"] != "California" {
		t.Fatalf("8.8.8.8: %v", m)
	}
	m = e.mustJSON(200, e.get(demo, countriesURL+"/ip/8.8.8.8?exclude_fields=city,region,state"))
	if compactJSON(t, m) != `{"common_name":"United States","iso_3166_alpha_2":"US"}` {
		t.Fatalf("field filtering: %v", m)
	}
	for _, ip := range []string{"10.1.2.3", "192.168.0.1", "127.0.0.1", "169.254.1.1", "100.64.0.1",
		"192.0.2.10", "198.51.100.7", "203.0.113.9", "224.0.0.1", "0.0.0.0", "255.255.255.255", "9.9.9.9"} {
		checkError(t, e.get(demo, countriesURL+"/ip/"+ip), 404, "no item error", "ip_address")
	}
	for _, ip := range []string{"2001:db8::1", "example.com", "1.2.3", "256.1.1.1"} {
		checkError(t, e.get(demo, countriesURL+"/ip/"+url.PathEscape(ip)), 400, "bad request", "ip_address")
	}
}

// TestCountryDataIsConsistent checks the generated table against itself.
func TestCountryDataIsConsistent(t *testing.T) {
	for _, r := range countryRows {
		if countryByAlpha2[r.alpha2] == nil || countryByAlpha3[r.alpha3] == nil {
			t.Fatalf("%s not indexed", r.alpha3)
		}
		if r.subregion == "" && r.alpha3 != "ATA" {
			t.Errorf("%s has no subregion", r.alpha3)
		}
		if r.capital == "" && !map[string]bool{"ATA": true, "BVT": true, "HMD": true, "HKG": true, "MAC": true, "UMI": true}[r.alpha3] {
			t.Errorf("%s has no capital", r.alpha3)
		}
	}
}
