package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// A legacy (Conference v1) endpoint has a console of its own: a room
// created with generated codes, test callers in its meeting, one muted,
// one removed (v1 can hang up a single call), the meeting ended; all of it
// audited, none of it reachable by another partner.
func TestConferenceV1RoomLiveMeetingMuteRemoveEnd(t *testing.T) {
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	e := newDemoEnv(t, sandbox.Config{Now: clock.Now, CDRs: 300, ConferenceMeetings: 5, MediatorCalls: 5})
	ctx := context.Background()
	b := e.browser()
	b.signIn("demo", "demo")
	ep := createEndpointForm(t, b, url.Values{"type": {"conference"}, "name": {"legacy bridge"}})
	cx := e.demoClient()
	core, err := cx.GetEndpoint(ctx, ep)
	require.NoError(t, err)
	api, err := cx.ConferenceV1(*core)
	require.NoError(t, err)

	groups, err := api.ListDIDGroups(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, groups.Items, "the account comes with a DID group")
	group := groups.Items[0].ID
	nums, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, nums.Items)
	_, err = api.CreateDID(ctx, carrierx.ConfV1DIDUpdate{PhoneNumber: carrierx.Set(nums.Items[0].Phonenumber), DIDGroupID: carrierx.Set(group)})
	require.NoError(t, err)

	list := b.get("/conferences")
	assert.Regexp(t, `(?s)<tr id="conference-`+ep+`">.*?Conference v1`, list.Body)
	console := b.get("/conferences/" + ep)
	require.Equal(t, http.StatusOK, console.StatusCode, console.Body)
	assert.Contains(t, console.Body, "Conference v1 (legacy)")
	assert.Contains(t, console.Body, callerNumber("sip:+"+nums.Items[0].Phonenumber+"@"), "the group's numbers")

	bad := b.post("/conferences/"+ep+"/v1/rooms", url.Values{"description": {"Ops"}, "did_group_id": {""}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Choose the DID group")
	created := b.post("/conferences/"+ep+"/v1/rooms", url.Values{"description": {"Ops"}, "did_group_id": {strconv.FormatInt(group, 10)}}, true)
	require.Equal(t, http.StatusOK, created.StatusCode, created.Body)
	assert.Equal(t, "/conferences/"+ep, created.Header.Get("HX-Redirect"))
	rooms, err := api.ListMeetingRooms(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, rooms.Items, 1)
	room := rooms.Items[0]
	require.Len(t, room.Keychain, 3, "a generated code of each role")
	number := strconv.FormatInt(room.MeetingNumber, 10)
	console = b.get("/conferences/" + ep)
	for _, k := range room.Keychain {
		assert.Regexp(t, `<code class="access-code" data-role="[a-z]+">`+k.AccessCode+`</code>`, console.Body)
	}

	// Edit in its row: description and DID group change, number and codes stay.
	roomURL := "/conferences/" + ep + "/v1/rooms/" + number
	assert.Contains(t, console.Body, `hx-get="`+roomURL+`/edit"`)
	edit := b.get(roomURL+"/edit", "room-"+number)
	require.Equal(t, http.StatusOK, edit.StatusCode, edit.Body)
	assert.Contains(t, edit.Body, `value="Ops"`)
	assert.NotContains(t, edit.Body, "<html")
	noGroup := b.post(roomURL, url.Values{"description": {"Ops bridge"}, "did_group_id": {"x"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, noGroup.StatusCode)
	assert.Contains(t, noGroup.Body, "Choose the DID group")
	refused := b.post(roomURL, url.Values{"description": {"Ops bridge"}, "did_group_id": {"987654"}}, true)
	assert.GreaterOrEqual(t, refused.StatusCode, 400, "CarrierX refuses a DID group that is not the account's")
	assert.Contains(t, refused.Body, "Not saved: ")
	unchanged, err := api.GetMeetingRoom(ctx, room.MeetingNumber)
	require.NoError(t, err)
	assert.Equal(t, "Ops", unchanged.Description, "nothing half applied")
	saved := b.post(roomURL, url.Values{"description": {"Ops bridge"}, "did_group_id": {strconv.FormatInt(group, 10)}}, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, `<tr id="room-`+number+`">`)
	assert.Contains(t, saved.Body, "Ops bridge")
	assert.Contains(t, saved.Body, "Saved meeting room "+number+".")
	after, err := api.GetMeetingRoom(ctx, room.MeetingNumber)
	require.NoError(t, err)
	assert.Equal(t, "Ops bridge", after.Description)
	assert.Equal(t, room.Keychain, after.Keychain, "the codes stay")
	same := b.post(roomURL, url.Values{"description": {"Ops bridge"}, "did_group_id": {strconv.FormatInt(group, 10)}}, true)
	assert.Contains(t, same.Body, "No changes to save")
	assert.Contains(t, b.get(roomURL+"/row", "room-"+number).Body, "Ops bridge")

	dial := b.post("/conferences/"+ep+"/v1/rooms/"+number+"/dial", url.Values{"count": {"3"}}, true)
	require.Equal(t, http.StatusOK, dial.StatusCode, dial.Body)
	clock.Advance(5 * time.Second)
	live := b.get("/conferences/"+ep+"/live", "conference-live")
	assert.Contains(t, live.Body, `href="/conferences/`+ep+`/v1/meetings/`+number+`"`)

	base := "/conferences/" + ep + "/v1/meetings/" + number
	page := b.get(base)
	require.Equal(t, http.StatusOK, page.StatusCode, page.Body)
	rows := callerRows(page.Body)
	require.Len(t, rows, 3)
	assert.NotContains(t, page.Body, "remove-note", "v1 can remove a caller")
	calls, err := api.ListCalls(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, calls.Items, 3)
	var unmuted []carrierx.ConfV1Call
	for _, c := range calls.Items {
		assert.Equal(t, c.Muted(), rows[strconv.FormatInt(c.ID, 10)])
		if !c.Muted() {
			unmuted = append(unmuted, c)
		}
	}
	require.GreaterOrEqual(t, len(unmuted), 2)
	first, second := strconv.FormatInt(unmuted[0].ID, 10), strconv.FormatInt(unmuted[1].ID, 10)

	muted := b.post(base+"/calls/"+first+"/mute", url.Values{}, true)
	require.Equal(t, http.StatusOK, muted.StatusCode, muted.Body)
	assert.True(t, callerRows(muted.Body)[first])
	got, err := api.GetCall(ctx, unmuted[0].ID)
	require.NoError(t, err)
	assert.True(t, got.Muted())

	removed := b.post(base+"/calls/"+second+"/remove", url.Values{}, true)
	require.Equal(t, http.StatusOK, removed.StatusCode, removed.Body)
	assert.Contains(t, removed.Body, "Removed ")
	assert.NotContains(t, callerRows(removed.Body), second)
	assert.Len(t, callerRows(removed.Body), 2)
	_, err = api.GetCall(ctx, unmuted[1].ID)
	assert.Equal(t, http.StatusNotFound, carrierx.StatusOf(err), "CarrierX hung the call up")
	again := b.post(base+"/calls/"+second+"/mute", url.Values{}, true)
	assert.Equal(t, http.StatusNotFound, again.StatusCode)
	assert.Contains(t, again.Body, "that caller has left the meeting")

	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get(base).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post(base+"/end", url.Values{}, true).StatusCode)

	// While the meeting goes on, CarrierX keeps the room: the refusal is a
	// flash, and the row stays.
	busy := b.post("/conferences/"+ep+"/v1/rooms/"+number+"/delete", url.Values{}, true)
	assert.Equal(t, http.StatusConflict, busy.StatusCode, busy.Body)
	assert.Equal(t, "none", busy.Header.Get("HX-Reswap"))
	assert.Contains(t, busy.Body, "Room "+number+" not deleted: ")
	_, err = api.GetMeetingRoom(ctx, room.MeetingNumber)
	require.NoError(t, err, "still there")

	ended := b.post(base+"/end", url.Values{}, true)
	require.Equal(t, http.StatusOK, ended.StatusCode, ended.Body)
	assert.Contains(t, ended.Body, "This meeting has ended.")
	meetings, err := api.ListMeetings(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, meetings.Items)

	assert.ElementsMatch(t, []string{"mute/ok", "remove/ok"}, actionsOf(auditOf(t, e, "conference call")))
	assert.ElementsMatch(t, []string{"end meeting/ok"}, actionsOf(auditOf(t, e, "conference meeting")))
	assert.ElementsMatch(t, []string{"create/ok", "edit/error", "edit/ok", "dial test callers/ok", "delete/error"}, actionsOf(auditOf(t, e, "meeting room")))
	for _, en := range auditOf(t, e, "meeting room") {
		for _, k := range room.Keychain {
			assert.NotContains(t, string(en.After)+en.Message, k.AccessCode, "access codes stay out of the audit log")
		}
	}

	// The room is deleted from its row; another partner cannot.
	delURL := "/conferences/" + ep + "/v1/rooms/" + number + "/delete"
	assert.Contains(t, b.get("/conferences/"+ep).Body, `hx-post="`+delURL+`"`)
	assert.Equal(t, http.StatusNotFound, o.post(delURL, url.Values{}, true).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post(roomURL, url.Values{"description": {"theirs"}, "did_group_id": {strconv.FormatInt(group, 10)}}, true).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.get(roomURL+"/edit", "room-"+number).StatusCode)
	deleted := b.post(delURL, url.Values{}, true)
	require.Equal(t, http.StatusOK, deleted.StatusCode, deleted.Body)
	assert.Contains(t, deleted.Body, "Deleted the meeting room "+number)
	assert.NotContains(t, deleted.Body, `id="room-`+number+`"`, "the row goes")
	_, err = api.GetMeetingRoom(ctx, room.MeetingNumber)
	assert.Equal(t, http.StatusNotFound, carrierx.StatusOf(err))
	assert.NotContains(t, b.get("/conferences/"+ep).Body, `id="room-`+number+`"`)
	gone := b.post(delURL, url.Values{}, true)
	assert.Equal(t, http.StatusNotFound, gone.StatusCode, "a second delete finds nothing")
	assert.ElementsMatch(t, []string{"create/ok", "edit/error", "edit/ok", "dial test callers/ok", "delete/error", "delete/ok"}, actionsOf(auditOf(t, e, "meeting room")))
}
