package sandbox

import (
	"crypto/sha1"
	"net/http"
	"regexp"
	"strings"
)

// Objects attached to a rented DID: its SMS/MMS messaging enablement, its
// emergency (E911) record and its line information (CNAM listing). Each is
// reached through the DID, which must be one the caller rents (another
// partner's DID, or one not rented, is a 404). They are stored by did_sid
// with the renting partner as owner; a record left by an earlier renter is
// never shown.

func init() {
	extraTables = append(extraTables, didMessagingTable, didEmergencyTable, didLineInfoTable)
	routeAdders = append(routeAdders, (*Sandbox).didExtraRoutes)
}

const (
	didMessagingTable = "phonenumber_did_messaging"
	didEmergencyTable = "phonenumber_did_emergency"
	didLineInfoTable  = "phonenumber_did_line_information"
)

// didxUSStates are the two-letter codes of the US states, DC and the
// inhabited territories.
var didxUSStates = strings.Fields(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS
	MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP`)

func didxUSState(s string) bool { return contains(didxUSStates, s) }

// didxFind returns the caller's rented DID named by the route, or a 404.
func (s *Sandbox) didxFind(c *call) (*record, *apiError) {
	return s.didView().find(c)
}

// didxCurrent returns the record stored for did in table t, unless it was
// left there by an earlier renter.
func (s *Sandbox) didxCurrent(t string, did *record) *record {
	r := s.table(t).get(did.sid)
	if r == nil || r.owner != did.owner {
		return nil
	}
	return r
}

// ---------------------------------------------------------------------------
// Messaging enablement

// didMessagingSchema is the DID Messaging Enablement object.
var didMessagingSchema = newSchema("did_messaging", "did_sid",
	roStr("campaign_external_id"),
	fld("campaign_sid", kindString, null(), emptyNull(), check(didxCampaignCheck)),
	sidField("did_sid"),
	fld("enabled", kindBool, def(false)),
	fld("p2p_nnid", kindString, null(), emptyNull(), maxLen(64)),
	fld("status", kindString, ro()),
	fld("type", kindString, null(), enum("a2p", "p2p")),
)

var didxUUIDRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func didxCampaignCheck(c *call, v any) string {
	if !didxUUIDRe.MatchString(v.(string)) {
		return "campaign_sid must be a campaign secure ID"
	}
	return ""
}

// didxMessagingBits are the SMS/MMS capability bits (receive/send SMS,
// receive/send MMS).
const didxMessagingBits = 1 | 2 | 8 | 16

// didxMessagingDID returns the caller's DID when it can message. A DID
// without SMS/MMS capabilities (voice only) is a 404 "no item error", as the
// docs say for both GET and POST.
func (s *Sandbox) didxMessagingDID(c *call) (*record, *apiError) {
	did, err := s.didxFind(c)
	if err != nil {
		return nil, err
	}
	if caps, _ := intOf(did.obj["capabilities"]); caps&didxMessagingBits == 0 {
		return nil, errNoItem()
	}
	return did, nil
}

func (s *Sandbox) didxMessagingObject(did *record) object {
	if r := s.didxCurrent(didMessagingTable, did); r != nil {
		return r.obj
	}
	o := didMessagingSchema.defaults()
	o["did_sid"] = did.sid
	o["status"] = "disabled"
	return o
}

// didxCampaignExternalID derives the Campaign Registry ID answered for a
// campaign SID ("C" and six letters or digits, like the sample's CVN1LXI).
func didxCampaignExternalID(campaign string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	sum := sha1.Sum([]byte(strings.ToLower(campaign)))
	b := []byte{'C'}
	for _, x := range sum[:6] {
		b = append(b, alphabet[int(x)%len(alphabet)])
	}
	return string(b)
}

// getDIDMessaging serves GET /phonenumber/{did_sid}/messaging (and the
// docs' /phonenumber/dids/{did_sid}/messaging): the enablement, "disabled"
// until messaging is enabled.
func (s *Sandbox) getDIDMessaging(c *call) (int, any, *apiError) {
	did, err := s.didxMessagingDID(c)
	if err != nil {
		return 0, nil, err
	}
	sel, err := parseFieldSel(c.q, didMessagingSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sel.apply(s.didxMessagingObject(did)), nil
}

// setDIDMessaging serves POST /phonenumber/{did_sid}/messaging: enables or
// disables SMS/MMS on the DID. The answer of an enable has status
// "in_progress" (as in the docs' sample); the enablement then completes at
// once, so a GET shows "enabled" (the docs' GET sample) and the DID's
// active_capabilities gain its messaging bits. Disabling answers "disabled"
// and leaves active_capabilities at 4 (voice) or 0, as the DID object page
// says.
//
// Not confirmed, and chosen conservatively:
//   - enabled is required;
//   - type p2p is refused (422): the docs say partners are enabled for a2p
//     only unless support enables p2p; an unset type is a2p (the default);
//   - campaign_sid applies to a2p and p2p_nnid to p2p only; sending the other
//     one is a 422. campaign_sid must look like a secure ID; the sandbox has
//     no 10DLC campaigns to check it against;
//   - while messaging is enabled, changing type, campaign_sid or p2p_nnid
//     needs force=true (the docs' two-step disable-then-enable otherwise);
//     without it the request is a 422.
func (s *Sandbox) setDIDMessaging(c *call) (int, any, *apiError) {
	did, err := s.didxMessagingDID(c)
	if err != nil {
		return 0, nil, err
	}
	force, err := parseBoolParam("force", c.q.Get("force"), false)
	if err != nil {
		return 0, nil, err
	}
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	cur := s.didxMessagingObject(did)
	next, errs := applyBody(c, didMessagingSchema, cur, body, modePatch, "")
	if _, ok := body["enabled"]; !ok {
		errs = append(errs, item("enabled", "enabled is required"))
	}
	enabled, _ := next["enabled"].(bool)
	if next["type"] == nil && enabled {
		next["type"] = "a2p"
	}
	switch next["type"] {
	case "p2p":
		if _, sent := body["type"]; sent {
			errs = append(errs, item("type", "p2p messaging is not enabled for the partner"))
		}
		if _, sent := body["campaign_sid"]; sent && next["campaign_sid"] != nil {
			errs = append(errs, item("campaign_sid", "campaign_sid applies to a2p messaging only"))
		}
	default:
		if _, sent := body["p2p_nnid"]; sent && next["p2p_nnid"] != nil {
			errs = append(errs, item("p2p_nnid", "p2p_nnid applies to p2p messaging only"))
		}
	}
	if cur["enabled"] == true && enabled && !force {
		for _, k := range []string{"type", "campaign_sid", "p2p_nnid"} {
			if _, sent := body[k]; sent && !sameJSON(next[k], cur[k]) {
				errs = append(errs, item(k, "disable messaging first, or use force=true, to change "+k))
			}
		}
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	if cs, ok := next["campaign_sid"].(string); ok {
		next["campaign_external_id"] = didxCampaignExternalID(cs)
	} else {
		next["campaign_external_id"] = nil
	}
	caps, _ := intOf(did.obj["capabilities"])
	active := caps & 4
	answered := "disabled"
	next["status"] = "disabled"
	if enabled {
		active = caps
		answered = "in_progress"
		next["status"] = "enabled"
	}
	t := s.table(didMessagingTable)
	t.remove(did.sid)
	t.insert(&record{sid: did.sid, owner: did.owner, obj: next})
	// The DID shows the enabled capabilities and the 10DLC campaign in use.
	var campaign any
	if enabled {
		campaign = next["campaign_sid"]
	}
	if a, _ := intOf(did.obj["active_capabilities"]); a != active || !sameJSON(did.obj["campaign_sid"], campaign) {
		o := cloneObject(did.obj)
		o["active_capabilities"] = active
		o["campaign_sid"] = campaign
		did.set(o)
	}
	out := cloneObject(next)
	out["status"] = answered
	return http.StatusOK, out, nil
}

// ---------------------------------------------------------------------------
// Emergency and line information

// didxLocationSchema is one emergency location. Not confirmed, and chosen
// conservatively: address_1, city, state, zip and country_code are required;
// the sandbox's numbers are all US numbers and E911 is a North American
// service, so country_code must be USA, state a US state code and zip a
// US ZIP code (12345 or 12345-6789).
var didxLocationSchema = newSchema("location", "address_1",
	fld("address_1", kindString, maxLen(255)),
	optStr("address_2"),
	fld("city", kindString, maxLen(255)),
	fld("country_code", kindString, enum("USA")),
	fld("state", kindString, check(func(c *call, v any) string {
		if !didxUSState(v.(string)) {
			return "state must be a two-letter US state code"
		}
		return ""
	})),
	fld("zip", kindString, check(func(c *call, v any) string {
		if !didxZipRe.MatchString(v.(string)) {
			return "zip must be a US ZIP code (12345 or 12345-6789)"
		}
		return ""
	})),
)

var didxZipRe = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

// didEmergencySchema is the DID Emergency object.
var didEmergencySchema = newSchema("did_emergency", "caller_name",
	fld("caller_name", kindString, null(), maxLen(255)),
	fld("enabled", kindBool, def(false)),
	fld("locations", kindArray, def([]any{}), elem(didxLocationSchema)),
)

// didLineInfoSchema is the DID Line Information object, with the documented
// enumerations and defaults (class_of_service none, privacy public,
// screening block_third_number_collect). Not confirmed: enabled defaults to
// false; caller_name holds at most 15 printable ASCII characters (the CNAM
// display limit).
var didLineInfoSchema = newSchema("did_line_information", "caller_name",
	fld("caller_name", kindString, null(), check(didxCNAMCheck)),
	fld("class_of_service", kindString, def("none"), enum("business", "none", "residential")),
	fld("enabled", kindBool, def(false)),
	optStr("extended_business_name"),
	optStr("extended_first_name"),
	optStr("extended_last_name"),
	fld("privacy", kindString, def("public"), enum("private", "public")),
	fld("screening", kindString, def("block_third_number_collect"),
		enum("allow_all", "block_collect", "block_third_number", "block_third_number_collect")),
)

func didxCNAMCheck(c *call, v any) string {
	s := v.(string)
	if len(s) > 15 {
		return "caller_name must be at most 15 characters long"
	}
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return "caller_name must hold printable ASCII characters only"
		}
	}
	return ""
}

// didExtra is an object attached to a rented DID and written with
// PATCH/PUT, cleared with DELETE.
type didExtra struct {
	table  string
	schema *schema
	// check adds object-level rules (fields are checked by the schema).
	check func(next object) []errItem
}

var (
	didEmergencyExtra = &didExtra{table: didEmergencyTable, schema: didEmergencySchema, check: didxEmergencyCheck}
	didLineInfoExtra  = &didExtra{table: didLineInfoTable, schema: didLineInfoSchema}
)

// didxEmergencyCheck: an enabled emergency record needs a location
// (not confirmed).
func didxEmergencyCheck(next object) []errItem {
	locs, _ := next["locations"].([]any)
	var errs []errItem
	for i, l := range locs {
		o, _ := l.(object)
		for _, k := range []string{"address_1", "city", "country_code", "state", "zip"} {
			if v, _ := o[k].(string); strings.TrimSpace(v) == "" {
				name := "locations[" + itoa(i) + "]." + k
				errs = append(errs, item(name, name+" is required"))
			}
		}
	}
	if next["enabled"] == true && len(locs) == 0 {
		errs = append(errs, item("locations", "an enabled emergency record needs at least one location"))
	}
	return errs
}

// Reading an object that was never set (or was deleted) is a 404 "no item
// error": the docs show only set objects, and there is no create method —
// the first PATCH or PUT creates it (from the defaults), DELETE clears it.
// Not confirmed; a 404 never shows settings that do not exist.
func (s *Sandbox) didExtraGet(x *didExtra) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		did, err := s.didxFind(c)
		if err != nil {
			return 0, nil, err
		}
		sel, err := parseFieldSel(c.q, x.schema, nil)
		if err != nil {
			return 0, nil, err
		}
		r := s.didxCurrent(x.table, did)
		if r == nil {
			return 0, nil, errNoItem()
		}
		return http.StatusOK, sel.apply(r.obj), nil
	}
}

// didExtraWrite serves PATCH (put=false) and PUT (put=true), with
// applyBody's semantics; 200 and the stored object.
func (s *Sandbox) didExtraWrite(x *didExtra, put bool) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		did, err := s.didxFind(c)
		if err != nil {
			return 0, nil, err
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		base := x.schema.defaults()
		if r := s.didxCurrent(x.table, did); r != nil {
			base = r.obj
		}
		mode := modePatch
		if put {
			mode = modePut
		}
		next, errs := applyBody(c, x.schema, base, body, mode, "")
		if len(errs) == 0 && x.check != nil {
			errs = x.check(next)
		}
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		t := s.table(x.table)
		t.remove(did.sid)
		t.insert(&record{sid: did.sid, owner: did.owner, obj: next})
		return http.StatusOK, next, nil
	}
}

// didExtraDelete serves DELETE: 204, or 404 when nothing is set.
func (s *Sandbox) didExtraDelete(x *didExtra) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		did, err := s.didxFind(c)
		if err != nil {
			return 0, nil, err
		}
		if s.didxCurrent(x.table, did) == nil {
			return 0, nil, errNoItem()
		}
		s.table(x.table).remove(did.sid)
		return http.StatusNoContent, nil, nil
	}
}

func (s *Sandbox) didExtraRoutes(rt *router) {
	// The method list's path, and the docs' path as an alias.
	for _, p := range []string{"/phonenumber/{did_sid}/messaging", "/phonenumber/dids/{did_sid}/messaging"} {
		rt.handle("GET", p, s.getDIDMessaging)
		rt.handle("POST", p, s.setDIDMessaging)
	}
	for path, x := range map[string]*didExtra{
		"/phonenumber/dids/{did_sid}/emergency":        didEmergencyExtra,
		"/phonenumber/dids/{did_sid}/line_information": didLineInfoExtra,
	} {
		rt.handle("GET", path, s.didExtraGet(x))
		rt.handle("PATCH", path, s.didExtraWrite(x, false))
		rt.handle("PUT", path, s.didExtraWrite(x, true))
		rt.handle("DELETE", path, s.didExtraDelete(x))
	}
}
