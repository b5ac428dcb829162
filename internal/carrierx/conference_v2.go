package carrierx

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// Conference v2 (§4.15): the API of one conference_v2 endpoint. Its account
// holds meeting rooms (with access codes by role), DID groups and the DIDs
// routed to the endpoint; meetings and calls exist while callers are
// connected. Call flows are CarrierX's and read-only. Properties at each
// level (call flow, account, DID group, DID / meeting room) override the
// level above.

// Access roles of a meeting room's codes and of calls.
const (
	ConfV2RoleHost        = "host"
	ConfV2RoleParticipant = "participant"
	ConfV2RoleListener    = "listener"
)

// Values of a meeting's ParticipantMuted: "false" mutes listeners only,
// "relaxed" mutes participants too but lets them unmute themselves, "true"
// mutes participants and listeners.
const (
	ConfV2ParticipantMutedFalse   = "false"
	ConfV2ParticipantMutedRelaxed = "relaxed"
	ConfV2ParticipantMutedTrue    = "true"
)

// ConfV2Account is the endpoint's account. Its password is write-only.
type ConfV2Account struct {
	AccountSID  string     `json:"account_sid"`
	CallFlowSID string     `json:"call_flow_sid"` // the default call flow
	DateCreated time.Time  `json:"date_created"`
	Login       string     `json:"login"`
	Name        string     `json:"name"`
	Properties  Attributes `json:"properties"`
}

// ConfV2AccountUpdate is the body of an account PATCH: only the fields set
// are sent. A new Password is the endpoint's new API password: build a new
// client from the endpoint (GET it from Core) afterwards.
type ConfV2AccountUpdate struct {
	CallFlowSID Optional[string]     `json:"call_flow_sid,omitzero"`
	Name        Optional[string]     `json:"name,omitzero"`
	Password    Optional[string]     `json:"password,omitzero"`
	Properties  Optional[Attributes] `json:"properties,omitzero"`
}

// String describes the update without the password.
func (u ConfV2AccountUpdate) String() string {
	pw := "unset"
	if u.Password.IsSet() {
		pw = "[redacted]"
	}
	return fmt.Sprintf("ConfV2AccountUpdate{call_flow_sid=%v name=%v password=%s}", u.CallFlowSID.v, u.Name.v, pw)
}

// GoString is String, so %#v does not print the password either.
func (u ConfV2AccountUpdate) GoString() string { return u.String() }

type confV2AccountWritable struct {
	CallFlowSID string     `json:"call_flow_sid"`
	Name        string     `json:"name"`
	Properties  Attributes `json:"properties"`
}

// ConfV2CallFlow is one of CarrierX's call flows (secured, direct_host,
// direct_participant) with its base properties.
type ConfV2CallFlow struct {
	CallFlowSID string     `json:"call_flow_sid"`
	Name        string     `json:"name"`
	Properties  Attributes `json:"properties"`
}

// ConfV2DIDGroup groups the account's DIDs (and meeting rooms) under one
// call flow and properties.
type ConfV2DIDGroup struct {
	AccountSID  string     `json:"account_sid"`
	CallFlowSID *string    `json:"call_flow_sid"`
	DIDGroupSID string     `json:"did_group_sid"`
	Name        string     `json:"name"`
	Properties  Attributes `json:"properties"`
}

// ConfV2DIDGroupUpdate is the body of a DID group create or PATCH.
type ConfV2DIDGroupUpdate struct {
	CallFlowSID Optional[string]     `json:"call_flow_sid,omitzero"`
	Name        Optional[string]     `json:"name,omitzero"`
	Properties  Optional[Attributes] `json:"properties,omitzero"`
}

type confV2DIDGroupWritable struct {
	CallFlowSID *string    `json:"call_flow_sid"`
	Name        string     `json:"name"`
	Properties  Attributes `json:"properties"`
}

// ConfV2DID is a phone number the account answers on: one of the partner's
// Core numbers routed to the endpoint.
type ConfV2DID struct {
	AccountSID          string     `json:"account_sid"`
	CallFlowSID         *string    `json:"call_flow_sid"`
	CountryCode         string     `json:"country_code"`
	DIDGroupSID         *string    `json:"did_group_sid"`
	DIDSID              string     `json:"did_sid"`
	InCountryFormat     string     `json:"in_country_format"`
	InternationalFormat string     `json:"international_format"`
	Phonenumber         string     `json:"phonenumber"`
	Properties          Attributes `json:"properties"`
}

// ConfV2DIDUpdate is the body of a DID PATCH (the documented writable
// fields).
type ConfV2DIDUpdate struct {
	CallFlowSID Optional[string]     `json:"call_flow_sid,omitzero"`
	DIDGroupSID Optional[string]     `json:"did_group_sid,omitzero"`
	Properties  Optional[Attributes] `json:"properties,omitzero"`
}

type confV2DIDWritable struct {
	CallFlowSID *string    `json:"call_flow_sid"`
	DIDGroupSID *string    `json:"did_group_sid"`
	Properties  Attributes `json:"properties"`
}

// ConfV2AccessCode is a meeting key: the code a caller enters and the role
// it gives. Codes are unique within the endpoint; one left empty on a write
// is generated.
type ConfV2AccessCode struct {
	AccessCode string `json:"access_code,omitempty"`
	Role       string `json:"role"` // ConfV2RoleHost, ...
}

// ConfV2MeetingRoom holds a meeting's configuration and access codes.
type ConfV2MeetingRoom struct {
	AccessCodes    []ConfV2AccessCode `json:"access_codes"`
	AccountSID     string             `json:"account_sid"`
	DIDGroupSID    *string            `json:"did_group_sid"`
	MeetingRoomSID string             `json:"meeting_room_sid"`
	Name           string             `json:"name"`
	Properties     Attributes         `json:"properties"`
}

// ConfV2MeetingRoomUpdate is the body of a meeting room create or PATCH.
// Every field may be left unset on create (the sandbox then generates one
// code per role).
type ConfV2MeetingRoomUpdate struct {
	AccessCodes Optional[[]ConfV2AccessCode] `json:"access_codes,omitzero"`
	DIDGroupSID Optional[string]             `json:"did_group_sid,omitzero"`
	Name        Optional[string]             `json:"name,omitzero"`
	Properties  Optional[Attributes]         `json:"properties,omitzero"`
}

type confV2MeetingRoomWritable struct {
	AccessCodes []ConfV2AccessCode `json:"access_codes"`
	DIDGroupSID *string            `json:"did_group_sid"`
	Name        string             `json:"name"`
	Properties  Attributes         `json:"properties"`
}

// ConfV2Attendees counts a meeting's calls by role.
type ConfV2Attendees struct {
	Hosts        int `json:"hosts"`
	Listeners    int `json:"listeners"`
	Participants int `json:"participants"`
}

// ConfV2Meeting is a meeting in progress.
type ConfV2Meeting struct {
	AccountSID       string          `json:"account_sid"`
	Attendees        ConfV2Attendees `json:"attendees"`
	DateCreated      time.Time       `json:"date_created"`
	Duration         int             `json:"duration"` // seconds so far
	Locked           bool            `json:"locked"`
	MeetingRoomSID   string          `json:"meeting_room_sid"`
	MeetingSID       string          `json:"meeting_sid"`
	OnHold           *string         `json:"on_hold"`           // "p", "l", "pl": who is on hold
	ParticipantMuted string          `json:"participant_muted"` // ConfV2ParticipantMuted...
	Recording        bool            `json:"recording"`
}

// ConfV2MeetingUpdate is the body of a meeting PATCH (the documented
// writable fields).
type ConfV2MeetingUpdate struct {
	OnHold           Optional[string] `json:"on_hold,omitzero"`
	ParticipantMuted Optional[string] `json:"participant_muted,omitzero"`
}

// ConfV2Call is a caller's call into the conference. The meeting fields,
// role and access code are null until the caller has joined a meeting.
type ConfV2Call struct {
	AccessCode     *string    `json:"access_code"`
	AccountSID     string     `json:"account_sid"`
	CallSID        string     `json:"call_sid"`
	Codecs         string     `json:"codecs"`
	DateCreated    time.Time  `json:"date_created"`
	DateJoined     *time.Time `json:"date_joined"`
	Direction      string     `json:"direction"` // In, Out
	Duration       int        `json:"duration"`  // seconds so far
	GainLevel      int        `json:"gain_level"`
	MeetingRoomSID *string    `json:"meeting_room_sid"`
	MeetingSID     *string    `json:"meeting_sid"`
	Muted          bool       `json:"muted"`
	Name           string     `json:"name"`
	NumberDst      string     `json:"number_dst"` // SIP-style, e.g. "15162065515" <sip:15162065515@...>
	NumberSrc      string     `json:"number_src"` // SIP-style, e.g. <sip:+17605692222@...>
	OnHold         bool       `json:"on_hold"`
	Role           *string    `json:"role"`
}

// ConfV2CallUpdate is the body of a call PATCH (the documented writable
// fields).
type ConfV2CallUpdate struct {
	Muted  Optional[bool]   `json:"muted,omitzero"`
	Name   Optional[string] `json:"name,omitzero"`
	OnHold Optional[bool]   `json:"on_hold,omitzero"`
}

const (
	confV2AccountsPath     = "/accounts"
	confV2CallsPath        = "/calls"
	confV2CallFlowsPath    = "/call_flows"
	confV2DIDsPath         = "/dids"
	confV2DIDGroupsPath    = "/did_groups"
	confV2MeetingsPath     = "/meetings"
	confV2MeetingRoomsPath = "/meeting_rooms"
)

func confV2Path(base, what, sid string) (string, error) {
	if err := requireSID(what, sid); err != nil {
		return "", err
	}
	return base + "/" + pathEscape(sid), nil
}

func nonNilAttributes(a Attributes) Attributes {
	if a == nil {
		return Attributes{}
	}
	return a
}

// ---- Accounts ----

// ListAccounts returns the accounts the credentials reach (the endpoint's own).
func (a *ConferenceV2) ListAccounts(ctx context.Context, opts ListOptions) (*Page[ConfV2Account], error) {
	return listPage[ConfV2Account](ctx, a.c, conferenceV2, confV2AccountsPath, opts)
}

// GetAccount returns one account.
func (a *ConferenceV2) GetAccount(ctx context.Context, sid string) (*ConfV2Account, error) {
	p, err := confV2Path(confV2AccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2Account](ctx, a.c, conferenceV2, p, nil)
}

// WhoAmI returns the account of the credentials used (GET /accounts/whoami).
func (a *ConferenceV2) WhoAmI(ctx context.Context) (*ConfV2Account, error) {
	return getOne[ConfV2Account](ctx, a.c, conferenceV2, confV2AccountsPath+"/whoami", nil)
}

// UpdateAccount changes the fields set in u (PATCH).
func (a *ConferenceV2) UpdateAccount(ctx context.Context, sid string, u ConfV2AccountUpdate) (*ConfV2Account, error) {
	p, err := confV2Path(confV2AccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[ConfV2Account](ctx, a.c, conferenceV2, http.MethodPatch, p, nil, u)
}

// ReplaceAccount replaces the account's writable fields with those of acc
// (PUT); the password is not sent and stays as it is.
func (a *ConferenceV2) ReplaceAccount(ctx context.Context, sid string, acc ConfV2Account) (*ConfV2Account, error) {
	p, err := confV2Path(confV2AccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	w := confV2AccountWritable{CallFlowSID: acc.CallFlowSID, Name: acc.Name, Properties: nonNilAttributes(acc.Properties)}
	return send[ConfV2Account](ctx, a.c, conferenceV2, http.MethodPut, p, nil, w)
}

// ---- Call flows ----

// ListCallFlows returns one page of CarrierX's call flows.
func (a *ConferenceV2) ListCallFlows(ctx context.Context, opts ListOptions) (*Page[ConfV2CallFlow], error) {
	return listPage[ConfV2CallFlow](ctx, a.c, conferenceV2, confV2CallFlowsPath, opts)
}

// GetCallFlow returns one call flow.
func (a *ConferenceV2) GetCallFlow(ctx context.Context, sid string) (*ConfV2CallFlow, error) {
	p, err := confV2Path(confV2CallFlowsPath, "call_flow_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2CallFlow](ctx, a.c, conferenceV2, p, nil)
}

// ---- DIDs ----

// ListDIDs returns one page of the account's DIDs.
func (a *ConferenceV2) ListDIDs(ctx context.Context, opts ListOptions) (*Page[ConfV2DID], error) {
	return listPage[ConfV2DID](ctx, a.c, conferenceV2, confV2DIDsPath, opts)
}

// AllDIDs iterates over every DID of the account matching opts.
func (a *ConferenceV2) AllDIDs(ctx context.Context, opts ListOptions) iter.Seq2[ConfV2DID, error] {
	return allItems[ConfV2DID](ctx, a.c, conferenceV2, confV2DIDsPath, opts)
}

// GetDID returns one DID.
func (a *ConferenceV2) GetDID(ctx context.Context, sid string) (*ConfV2DID, error) {
	p, err := confV2Path(confV2DIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2DID](ctx, a.c, conferenceV2, p, nil)
}

// UpdateDID changes the fields set in u (PATCH).
func (a *ConferenceV2) UpdateDID(ctx context.Context, sid string, u ConfV2DIDUpdate) (*ConfV2DID, error) {
	p, err := confV2Path(confV2DIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[ConfV2DID](ctx, a.c, conferenceV2, http.MethodPatch, p, nil, u)
}

// ReplaceDID replaces the DID's writable fields with those of d (PUT).
func (a *ConferenceV2) ReplaceDID(ctx context.Context, sid string, d ConfV2DID) (*ConfV2DID, error) {
	p, err := confV2Path(confV2DIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	w := confV2DIDWritable{CallFlowSID: d.CallFlowSID, DIDGroupSID: d.DIDGroupSID, Properties: nonNilAttributes(d.Properties)}
	return send[ConfV2DID](ctx, a.c, conferenceV2, http.MethodPut, p, nil, w)
}

// ---- DID groups ----

// CreateDIDGroup creates a DID group.
func (a *ConferenceV2) CreateDIDGroup(ctx context.Context, g ConfV2DIDGroupUpdate) (*ConfV2DIDGroup, error) {
	return send[ConfV2DIDGroup](ctx, a.c, conferenceV2, http.MethodPost, confV2DIDGroupsPath, nil, g)
}

// ListDIDGroups returns one page of the account's DID groups.
func (a *ConferenceV2) ListDIDGroups(ctx context.Context, opts ListOptions) (*Page[ConfV2DIDGroup], error) {
	return listPage[ConfV2DIDGroup](ctx, a.c, conferenceV2, confV2DIDGroupsPath, opts)
}

// AllDIDGroups iterates over every DID group of the account matching opts.
func (a *ConferenceV2) AllDIDGroups(ctx context.Context, opts ListOptions) iter.Seq2[ConfV2DIDGroup, error] {
	return allItems[ConfV2DIDGroup](ctx, a.c, conferenceV2, confV2DIDGroupsPath, opts)
}

// GetDIDGroup returns one DID group.
func (a *ConferenceV2) GetDIDGroup(ctx context.Context, sid string) (*ConfV2DIDGroup, error) {
	p, err := confV2Path(confV2DIDGroupsPath, "did_group_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2DIDGroup](ctx, a.c, conferenceV2, p, nil)
}

// UpdateDIDGroup changes the fields set in u (PATCH).
func (a *ConferenceV2) UpdateDIDGroup(ctx context.Context, sid string, u ConfV2DIDGroupUpdate) (*ConfV2DIDGroup, error) {
	p, err := confV2Path(confV2DIDGroupsPath, "did_group_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[ConfV2DIDGroup](ctx, a.c, conferenceV2, http.MethodPatch, p, nil, u)
}

// ReplaceDIDGroup replaces the group's writable fields with those of g (PUT).
func (a *ConferenceV2) ReplaceDIDGroup(ctx context.Context, sid string, g ConfV2DIDGroup) (*ConfV2DIDGroup, error) {
	p, err := confV2Path(confV2DIDGroupsPath, "did_group_sid", sid)
	if err != nil {
		return nil, err
	}
	w := confV2DIDGroupWritable{CallFlowSID: g.CallFlowSID, Name: g.Name, Properties: nonNilAttributes(g.Properties)}
	return send[ConfV2DIDGroup](ctx, a.c, conferenceV2, http.MethodPut, p, nil, w)
}

// DeleteDIDGroup deletes a DID group (204). The sandbox refuses (409) while
// DIDs or meeting rooms use it; CarrierX's answer there is not confirmed.
func (a *ConferenceV2) DeleteDIDGroup(ctx context.Context, sid string) error {
	p, err := confV2Path(confV2DIDGroupsPath, "did_group_sid", sid)
	if err != nil {
		return err
	}
	return remove(ctx, a.c, conferenceV2, p, nil)
}

// ---- Meeting rooms ----

// CreateMeetingRoom creates a meeting room; an empty r is allowed.
func (a *ConferenceV2) CreateMeetingRoom(ctx context.Context, r ConfV2MeetingRoomUpdate) (*ConfV2MeetingRoom, error) {
	return send[ConfV2MeetingRoom](ctx, a.c, conferenceV2, http.MethodPost, confV2MeetingRoomsPath, nil, r)
}

// ListMeetingRooms returns one page of the account's meeting rooms.
func (a *ConferenceV2) ListMeetingRooms(ctx context.Context, opts ListOptions) (*Page[ConfV2MeetingRoom], error) {
	return listPage[ConfV2MeetingRoom](ctx, a.c, conferenceV2, confV2MeetingRoomsPath, opts)
}

// AllMeetingRooms iterates over every meeting room of the account matching opts.
func (a *ConferenceV2) AllMeetingRooms(ctx context.Context, opts ListOptions) iter.Seq2[ConfV2MeetingRoom, error] {
	return allItems[ConfV2MeetingRoom](ctx, a.c, conferenceV2, confV2MeetingRoomsPath, opts)
}

// GetMeetingRoom returns one meeting room.
func (a *ConferenceV2) GetMeetingRoom(ctx context.Context, sid string) (*ConfV2MeetingRoom, error) {
	p, err := confV2Path(confV2MeetingRoomsPath, "meeting_room_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2MeetingRoom](ctx, a.c, conferenceV2, p, nil)
}

// UpdateMeetingRoom changes the fields set in u (PATCH). AccessCodes, when
// set, replaces the room's codes.
func (a *ConferenceV2) UpdateMeetingRoom(ctx context.Context, sid string, u ConfV2MeetingRoomUpdate) (*ConfV2MeetingRoom, error) {
	p, err := confV2Path(confV2MeetingRoomsPath, "meeting_room_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[ConfV2MeetingRoom](ctx, a.c, conferenceV2, http.MethodPatch, p, nil, u)
}

// ReplaceMeetingRoom replaces the room's writable fields with those of r (PUT).
func (a *ConferenceV2) ReplaceMeetingRoom(ctx context.Context, sid string, r ConfV2MeetingRoom) (*ConfV2MeetingRoom, error) {
	p, err := confV2Path(confV2MeetingRoomsPath, "meeting_room_sid", sid)
	if err != nil {
		return nil, err
	}
	codes := r.AccessCodes
	if codes == nil {
		codes = []ConfV2AccessCode{}
	}
	w := confV2MeetingRoomWritable{AccessCodes: codes, DIDGroupSID: r.DIDGroupSID, Name: r.Name,
		Properties: nonNilAttributes(r.Properties)}
	return send[ConfV2MeetingRoom](ctx, a.c, conferenceV2, http.MethodPut, p, nil, w)
}

// DeleteMeetingRoom deletes a meeting room (204). The sandbox refuses (409)
// while a meeting is in progress in it.
func (a *ConferenceV2) DeleteMeetingRoom(ctx context.Context, sid string) error {
	p, err := confV2Path(confV2MeetingRoomsPath, "meeting_room_sid", sid)
	if err != nil {
		return err
	}
	return remove(ctx, a.c, conferenceV2, p, nil)
}

// ---- Meetings ----

// ListMeetings returns one page of the meetings in progress.
func (a *ConferenceV2) ListMeetings(ctx context.Context, opts ListOptions) (*Page[ConfV2Meeting], error) {
	return listPage[ConfV2Meeting](ctx, a.c, conferenceV2, confV2MeetingsPath, opts)
}

// AllMeetings iterates over every meeting in progress matching opts.
func (a *ConferenceV2) AllMeetings(ctx context.Context, opts ListOptions) iter.Seq2[ConfV2Meeting, error] {
	return allItems[ConfV2Meeting](ctx, a.c, conferenceV2, confV2MeetingsPath, opts)
}

// GetMeeting returns one meeting in progress.
func (a *ConferenceV2) GetMeeting(ctx context.Context, sid string) (*ConfV2Meeting, error) {
	p, err := confV2Path(confV2MeetingsPath, "meeting_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2Meeting](ctx, a.c, conferenceV2, p, nil)
}

// UpdateMeeting changes the fields set in u (PATCH): who is on hold and how
// participants are muted.
func (a *ConferenceV2) UpdateMeeting(ctx context.Context, sid string, u ConfV2MeetingUpdate) (*ConfV2Meeting, error) {
	p, err := confV2Path(confV2MeetingsPath, "meeting_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[ConfV2Meeting](ctx, a.c, conferenceV2, http.MethodPatch, p, nil, u)
}

// EndMeeting ends a meeting and its calls (DELETE /meetings/{meeting_sid}).
func (a *ConferenceV2) EndMeeting(ctx context.Context, sid string) error {
	p, err := confV2Path(confV2MeetingsPath, "meeting_sid", sid)
	if err != nil {
		return err
	}
	return remove(ctx, a.c, conferenceV2, p, nil)
}

// ---- Calls ----

// ListCalls returns one page of the calls connected to the conference.
func (a *ConferenceV2) ListCalls(ctx context.Context, opts ListOptions) (*Page[ConfV2Call], error) {
	return listPage[ConfV2Call](ctx, a.c, conferenceV2, confV2CallsPath, opts)
}

// AllCalls iterates over every connected call matching opts.
func (a *ConferenceV2) AllCalls(ctx context.Context, opts ListOptions) iter.Seq2[ConfV2Call, error] {
	return allItems[ConfV2Call](ctx, a.c, conferenceV2, confV2CallsPath, opts)
}

// GetCall returns one connected call.
func (a *ConferenceV2) GetCall(ctx context.Context, sid string) (*ConfV2Call, error) {
	p, err := confV2Path(confV2CallsPath, "call_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[ConfV2Call](ctx, a.c, conferenceV2, p, nil)
}

// UpdateCall changes the fields set in u (PATCH): mute, hold or rename a
// caller. Calls have no PUT and no DELETE.
func (a *ConferenceV2) UpdateCall(ctx context.Context, sid string, u ConfV2CallUpdate) (*ConfV2Call, error) {
	p, err := confV2Path(confV2CallsPath, "call_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[ConfV2Call](ctx, a.c, conferenceV2, http.MethodPatch, p, nil, u)
}
