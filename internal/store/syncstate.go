package store

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// SyncState is where one partner's sync of one report source stands. Zero
// times mean "never".
type SyncState struct {
	PartnerSID        string
	Source            string
	SyncedThrough     time.Time // largest date_stop cached (invoices: when last listed)
	CursorSID         string    // last SID committed
	RecordsTotal      int64     // rows cached
	LastRunStartedAt  time.Time
	LastRunFinishedAt time.Time
	LastRunRecords    int64           // records read by the last finished run
	LastError         string          // empty when the last run succeeded
	LastErrorAt       time.Time       //
	Rate              decimal.Decimal // records per second of the last finished run
}

const syncStateCols = `partner_sid, source, synced_through, cursor_sid, records_total, last_run_started_at,
	last_run_finished_at, last_run_records, last_error, last_error_at, rate`

func scanSyncState(row pgx.Row) (SyncState, error) {
	var (
		st                                SyncState
		through, started, finished, errAt *time.Time
		cursor, lastErr                   *string
		rate                              pgtype.Numeric
	)
	if err := row.Scan(&st.PartnerSID, &st.Source, &through, &cursor, &st.RecordsTotal, &started, &finished,
		&st.LastRunRecords, &lastErr, &errAt, &rate); err != nil {
		return st, err
	}
	deref := func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return t.UTC()
	}
	st.SyncedThrough, st.LastRunStartedAt, st.LastRunFinishedAt, st.LastErrorAt = deref(through), deref(started), deref(finished), deref(errAt)
	if cursor != nil {
		st.CursorSID = *cursor
	}
	if lastErr != nil {
		st.LastError = *lastErr
	}
	r, err := decimalOf(rate)
	if err != nil {
		return st, err
	}
	st.Rate = r.Decimal
	return st, nil
}

// SyncState returns the partner's state for one source, or ErrNotFound before
// its first sync.
func (s *Store) SyncState(ctx context.Context, partnerSID, source string) (SyncState, error) {
	st, err := scanSyncState(s.pool.QueryRow(ctx,
		`SELECT `+syncStateCols+` FROM sync_state WHERE partner_sid = $1 AND source = $2`, partnerSID, source))
	if errors.Is(err, pgx.ErrNoRows) {
		return SyncState{PartnerSID: partnerSID, Source: source}, ErrNotFound
	}
	return st, err
}

// ListSyncStates returns the partner's state for every source synced so far,
// by source name.
func (s *Store) ListSyncStates(ctx context.Context, partnerSID string) ([]SyncState, error) {
	rows, err := s.pool.Query(ctx,
		`SELECT `+syncStateCols+` FROM sync_state WHERE partner_sid = $1 ORDER BY source`, partnerSID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SyncState
	for rows.Next() {
		st, err := scanSyncState(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// StartSyncRun notes that a run of the source's sync began at.
func (s *Store) StartSyncRun(ctx context.Context, partnerSID, source string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sync_state (partner_sid, source, last_run_started_at) VALUES ($1, $2, $3)
		ON CONFLICT (partner_sid, source) DO UPDATE SET last_run_started_at = EXCLUDED.last_run_started_at`,
		partnerSID, source, at.UTC())
	return err
}

// FinishSyncRun notes a successful run: how many records it read and how fast.
// It clears the last error.
func (s *Store) FinishSyncRun(ctx context.Context, partnerSID, source string, at time.Time, records int64, perSecond float64) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sync_state (partner_sid, source, last_run_finished_at, last_run_records, rate)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (partner_sid, source) DO UPDATE SET
			last_run_finished_at = EXCLUDED.last_run_finished_at,
			last_run_records = EXCLUDED.last_run_records,
			rate = EXCLUDED.rate, last_error = NULL, last_error_at = NULL`,
		partnerSID, source, at.UTC(), records, num(decimal.NewFromFloat(perSecond).Round(3)))
	return err
}

// maxErrorLen caps a stored error message.
const maxErrorLen = 2000

// RecordSyncError notes that a run of the source's sync failed at, with msg (an
// error message only; callers must not pass credentials). Committed batches
// stay.
func (s *Store) RecordSyncError(ctx context.Context, partnerSID, source, msg string, at time.Time) error {
	if len(msg) > maxErrorLen {
		msg = msg[:maxErrorLen]
		for !utf8.ValidString(msg) {
			msg = msg[:len(msg)-1]
		}
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sync_state (partner_sid, source, last_error, last_error_at, last_run_finished_at)
		VALUES ($1, $2, $3, $4, $4)
		ON CONFLICT (partner_sid, source) DO UPDATE SET
			last_error = EXCLUDED.last_error, last_error_at = EXCLUDED.last_error_at,
			last_run_finished_at = EXCLUDED.last_run_finished_at`,
		partnerSID, source, msg, at.UTC())
	return err
}

// TryLock takes the Postgres advisory lock named key without waiting, on a
// connection of its own (outside the pool), so that only one process on the
// database acts on key at a time. ok is false when someone else holds it.
// The lock is held until release is called, or until the connection dies
// with the process. release never fails and may be called more than once.
func (s *Store) TryLock(ctx context.Context, key string) (release func(), ok bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, false, fmt.Errorf("lock connection: %w", err)
	}
	closeConn := func() { _ = conn.Close(context.Background()) }
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, key).Scan(&ok); err != nil {
		closeConn()
		return nil, false, fmt.Errorf("lock %q: %w", key, err)
	}
	if !ok {
		closeConn()
		return nil, false, nil
	}
	var once bool
	return func() {
		if once {
			return
		}
		once = true
		// Closing the session releases its advisory locks.
		closeConn()
	}, true, nil
}
