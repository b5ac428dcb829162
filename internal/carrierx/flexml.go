package carrierx

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// FlexML API (§4.17): the account of a flexml endpoint, its numbers and the
// outbound calls it places. Get a client with Client.FlexML(endpoint).

// FlexMLAccount is the FlexML account of an endpoint. Method, URL and the
// status callback settings apply to numbers that set none of their own.
type FlexMLAccount struct {
	AccountSID           string     `json:"account_sid"`   // ro
	DateCreated          *time.Time `json:"date_created"`  // ro
	ErrorHandler         string     `json:"error_handler"` // basic (default) or none
	Login                string     `json:"login"`         // ro: the endpoint's API login
	Method               string     `json:"method"`        // GET or POST (default)
	Name                 string     `json:"name"`
	StatusCallbackMethod string     `json:"status_callback_method"` // default POST
	StatusCallbackURL    *string    `json:"status_callback_url"`
	URL                  *string    `json:"url"` // where the FlexML instructions are
}

// FlexMLAccountUpdate is the body of an account PATCH: only the fields set
// are sent (Null clears a nullable one).
type FlexMLAccountUpdate struct {
	ErrorHandler         Optional[string] `json:"error_handler,omitzero"`
	Method               Optional[string] `json:"method,omitzero"`
	Name                 Optional[string] `json:"name,omitzero"`
	StatusCallbackMethod Optional[string] `json:"status_callback_method,omitzero"`
	StatusCallbackURL    Optional[string] `json:"status_callback_url,omitzero"`
	URL                  Optional[string] `json:"url,omitzero"`
}

// flexMLAccountWritable is an account's writable fields, for PUT.
type flexMLAccountWritable struct {
	ErrorHandler         string  `json:"error_handler"`
	Method               string  `json:"method"`
	Name                 string  `json:"name"`
	StatusCallbackMethod string  `json:"status_callback_method"`
	StatusCallbackURL    *string `json:"status_callback_url"`
	URL                  *string `json:"url"`
}

// FlexMLDID is one of the numbers of a FlexML account: calls are placed
// from it, and calls to it fetch their instructions from URL.
type FlexMLDID struct {
	AccountSID           string  `json:"account_sid"`          // ro
	CountryCode          *string `json:"country_code"`         // ro
	DIDSID               string  `json:"did_sid"`              // ro
	InCountryFormat      *string `json:"in_country_format"`    // ro
	InternationalFormat  *string `json:"international_format"` // ro
	Method               string  `json:"method"`               // GET or POST (default)
	Phonenumber          string  `json:"phonenumber"`          // ro
	StatusCallbackMethod string  `json:"status_callback_method"`
	StatusCallbackURL    *string `json:"status_callback_url"`
	URL                  *string `json:"url"`
}

// FlexMLDIDUpdate is the body of a DID PATCH: only the fields set are sent.
type FlexMLDIDUpdate struct {
	Method               Optional[string] `json:"method,omitzero"`
	StatusCallbackMethod Optional[string] `json:"status_callback_method,omitzero"`
	StatusCallbackURL    Optional[string] `json:"status_callback_url,omitzero"`
	URL                  Optional[string] `json:"url,omitzero"`
}

// flexMLDIDWritable is a DID's writable fields, for PUT.
type flexMLDIDWritable struct {
	Method               string  `json:"method"`
	StatusCallbackMethod string  `json:"status_callback_method"`
	StatusCallbackURL    *string `json:"status_callback_url"`
	URL                  *string `json:"url"`
}

// FlexMLCall is an outbound call placed by a FlexML endpoint (§9 ex. 19). It
// is listed while it is live; its outcome is reported to
// status_callback_url and its record appears among the call detail records.
type FlexMLCall struct {
	AccountSID           string     `json:"account_sid"` // ro
	Attributes           Attributes `json:"attributes"`
	CallSID              string     `json:"call_sid"` // ro
	CalledDID            string     `json:"called_did"`
	CallingDID           string     `json:"calling_did"`  // one of the account's numbers
	DateCreated          *time.Time `json:"date_created"` // ro
	Delay                int        `json:"delay"`        // seconds before dialing
	Method               string     `json:"method"`
	StatusCallbackMethod string     `json:"status_callback_method"`
	StatusCallbackURL    *string    `json:"status_callback_url"`
	URL                  *string    `json:"url"`
}

// FlexMLCallUpdate is the body of a call create or PATCH: only the fields
// set are sent. Create needs CallingDID (one of the account's numbers) and
// CalledDID. Once the call is dialing, only the status callback settings
// may change (the sandbox answers 422 to the others; CarrierX's docs list
// them all as updatable).
type FlexMLCallUpdate struct {
	Attributes           Optional[Attributes] `json:"attributes,omitzero"`
	CalledDID            Optional[string]     `json:"called_did,omitzero"`
	CallingDID           Optional[string]     `json:"calling_did,omitzero"`
	Delay                Optional[int]        `json:"delay,omitzero"`
	Method               Optional[string]     `json:"method,omitzero"`
	StatusCallbackMethod Optional[string]     `json:"status_callback_method,omitzero"`
	StatusCallbackURL    Optional[string]     `json:"status_callback_url,omitzero"`
	URL                  Optional[string]     `json:"url,omitzero"`
}

// flexMLCallWritable is a call's writable fields, for PUT.
type flexMLCallWritable struct {
	Attributes           Attributes `json:"attributes"`
	CalledDID            string     `json:"called_did"`
	CallingDID           string     `json:"calling_did"`
	Delay                int        `json:"delay"`
	Method               string     `json:"method"`
	StatusCallbackMethod string     `json:"status_callback_method"`
	StatusCallbackURL    *string    `json:"status_callback_url"`
	URL                  *string    `json:"url"`
}

const (
	flexMLAccountsPath = "/accounts"
	flexMLCallsPath    = "/calls"
	flexMLDIDsPath     = "/dids"
)

func hostedObjectPath(base, what, sid string) (string, error) {
	if err := requireSID(what, sid); err != nil {
		return "", err
	}
	return base + "/" + pathEscape(sid), nil
}

// ListAccounts returns the page of accounts: the endpoint's own.
func (a *FlexML) ListAccounts(ctx context.Context, opts ListOptions) (*Page[FlexMLAccount], error) {
	return listPage[FlexMLAccount](ctx, a.c, flexmlV1, flexMLAccountsPath, opts)
}

// GetAccount returns the account.
func (a *FlexML) GetAccount(ctx context.Context, sid string) (*FlexMLAccount, error) {
	p, err := hostedObjectPath(flexMLAccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[FlexMLAccount](ctx, a.c, flexmlV1, p, nil)
}

// UpdateAccount changes the fields set in u (PATCH).
func (a *FlexML) UpdateAccount(ctx context.Context, sid string, u FlexMLAccountUpdate) (*FlexMLAccount, error) {
	p, err := hostedObjectPath(flexMLAccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[FlexMLAccount](ctx, a.c, flexmlV1, http.MethodPatch, p, nil, u)
}

// ReplaceAccount replaces the account's writable fields with those of acc
// (PUT); read-only fields are not sent.
func (a *FlexML) ReplaceAccount(ctx context.Context, sid string, acc FlexMLAccount) (*FlexMLAccount, error) {
	p, err := hostedObjectPath(flexMLAccountsPath, "account_sid", sid)
	if err != nil {
		return nil, err
	}
	w := flexMLAccountWritable{ErrorHandler: acc.ErrorHandler, Method: acc.Method, Name: acc.Name,
		StatusCallbackMethod: acc.StatusCallbackMethod, StatusCallbackURL: acc.StatusCallbackURL, URL: acc.URL}
	return send[FlexMLAccount](ctx, a.c, flexmlV1, http.MethodPut, p, nil, w)
}

// ListDIDs returns one page of the account's numbers.
func (a *FlexML) ListDIDs(ctx context.Context, opts ListOptions) (*Page[FlexMLDID], error) {
	return listPage[FlexMLDID](ctx, a.c, flexmlV1, flexMLDIDsPath, opts)
}

// AllDIDs iterates over every number matching opts.
func (a *FlexML) AllDIDs(ctx context.Context, opts ListOptions) iter.Seq2[FlexMLDID, error] {
	return allItems[FlexMLDID](ctx, a.c, flexmlV1, flexMLDIDsPath, opts)
}

// GetDID returns one number.
func (a *FlexML) GetDID(ctx context.Context, sid string) (*FlexMLDID, error) {
	p, err := hostedObjectPath(flexMLDIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[FlexMLDID](ctx, a.c, flexmlV1, p, nil)
}

// UpdateDID changes the fields set in u (PATCH).
func (a *FlexML) UpdateDID(ctx context.Context, sid string, u FlexMLDIDUpdate) (*FlexMLDID, error) {
	p, err := hostedObjectPath(flexMLDIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[FlexMLDID](ctx, a.c, flexmlV1, http.MethodPatch, p, nil, u)
}

// ReplaceDID replaces the number's writable fields with those of d (PUT).
func (a *FlexML) ReplaceDID(ctx context.Context, sid string, d FlexMLDID) (*FlexMLDID, error) {
	p, err := hostedObjectPath(flexMLDIDsPath, "did_sid", sid)
	if err != nil {
		return nil, err
	}
	w := flexMLDIDWritable{Method: d.Method, StatusCallbackMethod: d.StatusCallbackMethod,
		StatusCallbackURL: d.StatusCallbackURL, URL: d.URL}
	return send[FlexMLDID](ctx, a.c, flexmlV1, http.MethodPut, p, nil, w)
}

// CreateCall places a call (POST /calls) from one of the account's numbers,
// after c's Delay seconds.
func (a *FlexML) CreateCall(ctx context.Context, c FlexMLCallUpdate) (*FlexMLCall, error) {
	return send[FlexMLCall](ctx, a.c, flexmlV1, http.MethodPost, flexMLCallsPath, nil, c)
}

// ListCalls returns one page of the account's live calls.
func (a *FlexML) ListCalls(ctx context.Context, opts ListOptions) (*Page[FlexMLCall], error) {
	return listPage[FlexMLCall](ctx, a.c, flexmlV1, flexMLCallsPath, opts)
}

// AllCalls iterates over every live call matching opts.
func (a *FlexML) AllCalls(ctx context.Context, opts ListOptions) iter.Seq2[FlexMLCall, error] {
	return allItems[FlexMLCall](ctx, a.c, flexmlV1, flexMLCallsPath, opts)
}

// GetCall returns one live call.
func (a *FlexML) GetCall(ctx context.Context, sid string) (*FlexMLCall, error) {
	p, err := hostedObjectPath(flexMLCallsPath, "call_sid", sid)
	if err != nil {
		return nil, err
	}
	return getOne[FlexMLCall](ctx, a.c, flexmlV1, p, nil)
}

// UpdateCall changes the fields set in u (PATCH).
func (a *FlexML) UpdateCall(ctx context.Context, sid string, u FlexMLCallUpdate) (*FlexMLCall, error) {
	p, err := hostedObjectPath(flexMLCallsPath, "call_sid", sid)
	if err != nil {
		return nil, err
	}
	return send[FlexMLCall](ctx, a.c, flexmlV1, http.MethodPatch, p, nil, u)
}

// ReplaceCall replaces the call's writable fields with those of c (PUT).
func (a *FlexML) ReplaceCall(ctx context.Context, sid string, c FlexMLCall) (*FlexMLCall, error) {
	p, err := hostedObjectPath(flexMLCallsPath, "call_sid", sid)
	if err != nil {
		return nil, err
	}
	attrs := c.Attributes
	if attrs == nil {
		attrs = Attributes{}
	}
	w := flexMLCallWritable{Attributes: attrs, CalledDID: c.CalledDID, CallingDID: c.CallingDID, Delay: c.Delay,
		Method: c.Method, StatusCallbackMethod: c.StatusCallbackMethod, StatusCallbackURL: c.StatusCallbackURL, URL: c.URL}
	return send[FlexMLCall](ctx, a.c, flexmlV1, http.MethodPut, p, nil, w)
}

// DeleteCall cancels a live call (DELETE /calls/{call_sid}, 204).
func (a *FlexML) DeleteCall(ctx context.Context, sid string) error {
	p, err := hostedObjectPath(flexMLCallsPath, "call_sid", sid)
	if err != nil {
		return err
	}
	return remove(ctx, a.c, flexmlV1, p, nil)
}
