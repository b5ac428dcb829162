package carrierx

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// Phone number objects besides DIDs: DID groups, prefixes, LRN prefixes,
// DID classifications and short codes (Core v2 /phonenumber/...). The notes
// list their paths only; the fields follow CarrierX's object pages.

// DIDGroup is a named set of the partner's DIDs (a DID joins one through its
// did_group_sid). Its callback_url receives the SMS events of DIDs that have
// none of their own.
type DIDGroup struct {
	CallbackURL *string         `json:"callback_url"`
	DIDGroupSID string          `json:"did_group_sid"` // ro
	Name        string          `json:"name"`          // default "N/A"
	Partner     json.RawMessage `json:"partner,omitempty"`
	PartnerSID  string          `json:"partner_sid"` // ro
}

// DIDGroupUpdate is the body of a DID group create or PATCH: only the fields
// set are sent (Null clears callback_url). Create needs no field.
type DIDGroupUpdate struct {
	CallbackURL Optional[string] `json:"callback_url,omitzero"`
	Name        Optional[string] `json:"name,omitzero"`
}

// didGroupWritable is a DID group's writable fields, for PUT.
type didGroupWritable struct {
	CallbackURL *string `json:"callback_url"`
	Name        string  `json:"name"`
}

// Prefix routes the calls whose number starts with Prefix (optionally only
// those from SourceTrunkGroupSID) to TrunkGroupSID.
type Prefix struct {
	Attributes          Attributes        `json:"attributes"`
	CallbackURL         *string           `json:"callback_url"`
	LRNSID              *string           `json:"lrn_sid"` // ro
	Name                string            `json:"name"`    // default "N/A"
	Partner             json.RawMessage   `json:"partner,omitempty"`
	PartnerSID          string            `json:"partner_sid"`
	Prefix              string            `json:"prefix"`     // digits
	PrefixSID           string            `json:"prefix_sid"` // ro
	SourceTrunkGroupSID *string           `json:"source_trunk_group_sid"`
	StringKey1          *string           `json:"string_key_1"`
	StringKey2          *string           `json:"string_key_2"`
	Transformations     []json.RawMessage `json:"transformations"`
	TrunkGroupSID       *string           `json:"trunk_group_sid"`
}

// LRNPrefix is a prefix matched against a call's LRN (location routing
// number); it has a Prefix's fields under its own SID.
type LRNPrefix struct {
	Attributes          Attributes        `json:"attributes"`
	CallbackURL         *string           `json:"callback_url"`
	LRNPrefixSID        string            `json:"lrn_prefix_sid"` // ro
	LRNSID              *string           `json:"lrn_sid"`        // ro
	Name                string            `json:"name"`           // default "N/A"
	Partner             json.RawMessage   `json:"partner,omitempty"`
	PartnerSID          string            `json:"partner_sid"`
	Prefix              string            `json:"prefix"`
	SourceTrunkGroupSID *string           `json:"source_trunk_group_sid"`
	StringKey1          *string           `json:"string_key_1"`
	StringKey2          *string           `json:"string_key_2"`
	Transformations     []json.RawMessage `json:"transformations"`
	TrunkGroupSID       *string           `json:"trunk_group_sid"`
}

// PrefixUpdate is the body of a prefix or LRN prefix create or PATCH: only
// the fields set are sent. Create needs Prefix. Nested objects (attributes,
// transformations) are sent whole: read-modify-write.
type PrefixUpdate struct {
	Attributes          Optional[map[string]string] `json:"attributes,omitzero"`
	CallbackURL         Optional[string]            `json:"callback_url,omitzero"`
	Name                Optional[string]            `json:"name,omitzero"`
	Prefix              Optional[string]            `json:"prefix,omitzero"`
	SourceTrunkGroupSID Optional[string]            `json:"source_trunk_group_sid,omitzero"`
	StringKey1          Optional[string]            `json:"string_key_1,omitzero"`
	StringKey2          Optional[string]            `json:"string_key_2,omitzero"`
	Transformations     Optional[[]json.RawMessage] `json:"transformations,omitzero"`
	TrunkGroupSID       Optional[string]            `json:"trunk_group_sid,omitzero"`
}

// prefixWritable is a prefix's (or LRN prefix's) writable fields, for PUT.
// partner_sid is left out: whether CarrierX lets it change is not
// confirmed.
type prefixWritable struct {
	Attributes          Attributes        `json:"attributes"`
	CallbackURL         *string           `json:"callback_url"`
	Name                string            `json:"name"`
	Prefix              string            `json:"prefix"`
	SourceTrunkGroupSID *string           `json:"source_trunk_group_sid"`
	StringKey1          *string           `json:"string_key_1"`
	StringKey2          *string           `json:"string_key_2"`
	Transformations     []json.RawMessage `json:"transformations"`
	TrunkGroupSID       *string           `json:"trunk_group_sid"`
}

func writablePrefix(p Prefix) prefixWritable {
	attrs := p.Attributes
	if attrs == nil {
		attrs = Attributes{}
	}
	return prefixWritable{Attributes: attrs, CallbackURL: p.CallbackURL, Name: p.Name, Prefix: p.Prefix,
		SourceTrunkGroupSID: p.SourceTrunkGroupSID, StringKey1: p.StringKey1, StringKey2: p.StringKey2,
		Transformations: orEmpty(p.Transformations), TrunkGroupSID: p.TrunkGroupSID}
}

// asPrefix is p with its fields as a Prefix (for the shared PUT body).
func (p LRNPrefix) asPrefix() Prefix {
	return Prefix{Attributes: p.Attributes, CallbackURL: p.CallbackURL, LRNSID: p.LRNSID, Name: p.Name,
		PartnerSID: p.PartnerSID, Prefix: p.Prefix, SourceTrunkGroupSID: p.SourceTrunkGroupSID,
		StringKey1: p.StringKey1, StringKey2: p.StringKey2, Transformations: p.Transformations,
		TrunkGroupSID: p.TrunkGroupSID}
}

// DIDClassification is a class of phone numbers (a DID's classification_sid
// names one). Read-only.
type DIDClassification struct {
	AgingPolicy       int    `json:"aging_policy"` // how long a released number stays "aging"
	ClassificationSID string `json:"classification_sid"`
	Name              string `json:"name"`
}

// ShortCode is a messaging short code CarrierX provisioned for the partner
// (there is no create or delete: support does that).
type ShortCode struct {
	Attributes   Attributes      `json:"attributes"`
	CallbackURL  *string         `json:"callback_url"`
	CountryCode  *string         `json:"country_code"` // ro
	DIDGroupSID  *string         `json:"did_group_sid"`
	Locality     *string         `json:"locality"` // ro
	LRNSID       *string         `json:"lrn_sid"`  // ro
	Name         string          `json:"name"`
	Partner      json.RawMessage `json:"partner,omitempty"`
	PartnerSID   string          `json:"partner_sid"`    // ro
	ShortCode    string          `json:"short_code"`     // ro
	ShortCodeSID string          `json:"short_code_sid"` // ro
	State        *string         `json:"state"`          // ro
	StringKey1   *string         `json:"string_key_1"`
	StringKey2   *string         `json:"string_key_2"`
}

// ShortCodeUpdate is the body of a short code PATCH: only the fields set are
// sent.
type ShortCodeUpdate struct {
	Attributes  Optional[map[string]string] `json:"attributes,omitzero"`
	CallbackURL Optional[string]            `json:"callback_url,omitzero"`
	DIDGroupSID Optional[string]            `json:"did_group_sid,omitzero"`
	Name        Optional[string]            `json:"name,omitzero"`
	StringKey1  Optional[string]            `json:"string_key_1,omitzero"`
	StringKey2  Optional[string]            `json:"string_key_2,omitzero"`
}

// shortCodeWritable is a short code's writable fields, for PUT.
type shortCodeWritable struct {
	Attributes  Attributes `json:"attributes"`
	CallbackURL *string    `json:"callback_url"`
	DIDGroupSID *string    `json:"did_group_sid"`
	Name        string     `json:"name"`
	StringKey1  *string    `json:"string_key_1"`
	StringKey2  *string    `json:"string_key_2"`
}

const (
	didGroupsAPIPath       = "/phonenumber/did_groups"
	prefixesAPIPath        = "/phonenumber/prefixes"
	lrnPrefixesAPIPath     = "/phonenumber/lrn_prefixes"
	classificationsAPIPath = "/phonenumber/classifications"
	shortCodesAPIPath      = "/phonenumber/short_codes"
)

// ListDIDGroups returns one page of the partner's DID groups.
func (c *Client) ListDIDGroups(ctx context.Context, opts ListOptions) (*Page[DIDGroup], error) {
	return listPage[DIDGroup](ctx, c, core, didGroupsAPIPath, opts)
}

// AllDIDGroups iterates over every DID group matching opts.
func (c *Client) AllDIDGroups(ctx context.Context, opts ListOptions) iter.Seq2[DIDGroup, error] {
	return allItems[DIDGroup](ctx, c, core, didGroupsAPIPath, opts)
}

// GetDIDGroup returns one DID group.
func (c *Client) GetDIDGroup(ctx context.Context, sid string) (*DIDGroup, error) {
	if err := requireSID("did_group_sid", sid); err != nil {
		return nil, err
	}
	return getOne[DIDGroup](ctx, c, core, didGroupsAPIPath+"/"+pathEscape(sid), nil)
}

// CreateDIDGroup creates a DID group (POST /phonenumber/did_groups; an
// empty g sends {}).
func (c *Client) CreateDIDGroup(ctx context.Context, g DIDGroupUpdate) (*DIDGroup, error) {
	return send[DIDGroup](ctx, c, core, http.MethodPost, didGroupsAPIPath, nil, g)
}

// UpdateDIDGroup changes the fields set in u (PATCH).
func (c *Client) UpdateDIDGroup(ctx context.Context, sid string, u DIDGroupUpdate) (*DIDGroup, error) {
	if err := requireSID("did_group_sid", sid); err != nil {
		return nil, err
	}
	return send[DIDGroup](ctx, c, core, http.MethodPatch, didGroupsAPIPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceDIDGroup replaces the group's writable fields with those of g
// (PUT); read-only fields are not sent.
func (c *Client) ReplaceDIDGroup(ctx context.Context, sid string, g DIDGroup) (*DIDGroup, error) {
	if err := requireSID("did_group_sid", sid); err != nil {
		return nil, err
	}
	return send[DIDGroup](ctx, c, core, http.MethodPut, didGroupsAPIPath+"/"+pathEscape(sid), nil,
		didGroupWritable{CallbackURL: g.CallbackURL, Name: g.Name})
}

// DeleteDIDGroup deletes a DID group (204). The sandbox refuses (409) while
// DIDs or short codes name the group; CarrierX's answer there is not
// confirmed.
func (c *Client) DeleteDIDGroup(ctx context.Context, sid string) error {
	if err := requireSID("did_group_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, didGroupsAPIPath+"/"+pathEscape(sid), nil)
}

// ListPrefixes returns one page of the partner's prefixes.
func (c *Client) ListPrefixes(ctx context.Context, opts ListOptions) (*Page[Prefix], error) {
	return listPage[Prefix](ctx, c, core, prefixesAPIPath, opts)
}

// AllPrefixes iterates over every prefix matching opts.
func (c *Client) AllPrefixes(ctx context.Context, opts ListOptions) iter.Seq2[Prefix, error] {
	return allItems[Prefix](ctx, c, core, prefixesAPIPath, opts)
}

// GetPrefix returns one prefix.
func (c *Client) GetPrefix(ctx context.Context, sid string) (*Prefix, error) {
	if err := requireSID("prefix_sid", sid); err != nil {
		return nil, err
	}
	return getOne[Prefix](ctx, c, core, prefixesAPIPath+"/"+pathEscape(sid), nil)
}

// CreatePrefix creates a prefix (POST /phonenumber/prefixes); p.Prefix is
// required.
func (c *Client) CreatePrefix(ctx context.Context, p PrefixUpdate) (*Prefix, error) {
	return send[Prefix](ctx, c, core, http.MethodPost, prefixesAPIPath, nil, p)
}

// UpdatePrefix changes the fields set in u (PATCH).
func (c *Client) UpdatePrefix(ctx context.Context, sid string, u PrefixUpdate) (*Prefix, error) {
	if err := requireSID("prefix_sid", sid); err != nil {
		return nil, err
	}
	return send[Prefix](ctx, c, core, http.MethodPatch, prefixesAPIPath+"/"+pathEscape(sid), nil, u)
}

// ReplacePrefix replaces the prefix's writable fields with those of p (PUT);
// read-only fields are not sent.
func (c *Client) ReplacePrefix(ctx context.Context, sid string, p Prefix) (*Prefix, error) {
	if err := requireSID("prefix_sid", sid); err != nil {
		return nil, err
	}
	return send[Prefix](ctx, c, core, http.MethodPut, prefixesAPIPath+"/"+pathEscape(sid), nil, writablePrefix(p))
}

// DeletePrefix deletes a prefix (204).
func (c *Client) DeletePrefix(ctx context.Context, sid string) error {
	if err := requireSID("prefix_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, prefixesAPIPath+"/"+pathEscape(sid), nil)
}

// ListLRNPrefixes returns one page of the partner's LRN prefixes.
func (c *Client) ListLRNPrefixes(ctx context.Context, opts ListOptions) (*Page[LRNPrefix], error) {
	return listPage[LRNPrefix](ctx, c, core, lrnPrefixesAPIPath, opts)
}

// AllLRNPrefixes iterates over every LRN prefix matching opts.
func (c *Client) AllLRNPrefixes(ctx context.Context, opts ListOptions) iter.Seq2[LRNPrefix, error] {
	return allItems[LRNPrefix](ctx, c, core, lrnPrefixesAPIPath, opts)
}

// GetLRNPrefix returns one LRN prefix.
func (c *Client) GetLRNPrefix(ctx context.Context, sid string) (*LRNPrefix, error) {
	if err := requireSID("lrn_prefix_sid", sid); err != nil {
		return nil, err
	}
	return getOne[LRNPrefix](ctx, c, core, lrnPrefixesAPIPath+"/"+pathEscape(sid), nil)
}

// CreateLRNPrefix creates an LRN prefix (POST /phonenumber/lrn_prefixes);
// p.Prefix is required.
func (c *Client) CreateLRNPrefix(ctx context.Context, p PrefixUpdate) (*LRNPrefix, error) {
	return send[LRNPrefix](ctx, c, core, http.MethodPost, lrnPrefixesAPIPath, nil, p)
}

// UpdateLRNPrefix changes the fields set in u (PATCH).
func (c *Client) UpdateLRNPrefix(ctx context.Context, sid string, u PrefixUpdate) (*LRNPrefix, error) {
	if err := requireSID("lrn_prefix_sid", sid); err != nil {
		return nil, err
	}
	return send[LRNPrefix](ctx, c, core, http.MethodPatch, lrnPrefixesAPIPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceLRNPrefix replaces the LRN prefix's writable fields with those of p
// (PUT); read-only fields are not sent.
func (c *Client) ReplaceLRNPrefix(ctx context.Context, sid string, p LRNPrefix) (*LRNPrefix, error) {
	if err := requireSID("lrn_prefix_sid", sid); err != nil {
		return nil, err
	}
	return send[LRNPrefix](ctx, c, core, http.MethodPut, lrnPrefixesAPIPath+"/"+pathEscape(sid), nil, writablePrefix(p.asPrefix()))
}

// DeleteLRNPrefix deletes an LRN prefix (204).
func (c *Client) DeleteLRNPrefix(ctx context.Context, sid string) error {
	if err := requireSID("lrn_prefix_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, lrnPrefixesAPIPath+"/"+pathEscape(sid), nil)
}

// ListDIDClassifications returns one page of DID classifications.
func (c *Client) ListDIDClassifications(ctx context.Context, opts ListOptions) (*Page[DIDClassification], error) {
	return listPage[DIDClassification](ctx, c, core, classificationsAPIPath, opts)
}

// AllDIDClassifications iterates over every DID classification matching opts.
func (c *Client) AllDIDClassifications(ctx context.Context, opts ListOptions) iter.Seq2[DIDClassification, error] {
	return allItems[DIDClassification](ctx, c, core, classificationsAPIPath, opts)
}

// GetDIDClassification returns one DID classification (e.g. a DID's
// classification_sid).
func (c *Client) GetDIDClassification(ctx context.Context, sid string) (*DIDClassification, error) {
	if err := requireSID("classification_sid", sid); err != nil {
		return nil, err
	}
	return getOne[DIDClassification](ctx, c, core, classificationsAPIPath+"/"+pathEscape(sid), nil)
}

// ListShortCodes returns one page of the partner's short codes.
func (c *Client) ListShortCodes(ctx context.Context, opts ListOptions) (*Page[ShortCode], error) {
	return listPage[ShortCode](ctx, c, core, shortCodesAPIPath, opts)
}

// AllShortCodes iterates over every short code matching opts.
func (c *Client) AllShortCodes(ctx context.Context, opts ListOptions) iter.Seq2[ShortCode, error] {
	return allItems[ShortCode](ctx, c, core, shortCodesAPIPath, opts)
}

// GetShortCode returns one short code.
func (c *Client) GetShortCode(ctx context.Context, sid string) (*ShortCode, error) {
	if err := requireSID("short_code_sid", sid); err != nil {
		return nil, err
	}
	return getOne[ShortCode](ctx, c, core, shortCodesAPIPath+"/"+pathEscape(sid), nil)
}

// UpdateShortCode changes the fields set in u (PATCH).
func (c *Client) UpdateShortCode(ctx context.Context, sid string, u ShortCodeUpdate) (*ShortCode, error) {
	if err := requireSID("short_code_sid", sid); err != nil {
		return nil, err
	}
	return send[ShortCode](ctx, c, core, http.MethodPatch, shortCodesAPIPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceShortCode replaces the short code's writable fields with those of
// sc (PUT); read-only fields are not sent.
func (c *Client) ReplaceShortCode(ctx context.Context, sid string, sc ShortCode) (*ShortCode, error) {
	if err := requireSID("short_code_sid", sid); err != nil {
		return nil, err
	}
	attrs := sc.Attributes
	if attrs == nil {
		attrs = Attributes{}
	}
	return send[ShortCode](ctx, c, core, http.MethodPut, shortCodesAPIPath+"/"+pathEscape(sid), nil,
		shortCodeWritable{Attributes: attrs, CallbackURL: sc.CallbackURL, DIDGroupSID: sc.DIDGroupSID,
			Name: sc.Name, StringKey1: sc.StringKey1, StringKey2: sc.StringKey2})
}
