package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

// A conference endpoint's cached meetings are its partner's only, newest
// first, narrowed to a room on request, each with its cached calls counted.
func TestConferenceMeetingRecordsByEndpointAndRoom(t *testing.T) {
	s, _ := storetest.NewStore(t)
	ctx := context.Background()
	base := time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	meeting := func(sid, ep, room string, stop time.Time, participants int, duration string) carrierx.ConferenceMeeting {
		return carrierx.ConferenceMeeting{MeetingSID: sid, EndpointSID: ptr(ep), MeetingRoomSID: ptr(room),
			DateStart: ptr(stop.Add(-10 * time.Minute)), DateStop: ptr(stop), Participants: participants, Duration: dec(duration)}
	}
	save := func(partner string, ms ...carrierx.ConferenceMeeting) {
		raws := make([]json.RawMessage, len(ms))
		for i, m := range ms {
			raws[i] = json.RawMessage(fmt.Sprintf(`{"meeting_sid":%q}`, m.MeetingSID))
		}
		_, err := s.SaveConferenceMeetings(ctx, partner, ms, raws, store.SyncProgress{})
		require.NoError(t, err)
	}
	save("p1",
		meeting("m1", "ep-a", "room-1", base, 3, "600.5"),
		meeting("m2", "ep-a", "room-2", base.Add(time.Hour), 2, "60"),
		meeting("m3", "ep-a", "room-1", base.Add(2*time.Hour), 1, "30"),
		meeting("m4", "ep-b", "room-9", base.Add(3*time.Hour), 4, "90"))
	save("p2", meeting("x1", "ep-a", "room-1", base.Add(4*time.Hour), 5, "10"))

	var calls []carrierx.ConferenceCall
	var raws []json.RawMessage
	for i, m := range []string{"m1", "m1", "m1", "m3"} {
		stop := base.Add(time.Duration(i) * time.Minute)
		calls = append(calls, carrierx.ConferenceCall{CallSID: fmt.Sprintf("c%d", i), MeetingSID: ptr(m), DateStop: &stop, Direction: "inbound"})
		raws = append(raws, json.RawMessage(fmt.Sprintf(`{"call_sid":"c%d"}`, i)))
	}
	_, err := s.SaveConferenceCalls(ctx, "p1", calls, raws, store.SyncProgress{})
	require.NoError(t, err)
	// The other partner's call naming m1 is not counted.
	_, err = s.SaveConferenceCalls(ctx, "p2", []carrierx.ConferenceCall{{CallSID: "c9", MeetingSID: ptr("m1"), DateStop: &base}},
		[]json.RawMessage{json.RawMessage(`{"call_sid":"c9"}`)}, store.SyncProgress{})
	require.NoError(t, err)

	rows, total, err := s.ConferenceMeetingRecords(ctx, store.ConferenceRecordFilter{PartnerSID: "p1", EndpointSID: "ep-a"}, 10)
	require.NoError(t, err)
	assert.Equal(t, 3, total)
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"m3", "m2", "m1"}, []string{rows[0].SID, rows[1].SID, rows[2].SID}, "newest first")
	assert.Equal(t, "600.5", rows[2].Duration, "durations stay exact")
	assert.Equal(t, 3, rows[2].Calls)
	assert.Equal(t, 3, rows[2].Participants)
	assert.Equal(t, base, rows[2].DateStop)
	assert.Equal(t, base.Add(-10*time.Minute), rows[2].DateStart)
	assert.Equal(t, 1, rows[0].Calls)
	assert.Equal(t, 0, rows[1].Calls)

	rows, total, err = s.ConferenceMeetingRecords(ctx, store.ConferenceRecordFilter{PartnerSID: "p1", EndpointSID: "ep-a", MeetingRoomSID: "room-1"}, 1)
	require.NoError(t, err)
	assert.Equal(t, 2, total, "the total counts past the limit")
	require.Len(t, rows, 1)
	assert.Equal(t, "m3", rows[0].SID)

	rows, total, err = s.ConferenceMeetingRecords(ctx, store.ConferenceRecordFilter{PartnerSID: "p2", EndpointSID: "ep-a"}, 10)
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, rows, 1)
	assert.Equal(t, "x1", rows[0].SID, "one partner never sees another's records")

	_, _, err = s.ConferenceMeetingRecords(ctx, store.ConferenceRecordFilter{EndpointSID: "ep-a"}, 10)
	assert.Error(t, err, "a query without a partner is refused")
}
