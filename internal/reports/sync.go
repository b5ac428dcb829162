package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
)

// Defaults of a Syncer.
const (
	DefaultOverlap   = 10 * time.Minute
	DefaultHorizon   = 90 * 24 * time.Hour
	DefaultPageSize  = carrierx.MaxLimit
	DefaultBatchSize = 5000
)

// ErrRunningElsewhere is the Result.Err of a source whose sync another process
// (or Syncer) on the same database is running right now.
var ErrRunningElsewhere = errors.New("already running elsewhere")

// Syncer copies one partner's records and invoices from CarrierX into the store.
// Set the exported fields before the first call; a Syncer may then be used by
// one goroutine at a time per source.
type Syncer struct {
	Store      *store.Store
	Client     *carrierx.Client // authenticated as the partner
	PartnerSID string           // the partner the rows are cached for

	// Overlap is how far before the last record synced a run starts again,
	// to catch records CarrierX inserts late (default 10 minutes).
	Overlap time.Duration
	// Horizon is how far back the first run of a source starts (default 90 days).
	Horizon time.Duration
	// PageSize is the records asked per request (default and at most 1000).
	PageSize int
	// BatchSize is the records written per transaction (default 5000).
	BatchSize int
	// Progress, when set, is called after every committed batch and at the end
	// of each source, from the goroutine running the sync.
	Progress func(Progress)
	// Logger, when set, gets one line per source run.
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Progress reports a source's sync while it runs.
type Progress struct {
	PartnerSID string
	Source     string
	Records    int64         // records read and committed so far in this run
	Elapsed    time.Duration //
	Rate       float64       // records per second so far
	Through    time.Time     // date_stop of the last record committed (zero: none yet)
	// Remaining estimates the time left from how far Through has come between
	// the run's start and now; negative when unknown.
	Remaining time.Duration
	Done      bool
}

// Result is the outcome of one source's sync.
type Result struct {
	Source   string
	Records  int64 // records read and committed by this run
	Inserted int64 // of which new to the cache
	Updated  int64 // of which changed since last cached
	Total    int64 // records cached for the partner and source afterwards
	Elapsed  time.Duration
	Rate     float64 // records per second
	// Err is nil on success, ErrRunningElsewhere when the source was skipped
	// because another process holds its lock, or the error that stopped it
	// (the batches committed before it are kept).
	Err error
}

// Skipped reports whether the source was left to the process already syncing it.
func (r Result) Skipped() bool { return errors.Is(r.Err, ErrRunningElsewhere) }

// Failed reports whether the source's sync stopped on an error.
func (r Result) Failed() bool { return r.Err != nil && !r.Skipped() }

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Syncer) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// SyncAll syncs every source (store.Sources) one after the other and returns
// their results in that order. A failing source does not stop the others;
// a cancelled ctx does.
func (s *Syncer) SyncAll(ctx context.Context) []Result {
	out := make([]Result, 0, len(store.Sources))
	for _, src := range store.Sources {
		if ctx.Err() != nil {
			out = append(out, Result{Source: src, Err: ctx.Err()})
			continue
		}
		out = append(out, s.Sync(ctx, src))
	}
	return out
}

// LockKey is the advisory lock key of one partner's source sync.
func LockKey(partnerSID, source string) string {
	return "reports.sync:" + partnerSID + ":" + source
}

// Sync copies one source (a store.Source* name) under its advisory lock.
func (s *Syncer) Sync(ctx context.Context, source string) Result {
	res := Result{Source: source}
	if s.Store == nil || s.Client == nil || s.PartnerSID == "" {
		res.Err = errors.New("reports: Syncer needs Store, Client and PartnerSID")
		return res
	}
	run, ok := runners[source]
	if !ok {
		res.Err = fmt.Errorf("reports: unknown source %q", source)
		return res
	}
	release, ok, err := s.Store.TryLock(ctx, LockKey(s.PartnerSID, source))
	if err != nil {
		res.Err = err
		return res
	}
	if !ok {
		res.Err = ErrRunningElsewhere
		s.log().Info("report sync skipped", "partner_sid", s.PartnerSID, "source", source, "reason", res.Err)
		return res
	}
	defer release()

	started := s.now()
	if err := s.Store.StartSyncRun(ctx, s.PartnerSID, source, started); err != nil {
		res.Err = err
		return res
	}
	t0 := time.Now()
	err = run(ctx, s, &res)
	res.Elapsed = time.Since(t0)
	if secs := res.Elapsed.Seconds(); secs > 0 {
		res.Rate = float64(res.Records) / secs
	}
	// The run's outcome is recorded even when ctx was cancelled.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err != nil {
		res.Err = err
		if rerr := s.Store.RecordSyncError(bg, s.PartnerSID, source, err.Error(), s.now()); rerr != nil {
			s.log().Warn("record sync error", "partner_sid", s.PartnerSID, "source", source, "err", rerr)
		}
		s.log().Warn("report sync failed", "partner_sid", s.PartnerSID, "source", source,
			"records", res.Records, "err", err)
	} else if ferr := s.Store.FinishSyncRun(bg, s.PartnerSID, source, s.now(), res.Records, res.Rate); ferr != nil {
		res.Err = ferr
	} else {
		s.log().Info("report sync done", "partner_sid", s.PartnerSID, "source", source,
			"records", res.Records, "inserted", res.Inserted, "elapsed", res.Elapsed.Round(time.Millisecond),
			"per_second", int64(res.Rate))
	}
	if st, serr := s.Store.SyncState(bg, s.PartnerSID, source); serr == nil {
		res.Total = st.RecordsTotal
	}
	if s.Progress != nil {
		s.Progress(Progress{PartnerSID: s.PartnerSID, Source: source, Records: res.Records, Elapsed: res.Elapsed,
			Rate: res.Rate, Remaining: 0, Done: true})
	}
	return res
}

// runners syncs each source; res is filled in as batches commit.
var runners = map[string]func(context.Context, *Syncer, *Result) error{
	store.SourceCalls: func(ctx context.Context, s *Syncer, res *Result) error {
		// Call records come by the million: each is decoded only as far
		// as the cache's columns need (store.CallRow).
		return syncRecords(ctx, s, res, recordKind[store.CallRow]{
			list: func(c *carrierx.Client, ctx context.Context, o carrierx.ListOptions) (*carrierx.RawPage[store.CallRow], error) {
				return carrierx.ListRawAs[store.CallRow](ctx, c, carrierx.CallDRs, o)
			},
			sid:  func(r *store.CallRow) string { return r.DRSID },
			stop: func(r *store.CallRow) *time.Time { return r.DateStop },
			save: (*store.Store).SaveCallRows,
		})
	},
	store.SourceMessages: func(ctx context.Context, s *Syncer, res *Result) error {
		return syncRecords(ctx, s, res, recordKind[carrierx.MessageDetailRecord]{
			list: (*carrierx.Client).ListMessageDRsRaw,
			sid:  func(r *carrierx.MessageDetailRecord) string { return r.DRSID },
			stop: func(r *carrierx.MessageDetailRecord) *time.Time { return r.DateStop },
			save: (*store.Store).SaveMessageRecords,
		})
	},
	store.SourceConferenceCalls: func(ctx context.Context, s *Syncer, res *Result) error {
		return syncRecords(ctx, s, res, recordKind[carrierx.ConferenceCall]{
			list: (*carrierx.Client).ListConferenceCallsRaw,
			sid:  func(r *carrierx.ConferenceCall) string { return r.CallSID },
			stop: func(r *carrierx.ConferenceCall) *time.Time { return r.DateStop },
			save: (*store.Store).SaveConferenceCalls,
		})
	},
	store.SourceConferenceMeetings: func(ctx context.Context, s *Syncer, res *Result) error {
		return syncRecords(ctx, s, res, recordKind[carrierx.ConferenceMeeting]{
			list: (*carrierx.Client).ListConferenceMeetingsRaw,
			sid:  func(r *carrierx.ConferenceMeeting) string { return r.MeetingSID },
			stop: func(r *carrierx.ConferenceMeeting) *time.Time { return r.DateStop },
			save: (*store.Store).SaveConferenceMeetings,
		})
	},
	store.SourceMediatorCalls: func(ctx context.Context, s *Syncer, res *Result) error {
		return syncRecords(ctx, s, res, recordKind[carrierx.MediatorCall]{
			// Whether this Core route wears Mediator's {"body","status"}
			// wrapper is not confirmed; the client takes both.
			list: (*carrierx.Client).ListMediatorCallsRaw,
			sid:  func(r *carrierx.MediatorCall) string { return r.DRSID },
			stop: func(r *carrierx.MediatorCall) *time.Time { return r.DateStop },
			save: (*store.Store).SaveMediatorCalls,
		})
	},
	store.SourceInvoices: syncInvoices,
}

// recordKind describes one detail-record source: list reads one page,
// each record decoded and its bytes kept as CarrierX sent them.
type recordKind[T any] struct {
	list func(*carrierx.Client, context.Context, carrierx.ListOptions) (*carrierx.RawPage[T], error)
	sid  func(*T) string
	stop func(*T) *time.Time
	save func(*store.Store, context.Context, string, []T, []json.RawMessage, store.SyncProgress) (store.SaveResult, error)
}

// chunk is one page read, decoded.
type chunk[T any] struct {
	recs []T
	raws []json.RawMessage
}

// fetchPage reads one page of at most opts.Limit records and reports whether
// more may follow.
func (k recordKind[T]) fetchPage(ctx context.Context, c *carrierx.Client, opts carrierx.ListOptions) (chunk[T], bool, error) {
	p, err := k.list(c, ctx, opts)
	if err != nil {
		return chunk[T]{}, false, err
	}
	return chunk[T]{recs: p.Items, raws: p.Raw}, p.HasMore && len(p.Items) > 0, nil
}

// syncRecords copies one detail-record source: pages are read by one
// goroutine while this one writes the pages already read, BatchSize records
// per transaction.
func syncRecords[T any](ctx context.Context, s *Syncer, res *Result, k recordKind[T]) error {
	src := res.Source
	st, err := s.Store.SyncState(ctx, s.PartnerSID, src)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	runStart := s.now()
	overlap, horizon := s.Overlap, s.Horizon
	if overlap <= 0 {
		overlap = DefaultOverlap
	}
	if horizon <= 0 {
		horizon = DefaultHorizon
	}
	from := runStart.Add(-horizon)
	if !st.SyncedThrough.IsZero() {
		from = st.SyncedThrough.Add(-overlap)
	}
	pageSize := s.PageSize
	if pageSize <= 0 || pageSize > carrierx.MaxLimit {
		pageSize = DefaultPageSize
	}
	batchSize := s.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}

	// Three stages: one goroutine reads and decodes pages, one gathers them
	// into batches, and this one hands the batches to writers.
	fctx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	pages := make(chan chunk[T], 2)
	var fetchErr error // set before pages is closed
	go func() {
		defer close(pages)
		opts := carrierx.ListOptions{
			Filter: carrierx.Filter{}.Ge("date_stop", from),
			Order:  "date_stop asc",
			Limit:  pageSize,
		}
		for {
			ch, more, err := k.fetchPage(fctx, s.Client, opts)
			if err != nil {
				fetchErr = err
				return
			}
			if len(ch.recs) == 0 {
				return
			}
			last := k.sid(&ch.recs[len(ch.recs)-1])
			select {
			case pages <- ch:
			case <-fctx.Done():
				fetchErr = fctx.Err()
				return
			}
			if !more {
				return
			}
			if last == "" || last == opts.After {
				fetchErr = fmt.Errorf("%s: cannot page on: the last record has no new SID", src)
				return
			}
			opts.After = last
		}
	}()

	batches := make(chan *batch[T], 1)
	go func() {
		defer close(batches)
		newBatch := func() *batch[T] {
			return &batch[T]{recs: make([]T, 0, batchSize+pageSize), raws: make([]json.RawMessage, 0, batchSize+pageSize)}
		}
		b := newBatch()
		for ch := range pages {
			b.recs = append(b.recs, ch.recs...)
			b.raws = append(b.raws, ch.raws...)
			if len(b.recs) >= batchSize {
				batches <- b
				b = newBatch()
			}
		}
		// The pages read before a failing read are good: keep them.
		if len(b.recs) > 0 {
			batches <- b
		}
	}()

	// Batches are written by up to `writers` goroutines at once, each in its
	// own transaction, but commit in order: batch n advances sync_state only
	// after batch n-1 has committed, and not at all if n-1 failed. So
	// synced_through never passes a record that is not in the cache.
	t0 := time.Now()
	var (
		through  time.Time
		last     *batch[T]
		inflight []*batch[T]
		firstErr error
	)
	reap := func(b *batch[T]) {
		<-b.done
		if b.err != nil {
			if firstErr == nil {
				firstErr = b.err
			}
			return
		}
		res.Records += int64(b.n)
		res.Inserted += int64(b.res.Inserted)
		res.Updated += int64(b.res.Updated)
		if b.p.Through.After(through) {
			through = b.p.Through
		}
		if s.Progress != nil {
			s.Progress(progressOf(s.PartnerSID, src, res.Records, time.Since(t0), from, through, s.now()))
		}
	}
	for b := range batches {
		if firstErr != nil {
			stopFetch()
			continue // drain
		}
		for i := range b.recs {
			if t := k.stop(&b.recs[i]); t != nil && t.After(b.p.Through) {
				b.p.Through = *t
			}
		}
		b.p.CursorSID = k.sid(&b.recs[len(b.recs)-1])
		b.n = len(b.recs)
		b.prev, b.done = last, make(chan struct{})
		last = b
		go b.write(ctx, s, k)
		inflight = append(inflight, b)
		if len(inflight) >= writers {
			reap(inflight[0])
			inflight = inflight[1:]
		}
	}
	for _, b := range inflight {
		reap(b)
	}
	for _, err := range []error{firstErr, fetchErr} {
		if err != nil {
			return err
		}
	}
	return nil
}

// writers is how many batches are written at once.
const writers = 2

// errEarlierBatch aborts a batch whose predecessor failed.
var errEarlierBatch = errors.New("an earlier batch failed")

// batch is one transaction's worth of records.
type batch[T any] struct {
	n    int // records, kept when recs is let go
	recs []T
	raws []json.RawMessage
	p    store.SyncProgress
	prev *batch[T] // commits first
	done chan struct{}
	res  store.SaveResult
	err  error
}

func (b *batch[T]) write(ctx context.Context, s *Syncer, k recordKind[T]) {
	defer close(b.done)
	p := b.p
	p.BeforeCommit = func(ctx context.Context) error {
		if b.prev == nil {
			return nil
		}
		select {
		case <-b.prev.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if b.prev.err != nil {
			return errEarlierBatch
		}
		return nil
	}
	b.res, b.err = k.save(s.Store, ctx, s.PartnerSID, b.recs, b.raws, p)
	// Let the records and the batch before go: a batch is only reaped for
	// its counts, and the chain of prev would otherwise hold every batch.
	b.recs, b.raws, b.prev = b.recs[:0:0], nil, nil
}

// progressOf estimates the time left from how far through the range
// [from, now) the sync has come.
func progressOf(partner, src string, n int64, elapsed time.Duration, from, through, now time.Time) Progress {
	p := Progress{PartnerSID: partner, Source: src, Records: n, Elapsed: elapsed, Through: through, Remaining: -1}
	if secs := elapsed.Seconds(); secs > 0 {
		p.Rate = float64(n) / secs
	}
	done, total := through.Sub(from), now.Sub(from)
	if !through.IsZero() && done > 0 && total > 0 {
		left := total - done
		if left < 0 {
			left = 0
		}
		p.Remaining = time.Duration(float64(elapsed) * float64(left) / float64(done))
	}
	return p
}

// syncInvoices lists every invoice (few: one per billing period) and upserts
// them in one transaction.
func syncInvoices(ctx context.Context, s *Syncer, res *Result) error {
	var (
		invs []carrierx.Invoice
		raws []json.RawMessage
	)
	for inv, err := range s.Client.AllInvoices(ctx, carrierx.ListOptions{Limit: carrierx.MaxLimit}) {
		if err != nil {
			return err
		}
		raw, err := json.Marshal(&inv)
		if err != nil {
			return err
		}
		invs, raws = append(invs, inv), append(raws, raw)
	}
	r, err := s.Store.SaveInvoices(ctx, s.PartnerSID, invs, raws, store.SyncProgress{Through: s.now()})
	if err != nil {
		return err
	}
	res.Records, res.Inserted, res.Updated = int64(len(invs)), int64(r.Inserted), int64(r.Updated)
	return nil
}
