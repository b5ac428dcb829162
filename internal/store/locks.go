package store

import (
	"context"
	"fmt"
)

// WithLock runs fn while holding a Postgres advisory lock on key, so that only one
// dashboard instance (and one request) at a time acts on that key. The lock is
// released when fn returns.
func (s *Store) WithLock(ctx context.Context, key string, fn func(context.Context) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, key); err != nil {
		return fmt.Errorf("lock %q: %w", key, err)
	}
	defer func() {
		// A fresh context: the lock must be released even if ctx was cancelled.
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key)
	}()
	return fn(ctx)
}
