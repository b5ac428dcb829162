package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// CallFilter selects one partner's cached call records. The range is on
// date_stop, [From, To).
type CallFilter struct {
	PartnerSID   string // required
	From, To     time.Time
	Direction    string
	Number       string // digits contained in the source or the destination
	TrunkGroup   string // source or destination trunk group SID
	Endpoint     string // source or destination endpoint SID
	SIPCause     string
	MinDuration  *decimal.Decimal // seconds
	AnsweredOnly bool             // the call was answered (date_talk is set)
}

// where builds the filter's WHERE clause with numbered parameters.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each ? becomes the next $n.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *where) sql() string { return strings.Join(w.conds, " AND ") }

func (f CallFilter) where() (*where, error) {
	if f.PartnerSID == "" {
		return nil, errors.New("store: call filter without a partner")
	}
	w := &where{}
	f.addTo(w)
	return w, nil
}

// clause adds f's conditions to w's arguments and returns them joined,
// leaving w's own conditions as they were: several clauses share one
// argument list.
func (w *where) clause(f CallFilter) string {
	n := len(w.conds)
	f.addTo(w)
	c := strings.Join(w.conds[n:], " AND ")
	w.conds = w.conds[:n]
	return c
}

func (f CallFilter) addTo(w *where) {
	w.add("partner_sid = ?", f.PartnerSID)
	if !f.From.IsZero() {
		w.add("date_stop >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("date_stop < ?", f.To)
	}
	if f.Direction != "" {
		w.add("direction = ?", f.Direction)
	}
	if f.Number != "" {
		like := "%" + escapeLike(f.Number) + "%"
		w.add("(number_src LIKE ? OR number_dst LIKE ?)", like, like)
	}
	if f.TrunkGroup != "" {
		w.add("(trunk_group_sid_src = ? OR trunk_group_sid_dst = ?)", f.TrunkGroup, f.TrunkGroup)
	}
	if f.Endpoint != "" {
		w.add("(endpoint_sid_src = ? OR endpoint_sid_dst = ?)", f.Endpoint, f.Endpoint)
	}
	if f.SIPCause != "" {
		w.add("sipcause = ?", f.SIPCause)
	}
	if f.MinDuration != nil {
		w.add("duration >= ?", *f.MinDuration)
	}
	if f.AnsweredOnly {
		w.add("date_talk IS NOT NULL")
	}
}

// rollupParts splits f for call_rollup: whole quarter hours [lo, hi) read
// from the rollup, and the edges before lo and from hi read from the
// records (edges empty when From or To is on a quarter hour). ok is false
// when f filters on something the rollup does not keep, or the range holds
// no whole quarter hour.
func (f CallFilter) rollupParts() (lo, hi time.Time, edges []CallFilter, ok bool) {
	if f.Number != "" || f.TrunkGroup != "" || f.Endpoint != "" || f.SIPCause != "" || f.MinDuration != nil ||
		f.From.IsZero() || f.To.IsZero() {
		return lo, hi, nil, false
	}
	lo = f.From.UTC().Truncate(rollupQuantum)
	if lo.Before(f.From) {
		lo = lo.Add(rollupQuantum)
	}
	hi = f.To.UTC().Truncate(rollupQuantum)
	if !lo.Before(hi) {
		return lo, hi, nil, false
	}
	if f.From.Before(lo) {
		e := f
		e.To = lo
		edges = append(edges, e)
	}
	if hi.Before(f.To) {
		e := f
		e.From = hi
		edges = append(edges, e)
	}
	return lo, hi, edges, true
}

// rollupClause is the call_rollup condition for f's whole quarter hours.
func (w *where) rollupClause(f CallFilter, lo, hi time.Time) string {
	n := len(w.conds)
	w.add("partner_sid = ?", f.PartnerSID)
	w.add("bucket >= ?", lo)
	w.add("bucket < ?", hi)
	if f.Direction != "" {
		w.add("direction = ?", f.Direction)
	}
	if f.AnsweredOnly {
		w.add("answered")
	}
	c := strings.Join(w.conds[n:], " AND ")
	w.conds = w.conds[:n]
	return c
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CallRecord is one cached call record.
type CallRecord struct {
	SID             string
	DateStart       *time.Time
	DateStop        *time.Time
	DateTalk        *time.Time
	Direction       string
	NumberSrc       string
	NumberDst       string
	NumberBilling   string
	TrunkGroupSrc   string
	TrunkGroupDst   string
	EndpointSrc     string
	EndpointDst     string
	SIPCause        string
	Duration        decimal.NullDecimal
	DurationBilling decimal.NullDecimal
	Rate            decimal.NullDecimal
	Price           decimal.NullDecimal
}

const callColumns = `sid, date_start, date_stop, date_talk, direction, coalesce(number_src, ''), coalesce(number_dst, ''),
	coalesce(number_billing, ''), coalesce(trunk_group_sid_src, ''), coalesce(trunk_group_sid_dst, ''),
	coalesce(endpoint_sid_src, ''), coalesce(endpoint_sid_dst, ''), coalesce(sipcause, ''),
	duration, duration_billing, rate, price`

func scanCall(row pgx.Row) (CallRecord, error) {
	var r CallRecord
	err := row.Scan(&r.SID, &r.DateStart, &r.DateStop, &r.DateTalk, &r.Direction, &r.NumberSrc, &r.NumberDst,
		&r.NumberBilling, &r.TrunkGroupSrc, &r.TrunkGroupDst, &r.EndpointSrc, &r.EndpointDst, &r.SIPCause,
		&r.Duration, &r.DurationBilling, &r.Rate, &r.Price)
	return r, err
}

// CallSort orders the explorer: by date_stop (indexed), price or
// duration_billing, each with the SID as tie-breaker for keyset paging.
type CallSort struct {
	Field string // date_stop (default), price, duration_billing
	Asc   bool
}

var callSortExpr = map[string]string{
	"date_stop":        "date_stop",
	"price":            "coalesce(price, 0)",
	"duration_billing": "coalesce(duration_billing, 0)",
}

// CallCursor is the keyset position after the last row of a page: the sort
// key (as text) and the SID.
type CallCursor struct {
	Key string
	SID string
}

// String encodes the cursor for a URL.
func (c CallCursor) String() string { return c.Key + "~" + c.SID }

// ParseCallCursor decodes a cursor from a URL; the zero cursor is the first page.
func ParseCallCursor(s string) (CallCursor, error) {
	if s == "" {
		return CallCursor{}, nil
	}
	key, sid, ok := strings.Cut(s, "~")
	if !ok || sid == "" {
		return CallCursor{}, errors.New("bad page cursor")
	}
	return CallCursor{Key: key, SID: sid}, nil
}

func (srt CallSort) expr() (string, string, error) {
	field := srt.Field
	if field == "" {
		field = "date_stop"
	}
	e, ok := callSortExpr[field]
	if !ok {
		return "", "", fmt.Errorf("store: cannot sort calls by %q", field)
	}
	return field, e, nil
}

// QueryCalls returns one page of the filtered calls in sort order, using
// keyset paging (no OFFSET), and the cursor of the next page (nil on the last).
func (s *Store) QueryCalls(ctx context.Context, f CallFilter, srt CallSort, after CallCursor, limit int) ([]CallRecord, *CallCursor, error) {
	w, err := f.where()
	if err != nil {
		return nil, nil, err
	}
	field, expr, err := srt.expr()
	if err != nil {
		return nil, nil, err
	}
	op, dir := "<", "DESC"
	if srt.Asc {
		op, dir = ">", "ASC"
	}
	if after.SID != "" {
		if field == "date_stop" {
			t, err := time.Parse(time.RFC3339Nano, after.Key)
			if err != nil {
				return nil, nil, errors.New("bad page cursor")
			}
			w.add("(date_stop, sid) "+op+" (?, ?)", t, after.SID)
		} else {
			d, err := decimal.NewFromString(after.Key)
			if err != nil {
				return nil, nil, errors.New("bad page cursor")
			}
			w.add("("+expr+", sid) "+op+" (?, ?)", d, after.SID)
		}
	}
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	q := `SELECT ` + callColumns + ` FROM call_records WHERE ` + w.sql() +
		` ORDER BY ` + expr + ` ` + dir + `, sid ` + dir + ` LIMIT ` + strconv.Itoa(limit+1)
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []CallRecord
	for rows.Next() {
		r, err := scanCall(rows)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	last := out[limit-1]
	next := &CallCursor{SID: last.SID}
	switch field {
	case "date_stop":
		if last.DateStop != nil {
			next.Key = last.DateStop.UTC().Format(time.RFC3339Nano)
		}
	case "price":
		next.Key = orZero(last.Price).String()
	case "duration_billing":
		next.Key = orZero(last.DurationBilling).String()
	}
	return out, next, nil
}

func orZero(d decimal.NullDecimal) decimal.Decimal {
	if d.Valid {
		return d.Decimal
	}
	return decimal.Zero
}

// CallSummary covers the whole filtered set.
type CallSummary struct {
	Calls           int64
	Answered        int64
	Seconds         decimal.Decimal // total duration
	BilledSeconds   decimal.Decimal
	Cost            decimal.Decimal
	AnsweredSeconds decimal.Decimal // total duration of the answered calls
}

// SummarizeCalls totals the filtered calls: from call_rollup where the
// filter allows (the range's whole quarter hours, plus the records at its
// edges), else from the records.
func (s *Store) SummarizeCalls(ctx context.Context, f CallFilter) (CallSummary, error) {
	if f.PartnerSID == "" {
		return CallSummary{}, errors.New("store: call filter without a partner")
	}
	const fromRecords = `SELECT count(*) AS calls, count(date_talk) AS answered, sum(duration) AS seconds,
		sum(duration_billing) AS billed, sum(price) AS cost, sum(duration) FILTER (WHERE date_talk IS NOT NULL) AS answered_seconds
		FROM call_records WHERE `
	w := &where{}
	var parts []string
	if lo, hi, edges, ok := f.rollupParts(); ok {
		parts = append(parts, `SELECT sum(calls) AS calls, sum(calls) FILTER (WHERE answered) AS answered, sum(seconds) AS seconds,
			sum(billed_seconds) AS billed, sum(cost) AS cost, sum(seconds) FILTER (WHERE answered) AS answered_seconds
			FROM call_rollup WHERE `+w.rollupClause(f, lo, hi))
		for _, e := range edges {
			parts = append(parts, fromRecords+w.clause(e))
		}
	} else {
		parts = append(parts, fromRecords+w.clause(f))
	}
	var sum CallSummary
	err := s.pool.QueryRow(ctx, `SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(answered), 0)::bigint,
		coalesce(sum(seconds), 0), coalesce(sum(billed), 0), coalesce(sum(cost), 0), coalesce(sum(answered_seconds), 0)
		FROM (`+strings.Join(parts, " UNION ALL ")+`) x`, w.args...).
		Scan(&sum.Calls, &sum.Answered, &sum.Seconds, &sum.BilledSeconds, &sum.Cost, &sum.AnsweredSeconds)
	return sum, err
}

// summarizeCallRecords totals the filtered calls from the records alone
// (tests compare it with SummarizeCalls).
func (s *Store) summarizeCallRecords(ctx context.Context, f CallFilter) (CallSummary, error) {
	w, err := f.where()
	if err != nil {
		return CallSummary{}, err
	}
	var sum CallSummary
	err = s.pool.QueryRow(ctx, `SELECT count(*), count(date_talk), coalesce(sum(duration), 0), coalesce(sum(duration_billing), 0),
		coalesce(sum(price), 0), coalesce(sum(duration) FILTER (WHERE date_talk IS NOT NULL), 0)
		FROM call_records WHERE `+w.sql(), w.args...).
		Scan(&sum.Calls, &sum.Answered, &sum.Seconds, &sum.BilledSeconds, &sum.Cost, &sum.AnsweredSeconds)
	return sum, err
}

// CallBucket is one group of calls: a day, an hour of day, a destination or a number.
type CallBucket struct {
	Key   string
	Calls int64
	Cost  decimal.Decimal
}

// CallsPerDay groups the filtered calls by day in loc.
func (s *Store) CallsPerDay(ctx context.Context, f CallFilter, loc *time.Location) ([]CallBucket, error) {
	return s.timeBuckets(ctx, f, loc, "YYYY-MM-DD", 400)
}

// CallsByHour groups the filtered calls by hour of day (00–23) in loc.
func (s *Store) CallsByHour(ctx context.Context, f CallFilter, loc *time.Location) ([]CallBucket, error) {
	return s.timeBuckets(ctx, f, loc, "HH24", 24)
}

// timeBuckets groups the filtered calls by to_char(date_stop in loc, format),
// from call_rollup where the filter allows (see SummarizeCalls). A zone's
// offset is a whole number of quarter hours, so each bucket falls in one day
// and one hour there.
func (s *Store) timeBuckets(ctx context.Context, f CallFilter, loc *time.Location, format string, limit int) ([]CallBucket, error) {
	lo, hi, edges, ok := f.rollupParts()
	if !ok {
		return s.callBuckets(ctx, f, `to_char(date_stop AT TIME ZONE ?, '`+format+`')`, []any{loc.String()}, "1 ASC", limit)
	}
	w := &where{}
	w.args = append(w.args, loc.String()) // $1
	parts := []string{`SELECT to_char(bucket AT TIME ZONE $1, '` + format + `') AS k, sum(calls) AS calls, sum(cost) AS cost
		FROM call_rollup WHERE ` + w.rollupClause(f, lo, hi) + ` GROUP BY 1`}
	for _, e := range edges {
		parts = append(parts, `SELECT to_char(date_stop AT TIME ZONE $1, '`+format+`'), count(*), coalesce(sum(price), 0)
			FROM call_records WHERE `+w.clause(e)+` GROUP BY 1`)
	}
	rows, err := s.pool.Query(ctx, `SELECT k, sum(calls)::bigint, sum(cost) FROM (`+strings.Join(parts, " UNION ALL ")+`) x
		GROUP BY k ORDER BY k LIMIT `+strconv.Itoa(limit), w.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CallBucket, error) {
		var b CallBucket
		err := r.Scan(&b.Key, &b.Calls, &b.Cost)
		return b, err
	})
}

// TopDestinations are the filtered calls' most called destinations, by
// country code and area code (the first four digits of a NANP number).
func (s *Store) TopDestinations(ctx context.Context, f CallFilter, n int) ([]CallBucket, error) {
	return s.callBuckets(ctx, f, `left(ltrim(coalesce(number_dst, ''), '+'), 4)`, nil, "2 DESC, 1 ASC", n)
}

// TopNumbers are the partner's numbers with the most filtered calls.
func (s *Store) TopNumbers(ctx context.Context, f CallFilter, n int) ([]CallBucket, error) {
	return s.callBuckets(ctx, f, `coalesce(number_billing, '')`, nil, "2 DESC, 1 ASC", n)
}

func (s *Store) callBuckets(ctx context.Context, f CallFilter, keyExpr string, keyArgs []any, order string, limit int) ([]CallBucket, error) {
	w, err := f.where()
	if err != nil {
		return nil, err
	}
	// The key's own parameters come after the filter's.
	key := keyExpr
	args := append([]any{}, w.args...)
	for _, a := range keyArgs {
		args = append(args, a)
		key = strings.Replace(key, "?", "$"+strconv.Itoa(len(args)), 1)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+key+` AS k, count(*), coalesce(sum(price), 0)
		FROM call_records WHERE `+w.sql()+` GROUP BY 1 ORDER BY `+order+` LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CallBucket
	for rows.Next() {
		var b CallBucket
		if err := rows.Scan(&b.Key, &b.Calls, &b.Cost); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CallEndpoints are the endpoints seen in the partner's cached calls (for the
// explorer's filter), at most limit of them.
func (s *Store) CallEndpoints(ctx context.Context, partnerSID string, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT endpoint_sid FROM call_endpoints WHERE partner_sid = $1
		ORDER BY endpoint_sid LIMIT $2`, partnerSID, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// CallExportColumns are the columns EachCallRow streams, in order; the
// export's header names them.
var CallExportColumns = []string{"dr_sid", "date_start", "date_stop", "date_talk", "direction", "number_src", "number_dst",
	"number_billing", "trunk_group_sid_src", "trunk_group_sid_dst", "endpoint_sid_src", "endpoint_sid_dst",
	"sipcause", "duration", "duration_billing", "rate", "price"}

// callExportSelect reads CallExportColumns: times as timestamptz, everything
// else as text (numerics as their exact text).
const callExportSelect = `sid, date_start, date_stop, date_talk, direction, number_src, number_dst, number_billing,
	trunk_group_sid_src, trunk_group_sid_dst, endpoint_sid_src, endpoint_sid_dst, sipcause,
	duration::text, duration_billing::text, rate::text, price::text`

// CallExportRow is one row of EachCallRow, valid only during the callback.
type CallExportRow struct {
	vals [][]byte
}

// IsTime reports whether column i is a time.
func (CallExportRow) IsTime(i int) bool { return i >= 1 && i <= 3 }

// Text is column i's text (nil when NULL). It must not be kept.
func (r CallExportRow) Text(i int) []byte { return r.vals[i] }

// Time is time column i (ok false when NULL).
func (r CallExportRow) Time(i int) (time.Time, bool) { return timestamptzBinary(r.vals[i]) }

// pgEpoch is where Postgres counts binary timestamps from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

// timestamptzBinary decodes a timestamptz in Postgres's binary format:
// microseconds since 2000-01-01 UTC, big-endian. NULL and ±infinity are not
// times.
func timestamptzBinary(b []byte) (time.Time, bool) {
	if len(b) != 8 {
		return time.Time{}, false
	}
	us := int64(binary.BigEndian.Uint64(b))
	if us == math.MaxInt64 || us == math.MinInt64 {
		return time.Time{}, false
	}
	return time.Unix(pgEpoch+us/1_000_000, (us%1_000_000)*1000).UTC(), true
}

// EachCallRow streams every filtered call, oldest first, as the columns of
// CallExportColumns without decoding them into Go values: an export of any
// size holds one row at a time and allocates nothing per row.
func (s *Store) EachCallRow(ctx context.Context, f CallFilter, fn func(CallExportRow) error) error {
	w, err := f.where()
	if err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+callExportSelect+` FROM call_records WHERE `+w.sql()+` ORDER BY date_stop, sid`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for i, fd := range rows.FieldDescriptions() {
		want := uint32(pgtype.TextOID)
		if (CallExportRow{}).IsTime(i) {
			want = pgtype.TimestamptzOID
		}
		if fd.DataTypeOID != want || fd.Format != pgtype.BinaryFormatCode && want == pgtype.TimestamptzOID {
			return fmt.Errorf("store: export column %d is type %d in format %d", i, fd.DataTypeOID, fd.Format)
		}
	}
	for rows.Next() {
		if err := fn(CallExportRow{vals: rows.RawValues()}); err != nil {
			return err
		}
	}
	return rows.Err()
}
