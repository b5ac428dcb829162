package sandbox

import (
	"testing"
)

func TestPhonenumberExtrasDIDGroupLifecycle(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	other := basicAuth(e.s.OtherPartner())

	g := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/phonenumber/did_groups", "{}"))
	if len(g) != 4 {
		t.Fatalf("DID group keys %v, want callback_url, did_group_sid, name, partner_sid", keysOf(g))
	}
	if g["name"] != "N/A" || g["callback_url"] != nil || g["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Fatalf("new group %v", g)
	}
	sid := g["did_group_sid"].(string)
	path := "/core/v2/phonenumber/did_groups/" + sid

	checkError(t, e.sendJSON(demo, "POST", "/core/v2/phonenumber/did_groups", `{"color":"red"}`), 422, "object validation error", "color")
	checkError(t, e.sendJSON(demo, "PATCH", path, `{"partner_sid":"x"}`), 422, "object validation error", "partner_sid")
	checkError(t, e.get(other, path), 404, "no item error", nil)

	rel := e.mustJSON(200, e.get(demo, path+"?with_related=true"))
	if p, _ := rel["partner"].(map[string]any); p == nil || p["partner_sid"] != e.s.DemoPartner().PartnerSID {
		t.Errorf("with_related=true: partner %v", rel["partner"])
	}

	list := e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/did_groups"))
	if list["total"] != float64(1) || list["limit"] != float64(10) {
		t.Errorf("list envelope total %v limit %v", list["total"], list["limit"])
	}
	if n := len(items(t, e.mustJSON(200, e.get(other, "/core/v2/phonenumber/did_groups")))); n != 0 {
		t.Errorf("the other partner sees %d groups", n)
	}

	// A rented DID joins the group; the group then cannot be deleted.
	dids := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids?limit=1")))
	didPath := "/core/v2/phonenumber/dids/" + dids[0]["did_sid"].(string)
	checkError(t, e.sendJSON(other, "PATCH", "/core/v2/phonenumber/dids/"+firstDIDOf(t, e, other), map[string]any{"did_group_sid": sid}),
		422, "object validation error", "did_group_sid")
	d := e.mustJSON(200, e.sendJSON(demo, "PATCH", didPath, map[string]any{"did_group_sid": sid}))
	if d["did_group_sid"] != sid {
		t.Fatalf("DID did_group_sid %v", d["did_group_sid"])
	}
	filtered := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/dids?filter=did_group_sid+eq+"+sid)))
	if len(filtered) != 1 || filtered[0]["did_sid"] != dids[0]["did_sid"] {
		t.Errorf("DIDs of the group: %v", filtered)
	}
	m := checkError(t, e.do(demo, "DELETE", path, "", ""), 409, "conflict error", "did_group_sid")
	if ref := m["errors"].([]any)[0].(map[string]any)["reference_sid"]; ref != dids[0]["did_sid"] {
		t.Errorf("reference_sid %v, want the DID", ref)
	}
	checkError(t, e.do(other, "DELETE", path, "", ""), 404, "no item error", nil)

	// Releasing the DID clears its group; the group can then go.
	if r := e.do(demo, "DELETE", didPath, "", ""); r.status != 204 {
		t.Fatalf("release: %d %s", r.status, r.body)
	}
	if r := e.do(demo, "DELETE", path, "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	checkError(t, e.get(demo, path), 404, "no item error", nil)
}

func firstDIDOf(t *testing.T, e *testEnv, a auth) string {
	t.Helper()
	its := items(t, e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids?limit=1")))
	if len(its) == 0 {
		t.Fatal("partner has no DIDs")
	}
	return its[0]["did_sid"].(string)
}

func TestPhonenumberExtrasPrefixes(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	other := basicAuth(e.s.OtherPartner())
	for _, c := range []struct{ base, id string }{
		{"/core/v2/phonenumber/prefixes", "prefix_sid"},
		{"/core/v2/phonenumber/lrn_prefixes", "lrn_prefix_sid"},
	} {
		p := e.mustJSON(200, e.sendJSON(demo, "POST", c.base, `{"prefix":"51625"}`))
		want := []string{"attributes", "callback_url", "lrn_sid", "name", "partner_sid", "prefix", c.id,
			"source_trunk_group_sid", "string_key_1", "string_key_2", "transformations", "trunk_group_sid"}
		if len(p) != len(want) {
			t.Errorf("%s keys %v, want %v", c.base, keysOf(p), want)
		}
		for _, k := range want {
			if _, ok := p[k]; !ok {
				t.Errorf("%s: no %s in %v", c.base, k, p)
			}
		}
		path := c.base + "/" + p[c.id].(string)
		checkError(t, e.sendJSON(demo, "POST", c.base, `{}`), 422, "object validation error", "prefix")
		checkError(t, e.sendJSON(demo, "POST", c.base, `{"prefix":"51625"}`), 422, "object validation error", "prefix")
		checkError(t, e.sendJSON(demo, "PATCH", path, `{"prefix":""}`), 422, "object validation error", "prefix")
		checkError(t, e.sendJSON(demo, "PATCH", path, `{"lrn_sid":"x"}`), 422, "object validation error", "lrn_sid")
		checkError(t, e.get(other, path), 404, "no item error", nil)
		// The other partner may hold the same prefix.
		e.mustJSON(200, e.sendJSON(other, "POST", c.base, `{"prefix":"51625"}`))

		put := e.mustJSON(200, e.sendJSON(demo, "PUT", path, `{"name":"main prefix"}`))
		if put["prefix"] != "51625" || put["name"] != "main prefix" {
			t.Errorf("PUT without prefix: %v", put)
		}
		if r := e.do(demo, "DELETE", path, "", ""); r.status != 204 {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		checkError(t, e.get(demo, path), 404, "no item error", nil)
	}
}

func TestPhonenumberExtrasClassificationsAndShortCodes(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	other := basicAuth(e.s.OtherPartner())

	classes := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/classifications")))
	if len(classes) != len(e.s.classes) {
		t.Fatalf("%d classifications, want %d", len(classes), len(e.s.classes))
	}
	if got := compactJSON(t, classes[0]); got != `{"aging_policy":86400,"classification_sid":"17f4d954-d635-4cda-912b-c2a2fa3a6860","name":"Default"}` {
		t.Errorf("first classification %s", got)
	}
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/phonenumber/classifications", "{}"), 405, "method not allowed", nil)
	checkError(t, e.get(demo, "/core/v2/phonenumber/classifications/nope"), 404, "no item error", nil)

	codes := items(t, e.mustJSON(200, e.get(demo, "/core/v2/phonenumber/short_codes")))
	if len(codes) != len(demoShortCodes) {
		t.Fatalf("%d short codes, want %d", len(codes), len(demoShortCodes))
	}
	sc := codes[0]
	path := "/core/v2/phonenumber/short_codes/" + sc["short_code_sid"].(string)
	checkError(t, e.get(other, path), 404, "no item error", nil)
	checkError(t, e.sendJSON(demo, "PATCH", path, `{"short_code":"12345"}`), 422, "object validation error", "short_code")
	checkError(t, e.sendJSON(demo, "PATCH", path, `{"did_group_sid":"nope"}`), 422, "object validation error", "did_group_sid")
	checkError(t, e.do(demo, "DELETE", path, "", ""), 405, "method not allowed", nil)
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/phonenumber/short_codes", "{}"), 405, "method not allowed", nil)
	got := e.mustJSON(200, e.sendJSON(demo, "PATCH", path, `{"name":"alerts","attributes":{"team":"noc"}}`))
	if got["name"] != "alerts" || got["short_code"] != sc["short_code"] {
		t.Errorf("PATCH: %v", got)
	}

	// Seeding draws nothing from the shared generator: same seed, same SIDs.
	again := newEnv(t, Config{Seed: 7, AvailableDIDs: 300, RentedDIDs: 20, Now: fixedNow})
	codes2 := items(t, again.mustJSON(200, again.get(basicAuth(again.s.DemoPartner()), "/core/v2/phonenumber/short_codes")))
	if codes2[0]["short_code_sid"] != sc["short_code_sid"] {
		t.Errorf("short code SIDs differ between equal seeds")
	}
}
