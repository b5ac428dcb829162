package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// Conference v1 meeting rooms and their keychains. A room belongs to a
// subscriber (/meetingRooms serves the whole account's, the caller creating
// them for itself, the account owner; /subscribers/{sid}/meetingRooms one
// subscriber's) and is addressed by its meetingNumber. Its keychain holds
// the access codes callers enter, each with a role: 1 host, 2 participant,
// 3 listener.
//
// Not confirmed, and chosen conservatively:
//   - meetingNumber is unique within the account; when not given it is a new
//     random six-digit number (as in every sample); a given one is 1 to
//     999999999 and cannot change while a meeting is in progress;
//   - access codes are unique within the account (Conference v2 says so of
//     its codes), 1 to 16 digits; a key created without one gets a random
//     six-digit code (the v1 keychain page says one is generated);
//   - primaryDidGroupId is required on create and always listed in
//     didGroupReferences (the create sample adds it there);
//   - a PUT with keychain replaces the keychain: an entry with the id of
//     one of the room's keys keeps that key, others are new keys;
//   - a room in which a meeting is in progress cannot be deleted (409).

var cv1AccessCodeRE = regexp.MustCompile(`^[0-9]{1,16}$`)

func cv1AccessCodeCheck(c *call, v any) string {
	if !cv1AccessCodeRE.MatchString(v.(string)) {
		return "accessCode must be 1 to 16 digits"
	}
	return ""
}

func cv1MeetingNumberCheck(c *call, v any) string {
	if n := v.(int64); n < 1 || n > 999_999_999 {
		return "meetingNumber must be between 1 and 999999999"
	}
	return ""
}

// cv1RoomKeySchema is a keychain entry inside a room: id names a key of the
// room to keep (on PUT).
var cv1RoomKeySchema = newSchema("meetingKey", "id",
	fld("accessCode", kindString, null(), emptyNull(), check(cv1AccessCodeCheck)),
	fld("id", kindInt, null()),
	fld("role", kindInt, null(), check(cv1RoleCheck)),
)

// cv1KeySchema is the Meeting Key object of the keychain routes.
// meetingRoomId is answered on POST and PUT only, as the docs say.
var cv1KeySchema = newSchema("meetingKey", "id",
	fld("accessCode", kindString, null(), emptyNull(), check(cv1AccessCodeCheck)),
	fld("id", kindInt, ro()),
	fld("meetingRoomId", kindInt, external()),
	fld("role", kindInt, null(), check(cv1RoleCheck)),
)

var cv1RoomSchema = newSchema("meetingRoom", "meetingNumber",
	fld("attributes", kindArray, def([]any{})),
	fld("created", kindInt, ro()),
	fld("description", kindString, null(), maxLen(1024)),
	fld("didGroupReferences", kindArray, def([]any{}), elem(cv1DIDGroupRefSchema)),
	fld("keychain", kindArray, def([]any{}), elem(cv1RoomKeySchema)),
	fld("meetingNumber", kindInt, check(cv1MeetingNumberCheck)),
	fld("primaryDidGroupId", kindInt, check(cv1DIDGroupCheck)),
	fld("subscriberSid", kindString, ro()),
)

// cv1RoomOwner is the subscriber whose rooms the route serves: {sid}'s, or
// the caller's (the account owner) on /meetingRooms. all is true on
// /meetingRooms, which reaches every room of the account.
func (s *Sandbox) cv1RoomOwner(c *call) (sub *record, all bool, err *apiError) {
	if c.param("sid") != "" {
		sub, err = s.cv1Subscriber(c)
		return sub, false, err
	}
	a, err := s.cv1Account(c)
	if err != nil {
		return nil, true, err
	}
	sub = s.table(cv1SubscribersTable).get(a.obj["ownerSid"].(string))
	if sub == nil {
		return nil, true, errNoItem()
	}
	return sub, true, nil
}

func (s *Sandbox) cv1Rooms(c *call) ([]*record, *apiError) {
	sub, all, err := s.cv1RoomOwner(c)
	if err != nil {
		return nil, err
	}
	return s.cv1Recs(cv1RoomsTable, c.accountSID(), func(r *record) bool { return all || r.parent == sub.sid }), nil
}

// cv1RoomByNumber finds one of the account's rooms by meeting number.
func (s *Sandbox) cv1RoomByNumber(account string, n int64) *record {
	for _, r := range s.table(cv1RoomsTable).recs {
		if r.owner == account && r.obj["meetingNumber"] == n {
			return r
		}
	}
	return nil
}

// cv1FindRoom finds the room named by {meetingNumber} within the route's
// scope.
func (s *Sandbox) cv1FindRoom(c *call) (*record, *apiError) {
	sub, all, err := s.cv1RoomOwner(c)
	if err != nil {
		return nil, err
	}
	n, _ := cv1IDParam(c, "meetingNumber")
	r := s.cv1RoomByNumber(c.accountSID(), n)
	if r == nil || (!all && r.parent != sub.sid) {
		return nil, errNoItem()
	}
	return r, nil
}

// cv1CodesInUse maps the account's access codes to their rooms, leaving out
// room except (its keychain is being rewritten).
func (s *Sandbox) cv1CodesInUse(account, except string) map[string]bool {
	used := map[string]bool{}
	for _, r := range s.cv1Recs(cv1RoomsTable, account, func(r *record) bool { return r.sid != except }) {
		for _, k := range cv1Keys(r) {
			if code, ok := k["accessCode"].(string); ok {
				used[code] = true
			}
		}
	}
	return used
}

func cv1Keys(room *record) []object {
	arr, _ := room.obj["keychain"].([]any)
	out := make([]object, 0, len(arr))
	for _, k := range arr {
		if m, ok := k.(object); ok {
			out = append(out, m)
		}
	}
	return out
}

// cv1NewCode draws a six-digit access code not in used.
func (s *Sandbox) cv1NewCode(used map[string]bool) string {
	for {
		code := strconv.Itoa(100000 + s.rng.IntN(900000))
		if !used[code] {
			return code
		}
	}
}

// cv1Keychain validates a room's new keychain (room nil on create) and
// renders it, giving new entries IDs and codes.
func (s *Sandbox) cv1Keychain(account string, room *record, keys []any) ([]any, []errItem) {
	except, existing := "", map[int64]bool{}
	if room != nil {
		except = room.sid
		for _, k := range cv1Keys(room) {
			id, _ := intOf(k["id"])
			existing[id] = true
		}
	}
	used := s.cv1CodesInUse(account, except)
	var errs []errItem
	ids := map[int64]bool{}
	for i, k := range keys {
		m := k.(object)
		name := fmt.Sprintf("keychain[%d]", i)
		if m["role"] == nil {
			errs = append(errs, item(name+".role", name+".role is required"))
		}
		if id, ok := intOf(m["id"]); ok && (!existing[id] || ids[id]) {
			errs = append(errs, item(name+".id", name+".id names no other key of this meeting room"))
		} else if ok {
			ids[id] = true
		}
		if code, ok := m["accessCode"].(string); ok {
			if used[code] {
				errs = append(errs, item(name+".accessCode", name+".accessCode is already in use"))
			}
			used[code] = true
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		m := k.(object)
		code, ok := m["accessCode"].(string)
		if !ok {
			code = s.cv1NewCode(used)
			used[code] = true
		}
		id, ok := intOf(m["id"])
		if !ok {
			id = s.cv1NextID()
		}
		out = append(out, object{"accessCode": code, "id": id, "role": m["role"]})
	}
	return out, nil
}

// cv1RoomWrite checks and completes a room being created (rec nil) or
// updated.
func (s *Sandbox) cv1RoomWrite(c *call, rec *record, body map[string]any, next object) []errItem {
	account := c.accountSID()
	var errs []errItem
	if rec == nil {
		if _, ok := body["primaryDidGroupId"]; !ok {
			errs = append(errs, item("primaryDidGroupId", "primaryDidGroupId is required"))
		}
	}
	if _, ok := body["meetingNumber"]; ok {
		n := next["meetingNumber"].(int64)
		if other := s.cv1RoomByNumber(account, n); other != nil && other != rec {
			errs = append(errs, item("meetingNumber", "meetingNumber is already in use"))
		}
		if rec != nil && rec.obj["meetingNumber"] != n && s.cv1LiveMeeting(account, rec.sid) != nil {
			errs = append(errs, item("meetingNumber", "meetingNumber cannot change while a meeting is in progress"))
		}
	} else if rec == nil {
		for {
			n := int64(100000 + s.rng.IntN(900000))
			if s.cv1RoomByNumber(account, n) == nil {
				next["meetingNumber"] = n
				break
			}
		}
	}
	if _, ok := body["attributes"]; ok {
		attrs, es := cv1Attributes(next["attributes"], "attributes")
		errs = append(errs, es...)
		next["attributes"] = attrs
	}
	if _, ok := body["keychain"]; ok {
		keys, _ := next["keychain"].([]any)
		out, es := s.cv1Keychain(account, rec, keys)
		errs = append(errs, es...)
		next["keychain"] = out
	}
	if len(errs) > 0 {
		return errs
	}
	// The primary group is always among the references.
	primary := next["primaryDidGroupId"]
	refs, _ := next["didGroupReferences"].([]any)
	if id, ok := primary.(int64); ok && !cv1RefsGroup(refs, id) {
		next["didGroupReferences"] = append([]any{object{"didGroupId": id, "state": int64(0)}}, refs...)
	}
	return nil
}

func (s *Sandbox) cv1CreateRoom(c *call) (int, any, *apiError) {
	sub, _, err := s.cv1RoomOwner(c)
	if err != nil {
		return 0, nil, err
	}
	base := cv1RoomSchema.defaults()
	base["created"], base["subscriberSid"], base["_id"] = cv1Millis(c.now), sub.sid, s.cv1NextID()
	next, body, aerr := cv1Write(c, cv1RoomSchema, base, modeCreate)
	if aerr != nil {
		return 0, nil, aerr
	}
	if errs := s.cv1RoomWrite(c, nil, body, next); len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	s.table(cv1RoomsTable).insert(&record{sid: s.newSID(), owner: c.accountSID(), parent: sub.sid, obj: next})
	return http.StatusOK, cv1Out(next), nil
}

func (s *Sandbox) cv1ListRooms(c *call) (int, any, *apiError) {
	rooms, err := s.cv1Rooms(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1List(c, "meetingRooms", cv1RoomSchema, rooms, nil)
}

func (s *Sandbox) cv1GetRoom(c *call) (int, any, *apiError) {
	r, err := s.cv1FindRoom(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1RoomSchema, r.obj)
}

func (s *Sandbox) cv1UpdateRoom(c *call) (int, any, *apiError) {
	r, err := s.cv1FindRoom(c)
	if err != nil {
		return 0, nil, err
	}
	next, body, aerr := cv1Write(c, cv1RoomSchema, r.obj, modePatch)
	if aerr != nil {
		return 0, nil, aerr
	}
	if errs := s.cv1RoomWrite(c, r, body, next); len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	r.set(next)
	return http.StatusOK, cv1Out(next), nil
}

func (s *Sandbox) cv1DeleteRoom(c *call) (int, any, *apiError) {
	r, err := s.cv1FindRoom(c)
	if err != nil {
		return 0, nil, err
	}
	if m := s.cv1LiveMeeting(c.accountSID(), r.sid); m != nil {
		return 0, nil, errConflict("meetingNumber", "a meeting is in progress in the meeting room", "")
	}
	s.table(cv1RoomsTable).remove(r.sid)
	return http.StatusNoContent, nil, nil
}

// --- keychain ----------------------------------------------------------------

// cv1KeyOut renders a key; withRoom adds meetingRoomId (POST and PUT
// answers).
func cv1KeyOut(room *record, k object, withRoom bool) object {
	o := cloneObject(k)
	if withRoom {
		o["meetingRoomId"] = room.obj["_id"]
	}
	return cv1Out(o)
}

func (s *Sandbox) cv1FindKey(c *call) (*record, object, *apiError) {
	room, err := s.cv1FindRoom(c)
	if err != nil {
		return nil, nil, err
	}
	id, _ := cv1IDParam(c, "meetingKeyId")
	for _, k := range cv1Keys(room) {
		if k["id"] == id {
			return room, k, nil
		}
	}
	return nil, nil, errNoItem()
}

// cv1KeyWrite checks a key being created (old nil) or changed and returns it
// rendered.
func (s *Sandbox) cv1KeyWrite(c *call, room *record, old object, next object) (object, *apiError) {
	if next["role"] == nil {
		return nil, errValidation(item("role", "role is required"))
	}
	used := s.cv1CodesInUse(c.accountSID(), room.sid)
	for _, k := range cv1Keys(room) {
		if old == nil || k["id"] != old["id"] {
			used[k["accessCode"].(string)] = true
		}
	}
	code, ok := next["accessCode"].(string)
	switch {
	case !ok:
		code = s.cv1NewCode(used)
	case used[code]:
		return nil, errValidation(item("accessCode", "accessCode is already in use"))
	}
	id, ok := intOf(next["id"])
	if !ok {
		id = s.cv1NextID()
	}
	return object{"accessCode": code, "id": id, "role": next["role"]}, nil
}

func (s *Sandbox) cv1CreateKey(c *call) (int, any, *apiError) {
	room, err := s.cv1FindRoom(c)
	if err != nil {
		return 0, nil, err
	}
	next, _, err := cv1Write(c, cv1KeySchema, cv1KeySchema.defaults(), modeCreate)
	if err != nil {
		return 0, nil, err
	}
	key, err := s.cv1KeyWrite(c, room, nil, next)
	if err != nil {
		return 0, nil, err
	}
	o := cloneObject(room.obj)
	o["keychain"] = append(slices.Clone(room.obj["keychain"].([]any)), key)
	room.set(o)
	return http.StatusOK, cv1KeyOut(room, key, true), nil
}

func (s *Sandbox) cv1ListKeys(c *call) (int, any, *apiError) {
	room, err := s.cv1FindRoom(c)
	if err != nil {
		return 0, nil, err
	}
	var recs []*record
	for _, k := range cv1Keys(room) {
		id, _ := intOf(k["id"])
		recs = append(recs, &record{sid: strconv.FormatInt(id, 10), obj: k})
	}
	return cv1List(c, "keychain", cv1KeySchema, recs, nil)
}

func (s *Sandbox) cv1GetKey(c *call) (int, any, *apiError) {
	_, k, err := s.cv1FindKey(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1KeySchema, k)
}

func (s *Sandbox) cv1UpdateKey(c *call) (int, any, *apiError) {
	room, old, err := s.cv1FindKey(c)
	if err != nil {
		return 0, nil, err
	}
	next, _, err := cv1Write(c, cv1KeySchema, old, modePatch)
	if err != nil {
		return 0, nil, err
	}
	key, err := s.cv1KeyWrite(c, room, old, next)
	if err != nil {
		return 0, nil, err
	}
	keys := slices.Clone(room.obj["keychain"].([]any))
	for i, k := range keys {
		if k.(object)["id"] == old["id"] {
			keys[i] = key
		}
	}
	o := cloneObject(room.obj)
	o["keychain"] = keys
	room.set(o)
	return http.StatusOK, cv1KeyOut(room, key, true), nil
}

func (s *Sandbox) cv1DeleteKey(c *call) (int, any, *apiError) {
	room, old, err := s.cv1FindKey(c)
	if err != nil {
		return 0, nil, err
	}
	keys := slices.DeleteFunc(slices.Clone(room.obj["keychain"].([]any)), func(k any) bool {
		return k.(object)["id"] == old["id"]
	})
	o := cloneObject(room.obj)
	o["keychain"] = keys
	room.set(o)
	return http.StatusNoContent, nil, nil
}
