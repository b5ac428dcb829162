package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func dec(s string) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: decimal.RequireFromString(s), Valid: true}
}

// cdrs makes n call records stopping one second apart from base, with raw
// copies that carry a field the typed record does not know.
func cdrs(n int, base time.Time, prefix string) ([]carrierx.CallDetailRecord, []json.RawMessage) {
	recs := make([]carrierx.CallDetailRecord, n)
	raws := make([]json.RawMessage, n)
	for i := range recs {
		stop := base.Add(time.Duration(i) * time.Second)
		recs[i] = carrierx.CallDetailRecord{
			DRSID: fmt.Sprintf("%s-%05d", prefix, i), DateStart: ptr(stop.Add(-time.Minute)), DateStop: ptr(stop),
			Direction: "outbound", NumberSrc: ptr("15162065573"), NumberDst: ptr("15162065574"),
			SIPCause: ptr("200"), Duration: dec("60"), DurationBilling: dec("60"),
			Rate: dec("0.0075"), Price: dec(fmt.Sprintf("0.%04d", i%10000+1)),
		}
		raws[i] = json.RawMessage(fmt.Sprintf(`{"dr_sid":%q,"price":%q,"unknown_field":"kept"}`, recs[i].DRSID, recs[i].Price.Decimal.String()))
	}
	return recs, raws
}

func TestSaveCallRecordsUpsertsAndAdvancesState(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	recs, raws := cdrs(2500, base, "a")

	r, err := s.SaveCallRecords(ctx, "p1", recs, raws, store.SyncProgress{Through: *recs[2499].DateStop, CursorSID: recs[2499].DRSID})
	require.NoError(t, err)
	assert.Equal(t, store.SaveResult{Rows: 2500, Inserted: 2500}, r)

	// The same batch again changes nothing; one changed record is an update.
	r, err = s.SaveCallRecords(ctx, "p1", recs, raws, store.SyncProgress{Through: *recs[100].DateStop, CursorSID: recs[100].DRSID})
	require.NoError(t, err)
	assert.Equal(t, store.SaveResult{Rows: 2500}, r)
	raws[7] = json.RawMessage(`{"dr_sid":"a-00007","price":"9.99"}`)
	recs[7].Price = dec("9.99")
	r, err = s.SaveCallRecords(ctx, "p1", recs[5:10], raws[5:10], store.SyncProgress{})
	require.NoError(t, err)
	assert.Equal(t, store.SaveResult{Rows: 5, Updated: 1}, r)

	st, err := s.SyncState(ctx, "p1", store.SourceCalls)
	require.NoError(t, err)
	assert.EqualValues(t, 2500, st.RecordsTotal)
	assert.True(t, st.SyncedThrough.Equal(*recs[2499].DateStop), "synced_through never moves back: %v", st.SyncedThrough)
	assert.Equal(t, recs[2499].DRSID, st.CursorSID)

	n, err := s.CountRecords(ctx, "p1", store.SourceCalls)
	require.NoError(t, err)
	assert.EqualValues(t, 2500, n)

	raw, err := s.RecordRaw(ctx, "p1", store.SourceCalls, "a-00001")
	require.NoError(t, err)
	assert.JSONEq(t, `{"dr_sid":"a-00001","price":"0.0002","unknown_field":"kept"}`, string(raw))

	want := decimal.Zero
	for _, r := range recs {
		want = want.Add(r.Price.Decimal)
	}
	tot, err := s.SummarizeCalls(ctx, store.CallFilter{PartnerSID: "p1"})
	require.NoError(t, err)
	assert.EqualValues(t, 2500, tot.Calls)
	assert.True(t, want.Equal(tot.Cost), "sum %s, want %s", tot.Cost, want)
	assert.True(t, decimal.NewFromInt(150000).Equal(tot.Seconds))
}

func TestRecordsArePerPartner(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	recs, raws := cdrs(30, base, "x")
	_, err := s.SaveCallRecords(ctx, "p1", recs, raws, store.SyncProgress{})
	require.NoError(t, err)
	_, err = s.SaveCallRecords(ctx, "p2", recs[:10], raws[:10], store.SyncProgress{})
	require.NoError(t, err)

	n1, _ := s.CountRecords(ctx, "p1", store.SourceCalls)
	n2, _ := s.CountRecords(ctx, "p2", store.SourceCalls)
	assert.EqualValues(t, 30, n1)
	assert.EqualValues(t, 10, n2, "the same SIDs cached for another partner are separate rows")
	_, err = s.RecordRaw(ctx, "p3", store.SourceCalls, "x-00001")
	assert.ErrorIs(t, err, store.ErrNotFound)
	states, err := s.ListSyncStates(ctx, "p2")
	require.NoError(t, err)
	require.Len(t, states, 1)
	assert.EqualValues(t, 10, states[0].RecordsTotal)
}

func TestSaveRejectsBadBatches(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	recs, raws := cdrs(3, time.Now(), "b")
	_, err := s.SaveCallRecords(ctx, "", recs, raws, store.SyncProgress{})
	assert.Error(t, err)
	_, err = s.SaveCallRecords(ctx, "p1", recs, raws[:2], store.SyncProgress{})
	assert.Error(t, err)
	recs[1].DRSID = ""
	_, err = s.SaveCallRecords(ctx, "p1", recs, raws, store.SyncProgress{})
	assert.Error(t, err)
	n, _ := s.CountRecords(ctx, "p1", store.SourceCalls)
	assert.Zero(t, n, "nothing of a refused batch is kept")
}

func TestSaveRepeatedSIDKeepsLast(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	recs, raws := cdrs(2, time.Now(), "d")
	recs[1].DRSID = recs[0].DRSID
	raws[1] = json.RawMessage(`{"second":true}`)
	r, err := s.SaveCallRecords(ctx, "p1", recs, raws, store.SyncProgress{})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Inserted)
	raw, err := s.RecordRaw(ctx, "p1", store.SourceCalls, recs[0].DRSID)
	require.NoError(t, err)
	assert.JSONEq(t, `{"second":true}`, string(raw))
}

func TestSaveOtherSources(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	now := time.Now().UTC()
	raw := []json.RawMessage{json.RawMessage(`{}`)}
	recs, raws := cdrs(1, now, "c")
	_, err := s.SaveCallRecords(ctx, "p1", recs, raws, store.SyncProgress{})
	require.NoError(t, err)
	_, err = s.SaveMessageRecords(ctx, "p1", []carrierx.MessageDetailRecord{{DRSID: "m1", DateStop: &now, MCC: ptr(310),
		MessageSegments: 2, Price: dec("0.004")}}, raw, store.SyncProgress{Through: now, CursorSID: "m1"})
	require.NoError(t, err)
	_, err = s.SaveConferenceCalls(ctx, "p1", []carrierx.ConferenceCall{{CallSID: "c1", DateStop: &now,
		DisconnectCause: ptr(16), Duration: dec("50")}}, raw, store.SyncProgress{})
	require.NoError(t, err)
	_, err = s.SaveConferenceMeetings(ctx, "p1", []carrierx.ConferenceMeeting{{MeetingSID: "mt1", Participants: 3}}, raw, store.SyncProgress{})
	require.NoError(t, err)
	_, err = s.SaveMediatorCalls(ctx, "p1", []carrierx.MediatorCall{{DRSID: "md1", Price: dec("0.1")}}, raw, store.SyncProgress{})
	require.NoError(t, err)
	_, err = s.SaveInvoices(ctx, "p1", []carrierx.Invoice{{InvoiceSID: "i1", Amount: decimal.RequireFromString("12.34"),
		AmountDue: decimal.RequireFromString("12.34")}}, raw, store.SyncProgress{Through: now})
	require.NoError(t, err)
	for _, src := range store.Sources {
		n, err := s.CountRecords(ctx, "p1", src)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n, src)
	}
	states, err := s.ListSyncStates(ctx, "p1")
	require.NoError(t, err)
	assert.Len(t, states, len(store.Sources))
}

func TestSyncRunBookkeeping(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	_, err := s.SyncState(ctx, "p1", store.SourceCalls)
	assert.ErrorIs(t, err, store.ErrNotFound)

	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	require.NoError(t, s.StartSyncRun(ctx, "p1", store.SourceCalls, at))
	require.NoError(t, s.RecordSyncError(ctx, "p1", store.SourceCalls, "carrierx: GET /core/v2/calls/call_drs: 503", at.Add(time.Second)))
	st, err := s.SyncState(ctx, "p1", store.SourceCalls)
	require.NoError(t, err)
	assert.Equal(t, "carrierx: GET /core/v2/calls/call_drs: 503", st.LastError)
	assert.True(t, st.LastErrorAt.Equal(at.Add(time.Second)))
	assert.True(t, st.LastRunStartedAt.Equal(at))

	require.NoError(t, s.FinishSyncRun(ctx, "p1", store.SourceCalls, at.Add(time.Minute), 1234, 20567.891234))
	st, err = s.SyncState(ctx, "p1", store.SourceCalls)
	require.NoError(t, err)
	assert.Empty(t, st.LastError, "a success clears the error")
	assert.EqualValues(t, 1234, st.LastRunRecords)
	assert.Equal(t, "20567.891", st.Rate.String())
}

func TestTryLockIsExclusiveAndDiesWithItsConnection(t *testing.T) {
	s, url := storetest.NewStore(t)
	other, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	defer other.Close()
	ctx := context.Background()

	release, ok, err := s.TryLock(ctx, "reports.sync:p1:calls")
	require.NoError(t, err)
	require.True(t, ok)
	_, ok, err = other.TryLock(ctx, "reports.sync:p1:calls")
	require.NoError(t, err)
	assert.False(t, ok, "a second holder is refused")
	rel2, ok, err := other.TryLock(ctx, "reports.sync:p1:messages")
	require.NoError(t, err)
	assert.True(t, ok, "another key is free")
	rel2()

	release()
	release()
	rel3, ok, err := other.TryLock(ctx, "reports.sync:p1:calls")
	require.NoError(t, err)
	assert.True(t, ok, "released with its connection")
	rel3()
}
