package sandbox

import (
	"fmt"
	"strings"
	"testing"
)

const (
	pushAppsURL    = "/core/v2/push/applications"
	pushDevicesURL = "/core/v2/push/devices"
	pushNotifyURL  = "/core/v2/push/notifications"
)

func TestPushApplicationShapeAndSecrets(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	// The body of CarrierX's create sample: empty strings are stored as null.
	a := e.mustJSON(200, e.sendJSON(demo, "POST", pushAppsURL,
		`{"google_credentials": "L2hvbWUvdXNlci9Eb3dubG9hZHMvc2VydmljZS1hY2NvdW50LWZpbGUuanNvbgo=", "apns_id":"", "apns_key_id":"",
		  "apns_p8":"", "apns_p12":"", "apns_p12_password":"", "apns_team_id":""}`))
	want := "apns_id,apns_key_id,apns_p12,apns_p12_expiration,apns_p12_password,apns_p8,apns_team_id,apns_topic," +
		"application_sid,google_credentials,name,partner_sid"
	if got := shortKeyList(a); got != want {
		t.Fatalf("application keys %s, want %s", got, want)
	}
	for _, k := range []string{"apns_id", "apns_key_id", "apns_p8", "apns_p12", "apns_p12_password", "apns_team_id", "apns_topic"} {
		if a[k] != nil {
			t.Errorf("%s = %v, want null", k, a[k])
		}
	}
	if a["name"] != "N/A" || a["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Errorf("defaults: %v", a)
	}
	if a["google_credentials"] != nil {
		t.Errorf("the credentials are echoed: %v", a["google_credentials"])
	}
	sid := a["application_sid"].(string)
	stored := func(k string) any {
		e.s.mu.RLock()
		defer e.s.mu.RUnlock()
		return e.s.table(pushApplicationsTable).get(sid).obj[k]
	}
	if stored("google_credentials") == nil {
		t.Fatal("the credentials are not stored")
	}

	// A secret never shows: not in a list, not through a filter on it.
	list := e.mustJSON(200, e.get(demo, pushAppsURL))
	if its := items(t, list); len(its) != 1 || its[0]["google_credentials"] != nil || list["limit"] != float64(10) || list["total"] != float64(1) {
		t.Fatalf("list: %s", compactJSON(t, list))
	}
	probe := e.mustJSON(200, e.get(demo, pushAppsURL+"?filter=google_credentials+like+%25"))
	if n := len(items(t, probe)); n != 0 {
		t.Errorf("a filter on the credentials matched %d", n)
	}

	// PUT without the secrets keeps them; null clears one.
	got := e.mustJSON(200, e.sendJSON(demo, "PUT", pushAppsURL+"/"+sid, `{"name":"My App","apns_topic":"com.example.app"}`))
	if got["name"] != "My App" || got["apns_topic"] != "com.example.app" || stored("google_credentials") == nil {
		t.Fatalf("PUT: %v", got)
	}
	e.mustJSON(200, e.sendJSON(demo, "PATCH", pushAppsURL+"/"+sid, `{"google_credentials":null,"apns_p8":"-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"}`))
	if stored("google_credentials") != nil || stored("apns_p8") == nil {
		t.Errorf("PATCH: google %v, p8 %v", stored("google_credentials"), stored("apns_p8"))
	}
	got = e.mustJSON(200, e.sendJSON(demo, "PUT", pushAppsURL+"/"+sid, `{}`))
	if got["name"] != "N/A" || got["apns_topic"] != nil || stored("apns_p8") == nil {
		t.Errorf("PUT {} resets the rest and keeps the key: %v", got)
	}

	checkError(t, e.sendJSON(demo, "POST", pushAppsURL, `{"google_credentials":"not base64!"}`), 422, "object validation error", "google_credentials")
	checkError(t, e.sendJSON(demo, "POST", pushAppsURL, `{"apns_p12_expiration":"2030-01-01T00:00:00Z"}`), 422, "object validation error", "apns_p12_expiration")
	checkError(t, e.sendJSON(demo, "POST", pushAppsURL, `{"colour":"red"}`), 422, "object validation error", "colour")
	checkError(t, e.get(basicAuth(e.s.OtherPartner()), pushAppsURL+"/"+sid), 404, "no item error", nil)
}

func TestPushDevices(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	app := e.mustJSON(200, e.sendJSON(demo, "POST", pushAppsURL, `{"name":"a"}`))["application_sid"].(string)
	theirs := e.mustJSON(200, e.sendJSON(other, "POST", pushAppsURL, `{}`))["application_sid"].(string)

	d := e.mustJSON(200, e.sendJSON(demo, "POST", pushDevicesURL, `{"application_sid":"`+app+`", "type":"ios", "token":"1111"}`))
	want := "application_sid,application_version,device_sid,environment,os_version,partner_sid,token,type"
	if got := shortKeyList(d); got != want {
		t.Fatalf("device keys %s, want %s", got, want)
	}
	if d["environment"] != "production" || d["application_version"] != "" || d["os_version"] != "" || d["token"] != "1111" {
		t.Errorf("device defaults: %v", d)
	}
	dsid := d["device_sid"].(string)

	// reuse defaults to true: same token, type and environment is the same device.
	again := e.mustJSON(200, e.sendJSON(demo, "POST", pushDevicesURL, `{"application_sid":"`+app+`", "type":"ios", "token":"1111"}`))
	if again["device_sid"] != dsid {
		t.Errorf("reuse: a new device %v", again["device_sid"])
	}
	dev := e.mustJSON(200, e.sendJSON(demo, "POST", pushDevicesURL, `{"application_sid":"`+app+`", "type":"ios", "token":"1111","environment":"development"}`))
	fresh := e.mustJSON(200, e.sendJSON(demo, "POST", pushDevicesURL+"?reuse=false", `{"application_sid":"`+app+`", "type":"ios", "token":"1111"}`))
	if dev["device_sid"] == dsid || fresh["device_sid"] == dsid {
		t.Errorf("a different environment or reuse=false makes a new device")
	}
	if n := len(items(t, e.mustJSON(200, e.get(demo, pushDevicesURL+"?filter=application_sid+eq+"+app)))); n != 3 {
		t.Errorf("devices of the application: %d", n)
	}

	checkError(t, e.sendJSON(demo, "POST", pushDevicesURL, `{"type":"ios","token":"x"}`), 422, "object validation error", "application_sid")
	checkError(t, e.sendJSON(demo, "POST", pushDevicesURL, `{"application_sid":"`+theirs+`","type":"ios","token":"x"}`), 422, "object validation error", "application_sid")
	checkError(t, e.sendJSON(demo, "POST", pushDevicesURL, `{"application_sid":"`+app+`","type":"blackberry","token":"x"}`), 422, "object validation error", "type")
	checkError(t, e.sendJSON(demo, "POST", pushDevicesURL, `{"application_sid":"`+app+`","type":"web","token":"  "}`), 422, "object validation error", "token")
	checkError(t, e.sendJSON(demo, "POST", pushDevicesURL+"?reuse=perhaps", `{}`), 400, "bad request", "reuse")
	checkError(t, e.sendJSON(demo, "PATCH", pushDevicesURL+"/"+dsid, `{"partner_sid":"x"}`), 422, "object validation error", "partner_sid")
	checkError(t, e.sendJSON(other, "PATCH", pushDevicesURL+"/"+dsid, `{"os_version":"17"}`), 404, "no item error", nil)

	got := e.mustJSON(200, e.sendJSON(demo, "PUT", pushDevicesURL+"/"+dsid, `{"os_version":"17.4","application_version":"2.1"}`))
	if got["os_version"] != "17.4" || got["token"] != "1111" || got["application_sid"] != app || got["type"] != "ios" {
		t.Errorf("PUT keeps the required attributes: %v", got)
	}

	// The application stays while devices use it.
	ref := checkError(t, e.do(demo, "DELETE", pushAppsURL+"/"+app, "", ""), 409, "conflict error", "application_sid")
	if first := ref["errors"].([]any)[0].(map[string]any); first["reference_sid"] != dsid {
		t.Errorf("the conflict names a device: %v", first)
	}
	for _, sid := range []any{dsid, dev["device_sid"], fresh["device_sid"]} {
		if r := e.do(demo, "DELETE", pushDevicesURL+"/"+sid.(string), "", ""); r.status != 204 {
			t.Fatalf("delete device: %d %s", r.status, r.body)
		}
	}
	if r := e.do(demo, "DELETE", pushAppsURL+"/"+app, "", ""); r.status != 204 {
		t.Fatalf("delete application: %d %s", r.status, r.body)
	}
}

func TestPushNotifications(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	app := e.mustJSON(200, e.sendJSON(demo, "POST", pushAppsURL, `{}`))["application_sid"].(string)
	var devs []string
	for i, typ := range []string{"ios", "android"} {
		d := e.mustJSON(200, e.sendJSON(demo, "POST", pushDevicesURL,
			fmt.Sprintf(`{"application_sid":%q,"type":%q,"token":"tok%d"}`, app, typ, i)))
		devs = append(devs, d["device_sid"].(string))
	}
	// The send sample of the docs, with the sandbox's devices.
	body := fmt.Sprintf(`{"title": "Notification for two recipients", "body": "This is a test push notification for two registered devices.",
		"ttl": 5, "priority": "normal", "data": {"order": "42"}, "recipients": [%q, %q, %q]}`, devs[0], devs[1], devs[0])
	got := e.mustJSON(200, e.sendJSON(demo, "POST", pushNotifyURL, body))
	want := fmt.Sprintf(`{"failure":0,"results":{%q:"success",%q:"success"},"success":2}`, min(devs[0], devs[1]), max(devs[0], devs[1]))
	if s := compactJSON(t, got); s != want {
		t.Errorf("answer %s, want %s", s, want)
	}
	sent := e.s.SentPushNotifications(e.s.DemoPartner().PartnerSID)
	if len(sent) != 1 || len(sent[0].Recipients) != 2 || sent[0].Title != "Notification for two recipients" ||
		sent[0].Data["order"] != "42" || !sent[0].SentAt.Equal(fixedNow()) {
		t.Fatalf("recorded: %+v", sent)
	}
	if n := len(e.s.SentPushNotifications(e.s.OtherPartner().PartnerSID)); n != 0 {
		t.Errorf("the other partner sent %d", n)
	}

	// A deleted device fails the whole notification, naming the recipient.
	if r := e.do(demo, "DELETE", pushDevicesURL+"/"+devs[1], "", ""); r.status != 204 {
		t.Fatal(r.status)
	}
	checkError(t, e.sendJSON(demo, "POST", pushNotifyURL, fmt.Sprintf(`{"recipients":[%q,%q]}`, devs[0], devs[1])),
		422, "object validation error", "recipients[1]")
	checkError(t, e.sendJSON(other, "POST", pushNotifyURL, fmt.Sprintf(`{"recipients":[%q]}`, devs[0])),
		422, "object validation error", "recipients[0]")
	checkError(t, e.sendJSON(demo, "POST", pushNotifyURL, `{"title":"x"}`), 422, "object validation error", "recipients")
	checkError(t, e.sendJSON(demo, "POST", pushNotifyURL, `{"recipients":[]}`), 422, "object validation error", "recipients")
	many := `{"recipients":["` + strings.Repeat(devs[0]+`","`, 100) + devs[0] + `"]}`
	checkError(t, e.sendJSON(demo, "POST", pushNotifyURL, many), 422, "object validation error", "recipients")
	checkError(t, e.sendJSON(demo, "POST", pushNotifyURL, fmt.Sprintf(`{"recipients":[%q],"priority":"urgent"}`, devs[0])),
		422, "object validation error", "priority")
	checkError(t, e.sendJSON(demo, "POST", pushNotifyURL, fmt.Sprintf(`{"recipients":[%q],"ios_badge":-1}`, devs[0])),
		422, "object validation error", "ios_badge")
	checkError(t, e.do(demo, "POST", pushNotifyURL, "text/plain", `{}`), 415, "unsupported media type", nil)
	if n := len(e.s.SentPushNotifications("")); n != 1 {
		t.Errorf("refused notifications were recorded: %d", n)
	}
}
