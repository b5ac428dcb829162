package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// Report sources: one cache table each, and the source name of their sync_state row.
const (
	SourceCalls              = "calls"
	SourceMessages           = "messages"
	SourceConferenceCalls    = "conference_calls"
	SourceConferenceMeetings = "conference_meetings"
	SourceMediatorCalls      = "mediator_calls"
	SourceInvoices           = "invoices"
)

// Sources lists every report source in sync order.
var Sources = []string{SourceCalls, SourceMessages, SourceConferenceCalls,
	SourceConferenceMeetings, SourceMediatorCalls, SourceInvoices}

// SyncProgress is where a sync stands once a batch is committed: it is written
// to sync_state in the batch's own transaction.
type SyncProgress struct {
	// Through is the largest date_stop of the batch (zero: unchanged). The
	// stored synced_through never moves backwards.
	Through time.Time
	// CursorSID is the SID of the batch's last record ("" : unchanged).
	CursorSID string
	// BeforeCommit, when set, is called once the batch is staged and upserted,
	// before sync_state is advanced and the transaction commits; an error
	// rolls the batch back. Writers running batches in parallel use it to
	// commit them in order.
	BeforeCommit func(context.Context) error
}

// SaveResult counts what one batch did to the cache.
type SaveResult struct {
	Rows     int // rows given (after dropping repeated SIDs)
	Inserted int // new rows
	Updated  int // existing rows whose record had changed
}

// cacheTable describes one cache table: cols are the columns copied from
// Go, partner_sid and sid first and raw last (synced_at is set by the upsert).
type cacheTable struct {
	name, source string
	cols         []string
	upsert       string // INSERT ... SELECT ... FROM the staging table
	// saved, when set, runs in the batch's transaction once its rows are in
	// and the batch before it has committed.
	saved func(ctx context.Context, tx pgx.Tx, partnerSID string, rows [][]any) error
	// rollup: the table is call_records, whose call_rollup quarter hours
	// each batch recomputes.
	rollup bool
	// stopCol is the index of date_stop in cols (-1: none).
	stopCol int
}

func newCacheTable(name, source string, cols ...string) *cacheTable {
	all := append([]string{"partner_sid", "sid"}, cols...)
	all = append(all, "raw")
	sets := make([]string, 0, len(all))
	for _, c := range all[2:] {
		sets = append(sets, c+" = EXCLUDED."+c)
	}
	sets = append(sets, "synced_at = EXCLUDED.synced_at")
	list := strings.Join(all, ", ")
	// Unchanged records (the overlap re-read on every run) are not rewritten;
	// xmax = 0 tells a fresh row from an updated one.
	upsert := `WITH up AS (
		INSERT INTO ` + name + ` (` + list + `, synced_at)
		SELECT ` + list + `, now() FROM ` + stageName(name) + `
		ON CONFLICT (partner_sid, sid) DO UPDATE SET ` + strings.Join(sets, ", ") + `
		WHERE ` + name + `.raw::text IS DISTINCT FROM EXCLUDED.raw::text
		RETURNING (xmax = 0) AS inserted)
	SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up`
	return &cacheTable{name: name, source: source, cols: all, upsert: upsert, stopCol: slices.Index(all, "date_stop")}
}

func stageName(table string) string { return table + "_stage" }

var (
	callTable = newCacheTable("call_records", SourceCalls,
		"date_start", "date_stop", "date_talk", "direction", "number_src", "number_dst", "number_billing",
		"trunk_group_sid_src", "trunk_group_sid_dst", "endpoint_sid_src", "endpoint_sid_dst", "sipcause",
		"duration", "duration_billing", "rate", "price")
	messageTable = newCacheTable("message_records", SourceMessages,
		"date_start", "date_stop", "date_sent", "direction", "type", "status", "number_src", "number_dst",
		"number_billing", "message_segments", "mcc", "mnc", "provider", "rate", "price")
	conferenceCallTable = newCacheTable("conference_calls", SourceConferenceCalls,
		"meeting_sid", "meeting_room_sid", "endpoint_sid", "date_start", "date_join", "date_stop", "direction",
		"role", "number_src", "number_dst", "disconnect_cause", "duration", "duration_meeting")
	conferenceMeetingTable = newCacheTable("conference_meetings", SourceConferenceMeetings,
		"meeting_room_sid", "endpoint_sid", "date_start", "date_stop", "duration", "participants")
	mediatorCallTable = newCacheTable("mediator_calls", SourceMediatorCalls,
		"binding_sid", "dialout_sid", "endpoint_sid", "date_start", "date_stop", "number_src", "number_dst",
		"number_redirect", "status", "duration", "duration_billing", "price")
	invoiceTable = newCacheTable("invoices", SourceInvoices,
		"display_id", "status", "date_billing_period_start", "date_billing_period_end", "date_issued",
		"date_charged", "amount", "amount_due", "amount_tax", "paid")
)

func init() {
	callTable.saved = saveCallEndpoints
	callTable.rollup = true
}

// saveCallEndpoints records the endpoints the rows name (endpoint_sid_src
// and _dst, columns 11 and 12) for the explorer's endpoint filter.
func saveCallEndpoints(ctx context.Context, tx pgx.Tx, partnerSID string, rows [][]any) error {
	seen := map[string]bool{}
	var eps []string
	for _, r := range rows {
		for _, v := range r[11:13] {
			if p, _ := v.(*string); p != nil && *p != "" && !seen[*p] {
				seen[*p] = true
				eps = append(eps, *p)
			}
		}
	}
	if len(eps) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO call_endpoints (partner_sid, endpoint_sid)
		SELECT $1, e FROM unnest($2::text[]) AS e ON CONFLICT DO NOTHING`, partnerSID, eps)
	return err
}

var tablesBySource = map[string]*cacheTable{
	SourceCalls: callTable, SourceMessages: messageTable, SourceConferenceCalls: conferenceCallTable,
	SourceConferenceMeetings: conferenceMeetingTable, SourceMediatorCalls: mediatorCallTable, SourceInvoices: invoiceTable,
}

func tableOf(source string) (*cacheTable, error) {
	t, ok := tablesBySource[source]
	if !ok {
		return nil, fmt.Errorf("store: unknown report source %q", source)
	}
	return t, nil
}

// num converts a decimal to a Postgres numeric without going through text or floats.
func num(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func nullNum(d decimal.NullDecimal) pgtype.Numeric {
	if !d.Valid {
		return pgtype.Numeric{}
	}
	return num(d.Decimal)
}

func decimalOf(n pgtype.Numeric) (decimal.NullDecimal, error) {
	if !n.Valid {
		return decimal.NullDecimal{}, nil
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return decimal.NullDecimal{}, errors.New("store: numeric is not a finite number")
	}
	if n.Int == nil {
		return decimal.NullDecimal{Decimal: decimal.Zero, Valid: true}, nil
	}
	return decimal.NullDecimal{Decimal: decimal.NewFromBigInt(n.Int, n.Exp), Valid: true}, nil
}

func checkBatch(partnerSID string, nrecs, nraws int) error {
	if partnerSID == "" {
		return errors.New("store: empty partner SID")
	}
	if nrecs != nraws {
		return fmt.Errorf("store: %d records but %d raw copies", nrecs, nraws)
	}
	return nil
}

// CallRow is the part of a call detail record the cache keeps in columns,
// decoded straight from CarrierX's JSON: numerics stay the exact text
// CarrierX sent, and the other fields of the record are not decoded at all
// (they are kept in raw).
type CallRow struct {
	DRSID            string     `json:"dr_sid"`
	DateStart        *time.Time `json:"date_start"`
	DateStop         *time.Time `json:"date_stop"`
	DateTalk         *time.Time `json:"date_talk"`
	Direction        string     `json:"direction"`
	NumberSrc        *string    `json:"number_src"`
	NumberDst        *string    `json:"number_dst"`
	NumberBilling    *string    `json:"number_billing"`
	TrunkGroupSIDSrc *string    `json:"trunk_group_sid_src"`
	TrunkGroupSIDDst *string    `json:"trunk_group_sid_dst"`
	EndpointSIDSrc   *string    `json:"endpoint_sid_src"`
	EndpointSIDDst   *string    `json:"endpoint_sid_dst"`
	SIPCause         *string    `json:"sipcause"`
	Duration         NumText    `json:"duration"`
	DurationBilling  NumText    `json:"duration_billing"`
	Rate             NumText    `json:"rate"`
	Price            NumText    `json:"price"`
}

// SaveCallRecords upserts call detail records (raws[i] is recs[i] as CarrierX
// sent it) and advances the partner's calls sync_state, in one transaction.
func (s *Store) SaveCallRecords(ctx context.Context, partnerSID string, recs []carrierx.CallDetailRecord, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	rows := make([]CallRow, len(recs))
	dec := func(d decimal.NullDecimal) NumText {
		if !d.Valid {
			return NumText{}
		}
		return NumText{Text: d.Decimal.String(), Valid: true}
	}
	for i := range recs {
		r := &recs[i]
		rows[i] = CallRow{DRSID: r.DRSID, DateStart: r.DateStart, DateStop: r.DateStop, DateTalk: r.DateTalk,
			Direction: r.Direction, NumberSrc: r.NumberSrc, NumberDst: r.NumberDst, NumberBilling: r.NumberBilling,
			TrunkGroupSIDSrc: r.TrunkGroupSIDSrc, TrunkGroupSIDDst: r.TrunkGroupSIDDst, EndpointSIDSrc: r.EndpointSIDSrc,
			EndpointSIDDst: r.EndpointSIDDst, SIPCause: r.SIPCause, Duration: dec(r.Duration),
			DurationBilling: dec(r.DurationBilling), Rate: dec(r.Rate), Price: dec(r.Price)}
	}
	return s.SaveCallRows(ctx, partnerSID, rows, raws, p)
}

// SaveCallRows is SaveCallRecords for rows decoded as CallRow.
func (s *Store) SaveCallRows(ctx context.Context, partnerSID string, recs []CallRow, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	if err := checkBatch(partnerSID, len(recs), len(raws)); err != nil {
		return SaveResult{}, err
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		r := &recs[i]
		var nums [4]pgtype.Numeric
		for j, t := range []NumText{r.Duration, r.DurationBilling, r.Rate, r.Price} {
			n, err := t.numeric()
			if err != nil {
				return SaveResult{}, fmt.Errorf("store: call record %s: %w", r.DRSID, err)
			}
			nums[j] = n
		}
		rows[i] = []any{partnerSID, r.DRSID, r.DateStart, r.DateStop, r.DateTalk, r.Direction,
			r.NumberSrc, r.NumberDst, r.NumberBilling, r.TrunkGroupSIDSrc, r.TrunkGroupSIDDst,
			r.EndpointSIDSrc, r.EndpointSIDDst, r.SIPCause, nums[0], nums[1], nums[2], nums[3], []byte(raws[i])}
	}
	return s.saveRows(ctx, callTable, partnerSID, rows, p)
}

// NumText is a decimal as CarrierX sent it, a JSON string or number, kept
// as its text; null is not Valid.
type NumText struct {
	Text  string
	Valid bool
}

// UnmarshalJSON takes "0.0228", 0.0228 or null.
func (n *NumText) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*n = NumText{}
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
		*n = NumText{Text: string(b[1 : len(b)-1]), Valid: true}
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = NumText{Text: s, Valid: true}
	default:
		*n = NumText{Text: string(b), Valid: true}
	}
	return nil
}

// numeric converts the text ("0.0228", "-12", "1.5e3") to a Postgres
// numeric exactly: plain decimals of up to 18 digits without big-number
// arithmetic, anything else through decimal.
func (n NumText) numeric() (pgtype.Numeric, error) {
	if !n.Valid {
		return pgtype.Numeric{}, nil
	}
	v := n.Text
	neg := strings.HasPrefix(v, "-")
	digits := strings.TrimPrefix(v, "-")
	intPart, frac, _ := strings.Cut(digits, ".")
	if n := len(intPart) + len(frac); n > 0 && n <= 18 && isDigits(intPart) && isDigits(frac) {
		m, err := strconv.ParseInt(intPart+frac, 10, 64)
		if err == nil {
			if neg {
				m = -m
			}
			return pgtype.Numeric{Int: big.NewInt(m), Exp: -int32(len(frac)), Valid: true}, nil
		}
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		return pgtype.Numeric{}, fmt.Errorf("not a decimal: %q", v)
	}
	return num(d), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// SaveMessageRecords upserts message detail records; see SaveCallRecords.
func (s *Store) SaveMessageRecords(ctx context.Context, partnerSID string, recs []carrierx.MessageDetailRecord, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	if err := checkBatch(partnerSID, len(recs), len(raws)); err != nil {
		return SaveResult{}, err
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		r := &recs[i]
		rows[i] = []any{partnerSID, r.DRSID, r.DateStart, r.DateStop, r.DateSent, r.Direction, r.Type, r.Status,
			r.NumberSrc, r.NumberDst, r.NumberBilling, int32(r.MessageSegments), intPtr32(r.MCC), intPtr32(r.MNC),
			r.Provider, nullNum(r.Rate), nullNum(r.Price), []byte(raws[i])}
	}
	return s.saveRows(ctx, messageTable, partnerSID, rows, p)
}

// SaveConferenceCalls upserts conference call records; see SaveCallRecords.
func (s *Store) SaveConferenceCalls(ctx context.Context, partnerSID string, recs []carrierx.ConferenceCall, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	if err := checkBatch(partnerSID, len(recs), len(raws)); err != nil {
		return SaveResult{}, err
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		r := &recs[i]
		rows[i] = []any{partnerSID, r.CallSID, r.MeetingSID, r.MeetingRoomSID, r.EndpointSID, r.DateStart,
			r.DateJoin, r.DateStop, r.Direction, r.Role, r.NumberSrc, r.NumberDst, intPtr32(r.DisconnectCause),
			nullNum(r.Duration), nullNum(r.DurationMeeting), []byte(raws[i])}
	}
	return s.saveRows(ctx, conferenceCallTable, partnerSID, rows, p)
}

// SaveConferenceMeetings upserts conference meeting records; see SaveCallRecords.
func (s *Store) SaveConferenceMeetings(ctx context.Context, partnerSID string, recs []carrierx.ConferenceMeeting, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	if err := checkBatch(partnerSID, len(recs), len(raws)); err != nil {
		return SaveResult{}, err
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		r := &recs[i]
		rows[i] = []any{partnerSID, r.MeetingSID, r.MeetingRoomSID, r.EndpointSID, r.DateStart, r.DateStop,
			nullNum(r.Duration), int32(r.Participants), []byte(raws[i])}
	}
	return s.saveRows(ctx, conferenceMeetingTable, partnerSID, rows, p)
}

// SaveMediatorCalls upserts Mediator call records; see SaveCallRecords.
func (s *Store) SaveMediatorCalls(ctx context.Context, partnerSID string, recs []carrierx.MediatorCall, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	if err := checkBatch(partnerSID, len(recs), len(raws)); err != nil {
		return SaveResult{}, err
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		r := &recs[i]
		rows[i] = []any{partnerSID, r.DRSID, r.BindingSID, r.DialoutSID, r.EndpointSID, r.DateStart, r.DateStop,
			r.NumberSrc, r.NumberDst, r.NumberRedirect, r.Status, nullNum(r.Duration), nullNum(r.DurationBilling),
			nullNum(r.Price), []byte(raws[i])}
	}
	return s.saveRows(ctx, mediatorCallTable, partnerSID, rows, p)
}

// SaveInvoices upserts invoices; see SaveCallRecords. p.Through is normally the
// time the list was read.
func (s *Store) SaveInvoices(ctx context.Context, partnerSID string, recs []carrierx.Invoice, raws []json.RawMessage, p SyncProgress) (SaveResult, error) {
	if err := checkBatch(partnerSID, len(recs), len(raws)); err != nil {
		return SaveResult{}, err
	}
	rows := make([][]any, len(recs))
	for i := range recs {
		r := &recs[i]
		rows[i] = []any{partnerSID, r.InvoiceSID, r.DisplayID, r.Status, r.DateBillingPeriodStart,
			r.DateBillingPeriodEnd, r.DateIssued, r.DateCharged, num(r.Amount), num(r.AmountDue), num(r.AmountTax),
			r.Paid, []byte(raws[i])}
	}
	return s.saveRows(ctx, invoiceTable, partnerSID, rows, p)
}

func intPtr32(p *int) *int32 {
	if p == nil {
		return nil
	}
	v := int32(*p)
	return &v
}

// saveRows loads rows into a transaction-scoped staging table with COPY,
// upserts them into the cache table and advances sync_state, all in one
// transaction: a crash at any point leaves either the whole batch and its
// progress, or neither. A SID repeated within rows keeps its last copy.
func (s *Store) saveRows(ctx context.Context, t *cacheTable, partnerSID string, rows [][]any, p SyncProgress) (SaveResult, error) {
	rows = lastPerSID(rows)
	for _, r := range rows {
		if sid, _ := r[1].(string); sid == "" {
			return SaveResult{}, fmt.Errorf("store: %s record without a SID", t.source)
		}
	}
	res := SaveResult{Rows: len(rows)}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return res, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	// The cache can be fetched again: a crash may lose the last batches
	// committed (never part of one, and their sync_state with them, so the
	// next run fetches them again), and a batch need not wait for the disk.
	if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return res, err
	}

	var (
		buckets []time.Time // call_rollup quarter hours to recompute
		fresh   bool        // every row was new: add them to call_rollup instead
	)
	if len(rows) > 0 {
		old, direct, err := t.load(ctx, tx, partnerSID, rows, &res)
		if err != nil {
			return res, err
		}
		fresh = direct && t.rollup
		if t.rollup && !direct {
			buckets = rollupBuckets(rows, old)
		}
	}
	if p.BeforeCommit != nil {
		if err := p.BeforeCommit(ctx); err != nil {
			return res, err
		}
	}
	// After BeforeCommit, the batch before this one has committed: a quarter
	// hour the two share is summed from both, and rows both would add to a
	// side table (an endpoint both name) are not waited on across batches
	// that wait on each other's commits.
	if len(rows) > 0 && t.saved != nil {
		if err := t.saved(ctx, tx, partnerSID, rows); err != nil {
			return res, fmt.Errorf("store: after saving %s: %w", t.name, err)
		}
	}
	if fresh {
		if err := addToCallRollup(ctx, tx, partnerSID, rows); err != nil {
			return res, err
		}
	} else if err := refreshCallRollup(ctx, tx, partnerSID, buckets); err != nil {
		return res, err
	}
	var through *time.Time
	if !p.Through.IsZero() {
		u := p.Through.UTC()
		through = &u
	}
	var cursor *string
	if p.CursorSID != "" {
		cursor = &p.CursorSID
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO sync_state (partner_sid, source, synced_through, cursor_sid, records_total)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (partner_sid, source) DO UPDATE SET
			cursor_sid = CASE WHEN EXCLUDED.synced_through IS NOT NULL
			                   AND EXCLUDED.synced_through >= coalesce(sync_state.synced_through, '-infinity')
			                  THEN coalesce(EXCLUDED.cursor_sid, sync_state.cursor_sid)
			                  ELSE sync_state.cursor_sid END,
			synced_through = GREATEST(sync_state.synced_through, EXCLUDED.synced_through),
			records_total = sync_state.records_total + EXCLUDED.records_total`,
		partnerSID, t.source, through, cursor, int64(res.Inserted)); err != nil {
		return res, fmt.Errorf("store: sync state: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return res, fmt.Errorf("store: commit %s: %w", t.name, err)
	}
	return res, nil
}

// load writes rows into the table. When none of their SIDs is cached yet (a
// first sync, and every batch after an incremental run's overlap), they are
// copied straight in; otherwise, or if a row appears meanwhile, they go
// through a staging table and an upsert that leaves unchanged rows alone.
//
// It reports whether the rows were copied straight in (all new), and for a
// rollup table otherwise the date_stop of the cached rows the batch
// replaces, whose quarter hours change too.
func (t *cacheTable) load(ctx context.Context, tx pgx.Tx, partnerSID string, rows [][]any, res *SaveResult) (old []time.Time, direct bool, err error) {
	sids := make([]string, len(rows))
	for i, r := range rows {
		sids[i] = r[1].(string)
	}
	// Whether any is cached is asked of the records cached between the
	// batch's first and last date_stop, a short walk of the date index, when
	// every row has one; else of the key. A record cached under another
	// date_stop slips past the first question, and then the copy clashes
	// and falls back below.
	q := `SELECT EXISTS (SELECT 1 FROM ` + t.name + ` WHERE partner_sid = $1 AND sid = ANY($2))`
	args := []any{partnerSID, sids}
	if lo, hi, ok := stopRange(rows, t.stopCol); ok {
		q = `SELECT EXISTS (SELECT 1 FROM ` + t.name + ` WHERE partner_sid = $1 AND date_stop >= $3 AND date_stop <= $4 AND sid = ANY($2))`
		args = append(args, lo, hi)
	}
	var cached bool
	if err := tx.QueryRow(ctx, q, args...).Scan(&cached); err != nil {
		return nil, false, fmt.Errorf("store: look up %s: %w", t.name, err)
	}
	if !cached {
		sp, err := tx.Begin(ctx) // a savepoint: a clash rolls back to here
		if err != nil {
			return nil, false, err
		}
		n, err := sp.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(rows))
		if err == nil {
			if err := sp.Commit(ctx); err != nil {
				return nil, false, err
			}
			res.Inserted = int(n)
			return nil, true, nil
		}
		if !isUniqueViolation(err) {
			return nil, false, fmt.Errorf("store: copy %s: %w", t.name, err)
		}
		if err := sp.Rollback(ctx); err != nil {
			return nil, false, err
		}
	}
	if t.rollup {
		r, err := tx.Query(ctx, `SELECT DISTINCT date_stop FROM `+t.name+`
			WHERE partner_sid = $1 AND sid = ANY($2) AND date_stop IS NOT NULL`, partnerSID, sids)
		if err != nil {
			return nil, false, err
		}
		if old, err = pgx.CollectRows(r, pgx.RowTo[time.Time]); err != nil {
			return nil, false, err
		}
	}
	stage := stageName(t.name)
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+stage+` (LIKE `+t.name+` INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return nil, false, fmt.Errorf("store: staging table for %s: %w", t.name, err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, t.cols, pgx.CopyFromRows(rows)); err != nil {
		return nil, false, fmt.Errorf("store: copy %s: %w", t.name, err)
	}
	if err := tx.QueryRow(ctx, t.upsert).Scan(&res.Inserted, &res.Updated); err != nil {
		return nil, false, fmt.Errorf("store: upsert %s: %w", t.name, err)
	}
	return old, false, nil
}

// stopRange is the least and greatest date_stop (column col) of rows; ok is
// false when a row has none.
func stopRange(rows [][]any, col int) (lo, hi time.Time, ok bool) {
	if col < 0 {
		return lo, hi, false
	}
	for i, r := range rows {
		t, _ := r[col].(*time.Time)
		if t == nil {
			return lo, hi, false
		}
		if i == 0 || t.Before(lo) {
			lo = *t
		}
		if i == 0 || t.After(hi) {
			hi = *t
		}
	}
	return lo, hi, len(rows) > 0
}

// rollupQuantum is call_rollup's bucket width.
const rollupQuantum = 15 * time.Minute

// rollupBuckets are the distinct quarter hours of the rows' date_stop
// (column 3) and of old.
func rollupBuckets(rows [][]any, old []time.Time) []time.Time {
	seen := map[time.Time]bool{}
	var out []time.Time
	add := func(t time.Time) {
		b := t.UTC().Truncate(rollupQuantum)
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	for _, r := range rows {
		if t, _ := r[3].(*time.Time); t != nil {
			add(*t)
		}
	}
	for _, t := range old {
		add(t)
	}
	return out
}

// refreshCallRollup recomputes the partner's call_rollup rows of the given
// quarter hours from call_records. The buckets are taken as runs of nearby
// quarter hours, each recomputed whole with one range scan of the records
// (recomputing an untouched quarter hour between two touched ones does no
// harm).
func refreshCallRollup(ctx context.Context, tx pgx.Tx, partnerSID string, buckets []time.Time) error {
	for _, run := range bucketRuns(buckets, 8*rollupQuantum) {
		lo, hi := run[0], run[1].Add(rollupQuantum)
		if _, err := tx.Exec(ctx, `DELETE FROM call_rollup WHERE partner_sid = $1 AND bucket >= $2 AND bucket < $3`,
			partnerSID, lo, hi); err != nil {
			return fmt.Errorf("store: call rollup: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO call_rollup
			SELECT $1, to_timestamp(floor(extract(epoch FROM date_stop) / 900) * 900), direction, date_talk IS NOT NULL,
			       count(*), coalesce(sum(duration), 0), coalesce(sum(duration_billing), 0), coalesce(sum(price), 0)
			FROM call_records WHERE partner_sid = $1 AND date_stop >= $2 AND date_stop < $3
			GROUP BY 2, 3, 4`, partnerSID, lo, hi); err != nil {
			return fmt.Errorf("store: call rollup: %w", err)
		}
	}
	return nil
}

// addToCallRollup adds new call rows (none of them cached before) to their
// quarter hours.
func addToCallRollup(ctx context.Context, tx pgx.Tx, partnerSID string, rows [][]any) error {
	type key struct {
		bucket    time.Time
		direction string
		answered  bool
	}
	type sums struct {
		calls                 int64
		seconds, billed, cost decimal.Decimal
	}
	acc := map[key]*sums{}
	var keys []key
	for _, r := range rows {
		stop, _ := r[3].(*time.Time)
		if stop == nil {
			continue
		}
		talk, _ := r[4].(*time.Time)
		dir, _ := r[5].(string)
		k := key{stop.UTC().Truncate(rollupQuantum), dir, talk != nil}
		a := acc[k]
		if a == nil {
			a = &sums{}
			acc[k] = a
			keys = append(keys, k)
		}
		a.calls++
		for _, x := range []struct {
			col int
			sum *decimal.Decimal
		}{{14, &a.seconds}, {15, &a.billed}, {17, &a.cost}} {
			n, _ := r[x.col].(pgtype.Numeric)
			d, err := decimalOf(n)
			if err != nil {
				return err
			}
			if d.Valid {
				*x.sum = x.sum.Add(d.Decimal)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var (
		bs                  = make([]time.Time, len(keys))
		dirs                = make([]string, len(keys))
		ans                 = make([]bool, len(keys))
		calls               = make([]int64, len(keys))
		secs, billed, costs = make([]pgtype.Numeric, len(keys)), make([]pgtype.Numeric, len(keys)), make([]pgtype.Numeric, len(keys))
	)
	for i, k := range keys {
		a := acc[k]
		bs[i], dirs[i], ans[i], calls[i] = k.bucket, k.direction, k.answered, a.calls
		secs[i], billed[i], costs[i] = num(a.seconds), num(a.billed), num(a.cost)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO call_rollup AS r
		SELECT $1, * FROM unnest($2::timestamptz[], $3::text[], $4::boolean[], $5::bigint[], $6::numeric[], $7::numeric[], $8::numeric[])
		ON CONFLICT (partner_sid, bucket, direction, answered) DO UPDATE SET
			calls = r.calls + EXCLUDED.calls, seconds = r.seconds + EXCLUDED.seconds,
			billed_seconds = r.billed_seconds + EXCLUDED.billed_seconds, cost = r.cost + EXCLUDED.cost`,
		partnerSID, bs, dirs, ans, calls, secs, billed, costs); err != nil {
		return fmt.Errorf("store: call rollup: %w", err)
	}
	return nil
}

// bucketRuns sorts buckets and joins those less than gap apart into runs
// [first, last].
func bucketRuns(buckets []time.Time, gap time.Duration) [][2]time.Time {
	if len(buckets) == 0 {
		return nil
	}
	bs := slices.Clone(buckets)
	slices.SortFunc(bs, func(a, b time.Time) int { return a.Compare(b) })
	runs := [][2]time.Time{{bs[0], bs[0]}}
	for _, b := range bs[1:] {
		last := &runs[len(runs)-1]
		if b.Sub(last[1]) <= gap {
			last[1] = b
		} else {
			runs = append(runs, [2]time.Time{b, b})
		}
	}
	return runs
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// lastPerSID drops all but the last row of each SID (row[1]): one upsert
// statement may not touch a row twice.
func lastPerSID(rows [][]any) [][]any {
	seen := make(map[string]int, len(rows))
	dup := false
	for i, r := range rows {
		sid, _ := r[1].(string)
		if _, ok := seen[sid]; ok {
			dup = true
		}
		seen[sid] = i
	}
	if !dup {
		return rows
	}
	out := make([][]any, 0, len(seen))
	for i, r := range rows {
		sid, _ := r[1].(string)
		if seen[sid] == i {
			out = append(out, r)
		}
	}
	return out
}
