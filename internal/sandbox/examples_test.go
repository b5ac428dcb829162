package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func decodeExample(t *testing.T, src string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		t.Fatalf("example JSON: %v", err)
	}
	return v
}

func loadExample(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return decodeExample(t, string(b)).(map[string]any)
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

// shapeDiffs lists where got differs from the documented example want: the
// key sets at every level, and the JSON type of every value. A documented
// null may come back as null or a scalar (the field is nullable); arrays are
// compared element-wise against the example's first element.
func shapeDiffs(path string, want, got any) []string {
	wt, gt := jsonType(want), jsonType(got)
	if wt == "null" {
		if gt == "object" || gt == "array" {
			return []string{fmt.Sprintf("%s: documented null, got %s", path, gt)}
		}
		return nil
	}
	if wt != gt {
		return []string{fmt.Sprintf("%s: documented %s, got %s", path, wt, gt)}
	}
	var out []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		var wk, gk []string
		for k := range w {
			wk = append(wk, k)
		}
		for k := range g {
			gk = append(gk, k)
		}
		sort.Strings(wk)
		sort.Strings(gk)
		if strings.Join(wk, ",") != strings.Join(gk, ",") {
			out = append(out, fmt.Sprintf("%s: keys %v, documented %v", path, gk, wk))
		}
		for _, k := range wk {
			if gv, ok := g[k]; ok {
				out = append(out, shapeDiffs(path+"."+k, w[k], gv)...)
			}
		}
	case []any:
		if len(w) > 0 {
			for i, gv := range got.([]any) {
				out = append(out, shapeDiffs(fmt.Sprintf("%s[%d]", path, i), w[0], gv)...)
			}
		}
	}
	return out
}

func sameShape(t *testing.T, want, got any) bool {
	t.Helper()
	diffs := shapeDiffs("$", want, got)
	for _, d := range diffs {
		t.Error(d)
	}
	return len(diffs) == 0
}

func TestShapeDiffsCanFail(t *testing.T) {
	want := decodeExample(t, `{"a":1,"b":{"c":"x"},"d":[{"e":true}],"f":null}`)
	for _, bad := range []string{
		`{"a":1,"b":{"c":"x"},"d":[{"e":true}]}`,
		`{"a":"1","b":{"c":"x"},"d":[{"e":true}],"f":null}`,
		`{"a":1,"b":{"c":"x","z":1},"d":[{"e":true}],"f":null}`,
		`{"a":1,"b":{"c":"x"},"d":[{"e":1}],"f":null}`,
		`{"a":1,"b":{"c":"x"},"d":[{"e":true}],"f":{}}`,
	} {
		if len(shapeDiffs("$", want, decodeExample(t, bad))) == 0 {
			t.Errorf("no difference found for %s", bad)
		}
	}
	if d := shapeDiffs("$", want, decodeExample(t, `{"a":2,"b":{"c":"y"},"d":[],"f":"s"}`)); len(d) != 0 {
		t.Errorf("false differences: %v", d)
	}
}

// TestDocumentedExamples replays §9 examples 1-8 and compares each answer's
// shape with the documented JSON.
func TestDocumentedExamples(t *testing.T) {
	e := newEnv(t, Config{Now: fixedNow})
	demo := e.s.DemoPartner()

	// 1. Generate token.
	r := e.do("", "POST", "/core/v2/oauth/token", "application/x-www-form-urlencoded",
		"grant_type=password&client_id=5c7965f285344165b003ce1a3202e589&client_secret=5033909114fe442cbbcb83b674dbf90c&username=demo&password=demo&name=test_token")
	tok := e.mustJSON(200, r)
	sameShape(t, loadExample(t, "01_token.json"), tok)
	if tok["token_type"] != "bearer" || tok["name"] != "test_token" {
		t.Errorf("token values: %v", tok)
	}
	a := bearer(tok["access_token"].(string))

	// 2. List tokens (default limit).
	m := e.mustJSON(200, e.get(a, "/core/v2/oauth/tokens"))
	sameShape(t, loadExample(t, "02_tokens_list.json"), m)
	if m["limit"] != float64(10) || m["total"] != nil || m["count"] != float64(1) {
		t.Errorf("tokens list: %v", m)
	}

	// 3. Browse available DIDs.
	m = e.mustJSON(200, e.get(a, "/core/v2/phonenumber/available_dids?limit=1"))
	sameShape(t, loadExample(t, "03_available_dids.json"), m)
	if got := m["pagination"].(map[string]any)["next"]; got != e.srv.URL+"/core/v2/phonenumber/available_dids?limit=1&offset=1" {
		t.Errorf("ex.3 next: %v", got)
	}
	av := items(t, m)[0]
	if av["status"] != "available" || av["partner_sid"] != nil || av["country_code"] != "USA" {
		t.Errorf("ex.3 values: %v", av)
	}

	// 4. Coverage by state.
	m = e.mustJSON(200, e.get(a, "/core/v2/phonenumber/coverage?limit=1&group_by=state"))
	sameShape(t, loadExample(t, "04_coverage.json"), m)
	if got := m["pagination"].(map[string]any)["next"]; got != e.srv.URL+"/core/v2/phonenumber/coverage?limit=1&group_by=state&offset=1" {
		t.Errorf("ex.4 next: %v", got)
	}

	// 5. Rent a specific DID.
	d := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids",
		map[string]any{"phonenumber": av["phonenumber"], "callback_url": nil}))
	sameShape(t, loadExample(t, "05_rent_specific.json"), d)
	if d["status"] != "assigned" || d["partner_sid"] != demo.PartnerSID || d["phonenumber"] != av["phonenumber"] {
		t.Errorf("ex.5 values: %v", d)
	}

	// 6. Rent any DID.
	d6 := e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{}))
	sameShape(t, loadExample(t, "06_rent_any.json"), d6)
	if d6["status"] != "assigned" {
		t.Errorf("ex.6 status %v", d6["status"])
	}

	// 7. Update DID attributes.
	sid := d6["did_sid"].(string)
	d7 := e.mustJSON(200, e.sendJSON(a, "PATCH", "/core/v2/phonenumber/dids/"+sid,
		map[string]any{"attributes": map[string]any{"name": "main line"}}))
	sameShape(t, loadExample(t, "07_patch_attributes.json"), d7)
	if d7["attributes"].(map[string]any)["name"] != "main line" {
		t.Errorf("ex.7 attributes %v", d7["attributes"])
	}

	// 8. Release DID.
	want := loadExample(t, "08_release.json")
	r = e.do(a, "DELETE", "/core/v2/phonenumber/dids/"+sid, "", "")
	if float64(r.status) != want["status"] || string(r.body) != want["body"] {
		t.Errorf("ex.8: %d %q", r.status, r.body)
	}
}
