package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// TestOverviewMatchesCarrierX: this month's calls and spend on the
// overview are what CarrierX's records add up to, once synced; numbers
// rented, balance and the last invoice are CarrierX's too.
func TestOverviewMatchesCarrierX(t *testing.T) {
	e := newEnvWith(t, sandbox.Config{CDRs: 2000, OtherCDRs: 200, MessageDRs: 300, ConferenceMeetings: 10, MediatorCalls: 10})
	ctx := context.Background()
	cx := e.demoClient()
	b := e.browser()
	b.signIn("demo", "demo")
	e.sync("demo")

	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	next := month.AddDate(0, 1, 0)
	calls := apiCalls(t, cx, month, next)
	spend := decimal.Zero
	for _, r := range calls {
		spend = spend.Add(r.Price.Decimal)
	}
	messages := 0
	f := carrierx.Filter{}.Ge("date_stop", month).Lt("date_stop", next)
	for m, err := range cx.AllMessageDRs(ctx, carrierx.ListOptions{Filter: f, Limit: 1000}) {
		require.NoError(t, err)
		spend = spend.Add(m.Price.Decimal)
		messages++
	}
	require.NotEmpty(t, calls, "the sandbox has calls this month")
	dids, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	p, err := cx.GetPartner(ctx, e.sandbox.DemoPartner().PartnerSID)
	require.NoError(t, err)
	invs, err := cx.ListInvoices(ctx, carrierx.ListOptions{Order: "date_billing_period_start desc", Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, invs.Items)

	page := b.get("/overview")
	require.Equal(t, http.StatusOK, page.StatusCode)
	st := stats(page.Body)
	assert.Equal(t, formatThousands(len(calls)), st["Calls"])
	assert.Equal(t, formatThousands(messages), st["Messages"])
	assert.Equal(t, "$"+spend.StringFixed(2), st["Spend on records"])
	assert.Equal(t, formatThousands(*dids.Total), st["Numbers rented"])
	assert.Equal(t, "$"+p.Balance.Decimal.StringFixed(2), st["Balance now"])
	assert.Contains(t, page.Body, invs.Items[0].DisplayID, "the last invoice")

	// Another partner's overview is its own.
	o := e.browser()
	o.signIn("other", "other")
	op, err := e.otherClient().GetPartner(ctx, e.sandbox.OtherPartner().PartnerSID)
	require.NoError(t, err)
	assert.Equal(t, "$"+op.Balance.Decimal.StringFixed(2), stats(o.get("/overview").Body)["Balance now"])
}

// formatThousands writes n with thousands separators, as the console does.
func formatThousands(n int) string {
	d := strconv.Itoa(n)
	for i := len(d) - 3; i > 0; i -= 3 {
		d = d[:i] + "," + d[i:]
	}
	return d
}
