package views

import "net/url"

// RecordTab is one of the record explorers' tabs.
type RecordTab struct {
	Key, Label, Path string
}

// RecordTabs are the record explorers, calls first.
var RecordTabs = []RecordTab{
	{"calls", "Calls", "/records/calls"},
	{"messages", "Messages", "/records/messages"},
	{"conference-meetings", "Conference meetings", "/records/conference-meetings"},
	{"conference-calls", "Conference calls", "/records/conference-calls"},
	{"mediator", "Mediator calls", "/records/mediator"},
}

// RecordsQuery is a trimmed explorer's filter, kept in the URL.
type RecordsQuery struct {
	Path      string // the explorer's address, e.g. /records/messages
	Preset    string
	From, To  string // custom range, datetime-local in the user's zone
	Direction string
	Number    string
	Status    string
	Group     string // e.g. a meeting SID
}

// Values encodes the filter for links and the export.
func (q RecordsQuery) Values() url.Values {
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
	set("status", q.Status)
	set("group", q.Group)
	return v
}

// URL is the explorer's address for this filter.
func (q RecordsQuery) URL() string { return withQuery(q.Path, q.Values()) }

// ExportURL is the CSV export of the whole filtered set.
func (q RecordsQuery) ExportURL() string { return withQuery(q.Path+".csv", q.Values()) }

// NextURL is the page after the cursor.
func (q RecordsQuery) NextURL(after string) string {
	v := q.Values()
	v.Set("after", after)
	return withQuery(q.Path, v)
}

// RecordHeader is one column of a trimmed explorer.
type RecordHeader struct {
	Key, Label string
	Num        bool
}

// RecordRow is one record, formatted; Link, when set, is a page about it.
type RecordRow struct {
	SID       string
	Cells     []string
	Link      string
	LinkLabel string
}

// Stat is one figure of a summary strip.
type Stat struct {
	Label, Value string
}

// RecordsData is a trimmed record explorer: messages, conference meetings
// and calls, Mediator calls.
type RecordsData struct {
	Tab         string
	Title       string
	Noun        string // "messages"
	Query       RecordsQuery
	Direction   bool   // offer the direction filter
	NumberLabel string // "" : no number filter
	StatusLabel string // "" : no status filter
	GroupLabel  string // "" : no group filter shown
	Headers     []RecordHeader
	Rows        []RecordRow
	Summary     []Stat
	NextAfter   string
	RangeLabel  string
	Error       string
	Errors      map[string]string
}
