package sandbox

import (
	"regexp"
	"testing"
	"time"
)

func TestSeedDeterministic(t *testing.T) {
	a := New(Config{Seed: 42, AvailableDIDs: 500, RentedDIDs: 10, Now: fixedNow})
	b := New(Config{Seed: 42, AvailableDIDs: 500, RentedDIDs: 10, Now: fixedNow})
	c := New(Config{Seed: 43, AvailableDIDs: 500, RentedDIDs: 10, Now: fixedNow})
	if a.DemoPartner() != b.DemoPartner() || a.DemoPartner().PartnerSID == c.DemoPartner().PartnerSID {
		t.Errorf("partner SIDs not seed-determined")
	}
	if len(a.dids.recs) != 520 {
		t.Fatalf("%d numbers, want 500 + 10 + 10", len(a.dids.recs))
	}
	same := true
	for i := range a.dids.recs {
		if compactJSON(t, a.dids.recs[i].obj) != compactJSON(t, b.dids.recs[i].obj) {
			t.Fatalf("seed 42 differs at %d", i)
		}
		same = same && a.dids.recs[i].obj["phonenumber"] == c.dids.recs[i].obj["phonenumber"]
	}
	if same {
		t.Errorf("seeds 42 and 43 give the same numbers")
	}
}

func TestSeedData(t *testing.T) {
	s := New(Config{Now: fixedNow})
	if s.demo.Login != "demo" || s.demo.Password != "demo" || s.demo.PartnerName != "Demo Telecom" ||
		s.other.Login != "other" || s.other.PartnerName != "Other Networks LLC" {
		t.Errorf("credentials: %+v %+v", s.demo, s.other)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	states, npas, prices, caps := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[int64]bool{}
	counts := map[string]int{}
	phone := regexp.MustCompile(`^1[2-9]\d{2}[2-9]\d{6}$`)
	for _, r := range s.dids.recs {
		o := r.obj
		if !uuid.MatchString(r.sid) || o["did_sid"] != r.sid {
			t.Fatalf("bad did_sid %q", r.sid)
		}
		n := o["phonenumber"].(string)
		if !phone.MatchString(n) {
			t.Fatalf("bad phonenumber %q", n)
		}
		if o["in_country_format"] != "("+n[1:4]+") "+n[4:7]+"-"+n[7:] || o["international_format"] != "+1 "+n[1:4]+"-"+n[4:7]+"-"+n[7:] {
			t.Fatalf("formats of %s: %v %v", n, o["in_country_format"], o["international_format"])
		}
		if len(o) != len(didSchema.Fields) {
			t.Fatalf("%s has %d fields", n, len(o))
		}
		switch o["status"] {
		case "available":
			if o["partner_sid"] != nil || r.owner != "" {
				t.Fatalf("available number owned")
			}
			states[o["state"].(string)] = true
			npas[n[1:4]] = true
		case "assigned":
			if o["partner_sid"] != r.owner {
				t.Fatalf("owner mismatch")
			}
		}
		counts[r.owner]++
		prices[o["price"].(string)] = true
		caps[o["capabilities"].(int64)] = true
		if o["active_capabilities"] != int64(4) {
			t.Fatalf("active_capabilities %v", o["active_capabilities"])
		}
	}
	if counts[""] != 6000 || counts[s.demo.PartnerSID] != 50 || counts[s.other.PartnerSID] != 10 {
		t.Errorf("counts %v", counts)
	}
	if len(states) < 20 || len(npas) < 100 {
		t.Errorf("%d states, %d area codes", len(states), len(npas))
	}
	for _, p := range []string{"0.6", "1", "1.25"} {
		if !prices[p] {
			t.Errorf("no number priced %s", p)
		}
	}
	for _, c := range []int64{4, 5, 7, 21, 31} {
		if !caps[c] {
			t.Errorf("no number with capabilities %d", c)
		}
	}
	if len(s.trunkGroups.recs) != 4 {
		t.Errorf("%d trunk groups", len(s.trunkGroups.recs))
	}
}

// TestListSpeed guards the "a few ms" budget for lists over the full
// inventory (generous bound: -race and slow CI machines).
func TestListSpeed(t *testing.T) {
	e := newEnv(t, Config{Now: fixedNow})
	a := basicAuth(e.s.DemoPartner())
	for _, q := range []string{"limit=10", "limit=10&filter=state+eq+NY+and+capabilities+bit+4",
		"limit=100&order=price+desc", "limit=10&filter=phonenumber+like+%22%25555%25%22"} {
		e.get(a, "/core/v2/phonenumber/available_dids?"+q) // warm up
		start := time.Now()
		const n = 10
		for i := 0; i < n; i++ {
			e.mustJSON(200, e.get(a, "/core/v2/phonenumber/available_dids?"+q))
		}
		if per := time.Since(start) / n; per > 100*time.Millisecond {
			t.Errorf("%s: %v per request", q, per)
		}
	}
}

func BenchmarkAvailableList(b *testing.B) {
	s := New(Config{Now: fixedNow})
	h := s.Handler()
	for _, q := range []string{"limit=10", "limit=10&filter=state+eq+NY+and+capabilities+bit+4", "limit=100&order=price+desc", "limit=1000"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rec := newRecorder()
				req := newRequest("GET", "/core/v2/phonenumber/available_dids?"+q)
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
