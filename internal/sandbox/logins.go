package sandbox

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Partner logins (Core v2 /oauth/logins): additional logins (sub-logins) of
// a partner, each with its own password and the scopes given to the tokens
// created with it.
//
// A sub-login is usable wherever the partner's own login is: it is entered
// in the sandbox's login index with its password, standing for its partner,
// so POST /oauth/token (and HTTP Basic) accept it. Tokens created with it
// belong to the partner and carry the login's token_scopes (a narrower set
// when the request names scopes). Not confirmed: CarrierX's docs say sub-
// logins are currently used by its portal only.

func init() {
	extraTables = append(extraTables, loginsTable)
	routeAdders = append(routeAdders, (*Sandbox).loginRoutes)
}

const loginsTable = "oauth_logins"

// loginSchema is the Partner Login object. password is write-only: required
// on create, never stored on the object nor answered. Only password can be
// changed after creation (login and token_scopes may be echoed back).
var loginSchema = newSchema("partner_login", "login_sid",
	fld("login", kindString, createOnly(), maxLen(255)),
	sidField("login_sid"),
	fld("partner_sid", kindString, ro()),
	fld("password", kindString, external()),
	fld("token_scopes", kindArray, elemKind(kindString), createOnly(), check(scopesCheck)),
)

// maxPasswordLen is a sanity cap; CarrierX's password rules are not
// confirmed (only "required on create").
const maxPasswordLen = 255

func passwordCheck(body map[string]any) []errItem {
	raw, ok := body["password"]
	if !ok {
		return nil
	}
	pw, isStr := raw.(string)
	switch {
	case raw == nil:
		return []errItem{item("password", "password must not be null")}
	case !isStr:
		return []errItem{item("password", "password must be a string")}
	case pw == "":
		return []errItem{item("password", "password must not be empty")}
	case utf8.RuneCountInString(pw) > maxPasswordLen:
		return []errItem{item("password", "password must be at most "+strconv.Itoa(maxPasswordLen)+" characters long")}
	}
	return nil
}

// loginInUse reports whether login names a partner or a sub-login already.
func (s *Sandbox) loginInUse(login string) bool {
	if s.byLogin[login] != nil {
		return true
	}
	for _, r := range s.table(loginsTable).recs {
		if r.obj["login"] == login {
			return true
		}
	}
	return false
}

// loginShadow returns the login index entry of the sub-login rec, or nil
// when the index holds something else under that name.
func (s *Sandbox) loginShadow(rec *record) *record {
	login, _ := rec.obj["login"].(string)
	e := s.byLogin[login]
	if e == nil || e.sid != rec.owner || e == s.partners.get(rec.owner) {
		return nil
	}
	return e
}

func (s *Sandbox) loginView() *view {
	return &view{schema: loginSchema, table: s.table(loginsTable), param: "login_sid", defaultLimit: 10,
		visible: func(c *call, r *record) bool { return r.owner == c.partner.sid },
		newObject: func(c *call) object {
			o := loginSchema.defaults()
			o["login_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			errs := passwordCheck(body)
			if mode != modeCreate {
				return errs
			}
			for _, k := range []string{"login", "password", "token_scopes"} {
				if _, ok := body[k]; !ok {
					errs = append(errs, item(k, k+" is required"))
				}
			}
			login, _ := next["login"].(string)
			if login == "" {
				return errs
			}
			// The login is <partner login>_<sub-login> (docs' naming rule).
			own, _ := c.partner.obj["login"].(string)
			if rest, ok := strings.CutPrefix(login, own+"_"); !ok || rest == "" {
				errs = append(errs, item("login", "login must be the partner login, an underscore and the sub-login ("+own+"_<sub-login>)"))
			} else if s.loginInUse(login) {
				// Not confirmed: the status of a taken login (422 here).
				errs = append(errs, item("login", "login is already in use"))
			}
			return errs
		},
		afterCreate: func(c *call, rec *record, body map[string]any) {
			rec.secret, _ = body["password"].(string)
			p := s.partners.get(rec.owner)
			if p == nil {
				return
			}
			login := rec.obj["login"].(string)
			s.byLogin[login] = &record{sid: p.sid, owner: p.sid, obj: p.obj, secret: rec.secret}
		},
		afterDelete: func(c *call, rec *record) {
			// Tokens created with the login are kept: they belong to the
			// partner (revoke them with /oauth/revoke). Not confirmed.
			if e := s.loginShadow(rec); e != nil {
				delete(s.byLogin, rec.obj["login"].(string))
			}
		},
	}
}

// loginUpdate serves PATCH/PUT: the generic update, then the new password
// (when given) once the update is accepted. A PUT without password keeps the
// current one: responses never show it, so a read-modify-write cannot echo
// it (not confirmed).
func (s *Sandbox) loginUpdate(v *view, put bool) handlerFunc {
	inner := v.update(put)
	return func(c *call) (int, any, *apiError) {
		data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
		if err != nil {
			return 0, nil, errNoJSON()
		}
		c.r.Body = io.NopCloser(bytes.NewReader(data))
		status, out, aerr := inner(c)
		if aerr != nil {
			return 0, nil, aerr
		}
		body, _ := decodeJSONObject(data)
		if pw, ok := body["password"].(string); ok {
			rec := v.table.get(c.param("login_sid"))
			if e := s.loginShadow(rec); e != nil {
				e.secret = pw
			}
			rec.secret = pw
		}
		return status, out, nil
	}
}

// subLoginToken wraps POST /oauth/token: a token requested with a sub-login
// carries the login's token_scopes, or the requested scopes when they are
// among them (others are a 422, as scopes the partner lacks are).
func (s *Sandbox) subLoginToken(next handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" {
			return next(c)
		}
		data, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
		if err != nil {
			return next(c)
		}
		c.r.Body = io.NopCloser(bytes.NewReader(data))
		f, perr := url.ParseQuery(string(data))
		if perr != nil {
			return next(c)
		}
		user := f.Get("username")
		var login *record
		if user != "" {
			for _, r := range s.table(loginsTable).recs {
				if r.obj["login"] == user {
					login = r
					break
				}
			}
		}
		sh := (*record)(nil)
		if login != nil {
			sh = s.loginShadow(login)
		}
		if sh == nil || s.checkPassword(user, f.Get("password")) != sh {
			return next(c)
		}
		if p := s.partners.get(sh.sid); p != nil {
			sh.obj = p.obj // the partner as it is now
		}
		allowed, _ := login.obj["token_scopes"].([]any)
		if raw := strings.Join(f["scopes"], " "); strings.TrimSpace(raw) != "" {
			for _, sc := range strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == ',' }) {
				if !containsAny(allowed, sc) {
					return 0, nil, errValidation(item("scopes", "scope "+strconv.Quote(sc)+" is not among the login's token_scopes"))
				}
			}
		}
		status, out, aerr := next(c)
		if aerr != nil {
			return status, out, aerr
		}
		o, _ := out.(object)
		sid, _ := o["token_sid"].(string)
		tok := s.tokens.get(sid)
		if tok == nil {
			return status, out, nil
		}
		got, _ := tok.obj["scopes"].([]any)
		scopes := []any{}
		for _, sc := range got {
			if containsAny(allowed, sc) {
				scopes = append(scopes, sc)
			}
		}
		n := cloneObject(tok.obj)
		n["scopes"] = scopes
		tok.set(n)
		return status, n, nil
	}
}

func (s *Sandbox) loginRoutes(rt *router) {
	logins := s.loginView()
	rt.handle("GET", "/oauth/logins", logins.list(nil))
	rt.handle("POST", "/oauth/logins", logins.create())
	rt.handle("GET", "/oauth/logins/{login_sid}", logins.get())
	rt.handle("PATCH", "/oauth/logins/{login_sid}", s.loginUpdate(logins, false))
	rt.handle("PUT", "/oauth/logins/{login_sid}", s.loginUpdate(logins, true))
	rt.handle("DELETE", "/oauth/logins/{login_sid}", logins.remove())
	if r, _ := rt.find("/oauth/token"); r != nil {
		if prev := r.methods[http.MethodPost]; prev != nil {
			r.methods[http.MethodPost] = s.subLoginToken(prev)
		}
	}
}
