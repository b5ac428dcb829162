package store

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// UsageTotals sums a partner's cached calls and messages over [from, to).
type UsageTotals struct {
	Calls         int64
	BilledSeconds decimal.Decimal
	CallCost      decimal.Decimal
	Messages      int64
	MessageCost   decimal.Decimal
}

// Usage totals the partner's cached calls and messages with date_stop in [from, to).
func (s *Store) Usage(ctx context.Context, partnerSID string, from, to time.Time) (UsageTotals, error) {
	var u UsageTotals
	calls, err := s.SummarizeCalls(ctx, CallFilter{PartnerSID: partnerSID, From: from, To: to}) // from the rollup
	if err != nil {
		return u, err
	}
	u.Calls, u.BilledSeconds, u.CallCost = calls.Calls, calls.BilledSeconds, calls.Cost
	err = s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(price), 0)
		FROM message_records WHERE partner_sid = $1 AND date_stop >= $2 AND date_stop < $3`, partnerSID, from, to).
		Scan(&u.Messages, &u.MessageCost)
	return u, err
}
