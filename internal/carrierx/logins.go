package carrierx

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// PartnerLogin is an additional login (sub-login) of a partner, with its own
// password and the scopes of the tokens created with it. The password is
// never returned.
type PartnerLogin struct {
	Login       string   `json:"login"`        // <partner login>_<sub-login>
	LoginSID    string   `json:"login_sid"`    // ro
	PartnerSID  string   `json:"partner_sid"`  // ro
	TokenScopes []string `json:"token_scopes"` // fixed after creation
}

// PartnerLoginUpdate is the body of a login create or PATCH: only the fields
// set are sent. Create needs Login, Password and TokenScopes; afterwards only
// Password can change. Its String and GoString redact the password.
type PartnerLoginUpdate struct {
	Login       Optional[string]   `json:"login,omitzero"`
	Password    Optional[string]   `json:"password,omitzero"`
	TokenScopes Optional[[]string] `json:"token_scopes,omitzero"`
}

// String describes the update without the password.
func (u PartnerLoginUpdate) String() string {
	login, _ := u.Login.Get()
	scopes, _ := u.TokenScopes.Get()
	pw := "unset"
	if u.Password.IsSet() {
		pw = "[redacted]"
	}
	return fmt.Sprintf("PartnerLoginUpdate{login=%q token_scopes=%v password=%s}", login, scopes, pw)
}

// GoString is String.
func (u PartnerLoginUpdate) GoString() string { return u.String() }

// partnerLoginWritable is a login's body for PUT: the password only when
// given (responses never carry it, so a read-modify-write cannot echo it).
type partnerLoginWritable struct {
	Login       string   `json:"login"`
	Password    string   `json:"password,omitempty"`
	TokenScopes []string `json:"token_scopes"`
}

const loginsPath = "/oauth/logins"

// ListPartnerLogins returns one page of the partner's sub-logins.
func (c *Client) ListPartnerLogins(ctx context.Context, opts ListOptions) (*Page[PartnerLogin], error) {
	return listPage[PartnerLogin](ctx, c, core, loginsPath, opts)
}

// AllPartnerLogins iterates over every sub-login matching opts.
func (c *Client) AllPartnerLogins(ctx context.Context, opts ListOptions) iter.Seq2[PartnerLogin, error] {
	return allItems[PartnerLogin](ctx, c, core, loginsPath, opts)
}

// GetPartnerLogin returns one sub-login.
func (c *Client) GetPartnerLogin(ctx context.Context, sid string) (*PartnerLogin, error) {
	if err := requireSID("login_sid", sid); err != nil {
		return nil, err
	}
	return getOne[PartnerLogin](ctx, c, core, loginsPath+"/"+pathEscape(sid), nil)
}

// CreatePartnerLogin creates a sub-login (POST /oauth/logins). Never retried.
func (c *Client) CreatePartnerLogin(ctx context.Context, u PartnerLoginUpdate) (*PartnerLogin, error) {
	return send[PartnerLogin](ctx, c, core, http.MethodPost, loginsPath, nil, u)
}

// UpdatePartnerLogin changes the fields set in u (PATCH), in practice the
// password.
func (c *Client) UpdatePartnerLogin(ctx context.Context, sid string, u PartnerLoginUpdate) (*PartnerLogin, error) {
	if err := requireSID("login_sid", sid); err != nil {
		return nil, err
	}
	return send[PartnerLogin](ctx, c, core, http.MethodPatch, loginsPath+"/"+pathEscape(sid), nil, u)
}

// ReplacePartnerLogin sends l's writable fields with PUT, and password when
// not empty (an empty one keeps the current password).
func (c *Client) ReplacePartnerLogin(ctx context.Context, sid string, l PartnerLogin, password string) (*PartnerLogin, error) {
	if err := requireSID("login_sid", sid); err != nil {
		return nil, err
	}
	scopes := l.TokenScopes
	if scopes == nil {
		scopes = []string{}
	}
	w := partnerLoginWritable{Login: l.Login, Password: password, TokenScopes: scopes}
	return send[PartnerLogin](ctx, c, core, http.MethodPut, loginsPath+"/"+pathEscape(sid), nil, w)
}

// DeletePartnerLogin deletes a sub-login (204).
func (c *Client) DeletePartnerLogin(ctx context.Context, sid string) error {
	if err := requireSID("login_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, loginsPath+"/"+pathEscape(sid), nil)
}

// TokenUpdate is the body of an OAuth token PATCH: only the fields set are
// sent. Timestamps are sent in CarrierX's form (UTC, milliseconds, Z).
type TokenUpdate struct {
	DateExpirationAccessToken  Optional[time.Time]
	DateExpirationRefreshToken Optional[time.Time]
	Name                       Optional[string]
	Scopes                     Optional[[]string]
}

// tokenBody is a token's PATCH/PUT body.
type tokenBody struct {
	DateExpirationAccessToken  Optional[string]   `json:"date_expiration_access_token,omitzero"`
	DateExpirationRefreshToken Optional[string]   `json:"date_expiration_refresh_token,omitzero"`
	Name                       Optional[string]   `json:"name,omitzero"`
	Scopes                     Optional[[]string] `json:"scopes,omitzero"`
}

func tsOptional(o Optional[time.Time]) Optional[string] {
	switch {
	case o.IsNull():
		return Null[string]()
	case !o.IsSet():
		return Optional[string]{}
	}
	t, _ := o.Get()
	return Set(formatTimestamp(t))
}

func formatTimestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// UpdateToken changes the fields set in u of one of the caller's tokens
// (PATCH /oauth/tokens/{token_sid}).
func (c *Client) UpdateToken(ctx context.Context, sid string, u TokenUpdate) (*OAuthToken, error) {
	if err := requireSID("token_sid", sid); err != nil {
		return nil, err
	}
	b := tokenBody{DateExpirationAccessToken: tsOptional(u.DateExpirationAccessToken),
		DateExpirationRefreshToken: tsOptional(u.DateExpirationRefreshToken), Name: u.Name, Scopes: u.Scopes}
	return send[OAuthToken](ctx, c, core, http.MethodPatch, "/oauth/tokens/"+pathEscape(sid), nil, b)
}

// ReplaceToken sends t's writable fields (name, scopes and the expiration
// dates it has) with PUT /oauth/tokens/{token_sid}; read-only fields and
// the secrets are not sent.
func (c *Client) ReplaceToken(ctx context.Context, sid string, t OAuthToken) (*OAuthToken, error) {
	if err := requireSID("token_sid", sid); err != nil {
		return nil, err
	}
	scopes := t.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	b := tokenBody{Name: Set(t.Name), Scopes: Set(scopes)}
	if t.DateExpirationAccessToken != nil {
		b.DateExpirationAccessToken = Set(formatTimestamp(*t.DateExpirationAccessToken))
	}
	if t.DateExpirationRefreshToken != nil {
		b.DateExpirationRefreshToken = Set(formatTimestamp(*t.DateExpirationRefreshToken))
	}
	return send[OAuthToken](ctx, c, core, http.MethodPut, "/oauth/tokens/"+pathEscape(sid), nil, b)
}
