package sandbox

import (
	"net/http"
	"regexp"
)

// Access control (Core v2 /accesscontrol): rules a partner creates, and the
// effective access control lists computed from the ACLs of the partner, its
// trunk groups and trunks, which reference those rules.

func init() {
	extraTables = append(extraTables, rulesTable)
	routeAdders = append(routeAdders, (*Sandbox).accessControlRoutes)
}

const rulesTable = "accesscontrol_rules"

// ruleFields are the values "field" takes: calling/called for calls,
// from/to/message (and the legacy from_did/to_did) for SMS. Other values are
// not confirmed and are refused.
var ruleFields = []string{"called", "calling", "from", "from_did", "message", "to", "to_did"}

// ruleSchema is the Access Control Rule object. entries, field, operation and
// quantifier are required on create. read_only is computed: false for the
// caller's own rules, true for rules of the caller's parent partner.
var ruleSchema = newSchema("access_control_rule", "rule_sid",
	fld("entries", kindArray, elemKind(kindString), check(entriesCheck)),
	fld("field", kindString, enum(ruleFields...)),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("operation", kindString, enum("exact", "prefix", "regexp")),
	fld("quantifier", kindString, enum("all", "any", "none")),
	fld("read_only", kindBool, ro()),
	sidField("rule_sid"),
)

var ruleRequired = []string{"entries", "field", "operation", "quantifier"}

// entriesCheck: at least one entry, none empty. Not confirmed: CarrierX's
// answer to an empty list or an empty entry.
func entriesCheck(c *call, v any) string {
	arr := v.([]any)
	if len(arr) == 0 {
		return "entries must hold at least one entry"
	}
	for _, e := range arr {
		if s, _ := e.(string); s == "" {
			return "entries must not hold empty strings"
		}
	}
	return ""
}

// parentOf returns the SID of p's parent partner, or "".
func parentOf(p *record) string {
	s, _ := p.obj["parent_sid"].(string)
	return s
}

func (s *Sandbox) ruleView() *view {
	present := func(c *call, r *record) object {
		if r.owner == c.partner.sid {
			return r.obj
		}
		o := cloneObject(r.obj)
		o["read_only"] = true
		return o
	}
	return &view{schema: ruleSchema, table: s.table(rulesTable), param: "rule_sid", defaultLimit: 10,
		visible: func(c *call, r *record) bool {
			return r.owner == c.partner.sid || (r.owner != "" && r.owner == parentOf(c.partner))
		},
		present:   present,
		filterObj: present,
		newObject: func(c *call) object {
			o := ruleSchema.defaults()
			o["rule_sid"] = s.newSID()
			o["read_only"] = false
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			var errs []errItem
			if mode == modeCreate {
				for _, k := range ruleRequired {
					if _, ok := body[k]; !ok {
						errs = append(errs, item(k, k+" is required"))
					}
				}
			}
			if next["operation"] == "regexp" {
				entries, _ := next["entries"].([]any)
				for _, e := range entries {
					if _, err := regexp.Compile(e.(string)); err != nil {
						errs = append(errs, item("entries", "entries must be valid regular expressions when operation is regexp"))
						break
					}
				}
			}
			return errs
		},
		beforeDelete: func(c *call, rec *record) *apiError {
			if ref := s.ruleReference(rec.sid); ref != "" {
				return errConflict("rule_sid", "the rule is used by an access control list", ref)
			}
			return nil
		},
	}
}

// ownRule refuses writes to a parent partner's rule (read_only true) with a
// 403 before h runs. The status is not confirmed: the docs only say such
// rules cannot be changed or deleted.
func ownRule(v *view, h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		if r.owner != c.partner.sid {
			return 0, nil, newErr(http.StatusForbidden, "forbidden",
				item("read_only", "the rule belongs to the parent partner and is read-only"))
		}
		return h(c)
	}
}

// ruleReference returns the SID of an object (partner, trunk group or trunk)
// whose ACLs use the rule, or "". Deleting a rule still in use is refused
// (409): CarrierX's answer is not confirmed, and refusing never leaves an
// ACL pointing at nothing.
func (s *Sandbox) ruleReference(ruleSID string) string {
	uses := func(list any) bool {
		for _, acl := range aclsOf(list) {
			for _, sid := range acl.rules {
				if sid == ruleSID {
					return true
				}
			}
		}
		return false
	}
	for _, p := range s.partners.recs {
		if uses(p.obj["acls"]) || uses(p.obj["parent_assigned_acls"]) {
			return p.sid
		}
	}
	for _, g := range s.trunkGroups.recs {
		if uses(g.obj["acls"]) {
			return g.sid
		}
	}
	for _, t := range s.trunks.recs {
		if uses(t.obj["acls"]) {
			return t.sid
		}
	}
	return ""
}

// acl is one Access Control List as stored in an object's "acls" array.
type acl struct {
	rules     []string
	direction string
	actions   map[string]any // sms_action_false, sms_action_true, voice_action_false, voice_action_true
}

var aclActionKeys = []string{"sms_action_false", "sms_action_true", "voice_action_false", "voice_action_true"}

// aclsOf reads an "acls" array; elements that are not objects are skipped.
func aclsOf(list any) []acl {
	arr, _ := list.([]any)
	out := make([]acl, 0, len(arr))
	for _, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		a := acl{actions: map[string]any{}}
		rs, _ := m["access_control_rules"].([]any)
		for _, r := range rs {
			if sid, ok := r.(string); ok {
				a.rules = append(a.rules, sid)
			}
		}
		a.direction, _ = m["direction"].(string)
		for _, k := range aclActionKeys {
			if v, ok := m[k].(string); ok {
				a.actions[k] = v
			} else {
				a.actions[k] = nil
			}
		}
		out = append(out, a)
	}
	return out
}

// effectiveKind is "voice" (calls) or "sms".
type effectiveKind string

// applies reports whether the ACL has an action for kind and direction dir
// ("" = every direction). An ACL whose direction is "any" applies to every
// direction. Both readings are not confirmed; they follow the ACL object's
// description (sms_* null on voice-only ACLs and the reverse).
func (a acl) applies(kind effectiveKind, dir string) bool {
	if a.actions[string(kind)+"_action_true"] == nil && a.actions[string(kind)+"_action_false"] == nil {
		return false
	}
	return dir == "" || dir == "any" || a.direction == dir || a.direction == "any"
}

// render is the ACL as the effective ACL lookups answer it: the rule SIDs
// that name rules visible to the partner (own or parent's), in stored order.
func (s *Sandbox) renderACL(a acl, partner *record) object {
	rules := s.table(rulesTable)
	sids := []any{}
	for _, sid := range a.rules {
		if r := rules.get(sid); r != nil && (r.owner == partner.sid || (r.owner != "" && r.owner == parentOf(partner))) {
			sids = append(sids, sid)
		}
	}
	var dir any
	if a.direction != "" {
		dir = a.direction
	}
	o := object{"access_control_rules": sids, "direction": dir}
	for _, k := range aclActionKeys {
		o[k] = a.actions[k]
	}
	return o
}

// effectiveSchema is one item of the effective ACL lookups: the ACLs of one
// layer, layer 1 being the top-most object (executed first).
var effectiveSchema = newSchema("effective_acl", "layer",
	fld("effective_acls", kindArray, ro()),
	fld("layer", kindInt, ro()),
)

// effectiveACLs serves GET /accesscontrol/effective_acl/{calls,sms}.
//
// Query arguments: direction (any, inbound, outbound, undirected) and
// partner_sid (the caller or one of its sub-partners); for calls also
// trunk_group_sid and trunk_sid (the partner's; a trunk alone implies its
// group). Layers, top-most first: the ACLs the parent partner assigned
// (parent_assigned_acls), the partner's own acls, then for calls the trunk
// group's and the trunk's. Only layers with an applicable ACL are listed,
// numbered from 1. Layer order and numbering are not confirmed beyond the
// docs' note that effective ACLs execute from the most top-level object.
// Trunk groups and trunks are voice only, so they never add SMS layers.
func (s *Sandbox) effectiveACLs(kind effectiveKind) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		for _, k := range []string{"trunk_group_sid", "trunk_sid"} {
			if kind == "sms" && c.q.Has(k) {
				return 0, nil, errBadRequest(k, k+" is not accepted by the SMS lookup")
			}
		}
		dir := c.q.Get("direction")
		if dir != "" && !contains([]string{"any", "inbound", "outbound", "undirected"}, dir) {
			return 0, nil, errBadRequest("direction", "direction must be one of: any, inbound, outbound, undirected")
		}
		lp, err := parseListParams(c, effectiveSchema, nil, 10, false, nil)
		if err != nil {
			return 0, nil, err
		}
		if lp.withRelated {
			return 0, nil, errBadRequest("with_related", "with_related is not accepted by this lookup")
		}
		partner := c.partner
		if sid := c.q.Get("partner_sid"); sid != "" && sid != c.partner.sid {
			p := s.partners.get(sid)
			if p == nil || parentOf(p) != c.partner.sid {
				return 0, nil, errNoItem()
			}
			partner = p
		}
		var group, trunk *record
		if sid := c.q.Get("trunk_sid"); sid != "" {
			trunk = s.trunks.get(sid)
			if trunk == nil || trunk.owner != partner.sid {
				return 0, nil, errNoItem()
			}
			group = s.trunkGroups.get(trunk.parent)
		}
		if sid := c.q.Get("trunk_group_sid"); sid != "" {
			g := s.trunkGroups.get(sid)
			if g == nil || g.owner != partner.sid || (group != nil && group != g) {
				return 0, nil, errNoItem()
			}
			group = g
		}
		lists := []any{partner.obj["parent_assigned_acls"], partner.obj["acls"]}
		if group != nil {
			lists = append(lists, group.obj["acls"])
		}
		if trunk != nil {
			lists = append(lists, trunk.obj["acls"])
		}
		var layers []object
		for _, list := range lists {
			acls := []any{}
			for _, a := range aclsOf(list) {
				if a.applies(kind, dir) {
					acls = append(acls, s.renderACL(a, partner))
				}
			}
			if len(acls) > 0 {
				layers = append(layers, object{"effective_acls": acls, "layer": int64(len(layers) + 1)})
			}
		}
		recs := make([]*record, 0, len(layers))
		for _, l := range layers {
			if lp.match.match(l) {
				recs = append(recs, &record{obj: l})
			}
		}
		sortRecords(recs, lp.order, func(r *record) object { return r.obj })
		w, err := c.paginate(lp, len(recs), nil)
		if err != nil {
			return 0, nil, err
		}
		items := make([]any, 0, w.end-w.start)
		for _, r := range recs[w.start:w.end] {
			items = append(items, lp.sel.apply(r.obj))
		}
		return http.StatusOK, newEnvelope(items, lp, w, len(recs), false), nil
	}
}

func (s *Sandbox) accessControlRoutes(rt *router) {
	rules := s.ruleView()
	rt.handle("GET", "/accesscontrol/rules", rules.list(nil))
	rt.handle("POST", "/accesscontrol/rules", rules.create())
	rt.handle("GET", "/accesscontrol/rules/{rule_sid}", rules.get())
	rt.handle("PATCH", "/accesscontrol/rules/{rule_sid}", ownRule(rules, rules.update(false)))
	rt.handle("PUT", "/accesscontrol/rules/{rule_sid}", ownRule(rules, rules.update(true)))
	rt.handle("DELETE", "/accesscontrol/rules/{rule_sid}", ownRule(rules, rules.remove()))
	rt.handle("GET", "/accesscontrol/effective_acl/calls", s.effectiveACLs("voice"))
	rt.handle("GET", "/accesscontrol/effective_acl/sms", s.effectiveACLs("sms"))
}
