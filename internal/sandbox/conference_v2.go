package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
)

// Conference v2 (/conference/v2, §4.15): the API of a conference_v2
// endpoint, reached with the endpoint's login and password. Creating the
// Core endpoint provisions its account; deleting it removes the account and
// everything the account holds (live meetings end and are recorded first).
// The call flows are CarrierX's own, read-only and the same for every
// account. Live meetings and calls are in conference_v2_live.go.
//
// Every object of the API is owned by the account (record.owner is the
// account_sid), so one endpoint never sees another's objects, even of the
// same partner.
//
// Not confirmed, and served conservatively:
//   - list pages default to 10 items (the docs' general default) and carry
//     an integer total;
//   - names default to "N/A", as on Core objects;
//   - properties (at every level) are objects of string values, as every
//     documented call flow property is; other values are a 422;
//   - call_flow_sid and did_group_sid must name an existing call flow / DID
//     group of the account (422); an account always has a call flow (no null);
//   - deleting a DID group that DIDs or meeting rooms use, or a meeting room
//     with a meeting in progress, is refused (409) rather than leaving
//     objects pointing nowhere;
//   - changing the account's password changes the endpoint's credentials
//     (properties.password in Core) too: the account holds them.

func init() {
	extraTables = append(extraTables, conf2AccountsTable, conf2CallFlowsTable, conf2RoomsTable,
		conf2DIDGroupsTable, conf2DIDsTable, conf2MeetingsTable, conf2CallsTable, conf2CallersTable)
	seeders = append(seeders, (*Sandbox).seedConferenceV2)
	hostedAPIs = append(hostedAPIs, hostedAPI{prefix: "/conference/v2", endpointType: conf2EndpointType,
		routes: (*Sandbox).conferenceV2Routes})
	endpointCreated = append(endpointCreated, (*Sandbox).provisionConferenceV2)
	endpointDeleted = append(endpointDeleted, (*Sandbox).removeConferenceV2)
	tickers = append(tickers, (*Sandbox).tickConferenceV2)
}

const (
	conf2EndpointType   = "conference_v2"
	conf2AccountsTable  = "conference_v2_accounts"
	conf2CallFlowsTable = "conference_v2_call_flows"
	conf2RoomsTable     = "conference_v2_meeting_rooms"
	conf2DIDGroupsTable = "conference_v2_did_groups"
	conf2DIDsTable      = "conference_v2_dids"
	conf2MeetingsTable  = "conference_v2_meetings"
	conf2CallsTable     = "conference_v2_calls"
)

// conf2Roles are the access roles of a meeting room's codes and of calls.
var conf2Roles = []string{"host", "participant", "listener"}

// The seeded call flows. The secured flow has the SID of CarrierX's sample
// Call Flow object; the direct flows' SIDs are fixed here. Only the secured
// flow's properties are documented; the direct flows are given the same
// base properties (not confirmed).
const conf2SecuredFlowSID = "665bd4c6-7f44-4c46-a467-1e4696f52968"

var conf2FlowNames = []string{"secured", "direct_host", "direct_participant"}

// conf2BaseProperties are the documented base properties of a call flow.
var conf2BaseProperties = object{
	"call_mute_dtmf_binding":                     "*6",
	"call_rolepin_dtmf_binding":                  "99",
	"conference_announceparticipantcount_policy": "hpl",
	"conference_entrytones_enabled":              "on",
	"conference_exittones_enabled":               "on",
	"conference_hold_dtmf_binding":               "*3",
	"conference_lock_dtmf_binding":               "*7",
	"conference_moh":                             "default",
	"conference_moh_enabled":                     "on",
	"conference_mute_dtmf_binding":               "*5",
	"conference_mute_menu_dtmf_binding":          "95",
	"conference_mute_policy":                     "l",
	"conference_recording_dtmf_binding":          "*9",
	"conference_recording_enabled":               "on",
	"conference_start_how":                       "first",
	"conference_start_wait":                      "360",
	"conference_stop_how":                        "last",
	"conference_stop_wait":                       "180",
	"conference_welcomeprompt":                   "default",
	"conference_welcomeprompt_enabled":           "on",
	"did_language":                               "en_US",
	"did_prompt_serial":                          "001",
	"did_welcomeprompt":                          "default",
}

func conf2Properties() *field {
	return fld("properties", kindObject, def(object{}), check(conf2PropertiesCheck))
}

var conf2AccountSchema = newSchema("account", "account_sid",
	sidField("account_sid"),
	fld("call_flow_sid", kindString, check(conf2CallFlowRef)),
	fld("date_created", kindTime, ro()),
	fld("login", kindString, ro()),
	fld("name", kindString, def("N/A"), maxLen(255)),
	// Write-only: never stored on the object nor answered.
	fld("password", kindString, external()),
	conf2Properties(),
)

var conf2CallFlowSchema = newSchema("call_flow", "call_flow_sid",
	sidField("call_flow_sid"),
	fld("name", kindString, ro()),
	fld("properties", kindObject, ro()),
)

var conf2DIDGroupSchema = newSchema("did_group", "did_group_sid",
	sidField("account_sid"),
	fld("call_flow_sid", kindString, null(), check(conf2CallFlowRef)),
	sidField("did_group_sid"),
	fld("name", kindString, def("N/A"), maxLen(255)),
	conf2Properties(),
)

var conf2DIDSchema = newSchema("did", "did_sid",
	sidField("account_sid"),
	fld("call_flow_sid", kindString, null(), check(conf2CallFlowRef)),
	roStr("country_code"),
	fld("did_group_sid", kindString, null(), check(conf2DIDGroupRef)),
	sidField("did_sid"),
	roStr("in_country_format"),
	roStr("international_format"),
	sidField("phonenumber"),
	conf2Properties(),
)

// conf2AccessCodeSchema is a Meeting Key: an access code and the role it
// gives. A code left out (or null) is generated.
var conf2AccessCodeSchema = newSchema("access_code", "access_code",
	fld("access_code", kindString, null(), emptyNull(), check(conf2AccessCodeCheck)),
	fld("role", kindString, enum(conf2Roles...)),
)

var conf2RoomSchema = newSchema("meeting_room", "meeting_room_sid",
	fld("access_codes", kindArray, def([]any{}), elem(conf2AccessCodeSchema)),
	sidField("account_sid"),
	fld("did_group_sid", kindString, null(), check(conf2DIDGroupRef)),
	sidField("meeting_room_sid"),
	fld("name", kindString, def("N/A"), maxLen(255)),
	conf2Properties(),
)

// conf2MeetingSchema is a live meeting. Only on_hold and participant_muted
// change through the API (the documented Update Meeting fields). on_hold is
// null when nobody is on hold (not confirmed; "" is taken as null).
var conf2MeetingSchema = newSchema("meeting", "meeting_sid",
	sidField("account_sid"),
	fld("attendees", kindObject, ro()),
	fld("date_created", kindTime, ro()),
	fld("duration", kindInt, ro()),
	fld("locked", kindBool, ro()),
	sidField("meeting_room_sid"),
	sidField("meeting_sid"),
	fld("on_hold", kindString, null(), emptyNull(), check(conf2OnHoldCheck)),
	fld("participant_muted", kindString, enum("false", "relaxed", "true")),
	fld("recording", kindBool, ro()),
)

// conf2CallSchema is a live call. muted, name and on_hold change through
// the API (the documented Update Call fields).
var conf2CallSchema = newSchema("call", "call_sid",
	roStr("access_code"),
	sidField("account_sid"),
	sidField("call_sid"),
	roStr("codecs"),
	fld("date_created", kindTime, ro()),
	fld("date_joined", kindTime, ro(), null()),
	roStr("direction"),
	fld("duration", kindInt, ro()),
	fld("gain_level", kindInt, ro()),
	roStr("meeting_room_sid"),
	roStr("meeting_sid"),
	fld("muted", kindBool),
	fld("name", kindString, maxLen(255)),
	roStr("number_dst"),
	roStr("number_src"),
	fld("on_hold", kindBool),
	roStr("role"),
)

// conf2AccessCodeRE: access codes are entered on a keypad. Digits only is
// documented by every sample; the 4 to 12 digit length is not confirmed.
var conf2AccessCodeRE = regexp.MustCompile(`^[0-9]{4,12}$`)

func conf2AccessCodeCheck(c *call, v any) string {
	if !conf2AccessCodeRE.MatchString(v.(string)) {
		return "access_code must be 4 to 12 digits"
	}
	return ""
}

func conf2OnHoldCheck(c *call, v any) string {
	s := v.(string)
	if len(s) > 2 || strings.Trim(s, "pl") != "" || (len(s) == 2 && s[0] == s[1]) {
		return "on_hold must be p, l or a combination of them"
	}
	return ""
}

func conf2PropertiesCheck(c *call, v any) string {
	for k, x := range v.(map[string]any) {
		if _, ok := x.(string); !ok || k == "" {
			return "properties must be an object of string values"
		}
	}
	return ""
}

func conf2CallFlowRef(c *call, v any) string {
	if c.s.table(conf2CallFlowsTable).get(v.(string)) == nil {
		return "cannot find call flow by sid"
	}
	return ""
}

func conf2DIDGroupRef(c *call, v any) string {
	if g := c.s.table(conf2DIDGroupsTable).get(v.(string)); g == nil || g.owner != c.accountSID() {
		return "cannot find did group by sid"
	}
	return ""
}

// seedConferenceV2 adds CarrierX's call flows. Their SIDs do not draw from
// the shared generator, so seeding stays the same with or without them.
func (s *Sandbox) seedConferenceV2() {
	t := s.table(conf2CallFlowsTable)
	for _, name := range conf2FlowNames {
		sid := conf2SecuredFlowSID
		if name != "secured" {
			sid = endpointSeedSID(0, "conference_v2/call_flows/"+name)
		}
		t.insert(&record{sid: sid, obj: object{"call_flow_sid": sid, "name": name,
			"properties": cloneObject(conf2BaseProperties)}})
	}
}

// provisionConferenceV2 creates a new conference_v2 endpoint's account. Its
// name is the endpoint's (not confirmed) and its call flow the secured one.
func (s *Sandbox) provisionConferenceV2(c *call, ep *record) {
	if ep.obj["type"] != conf2EndpointType {
		return
	}
	sid := endpointProperty(ep, "account_sid")
	o := conf2AccountSchema.defaults()
	o["account_sid"] = sid
	o["call_flow_sid"] = conf2SecuredFlowSID
	o["date_created"] = formatTS(c.now)
	o["login"] = endpointProperty(ep, "login")
	if name, ok := ep.obj["name"].(string); ok {
		o["name"] = name
	}
	s.table(conf2AccountsTable).insert(&record{sid: sid, owner: sid, parent: ep.sid, obj: o})
}

// removeConferenceV2 removes a deleted endpoint's account and its objects.
// Meetings in progress end now and are recorded in Core.
func (s *Sandbox) removeConferenceV2(ep *record) {
	if ep.obj["type"] != conf2EndpointType {
		return
	}
	account := endpointProperty(ep, "account_sid")
	now := s.now()
	for _, m := range append([]*record(nil), s.table(conf2MeetingsTable).recs...) {
		if m.owner == account {
			s.conf2EndMeeting(m, now, ep.owner, ep.sid)
		}
	}
	for _, name := range []string{conf2CallersTable, conf2CallsTable, conf2MeetingsTable, conf2RoomsTable,
		conf2DIDsTable, conf2DIDGroupsTable, conf2AccountsTable} {
		t := s.table(name)
		for _, r := range append([]*record(nil), t.recs...) {
			if r.owner == account {
				t.remove(r.sid)
			}
		}
	}
}

// conf2Endpoint returns the partner and endpoint an account belongs to.
func (s *Sandbox) conf2Endpoint(accountSID string) (partnerSID, endpointSID string) {
	a := s.table(conf2AccountsTable).get(accountSID)
	if a == nil {
		return "", ""
	}
	if ep := s.table(endpointsTable).get(a.parent); ep != nil {
		return ep.owner, ep.sid
	}
	return "", a.parent
}

// conf2Owned is the visibility of every account-owned object.
func conf2Owned(c *call, r *record) bool { return r.owner == c.accountSID() }

// conf2View is the common part of the API's views; new objects are given
// their SID and the caller's account_sid, and are owned by the account.
func (s *Sandbox) conf2View(sch *schema, table string) *view {
	return &view{schema: sch, table: s.table(table), param: sch.ID, defaultLimit: 10, visible: conf2Owned,
		newObject: func(c *call) object {
			o := sch.defaults()
			o[sch.ID] = s.newSID()
			o["account_sid"] = c.accountSID()
			return o
		},
		afterCreate: func(c *call, rec *record, body map[string]any) { rec.owner = c.accountSID() },
	}
}

func (s *Sandbox) conf2AccountView() *view {
	v := s.conf2View(conf2AccountSchema, conf2AccountsTable)
	v.beforeWrite = func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
		raw, sent := body["password"]
		if !sent {
			return nil
		}
		if pw, ok := raw.(string); !ok || pw == "" || len(pw) > 128 {
			return []errItem{item("password", "password must be a non-empty string of at most 128 characters")}
		}
		return nil
	}
	return v
}

// conf2UpdateAccount serves PATCH/PUT /accounts/{account_sid}; a new
// password becomes the endpoint's API password.
func (s *Sandbox) conf2UpdateAccount(v *view, put bool) handlerFunc {
	update := v.update(put)
	return func(c *call) (int, any, *apiError) {
		body := peekJSON(c)
		status, out, err := update(c)
		if err != nil {
			return status, out, err
		}
		if pw, ok := body["password"].(string); ok {
			if ep := s.table(endpointsTable).get(c.endpoint.sid); ep != nil {
				o := cloneObject(ep.obj)
				props, _ := o["properties"].(object)
				props = cloneObject(props)
				props["password"] = pw
				o["properties"] = props
				ep.set(o)
			}
		}
		return status, out, nil
	}
}

// conf2WhoAmI serves GET /accounts/whoami: the caller's own account.
func (s *Sandbox) conf2WhoAmI(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		a := s.table(conf2AccountsTable).get(c.accountSID())
		if a == nil {
			return 0, nil, errNoItem()
		}
		sel, err := parseFieldSel(c.q, v.schema, nil)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, v.output(c, a, sel, false), nil
	}
}

func (s *Sandbox) conf2CallFlowView() *view {
	return &view{schema: conf2CallFlowSchema, table: s.table(conf2CallFlowsTable), param: "call_flow_sid",
		defaultLimit: 10, visible: func(*call, *record) bool { return true }}
}

func (s *Sandbox) conf2DIDGroupView() *view {
	v := s.conf2View(conf2DIDGroupSchema, conf2DIDGroupsTable)
	v.beforeDelete = func(c *call, rec *record) *apiError {
		for _, u := range [...]struct{ table, what string }{{conf2DIDsTable, "a DID"}, {conf2RoomsTable, "a meeting room"}} {
			for _, r := range s.table(u.table).recs {
				if r.owner == rec.owner && r.obj["did_group_sid"] == rec.sid {
					return errConflict("did_group_sid", "the DID group is used by "+u.what, r.sid)
				}
			}
		}
		return nil
	}
	return v
}

// The account's DIDs. A conference account answers on the partner's Core
// numbers that are routed to its endpoint: an assigned DID whose trunk group
// has a trunk with this endpoint_sid. The list follows Core routing: a
// number routed to the endpoint appears (with properties {} and no call flow
// or group of its own), and one routed elsewhere or released disappears,
// with its settings. Each appearance has a DID SID of its own (not Core's:
// one number may reach two conference endpoints). No number is given to an
// account otherwise; callers then dial a default access number (see
// conf2DefaultAccessNumber).

// conf2SyncDIDs brings the account's DIDs in line with Core routing.
func (s *Sandbox) conf2SyncDIDs(accountSID string) {
	partnerSID, endpointSID := s.conf2Endpoint(accountSID)
	routed := map[string]*record{} // number -> Core DID
	var order []string
	if partnerSID != "" {
		groups := map[any]bool{}
		for _, t := range s.trunks.recs {
			if t.owner == partnerSID && t.obj["endpoint_sid"] == endpointSID {
				groups[t.parent] = true
			}
		}
		if len(groups) > 0 {
			for _, d := range s.dids.recs {
				if d.owner == partnerSID && d.status == "assigned" && groups[d.obj["trunk_group_sid"]] {
					n, _ := d.obj["phonenumber"].(string)
					if routed[n] == nil {
						routed[n] = d
						order = append(order, n)
					}
				}
			}
		}
	}
	t := s.table(conf2DIDsTable)
	have := map[string]bool{}
	for _, r := range append([]*record(nil), t.recs...) {
		if r.owner != accountSID {
			continue
		}
		n, _ := r.obj["phonenumber"].(string)
		if routed[n] == nil {
			t.remove(r.sid)
			continue
		}
		have[n] = true
	}
	for _, n := range order {
		if have[n] {
			continue
		}
		d := routed[n]
		o := conf2DIDSchema.defaults()
		o["account_sid"] = accountSID
		o["did_sid"] = s.newSID()
		o["phonenumber"] = n
		for _, k := range []string{"country_code", "in_country_format", "international_format"} {
			o[k] = d.obj[k]
		}
		t.insert(&record{sid: o["did_sid"].(string), owner: accountSID, obj: o})
	}
}

// conf2WithDIDs syncs the caller's DIDs before h runs.
func (s *Sandbox) conf2WithDIDs(h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		s.conf2SyncDIDs(c.accountSID())
		return h(c)
	}
}

func (s *Sandbox) conf2RoomView() *view {
	v := s.conf2View(conf2RoomSchema, conf2RoomsTable)
	v.beforeWrite = func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
		codes, _ := next["access_codes"].([]any)
		if _, sent := body["access_codes"]; !sent {
			if mode == modeCreate {
				// No codes given: one of each role is generated (not
				// confirmed; the docs only allow creating with {}).
				codes = make([]any, 0, len(conf2Roles))
				for _, role := range conf2Roles {
					codes = append(codes, object{"access_code": nil, "role": role})
				}
			} else if mode == modePatch {
				return nil // the stored codes stay as they are
			}
		}
		except := ""
		if rec != nil {
			except = rec.sid
		}
		used := s.conf2CodesInUse(c.accountSID(), except)
		var errs []errItem
		out := make([]any, 0, len(codes))
		for i, x := range codes {
			kc, _ := x.(object)
			name := "access_codes[" + itoa(i) + "]"
			if kc == nil || kc["role"] == nil {
				errs = append(errs, item(name+".role", name+".role is required"))
				continue
			}
			kc = cloneObject(kc)
			code, _ := kc["access_code"].(string)
			switch {
			case code == "":
				code = s.conf2NewAccessCode(used)
				kc["access_code"] = code
			case used[code]:
				errs = append(errs, item(name+".access_code", "access code "+code+" is already used by this conference endpoint"))
				continue
			}
			used[code] = true
			out = append(out, kc)
		}
		next["access_codes"] = out
		return errs
	}
	v.beforeDelete = func(c *call, rec *record) *apiError {
		for _, m := range s.table(conf2MeetingsTable).recs {
			if m.owner == rec.owner && m.obj["meeting_room_sid"] == rec.sid {
				return errConflict("meeting_room_sid", "the meeting room has a meeting in progress", m.sid)
			}
		}
		return nil
	}
	v.afterDelete = func(c *call, rec *record) { s.conf2DropCallers(rec.sid) }
	return v
}

// conf2CodesInUse returns the access codes of the account's meeting rooms,
// except those of the room named.
func (s *Sandbox) conf2CodesInUse(accountSID, exceptRoom string) map[string]bool {
	used := map[string]bool{}
	for _, r := range s.table(conf2RoomsTable).recs {
		if r.owner != accountSID || r.sid == exceptRoom {
			continue
		}
		codes, _ := r.obj["access_codes"].([]any)
		for _, x := range codes {
			if kc, ok := x.(object); ok {
				if code, ok := kc["access_code"].(string); ok {
					used[code] = true
				}
			}
		}
	}
	return used
}

// conf2NewAccessCode draws an unused six-digit code (the samples' length).
func (s *Sandbox) conf2NewAccessCode(used map[string]bool) string {
	for {
		b := make([]byte, 6)
		b[0] = byte('1' + s.rng.IntN(9))
		for i := 1; i < len(b); i++ {
			b[i] = byte('0' + s.rng.IntN(10))
		}
		if !used[string(b)] {
			return string(b)
		}
	}
}

// conf2Coerce rewrites the JSON body before h reads it: each named
// attribute present is passed through its conversion. CarrierX's Update
// Call sample sends {"muted":"true"} and answers "muted": true, so string
// booleans are accepted where booleans are stored (and a boolean
// participant_muted where a string is). A body that is not a JSON object is
// left alone for h to refuse.
func conf2Coerce(h handlerFunc, conv map[string]func(any) any) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
		if err == nil {
			if m, aerr := decodeJSONObject(data); aerr == nil {
				changed := false
				for k, f := range conv {
					if v, ok := m[k]; ok {
						m[k] = f(v)
						changed = true
					}
				}
				if changed {
					var buf bytes.Buffer
					enc := json.NewEncoder(&buf)
					enc.SetEscapeHTML(false)
					if enc.Encode(m) == nil {
						data = buf.Bytes()
					}
				}
			}
		}
		c.r.Body = io.NopCloser(bytes.NewReader(data))
		return h(c)
	}
}

// conf2StringBool turns "true"/"false" into a boolean.
func conf2StringBool(v any) any {
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	return v
}

// conf2BoolString turns a boolean into "true"/"false".
func conf2BoolString(v any) any {
	if b, ok := v.(bool); ok {
		if b {
			return "true"
		}
		return "false"
	}
	return v
}

func (s *Sandbox) conferenceV2Routes(rt *router) {
	accounts, flows, groups := s.conf2AccountView(), s.conf2CallFlowView(), s.conf2DIDGroupView()
	dids, rooms := s.conf2View(conf2DIDSchema, conf2DIDsTable), s.conf2RoomView()
	meetings, calls := s.conf2MeetingView(), s.conf2CallView()

	rt.handle("GET", "/accounts", accounts.list(nil))
	rt.handle("GET", "/accounts/whoami", s.conf2WhoAmI(accounts))
	rt.handle("GET", "/accounts/{account_sid}", accounts.get())
	rt.handle("PATCH", "/accounts/{account_sid}", s.conf2UpdateAccount(accounts, false))
	rt.handle("PUT", "/accounts/{account_sid}", s.conf2UpdateAccount(accounts, true))

	rt.handle("GET", "/call_flows", flows.list(nil))
	rt.handle("GET", "/call_flows/{call_flow_sid}", flows.get())

	rt.handle("GET", "/dids", s.conf2WithDIDs(dids.list(nil)))
	rt.handle("GET", "/dids/{did_sid}", s.conf2WithDIDs(dids.get()))
	rt.handle("PATCH", "/dids/{did_sid}", s.conf2WithDIDs(dids.update(false)))
	rt.handle("PUT", "/dids/{did_sid}", s.conf2WithDIDs(dids.update(true)))

	rt.handle("GET", "/did_groups", groups.list(nil))
	rt.handle("POST", "/did_groups", groups.create())
	rt.handle("GET", "/did_groups/{did_group_sid}", groups.get())
	rt.handle("PATCH", "/did_groups/{did_group_sid}", groups.update(false))
	rt.handle("PUT", "/did_groups/{did_group_sid}", groups.update(true))
	rt.handle("DELETE", "/did_groups/{did_group_sid}", s.conf2WithDIDs(groups.remove()))

	rt.handle("GET", "/meeting_rooms", rooms.list(nil))
	rt.handle("POST", "/meeting_rooms", rooms.create())
	rt.handle("GET", "/meeting_rooms/{meeting_room_sid}", rooms.get())
	rt.handle("PATCH", "/meeting_rooms/{meeting_room_sid}", rooms.update(false))
	rt.handle("PUT", "/meeting_rooms/{meeting_room_sid}", rooms.update(true))
	rt.handle("DELETE", "/meeting_rooms/{meeting_room_sid}", rooms.remove())

	rt.handle("GET", "/meetings", meetings.list(nil))
	rt.handle("GET", "/meetings/{meeting_sid}", meetings.get())
	rt.handle("PATCH", "/meetings/{meeting_sid}", conf2Coerce(s.conf2UpdateMeeting(meetings),
		map[string]func(any) any{"participant_muted": conf2BoolString}))
	rt.handle("DELETE", "/meetings/{meeting_sid}", s.conf2DeleteMeeting(meetings))

	// Calls: no DELETE and no PUT in the method list; a participant is
	// removed by ending the meeting.
	rt.handle("GET", "/calls", calls.list(nil))
	rt.handle("GET", "/calls/{call_sid}", calls.get())
	rt.handle("PATCH", "/calls/{call_sid}", conf2Coerce(calls.update(false),
		map[string]func(any) any{"muted": conf2StringBool, "on_hold": conf2StringBool}))
}
