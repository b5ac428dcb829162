package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Session is one signed-in browser. ID is the SHA-256 of the cookie's random id;
// Data is sealed by the caller.
type Session struct {
	IDHash     []byte
	Data       []byte
	PartnerSID string
	Login      string
	RemoteAddr string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SaveSession inserts or replaces a session row.
func (s *Store) SaveSession(ctx context.Context, ss Session) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO web_sessions (id_hash, data, partner_sid, login, remote_addr, user_agent, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
		ON CONFLICT (id_hash) DO UPDATE SET
			data = EXCLUDED.data, partner_sid = EXCLUDED.partner_sid, login = EXCLUDED.login,
			last_seen_at = now(), expires_at = EXCLUDED.expires_at`,
		ss.IDHash, ss.Data, ss.PartnerSID, ss.Login, ss.RemoteAddr, ss.UserAgent, ss.ExpiresAt)
	return err
}

// LoadSession returns a live session, or ErrNotFound when it is missing or expired.
func (s *Store) LoadSession(ctx context.Context, idHash []byte) (Session, error) {
	var ss Session
	err := s.pool.QueryRow(ctx, `
		SELECT id_hash, data, partner_sid, login, remote_addr, user_agent, created_at, last_seen_at, expires_at
		FROM web_sessions WHERE id_hash = $1 AND expires_at > now()`, idHash).
		Scan(&ss.IDHash, &ss.Data, &ss.PartnerSID, &ss.Login, &ss.RemoteAddr, &ss.UserAgent,
			&ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	return ss, err
}

// TouchSession extends a live session's idle deadline.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, expiresAt time.Time) error {
	_, err := s.pool.Exec(ctx,
		`UPDATE web_sessions SET last_seen_at = now(), expires_at = $2 WHERE id_hash = $1 AND expires_at > now()`,
		idHash, expiresAt)
	return err
}

// ExpireSession makes a session expire now, as if it had idled out.
func (s *Store) ExpireSession(ctx context.Context, idHash []byte) error {
	_, err := s.pool.Exec(ctx, `UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, idHash)
	return err
}

// DeleteSession removes a session; a cookie that names it is useless afterwards.
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE id_hash = $1`, idHash)
	return err
}

// DeleteExpiredSessions removes sessions past their deadline.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE expires_at <= now()`)
	return tag.RowsAffected(), err
}

// LatestSession is the partner's most recently used live session, or
// ErrNotFound: background jobs act with its CarrierX token.
func (s *Store) LatestSession(ctx context.Context, partnerSID string) (Session, error) {
	var ss Session
	err := s.pool.QueryRow(ctx, `
		SELECT id_hash, data, partner_sid, login, remote_addr, user_agent, created_at, last_seen_at, expires_at
		FROM web_sessions WHERE partner_sid = $1 AND expires_at > now()
		ORDER BY last_seen_at DESC LIMIT 1`, partnerSID).
		Scan(&ss.IDHash, &ss.Data, &ss.PartnerSID, &ss.Login, &ss.RemoteAddr, &ss.UserAgent,
			&ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	return ss, err
}

// SignedInPartners are the partners with at least one live session.
func (s *Store) SignedInPartners(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT partner_sid FROM web_sessions WHERE expires_at > now() AND partner_sid <> ''`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
