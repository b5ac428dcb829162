package reports_test

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/reports"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

// horizon reaches past the sandbox's 90-day record window.
const horizon = 100 * 24 * time.Hour

type env struct {
	sb    *sandbox.Sandbox
	url   string
	db    *store.Store
	dbURL string
}

func newEnv(t testing.TB, cfg sandbox.Config) *env {
	t.Helper()
	sb := sandbox.New(cfg)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	db, dbURL := storetest.NewStore(t)
	return &env{sb: sb, url: srv.URL, db: db, dbURL: dbURL}
}

// client signs in as the partner; rt, when set, wraps the transport.
func (e *env) client(who sandbox.Credentials, rt func(http.RoundTripper) http.RoundTripper) *carrierx.Client {
	var tr http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	if rt != nil {
		tr = rt(tr)
	}
	return carrierx.New(e.url, carrierx.WithHTTPClient(&http.Client{Transport: tr}),
		carrierx.WithRetry(6, time.Millisecond, 20*time.Millisecond)).WithBasic(who.Login, who.Password)
}

func (e *env) syncer(c *carrierx.Client, who sandbox.Credentials) *reports.Syncer {
	return &reports.Syncer{Store: e.db, Client: c, PartnerSID: who.PartnerSID, Horizon: horizon}
}

func collect[T any](t testing.TB, seq iter.Seq2[T, error], sid func(T) string) []string {
	t.Helper()
	var out []string
	for r, err := range seq {
		require.NoError(t, err)
		out = append(out, sid(r))
	}
	slices.Sort(out)
	return out
}

// sandboxSIDs lists a source's SIDs straight from the sandbox with the
// client's own iterators (offset paging, no filter): the truth to compare with.
func sandboxSIDs(t testing.TB, c *carrierx.Client, source string) []string {
	t.Helper()
	ctx := context.Background()
	opts := carrierx.ListOptions{Limit: carrierx.MaxLimit}
	switch source {
	case store.SourceCalls:
		return collect(t, c.AllCallDRs(ctx, opts), func(r carrierx.CallDetailRecord) string { return r.DRSID })
	case store.SourceMessages:
		return collect(t, c.AllMessageDRs(ctx, opts), func(r carrierx.MessageDetailRecord) string { return r.DRSID })
	case store.SourceConferenceCalls:
		return collect(t, c.AllConferenceCalls(ctx, opts), func(r carrierx.ConferenceCall) string { return r.CallSID })
	case store.SourceConferenceMeetings:
		return collect(t, c.AllConferenceMeetings(ctx, opts), func(r carrierx.ConferenceMeeting) string { return r.MeetingSID })
	case store.SourceMediatorCalls:
		return collect(t, c.AllMediatorCalls(ctx, opts), func(r carrierx.MediatorCall) string { return r.DRSID })
	case store.SourceInvoices:
		return collect(t, c.AllInvoices(ctx, opts), func(r carrierx.Invoice) string { return r.InvoiceSID })
	}
	t.Fatalf("unknown source %s", source)
	return nil
}

// requireMirror checks that the cache holds exactly the sandbox's records of
// the source for the partner, and that sync_state counts them right.
func requireMirror(t testing.TB, e *env, c *carrierx.Client, partnerSID, source string) []string {
	t.Helper()
	want := sandboxSIDs(t, c, source)
	got, err := e.db.RecordSIDs(context.Background(), partnerSID, source)
	require.NoError(t, err)
	require.Equal(t, len(want), len(got), "%s: cached %d, sandbox has %d", source, len(got), len(want))
	require.Equal(t, want, got, source)
	st, err := e.db.SyncState(context.Background(), partnerSID, source)
	require.NoError(t, err)
	require.EqualValues(t, len(want), st.RecordsTotal, "%s: records_total", source)
	return got
}

func smallConfig() sandbox.Config {
	return sandbox.Config{CDRs: 4321, OtherCDRs: 777, MessageDRs: 1500, ConferenceMeetings: 200, MediatorCalls: 600}
}

func TestFullSyncMatchesSandboxAndRerunIsIdempotent(t *testing.T) {
	e := newEnv(t, smallConfig())
	demo := e.sb.DemoPartner()
	c := e.client(demo, nil)
	var progress []reports.Progress
	sy := e.syncer(c, demo)
	sy.BatchSize = 1000
	sy.Progress = func(p reports.Progress) { progress = append(progress, p) }

	results := sy.SyncAll(context.Background())
	require.Len(t, results, len(store.Sources))
	for _, r := range results {
		require.NoError(t, r.Err, r.Source)
		assert.Equal(t, r.Records, r.Inserted, r.Source)
		assert.Equal(t, r.Total, r.Records, r.Source)
	}
	for _, src := range store.Sources {
		sids := requireMirror(t, e, c, demo.PartnerSID, src)
		assert.NotEmpty(t, sids, "%s: the sandbox serves some", src)
	}
	assert.EqualValues(t, 4321, results[0].Records)

	// Progress came after each batch of calls, with an estimate of the time left.
	var calls []reports.Progress
	for _, p := range progress {
		if p.Source == store.SourceCalls && !p.Done {
			calls = append(calls, p)
		}
	}
	require.GreaterOrEqual(t, len(calls), 3)
	assert.EqualValues(t, 1000, calls[0].Records)
	assert.Positive(t, calls[0].Rate)
	assert.GreaterOrEqual(t, calls[0].Remaining, time.Duration(0))
	assert.False(t, calls[0].Through.IsZero())

	st, err := e.db.SyncState(context.Background(), demo.PartnerSID, store.SourceCalls)
	require.NoError(t, err)
	assert.Empty(t, st.LastError)
	assert.False(t, st.LastRunFinishedAt.IsZero())
	assert.True(t, st.Rate.IsPositive())
	assert.NotEmpty(t, st.CursorSID)

	// A second run reads only the overlap and changes nothing.
	again := sy.SyncAll(context.Background())
	for _, r := range again {
		require.NoError(t, r.Err, r.Source)
		assert.Zero(t, r.Inserted, r.Source)
		assert.Zero(t, r.Updated, r.Source)
	}
	assert.Less(t, again[0].Records, int64(4321), "the rerun starts near the last record, not at the horizon")
	for _, src := range store.Sources {
		requireMirror(t, e, c, demo.PartnerSID, src)
	}
}

// pageCounter is a RoundTripper that lets a test act on the nth call-record page.
type pageCounter struct {
	next  http.RoundTripper
	pages atomic.Int32
	on    func(n int, req *http.Request) (*http.Response, error) // nil result: pass through
}

func (p *pageCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/calls/call_drs") && p.on != nil {
		n := int(p.pages.Add(1))
		if resp, err := p.on(n, req); resp != nil || err != nil {
			return resp, err
		}
	}
	return p.next.RoundTrip(req)
}

// cutBody passes the first half of a body, then fails like a dropped connection.
type cutBody struct {
	r    io.Reader
	body io.Closer
}

func (b *cutBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}
func (b *cutBody) Close() error { return b.body.Close() }

func TestResumeAfterBeingKilled(t *testing.T) {
	e := newEnv(t, sandbox.Config{CDRs: 12000, OtherCDRs: 10, MessageDRs: 10, ConferenceMeetings: 2, MediatorCalls: 10})
	demo := e.sb.DemoPartner()
	truth := e.client(demo, nil)

	// 1. The connection drops in the middle of page 4 (no retry once the body
	//    is being read): the source stops with an error, pages before it stay.
	pc := &pageCounter{}
	pc.on = func(n int, req *http.Request) (*http.Response, error) {
		if n != 4 {
			return nil, nil
		}
		resp, err := pc.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body = &cutBody{r: strings.NewReader(string(data[:len(data)/2])), body: resp.Body}
		resp.ContentLength = -1
		resp.Header.Del("Content-Length")
		return resp, nil
	}
	c := e.client(demo, func(rt http.RoundTripper) http.RoundTripper { pc.next = rt; return pc })
	sy := e.syncer(c, demo)
	sy.BatchSize = 2000
	r := sy.Sync(context.Background(), store.SourceCalls)
	require.Error(t, r.Err)
	assert.True(t, r.Failed())
	assert.EqualValues(t, 3000, r.Records, "the three pages read before the cut are kept")
	st, err := e.db.SyncState(context.Background(), demo.PartnerSID, store.SourceCalls)
	require.NoError(t, err)
	assert.NotEmpty(t, st.LastError)
	assert.NotContains(t, st.LastError, demo.Password)
	assertConsistent(t, e, demo.PartnerSID)

	// 2. Killed (context cancelled) while page 3 is requested, with writes in
	//    flight; then again at other moments.
	for _, killAt := range []int{3, 5, 2, 7} {
		ctx, cancel := context.WithCancel(context.Background())
		pc := &pageCounter{on: func(n int, _ *http.Request) (*http.Response, error) {
			if n == killAt {
				cancel()
			}
			return nil, nil
		}}
		c := e.client(demo, func(rt http.RoundTripper) http.RoundTripper { pc.next = rt; return pc })
		sy := e.syncer(c, demo)
		sy.BatchSize = 1000 + killAt*300
		r := sy.Sync(ctx, store.SourceCalls)
		cancel()
		// The kill surfaces as the cancellation or as the connection it
		// closed mid-COPY; either way nothing half-written may remain.
		require.Error(t, r.Err, "kill at page %d", killAt)
		assertConsistent(t, e, demo.PartnerSID)
	}

	// 3. Killed during a write: the context ends as a batch is being saved.
	ctx, cancel := context.WithCancel(context.Background())
	sy = e.syncer(truth, demo)
	sy.BatchSize = 1000
	sy.Overlap = 100 * 24 * time.Hour // read everything again
	batches := 0
	sy.Progress = func(p reports.Progress) {
		batches++
		if batches == 2 {
			go func() { time.Sleep(time.Millisecond); cancel() }()
		}
	}
	r = sy.Sync(ctx, store.SourceCalls)
	cancel()
	require.Error(t, r.Err)
	assertConsistent(t, e, demo.PartnerSID)

	// Then a normal run completes the copy: nothing lost, nothing twice.
	r = e.syncer(truth, demo).Sync(context.Background(), store.SourceCalls)
	require.NoError(t, r.Err)
	requireMirror(t, e, truth, demo.PartnerSID, store.SourceCalls)
	st, err = e.db.SyncState(context.Background(), demo.PartnerSID, store.SourceCalls)
	require.NoError(t, err)
	assert.Empty(t, st.LastError, "a successful run clears the error")
}

// assertConsistent checks that sync_state counts exactly the rows committed.
func assertConsistent(t *testing.T, e *env, partnerSID string) {
	t.Helper()
	n, err := e.db.CountRecords(context.Background(), partnerSID, store.SourceCalls)
	require.NoError(t, err)
	st, err := e.db.SyncState(context.Background(), partnerSID, store.SourceCalls)
	require.NoError(t, err)
	assert.Equal(t, n, st.RecordsTotal, "records_total commits with the rows")
}

func TestSyncSurvivesInjectedFaults(t *testing.T) {
	e := newEnv(t, smallConfig())
	demo := e.sb.DemoPartner()
	c := e.client(demo, nil)
	for _, f := range []sandbox.Faults{
		{Status: http.StatusServiceUnavailable, Count: 3, Method: http.MethodGet},
		{Status: http.StatusTooManyRequests, RetryAfter: "0", Count: 3, Method: http.MethodGet},
	} {
		e.sb.InjectFaults(f)
		before := e.sb.FaultHits()
		results := e.syncer(c, demo).SyncAll(context.Background())
		for _, r := range results {
			require.NoError(t, r.Err, "%s with %d faults", r.Source, f.Status)
		}
		assert.Equal(t, 3, e.sb.FaultHits()-before, "the faults were met")
	}
	for _, src := range store.Sources {
		requireMirror(t, e, c, demo.PartnerSID, src)
	}

	// Faults that outlast the retries stop the source and are recorded.
	e.sb.InjectFaults(sandbox.Faults{Status: http.StatusServiceUnavailable, PathPrefix: "/core/v2/calls"})
	r := e.syncer(c, demo).Sync(context.Background(), store.SourceCalls)
	e.sb.InjectFaults(sandbox.Faults{})
	require.Error(t, r.Err)
	assert.Equal(t, http.StatusServiceUnavailable, carrierx.StatusOf(r.Err))
	st, err := e.db.SyncState(context.Background(), demo.PartnerSID, store.SourceCalls)
	require.NoError(t, err)
	assert.Contains(t, st.LastError, "503")
	requireMirror(t, e, c, demo.PartnerSID, store.SourceCalls)
}

// slowPages delays every call-record page so that a sync lasts a while.
type slowPages struct{ next http.RoundTripper }

func (s slowPages) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/calls/call_drs") {
		time.Sleep(30 * time.Millisecond)
	}
	return s.next.RoundTrip(req)
}

func TestSecondInstanceSkipsASourceRunningElsewhere(t *testing.T) {
	e := newEnv(t, sandbox.Config{CDRs: 8000, OtherCDRs: 10, MessageDRs: 10, ConferenceMeetings: 2, MediatorCalls: 10})
	demo := e.sb.DemoPartner()
	// Two dashboard instances: two pools on one database.
	db2, err := store.Open(context.Background(), e.dbURL)
	require.NoError(t, err)
	defer db2.Close()

	slow := func(rt http.RoundTripper) http.RoundTripper { return slowPages{rt} }
	a := e.syncer(e.client(demo, slow), demo)
	b := e.syncer(e.client(demo, slow), demo)
	b.Store = db2

	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		results [2]reports.Result
	)
	for i, sy := range []*reports.Syncer{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = sy.Sync(context.Background(), store.SourceCalls)
		}()
	}
	close(start)
	wg.Wait()

	skipped, done := 0, 0
	for _, r := range results {
		switch {
		case r.Skipped():
			skipped++
			assert.ErrorIs(t, r.Err, reports.ErrRunningElsewhere)
			assert.False(t, r.Failed())
		case r.Err == nil:
			done++
			assert.EqualValues(t, 8000, r.Records)
		default:
			t.Errorf("unexpected error: %v", r.Err)
		}
	}
	assert.Equal(t, 1, skipped, "one instance skips")
	assert.Equal(t, 1, done, "one instance syncs")
	requireMirror(t, e, e.client(demo, nil), demo.PartnerSID, store.SourceCalls)

	// Once the lock is free, the other instance may run.
	r := b.Sync(context.Background(), store.SourceCalls)
	require.NoError(t, r.Err)
}

func TestPartnersAreIsolated(t *testing.T) {
	e := newEnv(t, smallConfig())
	demo, other := e.sb.DemoPartner(), e.sb.OtherPartner()
	cd, co := e.client(demo, nil), e.client(other, nil)
	ctx := context.Background()

	var wg sync.WaitGroup
	for _, sy := range []*reports.Syncer{e.syncer(cd, demo), e.syncer(co, other)} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range sy.SyncAll(ctx) {
				assert.NoError(t, r.Err, r.Source)
			}
		}()
	}
	wg.Wait()

	for _, src := range store.Sources {
		d := requireMirror(t, e, cd, demo.PartnerSID, src)
		o := requireMirror(t, e, co, other.PartnerSID, src)
		for _, sid := range o {
			_, found := slices.BinarySearch(d, sid)
			assert.False(t, found, "%s %s is the other partner's", src, sid)
		}
	}
	n, err := e.db.CountRecords(ctx, other.PartnerSID, store.SourceCalls)
	require.NoError(t, err)
	assert.EqualValues(t, 777, n)
	n, err = e.db.CountRecords(ctx, "no-such-partner", store.SourceCalls)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestMoneySumsAreExact(t *testing.T) {
	e := newEnv(t, smallConfig())
	demo := e.sb.DemoPartner()
	c := e.client(demo, nil)
	ctx := context.Background()
	r := e.syncer(c, demo).Sync(ctx, store.SourceCalls)
	require.NoError(t, r.Err)

	price, dur, billed := decimal.Zero, decimal.Zero, decimal.Zero
	var n int64
	for rec, err := range c.AllCallDRs(ctx, carrierx.ListOptions{Limit: carrierx.MaxLimit}) {
		require.NoError(t, err)
		n++
		price = price.Add(rec.Price.Decimal)
		dur = dur.Add(rec.Duration.Decimal)
		billed = billed.Add(rec.DurationBilling.Decimal)
	}
	tot, err := e.db.SummarizeCalls(ctx, store.CallFilter{PartnerSID: demo.PartnerSID})
	require.NoError(t, err)
	assert.Equal(t, n, tot.Calls)
	assert.True(t, price.IsPositive())
	assert.True(t, price.Equal(tot.Cost), "postgres %s, go %s", tot.Cost, price)
	assert.True(t, dur.Equal(tot.Seconds), "postgres %s, go %s", tot.Seconds, dur)
	assert.True(t, billed.Equal(tot.BilledSeconds), "postgres %s, go %s", tot.BilledSeconds, billed)
}

func TestRawIsWhatCarrierXSent(t *testing.T) {
	e := newEnv(t, smallConfig())
	demo := e.sb.DemoPartner()
	c := e.client(demo, nil)
	ctx := context.Background()
	require.NoError(t, e.syncer(c, demo).Sync(ctx, store.SourceCalls).Err)
	sids, err := e.db.RecordSIDs(ctx, demo.PartnerSID, store.SourceCalls)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, e.url+"/core/v2/calls/call_drs/"+sids[0], nil)
	require.NoError(t, err)
	req.SetBasicAuth(demo.Login, demo.Password)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	want, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(want))
	raw, err := e.db.RecordRaw(ctx, demo.PartnerSID, store.SourceCalls, sids[0])
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(raw))
}

func TestSchedulerSyncsOnDemand(t *testing.T) {
	e := newEnv(t, sandbox.Config{CDRs: 500, OtherCDRs: 50, MessageDRs: 50, ConferenceMeetings: 5, MediatorCalls: 20})
	demo := e.sb.DemoPartner()
	done := make(chan []reports.Result, 4)
	sched := &reports.Scheduler{
		Store:    e.db,
		Client:   carrierx.New(e.url),
		Interval: time.Hour,
		Tokens: reports.TokenFunc(func(ctx context.Context, partnerSID string) (string, error) {
			if partnerSID != demo.PartnerSID {
				return "", errors.New("unknown partner")
			}
			tok, err := carrierx.New(e.url).CreateToken(ctx, carrierx.TokenRequest{Login: demo.Login, Password: demo.Password})
			if err != nil {
				return "", err
			}
			return tok.AccessToken, nil
		}),
		Configure: func(sy *reports.Syncer) { sy.Horizon = horizon },
		OnResult:  func(_ string, rs []reports.Result) { done <- rs },
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sched.Run(ctx) }()
	sched.SyncNow(demo.PartnerSID)
	select {
	case rs := <-done:
		for _, r := range rs {
			require.NoError(t, r.Err, r.Source)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("SyncNow did not sync")
	}
	requireMirror(t, e, e.client(demo, nil), demo.PartnerSID, store.SourceCalls)

	sched.SyncNow("someone-else")
	select {
	case rs := <-done:
		require.Error(t, rs[0].Err, "no token, no sync")
	case <-time.After(30 * time.Second):
		t.Fatal("SyncNow did not run")
	}
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
}

// BenchmarkSyncCalls copies 200,000 call records from the sandbox (over HTTP)
// into an empty cache per iteration and reports records per second.
func BenchmarkSyncCalls(b *testing.B) {
	const n = 200_000
	e := newEnv(b, sandbox.Config{CDRs: n, OtherCDRs: 10, MessageDRs: 10, ConferenceMeetings: 2, MediatorCalls: 10})
	demo := e.sb.DemoPartner()
	c := e.client(demo, nil)
	ctx := context.Background()
	_, err := c.ListCallDRs(ctx, carrierx.ListOptions{Limit: 1}) // the sandbox generates its records
	require.NoError(b, err)

	var (
		records int64
		elapsed time.Duration
	)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db, _ := storetest.NewStore(b)
		sy := e.syncer(c, demo)
		sy.Store = db
		b.StartTimer()
		r := sy.Sync(ctx, store.SourceCalls)
		b.StopTimer()
		require.NoError(b, r.Err)
		require.EqualValues(b, n, r.Records)
		records += r.Records
		elapsed += r.Elapsed
		b.StartTimer()
	}
	b.ReportMetric(float64(records)/elapsed.Seconds(), "records/s")
}
