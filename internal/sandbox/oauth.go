package sandbox

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tokenSchema is the OAuth Token object (§4.7; sample §9 ex. 1).
// client_secret is write-only and never stored or returned.
var tokenSchema = newSchema("oauth_token", "token_sid",
	fld("access_token", kindString, ro()),
	roStr("client_id"),
	fld("date_created", kindTime, ro()),
	fld("date_expiration_access_token", kindTime),
	fld("date_expiration_refresh_token", kindTime),
	fld("date_last_accessed", kindTime, ro(), null()),
	roStr("ip_last_accessed"),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("partner_sid", kindString, ro()),
	fld("refresh_token", kindString, ro()),
	fld("scopes", kindArray, elemKind(kindString), check(scopesCheck)),
	sidField("token_sid"),
	fld("token_type", kindString, ro()),
)

// defaultTokenLife matches CarrierX's sample: a token created 2024-09-11
// expires 2124-08-18, i.e. 36500 days later.
const defaultTokenLife = 36500 * 24 * time.Hour

func scopesCheck(c *call, v any) string {
	avail, _ := c.partner.obj["available_scopes"].([]any)
	for _, x := range v.([]any) {
		if !containsAny(avail, x) {
			return "scope " + strconv.Quote(x.(string)) + " is not available to the partner"
		}
	}
	return ""
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Sandbox) tokenView() *view {
	return &view{schema: tokenSchema, table: s.tokens, param: "token_sid", defaultLimit: 10, totalNull: true,
		visible: func(c *call, r *record) bool {
			return r.owner == c.partner.sid && s.liveToken(r.obj["access_token"].(string), c) != nil
		}}
}

// createToken serves POST /oauth/token (§1.3): a form-encoded
// grant_type=password request with username/password (or, with no username,
// the identity of a valid Authorization header). Optional: client_id,
// client_secret (ignored), name, access_token_expires_in (seconds) and
// scopes (space or comma separated; not confirmed). grant_type=refresh_token
// is not confirmed and is refused.
func (s *Sandbox) createToken(c *call) (int, any, *apiError) {
	mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return 0, nil, errMediaType("application/x-www-form-urlencoded")
	}
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return 0, nil, errBadRequest("", "cannot read the request body")
	}
	f, perr := url.ParseQuery(string(data))
	if perr != nil {
		return 0, nil, errBadRequest("", "malformed form body")
	}
	if gt := f.Get("grant_type"); gt != "password" {
		return 0, nil, errBadRequest("grant_type", "grant_type must be password")
	}
	partner := c.partner
	if user, pw := f.Get("username"), f.Get("password"); user != "" || pw != "" {
		partner = s.checkPassword(user, pw)
	}
	if partner == nil {
		return 0, nil, errAuth()
	}
	c.partner = partner
	var errs []errItem
	life := defaultTokenLife
	if raw := f.Get("access_token_expires_in"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 || n > int64(defaultTokenLife/time.Second) {
			errs = append(errs, item("access_token_expires_in", "access_token_expires_in must be a positive number of seconds, at most 36500 days"))
		}
		life = time.Duration(n) * time.Second
	}
	name := "N/A"
	if f.Has("name") {
		name = f.Get("name")
		if len([]rune(name)) > 255 {
			errs = append(errs, item("name", "name must be at most 255 characters long"))
		}
	}
	scopes := scopesValue(allScopes)
	if raw := strings.Join(f["scopes"], " "); strings.TrimSpace(raw) != "" {
		scopes = scopesValue(strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == ',' }))
		if msg := scopesCheck(c, scopes); msg != "" {
			errs = append(errs, item("scopes", msg))
		}
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	var clientID any
	if id := f.Get("client_id"); id != "" {
		clientID = id
	}
	sid, access, refresh := s.newSID(), s.newSID(), s.newSID()
	obj := object{
		"access_token": access, "client_id": clientID, "date_created": formatTS(c.now),
		"date_expiration_access_token":  formatTS(c.now.Add(life)),
		"date_expiration_refresh_token": formatTS(c.now.Add(defaultTokenLife)),
		"date_last_accessed":            nil, "ip_last_accessed": nil, "name": name,
		"partner_sid": partner.sid, "refresh_token": refresh, "scopes": scopes,
		"token_sid": sid, "token_type": "bearer",
	}
	rec := &record{sid: sid, owner: partner.sid, obj: obj}
	s.tokens.insert(rec)
	s.tokenByAccess[access] = rec
	return http.StatusOK, obj, nil
}

// createSubPartnerToken serves POST /oauth/token/{partner_sid}: a token for
// one of the caller's sub-partners (see subPartnerToken in partners.go).
func (s *Sandbox) createSubPartnerToken(c *call) (int, any, *apiError) {
	return s.subPartnerToken(c)
}

// revokeToken serves POST /oauth/revoke. The body is not confirmed by
// CarrierX's docs; accepted: a form token=<access or refresh token> (RFC
// 7009 style), JSON {"token": "..."}, or no body at all, which revokes the
// calling token. 204 on success; the token is refused at once afterwards. A
// token that is not the caller's (or unknown) is a 404.
func (s *Sandbox) revokeToken(c *call) (int, any, *apiError) {
	data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return 0, nil, errBadRequest("", "cannot read the request body")
	}
	var tok string
	if len(strings.TrimSpace(string(data))) > 0 {
		mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
		switch mt {
		case "application/x-www-form-urlencoded":
			f, perr := url.ParseQuery(string(data))
			if perr != nil {
				return 0, nil, errBadRequest("", "malformed form body")
			}
			tok = f.Get("token")
		case "application/json":
			body, aerr := decodeJSONObject(data)
			if aerr != nil {
				return 0, nil, aerr
			}
			if v, ok := body["token"]; ok && v != nil {
				if tok, ok = v.(string); !ok {
					return 0, nil, errValidation(item("token", "token must be a string"))
				}
			}
		default:
			return 0, nil, errMediaType("application/x-www-form-urlencoded or application/json")
		}
	}
	var rec *record
	switch {
	case tok == "" && c.token == nil:
		return 0, nil, errBadRequest("token", "token is required when authenticating with a login and password")
	case tok == "":
		rec = c.token
	default:
		rec = s.tokenByAccess[tok]
		if rec == nil {
			for _, r := range s.tokens.recs {
				if r.obj["refresh_token"] == tok {
					rec = r
					break
				}
			}
		}
	}
	if rec == nil || rec.owner != c.partner.sid {
		return 0, nil, errNoItem()
	}
	delete(s.tokenByAccess, rec.obj["access_token"].(string))
	s.tokens.remove(rec.sid)
	return http.StatusNoContent, nil, nil
}

// whoami serves GET /oauth/whoami: the calling partner (§4.6).
func (s *Sandbox) whoami(c *call) (int, any, *apiError) {
	sel, err := parseFieldSel(c.q, partnerSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sel.apply(c.partner.obj), nil
}
