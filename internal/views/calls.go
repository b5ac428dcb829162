package views

import (
	"net/url"
	"slices"
)

// Column is one column the record explorers can show.
type Column struct {
	Key   string
	Label string
	Num   bool
}

// CallColumns are the call explorer's columns, in display order.
var CallColumns = []Column{
	{Key: "date_stop", Label: "Ended"},
	{Key: "direction", Label: "Direction"},
	{Key: "number_src", Label: "From"},
	{Key: "number_dst", Label: "To"},
	{Key: "trunk_group", Label: "Trunk group"},
	{Key: "endpoint", Label: "Endpoint"},
	{Key: "sipcause", Label: "SIP cause"},
	{Key: "duration", Label: "Duration (s)", Num: true},
	{Key: "duration_billing", Label: "Billed (s)", Num: true},
	{Key: "rate", Label: "Rate", Num: true},
	{Key: "price", Label: "Price", Num: true},
}

// DefaultCallColumns are shown until the user chooses.
var DefaultCallColumns = []string{"date_stop", "direction", "number_src", "number_dst", "trunk_group", "sipcause", "duration_billing", "price"}

// CallQuery is the call explorer's filter, kept in the URL.
type CallQuery struct {
	Preset       string // today, yesterday, 7d, 30d, this_month, last_month, custom
	From, To     string // custom range, datetime-local in the user's zone
	Direction    string
	Number       string
	TrunkGroup   string
	Endpoint     string
	SIPCause     string
	MinDuration  string
	AnsweredOnly bool
	Columns      []string
	Sort         string // date_stop, price, duration_billing
	Asc          bool
	After        string // keyset cursor of the next page
}

// Values encodes the filter (not the cursor) for links and the CSV export.
func (q CallQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("preset", q.Preset)
	if q.Preset == "custom" {
		set("from", q.From)
		set("to", q.To)
	}
	set("direction", q.Direction)
	set("number", q.Number)
	set("trunk_group", q.TrunkGroup)
	set("endpoint", q.Endpoint)
	set("sipcause", q.SIPCause)
	set("min_duration", q.MinDuration)
	if q.AnsweredOnly {
		v.Set("answered", "1")
	}
	if !slices.Equal(q.Columns, DefaultCallColumns) {
		for _, c := range q.Columns {
			v.Add("col", c)
		}
	}
	set("sort", q.Sort)
	if q.Asc {
		v.Set("dir", "asc")
	}
	return v
}

// URL is the explorer's address for this filter.
func (q CallQuery) URL() string { return withQuery("/records/calls", q.Values()) }

// ExportURL is the CSV export of the whole filtered set.
func (q CallQuery) ExportURL() string { return withQuery("/records/calls.csv", q.Values()) }

// PartURL is one lazily loaded part of the explorer for this filter:
// "summary" or "charts".
func (q CallQuery) PartURL(part string) string {
	return withQuery("/records/calls/"+part, q.Values())
}

// NextURL is the page after the cursor.
func (q CallQuery) NextURL(after string) string {
	v := q.Values()
	v.Set("after", after)
	return withQuery("/records/calls", v)
}

// SortURL sorts by a column, flipping the direction when already sorted by it.
func (q CallQuery) SortURL(field string) string {
	n := q
	n.After = ""
	if q.sortKey() == field {
		n.Asc = !q.Asc
	} else {
		n.Asc = false
	}
	n.Sort = field
	return n.URL()
}

func (q CallQuery) sortKey() string {
	if q.Sort == "" {
		return "date_stop"
	}
	return q.Sort
}

// SortState is the aria-sort value of a column.
func (q CallQuery) SortState(field string) string {
	if q.sortKey() != field {
		return ""
	}
	if q.Asc {
		return "ascending"
	}
	return "descending"
}

// Shows reports whether a column is chosen.
func (q CallQuery) Shows(col string) bool { return slices.Contains(q.Columns, col) }

func withQuery(path string, v url.Values) string {
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// Sortable are the columns the explorer can sort by (indexed keys).
var Sortable = map[string]bool{"date_stop": true, "price": true, "duration_billing": true}

// CallRow is one call record, formatted for the user's zone.
type CallRow struct {
	SID    string
	Values map[string]string // by column key
}

// CallSummary covers the whole filtered set, not just the page.
type CallSummary struct {
	Calls         string
	Answered      string
	BilledMinutes string
	Cost          string
	ASR           string // answer-seizure ratio, percent
	ACD           string // average call duration of answered calls, m:ss
}

// CallsData is the call explorer.
type CallsData struct {
	Query       CallQuery
	RangeLabel  string // "2026-11-01 00:00 – 2026-11-28 00:00 America/New_York"
	Rows        []CallRow
	NextAfter   string
	TrunkGroups []Option
	Endpoints   []Option
	Error       string
	Errors      map[string]string
	SyncNote    string // how fresh the cache is, e.g. "synced through 10:42 UTC"
}

// Presets are the date presets offered.
var Presets = []Option{
	{Value: "today", Label: "Today"}, {Value: "yesterday", Label: "Yesterday"},
	{Value: "7d", Label: "Last 7 days"}, {Value: "30d", Label: "Last 30 days"},
	{Value: "90d", Label: "Last 90 days"},
	{Value: "this_month", Label: "This month"}, {Value: "last_month", Label: "Last month"},
	{Value: "custom", Label: "Custom range"},
}

// RecordField is one field of a record's detail.
type RecordField struct {
	Name  string
	Value string
}
