package sandbox

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Conference v1 (the legacy Conference API, /conference/v1, §1.1): the API
// of a Core endpoint of type "conference". Creating such an endpoint
// provisions its account: the account owner (a subscriber whose login is the
// endpoint's, and whom whoami answers), three call flows and a default DID
// group; deleting the endpoint removes the account and everything in it.
//
// The API is camelCase and older than Core's conventions; what CarrierX's v1
// pages show is followed, and what they leave open is chosen conservatively
// and said so next to the code:
//   - objects are answered without their null attributes (every sample
//     leaves unset ones out, e.g. a new meeting room has no "description");
//   - lists answer {"<collection>": [...], "last": i, "offset": o,
//     "total": n}: the only collection answer CarrierX shows (Update Call)
//     has "calls", "last", "offset" and "total". The key is the collection's
//     own name (calls, dids, didGroups, ...) [inferred]; "last" is taken to
//     be the index of the page's last item (offset+count-1, not confirmed);
//   - limit (default 10, at most 1000), offset and order follow the v1
//     pagination page; filter and include/exclude_fields are served as on
//     Core (not confirmed for v1); after/before are refused (400);
//   - PUT changes only the attributes sent (the v1 update pages say so);
//   - timestamps (created, joined) are UNIX milliseconds, as in the samples;
//   - errors have Core's shape (§3.2); v1's own is not confirmed.
//
// Objects belong to the endpoint's account (record owner = account_sid).
// Integer IDs (DIDs, DID groups, call flows, meeting keys, meetings, calls)
// come from one sandbox-wide counter, so an ID names one object only.

func init() {
	extraTables = append(extraTables, cv1StateTable, cv1AccountsTable, cv1SubscribersTable, cv1CallFlowsTable,
		cv1DIDGroupsTable, cv1DIDsTable, cv1RoomsTable, cv1FilesTable)
	seeders = append(seeders, (*Sandbox).seedConfV1)
	hostedAPIs = append(hostedAPIs, hostedAPI{prefix: "/conference/v1", endpointType: "conference",
		routes: (*Sandbox).confV1Routes})
	endpointCreated = append(endpointCreated, (*Sandbox).provisionConfV1)
	endpointDeleted = append(endpointDeleted, (*Sandbox).removeConfV1)
	tickers = append(tickers, (*Sandbox).tickConfV1)
}

const (
	cv1StateTable       = "conference_v1_state"
	cv1AccountsTable    = "conference_v1_accounts"
	cv1SubscribersTable = "conference_v1_subscribers"
	cv1CallFlowsTable   = "conference_v1_call_flows"
	cv1DIDGroupsTable   = "conference_v1_did_groups"
	cv1DIDsTable        = "conference_v1_dids"
	cv1RoomsTable       = "conference_v1_meeting_rooms"
	cv1FilesTable       = "conference_v1_files"

	cv1DefaultLimit = 10 // the v1 pagination page's default
)

// cv1State is the API's sandbox-wide state that is not a stored object: the
// ID counter and the meetings in progress (conference_v1_live.go). It lives
// in the one record of cv1StateTable, which is never answered.
type cv1State struct {
	nextID   int64
	meetings []*cv1Meeting // in progress, in start order
}

func (s *Sandbox) seedConfV1() {
	s.table(cv1StateTable).insert(&record{sid: "state", obj: object{"state": &cv1State{nextID: 100}}})
}

func (s *Sandbox) cv1() *cv1State {
	return s.table(cv1StateTable).get("state").obj["state"].(*cv1State)
}

// cv1NextID draws the next integer ID. Callers hold the write lock.
func (s *Sandbox) cv1NextID() int64 {
	st := s.cv1()
	st.nextID++
	return st.nextID
}

func cv1Millis(t time.Time) int64 { return t.UnixMilli() }

// cv1Out renders a v1 object: null attributes and the sandbox's own keys
// (those starting with "_") are left out.
func cv1Out(o object) object {
	n := make(object, len(o))
	for k, v := range o {
		if v != nil && !strings.HasPrefix(k, "_") {
			n[k] = v
		}
	}
	return n
}

// cv1List answers a v1 collection: recs (the caller's, in creation order)
// filtered, ordered and paged as the query says. present renders a record
// (before cv1Out); nil means its stored object.
func cv1List(c *call, key string, sch *schema, recs []*record, present func(*record) object) (int, any, *apiError) {
	lp, err := parseListParams(c, sch, nil, cv1DefaultLimit, false, nil)
	if err != nil {
		return 0, nil, err
	}
	objs := make(map[*record]object, len(recs))
	kept := make([]*record, 0, len(recs))
	for _, r := range recs {
		o := r.obj
		if present != nil {
			o = present(r)
		}
		if lp.match.match(o) {
			objs[r] = o
			kept = append(kept, r)
		}
	}
	sortRecords(kept, lp.order, func(r *record) object { return objs[r] })
	w, err := c.paginate(lp, len(kept), nil)
	if err != nil {
		return 0, nil, err
	}
	items := make([]any, 0, w.end-w.start)
	for _, r := range kept[w.start:w.end] {
		items = append(items, lp.sel.apply(cv1Out(objs[r])))
	}
	return http.StatusOK, object{key: items, "last": int64(w.offset + len(items) - 1),
		"offset": int64(w.offset), "total": int64(len(kept))}, nil
}

// cv1One answers one object, include/exclude_fields applied.
func cv1One(c *call, sch *schema, o object) (int, any, *apiError) {
	sel, err := parseFieldSel(c.q, sch, nil)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sel.apply(cv1Out(o)), nil
}

// cv1Write decodes the JSON body and applies it to base. PUT is sent as
// modePatch: v1 updates change only what they name.
func cv1Write(c *call, sch *schema, base object, mode writeMode) (object, map[string]any, *apiError) {
	body, err := decodeJSONBody(c)
	if err != nil {
		return nil, nil, err
	}
	next, errs := applyBody(c, sch, base, body, mode, "")
	if len(errs) > 0 {
		return nil, nil, errValidation(errs...)
	}
	return next, body, nil
}

// cv1IDParam reads an integer path parameter; ok is false when it is not one
// (answered as an unknown object).
func cv1IDParam(c *call, name string) (int64, bool) {
	n, err := strconv.ParseInt(c.param(name), 10, 64)
	return n, err == nil && n > 0
}

// cv1Recs returns the account's records of a table, in creation order.
func (s *Sandbox) cv1Recs(table, account string, keep func(*record) bool) []*record {
	var out []*record
	for _, r := range s.table(table).recs {
		if r.owner == account && (keep == nil || keep(r)) {
			out = append(out, r)
		}
	}
	return out
}

// cv1ByID finds one of the account's records stored under its integer ID.
func (s *Sandbox) cv1ByID(table, account string, id int64) *record {
	r := s.table(table).get(strconv.FormatInt(id, 10))
	if r == nil || r.owner != account {
		return nil
	}
	return r
}

// --- accounts --------------------------------------------------------------

// cv1Account is the caller's account record (its endpoint, partner and
// owner subscriber).
func (s *Sandbox) cv1Account(c *call) (*record, *apiError) {
	a := s.table(cv1AccountsTable).get(c.accountSID())
	if a == nil {
		return nil, errAuth()
	}
	return a, nil
}

const cv1SIDChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-"

// cv1NewSID draws a subscriber SID: 32 characters of the kind the samples
// show ("rB0M9.EzXfaO4keb-opANwfb7CHx1Ph1").
func (s *Sandbox) cv1NewSID() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = cv1SIDChars[s.rng.IntN(len(cv1SIDChars))]
	}
	return string(b)
}

// cv1NewToken draws an authenticationToken ("an encrypted analogue of the
// password, generated automatically"; its form is not confirmed).
func (s *Sandbox) cv1NewToken() string {
	b := make([]byte, 12)
	for i := range b {
		b[i] = byte(s.rng.IntN(256))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// provisionConfV1 creates the account of a new conference endpoint: its
// owner subscriber (role 1, administrator; login and password the
// endpoint's), the call flows and a default DID group named
// "<login>_didGroup", as in CarrierX's DID group sample
// ("sample_conference_008_didGroup"); that the group is created with the
// account is inferred from that name.
func (s *Sandbox) provisionConfV1(c *call, ep *record) {
	if ep.obj["type"] != "conference" {
		return
	}
	account := endpointProperty(ep, "account_sid")
	login := endpointProperty(ep, "login")
	now := cv1Millis(c.now)
	owner := cv1SubscriberSchema.defaults()
	ownerSID := s.cv1NewSID()
	owner["sid"], owner["login"], owner["role"], owner["created"] = ownerSID, login, int64(1), now
	owner["authenticationToken"] = s.cv1NewToken()
	// The owner has no parent; its password is the endpoint's (not kept here).
	s.table(cv1SubscribersTable).insert(&record{sid: ownerSID, owner: account, obj: owner})

	var secured int64
	for _, f := range cv1CallFlows {
		id := s.cv1NextID()
		if f.name == "secured" {
			secured = id
		}
		s.table(cv1CallFlowsTable).insert(&record{sid: strconv.FormatInt(id, 10), owner: account, obj: object{
			"attributeTemplates": cv1Templates(), "id": id, "name": f.name, "path": f.path}})
	}
	g := cv1DIDGroupSchema.defaults()
	gid := s.cv1NextID()
	g["id"], g["name"], g["callFlowId"], g["subscriberSid"] = gid, login+"_didGroup", secured, ownerSID
	s.table(cv1DIDGroupsTable).insert(&record{sid: strconv.FormatInt(gid, 10), owner: account, obj: g})

	s.table(cv1AccountsTable).insert(&record{sid: account, owner: account, obj: object{
		"endpointSid": ep.sid, "partnerSid": ep.owner, "ownerSid": ownerSID, "login": login}})
}

// removeConfV1 removes a deleted conference endpoint's account and all its
// objects. Meetings in progress end first and leave their Core records: the
// calls did take place (CarrierX's behaviour here is not confirmed).
func (s *Sandbox) removeConfV1(ep *record) {
	if ep.obj["type"] != "conference" {
		return
	}
	account := endpointProperty(ep, "account_sid")
	now := s.now()
	for _, m := range append([]*cv1Meeting(nil), s.cv1().meetings...) {
		if m.account == account {
			s.cv1EndMeeting(m, now)
		}
	}
	for _, name := range []string{cv1AccountsTable, cv1SubscribersTable, cv1CallFlowsTable, cv1DIDGroupsTable,
		cv1DIDsTable, cv1RoomsTable, cv1FilesTable} {
		t := s.table(name)
		for _, r := range append([]*record(nil), t.recs...) {
			if r.owner == account {
				t.remove(r.sid)
			}
		}
	}
}

func (s *Sandbox) confV1Routes(rt *router) {
	rt.handle("GET", "/callFlows", s.cv1ListCallFlows)
	rt.handle("GET", "/callFlows/{id}", s.cv1GetCallFlow)

	rt.handle("GET", "/calls", s.cv1ListCalls)
	rt.handle("GET", "/calls/{id}", s.cv1GetCall)
	rt.handle("PUT", "/calls/{id}", s.cv1UpdateCall)
	rt.handle("DELETE", "/calls/{id}", s.cv1HangUpCall)

	rt.handle("POST", "/dids", s.cv1CreateDID)
	rt.handle("GET", "/dids", s.cv1ListDIDs)
	rt.handle("GET", "/dids/{id}", s.cv1GetDID)
	rt.handle("PUT", "/dids/{id}", s.cv1UpdateDID)
	rt.handle("DELETE", "/dids/{id}", s.cv1DeleteDID)

	rt.handle("POST", "/didGroups", s.cv1CreateDIDGroup)
	rt.handle("GET", "/didGroups", s.cv1ListDIDGroups)
	rt.handle("GET", "/didGroups/{id}", s.cv1GetDIDGroup)
	rt.handle("PUT", "/didGroups/{id}", s.cv1UpdateDIDGroup)
	rt.handle("DELETE", "/didGroups/{id}", s.cv1DeleteDIDGroup)

	rt.handle("GET", "/meetings", s.cv1ListMeetings)
	rt.handle("GET", "/meetings/{meetingNumber}", s.cv1GetMeeting)
	rt.handle("DELETE", "/meetings/{meetingNumber}", s.cv1DeleteMeeting)
	rt.handle("GET", "/meetings/{meetingNumber}/attributes", s.cv1GetMeetingAttributes)
	rt.handle("PUT", "/meetings/{meetingNumber}/attributes/{name}", s.cv1UpdateMeetingAttribute)

	rt.handle("POST", "/meetingRooms", s.cv1CreateRoom)
	rt.handle("GET", "/meetingRooms", s.cv1ListRooms)
	rt.handle("GET", "/meetingRooms/{meetingNumber}", s.cv1GetRoom)
	rt.handle("PUT", "/meetingRooms/{meetingNumber}", s.cv1UpdateRoom)
	rt.handle("DELETE", "/meetingRooms/{meetingNumber}", s.cv1DeleteRoom)

	rt.handle("POST", "/subscribers", s.cv1CreateSubscriber)
	rt.handle("GET", "/subscribers", s.cv1ListSubscribers)
	rt.handle("GET", "/subscribers/whoami", s.cv1WhoAmI)
	rt.handle("POST", "/subscribers/logout", s.cv1Logout)
	rt.handle("GET", "/subscribers/{sid}", s.cv1GetSubscriber)
	rt.handle("PUT", "/subscribers/{sid}", s.cv1UpdateSubscriber)
	rt.handle("DELETE", "/subscribers/{sid}", s.cv1DeleteSubscriber)

	rt.handle("POST", "/subscribers/{sid}/files", s.cv1UploadFile)
	rt.handle("GET", "/subscribers/{sid}/files", s.cv1ListFiles)
	rt.handle("DELETE", "/subscribers/{sid}/files", s.cv1DeleteFiles)
	rt.handle("DELETE", "/subscribers/{sid}/files/{fileName}", s.cv1DeleteFile)

	rt.handle("POST", "/subscribers/{sid}/meetingRooms", s.cv1CreateRoom)
	rt.handle("GET", "/subscribers/{sid}/meetingRooms", s.cv1ListRooms)
	rt.handle("GET", "/subscribers/{sid}/meetingRooms/{meetingNumber}", s.cv1GetRoom)
	rt.handle("PUT", "/subscribers/{sid}/meetingRooms/{meetingNumber}", s.cv1UpdateRoom)
	rt.handle("DELETE", "/subscribers/{sid}/meetingRooms/{meetingNumber}", s.cv1DeleteRoom)

	rt.handle("POST", "/subscribers/{sid}/meetingRooms/{meetingNumber}/keychain", s.cv1CreateKey)
	rt.handle("GET", "/subscribers/{sid}/meetingRooms/{meetingNumber}/keychain", s.cv1ListKeys)
	rt.handle("GET", "/subscribers/{sid}/meetingRooms/{meetingNumber}/keychain/{meetingKeyId}", s.cv1GetKey)
	rt.handle("PUT", "/subscribers/{sid}/meetingRooms/{meetingNumber}/keychain/{meetingKeyId}", s.cv1UpdateKey)
	rt.handle("DELETE", "/subscribers/{sid}/meetingRooms/{meetingNumber}/keychain/{meetingKeyId}", s.cv1DeleteKey)
}
