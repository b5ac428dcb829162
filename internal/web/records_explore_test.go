package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

var recordRowRE = regexp.MustCompile(`id="record-([^"]+)"`)

// The message explorer shows the partner's cached messages for the range,
// totals them as CarrierX does, exports exactly them and opens one in place.
func TestMessageExplorerSummaryPagesAndExport(t *testing.T) {
	e := reportsEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	now := time.Now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -29)
	want := map[string]carrierx.MessageDetailRecord{}
	f := carrierx.Filter{}.Ge("date_stop", from).Lt("date_stop", from.AddDate(0, 0, 30))
	for r, err := range e.demoClient().AllMessageDRs(context.Background(), carrierx.ListOptions{Filter: f, Order: "date_stop asc", Limit: 1000}) {
		require.NoError(t, err)
		want[r.DRSID] = r
	}
	require.NotEmpty(t, want)
	cost, segments := decimal.Zero, 0
	for _, r := range want {
		cost = cost.Add(r.Price.Decimal)
		segments += r.MessageSegments
	}

	page := b.get("/records/messages?preset=30d")
	require.Equal(t, http.StatusOK, page.StatusCode, page.Body)
	st := stats(page.Body)
	assert.Equal(t, strconv.Itoa(len(want)), st["Messages"])
	assert.Equal(t, strconv.Itoa(segments), st["Segments"])
	assert.Equal(t, "$"+cost.StringFixed(2), st["Cost"])
	ids := recordRowRE.FindAllStringSubmatch(page.Body, -1)
	require.Len(t, ids, 50, "a page of 50")
	for _, id := range ids {
		assert.Contains(t, want, id[1])
	}

	next := regexp.MustCompile(`href="(/records/messages\?[^"]*after=[^"]+)"`).FindStringSubmatch(page.Body)
	require.NotNil(t, next)
	second := b.get(strings.ReplaceAll(next[1], "&amp;", "&"), "records-results")
	assert.NotContains(t, second.Body, "<html")
	for _, id := range ids {
		assert.NotContains(t, second.Body, `id="record-`+id[1]+`"`, "keyset paging does not repeat rows")
	}

	csvResp := b.get("/records/messages.csv?preset=30d")
	rows, err := csv.NewReader(strings.NewReader(csvResp.Body)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "sid", rows[0][0])
	assert.Len(t, rows[1:], len(want))
	priceCol := -1
	for i, h := range rows[0] {
		if h == "price" {
			priceCol = i
		}
	}
	require.Positive(t, priceCol)
	for _, r := range rows[1:] {
		rec, ok := want[r[0]]
		require.True(t, ok, r[0])
		assert.Equal(t, rec.Price.Decimal.String(), r[priceCol], "exact price")
		assert.Regexp(t, `[+-]\d\d:\d\d$|Z$`, r[1], "times say their offset")
	}

	inbound := b.get("/records/messages?preset=30d&direction=inbound", "records-results")
	n := 0
	for _, r := range want {
		if r.Direction == "inbound" {
			n++
		}
	}
	assert.Equal(t, strconv.Itoa(n), stats(inbound.Body)["Messages"])

	detail := b.get("/records/messages/"+ids[0][1], "record-"+ids[0][1])
	assert.Equal(t, http.StatusOK, detail.StatusCode)
	assert.Contains(t, detail.Body, ids[0][1])
	assert.Contains(t, detail.Body, "message_segments")
}

// A conference meeting links to its calls; the calls explorer pinned to it
// shows exactly that meeting's calls.
func TestConferenceMeetingLinksToItsCalls(t *testing.T) {
	e := reportsEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	page := b.get("/records/conference-meetings?preset=90d")
	require.Equal(t, http.StatusOK, page.StatusCode, page.Body)
	link := regexp.MustCompile(`href="(/records/conference-calls\?group=([^&"]+)[^"]*)"`).FindStringSubmatch(page.Body)
	require.NotNil(t, link, "a meeting links to its calls")
	meeting := link[2]
	calls := b.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	require.Equal(t, http.StatusOK, calls.StatusCode)
	ids := recordRowRE.FindAllStringSubmatch(calls.Body, -1)
	require.NotEmpty(t, ids)
	for _, id := range ids {
		c, err := e.demoClient().GetConferenceCall(context.Background(), id[1])
		require.NoError(t, err)
		require.NotNil(t, c.MeetingSID)
		assert.Equal(t, meeting, *c.MeetingSID)
	}
	assert.Equal(t, strconv.Itoa(len(ids)), stats(calls.Body)["Calls"])
	assert.Equal(t, "1", stats(calls.Body)["Meetings"])
}

// The trimmed explorers, their exports and record details never show
// another partner's records.
func TestRecordExplorersArePerPartner(t *testing.T) {
	e := reportsEnv(t)
	demo := e.browser()
	demo.signIn("demo", "demo")
	other := e.browser()
	other.signIn("other", "other")
	for _, path := range []string{"/records/messages", "/records/conference-meetings", "/records/conference-calls", "/records/mediator"} {
		ids := recordRowRE.FindAllStringSubmatch(demo.get(path+"?preset=90d").Body, -1)
		require.NotEmpty(t, ids, path)
		otherPage := other.get(path + "?preset=90d").Body
		otherCSV := other.get(path + ".csv?preset=90d").Body
		for _, id := range ids[:5] {
			assert.NotContains(t, otherPage, id[1], path)
			assert.NotContains(t, otherCSV, id[1], path)
			assert.Equal(t, http.StatusNotFound, other.get(path+"/"+id[1], "record-"+id[1]).StatusCode, path)
		}
	}
}
