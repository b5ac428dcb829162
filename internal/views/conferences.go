package views

import "strconv"

// ConferenceEndpointRow is one conference endpoint in the conferences list.
type ConferenceEndpointRow struct {
	SID       string
	Name      string
	TypeLabel string
	Rooms     string // count, or "" when unknown
	Live      string // meetings in progress, or "" when unknown
	Error     string // its API could not be read
}

// ConferencesData is the conferences list.
type ConferencesData struct {
	Rows  []ConferenceEndpointRow
	Error string
}

// ConferenceEndpoint names the endpoint a conference page is about.
type ConferenceEndpoint struct {
	SID         string
	Name        string
	AccountSID  string
	AccountName string
	CallFlow    string // the account's default call flow, by name
}

// URL is the endpoint's conference console.
func (e ConferenceEndpoint) URL() string { return "/conferences/" + e.SID }

// ConferenceAccessCode is a meeting room's code for one role.
type ConferenceAccessCode struct {
	Role      string
	RoleLabel string
	Code      string
}

// ConferenceRoomRow is a meeting room as listed.
type ConferenceRoomRow struct {
	SID          string
	Name         string
	DIDGroupSID  string
	DIDGroupName string
	Codes        []ConferenceAccessCode
	LiveMeeting  string // the meeting in progress, if any
}

// ConferenceCodeForm is one access code row of the room form.
type ConferenceCodeForm struct {
	Role string // "" : remove the row (or add none)
	Code string // "" : CarrierX generates one
}

// ConferenceRoomForm creates or edits a meeting room.
type ConferenceRoomForm struct {
	EndpointSID string
	SID         string // empty when creating
	Name        string
	DIDGroupSID string
	Groups      []Option // the account's DID groups
	Roles       []Option
	Codes       []ConferenceCodeForm
	Errors      map[string]string
	Message     string
	CSRF        string
}

// New reports whether the form creates a room.
func (f ConferenceRoomForm) New() bool { return f.SID == "" }

// Action is where the form posts.
func (f ConferenceRoomForm) Action() string {
	if f.New() {
		return "/conferences/" + f.EndpointSID + "/rooms"
	}
	return "/conferences/" + f.EndpointSID + "/rooms/" + f.SID
}

// ID is the form's element id.
func (f ConferenceRoomForm) ID() string {
	if f.New() {
		return "room-new"
	}
	return "room-form"
}

// CodeField is the name of a code row's input.
func CodeField(i int, name string) string { return "codes[" + strconv.Itoa(i) + "]." + name }

// ConferenceDIDRow is one of the account's numbers.
type ConferenceDIDRow struct {
	SID         string
	Number      string // international format
	DIDGroupSID string
}

// ConferenceDIDGroupRow is a DID group with its numbers and rooms.
type ConferenceDIDGroupRow struct {
	SID      string
	Name     string
	CallFlow string // its own call flow, "" : the account's
	Numbers  []ConferenceDIDRow
	Rooms    []string // names of the rooms in it
}

// ConferenceDIDGroupForm creates or renames a DID group.
type ConferenceDIDGroupForm struct {
	EndpointSID string
	SID         string // empty when creating
	Name        string
	Errors      map[string]string
	Message     string
	CSRF        string
}

// Action is where the form posts.
func (f ConferenceDIDGroupForm) Action() string {
	if f.SID == "" {
		return "/conferences/" + f.EndpointSID + "/did-groups"
	}
	return "/conferences/" + f.EndpointSID + "/did-groups/" + f.SID
}

// ID is the form's element id.
func (f ConferenceDIDGroupForm) ID() string {
	if f.SID == "" {
		return "did-group-new"
	}
	return "did-group-" + f.SID
}

// ConferenceNumbers is the DID groups panel: groups, their numbers, and
// the numbers in no group, each movable between groups.
type ConferenceNumbers struct {
	EndpointSID string
	Groups      []ConferenceDIDGroupRow
	Forms       map[string]ConferenceDIDGroupForm // rename forms, by group SID
	Ungrouped   []ConferenceDIDRow
	GroupOpts   []Option
	New         ConferenceDIDGroupForm
	Error       string
	CSRF        string
}

// ConferenceMeetingRow is a meeting in progress.
type ConferenceMeetingRow struct {
	SID              string
	RoomSID          string
	RoomName         string
	Started          string // in the user's zone
	Duration         string // "12m 05s"
	Hosts            int
	Participants     int
	Listeners        int
	ParticipantMuted string // CarrierX's value: false, relaxed, true
	OnHold           string // who is held: p, l, pl
	Locked           bool
	Recording        bool
}

// Attendees is the meeting's head count.
func (m ConferenceMeetingRow) Attendees() int { return m.Hosts + m.Participants + m.Listeners }

// ConferenceLiveMeetings is the endpoint's meetings in progress; it
// refreshes itself.
type ConferenceLiveMeetings struct {
	EndpointSID string
	MeetingBase string // a meeting's page is MeetingBase + its SID (or number)
	Meetings    []ConferenceMeetingRow
	Connecting  int // callers still entering an access code
	Error       string
}

// ConferenceRecordRow is a finished meeting from the report cache.
type ConferenceRecordRow struct {
	SID          string
	RoomSID      string
	RoomName     string
	Started      string
	Ended        string
	Duration     string // seconds, exact
	Participants string
	Calls        string
	CallsURL     string // the meeting's call records in the explorer
}

// ConferenceRecords is the report cache's meetings of an endpoint or room.
type ConferenceRecords struct {
	Rows        []ConferenceRecordRow
	Total       int
	MeetingsURL string // the meetings explorer
	Error       string
	ShowRoom    bool
}

// ConferenceData is a conference endpoint's console.
type ConferenceData struct {
	Unavailable string // the API could not be read (an outage): only this is shown
	Endpoint    ConferenceEndpoint
	Rooms       []ConferenceRoomRow
	NewRoom     ConferenceRoomForm
	Numbers     ConferenceNumbers
	Live        ConferenceLiveMeetings
	Records     ConferenceRecords
	Error       string
}

// ConferenceRoomLive is a room's meeting in progress, if any; it refreshes
// itself.
type ConferenceRoomLive struct {
	EndpointSID string
	RoomSID     string
	Meeting     *ConferenceMeetingRow
	Connecting  int
	Error       string
}

// ConferenceDialForm sends the sandbox's simulated callers into a room.
type ConferenceDialForm struct {
	EndpointSID string
	RoomSID     string
	Roles       []Option
	Role        string
	Count       string
	Errors      map[string]string
	Message     string
	CSRF        string
}

// ConferenceRoomDelete is a room's delete step.
type ConferenceRoomDelete struct {
	EndpointSID string
	RoomSID     string
	Name        string
	Error       string
	CSRF        string
}

// ConferenceRoomData is a meeting room's page.
type ConferenceRoomData struct {
	Endpoint ConferenceEndpoint
	Room     ConferenceRoomRow
	Form     ConferenceRoomForm
	Live     ConferenceRoomLive
	Dial     *ConferenceDialForm // nil: not the built-in sandbox
	Delete   ConferenceRoomDelete
	Records  ConferenceRecords
}

// ConferenceParticipant is a caller in a meeting.
type ConferenceParticipant struct {
	CallSID   string
	Number    string // the caller's number
	Name      string
	Role      string
	RoleLabel string
	Joined    string // in the user's zone
	InMeeting string // time since joining
	Muted     bool
	OnHold    bool
}

// ConferenceMeetingLive is a meeting's participants; it refreshes itself
// until the meeting ends.
type ConferenceMeetingLive struct {
	EndpointSID string
	MeetingSID  string                // or, on Conference v1, its meeting number
	BasePath    string                // the meeting's address when not the v2 one
	CanRemove   bool                  // the API can disconnect one caller (v1)
	Meeting     *ConferenceMeetingRow // nil: the meeting has ended
	Callers     []ConferenceParticipant
	Error       string
	CSRF        string
}

// Ended reports whether the meeting is over (it refreshes no more).
func (l ConferenceMeetingLive) Ended() bool { return l.Meeting == nil && l.Error == "" }

// Base is the meeting's address.
func (l ConferenceMeetingLive) Base() string {
	if l.BasePath != "" {
		return l.BasePath
	}
	return "/conferences/" + l.EndpointSID + "/meetings/" + l.MeetingSID
}

// ConferenceMeetingData is a live meeting's page.
type ConferenceMeetingData struct {
	Endpoint ConferenceEndpoint
	RoomSID  string
	RoomName string
	Live     ConferenceMeetingLive
}
