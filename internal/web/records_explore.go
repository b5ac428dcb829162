package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// recordExplorer is one trimmed record explorer: messages, conference
// meetings, conference calls, Mediator calls.
type recordExplorer struct {
	spec        *store.RecordSpec
	tab, title  string
	numberLabel string // "" : no number filter
	statusLabel string // "" : no status filter
	groupLabel  string // "" : no group filter
	// link, when set, gives a row a link to a related page.
	link func(r store.Record) (href, label string)
}

func (x recordExplorer) path() string { return "/records/" + x.tab }

var recordExplorers = []recordExplorer{
	{spec: store.MessageSpec, tab: "messages", title: "Message records", numberLabel: "Number contains", statusLabel: "Status"},
	{spec: store.ConferenceMeetingSpec, tab: "conference-meetings", title: "Conference meetings",
		link: func(r store.Record) (string, string) {
			return views.RecordsQuery{Path: "/records/conference-calls", Preset: "90d", Group: r.SID}.URL(), "Calls"
		}},
	{spec: store.ConferenceCallSpec, tab: "conference-calls", title: "Conference calls", numberLabel: "Number contains",
		statusLabel: "Role", groupLabel: "Meeting SID"},
	{spec: store.MediatorCallSpec, tab: "mediator", title: "Mediator calls", numberLabel: "Number contains", statusLabel: "Status"},
}

// recordsRequest is a parsed trimmed-explorer request.
type recordsRequest struct {
	Query  views.RecordsQuery
	Filter store.RecordFilter
	After  store.RecordCursor
	Errors map[string]string
}

func (x recordExplorer) parse(c echo.Context, a *auth, now time.Time) recordsRequest {
	loc := a.location()
	q := views.RecordsQuery{
		Path: x.path(), Preset: c.QueryParam("preset"), From: c.QueryParam("from"), To: c.QueryParam("to"),
		Direction: c.QueryParam("direction"), Number: digitsOnly(c.QueryParam("number")),
		Status: strings.TrimSpace(c.QueryParam("status")), Group: strings.TrimSpace(c.QueryParam("group")),
	}
	r := recordsRequest{Errors: map[string]string{}}
	if !validPreset(q.Preset) {
		q.Preset = "7d"
	}
	if q.Direction != "inbound" && q.Direction != "outbound" || !x.spec.Direction {
		q.Direction = ""
	}
	if x.statusLabel == "" {
		q.Status = ""
	}
	if x.spec.GroupCol == "" {
		q.Group = ""
	}
	f := store.RecordFilter{PartnerSID: a.PartnerSID, Direction: q.Direction, Number: q.Number, Status: q.Status, Group: q.Group}
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
	if len(q.Status) > 100 {
		r.Errors["status"] = "Too long."
	}
	cur, err := store.ParseRecordCursor(c.QueryParam("after"))
	if err == nil {
		r.After = cur
	}
	r.Query, r.Filter = q, f
	return r
}

func (s *Server) listRecords(x recordExplorer) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		a := authOf(c)
		loc := a.location()
		req := x.parse(c, a, time.Now())
		d := views.RecordsData{Tab: x.tab, Title: x.title, Noun: x.spec.Noun, Query: req.Query, Errors: req.Errors,
			Direction: x.spec.Direction, NumberLabel: x.numberLabel, StatusLabel: x.statusLabel, GroupLabel: x.groupLabel,
			RangeLabel: fmt.Sprintf("%s – %s %s", req.Filter.From.Format("2006-01-02 15:04"), req.Filter.To.Format("2006-01-02 15:04"), loc)}
		for _, col := range x.spec.Columns {
			d.Headers = append(d.Headers, views.RecordHeader{Key: col.Key, Label: col.Label, Num: col.Kind == store.NumColumn})
		}
		if len(req.Errors) > 0 {
			d.Error = "Correct the filter: " + firstOf(req.Errors)
		} else {
			sum, err := s.db.SummarizeRecords(ctx, x.spec, req.Filter)
			if err != nil {
				return err
			}
			for i, fig := range x.spec.Figures {
				d.Summary = append(d.Summary, views.Stat{Label: fig.Label, Value: figure(fig.Kind, sum[i])})
			}
			rows, next, err := s.db.QueryRecords(ctx, x.spec, req.Filter, req.After, callsPageSize)
			if err != nil {
				return err
			}
			for _, r := range rows {
				row := views.RecordRow{SID: r.SID}
				for _, col := range x.spec.Columns {
					if col.Kind == store.TimeColumn {
						row.Cells = append(row.Cells, fmtTimeValue(r.Times[col.Key], loc))
					} else {
						row.Cells = append(row.Cells, r.Values[col.Key])
					}
				}
				if x.link != nil {
					row.Link, row.LinkLabel = x.link(r)
				}
				d.Rows = append(d.Rows, row)
			}
			if next != nil {
				d.NextAfter = next.String()
			}
		}
		if isHTMX(c) && htmxTarget(c) == "records-results" {
			return render(c, http.StatusOK, views.RecordsResults(d))
		}
		return render(c, http.StatusOK, views.RecordsPage(s.page(c, x.title, "records"), d))
	}
}

// figure formats one summary figure.
func figure(kind store.SummaryKind, v decimal.Decimal) string {
	switch kind {
	case store.MinutesFigure:
		return v.Div(decimal.NewFromInt(60)).StringFixed(1)
	case store.MoneyFigure:
		return "$" + v.StringFixed(2)
	}
	return v.String()
}

func fmtTimeValue(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

// exportRecords streams the whole filtered set as CSV: the SID, then the
// explorer's columns, times with their UTC offset and numbers exact.
func (s *Server) exportRecords(x recordExplorer) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := authOf(c)
		loc := a.location()
		req := x.parse(c, a, time.Now())
		if len(req.Errors) > 0 {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "Correct the filter: "+firstOf(req.Errors))
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, x.tab,
			req.Filter.From.Format("20060102"), req.Filter.To.Format("20060102")))
		liftWriteDeadline(c)
		c.Response().WriteHeader(http.StatusOK)
		w := csv.NewWriter(c.Response())
		header := []string{"sid"}
		for _, col := range x.spec.Columns {
			header = append(header, col.Key)
		}
		_ = w.Write(header)
		n := 0
		line := make([]string, len(header))
		err := s.db.EachRecord(c.Request().Context(), x.spec, req.Filter, func(r store.Record) error {
			n++
			line[0] = r.SID
			for i, col := range x.spec.Columns {
				if col.Kind == store.TimeColumn {
					line[i+1] = ""
					if t := r.Times[col.Key]; !t.IsZero() {
						line[i+1] = t.In(loc).Format(csvTime)
					}
				} else {
					line[i+1] = r.Values[col.Key]
				}
			}
			if err := w.Write(line); err != nil {
				return err
			}
			if n%1000 == 0 {
				w.Flush()
				return w.Error()
			}
			return nil
		})
		w.Flush()
		if err != nil {
			// Headers are sent: the truncated file must not pass for a whole one.
			s.log.Error("record export failed", "source", x.spec.Source, "rows", n, "err", err)
			panic(http.ErrAbortHandler)
		}
		return w.Error()
	}
}

// liftWriteDeadline gives a streaming export up to an hour, past the
// server's write timeout meant for pages.
func liftWriteDeadline(c echo.Context) {
	_ = http.NewResponseController(c.Response().Writer).SetWriteDeadline(time.Now().Add(time.Hour))
}

// csvTime is how exports write times: to the millisecond, with the offset.
const csvTime = "2006-01-02T15:04:05.000Z07:00"

func (s *Server) showRecord(x recordExplorer) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.recordDetail(c, x.spec.Source, len(x.spec.Columns)+1)
	}
}

// recordDetail answers a cached record's every field, as CarrierX sent it,
// as a table row spanning cols columns.
func (s *Server) recordDetail(c echo.Context, source string, cols int) error {
	raw, err := s.db.RecordRaw(c.Request().Context(), authOf(c).PartnerSID, source, c.Param("sid"))
	if err == store.ErrNotFound {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such record in the cache.")
	}
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fields := make([]views.RecordField, 0, len(keys))
	for _, k := range keys {
		var v string
		if json.Unmarshal(m[k], &v) != nil {
			v = string(m[k])
			if v == "null" {
				v = ""
			}
		}
		fields = append(fields, views.RecordField{Name: k, Value: v})
	}
	return render(c, http.StatusOK, views.RecordDetail(cols, fields))
}
