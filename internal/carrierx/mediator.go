package carrierx

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Mediator API (§4.16): the account of a mediator endpoint, its numbers,
// bindings (calls to a redirect number are forwarded to a destination) and
// dialouts (two numbers are called and bridged). Answers come wrapped in
// {"body": ..., "status": ...} (§2.5); the methods unwrap them. Get a
// client with Client.Mediator(endpoint). Records of Mediator calls are
// Core's: Client.ListMediatorCalls.

// MediatorAccount is the Mediator account of an endpoint (read-only).
type MediatorAccount struct {
	AccountSID  string     `json:"account_sid"`
	DateCreated *time.Time `json:"date_created"`
	Login       string     `json:"login"`
	Name        string     `json:"name"`
}

// MediatorDID is one of the numbers of a Mediator account: the redirect
// numbers of its bindings and dialouts (read-only).
type MediatorDID struct {
	AccountSID          string  `json:"account_sid"`
	CountryCode         *string `json:"country_code"`
	DIDSID              string  `json:"did_sid"`
	InCountryFormat     *string `json:"in_country_format"`
	InternationalFormat *string `json:"international_format"`
	Phonenumber         string  `json:"phonenumber"`
}

// MediatorRedirectDIDInfo describes a binding's redirect number.
type MediatorRedirectDIDInfo struct {
	CountryCode         *string `json:"country_code"`
	E164Format          string  `json:"e164_format"`
	InCountryFormat     *string `json:"in_country_format"`
	InternationalFormat *string `json:"international_format"`
	Phonenumber         string  `json:"phonenumber"`
}

// MediatorBinding forwards calls to RedirectDID (from OriginationDID, or
// from anyone when it is null) to DestinationDID (§9 ex. 18).
type MediatorBinding struct {
	AccountSID            string                   `json:"account_sid"`  // ro
	Attributes            Attributes               `json:"attributes"`   // ringback, hide_origination_did, ...
	BindingSID            string                   `json:"binding_sid"`  // ro
	DateCreated           *time.Time               `json:"date_created"` // ro
	DestinationDID        string                   `json:"destination_did"`
	DTMF                  *string                  `json:"dtmf"`        // sent after the destination answers; "," pauses
	MaximumTTL            int                      `json:"maximum_ttl"` // seconds the binding lasts; -1 = no limit
	Name                  string                   `json:"name"`
	OriginationDID        *string                  `json:"origination_did"`
	RedirectDID           string                   `json:"redirect_did"`
	RedirectDIDInfo       *MediatorRedirectDIDInfo `json:"redirect_did_info"` // ro
	WaitOriginationDIDTTL int                      `json:"wait_origination_did_ttl"`
}

// MediatorBindingUpdate is the body of a binding create or PATCH: only the
// fields set are sent (Null clears a nullable one). Create needs
// DestinationDID; without RedirectDID a free number of the account is
// assigned (409 when there is none).
type MediatorBindingUpdate struct {
	Attributes            Optional[Attributes] `json:"attributes,omitzero"`
	DestinationDID        Optional[string]     `json:"destination_did,omitzero"`
	DTMF                  Optional[string]     `json:"dtmf,omitzero"`
	MaximumTTL            Optional[int]        `json:"maximum_ttl,omitzero"`
	Name                  Optional[string]     `json:"name,omitzero"`
	OriginationDID        Optional[string]     `json:"origination_did,omitzero"`
	RedirectDID           Optional[string]     `json:"redirect_did,omitzero"`
	WaitOriginationDIDTTL Optional[int]        `json:"wait_origination_did_ttl,omitzero"`
}

// MediatorBindingOptions are the query arguments of a binding create.
type MediatorBindingOptions struct {
	// FallbackCountry (ISO 3166-1 alpha-3) picks the redirect number among
	// the account's numbers of that country (409 when it has none).
	FallbackCountry string
	// Reuse answers an existing binding with the same parameters instead
	// of creating one.
	Reuse bool
}

func (o MediatorBindingOptions) query() url.Values {
	q := url.Values{}
	if c := strings.TrimSpace(o.FallbackCountry); c != "" {
		q.Set("fallback_country", c)
	}
	if o.Reuse {
		q.Set("reuse", "true")
	}
	return q
}

// mediatorBindingWritable is a binding's writable fields, for PUT.
type mediatorBindingWritable struct {
	Attributes            Attributes `json:"attributes"`
	DestinationDID        string     `json:"destination_did"`
	DTMF                  *string    `json:"dtmf"`
	MaximumTTL            int        `json:"maximum_ttl"`
	Name                  string     `json:"name"`
	OriginationDID        *string    `json:"origination_did"`
	RedirectDID           string     `json:"redirect_did"`
	WaitOriginationDIDTTL int        `json:"wait_origination_did_ttl"`
}

// MediatorDialout calls StageOneDestinationDID from RedirectDID and, once
// it answers, StageTwoDestinationDID, then bridges the two. It is
// transient: it is gone once both legs are connected.
type MediatorDialout struct {
	AccountSID             string     `json:"account_sid"`  // ro
	Attributes             Attributes `json:"attributes"`   // announce, cnam, ringback, hide_origination_did, ...
	DateCreated            *time.Time `json:"date_created"` // ro
	Delay                  int        `json:"delay"`        // seconds before dialing
	DialoutSID             string     `json:"dialout_sid"`  // ro
	RedirectDID            string     `json:"redirect_did"`
	StageOneDestinationDID string     `json:"stage_one_destination_did"`
	StageTwoDestinationDID string     `json:"stage_two_destination_did"`
}

// MediatorDialoutUpdate is the body of a dialout create or PATCH: only the
// fields set are sent. Create needs RedirectDID (one of the account's
// numbers) and both destinations; each must be unused by the account's
// other live dialouts (409).
type MediatorDialoutUpdate struct {
	Attributes             Optional[Attributes] `json:"attributes,omitzero"`
	Delay                  Optional[int]        `json:"delay,omitzero"`
	RedirectDID            Optional[string]     `json:"redirect_did,omitzero"`
	StageOneDestinationDID Optional[string]     `json:"stage_one_destination_did,omitzero"`
	StageTwoDestinationDID Optional[string]     `json:"stage_two_destination_did,omitzero"`
}

// mediatorDialoutWritable is a dialout's writable fields, for PUT.
type mediatorDialoutWritable struct {
	Attributes             Attributes `json:"attributes"`
	Delay                  int        `json:"delay"`
	RedirectDID            string     `json:"redirect_did"`
	StageOneDestinationDID string     `json:"stage_one_destination_did"`
	StageTwoDestinationDID string     `json:"stage_two_destination_did"`
}

const (
	mediatorAccountsPath = "/accounts"
	mediatorBindingsPath = "/bindings"
	mediatorDialoutsPath = "/dialouts"
	mediatorDIDsPath     = "/dids"
)

func orAttributes(a Attributes) Attributes {
	if a == nil {
		return Attributes{}
	}
	return a
}

// ListAccounts returns the page of accounts: the endpoint's own.
func (m *Mediator) ListAccounts(ctx context.Context, opts ListOptions) (*Page[MediatorAccount], error) {
	return listPage[MediatorAccount](ctx, m.c, mediatorV1, mediatorAccountsPath, opts)
}

// GetAccount returns the account.
func (m *Mediator) GetAccount(ctx context.Context, sid string) (*MediatorAccount, error) {
	p, err := hostedObjectPath(mediatorAccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[MediatorAccount](ctx, m.c, mediatorV1, p, nil)
}

// ListDIDs returns one page of the account's numbers.
func (m *Mediator) ListDIDs(ctx context.Context, opts ListOptions) (*Page[MediatorDID], error) {
	return listPage[MediatorDID](ctx, m.c, mediatorV1, mediatorDIDsPath, opts)
}

// AllDIDs iterates over every number matching opts.
func (m *Mediator) AllDIDs(ctx context.Context, opts ListOptions) iter.Seq2[MediatorDID, error] {
	return allItems[MediatorDID](ctx, m.c, mediatorV1, mediatorDIDsPath, opts)
}

// GetDID returns one number.
func (m *Mediator) GetDID(ctx context.Context, sid string) (*MediatorDID, error) {
	p, err := hostedObjectPath(mediatorDIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[MediatorDID](ctx, m.c, mediatorV1, p, nil)
}

// CreateBinding creates a binding (POST /bindings).
func (m *Mediator) CreateBinding(ctx context.Context, b MediatorBindingUpdate, opts MediatorBindingOptions) (*MediatorBinding, error) {
	return send[MediatorBinding](ctx, m.c, mediatorV1, http.MethodPost, mediatorBindingsPath, opts.query(), b)
}

// ListBindings returns one page of the account's bindings.
func (m *Mediator) ListBindings(ctx context.Context, opts ListOptions) (*Page[MediatorBinding], error) {
	return listPage[MediatorBinding](ctx, m.c, mediatorV1, mediatorBindingsPath, opts)
}

// AllBindings iterates over every binding matching opts.
func (m *Mediator) AllBindings(ctx context.Context, opts ListOptions) iter.Seq2[MediatorBinding, error] {
	return allItems[MediatorBinding](ctx, m.c, mediatorV1, mediatorBindingsPath, opts)
}

// GetBinding returns one binding.
func (m *Mediator) GetBinding(ctx context.Context, sid string) (*MediatorBinding, error) {
	p, err := hostedObjectPath(mediatorBindingsPath, "binding_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[MediatorBinding](ctx, m.c, mediatorV1, p, nil)
}

// UpdateBinding changes the fields set in u (PATCH).
func (m *Mediator) UpdateBinding(ctx context.Context, sid string, u MediatorBindingUpdate) (*MediatorBinding, error) {
	p, err := hostedObjectPath(mediatorBindingsPath, "binding_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[MediatorBinding](ctx, m.c, mediatorV1, http.MethodPatch, p, nil, u)
}

// ReplaceBinding replaces the binding's writable fields with those of b
// (PUT); read-only fields are not sent.
func (m *Mediator) ReplaceBinding(ctx context.Context, sid string, b MediatorBinding) (*MediatorBinding, error) {
	p, err := hostedObjectPath(mediatorBindingsPath, "binding_sid", sid)
	if err != nil {
		return nil, err
	}
	w := mediatorBindingWritable{Attributes: orAttributes(b.Attributes), DestinationDID: b.DestinationDID, DTMF: b.DTMF,
		MaximumTTL: b.MaximumTTL, Name: b.Name, OriginationDID: b.OriginationDID, RedirectDID: b.RedirectDID,
		WaitOriginationDIDTTL: b.WaitOriginationDIDTTL}
	return send[MediatorBinding](ctx, m.c, mediatorV1, http.MethodPut, p, nil, w)
}

// DeleteBinding deletes a binding (204).
func (m *Mediator) DeleteBinding(ctx context.Context, sid string) error {
	p, err := hostedObjectPath(mediatorBindingsPath, "binding_sid", sid)
	if err != nil {
		return err
	}
	return remove(ctx, m.c, mediatorV1, p, nil)
}

// CreateDialout creates a dialout (POST /dialouts); dialing starts after
// its Delay.
func (m *Mediator) CreateDialout(ctx context.Context, d MediatorDialoutUpdate) (*MediatorDialout, error) {
	return send[MediatorDialout](ctx, m.c, mediatorV1, http.MethodPost, mediatorDialoutsPath, nil, d)
}

// ListDialouts returns one page of the account's dialouts not yet
// connected.
func (m *Mediator) ListDialouts(ctx context.Context, opts ListOptions) (*Page[MediatorDialout], error) {
	return listPage[MediatorDialout](ctx, m.c, mediatorV1, mediatorDialoutsPath, opts)
}

// AllDialouts iterates over every dialout matching opts.
func (m *Mediator) AllDialouts(ctx context.Context, opts ListOptions) iter.Seq2[MediatorDialout, error] {
	return allItems[MediatorDialout](ctx, m.c, mediatorV1, mediatorDialoutsPath, opts)
}

// GetDialout returns one dialout (404 once it has connected).
func (m *Mediator) GetDialout(ctx context.Context, sid string) (*MediatorDialout, error) {
	p, err := hostedObjectPath(mediatorDialoutsPath, "dialout_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[MediatorDialout](ctx, m.c, mediatorV1, p, nil)
}

// UpdateDialout changes the fields set in u (PATCH).
func (m *Mediator) UpdateDialout(ctx context.Context, sid string, u MediatorDialoutUpdate) (*MediatorDialout, error) {
	p, err := hostedObjectPath(mediatorDialoutsPath, "dialout_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[MediatorDialout](ctx, m.c, mediatorV1, http.MethodPatch, p, nil, u)
}

// ReplaceDialout replaces the dialout's writable fields with those of d
// (PUT).
func (m *Mediator) ReplaceDialout(ctx context.Context, sid string, d MediatorDialout) (*MediatorDialout, error) {
	p, err := hostedObjectPath(mediatorDialoutsPath, "dialout_sid", sid)
	if err != nil {
		return nil, err
	}
	w := mediatorDialoutWritable{Attributes: orAttributes(d.Attributes), Delay: d.Delay, RedirectDID: d.RedirectDID,
		StageOneDestinationDID: d.StageOneDestinationDID, StageTwoDestinationDID: d.StageTwoDestinationDID}
	return send[MediatorDialout](ctx, m.c, mediatorV1, http.MethodPut, p, nil, w)
}

// DeleteDialout cancels a dialout not yet connected (204).
func (m *Mediator) DeleteDialout(ctx context.Context, sid string) error {
	p, err := hostedObjectPath(mediatorDialoutsPath, "dialout_sid", sid)
	if err != nil {
		return err
	}
	return remove(ctx, m.c, mediatorV1, p, nil)
}
