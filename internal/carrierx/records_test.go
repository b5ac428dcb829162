package carrierx

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// sameJSON compares generic JSON values; two strings that are both RFC 3339
// timestamps are equal when they name the same instant (Go re-encodes
// "…:03.000Z" as "…:03Z": same value, shorter text).
func sameJSON(want, got any) bool {
	if ws, ok := want.(string); ok {
		gs, ok := got.(string)
		if !ok {
			return false
		}
		if ws == gs {
			return true
		}
		wt, err1 := time.Parse(time.RFC3339Nano, ws)
		gt, err2 := time.Parse(time.RFC3339Nano, gs)
		return err1 == nil && err2 == nil && wt.Equal(gt)
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !sameJSON(wv, gv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !sameJSON(w[i], g[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(want, got)
}

// compareJSON reports every difference between want and got at path p.
// added lists the object keys (by path) that re-encoding may add with a
// null value (fields the sample was truncated before).
func compareJSON(t *testing.T, file, p string, want, got any, added map[string]bool) {
	t.Helper()
	wm, ok1 := want.(map[string]any)
	gm, ok2 := got.(map[string]any)
	if ok1 && ok2 {
		for k, wv := range wm {
			gv, ok := gm[k]
			if !ok {
				t.Errorf("%s: field %s.%s lost", file, p, k)
				continue
			}
			compareJSON(t, file, p+"."+k, wv, gv, added)
		}
		for k, gv := range gm {
			if _, ok := wm[k]; !ok && !(added[p+"."+k] && gv == nil) {
				t.Errorf("%s: field %s.%s added (%#v)", file, p, k, gv)
			}
		}
		return
	}
	wa, ok1 := want.([]any)
	ga, ok2 := got.([]any)
	if ok1 && ok2 && len(wa) == len(ga) {
		for i := range wa {
			compareJSON(t, file, fmt.Sprintf("%s[%d]", p, i), wa[i], ga[i], added)
		}
		return
	}
	if !sameJSON(want, got) {
		t.Errorf("%s: field %s changed: %#v -> %#v", file, p, want, got)
	}
}

// roundTripRecord is roundTrip for the report samples: every field must
// decode into T (no unknown fields) and come back with its value and JSON
// type (money a string, usage a number, timestamps the same instant).
func roundTripRecord[T any](t *testing.T, file string, added ...string) T {
	t.Helper()
	raw := readTestdata(t, file)
	var v T
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: decode: %v", file, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: encode: %v", file, err)
	}
	ok := map[string]bool{}
	for _, a := range added {
		ok[a] = true
	}
	compareJSON(t, file, "", generic(t, raw), generic(t, out), ok)
	return v
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestRoundTripCallDR(t *testing.T) {
	// The source sample stops after trunk_group_sid_dst; the type also has
	// trunk_group_sid_src, which re-encodes as null.
	r := roundTripRecord[CallDetailRecord](t, "call_dr.json", ".trunk_group_sid_src")
	if r.DRSID != "c02a73b2-8401-459a-af7e-f4cc3eee7854" || r.Direction != "inbound" || !r.Transcoded {
		t.Fatalf("%+v", r)
	}
	if !r.Duration.Valid || !r.Duration.Decimal.Equal(dec("4.25015")) || !r.DurationBilling.Decimal.Equal(dec("60")) {
		t.Fatalf("durations %v %v", r.Duration, r.DurationBilling)
	}
	if !r.Price.Decimal.Equal(dec("0.0025")) || r.PriceLCRSrc.Valid || r.CIC != nil {
		t.Fatalf("price %v lcr_src %v", r.Price, r.PriceLCRSrc)
	}
	if r.NumberSrc == nil || *r.NumberSrc != "+15012678830" || r.SIPCause == nil || *r.SIPCause != "200" {
		t.Fatalf("number_src/sipcause %v %v", r.NumberSrc, r.SIPCause)
	}
	if r.DateInsert == nil || !r.DateInsert.Equal(time.Date(2025, 5, 18, 15, 35, 3, 0, time.UTC)) ||
		r.DateStart == nil || r.DateStart.Nanosecond() != 589e6 {
		t.Fatalf("dates %v %v", r.DateInsert, r.DateStart)
	}
	// Money re-encodes as a JSON string.
	out, _ := json.Marshal(r)
	if !bytes.Contains(out, []byte(`"price":"0.0025"`)) || !bytes.Contains(out, []byte(`"duration":"4.25015"`)) {
		t.Fatalf("money not a string: %s", out)
	}
}

func TestRoundTripMessageDRs(t *testing.T) {
	p := roundTripRecord[Page[MessageDetailRecord]](t, "message_drs.json")
	if p.Total != nil || !p.HasMore || p.Pagination.Next != "" || !strings.Contains(p.Pagination.Previous, "before=92cd9154") {
		t.Fatalf("envelope %+v", p)
	}
	m := p.Items[0]
	if m.DRSID != "92cd9154-2f53-4e62-8b4e-8ff6e4849d16" || m.Type != "mms" || m.Status != "sent" || m.MessageSegments != 1 {
		t.Fatalf("%+v", m)
	}
	if m.MCC == nil || *m.MCC != 310 || m.DelaySent == nil || *m.DelaySent != 1 || len(m.MediaURLs) != 1 || m.NumberGroupDst == nil {
		t.Fatalf("%+v", m)
	}
	if string(m.Version) != "2" || string(m.A2PCampaign) != "null" || !m.Price.Decimal.Equal(dec("0.0175")) {
		t.Fatalf("version %s a2p %s price %v", m.Version, m.A2PCampaign, m.Price)
	}
}

func TestRoundTripInvoices(t *testing.T) {
	p := roundTripRecord[Page[Invoice]](t, "invoices.json")
	if p.Total == nil || *p.Total != 4 || len(p.Items) != 1 {
		t.Fatalf("envelope %+v", p)
	}
	inv := p.Items[0]
	if !inv.Amount.Equal(dec("0.38")) || !inv.BalancePrevious.Equal(dec("-351.91")) || !inv.AmountDue.IsZero() {
		t.Fatalf("amounts %v %v %v", inv.Amount, inv.BalancePrevious, inv.AmountDue)
	}
	if inv.DateCharged != nil || inv.DateIssued != nil || inv.Paid || inv.Status != "open" || inv.DisplayID != "004" {
		t.Fatalf("%+v", inv)
	}
	if len(inv.InvoiceItems) != 2 || inv.PayItems == nil || len(inv.PayItems) != 0 || len(inv.TaxItems) != 1 {
		t.Fatalf("items %+v", inv)
	}
	it0, it1 := inv.InvoiceItems[0], inv.InvoiceItems[1]
	if it0.Direction == nil || *it0.Direction != "inbound" || it0.Usage != 8880 || it1.Direction != nil || it1.Type != "sms_enablement" {
		t.Fatalf("invoice items %+v %+v", it0, it1)
	}
	out, _ := json.Marshal(inv)
	var back struct {
		Amount       any              `json:"amount"`
		InvoiceItems []map[string]any `json:"invoice_items"`
	}
	d := json.NewDecoder(bytes.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if _, ok := back.Amount.(string); !ok {
		t.Fatalf("amount re-encoded as %T", back.Amount)
	}
	if _, ok := back.InvoiceItems[0]["usage"].(json.Number); !ok {
		t.Fatalf("usage re-encoded as %T", back.InvoiceItems[0]["usage"])
	}
	if _, ok := back.InvoiceItems[1]["direction"]; ok {
		t.Fatal("direction added to the item that had none")
	}
}

// ---- routes ----

func TestRecordRoutes(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:] {
		case "call_drs", "message_drs", "calls", "meetings":
		default:
			writeJSON(w, 200, `{"dr_sid":"x","call_sid":"x","meeting_sid":"x"}`)
			return
		}
		writeJSON(w, 200, `{"count":1,"has_more":false,"items":[{"dr_sid":"x","call_sid":"x","meeting_sid":"x"}],"limit":10,"offset":0,"pagination":{},"total":1}`)
	})
	c := fast(srv.URL).WithBearer("tok")
	ctx := context.Background()
	opts := ListOptions{Limit: 5, Order: "date_stop asc"}
	calls := []struct {
		path string
		call func() error
	}{ // a path ending in a collection name is a list call, sent opts
		{"/core/v2/calls/call_drs", func() error { _, err := c.ListCallDRs(ctx, opts); return err }},
		{"/core/v2/calls/call_drs/a%2Fb", func() error { _, err := c.GetCallDR(ctx, "a/b"); return err }},
		{"/core/v2/sms/message_drs", func() error { _, err := c.ListMessageDRs(ctx, opts); return err }},
		{"/core/v2/sms/message_drs/m1", func() error { _, err := c.GetMessageDR(ctx, "m1"); return err }},
		{"/core/v2/app/conference/calls", func() error { _, err := c.ListConferenceCalls(ctx, opts); return err }},
		{"/core/v2/app/conference/calls/c1", func() error { _, err := c.GetConferenceCall(ctx, "c1"); return err }},
		{"/core/v2/app/conference/meetings", func() error { _, err := c.ListConferenceMeetings(ctx, opts); return err }},
		{"/core/v2/app/conference/meetings/mt1", func() error { _, err := c.GetConferenceMeeting(ctx, "mt1"); return err }},
		{"/core/v2/app/mediator/calls", func() error { _, err := c.ListMediatorCalls(ctx, opts); return err }},
		{"/core/v2/calls/call_drs", func() error { return drain(c.AllCallDRs(ctx, opts)) }},
		{"/core/v2/sms/message_drs", func() error { return drain(c.AllMessageDRs(ctx, opts)) }},
		{"/core/v2/app/conference/calls", func() error { return drain(c.AllConferenceCalls(ctx, opts)) }},
		{"/core/v2/app/conference/meetings", func() error { return drain(c.AllConferenceMeetings(ctx, opts)) }},
		{"/core/v2/app/mediator/calls", func() error { return drain(c.AllMediatorCalls(ctx, opts)) }},
	}
	for i, tc := range calls {
		if err := tc.call(); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		r := srv.requests()[i]
		if r.Method != http.MethodGet || r.Path != tc.path || r.Header.Get("Authorization") != "Bearer tok" {
			t.Fatalf("call %d: %s %s, want GET %s", i, r.Method, r.Path, tc.path)
		}
		switch tc.path[strings.LastIndex(tc.path, "/")+1:] {
		case "call_drs", "message_drs", "calls", "meetings":
		default:
			continue // a single-object GET
		}
		if r.RawQuery != "limit=5&order=date_stop+asc" {
			t.Fatalf("%s: query %q", tc.path, r.RawQuery)
		}
	}
	// Empty SIDs never reach the server.
	n := srv.count()
	if _, err := c.GetCallDR(ctx, " "); err == nil {
		t.Fatal("empty dr_sid accepted")
	}
	if _, err := c.GetInvoice(ctx, ""); err == nil {
		t.Fatal("empty invoice_sid accepted")
	}
	if srv.count() != n {
		t.Fatal("an empty SID reached the server")
	}
}

func drain[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// cdrServer serves 25 CDRs "cdr-00".."cdr-24" in cursor pages of 10 after
// the given dr_sid. withNext: pages carry pagination.next (marked via=next);
// otherwise only previous, as in CarrierX's §9 ex.12 cursor sample.
func cdrServer(t *testing.T, withNext bool) *recorder {
	const total = 25
	var srv *recorder
	srv = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		start := 0
		if a := q.Get("after"); a != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(a, "cdr-"))
			if err != nil {
				writeJSON(w, 400, `{"message":"bad after","errors":[]}`)
				return
			}
			start = n + 1
		}
		end := min(start+10, total)
		var items []string
		for i := start; i < end; i++ {
			items = append(items, fmt.Sprintf(`{"dr_sid":"cdr-%02d","date_stop":"2024-10-31T00:00:%02d.000Z"}`, i, i))
		}
		more := end < total
		pag := `{}`
		if len(items) > 0 {
			first, last := fmt.Sprintf("cdr-%02d", start), fmt.Sprintf("cdr-%02d", end-1)
			if withNext && more {
				pag = fmt.Sprintf(`{"next":"%s/core/v2/calls/call_drs?after=%s&limit=10&order=date_stop+asc&via=next","previous":"%s/core/v2/calls/call_drs?before=%s"}`, srv.URL, last, srv.URL, first)
			} else {
				pag = fmt.Sprintf(`{"previous":"%s/core/v2/calls/call_drs?before=%s&limit=10&offset=0"}`, srv.URL, first)
			}
		}
		writeJSON(w, 200, fmt.Sprintf(`{"count":%d,"has_more":%t,"items":[%s],"limit":10,"offset":0,"pagination":%s,"total":null}`,
			len(items), more, strings.Join(items, ","), pag))
	})
	return srv
}

func TestRecordCursorWalk(t *testing.T) {
	for _, withNext := range []bool{true, false} {
		t.Run(fmt.Sprintf("next=%t", withNext), func(t *testing.T) {
			srv := cdrServer(t, withNext)
			c := fast(srv.URL)
			var got []string
			for r, err := range c.AllCallDRs(context.Background(), ListOptions{After: "cdr-02", Limit: 10, Order: "date_stop asc"}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, r.DRSID)
			}
			if len(got) != 22 {
				t.Fatalf("got %d records: %v", len(got), got)
			}
			for i, sid := range got {
				if want := fmt.Sprintf("cdr-%02d", i+3); sid != want {
					t.Fatalf("record %d is %s, want %s (duplicate or gap)", i, sid, want)
				}
			}
			reqs := srv.requests()
			if len(reqs) != 3 {
				t.Fatalf("%d requests", len(reqs))
			}
			for i, r := range reqs[1:] {
				q := r.RawQuery
				if withNext != strings.Contains(q, "via=next") {
					t.Fatalf("page %d: query %q (following next: %t)", i+2, q, withNext)
				}
				if !strings.Contains(q, "after=cdr-") || strings.Contains(q, "offset=") {
					t.Fatalf("page %d: not a cursor request: %q", i+2, q)
				}
			}
		})
	}
}

func TestRecordCursorBeforeWithoutNextStops(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"count":1,"has_more":true,"items":[{"dr_sid":"a"}],"limit":1,"offset":0,"pagination":{},"total":null}`)
	})
	err := drain(fast(srv.URL).AllMessageDRs(context.Background(), ListOptions{Before: "z", Limit: 1}))
	if err == nil || srv.count() != 1 {
		t.Fatalf("err %v after %d requests", err, srv.count())
	}
}

func TestRecordCursorRepeatStops(t *testing.T) {
	// A server that ignores after would loop forever; the iterator stops.
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"count":1,"has_more":true,"items":[{"dr_sid":"same"}],"limit":1,"offset":0,"pagination":{},"total":null}`)
	})
	err := drain(fast(srv.URL).AllCallDRs(context.Background(), ListOptions{After: "start", Limit: 1}))
	if err == nil || srv.count() > 3 {
		t.Fatalf("err %v after %d requests", err, srv.count())
	}
}

func TestMediatorCallsEnvelope(t *testing.T) {
	page := `{"count":1,"has_more":false,"items":[{"dr_sid":"m1","binding_sid":"b1","price":"0.01"}],"limit":10,"offset":0,"pagination":{},"total":1}`
	for name, body := range map[string]string{"core": page, "wrapped": `{"body":` + page + `,"status":200}`} {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
			p, err := fast(srv.URL).ListMediatorCalls(context.Background(), ListOptions{})
			if err != nil || len(p.Items) != 1 || p.Items[0].DRSID != "m1" || *p.Items[0].BindingSID != "b1" {
				t.Fatalf("%v %+v", err, p)
			}
		})
	}
}

// ---- invoices: path fallback ----

const invoiceJSON = `{"invoice_sid":"inv1","amount":"1.5","amount_due":"0","amount_tax":"0","balance_forward":"0","balance_previous":"0","invoice_items":[],"pay_items":[],"tax_items":[],"status":"open"}`
const noItem = `{"message":"no item error","errors":[{"field":null,"message":"cannot find item by sid","reference_sid":null}]}`

// invoiceServer serves invoices under prefix only; other paths get Go's
// plain-text 404 (or 405 for the collection when collection405).
func invoiceServer(t *testing.T, prefix string, collection405 bool) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		rest, ok := strings.CutPrefix(p, "/core/v2"+prefix)
		if !ok {
			if collection405 && (p == "/core/v2/invoices" || p == "/core/v2/billing/invoices") {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			http.NotFound(w, r)
			return
		}
		switch {
		case rest == "" && r.Method == http.MethodGet:
			writeJSON(w, 200, `{"count":1,"has_more":false,"items":[`+invoiceJSON+`],"limit":10,"offset":0,"pagination":{},"total":1}`)
		case rest == "/inv1" && r.Method == http.MethodGet:
			writeJSON(w, 200, invoiceJSON)
		case rest == "/inv1.html" && r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>inv1</html>")
		case rest == "/inv1.pdf/emails" && r.Method == http.MethodPost:
			writeJSON(w, 200, `{}`)
		case strings.HasPrefix(rest, "/"):
			writeJSON(w, 404, noItem)
		default:
			http.NotFound(w, r)
		}
	})
}

func paths(srv *recorder) []string {
	var out []string
	for _, r := range srv.requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestInvoiceAliasFallback(t *testing.T) {
	srv := invoiceServer(t, "/billing/invoices", false)
	c := fast(srv.URL)
	ctx := context.Background()
	if c.InvoicePath() != "/invoices" {
		t.Fatalf("initial path %s", c.InvoicePath())
	}
	p, err := c.ListInvoices(ctx, ListOptions{})
	if err != nil || len(p.Items) != 1 || p.Items[0].InvoiceSID != "inv1" {
		t.Fatalf("%v %+v", err, p)
	}
	want := []string{"GET /core/v2/invoices", "GET /core/v2/billing/invoices"}
	if got := paths(srv); !reflect.DeepEqual(got, want) {
		t.Fatalf("requests %v", got)
	}
	if c.InvoicePath() != "/billing/invoices" {
		t.Fatal("alias not remembered")
	}
	// Remembered, also by copies with other credentials: one request each.
	cx := c.WithBearer("tok")
	inv, err := cx.GetInvoice(ctx, "inv1")
	if err != nil || !inv.Amount.Equal(dec("1.5")) {
		t.Fatalf("%v %+v", err, inv)
	}
	body, err := cx.InvoiceHTML(ctx, "inv1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(body)
	_ = body.Close()
	if string(b) != "<html>inv1</html>" {
		t.Fatalf("html %q", b)
	}
	if err := cx.EmailInvoice(ctx, "inv1", "pdf", []string{"ops@example.com"}); err != nil {
		t.Fatal(err)
	}
	for _, e := range drainInvoices(cx.AllInvoices(ctx, ListOptions{})) {
		t.Fatal(e)
	}
	want = append(want, "GET /core/v2/billing/invoices/inv1", "GET /core/v2/billing/invoices/inv1.html",
		"POST /core/v2/billing/invoices/inv1.pdf/emails", "GET /core/v2/billing/invoices")
	if got := paths(srv); !reflect.DeepEqual(got, want) {
		t.Fatalf("requests %v", got)
	}
	// A missing invoice on the working path is a real "no item error": not
	// retried on the seed path.
	n := srv.count()
	_, err = c.GetInvoice(ctx, "missing")
	if !IsNotFound(err) || srv.count() != n+1 || c.InvoicePath() != "/billing/invoices" {
		t.Fatalf("err %v, %d requests, path %s", err, srv.count()-n, c.InvoicePath())
	}
}

func drainInvoices(seq func(func(Invoice, error) bool)) []error {
	var errs []error
	for _, err := range seq {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func TestInvoiceNoItemNotRetriedOnAlias(t *testing.T) {
	srv := invoiceServer(t, "/invoices", false)
	c := fast(srv.URL)
	ctx := context.Background()
	_, err := c.GetInvoice(ctx, "missing")
	if !IsNotFound(err) {
		t.Fatalf("got %v", err)
	}
	if got := paths(srv); !reflect.DeepEqual(got, []string{"GET /core/v2/invoices/missing"}) {
		t.Fatalf("requests %v", got)
	}
	if e, _ := AsError(err); e.Message != "no item error" {
		t.Fatalf("error %v", err)
	}
	// Downloads and e-mails likewise.
	if _, err := c.InvoicePDF(ctx, "missing"); !IsNotFound(err) {
		t.Fatalf("pdf: %v", err)
	}
	if err := c.EmailInvoice(ctx, "missing", "html", []string{"a@b.c"}); !IsNotFound(err) {
		t.Fatalf("email: %v", err)
	}
	if got := srv.count(); got != 3 {
		t.Fatalf("%d requests: %v", got, paths(srv))
	}
	if c.InvoicePath() != "/invoices" {
		t.Fatal("seed path should stay first")
	}
	// The seed path works: no alias request at all.
	if _, err := c.ListInvoices(ctx, ListOptions{}); err != nil || srv.count() != 4 {
		t.Fatalf("%v %v", err, paths(srv))
	}
}

func TestInvoiceCollection405FallsBack(t *testing.T) {
	srv := invoiceServer(t, "/billing/invoices", true)
	c := fast(srv.URL)
	p, err := c.ListInvoices(context.Background(), ListOptions{Limit: 1})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	want := []string{"GET /core/v2/invoices", "GET /core/v2/billing/invoices"}
	if got := paths(srv); !reflect.DeepEqual(got, want) {
		t.Fatalf("requests %v", got)
	}
	if r := srv.requests()[1]; r.RawQuery != "limit=1" {
		t.Fatalf("alias query %q", r.RawQuery)
	}
}

func TestInvoiceBothPathsUnknown(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	c := fast(srv.URL)
	_, err := c.GetInvoice(context.Background(), "inv1")
	if !IsNotFound(err) || srv.count() != 2 {
		t.Fatalf("%v after %d requests", err, srv.count())
	}
	if e, _ := AsError(err); e.Path != "/core/v2/invoices/inv1" {
		t.Fatalf("error names %s", e.Path)
	}
	if c.InvoicePath() != "/invoices" {
		t.Fatal("nothing should be remembered")
	}
}

func TestInvoiceOtherErrorsNotRetriedOnAlias(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, `{"message":"forbidden","errors":[]}`)
	})
	c := fast(srv.URL)
	if _, err := c.ListInvoices(context.Background(), ListOptions{}); !IsForbidden(err) || srv.count() != 1 {
		t.Fatalf("%v after %d requests", err, srv.count())
	}
}

// ---- invoices: streaming ----

func TestInvoiceDownloadStreams(t *testing.T) {
	const size = 10 << 20
	const chunk = 64 << 10
	// The server writes the body slowly and holds back its last chunk until
	// the client has read the first bytes: a client that buffers the body
	// before handing it over never gets there (the server gives up after 5 s
	// and the test fails).
	gotFirst := make(chan struct{})
	var gaveUp atomic.Bool
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Accept"), "application/pdf") {
			writeJSON(w, 400, `{"message":"accept","errors":[]}`)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		fl := w.(http.Flusher)
		buf := make([]byte, chunk)
		for off := 0; off < size; off += chunk {
			if off+chunk >= size {
				select {
				case <-gotFirst:
				case <-time.After(5 * time.Second):
					gaveUp.Store(true)
				}
			}
			for i := range buf {
				buf[i] = byte((off + i) % 251)
			}
			if _, err := w.Write(buf); err != nil {
				return
			}
			fl.Flush()
			time.Sleep(2 * time.Millisecond)
		}
	})
	c := fast(srv.URL, WithTimeout(30*time.Second))
	rc, err := c.InvoicePDF(context.Background(), "inv1")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	first := make([]byte, 1024)
	if _, err := io.ReadFull(rc, first); err != nil {
		t.Fatal(err)
	}
	if gaveUp.Load() {
		t.Fatal("the first bytes arrived only after the whole body: it was buffered")
	}
	close(gotFirst)
	h := sha256.New()
	h.Write(first)
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatal(err)
	}
	if n+1024 != size {
		t.Fatalf("read %d bytes", n+1024)
	}
	want := sha256.New()
	buf := make([]byte, size)
	for i := range buf {
		buf[i] = byte(i % 251)
	}
	want.Write(buf)
	if !bytes.Equal(h.Sum(nil), want.Sum(nil)) {
		t.Fatal("body differs")
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if got := paths(srv); !reflect.DeepEqual(got, []string{"GET /core/v2/invoices/inv1.pdf"}) {
		t.Fatalf("requests %v", got)
	}
}

func TestInvoiceDownloadDeadlineDuringRead(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>")
		w.(http.Flusher).Flush()
		select { // then stall
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	c := fast(srv.URL, WithTimeout(300*time.Millisecond))
	start := time.Now()
	rc, err := c.InvoiceHTML(context.Background(), "inv1")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b := make([]byte, 6)
	if _, err := io.ReadFull(rc, b); err != nil || string(b) != "<html>" {
		t.Fatalf("%q %v", b, err)
	}
	_, err = io.ReadAll(rc)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read error %v", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("deadline not applied during the read (%v)", el)
	}
	if srv.count() != 1 {
		t.Fatal("a download was retried after its body was handed over")
	}
}

func TestInvoiceDownloadRetriedBeforeBody(t *testing.T) {
	var n atomic.Int32
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 503, `{"message":"busy","errors":[]}`)
			return
		}
		_, _ = io.WriteString(w, "%PDF-1.4")
	})
	rc, err := fast(srv.URL).InvoicePDF(context.Background(), "inv1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	_ = rc.Close()
	if string(b) != "%PDF-1.4" || srv.count() != 2 {
		t.Fatalf("%q after %d requests", b, srv.count())
	}
}

func TestInvoiceDownloadErrorIsError(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"message":"unauthorized","errors":[]}`)
	})
	rc, err := fast(srv.URL).InvoiceHTML(context.Background(), "inv1")
	if rc != nil || !IsUnauthorized(err) {
		t.Fatalf("%v %v", rc, err)
	}
	if e, _ := AsError(err); e.Path != "/core/v2/invoices/inv1.html" || e.Method != http.MethodGet {
		t.Fatalf("%+v", e)
	}
}

// ---- invoices: e-mail ----

func TestEmailInvoiceBody(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	c := fast(srv.URL).WithBearer("tok")
	if err := c.EmailInvoice(context.Background(), "inv1", "HTML", []string{" ops@example.com", "billing@example.org"}); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Method != http.MethodPost || r.Path != "/core/v2/invoices/inv1.html/emails" || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%s %s %s", r.Method, r.Path, r.Header.Get("Content-Type"))
	}
	if r.Body != `{"emails":["ops@example.com","billing@example.org"]}` {
		t.Fatalf("body %s", r.Body)
	}
}

func TestEmailInvoiceNotRetried(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		writeJSON(w, 503, `{"message":"busy","errors":[]}`)
	})
	err := fast(srv.URL).EmailInvoice(context.Background(), "inv1", "pdf", []string{"a@b.c"})
	if StatusOf(err) != 503 || srv.count() != 1 {
		t.Fatalf("%v after %d requests", err, srv.count())
	}
}

func TestEmailInvoiceValidation(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	c := fast(srv.URL)
	ctx := context.Background()
	for _, tc := range []struct {
		format string
		emails []string
	}{
		{"doc", []string{"a@b.c"}},
		{"", []string{"a@b.c"}},
		{"pdf", nil},
		{"pdf", []string{""}},
		{"pdf", []string{"a@b.c, d@e.f"}},
		{"pdf", []string{"not-an-address"}},
	} {
		if err := c.EmailInvoice(ctx, "inv1", tc.format, tc.emails); err == nil {
			t.Errorf("%q %q accepted", tc.format, tc.emails)
		}
	}
	if err := c.EmailInvoice(ctx, "", "pdf", []string{"a@b.c"}); err == nil {
		t.Error("empty sid accepted")
	}
	if srv.count() != 0 {
		t.Fatalf("%d requests for invalid input", srv.count())
	}
}
