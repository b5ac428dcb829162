package carrierx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"
)

// The legacy Conference API (v1) of a "conference" endpoint: call flows,
// DIDs and DID groups, subscribers with their meeting rooms, keychains and
// media files, and the meetings and calls in progress. Its objects are
// camelCase; integer IDs address most of them, meetingNumber addresses rooms
// and meetings, and a subscriber's sid addresses it.
//
// Lists come back as {"<collection>": [...], "last": i, "offset": o,
// "total": n} — the shape of CarrierX's only v1 list sample — and are read
// into ConfV1Page. A Core-style envelope ({"items": ...}) is read too, as the
// shape of v1's other lists is not confirmed. ListOptions apply as on Core
// (limit, offset, order; filter and field selection are not confirmed for
// v1). Updates are PUT, changing only the fields sent.

// ConfV1Millis is a Conference v1 timestamp: UNIX milliseconds.
type ConfV1Millis int64

// Time returns the timestamp as a UTC time.
func (m ConfV1Millis) Time() time.Time { return time.UnixMilli(int64(m)).UTC() }

// Conference v1 roles of access codes and calls.
const (
	ConfV1RoleHost        = 1
	ConfV1RoleParticipant = 2
	ConfV1RoleListener    = 3
)

// Conference v1 subscriber roles.
const (
	ConfV1SubscriberAdministrator = 1
	ConfV1SubscriberOperator      = 2
	ConfV1SubscriberRegular       = 3
)

// ConfV1Page is one page of a Conference v1 list.
type ConfV1Page[T any] struct {
	Items  []T
	Offset int
	Last   int // index of the page's last item
	Total  int
}

// ConfV1Value is an attribute value. CarrierX answers it as a string; a
// number (as clients may send) is kept as its text.
type ConfV1Value string

// UnmarshalJSON accepts a string, a number or a boolean (null is "").
func (v *ConfV1Value) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = ConfV1Value(s)
		return nil
	}
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*v = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*v = ConfV1Value(n)
		return nil
	}
	var t bool
	if err := json.Unmarshal(b, &t); err != nil {
		return fmt.Errorf("carrierx: attribute value %s is not a string or a number", b)
	}
	*v = ConfV1Value(strconv.FormatBool(t))
	return nil
}

// ConfV1Attribute is a meeting attribute (call flow setting) as set on a
// meeting room, DID, DID group or meeting, or as a call flow's template.
type ConfV1Attribute struct {
	Description string      `json:"description,omitempty"`
	EnumValues  *string     `json:"enumValues,omitempty"` // choices, for type 5
	Group       int         `json:"group"`                // levels that may override it (bits: 1 flow/group, 2 DID, 4 room)
	Name        string      `json:"name"`
	Type        *int        `json:"type,omitempty"` // 0 string, 2 integer, 3 DTMF, 4 role, 5 choice, ...
	Value       ConfV1Value `json:"value"`
}

// ConfV1AttributeSet sets one attribute in a write.
type ConfV1AttributeSet struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ConfV1CallFlow is a call flow: how calls into the account are handled.
type ConfV1CallFlow struct {
	AttributeTemplates []ConfV1Attribute `json:"attributeTemplates"`
	ID                 int64             `json:"id"`
	Name               string            `json:"name"`
	Path               string            `json:"path"`
}

// ConfV1Call is a caller connected to a meeting.
type ConfV1Call struct {
	AccessCode       string       `json:"accessCode"`
	AddressFrom      string       `json:"addressFrom"`
	AddressTo        string       `json:"addressTo"`
	BridgeName       string       `json:"bridgeName"` // ro
	Callee           string       `json:"callee"`     // the DID dialled
	Caller           string       `json:"caller"`
	Codec            string       `json:"codec"`
	ConnectionStatus int          `json:"connectionStatus"` // 0 inbound, 1 outbound
	Created          ConfV1Millis `json:"created"`          // ro
	CustomName       string       `json:"customName"`
	Duration         int          `json:"duration"` // ro, seconds
	GainLevel        int          `json:"gainLevel"`
	HoldMode         int          `json:"holdMode"` // 0, or 40 on hold
	ID               int64        `json:"id"`       // ro
	Joined           ConfV1Millis `json:"joined"`   // ro
	MeetingNumber    int64        `json:"meetingNumber"`
	MuteMode         int          `json:"muteMode"` // 0 unmuted; 32, 36, 40 muted
	NodeName         string       `json:"nodeName"`
	PresenterMedia   int          `json:"presenterMedia"`
	QAMode           int          `json:"qaMode"` // ro
	Role             int          `json:"role"`   // ConfV1RoleHost, ...
	State            int          `json:"state"`
}

// Muted reports whether the call is muted.
func (c ConfV1Call) Muted() bool { return c.MuteMode != 0 }

// ConfV1MuteModeMuted is the muteMode that mutes a call (participants and
// listeners muted).
const ConfV1MuteModeMuted = 40

// ConfV1CallUpdate is the body of Update Call: only the fields set are sent.
type ConfV1CallUpdate struct {
	AccessCode       Optional[string] `json:"accessCode,omitzero"`
	AddressFrom      Optional[string] `json:"addressFrom,omitzero"`
	AddressTo        Optional[string] `json:"addressTo,omitzero"`
	Callee           Optional[string] `json:"callee,omitzero"`
	Caller           Optional[string] `json:"caller,omitzero"`
	Codec            Optional[string] `json:"codec,omitzero"`
	ConnectionStatus Optional[int]    `json:"connectionStatus,omitzero"`
	CustomName       Optional[string] `json:"customName,omitzero"`
	GainLevel        Optional[int]    `json:"gainLevel,omitzero"`
	HoldMode         Optional[int]    `json:"holdMode,omitzero"`
	MuteMode         Optional[int]    `json:"muteMode,omitzero"`
	NodeName         Optional[string] `json:"nodeName,omitzero"`
	PresenterMedia   Optional[int]    `json:"presenterMedia,omitzero"`
	Role             Optional[int]    `json:"role,omitzero"`
	State            Optional[int]    `json:"state,omitzero"`
}

// ConfV1DID is a phone number leading to the account's meeting rooms.
type ConfV1DID struct {
	Attributes  []ConfV1Attribute `json:"attributes"`
	CountryCode string            `json:"countryCode"` // ro, ISO alpha-2 ("US")
	DIDGroupID  int64             `json:"didGroupId"`
	ID          int64             `json:"id"` // ro
	PhoneNumber string            `json:"phoneNumber"`
	State       int               `json:"state"` // ro
}

// ConfV1DIDUpdate is the body of Create/Update DID. Create needs
// PhoneNumber (a number the partner rents) and DIDGroupID; PhoneNumber
// cannot change afterwards.
type ConfV1DIDUpdate struct {
	Attributes  Optional[[]ConfV1AttributeSet] `json:"attributes,omitzero"`
	DIDGroupID  Optional[int64]                `json:"didGroupId,omitzero"`
	PhoneNumber Optional[string]               `json:"phoneNumber,omitzero"`
}

// ConfV1DIDGroup is a set of the account's DIDs with a call flow.
type ConfV1DIDGroup struct {
	Attributes    []ConfV1Attribute `json:"attributes"`
	CallFlowID    int64             `json:"callFlowId"`
	Description   string            `json:"description"`
	DIDs          []ConfV1DID       `json:"dids"` // ro
	ID            int64             `json:"id"`   // ro
	Name          string            `json:"name"`
	State         int               `json:"state"`         // ro
	SubscriberSID string            `json:"subscriberSid"` // ro
}

// ConfV1DIDGroupUpdate is the body of Create/Update DID Group. Create
// needs Name and CallFlowID.
type ConfV1DIDGroupUpdate struct {
	Attributes  Optional[[]ConfV1AttributeSet] `json:"attributes,omitzero"`
	CallFlowID  Optional[int64]                `json:"callFlowId,omitzero"`
	Description Optional[string]               `json:"description,omitzero"`
	Name        Optional[string]               `json:"name,omitzero"`
}

// ConfV1Meeting is a meeting in progress in a meeting room.
type ConfV1Meeting struct {
	Attributes       []ConfV1Attribute `json:"attributes"`
	Created          ConfV1Millis      `json:"created"`
	Duration         int               `json:"duration"` // seconds since it started
	HoldMode         int               `json:"holdMode"`
	ID               int64             `json:"id"`
	IsRecording      bool              `json:"isRecording"`
	IsSecured        bool              `json:"isSecured"`
	MeetingNumber    int64             `json:"meetingNumber"`
	MuteMode         int               `json:"muteMode"`
	ParticipantCount int               `json:"participantCount"`
	QAMode           int               `json:"qaMode"`
}

// ConfV1DIDGroupReference names a DID group whose numbers lead to a meeting
// room (or a subscriber).
type ConfV1DIDGroupReference struct {
	DIDGroupID int64 `json:"didGroupId"`
	State      int   `json:"state"`
}

// ConfV1MeetingKey is an access code of a meeting room and the role it
// gives. In a write, a zero ID is a new key and an empty AccessCode is
// generated.
type ConfV1MeetingKey struct {
	AccessCode    string `json:"accessCode,omitempty"`
	ID            int64  `json:"id,omitempty"`
	MeetingRoomID int64  `json:"meetingRoomId,omitempty"` // answered on create and update only
	Role          int    `json:"role"`                    // ConfV1RoleHost, ...
}

// ConfV1MeetingKeyUpdate is the body of Create/Update Meeting Key. Create
// needs Role.
type ConfV1MeetingKeyUpdate struct {
	AccessCode Optional[string] `json:"accessCode,omitzero"`
	Role       Optional[int]    `json:"role,omitzero"`
}

// ConfV1MeetingRoom holds a meeting's configuration and its access codes.
type ConfV1MeetingRoom struct {
	Attributes         []ConfV1Attribute         `json:"attributes"`
	Created            ConfV1Millis              `json:"created"` // ro
	Description        string                    `json:"description"`
	DIDGroupReferences []ConfV1DIDGroupReference `json:"didGroupReferences"`
	Keychain           []ConfV1MeetingKey        `json:"keychain"`
	MeetingNumber      int64                     `json:"meetingNumber"` // not an access code
	PrimaryDIDGroupID  int64                     `json:"primaryDidGroupId"`
	SubscriberSID      string                    `json:"subscriberSid"` // ro
}

// ConfV1MeetingRoomUpdate is the body of Create/Update Meeting Room.
// Create needs PrimaryDIDGroupID. Keychain replaces the room's keys (an
// entry with the ID of an existing key keeps it).
type ConfV1MeetingRoomUpdate struct {
	Attributes         Optional[[]ConfV1AttributeSet]      `json:"attributes,omitzero"`
	Description        Optional[string]                    `json:"description,omitzero"`
	DIDGroupReferences Optional[[]ConfV1DIDGroupReference] `json:"didGroupReferences,omitzero"`
	Keychain           Optional[[]ConfV1MeetingKey]        `json:"keychain,omitzero"`
	MeetingNumber      Optional[int64]                     `json:"meetingNumber,omitzero"`
	PrimaryDIDGroupID  Optional[int64]                     `json:"primaryDidGroupId,omitzero"`
}

// ConfV1Callback is where a subscriber's events are posted.
type ConfV1Callback struct {
	ID  int64  `json:"id"`
	URL string `json:"url"`
}

// ConfV1Subscriber is a person or organization of the account.
type ConfV1Subscriber struct {
	AuthenticationToken string                    `json:"authenticationToken"` // ro
	Callback            *ConfV1Callback           `json:"callback"`
	Created             ConfV1Millis              `json:"created"` // ro
	Details             string                    `json:"details"`
	DIDGroupReferences  []ConfV1DIDGroupReference `json:"didGroupReferences"`
	Email               string                    `json:"email"`
	Ext                 string                    `json:"ext"`
	ExternalID          int64                     `json:"externalId"` // ro
	FirstName           string                    `json:"firstName"`
	LastName            string                    `json:"lastName"`
	Login               string                    `json:"login"`
	MeetingRooms        json.RawMessage           `json:"meetingRooms,omitempty"` // shape not documented
	ParentSID           string                    `json:"parentSid"`              // ro
	PhoneNumber         string                    `json:"phoneNumber"`
	Role                int                       `json:"role"` // ConfV1SubscriberAdministrator, ...
	SID                 string                    `json:"sid"`  // ro
}

// ConfV1SubscriberUpdate is the body of Create/Update Subscriber. Create
// needs Login and Password. EventCallbackURL sets the callback's URL (empty
// clears it).
type ConfV1SubscriberUpdate struct {
	Details            Optional[string]                    `json:"details,omitzero"`
	DIDGroupReferences Optional[[]ConfV1DIDGroupReference] `json:"didGroupReferences,omitzero"`
	Email              Optional[string]                    `json:"email,omitzero"`
	EventCallbackURL   Optional[string]                    `json:"eventCallbackUrl,omitzero"`
	Ext                Optional[string]                    `json:"ext,omitzero"`
	FirstName          Optional[string]                    `json:"firstName,omitzero"`
	LastName           Optional[string]                    `json:"lastName,omitzero"`
	Login              Optional[string]                    `json:"login,omitzero"`
	Password           Optional[string]                    `json:"password,omitzero"`
	PhoneNumber        Optional[string]                    `json:"phoneNumber,omitzero"`
	Role               Optional[int]                       `json:"role,omitzero"`
}

// ConfV1File describes a subscriber's media file.
type ConfV1File struct {
	Duration int64  `json:"duration"` // milliseconds
	Name     string `json:"name"`
	Size     int64  `json:"size"` // bytes
	URL      string `json:"url"`  // internal URL
}

// --- helpers -----------------------------------------------------------------

func confV1ID(id int64) string { return strconv.FormatInt(id, 10) }

func requireConfV1ID(what string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("carrierx: invalid %s %d", what, id)
	}
	return nil
}

// confV1List fetches one page of a v1 collection whose items come under key.
func confV1List[T any](ctx context.Context, a *ConferenceV1, path, key string, opts ListOptions) (*ConfV1Page[T], error) {
	q, err := opts.Query()
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := a.c.do(ctx, conferenceV1.get(path, q), &raw); err != nil {
		return nil, err
	}
	return decodeConfV1Page[T](raw, key)
}

func decodeConfV1Page[T any](raw map[string]json.RawMessage, key string) (*ConfV1Page[T], error) {
	items, ok := raw[key]
	if !ok {
		items, ok = raw["items"]
	}
	if !ok {
		return nil, fmt.Errorf("carrierx: the Conference v1 answer has no %q list", key)
	}
	p := &ConfV1Page[T]{}
	if err := json.Unmarshal(items, &p.Items); err != nil {
		return nil, fmt.Errorf("carrierx: decoding the Conference v1 %s list: %w", key, err)
	}
	for name, dst := range map[string]*int{"offset": &p.Offset, "last": &p.Last, "total": &p.Total} {
		if v, ok := raw[name]; ok {
			_ = json.Unmarshal(v, dst) // null leaves 0
		}
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p, nil
}

func confV1Get[T any](ctx context.Context, a *ConferenceV1, path string) (*T, error) {
	return getOne[T](ctx, a.c, conferenceV1, path, nil)
}

func confV1Send[T any](ctx context.Context, a *ConferenceV1, method, path string, body any) (*T, error) {
	return send[T](ctx, a.c, conferenceV1, method, path, nil, body)
}

func confV1Delete(ctx context.Context, a *ConferenceV1, path string) error {
	return remove(ctx, a.c, conferenceV1, path, nil)
}

func confV1SubscriberPath(sid string) (string, error) {
	if err := requireSID("subscriber sid", sid); err != nil {
		return "", err
	}
	return "/subscribers/" + pathEscape(sid), nil
}

func confV1RoomPath(subscriberSID string, meetingNumber int64) (string, error) {
	if err := requireConfV1ID("meetingNumber", meetingNumber); err != nil {
		return "", err
	}
	if subscriberSID == "" {
		return "/meetingRooms/" + confV1ID(meetingNumber), nil
	}
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return "", err
	}
	return p + "/meetingRooms/" + confV1ID(meetingNumber), nil
}

// --- call flows ----------------------------------------------------------------

// ListCallFlows returns one page of the account's call flows.
func (a *ConferenceV1) ListCallFlows(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1CallFlow], error) {
	return confV1List[ConfV1CallFlow](ctx, a, "/callFlows", "callFlows", opts)
}

// GetCallFlow returns one call flow.
func (a *ConferenceV1) GetCallFlow(ctx context.Context, id int64) (*ConfV1CallFlow, error) {
	if err := requireConfV1ID("call flow id", id); err != nil {
		return nil, err
	}
	return confV1Get[ConfV1CallFlow](ctx, a, "/callFlows/"+confV1ID(id))
}

// --- calls ---------------------------------------------------------------------

// ListCalls returns one page of the calls connected to the account's
// meetings.
func (a *ConferenceV1) ListCalls(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1Call], error) {
	return confV1List[ConfV1Call](ctx, a, "/calls", "calls", opts)
}

// GetCall returns one connected call.
func (a *ConferenceV1) GetCall(ctx context.Context, id int64) (*ConfV1Call, error) {
	if err := requireConfV1ID("call id", id); err != nil {
		return nil, err
	}
	return confV1Get[ConfV1Call](ctx, a, "/calls/"+confV1ID(id))
}

// UpdateCall changes a connected call (PUT): mute it with MuteMode
// (ConfV1MuteModeMuted; 0 unmutes), hold it with HoldMode, name it with
// CustomName. CarrierX answers the call in a one-item list; a bare call
// object is read too.
func (a *ConferenceV1) UpdateCall(ctx context.Context, id int64, u ConfV1CallUpdate) (*ConfV1Call, error) {
	if err := requireConfV1ID("call id", id); err != nil {
		return nil, err
	}
	raw, err := confV1Send[json.RawMessage](ctx, a, http.MethodPut, "/calls/"+confV1ID(id), u)
	if err != nil {
		return nil, err
	}
	var env map[string]json.RawMessage
	if json.Unmarshal(*raw, &env) == nil {
		if _, listed := env["calls"]; listed {
			p, err := decodeConfV1Page[ConfV1Call](env, "calls")
			if err != nil {
				return nil, err
			}
			if len(p.Items) != 1 {
				return nil, fmt.Errorf("carrierx: Update Call answered %d calls", len(p.Items))
			}
			return &p.Items[0], nil
		}
	}
	var c ConfV1Call
	if err := json.Unmarshal(*raw, &c); err != nil {
		return nil, fmt.Errorf("carrierx: decoding the updated call: %w", err)
	}
	return &c, nil
}

// HangUpCall disconnects a call (DELETE, 204). A meeting ends with its last
// call.
func (a *ConferenceV1) HangUpCall(ctx context.Context, id int64) error {
	if err := requireConfV1ID("call id", id); err != nil {
		return err
	}
	return confV1Delete(ctx, a, "/calls/"+confV1ID(id))
}

// --- DIDs ----------------------------------------------------------------------

// CreateDID adds a number to a DID group of the account.
func (a *ConferenceV1) CreateDID(ctx context.Context, d ConfV1DIDUpdate) (*ConfV1DID, error) {
	return confV1Send[ConfV1DID](ctx, a, http.MethodPost, "/dids", d)
}

// ListDIDs returns one page of the account's DIDs.
func (a *ConferenceV1) ListDIDs(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1DID], error) {
	return confV1List[ConfV1DID](ctx, a, "/dids", "dids", opts)
}

// GetDID returns one DID.
func (a *ConferenceV1) GetDID(ctx context.Context, id int64) (*ConfV1DID, error) {
	if err := requireConfV1ID("DID id", id); err != nil {
		return nil, err
	}
	return confV1Get[ConfV1DID](ctx, a, "/dids/"+confV1ID(id))
}

// UpdateDID changes the fields set in u (PUT).
func (a *ConferenceV1) UpdateDID(ctx context.Context, id int64, u ConfV1DIDUpdate) (*ConfV1DID, error) {
	if err := requireConfV1ID("DID id", id); err != nil {
		return nil, err
	}
	return confV1Send[ConfV1DID](ctx, a, http.MethodPut, "/dids/"+confV1ID(id), u)
}

// DeleteDID removes a DID from the account (the number stays rented).
func (a *ConferenceV1) DeleteDID(ctx context.Context, id int64) error {
	if err := requireConfV1ID("DID id", id); err != nil {
		return err
	}
	return confV1Delete(ctx, a, "/dids/"+confV1ID(id))
}

// --- DID groups ----------------------------------------------------------------

// CreateDIDGroup creates a DID group.
func (a *ConferenceV1) CreateDIDGroup(ctx context.Context, g ConfV1DIDGroupUpdate) (*ConfV1DIDGroup, error) {
	return confV1Send[ConfV1DIDGroup](ctx, a, http.MethodPost, "/didGroups", g)
}

// ListDIDGroups returns one page of the account's DID groups.
func (a *ConferenceV1) ListDIDGroups(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1DIDGroup], error) {
	return confV1List[ConfV1DIDGroup](ctx, a, "/didGroups", "didGroups", opts)
}

// GetDIDGroup returns one DID group with its DIDs.
func (a *ConferenceV1) GetDIDGroup(ctx context.Context, id int64) (*ConfV1DIDGroup, error) {
	if err := requireConfV1ID("DID group id", id); err != nil {
		return nil, err
	}
	return confV1Get[ConfV1DIDGroup](ctx, a, "/didGroups/"+confV1ID(id))
}

// UpdateDIDGroup changes the fields set in u (PUT).
func (a *ConferenceV1) UpdateDIDGroup(ctx context.Context, id int64, u ConfV1DIDGroupUpdate) (*ConfV1DIDGroup, error) {
	if err := requireConfV1ID("DID group id", id); err != nil {
		return nil, err
	}
	return confV1Send[ConfV1DIDGroup](ctx, a, http.MethodPut, "/didGroups/"+confV1ID(id), u)
}

// DeleteDIDGroup deletes a DID group. The sandbox refuses (409) while DIDs,
// rooms or subscribers refer to it.
func (a *ConferenceV1) DeleteDIDGroup(ctx context.Context, id int64) error {
	if err := requireConfV1ID("DID group id", id); err != nil {
		return err
	}
	return confV1Delete(ctx, a, "/didGroups/"+confV1ID(id))
}

// --- meetings ------------------------------------------------------------------

// ListMeetings returns one page of the meetings in progress.
func (a *ConferenceV1) ListMeetings(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1Meeting], error) {
	return confV1List[ConfV1Meeting](ctx, a, "/meetings", "meetings", opts)
}

// GetMeeting returns the meeting in progress in room meetingNumber.
func (a *ConferenceV1) GetMeeting(ctx context.Context, meetingNumber int64) (*ConfV1Meeting, error) {
	if err := requireConfV1ID("meetingNumber", meetingNumber); err != nil {
		return nil, err
	}
	return confV1Get[ConfV1Meeting](ctx, a, "/meetings/"+confV1ID(meetingNumber))
}

// GetMeetingAttributes lists the attributes of a meeting in progress.
func (a *ConferenceV1) GetMeetingAttributes(ctx context.Context, meetingNumber int64, opts ListOptions) (*ConfV1Page[ConfV1Attribute], error) {
	if err := requireConfV1ID("meetingNumber", meetingNumber); err != nil {
		return nil, err
	}
	return confV1List[ConfV1Attribute](ctx, a, "/meetings/"+confV1ID(meetingNumber)+"/attributes", "attributes", opts)
}

// UpdateMeetingAttribute sets one attribute of a meeting in progress.
func (a *ConferenceV1) UpdateMeetingAttribute(ctx context.Context, meetingNumber int64, name, value string) (*ConfV1Attribute, error) {
	if err := requireConfV1ID("meetingNumber", meetingNumber); err != nil {
		return nil, err
	}
	if err := requireSID("attribute name", name); err != nil {
		return nil, err
	}
	return confV1Send[ConfV1Attribute](ctx, a, http.MethodPut,
		"/meetings/"+confV1ID(meetingNumber)+"/attributes/"+pathEscape(name), map[string]string{"value": value})
}

// EndMeeting ends a meeting in progress, disconnecting its calls (DELETE).
func (a *ConferenceV1) EndMeeting(ctx context.Context, meetingNumber int64) error {
	if err := requireConfV1ID("meetingNumber", meetingNumber); err != nil {
		return err
	}
	return confV1Delete(ctx, a, "/meetings/"+confV1ID(meetingNumber))
}

// --- meeting rooms -------------------------------------------------------------

// CreateMeetingRoom creates a meeting room for the caller (the account
// owner).
func (a *ConferenceV1) CreateMeetingRoom(ctx context.Context, r ConfV1MeetingRoomUpdate) (*ConfV1MeetingRoom, error) {
	return confV1Send[ConfV1MeetingRoom](ctx, a, http.MethodPost, "/meetingRooms", r)
}

// ListMeetingRooms returns one page of every meeting room of the account.
func (a *ConferenceV1) ListMeetingRooms(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1MeetingRoom], error) {
	return confV1List[ConfV1MeetingRoom](ctx, a, "/meetingRooms", "meetingRooms", opts)
}

// GetMeetingRoom returns one of the account's meeting rooms.
func (a *ConferenceV1) GetMeetingRoom(ctx context.Context, meetingNumber int64) (*ConfV1MeetingRoom, error) {
	return a.GetSubscriberMeetingRoom(ctx, "", meetingNumber)
}

// UpdateMeetingRoom changes the fields set in u (PUT).
func (a *ConferenceV1) UpdateMeetingRoom(ctx context.Context, meetingNumber int64, u ConfV1MeetingRoomUpdate) (*ConfV1MeetingRoom, error) {
	return a.UpdateSubscriberMeetingRoom(ctx, "", meetingNumber, u)
}

// DeleteMeetingRoom deletes a meeting room. The sandbox refuses (409) while
// a meeting is in progress there.
func (a *ConferenceV1) DeleteMeetingRoom(ctx context.Context, meetingNumber int64) error {
	return a.DeleteSubscriberMeetingRoom(ctx, "", meetingNumber)
}

// CreateSubscriberMeetingRoom creates a meeting room for a subscriber.
func (a *ConferenceV1) CreateSubscriberMeetingRoom(ctx context.Context, subscriberSID string, r ConfV1MeetingRoomUpdate) (*ConfV1MeetingRoom, error) {
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return nil, err
	}
	return confV1Send[ConfV1MeetingRoom](ctx, a, http.MethodPost, p+"/meetingRooms", r)
}

// ListSubscriberMeetingRooms returns one page of a subscriber's meeting
// rooms.
func (a *ConferenceV1) ListSubscriberMeetingRooms(ctx context.Context, subscriberSID string, opts ListOptions) (*ConfV1Page[ConfV1MeetingRoom], error) {
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return nil, err
	}
	return confV1List[ConfV1MeetingRoom](ctx, a, p+"/meetingRooms", "meetingRooms", opts)
}

// GetSubscriberMeetingRoom returns one of a subscriber's meeting rooms
// (subscriberSID "": any room of the account).
func (a *ConferenceV1) GetSubscriberMeetingRoom(ctx context.Context, subscriberSID string, meetingNumber int64) (*ConfV1MeetingRoom, error) {
	p, err := confV1RoomPath(subscriberSID, meetingNumber)
	if err != nil {
		return nil, err
	}
	return confV1Get[ConfV1MeetingRoom](ctx, a, p)
}

// UpdateSubscriberMeetingRoom changes the fields set in u (PUT).
func (a *ConferenceV1) UpdateSubscriberMeetingRoom(ctx context.Context, subscriberSID string, meetingNumber int64, u ConfV1MeetingRoomUpdate) (*ConfV1MeetingRoom, error) {
	p, err := confV1RoomPath(subscriberSID, meetingNumber)
	if err != nil {
		return nil, err
	}
	return confV1Send[ConfV1MeetingRoom](ctx, a, http.MethodPut, p, u)
}

// DeleteSubscriberMeetingRoom deletes one of a subscriber's meeting rooms.
func (a *ConferenceV1) DeleteSubscriberMeetingRoom(ctx context.Context, subscriberSID string, meetingNumber int64) error {
	p, err := confV1RoomPath(subscriberSID, meetingNumber)
	if err != nil {
		return err
	}
	return confV1Delete(ctx, a, p)
}

// --- keychain ------------------------------------------------------------------

func confV1KeyPath(subscriberSID string, meetingNumber, keyID int64) (string, error) {
	if subscriberSID == "" {
		return "", errEmpty("subscriber sid")
	}
	p, err := confV1RoomPath(subscriberSID, meetingNumber)
	if err != nil {
		return "", err
	}
	p += "/keychain"
	if keyID != 0 {
		if err := requireConfV1ID("meeting key id", keyID); err != nil {
			return "", err
		}
		p += "/" + confV1ID(keyID)
	}
	return p, nil
}

// CreateMeetingKey adds an access code to a subscriber's meeting room (an
// empty AccessCode is generated).
func (a *ConferenceV1) CreateMeetingKey(ctx context.Context, subscriberSID string, meetingNumber int64, k ConfV1MeetingKeyUpdate) (*ConfV1MeetingKey, error) {
	p, err := confV1KeyPath(subscriberSID, meetingNumber, 0)
	if err != nil {
		return nil, err
	}
	return confV1Send[ConfV1MeetingKey](ctx, a, http.MethodPost, p, k)
}

// ListMeetingKeys returns one page of a meeting room's keys.
func (a *ConferenceV1) ListMeetingKeys(ctx context.Context, subscriberSID string, meetingNumber int64, opts ListOptions) (*ConfV1Page[ConfV1MeetingKey], error) {
	p, err := confV1KeyPath(subscriberSID, meetingNumber, 0)
	if err != nil {
		return nil, err
	}
	return confV1List[ConfV1MeetingKey](ctx, a, p, "keychain", opts)
}

// GetMeetingKey returns one key of a meeting room.
func (a *ConferenceV1) GetMeetingKey(ctx context.Context, subscriberSID string, meetingNumber, keyID int64) (*ConfV1MeetingKey, error) {
	if err := requireConfV1ID("meeting key id", keyID); err != nil {
		return nil, err
	}
	p, err := confV1KeyPath(subscriberSID, meetingNumber, keyID)
	if err != nil {
		return nil, err
	}
	return confV1Get[ConfV1MeetingKey](ctx, a, p)
}

// UpdateMeetingKey changes the fields set in u (PUT).
func (a *ConferenceV1) UpdateMeetingKey(ctx context.Context, subscriberSID string, meetingNumber, keyID int64, u ConfV1MeetingKeyUpdate) (*ConfV1MeetingKey, error) {
	if err := requireConfV1ID("meeting key id", keyID); err != nil {
		return nil, err
	}
	p, err := confV1KeyPath(subscriberSID, meetingNumber, keyID)
	if err != nil {
		return nil, err
	}
	return confV1Send[ConfV1MeetingKey](ctx, a, http.MethodPut, p, u)
}

// DeleteMeetingKey removes an access code from a meeting room.
func (a *ConferenceV1) DeleteMeetingKey(ctx context.Context, subscriberSID string, meetingNumber, keyID int64) error {
	if err := requireConfV1ID("meeting key id", keyID); err != nil {
		return err
	}
	p, err := confV1KeyPath(subscriberSID, meetingNumber, keyID)
	if err != nil {
		return err
	}
	return confV1Delete(ctx, a, p)
}

// --- subscribers -----------------------------------------------------------------

// CreateSubscriber creates a subscriber of the account.
func (a *ConferenceV1) CreateSubscriber(ctx context.Context, s ConfV1SubscriberUpdate) (*ConfV1Subscriber, error) {
	return confV1Send[ConfV1Subscriber](ctx, a, http.MethodPost, "/subscribers", s)
}

// WhoAmI returns the subscriber the client authenticates as (the account
// owner, for an endpoint's credentials).
func (a *ConferenceV1) WhoAmI(ctx context.Context) (*ConfV1Subscriber, error) {
	return confV1Get[ConfV1Subscriber](ctx, a, "/subscribers/whoami")
}

// ListSubscribers returns one page of the account's subscribers.
func (a *ConferenceV1) ListSubscribers(ctx context.Context, opts ListOptions) (*ConfV1Page[ConfV1Subscriber], error) {
	return confV1List[ConfV1Subscriber](ctx, a, "/subscribers", "subscribers", opts)
}

// GetSubscriber returns one subscriber.
func (a *ConferenceV1) GetSubscriber(ctx context.Context, sid string) (*ConfV1Subscriber, error) {
	p, err := confV1SubscriberPath(sid)
	if err != nil {
		return nil, err
	}
	return confV1Get[ConfV1Subscriber](ctx, a, p)
}

// UpdateSubscriber changes the fields set in u (PUT).
func (a *ConferenceV1) UpdateSubscriber(ctx context.Context, sid string, u ConfV1SubscriberUpdate) (*ConfV1Subscriber, error) {
	p, err := confV1SubscriberPath(sid)
	if err != nil {
		return nil, err
	}
	return confV1Send[ConfV1Subscriber](ctx, a, http.MethodPut, p, u)
}

// DeleteSubscriber deletes a subscriber with its meeting rooms and files.
func (a *ConferenceV1) DeleteSubscriber(ctx context.Context, sid string) error {
	p, err := confV1SubscriberPath(sid)
	if err != nil {
		return err
	}
	return confV1Delete(ctx, a, p)
}

// Logout logs the subscriber out (POST /subscribers/logout). With the HTTP
// Basic credentials this client uses there is no session on the server, so
// the client keeps working.
func (a *ConferenceV1) Logout(ctx context.Context) error {
	return a.c.do(ctx, &request{method: http.MethodPost, path: conferenceV1.base + "/subscribers/logout"}, nil)
}

// --- files -----------------------------------------------------------------------

// UploadFile uploads a media file (WAV or MP3) named name for a subscriber.
// r is streamed as multipart/form-data (part "file"), never read whole into
// memory. UploadFile returns once r has been read or the request has
// failed; it does not close r.
func (a *ConferenceV1) UploadFile(ctx context.Context, subscriberSID, name string, r io.Reader) (*ConfV1File, error) {
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errEmpty("file name")
	}
	if r == nil {
		return nil, errors.New("carrierx: nil file reader")
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, r)
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	var out ConfV1File
	err = a.c.confV1Upload(ctx, &request{method: http.MethodPost, path: conferenceV1.base + p + "/files"}, pr, mw.FormDataContentType(), &out)
	_ = pr.CloseWithError(errors.New("carrierx: upload finished"))
	<-done
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// confV1Upload sends body as the request's body, streamed, with contentType; no
// retries (the body cannot be replayed). The answer is read as by do.
func (c *Client) confV1Upload(ctx context.Context, req *request, body io.Reader, contentType string, out any) error {
	if c.baseErr != nil {
		return c.baseErr
	}
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	target, err := c.buildURL(req)
	if err != nil {
		return err
	}
	ePath := target.EscapedPath()
	hreq, err := http.NewRequestWithContext(ctx, req.method, target.String(), body)
	if err != nil {
		return fmt.Errorf("carrierx: %s %s: building request: %w", req.method, ePath, err)
	}
	hreq.Header.Set("Content-Type", contentType)
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	switch c.auth {
	case authBearer:
		hreq.Header.Set("Authorization", "Bearer "+c.token)
	case authBasic:
		hreq.SetBasicAuth(c.login, c.password)
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("carrierx: %s %s: %w", req.method, ePath, ctx.Err())
		}
		return fmt.Errorf("carrierx: %s %s: %w", req.method, ePath, unwrapURLError(err))
	}
	return c.handleResponse(resp, req, ePath, out)
}

// ListFiles returns one page of a subscriber's media files.
func (a *ConferenceV1) ListFiles(ctx context.Context, subscriberSID string, opts ListOptions) (*ConfV1Page[ConfV1File], error) {
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return nil, err
	}
	return confV1List[ConfV1File](ctx, a, p+"/files", "files", opts)
}

// DeleteFiles deletes every media file of a subscriber.
func (a *ConferenceV1) DeleteFiles(ctx context.Context, subscriberSID string) error {
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return err
	}
	return confV1Delete(ctx, a, p+"/files")
}

// DeleteFile deletes one media file of a subscriber.
func (a *ConferenceV1) DeleteFile(ctx context.Context, subscriberSID, name string) error {
	p, err := confV1SubscriberPath(subscriberSID)
	if err != nil {
		return err
	}
	if name == "" {
		return errEmpty("file name")
	}
	return confV1Delete(ctx, a, p+"/files/"+pathEscape(name))
}
