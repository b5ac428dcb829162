package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Sign-in throttling: the first freeFailures failures in a window cost nothing;
// after that each further attempt must wait twice as long as the one before,
// up to maxLoginDelay. A success clears the record.
const (
	freeFailures   = 5
	failureWindow  = 15 * time.Minute
	firstLoginWait = 2 * time.Second
	maxLoginDelay  = 5 * time.Minute
)

// LoginWait says how long the client must wait before its next sign-in attempt.
func (s *Store) LoginWait(ctx context.Context, clientKey string, now time.Time) (time.Duration, error) {
	var failures int
	var last time.Time
	err := s.pool.QueryRow(ctx,
		`SELECT failures, last_failure_at FROM login_failures WHERE client_key = $1`, clientKey).Scan(&failures, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if now.Sub(last) > failureWindow || failures < freeFailures {
		return 0, nil
	}
	wait := firstLoginWait << min(failures-freeFailures, 16)
	wait = min(wait, maxLoginDelay)
	if left := last.Add(wait).Sub(now); left > 0 {
		return left, nil
	}
	return 0, nil
}

// RecordLoginFailure counts one failed sign-in from the client.
func (s *Store) RecordLoginFailure(ctx context.Context, clientKey string, now time.Time) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO login_failures (client_key, failures, last_failure_at) VALUES ($1, 1, $2)
		ON CONFLICT (client_key) DO UPDATE SET
			failures = CASE WHEN login_failures.last_failure_at < $2 - $3::interval THEN 1
			                ELSE login_failures.failures + 1 END,
			last_failure_at = $2`, clientKey, now, failureWindow.String())
	return err
}

// ClearLoginFailures forgets the client's failures after a successful sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, clientKey string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE client_key = $1`, clientKey)
	return err
}
