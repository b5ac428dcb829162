package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Live meetings: who is on the call, in which role, since when, muted or
// not; the page asks for its participants every two seconds until the
// meeting ends. A caller can be muted and unmuted, and the meeting ended.
// Conference v2 has no way to disconnect one caller (its calls have no
// DELETE), so the page says so rather than pretending.

func confParticipant(c carrierx.ConfV2Call, loc *time.Location) views.ConferenceParticipant {
	p := views.ConferenceParticipant{CallSID: c.CallSID, Number: callerNumber(c.NumberSrc), Name: c.Name,
		Role: deref(c.Role), RoleLabel: confRoleLabel(deref(c.Role)), Muted: c.Muted, OnHold: c.OnHold}
	inMeeting := c.Duration
	if c.DateJoined != nil {
		p.Joined = c.DateJoined.In(loc).Format("15:04:05")
		inMeeting -= int(c.DateJoined.Sub(c.DateCreated).Seconds())
	}
	p.InMeeting = confDuration(inMeeting)
	return p
}

// joinedAt is when a call joined its meeting (when it was dialled, before).
func joinedAt(c carrierx.ConfV2Call) time.Time {
	if c.DateJoined != nil {
		return *c.DateJoined
	}
	return c.DateCreated
}

// confMeetingLive reads a meeting and its callers; a meeting CarrierX no
// longer has has ended.
func (s *Server) confMeetingLive(ctx context.Context, cf *conference, meetingSID string, a *auth) (views.ConferenceMeetingLive, *carrierx.ConfV2Meeting) {
	l := views.ConferenceMeetingLive{EndpointSID: cf.ep.EndpointSID, MeetingSID: meetingSID, CSRF: a.CSRF}
	m, err := cf.api.GetMeeting(ctx, meetingSID)
	if carrierx.StatusOf(err) == http.StatusNotFound {
		return l, nil
	}
	if err != nil {
		l.Error = explainConference(err).Message
		return l, nil
	}
	row := meetingRow(*m, nil, a.location())
	l.Meeting = &row
	calls, err := cf.calls(ctx, carrierx.Filter{}.Eq("meeting_sid", meetingSID))
	if err != nil {
		l.Error = explainConference(err).Message
		return l, m
	}
	loc := a.location()
	sort.SliceStable(calls, func(i, j int) bool { return joinedAt(calls[i]).Before(joinedAt(calls[j])) })
	for _, c := range calls {
		if deref(c.MeetingSID) != meetingSID {
			continue
		}
		l.Callers = append(l.Callers, confParticipant(c, loc))
	}
	return l, m
}

func (s *Server) showConfMeeting(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	l, m := s.confMeetingLive(ctx, cf, c.Param("meeting"), a)
	d := views.ConferenceMeetingData{Endpoint: cf.view, Live: l}
	if m != nil {
		d.RoomSID, d.RoomName = m.MeetingRoomSID, m.MeetingRoomSID
		if room, err := cf.api.GetMeetingRoom(ctx, m.MeetingRoomSID); err == nil {
			d.RoomName = confRoomLabel(*room)
		}
	}
	return render(c, http.StatusOK, views.ConferenceMeetingPage(s.page(c, "Live meeting "+orName(d.RoomName, ""), "conferences"), d))
}

func (s *Server) confMeetingLivePart(c echo.Context) error {
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	l, _ := s.confMeetingLive(c.Request().Context(), cf, c.Param("meeting"), authOf(c))
	s.fetchRecordsOnceEnded(c, l)
	return render(c, http.StatusOK, views.ConferenceMeetingLiveView(l))
}

// fetchRecordsOnceEnded asks the report sync to run for the partner when a
// meeting is seen to end (its page stops polling then), so its records
// reach Finished meetings without waiting for the next scheduled sync.
func (s *Server) fetchRecordsOnceEnded(c echo.Context, l views.ConferenceMeetingLive) {
	if l.Ended() {
		s.scheduler.SyncNow(authOf(c).PartnerSID)
	}
}

// muteConfCaller mutes or unmutes one caller of the meeting.
func (s *Server) muteConfCaller(mute bool) echo.HandlerFunc {
	action := "unmute"
	if mute {
		action = "mute"
	}
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		a := authOf(c)
		cf, err := s.openConference(c)
		if cf == nil {
			return err
		}
		meetingSID := c.Param("meeting")
		back := "/conferences/" + cf.ep.EndpointSID + "/meetings/" + meetingSID
		reply := func(status int, fl views.Flash) error {
			l, _ := s.confMeetingLive(ctx, cf, meetingSID, a)
			return s.formReply(c, back, status, fl, func() templ.Component { return views.ConferenceMeetingLiveView(l) })
		}
		call, err := cf.api.GetCall(ctx, c.Param("call"))
		if carrierx.StatusOf(err) == http.StatusNotFound {
			return reply(http.StatusNotFound, flashError("Not changed: that caller has left the meeting."))
		}
		if err != nil {
			return reply(refusedStatus(explainConference(err)), flashError("Not changed: "+explainConference(err).Message))
		}
		if deref(call.MeetingSID) != meetingSID {
			return reply(http.StatusNotFound, flashError("Not changed: that caller is not in this meeting."))
		}
		number := callerNumber(call.NumberSrc)
		label := number + " in meeting " + meetingSID + " on " + endpointLabel(*cf.ep)
		if call.Muted == mute {
			return reply(http.StatusOK, flashInfo(number+" is already "+action+"d."))
		}
		updated, err := cf.api.UpdateCall(ctx, call.CallSID, carrierx.ConfV2CallUpdate{Muted: carrierx.Set(mute)})
		if err != nil {
			p := explainConference(err)
			s.audit(c, a, store.AuditEntry{Action: action, ObjectType: "conference call", ObjectSID: call.CallSID, ObjectLabel: label,
				Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(map[string]any{"muted": call.Muted})})
			return reply(refusedStatus(p), flashError("Not changed: "+p.Message))
		}
		s.audit(c, a, store.AuditEntry{Action: action, ObjectType: "conference call", ObjectSID: call.CallSID, ObjectLabel: label,
			Outcome: store.OutcomeOK, Before: jsonOf(map[string]any{"muted": call.Muted}), After: jsonOf(map[string]any{"muted": updated.Muted})})
		verb := "Unmuted "
		if updated.Muted {
			verb = "Muted "
		}
		return reply(http.StatusOK, flashOK(verb+number+"."))
	}
}

// endConfMeeting ends a meeting: every caller is disconnected.
func (s *Server) endConfMeeting(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, err := s.openConference(c)
	if cf == nil {
		return err
	}
	meetingSID := c.Param("meeting")
	back := "/conferences/" + cf.ep.EndpointSID + "/meetings/" + meetingSID
	reply := func(status int, fl views.Flash) error {
		l, _ := s.confMeetingLive(ctx, cf, meetingSID, a)
		s.fetchRecordsOnceEnded(c, l)
		return s.formReply(c, back, status, fl, func() templ.Component { return views.ConferenceMeetingLiveView(l) })
	}
	m, err := cf.api.GetMeeting(ctx, meetingSID)
	if carrierx.StatusOf(err) == http.StatusNotFound {
		return reply(http.StatusOK, flashInfo("The meeting had already ended."))
	}
	if err != nil {
		return reply(refusedStatus(explainConference(err)), flashError("Not ended: "+explainConference(err).Message))
	}
	label := "meeting " + meetingSID + " on " + endpointLabel(*cf.ep)
	if room, err := cf.api.GetMeetingRoom(ctx, m.MeetingRoomSID); err == nil {
		label = "meeting in " + confRoomLabel(*room) + " on " + endpointLabel(*cf.ep)
	}
	attendees := m.Attendees.Hosts + m.Attendees.Participants + m.Attendees.Listeners
	before := jsonOf(map[string]any{"meeting_room_sid": m.MeetingRoomSID, "attendees": attendees, "duration": m.Duration})
	if err := cf.api.EndMeeting(ctx, meetingSID); err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "end meeting", ObjectType: "conference meeting", ObjectSID: meetingSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: before})
		return reply(refusedStatus(p), flashError("Not ended: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "end meeting", ObjectType: "conference meeting", ObjectSID: meetingSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: before})
	return reply(http.StatusOK, flashOK("Ended the meeting: "+strconv.Itoa(attendees)+" caller(s) disconnected."))
}
