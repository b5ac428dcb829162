package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// URL shortener (Core v2 /shortener): domains a partner brings, and links
// under them. A link's url is its domain's scheme and name plus the link's
// short_name. The attributes and defaults follow CarrierX's Domain and Link
// object pages; §8 of the notes only lists the paths.

func init() {
	extraTables = append(extraTables, shortDomainsTable, shortLinksTable)
	routeAdders = append(routeAdders, (*Sandbox).shortenerRoutes)
}

const (
	shortDomainsTable = "shortener_domains"
	shortLinksTable   = "shortener_links"
)

// shortModes are the values of a domain's expired_mode / not_found_mode and
// of a link's mode.
var shortModes = []string{"proxy_pass", "redirect_permanent", "redirect_temporary"}

// Scopes a partner needs besides shortener.manage / shortener.create to set
// the values named. The seeded partners do not have them.
const (
	scopeDomainProxyPass      = "shortener.allow_domain_mode_proxypass"
	scopeDomainSecureRequired = "shortener.allow_domain_secure_required"
	scopeLinkProxyPass        = "shortener.allow_link_mode_proxypass"
)

// shortDomainSchema is the Domain object. domain_name is required on create.
//
// Not confirmed, and chosen conservatively:
//   - domain_name: a lower-case host name, unique across the sandbox (a host
//     can serve one shortener only);
//   - expired_page / not_found_page: an absolute http(s) URL (the docs say
//     "the content to serve");
//   - *_status_code: 200-299 or 400-599 (the docs list 2xx, 4xx, 5xx);
//   - minimum_length: 1 to 64;
//   - scope: only "children" (the only value seen);
//   - secure: "disabled" or "required" (the values the docs name).
var shortDomainSchema = newSchema("domain", "domain_sid",
	fld("domain_name", kindString, maxLen(253), check(shortDomainNameCheck)),
	sidField("domain_sid"),
	fld("expired_mode", kindString, def("redirect_temporary"), enum(shortModes...)),
	fld("expired_page", kindString, null(), maxLen(2048), urlCheck()),
	fld("expired_status_code", kindInt, null(), check(shortStatusCheck)),
	fld("minimum_length", kindInt, def(int64(6)), minInt(1), check(shortMinLengthCheck)),
	fld("not_found_mode", kindString, def("redirect_temporary"), enum(shortModes...)),
	fld("not_found_page", kindString, null(), maxLen(2048), urlCheck()),
	fld("not_found_status_code", kindInt, null(), check(shortStatusCheck)),
	fld("partner_sid", kindString, ro()),
	fld("scope", kindString, def("children"), enum("children")),
	fld("secure", kindString, def("disabled"), enum("disabled", "required")),
	fld("suffix_pattern", kindString, null(), emptyNull(), maxLen(255), check(shortSuffixCheck)),
)

// shortLinkSchema is the Link object. destination_url and domain_sid are
// required on create; short_name is generated when not given.
//
// Not confirmed, and chosen conservatively:
//   - domain_sid cannot be changed after creation;
//   - maximum_ttl is -1 or a positive number of seconds; CarrierX's create
//     sample sends it as a string ("-1"), so an integer string is accepted
//     and stored as a number;
//   - short_name holds letters, digits, "-" and "_" only, and cannot be
//     cleared after creation; the domain's minimum_length applies to
//     generated names only.
var shortLinkSchema = newSchema("link", "link_sid",
	fld("date_accessed", kindTime, ro(), null()),
	fld("date_created", kindTime, ro()),
	fld("destination_url", kindString, maxLen(2048), urlCheck()),
	fld("domain_sid", kindString, createOnly(), check(shortDomainRef)),
	fld("hits", kindInt, ro()),
	sidField("link_sid"),
	fld("maximum_ttl", kindAny, def(int64(-1)), check(shortTTLCheck)),
	fld("mode", kindString, def("redirect_temporary"), enum(shortModes...)),
	fld("partner_sid", kindString, ro()),
	fld("short_name", kindString, null(), emptyNull(), maxLen(255), check(shortNameCheck)),
	fld("url", kindString, ro()),
)

var (
	shortHostRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)
	shortNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

func shortDomainNameCheck(c *call, v any) string {
	if !shortHostRe.MatchString(v.(string)) {
		return "domain_name must be a lower-case host name such as go.example.com"
	}
	return ""
}

func shortStatusCheck(c *call, v any) string {
	if n := v.(int64); (n < 200 || n > 299) && (n < 400 || n > 599) {
		return "the status code must be 2xx, 4xx or 5xx"
	}
	return ""
}

func shortMinLengthCheck(c *call, v any) string {
	if v.(int64) > 64 {
		return "minimum_length must be less than or equal to 64"
	}
	return ""
}

func shortSuffixCheck(c *call, v any) string {
	if _, err := regexp.Compile(v.(string)); err != nil {
		return "suffix_pattern must be a valid regular expression"
	}
	return ""
}

func shortNameCheck(c *call, v any) string {
	if !shortNameRe.MatchString(v.(string)) {
		return "short_name may hold letters, digits, - and _ only"
	}
	return ""
}

// shortTTL reads maximum_ttl: an integer, or an integer in a string.
func shortTTL(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		v = json.Number(strings.TrimSpace(s))
	}
	return intOf(v)
}

func shortTTLCheck(c *call, v any) string {
	n, ok := shortTTL(v)
	if !ok {
		return "maximum_ttl must be an integer"
	}
	if n != -1 && n < 1 {
		return "maximum_ttl must be -1 (never expires) or a positive number of seconds"
	}
	return ""
}

// shortDomainUsable reports whether the caller may create links on domain d:
// its own domains, and (scope "children") its parent partner's.
func shortDomainUsable(c *call, d *record) bool {
	if d.owner == c.partner.sid {
		return true
	}
	return d.obj["scope"] == "children" && d.owner != "" && d.owner == parentOf(c.partner)
}

func shortDomainRef(c *call, v any) string {
	d := c.s.table(shortDomainsTable).get(v.(string))
	if d == nil || !shortDomainUsable(c, d) {
		return "cannot find domain by sid"
	}
	return ""
}

// shortHasScope reports whether the caller holds scope: the token's scopes
// with a bearer token, the partner's available_scopes with Basic.
func shortHasScope(c *call, scope string) bool {
	var list any
	if c.token != nil {
		list = c.token.obj["scopes"]
	} else {
		list = c.partner.obj["available_scopes"]
	}
	arr, _ := list.([]any)
	for _, x := range arr {
		if x == scope {
			return true
		}
	}
	return false
}

// shortLinkURL derives a link's url from its domain: https when the domain's
// secure is "required", http otherwise (as in the docs' samples).
func (s *Sandbox) shortLinkURL(link object) any {
	sid, _ := link["domain_sid"].(string)
	name, _ := link["short_name"].(string)
	d := s.table(shortDomainsTable).get(sid)
	if d == nil || name == "" {
		return nil
	}
	scheme := "http"
	if d.obj["secure"] == "required" {
		scheme = "https"
	}
	host, _ := d.obj["domain_name"].(string)
	return scheme + "://" + host + "/" + name
}

const shortAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// shortNameTaken reports whether another link of the domain uses name.
func (s *Sandbox) shortNameTaken(domainSID, name, except string) bool {
	for _, l := range s.table(shortLinksTable).recs {
		if l.sid != except && l.obj["domain_sid"] == domainSID && l.obj["short_name"] == name {
			return true
		}
	}
	return false
}

// newShortName draws an unused name of the domain's minimum_length (longer
// after repeated collisions). Callers hold the write lock.
func (s *Sandbox) newShortName(domain *record) string {
	n, _ := intOf(domain.obj["minimum_length"])
	if n < 1 {
		n = 6
	}
	for tries := 0; ; tries++ {
		if tries > 0 && tries%8 == 0 {
			n++
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = shortAlphabet[s.rng.IntN(len(shortAlphabet))]
		}
		if !s.shortNameTaken(domain.sid, string(b), "") {
			return string(b)
		}
	}
}

func (s *Sandbox) shortDomainView() *view {
	domains := s.table(shortDomainsTable)
	return &view{schema: shortDomainSchema, table: domains, param: "domain_sid",
		defaultLimit: 1000, // the Get Domains sample answers limit 1000
		visible:      func(c *call, r *record) bool { return r.owner == c.partner.sid },
		newObject: func(c *call) object {
			o := shortDomainSchema.defaults()
			o["domain_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if mode == modeCreate {
				if _, ok := body["domain_name"]; !ok {
					return []errItem{item("domain_name", "domain_name is required")}
				}
			}
			name, _ := next["domain_name"].(string)
			for _, d := range domains.recs {
				if (rec == nil || d != rec) && d.obj["domain_name"] == name {
					return []errItem{item("domain_name", "domain_name is already in use")}
				}
			}
			return nil
		},
		// Deleting a domain that links still use: CarrierX's answer is not
		// confirmed; refusing (409) never leaves links without a domain.
		beforeDelete: func(c *call, rec *record) *apiError {
			n, ref := 0, ""
			for _, l := range s.table(shortLinksTable).recs {
				if l.obj["domain_sid"] == rec.sid {
					if ref == "" && l.owner == c.partner.sid {
						ref = l.sid
					}
					n++
				}
			}
			if n > 0 {
				return errConflict("domain_sid", "the domain is used by "+itoa(n)+" link(s)", ref)
			}
			return nil
		},
	}
}

func (s *Sandbox) shortLinkView() *view {
	links := s.table(shortLinksTable)
	withURL := func(c *call, r *record) object {
		if u := s.shortLinkURL(r.obj); u != nil && u != r.obj["url"] {
			o := cloneObject(r.obj)
			o["url"] = u
			return o
		}
		return r.obj
	}
	return &view{schema: shortLinkSchema, table: links, param: "link_sid",
		defaultLimit: 1000, // the Get Links sample answers limit 1000 ...
		totalNull:    true, // ... and "total": null
		visible:      func(c *call, r *record) bool { return r.owner == c.partner.sid },
		present:      withURL,
		filterObj:    withURL,
		newObject: func(c *call) object {
			o := shortLinkSchema.defaults()
			o["link_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			o["date_created"] = formatTS(c.now)
			o["hits"] = int64(0)
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			var errs []errItem
			if mode == modeCreate {
				for _, k := range []string{"destination_url", "domain_sid"} {
					if _, ok := body[k]; !ok {
						errs = append(errs, item(k, k+" is required"))
					}
				}
			}
			if v, ok := body["maximum_ttl"]; ok && shortTTLCheck(c, v) == "" {
				next["maximum_ttl"], _ = shortTTL(v)
			}
			if len(errs) > 0 {
				return errs
			}
			domainSID, _ := next["domain_sid"].(string)
			domain := s.table(shortDomainsTable).get(domainSID)
			if domain == nil {
				return nil // reported by the domain_sid check
			}
			_, sent := body["short_name"]
			switch name, _ := next["short_name"].(string); {
			case name == "" && mode == modeCreate:
				next["short_name"] = s.newShortName(domain)
			case name == "" && sent:
				return []errItem{item("short_name", "short_name cannot be cleared")}
			case name == "":
				next["short_name"] = rec.obj["short_name"] // PUT without short_name keeps it
			default:
				except := ""
				if rec != nil {
					except = rec.sid
				}
				if s.shortNameTaken(domainSID, name, except) {
					return []errItem{item("short_name", "short_name is already used on this domain")}
				}
			}
			next["url"] = s.shortLinkURL(next)
			return nil
		},
	}
}

// peekJSON decodes the request's JSON body without consuming it; nil when it
// is not a JSON object (the handler then answers the documented error).
func peekJSON(c *call) map[string]any {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	c.r.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	m, aerr := decodeJSONObject(data)
	if aerr != nil {
		return nil
	}
	return m
}

// shortScopes refuses, with a 403, values that need a scope the caller
// lacks (proxy_pass modes, secure "required"). Not confirmed: the status;
// the docs say the partner must additionally have the scope, and §3.1
// relates 403 to missing scopes.
func shortScopes(link bool, v *view, h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		if c.r.Method != http.MethodPost {
			if _, err := v.find(c); err != nil {
				return 0, nil, err
			}
		}
		body := peekJSON(c)
		keys, scope := []string{"expired_mode", "not_found_mode"}, scopeDomainProxyPass
		if link {
			keys, scope = []string{"mode"}, scopeLinkProxyPass
		}
		for _, k := range keys {
			if body[k] == "proxy_pass" && !shortHasScope(c, scope) {
				return 0, nil, newErr(http.StatusForbidden, "forbidden", item(k, k+" proxy_pass needs the "+scope+" scope"))
			}
		}
		if !link && body["secure"] == "required" && !shortHasScope(c, scopeDomainSecureRequired) {
			return 0, nil, newErr(http.StatusForbidden, "forbidden",
				item("secure", "secure required needs the "+scopeDomainSecureRequired+" scope"))
		}
		return h(c)
	}
}

// shortLinkCreate serves POST /shortener/links. With reuse=true an existing
// link of the caller with the same domain_sid and destination_url (and
// short_name, when one is given) is answered instead of a new one. The docs
// describe reuse as matching destination_url and link_sid, which a new link
// cannot have; matching the domain is the reading served (not confirmed).
func (s *Sandbox) shortLinkCreate(v *view) handlerFunc {
	create := shortScopes(true, v, v.create())
	return func(c *call) (int, any, *apiError) {
		reuse, err := parseBoolParam("reuse", c.q.Get("reuse"), false)
		if err != nil {
			return 0, nil, err
		}
		if reuse {
			body := peekJSON(c)
			dom, _ := body["domain_sid"].(string)
			dest, _ := body["destination_url"].(string)
			name, named := body["short_name"].(string)
			for _, l := range v.table.recs {
				if l.owner == c.partner.sid && dom != "" && l.obj["domain_sid"] == dom && l.obj["destination_url"] == dest &&
					(!named || name == "" || l.obj["short_name"] == name) {
					return http.StatusOK, v.output(c, l, fieldSel{}, false), nil
				}
			}
		}
		return create(c)
	}
}

func (s *Sandbox) shortenerRoutes(rt *router) {
	d, l := s.shortDomainView(), s.shortLinkView()
	rt.handle("GET", "/shortener/domains", d.list(nil))
	rt.handle("POST", "/shortener/domains", shortScopes(false, d, d.create()))
	rt.handle("GET", "/shortener/domains/{domain_sid}", d.get())
	rt.handle("PATCH", "/shortener/domains/{domain_sid}", shortScopes(false, d, d.update(false)))
	rt.handle("PUT", "/shortener/domains/{domain_sid}", shortScopes(false, d, d.update(true)))
	rt.handle("DELETE", "/shortener/domains/{domain_sid}", d.remove())
	rt.handle("GET", "/shortener/links", l.list(nil))
	rt.handle("POST", "/shortener/links", s.shortLinkCreate(l))
	rt.handle("GET", "/shortener/links/{link_sid}", l.get())
	rt.handle("PATCH", "/shortener/links/{link_sid}", shortScopes(true, l, l.update(false)))
	rt.handle("PUT", "/shortener/links/{link_sid}", shortScopes(true, l, l.update(true)))
	rt.handle("DELETE", "/shortener/links/{link_sid}", l.remove())
}

// ShortLinkHandler serves the short links themselves, as the shortener's
// web server would: a GET on http://<domain_name>/<short_name> (the domain
// taken from the Host header) answers a redirect to the link's
// destination_url and counts a hit (hits, date_accessed). It is separate from
// Handler, which serves the API under /core/v2; mount it where requests for
// the short domains arrive (or set the Host header in tests).
//
// Not confirmed, and served conservatively:
//   - redirect_temporary answers 302, redirect_permanent 301;
//   - proxy_pass is not served (the sandbox fetches nothing): 501 for a
//     link; for a domain's expired/not-found page, the configured
//     status code (default 404) with an empty body;
//   - an expired link (maximum_ttl seconds after date_created) or an
//     unknown short name follows the domain's expired_* / not_found_*
//     settings: a redirect to the page when one is set, else 404;
//   - suffix_pattern (partial links with suffixes) is not served: only
//     exact short names resolve;
//   - secure "required" does not redirect plain-http requests.
func (s *Sandbox) ShortLinkHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		name := strings.TrimPrefix(r.URL.Path, "/")

		s.mu.Lock()
		defer s.mu.Unlock()
		var domain *record
		for _, d := range s.table(shortDomainsTable).recs {
			if d.obj["domain_name"] == host {
				domain = d
				break
			}
		}
		if domain == nil {
			http.Error(w, "unknown domain", http.StatusNotFound)
			return
		}
		var link *record
		for _, l := range s.table(shortLinksTable).recs {
			if name != "" && l.obj["domain_sid"] == domain.sid && l.obj["short_name"] == name {
				link = l
				break
			}
		}
		if link == nil {
			shortFallback(w, r, domain.obj, "not_found")
			return
		}
		now := s.now()
		if ttl, _ := intOf(link.obj["maximum_ttl"]); ttl > 0 {
			created, _ := link.obj["date_created"].(string)
			if t, ok := parseTS(created); ok && !now.Before(t.Add(time.Duration(ttl)*time.Second)) {
				shortFallback(w, r, domain.obj, "expired")
				return
			}
		}
		if r.Method == http.MethodGet {
			o := cloneObject(link.obj)
			hits, _ := intOf(o["hits"])
			o["hits"] = hits + 1
			o["date_accessed"] = formatTS(now)
			link.set(o)
		}
		dest, _ := link.obj["destination_url"].(string)
		switch link.obj["mode"] {
		case "redirect_permanent":
			http.Redirect(w, r, dest, http.StatusMovedPermanently)
		case "proxy_pass":
			http.Error(w, "proxy_pass is not served by the sandbox", http.StatusNotImplemented)
		default:
			http.Redirect(w, r, dest, http.StatusFound)
		}
	})
}

// shortFallback answers an unknown or expired link from the domain's
// <kind>_mode, <kind>_page and <kind>_status_code.
func shortFallback(w http.ResponseWriter, r *http.Request, domain object, kind string) {
	page, _ := domain[kind+"_page"].(string)
	switch domain[kind+"_mode"] {
	case "proxy_pass":
		code, ok := intOf(domain[kind+"_status_code"])
		if !ok {
			code = http.StatusNotFound
		}
		w.WriteHeader(int(code))
	case "redirect_permanent":
		if page != "" {
			http.Redirect(w, r, page, http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
	default:
		if page != "" {
			http.Redirect(w, r, page, http.StatusFound)
			return
		}
		http.NotFound(w, r)
	}
}
