package web_test

import (
	"net/http"
	"testing"
)

// BenchmarkMyNumbersPage is one My numbers search through the console: session
// lookup in Postgres, two CarrierX calls to the sandbox over HTTP, and rendering.
func BenchmarkMyNumbersPage(b *testing.B) {
	e := newEnv(b)
	br := e.browser()
	br.signIn("demo", "demo")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := br.get("/numbers?sort=name", "numbers-results"); r.StatusCode != http.StatusOK {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}

// BenchmarkRentSearch is one Rent a number search: coverage and available numbers.
func BenchmarkRentSearch(b *testing.B) {
	e := newEnv(b)
	br := e.browser()
	br.signIn("demo", "demo")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := br.get("/rent?state=NY&voice=1", "rent-results"); r.StatusCode != http.StatusOK {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}
