package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// smsClockEnv is a small sandbox whose clock the test moves.
type smsClockEnv struct {
	*testEnv
	mu  sync.Mutex
	now time.Time
}

func newSMSClockEnv(t *testing.T) *smsClockEnv {
	e := &smsClockEnv{now: fixedNow()}
	e.testEnv = newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: func() time.Time {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.now
	}})
	return e
}

func (e *smsClockEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func epKeys(m map[string]any) []string {
	ks := keysOf(m)
	sort.Strings(ks)
	return ks
}

func TestSeededSystemGateways(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	gateways := func(all []map[string]any) (gw []map[string]any) {
		for _, ep := range all {
			if ep["type"] == "system_gateway" {
				gw = append(gw, ep)
			}
		}
		return gw
	}
	d := gateways(items(t, e.mustJSON(200, e.get(demo, "/core/v2/endpoints"))))
	o := gateways(items(t, e.mustJSON(200, e.get(other, "/core/v2/endpoints"))))
	if len(d) != 1 || len(o) != 1 {
		t.Fatalf("endpoints: demo %d, other %d; want one System Gateway each", len(d), len(o))
	}
	if d[0]["endpoint_sid"] != systemGatewaySID {
		t.Errorf("demo gateway %v, want the SID its CDRs name (%s)", d[0]["endpoint_sid"], systemGatewaySID)
	}
	if o[0]["endpoint_sid"] == d[0]["endpoint_sid"] {
		t.Error("partners share a gateway SID")
	}
	for _, g := range []map[string]any{d[0], o[0]} {
		if g["name"] != "System Gateway" || g["type"] != "system_gateway" {
			t.Errorf("gateway %v", g)
		}
	}
	// The sample's keys, no more, no less (§4.4).
	want := []string{"addresses", "attributes", "capacity", "cps_limit", "endpoint_sid", "name",
		"out_sip_password", "out_sip_username", "partner_sid", "properties", "transformations", "type", "voip_token"}
	if got := epKeys(d[0]); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	// The same seed gives the same SIDs.
	again := newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: fixedNow})
	o2 := gateways(items(t, again.mustJSON(200, again.get(other, "/core/v2/endpoints"))))
	if o2[0]["endpoint_sid"] != o[0]["endpoint_sid"] {
		t.Errorf("gateway SID %v then %v for one seed", o[0]["endpoint_sid"], o2[0]["endpoint_sid"])
	}
	sid := d[0]["endpoint_sid"].(string)
	checkError(t, e.get(other, "/core/v2/endpoints/"+sid), 404, "no item error", nil)
	checkError(t, e.sendJSON(demo, "PATCH", "/core/v2/endpoints/"+sid, `{"name":"x"}`), 403, "forbidden", "type")
	checkError(t, e.do(demo, "DELETE", "/core/v2/endpoints/"+sid, "", ""), 403, "forbidden", "type")
}

func TestHostedEndpointProperties(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for typ, prefix := range epHostedAPIs {
		m := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/endpoints", fmt.Sprintf(`{"type":%q}`, typ)))
		p, _ := m["properties"].(map[string]any)
		if got := epKeys(p); !slices.Equal(got, []string{"account_sid", "api_url", "container_sid", "login", "password"}) {
			t.Fatalf("%s properties %v", typ, p)
		}
		if p["api_url"] != e.srv.URL+prefix {
			t.Errorf("%s api_url %v, want %s", typ, p["api_url"], e.srv.URL+prefix)
		}
		if m["voip_token"] != nil || m["name"] != "N/A" {
			t.Errorf("%s: voip_token %v, name %v", typ, m["voip_token"], m["name"])
		}
	}
	// Behind a proxy, api_url names the address the client used.
	r := e.doBody(demo, "POST", "/core/v2/endpoints", map[string]string{"Content-Type": "application/json",
		"X-Forwarded-Host": "cx.example.com", "X-Forwarded-Proto": "https"}, `{"type":"flexml"}`)
	p := e.mustJSON(200, r)["properties"].(map[string]any)
	if p["api_url"] != "https://cx.example.com/flexml/v1" {
		t.Errorf("api_url %v", p["api_url"])
	}
	// Logins are unique.
	seen := map[any]bool{}
	for _, it := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/endpoints?limit=100"))) {
		if l := it["properties"].(map[string]any)["login"]; l != nil {
			if seen[l] {
				t.Errorf("login %v given twice", l)
			}
			seen[l] = true
		}
	}
	// Properties are the sandbox's: a change is refused, an echo accepted.
	sid := r.json(t)["endpoint_sid"].(string)
	checkError(t, e.sendJSON(demo, "PATCH", "/core/v2/endpoints/"+sid, `{"properties":{"login":"mine"}}`),
		422, "object validation error", "properties")
	e.mustJSON(200, e.sendJSON(demo, "PATCH", "/core/v2/endpoints/"+sid, map[string]any{"properties": p, "name": "app"}))
}

func TestEndpointValidation(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	for _, tc := range []struct{ body, field string }{
		{`{}`, "type"},
		{`{"type":"fax"}`, "type"},
		{`{"type":"system_gateway"}`, "type"},
		{`{"type":"third_party","auth_required":true}`, "auth_required"},
		{`{"type":"third_party","capacity":-1}`, "capacity"},
		{`{"type":"third_party","voip_token":"mine"}`, "voip_token"},
		{`{"type":"third_party","addresses":[{"port":5060}]}`, "addresses[0].ip"},
		{`{"type":"third_party","addresses":[{"ip":"not a host!"}]}`, "addresses[0].ip"},
		{`{"type":"third_party","addresses":[{"ip":"10.0.0.1","transport":"sctp"}]}`, "addresses[0].transport"},
		{`{"type":"mediator","addresses":[{"ip":"10.0.0.1"}]}`, "addresses"},
	} {
		checkError(t, e.sendJSON(demo, "POST", "/core/v2/endpoints", tc.body), 422, "object validation error", tc.field)
	}
	m := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/endpoints",
		`{"type":"third_party","name":"pbx","addresses":[{"ip":"sip.example.com","srtp":true}]}`))
	sid := m["endpoint_sid"].(string)
	if tok, _ := m["voip_token"].(string); tok == "" {
		t.Errorf("voip_token %v", m["voip_token"])
	}
	a := m["addresses"].([]any)[0].(map[string]any)
	want := map[string]any{"direction": "any", "dst_port": nil, "ip": "sip.example.com", "location_sid": nil,
		"port": float64(5060), "priority": float64(0), "sip_password": nil, "sip_username": nil, "srtp": true, "transport": "udp"}
	if compactJSON(t, a) != compactJSON(t, want) {
		t.Errorf("address %v, want %v", a, want)
	}
	checkError(t, e.sendJSON(demo, "PATCH", "/core/v2/endpoints/"+sid, `{"type":"flexml"}`),
		422, "object validation error", "type")
	// PUT resets what it leaves out, keeps type, properties and voip_token.
	put := e.mustJSON(200, e.sendJSON(demo, "PUT", "/core/v2/endpoints/"+sid, `{"capacity":5}`))
	if put["name"] != "N/A" || len(put["addresses"].([]any)) != 0 || put["capacity"] != float64(5) ||
		put["type"] != "third_party" || put["voip_token"] != m["voip_token"] {
		t.Errorf("after PUT: %v", put)
	}
	// with_related adds the partner.
	got := e.mustJSON(200, e.get(demo, "/core/v2/endpoints/"+sid+"?with_related=true"))
	if p, _ := got["partner"].(map[string]any); p["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Errorf("partner %v", got["partner"])
	}
}

func TestDeleteEndpointInUse(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	sid := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/endpoints", `{"type":"third_party"}`))["endpoint_sid"].(string)
	tg := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/trunk_groups",
		`{"name":"to pbx","trunks":[{"name":"a","endpoint_sid":"`+sid+`"},{"name":"b","endpoint_sid":"`+sid+`"}]}`))
	tgSID := tg["trunk_group_sid"].(string)
	m := checkError(t, e.do(demo, "DELETE", "/core/v2/endpoints/"+sid, "", ""), 409, "conflict error", "endpoint_sid")
	first := m["errors"].([]any)[0].(map[string]any)
	if msg, _ := first["message"].(string); !strings.Contains(msg, "2") || first["reference_sid"] == nil {
		t.Errorf("conflict %v", first)
	}
	if r := e.do(demo, "DELETE", "/core/v2/trunk_groups/"+tgSID, "", ""); r.status != http.StatusNoContent {
		t.Fatalf("delete trunk group: %d %s", r.status, r.body)
	}
	if r := e.do(demo, "DELETE", "/core/v2/endpoints/"+sid, "", ""); r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	checkError(t, e.get(demo, "/core/v2/endpoints/"+sid), 404, "no item error", nil)
}

// smsNumber is a number the demo partner rents whose capabilities are caps.
func smsNumber(t *testing.T, e *testEnv, caps int) string {
	t.Helper()
	demo := basicAuth(e.s.DemoPartner())
	p := e.mustJSON(200, e.get(demo, fmt.Sprintf("/core/v2/phonenumber/available_dids?limit=1&filter=capabilities+eq+%d", caps)))
	its := items(t, p)
	if len(its) == 0 {
		t.Fatalf("no available number with capabilities %d", caps)
	}
	d := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/phonenumber/dids", map[string]any{"phonenumber": its[0]["phonenumber"]}))
	return d["phonenumber"].(string)
}

func TestSendMessageProgress(t *testing.T) {
	e := newSMSClockEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	from := smsNumber(t, e.testEnv, 31)
	m := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/sms/messages",
		map[string]any{"from": from, "to": "15162065574", "message": "This is a test message"}))
	// The keys of CarrierX's send sample (§9 ex. 13).
	want := []string{"date_changed", "date_created", "date_status_changed", "direction", "from", "group_recipients",
		"mcc", "media_urls", "message", "message_segments", "message_sid", "mnc", "partner_sid", "price", "status",
		"to", "type", "user_data"}
	if got := epKeys(m); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	created := formatTS(fixedNow())
	if m["status"] != "queued" || m["date_created"] != created || m["date_changed"] != created || m["date_status_changed"] != nil {
		t.Errorf("sent: %v", m)
	}
	sid := m["message_sid"].(string)
	path := "/core/v2/sms/messages/" + sid

	e.advance(1999 * time.Millisecond)
	if got := e.mustJSON(200, e.get(demo, path)); got["status"] != "queued" {
		t.Errorf("before 2 s: %v", got["status"])
	}
	e.advance(time.Millisecond)
	got := e.mustJSON(200, e.get(demo, path))
	at := formatTS(fixedNow().Add(2 * time.Second))
	if got["status"] != "sent" || got["date_status_changed"] != at || got["date_changed"] != at {
		t.Errorf("after 2 s: %v", got)
	}
	if n := len(items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/messages?filter=status+eq+sent")))); n != 1 {
		t.Errorf("status filter found %d", n)
	}
	if n := len(items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/messages?filter=status+eq+queued")))); n != 0 {
		t.Errorf("queued filter found %d", n)
	}
	// The sent message has its message detail record, for its sender only.
	mdrs := items(t, e.mustJSON(200, e.get(demo, "/core/v2/sms/message_drs?filter=message+eq+'This+is+a+test+message'")))
	if len(mdrs) != 1 || mdrs[0]["number_src"] != from || mdrs[0]["number_dst"] != "15162065574" ||
		mdrs[0]["date_sent"] != at || mdrs[0]["direction"] != "outbound" {
		t.Errorf("message records %v", mdrs)
	}
	other := basicAuth(e.s.OtherPartner())
	if n := len(items(t, e.mustJSON(200, e.get(other, "/core/v2/sms/message_drs?filter=message+eq+'This+is+a+test+message'")))); n != 0 {
		t.Errorf("the other partner sees %d", n)
	}

	// Only user_data changes; echoing the current (sent) status is fine.
	e.advance(time.Minute)
	got["user_data"] = "crm-1"
	upd := e.mustJSON(200, e.sendJSON(demo, "PUT", path, got))
	if upd["user_data"] != "crm-1" || upd["status"] != "sent" || upd["date_changed"] != formatTS(e.s.now()) {
		t.Errorf("after PUT: %v", upd)
	}
	for _, body := range []string{`{"message":"edited"}`, `{"to":"15162065575"}`, `{"status":"delivered"}`} {
		checkError(t, e.sendJSON(demo, "PATCH", path, body), 422, "object validation error", strings.Split(body, `"`)[1])
	}
	checkError(t, e.sendJSON(basicAuth(e.s.OtherPartner()), "PATCH", path, `{"user_data":"x"}`), 404, "no item error", nil)
	if r := e.do(demo, "DELETE", path, "", ""); r.status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", r.status)
	}
}

func TestSendMessageValidation(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	from := smsNumber(t, e, 31)
	voice := smsNumber(t, e, 4)
	smsOnly := smsNumber(t, e, 7)
	var otherNum string
	for _, d := range e.s.dids.recs {
		if d.owner == e.s.OtherPartner().PartnerSID {
			otherNum = d.obj["phonenumber"].(string)
			break
		}
	}
	group := make([]string, 10)
	for i := range group {
		group[i] = fmt.Sprintf("1516206%04d", 5000+i)
	}
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"to": "15162065574", "message": "hi"}, "from"},
		{map[string]any{"from": otherNum, "to": "15162065574", "message": "hi"}, "from"},
		{map[string]any{"from": voice, "to": "15162065574", "message": "hi"}, "from"},
		{map[string]any{"from": smsOnly, "to": "15162065574", "media_urls": []string{"https://example.com/a.png"}}, "from"},
		{map[string]any{"from": from, "message": "hi"}, "to"},
		{map[string]any{"from": from, "to": "5551234", "message": "hi"}, "to"},
		{map[string]any{"from": from, "to": "15162065574"}, "message"},
		{map[string]any{"from": from, "to": "15162065574", "message": strings.Repeat("a", 1601)}, "message"},
		{map[string]any{"from": from, "to": "15162065574", "media_urls": strings.Split(strings.Repeat("https://example.com/a ", 11), " ")[:11]}, "media_urls"},
		{map[string]any{"from": from, "to": "15162065574", "group_recipients": group}, "group_recipients"},
		{map[string]any{"from": from, "to": "15162065574", "message": "hi", "status": "sent"}, "status"},
		{map[string]any{"from": from, "to": "15162065574", "message": "hi", "colour": "red"}, "colour"},
		{map[string]any{"from": from, "from_did": "15162065575", "to": "15162065574", "message": "hi"}, "from_did"},
	} {
		checkError(t, e.sendJSON(demo, "POST", "/core/v2/sms/messages", tc.body), 422, "object validation error", tc.field)
	}
	checkError(t, e.do(demo, "POST", "/core/v2/sms/messages", "text/plain", `{}`), 415, "unsupported media type", nil)

	// Legacy names, a "+", and an MMS group of ten (the sender included).
	m := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/sms/messages", map[string]any{
		"from_did": "+" + from, "to_did": "+15162065574", "group_recipients": group[:9], "user_data": "u1"}))
	if m["from"] != from || m["to"] != "15162065574" || m["type"] != "mms" || m["user_data"] != "u1" ||
		len(m["group_recipients"].([]any)) != 9 || m["message"] != nil {
		t.Errorf("mms: %v", m)
	}
	if _, ok := m["from_did"]; ok {
		t.Error("from_did is echoed")
	}
	if got := smsSegments(strings.Repeat("é", 71)); got != 2 {
		t.Errorf("71 UCS-2 characters: %d segments", got)
	}
	if got := smsSegments(strings.Repeat("a", 306)); got != 2 {
		t.Errorf("306 GSM characters: %d segments", got)
	}
	if got := smsSegments(strings.Repeat("{", 81)); got != 2 {
		t.Errorf("81 extension characters: %d segments", got)
	}
}

// TestSeededSIPEquipment: each seeded trunk delivers to a third_party
// endpoint named after its trunk group, and inbound call records to that
// group name the endpoint and its address.
func TestSeededSIPEquipment(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	eps := map[string]map[string]any{}
	for _, ep := range items(t, e.mustJSON(200, e.get(demo, "/core/v2/endpoints?limit=1000"))) {
		eps[str(ep, "endpoint_sid")] = ep
	}
	ipOf := map[string]string{} // trunk group -> its endpoint's address
	epOf := map[string]string{} // trunk group -> its endpoint
	for _, tg := range allItems(t, e, demo, "/core/v2/trunk_groups?limit=1000&with_trunks=true") {
		trunks, _ := tg["trunks"].([]any)
		if len(trunks) == 0 {
			t.Fatalf("seeded trunk group %v has no trunks", tg["name"])
		}
		for _, tr := range trunks {
			sid := str(tr.(map[string]any), "endpoint_sid")
			ep := eps[sid]
			if ep == nil || ep["type"] != "third_party" || ep["name"] != tg["name"] {
				t.Fatalf("trunk of %v delivers to %q: %v", tg["name"], sid, ep)
			}
			addrs, _ := ep["addresses"].([]any)
			if len(addrs) != 1 {
				t.Fatalf("endpoint %v addresses %v", ep["name"], ep["addresses"])
			}
			a := addrs[0].(map[string]any)
			if a["port"] != float64(5060) || a["transport"] != "udp" {
				t.Errorf("address %v", a)
			}
			ipOf[str(tg, "trunk_group_sid")], epOf[str(tg, "trunk_group_sid")] = str(a, "ip"), sid
		}
	}
	if len(ipOf) != 3 {
		t.Fatalf("%d trunk groups with SIP equipment, want the 3 seeded", len(ipOf))
	}
	in := allItems(t, e, demo, "/core/v2/calls/call_drs?limit=1000&filter="+url.QueryEscape("direction eq inbound"))
	checked := 0
	for _, r := range in {
		tg := str(r, "trunk_group_sid_dst")
		if ipOf[tg] == "" {
			continue
		}
		if str(r, "endpoint_sid_dst") != epOf[tg] || str(r, "ip_dst") != ipOf[tg]+":5060" {
			t.Fatalf("inbound record to %s: endpoint %v at %v, want %s at %s:5060", tg, r["endpoint_sid_dst"], r["ip_dst"], epOf[tg], ipOf[tg])
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no inbound record to a seeded trunk group")
	}
	// The other partner does not see them.
	other := basicAuth(e.s.OtherPartner())
	for sid := range eps {
		if eps[sid]["type"] == "third_party" {
			checkError(t, e.get(other, "/core/v2/endpoints/"+sid), 404, "no item error", nil)
		}
	}
}
