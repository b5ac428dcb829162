package carrierx_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

func init() {
	exercised["conference_v2 GET /accounts"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		p, err := conf.ListAccounts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "an endpoint's credentials reach its own account only")
		login, _ := ep.APICredentials()
		assert.Equal(t, ep.Properties["account_sid"], p.Items[0].AccountSID)
		assert.Equal(t, login, p.Items[0].Login)
		assert.Equal(t, ep.Name, p.Items[0].Name)

		_, other := confV2(t, f)
		op, err := other.ListAccounts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, op.Items, 1)
		assert.NotEqual(t, p.Items[0].AccountSID, op.Items[0].AccountSID)
	}
	exercised["conference_v2 GET /accounts/{account_sid}"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		a, err := conf.GetAccount(ctx(), ep.Properties["account_sid"])
		require.NoError(t, err)
		assert.Equal(t, ep.Properties["account_sid"], a.AccountSID)
		assert.NotEmpty(t, a.CallFlowSID, "an account has a default call flow")
		assert.False(t, a.DateCreated.IsZero())
		assert.Empty(t, a.Properties)

		_, other := confV2(t, f)
		_, err = other.GetAccount(ctx(), a.AccountSID)
		assert.Equal(t, 404, statusOf(err), "another endpoint's account is not found")
	}
	exercised["conference_v2 GET /accounts/whoami"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		me, err := conf.WhoAmI(ctx())
		require.NoError(t, err)
		assert.Equal(t, ep.Properties["account_sid"], me.AccountSID)

		wrong := ep
		wrong.Properties = carrierx.Attributes{}
		for k, v := range ep.Properties {
			wrong.Properties[k] = v
		}
		wrong.Properties["password"] = "not-the-password"
		bad, err := f.cx.ConferenceV2(wrong)
		require.NoError(t, err)
		_, err = bad.WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "a wrong password is refused")
	}
	exercised["conference_v2 PATCH/PUT /accounts/{account_sid}"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		sid := ep.Properties["account_sid"]
		a, err := conf.UpdateAccount(ctx(), sid, carrierx.ConfV2AccountUpdate{Name: carrierx.Set("John W. Smith"),
			Properties: carrierx.Set(carrierx.Attributes{"did_language": "en_GB"})})
		require.NoError(t, err)
		assert.Equal(t, "John W. Smith", a.Name)
		assert.Equal(t, "en_GB", a.Properties["did_language"])

		flows, err := conf.ListCallFlows(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("name", "direct_host")})
		require.NoError(t, err)
		require.Len(t, flows.Items, 1)
		a.CallFlowSID = flows.Items[0].CallFlowSID
		a.Name = "Replaced"
		a, err = conf.ReplaceAccount(ctx(), sid, *a)
		require.NoError(t, err)
		assert.Equal(t, "Replaced", a.Name)
		assert.Equal(t, flows.Items[0].CallFlowSID, a.CallFlowSID)
		assert.Equal(t, "en_GB", a.Properties["did_language"])

		_, err = conf.UpdateAccount(ctx(), sid, carrierx.ConfV2AccountUpdate{CallFlowSID: carrierx.Set("no-such-flow")})
		assert.Equal(t, 422, statusOf(err), "the call flow must exist")

		// A new password is the endpoint's new API password.
		_, err = conf.UpdateAccount(ctx(), sid, carrierx.ConfV2AccountUpdate{Password: carrierx.Set("qwerty123-new")})
		require.NoError(t, err)
		_, err = conf.WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "the old password stops working")
		fresh, err := f.cx.GetEndpoint(ctx(), ep.EndpointSID)
		require.NoError(t, err)
		_, pw := fresh.APICredentials()
		assert.Equal(t, "qwerty123-new", pw)
		conf, err = f.cx.ConferenceV2(*fresh)
		require.NoError(t, err)
		me, err := conf.WhoAmI(ctx())
		require.NoError(t, err)
		assert.Equal(t, sid, me.AccountSID)
	}

	exercised["conference_v2 GET /call_flows"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		p, err := conf.ListCallFlows(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		var names []string
		for _, fl := range p.Items {
			names = append(names, fl.Name)
			assert.Equal(t, "first", fl.Properties["conference_start_how"], fl.Name)
			assert.Equal(t, "*6", fl.Properties["call_mute_dtmf_binding"], fl.Name)
		}
		assert.Equal(t, []string{"secured", "direct_host", "direct_participant"}, names)
	}
	exercised["conference_v2 GET /call_flows/{call_flow_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		me, err := conf.WhoAmI(ctx())
		require.NoError(t, err)
		fl, err := conf.GetCallFlow(ctx(), me.CallFlowSID)
		require.NoError(t, err)
		assert.Equal(t, "secured", fl.Name, "a new account uses the secured flow")
		assert.Equal(t, "180", fl.Properties["conference_stop_wait"])
		_, err = conf.GetCallFlow(ctx(), "no-such-flow")
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["conference_v2 GET /dids"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		p, err := conf.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, p.Items, "no number is routed to a new endpoint")

		d := confV2RouteDID(t, f, ep)
		p, err = conf.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "a Core number routed to the endpoint is the account's")
		got := p.Items[0]
		assert.Equal(t, d.Phonenumber, got.Phonenumber)
		assert.Equal(t, "USA", got.CountryCode)
		assert.Equal(t, d.InternationalFormat, got.InternationalFormat)
		assert.Equal(t, ep.Properties["account_sid"], got.AccountSID)
		assert.Nil(t, got.DIDGroupSID)

		_, other := confV2(t, f)
		op, err := other.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another endpoint does not answer on it")
	}
	exercised["conference_v2 GET /dids/{did_sid}"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		d := confV2RouteDID(t, f, ep)
		p, err := conf.ListDIDs(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", d.Phonenumber)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		got, err := conf.GetDID(ctx(), p.Items[0].DIDSID)
		require.NoError(t, err)
		assert.Equal(t, p.Items[0], *got)
		_, other := confV2(t, f)
		_, err = other.GetDID(ctx(), got.DIDSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v2 PATCH/PUT /dids/{did_sid}"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		confV2RouteDID(t, f, ep)
		p, err := conf.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items)
		sid := p.Items[0].DIDSID
		g, err := conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{Name: carrierx.Set("New DID group")})
		require.NoError(t, err)

		got, err := conf.UpdateDID(ctx(), sid, carrierx.ConfV2DIDUpdate{DIDGroupSID: carrierx.Set(g.DIDGroupSID)})
		require.NoError(t, err)
		require.NotNil(t, got.DIDGroupSID)
		assert.Equal(t, g.DIDGroupSID, *got.DIDGroupSID)
		_, err = conf.UpdateDID(ctx(), sid, carrierx.ConfV2DIDUpdate{DIDGroupSID: carrierx.Set("no-such-group")})
		assert.Equal(t, 422, statusOf(err), "an unknown DID group is refused")

		me, err := conf.WhoAmI(ctx())
		require.NoError(t, err)
		got.CallFlowSID = &me.CallFlowSID
		got.Properties = carrierx.Attributes{"did_language": "es_ES"}
		got, err = conf.ReplaceDID(ctx(), sid, *got)
		require.NoError(t, err)
		require.NotNil(t, got.CallFlowSID)
		assert.Equal(t, me.CallFlowSID, *got.CallFlowSID)
		assert.Equal(t, "es_ES", got.Properties["did_language"])
		require.NotNil(t, got.DIDGroupSID, "PUT keeps what it sends")
		again, err := conf.GetDID(ctx(), sid)
		require.NoError(t, err)
		assert.Equal(t, *got, *again)
	}

	exercised["conference_v2 POST /did_groups"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		g, err := conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{})
		require.NoError(t, err)
		assert.NotEmpty(t, g.DIDGroupSID)
		assert.Equal(t, ep.Properties["account_sid"], g.AccountSID)
		assert.Nil(t, g.CallFlowSID)
		assert.Empty(t, g.Properties)
		_, err = conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{CallFlowSID: carrierx.Set("no-such-flow")})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v2 GET /did_groups"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		g, err := conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{Name: carrierx.Set("listed")})
		require.NoError(t, err)
		p, err := conf.ListDIDGroups(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *g, p.Items[0])
		_, other := confV2(t, f)
		op, err := other.ListDIDGroups(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another endpoint's groups are not listed")
	}
	exercised["conference_v2 GET /did_groups/{did_group_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		g, err := conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{Name: carrierx.Set("one")})
		require.NoError(t, err)
		got, err := conf.GetDIDGroup(ctx(), g.DIDGroupSID)
		require.NoError(t, err)
		assert.Equal(t, *g, *got)
		_, other := confV2(t, f)
		_, err = other.GetDIDGroup(ctx(), g.DIDGroupSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v2 PATCH/PUT /did_groups/{did_group_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		g, err := conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{Name: carrierx.Set("before")})
		require.NoError(t, err)
		got, err := conf.UpdateDIDGroup(ctx(), g.DIDGroupSID, carrierx.ConfV2DIDGroupUpdate{
			Properties: carrierx.Set(carrierx.Attributes{"conference_moh": "jazz"})})
		require.NoError(t, err)
		assert.Equal(t, "jazz", got.Properties["conference_moh"])
		assert.Equal(t, "before", got.Name, "PATCH keeps what it does not name")
		got.Name = "after"
		got, err = conf.ReplaceDIDGroup(ctx(), g.DIDGroupSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "after", got.Name)
		assert.Equal(t, "jazz", got.Properties["conference_moh"])
		_, err = conf.UpdateDIDGroup(ctx(), g.DIDGroupSID, carrierx.ConfV2DIDGroupUpdate{CallFlowSID: carrierx.Set("nope")})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v2 DELETE /did_groups/{did_group_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		g, err := conf.CreateDIDGroup(ctx(), carrierx.ConfV2DIDGroupUpdate{})
		require.NoError(t, err)
		r, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{DIDGroupSID: carrierx.Set(g.DIDGroupSID)})
		require.NoError(t, err)
		assert.Equal(t, 409, statusOf(conf.DeleteDIDGroup(ctx(), g.DIDGroupSID)), "a group in use stays")
		require.NoError(t, conf.DeleteMeetingRoom(ctx(), r.MeetingRoomSID))
		require.NoError(t, conf.DeleteDIDGroup(ctx(), g.DIDGroupSID))
		_, err = conf.GetDIDGroup(ctx(), g.DIDGroupSID)
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["conference_v2 POST /meeting_rooms"] = func(t *testing.T, f *fixture) {
		ep, conf := confV2(t, f)
		r, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{})
		require.NoError(t, err, "a room can be created from {}")
		assert.Equal(t, ep.Properties["account_sid"], r.AccountSID)
		require.Len(t, r.AccessCodes, 3, "one code per role is generated")
		for i, role := range []string{carrierx.ConfV2RoleHost, carrierx.ConfV2RoleParticipant, carrierx.ConfV2RoleListener} {
			assert.Equal(t, role, r.AccessCodes[i].Role)
			assert.Regexp(t, `^[0-9]{6}$`, r.AccessCodes[i].AccessCode)
		}

		sample := []carrierx.ConfV2AccessCode{{AccessCode: "890671", Role: carrierx.ConfV2RoleHost},
			{AccessCode: "265423", Role: carrierx.ConfV2RoleListener}, {AccessCode: "143623", Role: carrierx.ConfV2RoleParticipant}}
		named, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{Name: carrierx.Set("My meeting room"),
			AccessCodes: carrierx.Set(sample)})
		require.NoError(t, err)
		assert.Equal(t, sample, named.AccessCodes)
		assert.Equal(t, "My meeting room", named.Name)
		_, err = conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{
			AccessCodes: carrierx.Set([]carrierx.ConfV2AccessCode{{AccessCode: "890671", Role: carrierx.ConfV2RoleParticipant}})})
		assert.Equal(t, 422, statusOf(err), "a code is used once per endpoint")
		_, err = conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{
			AccessCodes: carrierx.Set([]carrierx.ConfV2AccessCode{{AccessCode: "111222", Role: "moderator"}})})
		assert.Equal(t, 422, statusOf(err), "roles are host, participant and listener")

		_, other := confV2(t, f)
		_, err = other.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{AccessCodes: carrierx.Set(sample)})
		assert.NoError(t, err, "another endpoint may use the same codes")
	}
	exercised["conference_v2 GET /meeting_rooms"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		r, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{Name: carrierx.Set("weekly")})
		require.NoError(t, err)
		p, err := conf.ListMeetingRooms(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("name", "weekly")})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *r, p.Items[0])
		n := 0
		for _, err := range conf.AllMeetingRooms(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1, n)
		_, other := confV2(t, f)
		op, err := other.ListMeetingRooms(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items)
	}
	exercised["conference_v2 GET /meeting_rooms/{meeting_room_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		r, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{})
		require.NoError(t, err)
		got, err := conf.GetMeetingRoom(ctx(), r.MeetingRoomSID)
		require.NoError(t, err)
		assert.Equal(t, *r, *got)
		_, other := confV2(t, f)
		_, err = other.GetMeetingRoom(ctx(), r.MeetingRoomSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v2 PATCH/PUT /meeting_rooms/{meeting_room_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		r, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{Name: carrierx.Set("before")})
		require.NoError(t, err)
		got, err := conf.UpdateMeetingRoom(ctx(), r.MeetingRoomSID, carrierx.ConfV2MeetingRoomUpdate{
			AccessCodes: carrierx.Set([]carrierx.ConfV2AccessCode{r.AccessCodes[0], {Role: carrierx.ConfV2RoleListener}})})
		require.NoError(t, err)
		require.Len(t, got.AccessCodes, 2)
		assert.Equal(t, r.AccessCodes[0], got.AccessCodes[0], "a room keeps its own code")
		assert.Regexp(t, `^[0-9]{6}$`, got.AccessCodes[1].AccessCode, "a code without a value is generated")
		assert.Equal(t, "before", got.Name)
		got.Name = "after"
		got, err = conf.ReplaceMeetingRoom(ctx(), r.MeetingRoomSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "after", got.Name)
		assert.Len(t, got.AccessCodes, 2)
		_, err = conf.UpdateMeetingRoom(ctx(), r.MeetingRoomSID, carrierx.ConfV2MeetingRoomUpdate{DIDGroupSID: carrierx.Set("no-such-group")})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v2 DELETE /meeting_rooms/{meeting_room_sid}"] = func(t *testing.T, f *fixture) {
		_, conf := confV2(t, f)
		r, err := conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{})
		require.NoError(t, err)
		_, other := confV2(t, f)
		assert.Equal(t, 404, statusOf(other.DeleteMeetingRoom(ctx(), r.MeetingRoomSID)))
		require.NoError(t, conf.DeleteMeetingRoom(ctx(), r.MeetingRoomSID))
		_, err = conf.GetMeetingRoom(ctx(), r.MeetingRoomSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{AccessCodes: carrierx.Set(r.AccessCodes)})
		assert.NoError(t, err, "the deleted room's codes are free again")
	}

	exercised["conference_v2 GET /meetings"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		room := l.dial(t, carrierx.ConfV2RoleHost, 1)
		l.dial(t, carrierx.ConfV2RoleParticipant, 2, room)
		l.clock.advance(30 * time.Second)
		p, err := l.conf.ListMeetings(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "callers of one room share a meeting")
		m := p.Items[0]
		assert.Equal(t, room, m.MeetingRoomSID)
		assert.Equal(t, carrierx.ConfV2Attendees{Hosts: 1, Participants: 2}, m.Attendees)
		assert.Equal(t, carrierx.ConfV2ParticipantMutedFalse, m.ParticipantMuted)
		assert.False(t, m.Locked)
		assert.Positive(t, m.Duration)
		op, err := l.other.ListMeetings(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another endpoint does not see the meeting")
	}
	exercised["conference_v2 GET /meetings/{meeting_sid}"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		l.dial(t, carrierx.ConfV2RoleHost, 1)
		l.clock.advance(30 * time.Second)
		m := l.meeting(t)
		l.clock.advance(10 * time.Second)
		got, err := l.conf.GetMeeting(ctx(), m.MeetingSID)
		require.NoError(t, err)
		assert.Equal(t, m.Duration+10, got.Duration, "the duration follows the clock")
		_, err = l.other.GetMeeting(ctx(), m.MeetingSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v2 PATCH /meetings/{meeting_sid}"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		room := l.dial(t, carrierx.ConfV2RoleHost, 1)
		l.dial(t, carrierx.ConfV2RoleParticipant, 1, room)
		l.clock.advance(30 * time.Second)
		m := l.meeting(t)
		got, err := l.conf.UpdateMeeting(ctx(), m.MeetingSID, carrierx.ConfV2MeetingUpdate{OnHold: carrierx.Set("p"),
			ParticipantMuted: carrierx.Set(carrierx.ConfV2ParticipantMutedTrue)})
		require.NoError(t, err)
		require.NotNil(t, got.OnHold)
		assert.Equal(t, "p", *got.OnHold)
		assert.Equal(t, carrierx.ConfV2ParticipantMutedTrue, got.ParticipantMuted)
		calls, err := l.conf.ListCalls(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("role", carrierx.ConfV2RoleParticipant)})
		require.NoError(t, err)
		require.Len(t, calls.Items, 1)
		assert.True(t, calls.Items[0].OnHold, "participants are held")
		assert.True(t, calls.Items[0].Muted, "participants are muted")
		_, err = l.conf.UpdateMeeting(ctx(), m.MeetingSID, carrierx.ConfV2MeetingUpdate{ParticipantMuted: carrierx.Set("loud")})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v2 DELETE /meetings/{meeting_sid}"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		room := l.dial(t, carrierx.ConfV2RoleHost, 1)
		l.dial(t, carrierx.ConfV2RoleListener, 2, room)
		l.clock.advance(30 * time.Second)
		m := l.meeting(t)
		assert.Equal(t, 404, statusOf(l.other.EndMeeting(ctx(), m.MeetingSID)))
		require.NoError(t, l.conf.EndMeeting(ctx(), m.MeetingSID))
		_, err := l.conf.GetMeeting(ctx(), m.MeetingSID)
		assert.Equal(t, 404, statusOf(err))
		calls, err := l.conf.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, calls.Items, "the meeting's calls end with it")

		recs, err := l.core.ListConferenceMeetings(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("meeting_room_sid", room)})
		require.NoError(t, err)
		require.Len(t, recs.Items, 1, "the meeting is recorded in Core")
		assert.Equal(t, 3, recs.Items[0].Participants)
		require.NotNil(t, recs.Items[0].EndpointSID)
		assert.Equal(t, l.ep.EndpointSID, *recs.Items[0].EndpointSID)
		cr, err := l.core.ListConferenceCalls(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("meeting_sid", recs.Items[0].MeetingSID)})
		require.NoError(t, err)
		assert.Len(t, cr.Items, 3, "one call record per caller")
	}

	exercised["conference_v2 GET /calls"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		l.dial(t, carrierx.ConfV2RoleParticipant, 2)
		l.clock.advance(2 * time.Second)
		p, err := l.conf.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items, "a dialled call is listed")
		assert.Nil(t, p.Items[0].MeetingSID, "not yet in a meeting")
		assert.Equal(t, "In", p.Items[0].Direction)

		l.clock.advance(30 * time.Second)
		n := 0
		for c, err := range l.conf.AllCalls(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			require.NotNil(t, c.MeetingSID, "joined")
			require.NotNil(t, c.Role)
			assert.Equal(t, carrierx.ConfV2RoleParticipant, *c.Role)
			assert.NotNil(t, c.DateJoined)
			n++
		}
		assert.Equal(t, 2, n)
		op, err := l.other.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items)

		l.clock.advance(30 * time.Minute)
		p, err = l.conf.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, p.Items, "callers hang up within minutes")
	}
	exercised["conference_v2 GET /calls/{call_sid}"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		l.dial(t, carrierx.ConfV2RoleListener, 1)
		l.clock.advance(30 * time.Second)
		c := l.call(t)
		got, err := l.conf.GetCall(ctx(), c.CallSID)
		require.NoError(t, err)
		assert.Equal(t, c.CallSID, got.CallSID)
		assert.True(t, got.Muted, "listeners join muted")
		require.NotNil(t, got.AccessCode)
		_, err = l.conf.GetCall(ctx(), "no-such-call")
		assert.Equal(t, 404, statusOf(err))
		_, err = l.other.GetCall(ctx(), c.CallSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v2 PATCH /calls/{call_sid}"] = func(t *testing.T, f *fixture) {
		l := confV2Live(t)
		l.dial(t, carrierx.ConfV2RoleParticipant, 1)
		l.clock.advance(30 * time.Second)
		c := l.call(t)
		assert.False(t, c.Muted)
		got, err := l.conf.UpdateCall(ctx(), c.CallSID, carrierx.ConfV2CallUpdate{Muted: carrierx.Set(true), Name: carrierx.Set("Ann")})
		require.NoError(t, err)
		assert.True(t, got.Muted)
		assert.Equal(t, "Ann", got.Name)
		assert.False(t, got.OnHold, "PATCH keeps what it does not name")
		got, err = l.conf.UpdateCall(ctx(), c.CallSID, carrierx.ConfV2CallUpdate{OnHold: carrierx.Set(true)})
		require.NoError(t, err)
		assert.True(t, got.OnHold)
		assert.True(t, got.Muted)
		_, err = l.other.UpdateCall(ctx(), c.CallSID, carrierx.ConfV2CallUpdate{Muted: carrierx.Set(false)})
		assert.Equal(t, 404, statusOf(err))
	}
}

// confV2 creates a conference_v2 endpoint on the shared sandbox and returns
// it with a client for its API.
func confV2(t *testing.T, f *fixture) (carrierx.Endpoint, *carrierx.ConferenceV2) {
	t.Helper()
	ep := hostedEndpoint(t, f, carrierx.EndpointConferenceV2)
	conf, err := f.cx.ConferenceV2(ep)
	require.NoError(t, err)
	return ep, conf
}

// confV2RouteDID rents a number and routes it to ep through a new trunk group.
func confV2RouteDID(t *testing.T, f *fixture, ep carrierx.Endpoint) *carrierx.DID {
	t.Helper()
	d := rent(t, f)
	g, err := f.cx.CreateTrunkGroup(ctx(), carrierx.TrunkGroupUpdate{Name: carrierx.Set("conference"),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set("bridge"), EndpointSID: carrierx.Set(ep.EndpointSID)}})})
	require.NoError(t, err)
	d, err = f.cx.UpdateDID(ctx(), d.DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(g.TrunkGroupSID)})
	require.NoError(t, err)
	return d
}

// confV2Clock is a sandbox clock the test moves.
type confV2Clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *confV2Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *confV2Clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// confV2LiveEnv is a sandbox of its own, on a clock the test moves, with a
// conference endpoint whose rooms callers dial into.
type confV2LiveEnv struct {
	sb          *sandbox.Sandbox
	clock       *confV2Clock
	core        *carrierx.Client
	ep          carrierx.Endpoint
	conf, other *carrierx.ConferenceV2
}

func confV2Live(t *testing.T) *confV2LiveEnv {
	t.Helper()
	clock := &confV2Clock{now: time.Date(2025, 6, 3, 14, 11, 55, 0, time.UTC)}
	sb := sandbox.New(sandbox.Config{AvailableDIDs: 300, CDRs: 200, MessageDRs: 20, ConferenceMeetings: 10,
		MediatorCalls: 10, Now: clock.Now})
	base, stop, err := sb.Listen("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = stop(context.Background()) })
	creds := sb.DemoPartner()
	core := carrierx.New(base, carrierx.WithTimeout(30*time.Second)).WithBasic(creds.Login, creds.Password)
	l := &confV2LiveEnv{sb: sb, clock: clock, core: core}
	for i, c := range []**carrierx.ConferenceV2{&l.conf, &l.other} {
		ep, err := core.CreateEndpoint(ctx(), carrierx.EndpointUpdate{Name: carrierx.Set("live"), Type: carrierx.Set(carrierx.EndpointConferenceV2)})
		require.NoError(t, err)
		if i == 0 {
			l.ep = *ep
		}
		*c, err = core.ConferenceV2(*ep)
		require.NoError(t, err)
	}
	return l
}

// dial sends n callers of role into a room of the endpoint: the one given,
// or a new one. It returns the room's SID.
func (l *confV2LiveEnv) dial(t *testing.T, role string, n int, room ...string) string {
	t.Helper()
	if len(room) == 0 {
		r, err := l.conf.CreateMeetingRoom(ctx(), carrierx.ConfV2MeetingRoomUpdate{})
		require.NoError(t, err)
		room = []string{r.MeetingRoomSID}
	}
	require.NoError(t, l.sb.DialIntoMeetingRoom(l.ep.Properties["account_sid"], room[0], role, n))
	return room[0]
}

// meeting is the endpoint's one meeting in progress.
func (l *confV2LiveEnv) meeting(t *testing.T) carrierx.ConfV2Meeting {
	t.Helper()
	p, err := l.conf.ListMeetings(ctx(), carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	return p.Items[0]
}

// call is the endpoint's first call.
func (l *confV2LiveEnv) call(t *testing.T) carrierx.ConfV2Call {
	t.Helper()
	p, err := l.conf.ListCalls(ctx(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	return p.Items[0]
}
