package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/reports"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// reportsEnv is a console whose cache holds both sandbox partners' records.
func reportsEnv(t *testing.T) *env {
	t.Helper()
	e := newEnvWith(t, sandbox.Config{CDRs: 6000, OtherCDRs: 1500})
	for _, login := range []string{"demo", "other"} {
		e.sync(login)
	}
	return e
}

// sync copies every source of a partner into the console's database.
func (e *env) sync(login string) {
	e.t.Helper()
	tok, err := e.cx.CreateToken(context.Background(), carrierx.TokenRequest{Login: login, Password: login})
	require.NoError(e.t, err)
	s := reports.Syncer{Store: e.db, Client: e.cx.WithBearer(tok.AccessToken), PartnerSID: tok.PartnerSID}
	for _, r := range s.SyncAll(context.Background()) {
		require.NoError(e.t, r.Err, r.Source)
	}
}

// apiCalls are the partner's calls in [from, to) as CarrierX lists them.
func apiCalls(t *testing.T, cx *carrierx.Client, from, to time.Time) map[string]carrierx.CallDetailRecord {
	t.Helper()
	out := map[string]carrierx.CallDetailRecord{}
	f := carrierx.Filter{}.Ge("date_stop", from).Lt("date_stop", to)
	for r, err := range cx.AllCallDRs(context.Background(), carrierx.ListOptions{Filter: f, Order: "date_stop asc", Limit: 1000}) {
		require.NoError(t, err)
		out[r.DRSID] = r
	}
	return out
}

var statRE = regexp.MustCompile(`<span class="stat-label">([^<]+)</span> <strong class="stat-value">([^<]+)</strong>`)

func stats(body string) map[string]string {
	m := map[string]string{}
	for _, s := range statRE.FindAllStringSubmatch(body, -1) {
		m[s[1]] = s[2]
	}
	return m
}

func TestCallExplorerSummaryAndCSVMatchTheRecords(t *testing.T) {
	e := reportsEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	now := time.Now().UTC()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -29)
	to := from.AddDate(0, 0, 30)
	want := apiCalls(t, e.demoClient(), from, to)
	require.NotEmpty(t, want)
	cost := decimal.Zero
	for _, r := range want {
		if r.Price.Valid {
			cost = cost.Add(r.Price.Decimal)
		}
	}

	page := b.get("/records/calls?preset=30d")
	require.Equal(t, http.StatusOK, page.StatusCode, page.Body)
	// The summary and charts load after the rows, from the page's own links.
	summaryURL := regexp.MustCompile(`hx-get="(/records/calls/summary\?[^"]*)"`).FindStringSubmatch(page.Body)
	chartsURL := regexp.MustCompile(`hx-get="(/records/calls/charts\?[^"]*)"`).FindStringSubmatch(page.Body)
	require.NotNil(t, summaryURL, "the page loads its summary")
	require.NotNil(t, chartsURL, "the page loads its charts")
	summary := b.get(strings.ReplaceAll(summaryURL[1], "&amp;", "&"), "calls-summary")
	require.Equal(t, http.StatusOK, summary.StatusCode, summary.Body)
	st := stats(summary.Body)
	assert.Equal(t, decimal.NewFromInt(int64(len(want))).String(), st["Calls"])
	assert.Equal(t, "$"+cost.StringFixed(2), st["Cost"])
	charts := b.get(strings.ReplaceAll(chartsURL[1], "&amp;", "&"), "calls-charts")
	assert.Contains(t, charts.Body, "Calls per day")
	assert.Contains(t, charts.Body, "<svg", "charts are drawn")

	// The CSV holds exactly the records, with offsets and exact prices.
	csvResp := b.get("/records/calls.csv?preset=30d")
	require.Equal(t, http.StatusOK, csvResp.StatusCode)
	assert.Contains(t, csvResp.Header.Get("Content-Type"), "text/csv")
	rows, err := csv.NewReader(strings.NewReader(csvResp.Body)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "dr_sid", rows[0][0])
	assert.Len(t, rows[1:], len(want))
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		rec, ok := want[r[0]]
		require.True(t, ok, "CSV row %s is among the records", r[0])
		assert.False(t, seen[r[0]], "no duplicates")
		seen[r[0]] = true
		assert.Regexp(t, `[+-]\d\d:\d\d$|Z$`, r[2], "times say their offset")
		assert.Equal(t, rec.Price.Decimal.String(), r[16], "exact price")
	}

	// A filter narrows the summary; the next page continues without repeats.
	in := b.get("/records/calls?preset=30d&direction=inbound&answered=1", "calls-results")
	assert.NotContains(t, in.Body, "<html")
	inbound := 0
	for _, r := range want {
		if r.Direction == "inbound" && r.DateTalk != nil {
			inbound++
		}
	}
	assert.Contains(t, in.Body, `hx-get="/records/calls/summary?answered=1&amp;direction=inbound&amp;preset=30d"`,
		"the summary follows the filter")
	assert.Equal(t, decimal.NewFromInt(int64(inbound)).String(),
		stats(b.get("/records/calls/summary?preset=30d&direction=inbound&answered=1", "calls-summary").Body)["Calls"])
	next := regexp.MustCompile(`href="(/records/calls\?[^"]*after=[^"]+)"`).FindStringSubmatch(page.Body)
	require.NotNil(t, next, "a next page link")
	second := b.get(strings.ReplaceAll(next[1], "&amp;", "&"), "calls-results")
	assert.Equal(t, http.StatusOK, second.StatusCode)
	firstIDs := regexp.MustCompile(`id="call-([^"]+)"`).FindAllStringSubmatch(page.Body, -1)
	for _, id := range firstIDs {
		assert.NotContains(t, second.Body, `id="call-`+id[1]+`"`, "keyset paging does not repeat rows")
	}

	bad := b.get("/records/calls?preset=custom&from=2026-01-02T00:00&to=2026-01-01T00:00", "calls-results")
	assert.Contains(t, bad.Body, "The end must come after the start")
}

func TestReportsNeverShowAnotherPartnersData(t *testing.T) {
	e := reportsEnv(t)
	demo := e.browser()
	demo.signIn("demo", "demo")
	other := e.browser()
	other.signIn("other", "other")

	demoIDs := regexp.MustCompile(`id="call-([^"]+)"`).FindAllStringSubmatch(demo.get("/records/calls?preset=30d").Body, -1)
	require.NotEmpty(t, demoIDs)
	otherPage := other.get("/records/calls?preset=30d")
	otherCSV := other.get("/records/calls.csv?preset=30d").Body
	for _, id := range demoIDs {
		assert.NotContains(t, otherPage.Body, id[1])
		assert.NotContains(t, otherCSV, id[1])
		assert.Equal(t, http.StatusNotFound, other.get("/records/calls/"+id[1], "call-"+id[1]).StatusCode)
	}
	assert.NotEqual(t, stats(demo.get("/records/calls/summary?preset=30d").Body)["Calls"],
		stats(other.get("/records/calls/summary?preset=30d").Body)["Calls"])

	demoInvoices := regexp.MustCompile(`href="/invoices/([^"/]+)"`).FindAllStringSubmatch(demo.get("/invoices").Body, -1)
	require.NotEmpty(t, demoInvoices)
	otherList := other.get("/invoices").Body
	for _, inv := range demoInvoices {
		assert.NotContains(t, otherList, inv[1])
		assert.Equal(t, http.StatusNotFound, other.get("/invoices/"+inv[1]).StatusCode)
		assert.Equal(t, http.StatusNotFound, other.get("/invoices/"+inv[1]+"/pdf").StatusCode)
	}
}

// lastMonthInvoice is the demo partner's invoice for the last whole month.
func lastMonthInvoice(t *testing.T, e *env) carrierx.Invoice {
	t.Helper()
	now := time.Now().UTC()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	for inv, err := range e.demoClient().AllInvoices(context.Background(), carrierx.ListOptions{Limit: 100}) {
		require.NoError(t, err)
		if inv.DateBillingPeriodStart != nil && inv.DateBillingPeriodStart.Equal(start) {
			return inv
		}
	}
	t.Fatal("no invoice for last month")
	return carrierx.Invoice{}
}

func TestReconciliationFindsAPlantedDiscrepancyAndNoneOtherwise(t *testing.T) {
	e := reportsEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	inv := lastMonthInvoice(t, e)

	clean := b.get("/invoices/" + inv.InvoiceSID)
	require.Equal(t, http.StatusOK, clean.StatusCode, clean.Body)
	assert.Contains(t, clean.Body, "✓ matches")
	assert.NotContains(t, clean.Body, "✗ differs", "the sandbox's invoices follow from its records")
	assert.NotContains(t, clean.Body, "does not cover this whole period")

	require.NoError(t, e.sandbox.AdjustInvoiceItem(e.sandbox.DemoPartner().PartnerSID, *inv.DateBillingPeriodStart, "toll", "inbound", "0.50"))
	e.sync("demo")
	planted := b.get("/invoices/" + inv.InvoiceSID)
	assert.Equal(t, 1, strings.Count(planted.Body, "✗ differs"), "exactly the planted line")
	// The planted 0.50, give or take the invoice's rounding of the line to cents.
	diff := regexp.MustCompile(`<tr class="flagged">(?s:.*?)<td class="num">\+\$([0-9.]+)</td><td><span class="status-error">`).FindStringSubmatch(planted.Body)
	require.NotNil(t, diff, "the flagged line shows its difference")
	d := decimal.RequireFromString(diff[1])
	assert.True(t, d.Sub(decimal.RequireFromString("0.50")).Abs().LessThanOrEqual(decimal.RequireFromString("0.005")), "difference %s", d)
	link := regexp.MustCompile(`<tr class="flagged">.*?href="(/records/calls\?[^"]+)"`).FindStringSubmatch(strings.ReplaceAll(planted.Body, "\n", ""))
	require.NotNil(t, link, "the flagged line links to its records")
	records := b.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	assert.Equal(t, http.StatusOK, records.StatusCode)
	assert.Contains(t, records.Body, "inbound")
}

func TestInvoiceDownloadsAndEmail(t *testing.T) {
	e := reportsEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	inv := lastMonthInvoice(t, e)

	pdf := b.get("/invoices/" + inv.InvoiceSID + "/pdf")
	require.Equal(t, http.StatusOK, pdf.StatusCode)
	assert.True(t, strings.HasPrefix(pdf.Body, "%PDF-"))
	html := b.get("/invoices/" + inv.InvoiceSID + "/html")
	assert.Equal(t, http.StatusOK, html.StatusCode)
	assert.Contains(t, html.Header.Get("Content-Security-Policy"), "sandbox")

	bad := b.post("/invoices/"+inv.InvoiceSID+"/email", url.Values{"emails": {"not-an-address"}, "format": {"pdf"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Not an email address")
	assert.Empty(t, e.sandbox.SentInvoiceEmails())

	ok := b.post("/invoices/"+inv.InvoiceSID+"/email", url.Values{"emails": {"finance@example.com, ops@example.com"}, "format": {"pdf"}}, true)
	require.Equal(t, http.StatusOK, ok.StatusCode, ok.Body)
	sent := e.sandbox.SentInvoiceEmails()
	require.Len(t, sent, 1)
	assert.Equal(t, []string{"finance@example.com", "ops@example.com"}, sent[0].To)
	assert.Contains(t, b.get("/audit").Body, "email_invoice")
}
