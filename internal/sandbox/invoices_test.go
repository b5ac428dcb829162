package sandbox

import (
	"bytes"
	"fmt"
	"math/big"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// centsHalfUp rounds a non-negative rational half-up to cents, as a decimal
// string without trailing zeros (the sandbox's money format).
func centsHalfUp(r *big.Rat) string {
	c := new(big.Rat).Mul(r, big.NewRat(100, 1))
	c.Add(c, big.NewRat(1, 2))
	n := new(big.Int).Quo(c.Num(), c.Denom()) // floor for non-negative
	return new(big.Rat).SetFrac(n, big.NewInt(100)).FloatString(2)
}

func trimDec(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// TestInvoicesFollowRecords recomputes every invoice of the demo partner from
// its records, fetched through the API.
func TestInvoicesFollowRecords(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	m := e.mustJSON(200, e.get(demo, "/core/v2/invoices"))
	checkEnvelope(t, m, false)
	invs := items(t, m)
	if len(invs) != 4 || m["total"] != float64(4) { // Feb 17 - May 18: Feb, Mar, Apr, May
		t.Fatalf("%d invoices (total %v), want 4", len(invs), m["total"])
	}
	alias := e.mustJSON(200, e.get(demo, "/core/v2/billing/invoices"))
	if compactJSON(t, alias["items"]) != compactJSON(t, m["items"]) {
		t.Errorf("/billing/invoices differs from /invoices")
	}
	didSum, nDIDs := new(big.Rat), 0
	for _, d := range allItems(t, e, demo, "/core/v2/phonenumber/dids?limit=1000") {
		didSum.Add(didSum, rat(t, str(d, "price")))
		nDIDs++
	}
	balance := new(big.Rat)
	for k, inv := range invs {
		start := mustTS(t, str(inv, "date_billing_period_start"))
		end := mustTS(t, str(inv, "date_billing_period_end"))
		if start.Day() != 1 || start.Hour() != 0 || !end.Add(time.Second).Equal(start.AddDate(0, 1, 0)) {
			t.Errorf("period %v - %v", start, end)
		}
		if str(inv, "display_id") != fmt.Sprintf("%03d", k+1) {
			t.Errorf("display_id %v", inv["display_id"])
		}
		current := k == len(invs)-1
		if current != (inv["status"] == "open") || current == (inv["paid"] == true) {
			t.Errorf("invoice %d: status %v paid %v", k, inv["status"], inv["paid"])
		}
		if !current && str(inv, "amount_due") != "0" {
			t.Errorf("paid invoice with amount_due %v", inv["amount_due"])
		}
		// Sums of the records' prices and usage in the period.
		type acc struct {
			amount *big.Rat
			usage  int64
		}
		want := map[string]*acc{}
		add := func(key string, price string, usage int64) {
			a := want[key]
			if a == nil {
				a = &acc{amount: new(big.Rat)}
				want[key] = a
			}
			a.amount.Add(a.amount, rat(t, price))
			a.usage += usage
		}
		f := url.QueryEscape("date_stop ge " + start.Format(time.RFC3339) + " and date_stop lt " + start.AddDate(0, 1, 0).Format(time.RFC3339))
		for _, r := range allItems(t, e, demo, "/core/v2/calls/call_drs?limit=1000&filter="+f) {
			if b := str(r, "duration_billing"); b != "0" {
				n, _ := strconv.ParseInt(b, 10, 64)
				add("toll/"+str(r, "direction"), str(r, "price"), n)
			}
		}
		for _, r := range allItems(t, e, demo, "/core/v2/sms/message_drs?limit=1000&filter="+f) {
			add(str(r, "type")+"/"+str(r, "direction"), str(r, "price"), int64(r["message_segments"].(float64)))
		}
		add("did/", didSum.FloatString(6), int64(nDIDs))
		items := inv["invoice_items"].([]any)
		if len(items) != len(want) {
			t.Errorf("invoice %d has %d items, records give %d", k, len(items), len(want))
		}
		itemSum, taxable := new(big.Rat), new(big.Rat)
		for _, x := range items {
			it := x.(map[string]any)
			key := str(it, "type") + "/" + str(it, "direction")
			a := want[key]
			if a == nil {
				t.Errorf("item %s has no records", key)
				continue
			}
			if got, w := str(it, "amount"), trimDec(centsHalfUp(a.amount)); got != w {
				t.Errorf("invoice %d item %s: amount %s, records sum %s (exact %s)", k, key, got, w, a.amount.FloatString(6))
			}
			if it["usage"] != float64(a.usage) {
				t.Errorf("invoice %d item %s: usage %v, records %d", k, key, it["usage"], a.usage)
			}
			if it["country_code"] != "USA" || it["date_billing_period_start"] != inv["date_billing_period_start"] {
				t.Errorf("item %v", it)
			}
			if _, has := it["direction"]; has == (str(it, "type") == "did") {
				t.Errorf("item %s direction %v", key, it["direction"])
			}
			amt := rat(t, str(it, "amount"))
			itemSum.Add(itemSum, amt)
			if t := str(it, "type"); t == "toll" || t == "did" {
				taxable.Add(taxable, amt)
			}
		}
		if len(want["toll/inbound"].amount.FloatString(6)) == 0 || want["toll/outbound"] == nil || want["sms/outbound"] == nil {
			t.Errorf("invoice %d lacks usage: %v", k, want)
		}
		taxes := inv["tax_items"].([]any)
		tax := taxes[0].(map[string]any)
		wantTax := centsHalfUp(new(big.Rat).Mul(taxable, big.NewRat(344, 1000)))
		if str(tax, "amount") != trimDec(wantTax) || tax["type"] != "fed_universal_service_fund" || tax["jurisdiction"] != "federal" {
			t.Errorf("tax %v, want %s", tax, wantTax)
		}
		if str(inv, "amount_tax") != str(tax, "amount") {
			t.Errorf("amount_tax %v", inv["amount_tax"])
		}
		total := new(big.Rat).Add(itemSum, rat(t, str(tax, "amount")))
		if rat(t, str(inv, "amount")).Cmp(total) != 0 {
			t.Errorf("amount %v, items+tax %s", inv["amount"], total.FloatString(2))
		}
		if rat(t, str(inv, "balance_previous")).Cmp(balance) != 0 {
			t.Errorf("balance_previous %v, want %s", inv["balance_previous"], balance.FloatString(2))
		}
		balance = rat(t, str(inv, "balance_forward"))
		one := e.mustJSON(200, e.get(demo, "/core/v2/invoices/"+str(inv, "invoice_sid")))
		if compactJSON(t, one) != compactJSON(t, inv) {
			t.Errorf("by SID differs")
		}
	}

	// A planted discrepancy shows up in the item and the totals.
	first := invs[0]
	start := mustTS(t, str(first, "date_billing_period_start"))
	if err := e.s.AdjustInvoiceItem(e.s.DemoPartner().PartnerSID, start, "toll", "outbound", "0.05"); err != nil {
		t.Fatal(err)
	}
	after := e.mustJSON(200, e.get(demo, "/core/v2/invoices/"+str(first, "invoice_sid")))
	for j, x := range after["invoice_items"].([]any) {
		it, old := x.(map[string]any), first["invoice_items"].([]any)[j].(map[string]any)
		d := new(big.Rat).Sub(rat(t, str(it, "amount")), rat(t, str(old, "amount")))
		wantD := new(big.Rat)
		if it["type"] == "toll" && it["direction"] == "outbound" {
			wantD = big.NewRat(5, 100)
		}
		if d.Cmp(wantD) != 0 {
			t.Errorf("item %v/%v changed by %s", it["type"], it["direction"], d.FloatString(6))
		}
	}
	if rat(t, str(after, "amount")).Cmp(rat(t, str(first, "amount"))) <= 0 {
		t.Errorf("amount did not grow: %v -> %v", first["amount"], after["amount"])
	}
	for _, bad := range []error{
		e.s.AdjustInvoiceItem(e.s.DemoPartner().PartnerSID, start, "toll", "sideways", "1"),
		e.s.AdjustInvoiceItem(e.s.DemoPartner().PartnerSID, start.AddDate(-5, 0, 0), "toll", "inbound", "1"),
		e.s.AdjustInvoiceItem(e.s.DemoPartner().PartnerSID, start, "toll", "inbound", "abc"),
	} {
		if bad == nil {
			t.Errorf("AdjustInvoiceItem accepted a bad call")
		}
	}
	// Filters and order work on invoices (generic engine).
	open := items(t, e.mustJSON(200, e.get(demo, "/core/v2/invoices?filter=status+eq+open")))
	if len(open) != 1 || open[0]["invoice_sid"] != invs[3]["invoice_sid"] {
		t.Errorf("open invoices: %v", open)
	}
	desc := items(t, e.mustJSON(200, e.get(demo, "/core/v2/invoices?order=date_billing_period_start+desc&limit=1")))
	if desc[0]["invoice_sid"] != invs[3]["invoice_sid"] {
		t.Errorf("order desc: %v", desc[0]["display_id"])
	}
}

func TestInvoiceReports(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	// A company name that needs escaping.
	e.s.mu.Lock()
	p := e.s.partners.get(e.s.DemoPartner().PartnerSID)
	o := cloneObject(p.obj)
	o["company_name"] = `Demo <script>alert("x")</script> & Co`
	p.set(o)
	e.s.mu.Unlock()

	inv := items(t, e.mustJSON(200, e.get(demo, "/core/v2/invoices?limit=2")))[1]
	sid := str(inv, "invoice_sid")
	dollars := func(s string) string { // "52.7" -> "$52.70"
		return "$" + rat(t, s).FloatString(2)
	}
	for _, base := range []string{"/core/v2/invoices/", "/core/v2/billing/invoices/"} {
		r := e.get(demo, base+sid+".html")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("html: %d %s", r.status, r.header.Get("Content-Type"))
		}
		h := string(r.body)
		for _, want := range []string{"<!DOCTYPE html>", sid, dollars(str(inv, "amount")), dollars(str(inv, "amount_tax")),
			str(inv, "date_billing_period_start")[:10], str(inv, "date_billing_period_end")[:10],
			"Demo &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co", "Voice (toll), inbound"} {
			if !strings.Contains(h, want) {
				t.Errorf("html lacks %q", want)
			}
		}
		for _, x := range inv["invoice_items"].([]any) {
			if a := dollars(str(x.(map[string]any), "amount")); !strings.Contains(h, a) {
				t.Errorf("html lacks item amount %s", a)
			}
		}
		if strings.Contains(h, "<script>") {
			t.Errorf("html does not escape the company name")
		}
	}

	r := e.get(demo, "/core/v2/invoices/"+sid+".pdf")
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", r.status, r.header.Get("Content-Type"))
	}
	checkPDF(t, r.body)
	text := pdfStrings(r.body)
	for _, want := range []string{sid, dollars(str(inv, "amount")), "Billing period " + str(inv, "date_billing_period_start")[:10],
		`Demo <script>alert("x")</script> & Co`} {
		if !strings.Contains(text, want) {
			t.Errorf("pdf text lacks %q", want)
		}
	}
	if path, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command(path, "-", "-")
		cmd.Stdin = bytes.NewReader(r.body)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext: %v: %s", err, out)
		}
		for _, want := range []string{sid, dollars(str(inv, "amount")), "Invoice total"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("pdftotext output lacks %q:\n%s", want, out)
			}
		}
	} else {
		t.Log("pdftotext not installed: the PDF was checked structurally only")
	}
	// A long report spans pages.
	long := make([]string, 130)
	for i := range long {
		long[i] = fmt.Sprintf("line %d (with parens) and \\ backslash é", i)
	}
	multi := buildPDF(long)
	checkPDF(t, multi)
	if !bytes.Contains(multi, []byte("/Count 3")) {
		t.Errorf("130 lines should take 3 pages")
	}

	checkError(t, e.get(demo, "/core/v2/invoices/nope.pdf"), 404, "no item error", nil)
	checkError(t, e.get(demo, "/core/v2/invoices/nope"), 404, "no item error", nil)
}

var objRE = regexp.MustCompile(`^(\d+) 0 obj\n`)

// checkPDF checks the structure: header, every xref offset pointing at its
// object, startxref pointing at the xref table, trailer and %%EOF.
func checkPDF(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) {
		t.Fatalf("no %%PDF-1.4 header: %q", b[:min(20, len(b))])
	}
	if !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatalf("no %%%%EOF at the end")
	}
	sx := bytes.LastIndex(b, []byte("startxref\n"))
	if sx < 0 {
		t.Fatal("no startxref")
	}
	var xref int
	if _, err := fmt.Sscanf(string(b[sx+len("startxref\n"):]), "%d", &xref); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := strings.Split(string(b[xref:]), "\n")
	var first, count int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &count); err != nil || first != 0 {
		t.Fatalf("xref subsection %q", lines[1])
	}
	if lines[2] != "0000000000 65535 f " {
		t.Errorf("xref entry 0: %q", lines[2])
	}
	for n := 1; n < count; n++ {
		ent := lines[2+n]
		if len(ent)+1 != 20 || !strings.HasSuffix(ent, " 00000 n ") {
			t.Fatalf("xref entry %d: %q", n, ent)
		}
		off, _ := strconv.Atoi(ent[:10])
		mm := objRE.FindSubmatch(b[off:])
		if mm == nil || string(mm[1]) != strconv.Itoa(n) {
			t.Fatalf("xref entry %d points at %q", n, b[off:min(off+12, len(b))])
		}
	}
	if !strings.Contains(string(b[xref:]), fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>", count)) {
		t.Errorf("trailer: %s", b[xref:])
	}
	// Stream lengths are right.
	for _, m := range regexp.MustCompile(`<< /Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(b, -1) {
		n, _ := strconv.Atoi(string(b[m[2]:m[3]]))
		if !bytes.HasPrefix(b[m[1]+n:], []byte("endstream")) {
			t.Errorf("stream /Length %d is wrong", n)
		}
	}
}

// pdfStrings extracts the text of the PDF's literal strings.
func pdfStrings(b []byte) string {
	var out strings.Builder
	for _, m := range regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\) Tj`).FindAllSubmatch(b, -1) {
		s := string(m[1])
		s = regexp.MustCompile(`\\([0-7]{3})`).ReplaceAllStringFunc(s, func(o string) string {
			v, _ := strconv.ParseUint(o[1:], 8, 8)
			return string(rune(v))
		})
		s = regexp.MustCompile(`\\(.)`).ReplaceAllString(s, "$1")
		out.WriteString(s + "\n")
	}
	return out.String()
}

func TestInvoiceEmails(t *testing.T) {
	e := recEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	sid := str(items(t, e.mustJSON(200, e.get(demo, "/core/v2/invoices?limit=1")))[0], "invoice_sid")
	m := e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/invoices/"+sid+".html/emails",
		map[string]any{"emails": []string{"a@example.com", "billing@demo-telecom.example"}}))
	if compactJSON(t, m) != `{"emails":["a@example.com","billing@demo-telecom.example"]}` {
		t.Errorf("answer %v", m)
	}
	m = e.mustJSON(200, e.sendJSON(demo, "POST", "/core/v2/billing/invoices/"+sid+".pdf/emails", `["ops@example.org"]`))
	if compactJSON(t, m) != `{"emails":["ops@example.org"]}` {
		t.Errorf("answer %v", m)
	}
	for _, body := range []string{`{}`, `{"emails":[]}`, `{"emails":null}`, `[]`, `{"emails":["nope"]}`,
		`{"emails":["a@example.com","Bob <b@example.com>"]}`, `{"emails":[5]}`, `{"emails":"a@example.com"}`, `{"emails":["a@localhost"]}`} {
		checkError(t, e.sendJSON(demo, "POST", "/core/v2/invoices/"+sid+".pdf/emails", body), 422, "object validation error", "emails")
	}
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/invoices/"+sid+".pdf/emails", `{"emails":["a@example.com"],"cc":[]}`), 422, "object validation error", "cc")
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/invoices/"+sid+".pdf/emails", `{"emails":`), 400, "bad request", nil)
	checkError(t, e.do(demo, "POST", "/core/v2/invoices/"+sid+".pdf/emails", "text/plain", `["a@example.com"]`), 415, "unsupported media type", nil)
	checkError(t, e.sendJSON(demo, "POST", "/core/v2/invoices/"+sid+".txt/emails", `["a@example.com"]`), 404, "not found", nil)
	checkError(t, e.sendJSON(basicAuth(e.s.OtherPartner()), "POST", "/core/v2/invoices/"+sid+".pdf/emails", `["a@example.com"]`), 404, "no item error", nil)
	sent := e.s.SentInvoiceEmails()
	want := []InvoiceEmail{{sid, "html", []string{"a@example.com", "billing@demo-telecom.example"}}, {sid, "pdf", []string{"ops@example.org"}}}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Errorf("sent %v, want %v", sent, want)
	}
}
