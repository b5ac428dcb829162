package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// InvoiceRow is one cached invoice with its full body as CarrierX sent it.
type InvoiceRow struct {
	SID         string
	DisplayID   string
	Status      string
	PeriodStart *time.Time
	PeriodEnd   *time.Time
	Amount      decimal.Decimal
	AmountDue   decimal.Decimal
	AmountTax   decimal.Decimal
	Paid        bool
	Raw         json.RawMessage
}

const invoiceColumns = `sid, display_id, status, date_billing_period_start, date_billing_period_end,
	amount, amount_due, amount_tax, paid, raw`

func scanInvoice(row pgx.Row) (InvoiceRow, error) {
	var r InvoiceRow
	var raw []byte
	err := row.Scan(&r.SID, &r.DisplayID, &r.Status, &r.PeriodStart, &r.PeriodEnd, &r.Amount, &r.AmountDue,
		&r.AmountTax, &r.Paid, &raw)
	r.Raw = raw
	return r, err
}

// ListInvoices returns the partner's cached invoices, newest period first.
func (s *Store) ListInvoices(ctx context.Context, partnerSID string) ([]InvoiceRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE partner_sid = $1
		ORDER BY date_billing_period_start DESC NULLS LAST, sid`, partnerSID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InvoiceRow
	for rows.Next() {
		r, err := scanInvoice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Invoice returns one of the partner's cached invoices, or ErrNotFound.
func (s *Store) Invoice(ctx context.Context, partnerSID, sid string) (InvoiceRow, error) {
	r, err := scanInvoice(s.pool.QueryRow(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE partner_sid = $1 AND sid = $2`, partnerSID, sid))
	if errors.Is(err, pgx.ErrNoRows) {
		return InvoiceRow{}, ErrNotFound
	}
	return r, err
}

// RecordSum is the cached records of one kind in a period: how many and what
// they cost.
type RecordSum struct {
	Records int64
	Price   decimal.Decimal
}

// SumCallPrices totals the partner's cached calls of a direction with
// date_stop in [from, to).
func (s *Store) SumCallPrices(ctx context.Context, partnerSID, direction string, from, to time.Time) (RecordSum, error) {
	var r RecordSum
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(price), 0) FROM call_records
		WHERE partner_sid = $1 AND direction = $2 AND date_stop >= $3 AND date_stop < $4`,
		partnerSID, direction, from, to).Scan(&r.Records, &r.Price)
	return r, err
}

// SumMessagePrices totals the partner's cached messages of a type (sms, mms)
// and direction with date_stop in [from, to).
func (s *Store) SumMessagePrices(ctx context.Context, partnerSID, typ, direction string, from, to time.Time) (RecordSum, error) {
	var r RecordSum
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(price), 0) FROM message_records
		WHERE partner_sid = $1 AND type = $2 AND direction = $3 AND date_stop >= $4 AND date_stop < $5`,
		partnerSID, typ, direction, from, to).Scan(&r.Records, &r.Price)
	return r, err
}

// Coverage is the span of time a source's cache holds for a partner: from its
// oldest cached record to where the sync stands.
type Coverage struct {
	Oldest        *time.Time
	SyncedThrough *time.Time
}

// Covers reports whether [from, to) lies inside the cached span (a day's slack
// at the start, since a quiet first day has no records).
func (c Coverage) Covers(from, to time.Time) bool {
	return c.Oldest != nil && c.SyncedThrough != nil &&
		!c.Oldest.After(from.Add(24*time.Hour)) && !c.SyncedThrough.Before(to)
}

var coverageTables = map[string]string{"calls": "call_records", "messages": "message_records"}

// CacheCoverage tells how much of a source ("calls" or "messages") is cached.
func (s *Store) CacheCoverage(ctx context.Context, partnerSID, source string) (Coverage, error) {
	table, ok := coverageTables[source]
	if !ok {
		return Coverage{}, errors.New("store: no coverage for source " + source)
	}
	var c Coverage
	if err := s.pool.QueryRow(ctx, `SELECT min(date_stop) FROM `+table+` WHERE partner_sid = $1`, partnerSID).Scan(&c.Oldest); err != nil {
		return c, err
	}
	err := s.pool.QueryRow(ctx, `SELECT synced_through FROM sync_state WHERE partner_sid = $1 AND source = $2`, partnerSID, source).Scan(&c.SyncedThrough)
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	return c, err
}
