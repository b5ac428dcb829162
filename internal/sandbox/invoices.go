package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// Invoices (§4.8): one per calendar month per partner, for every month the
// records cover plus the current (open) month, served at /invoices (the
// method list's path) and /billing/invoices (the object page's path).
//
// Items follow from the records: for each (type, direction) with usage in
// the month an item whose amount is the exact sum of the records' prices
// (by date_stop in the month), rounded half-up to cents:
//   - "toll" by direction, usage = billed seconds (sum of duration_billing):
//     the documented sample's item has amount 0.37 and usage 8880, which is
//     148 minutes at the documented inbound rate 0.0025, in seconds;
//   - "sms" / "mms" by direction, usage = segments (SMS) or messages (MMS);
//   - "did" (no direction): the partner's rented numbers' monthly prices,
//     usage = number of DIDs.
//
// Choices where CarrierX's behaviour is not confirmed:
//   - status is "open" for the current month and "closed" for past months
//     (only "open" is documented; payment is told by "paid");
//   - past months are paid (paid true, amount_due "0", date_charged the 1st
//     of the next month 00:30 UTC, date_issued the 1st at 00:00); the payment
//     appears in the next invoice's pay_items ({amount, date_created, type
//     "payment"}); the open invoice has amount_due = max(0, balance_forward);
//   - balance_previous is the previous invoice's balance_forward (0 for the
//     first); balance_forward = balance_previous + amount - payments;
//   - tax: one "fed_universal_service_fund" item (jurisdiction "federal") at
//     a fixed 34.4 % of the voice items (toll and did; messaging is not
//     USF-assessable), rounded half-up to cents; amount_tax is the taxes'
//     sum and amount = items + taxes;
//   - dates: period start the 1st 00:00:00.000Z, end the last day
//     23:59:59.000Z, date_created the day before the start at 23:30:01 (as in
//     the sample), date_charge_expected the period end;
//   - display_id numbers a partner's invoices from "001" in time order.

// usfRatePermille is the USF tax rate in parts per thousand (34.4 %).
const usfRatePermille = 344

// invItem is one invoice line; amount in micro-dollars.
type invItem struct {
	typ, dir string // dir "" for items without a direction
	usage    int64
	amount   int64
}

// invoice is one invoice's state; its object is rebuilt from it.
type invoice struct {
	rec          *record
	seq          int
	start, end   time.Time
	current      bool
	items        []invItem
	tax          int64
	amount       int64
	balPrev      int64
	balFwd       int64
	payDate      time.Time // when chargedPrior was paid
	chargedPrior int64     // previous invoice's amount, paid during this period
}

// invoiceSchema is the Invoice object (all read-only), for filters, order
// and field selection.
var invoiceSchema = func() *schema {
	itemSch := newSchema("invoice_item", "",
		fld("amount", kindNum, ro()), fld("country_code", kindString, ro()),
		fld("date_billing_period_end", kindTime, ro()), fld("date_billing_period_start", kindTime, ro()),
		fld("direction", kindString, ro(), null()), fld("type", kindString, ro()), fld("usage", kindInt, ro()))
	taxSch := newSchema("tax_item", "",
		fld("amount", kindNum, ro()), fld("jurisdiction", kindString, ro()), fld("type", kindString, ro()))
	paySch := newSchema("pay_item", "",
		fld("amount", kindNum, ro(), null()), fld("date_created", kindTime, ro(), null()), fld("type", kindString, ro(), null()))
	return newSchema("invoice", "invoice_sid",
		fld("amount", kindNum, ro()),
		fld("amount_due", kindNum, ro()),
		fld("amount_tax", kindNum, ro()),
		fld("balance_forward", kindNum, ro()),
		fld("balance_previous", kindNum, ro()),
		fld("date_billing_period_end", kindTime, ro(), null()),
		fld("date_billing_period_start", kindTime, ro(), null()),
		fld("date_charge_expected", kindTime, ro(), null()),
		fld("date_charged", kindTime, ro(), null()),
		fld("date_created", kindTime, ro(), null()),
		fld("date_issued", kindTime, ro(), null()),
		fld("display_id", kindString, ro()),
		fld("invoice_items", kindArray, ro(), elem(itemSch)),
		sidField("invoice_sid"),
		fld("paid", kindBool, ro()),
		roStr("partner_sid"),
		fld("pay_items", kindArray, ro(), elem(paySch)),
		fld("status", kindString, ro()),
		fld("tax_items", kindArray, ro(), elem(taxSch)),
	)
}()

func (s *Sandbox) invoiceView() *view {
	return &view{schema: invoiceSchema, table: s.invoices, param: "invoice_sid", defaultLimit: 10,
		visible: func(c *call, r *record) bool { return r.owner == c.partner.sid }}
}

// roundCents rounds micro-dollars half-up (away from zero) to whole cents.
func roundCents(micro int64) int64 {
	if micro < 0 {
		return -roundCents(-micro)
	}
	return (micro + 5000) / 10000 * 10000
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// buildInvoices computes every partner's invoices from its records. It runs
// once, right after the records are generated.
func (s *Sandbox) buildInvoices() {
	st := s.recs
	for pi, ps := range st.snap.partners {
		p := st.byPartner[ps.sid]
		rng := st.rng(pi, streamInvoice)
		first := monthStart(st.snap.now)
		for _, k := range drKinds[:2] {
			if n := p.count(k.kind); n > 0 {
				first = monthStart(time.UnixMilli(p.stopAt(k.kind, 0)).UTC())
			}
		}
		cur := monthStart(st.snap.now)
		var invs []*invoice
		for m := first; !m.After(cur); m = m.AddDate(0, 1, 0) {
			invs = append(invs, &invoice{seq: len(invs) + 1, start: m,
				end: m.AddDate(0, 1, 0).Add(-time.Second), current: m.Equal(cur)})
		}
		// Usage and exact price sums per month, type and direction.
		type acc struct{ usage, amount int64 }
		sums := make([]map[[2]string]*acc, len(invs))
		for j := range sums {
			sums[j] = map[[2]string]*acc{}
		}
		monthOf := func(ms int64) int {
			t := time.UnixMilli(ms).UTC()
			return (t.Year()-first.Year())*12 + int(t.Month()) - int(first.Month())
		}
		add := func(j int, typ, dir string, usage, amount int64) {
			if j < 0 || j >= len(invs) {
				return
			}
			a := sums[j][[2]string{typ, dir}]
			if a == nil {
				a = &acc{}
				sums[j][[2]string{typ, dir}] = a
			}
			a.usage += usage
			a.amount += amount
		}
		// Records are sorted by date_stop: the month changes rarely.
		j, next := -1, int64(0)
		for i := range p.cdrs {
			r := &p.cdrs[i]
			if j < 0 || r.stop >= next {
				j = monthOf(r.stop)
				next = first.AddDate(0, j+1, 0).UnixMilli()
			}
			if r.bill > 0 {
				add(j, "toll", dirNames[r.dir], int64(r.bill), r.price())
			}
		}
		j = -1
		for i := range p.mdrs {
			m := &p.mdrs[i]
			if j < 0 || m.stop >= next {
				j = monthOf(m.stop)
				next = first.AddDate(0, j+1, 0).UnixMilli()
			}
			add(j, msgTypes[m.typ], dirNames[m.dir], int64(m.segs), m.price())
		}
		var didFees int64
		for _, d := range p.dids {
			didFees += d.price
		}
		order := [][2]string{{"toll", "inbound"}, {"toll", "outbound"}, {"sms", "inbound"},
			{"sms", "outbound"}, {"mms", "inbound"}, {"mms", "outbound"}}
		for j, inv := range invs {
			for _, key := range order {
				if a := sums[j][key]; a != nil {
					inv.items = append(inv.items, invItem{typ: key[0], dir: key[1], usage: a.usage, amount: roundCents(a.amount)})
				}
			}
			if len(p.dids) > 0 {
				inv.items = append(inv.items, invItem{typ: "did", usage: int64(len(p.dids)), amount: roundCents(didFees)})
			}
			sid := newUUID(rng)
			inv.rec = &record{sid: sid, owner: p.sid}
			s.invoices.insert(inv.rec)
		}
		s.invoiceByPartner[p.sid] = invs
		s.refreshInvoices(p.sid)
	}
}

// refreshInvoices recomputes a partner's invoice totals, balances and
// payments from their items and rebuilds their objects.
func (s *Sandbox) refreshInvoices(partnerSID string) {
	invs := s.invoiceByPartner[partnerSID]
	var bal int64
	for j, inv := range invs {
		var items, taxable int64
		for _, it := range inv.items {
			items += it.amount
			if it.typ == "toll" || it.typ == "did" {
				taxable += it.amount
			}
		}
		// Tax in nano-dollars (micro × permille), rounded half-up to cents.
		nano := taxable * usfRatePermille
		if nano < 0 {
			inv.tax = -((-nano + 5_000_000) / 10_000_000 * 10_000)
		} else {
			inv.tax = (nano + 5_000_000) / 10_000_000 * 10_000
		}
		inv.amount = items + inv.tax
		inv.balPrev = bal
		inv.chargedPrior = 0
		if j > 0 {
			inv.chargedPrior = invs[j-1].amount
			inv.payDate = inv.start.Add(30 * time.Minute)
		}
		inv.balFwd = inv.balPrev + inv.amount - inv.chargedPrior
		bal = inv.balFwd
		inv.rec.set(inv.object(partnerSID))
	}
}

func (inv *invoice) object(partnerSID string) object {
	ts := func(t time.Time) any { return formatTS(t) }
	items := make([]any, 0, len(inv.items))
	for _, it := range inv.items {
		o := object{"amount": formatMicro(it.amount), "country_code": "USA",
			"date_billing_period_end": ts(inv.end), "date_billing_period_start": ts(inv.start),
			"type": it.typ, "usage": it.usage}
		if it.dir != "" {
			o["direction"] = it.dir
		}
		items = append(items, o)
	}
	pays := []any{}
	if inv.chargedPrior != 0 {
		pays = append(pays, object{"amount": formatMicro(inv.chargedPrior), "date_created": ts(inv.payDate), "type": "payment"})
	}
	o := object{
		"amount":                    formatMicro(inv.amount),
		"amount_tax":                formatMicro(inv.tax),
		"balance_forward":           formatMicro(inv.balFwd),
		"balance_previous":          formatMicro(inv.balPrev),
		"date_billing_period_end":   ts(inv.end),
		"date_billing_period_start": ts(inv.start),
		"date_charge_expected":      ts(inv.end),
		"date_created":              ts(inv.start.Add(-30*time.Minute + time.Second)),
		"display_id":                fmt.Sprintf("%03d", inv.seq),
		"invoice_items":             items,
		"invoice_sid":               inv.rec.sid,
		"partner_sid":               partnerSID,
		"pay_items":                 pays,
		"tax_items": []any{object{"amount": formatMicro(inv.tax), "jurisdiction": "federal",
			"type": "fed_universal_service_fund"}},
	}
	if inv.current {
		o["status"], o["paid"] = "open", false
		o["amount_due"] = formatMicro(max(0, inv.balFwd))
		o["date_charged"], o["date_issued"] = nil, nil
	} else {
		next := inv.end.Add(time.Second)
		o["status"], o["paid"], o["amount_due"] = "closed", true, "0"
		o["date_charged"], o["date_issued"] = ts(next.Add(30*time.Minute)), ts(next)
	}
	return o
}

// AdjustInvoiceItem changes the amount of one item of a partner's invoice
// (the one whose period starts at periodStart) by delta, a decimal string
// such as "0.05" or "-1.5", and recomputes the invoices' totals: a test hook
// to plant a discrepancy between an invoice and its records. direction is ""
// for items without one ("did").
func (s *Sandbox) AdjustInvoiceItem(partnerSID string, periodStart time.Time, itemType, direction string, delta string) error {
	d, ok := parseMicro(delta)
	if !ok {
		return fmt.Errorf("sandbox: delta %q is not a decimal with at most 6 decimals", delta)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records()
	for _, inv := range s.invoiceByPartner[partnerSID] {
		if !inv.start.Equal(periodStart.UTC()) {
			continue
		}
		for k := range inv.items {
			if it := &inv.items[k]; it.typ == itemType && it.dir == direction {
				it.amount += d
				s.refreshInvoices(partnerSID)
				return nil
			}
		}
		return fmt.Errorf("sandbox: invoice %s has no %s/%s item", inv.rec.sid, itemType, direction)
	}
	return fmt.Errorf("sandbox: partner %s has no invoice for the period starting %s", partnerSID, periodStart.UTC().Format(time.RFC3339))
}

// InvoiceEmail is one invoice report sent by POST /invoices/{sid}.{html,pdf}/emails.
type InvoiceEmail struct {
	InvoiceSID, Format string // Format: "html" or "pdf"
	To                 []string
}

// SentInvoiceEmails returns the invoice reports "sent" so far, oldest first.
func (s *Sandbox) SentInvoiceEmails() []InvoiceEmail {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]InvoiceEmail, len(s.sentEmails))
	for i, e := range s.sentEmails {
		out[i] = InvoiceEmail{e.InvoiceSID, e.Format, append([]string(nil), e.To...)}
	}
	return out
}

// findInvoice splits "<sid>.<ext>" and finds the caller's invoice.
func (s *Sandbox) findInvoice(c *call, param string) (*invoice, string, *apiError) {
	raw := c.param(param)
	sid, ext := raw, ""
	if i := strings.LastIndexByte(raw, '.'); i >= 0 {
		sid, ext = raw[:i], raw[i+1:]
	}
	s.records()
	for _, inv := range s.invoiceByPartner[c.partner.sid] {
		if inv.rec.sid == sid {
			return inv, ext, nil
		}
	}
	return nil, ext, errNoItem()
}

// rawResponse is a non-JSON answer (invoice reports).
type rawResponse struct {
	contentType string
	body        []byte
}

// invoiceGet serves /invoices/{sid} (JSON), {sid}.html and {sid}.pdf.
func (s *Sandbox) invoiceGet(v *view) handlerFunc {
	get := v.get()
	return func(c *call) (int, any, *apiError) {
		s.records()
		raw := c.param("invoice_sid")
		if !strings.HasSuffix(raw, ".html") && !strings.HasSuffix(raw, ".pdf") {
			return get(c)
		}
		inv, ext, err := s.findInvoice(c, "invoice_sid")
		if err != nil {
			return 0, nil, err
		}
		doc := s.invoiceDoc(inv, c.partner)
		if ext == "html" {
			return http.StatusOK, &rawResponse{"text/html; charset=utf-8", doc.html()}, nil
		}
		return http.StatusOK, &rawResponse{"application/pdf", doc.pdf()}, nil
	}
}

// invoiceEmails serves POST /invoices/{sid}.html/emails and .pdf/emails:
// the body is {"emails": [...]} (not confirmed; a bare JSON array is
// accepted too); the answer echoes {"emails": [...]}. A missing or empty list
// or an invalid address is a 422 on "emails".
func (s *Sandbox) invoiceEmails(c *call) (int, any, *apiError) {
	inv, ext, err := s.findInvoice(c, "invoice_sid")
	if err != nil {
		return 0, nil, err
	}
	if ext != "html" && ext != "pdf" {
		return 0, nil, errRouteNotFound()
	}
	mt, _, merr := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if merr != nil || mt != "application/json" {
		return 0, nil, errMediaType("application/json")
	}
	data, rerr := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if rerr != nil {
		return 0, nil, errNoJSON()
	}
	var list []any
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if json.Unmarshal(trimmed, &list) != nil {
			return 0, nil, errNoJSON()
		}
	} else {
		body, err := decodeJSONObject(data)
		if err != nil {
			return 0, nil, err
		}
		for k := range body {
			if k != "emails" {
				return 0, nil, errValidation(item(k, k+" is not a known attribute"))
			}
		}
		switch x := body["emails"].(type) {
		case nil:
		case []any:
			list = x
		default:
			return 0, nil, errValidation(item("emails", "emails must be an array of email addresses"))
		}
	}
	if len(list) == 0 {
		return 0, nil, errValidation(item("emails", "emails must list at least one email address"))
	}
	to := make([]string, 0, len(list))
	for _, v := range list {
		addr, ok := v.(string)
		if !ok || !validEmail(addr) {
			return 0, nil, errValidation(item("emails", fmt.Sprintf("%v is not a valid email address", v)))
		}
		to = append(to, addr)
	}
	s.sentEmails = append(s.sentEmails, InvoiceEmail{InvoiceSID: inv.rec.sid, Format: ext, To: to})
	out := make([]any, len(to))
	for i, a := range to {
		out[i] = a
	}
	return http.StatusOK, object{"emails": out}, nil
}

// validEmail accepts a bare address (no display name) with a dotted domain.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, ".")
}
