package carrierx

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
)

// AccessControlRule is an access control rule (ACR): what to check (Field),
// against which Entries, how (Operation) and how many must match
// (Quantifier). Rules do nothing by themselves: access control lists (the
// acls of a partner, trunk group or trunk) reference them by SID.
type AccessControlRule struct {
	Entries    []string `json:"entries"`
	Field      string   `json:"field"`      // called, calling (calls); from, to, message (SMS)
	Name       string   `json:"name"`       // default "N/A"
	Operation  string   `json:"operation"`  // exact, prefix, regexp
	Quantifier string   `json:"quantifier"` // all, any, none
	ReadOnly   bool     `json:"read_only"`  // ro: true for the parent partner's rules
	RuleSID    string   `json:"rule_sid"`   // ro
}

// AccessControlRuleUpdate is the body of a rule create or PATCH: only the
// fields set are sent. Create needs Entries, Field, Operation and Quantifier.
type AccessControlRuleUpdate struct {
	Entries    Optional[[]string] `json:"entries,omitzero"`
	Field      Optional[string]   `json:"field,omitzero"`
	Name       Optional[string]   `json:"name,omitzero"`
	Operation  Optional[string]   `json:"operation,omitzero"`
	Quantifier Optional[string]   `json:"quantifier,omitzero"`
}

// accessControlRuleWritable is a rule's writable fields, for PUT.
type accessControlRuleWritable struct {
	Entries    []string `json:"entries"`
	Field      string   `json:"field"`
	Name       string   `json:"name"`
	Operation  string   `json:"operation"`
	Quantifier string   `json:"quantifier"`
}

const rulesPath = "/accesscontrol/rules"

// ListAccessControlRules returns one page of the rules of the partner and of
// its parent partner (those are read-only).
func (c *Client) ListAccessControlRules(ctx context.Context, opts ListOptions) (*Page[AccessControlRule], error) {
	return listPage[AccessControlRule](ctx, c, core, rulesPath, opts)
}

// AllAccessControlRules iterates over every rule matching opts.
func (c *Client) AllAccessControlRules(ctx context.Context, opts ListOptions) iter.Seq2[AccessControlRule, error] {
	return allItems[AccessControlRule](ctx, c, core, rulesPath, opts)
}

// GetAccessControlRule returns one rule.
func (c *Client) GetAccessControlRule(ctx context.Context, sid string) (*AccessControlRule, error) {
	if err := requireSID("rule_sid", sid); err != nil {
		return nil, err
	}
	return getOne[AccessControlRule](ctx, c, core, rulesPath+"/"+pathEscape(sid), nil)
}

// CreateAccessControlRule creates a rule (POST /accesscontrol/rules).
func (c *Client) CreateAccessControlRule(ctx context.Context, r AccessControlRuleUpdate) (*AccessControlRule, error) {
	return send[AccessControlRule](ctx, c, core, http.MethodPost, rulesPath, nil, r)
}

// UpdateAccessControlRule changes the fields set in u (PATCH).
func (c *Client) UpdateAccessControlRule(ctx context.Context, sid string, u AccessControlRuleUpdate) (*AccessControlRule, error) {
	if err := requireSID("rule_sid", sid); err != nil {
		return nil, err
	}
	return send[AccessControlRule](ctx, c, core, http.MethodPatch, rulesPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceAccessControlRule replaces the rule's writable fields with those of
// r (PUT); read-only fields are not sent.
func (c *Client) ReplaceAccessControlRule(ctx context.Context, sid string, r AccessControlRule) (*AccessControlRule, error) {
	if err := requireSID("rule_sid", sid); err != nil {
		return nil, err
	}
	entries := r.Entries
	if entries == nil {
		entries = []string{}
	}
	w := accessControlRuleWritable{Entries: entries, Field: r.Field, Name: r.Name, Operation: r.Operation, Quantifier: r.Quantifier}
	return send[AccessControlRule](ctx, c, core, http.MethodPut, rulesPath+"/"+pathEscape(sid), nil, w)
}

// DeleteAccessControlRule deletes one of the partner's rules (204). A parent
// partner's (read-only) rule cannot be deleted.
func (c *Client) DeleteAccessControlRule(ctx context.Context, sid string) error {
	if err := requireSID("rule_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, rulesPath+"/"+pathEscape(sid), nil)
}

// AccessControlList is an access control list (ACL): the rules it applies,
// its direction, and the actions taken for calls and SMS when any rule
// applies (..._true) or none does (..._false). It is the shape of the
// elements of the acls of partners, trunk groups and trunks (marshal it into
// their json.RawMessage lists) and of effective ACL lookups.
type AccessControlList struct {
	AccessControlRules []string `json:"access_control_rules"` // rule SIDs
	Direction          string   `json:"direction"`            // any, inbound, outbound, undirected
	SMSActionFalse     *string  `json:"sms_action_false"`     // accept, reject
	SMSActionTrue      *string  `json:"sms_action_true"`
	VoiceActionFalse   *string  `json:"voice_action_false"` // accept, reject403, reject503
	VoiceActionTrue    *string  `json:"voice_action_true"`
}

// EffectiveACLLayer is one item of an effective ACL lookup: the ACLs of one
// layer; layer 1 is the top-most object, executed first.
type EffectiveACLLayer struct {
	EffectiveACLs []AccessControlList `json:"effective_acls"`
	Layer         int                 `json:"layer"`
}

// EffectiveACLQuery narrows an effective ACL lookup. Empty fields are not
// sent. TrunkGroupSID and TrunkSID apply to calls only.
type EffectiveACLQuery struct {
	Direction     string // any, inbound, outbound, undirected
	PartnerSID    string
	TrunkGroupSID string
	TrunkSID      string
}

func (q EffectiveACLQuery) into(opts ListOptions) (ListOptions, error) {
	p := url.Values{}
	for k, vs := range opts.Params {
		p[k] = append([]string(nil), vs...)
	}
	for k, v := range map[string]string{"direction": q.Direction, "partner_sid": q.PartnerSID,
		"trunk_group_sid": q.TrunkGroupSID, "trunk_sid": q.TrunkSID} {
		if v == "" {
			continue
		}
		if p.Has(k) {
			return opts, errors.New("carrierx: query argument " + k + " given both in EffectiveACLQuery and in Params")
		}
		p.Set(k, v)
	}
	opts.Params = p
	return opts, nil
}

// EffectiveCallACLs looks up the effective ACLs for calls of the partner,
// and of a trunk group and trunk when q names them
// (GET /accesscontrol/effective_acl/calls).
func (c *Client) EffectiveCallACLs(ctx context.Context, q EffectiveACLQuery, opts ListOptions) (*Page[EffectiveACLLayer], error) {
	o, err := q.into(opts)
	if err != nil {
		return nil, err
	}
	return listPage[EffectiveACLLayer](ctx, c, core, "/accesscontrol/effective_acl/calls", o)
}

// EffectiveSMSACLs looks up the effective ACLs for SMS of the partner
// (GET /accesscontrol/effective_acl/sms). Trunk groups and trunks carry
// voice only, so q must not name them.
func (c *Client) EffectiveSMSACLs(ctx context.Context, q EffectiveACLQuery, opts ListOptions) (*Page[EffectiveACLLayer], error) {
	if q.TrunkGroupSID != "" || q.TrunkSID != "" {
		return nil, errors.New("carrierx: the SMS effective ACL lookup takes no trunk group or trunk")
	}
	o, err := q.into(opts)
	if err != nil {
		return nil, err
	}
	return listPage[EffectiveACLLayer](ctx, c, core, "/accesscontrol/effective_acl/sms", o)
}
