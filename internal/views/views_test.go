package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/views"
)

const hostile = `<script>alert("x")</script>`

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, c.Render(context.Background(), &buf))
	return buf.String()
}

// TestEveryPageRenders renders each page once with data that tries to inject
// markup, so no template can rot and none bypasses escaping.
func TestEveryPageRenders(t *testing.T) {
	p := views.Page{Title: "T", Nav: "numbers", PartnerName: hostile, Login: "demo", CSRF: `tok"en`,
		Zones: []string{"UTC"}, TimeZone: "UTC", Flashes: []views.Flash{{Kind: views.FlashOK, Text: hostile}},
		Outage: hostile}
	row := views.NumberRow{SID: "sid1", Phonenumber: "15162065574", International: "+1 516-206-5574",
		Name: hostile, Locality: "NEW YORK", State: "NY", CallbackURL: "javascript:alert(1)", Capabilities: []string{"Voice"}}
	pages := map[string]templ.Component{
		"login":   views.LoginPage(views.LoginData{CSRF: "x", Login: hostile, Error: hostile, DemoHint: &views.DemoHint{Login: "demo", Password: "demo"}}),
		"numbers": views.NumbersPage(p, views.NumbersData{Rows: []views.NumberRow{row}, Total: 1, Query: views.NumbersQuery{Name: hostile, Limit: 25}}),
		"detail": views.NumberDetailPage(p, views.NumberDetailData{Row: row, Fields: []views.Field{{Name: "name", Value: hostile}},
			Form: views.NumberForm{Row: row, Errors: map[string]string{"name": hostile}}}),
		"edit":    views.NumberEditRow(views.NumberForm{Row: row, Inline: true}),
		"release": views.ReleasePage(p, views.ReleaseData{Row: row}),
		"rent": views.RentPage(p, views.RentData{Query: views.RentQuery{Country: "USA", Contains: hostile},
			Rows:     []views.AvailableRow{{Phonenumber: "15162065573", Display: "+1 516-206-5573", Locality: hostile, Price: "$0.60/mo"}},
			Coverage: []views.StateCount{{State: "NY", Count: 81}}}),
		"audit": views.AuditPage(p, views.AuditData{Rows: []views.AuditRow{{Actor: hostile, Before: hostile}}}),
		"error": views.ErrorPage(p, 502, hostile),
		"calls": views.CallsPage(p, views.CallsData{
			Query:      views.CallQuery{Preset: "7d", Number: hostile, Columns: views.DefaultCallColumns},
			RangeLabel: hostile,
			Rows:       []views.CallRow{{SID: "c1", Values: map[string]string{"number_src": hostile}}}}),
		"calls-summary": views.CallsSummary(views.CallSummary{Calls: "1", Cost: hostile}),
		"calls-charts": views.CallsCharts([]views.BarChart{{Title: hostile, Bars: []views.Bar{{Label: hostile, Value: 2, Display: "2"}}},
			{Title: "h", Horizontal: true, Bars: []views.Bar{{Label: hostile, Value: 1, Display: hostile}}}}),
		"record":   views.RecordDetail(3, []views.RecordField{{Name: "dr_sid", Value: hostile}}),
		"invoices": views.InvoicesPage(p, views.InvoicesData{Rows: []views.InvoiceListRow{{SID: "i1", DisplayID: hostile, Status: hostile}}}),
		"invoice": views.InvoicePage(p, views.InvoiceData{SID: "i1", DisplayID: hostile, CoverageGap: hostile, EmailError: hostile, Emails: hostile,
			Items: []views.InvoiceLine{{Type: hostile}}, Recon: []views.ReconLine{{Line: hostile, Flagged: true, Checked: true, RecordsURL: "/records/calls?x=1"}}}),
		"overview": views.OverviewPage(p, views.OverviewData{Month: hostile, LastInvoice: &views.InvoiceListRow{SID: "i1", Status: hostile},
			Sync: views.SyncData{Running: true, Rows: []views.SyncRow{{Source: hostile, Running: true, Percent: 40, Progress: hostile}, {Source: "x", Error: hostile}}}}),
	}
	for name, c := range pages {
		t.Run(name, func(t *testing.T) {
			html := renderString(t, c)
			assert.NotContains(t, html, hostile, "data is escaped")
			assert.NotContains(t, html, "<script>", "no inline script")
			assert.NotContains(t, html, "style=", "no inline style (CSP)")
			assert.NotContains(t, html, `href="javascript:`, "no script URLs")
		})
	}
}

func TestLayoutCarriesCSRFForHTMX(t *testing.T) {
	html := renderString(t, views.NumbersPage(views.Page{CSRF: "abc123"}, views.NumbersData{}))
	assert.Contains(t, html, `hx-headers="{&#34;X-CSRF-Token&#34;:&#34;abc123&#34;}"`)
	assert.True(t, strings.Contains(html, `/static/vendor/htmx.min.`), "htmx is served from a hashed URL")
}

func TestNumbersQueryURLsKeepTheSearch(t *testing.T) {
	q := views.NumbersQuery{Contains: "516", State: "NY", Sort: "name", Limit: 25, Offset: 25}
	assert.Equal(t, "/numbers?contains=516&offset=25&sort=name&state=NY", q.URL())
	assert.Equal(t, "/numbers?contains=516&dir=desc&sort=name&state=NY", q.SortURL("name"), "sorting again flips and restarts")
	d := views.NumbersData{Query: q, HasMore: true}
	assert.Equal(t, "/numbers?contains=516&sort=name&state=NY", d.PrevURL())
	assert.Equal(t, "/numbers?contains=516&offset=50&sort=name&state=NY", d.NextURL())
}

func TestBarChartScalesToTheLargestBar(t *testing.T) {
	c := views.BarChart{Title: "Calls per day", Bars: []views.Bar{
		{Label: "Mon", Value: 10, Display: "10"}, {Label: "Tue", Value: 5, Display: "5"}, {Label: "Wed", Value: 0, Display: "0"}}}
	html := renderString(t, views.Chart(c))
	assert.Contains(t, html, `height="164.0"`, "the largest bar fills the plot")
	assert.Contains(t, html, `height="82.0"`, "half the value, half the height")
	assert.Contains(t, html, `<title>Tue: 5</title>`, "each bar says its value")
	assert.Contains(t, html, `<td class="num">10</td>`, "a data table backs the picture")
}
