package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/reports"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
	"github.com/carrierx-ops/dashboard/internal/views"
	"github.com/carrierx-ops/dashboard/internal/web"
)

// newDemoEnv is newEnvWith for a console that runs on the built-in sandbox:
// its Demo is the sandbox, so rooms offer test callers.
func newDemoEnv(t testing.TB, cfg sandbox.Config) *env {
	t.Helper()
	sb := sandbox.New(cfg)
	cxServer := httptest.NewServer(sb.Handler())
	t.Cleanup(cxServer.Close)
	db, _ := storetest.NewStore(t)
	cx := carrierx.New(cxServer.URL)
	srv, err := web.New(web.Config{
		Store: db, CarrierX: cx, SessionSecret: []byte("test-secret-test-secret-test-secret"),
		DemoHint: &views.DemoHint{Login: "demo", Password: "demo"}, Demo: sb,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	console := httptest.NewServer(srv)
	t.Cleanup(console.Close)
	return &env{t: t, sandbox: sb, cxServer: cxServer, cx: cx, db: db, console: console, srv: srv}
}

// testClock is a sandbox clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// conferenceAPI is a client for a conference endpoint's own API.
func conferenceAPI(t testing.TB, e *env, sid string) *carrierx.ConferenceV2 {
	t.Helper()
	ep, err := e.demoClient().GetEndpoint(context.Background(), sid)
	require.NoError(t, err)
	api, err := e.demoClient().ConferenceV2(*ep)
	require.NoError(t, err)
	return api
}

var roomLocRE = regexp.MustCompile(`^/conferences/[0-9a-f-]{36}/rooms/([0-9a-f-]{36})$`)

// createRoom creates a meeting room through the console (htmx) and returns
// its SID.
func createRoom(t testing.TB, b *browser, ep string, form url.Values) string {
	t.Helper()
	resp := b.post("/conferences/"+ep+"/rooms", form, true)
	require.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
	m := roomLocRE.FindStringSubmatch(resp.Header.Get("HX-Redirect"))
	require.NotNil(t, m, "created rooms open their page: %q", resp.Header.Get("HX-Redirect"))
	return m[1]
}

func threeRoles(name string) url.Values {
	return url.Values{"name": {name}, "codes[0].role": {"host"}, "codes[0].code": {""},
		"codes[1].role": {"participant"}, "codes[1].code": {""}, "codes[2].role": {"listener"}, "codes[2].code": {""}}
}

func codesByRole(r *carrierx.ConfV2MeetingRoom) map[string]string {
	out := map[string]string{}
	for _, k := range r.AccessCodes {
		out[k.Role] = k.AccessCode
	}
	return out
}

func auditOf(t *testing.T, e *env, objectType string) []store.AuditEntry {
	t.Helper()
	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Limit: 500})
	require.NoError(t, err)
	var out []store.AuditEntry
	for _, en := range entries {
		if en.ObjectType == objectType {
			out = append(out, en)
		}
	}
	return out
}

func actionsOf(entries []store.AuditEntry) []string {
	var out []string
	for _, en := range entries {
		out = append(out, en.Action+"/"+en.Outcome)
	}
	return out
}

// Meeting rooms: generated, unique codes by role; CarrierX's refusal of a
// duplicate lands beside the code; edits send what changed; DID groups
// group the endpoint's numbers; every change is audited without the codes;
// another partner reaches none of it.
func TestConferenceRoomsCodesAndDIDGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.browser()
	b.signIn("demo", "demo")
	ep := createEndpointForm(t, b, url.Values{"type": {"conference_v2"}, "name": {"town hall"}, "capacity": {"0"}})
	api := conferenceAPI(t, e, ep)

	list := b.get("/conferences")
	require.Equal(t, http.StatusOK, list.StatusCode)
	assert.Contains(t, list.Body, `href="/conferences/`+ep+`"`)
	console := b.get("/conferences/" + ep)
	require.Equal(t, http.StatusOK, console.StatusCode, console.Body)
	assert.Contains(t, console.Body, "No meeting rooms yet.")
	assert.Contains(t, console.Body, "secured", "the account's call flow by name")

	// A room with a code of each role, all generated.
	room := createRoom(t, b, ep, threeRoles("Board"))
	r, err := api.GetMeetingRoom(ctx, room)
	require.NoError(t, err)
	codes := codesByRole(r)
	require.Len(t, codes, 3)
	assert.Len(t, map[string]bool{codes["host"]: true, codes["participant"]: true, codes["listener"]: true}, 3, "unique codes")
	page := b.get("/conferences/" + ep + "/rooms/" + room)
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, "Created the meeting room Board with 3 access code(s).")
	for role, code := range codes {
		assert.Contains(t, page.Body, `<code class="access-code" data-role="`+role+`">`+code+`</code>`)
	}
	assert.NotContains(t, page.Body, "Dial in test callers", "test callers exist only on the built-in sandbox")
	dial := b.post("/conferences/"+ep+"/rooms/"+room+"/dial", url.Values{"role": {"host"}, "count": {"1"}}, true)
	assert.Equal(t, http.StatusNotFound, dial.StatusCode)

	// The console's own checks, then CarrierX's: a code another room holds.
	bad := b.post("/conferences/"+ep+"/rooms", url.Values{"name": {"Sales"}, "codes[0].role": {"host"}, "codes[0].code": {"12a4"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Digits only")
	dup := b.post("/conferences/"+ep+"/rooms", url.Values{"name": {"Sales"}, "codes[0].role": {"host"}, "codes[0].code": {""},
		"codes[1].role": {"participant"}, "codes[1].code": {codes["host"]}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, dup.StatusCode)
	assert.Regexp(t, `id="err-codes\[1\]\.code">[^<]*already used by this conference endpoint`, dup.Body, "beside the code CarrierX refused")
	assert.Contains(t, dup.Body, `value="Sales"`, "what was typed stays")
	rooms, err := api.ListMeetingRooms(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, rooms.Items, 1, "nothing created")

	// DID groups: create, then route a number to the endpoint and move it in.
	created := b.post("/conferences/"+ep+"/did-groups", url.Values{"name": {"Sales lines"}}, true)
	require.Equal(t, http.StatusOK, created.StatusCode, created.Body)
	assert.Contains(t, created.Body, `id="conference-numbers"`)
	assert.Contains(t, created.Body, "Created the DID group Sales lines.")
	groups, err := api.ListDIDGroups(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, groups.Items, 1)
	group := groups.Items[0].DIDGroupSID

	cx := e.demoClient()
	tg, err := cx.CreateTrunkGroup(ctx, carrierx.TrunkGroupUpdate{Name: carrierx.Set("to town hall"),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set("conf"), EndpointSID: carrierx.Set(ep)}})})
	require.NoError(t, err)
	nums, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, nums.Items)
	_, err = cx.UpdateDID(ctx, nums.Items[0].DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(tg.TrunkGroupSID)})
	require.NoError(t, err)
	dids, err := api.ListDIDs(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, dids.Items, 1)
	did := dids.Items[0]
	console = b.get("/conferences/" + ep)
	assert.Regexp(t, `(?s)Numbers in no DID group.*`+regexp.QuoteMeta(did.InternationalFormat), console.Body)
	moved := b.post("/conferences/"+ep+"/dids/"+did.DIDSID, url.Values{"did_group_sid": {group}}, true)
	require.Equal(t, http.StatusOK, moved.StatusCode, moved.Body)
	assert.Contains(t, moved.Body, "Moved "+did.InternationalFormat+" to the DID group Sales lines.")
	got, err := api.GetDID(ctx, did.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, group, deref(got.DIDGroupSID))
	assert.Regexp(t, `(?s)id="group-`+group+`".*`+regexp.QuoteMeta(did.InternationalFormat)+`.*Numbers in no DID group`, moved.Body)

	// Edit the room: rename, into the group, a chosen host code, a new
	// participant code, no listener code.
	saved := b.post("/conferences/"+ep+"/rooms/"+room, url.Values{"name": {"Board room"}, "did_group_sid": {group},
		"codes[0].role": {"host"}, "codes[0].code": {"424242"}, "codes[1].role": {"participant"}, "codes[1].code": {""},
		"codes[2].role": {""}, "codes[2].code": {codes["listener"]}, "codes[3].role": {""}, "codes[3].code": {""}}, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, "Saved Board room. Its access codes changed")
	assert.Contains(t, saved.Body, `id="room-codes" hx-swap-oob="true"`, "the codes shown change in place")
	r, err = api.GetMeetingRoom(ctx, room)
	require.NoError(t, err)
	after := codesByRole(r)
	assert.Equal(t, "Board room", r.Name)
	assert.Equal(t, group, deref(r.DIDGroupSID))
	assert.Equal(t, "424242", after["host"])
	assert.NotEmpty(t, after["participant"])
	assert.NotEqual(t, codes["participant"], after["participant"], "an emptied code is generated anew")
	assert.NotContains(t, after, "listener")
	same := b.post("/conferences/"+ep+"/rooms/"+room, url.Values{"name": {"Board room"}, "did_group_sid": {group},
		"codes[0].role": {"participant"}, "codes[0].code": {after["participant"]}, "codes[1].role": {"host"}, "codes[1].code": {"424242"}}, true)
	assert.Contains(t, same.Body, "No changes to save for Board room.", "the order of the codes is no change")

	// CarrierX refuses to delete a group a room uses: said in place.
	refused := b.post("/conferences/"+ep+"/did-groups/"+group+"/delete", url.Values{}, true)
	assert.Equal(t, http.StatusConflict, refused.StatusCode)
	assert.Contains(t, refused.Body, "Not deleted: CarrierX refused:")
	assert.Contains(t, refused.Body, `id="conference-numbers"`)
	renamed := b.post("/conferences/"+ep+"/did-groups/"+group, url.Values{"name": {"Sales"}}, true)
	assert.Contains(t, renamed.Body, "Renamed the DID group to Sales.")

	// Every change is in the audit log, and no access code is.
	rooms2 := auditOf(t, e, "meeting room")
	assert.ElementsMatch(t, []string{"create/ok", "create/error", "edit/ok"}, actionsOf(rooms2))
	for _, en := range rooms2 {
		for _, code := range append([]string{"424242"}, codes["host"], codes["participant"], codes["listener"], after["participant"]) {
			assert.NotContains(t, string(en.Before)+string(en.After)+en.Message, code, "access codes stay out of the audit log")
		}
	}
	assert.ElementsMatch(t, []string{"create/ok", "delete/error", "edit/ok"}, actionsOf(auditOf(t, e, "DID group")))
	assert.ElementsMatch(t, []string{"move/ok"}, actionsOf(auditOf(t, e, "conference DID")))

	// Another partner reaches none of it.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get("/conferences/"+ep).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.get("/conferences/"+ep+"/rooms/"+room).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post("/conferences/"+ep+"/rooms/"+room+"/delete", url.Values{}, true).StatusCode)
	assert.NotContains(t, o.get("/conferences").Body, "town hall")

	// Deleted, after a second click.
	del := b.post("/conferences/"+ep+"/rooms/"+room+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, del.StatusCode, del.Body)
	assert.Equal(t, "/conferences/"+ep, del.Header.Get("HX-Redirect"))
	_, err = api.GetMeetingRoom(ctx, room)
	assert.Equal(t, http.StatusNotFound, carrierx.StatusOf(err))

	// A third-party endpoint has no conference console.
	tp := createEndpointForm(t, b, url.Values{"type": {"third_party"}, "name": {"pbx"}, "addresses[0].ip": {"192.0.2.1"}})
	assert.Equal(t, http.StatusNotFound, b.get("/conferences/"+tp).StatusCode)
}

var (
	meetingLinkRE = regexp.MustCompile(`/conferences/[0-9a-f-]{36}/meetings/([0-9a-f-]{36})`)
	callerRowRE   = regexp.MustCompile(`<tr id="caller-([^"]+)" data-muted="(true|false)">`)
)

// callerRows are the callers shown, with whether each is muted.
func callerRows(body string) map[string]bool {
	out := map[string]bool{}
	for _, m := range callerRowRE.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2] == "true"
	}
	return out
}

// A live meeting on the sandbox clock: test callers dial in, the room shows
// the meeting, the meeting shows who is on it and refreshes itself; a
// caller is muted and unmuted, the meeting ended; all of it audited; the
// finished meeting then comes from the report cache with its calls.
func TestConferenceLiveMeetingMuteEndAndRecords(t *testing.T) {
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	e := newDemoEnv(t, sandbox.Config{Now: clock.Now, CDRs: 300, ConferenceMeetings: 5, MediatorCalls: 5})
	ctx := context.Background()
	b := e.browser()
	b.signIn("demo", "demo")
	ep := createEndpointForm(t, b, url.Values{"type": {"conference_v2"}, "name": {"all hands"}})
	api := conferenceAPI(t, e, ep)
	room := createRoom(t, b, ep, threeRoles("Weekly"))
	base := "/conferences/" + ep + "/rooms/" + room

	page := b.get(base)
	assert.Contains(t, page.Body, "Dial in test callers")
	assert.Contains(t, page.Body, "No meeting in progress")
	badDial := b.post(base+"/dial", url.Values{"role": {"participant"}, "count": {"0"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, badDial.StatusCode)
	assert.Contains(t, badDial.Body, "From 1 to 20.")
	for _, d := range []url.Values{{"role": {"participant"}, "count": {"2"}}, {"role": {"listener"}, "count": {"1"}}} {
		resp := b.post(base+"/dial", d, true)
		require.Equal(t, http.StatusOK, resp.StatusCode, resp.Body)
		assert.Contains(t, resp.Body, "test caller(s) are dialling in")
	}
	clock.Advance(5 * time.Second)
	live := b.get(base+"/live", "room-live")
	assert.NotContains(t, live.Body, "<html")
	assert.Contains(t, live.Body, `hx-trigger="every 2s"`)
	assert.Contains(t, live.Body, "entering an access code", "callers who dialled but have not joined")

	clock.Advance(40 * time.Second)
	live = b.get(base+"/live", "room-live")
	m := meetingLinkRE.FindStringSubmatch(live.Body)
	require.NotNil(t, m, "the room shows its meeting: %s", live.Body)
	meeting := m[1]
	assert.Contains(t, live.Body, "2 participant(s), 1 listener(s)")

	mpage := b.get("/conferences/" + ep + "/meetings/" + meeting)
	require.Equal(t, http.StatusOK, mpage.StatusCode, mpage.Body)
	rows := callerRows(mpage.Body)
	require.Len(t, rows, 3)
	calls, err := api.ListCalls(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("meeting_sid", meeting)})
	require.NoError(t, err)
	require.Len(t, calls.Items, 3)
	var talker carrierx.ConfV2Call
	for _, c := range calls.Items {
		assert.Equal(t, c.Muted, rows[c.CallSID], "shown as CarrierX has it")
		if deref(c.Role) == "participant" && talker.CallSID == "" {
			talker = c
		}
	}
	require.NotEmpty(t, talker.CallSID)
	assert.False(t, talker.Muted, "participants join unmuted")
	assert.Regexp(t, `<span class="mono">\+1 \d{3}-\d{3}-\d{4}</span>`, mpage.Body, "the caller's number, from its SIP address")
	assert.Contains(t, mpage.Body, "Listener")
	assert.Contains(t, mpage.Body, `disabled aria-describedby="remove-note"`)
	assert.Contains(t, mpage.Body, "Conference v2 offers no way to disconnect one call")

	poll := b.get("/conferences/"+ep+"/meetings/"+meeting+"/live", "meeting-live")
	assert.NotContains(t, poll.Body, "<html")
	assert.Contains(t, poll.Body, `hx-trigger="every 2s"`)

	// Mute one participant: answered in place, the row now muted.
	callBase := "/conferences/" + ep + "/meetings/" + meeting + "/calls/" + talker.CallSID
	muted := b.post(callBase+"/mute", url.Values{}, true)
	require.Equal(t, http.StatusOK, muted.StatusCode, muted.Body)
	assert.True(t, callerRows(muted.Body)[talker.CallSID])
	assert.Contains(t, muted.Body, "Muted "+html.EscapeString(callerNumber(talker.NumberSrc))+".")
	got, err := api.GetCall(ctx, talker.CallSID)
	require.NoError(t, err)
	assert.True(t, got.Muted)
	unmuted := b.post(callBase+"/unmute", url.Values{}, true)
	assert.False(t, callerRows(unmuted.Body)[talker.CallSID])
	got, err = api.GetCall(ctx, talker.CallSID)
	require.NoError(t, err)
	assert.False(t, got.Muted)
	gone := b.post("/conferences/"+ep+"/meetings/"+meeting+"/calls/00000000-0000-4000-8000-000000000000/mute", url.Values{}, true)
	assert.Equal(t, http.StatusNotFound, gone.StatusCode)
	assert.Contains(t, gone.Body, "that caller has left the meeting")

	// Another partner can neither see nor mute.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get("/conferences/"+ep+"/meetings/"+meeting).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post(callBase+"/mute", url.Values{}, true).StatusCode)

	// End it: every caller goes, the page stops refreshing.
	clock.Advance(30 * time.Second)
	ended := b.post("/conferences/"+ep+"/meetings/"+meeting+"/end", url.Values{}, true)
	require.Equal(t, http.StatusOK, ended.StatusCode, ended.Body)
	assert.Contains(t, ended.Body, "Ended the meeting: 3 caller(s) disconnected.")
	assert.Contains(t, ended.Body, "This meeting has ended.")
	assert.NotContains(t, ended.Body, "hx-trigger")
	left, err := api.ListMeetings(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, left.Items)

	assert.ElementsMatch(t, []string{"mute/ok", "unmute/ok"}, actionsOf(auditOf(t, e, "conference call")))
	assert.ElementsMatch(t, []string{"end meeting/ok"}, actionsOf(auditOf(t, e, "conference meeting")))
	assert.Contains(t, actionsOf(auditOf(t, e, "meeting room")), "dial test callers/ok")

	// The finished meeting, once synced, is the room's record with its calls.
	clock.Advance(time.Minute)
	tok, err := e.cx.CreateToken(ctx, carrierx.TokenRequest{Login: "demo", Password: "demo"})
	require.NoError(t, err)
	sy := reports.Syncer{Store: e.db, Client: e.cx.WithBearer(tok.AccessToken), PartnerSID: tok.PartnerSID, Now: clock.Now}
	for _, src := range []string{store.SourceConferenceMeetings, store.SourceConferenceCalls} {
		require.NoError(t, sy.Sync(ctx, src).Err, src)
	}
	page = b.get(base)
	rec := regexp.MustCompile(`(?s)<tr id="meeting-record-([^"]+)">(.*?)</tr>`).FindStringSubmatch(page.Body)
	require.NotNil(t, rec, "the room lists its finished meeting")
	assert.Contains(t, rec[2], `<td class="num">3</td>`, "three participants")
	link := regexp.MustCompile(`href="(/records/conference-calls\?[^"]+)">3 call\(s\)`).FindStringSubmatch(rec[2])
	require.NotNil(t, link, rec[2])
	callsPage := b.get(html.UnescapeString(link[1]))
	require.Equal(t, http.StatusOK, callsPage.StatusCode)
	assert.Len(t, recordRowRE.FindAllStringSubmatch(callsPage.Body, -1), 3, "the link opens the meeting's three calls")
	console := b.get("/conferences/" + ep)
	assert.Regexp(t, `(?s)<tr id="meeting-record-`+rec[1]+`">.*?<td>Weekly</td>`, console.Body, "the endpoint's records name the room")
}

// callerNumber mirrors the console's display of a SIP-style address.
func callerNumber(addr string) string {
	m := regexp.MustCompile(`sip:\+?1(\d{3})(\d{3})(\d{4})@`).FindStringSubmatch(addr)
	if m == nil {
		return addr
	}
	return "+1 " + m[1] + "-" + m[2] + "-" + m[3]
}

// TestConferenceConsoleDuringOutage: when a conference API fails, the
// console still opens with the outage banner and says what it could not
// read (never an empty list that looks real); a change is refused in place
// and nothing is half made; once CarrierX answers, the console is back.
func TestConferenceConsoleDuringOutage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	v2 := createEndpointForm(t, b, url.Values{"type": {"conference_v2"}, "name": {"town hall"}})
	v1 := createEndpointForm(t, b, url.Values{"type": {"conference"}, "name": {"old bridge"}})
	api := conferenceAPI(t, e, v2)

	for prefix, ep := range map[string]string{"/conference/v2": v2, "/conference/v1": v1} {
		e.sandbox.InjectFaults(sandbox.Faults{Status: 503, PathPrefix: prefix})
		page := b.get("/conferences/" + ep)
		assert.Equal(t, http.StatusOK, page.StatusCode, prefix)
		assert.Contains(t, page.Body, "CarrierX is unreachable.", prefix)
		assert.Contains(t, page.Body, `id="console-unavailable"`, prefix)
		assert.Contains(t, page.Body, "HTTP Service Unavailable", prefix)
		assert.NotContains(t, page.Body, "No meeting rooms yet.", "no empty list that looks real")
	}

	e.sandbox.InjectFaults(sandbox.Faults{Status: 503, PathPrefix: "/conference/v2"})
	refused := b.post("/conferences/"+v2+"/rooms", threeRoles("Standup"), true)
	assert.GreaterOrEqual(t, refused.StatusCode, 500)
	assert.Contains(t, refused.Body, "flash-error")
	e.sandbox.InjectFaults(sandbox.Faults{})
	rooms, err := api.ListMeetingRooms(context.Background(), carrierx.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, rooms.Items, "nothing created while CarrierX failed")

	for _, ep := range []string{v2, v1} {
		back := b.get("/conferences/" + ep)
		assert.Equal(t, http.StatusOK, back.StatusCode)
		assert.NotContains(t, back.Body, "CarrierX is unreachable.")
		assert.Contains(t, back.Body, "No meeting rooms yet.")
	}
}

// runSync runs the console's background report sync until the test ends.
func (e *env) runSync() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = e.srv.RunSync(ctx, time.Hour)
	}()
	e.t.Cleanup(func() { cancel(); <-done })
}

// TestEndedMeetingIsFetchedAtOnce: when a meeting is ended from the console,
// its records are fetched into the report cache right away, not at the next
// scheduled sync (an hour away here), and the conference lists it.
func TestEndedMeetingIsFetchedAtOnce(t *testing.T) {
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	e := newDemoEnv(t, sandbox.Config{Now: clock.Now, CDRs: 300, ConferenceMeetings: 5, MediatorCalls: 5})
	e.runSync()
	b := e.browser()
	b.signIn("demo", "demo")
	// Signing in syncs the partner; let that run finish first.
	require.Eventually(t, func() bool {
		states, err := e.db.ListSyncStates(context.Background(), e.sandbox.DemoPartner().PartnerSID)
		finished := 0
		for _, st := range states {
			if !st.LastRunFinishedAt.IsZero() {
				finished++
			}
		}
		return err == nil && finished == len(store.Sources)
	}, 20*time.Second, 50*time.Millisecond, "the sign-in sync finishes")
	ep := createEndpointForm(t, b, url.Values{"type": {"conference_v2"}, "name": {"ops bridge"}})
	room := createRoom(t, b, ep, threeRoles("Incident"))
	base := "/conferences/" + ep + "/rooms/" + room
	require.Equal(t, http.StatusOK, b.post(base+"/dial", url.Values{"role": {"participant"}, "count": {"2"}}, true).StatusCode)
	clock.Advance(45 * time.Second)
	m := meetingLinkRE.FindStringSubmatch(b.get(base+"/live", "room-live").Body)
	require.NotNil(t, m, "a meeting in progress")
	console := "/conferences/" + ep
	assert.NotContains(t, b.get(console).Body, `id="meeting-record-`)

	clock.Advance(30 * time.Second)
	ended := b.post("/conferences/"+ep+"/meetings/"+m[1]+"/end", url.Values{}, true)
	require.Equal(t, http.StatusOK, ended.StatusCode, ended.Body)
	assert.Contains(t, ended.Body, "The console is fetching its records now")

	var page string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if page = b.get(console).Body; strings.Contains(page, `id="meeting-record-`) {
			break
		}
	}
	assert.Regexp(t, `(?s)<tr id="meeting-record-[^"]+">.*?<td>Incident</td>`, page, "the finished meeting is listed without waiting for the hourly sync")
}
