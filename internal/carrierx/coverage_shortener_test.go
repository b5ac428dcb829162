package carrierx_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func init() {
	exercised["core POST /shortener/domains"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		assert.NotEmpty(t, d.DomainSID)
		assert.Equal(t, f.creds.PartnerSID, d.PartnerSID)
		assert.Equal(t, carrierx.ShortenerRedirectTemporary, d.ExpiredMode, "documented default")
		assert.Equal(t, carrierx.ShortenerRedirectTemporary, d.NotFoundMode, "documented default")
		assert.Equal(t, 6, d.MinimumLength, "documented default")
		assert.Equal(t, "children", d.Scope)
		assert.Equal(t, "disabled", d.Secure)
		assert.Nil(t, d.ExpiredPage)
		assert.Nil(t, d.ExpiredStatusCode)
		assert.Nil(t, d.NotFoundPage)
		assert.Nil(t, d.NotFoundStatusCode)
		assert.Nil(t, d.SuffixPattern)

		_, err := f.cx.CreateShortenerDomain(ctx(), carrierx.ShortenerDomainUpdate{DomainName: carrierx.Set(d.DomainName)})
		assert.Equal(t, 422, statusOf(err), "a domain name is taken once")
		_, err = f.cx.CreateShortenerDomain(ctx(), carrierx.ShortenerDomainUpdate{MinimumLength: carrierx.Set(8)})
		assert.Equal(t, 422, statusOf(err), "domain_name is required")
		_, err = f.cx.CreateShortenerDomain(ctx(), carrierx.ShortenerDomainUpdate{DomainName: carrierx.Set("https://x.example/")})
		assert.Equal(t, 422, statusOf(err), "domain_name is a host name")
		_, err = f.cx.CreateShortenerDomain(ctx(), carrierx.ShortenerDomainUpdate{DomainName: carrierx.Set(nextShortHost()),
			NotFoundMode: carrierx.Set(carrierx.ShortenerProxyPass)})
		assert.Equal(t, 403, statusOf(err), "proxy_pass needs a scope the partner lacks")
	}
	exercised["core GET /shortener/domains"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		p, err := f.cx.ListShortenerDomains(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("domain_sid", d.DomainSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *d, p.Items[0])
		require.NotNil(t, p.Total, "domains are listed with a total")
		assert.Equal(t, 1, *p.Total)
		assert.Equal(t, 1000, p.Limit, "the documented default page size")

		found := false
		for it, err := range f.cx.AllShortenerDomains(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || it.DomainSID == d.DomainSID
		}
		assert.True(t, found)

		op, err := shortOther(f).ListShortenerDomains(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, it := range op.Items {
			assert.NotEqual(t, d.DomainSID, it.DomainSID, "another partner does not see the domain")
		}
	}
	exercised["core GET /shortener/domains/{domain_sid}"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		got, err := f.cx.GetShortenerDomain(ctx(), d.DomainSID)
		require.NoError(t, err)
		assert.Equal(t, *d, *got)
		_, err = shortOther(f).GetShortenerDomain(ctx(), d.DomainSID)
		assert.Equal(t, 404, statusOf(err), "another partner's domain is not found")
	}
	exercised["core PATCH/PUT /shortener/domains/{domain_sid}"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		l := shortLink(t, f, d, "")
		got, err := f.cx.UpdateShortenerDomain(ctx(), d.DomainSID, carrierx.ShortenerDomainUpdate{MinimumLength: carrierx.Set(8),
			ExpiredPage: carrierx.Set("https://example.com/expired")})
		require.NoError(t, err)
		assert.Equal(t, 8, got.MinimumLength)
		require.NotNil(t, got.ExpiredPage)
		assert.Equal(t, "https://example.com/expired", *got.ExpiredPage)
		assert.Equal(t, d.DomainName, got.DomainName, "PATCH keeps what it does not name")

		got, err = f.cx.UpdateShortenerDomain(ctx(), d.DomainSID, carrierx.ShortenerDomainUpdate{ExpiredPage: carrierx.Null[string]()})
		require.NoError(t, err)
		assert.Nil(t, got.ExpiredPage, "null clears the page")

		renamed := nextShortHost()
		got.DomainName = renamed
		got, err = f.cx.ReplaceShortenerDomain(ctx(), d.DomainSID, *got)
		require.NoError(t, err)
		assert.Equal(t, renamed, got.DomainName)
		assert.Equal(t, 8, got.MinimumLength)
		again, err := f.cx.GetShortenerDomain(ctx(), d.DomainSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")
		link, err := f.cx.GetShortenerLink(ctx(), l.LinkSID)
		require.NoError(t, err)
		assert.Equal(t, "http://"+renamed+"/"+l.ShortName, link.URL, "a link's url follows its domain")

		_, err = f.cx.UpdateShortenerDomain(ctx(), d.DomainSID, carrierx.ShortenerDomainUpdate{NotFoundStatusCode: carrierx.Set(302)})
		assert.Equal(t, 422, statusOf(err), "status codes are 2xx, 4xx or 5xx")
		_, err = f.cx.UpdateShortenerDomain(ctx(), d.DomainSID, carrierx.ShortenerDomainUpdate{Secure: carrierx.Set("required")})
		assert.Equal(t, 403, statusOf(err), "secure required needs a scope the partner lacks")
		_, err = shortOther(f).UpdateShortenerDomain(ctx(), d.DomainSID, carrierx.ShortenerDomainUpdate{MinimumLength: carrierx.Set(7)})
		assert.Equal(t, 404, statusOf(err))
		_, err = shortOther(f).ReplaceShortenerDomain(ctx(), d.DomainSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /shortener/domains/{domain_sid}"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		l := shortLink(t, f, d, "")
		assert.Equal(t, 404, statusOf(shortOther(f).DeleteShortenerDomain(ctx(), d.DomainSID)))
		assert.Equal(t, 409, statusOf(f.cx.DeleteShortenerDomain(ctx(), d.DomainSID)), "a domain with links stays")
		require.NoError(t, f.cx.DeleteShortenerLink(ctx(), l.LinkSID))
		require.NoError(t, f.cx.DeleteShortenerDomain(ctx(), d.DomainSID))
		_, err := f.cx.GetShortenerDomain(ctx(), d.DomainSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.CreateShortenerDomain(ctx(), carrierx.ShortenerDomainUpdate{DomainName: carrierx.Set(d.DomainName)})
		assert.NoError(t, err, "the name is free again")
	}

	exercised["core POST /shortener/links"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		l := shortLink(t, f, d, "")
		assert.Len(t, l.ShortName, d.MinimumLength, "a generated short name has the domain's minimum length")
		assert.Equal(t, "http://"+d.DomainName+"/"+l.ShortName, l.URL)
		assert.Equal(t, d.DomainSID, l.DomainSID)
		assert.Equal(t, f.creds.PartnerSID, l.PartnerSID)
		assert.Equal(t, -1, l.MaximumTTL, "documented default")
		assert.Equal(t, carrierx.ShortenerRedirectTemporary, l.Mode, "documented default")
		assert.Zero(t, l.Hits)
		assert.NotNil(t, l.DateCreated)
		assert.Nil(t, l.DateAccessed)

		named := shortLink(t, f, d, "promo")
		assert.Equal(t, "http://"+d.DomainName+"/promo", named.URL)
		_, err := f.cx.CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
			DestinationURL: carrierx.Set("https://example.com/other"), ShortName: carrierx.Set("promo")})
		assert.Equal(t, 422, statusOf(err), "a short name is unique on its domain")

		again, err := f.cx.CreateOrReuseShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
			DestinationURL: carrierx.Set(l.DestinationURL)})
		require.NoError(t, err)
		assert.Equal(t, l.LinkSID, again.LinkSID, "reuse answers the existing link")
		fresh, err := f.cx.CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
			DestinationURL: carrierx.Set(l.DestinationURL)})
		require.NoError(t, err)
		assert.NotEqual(t, l.LinkSID, fresh.LinkSID, "without reuse a new link is made")

		_, err = f.cx.CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID)})
		assert.Equal(t, 422, statusOf(err), "destination_url is required")
		_, err = f.cx.CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DestinationURL: carrierx.Set("https://example.com/")})
		assert.Equal(t, 422, statusOf(err), "domain_sid is required")
		_, err = shortOther(f).CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
			DestinationURL: carrierx.Set("https://example.com/")})
		assert.Equal(t, 422, statusOf(err), "another partner's domain cannot be used")
		_, err = f.cx.CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
			DestinationURL: carrierx.Set("example.com/no-scheme")})
		assert.Equal(t, 422, statusOf(err), "destination_url is an absolute URL")
		_, err = f.cx.CreateShortenerLink(ctx(), carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
			DestinationURL: carrierx.Set("https://example.com/"), Mode: carrierx.Set(carrierx.ShortenerProxyPass)})
		assert.Equal(t, 403, statusOf(err), "proxy_pass needs a scope the partner lacks")
	}
	exercised["core GET /shortener/links"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		l := shortLink(t, f, d, "")
		p, err := f.cx.ListShortenerLinks(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("domain_sid", d.DomainSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *l, p.Items[0])
		assert.Nil(t, p.Total, "links are listed without a total, as in the docs' sample")

		p, err = f.cx.ListShortenerLinks(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("url", l.URL)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "the derived url can be filtered on")

		op, err := shortOther(f).ListShortenerLinks(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, it := range op.Items {
			assert.NotEqual(t, l.LinkSID, it.LinkSID, "another partner does not see the link")
		}
	}
	exercised["core GET /shortener/links/{link_sid}"] = func(t *testing.T, f *fixture) {
		l := shortLink(t, f, shortDomain(t, f), "")
		got, err := f.cx.GetShortenerLink(ctx(), l.LinkSID)
		require.NoError(t, err)
		assert.Equal(t, *l, *got)
		_, err = shortOther(f).GetShortenerLink(ctx(), l.LinkSID)
		assert.Equal(t, 404, statusOf(err), "another partner's link is not found")
	}
	exercised["core PATCH/PUT /shortener/links/{link_sid}"] = func(t *testing.T, f *fixture) {
		d := shortDomain(t, f)
		l := shortLink(t, f, d, "")
		got, err := f.cx.UpdateShortenerLink(ctx(), l.LinkSID, carrierx.ShortenerLinkUpdate{DestinationURL: carrierx.Set("https://example.com/new"),
			MaximumTTL: carrierx.Set(3600)})
		require.NoError(t, err)
		assert.Equal(t, "https://example.com/new", got.DestinationURL)
		assert.Equal(t, 3600, got.MaximumTTL)
		assert.Equal(t, l.ShortName, got.ShortName, "PATCH keeps what it does not name")
		assert.Equal(t, l.URL, got.URL)

		got.ShortName = "renamed"
		got.Mode = carrierx.ShortenerRedirectPermanent
		got, err = f.cx.ReplaceShortenerLink(ctx(), l.LinkSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "renamed", got.ShortName)
		assert.Equal(t, carrierx.ShortenerRedirectPermanent, got.Mode)
		assert.Equal(t, "https://example.com/new", got.DestinationURL)
		assert.Equal(t, 3600, got.MaximumTTL)
		assert.Equal(t, "http://"+d.DomainName+"/renamed", got.URL, "the url follows the short name")
		again, err := f.cx.GetShortenerLink(ctx(), l.LinkSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		_, err = f.cx.UpdateShortenerLink(ctx(), l.LinkSID, carrierx.ShortenerLinkUpdate{MaximumTTL: carrierx.Set(0)})
		assert.Equal(t, 422, statusOf(err), "maximum_ttl is -1 or positive")
		other := shortDomain(t, f)
		moved := *got
		moved.DomainSID = other.DomainSID
		_, err = f.cx.ReplaceShortenerLink(ctx(), l.LinkSID, moved)
		assert.Equal(t, 422, statusOf(err), "a link stays on its domain")
		_, err = shortOther(f).UpdateShortenerLink(ctx(), l.LinkSID, carrierx.ShortenerLinkUpdate{ShortName: carrierx.Set("theirs")})
		assert.Equal(t, 404, statusOf(err))
		_, err = shortOther(f).ReplaceShortenerLink(ctx(), l.LinkSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /shortener/links/{link_sid}"] = func(t *testing.T, f *fixture) {
		l := shortLink(t, f, shortDomain(t, f), "")
		assert.Equal(t, 404, statusOf(shortOther(f).DeleteShortenerLink(ctx(), l.LinkSID)))
		require.NoError(t, f.cx.DeleteShortenerLink(ctx(), l.LinkSID))
		_, err := f.cx.GetShortenerLink(ctx(), l.LinkSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeleteShortenerLink(ctx(), l.LinkSID)))
	}

	exercised["core GET /routing/locations"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListRoutingLocations(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(p.Items), 3, "the sandbox seeds a few locations")
		assert.Equal(t, len(p.Items), p.Count)
		for _, l := range p.Items {
			assert.NotEmpty(t, l.LocationSID)
			assert.NotEmpty(t, l.Name)
			assert.Contains(t, l.Extra, "location_sid", "the whole object is kept")
		}
		n := 0
		for _, err := range f.cx.AllRoutingLocations(ctx(), carrierx.ListOptions{Limit: 2}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, len(p.Items), n, "paging finds every location")

		op, err := shortOther(f).ListRoutingLocations(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Equal(t, p.Items, op.Items, "locations are CarrierX's, the same for every partner")
	}
	exercised["core GET /routing/locations/{location_sid}"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListRoutingLocations(ctx(), carrierx.ListOptions{Limit: 1, Order: "name desc"})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		got, err := f.cx.GetRoutingLocation(ctx(), p.Items[0].LocationSID)
		require.NoError(t, err)
		assert.Equal(t, p.Items[0], *got)
		_, err = f.cx.GetRoutingLocation(ctx(), "00000000-0000-4000-8000-000000000000")
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.GetRoutingLocation(ctx(), "")
		assert.Error(t, err, "an empty SID is refused before a request")
	}
}

var shortSeq atomic.Int64

// nextShortHost is a domain name no other call has used.
func nextShortHost() string {
	return "go" + strconv.FormatInt(shortSeq.Add(1), 10) + ".short.example"
}

// shortDomain creates a domain with a fresh name.
func shortDomain(t *testing.T, f *fixture) *carrierx.ShortenerDomain {
	t.Helper()
	name := nextShortHost()
	d, err := f.cx.CreateShortenerDomain(ctx(), carrierx.ShortenerDomainUpdate{DomainName: carrierx.Set(name)})
	require.NoError(t, err)
	require.Equal(t, name, d.DomainName)
	return d
}

// shortLink creates a link on d to a fresh destination (short name
// generated when name is "").
func shortLink(t *testing.T, f *fixture, d *carrierx.ShortenerDomain, name string) *carrierx.ShortenerLink {
	t.Helper()
	u := carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(d.DomainSID),
		DestinationURL: carrierx.Set("https://example.com/landing/" + strconv.FormatInt(shortSeq.Add(1), 10))}
	if name != "" {
		u.ShortName = carrierx.Set(name)
	}
	l, err := f.cx.CreateShortenerLink(ctx(), u)
	require.NoError(t, err)
	require.NotEmpty(t, l.LinkSID)
	return l
}

// shortOther is a client of the second seeded partner (HTTP Basic).
func shortOther(f *fixture) *carrierx.Client {
	o := f.sb.OtherPartner()
	return f.anon.WithBasic(o.Login, o.Password)
}

// TestShortLinkResolves follows a link's url through the sandbox's
// short-link server: a redirect to the destination, counted as a hit.
func TestShortLinkResolves(t *testing.T) {
	f := newCoverageFixture(t)
	d := shortDomain(t, f)
	l := shortLink(t, f, d, "")
	srv := httptest.NewServer(f.sb.ShortLinkHandler())
	t.Cleanup(srv.Close)

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/"+l.ShortName, nil)
	require.NoError(t, err)
	req.Host = d.DomainName
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusFound, res.StatusCode)
	assert.Equal(t, l.DestinationURL, res.Header.Get("Location"))

	got, err := f.cx.GetShortenerLink(ctx(), l.LinkSID)
	require.NoError(t, err)
	assert.Equal(t, 1, got.Hits)
	assert.NotNil(t, got.DateAccessed)
}
