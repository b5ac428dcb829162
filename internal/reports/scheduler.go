package reports

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
)

// DefaultInterval is how often a Scheduler syncs each partner.
const DefaultInterval = 5 * time.Minute

// TokenSource gives a CarrierX bearer token for a partner.
type TokenSource interface {
	Token(ctx context.Context, partnerSID string) (string, error)
}

// TokenFunc adapts a function to TokenSource.
type TokenFunc func(ctx context.Context, partnerSID string) (string, error)

// Token calls f.
func (f TokenFunc) Token(ctx context.Context, partnerSID string) (string, error) {
	return f(ctx, partnerSID)
}

// Scheduler syncs its partners every Interval and on demand, one partner at a
// time. Set the fields, then call Run.
type Scheduler struct {
	Store    *store.Store
	Client   *carrierx.Client // unauthenticated; each sync uses Client.WithBearer(token)
	Tokens   TokenSource
	Partners []string      // synced on every tick
	Interval time.Duration // default 5 minutes
	// Configure, when set, adjusts each Syncer before it runs (horizon,
	// progress, ...).
	Configure func(*Syncer)
	// OnResult, when set, is called after each partner's sync.
	OnResult func(partnerSID string, results []Result)
	Logger   *slog.Logger

	once    sync.Once
	mu      sync.Mutex
	pending []string // partners asked for by SyncNow, in order, once each
	wake    chan struct{}
}

func (s *Scheduler) init() {
	s.once.Do(func() { s.wake = make(chan struct{}, 1) })
}

// SyncNow asks for the partner to be synced as soon as the running sync (if
// any) ends. It does not wait; a partner already waiting is not queued twice.
func (s *Scheduler) SyncNow(partnerSID string) {
	s.init()
	s.mu.Lock()
	if !slices.Contains(s.pending, partnerSID) {
		s.pending = append(s.pending, partnerSID)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Scheduler) takePending() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending
	s.pending = nil
	return p
}

// Run syncs every partner now and then every Interval, plus those asked for
// with SyncNow, until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	s.init()
	interval := s.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	due := slices.Clone(s.Partners)
	for {
		for _, p := range due {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.RunOnce(ctx, p)
		}
		due = nil
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			due = slices.Clone(s.Partners)
			for _, p := range s.takePending() {
				if !slices.Contains(due, p) {
					due = append(due, p)
				}
			}
		case <-s.wake:
			due = s.takePending()
		}
	}
}

// RunOnce syncs one partner's sources now and returns the results.
func (s *Scheduler) RunOnce(ctx context.Context, partnerSID string) []Result {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	token, err := s.Tokens.Token(ctx, partnerSID)
	var results []Result
	if err != nil {
		log.Warn("report sync: no token", "partner_sid", partnerSID, "err", err)
		for _, src := range store.Sources {
			results = append(results, Result{Source: src, Err: err})
		}
	} else {
		sy := &Syncer{Store: s.Store, Client: s.Client.WithBearer(token), PartnerSID: partnerSID, Logger: s.Logger}
		if s.Configure != nil {
			s.Configure(sy)
		}
		results = sy.SyncAll(ctx)
	}
	if s.OnResult != nil {
		s.OnResult(partnerSID, results)
	}
	return results
}
