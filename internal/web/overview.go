package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// showOverview is this month at a glance, from the report cache, with the
// numbers rented from CarrierX.
func (s *Server) showOverview(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	loc := a.location()
	from, to := presetRange("this_month", time.Now(), loc)
	u, err := s.db.Usage(ctx, a.PartnerSID, from, to)
	if err != nil {
		return err
	}
	d := views.OverviewData{
		Month:    from.Format("January 2006"),
		Calls:    formatCount(u.Calls),
		Minutes:  u.BilledSeconds.Div(decimal.NewFromInt(60)).StringFixed(1),
		Spend:    money(u.CallCost.Add(u.MessageCost)),
		Messages: formatCount(u.Messages),
		Numbers:  "—",
		Balance:  "—",
	}
	pg := s.page(c, "Overview", "overview")
	if page, err := s.client(c).ListDIDs(ctx, carrierx.ListOptions{Limit: 1}); err == nil && page.Total != nil {
		d.Numbers = formatCount(int64(*page.Total))
	} else if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		if p.Outage {
			pg.Outage = p.Message
		}
	}
	if p, err := s.client(c).GetPartner(ctx, a.PartnerSID); err == nil && p.Balance.Valid {
		d.Balance = moneyExact(p.Balance)
	}
	invoices, err := s.db.ListInvoices(ctx, a.PartnerSID)
	if err != nil {
		return err
	}
	d.SpendByMonth = views.BarChart{Title: "Spend per month", Caption: "invoice amounts, last 12 months"}
	for i := len(invoices) - 1; i >= 0; i-- { // oldest first
		inv := invoices[i]
		if inv.PeriodStart == nil || inv.PeriodStart.Before(from.AddDate(-1, 0, 0)) {
			continue
		}
		v, _ := inv.Amount.Float64() // bar height only; the label stays exact
		d.SpendByMonth.Bars = append(d.SpendByMonth.Bars, views.Bar{
			Label: inv.PeriodStart.UTC().Format("Jan 06"), Value: v, Display: money(inv.Amount)})
	}
	if len(invoices) > 0 {
		r := invoices[0]
		d.LastInvoice = &views.InvoiceListRow{SID: r.SID, DisplayID: r.DisplayID, Status: r.Status,
			Period: periodLabel(r.PeriodStart, r.PeriodEnd), Amount: money(r.Amount), AmountDue: money(r.AmountDue), Paid: r.Paid}
	}
	if d.Sync, err = s.syncStatus(c); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.OverviewPage(pg, d))
}
