package carrierx

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Partner is a CarrierX partner account (§4.6), as returned by
// GET /oauth/whoami and /partners/{sid}.
type Partner struct {
	ACLs               []json.RawMessage   `json:"acls"`
	Address1           string              `json:"address1"`
	Address2           string              `json:"address2"`
	Attributes         Attributes          `json:"attributes"`
	AvailableScopes    []string            `json:"available_scopes"` // ro
	Balance            decimal.NullDecimal `json:"balance"`          // ro
	BillingEmail       string              `json:"billing_email"`
	Callbacks          map[string]*string  `json:"callbacks"`
	ChargeAt           decimal.NullDecimal `json:"charge_at"`
	City               string              `json:"city"`
	CompanyName        string              `json:"company_name"`
	CountryCode        string              `json:"country_code"`
	DailySpendingLimit decimal.NullDecimal `json:"daily_spending_limit"`
	DailySpentAmount   decimal.NullDecimal `json:"daily_spent_amount"` // ro
	DateCreated        *time.Time          `json:"date_created"`       // ro
	DisplayID          string              `json:"display_id"`         // ro
	Login              string              `json:"login"`
	Name               string              `json:"name"`
	OwnerEmail         string              `json:"owner_email"`
	ParentAssignedACLs []json.RawMessage   `json:"parent_assigned_acls"`
	ParentSID          *string             `json:"parent_sid"`
	PartnerSID         string              `json:"partner_sid"`
	PaymentType        string              `json:"payment_type"`
	Phonenumber        string              `json:"phonenumber"`
	PrepayAmount       decimal.NullDecimal `json:"prepay_amount"`
	SpendingLimit      decimal.NullDecimal `json:"spending_limit"`
	State              string              `json:"state"`
	Status             string              `json:"status"`
	TechEmail          string              `json:"tech_email"`
	Transformations    []json.RawMessage   `json:"transformations"`
	Zip                string              `json:"zip"`
}

// CreateToken generates an OAuth bearer token with the partner's login and
// password (POST /oauth/token, form-encoded, grant_type=password). No
// Authorization header is sent. Never retried.
func (c *Client) CreateToken(ctx context.Context, r TokenRequest) (*OAuthToken, error) {
	var t OAuthToken
	req := &request{method: http.MethodPost, path: CoreV2Path + "/oauth/token", form: r.form(), noAuth: true}
	if err := c.do(ctx, req, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateSubPartnerToken generates a token for a sub-partner
// (POST /oauth/token/{partner_sid}, form-encoded), authenticated as the
// client's current credentials. Login/Password of r are not used.
func (c *Client) CreateSubPartnerToken(ctx context.Context, partnerSID string, r TokenRequest) (*OAuthToken, error) {
	if err := requireSID("partner_sid", partnerSID); err != nil {
		return nil, err
	}
	r.Login, r.Password = "", ""
	f := r.form()
	f.Del("grant_type")
	var t OAuthToken
	req := &request{method: http.MethodPost, path: CoreV2Path + "/oauth/token/" + pathEscape(partnerSID), form: f}
	if err := c.do(ctx, req, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func (r TokenRequest) form() url.Values {
	f := url.Values{}
	f.Set("grant_type", "password")
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("username", r.Login)
	set("password", r.Password)
	set("client_id", r.ClientID)
	set("client_secret", r.ClientSecret)
	set("name", r.Name)
	if r.AccessTokenExpiresIn > 0 {
		f.Set("access_token_expires_in", strconv.Itoa(r.AccessTokenExpiresIn))
	}
	return f
}

// WhoAmI returns the partner the client authenticates as (GET /oauth/whoami).
func (c *Client) WhoAmI(ctx context.Context) (*Partner, error) {
	return getOne[Partner](ctx, c, core, "/oauth/whoami", nil)
}

// RevokeToken revokes an access token (POST /oauth/revoke). The body is not
// confirmed by CarrierX docs: we send the form `token=<access_token>` (RFC
// 7009 style). Any 2xx (200 or 204 expected) is success. Never retried.
func (c *Client) RevokeToken(ctx context.Context, accessToken string) error {
	if accessToken == "" {
		return errEmpty("access token")
	}
	f := url.Values{"token": {accessToken}}
	return c.do(ctx, &request{method: http.MethodPost, path: CoreV2Path + "/oauth/revoke", form: f}, nil)
}

// ListTokens returns one page of the caller's active tokens (total is null).
func (c *Client) ListTokens(ctx context.Context, opts ListOptions) (*Page[OAuthToken], error) {
	return listPage[OAuthToken](ctx, c, core, "/oauth/tokens", opts)
}

// AllTokens iterates over every active token.
func (c *Client) AllTokens(ctx context.Context, opts ListOptions) iter.Seq2[OAuthToken, error] {
	return allItems[OAuthToken](ctx, c, core, "/oauth/tokens", opts)
}

// GetToken returns one token by SID.
func (c *Client) GetToken(ctx context.Context, sid string) (*OAuthToken, error) {
	if err := requireSID("token_sid", sid); err != nil {
		return nil, err
	}
	return getOne[OAuthToken](ctx, c, core, "/oauth/tokens/"+pathEscape(sid), nil)
}
