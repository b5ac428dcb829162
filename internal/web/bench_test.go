package web_test

import (
	"net/http"
	"testing"
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
