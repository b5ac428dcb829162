package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Legacy (Conference v1) endpoints: rooms known by meeting number with
// their keychains, DID groups with their numbers, meetings in progress
// with their callers. Unlike v2, v1 can hang up one call, so a caller can
// be removed.

// confV1Roles names v1's integer roles.
var confV1Roles = map[int]string{
	carrierx.ConfV1RoleHost:        carrierx.ConfV2RoleHost,
	carrierx.ConfV1RoleParticipant: carrierx.ConfV2RoleParticipant,
	carrierx.ConfV1RoleListener:    carrierx.ConfV2RoleListener,
}

func confV1Role(r int) string {
	if s := confV1Roles[r]; s != "" {
		return s
	}
	return "role " + strconv.Itoa(r)
}

// conferenceV1 is the legacy endpoint named in the URL with its API.
type conferenceV1 struct {
	ep   *carrierx.Endpoint
	api  *carrierx.ConferenceV1
	view views.ConferenceEndpoint
}

func (s *Server) conferenceV1Of(c echo.Context, ep *carrierx.Endpoint) (*conferenceV1, error) {
	api, err := s.client(c).ConferenceV1(*ep)
	if err != nil {
		return nil, unusableAPI(err)
	}
	return &conferenceV1{ep: ep, api: api, view: views.ConferenceEndpoint{SID: ep.EndpointSID, Name: ep.Name,
		AccountSID: ep.Properties["account_sid"]}}, nil
}

// openConferenceV1 reads the legacy endpoint named by :ep; see confEndpoint.
func (s *Server) openConferenceV1(c echo.Context) (*conferenceV1, error) {
	ep, err := s.confEndpoint(c)
	if ep == nil {
		return nil, err
	}
	if ep.Type != carrierx.EndpointConference {
		return nil, echo.NewHTTPError(http.StatusNotFound, endpointLabel(*ep)+" is not a legacy Conference v1 endpoint.")
	}
	return s.conferenceV1Of(c, ep)
}

// confV1All reads every page of a v1 list.
func confV1All[T any](fetch func(carrierx.ListOptions) (*carrierx.ConfV1Page[T], error)) ([]T, error) {
	var out []T
	for off := 0; ; {
		p, err := fetch(carrierx.ListOptions{Limit: 1000, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		off += len(p.Items)
		if len(p.Items) == 0 || off >= p.Total {
			return out, nil
		}
	}
}

func (cf *conferenceV1) meetings(ctx context.Context) ([]carrierx.ConfV1Meeting, error) {
	return confV1All(func(o carrierx.ListOptions) (*carrierx.ConfV1Page[carrierx.ConfV1Meeting], error) {
		return cf.api.ListMeetings(ctx, o)
	})
}

func (cf *conferenceV1) calls(ctx context.Context) ([]carrierx.ConfV1Call, error) {
	return confV1All(func(o carrierx.ListOptions) (*carrierx.ConfV1Page[carrierx.ConfV1Call], error) {
		return cf.api.ListCalls(ctx, o)
	})
}

func (cf *conferenceV1) groups(ctx context.Context) ([]carrierx.ConfV1DIDGroup, error) {
	return confV1All(func(o carrierx.ListOptions) (*carrierx.ConfV1Page[carrierx.ConfV1DIDGroup], error) {
		return cf.api.ListDIDGroups(ctx, o)
	})
}

func confV1GroupOptions(groups []carrierx.ConfV1DIDGroup) []views.Option {
	out := make([]views.Option, 0, len(groups))
	for _, g := range groups {
		out = append(out, views.Option{Value: strconv.FormatInt(g.ID, 10), Label: orName(g.Name, "DID group "+strconv.FormatInt(g.ID, 10))})
	}
	return out
}

func confV1Codes(keys []carrierx.ConfV1MeetingKey) []views.ConferenceAccessCode {
	ks := append([]carrierx.ConfV1MeetingKey(nil), keys...)
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].Role < ks[j].Role })
	out := make([]views.ConferenceAccessCode, 0, len(ks))
	for _, k := range ks {
		role := confV1Role(k.Role)
		out = append(out, views.ConferenceAccessCode{Role: role, RoleLabel: confRoleLabel(role), Code: k.AccessCode})
	}
	return out
}

func confV1MeetingRow(m carrierx.ConfV1Meeting, loc *time.Location) views.ConferenceMeetingRow {
	n := strconv.FormatInt(m.MeetingNumber, 10)
	return views.ConferenceMeetingRow{SID: n, RoomSID: n, RoomName: "Room " + n, Started: fmtTimeValue(m.Created.Time(), loc),
		Duration: confDuration(m.Duration), Participants: m.ParticipantCount, Recording: m.IsRecording}
}

// confV1Counts are a legacy endpoint's rooms and meetings in progress.
func (s *Server) confV1Counts(ctx context.Context, cx *carrierx.Client, ep carrierx.Endpoint) (rooms, live, problemText string) {
	api, err := cx.ConferenceV1(ep)
	if err != nil {
		return "", "", "Its conference API cannot be used: " + strings.TrimPrefix(err.Error(), "carrierx: ")
	}
	rp, err := api.ListMeetingRooms(ctx, carrierx.ListOptions{Limit: 1})
	if err != nil {
		return "", "", explainConference(err).Message
	}
	mp, err := api.ListMeetings(ctx, carrierx.ListOptions{Limit: 1})
	if err != nil {
		return "", "", explainConference(err).Message
	}
	return strconv.Itoa(rp.Total), strconv.Itoa(mp.Total), ""
}

// confV1Live is the endpoint's meetings in progress.
func (s *Server) confV1Live(ctx context.Context, cf *conferenceV1, loc *time.Location) (views.ConferenceLiveMeetings, []carrierx.ConfV1Meeting, error) {
	l := views.ConferenceLiveMeetings{EndpointSID: cf.ep.EndpointSID, MeetingBase: "/conferences/" + cf.ep.EndpointSID + "/v1/meetings/"}
	meetings, err := cf.meetings(ctx)
	if err != nil {
		return l, nil, err
	}
	for _, m := range meetings {
		l.Meetings = append(l.Meetings, confV1MeetingRow(m, loc))
	}
	return l, meetings, nil
}

func (s *Server) confV1LivePart(c echo.Context, ep *carrierx.Endpoint) error {
	cf, err := s.conferenceV1Of(c, ep)
	if cf == nil {
		return err
	}
	l, _, err := s.confV1Live(c.Request().Context(), cf, authOf(c).location())
	if err != nil {
		l.Error = explainConference(err).Message
	}
	return render(c, http.StatusOK, views.ConferenceLiveMeetingsView(l))
}

// showConfV1 is a legacy endpoint's console.
func (s *Server) showConfV1(c echo.Context, ep *carrierx.Endpoint) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.conferenceV1Of(c, ep)
	if cf == nil {
		return err
	}
	pg := s.page(c, orName(ep.Name, "Conference"), "conferences")
	d, err := s.confV1Data(ctx, cf, a)
	if err != nil {
		msg, ok := consoleOutage(err)
		if !ok {
			return failConference(err)
		}
		pg.Outage = msg
		d = views.ConferenceV1Data{Endpoint: cf.view, Unavailable: msg}
	}
	return render(c, http.StatusOK, views.ConferenceV1Page(pg, d))
}

func (s *Server) confV1Data(ctx context.Context, cf *conferenceV1, a *auth) (views.ConferenceV1Data, error) {
	d := views.ConferenceV1Data{Endpoint: cf.view, Dial: s.confV1Demo() != nil, CSRF: a.CSRF}
	owner, err := cf.api.WhoAmI(ctx)
	if err != nil {
		return d, err
	}
	d.Subscriber = owner.Login
	groups, err := cf.groups(ctx)
	if err != nil {
		return d, err
	}
	flows, err := confV1All(func(o carrierx.ListOptions) (*carrierx.ConfV1Page[carrierx.ConfV1CallFlow], error) {
		return cf.api.ListCallFlows(ctx, o)
	})
	if err != nil {
		return d, err
	}
	dids, err := confV1All(func(o carrierx.ListOptions) (*carrierx.ConfV1Page[carrierx.ConfV1DID], error) {
		return cf.api.ListDIDs(ctx, o)
	})
	if err != nil {
		return d, err
	}
	rooms, err := confV1All(func(o carrierx.ListOptions) (*carrierx.ConfV1Page[carrierx.ConfV1MeetingRoom], error) {
		return cf.api.ListMeetingRooms(ctx, o)
	})
	if err != nil {
		return d, err
	}
	live, meetings, err := s.confV1Live(ctx, cf, a.location())
	if err != nil {
		return d, err
	}
	d.Live = live
	inProgress := map[int64]bool{}
	for _, m := range meetings {
		inProgress[m.MeetingNumber] = true
	}
	flowNames := map[int64]string{}
	for _, f := range flows {
		flowNames[f.ID] = f.Name
	}
	names := map[int64]string{}
	numbers := map[int64][]string{}
	for _, n := range dids {
		numbers[n.DIDGroupID] = append(numbers[n.DIDGroupID], callerNumber(n.PhoneNumber))
	}
	for _, g := range groups {
		names[g.ID] = g.Name
		d.Groups = append(d.Groups, views.ConferenceV1Group{ID: strconv.FormatInt(g.ID, 10), Name: g.Name,
			CallFlow: flowNames[g.CallFlowID], Numbers: numbers[g.ID]})
	}
	sort.Slice(rooms, func(i, j int) bool { return rooms[i].MeetingNumber < rooms[j].MeetingNumber })
	for _, r := range rooms {
		d.Rooms = append(d.Rooms, views.ConferenceV1Room{Number: strconv.FormatInt(r.MeetingNumber, 10), Description: r.Description,
			Codes: confV1Codes(r.Keychain), DIDGroup: orName(names[r.PrimaryDIDGroupID], strconv.FormatInt(r.PrimaryDIDGroupID, 10)),
			LiveMeeting: inProgress[r.MeetingNumber]})
	}
	d.NewRoom = views.ConferenceV1RoomForm{EndpointSID: cf.ep.EndpointSID, Groups: confV1GroupOptions(groups), CSRF: a.CSRF}
	d.Records = s.confRecords(ctx, a, cf.ep.EndpointSID, "", nil)
	d.Records.ShowRoom = false
	return d, nil
}

// createConfV1Room creates a legacy room with a generated code of each role.
func (s *Server) createConfV1Room(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConferenceV1(c)
	if cf == nil {
		return err
	}
	groups, err := cf.groups(ctx)
	if err != nil {
		return failConference(err)
	}
	f := views.ConferenceV1RoomForm{EndpointSID: cf.ep.EndpointSID, Description: strings.TrimSpace(c.FormValue("description")),
		DIDGroupID: c.FormValue("did_group_id"), Groups: confV1GroupOptions(groups), Errors: map[string]string{}, CSRF: a.CSRF}
	back := "/conferences/" + cf.ep.EndpointSID
	show := func(status int, msg string) error {
		f.Message = msg
		return s.formReply(c, back, status, flashError(msg), func() templ.Component { return views.ConferenceV1RoomFormView(f) })
	}
	group, err := strconv.ParseInt(f.DIDGroupID, 10, 64)
	if err != nil || group <= 0 {
		f.Errors["primaryDidGroupId"] = "Choose the DID group whose numbers reach the room."
		return show(http.StatusUnprocessableEntity, "Not created: correct the fields marked below.")
	}
	if len(f.Description) > 255 {
		f.Errors["description"] = "At most 255 characters."
		return show(http.StatusUnprocessableEntity, "Not created: correct the fields marked below.")
	}
	u := carrierx.ConfV1MeetingRoomUpdate{PrimaryDIDGroupID: carrierx.Set(group), Keychain: carrierx.Set([]carrierx.ConfV1MeetingKey{
		{Role: carrierx.ConfV1RoleHost}, {Role: carrierx.ConfV1RoleParticipant}, {Role: carrierx.ConfV1RoleListener}})}
	if f.Description != "" {
		u.Description = carrierx.Set(f.Description)
	}
	label := orName(f.Description, "meeting room") + " on " + endpointLabel(*cf.ep)
	room, err := cf.api.CreateMeetingRoom(ctx, u)
	if err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "meeting room", ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message})
		f.Errors = p.Fields
		return show(refusedStatus(p), "Not created: "+p.Message)
	}
	number := strconv.FormatInt(room.MeetingNumber, 10)
	roles := make([]string, 0, len(room.Keychain))
	for _, k := range room.Keychain {
		roles = append(roles, confV1Role(k.Role))
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: "room " + number + " (" + label + ")",
		Outcome: store.OutcomeOK, After: jsonOf(map[string]any{"meetingNumber": room.MeetingNumber, "description": room.Description,
			"primaryDidGroupId": room.PrimaryDIDGroupID, "access_code_roles": roles})})
	return s.redirectWithFlash(c, back, flashOK("Created the meeting room "+number+" with "+strconv.Itoa(len(room.Keychain))+" access code(s)."))
}

// confV1Demo is the built-in sandbox's legacy test callers, if any.
func (s *Server) confV1Demo() interface {
	DialIntoConferenceV1(accountSID, meetingNumber string, n int) error
} {
	d, _ := s.cfg.Demo.(interface {
		DialIntoConferenceV1(accountSID, meetingNumber string, n int) error
	})
	return d
}

func (s *Server) dialConfV1Room(c echo.Context) error {
	a := authOf(c)
	demo := s.confV1Demo()
	if demo == nil {
		return echo.NewHTTPError(http.StatusNotFound, "Test callers exist only in the built-in sandbox.")
	}
	cf, err := s.openConferenceV1(c)
	if cf == nil {
		return err
	}
	num, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such meeting room.")
	}
	room, err := cf.api.GetMeetingRoom(c.Request().Context(), num)
	if err != nil {
		return failConference(err)
	}
	number := strconv.FormatInt(room.MeetingNumber, 10)
	f := views.ConferenceV1Dial{EndpointSID: cf.ep.EndpointSID, Number: number, Count: strings.TrimSpace(c.FormValue("count")), CSRF: a.CSRF}
	back := "/conferences/" + cf.ep.EndpointSID
	n, err := strconv.Atoi(f.Count)
	if err != nil || n < 1 || n > 20 {
		f.Message = "From 1 to 20 callers."
		return s.formReply(c, back, http.StatusUnprocessableEntity, flashError("No callers sent: "+f.Message), func() templ.Component { return views.ConferenceV1DialView(f) })
	}
	label := "room " + number + " on " + endpointLabel(*cf.ep)
	if err := demo.DialIntoConferenceV1(cf.view.AccountSID, number, n); err != nil {
		s.audit(c, a, store.AuditEntry{Action: "dial test callers", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: err.Error()})
		f.Message = "No callers sent: " + err.Error()
		return s.formReply(c, back, http.StatusUnprocessableEntity, flashError(f.Message), func() templ.Component { return views.ConferenceV1DialView(f) })
	}
	msg := strconv.Itoa(n) + " test caller(s) dialled into room " + number + "."
	s.audit(c, a, store.AuditEntry{Action: "dial test callers", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: label,
		Outcome: store.OutcomeOK, Message: msg})
	f.Message = msg
	return s.formReply(c, back, http.StatusOK, flashOK(msg), func() templ.Component { return views.ConferenceV1DialView(f) })
}

func confV1Participant(c carrierx.ConfV1Call, loc *time.Location) views.ConferenceParticipant {
	role := confV1Role(c.Role)
	p := views.ConferenceParticipant{CallSID: strconv.FormatInt(c.ID, 10), Number: callerNumber(orName(c.Caller, c.AddressFrom)),
		Name: c.CustomName, Role: role, RoleLabel: confRoleLabel(role), Muted: c.Muted(), OnHold: c.HoldMode != 0}
	inMeeting := c.Duration
	if c.Joined > 0 {
		p.Joined = c.Joined.Time().In(loc).Format("15:04:05")
		inMeeting -= int(c.Joined.Time().Sub(c.Created.Time()).Seconds())
	}
	p.InMeeting = confDuration(inMeeting)
	return p
}

func confV1MeetingBase(epSID string, number int64) string {
	return "/conferences/" + epSID + "/v1/meetings/" + strconv.FormatInt(number, 10)
}

// confV1MeetingLive reads a legacy meeting and its callers.
func (s *Server) confV1MeetingLive(ctx context.Context, cf *conferenceV1, number int64, a *auth) views.ConferenceMeetingLive {
	l := views.ConferenceMeetingLive{EndpointSID: cf.ep.EndpointSID, MeetingSID: strconv.FormatInt(number, 10),
		BasePath: confV1MeetingBase(cf.ep.EndpointSID, number), CanRemove: true, CSRF: a.CSRF}
	m, err := cf.api.GetMeeting(ctx, number)
	if carrierx.StatusOf(err) == http.StatusNotFound {
		return l
	}
	if err != nil {
		l.Error = explainConference(err).Message
		return l
	}
	row := confV1MeetingRow(*m, a.location())
	calls, err := cf.calls(ctx)
	if err != nil {
		l.Meeting, l.Error = &row, explainConference(err).Message
		return l
	}
	var mine []carrierx.ConfV1Call
	for _, c := range calls {
		if c.MeetingNumber == number {
			mine = append(mine, c)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].Joined < mine[j].Joined })
	row.Hosts, row.Participants, row.Listeners = 0, 0, 0
	for _, c := range mine {
		switch c.Role {
		case carrierx.ConfV1RoleHost:
			row.Hosts++
		case carrierx.ConfV1RoleListener:
			row.Listeners++
		default:
			row.Participants++
		}
		l.Callers = append(l.Callers, confV1Participant(c, a.location()))
	}
	l.Meeting = &row
	return l
}

func confV1Number(c echo.Context) (int64, error) {
	n, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil || n <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound, "There is no such meeting.")
	}
	return n, nil
}

func (s *Server) showConfV1Meeting(c echo.Context) error {
	cf, err := s.openConferenceV1(c)
	if cf == nil {
		return err
	}
	number, err := confV1Number(c)
	if err != nil {
		return err
	}
	l := s.confV1MeetingLive(c.Request().Context(), cf, number, authOf(c))
	d := views.ConferenceMeetingData{Endpoint: cf.view, RoomName: "Room " + l.MeetingSID, Live: l}
	return render(c, http.StatusOK, views.ConferenceMeetingPage(s.page(c, "Live meeting "+d.RoomName, "conferences"), d))
}

func (s *Server) confV1MeetingLivePart(c echo.Context) error {
	cf, err := s.openConferenceV1(c)
	if cf == nil {
		return err
	}
	number, err := confV1Number(c)
	if err != nil {
		return err
	}
	l := s.confV1MeetingLive(c.Request().Context(), cf, number, authOf(c))
	s.fetchRecordsOnceEnded(c, l)
	return render(c, http.StatusOK, views.ConferenceMeetingLiveView(l))
}

// actConfV1Caller mutes, unmutes or hangs up one caller of a legacy meeting.
func (s *Server) actConfV1Caller(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		a := authOf(c)
		cf, err := s.openConferenceV1(c)
		if cf == nil {
			return err
		}
		number, err := confV1Number(c)
		if err != nil {
			return err
		}
		reply := func(status int, fl views.Flash) error {
			l := s.confV1MeetingLive(ctx, cf, number, a)
			return s.formReply(c, confV1MeetingBase(cf.ep.EndpointSID, number), status, fl,
				func() templ.Component { return views.ConferenceMeetingLiveView(l) })
		}
		id, perr := strconv.ParseInt(c.Param("call"), 10, 64)
		if perr != nil || id <= 0 {
			return reply(http.StatusNotFound, flashError("Not changed: that caller has left the meeting."))
		}
		call, err := cf.api.GetCall(ctx, id)
		if carrierx.StatusOf(err) == http.StatusNotFound {
			return reply(http.StatusNotFound, flashError("Not changed: that caller has left the meeting."))
		}
		if err != nil {
			p := explainConference(err)
			return reply(refusedStatus(p), flashError("Not changed: "+p.Message))
		}
		if call.MeetingNumber != number {
			return reply(http.StatusNotFound, flashError("Not changed: that caller is not in this meeting."))
		}
		who := callerNumber(orName(call.Caller, call.AddressFrom))
		label := who + " in room " + strconv.FormatInt(number, 10) + " on " + endpointLabel(*cf.ep)
		before := jsonOf(map[string]any{"muteMode": call.MuteMode, "role": confV1Role(call.Role)})
		var done string
		switch action {
		case "mute", "unmute":
			mode := 0
			if action == "mute" {
				mode = carrierx.ConfV1MuteModeMuted
			}
			if call.Muted() == (action == "mute") {
				return reply(http.StatusOK, flashInfo(who+" is already "+action+"d."))
			}
			_, err = cf.api.UpdateCall(ctx, call.ID, carrierx.ConfV1CallUpdate{MuteMode: carrierx.Set(mode)})
			done = "Muted "
			if action == "unmute" {
				done = "Unmuted "
			}
		case "remove":
			err = cf.api.HangUpCall(ctx, call.ID)
			done = "Removed "
		}
		if err != nil {
			p := explainConference(err)
			s.audit(c, a, store.AuditEntry{Action: action, ObjectType: "conference call", ObjectSID: strconv.FormatInt(call.ID, 10),
				ObjectLabel: label, Outcome: store.OutcomeError, Message: p.Message, Before: before})
			return reply(refusedStatus(p), flashError("Not changed: "+p.Message))
		}
		s.audit(c, a, store.AuditEntry{Action: action, ObjectType: "conference call", ObjectSID: strconv.FormatInt(call.ID, 10),
			ObjectLabel: label, Outcome: store.OutcomeOK, Before: before})
		return reply(http.StatusOK, flashOK(done+who+"."))
	}
}

func (s *Server) endConfV1Meeting(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConferenceV1(c)
	if cf == nil {
		return err
	}
	number, err := confV1Number(c)
	if err != nil {
		return err
	}
	reply := func(status int, fl views.Flash) error {
		l := s.confV1MeetingLive(ctx, cf, number, a)
		s.fetchRecordsOnceEnded(c, l)
		return s.formReply(c, confV1MeetingBase(cf.ep.EndpointSID, number), status, fl,
			func() templ.Component { return views.ConferenceMeetingLiveView(l) })
	}
	m, err := cf.api.GetMeeting(ctx, number)
	if carrierx.StatusOf(err) == http.StatusNotFound {
		return reply(http.StatusOK, flashInfo("The meeting had already ended."))
	}
	if err != nil {
		p := explainConference(err)
		return reply(refusedStatus(p), flashError("Not ended: "+p.Message))
	}
	label := "meeting in room " + strconv.FormatInt(number, 10) + " on " + endpointLabel(*cf.ep)
	before := jsonOf(map[string]any{"meetingNumber": number, "participantCount": m.ParticipantCount, "duration": m.Duration})
	if err := cf.api.EndMeeting(ctx, number); err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "end meeting", ObjectType: "conference meeting", ObjectSID: strconv.FormatInt(m.ID, 10),
			ObjectLabel: label, Outcome: store.OutcomeError, Message: p.Message, Before: before})
		return reply(refusedStatus(p), flashError("Not ended: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "end meeting", ObjectType: "conference meeting", ObjectSID: strconv.FormatInt(m.ID, 10),
		ObjectLabel: label, Outcome: store.OutcomeOK, Before: before})
	return reply(http.StatusOK, flashOK("Ended the meeting: "+strconv.Itoa(m.ParticipantCount)+" caller(s) disconnected."))
}
