package sandbox

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"
)

// Invoice reports: GET /invoices/{sid}.html (an HTML page) and .pdf (a PDF
// 1.4 document written by hand). Both show the same content: the partner,
// the invoice's identity and period, its items, taxes, payments and totals.
// CarrierX's own layout is not documented.

type docLine struct{ Desc, Usage, Amount string }

type invoiceDoc struct {
	Company, PartnerSID                  string
	InvoiceSID, DisplayID, Status, Paid  string
	PeriodStart, PeriodEnd, Created      string
	Items, Taxes, Payments               []docLine
	Subtotal, Tax, Total                 string
	BalancePrevious, BalanceForward, Due string
}

func money(micro int64) string {
	sign := ""
	if micro < 0 {
		sign, micro = "-", -micro
	}
	if micro%10_000 != 0 { // an adjusted item with sub-cent precision
		return sign + "$" + formatMicro(micro)
	}
	return fmt.Sprintf("%s$%d.%02d", sign, micro/1_000_000, micro%1_000_000/10_000)
}

func usageText(it invItem) string {
	switch it.typ {
	case "toll":
		return fmt.Sprintf("%d s (%d min %d s)", it.usage, it.usage/60, it.usage%60)
	case "sms":
		return fmt.Sprintf("%d segments", it.usage)
	case "mms":
		return fmt.Sprintf("%d messages", it.usage)
	case "did":
		return fmt.Sprintf("%d numbers", it.usage)
	}
	return fmt.Sprint(it.usage)
}

func itemText(it invItem) string {
	names := map[string]string{"toll": "Voice (toll)", "sms": "SMS", "mms": "MMS", "did": "Phone numbers (monthly)"}
	d := names[it.typ]
	if d == "" {
		d = it.typ
	}
	if it.dir != "" {
		d += ", " + it.dir
	}
	return d + ", USA"
}

func (s *Sandbox) invoiceDoc(inv *invoice, partner *record) *invoiceDoc {
	company, _ := partner.obj["company_name"].(string)
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	d := &invoiceDoc{Company: company, PartnerSID: partner.sid, InvoiceSID: inv.rec.sid,
		DisplayID: fmt.Sprintf("%03d", inv.seq), PeriodStart: day(inv.start), PeriodEnd: day(inv.end),
		Created: day(inv.start.Add(-time.Hour)), Status: "open", Paid: "no",
		Tax: money(inv.tax), Total: money(inv.amount),
		BalancePrevious: money(inv.balPrev), BalanceForward: money(inv.balFwd)}
	if !inv.current {
		d.Status, d.Paid, d.Due = "closed", "yes", money(0)
	} else {
		d.Due = money(max(0, inv.balFwd))
	}
	var sub int64
	for _, it := range inv.items {
		d.Items = append(d.Items, docLine{itemText(it), usageText(it), money(it.amount)})
		sub += it.amount
	}
	d.Subtotal = money(sub)
	d.Taxes = []docLine{{"Federal Universal Service Fund (federal)", "34.4 %", money(inv.tax)}}
	if inv.chargedPrior != 0 {
		d.Payments = []docLine{{"Payment " + inv.payDate.Format("2006-01-02 15:04 UTC"), "", money(inv.chargedPrior)}}
	}
	return d
}

var invoiceHTML = template.Must(template.New("invoice").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice {{.DisplayID}} - {{.Company}}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; min-width: 40em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }
td.num, th.num { text-align: right; }
.total td { font-weight: bold; }
</style>
</head>
<body>
<h1>CarrierX invoice {{.DisplayID}}</h1>
<p class="partner">{{.Company}}<br>Partner {{.PartnerSID}}</p>
<dl>
<dt>Invoice</dt><dd class="invoice-sid">{{.InvoiceSID}}</dd>
<dt>Billing period</dt><dd class="period">{{.PeriodStart}} to {{.PeriodEnd}}</dd>
<dt>Status</dt><dd class="status">{{.Status}}</dd>
<dt>Paid</dt><dd class="paid">{{.Paid}}</dd>
</dl>
<h2>Charges</h2>
<table class="items">
<tr><th>Item</th><th class="num">Usage</th><th class="num">Amount</th></tr>
{{range .Items}}<tr><td>{{.Desc}}</td><td class="num">{{.Usage}}</td><td class="num">{{.Amount}}</td></tr>
{{end}}<tr class="subtotal"><td>Subtotal</td><td></td><td class="num">{{.Subtotal}}</td></tr>
</table>
<h2>Taxes</h2>
<table class="taxes">
<tr><th>Tax</th><th class="num">Rate</th><th class="num">Amount</th></tr>
{{range .Taxes}}<tr><td>{{.Desc}}</td><td class="num">{{.Usage}}</td><td class="num">{{.Amount}}</td></tr>
{{end}}</table>
{{if .Payments}}<h2>Payments</h2>
<table class="payments">
{{range .Payments}}<tr><td>{{.Desc}}</td><td class="num">{{.Amount}}</td></tr>
{{end}}</table>
{{end}}<h2>Totals</h2>
<table class="totals">
<tr><td>Taxes</td><td class="num amount-tax">{{.Tax}}</td></tr>
<tr class="total"><td>Invoice total</td><td class="num amount">{{.Total}}</td></tr>
<tr><td>Previous balance</td><td class="num">{{.BalancePrevious}}</td></tr>
<tr><td>Balance forward</td><td class="num">{{.BalanceForward}}</td></tr>
<tr class="total"><td>Amount due</td><td class="num amount-due">{{.Due}}</td></tr>
</table>
</body>
</html>
`))

func (d *invoiceDoc) html() []byte {
	var b bytes.Buffer
	if err := invoiceHTML.Execute(&b, d); err != nil {
		return []byte("<!DOCTYPE html><p>invoice unavailable</p>")
	}
	return b.Bytes()
}

// lines is the report as plain text lines (the PDF's content).
func (d *invoiceDoc) lines() []string {
	row := func(l docLine) string {
		return fmt.Sprintf("  %-44s %22s %14s", l.Desc, l.Usage, l.Amount)
	}
	out := []string{
		"CarrierX invoice " + d.DisplayID,
		"",
		d.Company,
		"Partner " + d.PartnerSID,
		"Invoice " + d.InvoiceSID,
		"Billing period " + d.PeriodStart + " to " + d.PeriodEnd,
		"Status " + d.Status + ", paid: " + d.Paid,
		"",
		"Charges",
	}
	for _, l := range d.Items {
		out = append(out, row(l))
	}
	out = append(out, row(docLine{"Subtotal", "", d.Subtotal}), "", "Taxes")
	for _, l := range d.Taxes {
		out = append(out, row(l))
	}
	if len(d.Payments) > 0 {
		out = append(out, "", "Payments")
		for _, l := range d.Payments {
			out = append(out, row(l))
		}
	}
	out = append(out, "", "Totals",
		row(docLine{"Taxes", "", d.Tax}),
		row(docLine{"Invoice total", "", d.Total}),
		row(docLine{"Previous balance", "", d.BalancePrevious}),
		row(docLine{"Balance forward", "", d.BalanceForward}),
		row(docLine{"Amount due", "", d.Due}))
	return out
}

func (d *invoiceDoc) pdf() []byte { return buildPDF(d.lines()) }

// pdfText encodes s as a PDF literal string in WinAnsi (Latin-1 range kept,
// other characters become "?"), escaping \ ( and ).
func pdfText(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte(' ')
		case r < 0x7f:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// wrap splits a line longer than width runes.
func wrap(line string, width int) []string {
	var out []string
	for utf8.RuneCountInString(line) > width {
		cut := 0
		for i := range line {
			if cut == width {
				cut = i
				break
			}
			cut++
		}
		out = append(out, line[:cut])
		line = "    " + line[cut:]
	}
	return append(out, line)
}

// buildPDF lays text lines out on US Letter pages in Helvetica 10/14 and
// writes a PDF 1.4 file: header, catalog, page tree, font, one page and one
// content stream per page, a cross-reference table with each object's byte
// offset, and the trailer.
func buildPDF(text []string) []byte {
	const perPage = 50
	var lines []string
	for _, l := range text {
		lines = append(lines, wrap(l, 100)...)
	}
	var pages [][]string
	for len(lines) > 0 {
		n := min(perPage, len(lines))
		pages = append(pages, lines[:n])
		lines = lines[n:]
	}
	if len(pages) == 0 {
		pages = [][]string{{""}}
	}
	nObj := 3 + 2*len(pages)
	offsets := make([]int, nObj+1)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj := func(n int, body string) {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, len(pages))
	for k := range pages {
		kids[k] = fmt.Sprintf("%d 0 R", 4+2*k)
	}
	obj(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for k, pg := range pages {
		var cs strings.Builder
		cs.WriteString("BT\n/F1 10 Tf\n14 TL\n50 742 Td\n")
		for _, l := range pg {
			cs.WriteString(pdfText(l))
			cs.WriteString(" Tj T*\n")
		}
		fmt.Fprintf(&cs, "ET\nBT\n/F1 8 Tf\n50 40 Td\n(Page %d of %d) Tj\nET\n", k+1, len(pages))
		content := cs.String()
		obj(4+2*k, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "+
			"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*k))
		obj(5+2*k, fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", nObj+1)
	for n := 1; n <= nObj; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", nObj+1, xref)
	return b.Bytes()
}
