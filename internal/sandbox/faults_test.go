package sandbox

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	e := smallEnv(t)
	a := basicAuth(e.s.DemoPartner())

	// 429 with Retry-After, twice, then normal service.
	e.s.InjectFaults(Faults{Status: 429, RetryAfter: "2", Count: 2})
	for i := 0; i < 2; i++ {
		r := e.get(a, "/core/v2/phonenumber/dids")
		checkError(t, r, 429, "too many requests", nil)
		if r.header.Get("Retry-After") != "2" {
			t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids"))
	if e.s.FaultHits() != 2 {
		t.Errorf("FaultHits %d, want 2", e.s.FaultHits())
	}

	// 503 only for POSTs under a prefix, unlimited until cleared.
	e.s.InjectFaults(Faults{Status: 503, Method: "POST", PathPrefix: "/core/v2/phonenumber"})
	e.mustJSON(200, e.get(a, "/core/v2/phonenumber/dids"))
	e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/trunk_groups", map[string]any{}))
	for i := 0; i < 3; i++ {
		r := e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{})
		checkError(t, r, 503, "service unavailable", nil)
		if r.header.Get("Retry-After") != "" {
			t.Errorf("unexpected Retry-After")
		}
	}
	if e.s.FaultHits() != 5 {
		t.Errorf("FaultHits %d, want 5", e.s.FaultHits())
	}
	e.s.InjectFaults(Faults{})
	e.mustJSON(200, e.sendJSON(a, "POST", "/core/v2/phonenumber/dids", map[string]any{}))

	// Faults apply before authentication, too.
	e.s.InjectFaults(Faults{Status: 503, Count: 1})
	checkError(t, e.get("", "/core/v2/oauth/whoami"), 503, "service unavailable", nil)
	checkError(t, e.get("", "/core/v2/oauth/whoami"), 401, "authentication error", nil)
}

func TestFaultReset(t *testing.T) {
	s := New(Config{Seed: 2, AvailableDIDs: 30, RentedDIDs: 3, Now: fixedNow})
	base, stop, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	// No keep-alive: the transport must not silently retry on a fresh connection.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest("GET", base+"/core/v2/phonenumber/available_dids?limit=1", nil)
		req.SetBasicAuth("demo", "demo")
		return client.Do(req)
	}
	s.InjectFaults(Faults{Reset: true, Count: 2})
	for i := 0; i < 2; i++ {
		res, err := get()
		if err == nil {
			res.Body.Close()
			t.Fatalf("request %d answered %d, want a connection error", i, res.StatusCode)
		}
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			t.Fatalf("timed out instead of reset: %v", err)
		}
	}
	res, err := get()
	if err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || s.FaultHits() != 2 {
		t.Errorf("status %d, hits %d", res.StatusCode, s.FaultHits())
	}
}

func TestListen(t *testing.T) {
	s := New(Config{Seed: 2, AvailableDIDs: 30, RentedDIDs: 3, Now: fixedNow})
	base, stop, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base+"/core/v2/oauth/whoami", nil)
	req.SetBasicAuth("other", "other")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("whoami over Listen: %d", res.StatusCode)
	}
	if err := stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/core/v2/oauth/whoami"); err == nil {
		t.Errorf("still serving after stop")
	}
	if _, _, err := s.Listen("256.0.0.1:1"); err == nil {
		t.Errorf("Listen on a bad address succeeded")
	}
}
