package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
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

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
