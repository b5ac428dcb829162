package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// A message send is claimed by the key of the form it came from before
// CarrierX is asked, so that one form sends at most one message, whatever
// the clicks, tabs and retries.

// SendClaim is what ClaimMessageSend found.
type SendClaim struct {
	Claimed    bool   // this call holds the key now: go on and send
	MessageSID string // the key was used: the message it sent ("" while in flight or unknown)
}

// ClaimMessageSend claims key for the partner; only the first call for a
// key gets Claimed.
func (s *Store) ClaimMessageSend(ctx context.Context, partnerSID, key string) (SendClaim, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO message_sends (partner_sid, send_key) VALUES ($1, $2)
		ON CONFLICT (partner_sid, send_key) DO NOTHING`, partnerSID, key)
	if err != nil {
		return SendClaim{}, err
	}
	if tag.RowsAffected() == 1 {
		return SendClaim{Claimed: true}, nil
	}
	var sid *string
	err = s.pool.QueryRow(ctx, `SELECT message_sid FROM message_sends WHERE partner_sid = $1 AND send_key = $2`,
		partnerSID, key).Scan(&sid)
	if errors.Is(err, pgx.ErrNoRows) {
		// Released between the two statements: the earlier send was refused.
		return s.ClaimMessageSend(ctx, partnerSID, key)
	}
	if err != nil || sid == nil {
		return SendClaim{}, err
	}
	return SendClaim{MessageSID: *sid}, nil
}

// MessageSent records the message a claimed key sent.
func (s *Store) MessageSent(ctx context.Context, partnerSID, key, messageSID string) error {
	_, err := s.pool.Exec(ctx, `UPDATE message_sends SET message_sid = $3 WHERE partner_sid = $1 AND send_key = $2`,
		partnerSID, key, messageSID)
	return err
}

// ReleaseMessageSend gives a key back after CarrierX refused the message
// (nothing was sent), so the corrected form can be sent.
func (s *Store) ReleaseMessageSend(ctx context.Context, partnerSID, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM message_sends WHERE partner_sid = $1 AND send_key = $2 AND message_sid IS NULL`,
		partnerSID, key)
	return err
}
