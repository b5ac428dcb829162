package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Conference v1 call flows, meeting attributes, DID groups and DIDs.
//
// A DID group holds the phone numbers that lead to the account's meeting
// rooms; each DID belongs to one group. The numbers are the partner's own:
// a DID can be added only with a phone number the endpoint's partner rents
// in Core (status assigned), and a number can be in one conference account
// only. That rule is the sandbox's (CarrierX routes a number to the endpoint
// through Core, which v1's pages do not describe); it keeps v1 from holding
// numbers nobody rents.

// cv1CallFlows are the call flows every account has (read-only). Their
// names are Conference v2's ("secured" asks callers for an access code, the
// direct ones put them straight in as host or participant) [inferred]; the
// path is "for internal use" and its form is not confirmed.
var cv1CallFlows = []struct{ name, path string }{
	{"direct_host", "/callflows/direct_host"},
	{"direct_participant", "/callflows/direct_participant"},
	{"secured", "/callflows/secured"},
}

// cv1AttrTemplate is a meeting attribute: its description, type (0 string,
// 2 integer, ...), group (the levels that may override it) and the call
// flows' default value. The list is the part of CarrierX's Meeting
// Attributes table the sandbox knows of; other names are refused (422).
type cv1AttrTemplate struct {
	name, description string
	typ, group        int64
	value             string
	valid             func(v string) bool
}

var cv1AttrTemplates = []cv1AttrTemplate{
	{"call_announceparticipantcount", "Announce participant count on enter", 0, 7, "hpl", cv1RoleLetters},
	// group 0 is what CarrierX's sample answers for call_maxduration.
	// 0 seconds means no limit (not confirmed).
	{"call_maxduration", "Maximal calls duration (s)", 2, 0, "0", cv1NonNegInt},
	{"conference_start_wait", "Time to wait for a host to start the meeting (s)", 2, 7, "360", cv1NonNegInt},
	{"conference_stop_wait", "Time the meeting goes on after the last host leaves (s)", 2, 7, "180", cv1NonNegInt},
}

// cv1RoleLetters accepts access levels as letters: h, p and l, e.g. "hpl".
func cv1RoleLetters(v string) bool {
	if len(v) > 3 {
		return false
	}
	for _, r := range v {
		if !strings.ContainsRune("hpl", r) || strings.Count(v, string(r)) > 1 {
			return false
		}
	}
	return true
}

func cv1NonNegInt(v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n >= 0
}

func cv1Template(name string) *cv1AttrTemplate {
	for i := range cv1AttrTemplates {
		if cv1AttrTemplates[i].name == name {
			return &cv1AttrTemplates[i]
		}
	}
	return nil
}

// cv1Templates renders a call flow's attributeTemplates.
func cv1Templates() []any {
	out := make([]any, 0, len(cv1AttrTemplates))
	for _, t := range cv1AttrTemplates {
		out = append(out, object{"description": t.description, "enumValues": nil, "group": t.group,
			"name": t.name, "type": t.typ, "value": t.value})
	}
	return out
}

// cv1Attr renders an attribute set on an object, in the sample's shape
// ({description, group, name, value}; the value a string).
func cv1Attr(t *cv1AttrTemplate, value string) object {
	return object{"description": t.description, "group": t.group, "name": t.name, "value": value}
}

// cv1AttrValue reads an attribute value: a string or a number (the sample
// sends 120 and gets "120" back).
func cv1AttrValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	}
	return "", false
}

// cv1Attributes validates an attributes array ([{"name": ..., "value": ...}])
// and renders it. The other keys an answer carries (description, group,
// type, enumValues) may be sent back and are ignored; two entries for one
// name are refused.
func cv1Attributes(raw any, field string) ([]any, []errItem) {
	arr, _ := raw.([]any)
	out := make([]any, 0, len(arr))
	seen := map[string]bool{}
	var errs []errItem
	for i, e := range arr {
		name := fmt.Sprintf("%s[%d]", field, i)
		m, ok := e.(map[string]any)
		if !ok {
			errs = append(errs, item(name, name+" must be an object"))
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			switch k {
			case "name", "value", "description", "group", "type", "enumValues":
			default:
				errs = append(errs, item(name+"."+k, name+"."+k+" is not a known attribute of attribute"))
			}
		}
		n, _ := m["name"].(string)
		t := cv1Template(n)
		if t == nil {
			errs = append(errs, item(name+".name", name+".name is not a known meeting attribute"))
			continue
		}
		v, ok := cv1AttrValue(m["value"])
		if !ok || !t.valid(v) {
			errs = append(errs, item(name+".value", name+".value is not a valid value of "+n))
			continue
		}
		if seen[n] {
			errs = append(errs, item(name+".name", name+".name repeats "+n))
			continue
		}
		seen[n] = true
		out = append(out, cv1Attr(t, v))
	}
	return out, errs
}

// cv1AttrOf returns the value an attributes array sets for name.
func cv1AttrOf(attrs any, name string) (string, bool) {
	arr, _ := attrs.([]any)
	for _, a := range arr {
		if m, ok := a.(object); ok && m["name"] == name {
			v, _ := m["value"].(string)
			return v, true
		}
	}
	return "", false
}

// --- call flows -------------------------------------------------------------

var cv1CallFlowSchema = newSchema("callFlow", "id",
	fld("attributeTemplates", kindArray, ro()),
	fld("id", kindInt, ro()),
	fld("name", kindString, ro()),
	fld("path", kindString, ro()),
)

func (s *Sandbox) cv1ListCallFlows(c *call) (int, any, *apiError) {
	return cv1List(c, "callFlows", cv1CallFlowSchema, s.cv1Recs(cv1CallFlowsTable, c.accountSID(), nil), nil)
}

func (s *Sandbox) cv1GetCallFlow(c *call) (int, any, *apiError) {
	id, _ := cv1IDParam(c, "id")
	r := s.cv1ByID(cv1CallFlowsTable, c.accountSID(), id)
	if r == nil {
		return 0, nil, errNoItem()
	}
	return cv1One(c, cv1CallFlowSchema, r.obj)
}

// --- DID groups ------------------------------------------------------------

// cv1DIDGroupSchema is the DID Group object. name and callFlowId are
// required on create; callFlowId may be sent as an integer string, as
// CarrierX's own sample does ("callFlowId":"1"). dids (read-only) lists the
// group's DIDs; state (-1 in every sample) is read-only.
var cv1DIDGroupSchema = newSchema("didGroup", "id",
	fld("attributes", kindArray, def([]any{})),
	fld("callFlowId", kindAny, check(cv1CallFlowRef)),
	fld("description", kindString, def(""), maxLen(1024)),
	fld("dids", kindArray, external()),
	fld("id", kindInt, ro()),
	fld("name", kindString, maxLen(255), check(cv1NonEmpty)),
	fld("state", kindInt, ro(), def(int64(-1))),
	fld("subscriberSid", kindString, ro()),
)

// cv1Int reads an integer, or an integer in a string.
func cv1Int(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		v = json.Number(strings.TrimSpace(s))
	}
	return intOf(v)
}

func cv1CallFlowRef(c *call, v any) string {
	n, ok := cv1Int(v)
	if !ok {
		return "callFlowId must be an integer"
	}
	if c.s.cv1ByID(cv1CallFlowsTable, c.accountSID(), n) == nil {
		return "cannot find the call flow " + strconv.FormatInt(n, 10)
	}
	return ""
}

func (s *Sandbox) cv1PresentDIDGroup(r *record) object {
	o := cloneObject(r.obj)
	id, _ := intOf(r.obj["id"])
	dids := []any{}
	for _, d := range s.cv1Recs(cv1DIDsTable, r.owner, func(d *record) bool { return d.obj["didGroupId"] == id }) {
		dids = append(dids, cv1Out(d.obj))
	}
	o["dids"] = dids
	return o
}

func (s *Sandbox) cv1DIDGroupWrite(body map[string]any, next object, create bool) []errItem {
	var errs []errItem
	if create {
		for _, k := range []string{"callFlowId", "name"} {
			if _, ok := body[k]; !ok {
				errs = append(errs, item(k, k+" is required"))
			}
		}
	}
	next["callFlowId"], _ = cv1Int(next["callFlowId"])
	if _, ok := body["attributes"]; ok {
		attrs, es := cv1Attributes(next["attributes"], "attributes")
		errs = append(errs, es...)
		next["attributes"] = attrs
	}
	return errs
}

func (s *Sandbox) cv1CreateDIDGroup(c *call) (int, any, *apiError) {
	a, err := s.cv1Account(c)
	if err != nil {
		return 0, nil, err
	}
	base := cv1DIDGroupSchema.defaults()
	base["subscriberSid"] = a.obj["ownerSid"]
	next, body, aerr := cv1Write(c, cv1DIDGroupSchema, base, modeCreate)
	if aerr != nil {
		return 0, nil, aerr
	}
	if errs := s.cv1DIDGroupWrite(body, next, true); len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	id := s.cv1NextID()
	next["id"] = id
	r := &record{sid: strconv.FormatInt(id, 10), owner: c.accountSID(), obj: next}
	s.table(cv1DIDGroupsTable).insert(r)
	return http.StatusOK, cv1Out(s.cv1PresentDIDGroup(r)), nil
}

func (s *Sandbox) cv1ListDIDGroups(c *call) (int, any, *apiError) {
	return cv1List(c, "didGroups", cv1DIDGroupSchema, s.cv1Recs(cv1DIDGroupsTable, c.accountSID(), nil), s.cv1PresentDIDGroup)
}

func (s *Sandbox) cv1FindDIDGroup(c *call) (*record, *apiError) {
	id, _ := cv1IDParam(c, "id")
	r := s.cv1ByID(cv1DIDGroupsTable, c.accountSID(), id)
	if r == nil {
		return nil, errNoItem()
	}
	return r, nil
}

func (s *Sandbox) cv1GetDIDGroup(c *call) (int, any, *apiError) {
	r, err := s.cv1FindDIDGroup(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1DIDGroupSchema, s.cv1PresentDIDGroup(r))
}

func (s *Sandbox) cv1UpdateDIDGroup(c *call) (int, any, *apiError) {
	r, err := s.cv1FindDIDGroup(c)
	if err != nil {
		return 0, nil, err
	}
	next, body, aerr := cv1Write(c, cv1DIDGroupSchema, r.obj, modePatch)
	if aerr != nil {
		return 0, nil, aerr
	}
	if errs := s.cv1DIDGroupWrite(body, next, false); len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	r.set(next)
	return http.StatusOK, cv1Out(s.cv1PresentDIDGroup(r)), nil
}

// cv1DeleteDIDGroup deletes a DID group. One that DIDs, meeting rooms or
// subscribers still refer to is refused (409, naming one of them): CarrierX's
// answer is not confirmed, and refusing never leaves a room or a number
// pointing at no group.
func (s *Sandbox) cv1DeleteDIDGroup(c *call) (int, any, *apiError) {
	r, err := s.cv1FindDIDGroup(c)
	if err != nil {
		return 0, nil, err
	}
	id, _ := intOf(r.obj["id"])
	account := c.accountSID()
	if d := s.cv1Recs(cv1DIDsTable, account, func(d *record) bool { return d.obj["didGroupId"] == id }); len(d) > 0 {
		return 0, nil, errConflict("id", "the DID group holds "+itoa(len(d))+" DID(s)", d[0].sid)
	}
	for _, room := range s.cv1Recs(cv1RoomsTable, account, nil) {
		if room.obj["primaryDidGroupId"] == id || cv1RefsGroup(room.obj["didGroupReferences"], id) {
			mn, _ := intOf(room.obj["meetingNumber"])
			return 0, nil, errConflict("id", "the meeting room "+strconv.FormatInt(mn, 10)+" uses the DID group", "")
		}
	}
	for _, sub := range s.cv1Recs(cv1SubscribersTable, account, nil) {
		if cv1RefsGroup(sub.obj["didGroupReferences"], id) {
			return 0, nil, errConflict("id", "the subscriber "+sub.sid+" refers to the DID group", sub.sid)
		}
	}
	s.table(cv1DIDGroupsTable).remove(r.sid)
	return http.StatusNoContent, nil, nil
}

// --- DIDs ------------------------------------------------------------------

// cv1DIDSchema is the DID object. phoneNumber and didGroupId are required
// on create; phoneNumber cannot change afterwards (not confirmed).
// countryCode is the number's ISO 3166 alpha-2 code ("US" in the sample).
var cv1DIDSchema = newSchema("did", "id",
	fld("attributes", kindArray, def([]any{})),
	fld("countryCode", kindString, ro()),
	fld("didGroupId", kindInt, check(cv1DIDGroupCheck)),
	fld("id", kindInt, ro()),
	fld("phoneNumber", kindString, createOnly(), maxLen(32)),
	fld("state", kindInt, ro(), def(int64(-1))),
)

// cv1Alpha2 maps the Core country codes of the sandbox's numbers (ISO
// alpha-3) to the alpha-2 codes v1 answers.
var cv1Alpha2 = map[string]string{"USA": "US", "CAN": "CA", "GBR": "GB", "PRI": "PR"}

func (s *Sandbox) cv1CreateDID(c *call) (int, any, *apiError) {
	if _, err := s.cv1Account(c); err != nil {
		return 0, nil, err
	}
	next, body, aerr := cv1Write(c, cv1DIDSchema, cv1DIDSchema.defaults(), modeCreate)
	if aerr != nil {
		return 0, nil, aerr
	}
	var errs []errItem
	for _, k := range []string{"didGroupId", "phoneNumber"} {
		if _, ok := body[k]; !ok {
			errs = append(errs, item(k, k+" is required"))
		}
	}
	if raw, ok := next["phoneNumber"].(string); ok {
		num := strings.TrimPrefix(strings.TrimSpace(raw), "+")
		core := s.didByNumber[num]
		switch {
		case core == nil || core.owner != c.partner.sid || core.status != "assigned":
			errs = append(errs, item("phoneNumber", "phoneNumber must be a phone number the partner rents"))
		default:
			for _, d := range s.table(cv1DIDsTable).recs {
				if d.obj["phoneNumber"] == num {
					errs = append(errs, item("phoneNumber", "phoneNumber is already in a conference account"))
					break
				}
			}
			cc, _ := core.obj["country_code"].(string)
			if a2, ok := cv1Alpha2[cc]; ok {
				cc = a2
			}
			next["phoneNumber"], next["countryCode"] = num, cc
		}
	}
	if _, ok := body["attributes"]; ok {
		attrs, es := cv1Attributes(next["attributes"], "attributes")
		errs = append(errs, es...)
		next["attributes"] = attrs
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	id := s.cv1NextID()
	next["id"] = id
	s.table(cv1DIDsTable).insert(&record{sid: strconv.FormatInt(id, 10), owner: c.accountSID(), obj: next})
	return http.StatusOK, cv1Out(next), nil
}

func (s *Sandbox) cv1ListDIDs(c *call) (int, any, *apiError) {
	return cv1List(c, "dids", cv1DIDSchema, s.cv1Recs(cv1DIDsTable, c.accountSID(), nil), nil)
}

func (s *Sandbox) cv1FindDID(c *call) (*record, *apiError) {
	id, _ := cv1IDParam(c, "id")
	r := s.cv1ByID(cv1DIDsTable, c.accountSID(), id)
	if r == nil {
		return nil, errNoItem()
	}
	return r, nil
}

func (s *Sandbox) cv1GetDID(c *call) (int, any, *apiError) {
	r, err := s.cv1FindDID(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1One(c, cv1DIDSchema, r.obj)
}

func (s *Sandbox) cv1UpdateDID(c *call) (int, any, *apiError) {
	r, err := s.cv1FindDID(c)
	if err != nil {
		return 0, nil, err
	}
	next, body, aerr := cv1Write(c, cv1DIDSchema, r.obj, modePatch)
	if aerr != nil {
		return 0, nil, aerr
	}
	if _, ok := body["attributes"]; ok {
		attrs, errs := cv1Attributes(next["attributes"], "attributes")
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		next["attributes"] = attrs
	}
	r.set(next)
	return http.StatusOK, cv1Out(next), nil
}

// cv1DeleteDID removes a DID from the account (the number stays rented in
// Core). Meetings in progress keep going: their callers are connected.
func (s *Sandbox) cv1DeleteDID(c *call) (int, any, *apiError) {
	r, err := s.cv1FindDID(c)
	if err != nil {
		return 0, nil, err
	}
	s.table(cv1DIDsTable).remove(r.sid)
	return http.StatusNoContent, nil, nil
}
