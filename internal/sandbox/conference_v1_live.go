package sandbox

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Conference v1 meetings and calls: they exist while callers are connected,
// on the sandbox clock. DialIntoConferenceV1 makes callers dial a meeting
// room's number and enter its access codes; the first caller starts the
// room's meeting. Each caller stays a few minutes (or less, when the
// meeting's call_maxduration says so) and then hangs up; a call can also be
// hung up with DELETE /calls/{id}, and DELETE /meetings/{meetingNumber} ends
// the meeting and all its calls. A meeting ends when its last call leaves
// (conference_stop_wait is not simulated), and then leaves its Core records:
// the meeting and one conference call record per call, for the endpoint's
// partner (records_live.go).
//
// Not confirmed, and chosen conservatively:
//   - callers join at once (no time is spent entering the access code) and
//     their call's state is 2, the value of CarrierX's sample; other states
//     are not documented;
//   - a call is muted by setting its muteMode (0 unmuted; 32, 36 and 40, the
//     documented mute states, muted); holdMode takes 0 or 40;
//   - PUT /calls/{id} answers the call in a one-item list, as CarrierX's
//     sample does ({"calls": [...], "last": 0, "offset": 0, "total": 1});
//   - a meeting's attributes are worked out when it starts from the call
//     flow, the primary DID group, the dialled DID and the room (in that
//     order, each overriding the one before), and PUT changes them for that
//     meeting only;
//   - meeting and call "created"/"joined" are UNIX milliseconds, as in the
//     call sample.

type cv1Meeting struct {
	id                      int64
	account                 string
	partnerSID, endpointSID string // whose Core records it leaves
	roomSID                 string
	meetingNumber           int64
	created                 time.Time
	accessNumber            string // the DID the callers dial
	secured                 bool   // the call flow asks for access codes
	attributes              []any  // replaced, never changed in place
	calls                   []*cv1Call
	left                    []liveConfCall // calls that have ended
	joins                   int            // calls that ever joined
}

type cv1Call struct {
	id              int64
	meeting         *cv1Meeting
	created, joined time.Time
	planned         time.Time // when the caller means to hang up
	leaveAt         time.Time // planned, or earlier under call_maxduration
	obj             object    // the call's writable attributes
}

const (
	cv1BridgeName = "MIA-FCC4D"   // the sample's
	cv1NodeName   = "10.2.114.15" // the sample's
	cv1CallJoined = int64(2)      // the sample's state
)

var cv1MeetingSchema = newSchema("meeting", "meetingNumber",
	fld("attributes", kindArray, ro()),
	fld("created", kindInt, ro()),
	fld("duration", kindInt, ro()),
	fld("holdMode", kindInt, ro()),
	fld("id", kindInt, ro()),
	fld("isRecording", kindBool, ro()),
	fld("isSecured", kindBool, ro()),
	fld("meetingNumber", kindInt, ro()),
	fld("muteMode", kindInt, ro()),
	fld("participantCount", kindInt, ro()),
	fld("qaMode", kindInt, ro()),
)

var cv1AttributeSchema = newSchema("attribute", "name",
	fld("description", kindString, ro()),
	fld("group", kindInt, ro()),
	fld("name", kindString, ro()),
	fld("value", kindString, ro()),
)

func cv1OneOf(name string, vals ...int64) func(c *call, v any) string {
	return func(c *call, v any) string {
		if !slices.Contains(vals, v.(int64)) {
			return fmt.Sprintf("%s must be one of %v", name, vals)
		}
		return ""
	}
}

func cv1Range(name string, lo, hi int64) func(c *call, v any) string {
	return func(c *call, v any) string {
		if n := v.(int64); n < lo || n > hi {
			return fmt.Sprintf("%s must be between %d and %d", name, lo, hi)
		}
		return ""
	}
}

// cv1CallSchema is the Call object; the writable attributes are the ones
// the Update Call page lists. Value ranges are the documented values where
// there are some; gainLevel (-20 to 20) and state (0 to 9) are not
// confirmed.
var cv1CallSchema = newSchema("call", "id",
	fld("accessCode", kindString, maxLen(16)),
	fld("addressFrom", kindString, maxLen(255)),
	fld("addressTo", kindString, maxLen(255)),
	fld("bridgeName", kindString, ro()),
	fld("callee", kindString, maxLen(32)),
	fld("caller", kindString, maxLen(32)),
	fld("codec", kindString, maxLen(64)),
	fld("connectionStatus", kindInt, check(cv1OneOf("connectionStatus", 0, 1))),
	fld("created", kindInt, ro()),
	fld("customName", kindString, maxLen(255)),
	fld("duration", kindInt, ro()),
	fld("gainLevel", kindInt, check(cv1Range("gainLevel", -20, 20))),
	fld("holdMode", kindInt, check(cv1OneOf("holdMode", 0, 40))),
	fld("id", kindInt, ro()),
	fld("joined", kindInt, ro()),
	fld("meetingNumber", kindInt, ro()),
	fld("muteMode", kindInt, check(cv1OneOf("muteMode", 0, 32, 36, 40))),
	fld("nodeName", kindString, maxLen(255)),
	fld("presenterMedia", kindInt, check(cv1Range("presenterMedia", 0, 7))),
	fld("qaMode", kindInt, ro()),
	fld("role", kindInt, check(cv1RoleCheck)),
	fld("state", kindInt, check(cv1Range("state", 0, 9))),
)

var cv1RoleNames = map[int64]string{1: "host", 2: "participant", 3: "listener"}

// cv1LiveMeeting is the meeting in progress in a room, if any.
func (s *Sandbox) cv1LiveMeeting(account, roomSID string) *cv1Meeting {
	for _, m := range s.cv1().meetings {
		if m.account == account && m.roomSID == roomSID {
			return m
		}
	}
	return nil
}

// cv1RoomDID is the number callers of a room dial: the first DID of its
// primary DID group, else of its other groups.
func (s *Sandbox) cv1RoomDID(account string, room *record) *record {
	groups := []int64{}
	if id, ok := intOf(room.obj["primaryDidGroupId"]); ok {
		groups = append(groups, id)
	}
	refs, _ := room.obj["didGroupReferences"].([]any)
	for _, r := range refs {
		if id, ok := intOf(r.(object)["didGroupId"]); ok {
			groups = append(groups, id)
		}
	}
	for _, g := range groups {
		for _, d := range s.cv1Recs(cv1DIDsTable, account, nil) {
			if d.obj["didGroupId"] == g {
				return d
			}
		}
	}
	return nil
}

// cv1EffectiveAttributes works out a meeting's attributes: the call flow's
// defaults, overridden by the DID group's, the DID's and the room's.
func cv1EffectiveAttributes(levels ...any) []any {
	out := make([]any, 0, len(cv1AttrTemplates))
	for i := range cv1AttrTemplates {
		t := &cv1AttrTemplates[i]
		v := t.value
		for _, attrs := range levels {
			if x, ok := cv1AttrOf(attrs, t.name); ok {
				v = x
			}
		}
		out = append(out, cv1Attr(t, v))
	}
	return out
}

func cv1MaxDuration(attrs []any) time.Duration {
	v, _ := cv1AttrOf(attrs, "call_maxduration")
	n, _ := strconv.ParseInt(v, 10, 64)
	return time.Duration(max(n, 0)) * time.Second
}

// cv1Cap sets a call's leaving time: when planned, or earlier under the
// meeting's call_maxduration.
func cv1Cap(cl *cv1Call) {
	cl.leaveAt = cl.planned
	if d := cv1MaxDuration(cl.meeting.attributes); d > 0 && cl.joined.Add(d).Before(cl.leaveAt) {
		cl.leaveAt = cl.joined.Add(d)
	}
}

func (s *Sandbox) cv1StartMeeting(account *record, room, did *record, now time.Time) *cv1Meeting {
	var groupAttrs any
	secured := false
	if g := s.cv1ByID(cv1DIDGroupsTable, account.sid, room.obj["primaryDidGroupId"].(int64)); g != nil {
		groupAttrs = g.obj["attributes"]
		if id, ok := intOf(g.obj["callFlowId"]); ok {
			if f := s.cv1ByID(cv1CallFlowsTable, account.sid, id); f != nil {
				secured = f.obj["name"] == "secured"
			}
		}
	}
	mn, _ := intOf(room.obj["meetingNumber"])
	m := &cv1Meeting{id: s.cv1NextID(), account: account.sid, roomSID: room.sid, meetingNumber: mn, created: now,
		accessNumber: did.obj["phoneNumber"].(string), secured: secured,
		attributes: cv1EffectiveAttributes(groupAttrs, did.obj["attributes"], room.obj["attributes"])}
	m.partnerSID, _ = account.obj["partnerSid"].(string)
	m.endpointSID, _ = account.obj["endpointSid"].(string)
	st := s.cv1()
	st.meetings = append(st.meetings, m)
	return m
}

// DialIntoConferenceV1 makes n callers dial into the Conference v1 meeting
// room meetingNumber of the account (an endpoint's properties.account_sid):
// they call the first DID of the room's DID groups and enter the room's
// access codes in turn (the first caller the first key's, and so on; a room
// without keys admits callers as participants). The first caller starts the
// room's meeting. Each caller stays two to fifteen minutes of the sandbox
// clock, then hangs up; when the last one has, the meeting ends and leaves
// its Core records. It takes the sandbox lock itself. It fails when the
// account or the room does not exist, or the room's DID groups hold no DID
// to dial.
func (s *Sandbox) DialIntoConferenceV1(accountSID, meetingNumber string, n int) error {
	s.tick(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	account := s.table(cv1AccountsTable).get(accountSID)
	if account == nil {
		return fmt.Errorf("sandbox: no Conference v1 account %q", accountSID)
	}
	num, err := strconv.ParseInt(meetingNumber, 10, 64)
	room := s.cv1RoomByNumber(accountSID, num)
	if err != nil || room == nil {
		return fmt.Errorf("sandbox: the account has no meeting room %q", meetingNumber)
	}
	if n < 1 {
		return errors.New("sandbox: at least one caller dials in")
	}
	did := s.cv1RoomDID(accountSID, room)
	if did == nil {
		return errors.New("sandbox: the meeting room's DID groups hold no DID to dial")
	}
	m := s.cv1LiveMeeting(accountSID, room.sid)
	if m == nil {
		m = s.cv1StartMeeting(account, room, did, now)
	}
	keys := cv1Keys(room)
	callee := m.accessNumber
	soonest := time.Time{}
	for range n {
		code, role := "", int64(2)
		if len(keys) > 0 {
			k := keys[m.joins%len(keys)]
			code, _ = k["accessCode"].(string)
			role, _ = intOf(k["role"])
		}
		m.joins++
		caller := fmt.Sprintf("+1%03d%07d", 201+s.rng.IntN(789), s.rng.IntN(10_000_000))
		cl := &cv1Call{id: s.cv1NextID(), meeting: m, created: now, joined: now,
			planned: now.Add(time.Duration(120+s.rng.IntN(781)) * time.Second)}
		cl.obj = object{"accessCode": code, "addressFrom": caller,
			"addressTo": fmt.Sprintf("%q <sip:%s@%s>", callee, callee, cv1NodeName), "callee": callee, "caller": caller,
			"codec": "PCMU", "connectionStatus": int64(0), "customName": "", "gainLevel": int64(0), "holdMode": int64(0),
			"muteMode": int64(0), "nodeName": cv1NodeName, "presenterMedia": int64(0), "role": role, "state": cv1CallJoined}
		cv1Cap(cl)
		m.calls = append(slices.Clone(m.calls), cl)
		if soonest.IsZero() || cl.leaveAt.Before(soonest) {
			soonest = cl.leaveAt
		}
	}
	s.wake(soonest)
	return nil
}

// tickConfV1 lets the callers whose time has come hang up, in the order they
// do, and ends the meetings they leave empty.
func (s *Sandbox) tickConfV1(now time.Time) time.Time {
	st := s.cv1()
	for {
		var next *cv1Call
		for _, m := range st.meetings {
			for _, cl := range m.calls {
				if next == nil || cl.leaveAt.Before(next.leaveAt) {
					next = cl
				}
			}
		}
		if next == nil {
			return time.Time{}
		}
		if next.leaveAt.After(now) {
			return next.leaveAt
		}
		s.cv1Leave(next, next.leaveAt)
	}
}

func cv1Finished(cl *cv1Call, t time.Time) liveConfCall {
	caller, _ := cl.obj["caller"].(string)
	role, _ := intOf(cl.obj["role"])
	return liveConfCall{number: caller, role: cv1RoleNames[role], start: cl.created, join: cl.joined, stop: t}
}

// cv1Leave hangs a call up at t; an emptied meeting ends.
func (s *Sandbox) cv1Leave(cl *cv1Call, t time.Time) {
	m := cl.meeting
	m.calls = slices.DeleteFunc(slices.Clone(m.calls), func(x *cv1Call) bool { return x == cl })
	m.left = append(m.left, cv1Finished(cl, t))
	if len(m.calls) == 0 {
		s.cv1EndMeeting(m, t)
	}
}

// cv1EndMeeting ends a meeting at t, hanging up its calls, and records it.
func (s *Sandbox) cv1EndMeeting(m *cv1Meeting, t time.Time) {
	for _, cl := range m.calls {
		m.left = append(m.left, cv1Finished(cl, t))
	}
	m.calls = nil
	st := s.cv1()
	st.meetings = slices.DeleteFunc(slices.Clone(st.meetings), func(x *cv1Meeting) bool { return x == m })
	s.recordMeeting(m.partnerSID, liveMeeting{roomSID: m.roomSID, endpointSID: m.endpointSID,
		accessNumber: m.accessNumber, start: m.created, stop: t, calls: m.left})
}

// --- meetings --------------------------------------------------------------

func cv1PresentMeeting(m *cv1Meeting, now time.Time) object {
	return object{"attributes": m.attributes, "created": cv1Millis(m.created),
		"duration": int64(max(now.Sub(m.created), 0) / time.Second), "holdMode": int64(0), "id": m.id,
		"isRecording": false, "isSecured": m.secured, "meetingNumber": m.meetingNumber, "muteMode": int64(0),
		"participantCount": int64(len(m.calls)), "qaMode": int64(0)}
}

func (s *Sandbox) cv1Meetings(account string) []*cv1Meeting {
	var out []*cv1Meeting
	for _, m := range s.cv1().meetings {
		if m.account == account {
			out = append(out, m)
		}
	}
	return out
}

func (s *Sandbox) cv1FindMeeting(c *call) (*cv1Meeting, *apiError) {
	n, _ := cv1IDParam(c, "meetingNumber")
	for _, m := range s.cv1Meetings(c.accountSID()) {
		if m.meetingNumber == n {
			return m, nil
		}
	}
	return nil, errNoItem()
}

func (s *Sandbox) cv1ListMeetings(c *call) (int, any, *apiError) {
	var recs []*record
	for _, m := range s.cv1Meetings(c.accountSID()) {
		recs = append(recs, &record{sid: strconv.FormatInt(m.id, 10), obj: cv1PresentMeeting(m, c.now)})
	}
	return cv1List(c, "meetings", cv1MeetingSchema, recs, nil)
}

func (s *Sandbox) cv1GetMeeting(c *call) (int, any, *apiError) {
	m, err := s.cv1FindMeeting(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1MeetingSchema, cv1PresentMeeting(m, c.now))
}

// cv1DeleteMeeting ends the meeting: every call is hung up (204).
func (s *Sandbox) cv1DeleteMeeting(c *call) (int, any, *apiError) {
	m, err := s.cv1FindMeeting(c)
	if err != nil {
		return 0, nil, err
	}
	s.cv1EndMeeting(m, c.now)
	return http.StatusNoContent, nil, nil
}

// cv1GetMeetingAttributes lists the meeting's attributes (in the v1 list
// shape, key "attributes"; the answer's shape is not confirmed).
func (s *Sandbox) cv1GetMeetingAttributes(c *call) (int, any, *apiError) {
	m, err := s.cv1FindMeeting(c)
	if err != nil {
		return 0, nil, err
	}
	recs := make([]*record, 0, len(m.attributes))
	for _, a := range m.attributes {
		o := a.(object)
		recs = append(recs, &record{sid: o["name"].(string), obj: o})
	}
	return cv1List(c, "attributes", cv1AttributeSchema, recs, nil)
}

// cv1UpdateMeetingAttribute sets one attribute of the meeting in progress:
// the body is {"value": ...} (a string or a number; the other keys of an
// attribute may be sent back unchanged). An unknown attribute name is a
// 404. A new call_maxduration applies to the calls already connected.
func (s *Sandbox) cv1UpdateMeetingAttribute(c *call) (int, any, *apiError) {
	m, err := s.cv1FindMeeting(c)
	if err != nil {
		return 0, nil, err
	}
	t := cv1Template(c.param("name"))
	if t == nil {
		return 0, nil, errNoItem()
	}
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	var errs []errItem
	for _, k := range slices.Sorted(maps.Keys(body)) {
		v := body[k]
		switch k {
		case "value", "description", "group", "type", "enumValues":
		case "name":
			if v != t.name {
				errs = append(errs, item("name", "name must be the attribute's, "+t.name))
			}
		default:
			errs = append(errs, item(k, k+" is not a known attribute of attribute"))
		}
	}
	raw, ok := body["value"]
	if !ok {
		errs = append(errs, item("value", "value is required"))
	} else if v, ok := cv1AttrValue(raw); !ok || !t.valid(v) {
		errs = append(errs, item("value", "value is not a valid value of "+t.name))
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	v, _ := cv1AttrValue(raw)
	attr := cv1Attr(t, v)
	attrs := slices.Clone(m.attributes)
	for i, a := range attrs {
		if a.(object)["name"] == t.name {
			attrs[i] = attr
		}
	}
	m.attributes = attrs
	if t.name == "call_maxduration" {
		for _, cl := range m.calls {
			cv1Cap(cl)
			s.wake(cl.leaveAt)
		}
	}
	return http.StatusOK, cv1Out(attr), nil
}

// --- calls -------------------------------------------------------------------

func cv1PresentCall(cl *cv1Call, now time.Time) object {
	o := cloneObject(cl.obj)
	o["bridgeName"], o["created"], o["id"] = cv1BridgeName, cv1Millis(cl.created), cl.id
	o["duration"] = int64(max(now.Sub(cl.created), 0) / time.Second)
	o["joined"], o["meetingNumber"], o["qaMode"] = cv1Millis(cl.joined), cl.meeting.meetingNumber, int64(0)
	return o
}

func (s *Sandbox) cv1Calls(account string) []*cv1Call {
	var out []*cv1Call
	for _, m := range s.cv1Meetings(account) {
		out = append(out, m.calls...)
	}
	slices.SortStableFunc(out, func(a, b *cv1Call) int { return int(a.id - b.id) })
	return out
}

func (s *Sandbox) cv1FindCall(c *call) (*cv1Call, *apiError) {
	id, _ := cv1IDParam(c, "id")
	for _, cl := range s.cv1Calls(c.accountSID()) {
		if cl.id == id {
			return cl, nil
		}
	}
	return nil, errNoItem()
}

func (s *Sandbox) cv1ListCalls(c *call) (int, any, *apiError) {
	var recs []*record
	for _, cl := range s.cv1Calls(c.accountSID()) {
		recs = append(recs, &record{sid: strconv.FormatInt(cl.id, 10), obj: cv1PresentCall(cl, c.now)})
	}
	return cv1List(c, "calls", cv1CallSchema, recs, nil)
}

func (s *Sandbox) cv1GetCall(c *call) (int, any, *apiError) {
	cl, err := s.cv1FindCall(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1CallSchema, cv1PresentCall(cl, c.now))
}

// cv1UpdateCall changes a connected call (mute it with muteMode, hold it
// with holdMode, rename it with customName, ...).
func (s *Sandbox) cv1UpdateCall(c *call) (int, any, *apiError) {
	cl, err := s.cv1FindCall(c)
	if err != nil {
		return 0, nil, err
	}
	next, _, err := cv1Write(c, cv1CallSchema, cv1PresentCall(cl, c.now), modePatch)
	if err != nil {
		return 0, nil, err
	}
	o := make(object, len(cl.obj))
	for k := range cl.obj {
		o[k] = next[k]
	}
	cl.obj = o
	out := cv1Out(cv1PresentCall(cl, c.now))
	return http.StatusOK, object{"calls": []any{out}, "last": int64(0), "offset": int64(0), "total": int64(1)}, nil
}

// cv1HangUpCall hangs a call up (204); the meeting ends with its last call.
func (s *Sandbox) cv1HangUpCall(c *call) (int, any, *apiError) {
	cl, err := s.cv1FindCall(c)
	if err != nil {
		return 0, nil, err
	}
	s.cv1Leave(cl, c.now)
	return http.StatusNoContent, nil, nil
}
