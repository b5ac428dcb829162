package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Live Conference v2 meetings and calls on the sandbox clock.
//
// Nothing happens on its own: callers come only when DialIntoMeetingRoom
// sends them. Each caller dials one of the account's numbers (a Call object
// appears, not yet in a meeting), enters the room's access code for its role
// a few seconds later and joins the room's meeting (the first to join starts
// it), stays a few minutes and hangs up. A meeting ends when its last call
// leaves, or when DELETE /meetings/{meeting_sid} ends it and its calls; it
// then leaves a meeting record and one conference call record per caller in
// Core (/core/v2/app/conference/meetings and /calls). Those records have
// SIDs of their own: Core's meeting_sid is not the live meeting's.
//
// Not confirmed, and chosen conservatively:
//   - a Call is listed from the moment it is dialled, with access_code,
//     role, meeting_sid, meeting_room_sid and date_joined null until it
//     joins (the docs say the meeting fields are filled once the caller
//     enters the meeting);
//   - number_src and number_dst are SIP-style, as in the Update Call
//     sample: <sip:+15551234567@198.51.100.7> and
//     "15162065515" <sip:15162065515@192.0.2.10>;
//   - joining mutes listeners always and participants unless the meeting's
//     participant_muted is "false" (the documented meanings); on_hold "p" /
//     "l" holds participants / listeners; changing either through PATCH
//     /meetings applies it to the calls in the meeting;
//   - locked and recording stay false: nothing in the API sets them.

const conf2CallersTable = "conference_v2_callers"

// conf2DefaultAccessNumber is the number callers dial when the account has
// no DIDs routed to it: a fictitious one (555-01xx).
const conf2DefaultAccessNumber = "12025550100"

// conf2NodeIP is the conference node's address in number_dst (a
// documentation address).
const conf2NodeIP = "192.0.2.10"

var conf2Codecs = []string{"PCMU", "G722", "OPUS"}

type conf2CallerState uint8

const (
	callerScheduled conf2CallerState = iota
	callerDialled
	callerJoined
	callerLeft
)

// conf2Caller is one simulated caller. Callers are kept in the
// conference_v2_callers table (never served: the Call objects are), each
// record's obj holding its *conf2Caller under "caller", from the moment
// DialIntoMeetingRoom schedules them until their meeting ends.
type conf2Caller struct {
	callSID, accountSID, roomSID string
	role, accessCode             string
	number, callerIP             string // the caller's number (digits) and address
	accessNumber                 string // the number dialled (digits)
	codec                        string
	dialAt, joinAt, leaveAt      time.Time
	state                        conf2CallerState
	meetingSID                   string // once joined
}

func callerOf(r *record) *conf2Caller {
	c, _ := r.obj["caller"].(*conf2Caller)
	return c
}

// next is when the caller next changes state (zero: it has left).
func (c *conf2Caller) next() time.Time {
	switch c.state {
	case callerScheduled:
		return c.dialAt
	case callerDialled:
		return c.joinAt
	case callerJoined:
		return c.leaveAt
	}
	return time.Time{}
}

// DialIntoMeetingRoom sends n callers into a meeting room of a Conference
// v2 account, for demos and tests: one dials every one to three seconds
// (from a random +1 number, on one of the account's DIDs), enters the
// room's access code for role ("host", "participant" or "listener") a few
// seconds later and joins the room's meeting, starting it if none is in
// progress, then stays two to twenty minutes. Everything follows the
// sandbox clock and its seeded generator, so the same calls give the same
// meetings. The room must belong to the account and have an access code for
// role.
func (s *Sandbox) DialIntoMeetingRoom(accountSID, meetingRoomSID, role string, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > 1000 {
		return errors.New("sandbox: a meeting takes 1 to 1000 callers at a time")
	}
	if !contains(conf2Roles, role) {
		return fmt.Errorf("sandbox: role %q is not one of %s", role, strings.Join(conf2Roles, ", "))
	}
	if s.table(conf2AccountsTable).get(accountSID) == nil {
		return fmt.Errorf("sandbox: no Conference v2 account %s", accountSID)
	}
	room := s.table(conf2RoomsTable).get(meetingRoomSID)
	if room == nil || room.owner != accountSID {
		return fmt.Errorf("sandbox: account %s has no meeting room %s", accountSID, meetingRoomSID)
	}
	code := ""
	codes, _ := room.obj["access_codes"].([]any)
	for _, x := range codes {
		if kc, ok := x.(object); ok && kc["role"] == role {
			code, _ = kc["access_code"].(string)
			break
		}
	}
	if code == "" {
		return fmt.Errorf("sandbox: meeting room %s has no access code for %s", meetingRoomSID, role)
	}
	numbers := s.conf2AccessNumbers(accountSID, room)
	callers := s.table(conf2CallersTable)
	at := s.now()
	var first time.Time
	for i := 0; i < n; i++ {
		at = at.Add(time.Duration(1000+s.rng.IntN(2001)) * time.Millisecond)
		join := at.Add(time.Duration(4000+s.rng.IntN(4001)) * time.Millisecond)
		cl := &conf2Caller{callSID: s.newSID(), accountSID: accountSID, roomSID: room.sid, role: role, accessCode: code,
			number: s.conf2CallerNumber(), callerIP: "198.51.100." + itoa(1+s.rng.IntN(254)),
			accessNumber: numbers[s.rng.IntN(len(numbers))], codec: conf2Codecs[s.rng.IntN(len(conf2Codecs))],
			dialAt: at, joinAt: join, leaveAt: join.Add(time.Duration(120+s.rng.IntN(1081)) * time.Second)}
		callers.insert(&record{sid: cl.callSID, owner: accountSID, parent: room.sid, obj: object{"caller": cl}})
		if i == 0 {
			first = at
		}
	}
	s.wake(first)
	return nil
}

// conf2CallerNumber draws a North American number (digits, with the 1).
func (s *Sandbox) conf2CallerNumber() string {
	b := []byte{'1', byte('2' + s.rng.IntN(8)), 0, 0, byte('2' + s.rng.IntN(8)), 0, 0, 0, 0, 0, 0}
	for _, i := range []int{2, 3, 5, 6, 7, 8, 9, 10} {
		b[i] = byte('0' + s.rng.IntN(10))
	}
	return string(b)
}

// conf2AccessNumbers are the numbers a caller into room may dial: the
// account's DIDs in the room's DID group, else all the account's DIDs,
// else the default access number.
func (s *Sandbox) conf2AccessNumbers(accountSID string, room *record) []string {
	s.conf2SyncDIDs(accountSID)
	group, _ := room.obj["did_group_sid"].(string)
	var all, inGroup []string
	for _, d := range s.table(conf2DIDsTable).recs {
		if d.owner != accountSID {
			continue
		}
		n, _ := d.obj["phonenumber"].(string)
		all = append(all, n)
		if group != "" && d.obj["did_group_sid"] == group {
			inGroup = append(inGroup, n)
		}
	}
	switch {
	case len(inGroup) > 0:
		return inGroup
	case len(all) > 0:
		return all
	}
	return []string{conf2DefaultAccessNumber}
}

// tickConferenceV2 moves callers along the clock, earliest change first.
func (s *Sandbox) tickConferenceV2(now time.Time) time.Time {
	callers := s.table(conf2CallersTable)
	for {
		var due *conf2Caller
		var at time.Time
		for _, r := range callers.recs {
			cl := callerOf(r)
			if t := cl.next(); !t.IsZero() && (due == nil || t.Before(at)) {
				due, at = cl, t
			}
		}
		if due == nil {
			return time.Time{}
		}
		if at.After(now) {
			return at
		}
		switch due.state {
		case callerScheduled:
			s.conf2Dial(due, at)
		case callerDialled:
			s.conf2Join(due, at)
		case callerJoined:
			s.conf2Leave(due, at)
		}
	}
}

// conf2Drop forgets a caller that can go no further (its account or room
// is gone), with its call.
func (s *Sandbox) conf2Drop(cl *conf2Caller) {
	s.table(conf2CallsTable).remove(cl.callSID)
	s.table(conf2CallersTable).remove(cl.callSID)
}

// conf2DropCallers forgets the callers on their way into a deleted room.
func (s *Sandbox) conf2DropCallers(roomSID string) {
	for _, r := range append([]*record(nil), s.table(conf2CallersTable).recs...) {
		if cl := callerOf(r); cl.roomSID == roomSID && cl.state < callerJoined {
			s.conf2Drop(cl)
		}
	}
}

// conf2Dial: the caller's call reaches the conference.
func (s *Sandbox) conf2Dial(cl *conf2Caller, at time.Time) {
	if s.table(conf2AccountsTable).get(cl.accountSID) == nil {
		s.conf2Drop(cl)
		return
	}
	o := conf2CallSchema.defaults()
	o["account_sid"] = cl.accountSID
	o["call_sid"] = cl.callSID
	o["codecs"] = cl.codec
	o["date_created"] = formatTS(at)
	o["direction"] = "In"
	o["duration"] = int64(0)
	o["gain_level"] = int64(0)
	o["muted"] = false
	o["name"] = ""
	o["number_dst"] = `"` + cl.accessNumber + `" <sip:` + cl.accessNumber + "@" + conf2NodeIP + ">"
	o["number_src"] = "<sip:+" + cl.number + "@" + cl.callerIP + ">"
	o["on_hold"] = false
	s.table(conf2CallsTable).insert(&record{sid: cl.callSID, owner: cl.accountSID, obj: o})
	cl.state = callerDialled
}

// conf2Join: the caller has entered the access code and joins the room's
// meeting, which starts now if none is in progress.
func (s *Sandbox) conf2Join(cl *conf2Caller, at time.Time) {
	room := s.table(conf2RoomsTable).get(cl.roomSID)
	call := s.table(conf2CallsTable).get(cl.callSID)
	if room == nil || call == nil {
		s.conf2Drop(cl)
		return
	}
	meetings := s.table(conf2MeetingsTable)
	m := s.conf2RoomMeeting(room)
	if m == nil {
		o := conf2MeetingSchema.defaults()
		o["account_sid"] = cl.accountSID
		o["attendees"] = object{"hosts": int64(0), "listeners": int64(0), "participants": int64(0)}
		o["date_created"] = formatTS(at)
		o["duration"] = int64(0)
		o["locked"] = false
		o["meeting_room_sid"] = room.sid
		o["meeting_sid"] = s.newSID()
		o["participant_muted"] = "false"
		o["recording"] = false
		m = &record{sid: o["meeting_sid"].(string), owner: cl.accountSID, obj: o}
		meetings.insert(m)
	}
	conf2CountAttendee(m, cl.role, 1)
	muted, _ := m.obj["participant_muted"].(string)
	hold, _ := m.obj["on_hold"].(string)
	o := cloneObject(call.obj)
	o["access_code"] = cl.accessCode
	o["role"] = cl.role
	o["meeting_room_sid"] = room.sid
	o["meeting_sid"] = m.sid
	o["date_joined"] = formatTS(at)
	o["muted"] = cl.role == "listener" || (cl.role == "participant" && muted != "false")
	o["on_hold"] = conf2Held(cl.role, hold)
	call.set(o)
	cl.state, cl.meetingSID = callerJoined, m.sid
}

// conf2Held reports whether a call of role is held by a meeting's on_hold.
func conf2Held(role, onHold string) bool {
	return (role == "participant" && strings.Contains(onHold, "p")) || (role == "listener" && strings.Contains(onHold, "l"))
}

// conf2RoomMeeting is the meeting in progress in room, if any.
func (s *Sandbox) conf2RoomMeeting(room *record) *record {
	for _, m := range s.table(conf2MeetingsTable).recs {
		if m.owner == room.owner && m.obj["meeting_room_sid"] == room.sid {
			return m
		}
	}
	return nil
}

// conf2CountAttendee adds d to the meeting's count of role.
func conf2CountAttendee(m *record, role string, d int64) {
	o := cloneObject(m.obj)
	att, _ := o["attendees"].(object)
	att = cloneObject(att)
	n, _ := intOf(att[role+"s"])
	att[role+"s"] = max(n+d, 0)
	o["attendees"] = att
	m.set(o)
}

// conf2Leave: the caller hangs up; the meeting ends with its last call.
func (s *Sandbox) conf2Leave(cl *conf2Caller, at time.Time) {
	s.table(conf2CallsTable).remove(cl.callSID)
	cl.state, cl.leaveAt = callerLeft, at
	m := s.table(conf2MeetingsTable).get(cl.meetingSID)
	if m == nil {
		s.table(conf2CallersTable).remove(cl.callSID)
		return
	}
	conf2CountAttendee(m, cl.role, -1)
	for _, r := range s.table(conf2CallersTable).recs {
		if o := callerOf(r); o.meetingSID == m.sid && o.state == callerJoined {
			return
		}
	}
	partnerSID, endpointSID := s.conf2Endpoint(cl.accountSID)
	s.conf2EndMeeting(m, at, partnerSID, endpointSID)
}

// conf2EndMeeting ends meeting m at at: its calls leave, and the meeting
// and every call that joined it are recorded for the partner in Core.
func (s *Sandbox) conf2EndMeeting(m *record, at time.Time, partnerSID, endpointSID string) {
	callers := s.table(conf2CallersTable)
	var calls []liveConfCall
	accessNumber := ""
	for _, r := range append([]*record(nil), callers.recs...) {
		cl := callerOf(r)
		if cl.meetingSID != m.sid {
			continue
		}
		if cl.state == callerJoined {
			s.table(conf2CallsTable).remove(cl.callSID)
			cl.state, cl.leaveAt = callerLeft, at
		}
		if accessNumber == "" {
			accessNumber = cl.accessNumber
		}
		calls = append(calls, liveConfCall{number: cl.number, role: cl.role, start: cl.dialAt, join: cl.joinAt, stop: cl.leaveAt})
		callers.remove(r.sid)
	}
	s.table(conf2MeetingsTable).remove(m.sid)
	if partnerSID == "" {
		return
	}
	created, _ := m.obj["date_created"].(string)
	start, _ := parseTS(created)
	room, _ := m.obj["meeting_room_sid"].(string)
	if accessNumber == "" {
		accessNumber = conf2DefaultAccessNumber
	}
	s.recordMeeting(partnerSID, liveMeeting{roomSID: room, endpointSID: endpointSID, accessNumber: accessNumber,
		start: start, stop: at, calls: calls})
}

// conf2Elapsed answers a live object with its duration: whole seconds since
// its date_created.
func conf2Elapsed(c *call, r *record) object {
	o := cloneObject(r.obj)
	created, _ := o["date_created"].(string)
	if t, ok := parseTS(created); ok {
		o["duration"] = int64(max(c.now.Sub(t), 0) / time.Second)
	}
	return o
}

func (s *Sandbox) conf2MeetingView() *view {
	v := s.conf2View(conf2MeetingSchema, conf2MeetingsTable)
	v.present, v.filterObj = conf2Elapsed, conf2Elapsed
	return v
}

func (s *Sandbox) conf2CallView() *view {
	v := s.conf2View(conf2CallSchema, conf2CallsTable)
	v.present, v.filterObj = conf2Elapsed, conf2Elapsed
	return v
}

// conf2UpdateMeeting serves PATCH /meetings/{meeting_sid} and applies the
// meeting's new participant_muted / on_hold to the calls in it.
func (s *Sandbox) conf2UpdateMeeting(v *view) handlerFunc {
	update := v.update(false)
	return func(c *call) (int, any, *apiError) {
		body := peekJSON(c)
		status, out, err := update(c)
		if err != nil {
			return status, out, err
		}
		m := v.table.get(c.param("meeting_sid"))
		_, mutes := body["participant_muted"]
		_, holds := body["on_hold"]
		muted, _ := m.obj["participant_muted"].(string)
		hold, _ := m.obj["on_hold"].(string)
		for _, r := range s.table(conf2CallsTable).recs {
			role, _ := r.obj["role"].(string)
			if r.obj["meeting_sid"] != m.sid || role == "host" {
				continue
			}
			o := cloneObject(r.obj)
			if mutes {
				o["muted"] = role == "listener" || muted != "false"
			}
			if holds {
				o["on_hold"] = conf2Held(role, hold)
			}
			r.set(o)
		}
		return status, out, nil
	}
}

// conf2DeleteMeeting serves DELETE /meetings/{meeting_sid}: the meeting
// ends now, with its calls.
func (s *Sandbox) conf2DeleteMeeting(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		m, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		partnerSID, endpointSID := s.conf2Endpoint(m.owner)
		s.conf2EndMeeting(m, c.now, partnerSID, endpointSID)
		return http.StatusNoContent, nil, nil
	}
}
