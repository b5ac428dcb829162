package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

// randomCalls makes n records over the two days after base, at random
// instants, directions, answers and prices.
func randomCalls(rng *rand.Rand, n int, base time.Time, prefix string) ([]carrierx.CallDetailRecord, []json.RawMessage) {
	recs := make([]carrierx.CallDetailRecord, n)
	raws := make([]json.RawMessage, n)
	for i := range recs {
		stop := base.Add(time.Duration(rng.Int64N(int64(48 * time.Hour))))
		r := carrierx.CallDetailRecord{
			DRSID: fmt.Sprintf("%s-%05d", prefix, i), DateStop: &stop, Direction: []string{"inbound", "outbound"}[rng.IntN(2)],
			Duration:        dec(fmt.Sprintf("%d.%03d", rng.IntN(600), rng.IntN(1000))),
			DurationBilling: dec(fmt.Sprint(rng.IntN(600))),
			Price:           dec(fmt.Sprintf("0.%04d", rng.IntN(10000))),
			NumberDst:       ptr(fmt.Sprintf("1516%07d", rng.IntN(100))),
		}
		if rng.IntN(3) > 0 {
			talk := stop.Add(-time.Minute)
			r.DateTalk = &talk
		}
		if rng.IntN(20) == 0 {
			r.Price = decimal.NullDecimal{} // unpriced
		}
		recs[i] = r
		raws[i] = json.RawMessage(fmt.Sprintf(`{"dr_sid":%q,"n":%d}`, r.DRSID, i))
	}
	return recs, raws
}

// The summary and the per-day and per-hour charts read call_rollup for
// whole quarter hours; whatever the batches did (new records, repeats,
// updates that move a record to another quarter hour or change its price),
// they must agree with the records to the last digit.
func TestCallRollupAgreesWithTheRecords(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	recs, raws := randomCalls(rng, 3000, base, "r")
	for lo := 0; lo < len(recs); lo += 700 {
		hi := min(lo+700, len(recs))
		_, err := s.SaveCallRecords(ctx, "p1", recs[lo:hi], raws[lo:hi], store.SyncProgress{})
		require.NoError(t, err)
	}
	other, otherRaws := randomCalls(rng, 500, base, "o")
	_, err := s.SaveCallRecords(ctx, "p2", other, otherRaws, store.SyncProgress{})
	require.NoError(t, err)

	// A later batch repeats a few records, moves some hours away (their old
	// quarter hours are touched by nothing else in the batch) and reprices others.
	var again []carrierx.CallDetailRecord
	var againRaws []json.RawMessage
	for i := 0; i < 30; i++ {
		r := recs[i*97]
		switch i % 3 {
		case 0:
			moved := r.DateStop.Add(time.Duration(rng.IntN(10)+3) * time.Hour)
			r.DateStop = &moved
		case 1:
			r.Price = dec("1.2345")
		}
		again = append(again, r)
		againRaws = append(againRaws, json.RawMessage(fmt.Sprintf(`{"dr_sid":%q,"v":2,"i":%d}`, r.DRSID, i)))
	}
	res, err := s.SaveCallRecords(ctx, "p1", again, againRaws, store.SyncProgress{})
	require.NoError(t, err)
	require.Positive(t, res.Updated)

	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	require.NoError(t, err)
	filters := []store.CallFilter{
		{From: base, To: base.Add(48 * time.Hour)},
		{From: base.Add(-time.Hour), To: base.Add(72 * time.Hour), Direction: "inbound"},
		{From: base.Add(7*time.Minute + 3*time.Second), To: base.Add(30*time.Hour + 52*time.Minute), AnsweredOnly: true},
		{From: base.Add(3 * time.Minute), To: base.Add(11 * time.Minute)}, // inside one quarter hour
		{From: time.Date(2026, 3, 1, 0, 0, 0, 0, kolkata), To: time.Date(2026, 3, 2, 0, 0, 0, 0, kolkata), Direction: "outbound"},
		{From: base, To: base.Add(48 * time.Hour), Number: "5160000004"}, // not in the rollup: records only
	}
	for i, f := range filters {
		f.PartnerSID = "p1"
		got, err := s.SummarizeCalls(ctx, f)
		require.NoError(t, err)
		want, err := store.SummarizeCallRecords(s, ctx, f)
		require.NoError(t, err)
		assert.Positive(t, want.Calls, "filter %d selects calls", i)
		assert.Equal(t, want.Calls, got.Calls, "filter %d: calls", i)
		assert.Equal(t, want.Answered, got.Answered, "filter %d: answered", i)
		for _, p := range [][2]decimal.Decimal{{want.Seconds, got.Seconds}, {want.BilledSeconds, got.BilledSeconds},
			{want.Cost, got.Cost}, {want.AnsweredSeconds, got.AnsweredSeconds}} {
			assert.True(t, p[0].Equal(p[1]), "filter %d: records say %s, the summary %s", i, p[0], p[1])
		}

		for _, loc := range []*time.Location{time.UTC, ny, kolkata} {
			days, err := s.CallsPerDay(ctx, f, loc)
			require.NoError(t, err)
			hours, err := s.CallsByHour(ctx, f, loc)
			require.NoError(t, err)
			var perDay, perHour int64
			cost := decimal.Zero
			for _, d := range days {
				perDay += d.Calls
				cost = cost.Add(d.Cost)
			}
			for _, h := range hours {
				perHour += h.Calls
			}
			assert.Equal(t, want.Calls, perDay, "filter %d in %s: days add up", i, loc)
			assert.Equal(t, want.Calls, perHour, "filter %d in %s: hours add up", i, loc)
			assert.True(t, want.Cost.Equal(cost), "filter %d in %s: cost per day adds up: %s, want %s", i, loc, cost, want.Cost)
		}
	}

	// One day in Kolkata, counted record by record in Go.
	f := store.CallFilter{PartnerSID: "p1", From: time.Date(2026, 3, 1, 0, 0, 0, 0, kolkata), To: time.Date(2026, 3, 3, 0, 0, 0, 0, kolkata)}
	days, err := s.CallsPerDay(ctx, f, kolkata)
	require.NoError(t, err)
	final := map[string]carrierx.CallDetailRecord{}
	for _, r := range recs {
		final[r.DRSID] = r
	}
	for _, r := range again {
		final[r.DRSID] = r
	}
	want := map[string]int64{}
	for _, r := range final {
		if !r.DateStop.Before(f.From) && r.DateStop.Before(f.To) {
			want[r.DateStop.In(kolkata).Format("2006-01-02")]++
		}
	}
	got := map[string]int64{}
	for _, d := range days {
		got[d.Key] = d.Calls
	}
	assert.Equal(t, want, got)
}
