package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/reports"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// The report sync runs in the background of each console instance. Every
// interval, and at sign-in or "Sync now", it syncs the partners that have a
// live session, with the CarrierX token of their latest session. Instances
// sharing a database take a Postgres lock per partner and source, so each
// source is synced by one of them at a time.

// syncProgress keeps the progress of the syncs this instance is running.
type syncProgress struct {
	mu   sync.Mutex
	runs map[string]map[string]reports.Progress // partner -> source -> latest
}

func (p *syncProgress) update(pr reports.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.runs == nil {
		p.runs = map[string]map[string]reports.Progress{}
	}
	if p.runs[pr.PartnerSID] == nil {
		p.runs[pr.PartnerSID] = map[string]reports.Progress{}
	}
	p.runs[pr.PartnerSID][pr.Source] = pr
}

func (p *syncProgress) of(partnerSID string) map[string]reports.Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]reports.Progress{}
	for k, v := range p.runs[partnerSID] {
		out[k] = v
	}
	return out
}

// sessionToken is the CarrierX token of the partner's latest live session.
func (s *Server) sessionToken(ctx context.Context, partnerSID string) (string, error) {
	row, err := s.db.LatestSession(ctx, partnerSID)
	if err != nil {
		return "", err
	}
	values := map[any]any{}
	if err := s.sessions.codec.Decode(sessionCookie, string(row.Data), &values); err != nil {
		return "", err
	}
	tok, _ := values[keyToken].(string)
	if tok == "" {
		return "", errors.New("session without a token")
	}
	return tok, nil
}

// RunSync syncs signed-in partners' reports until ctx ends.
func (s *Server) RunSync(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = reports.DefaultInterval
	}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if partners, err := s.db.SignedInPartners(ctx); err == nil {
				for _, p := range partners {
					s.scheduler.SyncNow(p)
				}
			} else if ctx.Err() == nil {
				s.log.Warn("list signed-in partners", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return s.scheduler.Run(ctx)
}

func (s *Server) newScheduler() *reports.Scheduler {
	return &reports.Scheduler{
		Store: s.db, Client: s.cx, Logger: s.log,
		Tokens: reports.TokenFunc(s.sessionToken),
		// Partners come from SyncNow: the tick above and sign-ins.
		Interval:  24 * time.Hour,
		Configure: func(sy *reports.Syncer) { sy.Progress = s.progress.update },
	}
}

var sourceLabels = map[string]string{
	store.SourceCalls: "Call records", store.SourceMessages: "Message records",
	store.SourceConferenceCalls: "Conference calls", store.SourceConferenceMeetings: "Conference meetings",
	store.SourceMediatorCalls: "Mediator calls", store.SourceInvoices: "Invoices",
}

// syncStatus is each source's sync, for the status panel.
func (s *Server) syncStatus(c echo.Context) (views.SyncData, error) {
	a := authOf(c)
	loc := a.location()
	states, err := s.db.ListSyncStates(c.Request().Context(), a.PartnerSID)
	if err != nil {
		return views.SyncData{}, err
	}
	byName := map[string]store.SyncState{}
	for _, st := range states {
		byName[st.Source] = st
	}
	running := s.progress.of(a.PartnerSID)
	d := views.SyncData{CSRF: a.CSRF}
	for _, src := range store.Sources {
		st := byName[src]
		row := views.SyncRow{Source: sourceLabels[src], Records: formatCount(st.RecordsTotal)}
		if !st.SyncedThrough.IsZero() {
			row.Through = st.SyncedThrough.In(loc).Format("2006-01-02 15:04 MST")
		}
		if !st.LastRunFinishedAt.IsZero() {
			row.LastRun = st.LastRunFinishedAt.In(loc).Format("2006-01-02 15:04 MST")
		}
		row.Error = st.LastError
		if p, ok := running[src]; ok && !p.Done {
			row.Running = true
			d.Running = true
			row.Progress = formatCount(p.Records) + " records"
			if p.Rate > 0 {
				row.Progress += ", " + formatCount(int64(p.Rate)) + "/s"
			}
			if p.Remaining >= 0 {
				row.Progress += ", about " + p.Remaining.Round(time.Second).String() + " left"
			}
			row.Percent = percentDone(p)
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

func percentDone(p reports.Progress) int {
	if p.Remaining < 0 || p.Elapsed <= 0 {
		return -1
	}
	total := p.Elapsed + p.Remaining
	return int(100 * p.Elapsed / total)
}

// formatCount writes a count with thousands separators.
func formatCount(n int64) string {
	s := []byte{}
	digits := []byte(strconv.FormatInt(n, 10))
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			s = append(s, ',')
		}
		s = append(s, d)
	}
	return string(s)
}

// showSync is the sync status panel (polled while a sync runs).
func (s *Server) showSync(c echo.Context) error {
	d, err := s.syncStatus(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SyncPanel(d))
}

// syncNow queues the signed-in partner's sync.
func (s *Server) syncNow(c echo.Context) error {
	s.scheduler.SyncNow(authOf(c).PartnerSID)
	d, err := s.syncStatus(c)
	if err != nil {
		return err
	}
	d.Running = true // the panel polls until the run shows up and ends
	return renderFragment(c, http.StatusOK, views.SyncPanel(d), flashInfo("Sync started: the report cache is being brought up to date."))
}
