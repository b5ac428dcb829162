package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// reconThreshold is the difference between an invoiced line and its records
// that is flagged (DASHBOARD_RECON_THRESHOLD; default one cent).
var defaultReconThreshold = decimal.RequireFromString("0.01")

// periodOf is a line's billing period as [from, to): CarrierX's period end is
// the last second of the period (23:59:59.000), so to is one second later.
func periodOf(start, end *time.Time) (time.Time, time.Time, bool) {
	if start == nil || end == nil {
		return time.Time{}, time.Time{}, false
	}
	return start.UTC(), end.UTC().Add(time.Second), true
}

// reconcile sets each invoiced line beside the sum of the cached records of
// the same period and kind: calls ("toll", by direction) and messages ("sms",
// "mms", by direction). Other lines (monthly number fees, enablement) have no
// records behind them and are listed as not checked.
func (s *Server) reconcile(ctx context.Context, partnerSID string, inv carrierx.Invoice, threshold decimal.Decimal, loc *time.Location) ([]views.ReconLine, string, error) {
	var lines []views.ReconLine
	var gaps []string
	coverage := map[string]store.Coverage{}
	for _, it := range inv.InvoiceItems {
		dir := ""
		if it.Direction != nil {
			dir = *it.Direction
		}
		label := it.Type
		if dir != "" {
			label += " · " + dir
		}
		line := views.ReconLine{Line: label, Invoiced: "$" + it.Amount.StringFixed(2)}
		from, to, ok := periodOf(it.DateBillingPeriodStart, it.DateBillingPeriodEnd)
		if !ok {
			from, to, ok = periodOf(inv.DateBillingPeriodStart, inv.DateBillingPeriodEnd)
		}
		var sum store.RecordSum
		var err error
		source := ""
		switch {
		case !ok || dir == "":
			line.Note = "no records behind this line"
		case it.Type == "toll":
			source = store.SourceCalls
			sum, err = s.db.SumCallPrices(ctx, partnerSID, dir, from, to)
			line.RecordsURL = callsURL(from, to, dir, loc)
		case it.Type == "sms" || it.Type == "mms":
			source = store.SourceMessages
			sum, err = s.db.SumMessagePrices(ctx, partnerSID, it.Type, dir, from, to)
		default:
			line.Note = "no records behind this line"
		}
		if err != nil {
			return nil, "", err
		}
		if source != "" {
			line.Checked = true
			line.Records = strconv.FormatInt(sum.Records, 10)
			line.RecordsSum = "$" + sum.Price.StringFixed(4)
			diff := it.Amount.Sub(sum.Price)
			line.Difference = signed(diff)
			line.Flagged = diff.Abs().GreaterThan(threshold)
			cov, seen := coverage[source]
			if !seen {
				if cov, err = s.db.CacheCoverage(ctx, partnerSID, source); err != nil {
					return nil, "", err
				}
				coverage[source] = cov
			}
			if !cov.Covers(from, to) {
				gaps = append(gaps, source)
			}
		}
		lines = append(lines, line)
	}
	gap := ""
	if len(gaps) > 0 {
		gap = "The cache does not cover this whole period for " + strings.Join(dedupe(gaps), " and ") +
			": differences may come from records not synced yet (or past the sync's start)."
	}
	return lines, gap, nil
}

func signed(d decimal.Decimal) string {
	if d.IsNegative() {
		return "−$" + d.Abs().StringFixed(4)
	}
	return "+$" + d.StringFixed(4)
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// callsURL is the call explorer showing exactly a line's records; the range
// is written in the user's zone, as the explorer reads it.
func callsURL(from, to time.Time, direction string, loc *time.Location) string {
	v := url.Values{}
	v.Set("preset", "custom")
	v.Set("from", from.In(loc).Format(datetimeLocal))
	v.Set("to", to.In(loc).Format(datetimeLocal))
	v.Set("direction", direction)
	return "/records/calls?" + v.Encode()
}
