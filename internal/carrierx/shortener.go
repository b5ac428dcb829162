package carrierx

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// ShortenerDomain is a domain of CarrierX's URL shortener: links are created
// under it, and it says how the shortener answers expired and unknown links.
type ShortenerDomain struct {
	DomainName         string  `json:"domain_name"` // required on create
	DomainSID          string  `json:"domain_sid"`  // ro
	ExpiredMode        string  `json:"expired_mode"`
	ExpiredPage        *string `json:"expired_page"`
	ExpiredStatusCode  *int    `json:"expired_status_code"` // with proxy_pass
	MinimumLength      int     `json:"minimum_length"`      // of generated short names; default 6
	NotFoundMode       string  `json:"not_found_mode"`
	NotFoundPage       *string `json:"not_found_page"`
	NotFoundStatusCode *int    `json:"not_found_status_code"` // with proxy_pass
	PartnerSID         string  `json:"partner_sid"`           // ro
	Scope              string  `json:"scope"`                 // who may create links on it; default "children"
	Secure             string  `json:"secure"`                // "required": link URLs are https; default "disabled"
	SuffixPattern      *string `json:"suffix_pattern"`        // regular expression of allowed suffixes
}

// Shortener modes: a link's Mode and a domain's ExpiredMode / NotFoundMode.
// proxy_pass needs an extra scope (shortener.allow_domain_mode_proxypass or
// shortener.allow_link_mode_proxypass).
const (
	ShortenerProxyPass         = "proxy_pass"
	ShortenerRedirectPermanent = "redirect_permanent"
	ShortenerRedirectTemporary = "redirect_temporary"
)

// ShortenerDomainUpdate is the body of a domain create or PATCH: only the
// fields set are sent (Null clears a nullable one). Create needs DomainName.
type ShortenerDomainUpdate struct {
	DomainName         Optional[string] `json:"domain_name,omitzero"`
	ExpiredMode        Optional[string] `json:"expired_mode,omitzero"`
	ExpiredPage        Optional[string] `json:"expired_page,omitzero"`
	ExpiredStatusCode  Optional[int]    `json:"expired_status_code,omitzero"`
	MinimumLength      Optional[int]    `json:"minimum_length,omitzero"`
	NotFoundMode       Optional[string] `json:"not_found_mode,omitzero"`
	NotFoundPage       Optional[string] `json:"not_found_page,omitzero"`
	NotFoundStatusCode Optional[int]    `json:"not_found_status_code,omitzero"`
	Scope              Optional[string] `json:"scope,omitzero"`
	Secure             Optional[string] `json:"secure,omitzero"`
	SuffixPattern      Optional[string] `json:"suffix_pattern,omitzero"`
}

// shortenerDomainWritable is a domain's writable fields, for PUT.
type shortenerDomainWritable struct {
	DomainName         string  `json:"domain_name"`
	ExpiredMode        string  `json:"expired_mode"`
	ExpiredPage        *string `json:"expired_page"`
	ExpiredStatusCode  *int    `json:"expired_status_code"`
	MinimumLength      int     `json:"minimum_length"`
	NotFoundMode       string  `json:"not_found_mode"`
	NotFoundPage       *string `json:"not_found_page"`
	NotFoundStatusCode *int    `json:"not_found_status_code"`
	Scope              string  `json:"scope"`
	Secure             string  `json:"secure"`
	SuffixPattern      *string `json:"suffix_pattern"`
}

// ShortenerLink is a short link: URL (its domain's scheme and name plus
// ShortName) leads to DestinationURL.
type ShortenerLink struct {
	DateAccessed   *time.Time `json:"date_accessed"` // ro; last hit
	DateCreated    *time.Time `json:"date_created"`  // ro
	DestinationURL string     `json:"destination_url"`
	DomainSID      string     `json:"domain_sid"`
	Hits           int        `json:"hits"` // ro
	LinkSID        string     `json:"link_sid"`
	MaximumTTL     int        `json:"maximum_ttl"` // seconds; -1 (default) never expires
	Mode           string     `json:"mode"`        // default redirect_temporary
	PartnerSID     string     `json:"partner_sid"` // ro
	ShortName      string     `json:"short_name"`  // generated when not given; unique on the domain
	URL            string     `json:"url"`         // ro
}

// ShortenerLinkUpdate is the body of a link create or PATCH: only the
// fields set are sent. Create needs DestinationURL and DomainSID; DomainSID
// is not sent on PATCH (a link stays on its domain).
type ShortenerLinkUpdate struct {
	DestinationURL Optional[string] `json:"destination_url,omitzero"`
	DomainSID      Optional[string] `json:"domain_sid,omitzero"`
	MaximumTTL     Optional[int]    `json:"maximum_ttl,omitzero"`
	Mode           Optional[string] `json:"mode,omitzero"`
	ShortName      Optional[string] `json:"short_name,omitzero"`
}

// shortenerLinkWritable is a link's writable fields, for PUT. Not
// confirmed: whether domain_sid may be sent on PUT; it is sent unchanged
// (a full-object PUT), never to move the link. An empty domain_sid or
// short_name is left out (the sandbox keeps the stored one).
type shortenerLinkWritable struct {
	DestinationURL string `json:"destination_url"`
	DomainSID      string `json:"domain_sid,omitempty"`
	MaximumTTL     int    `json:"maximum_ttl"`
	Mode           string `json:"mode"`
	ShortName      string `json:"short_name,omitempty"`
}

const (
	shortenerDomainsPath = "/shortener/domains"
	shortenerLinksPath   = "/shortener/links"
)

// ListShortenerDomains returns one page of the partner's domains.
func (c *Client) ListShortenerDomains(ctx context.Context, opts ListOptions) (*Page[ShortenerDomain], error) {
	return listPage[ShortenerDomain](ctx, c, core, shortenerDomainsPath, opts)
}

// AllShortenerDomains iterates over every domain matching opts.
func (c *Client) AllShortenerDomains(ctx context.Context, opts ListOptions) iter.Seq2[ShortenerDomain, error] {
	return allItems[ShortenerDomain](ctx, c, core, shortenerDomainsPath, opts)
}

// GetShortenerDomain returns one domain.
func (c *Client) GetShortenerDomain(ctx context.Context, sid string) (*ShortenerDomain, error) {
	if err := requireSID("domain_sid", sid); err != nil {
		return nil, err
	}
	return getOne[ShortenerDomain](ctx, c, core, shortenerDomainsPath+"/"+pathEscape(sid), nil)
}

// CreateShortenerDomain creates a domain (POST /shortener/domains).
func (c *Client) CreateShortenerDomain(ctx context.Context, d ShortenerDomainUpdate) (*ShortenerDomain, error) {
	return send[ShortenerDomain](ctx, c, core, http.MethodPost, shortenerDomainsPath, nil, d)
}

// UpdateShortenerDomain changes the fields set in u (PATCH).
func (c *Client) UpdateShortenerDomain(ctx context.Context, sid string, u ShortenerDomainUpdate) (*ShortenerDomain, error) {
	if err := requireSID("domain_sid", sid); err != nil {
		return nil, err
	}
	return send[ShortenerDomain](ctx, c, core, http.MethodPatch, shortenerDomainsPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceShortenerDomain replaces the domain's writable fields with those of
// d (PUT); read-only fields are not sent.
func (c *Client) ReplaceShortenerDomain(ctx context.Context, sid string, d ShortenerDomain) (*ShortenerDomain, error) {
	if err := requireSID("domain_sid", sid); err != nil {
		return nil, err
	}
	w := shortenerDomainWritable{DomainName: d.DomainName, ExpiredMode: d.ExpiredMode, ExpiredPage: d.ExpiredPage,
		ExpiredStatusCode: d.ExpiredStatusCode, MinimumLength: d.MinimumLength, NotFoundMode: d.NotFoundMode,
		NotFoundPage: d.NotFoundPage, NotFoundStatusCode: d.NotFoundStatusCode, Scope: d.Scope, Secure: d.Secure,
		SuffixPattern: d.SuffixPattern}
	return send[ShortenerDomain](ctx, c, core, http.MethodPut, shortenerDomainsPath+"/"+pathEscape(sid), nil, w)
}

// DeleteShortenerDomain deletes a domain (204). The sandbox refuses (409)
// while links use it; CarrierX's answer there is not confirmed.
func (c *Client) DeleteShortenerDomain(ctx context.Context, sid string) error {
	if err := requireSID("domain_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, shortenerDomainsPath+"/"+pathEscape(sid), nil)
}

// ListShortenerLinks returns one page of the partner's links (listed
// without a total).
func (c *Client) ListShortenerLinks(ctx context.Context, opts ListOptions) (*Page[ShortenerLink], error) {
	return listPage[ShortenerLink](ctx, c, core, shortenerLinksPath, opts)
}

// AllShortenerLinks iterates over every link matching opts.
func (c *Client) AllShortenerLinks(ctx context.Context, opts ListOptions) iter.Seq2[ShortenerLink, error] {
	return allItems[ShortenerLink](ctx, c, core, shortenerLinksPath, opts)
}

// GetShortenerLink returns one link.
func (c *Client) GetShortenerLink(ctx context.Context, sid string) (*ShortenerLink, error) {
	if err := requireSID("link_sid", sid); err != nil {
		return nil, err
	}
	return getOne[ShortenerLink](ctx, c, core, shortenerLinksPath+"/"+pathEscape(sid), nil)
}

// CreateShortenerLink creates a link (POST /shortener/links).
func (c *Client) CreateShortenerLink(ctx context.Context, l ShortenerLinkUpdate) (*ShortenerLink, error) {
	return send[ShortenerLink](ctx, c, core, http.MethodPost, shortenerLinksPath, nil, l)
}

// CreateOrReuseShortenerLink creates a link unless one of the partner's
// links already leads to the same destination (POST /shortener/links?reuse=true);
// that link is answered then. Which existing links match is not confirmed
// (the sandbox matches domain_sid, destination_url and short_name when given).
func (c *Client) CreateOrReuseShortenerLink(ctx context.Context, l ShortenerLinkUpdate) (*ShortenerLink, error) {
	return send[ShortenerLink](ctx, c, core, http.MethodPost, shortenerLinksPath, url.Values{"reuse": {"true"}}, l)
}

// UpdateShortenerLink changes the fields set in u (PATCH); u.DomainSID is
// not sent.
func (c *Client) UpdateShortenerLink(ctx context.Context, sid string, u ShortenerLinkUpdate) (*ShortenerLink, error) {
	if err := requireSID("link_sid", sid); err != nil {
		return nil, err
	}
	u.DomainSID = Optional[string]{}
	return send[ShortenerLink](ctx, c, core, http.MethodPatch, shortenerLinksPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceShortenerLink replaces the link's writable fields with those of l
// (PUT); read-only fields are not sent.
func (c *Client) ReplaceShortenerLink(ctx context.Context, sid string, l ShortenerLink) (*ShortenerLink, error) {
	if err := requireSID("link_sid", sid); err != nil {
		return nil, err
	}
	w := shortenerLinkWritable{DestinationURL: l.DestinationURL, DomainSID: l.DomainSID, MaximumTTL: l.MaximumTTL,
		Mode: l.Mode, ShortName: l.ShortName}
	return send[ShortenerLink](ctx, c, core, http.MethodPut, shortenerLinksPath+"/"+pathEscape(sid), nil, w)
}

// DeleteShortenerLink deletes a link (204).
func (c *Client) DeleteShortenerLink(ctx context.Context, sid string) error {
	if err := requireSID("link_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, shortenerLinksPath+"/"+pathEscape(sid), nil)
}
