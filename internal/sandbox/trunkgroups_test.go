package sandbox

import (
	"net/url"
	"sort"
	"strings"
	"testing"
)

// trunkSample is the trunk JSON of §4.5 (also the answer of §9 ex. 17).
const trunkSample = `{"acls":[],"allow_forward":"disabled","allow_transfer":false,"asn_mode":"disable",
 "call_type":"regular","codec":null,"endpoint_sid":null,"in_capacity":0,
 "in_identity_format":"passthrough","in_identity_mode":"passthrough",
 "in_rfc_4694_mode":"cut_all","location_sid":null,"name":"trunk01","out_capacity":0,
 "out_identity_mode":"passthrough","out_rfc_4694_mode":"cut_all","priority":0,
 "relay_sip_headers":[],"transformations":[],
 "trunk_sid":"4c51c85c-5355-4a91-bf1e-f33d731bcfa9","weight":0}`

func TestTrunkGroups(t *testing.T) {
	e := smallEnv(t)
	a := bearer(e.token(e.s.DemoPartner()))
	names := []string{}
	for _, g := range items(t, e.mustJSON(200, e.get(a, "/core/v2/trunk_groups"))) {
		names = append(names, g["name"].(string))
		if _, ok := g["trunks"]; ok {
			t.Errorf("trunks shown without with_trunks")
		}
	}
	if strings.Join(names, ",") != "Primary SBC,Backup SBC,Contact center" {
		t.Errorf("seeded trunk groups: %v", names)
	}
	for _, g := range items(t, e.mustJSON(200, e.get(a, "/core/v2/trunk_groups?with_trunks=true"))) {
		if n := len(g["trunks"].([]any)); n < 1 || n > 2 {
			t.Errorf("%v has %d trunks", g["name"], n)
		}
	}
	checkError(t, e.get(a, "/core/v2/trunk_groups?with_trunks=perhaps"), 400, "bad request", "with_trunks")

	// Create with trunks (§4.5 create sample); defaults as documented.
	g := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/trunk_groups?with_trunks=true", map[string]any{
		"name": "Lab", "trunks": []any{map[string]any{"name": "Trunk1", "endpoint_sid": ""}, map[string]any{"name": "Trunk2", "priority": 1}}}))
	want := map[string]any{"hard_failure_codes": "408;", "hard_failure_cooldown": float64(120), "hard_failure_interval": float64(60),
		"hard_failure_last_resort": "first", "hard_failure_threshold": float64(3), "sip_options_threshold": float64(3),
		"soft_failure_codes": "408;", "routing_type": "failover", "name": "Lab", "partner_sid": e.s.DemoPartner().PartnerSID}
	for k, v := range want {
		if g[k] != v {
			t.Errorf("%s = %v, want %v", k, g[k], v)
		}
	}
	trunks := g["trunks"].([]any)
	if len(trunks) != 2 || trunks[0].(map[string]any)["name"] != "Trunk1" || trunks[0].(map[string]any)["endpoint_sid"] != nil {
		t.Fatalf("trunks: %v", trunks)
	}
	sid := g["trunk_group_sid"].(string)
	path := "/core/v2/trunk_groups/" + sid

	// Filter through trunks (any element), name filter, total.
	m := e.mustJSON(200, e.get(a, "/core/v2/trunk_groups?filter="+url.QueryEscape("trunks.name eq Trunk2")))
	if m["total"] != float64(1) || items(t, m)[0]["trunk_group_sid"] != sid {
		t.Errorf("filter trunks.name: %v", m)
	}
	m = e.mustJSON(200, e.get(a, "/core/v2/trunk_groups?filter="+url.QueryEscape("trunks.allow_transfer eq true")))
	if m["total"] != float64(1) || items(t, m)[0]["name"] != "Contact center" {
		t.Errorf("filter trunks.allow_transfer: %v", m)
	}

	// PATCH / PUT.
	p := e.mustJSON(200, e.sendJSON(a, "PATCH", path, map[string]any{"hard_failure_threshold": 5}))
	if p["hard_failure_threshold"] != float64(5) || p["name"] != "Lab" {
		t.Errorf("PATCH: %v", p)
	}
	u := e.mustJSON(200, e.sendJSON(a, "PUT", path, map[string]any{"name": "Lab 2"}))
	if u["hard_failure_threshold"] != float64(3) || u["name"] != "Lab 2" {
		t.Errorf("PUT: %v", u)
	}
	checkError(t, e.sendJSON(a, "PATCH", path, map[string]any{"hard_failure_last_resort": "explode"}), 422, "object validation error", "hard_failure_last_resort")
	checkError(t, e.sendJSON(a, "PATCH", path, map[string]any{"trunks": []any{}}), 422, "object validation error", "trunks")
	checkError(t, e.sendJSON(a, "POST", "/core/v2/trunk_groups", map[string]any{"trunks": []any{map[string]any{"codec": "mp3"}}}), 422, "object validation error", "trunks[0].codec")
	checkError(t, e.sendJSON(a, "POST", "/core/v2/trunk_groups", map[string]any{"name": strings.Repeat("n", 256)}), 422, "object validation error", "name")

	// Trunks under the group.
	tr := e.mustJSON(200, e.sendJSON(a, "POST", path+"/trunks", map[string]any{"name": "trunk01", "endpoint_sid": nil}))
	if !sameShape(t, decodeExample(t, trunkSample), tr) {
		t.Errorf("trunk shape differs from §4.5 sample: %v", tr)
	}
	tpath := path + "/trunks/" + tr["trunk_sid"].(string)
	tl := e.mustJSON(200, e.get(a, path+"/trunks"))
	checkEnvelope(t, tl, false)
	if tl["total"] != float64(3) || tl["limit"] != float64(1000) {
		t.Errorf("trunks list: %v", tl)
	}
	tp := e.mustJSON(200, e.sendJSON(a, "PATCH", tpath, map[string]any{"allow_transfer": true, "codec": "g722", "in_capacity": -1}))
	if tp["allow_transfer"] != true || tp["codec"] != "g722" || tp["in_capacity"] != float64(-1) || tp["name"] != "trunk01" {
		t.Errorf("trunk PATCH: %v", tp)
	}
	tp = e.mustJSON(200, e.sendJSON(a, "PATCH", tpath, map[string]any{"allow_transfer": "disabled"}))
	if tp["allow_transfer"] != "disabled" {
		t.Errorf("allow_transfer enum form: %v", tp["allow_transfer"])
	}
	checkError(t, e.sendJSON(a, "PATCH", tpath, map[string]any{"in_capacity": -2}), 422, "object validation error", "in_capacity")
	checkError(t, e.sendJSON(a, "PATCH", tpath, map[string]any{"asn_mode": "both"}), 422, "object validation error", "asn_mode")
	checkError(t, e.sendJSON(a, "PATCH", tpath, map[string]any{"trunk_sid": "x"}), 422, "object validation error", "trunk_sid")
	tu := e.mustJSON(200, e.sendJSON(a, "PUT", tpath, map[string]any{"name": "t2"}))
	if tu["allow_transfer"] != false || tu["codec"] != nil || tu["in_capacity"] != float64(0) {
		t.Errorf("trunk PUT: %v", tu)
	}
	// A trunk is only reachable under its own group.
	other := items(t, e.mustJSON(200, e.get(a, "/core/v2/trunk_groups")))[0]["trunk_group_sid"].(string)
	checkError(t, e.get(a, "/core/v2/trunk_groups/"+other+"/trunks/"+tr["trunk_sid"].(string)), 404, "no item error", nil)
	if r := e.do(a, "DELETE", tpath, "", ""); r.status != 204 || len(r.body) != 0 {
		t.Errorf("trunk delete: %d", r.status)
	}
	checkError(t, e.get(a, tpath), 404, "no item error", nil)

	// A group DIDs route to cannot be deleted; once free it can, with its trunks.
	d := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{"trunk_group_sid": sid}))
	cm := checkError(t, e.do(a, "DELETE", path, "", ""), 409, "conflict error", "trunk_group_sid")
	if cm["errors"].([]any)[0].(map[string]any)["reference_sid"] != d["did_sid"] {
		t.Errorf("409 reference_sid: %v", cm)
	}
	e.mustJSON(200, e.sendJSON(a, "PATCH", "/core/v2/phonenumber/dids/"+d["did_sid"].(string), map[string]any{"trunk_group_sid": nil}))
	if r := e.do(a, "DELETE", path, "", ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	checkError(t, e.get(a, path), 404, "no item error", nil)
	checkError(t, e.get(a, path+"/trunks"), 404, "no item error", nil)
	e.s.mu.RLock()
	for _, tr := range e.s.trunks.recs {
		if tr.parent == sid {
			t.Errorf("trunk %s survived its group", tr.sid)
		}
	}
	e.s.mu.RUnlock()
}

func TestTrunkGroupKeys(t *testing.T) {
	e := smallEnv(t)
	a := basicAuth(e.s.DemoPartner())
	g := items(t, e.mustJSON(200, e.get(a, "/core/v2/trunk_groups?limit=1&with_trunks=true")))[0]
	var got []string
	for k := range g {
		got = append(got, k)
	}
	sort.Strings(got)
	want := "acls,external_handlers,hard_failure_codes,hard_failure_cooldown,hard_failure_interval," +
		"hard_failure_last_resort,hard_failure_threshold,name,partner_sid,routing_data,routing_type," +
		"sip_options_locations,sip_options_threshold,soft_failure_codes,transformations,trunk_group_sid,trunks"
	if strings.Join(got, ",") != want {
		t.Errorf("trunk group keys:\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	for _, tr := range g["trunks"].([]any) {
		if !sameShape(t, decodeExample(t, trunkSample), tr) {
			t.Errorf("seeded trunk shape: %v", tr)
		}
	}
}
