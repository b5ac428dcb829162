package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

const callsPageSize = 50

// callRequest is a parsed call explorer request.
type callRequest struct {
	Query  views.CallQuery
	Filter store.CallFilter
	Sort   store.CallSort
	After  store.CallCursor
	Errors map[string]string
}

func parseCallRequest(c echo.Context, a *auth, now time.Time) callRequest {
	loc := a.location()
	q := views.CallQuery{
		Preset:       c.QueryParam("preset"),
		From:         c.QueryParam("from"),
		To:           c.QueryParam("to"),
		Direction:    c.QueryParam("direction"),
		Number:       digitsOnly(c.QueryParam("number")),
		TrunkGroup:   strings.TrimSpace(c.QueryParam("trunk_group")),
		Endpoint:     strings.TrimSpace(c.QueryParam("endpoint")),
		SIPCause:     strings.TrimSpace(c.QueryParam("sipcause")),
		MinDuration:  strings.TrimSpace(c.QueryParam("min_duration")),
		AnsweredOnly: c.QueryParam("answered") != "",
		Sort:         c.QueryParam("sort"),
		Asc:          c.QueryParam("dir") == "asc",
		After:        c.QueryParam("after"),
	}
	r := callRequest{Errors: map[string]string{}}
	if !validPreset(q.Preset) {
		q.Preset = "7d"
	}
	for _, col := range c.QueryParams()["col"] {
		if slices.ContainsFunc(views.CallColumns, func(cc views.Column) bool { return cc.Key == col }) && !slices.Contains(q.Columns, col) {
			q.Columns = append(q.Columns, col)
		}
	}
	if len(q.Columns) == 0 {
		q.Columns = views.DefaultCallColumns
	}
	if q.Direction != "inbound" && q.Direction != "outbound" {
		q.Direction = ""
	}
	if !views.Sortable[q.Sort] {
		q.Sort = ""
	}
	f := store.CallFilter{PartnerSID: a.PartnerSID, Direction: q.Direction, Number: q.Number,
		TrunkGroup: q.TrunkGroup, Endpoint: q.Endpoint, SIPCause: q.SIPCause, AnsweredOnly: q.AnsweredOnly}
	if q.Preset == "custom" {
		var errs map[string]string
		f.From, f.To, errs = customRange(q.From, q.To, loc)
		for k, v := range errs {
			r.Errors[k] = v
		}
	} else {
		f.From, f.To = presetRange(q.Preset, now, loc)
		q.From, q.To = f.From.Format(datetimeLocal), f.To.Format(datetimeLocal)
	}
	if q.SIPCause != "" && (len(q.SIPCause) != 3 || digitsOnly(q.SIPCause) != q.SIPCause) {
		r.Errors["sipcause"] = "A SIP cause is three digits, such as 486."
	}
	if q.MinDuration != "" {
		d, err := decimal.NewFromString(q.MinDuration)
		if err != nil || d.IsNegative() {
			r.Errors["min_duration"] = "Seconds, such as 30 or 1.5."
		} else {
			f.MinDuration = &d
		}
	}
	cur, err := store.ParseCallCursor(q.After)
	if err != nil {
		q.After = ""
	}
	r.Query, r.Filter, r.After = q, f, cur
	r.Sort = store.CallSort{Field: q.Sort, Asc: q.Asc}
	return r
}

// listCalls is the call explorer: the cached records, filtered, summarised,
// charted and paged by keyset. It reads Postgres only, never CarrierX.
func (s *Server) listCalls(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	loc := a.location()
	req := parseCallRequest(c, a, time.Now())
	d := views.CallsData{Query: req.Query, Errors: req.Errors,
		RangeLabel: fmt.Sprintf("%s – %s %s", req.Filter.From.Format("2006-01-02 15:04"), req.Filter.To.Format("2006-01-02 15:04"), loc)}
	tg := s.trunkGroupNames(c)
	d.TrunkGroups = tg.options()
	endpoints, err := s.db.CallEndpoints(ctx, a.PartnerSID, 100)
	if err != nil {
		return err
	}
	for _, ep := range endpoints {
		d.Endpoints = append(d.Endpoints, views.Option{Value: ep, Label: ep})
	}
	if len(req.Errors) > 0 {
		d.Error = "Correct the filter: " + firstOf(req.Errors)
	} else if err := s.fillCalls(ctx, &d, req, loc, tg); err != nil {
		return err
	}
	if isHTMX(c) && htmxTarget(c) == "calls-results" {
		return render(c, http.StatusOK, views.CallsResults(d))
	}
	return render(c, http.StatusOK, views.CallsPage(s.page(c, "Call records", "records"), d))
}

func (s *Server) fillCalls(ctx context.Context, d *views.CallsData, req callRequest, loc *time.Location, tg trunkGroups) error {
	rows, next, err := s.db.QueryCalls(ctx, req.Filter, req.Sort, req.After, callsPageSize)
	if err != nil {
		return err
	}
	for _, r := range rows {
		d.Rows = append(d.Rows, callRow(r, loc, tg))
	}
	if next != nil {
		d.NextAfter = next.String()
	}
	return nil
}

// callSummaryPart and callChartsPart are the explorer's lazily loaded parts,
// for the same filter as the page: the summary strip and the charts of the
// whole filtered set.
func (s *Server) callSummaryPart(c echo.Context) error {
	req, err := partRequest(c)
	if err != nil {
		return err
	}
	sum, err := s.db.SummarizeCalls(c.Request().Context(), req.Filter)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CallsSummary(callSummary(sum)))
}

func (s *Server) callChartsPart(c echo.Context) error {
	req, err := partRequest(c)
	if err != nil {
		return err
	}
	charts, err := s.callCharts(c.Request().Context(), req.Filter, authOf(c).location())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.CallsCharts(charts))
}

func partRequest(c echo.Context) (callRequest, error) {
	req := parseCallRequest(c, authOf(c), time.Now())
	if len(req.Errors) > 0 {
		return req, echo.NewHTTPError(http.StatusUnprocessableEntity, "Correct the filter: "+firstOf(req.Errors))
	}
	return req, nil
}

func (s *Server) callCharts(ctx context.Context, f store.CallFilter, loc *time.Location) ([]views.BarChart, error) {
	perDay, err := s.db.CallsPerDay(ctx, f, loc)
	if err != nil {
		return nil, err
	}
	byHour, err := s.db.CallsByHour(ctx, f, loc)
	if err != nil {
		return nil, err
	}
	topDst, err := s.db.TopDestinations(ctx, f, 10)
	if err != nil {
		return nil, err
	}
	topNum, err := s.db.TopNumbers(ctx, f, 10)
	if err != nil {
		return nil, err
	}
	for i := range perDay { // "2026-11-03" reads as "11-03" under a bar
		if len(perDay[i].Key) == len("2006-01-02") {
			perDay[i].Key = perDay[i].Key[5:]
		}
	}
	return []views.BarChart{
		countChart("Calls per day", "calls", perDay, false),
		costChart("Cost per day", perDay),
		countChart("Calls by hour of day", "calls, "+loc.String(), fillHours(byHour), false),
		countChart("Top destinations", "calls by country and area code", topDst, true),
		countChart("Top numbers", "calls per billed number", topNum, true),
	}, nil
}

func callSummary(s store.CallSummary) views.CallSummary {
	out := views.CallSummary{
		Calls:         strconv.FormatInt(s.Calls, 10),
		Answered:      strconv.FormatInt(s.Answered, 10),
		BilledMinutes: s.BilledSeconds.Div(decimal.NewFromInt(60)).StringFixed(1),
		Cost:          "$" + s.Cost.StringFixed(2),
		ASR:           "—",
		ACD:           "—",
	}
	if s.Calls > 0 {
		out.ASR = decimal.NewFromInt(s.Answered*100).Div(decimal.NewFromInt(s.Calls)).StringFixed(1) + "%"
	}
	if s.Answered > 0 {
		secs := s.AnsweredSeconds.Div(decimal.NewFromInt(s.Answered)).Round(0).IntPart()
		out.ACD = fmt.Sprintf("%d:%02d", secs/60, secs%60)
	}
	return out
}

func countChart(title, caption string, bs []store.CallBucket, horizontal bool) views.BarChart {
	c := views.BarChart{Title: title, Caption: caption, Horizontal: horizontal}
	for _, b := range bs {
		c.Bars = append(c.Bars, views.Bar{Label: b.Key, Value: float64(b.Calls), Display: strconv.FormatInt(b.Calls, 10)})
	}
	return c
}

func costChart(title string, bs []store.CallBucket) views.BarChart {
	c := views.BarChart{Title: title, Caption: "USD"}
	for _, b := range bs {
		v, _ := b.Cost.Float64() // bar height only; the label stays exact
		c.Bars = append(c.Bars, views.Bar{Label: b.Key, Value: v, Display: "$" + b.Cost.StringFixed(2)})
	}
	return c
}

// fillHours gives all 24 hours, with zero for hours without calls.
func fillHours(bs []store.CallBucket) []store.CallBucket {
	out := make([]store.CallBucket, 24)
	for h := range out {
		out[h].Key = fmt.Sprintf("%02d", h)
	}
	for _, b := range bs {
		if h, err := strconv.Atoi(b.Key); err == nil && h >= 0 && h < 24 {
			out[h] = b
		}
	}
	return out
}

func fmtTime(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

func fmtDec(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return d.Decimal.String()
}

func callRow(r store.CallRecord, loc *time.Location, tg trunkGroups) views.CallRow {
	trunk := r.TrunkGroupDst
	if r.Direction == "outbound" {
		trunk = r.TrunkGroupSrc
	}
	if name, ok := tg[trunk]; ok {
		trunk = name
	}
	endpoint := r.EndpointDst
	if r.Direction == "outbound" {
		endpoint = r.EndpointSrc
	}
	return views.CallRow{SID: r.SID, Values: map[string]string{
		"date_stop": fmtTime(r.DateStop, loc), "direction": r.Direction, "number_src": r.NumberSrc,
		"number_dst": r.NumberDst, "trunk_group": trunk, "endpoint": endpoint, "sipcause": r.SIPCause,
		"duration": fmtDec(r.Duration), "duration_billing": fmtDec(r.DurationBilling),
		"rate": fmtDec(r.Rate), "price": fmtDec(r.Price),
	}}
}

// trunkGroupNames names trunk groups for the explorers; without CarrierX the
// SIDs are shown instead.
func (s *Server) trunkGroupNames(c echo.Context) trunkGroups {
	tg, err := s.trunkGroups(c.Request().Context(), s.client(c))
	if err != nil {
		s.log.Warn("trunk group names unavailable", "err", err)
	}
	return tg
}

func firstOf(errs map[string]string) string {
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return errs[keys[0]]
}

// showCall is a record's every field, shown under its row.
func (s *Server) showCall(c echo.Context) error {
	return s.recordDetail(c, store.SourceCalls, len(parseCallRequest(c, authOf(c), time.Now()).Query.Columns))
}

// exportCalls streams the whole filtered set as CSV, one row at a time
// straight from the database's wire values, with times carrying their UTC
// offset and exact decimals.
func (s *Server) exportCalls(c echo.Context) error {
	a := authOf(c)
	loc := a.location()
	req := parseCallRequest(c, a, time.Now())
	if len(req.Errors) > 0 {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Correct the filter: "+firstOf(req.Errors))
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="calls-%s-%s.csv"`,
		req.Filter.From.Format("20060102"), req.Filter.To.Format("20060102")))
	liftWriteDeadline(c)
	c.Response().WriteHeader(http.StatusOK)
	out := bufio.NewWriterSize(c.Response(), 64<<10)
	var line []byte
	for i, col := range store.CallExportColumns {
		line = appendCSVField(line, i, []byte(col))
	}
	_, _ = out.Write(append(line, '\n'))
	n := 0
	err := s.db.EachCallRow(c.Request().Context(), req.Filter, func(r store.CallExportRow) error {
		n++
		line = line[:0]
		for i := range store.CallExportColumns {
			if r.IsTime(i) {
				if i > 0 {
					line = append(line, ',')
				}
				if t, ok := r.Time(i); ok {
					line = t.In(loc).AppendFormat(line, csvTime)
				}
				continue
			}
			line = appendCSVField(line, i, r.Text(i))
		}
		_, err := out.Write(append(line, '\n'))
		return err
	})
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		// Headers are sent: the truncated file must not pass for a whole one.
		s.log.Error("call export failed", "rows", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// appendCSVField appends field i of a CSV line (RFC 4180, as encoding/csv
// writes it): a comma before all but the first, and quotes when the value
// holds a comma, a quote, a line break or leading space.
func appendCSVField(line []byte, i int, v []byte) []byte {
	if i > 0 {
		line = append(line, ',')
	}
	if len(v) == 0 || !bytes.ContainsAny(v, ",\"\r\n") && v[0] != ' ' && v[0] != '\t' {
		return append(line, v...)
	}
	line = append(line, '"')
	for _, ch := range v {
		if ch == '"' {
			line = append(line, '"')
		}
		line = append(line, ch)
	}
	return append(line, '"')
}
