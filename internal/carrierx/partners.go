package carrierx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// Partners (/partners): a partner sees itself and its sub-partners, creates
// sub-partners, updates itself and its sub-partners and deletes its
// sub-partners. A token for a sub-partner comes from CreateSubPartnerToken
// (oauth.go); a client using it acts as the sub-partner.

// Payment types of a partner.
const (
	PaymentPrepay  = "prepay"
	PaymentPostpay = "postpay"
)

// Partner callback types (keys of Partner.Callbacks).
const (
	CallbackAppConferenceCall          = "app_conference_call"
	CallbackAppConferenceMeeting       = "app_conference_meeting"
	CallbackAppMediator                = "app_mediator"
	CallbackPhonenumberMessagingUpdate = "phonenumber_messaging_update"
	CallbackPhonenumberOrder           = "phonenumber_order"
	CallbackSMS                        = "sms"
)

// PartnerUpdate is the body of a partner create or PATCH: only the fields
// set are sent (Null clears a nullable one). Create needs Login and
// Password; Login, PaymentType and ParentSID are accepted on create only
// (ParentSID may only name the creating partner, which is the default).
// Password is write-only: it is never answered.
type PartnerUpdate struct {
	ACLs               Optional[[]json.RawMessage]  `json:"acls,omitzero"` // the partner's own; not settable by a parent
	Address1           Optional[string]             `json:"address1,omitzero"`
	Address2           Optional[string]             `json:"address2,omitzero"`
	Attributes         Optional[Attributes]         `json:"attributes,omitzero"`
	BillingEmail       Optional[string]             `json:"billing_email,omitzero"` // comma-separated addresses
	Callbacks          Optional[map[string]*string] `json:"callbacks,omitzero"`
	ChargeAt           Optional[decimal.Decimal]    `json:"charge_at,omitzero"`
	City               Optional[string]             `json:"city,omitzero"`
	CompanyName        Optional[string]             `json:"company_name,omitzero"`
	CountryCode        Optional[string]             `json:"country_code,omitzero"` // ISO 3166-1 alpha-3
	DailySpendingLimit Optional[decimal.Decimal]    `json:"daily_spending_limit,omitzero"`
	Login              Optional[string]             `json:"login,omitzero"` // create only
	Name               Optional[string]             `json:"name,omitzero"`
	OwnerEmail         Optional[string]             `json:"owner_email,omitzero"`
	ParentAssignedACLs Optional[[]json.RawMessage]  `json:"parent_assigned_acls,omitzero"` // set by the parent only
	ParentSID          Optional[string]             `json:"parent_sid,omitzero"`           // create only
	Password           Optional[string]             `json:"password,omitzero"`             // write-only
	PaymentType        Optional[string]             `json:"payment_type,omitzero"`         // create only
	Phonenumber        Optional[string]             `json:"phonenumber,omitzero"`
	PrepayAmount       Optional[decimal.Decimal]    `json:"prepay_amount,omitzero"`
	SpendingLimit      Optional[decimal.Decimal]    `json:"spending_limit,omitzero"`
	State              Optional[string]             `json:"state,omitzero"`
	TechEmail          Optional[string]             `json:"tech_email,omitzero"`
	Transformations    Optional[[]json.RawMessage]  `json:"transformations,omitzero"`
	Zip                Optional[string]             `json:"zip,omitzero"`
}

// String describes the update without the password.
func (u PartnerUpdate) String() string {
	login, _ := u.Login.Get()
	name, _ := u.Name.Get()
	return fmt.Sprintf("PartnerUpdate{login=%q name=%q password=[redacted]}", login, name)
}

// GoString is String, so %#v does not print the password either.
func (u PartnerUpdate) GoString() string { return u.String() }

// LogValue keeps the password out of slog output.
func (u PartnerUpdate) LogValue() slog.Value {
	login, _ := u.Login.Get()
	name, _ := u.Name.Get()
	return slog.GroupValue(slog.String("login", login), slog.String("name", name))
}

// partnerWritable is a partner's writable fields, for PUT. Login,
// payment_type and parent_sid (set on create) and the password (never
// answered, so a PUT keeps it) are not sent. Empty optional strings are
// sent as null (the Partner type does not tell "" from null).
type partnerWritable struct {
	ACLs               []json.RawMessage   `json:"acls"`
	Address1           *string             `json:"address1"`
	Address2           *string             `json:"address2"`
	Attributes         Attributes          `json:"attributes"`
	BillingEmail       *string             `json:"billing_email"`
	Callbacks          map[string]*string  `json:"callbacks"`
	ChargeAt           decimal.NullDecimal `json:"charge_at"`
	City               *string             `json:"city"`
	CompanyName        *string             `json:"company_name"`
	CountryCode        *string             `json:"country_code"`
	DailySpendingLimit decimal.NullDecimal `json:"daily_spending_limit"`
	Name               string              `json:"name"`
	OwnerEmail         *string             `json:"owner_email"`
	ParentAssignedACLs []json.RawMessage   `json:"parent_assigned_acls"`
	Phonenumber        *string             `json:"phonenumber"`
	PrepayAmount       decimal.NullDecimal `json:"prepay_amount"`
	SpendingLimit      decimal.NullDecimal `json:"spending_limit"`
	State              *string             `json:"state"`
	TechEmail          *string             `json:"tech_email"`
	Transformations    []json.RawMessage   `json:"transformations"`
	Zip                *string             `json:"zip"`
}

func partnerStrPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func partnerRawList(l []json.RawMessage) []json.RawMessage {
	if l == nil {
		return []json.RawMessage{}
	}
	return l
}

func partnerWritableOf(p Partner) partnerWritable {
	attrs := p.Attributes
	if attrs == nil {
		attrs = Attributes{}
	}
	cbs := p.Callbacks
	if cbs == nil {
		cbs = map[string]*string{}
	}
	return partnerWritable{ACLs: partnerRawList(p.ACLs), Address1: partnerStrPtr(p.Address1), Address2: partnerStrPtr(p.Address2),
		Attributes: attrs, BillingEmail: partnerStrPtr(p.BillingEmail), Callbacks: cbs, ChargeAt: p.ChargeAt,
		City: partnerStrPtr(p.City), CompanyName: partnerStrPtr(p.CompanyName), CountryCode: partnerStrPtr(p.CountryCode),
		DailySpendingLimit: p.DailySpendingLimit, Name: p.Name, OwnerEmail: partnerStrPtr(p.OwnerEmail),
		ParentAssignedACLs: partnerRawList(p.ParentAssignedACLs), Phonenumber: partnerStrPtr(p.Phonenumber),
		PrepayAmount: p.PrepayAmount, SpendingLimit: p.SpendingLimit, State: partnerStrPtr(p.State),
		TechEmail: partnerStrPtr(p.TechEmail), Transformations: partnerRawList(p.Transformations), Zip: partnerStrPtr(p.Zip)}
}

const partnersPath = "/partners"

func partnerPath(sid string) string { return partnersPath + "/" + pathEscape(sid) }

// ListPartners returns one page of the partners the caller sees: itself and
// its sub-partners.
func (c *Client) ListPartners(ctx context.Context, opts ListOptions) (*Page[Partner], error) {
	return listPage[Partner](ctx, c, core, partnersPath, opts)
}

// AllPartners iterates over every partner matching opts.
func (c *Client) AllPartners(ctx context.Context, opts ListOptions) iter.Seq2[Partner, error] {
	return allItems[Partner](ctx, c, core, partnersPath, opts)
}

// GetPartner returns one partner: the caller or one of its sub-partners
// (another partner is a 404).
func (c *Client) GetPartner(ctx context.Context, sid string) (*Partner, error) {
	if err := requireSID("partner_sid", sid); err != nil {
		return nil, err
	}
	return getOne[Partner](ctx, c, core, partnerPath(sid), nil)
}

// CreatePartner creates a sub-partner of the caller (POST /partners).
func (c *Client) CreatePartner(ctx context.Context, p PartnerUpdate) (*Partner, error) {
	return send[Partner](ctx, c, core, http.MethodPost, partnersPath, nil, p)
}

// UpdatePartner changes the fields set in u (PATCH). Login, PaymentType
// and ParentSID are not sent (they are set on create).
func (c *Client) UpdatePartner(ctx context.Context, sid string, u PartnerUpdate) (*Partner, error) {
	if err := requireSID("partner_sid", sid); err != nil {
		return nil, err
	}
	u.Login, u.PaymentType, u.ParentSID = Optional[string]{}, Optional[string]{}, Optional[string]{}
	return send[Partner](ctx, c, core, http.MethodPatch, partnerPath(sid), nil, u)
}

// ReplacePartner replaces the partner's writable fields with those of p
// (PUT); read-only and create-only fields are not sent, and the password
// is kept.
func (c *Client) ReplacePartner(ctx context.Context, sid string, p Partner) (*Partner, error) {
	if err := requireSID("partner_sid", sid); err != nil {
		return nil, err
	}
	return send[Partner](ctx, c, core, http.MethodPut, partnerPath(sid), nil, partnerWritableOf(p))
}

// DeletePartner deletes a sub-partner (204). The sandbox refuses (409)
// while the sub-partner has sub-partners, rented numbers or other live
// objects, and a partner deleting itself (403); CarrierX's answers there
// are not confirmed.
func (c *Client) DeletePartner(ctx context.Context, sid string) error {
	if err := requireSID("partner_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, partnerPath(sid), nil)
}

// ---------------------------------------------------------------------------
// Billing method

// Billing method types.
const (
	BillingAmericanExpress      = "american_express"
	BillingCheck                = "check"
	BillingDinersClub           = "diners_club"
	BillingDiscoverCard         = "discover_card"
	BillingElectronicCheck      = "electronic_check"
	BillingInternationalMaestro = "international_maestro"
	BillingJCB                  = "jcb"
	BillingMasterCard           = "master_card"
	BillingVisa                 = "visa"
	BillingWire                 = "wire"
)

// BillingMethod is how a partner pays. CarrierX answers the card number as
// its last four digits (the sandbox masks the electronic check account
// number the same way) and never answers the card CID.
type BillingMethod struct {
	Address1        *string `json:"address1"`
	Address2        *string `json:"address2"`
	CCExpiration    *string `json:"cc_expiration"` // mmyyyy
	CCNumber        *string `json:"cc_number"`     // last four digits
	City            *string `json:"city"`
	CountryCode     *string `json:"country_code"`
	ECAccountNumber *string `json:"ec_account_number"` // last four digits
	ECRoutingNumber *string `json:"ec_routing_number"`
	FirstName       *string `json:"first_name"`
	LastName        *string `json:"last_name"`
	Phone           *string `json:"phone"`
	State           *string `json:"state"`
	Type            string  `json:"type"`
	Zip             *string `json:"zip"`
}

// BillingMethodRequest registers a billing method. Empty fields are not
// sent. Required: Type, FirstName, LastName, Phone, CountryCode, Zip; for
// cards CCNumber, CCExpiration and CCCID; for check, electronic_check and
// wire Address1 and City; for electronic_check ECAccountNumber and
// ECRoutingNumber. Its String, GoString and LogValue leave the card and
// account numbers and the CID out.
type BillingMethodRequest struct {
	Address1        string `json:"address1,omitempty"`
	Address2        string `json:"address2,omitempty"`
	CCCID           string `json:"cc_cid,omitempty"`
	CCExpiration    string `json:"cc_expiration,omitempty"` // mmyyyy
	CCNumber        string `json:"cc_number,omitempty"`
	City            string `json:"city,omitempty"`
	CountryCode     string `json:"country_code,omitempty"`
	ECAccountNumber string `json:"ec_account_number,omitempty"`
	ECRoutingNumber string `json:"ec_routing_number,omitempty"`
	FirstName       string `json:"first_name,omitempty"`
	LastName        string `json:"last_name,omitempty"`
	Phone           string `json:"phone,omitempty"`
	State           string `json:"state,omitempty"`
	Type            string `json:"type,omitempty"`
	Zip             string `json:"zip,omitempty"`
}

// String describes the request without its secrets.
func (r BillingMethodRequest) String() string {
	return fmt.Sprintf("BillingMethodRequest{type=%s name=%q %q cc_number=[redacted] cc_cid=[redacted] ec_account_number=[redacted]}",
		r.Type, r.FirstName, r.LastName)
}

// GoString is String.
func (r BillingMethodRequest) GoString() string { return r.String() }

// LogValue keeps the secrets out of slog output.
func (r BillingMethodRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", r.Type), slog.String("first_name", r.FirstName),
		slog.String("last_name", r.LastName))
}

func billingMethodPath(partnerSID string) string { return partnerPath(partnerSID) + "/billing_method" }

// RegisterBillingMethod registers the partner's billing method (POST); a
// partner has one, and registering another replaces it in the sandbox
// (not confirmed). Never retried.
func (c *Client) RegisterBillingMethod(ctx context.Context, partnerSID string, r BillingMethodRequest) (*BillingMethod, error) {
	if err := requireSID("partner_sid", partnerSID); err != nil {
		return nil, err
	}
	return send[BillingMethod](ctx, c, core, http.MethodPost, billingMethodPath(partnerSID), nil, r)
}

// GetBillingMethod returns the partner's billing method (404 when none is
// registered).
func (c *Client) GetBillingMethod(ctx context.Context, partnerSID string) (*BillingMethod, error) {
	if err := requireSID("partner_sid", partnerSID); err != nil {
		return nil, err
	}
	return getOne[BillingMethod](ctx, c, core, billingMethodPath(partnerSID), nil)
}

// DeleteBillingMethod removes the partner's billing method (204).
func (c *Client) DeleteBillingMethod(ctx context.Context, partnerSID string) error {
	if err := requireSID("partner_sid", partnerSID); err != nil {
		return err
	}
	return remove(ctx, c, core, billingMethodPath(partnerSID), nil)
}

// ---------------------------------------------------------------------------
// Effective rates

// EffectiveRate is a rate plan in effect for a partner: the assignment that
// applies it and the plan. Inherited is true for a plan the partner has from
// an ancestor partner.
type EffectiveRate struct {
	Assignment RateAssignment `json:"assignment"`
	Inherited  bool           `json:"inherited"`
	Plan       RatePlan       `json:"plan"`
}

// RateAssignment assigns a rate plan to a partner from EffectiveDate on.
type RateAssignment struct {
	Active        string     `json:"active"` // "yes" / "no"
	AssignmentSID string     `json:"assignment_sid"`
	Direction     string     `json:"direction"` // inbound, outbound, undirected
	EffectiveDate *time.Time `json:"effective_date"`
	EndpointSID   *string    `json:"endpoint_sid"`
	PartnerSID    string     `json:"partner_sid"`
	PlanName      string     `json:"plan_name"`
	PlanSID       string     `json:"plan_sid"`
	SubType       *string    `json:"sub_type"`
	Type          string     `json:"type"` // pstn, voip, sms, ...
}

// IsActive reports whether the assignment is in effect.
func (a RateAssignment) IsActive() bool { return a.Active == "yes" }

// RatePlan is a rate plan.
type RatePlan struct {
	DateCreated *time.Time `json:"date_created"`
	Name        string     `json:"name"`
	OwnerSID    string     `json:"owner_sid"`
	PlanSID     string     `json:"plan_sid"`
	Type        string     `json:"type"`
}

// EffectiveRates returns the rate plans in effect for the partner. The docs
// call the answer a list but show one bare object; a JSON array, a single
// object and a list envelope ({"items": [...]}) are all accepted.
func (c *Client) EffectiveRates(ctx context.Context, partnerSID string) ([]EffectiveRate, error) {
	if err := requireSID("partner_sid", partnerSID); err != nil {
		return nil, err
	}
	raw, err := getOne[json.RawMessage](ctx, c, core, partnerPath(partnerSID)+"/effective_rates", nil)
	if err != nil {
		return nil, err
	}
	return decodeEffectiveRates(*raw)
}

func decodeEffectiveRates(b []byte) ([]EffectiveRate, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return []EffectiveRate{}, nil
	case b[0] == '[':
		var out []EffectiveRate
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("carrierx: effective rates: %w", err)
		}
		return out, nil
	case b[0] == '{':
		var probe struct {
			Items      *json.RawMessage `json:"items"`
			Assignment *json.RawMessage `json:"assignment"`
		}
		if err := json.Unmarshal(b, &probe); err != nil {
			return nil, fmt.Errorf("carrierx: effective rates: %w", err)
		}
		if probe.Items != nil && probe.Assignment == nil {
			return decodeEffectiveRates(*probe.Items)
		}
		var one EffectiveRate
		if err := json.Unmarshal(b, &one); err != nil {
			return nil, fmt.Errorf("carrierx: effective rates: %w", err)
		}
		return []EffectiveRate{one}, nil
	}
	return nil, fmt.Errorf("carrierx: effective rates: unexpected JSON %.40q", b)
}
