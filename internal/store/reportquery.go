package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// Reading the report cache. Every query is scoped to one partner.

// CountRecords returns how many records of the source are cached for the partner.
func (s *Store) CountRecords(ctx context.Context, partnerSID, source string) (int64, error) {
	t, err := tableOf(source)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM `+t.name+` WHERE partner_sid = $1`, partnerSID).Scan(&n)
	return n, err
}

// RecordSIDs returns the SIDs of every cached record of the source for the
// partner, sorted.
func (s *Store) RecordSIDs(ctx context.Context, partnerSID, source string) ([]string, error) {
	t, err := tableOf(source)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT sid FROM `+t.name+` WHERE partner_sid = $1 ORDER BY sid`, partnerSID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// RecordRaw returns one cached record as CarrierX sent it, or ErrNotFound.
func (s *Store) RecordRaw(ctx context.Context, partnerSID, source, sid string) (json.RawMessage, error) {
	t, err := tableOf(source)
	if err != nil {
		return nil, err
	}
	var raw []byte
	err = s.pool.QueryRow(ctx, `SELECT raw FROM `+t.name+` WHERE partner_sid = $1 AND sid = $2`, partnerSID, sid).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return raw, err
}

// CallTotals sums the partner's cached call records.
type CallTotals struct {
	Calls           int64
	Duration        decimal.Decimal // seconds
	DurationBilling decimal.Decimal // seconds
	Price           decimal.Decimal
}

// SumCalls totals the partner's calls whose date_stop is in [from, to); a zero
// bound is open.
func (s *Store) SumCalls(ctx context.Context, partnerSID string, from, to time.Time) (CallTotals, error) {
	var (
		t           CallTotals
		d, db, pric pgtype.Numeric
	)
	err := s.pool.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(duration), 0), coalesce(sum(duration_billing), 0), coalesce(sum(price), 0)
		FROM call_records
		WHERE partner_sid = $1
		  AND ($2::timestamptz IS NULL OR date_stop >= $2)
		  AND ($3::timestamptz IS NULL OR date_stop < $3)`,
		partnerSID, optTime(from), optTime(to)).Scan(&t.Calls, &d, &db, &pric)
	if err != nil {
		return t, err
	}
	for _, x := range []struct {
		n   pgtype.Numeric
		out *decimal.Decimal
	}{{d, &t.Duration}, {db, &t.DurationBilling}, {pric, &t.Price}} {
		v, err := decimalOf(x.n)
		if err != nil {
			return t, err
		}
		*x.out = v.Decimal
	}
	return t, nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
