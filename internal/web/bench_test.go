package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// benchmarkPage times one htmx request for a page fragment through the
// console: session lookup in Postgres, CarrierX calls to the sandbox over
// HTTP, and rendering.
func benchmarkPage(b *testing.B, path, target string) {
	e := newEnv(b)
	br := e.browser()
	br.signIn("demo", "demo")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := br.get(path, target); r.StatusCode != http.StatusOK {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}

// BenchmarkMyNumbersPage is one My numbers search (trunk groups and DIDs).
func BenchmarkMyNumbersPage(b *testing.B) { benchmarkPage(b, "/numbers?sort=name", "numbers-results") }

// BenchmarkRentSearch is one Rent a number search (coverage and available numbers).
func BenchmarkRentSearch(b *testing.B) { benchmarkPage(b, "/rent?state=NY&voice=1", "rent-results") }

// BenchmarkEndpointsPage is the Endpoints page: every endpoint with the
// trunks and numbers routed to it (endpoints, trunk groups with trunks and
// all numbers read from CarrierX), rendered in full.
func BenchmarkEndpointsPage(b *testing.B) {
	e := newEnv(b)
	br := e.browser()
	br.signIn("demo", "demo")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := br.get("/endpoints"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Primary SBC") {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}

// BenchmarkLiveMeetingPoll is one poll of a live meeting with 20 callers,
// what every open meeting page asks for every 2 seconds.
func BenchmarkLiveMeetingPoll(b *testing.B) {
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	e := newDemoEnv(b, sandbox.Config{Now: clock.Now, CDRs: 100, ConferenceMeetings: 5, MediatorCalls: 5})
	br := e.browser()
	br.signIn("demo", "demo")
	ep := createEndpointForm(b, br, url.Values{"type": {"conference_v2"}, "name": {"bench"}})
	room := createRoom(b, br, ep, threeRoles("Bench"))
	base := "/conferences/" + ep + "/rooms/" + room
	if r := br.post(base+"/dial", url.Values{"role": {"participant"}, "count": {"20"}}, true); r.StatusCode != http.StatusOK {
		b.Fatalf("dial: status %d", r.StatusCode)
	}
	clock.Advance(time.Minute)
	m := meetingLinkRE.FindStringSubmatch(br.get(base+"/live", "room-live").Body)
	if m == nil {
		b.Fatal("no meeting in progress")
	}
	path := "/conferences/" + ep + "/meetings/" + m[1] + "/live"
	if n := len(callerRows(br.get(path, "meeting-live").Body)); n != 20 {
		b.Fatalf("%d callers, want 20", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := br.get(path, "meeting-live"); r.StatusCode != http.StatusOK {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}

// BenchmarkNumberPage is a number's page: the number, the trunk groups, and
// its emergency, caller name and messaging panels (read at once).
func BenchmarkNumberPage(b *testing.B) {
	e := newEnv(b)
	br := e.browser()
	br.signIn("demo", "demo")
	var sid string
	for d, err := range e.demoClient().AllDIDs(context.Background(), carrierx.ListOptions{Limit: 1}) {
		if err != nil {
			b.Fatal(err)
		}
		sid = d.DIDSID
		break
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := br.get("/numbers/" + sid); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `id="emergency"`) {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}
