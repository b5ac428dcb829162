package views

// ConferenceV1Room is a legacy (v1) meeting room: it is known by its
// meeting number.
type ConferenceV1Room struct {
	Number      string
	Description string
	Codes       []ConferenceAccessCode
	DIDGroup    string // its primary DID group, by name
	LiveMeeting bool   // a meeting is in progress in it
}

// ConferenceV1Group is a legacy DID group with its numbers.
type ConferenceV1Group struct {
	ID       string
	Name     string
	CallFlow string
	Numbers  []string
}

// ConferenceV1RoomForm creates a legacy meeting room with a generated code
// of each role.
type ConferenceV1RoomForm struct {
	EndpointSID string
	Number      string // the room edited; "" for a new room
	Description string
	DIDGroupID  string
	Groups      []Option
	Errors      map[string]string
	Message     string
	CSRF        string
}

// ConferenceV1Dial sends the sandbox's simulated callers into a legacy
// room: they take the room's codes in turn.
type ConferenceV1Dial struct {
	EndpointSID string
	Number      string
	Count       string
	Message     string
	CSRF        string
}

// ConferenceV1Data is a legacy (Conference v1) endpoint's console.
type ConferenceV1Data struct {
	Unavailable string // the API could not be read (an outage): only this is shown
	Endpoint    ConferenceEndpoint
	Subscriber  string // the account owner's login
	Rooms       []ConferenceV1Room
	NewRoom     ConferenceV1RoomForm
	Groups      []ConferenceV1Group
	Live        ConferenceLiveMeetings
	Records     ConferenceRecords
	Dial        bool // the built-in sandbox: rooms offer test callers
	CSRF        string
}

// confV1RoomURL is a legacy room's address in the console.
func confV1RoomURL(ep, number string) string {
	return "/conferences/" + ep + "/v1/rooms/" + number
}
