package carrierx_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// cv1Env is a conference (v1) endpoint of the demo partner with its API
// client, its account owner and its provisioned DID group.
type cv1Env struct {
	ep    carrierx.Endpoint
	a     *carrierx.ConferenceV1
	owner *carrierx.ConfV1Subscriber
	group int64
}

func cv1New(t *testing.T, f *fixture) *cv1Env {
	t.Helper()
	ep := hostedEndpoint(t, f, carrierx.EndpointConference)
	a, err := f.cx.ConferenceV1(ep)
	require.NoError(t, err)
	owner, err := a.WhoAmI(ctx())
	require.NoError(t, err)
	groups, err := a.ListDIDGroups(ctx(), carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, groups.Items, 1, "the account comes with one DID group")
	return &cv1Env{ep: ep, a: a, owner: owner, group: groups.Items[0].ID}
}

// cv1Other is a conference account of the other partner, removed when
// the test ends.
func cv1Other(t *testing.T, f *fixture) *carrierx.ConferenceV1 {
	t.Helper()
	c := otherPartner(f)
	ep, err := c.CreateEndpoint(ctx(), carrierx.EndpointUpdate{Name: carrierx.Set("other conference"), Type: carrierx.Set(carrierx.EndpointConference)})
	require.NoError(t, err)
	// The other partner is left as it was: other tests count its endpoints.
	t.Cleanup(func() { assert.NoError(t, c.DeleteEndpoint(ctx(), ep.EndpointSID)) })
	a, err := c.ConferenceV1(*ep)
	require.NoError(t, err)
	return a
}

// cv1DID rents a Core number and adds it to the account's DID group.
func cv1DID(t *testing.T, f *fixture, e *cv1Env) *carrierx.ConfV1DID {
	t.Helper()
	d, err := e.a.CreateDID(ctx(), carrierx.ConfV1DIDUpdate{DIDGroupID: carrierx.Set(e.group), PhoneNumber: carrierx.Set(rent(t, f).Phonenumber)})
	require.NoError(t, err)
	return d
}

// cv1Room creates a room of the owner with a host, a participant and a
// listener code.
func cv1Room(t *testing.T, e *cv1Env) *carrierx.ConfV1MeetingRoom {
	t.Helper()
	r, err := e.a.CreateMeetingRoom(ctx(), carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group),
		Keychain: carrierx.Set([]carrierx.ConfV1MeetingKey{{Role: carrierx.ConfV1RoleHost}, {Role: carrierx.ConfV1RoleParticipant},
			{Role: carrierx.ConfV1RoleListener}})})
	require.NoError(t, err)
	return r
}

// cv1Live has n callers dial into a new room (with a DID) and returns the
// room and the calls.
func cv1Live(t *testing.T, f *fixture, e *cv1Env, n int) (*carrierx.ConfV1MeetingRoom, []carrierx.ConfV1Call) {
	t.Helper()
	cv1DID(t, f, e)
	r := cv1Room(t, e)
	require.NoError(t, f.sb.DialIntoConferenceV1(e.ep.Properties["account_sid"], strconv.FormatInt(r.MeetingNumber, 10), n))
	p, err := e.a.ListCalls(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("meetingNumber", r.MeetingNumber)})
	require.NoError(t, err)
	require.Len(t, p.Items, n)
	return r, p.Items
}

func cv1Subscriber(t *testing.T, e *cv1Env, login string) *carrierx.ConfV1Subscriber {
	t.Helper()
	s, err := e.a.CreateSubscriber(ctx(), carrierx.ConfV1SubscriberUpdate{Login: carrierx.Set(login + strconv.FormatInt(e.group, 10)),
		Password: carrierx.Set("s3cret"), FirstName: carrierx.Set("Ada")})
	require.NoError(t, err)
	return s
}

// cv1WAV is a WAV file holding ms milliseconds of 8 kHz 16-bit mono silence.
func cv1WAV(ms int) []byte {
	n := ms * 16
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(8000), uint32(16000), uint16(2), uint16(16)} {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	_ = binary.Write(&b, binary.LittleEndian, uint32(n))
	b.Write(make([]byte, n))
	return b.Bytes()
}

func cv1Upload(t *testing.T, e *cv1Env, sid, name string, ms int) *carrierx.ConfV1File {
	t.Helper()
	// A reader that is not a bytes.Reader: the body is streamed in pieces.
	r := io.MultiReader(bytes.NewReader(cv1WAV(ms)[:20]), bytes.NewReader(cv1WAV(ms)[20:]))
	file, err := e.a.UploadFile(ctx(), sid, name, r)
	require.NoError(t, err)
	return file
}

func init() {
	exercised["conference_v1 GET /callFlows"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		p, err := e.a.ListCallFlows(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 3)
		assert.Equal(t, 3, p.Total)
		assert.Equal(t, 2, p.Last, "last is the index of the page's last item")
		names := []string{p.Items[0].Name, p.Items[1].Name, p.Items[2].Name}
		assert.ElementsMatch(t, []string{"direct_host", "direct_participant", "secured"}, names)
		assert.NotEmpty(t, p.Items[0].AttributeTemplates)
		one, err := e.a.ListCallFlows(ctx(), carrierx.ListOptions{Limit: 1, Offset: 2})
		require.NoError(t, err)
		assert.Len(t, one.Items, 1)
		assert.Equal(t, 2, one.Offset)
		_, err = e.a.ListCallFlows(ctx(), carrierx.ListOptions{After: "x"})
		assert.Equal(t, 400, statusOf(err), "cursor paging is not served by v1")
	}
	exercised["conference_v1 GET /callFlows/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		g, err := e.a.GetDIDGroup(ctx(), e.group)
		require.NoError(t, err)
		flow, err := e.a.GetCallFlow(ctx(), g.CallFlowID)
		require.NoError(t, err)
		assert.Equal(t, "secured", flow.Name, "the default DID group asks for access codes")
		_, err = cv1Other(t, f).GetCallFlow(ctx(), g.CallFlowID)
		assert.Equal(t, 404, statusOf(err), "another account's call flow is not found")
	}

	exercised["conference_v1 GET /calls"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r, calls := cv1Live(t, f, e, 3)
		for i, c := range calls {
			assert.Equal(t, r.MeetingNumber, c.MeetingNumber)
			assert.Equal(t, i+1, c.Role, "callers enter the room's codes in turn")
			assert.Equal(t, r.Keychain[i].AccessCode, c.AccessCode)
			assert.False(t, c.Muted())
			assert.False(t, c.Joined.Time().IsZero())
		}
		p, err := cv1Other(t, f).ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, p.Items, "another account has no calls")
	}
	exercised["conference_v1 GET /calls/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		_, calls := cv1Live(t, f, e, 1)
		c, err := e.a.GetCall(ctx(), calls[0].ID)
		require.NoError(t, err)
		assert.Equal(t, calls[0].Caller, c.Caller)
		assert.Equal(t, carrierx.ConfV1RoleHost, c.Role)
		_, err = cv1Other(t, f).GetCall(ctx(), c.ID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /calls/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		_, calls := cv1Live(t, f, e, 2)
		c, err := e.a.UpdateCall(ctx(), calls[1].ID, carrierx.ConfV1CallUpdate{MuteMode: carrierx.Set(carrierx.ConfV1MuteModeMuted),
			CustomName: carrierx.Set("Ada")})
		require.NoError(t, err)
		assert.True(t, c.Muted())
		assert.Equal(t, "Ada", c.CustomName)
		got, err := e.a.GetCall(ctx(), calls[1].ID)
		require.NoError(t, err)
		assert.True(t, got.Muted(), "the mute is kept")
		other, err := e.a.GetCall(ctx(), calls[0].ID)
		require.NoError(t, err)
		assert.False(t, other.Muted(), "only that call is muted")
		c, err = e.a.UpdateCall(ctx(), calls[1].ID, carrierx.ConfV1CallUpdate{MuteMode: carrierx.Set(0)})
		require.NoError(t, err)
		assert.False(t, c.Muted())
		assert.Equal(t, "Ada", c.CustomName, "PUT keeps what it does not name")
		_, err = e.a.UpdateCall(ctx(), calls[1].ID, carrierx.ConfV1CallUpdate{MuteMode: carrierx.Set(7)})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v1 DELETE /calls/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r, calls := cv1Live(t, f, e, 2)
		require.NoError(t, e.a.HangUpCall(ctx(), calls[0].ID))
		_, err := e.a.GetCall(ctx(), calls[0].ID)
		assert.Equal(t, 404, statusOf(err), "a call that hung up is gone")
		m, err := e.a.GetMeeting(ctx(), r.MeetingNumber)
		require.NoError(t, err)
		assert.Equal(t, 1, m.ParticipantCount)
		assert.Equal(t, 404, statusOf(e.a.HangUpCall(ctx(), calls[0].ID)))
		require.NoError(t, e.a.HangUpCall(ctx(), calls[1].ID))
		_, err = e.a.GetMeeting(ctx(), r.MeetingNumber)
		assert.Equal(t, 404, statusOf(err), "the meeting ends with its last call")
	}

	exercised["conference_v1 POST /dids"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		d := cv1DID(t, f, e)
		assert.Equal(t, e.group, d.DIDGroupID)
		assert.Equal(t, "US", d.CountryCode)
		assert.Positive(t, d.ID)
		_, err := e.a.CreateDID(ctx(), carrierx.ConfV1DIDUpdate{DIDGroupID: carrierx.Set(e.group), PhoneNumber: carrierx.Set(d.PhoneNumber)})
		assert.Equal(t, 422, statusOf(err), "a number is in one conference account")
		_, err = e.a.CreateDID(ctx(), carrierx.ConfV1DIDUpdate{DIDGroupID: carrierx.Set(e.group), PhoneNumber: carrierx.Set(available(t, f).Phonenumber)})
		assert.Equal(t, 422, statusOf(err), "only numbers the partner rents")
		_, err = e.a.CreateDID(ctx(), carrierx.ConfV1DIDUpdate{PhoneNumber: carrierx.Set(rent(t, f).Phonenumber)})
		assert.Equal(t, 422, statusOf(err), "didGroupId is required")
	}
	exercised["conference_v1 GET /dids"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		d := cv1DID(t, f, e)
		p, err := e.a.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *d, p.Items[0])
		op, err := cv1Other(t, f).ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items)
	}
	exercised["conference_v1 GET /dids/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		d := cv1DID(t, f, e)
		got, err := e.a.GetDID(ctx(), d.ID)
		require.NoError(t, err)
		assert.Equal(t, d.PhoneNumber, got.PhoneNumber)
		_, err = cv1Other(t, f).GetDID(ctx(), d.ID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /dids/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		d := cv1DID(t, f, e)
		got, err := e.a.UpdateDID(ctx(), d.ID, carrierx.ConfV1DIDUpdate{Attributes: carrierx.Set([]carrierx.ConfV1AttributeSet{
			{Name: "call_maxduration", Value: "600"}})})
		require.NoError(t, err)
		require.Len(t, got.Attributes, 1)
		assert.Equal(t, carrierx.ConfV1Value("600"), got.Attributes[0].Value)
		assert.Equal(t, d.PhoneNumber, got.PhoneNumber)
		_, err = e.a.UpdateDID(ctx(), d.ID, carrierx.ConfV1DIDUpdate{PhoneNumber: carrierx.Set("15550001111")})
		assert.Equal(t, 422, statusOf(err), "the number cannot change")
		_, err = e.a.UpdateDID(ctx(), d.ID, carrierx.ConfV1DIDUpdate{Attributes: carrierx.Set([]carrierx.ConfV1AttributeSet{{Name: "nope", Value: "1"}})})
		assert.Equal(t, 422, statusOf(err), "unknown attributes are refused")
	}
	exercised["conference_v1 DELETE /dids/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		d := cv1DID(t, f, e)
		require.NoError(t, e.a.DeleteDID(ctx(), d.ID))
		_, err := e.a.GetDID(ctx(), d.ID)
		assert.Equal(t, 404, statusOf(err))
		core, err := f.cx.ListDIDs(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", d.PhoneNumber)})
		require.NoError(t, err)
		assert.Len(t, core.Items, 1, "the number stays rented in Core")
	}

	exercised["conference_v1 POST /didGroups"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		flows, err := e.a.ListCallFlows(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		g, err := e.a.CreateDIDGroup(ctx(), carrierx.ConfV1DIDGroupUpdate{Name: carrierx.Set("sales"), CallFlowID: carrierx.Set(flows.Items[0].ID)})
		require.NoError(t, err)
		assert.Equal(t, "sales", g.Name)
		assert.Equal(t, e.owner.SID, g.SubscriberSID)
		assert.Equal(t, -1, g.State)
		assert.Empty(t, g.DIDs)
		_, err = e.a.CreateDIDGroup(ctx(), carrierx.ConfV1DIDGroupUpdate{Name: carrierx.Set("no flow")})
		assert.Equal(t, 422, statusOf(err))
		_, err = e.a.CreateDIDGroup(ctx(), carrierx.ConfV1DIDGroupUpdate{Name: carrierx.Set("bad flow"), CallFlowID: carrierx.Set(int64(1))})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v1 GET /didGroups"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		d := cv1DID(t, f, e)
		p, err := e.a.ListDIDGroups(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		require.Len(t, p.Items[0].DIDs, 1)
		assert.Equal(t, d.PhoneNumber, p.Items[0].DIDs[0].PhoneNumber)
		assert.Equal(t, e.ep.Properties["login"]+"_didGroup", p.Items[0].Name)
	}
	exercised["conference_v1 GET /didGroups/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		g, err := e.a.GetDIDGroup(ctx(), e.group)
		require.NoError(t, err)
		assert.Equal(t, e.owner.SID, g.SubscriberSID)
		_, err = cv1Other(t, f).GetDIDGroup(ctx(), e.group)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /didGroups/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		g, err := e.a.UpdateDIDGroup(ctx(), e.group, carrierx.ConfV1DIDGroupUpdate{Description: carrierx.Set("main numbers"),
			Attributes: carrierx.Set([]carrierx.ConfV1AttributeSet{{Name: "call_announceparticipantcount", Value: "h"}})})
		require.NoError(t, err)
		assert.Equal(t, "main numbers", g.Description)
		require.Len(t, g.Attributes, 1)
		assert.Equal(t, carrierx.ConfV1Value("h"), g.Attributes[0].Value)
		assert.NotEmpty(t, g.Attributes[0].Description)
		assert.Contains(t, g.Name, "_didGroup", "PUT keeps what it does not name")
		_, err = e.a.UpdateDIDGroup(ctx(), e.group, carrierx.ConfV1DIDGroupUpdate{Attributes: carrierx.Set([]carrierx.ConfV1AttributeSet{
			{Name: "call_announceparticipantcount", Value: "x"}})})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["conference_v1 DELETE /didGroups/{id}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		cv1Room(t, e)
		assert.Equal(t, 409, statusOf(e.a.DeleteDIDGroup(ctx(), e.group)), "a room still uses it")
		g, err := e.a.CreateDIDGroup(ctx(), carrierx.ConfV1DIDGroupUpdate{Name: carrierx.Set("spare"), CallFlowID: carrierx.Set(cv1Flow(t, e))})
		require.NoError(t, err)
		require.NoError(t, e.a.DeleteDIDGroup(ctx(), g.ID))
		_, err = e.a.GetDIDGroup(ctx(), g.ID)
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["conference_v1 GET /meetings"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r, _ := cv1Live(t, f, e, 2)
		p, err := e.a.ListMeetings(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, r.MeetingNumber, p.Items[0].MeetingNumber)
		assert.Equal(t, 2, p.Items[0].ParticipantCount)
		assert.True(t, p.Items[0].IsSecured)
		op, err := cv1Other(t, f).ListMeetings(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items)
	}
	exercised["conference_v1 GET /meetings/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r, calls := cv1Live(t, f, e, 1)
		m, err := e.a.GetMeeting(ctx(), r.MeetingNumber)
		require.NoError(t, err)
		assert.Equal(t, calls[0].Created, m.Created)
		assert.Positive(t, m.ID)
		idle := cv1Room(t, e)
		_, err = e.a.GetMeeting(ctx(), idle.MeetingNumber)
		assert.Equal(t, 404, statusOf(err), "no meeting in a room nobody called")
	}
	exercised["conference_v1 GET /meetings/{meetingNumber}/attributes"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		cv1DID(t, f, e)
		r, err := e.a.CreateMeetingRoom(ctx(), carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group),
			Attributes: carrierx.Set([]carrierx.ConfV1AttributeSet{{Name: "conference_start_wait", Value: "60"}})})
		require.NoError(t, err)
		require.NoError(t, f.sb.DialIntoConferenceV1(e.ep.Properties["account_sid"], strconv.FormatInt(r.MeetingNumber, 10), 1))
		p, err := e.a.GetMeetingAttributes(ctx(), r.MeetingNumber, carrierx.ListOptions{})
		require.NoError(t, err)
		values := map[string]carrierx.ConfV1Value{}
		for _, a := range p.Items {
			values[a.Name] = a.Value
		}
		assert.Equal(t, carrierx.ConfV1Value("60"), values["conference_start_wait"], "the room overrides the call flow")
		assert.Equal(t, carrierx.ConfV1Value("180"), values["conference_stop_wait"], "the call flow's default")
		_, err = e.a.GetMeetingAttributes(ctx(), r.MeetingNumber+1, carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /meetings/{meetingNumber}/attributes/{name}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r, _ := cv1Live(t, f, e, 1)
		a, err := e.a.UpdateMeetingAttribute(ctx(), r.MeetingNumber, "call_maxduration", "3600")
		require.NoError(t, err)
		assert.Equal(t, carrierx.ConfV1Value("3600"), a.Value)
		m, err := e.a.GetMeeting(ctx(), r.MeetingNumber)
		require.NoError(t, err)
		found := false
		for _, x := range m.Attributes {
			found = found || (x.Name == "call_maxduration" && x.Value == "3600")
		}
		assert.True(t, found, "the meeting has the new value")
		_, err = e.a.UpdateMeetingAttribute(ctx(), r.MeetingNumber, "call_maxduration", "-5")
		assert.Equal(t, 422, statusOf(err))
		_, err = e.a.UpdateMeetingAttribute(ctx(), r.MeetingNumber, "unknown_attribute", "1")
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 DELETE /meetings/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r, _ := cv1Live(t, f, e, 3)
		require.NoError(t, e.a.EndMeeting(ctx(), r.MeetingNumber))
		calls, err := e.a.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, calls.Items, "ending the meeting hangs up its calls")
		assert.Equal(t, 404, statusOf(e.a.EndMeeting(ctx(), r.MeetingNumber)))
		recs, err := f.cx.ListConferenceMeetings(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("endpoint_sid", e.ep.EndpointSID)})
		require.NoError(t, err)
		require.Len(t, recs.Items, 1, "the meeting left its Core record")
		assert.Equal(t, 3, recs.Items[0].Participants)
		assert.Equal(t, f.creds.PartnerSID, recs.Items[0].PartnerSID)
		theirs, err := otherPartner(f).ListConferenceMeetings(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("endpoint_sid", e.ep.EndpointSID)})
		require.NoError(t, err)
		assert.Empty(t, theirs.Items, "the records are the partner's only")
	}

	exercised["conference_v1 POST /meetingRooms"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		assert.Equal(t, e.owner.SID, r.SubscriberSID)
		assert.Equal(t, e.group, r.PrimaryDIDGroupID)
		assert.Equal(t, []carrierx.ConfV1DIDGroupReference{{DIDGroupID: e.group}}, r.DIDGroupReferences)
		require.Len(t, r.Keychain, 3)
		assert.Len(t, r.Keychain[0].AccessCode, 6, "codes not given are generated")
		assert.Len(t, strconv.FormatInt(r.MeetingNumber, 10), 6)
		_, err := e.a.CreateMeetingRoom(ctx(), carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group),
			Keychain: carrierx.Set([]carrierx.ConfV1MeetingKey{{AccessCode: r.Keychain[0].AccessCode, Role: carrierx.ConfV1RoleHost}})})
		assert.Equal(t, 422, statusOf(err), "access codes are unique in the account")
		_, err = e.a.CreateMeetingRoom(ctx(), carrierx.ConfV1MeetingRoomUpdate{Description: carrierx.Set("no group")})
		assert.Equal(t, 422, statusOf(err), "primaryDidGroupId is required")
		_, err = cv1Other(t, f).CreateMeetingRoom(ctx(), carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		assert.Equal(t, 422, statusOf(err), "another account's DID group cannot be used")
	}
	exercised["conference_v1 GET /meetingRooms"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		s := cv1Subscriber(t, e, "rooms")
		_, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		require.NoError(t, err)
		p, err := e.a.ListMeetingRooms(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Len(t, p.Items, 2, "every room of the account")
		assert.Equal(t, 2, p.Total)
		got, err := e.a.ListMeetingRooms(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("meetingNumber", r.MeetingNumber)})
		require.NoError(t, err)
		require.Len(t, got.Items, 1)
		assert.Equal(t, *r, got.Items[0])
	}
	exercised["conference_v1 GET /meetingRooms/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		got, err := e.a.GetMeetingRoom(ctx(), r.MeetingNumber)
		require.NoError(t, err)
		assert.Equal(t, *r, *got)
		_, err = cv1Other(t, f).GetMeetingRoom(ctx(), r.MeetingNumber)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /meetingRooms/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		keys := []carrierx.ConfV1MeetingKey{r.Keychain[0], {AccessCode: "424242", Role: carrierx.ConfV1RoleListener}}
		got, err := e.a.UpdateMeetingRoom(ctx(), r.MeetingNumber, carrierx.ConfV1MeetingRoomUpdate{Description: carrierx.Set("weekly"),
			Keychain: carrierx.Set(keys)})
		require.NoError(t, err)
		assert.Equal(t, "weekly", got.Description)
		require.Len(t, got.Keychain, 2, "the keychain is replaced")
		assert.Equal(t, r.Keychain[0], got.Keychain[0], "a key sent back with its id is kept")
		assert.Equal(t, "424242", got.Keychain[1].AccessCode)
		assert.Equal(t, r.PrimaryDIDGroupID, got.PrimaryDIDGroupID, "PUT keeps what it does not name")
		other := cv1Room(t, e)
		_, err = e.a.UpdateMeetingRoom(ctx(), other.MeetingNumber, carrierx.ConfV1MeetingRoomUpdate{MeetingNumber: carrierx.Set(r.MeetingNumber)})
		assert.Equal(t, 422, statusOf(err), "meeting numbers are unique in the account")
	}
	exercised["conference_v1 DELETE /meetingRooms/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		require.NoError(t, e.a.DeleteMeetingRoom(ctx(), r.MeetingNumber))
		_, err := e.a.GetMeetingRoom(ctx(), r.MeetingNumber)
		assert.Equal(t, 404, statusOf(err))
		busy, _ := cv1Live(t, f, e, 1)
		assert.Equal(t, 409, statusOf(e.a.DeleteMeetingRoom(ctx(), busy.MeetingNumber)), "not while a meeting is in progress")
	}

	exercised["conference_v1 POST /subscribers"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "ada")
		assert.Equal(t, "Ada", s.FirstName)
		assert.Equal(t, e.owner.SID, s.ParentSID)
		assert.Equal(t, carrierx.ConfV1SubscriberRegular, s.Role)
		assert.NotEmpty(t, s.AuthenticationToken)
		assert.Equal(t, int64(-1), s.ExternalID)
		_, err := e.a.CreateSubscriber(ctx(), carrierx.ConfV1SubscriberUpdate{Login: carrierx.Set(s.Login), Password: carrierx.Set("x")})
		assert.Equal(t, 422, statusOf(err), "logins are unique")
		_, err = e.a.CreateSubscriber(ctx(), carrierx.ConfV1SubscriberUpdate{Login: carrierx.Set("no-password" + s.SID)})
		assert.Equal(t, 422, statusOf(err), "password is required")
	}
	exercised["conference_v1 GET /subscribers/whoami"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		assert.Equal(t, e.ep.Properties["login"], e.owner.Login, "the owner's login is the endpoint's")
		assert.Equal(t, carrierx.ConfV1SubscriberAdministrator, e.owner.Role)
		assert.Empty(t, e.owner.ParentSID)
		bad, err := f.cx.ConferenceV1(carrierx.Endpoint{Type: e.ep.Type,
			Properties: map[string]string{"login": e.ep.Properties["login"], "password": "wrong", "api_url": e.ep.APIURL()}})
		require.NoError(t, err)
		_, err = bad.WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "a wrong password is refused")
	}
	exercised["conference_v1 GET /subscribers"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "list")
		p, err := e.a.ListSubscribers(ctx(), carrierx.ListOptions{Order: "created desc"})
		require.NoError(t, err)
		require.Len(t, p.Items, 2)
		sids := []string{p.Items[0].SID, p.Items[1].SID}
		assert.ElementsMatch(t, []string{e.owner.SID, s.SID}, sids)
		op, err := cv1Other(t, f).ListSubscribers(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, op.Items, 1, "another account has only its owner")
		assert.NotEqual(t, e.owner.SID, op.Items[0].SID)
	}
	exercised["conference_v1 GET /subscribers/{sid}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "get")
		got, err := e.a.GetSubscriber(ctx(), s.SID)
		require.NoError(t, err)
		assert.Equal(t, *s, *got)
		_, err = cv1Other(t, f).GetSubscriber(ctx(), s.SID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /subscribers/{sid}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "put")
		got, err := e.a.UpdateSubscriber(ctx(), s.SID, carrierx.ConfV1SubscriberUpdate{LastName: carrierx.Set("Lovelace"),
			Email: carrierx.Set("ada@example.com"), EventCallbackURL: carrierx.Set("https://example.com/events")})
		require.NoError(t, err)
		assert.Equal(t, "Lovelace", got.LastName)
		assert.Equal(t, "Ada", got.FirstName, "PUT keeps what it does not name")
		require.NotNil(t, got.Callback)
		assert.Equal(t, "https://example.com/events", got.Callback.URL)
		_, err = e.a.UpdateSubscriber(ctx(), s.SID, carrierx.ConfV1SubscriberUpdate{Email: carrierx.Set("not an address")})
		assert.Equal(t, 422, statusOf(err))
		_, err = e.a.UpdateSubscriber(ctx(), e.owner.SID, carrierx.ConfV1SubscriberUpdate{Role: carrierx.Set(3)})
		assert.Equal(t, 422, statusOf(err), "the owner stays an administrator")
	}
	exercised["conference_v1 DELETE /subscribers/{sid}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "del")
		r, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		require.NoError(t, err)
		require.NoError(t, e.a.DeleteSubscriber(ctx(), s.SID))
		_, err = e.a.GetSubscriber(ctx(), s.SID)
		assert.Equal(t, 404, statusOf(err))
		_, err = e.a.GetMeetingRoom(ctx(), r.MeetingNumber)
		assert.Equal(t, 404, statusOf(err), "its rooms go with it")
		assert.Equal(t, 403, statusOf(e.a.DeleteSubscriber(ctx(), e.owner.SID)), "the owner cannot be deleted")
	}
	exercised["conference_v1 POST /subscribers/logout"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		require.NoError(t, e.a.Logout(ctx()))
		me, err := e.a.WhoAmI(ctx())
		require.NoError(t, err, "Basic credentials keep working")
		assert.Equal(t, e.owner.SID, me.SID)
	}

	exercised["conference_v1 POST /subscribers/{sid}/files"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		file := cv1Upload(t, e, e.owner.SID, "welcome.wav", 2500)
		assert.Equal(t, "welcome.wav", file.Name)
		assert.Equal(t, int64(2500), file.Duration)
		assert.Equal(t, int64(len(cv1WAV(2500))), file.Size)
		assert.Equal(t, "/storage/subscribers/"+e.owner.SID+"/welcome.wav", file.URL)
		_, err := e.a.UploadFile(ctx(), e.owner.SID, "notes.txt", bytes.NewReader([]byte("not audio")))
		assert.Equal(t, 422, statusOf(err))
		_, err = cv1Other(t, f).UploadFile(ctx(), e.owner.SID, "x.wav", bytes.NewReader(cv1WAV(10)))
		assert.Equal(t, 404, statusOf(err), "another account's subscriber")
	}
	exercised["conference_v1 GET /subscribers/{sid}/files"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		cv1Upload(t, e, e.owner.SID, "a.wav", 1000)
		cv1Upload(t, e, e.owner.SID, "b.wav", 500)
		cv1Upload(t, e, e.owner.SID, "a.wav", 1500) // replaces a.wav
		p, err := e.a.ListFiles(ctx(), e.owner.SID, carrierx.ListOptions{Order: "name"})
		require.NoError(t, err)
		require.Len(t, p.Items, 2)
		assert.Equal(t, "a.wav", p.Items[0].Name)
		assert.Equal(t, int64(1500), p.Items[0].Duration)
		_, err = e.a.ListFiles(ctx(), "no-such-subscriber", carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 DELETE /subscribers/{sid}/files"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "files")
		cv1Upload(t, e, s.SID, "a.wav", 100)
		cv1Upload(t, e, s.SID, "b.wav", 100)
		mine := cv1Upload(t, e, e.owner.SID, "keep.wav", 100)
		require.NoError(t, e.a.DeleteFiles(ctx(), s.SID))
		p, err := e.a.ListFiles(ctx(), s.SID, carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, p.Items)
		p, err = e.a.ListFiles(ctx(), e.owner.SID, carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "other subscribers' files stay")
		assert.Equal(t, *mine, p.Items[0])
	}
	exercised["conference_v1 DELETE /subscribers/{sid}/files/{fileName}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		cv1Upload(t, e, e.owner.SID, "a b.wav", 100)
		cv1Upload(t, e, e.owner.SID, "c.wav", 100)
		require.NoError(t, e.a.DeleteFile(ctx(), e.owner.SID, "a b.wav"))
		p, err := e.a.ListFiles(ctx(), e.owner.SID, carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, "c.wav", p.Items[0].Name)
		assert.Equal(t, 404, statusOf(e.a.DeleteFile(ctx(), e.owner.SID, "a b.wav")))
	}

	exercised["conference_v1 POST /subscribers/{sid}/meetingRooms"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "sroom")
		r, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group),
			Description: carrierx.Set("Ada's room")})
		require.NoError(t, err)
		assert.Equal(t, s.SID, r.SubscriberSID)
		assert.Empty(t, r.Keychain, "a room starts without keys")
		_, err = e.a.CreateSubscriberMeetingRoom(ctx(), "nobody", carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 GET /subscribers/{sid}/meetingRooms"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "srooms")
		r, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		require.NoError(t, err)
		cv1Room(t, e) // the owner's
		p, err := e.a.ListSubscriberMeetingRooms(ctx(), s.SID, carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "only the subscriber's own rooms")
		assert.Equal(t, r.MeetingNumber, p.Items[0].MeetingNumber)
	}
	exercised["conference_v1 GET /subscribers/{sid}/meetingRooms/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "sroomget")
		r, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		require.NoError(t, err)
		got, err := e.a.GetSubscriberMeetingRoom(ctx(), s.SID, r.MeetingNumber)
		require.NoError(t, err)
		assert.Equal(t, *r, *got)
		_, err = e.a.GetSubscriberMeetingRoom(ctx(), e.owner.SID, r.MeetingNumber)
		assert.Equal(t, 404, statusOf(err), "not another subscriber's room")
	}
	exercised["conference_v1 PUT /subscribers/{sid}/meetingRooms/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "sroomput")
		r, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		require.NoError(t, err)
		got, err := e.a.UpdateSubscriberMeetingRoom(ctx(), s.SID, r.MeetingNumber, carrierx.ConfV1MeetingRoomUpdate{
			MeetingNumber: carrierx.Set(int64(4242)), Attributes: carrierx.Set([]carrierx.ConfV1AttributeSet{{Name: "call_maxduration", Value: "120"}})})
		require.NoError(t, err)
		assert.Equal(t, int64(4242), got.MeetingNumber)
		require.Len(t, got.Attributes, 1)
		assert.Equal(t, "Maximal calls duration (s)", got.Attributes[0].Description)
		_, err = e.a.GetSubscriberMeetingRoom(ctx(), s.SID, 4242)
		require.NoError(t, err, "the room is found by its new number")
		_, err = e.a.UpdateSubscriberMeetingRoom(ctx(), e.owner.SID, 4242, carrierx.ConfV1MeetingRoomUpdate{Description: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 DELETE /subscribers/{sid}/meetingRooms/{meetingNumber}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		s := cv1Subscriber(t, e, "sroomdel")
		r, err := e.a.CreateSubscriberMeetingRoom(ctx(), s.SID, carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(e.group)})
		require.NoError(t, err)
		assert.Equal(t, 404, statusOf(e.a.DeleteSubscriberMeetingRoom(ctx(), e.owner.SID, r.MeetingNumber)))
		require.NoError(t, e.a.DeleteSubscriberMeetingRoom(ctx(), s.SID, r.MeetingNumber))
		_, err = e.a.GetSubscriberMeetingRoom(ctx(), s.SID, r.MeetingNumber)
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["conference_v1 POST /subscribers/{sid}/meetingRooms/{meetingNumber}/keychain"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		k, err := e.a.CreateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, carrierx.ConfV1MeetingKeyUpdate{AccessCode: carrierx.Set("3141591"),
			Role: carrierx.Set(carrierx.ConfV1RoleParticipant)})
		require.NoError(t, err)
		assert.Equal(t, "3141591", k.AccessCode)
		assert.Positive(t, k.MeetingRoomID, "the create answer names the room")
		_, err = e.a.CreateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, carrierx.ConfV1MeetingKeyUpdate{AccessCode: carrierx.Set("3141591"),
			Role: carrierx.Set(carrierx.ConfV1RoleHost)})
		assert.Equal(t, 422, statusOf(err), "access codes are unique")
		_, err = e.a.CreateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, carrierx.ConfV1MeetingKeyUpdate{Role: carrierx.Set(4)})
		assert.Equal(t, 422, statusOf(err))
		room, err := e.a.GetMeetingRoom(ctx(), r.MeetingNumber)
		require.NoError(t, err)
		assert.Len(t, room.Keychain, 4)
	}
	exercised["conference_v1 GET /subscribers/{sid}/meetingRooms/{meetingNumber}/keychain"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		p, err := e.a.ListMeetingKeys(ctx(), e.owner.SID, r.MeetingNumber, carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Equal(t, r.Keychain, p.Items)
		p, err = e.a.ListMeetingKeys(ctx(), e.owner.SID, r.MeetingNumber, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("role", carrierx.ConfV1RoleListener)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, carrierx.ConfV1RoleListener, p.Items[0].Role)
	}
	exercised["conference_v1 GET /subscribers/{sid}/meetingRooms/{meetingNumber}/keychain/{meetingKeyId}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		k, err := e.a.GetMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[1].ID)
		require.NoError(t, err)
		assert.Equal(t, r.Keychain[1], *k)
		assert.Zero(t, k.MeetingRoomID, "GET answers no meetingRoomId")
		_, err = e.a.GetMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[1].ID+1000)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["conference_v1 PUT /subscribers/{sid}/meetingRooms/{meetingNumber}/keychain/{meetingKeyId}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		k, err := e.a.UpdateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[2].ID, carrierx.ConfV1MeetingKeyUpdate{AccessCode: carrierx.Set("55")})
		require.NoError(t, err)
		assert.Equal(t, "55", k.AccessCode)
		assert.Equal(t, carrierx.ConfV1RoleListener, k.Role, "PUT keeps what it does not name")
		_, err = e.a.UpdateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[2].ID, carrierx.ConfV1MeetingKeyUpdate{AccessCode: carrierx.Set(r.Keychain[0].AccessCode)})
		assert.Equal(t, 422, statusOf(err), "access codes are unique")
		_, err = e.a.UpdateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[2].ID, carrierx.ConfV1MeetingKeyUpdate{AccessCode: carrierx.Set("12ab")})
		assert.Equal(t, 422, statusOf(err), "access codes are digits")
	}
	exercised["conference_v1 DELETE /subscribers/{sid}/meetingRooms/{meetingNumber}/keychain/{meetingKeyId}"] = func(t *testing.T, f *fixture) {
		e := cv1New(t, f)
		r := cv1Room(t, e)
		require.NoError(t, e.a.DeleteMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[0].ID))
		_, err := e.a.GetMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, r.Keychain[0].ID)
		assert.Equal(t, 404, statusOf(err))
		room, err := e.a.GetMeetingRoom(ctx(), r.MeetingNumber)
		require.NoError(t, err)
		assert.Equal(t, r.Keychain[1:], room.Keychain)
		// The freed code can be used again.
		_, err = e.a.CreateMeetingKey(ctx(), e.owner.SID, r.MeetingNumber, carrierx.ConfV1MeetingKeyUpdate{AccessCode: carrierx.Set(r.Keychain[0].AccessCode),
			Role: carrierx.Set(carrierx.ConfV1RoleHost)})
		assert.NoError(t, err)
	}
}

func cv1Flow(t *testing.T, e *cv1Env) int64 {
	t.Helper()
	p, err := e.a.ListCallFlows(ctx(), carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	return p.Items[0].ID
}
