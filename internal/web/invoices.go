package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

func money(d decimal.Decimal) string { return "$" + d.StringFixed(2) }

func periodLabel(start, end *time.Time) string {
	if start == nil || end == nil {
		return ""
	}
	return start.UTC().Format("2006-01-02") + " – " + end.UTC().Format("2006-01-02")
}

// listInvoices is the partner's cached invoices.
func (s *Server) listInvoices(c echo.Context) error {
	a := authOf(c)
	rows, err := s.db.ListInvoices(c.Request().Context(), a.PartnerSID)
	if err != nil {
		return err
	}
	var d views.InvoicesData
	for _, r := range rows {
		d.Rows = append(d.Rows, views.InvoiceListRow{SID: r.SID, DisplayID: r.DisplayID, Status: r.Status,
			Period: periodLabel(r.PeriodStart, r.PeriodEnd), Amount: money(r.Amount), AmountDue: money(r.AmountDue), Paid: r.Paid})
	}
	return render(c, http.StatusOK, views.InvoicesPage(s.page(c, "Invoices", "invoices"), d))
}

func (s *Server) cachedInvoice(c echo.Context) (store.InvoiceRow, carrierx.Invoice, error) {
	a := authOf(c)
	row, err := s.db.Invoice(c.Request().Context(), a.PartnerSID, c.Param("sid"))
	if errors.Is(err, store.ErrNotFound) {
		return row, carrierx.Invoice{}, echo.NewHTTPError(http.StatusNotFound, "There is no such invoice in the cache.")
	}
	if err != nil {
		return row, carrierx.Invoice{}, err
	}
	var inv carrierx.Invoice
	if err := json.Unmarshal(row.Raw, &inv); err != nil {
		return row, inv, err
	}
	return row, inv, nil
}

// showInvoice is one invoice's review: lines, downloads, email, reconciliation.
func (s *Server) showInvoice(c echo.Context) error {
	_, inv, err := s.cachedInvoice(c)
	if err != nil {
		return err
	}
	d, err := s.invoiceData(c, inv)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.InvoicePage(s.page(c, "Invoice "+inv.DisplayID, "invoices"), d))
}

func (s *Server) invoiceData(c echo.Context, inv carrierx.Invoice) (views.InvoiceData, error) {
	a := authOf(c)
	d := views.InvoiceData{
		SID: inv.InvoiceSID, DisplayID: inv.DisplayID, Status: inv.Status, Paid: inv.Paid,
		Period: periodLabel(inv.DateBillingPeriodStart, inv.DateBillingPeriodEnd),
		Amount: money(inv.Amount), AmountDue: money(inv.AmountDue), AmountTax: money(inv.AmountTax),
		Threshold: "$" + s.reconThreshold().String(), CSRF: a.CSRF,
	}
	for _, it := range inv.InvoiceItems {
		dir := ""
		if it.Direction != nil {
			dir = *it.Direction
		}
		d.Items = append(d.Items, views.InvoiceLine{Type: it.Type, Direction: dir, Country: it.CountryCode,
			Period: periodLabel(it.DateBillingPeriodStart, it.DateBillingPeriodEnd),
			Usage:  decimal.NewFromInt(it.Usage).String(), Amount: money(it.Amount)})
	}
	for _, t := range inv.TaxItems {
		d.Taxes = append(d.Taxes, views.InvoiceLine{Type: t.Type, Direction: t.Jurisdiction, Amount: money(t.Amount)})
	}
	for _, p := range inv.PayItems {
		l := views.InvoiceLine{Type: "payment"}
		if p.Type != nil {
			l.Type = *p.Type
		}
		if p.Amount.Valid {
			l.Amount = money(p.Amount.Decimal)
		}
		if p.DateCreated != nil {
			l.Period = p.DateCreated.In(a.location()).Format("2006-01-02")
		}
		d.Payments = append(d.Payments, l)
	}
	var err error
	d.Recon, d.CoverageGap, err = s.reconcile(c.Request().Context(), a.PartnerSID, inv, s.reconThreshold(), a.location())
	return d, err
}

func (s *Server) reconThreshold() decimal.Decimal {
	if s.cfg.ReconThreshold.IsPositive() {
		return s.cfg.ReconThreshold
	}
	return defaultReconThreshold
}

// invoiceReport streams CarrierX's HTML or PDF rendering of an invoice.
func (s *Server) invoiceReport(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		row, _, err := s.cachedInvoice(c) // the partner's own invoice, or 404
		if err != nil {
			return err
		}
		cx := s.client(c)
		var body io.ReadCloser
		if format == "pdf" {
			body, err = cx.InvoicePDF(c.Request().Context(), row.SID)
		} else {
			body, err = cx.InvoiceHTML(c.Request().Context(), row.SID)
		}
		if err != nil {
			return s.failCarrierX(c, err)
		}
		defer body.Close()
		h := c.Response().Header()
		name := "invoice-" + strings.TrimSpace(row.DisplayID) + "." + format
		if format == "pdf" {
			h.Set(echo.HeaderContentType, "application/pdf")
			h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		} else {
			h.Set(echo.HeaderContentType, "text/html; charset=utf-8")
			// CarrierX's page is shown as a document of its own, sandboxed: no script runs.
			h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
			h.Set(echo.HeaderContentDisposition, `inline; filename="`+name+`"`)
		}
		c.Response().WriteHeader(http.StatusOK)
		_, err = io.Copy(c.Response(), body)
		return err
	}
}

// emailInvoice asks CarrierX to send the invoice's report to addresses.
func (s *Server) emailInvoice(c echo.Context) error {
	a := authOf(c)
	row, inv, err := s.cachedInvoice(c)
	if err != nil {
		return err
	}
	d := views.InvoiceData{SID: row.SID, CSRF: a.CSRF, Emails: strings.TrimSpace(c.FormValue("emails"))}
	format := c.FormValue("format")
	if format != "html" {
		format = "pdf"
	}
	var emails []string
	for _, e := range strings.FieldsFunc(d.Emails, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		addr, err := mail.ParseAddress(e)
		if err != nil || addr.Address != e {
			d.EmailError = "Not an email address: " + e
			break
		}
		emails = append(emails, e)
	}
	if d.EmailError == "" && len(emails) == 0 {
		d.EmailError = "Enter at least one email address."
	}
	if d.EmailError != "" {
		return renderFragment(c, http.StatusUnprocessableEntity, views.InvoiceEmailForm(d), flashError("Not sent: "+d.EmailError))
	}
	label := "invoice " + inv.DisplayID
	if err := s.client(c).EmailInvoice(c.Request().Context(), row.SID, format, emails); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "email_invoice", ObjectType: "invoice", ObjectSID: row.SID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, After: jsonOf(map[string]any{"emails": emails, "format": format})})
		d.EmailError = p.Message
		if m, ok := p.Fields["emails"]; ok {
			d.EmailError = m
		}
		return renderFragment(c, http.StatusUnprocessableEntity, views.InvoiceEmailForm(d), flashError("Not sent: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "email_invoice", ObjectType: "invoice", ObjectSID: row.SID, ObjectLabel: label,
		Outcome: store.OutcomeOK, After: jsonOf(map[string]any{"emails": emails, "format": format})})
	d.Emails = ""
	if !isHTMX(c) {
		return s.redirectWithFlash(c, "/invoices/"+row.SID, flashOK("Sent the "+strings.ToUpper(format)+" report of "+label+" to "+strings.Join(emails, ", ")+"."))
	}
	return renderFragment(c, http.StatusOK, views.InvoiceEmailForm(d),
		flashOK("Sent the "+strings.ToUpper(format)+" report of "+label+" to "+strings.Join(emails, ", ")+"."))
}
