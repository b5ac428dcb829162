package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Conferences: the console of each Conference v2 endpoint. The endpoint is
// read from Core with the partner's token (so a partner reaches only its
// own), and its conference API is then called with the endpoint's own
// credentials: meeting rooms with their access codes, DID groups and
// numbers, meetings in progress with their callers. Finished meetings come
// from the report cache.

// confRoles are the access roles, in the order shown.
var confRoles = []string{carrierx.ConfV2RoleHost, carrierx.ConfV2RoleParticipant, carrierx.ConfV2RoleListener}

var confRoleLabels = map[string]string{
	carrierx.ConfV2RoleHost:        "Host",
	carrierx.ConfV2RoleParticipant: "Participant",
	carrierx.ConfV2RoleListener:    "Listener",
}

func confRoleLabel(r string) string {
	if l := confRoleLabels[r]; l != "" {
		return l
	}
	return r
}

func confRoleOptions() []views.Option {
	out := make([]views.Option, 0, len(confRoles))
	for _, r := range confRoles {
		out = append(out, views.Option{Value: r, Label: confRoleLabel(r)})
	}
	return out
}

// conference is the Conference v2 endpoint named in the URL, with a client
// for its API.
type conference struct {
	ep   *carrierx.Endpoint
	api  *carrierx.ConferenceV2
	view views.ConferenceEndpoint
}

// confEndpoint reads the conference endpoint (v2 or v1) named by :ep with
// the partner's token. On failure it returns nil and the error to return
// (nil when the answer is already written).
func (s *Server) confEndpoint(c echo.Context) (*carrierx.Endpoint, error) {
	ep, err := s.client(c).GetEndpoint(c.Request().Context(), c.Param("ep"))
	if err != nil {
		return nil, s.failCarrierX(c, err)
	}
	if ep.Type != carrierx.EndpointConferenceV2 && ep.Type != carrierx.EndpointConference {
		return nil, echo.NewHTTPError(http.StatusNotFound, endpointLabel(*ep)+" is not a conference endpoint.")
	}
	return ep, nil
}

// openConference reads the Conference v2 endpoint named by :ep; see
// confEndpoint.
func (s *Server) openConference(c echo.Context) (*conference, error) {
	ep, err := s.confEndpoint(c)
	if ep == nil {
		return nil, err
	}
	if ep.Type != carrierx.EndpointConferenceV2 {
		return nil, echo.NewHTTPError(http.StatusNotFound, endpointLabel(*ep)+" is a legacy Conference v1 endpoint: this page is for Conference v2.")
	}
	return s.conferenceOf(c, ep)
}

// conferenceOf is a Conference v2 endpoint with a client for its API.
func (s *Server) conferenceOf(c echo.Context, ep *carrierx.Endpoint) (*conference, error) {
	api, err := s.client(c).ConferenceV2(*ep)
	if err != nil {
		return nil, unusableAPI(err)
	}
	return &conference{ep: ep, api: api, view: views.ConferenceEndpoint{SID: ep.EndpointSID, Name: ep.Name,
		AccountSID: ep.Properties["account_sid"]}}, nil
}

// unusableAPI says why an endpoint's API cannot be called (its api_url or
// credentials are unfit).
func unusableAPI(err error) error {
	return echo.NewHTTPError(http.StatusBadGateway, "The endpoint's conference API cannot be used: "+strings.TrimPrefix(err.Error(), "carrierx: ")+".")
}

// explainConference is explain for calls made with an endpoint's own
// credentials: a 401 there is about those credentials, not the user's sign-in.
func explainConference(err error) problem {
	p := explain(err)
	if p.Expired {
		p.Expired = false
		p.Message = "CarrierX refused the endpoint's API credentials (HTTP 401): they may have changed. Check them on the endpoint's page."
	}
	return p
}

// consoleOutage is the message of an outage (CarrierX unreachable or
// failing), which a console page shows over what it could read, rather
// than an error page; ok is false for any other error.
func consoleOutage(err error) (msg string, ok bool) {
	p := explainConference(err)
	return p.Message, p.Outage
}

// failConference turns a conference API error into the page's answer.
func failConference(err error) error {
	p := explainConference(err)
	status := http.StatusBadGateway
	if !p.Outage && p.Status >= 400 && p.Status < 500 {
		status = p.Status
	}
	return echo.NewHTTPError(status, p.Message)
}

// refusedStatus is the status of a change CarrierX refused, for a fragment
// that shows the refusal in place.
func refusedStatus(p problem) int {
	switch {
	case p.Outage:
		return http.StatusBadGateway
	case p.Status == http.StatusConflict || p.Status == http.StatusNotFound:
		return p.Status
	}
	return http.StatusUnprocessableEntity
}

// confAll collects an iterator's items.
func confAll[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (cf *conference) rooms(ctx context.Context) ([]carrierx.ConfV2MeetingRoom, error) {
	return confAll(cf.api.AllMeetingRooms(ctx, carrierx.ListOptions{Limit: 1000, Order: "name asc"}))
}

func (cf *conference) groups(ctx context.Context) ([]carrierx.ConfV2DIDGroup, error) {
	return confAll(cf.api.AllDIDGroups(ctx, carrierx.ListOptions{Limit: 1000, Order: "name asc"}))
}

func (cf *conference) meetings(ctx context.Context, f carrierx.Filter) ([]carrierx.ConfV2Meeting, error) {
	return confAll(cf.api.AllMeetings(ctx, carrierx.ListOptions{Limit: 1000, Filter: f, Order: "date_created asc"}))
}

func (cf *conference) calls(ctx context.Context, f carrierx.Filter) ([]carrierx.ConfV2Call, error) {
	return confAll(cf.api.AllCalls(ctx, carrierx.ListOptions{Limit: 1000, Filter: f, Order: "date_created asc"}))
}

// flowNames names CarrierX's call flows by SID.
func (cf *conference) flowNames(ctx context.Context) (map[string]string, error) {
	page, err := cf.api.ListCallFlows(ctx, carrierx.ListOptions{Limit: 100})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range page.Items {
		out[f.CallFlowSID] = f.Name
	}
	return out, nil
}

// connecting counts the calls that have not joined a meeting yet.
func connecting(calls []carrierx.ConfV2Call) int {
	n := 0
	for _, c := range calls {
		if c.MeetingSID == nil {
			n++
		}
	}
	return n
}

func roomNames(rooms []carrierx.ConfV2MeetingRoom) map[string]string {
	out := make(map[string]string, len(rooms))
	for _, r := range rooms {
		out[r.MeetingRoomSID] = r.Name
	}
	return out
}

// confDuration says a number of seconds as 1h 02m 05s.
func confDuration(secs int) string {
	if secs < 0 {
		secs = 0
	}
	h, m, sec := secs/3600, secs/60%60, secs%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh %02dm %02ds", h, m, sec)
	case m > 0:
		return fmt.Sprintf("%dm %02ds", m, sec)
	}
	return fmt.Sprintf("%ds", sec)
}

func meetingRow(m carrierx.ConfV2Meeting, rooms map[string]string, loc *time.Location) views.ConferenceMeetingRow {
	return views.ConferenceMeetingRow{SID: m.MeetingSID, RoomSID: m.MeetingRoomSID, RoomName: orName(rooms[m.MeetingRoomSID], m.MeetingRoomSID),
		Started: fmtTimeValue(m.DateCreated, loc), Duration: confDuration(m.Duration),
		Hosts: m.Attendees.Hosts, Participants: m.Attendees.Participants, Listeners: m.Attendees.Listeners,
		ParticipantMuted: m.ParticipantMuted, OnHold: deref(m.OnHold), Locked: m.Locked, Recording: m.Recording}
}

var sipUserRE = regexp.MustCompile(`sip:([^@;>]+)`)

// callerNumber is the number in a SIP-style address such as
// <sip:+15551234567@198.51.100.7>, written as +1 555-123-4567.
func callerNumber(addr string) string {
	n := strings.TrimSpace(addr)
	if m := sipUserRE.FindStringSubmatch(addr); m != nil {
		n = m[1]
	}
	d := strings.TrimPrefix(n, "+")
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return n
	}
	if len(d) == 11 && d[0] == '1' {
		return "+1 " + d[1:4] + "-" + d[4:7] + "-" + d[7:]
	}
	return "+" + d
}

// listConferences lists the partner's conference endpoints with their
// rooms and meetings in progress.
func (s *Server) listConferences(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	pg := s.page(c, "Conferences", "conferences")
	var d views.ConferencesData
	opts := carrierx.ListOptions{Limit: 1000, Order: "name asc",
		Filter: carrierx.Filter{}.In("type", carrierx.EndpointConferenceV2, carrierx.EndpointConference)}
	for ep, err := range cx.AllEndpoints(ctx, opts) {
		if err != nil {
			p := explain(err)
			if p.Expired {
				return s.endSession(c)
			}
			d.Error = p.Message
			if p.Outage {
				pg.Outage = p.Message
			}
			break
		}
		row := views.ConferenceEndpointRow{SID: ep.EndpointSID, Name: ep.Name, TypeLabel: endpointTypeLabel(ep.Type)}
		if ep.Type == carrierx.EndpointConference {
			row.Rooms, row.Live, row.Error = s.confV1Counts(ctx, cx, ep)
		} else {
			row.Rooms, row.Live, row.Error = s.conferenceCounts(ctx, cx, ep)
		}
		d.Rows = append(d.Rows, row)
	}
	return render(c, http.StatusOK, views.ConferencesPage(pg, d))
}

// conferenceCounts are an endpoint's rooms and meetings in progress.
func (s *Server) conferenceCounts(ctx context.Context, cx *carrierx.Client, ep carrierx.Endpoint) (rooms, live, problemText string) {
	api, err := cx.ConferenceV2(ep)
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
	return pageTotal(rp), pageTotal(mp), ""
}

// pageTotal is a list's total, or what is known of it.
func pageTotal[T any](p *carrierx.Page[T]) string {
	if p.Total != nil {
		return strconv.Itoa(*p.Total)
	}
	if p.HasMore {
		return strconv.Itoa(len(p.Items)) + "+"
	}
	return strconv.Itoa(len(p.Items))
}

// showConference is an endpoint's conference console.
func (s *Server) showConference(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	ep, err := s.confEndpoint(c)
	if ep == nil {
		return err
	}
	if ep.Type == carrierx.EndpointConference {
		return s.showConfV1(c, ep)
	}
	cf, err := s.conferenceOf(c, ep)
	if cf == nil {
		return err
	}
	pg := s.page(c, orName(cf.ep.Name, "Conference"), "conferences")
	d, err := s.conferenceData(ctx, cf, a)
	if err != nil {
		msg, ok := consoleOutage(err)
		if !ok {
			return failConference(err)
		}
		pg.Outage = msg
		d = views.ConferenceData{Endpoint: cf.view, Unavailable: msg}
	}
	return render(c, http.StatusOK, views.ConferencePage(pg, d))
}

func (s *Server) conferenceData(ctx context.Context, cf *conference, a *auth) (views.ConferenceData, error) {
	loc := a.location()
	d := views.ConferenceData{Endpoint: cf.view}
	acc, err := cf.api.WhoAmI(ctx)
	if err != nil {
		return d, err
	}
	flows, err := cf.flowNames(ctx)
	if err != nil {
		return d, err
	}
	d.Endpoint.AccountSID, d.Endpoint.AccountName = acc.AccountSID, acc.Name
	d.Endpoint.CallFlow = orName(flows[acc.CallFlowSID], acc.CallFlowSID)
	rooms, err := cf.rooms(ctx)
	if err != nil {
		return d, err
	}
	groups, err := cf.groups(ctx)
	if err != nil {
		return d, err
	}
	live, meetings, err := s.confLive(ctx, cf, rooms, loc)
	if err != nil {
		return d, err
	}
	d.Live = live
	inProgress := map[string]string{}
	for _, m := range meetings {
		inProgress[m.MeetingRoomSID] = m.MeetingSID
	}
	gnames := groupNames(groups)
	for _, r := range rooms {
		row := confRoomRow(r, gnames)
		row.LiveMeeting = inProgress[r.MeetingRoomSID]
		d.Rooms = append(d.Rooms, row)
	}
	d.NewRoom = newConfRoomForm(cf.ep.EndpointSID, groupOptions(groups), a.CSRF)
	d.Numbers, err = s.confNumbers(ctx, cf, a.CSRF, rooms, groups, flows)
	if err != nil {
		return d, err
	}
	d.Records = s.confRecords(ctx, a, cf.ep.EndpointSID, "", roomNames(rooms))
	return d, nil
}

// confLive is the endpoint's meetings in progress.
func (s *Server) confLive(ctx context.Context, cf *conference, rooms []carrierx.ConfV2MeetingRoom, loc *time.Location) (views.ConferenceLiveMeetings, []carrierx.ConfV2Meeting, error) {
	l := views.ConferenceLiveMeetings{EndpointSID: cf.ep.EndpointSID, MeetingBase: "/conferences/" + cf.ep.EndpointSID + "/meetings/"}
	meetings, err := cf.meetings(ctx, carrierx.Filter{})
	if err != nil {
		return l, nil, err
	}
	calls, err := cf.calls(ctx, carrierx.Filter{})
	if err != nil {
		return l, nil, err
	}
	names := roomNames(rooms)
	for _, m := range meetings {
		l.Meetings = append(l.Meetings, meetingRow(m, names, loc))
	}
	l.Connecting = connecting(calls)
	return l, meetings, nil
}

// conferenceLivePart answers the endpoint's meetings in progress, polled.
func (s *Server) conferenceLivePart(c echo.Context) error {
	ctx := c.Request().Context()
	ep, err := s.confEndpoint(c)
	if ep == nil {
		return err
	}
	if ep.Type == carrierx.EndpointConference {
		return s.confV1LivePart(c, ep)
	}
	cf, err := s.conferenceOf(c, ep)
	if cf == nil {
		return err
	}
	var l views.ConferenceLiveMeetings
	rooms, err := cf.rooms(ctx)
	if err == nil {
		l, _, err = s.confLive(ctx, cf, rooms, authOf(c).location())
	}
	if err != nil {
		l = views.ConferenceLiveMeetings{EndpointSID: cf.ep.EndpointSID, MeetingBase: "/conferences/" + cf.ep.EndpointSID + "/meetings/",
			Error: explainConference(err).Message}
	}
	return render(c, http.StatusOK, views.ConferenceLiveMeetingsView(l))
}

// confRecords are the cached finished meetings of an endpoint (or one of
// its rooms), newest first.
func (s *Server) confRecords(ctx context.Context, a *auth, endpointSID, roomSID string, rooms map[string]string) views.ConferenceRecords {
	loc := a.location()
	out := views.ConferenceRecords{ShowRoom: roomSID == "",
		MeetingsURL: views.RecordsQuery{Path: "/records/conference-meetings", Preset: "90d"}.URL()}
	rows, total, err := s.db.ConferenceMeetingRecords(ctx, store.ConferenceRecordFilter{PartnerSID: a.PartnerSID,
		EndpointSID: endpointSID, MeetingRoomSID: roomSID}, 20)
	if err != nil {
		s.log.Error("conference records", "endpoint", endpointSID, "err", err)
		out.Error = "The report cache could not be read."
		return out
	}
	out.Total = total
	for _, r := range rows {
		out.Rows = append(out.Rows, views.ConferenceRecordRow{SID: r.SID, RoomSID: r.MeetingRoomSID,
			RoomName: orName(rooms[r.MeetingRoomSID], r.MeetingRoomSID),
			Started:  fmtTimeValue(r.DateStart, loc), Ended: fmtTimeValue(r.DateStop, loc), Duration: r.Duration,
			Participants: strconv.Itoa(r.Participants), Calls: strconv.Itoa(r.Calls),
			CallsURL: confCallsURL(r, loc)})
	}
	return out
}

// confCallsURL is the call explorer narrowed to a meeting's calls, over the
// minutes the meeting lasted.
func confCallsURL(r store.ConferenceMeetingRecord, loc *time.Location) string {
	q := views.RecordsQuery{Path: "/records/conference-calls", Preset: "90d", Group: r.SID}
	if !r.DateStart.IsZero() && !r.DateStop.IsZero() {
		q.Preset = "custom"
		q.From = r.DateStart.In(loc).Truncate(time.Minute).Format(datetimeLocal)
		q.To = r.DateStop.In(loc).Truncate(time.Minute).Add(2 * time.Minute).Format(datetimeLocal)
	}
	return q.URL()
}
