package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

// didxRent rents an available number whose capabilities match filter.
func didxRent(e *testEnv, a auth, filter string) map[string]any {
	e.t.Helper()
	return e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids?filter="+url.QueryEscape(filter), `{}`))
}

func TestDIDMessagingEnablement(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())

	// A voice-only DID cannot message: 404 "no item error" (documented).
	voice := didxRent(e, demo, "capabilities eq 4")
	vURL := "/core/v2/phonenumber/" + voice["did_sid"].(string) + "/messaging"
	checkError(t, e.get(demo, vURL), 404, "no item error", nil)
	checkError(t, e.sendJSON(demo, "POST", vURL, `{"enabled":true,"type":"a2p"}`), 404, "no item error", nil)

	did := didxRent(e, demo, "capabilities eq 31")
	sid := did["did_sid"].(string)
	mURL := "/core/v2/phonenumber/" + sid + "/messaging"
	alias := "/core/v2/phonenumber/dids/" + sid + "/messaging"
	m := e.mustJSON(200, e.get(demo, mURL))
	if shortKeyList(m) != "campaign_external_id,campaign_sid,did_sid,enabled,p2p_nnid,status,type" ||
		m["status"] != "disabled" || m["enabled"] != false || m["did_sid"] != sid {
		t.Fatalf("before enablement: %s", compactJSON(t, m))
	}
	checkError(t, e.get(other, mURL), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "POST", mURL, `{"enabled":true}`), 404, "no item error", nil)

	// The docs' sample request.
	const campaign = "fef13cdd-2f65-4ed8-8272-de2a940d0cb5"
	m = e.mustJSON(200, e.sendJSON(demo, "POST", mURL, `{"campaign_sid":"`+campaign+`","enabled":true,"type":"a2p"}`))
	ext, _ := m["campaign_external_id"].(string)
	if m["status"] != "in_progress" || m["enabled"] != true || m["campaign_sid"] != campaign || len(ext) != 7 || ext[0] != 'C' {
		t.Fatalf("enable: %s", compactJSON(t, m))
	}
	got := e.mustJSON(200, e.get(demo, alias))
	if got["status"] != "enabled" || got["campaign_external_id"] != ext || got["type"] != "a2p" {
		t.Fatalf("after enablement: %s", compactJSON(t, got))
	}
	d := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids/"+sid))
	if d["active_capabilities"] != float64(31) || d["campaign_sid"] != campaign {
		t.Fatalf("the DID after enablement: %v %v", d["active_capabilities"], d["campaign_sid"])
	}

	const campaign2 = "0c8a4f4e-6c3b-4f0e-9d7e-1f2a3b4c5d6e"
	for _, c := range []struct{ path, body, field string }{
		{mURL, `{"enabled":true,"campaign_sid":"` + campaign2 + `"}`, "campaign_sid"}, // two-step without force
		{mURL, `{"type":"a2p"}`, "enabled"},
		{mURL + "?force=true", `{"enabled":true,"type":"p2p"}`, "type"},
		{mURL + "?force=true", `{"enabled":true,"p2p_nnid":"123456"}`, "p2p_nnid"},
		{mURL + "?force=true", `{"enabled":true,"campaign_sid":"not-a-sid"}`, "campaign_sid"},
		{mURL, `{"enabled":true,"status":"enabled","did_sid":"x"}`, "did_sid"},
	} {
		checkError(t, e.sendJSON(demo, "POST", c.path, c.body), 422, "object validation error", c.field)
	}
	m = e.mustJSON(200, e.sendJSON(demo, "POST", mURL+"?force=true", `{"enabled":true,"campaign_sid":"`+campaign2+`"}`))
	if m["campaign_sid"] != campaign2 || m["campaign_external_id"] == ext {
		t.Fatalf("forced change: %s", compactJSON(t, m))
	}

	m = e.mustJSON(200, e.sendJSON(demo, "POST", alias, `{"enabled":false}`))
	if m["status"] != "disabled" || m["enabled"] != false {
		t.Fatalf("disable: %s", compactJSON(t, m))
	}
	d = e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids/"+sid))
	if d["active_capabilities"] != float64(4) || d["campaign_sid"] != nil {
		t.Fatalf("the DID after disabling: %v %v", d["active_capabilities"], d["campaign_sid"])
	}
	checkError(t, e.sendJSON(demo, "POST", mURL, `{"enabled":true`), 400, "bad request", nil)
	checkError(t, e.do(demo, "POST", mURL, "text/plain", `{"enabled":true}`), 415, "unsupported media type", nil)
}

func TestDIDEmergency(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	did := didxRent(e, demo, "capabilities bit 4")
	u := "/core/v2/phonenumber/dids/" + did["did_sid"].(string) + "/emergency"

	checkError(t, e.get(demo, u), 404, "no item error", nil)
	checkError(t, e.do(demo, "DELETE", u, "", ""), 404, "no item error", nil)
	loc := `{"address_1":"8104 E Nora Ave","address_2":"","city":"Spokane Valley","country_code":"USA","state":"WA","zip":"99212"}`
	em := e.mustJSON(200, e.sendJSON(demo, "PATCH", u, `{"caller_name":"John Smith","enabled":true,"locations":[`+loc+`]}`))
	if shortKeyList(em) != "caller_name,enabled,locations" || em["caller_name"] != "John Smith" {
		t.Fatalf("emergency: %s", compactJSON(t, em))
	}
	if got := compactJSON(t, em["locations"]); got != `[{"address_1":"8104 E Nora Ave","address_2":"","city":"Spokane Valley","country_code":"USA","state":"WA","zip":"99212"}]` {
		t.Fatalf("locations %s", got)
	}
	// PATCH keeps what it does not name (the docs' update sample).
	em = e.mustJSON(200, e.sendJSON(demo, "PATCH", u, `{"caller_name":"J Smith"}`))
	if em["caller_name"] != "J Smith" || len(em["locations"].([]any)) != 1 || em["enabled"] != true {
		t.Fatalf("patched: %s", compactJSON(t, em))
	}
	if got := e.mustJSON(200, e.get(demo, u)); compactJSON(t, got) != compactJSON(t, em) {
		t.Fatalf("GET %s", compactJSON(t, got))
	}
	checkError(t, e.get(other, u), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "PATCH", u, `{"caller_name":"x"}`), 404, "no item error", nil)

	bad := func(s, old, new string) string { return strings.Replace(s, old, new, 1) }
	for _, c := range []struct{ body, field string }{
		{`{"locations":[` + bad(loc, `"WA"`, `"XX"`) + `]}`, "locations[0].state"},
		{`{"locations":[` + bad(loc, `"99212"`, `"9921"`) + `]}`, "locations[0].zip"},
		{`{"locations":[` + bad(loc, `"USA"`, `"CAN"`) + `]}`, "locations[0].country_code"},
		{`{"locations":[` + bad(loc, `"city":"Spokane Valley",`, ``) + `]}`, "locations[0].city"},
		{`{"locations":[` + bad(loc, `"zip"`, `"postal_code"`) + `]}`, "locations[0].postal_code"},
		{`{"locations":[]}`, "locations"}, // enabled with no location
		{`{"enabled":"yes"}`, "enabled"},
	} {
		checkError(t, e.sendJSON(demo, "PATCH", u, c.body), 422, "object validation error", c.field)
	}
	// PUT replaces the whole object: omitted attributes return to defaults.
	em = e.mustJSON(200, e.sendJSON(demo, "PUT", u, `{"caller_name":"Front desk"}`))
	if em["enabled"] != false || len(em["locations"].([]any)) != 0 || em["caller_name"] != "Front desk" {
		t.Fatalf("PUT: %s", compactJSON(t, em))
	}
	if r := e.do(demo, "DELETE", u, "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	checkError(t, e.get(demo, u), 404, "no item error", nil)

	// A released number's record is gone with it.
	e.mustJSON(200, e.sendJSON(demo, "PATCH", u, `{"caller_name":"x"}`))
	if r := e.do(demo, "DELETE", "/core/v2/phonenumber/dids/"+did["did_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("release: %d", r.status)
	}
	checkError(t, e.get(demo, u), 404, "no item error", nil)
}

func TestDIDLineInformation(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	did := didxRent(e, demo, "capabilities bit 4")
	u := "/core/v2/phonenumber/dids/" + did["did_sid"].(string) + "/line_information"

	checkError(t, e.get(demo, u), 404, "no item error", nil)
	li := e.mustJSON(200, e.sendJSON(demo, "PATCH", u, `{"caller_name":"John Smith","enabled":true}`))
	want := "caller_name,class_of_service,enabled,extended_business_name,extended_first_name,extended_last_name,privacy,screening"
	if shortKeyList(li) != want || li["class_of_service"] != "none" || li["privacy"] != "public" ||
		li["screening"] != "block_third_number_collect" || li["enabled"] != true {
		t.Fatalf("line information: %s", compactJSON(t, li))
	}
	// The docs' sample object, as a PUT.
	sample := `{"caller_name":"John Smith","class_of_service":"business","enabled":true,"extended_business_name":"J Smith Carpenter",
		"extended_first_name":"John","extended_last_name":"Smith","privacy":"public","screening":"allow_all"}`
	li = e.mustJSON(200, e.sendJSON(demo, "PUT", u, sample))
	if li["class_of_service"] != "business" || li["screening"] != "allow_all" || li["extended_business_name"] != "J Smith Carpenter" {
		t.Fatalf("PUT: %s", compactJSON(t, li))
	}
	if got := e.mustJSON(200, e.get(demo, u+"?include_fields=caller_name,privacy")); shortKeyList(got) != "caller_name,privacy" {
		t.Fatalf("field filtering: %v", got)
	}
	for _, c := range []struct{ body, field string }{
		{`{"caller_name":"A very long caller"}`, "caller_name"},
		{`{"class_of_service":"government"}`, "class_of_service"},
		{`{"privacy":"hidden"}`, "privacy"},
		{`{"screening":"block_all"}`, "screening"},
	} {
		checkError(t, e.sendJSON(demo, "PATCH", u, c.body), 422, "object validation error", c.field)
	}
	checkError(t, e.get(other, u), 404, "no item error", nil)
	checkError(t, e.do(other, "DELETE", u, "", ""), 404, "no item error", nil)
	checkError(t, e.get(demo, "/core/v2/phonenumber/dids/00000000-0000-4000-8000-000000000000/line_information"), 404, "no item error", nil)
	if r := e.do(demo, "DELETE", u, "", ""); r.status != 204 {
		t.Fatalf("delete: %d", r.status)
	}
	checkError(t, e.get(demo, u), 404, "no item error", nil)
}
