package sandbox

import (
	"net/http"
	"net/url"
	"runtime"
	"testing"
)

type runtimeMem struct{ heap uint64 }

// read records the live heap after a full collection.
func (m *runtimeMem) read() {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.heap = ms.HeapAlloc
}

// BenchmarkCallDRsFirstPage serves the cdr-download first page (a 30-day
// date_stop range, order=date_stop asc, limit=1000) over 1M records.
func BenchmarkCallDRsFirstPage(b *testing.B) {
	s := New(Config{Seed: 1, Now: fixedNow, CDRs: 1_000_000})
	s.mu.RLock()
	s.records()
	s.mu.RUnlock()
	q := "/core/v2/calls/call_drs?filter=" + url.QueryEscape("date_stop ge 2025-04-01T00:00:00Z and date_stop lt 2025-05-01T00:00:00Z") +
		"&order=date_stop+asc&limit=1000"
	h := s.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := newRecorder()
		h.ServeHTTP(rec, newRequest(http.MethodGet, q))
		if rec.Code != 200 || rec.Body.Len() < 1_000_000 {
			b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
}
