package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// The message, conference and Mediator record explorers share one shape: a
// date range on date_stop, a few filters, a summary, keyset pages newest
// first and a streaming export. A RecordSpec describes one of them.

// ColumnKind says how a record column is read and shown.
type ColumnKind int

const (
	TextColumn ColumnKind = iota // text; NULL reads as ""
	TimeColumn                   // timestamptz; shown in the user's zone
	NumColumn                    // numeric or integer; read as its exact text
)

// RecordColumn is one column of an explorer.
type RecordColumn struct {
	Key   string // column name
	Label string
	Kind  ColumnKind
}

// SummaryKind says how a summary figure is shown.
type SummaryKind int

const (
	CountFigure   SummaryKind = iota // a whole number
	MinutesFigure                    // seconds summed, shown as minutes
	MoneyFigure                      // an amount of money
)

// RecordFigure is one figure of an explorer's summary strip.
type RecordFigure struct {
	Label string
	Kind  SummaryKind
	Expr  string // an aggregate over the table's rows
}

// RecordSpec describes one record explorer.
type RecordSpec struct {
	Source     string // a Source* name
	Noun       string // "messages", shown in the page
	Columns    []RecordColumn
	NumberCols []string // searched by "number contains"
	Direction  bool     // the table has a direction column
	StatusCol  string   // the column the status filter matches ("" : none)
	GroupCol   string   // a column the filter can pin (meeting_sid), "" : none
	Figures    []RecordFigure
}

// The record explorers other than calls.
var (
	MessageSpec = &RecordSpec{Source: SourceMessages, Noun: "messages",
		Columns: []RecordColumn{{"date_stop", "Finished", TimeColumn}, {"direction", "Direction", TextColumn},
			{"type", "Type", TextColumn}, {"status", "Status", TextColumn}, {"number_src", "From", TextColumn},
			{"number_dst", "To", TextColumn}, {"message_segments", "Segments", NumColumn}, {"rate", "Rate", NumColumn},
			{"price", "Price", NumColumn}},
		NumberCols: []string{"number_src", "number_dst"}, Direction: true, StatusCol: "status",
		Figures: []RecordFigure{{"Messages", CountFigure, "count(*)"}, {"Segments", CountFigure, "coalesce(sum(message_segments), 0)"},
			{"Delivered", CountFigure, "count(*) FILTER (WHERE status = 'delivered')"}, {"Cost", MoneyFigure, "coalesce(sum(price), 0)"}},
	}
	ConferenceMeetingSpec = &RecordSpec{Source: SourceConferenceMeetings, Noun: "meetings",
		Columns: []RecordColumn{{"date_start", "Started", TimeColumn}, {"date_stop", "Ended", TimeColumn},
			{"meeting_room_sid", "Meeting room", TextColumn}, {"endpoint_sid", "Endpoint", TextColumn},
			{"participants", "Participants", NumColumn}, {"duration", "Duration (s)", NumColumn}},
		Figures: []RecordFigure{{"Meetings", CountFigure, "count(*)"}, {"Participants", CountFigure, "coalesce(sum(participants), 0)"},
			{"Meeting minutes", MinutesFigure, "coalesce(sum(duration), 0)"}},
	}
	ConferenceCallSpec = &RecordSpec{Source: SourceConferenceCalls, Noun: "conference calls",
		Columns: []RecordColumn{{"date_stop", "Left", TimeColumn}, {"direction", "Direction", TextColumn},
			{"role", "Role", TextColumn}, {"number_src", "From", TextColumn}, {"number_dst", "To", TextColumn},
			{"meeting_sid", "Meeting", TextColumn}, {"disconnect_cause", "Cause", NumColumn}, {"duration", "Duration (s)", NumColumn}},
		NumberCols: []string{"number_src", "number_dst"}, Direction: true, StatusCol: "role", GroupCol: "meeting_sid",
		Figures: []RecordFigure{{"Calls", CountFigure, "count(*)"}, {"Meetings", CountFigure, "count(DISTINCT meeting_sid)"},
			{"Minutes", MinutesFigure, "coalesce(sum(duration), 0)"}},
	}
	MediatorCallSpec = &RecordSpec{Source: SourceMediatorCalls, Noun: "Mediator calls",
		Columns: []RecordColumn{{"date_stop", "Ended", TimeColumn}, {"status", "Status", TextColumn},
			{"number_src", "From", TextColumn}, {"number_dst", "To", TextColumn}, {"number_redirect", "Redirected to", TextColumn},
			{"binding_sid", "Binding", TextColumn}, {"duration_billing", "Billed (s)", NumColumn}, {"price", "Price", NumColumn}},
		NumberCols: []string{"number_src", "number_dst", "number_redirect"}, StatusCol: "status",
		Figures: []RecordFigure{{"Calls", CountFigure, "count(*)"}, {"Billed minutes", MinutesFigure, "coalesce(sum(duration_billing), 0)"},
			{"Cost", MoneyFigure, "coalesce(sum(price), 0)"}},
	}
)

// RecordFilter selects one partner's records of a RecordSpec.
type RecordFilter struct {
	PartnerSID string // required
	From, To   time.Time
	Direction  string
	Number     string // digits contained in any of the spec's NumberCols
	Status     string // exact value of the spec's StatusCol
	Group      string // exact value of the spec's GroupCol
}

func (spec *RecordSpec) where(f RecordFilter) (*where, error) {
	if f.PartnerSID == "" {
		return nil, errors.New("store: record filter without a partner")
	}
	w := &where{}
	w.add("partner_sid = ?", f.PartnerSID)
	if !f.From.IsZero() {
		w.add("date_stop >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("date_stop < ?", f.To)
	}
	if f.Direction != "" && spec.Direction {
		w.add("direction = ?", f.Direction)
	}
	if f.Number != "" && len(spec.NumberCols) > 0 {
		like := "%" + escapeLike(f.Number) + "%"
		conds := make([]string, len(spec.NumberCols))
		args := make([]any, len(spec.NumberCols))
		for i, c := range spec.NumberCols {
			conds[i], args[i] = c+" LIKE ?", like
		}
		w.add("("+strings.Join(conds, " OR ")+")", args...)
	}
	if f.Status != "" && spec.StatusCol != "" {
		w.add(spec.StatusCol+" = ?", f.Status)
	}
	if f.Group != "" && spec.GroupCol != "" {
		w.add(spec.GroupCol+" = ?", f.Group)
	}
	return w, nil
}

// Record is one row of an explorer: Values[i] is Columns[i], times as
// time.Time (zero when NULL) and the rest as text.
type Record struct {
	SID    string
	Times  map[string]time.Time
	Values map[string]string
}

func (spec *RecordSpec) selectList() string {
	cols := make([]string, 0, len(spec.Columns)+1)
	cols = append(cols, "sid")
	for _, c := range spec.Columns {
		switch c.Kind {
		case TimeColumn:
			cols = append(cols, c.Key)
		default:
			cols = append(cols, "coalesce("+c.Key+"::text, '')")
		}
	}
	return strings.Join(cols, ", ")
}

// scan reads one row of selectList, then extra.
func (spec *RecordSpec) scan(rows pgx.Rows, extra ...any) (Record, error) {
	r := Record{Times: map[string]time.Time{}, Values: map[string]string{}}
	dst := make([]any, 0, len(spec.Columns)+1)
	dst = append(dst, &r.SID)
	times := make([]pgtype.Timestamptz, len(spec.Columns))
	texts := make([]string, len(spec.Columns))
	for i, c := range spec.Columns {
		if c.Kind == TimeColumn {
			dst = append(dst, &times[i])
		} else {
			dst = append(dst, &texts[i])
		}
	}
	if err := rows.Scan(append(dst, extra...)...); err != nil {
		return r, err
	}
	for i, c := range spec.Columns {
		if c.Kind == TimeColumn {
			if times[i].Valid {
				r.Times[c.Key] = times[i].Time.UTC()
			}
		} else {
			r.Values[c.Key] = texts[i]
		}
	}
	return r, nil
}

// RecordCursor is the keyset position after a page: date_stop and SID.
type RecordCursor struct {
	Stop time.Time
	SID  string
}

// String encodes the cursor for a URL.
func (c RecordCursor) String() string { return c.Stop.UTC().Format(time.RFC3339Nano) + "~" + c.SID }

// ParseRecordCursor decodes a cursor from a URL; "" is the first page.
func ParseRecordCursor(s string) (RecordCursor, error) {
	if s == "" {
		return RecordCursor{}, nil
	}
	key, sid, ok := strings.Cut(s, "~")
	t, err := time.Parse(time.RFC3339Nano, key)
	if !ok || sid == "" || err != nil {
		return RecordCursor{}, errors.New("bad page cursor")
	}
	return RecordCursor{Stop: t, SID: sid}, nil
}

// QueryRecords returns one page of the filtered records, newest first, by
// keyset, and the cursor of the next page (nil on the last).
func (s *Store) QueryRecords(ctx context.Context, spec *RecordSpec, f RecordFilter, after RecordCursor, limit int) ([]Record, *RecordCursor, error) {
	t, err := tableOf(spec.Source)
	if err != nil {
		return nil, nil, err
	}
	w, err := spec.where(f)
	if err != nil {
		return nil, nil, err
	}
	if after.SID != "" {
		w.add("(date_stop, sid) < (?, ?)", after.Stop, after.SID)
	}
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	rows, err := s.pool.Query(ctx, `SELECT `+spec.selectList()+`, date_stop FROM `+t.name+` WHERE `+w.sql()+
		` AND date_stop IS NOT NULL ORDER BY date_stop DESC, sid DESC LIMIT `+strconv.Itoa(limit+1), w.args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		out   []Record
		stops []time.Time
	)
	for rows.Next() {
		var stop time.Time
		r, err := spec.scan(rows, &stop)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, r)
		stops = append(stops, stop)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	return out, &RecordCursor{Stop: stops[limit-1], SID: out[limit-1].SID}, nil
}

// RecordSummary holds the spec's figures, in order.
type RecordSummary []decimal.Decimal

// SummarizeRecords computes the spec's figures over the filtered records.
func (s *Store) SummarizeRecords(ctx context.Context, spec *RecordSpec, f RecordFilter) (RecordSummary, error) {
	t, err := tableOf(spec.Source)
	if err != nil {
		return nil, err
	}
	w, err := spec.where(f)
	if err != nil {
		return nil, err
	}
	exprs := make([]string, len(spec.Figures))
	for i, fig := range spec.Figures {
		exprs[i] = "(" + fig.Expr + ")::numeric"
	}
	vals := make([]pgtype.Numeric, len(spec.Figures))
	dst := make([]any, len(vals))
	for i := range vals {
		dst[i] = &vals[i]
	}
	if err := s.pool.QueryRow(ctx, `SELECT `+strings.Join(exprs, ", ")+` FROM `+t.name+` WHERE `+w.sql(), w.args...).Scan(dst...); err != nil {
		return nil, err
	}
	out := make(RecordSummary, len(vals))
	for i, v := range vals {
		d, err := decimalOf(v)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", spec.Figures[i].Label, err)
		}
		out[i] = d.Decimal
	}
	return out, nil
}

// EachRecord streams every filtered record, oldest first, to fn, holding one
// row at a time.
func (s *Store) EachRecord(ctx context.Context, spec *RecordSpec, f RecordFilter, fn func(Record) error) error {
	t, err := tableOf(spec.Source)
	if err != nil {
		return err
	}
	w, err := spec.where(f)
	if err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+spec.selectList()+` FROM `+t.name+` WHERE `+w.sql()+` ORDER BY date_stop, sid`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := spec.scan(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
