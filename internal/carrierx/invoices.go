package carrierx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
)

// Invoices live at /invoices in the seed (the project's specification) and at
// /billing/invoices in CarrierX's public docs (§4.8). The client calls the
// path it last saw answer — the seed's until then — and, when the answer
// says the path itself is unknown, tries the other one once and remembers
// which worked.
//
// "The path is unknown" means: a 404 whose body is not CarrierX's
// "no item error" (the answer for a missing object, which proves the route
// exists), or on the collection any 404 or 405. Anything else — success, a
// real "no item error", 401/403, 5xx, a network error — is returned as it
// is. The download and e-mail aliases (/billing/invoices/{sid}.pdf, ...)
// are not confirmed: they are inferred from the collection's alias.
const (
	invoicesSeedPath  = "/invoices"
	invoicesAliasPath = "/billing/invoices"
)

// Values of Client.invoiceRoute.
const (
	invoiceRouteUnknown int32 = iota
	invoiceRouteSeed
	invoiceRouteAlias
)

// invoiceBases returns the invoice collection paths, the one to try first
// first.
func (c *Client) invoiceBases() [2]string {
	if c.invoiceRoute != nil && c.invoiceRoute.Load() == invoiceRouteAlias {
		return [2]string{invoicesAliasPath, invoicesSeedPath}
	}
	return [2]string{invoicesSeedPath, invoicesAliasPath}
}

func (c *Client) rememberInvoiceBase(base string) {
	if c.invoiceRoute == nil {
		return
	}
	if base == invoicesAliasPath {
		c.invoiceRoute.Store(invoiceRouteAlias)
	} else {
		c.invoiceRoute.Store(invoiceRouteSeed)
	}
}

// InvoicePath reports the invoice collection path (relative to /core/v2)
// the client currently calls first: "/invoices" or "/billing/invoices".
func (c *Client) InvoicePath() string { return c.invoiceBases()[0] }

// isNoItem reports whether e is CarrierX's answer for a missing object
// (§3.2: message "no item error", or an entry "cannot find item by sid").
func isNoItem(e *Error) bool {
	if strings.EqualFold(strings.TrimSpace(e.Message), "no item error") {
		return true
	}
	for _, fe := range e.Errors {
		if strings.EqualFold(strings.TrimSpace(fe.Message), "cannot find item by sid") {
			return true
		}
	}
	return false
}

// invoicePathUnknown reports whether err says the route itself does not
// exist (see the comment on invoicesSeedPath).
func invoicePathUnknown(err error, collection bool) bool {
	e, ok := AsError(err)
	if !ok {
		return false
	}
	switch e.Status {
	case http.StatusNotFound:
		return collection || !isNoItem(e)
	case http.StatusMethodNotAllowed:
		return collection
	}
	return false
}

// routeProven reports whether an answer shows the route exists.
func routeProven(err error) bool {
	if err == nil {
		return true
	}
	e, ok := AsError(err)
	return ok && e.Status == http.StatusNotFound && isNoItem(e)
}

// withInvoiceBase runs call with the preferred invoice base path and, when
// the answer says that path is unknown, once more with the other. The first
// attempt's error is returned when both paths are unknown.
func withInvoiceBase[R any](c *Client, collection bool, call func(base string) (R, error)) (R, error) {
	bases := c.invoiceBases()
	r, err := call(bases[0])
	if !invoicePathUnknown(err, collection) {
		if routeProven(err) {
			c.rememberInvoiceBase(bases[0])
		}
		return r, err
	}
	r2, err2 := call(bases[1])
	if invoicePathUnknown(err2, collection) {
		var zero R
		return zero, err
	}
	if routeProven(err2) {
		c.rememberInvoiceBase(bases[1])
	}
	return r2, err2
}

// ListInvoices returns one page of the partner's invoices
// (GET /invoices, alias /billing/invoices).
func (c *Client) ListInvoices(ctx context.Context, opts ListOptions) (*Page[Invoice], error) {
	return withInvoiceBase(c, true, func(base string) (*Page[Invoice], error) {
		return listPage[Invoice](ctx, c, core, base, opts)
	})
}

// AllInvoices iterates over every invoice matching opts. The first page
// settles the path; later pages follow pagination.next or use that path.
func (c *Client) AllInvoices(ctx context.Context, opts ListOptions) iter.Seq2[Invoice, error] {
	// Cursor paging on invoices is not documented: no cursor fallback.
	return iterate(ctx, c, core, opts, nil, func(ctx context.Context) (*Page[Invoice], string, error) {
		var used string
		p, err := withInvoiceBase(c, true, func(base string) (*Page[Invoice], error) {
			used = base
			return listPage[Invoice](ctx, c, core, base, opts)
		})
		return p, used, err
	})
}

// GetInvoice returns one invoice (GET /invoices/{invoice_sid}).
func (c *Client) GetInvoice(ctx context.Context, sid string) (*Invoice, error) {
	if err := requireSID("invoice_sid", sid); err != nil {
		return nil, err
	}
	return withInvoiceBase(c, false, func(base string) (*Invoice, error) {
		return getOne[Invoice](ctx, c, core, base+"/"+pathEscape(sid), nil)
	})
}

// InvoiceHTML downloads the invoice's HTML report
// (GET /invoices/{invoice_sid}.html). The body is streamed, not buffered:
// the caller reads it and must close it. The client's timeout (or ctx's
// deadline) still applies while the caller reads. Non-2xx gives *Error.
func (c *Client) InvoiceHTML(ctx context.Context, sid string) (io.ReadCloser, error) {
	return c.invoiceReport(ctx, sid, "html", "text/html")
}

// InvoicePDF downloads the invoice's PDF report
// (GET /invoices/{invoice_sid}.pdf), streamed like InvoiceHTML.
func (c *Client) InvoicePDF(ctx context.Context, sid string) (io.ReadCloser, error) {
	return c.invoiceReport(ctx, sid, "pdf", "application/pdf")
}

func (c *Client) invoiceReport(ctx context.Context, sid, ext, media string) (io.ReadCloser, error) {
	if err := requireSID("invoice_sid", sid); err != nil {
		return nil, err
	}
	return withInvoiceBase(c, false, func(base string) (io.ReadCloser, error) {
		req := core.get(base+"/"+pathEscape(sid)+"."+ext, nil)
		// Errors may still come as CarrierX JSON.
		req.accept = media + ", application/json;q=0.9, */*;q=0.1"
		return c.stream(ctx, req)
	})
}

// EmailInvoice asks CarrierX to e-mail the invoice's report in format "html"
// or "pdf" to the given addresses (POST /invoices/{invoice_sid}.{format}/emails).
// The body {"emails": [...]} is not confirmed (the seed names the method,
// not its body); the answer's body is ignored. It is never retried: a 5xx
// or a timeout may still have sent the mail. The only second request is the
// invoice-path fallback, made when the first answer is a 404 that is not
// CarrierX's "no item error" — the route does not exist there, so nothing
// was sent.
func (c *Client) EmailInvoice(ctx context.Context, sid, format string, emails []string) error {
	if err := requireSID("invoice_sid", sid); err != nil {
		return err
	}
	f := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(format), "."))
	if f != "html" && f != "pdf" {
		return fmt.Errorf("carrierx: invoice e-mail format must be \"html\" or \"pdf\", not %q", format)
	}
	if len(emails) == 0 {
		return errors.New("carrierx: no e-mail addresses to send the invoice to")
	}
	list := make([]string, 0, len(emails))
	for _, e := range emails {
		e = strings.TrimSpace(e)
		if e == "" || strings.ContainsAny(e, " \t\r\n,;") || !strings.Contains(e, "@") {
			return fmt.Errorf("carrierx: invalid e-mail address %q", e)
		}
		list = append(list, e)
	}
	body := struct {
		Emails []string `json:"emails"`
	}{list}
	_, err := withInvoiceBase(c, false, func(base string) (struct{}, error) {
		return struct{}{}, c.do(ctx, &request{
			method:  http.MethodPost,
			path:    core.base + base + "/" + pathEscape(sid) + "." + f + "/emails",
			body:    body,
			noRetry: true,
		}, nil)
	})
	return err
}
