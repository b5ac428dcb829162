package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

const lookupURL = "/core/v2/lookup"

// firstDID returns a seeded number of the given status (and owner, when
// not "").
func firstDID(t *testing.T, e *testEnv, status, owner string) *record {
	t.Helper()
	for _, r := range e.s.dids.recs {
		if r.status == status && (owner == "" || r.owner == owner) {
			return r
		}
	}
	t.Fatalf("no %s DID", status)
	return nil
}

// TestLookupDIDMatchesTheDocsShape is the docs' basic sample: a number the
// sandbox does not hold answers what the number itself tells.
func TestLookupDIDMatchesTheDocsShape(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	r := e.get(demo, lookupURL+"/dids/15623499000")
	want := `{"country_code":"USA","details":{"carrier":null,"cnam":null,"lrn":null},"e164_format":"+15623499000",` +
		`"in_country_format":"(562) 349-9000","international_format":"+1 562-349-9000","phonenumber":"15623499000","state":"CA"}`
	if r.status != 200 || compactJSON(t, r.json(t)) != want {
		t.Fatalf("got %d %s\nwant %s", r.status, r.body, want)
	}
	// Characters besides digits and "+" are ignored.
	for _, n := range []string{"+15623499000", "+1(562) 349-90-00", "+1 562 349 9000"} {
		m := e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+url.PathEscape(n)))
		if m["phonenumber"] != "15623499000" {
			t.Errorf("%q: %v", n, m)
		}
	}
	// Asking for details of a number the sandbox knows nothing about
	// answers null (unknown), as the docs' sample does for cnam and lrn.
	m := e.mustJSON(200, e.get(demo, lookupURL+"/dids/14353035210?cnam=true&lrn=true&carrier=true&hlr=true"))
	if m["state"] != "UT" || compactJSON(t, m["details"]) != `{"carrier":null,"cnam":null,"lrn":null}` {
		t.Fatalf("14353035210: %v", m)
	}
}

func TestLookupDIDUsesTheSandboxNumbers(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	rented := firstDID(t, e, "assigned", e.s.DemoPartner().PartnerSID)
	num := rented.obj["phonenumber"].(string)
	m := e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+num+"?carrier=true&cnam=true&lrn=true"))
	if m["state"] != rented.obj["state"] || m["in_country_format"] != rented.obj["in_country_format"] ||
		m["international_format"] != rented.obj["international_format"] || m["country_code"] != "USA" {
		t.Fatalf("rented: %v vs %v", m, rented.obj)
	}
	d := m["details"].(map[string]any)
	if compactJSON(t, d["carrier"]) != `{"mcc":null,"mnc":null,"name":"CARRIERX","type":"voip"}` ||
		d["lrn"] != num || compactJSON(t, d["cnam"]) != `{"name":"DEMO TELECOM"}` {
		t.Fatalf("details: %s", compactJSON(t, d))
	}
	// Only what is asked for is filled in.
	m = e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+num+"?lrn=true"))
	if compactJSON(t, m["details"]) != `{"carrier":null,"cnam":null,"lrn":"`+num+`"}` {
		t.Fatalf("lrn only: %v", m["details"])
	}
	// Another partner's number: the CNAM is its name (cut to 15 characters).
	other := firstDID(t, e, "assigned", e.s.OtherPartner().PartnerSID)
	m = e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+other.obj["phonenumber"].(string)+"?cnam=true"))
	if compactJSON(t, m["details"].(map[string]any)["cnam"]) != `{"name":"OTHER NETWORKS"}` {
		t.Fatalf("other's cnam: %v", m["details"])
	}
	// A number nobody rents has no caller name.
	avail := firstDID(t, e, "available", "")
	m = e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+avail.obj["phonenumber"].(string)+"?cnam=true&carrier=true"))
	d = m["details"].(map[string]any)
	if d["cnam"] != nil || d["carrier"] == nil {
		t.Fatalf("available: %v", d)
	}
	// Field filtering.
	m = e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+num+"?include_fields=country_code,state"))
	if len(m) != 2 || m["state"] != rented.obj["state"] {
		t.Fatalf("include_fields: %v", m)
	}
}

func TestLookupDIDCountries(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for num, want := range map[string][3]string{
		"14165550123":   {"CAN", "(416) 555-0123", "+1 416-555-0123"},
		"18762345678":   {"JAM", "(876) 234-5678", "+1 876-234-5678"},
		"17875550000":   {"PRI", "(787) 555-0000", "+1 787-555-0000"},
		"18005551234":   {"USA", "(800) 555-1234", "+1 800-555-1234"},
		"390612345678":  {"ITA", "0612345678", "+39 0612345678"},
		"442079460000":  {"GBR", "2079460000", "+44 2079460000"},
		"441534123456":  {"JEY", "1534123456", "+44 1534123456"},
		"74951234567":   {"RUS", "4951234567", "+7 4951234567"},
		"77012345678":   {"KAZ", "7012345678", "+7 7012345678"},
		"33123456789":   {"FRA", "123456789", "+33 123456789"},
		"8613800138000": {"CHN", "13800138000", "+86 13800138000"},
		"35818123456":   {"ALA", "18123456", "+358 18123456"},
		"2627001234":    {"REU", "7001234", "+262 7001234"},
	} {
		m := e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+num))
		if m["country_code"] != want[0] || m["in_country_format"] != want[1] || m["international_format"] != want[2] {
			t.Errorf("%s: %v", num, m)
		}
		if want[0] != "USA" && m["state"] != nil {
			t.Errorf("%s: state %v", num, m["state"])
		}
	}
	// Every country's dialing prefix leads back to a country using it.
	for _, r := range countryRows {
		num := r.dialingPrefix + strings.Repeat("2", 11-len(r.dialingPrefix))
		a := lookupNumberCountry(num)
		if a == "" || countryByAlpha3[a].dialingPrefix[:1] != r.dialingPrefix[:1] {
			t.Errorf("%s (%s): %q", r.alpha3, r.dialingPrefix, a)
		}
	}
	// The seeded rate centers agree with the area-code table.
	for _, c := range cities {
		for _, npa := range c.npas {
			if lookupUSState[npa] != c.state {
				t.Errorf("area code %s: %q, rate center says %s", npa, lookupUSState[npa], c.state)
			}
		}
	}
}

func TestLookupDIDCountryHint(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for raw, want := range map[string]string{
		"5623499000?country_code=USA":         "15623499000",
		"15623499000?country_code=USA":        "15623499000",
		"02079460000?country_code=GBR":        "442079460000",
		"0612345678?country_code=ITA":         "390612345678",
		"%2B33123456789?country_code=GBR":     "33123456789", // "+": international, the hint is not used
		"4416123456?country_code=GBR&guess=x": "4416123456",  // already starts with 44
	} {
		m := e.mustJSON(200, e.get(demo, lookupURL+"/dids/"+raw))
		if m["phonenumber"] != want {
			t.Errorf("%s: %v, want %s", raw, m["phonenumber"], want)
		}
	}
	checkError(t, e.get(demo, lookupURL+"/dids/5623499000?country_code=US"), 400, "bad request", "country_code")
}

func TestLookupDIDRefusesBadInput(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, n := range []string{"abc", "12345", "1234567890123456", "15623499", "10623499000", "15621499000", "2812345678"} {
		checkError(t, e.get(demo, lookupURL+"/dids/"+n), 400, "bad request", "phonenumber")
	}
	checkError(t, e.get(demo, lookupURL+"/dids/15623499000?cnam=maybe"), 400, "bad request", "cnam")
	checkError(t, e.get(demo, lookupURL+"/dids/15623499000?cnam_ttl=-1"), 400, "bad request", "cnam_ttl")
	checkError(t, e.get(demo, lookupURL+"/dids/15623499000?exclude_fields=carrier"), 400, "bad request", "exclude_fields")
	checkError(t, e.get("", lookupURL+"/dids/15623499000"), 401, "authentication error", nil)
}

func TestLookupIPAddress(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	a := e.get(demo, lookupURL+"/lookup/ip_addresses/193.0.6.139")
	b := e.get(demo, countriesURL+"/ip/193.0.6.139")
	if a.status != 200 || string(a.body) != string(b.body) {
		t.Fatalf("lookup %d %s, country by IP %d %s", a.status, a.body, b.status, b.body)
	}
	if m := a.json(t); m["city"] != "Amsterdam" || m["common_name"] != "Netherlands" {
		t.Fatalf("193.0.6.139: %v", m)
	}
	checkError(t, e.get(demo, lookupURL+"/lookup/ip_addresses/192.168.1.1"), 404, "no item error", "ip_address")
	checkError(t, e.get(demo, lookupURL+"/lookup/ip_addresses/not-an-ip"), 400, "bad request", "ip_address")
}

func TestLookupTollFree(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	cicURL := lookupURL + "/toll_free/18002446227/12092551162/490"
	m := e.mustJSON(200, e.get(demo, cicURL+"?cic=true&resporg=true"))
	cic, _ := m["cic"].(string)
	ro, _ := m["resporg"].(string)
	if len(m) != 2 || !contains(lookupCICs, cic) || !contains(lookupRespOrgs, ro) {
		t.Fatalf("cic+resporg: %v", m)
	}
	// Stable, and the RespOrg does not depend on the origin.
	again := e.mustJSON(200, e.get(demo, lookupURL+"/toll_free/8002446227/2092551162/224?resporg=true"))
	if again["resporg"] != ro {
		t.Fatalf("resporg changed with the origin: %v vs %v", again, m)
	}
	// By default the CIC is looked up and the RespOrg is not.
	m = e.mustJSON(200, e.get(demo, cicURL))
	if m["cic"] != cic || m["resporg"] != nil {
		t.Fatalf("defaults: %v", m)
	}
	m = e.mustJSON(200, e.get(demo, cicURL+"?cic=false&resporg=true&exclude_fields=cic"))
	if compactJSON(t, m) != `{"resporg":"`+ro+`"}` {
		t.Fatalf("resporg only: %v", m)
	}
	r := e.mustJSON(200, e.get(demo, lookupURL+"/toll_free/18002446227"))
	if compactJSON(t, r) != `{"resporg":"`+ro+`"}` {
		t.Fatalf("RespOrg lookup: %v", r)
	}
	// A spare number: the lookup succeeds with empty strings.
	m = e.mustJSON(200, e.get(demo, lookupURL+"/toll_free/18885550000/12092551162/490?resporg=true"))
	if m["cic"] != "" || m["resporg"] != "" {
		t.Fatalf("spare: %v", m)
	}
	for path, field := range map[string]string{
		"/toll_free/15623499000/12092551162/490": "tollfree_phonenumber",
		"/toll_free/1800244/12092551162/490":     "tollfree_phonenumber",
		"/toll_free/18002446227/120925/490":      "calling_number",
		"/toll_free/18002446227/12092551162/49":  "lata",
		"/toll_free/18002446227/12092551162/4x0": "lata",
		"/toll_free/15623499000":                 "tollfree_phonenumber",
	} {
		checkError(t, e.get(demo, lookupURL+path), 400, "bad request", field)
	}
	checkError(t, e.get(demo, cicURL+"?resporg=yes"), 400, "bad request", "resporg")
}
