package sandbox

import (
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
)

// Conference v1 subscribers: people (or organizations) of the account. The
// account owner is provisioned with the endpoint and is the caller of every
// request (the API is reached with the endpoint's credentials), so whoami
// answers it. Subscribers own meeting rooms and media files.

// cv1DIDGroupRefSchema is a didGroupReferences entry ({didGroupId, state}).
var cv1DIDGroupRefSchema = newSchema("didGroupReference", "didGroupId",
	fld("didGroupId", kindInt, check(cv1DIDGroupCheck)),
	fld("state", kindInt, def(int64(0))),
)

// cv1SubscriberSchema is the Subscriber object. login and password are
// required on create. Not confirmed, and chosen conservatively:
//   - login is unique among the sandbox's v1 subscribers (it names an API
//     user), 1-64 characters;
//   - password (write-only, never answered) is 1-128 characters; changing it
//     draws a new authenticationToken;
//   - eventCallbackUrl (write-only) sets callback.url, as the docs say; an
//     empty value or null clears the callback;
//   - meetingRooms (documented as "rooms this subscriber can possibly
//     attend", shape not shown) is answered only when set by CarrierX, never
//     here, and cannot be written;
//   - email must be an address; role is 1 (administrator), 2 (operator) or
//     3 (regular user, the default).
var cv1SubscriberSchema = newSchema("subscriber", "sid",
	fld("authenticationToken", kindString, ro(), null()),
	fld("callback", kindObject, null()),
	fld("created", kindInt, ro()),
	fld("details", kindString, null(), maxLen(1024)),
	fld("didGroupReferences", kindArray, def([]any{}), elem(cv1DIDGroupRefSchema)),
	fld("email", kindString, null(), emptyNull(), maxLen(255), check(cv1EmailCheck)),
	fld("eventCallbackUrl", kindString, null(), emptyNull(), maxLen(2048), urlCheck()),
	fld("ext", kindString, null(), maxLen(32)),
	fld("externalId", kindInt, ro(), def(int64(-1))),
	fld("firstName", kindString, def(""), maxLen(255)),
	fld("lastName", kindString, def(""), maxLen(255)),
	fld("login", kindString, maxLen(64), check(cv1NonEmpty)),
	fld("meetingRooms", kindArray, ro(), null()),
	fld("parentSid", kindString, ro(), null()),
	fld("password", kindString, external()),
	fld("phoneNumber", kindString, null(), maxLen(32)),
	fld("role", kindInt, def(int64(3)), check(cv1RoleCheck)),
	fld("sid", kindString, ro()),
)

func cv1NonEmpty(c *call, v any) string {
	if v.(string) == "" {
		return "the value must not be empty"
	}
	return ""
}

func cv1EmailCheck(c *call, v any) string {
	if _, err := mail.ParseAddress(v.(string)); err != nil {
		return "email must be an email address"
	}
	return ""
}

// cv1RoleCheck accepts the documented roles: 1, 2 and 3 (for subscribers
// administrator, operator, regular user; for access codes and calls host,
// participant, listener).
func cv1RoleCheck(c *call, v any) string {
	if n := v.(int64); n < 1 || n > 3 {
		return "role must be 1, 2 or 3"
	}
	return ""
}

func cv1DIDGroupCheck(c *call, v any) string {
	if c.s.cv1ByID(cv1DIDGroupsTable, c.accountSID(), v.(int64)) == nil {
		return "cannot find the DID group " + strconv.FormatInt(v.(int64), 10)
	}
	return ""
}

// cv1Subscriber finds the account's subscriber named by the {sid} path
// parameter.
func (s *Sandbox) cv1Subscriber(c *call) (*record, *apiError) {
	r := s.table(cv1SubscribersTable).get(c.param("sid"))
	if r == nil || r.owner != c.accountSID() {
		return nil, errNoItem()
	}
	return r, nil
}

// cv1SubscriberWrite checks what the schema cannot: required fields, the
// login's uniqueness, the password, the callback and, for the account
// owner, that its endpoint credentials stay the endpoint's.
func (s *Sandbox) cv1SubscriberWrite(c *call, rec *record, body map[string]any, next object, isOwner bool) []errItem {
	var errs []errItem
	if rec == nil {
		for _, k := range []string{"login", "password"} {
			if _, ok := body[k]; !ok {
				errs = append(errs, item(k, k+" is required"))
			}
		}
	}
	if raw, ok := body["password"]; ok {
		pw, isStr := raw.(string)
		switch {
		case isOwner:
			errs = append(errs, item("password", "the account owner's password is the endpoint's; change it through Core"))
		case !isStr || pw == "" || len(pw) > 128:
			errs = append(errs, item("password", "password must be a string of 1 to 128 characters"))
		default:
			next["_password"] = pw
			next["authenticationToken"] = s.cv1NewToken()
		}
	}
	if _, ok := body["login"]; ok {
		login, _ := next["login"].(string)
		switch {
		case isOwner && login != rec.obj["login"]:
			errs = append(errs, item("login", "the account owner's login is the endpoint's and cannot be changed"))
		default:
			for _, r := range s.table(cv1SubscribersTable).recs {
				if r != rec && r.obj["login"] == login {
					errs = append(errs, item("login", "login is already in use"))
					break
				}
			}
		}
	}
	if isOwner && next["role"] != int64(1) {
		errs = append(errs, item("role", "the account owner is an administrator (role 1)"))
	}
	// callback: {"url": ...} (its id is the sandbox's); eventCallbackUrl is
	// the same URL by another name.
	url, setURL := any(nil), false
	if raw, ok := body["callback"]; ok {
		setURL = true
		if raw != nil {
			m, _ := raw.(map[string]any)
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if k != "url" && k != "id" {
					errs = append(errs, item("callback."+k, "callback."+k+" is not a known attribute of callback"))
				}
			}
			if u, ok := m["url"]; ok && u != nil && u != "" {
				f := fld("callback.url", kindString, maxLen(2048), urlCheck())
				if v, es := f.normalize(c, u, ""); len(es) > 0 {
					errs = append(errs, es...)
				} else {
					url = v
				}
			}
		}
	}
	if _, ok := body["eventCallbackUrl"]; ok {
		setURL, url = true, next["eventCallbackUrl"] // "" was made null
	}
	next["eventCallbackUrl"] = nil
	switch {
	case setURL && url == nil:
		next["callback"] = nil
	case setURL:
		var id int64
		if rec != nil {
			if old, ok := rec.obj["callback"].(object); ok {
				id, _ = intOf(old["id"])
			}
		}
		if id == 0 {
			id = s.cv1NextID()
		}
		next["callback"] = object{"id": id, "url": url}
	case rec != nil:
		next["callback"] = rec.obj["callback"]
	default:
		next["callback"] = nil
	}
	return errs
}

func (s *Sandbox) cv1IsOwner(c *call, r *record) bool {
	a, _ := s.cv1Account(c)
	return a != nil && r != nil && a.obj["ownerSid"] == r.sid
}

func (s *Sandbox) cv1CreateSubscriber(c *call) (int, any, *apiError) {
	a, err := s.cv1Account(c)
	if err != nil {
		return 0, nil, err
	}
	base := cv1SubscriberSchema.defaults()
	base["sid"], base["created"], base["parentSid"] = s.cv1NewSID(), cv1Millis(c.now), a.obj["ownerSid"]
	base["authenticationToken"] = s.cv1NewToken()
	next, body, aerr := cv1Write(c, cv1SubscriberSchema, base, modeCreate)
	if aerr != nil {
		return 0, nil, aerr
	}
	if errs := s.cv1SubscriberWrite(c, nil, body, next, false); len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	sid := next["sid"].(string)
	s.table(cv1SubscribersTable).insert(&record{sid: sid, owner: c.accountSID(), obj: next})
	return http.StatusOK, cv1Out(next), nil
}

func (s *Sandbox) cv1ListSubscribers(c *call) (int, any, *apiError) {
	return cv1List(c, "subscribers", cv1SubscriberSchema, s.cv1Recs(cv1SubscribersTable, c.accountSID(), nil), nil)
}

func (s *Sandbox) cv1GetSubscriber(c *call) (int, any, *apiError) {
	r, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1SubscriberSchema, r.obj)
}

// cv1WhoAmI answers the subscriber the request authenticated as: the
// account owner (the endpoint's credentials are the owner's).
func (s *Sandbox) cv1WhoAmI(c *call) (int, any, *apiError) {
	a, err := s.cv1Account(c)
	if err != nil {
		return 0, nil, err
	}
	r := s.table(cv1SubscribersTable).get(a.obj["ownerSid"].(string))
	if r == nil {
		return 0, nil, errNoItem()
	}
	return cv1One(c, cv1SubscriberSchema, r.obj)
}

// cv1Logout answers 204. With HTTP Basic there is no session to end on the
// server (the next request authenticates again); what CarrierX answers is
// not confirmed, and no body is the conservative reading. No request body is
// needed.
func (s *Sandbox) cv1Logout(c *call) (int, any, *apiError) {
	if _, err := s.cv1Account(c); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (s *Sandbox) cv1UpdateSubscriber(c *call) (int, any, *apiError) {
	r, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	next, body, aerr := cv1Write(c, cv1SubscriberSchema, r.obj, modePatch)
	if aerr != nil {
		return 0, nil, aerr
	}
	if errs := s.cv1SubscriberWrite(c, r, body, next, s.cv1IsOwner(c, r)); len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	r.set(next)
	return http.StatusOK, cv1Out(next), nil
}

// cv1DeleteSubscriber removes a subscriber with its meeting rooms and files.
// Not confirmed, and refused conservatively: the account owner (403; it is
// the endpoint's user), and a subscriber one of whose rooms holds a meeting
// in progress (409).
func (s *Sandbox) cv1DeleteSubscriber(c *call) (int, any, *apiError) {
	r, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	if s.cv1IsOwner(c, r) {
		return 0, nil, newErr(http.StatusForbidden, "forbidden", item("sid", "the account owner cannot be deleted"))
	}
	rooms := s.cv1Recs(cv1RoomsTable, c.accountSID(), func(x *record) bool { return x.parent == r.sid })
	for _, room := range rooms {
		if m := s.cv1LiveMeeting(c.accountSID(), room.sid); m != nil {
			return 0, nil, errConflict("meetingNumber", "a meeting is in progress in the subscriber's room "+
				strconv.FormatInt(m.meetingNumber, 10), "")
		}
	}
	for _, room := range rooms {
		s.table(cv1RoomsTable).remove(room.sid)
	}
	s.cv1RemoveFiles(r.sid, "")
	s.table(cv1SubscribersTable).remove(r.sid)
	return http.StatusNoContent, nil, nil
}

// cv1RefsGroup reports whether didGroupReferences refs name DID group id.
func cv1RefsGroup(refs any, id int64) bool {
	arr, _ := refs.([]any)
	return slices.ContainsFunc(arr, func(x any) bool {
		m, _ := x.(object)
		n, _ := intOf(m["didGroupId"])
		return n == id
	})
}
