package carrierx_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// newRecordsFixture is newFixture with seeded detail records.
func newRecordsFixture(t *testing.T) *carrierx.Client {
	t.Helper()
	sb := sandbox.New(sandbox.Config{CDRs: 5000})
	base, stop, err := sb.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop(context.Background()) })
	anon := carrierx.New(base, carrierx.WithRetry(4, 5*time.Millisecond, 50*time.Millisecond), carrierx.WithTimeout(30*time.Second))
	creds := sb.DemoPartner()
	tok, err := anon.CreateToken(context.Background(), carrierx.TokenRequest{Login: creds.Login, Password: creds.Password})
	if err != nil {
		t.Fatal(err)
	}
	return anon.WithBearer(tok.AccessToken)
}

func TestSandboxCallDRCursorWalk(t *testing.T) {
	cx := newRecordsFixture(t)
	ctx := context.Background()

	// The whole collection, offset/next paging, in date_stop order.
	var all []carrierx.CallDetailRecord
	for r, err := range cx.AllCallDRs(ctx, carrierx.ListOptions{Order: "date_stop asc", Limit: 1000}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	if len(all) < 1000 {
		t.Fatalf("only %d CDRs", len(all))
	}
	// A date range covering the middle of the data.
	from := all[len(all)/4].DateStop.UTC()
	to := all[3*len(all)/4].DateStop.UTC()
	rng := carrierx.Filter{}.Ge("date_stop", from.Format(time.RFC3339Nano)).Lt("date_stop", to.Format(time.RFC3339Nano))
	var want []string
	for _, r := range all {
		if !r.DateStop.Before(from) && r.DateStop.Before(to) {
			want = append(want, r.DRSID)
		}
	}

	// cdr-apps' pattern: the first record with limit=1, then after=<sid>.
	first, err := cx.ListCallDRs(ctx, carrierx.ListOptions{Filter: rng, Order: "date_stop asc", Limit: 1})
	if err != nil || len(first.Items) != 1 {
		t.Fatalf("first page: %v %+v", err, first)
	}
	got := []string{first.Items[0].DRSID}
	seen := map[string]bool{got[0]: true}
	for r, err := range cx.AllCallDRs(ctx, carrierx.ListOptions{Filter: rng, Order: "date_stop asc", Limit: 250, After: got[0]}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[r.DRSID] {
			t.Fatalf("%s yielded twice", r.DRSID)
		}
		seen[r.DRSID] = true
		if r.DateStop.Before(from) || !r.DateStop.Before(to) {
			t.Fatalf("%s outside the range: %v", r.DRSID, r.DateStop)
		}
		got = append(got, r.DRSID)
	}
	if len(got) != len(want) {
		t.Fatalf("cursor walk gave %d records, the range holds %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("record %d: %s, want %s (gap or reorder)", i, got[i], want[i])
		}
	}

	one, err := cx.GetCallDR(ctx, want[0])
	if err != nil || one.DRSID != want[0] || one.DateStop == nil {
		t.Fatalf("%v %+v", err, one)
	}
	if _, err := cx.GetCallDR(ctx, "00000000-0000-0000-0000-000000000000"); !carrierx.IsNotFound(err) {
		t.Fatalf("missing CDR: %v", err)
	}
}

func TestSandboxOtherRecords(t *testing.T) {
	cx := newRecordsFixture(t)
	ctx := context.Background()
	opts := carrierx.ListOptions{Limit: 5}

	m, err := cx.ListMessageDRs(ctx, opts)
	if err != nil || len(m.Items) == 0 {
		t.Fatalf("message DRs: %v %+v", err, m)
	}
	if got, err := cx.GetMessageDR(ctx, m.Items[0].DRSID); err != nil || got.DRSID != m.Items[0].DRSID {
		t.Fatalf("%v %+v", err, got)
	}
	n := 0
	for r, err := range cx.AllMessageDRs(ctx, carrierx.ListOptions{Limit: 7, Order: "date_stop asc", After: m.Items[0].DRSID}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.DRSID == m.Items[0].DRSID {
			t.Fatal("after returned its own cursor")
		}
		if n++; n == 30 {
			break
		}
	}

	cc, err := cx.ListConferenceCalls(ctx, opts)
	if err != nil || len(cc.Items) == 0 {
		t.Fatalf("conference calls: %v %+v", err, cc)
	}
	if got, err := cx.GetConferenceCall(ctx, cc.Items[0].CallSID); err != nil || got.CallSID != cc.Items[0].CallSID {
		t.Fatalf("%v %+v", err, got)
	}
	if err := drainSeq(cx.AllConferenceCalls(ctx, carrierx.ListOptions{Limit: 1000})); err != nil {
		t.Fatal(err)
	}

	mt, err := cx.ListConferenceMeetings(ctx, opts)
	if err != nil || len(mt.Items) == 0 {
		t.Fatalf("conference meetings: %v %+v", err, mt)
	}
	if got, err := cx.GetConferenceMeeting(ctx, mt.Items[0].MeetingSID); err != nil || got.MeetingSID != mt.Items[0].MeetingSID {
		t.Fatalf("%v %+v", err, got)
	}
	if err := drainSeq(cx.AllConferenceMeetings(ctx, carrierx.ListOptions{Limit: 1000})); err != nil {
		t.Fatal(err)
	}

	mc, err := cx.ListMediatorCalls(ctx, opts)
	if err != nil || len(mc.Items) == 0 {
		t.Fatalf("mediator calls: %v %+v", err, mc)
	}
	if err := drainSeq(cx.AllMediatorCalls(ctx, carrierx.ListOptions{Limit: 1000})); err != nil {
		t.Fatal(err)
	}
}

func drainSeq[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestSandboxInvoices(t *testing.T) {
	cx := newRecordsFixture(t)
	ctx := context.Background()

	var invs []carrierx.Invoice
	for inv, err := range cx.AllInvoices(ctx, carrierx.ListOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		invs = append(invs, inv)
	}
	if len(invs) == 0 {
		t.Fatal("no invoices")
	}
	inv := invs[0]
	got, err := cx.GetInvoice(ctx, inv.InvoiceSID)
	if err != nil || got.InvoiceSID != inv.InvoiceSID || !got.Amount.Equal(inv.Amount) {
		t.Fatalf("%v %+v", err, got)
	}
	if _, err := cx.GetInvoice(ctx, "00000000-0000-0000-0000-000000000000"); !carrierx.IsNotFound(err) {
		t.Fatalf("missing invoice: %v", err)
	}

	html, err := cx.InvoiceHTML(ctx, inv.InvoiceSID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(html)
	_ = html.Close()
	if err != nil || !strings.Contains(strings.ToLower(string(b)), "<html") {
		t.Fatalf("html: %v %.80q", err, b)
	}
	pdf, err := cx.InvoicePDF(ctx, inv.InvoiceSID)
	if err != nil {
		t.Fatal(err)
	}
	b, err = io.ReadAll(pdf)
	_ = pdf.Close()
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("pdf: %v %.20q", err, b)
	}
	for _, format := range []string{"html", "pdf"} {
		if err := cx.EmailInvoice(ctx, inv.InvoiceSID, format, []string{"ops@example.com"}); err != nil {
			t.Fatalf("email %s: %v", format, err)
		}
	}
	if _, err := cx.InvoicePDF(ctx, "00000000-0000-0000-0000-000000000000"); !carrierx.IsNotFound(err) {
		t.Fatalf("missing pdf: %v", err)
	}
}
