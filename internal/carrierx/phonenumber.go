package carrierx

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopspring/decimal"
)

// Capability is one bit of a DID's capabilities mask (§4.1).
type Capability int

// DID capability bits.
const (
	CapReceiveSMS Capability = 1
	CapSendSMS    Capability = 2
	CapVoice      Capability = 4
	CapReceiveMMS Capability = 8
	CapSendMMS    Capability = 16
)

// String names the capability bits set in c, e.g. "voice|receive_sms".
func (c Capability) String() string {
	names := []struct {
		b Capability
		n string
	}{{CapVoice, "voice"}, {CapReceiveSMS, "receive_sms"}, {CapSendSMS, "send_sms"}, {CapReceiveMMS, "receive_mms"}, {CapSendMMS, "send_mms"}}
	var out []string
	for _, x := range names {
		if c&x.b != 0 {
			out = append(out, x.n)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, "|")
}

// DID is a phone number, rented (/phonenumber/dids) or available
// (/phonenumber/available_dids) (§4.1, §4.2). Read-only fields are marked ro.
type DID struct {
	ActiveCapabilities  int                 `json:"active_capabilities"` // ro
	Attributes          Attributes          `json:"attributes"`
	CallbackURL         *string             `json:"callback_url"`
	CampaignSID         *string             `json:"campaign_sid"`       // ro
	Capabilities        int                 `json:"capabilities"`       // ro, bit mask
	ClassificationSID   string              `json:"classification_sid"` // ro
	CountryCode         string              `json:"country_code"`       // ro, ISO alpha-3
	DIDGroupSID         *string             `json:"did_group_sid"`
	DIDSID              string              `json:"did_sid"`              // ro
	InCountryFormat     string              `json:"in_country_format"`    // ro
	InternationalFormat string              `json:"international_format"` // ro
	LATA                *string             `json:"lata"`                 // ro
	Locality            string              `json:"locality"`             // ro
	LRNSID              *string             `json:"lrn_sid"`              // ro
	Name                string              `json:"name"`
	OCN                 string              `json:"ocn"` // ro
	Partner             json.RawMessage     `json:"partner,omitempty"`
	PartnerSID          *string             `json:"partner_sid"` // null while available
	Phonenumber         string              `json:"phonenumber"` // E.164 digits, no +
	PortingPIN          *string             `json:"porting_pin"`
	Price               decimal.NullDecimal `json:"price"` // ro, monthly, a JSON string on the wire
	State               string              `json:"state"` // ro
	Status              string              `json:"status"`
	StringKey1          *string             `json:"string_key_1"`
	StringKey2          *string             `json:"string_key_2"`
	Transformations     []json.RawMessage   `json:"transformations"`
	TrunkGroupSID       *string             `json:"trunk_group_sid"`
}

// DID statuses.
const (
	DIDStatusAvailable = "available"
	DIDStatusAssigned  = "assigned"
	DIDStatusAging     = "aging"
)

// Can reports whether the DID has capability c (all bits of c, when c
// combines several).
func (d DID) Can(c Capability) bool {
	return c != 0 && Capability(d.Capabilities)&c == c
}

// Active reports whether capability c is currently enabled on the DID.
func (d DID) Active(c Capability) bool {
	return c != 0 && Capability(d.ActiveCapabilities)&c == c
}

// CoverageItem is one group of GET /phonenumber/coverage.
type CoverageItem struct {
	Count int    `json:"count"`
	Key   string `json:"key"`
}

// DIDUpdate is a PATCH body for a DID: only the fields set are sent. Nested
// objects (attributes, transformations) are sent whole — CarrierX's merge
// semantics for nested PATCH are not confirmed, so read-modify-write.
type DIDUpdate struct {
	Attributes      Optional[map[string]string] `json:"attributes,omitzero"`
	CallbackURL     Optional[string]            `json:"callback_url,omitzero"`
	DIDGroupSID     Optional[string]            `json:"did_group_sid,omitzero"`
	Name            Optional[string]            `json:"name,omitzero"`
	PortingPIN      Optional[string]            `json:"porting_pin,omitzero"`
	StringKey1      Optional[string]            `json:"string_key_1,omitzero"`
	StringKey2      Optional[string]            `json:"string_key_2,omitzero"`
	Transformations Optional[[]json.RawMessage] `json:"transformations,omitzero"`
	TrunkGroupSID   Optional[string]            `json:"trunk_group_sid,omitzero"`
}

// IsZero reports whether no field is set.
func (u DIDUpdate) IsZero() bool {
	return u.Attributes.IsZero() && u.CallbackURL.IsZero() && u.DIDGroupSID.IsZero() &&
		u.Name.IsZero() && u.PortingPIN.IsZero() && u.StringKey1.IsZero() &&
		u.StringKey2.IsZero() && u.Transformations.IsZero() && u.TrunkGroupSID.IsZero()
}

// RentDIDRequest is the body of POST /phonenumber/dids. All fields are
// optional: an empty request rents the first available number. Fields other
// than phonenumber, trunk_group_sid and callback_url are [inferred] writable
// at rent time.
type RentDIDRequest struct {
	Phonenumber   string                      `json:"phonenumber,omitempty"`
	TrunkGroupSID Optional[string]            `json:"trunk_group_sid,omitzero"`
	CallbackURL   Optional[string]            `json:"callback_url,omitzero"`
	Name          Optional[string]            `json:"name,omitzero"`
	Attributes    Optional[map[string]string] `json:"attributes,omitzero"`
	StringKey1    Optional[string]            `json:"string_key_1,omitzero"`
	StringKey2    Optional[string]            `json:"string_key_2,omitzero"`
	DIDGroupSID   Optional[string]            `json:"did_group_sid,omitzero"`
}

// didWritable is the PUT body of a DID: every writable field, nothing
// read-only. phonenumber and partner_sid are left out: they identify and own a
// rented DID, and whether CarrierX accepts them on PUT is not confirmed.
type didWritable struct {
	Attributes      Attributes        `json:"attributes"`
	CallbackURL     *string           `json:"callback_url"`
	DIDGroupSID     *string           `json:"did_group_sid"`
	Name            string            `json:"name"`
	PortingPIN      *string           `json:"porting_pin"`
	StringKey1      *string           `json:"string_key_1"`
	StringKey2      *string           `json:"string_key_2"`
	Transformations []json.RawMessage `json:"transformations"`
	TrunkGroupSID   *string           `json:"trunk_group_sid"`
}

func writableDID(d DID) didWritable {
	w := didWritable{
		Attributes:      d.Attributes,
		CallbackURL:     d.CallbackURL,
		DIDGroupSID:     d.DIDGroupSID,
		Name:            d.Name,
		PortingPIN:      d.PortingPIN,
		StringKey1:      d.StringKey1,
		StringKey2:      d.StringKey2,
		Transformations: d.Transformations,
		TrunkGroupSID:   d.TrunkGroupSID,
	}
	// PUT replaces the object: send empty containers rather than null.
	if w.Attributes == nil {
		w.Attributes = Attributes{}
	}
	if w.Transformations == nil {
		w.Transformations = []json.RawMessage{}
	}
	return w
}

const (
	didsPath          = "/phonenumber/dids"
	availableDIDsPath = "/phonenumber/available_dids"
	coveragePath      = "/phonenumber/coverage"
)

// ListDIDs returns one page of the partner's rented DIDs
// (GET /phonenumber/dids; Params may carry trunk_group_sid, with_related).
func (c *Client) ListDIDs(ctx context.Context, opts ListOptions) (*Page[DID], error) {
	return listPage[DID](ctx, c, core, didsPath, opts)
}

// AllDIDs iterates over every rented DID matching opts.
func (c *Client) AllDIDs(ctx context.Context, opts ListOptions) iter.Seq2[DID, error] {
	return allItems[DID](ctx, c, core, didsPath, opts)
}

// GetDID returns one rented DID.
func (c *Client) GetDID(ctx context.Context, sid string) (*DID, error) {
	if err := requireSID("did_sid", sid); err != nil {
		return nil, err
	}
	return getOne[DID](ctx, c, core, didsPath+"/"+pathEscape(sid), nil)
}

// RentDID rents a number (POST /phonenumber/dids; CarrierX answers 200 with
// the DID, status "assigned"). Never retried.
func (c *Client) RentDID(ctx context.Context, r RentDIDRequest) (*DID, error) {
	return send[DID](ctx, c, core, http.MethodPost, didsPath, nil, r)
}

// UpdateDID changes the fields set in u (PATCH /phonenumber/dids/{sid}).
func (c *Client) UpdateDID(ctx context.Context, sid string, u DIDUpdate) (*DID, error) {
	if err := requireSID("did_sid", sid); err != nil {
		return nil, err
	}
	return send[DID](ctx, c, core, http.MethodPatch, didsPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceDID replaces the DID's writable fields with those of d
// (PUT /phonenumber/dids/{sid}). Read-only fields of d are not sent.
func (c *Client) ReplaceDID(ctx context.Context, sid string, d DID) (*DID, error) {
	if err := requireSID("did_sid", sid); err != nil {
		return nil, err
	}
	return send[DID](ctx, c, core, http.MethodPut, didsPath+"/"+pathEscape(sid), nil, writableDID(d))
}

// ReleaseDID releases a rented DID (DELETE, 204). Its status becomes "aging".
func (c *Client) ReleaseDID(ctx context.Context, sid string) error {
	if err := requireSID("did_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, didsPath+"/"+pathEscape(sid), nil)
}

// ListAvailableDIDs returns one page of numbers available to rent
// (GET /phonenumber/available_dids; total is null there).
func (c *Client) ListAvailableDIDs(ctx context.Context, opts ListOptions) (*Page[DID], error) {
	return listPage[DID](ctx, c, core, availableDIDsPath, opts)
}

// AllAvailableDIDs iterates over every available number matching opts.
func (c *Client) AllAvailableDIDs(ctx context.Context, opts ListOptions) iter.Seq2[DID, error] {
	return allItems[DID](ctx, c, core, availableDIDsPath, opts)
}

// GetAvailableDID returns one available number by its did_sid.
func (c *Client) GetAvailableDID(ctx context.Context, sid string) (*DID, error) {
	if err := requireSID("did_sid", sid); err != nil {
		return nil, err
	}
	return getOne[DID](ctx, c, core, availableDIDsPath+"/"+pathEscape(sid), nil)
}

// Coverage groups the available inventory by groupBy (e.g. "state";
// other values are not confirmed) (GET /phonenumber/coverage?group_by=...).
func (c *Client) Coverage(ctx context.Context, groupBy string, opts ListOptions) (*Page[CoverageItem], error) {
	if strings.TrimSpace(groupBy) == "" {
		return nil, errors.New("carrierx: coverage needs group_by")
	}
	if opts.Params.Has("group_by") {
		return nil, errors.New("carrierx: group_by given both as argument and in Params")
	}
	p := url.Values{}
	for k, v := range opts.Params {
		p[k] = v
	}
	p.Set("group_by", groupBy)
	opts.Params = p
	return listPage[CoverageItem](ctx, c, core, coveragePath, opts)
}

// AllCoverage iterates over every coverage group.
func (c *Client) AllCoverage(ctx context.Context, groupBy string, opts ListOptions) iter.Seq2[CoverageItem, error] {
	p := url.Values{}
	for k, v := range opts.Params {
		p[k] = v
	}
	if strings.TrimSpace(groupBy) != "" {
		p.Set("group_by", groupBy)
	}
	opts.Params = p
	return allItems[CoverageItem](ctx, c, core, coveragePath, opts)
}
