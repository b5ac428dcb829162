package sandbox

import (
	"crypto/sha1"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// partnerSchema is the Partner object (§4.6), as /oauth/whoami and
// /partners show it. password is write-only: required on create, never
// stored on the object nor answered.
//
// Not confirmed, and chosen conservatively:
//   - login and payment_type ("prepay" or "postpay", the values the samples
//     show) are set on create only; parent_sid is the creating partner;
//   - acls are the partner's own: a parent cannot set them on a
//     sub-partner, and parent_assigned_acls are the parent's: a partner
//     cannot set its own (the attribute table says so of acls);
//   - e-mail attributes hold plain addresses (billing_email a comma list),
//     country_code an ISO 3166-1 alpha-3 code, state a US state code when
//     country_code is USA, phonenumber digits only, callbacks the documented
//     keys with http(s) URLs.
var partnerSchema = newSchema("partner", "partner_sid",
	emptyArr("acls"),
	optStr("address1"),
	optStr("address2"),
	emptyObj("attributes"),
	fld("available_scopes", kindArray, ro(), elemKind(kindString)),
	fld("balance", kindNum, ro()),
	fld("billing_email", kindString, null(), maxLen(1024), check(partnerEmailListCheck)),
	fld("callbacks", kindObject, def(object{}), check(partnerCallbacksCheck)),
	fld("charge_at", kindNum, null()),
	optStr("city"),
	optStr("company_name"),
	fld("country_code", kindString, null(), check(partnerCountryCheck)),
	fld("daily_spending_limit", kindNum, null()),
	fld("daily_spent_amount", kindNum, ro(), null()),
	fld("date_created", kindTime, ro()),
	fld("display_id", kindString, ro()),
	fld("login", kindString, createOnly(), maxLen(255), check(partnerLoginCheck)),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("owner_email", kindString, null(), maxLen(255), check(partnerEmailCheck)),
	emptyArr("parent_assigned_acls"),
	fld("parent_sid", kindString, null(), emptyNull(), createOnly()),
	sidField("partner_sid"),
	fld("password", kindString, external()),
	fld("payment_type", kindString, def("prepay"), createOnly(), enum("prepay", "postpay")),
	fld("phonenumber", kindString, null(), check(partnerPhoneCheck)),
	fld("prepay_amount", kindNum, null()),
	fld("spending_limit", kindNum, null()),
	optStr("state"),
	fld("status", kindString, ro()),
	fld("tech_email", kindString, null(), maxLen(255), check(partnerEmailCheck)),
	emptyArr("transformations"),
	optStr("zip"),
)

// partnerCallbackKeys are the callback types the Partner object names.
var partnerCallbackKeys = []string{"app_conference_call", "app_conference_meeting", "app_mediator",
	"phonenumber_messaging_update", "phonenumber_order", "sms"}

var (
	partnerCountryRe = regexp.MustCompile(`^[A-Z]{3}$`)
	partnerPhoneRe   = regexp.MustCompile(`^[0-9]{1,15}$`)
)

func partnerEmailCheck(c *call, v any) string {
	s := strings.TrimSpace(v.(string))
	if s == "" {
		return ""
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return "must be an e-mail address"
	}
	return ""
}

func partnerEmailListCheck(c *call, v any) string {
	for _, p := range strings.Split(v.(string), ",") {
		if msg := partnerEmailCheck(c, strings.TrimSpace(p)); msg != "" {
			return "must be e-mail addresses separated by commas"
		}
	}
	return ""
}

func partnerCallbacksCheck(c *call, v any) string {
	for k, u := range v.(map[string]any) {
		if !contains(partnerCallbackKeys, k) {
			return "callbacks keys must be among: " + strings.Join(partnerCallbackKeys, ", ")
		}
		if u == nil {
			continue
		}
		s, ok := u.(string)
		pu, err := url.Parse(s)
		if !ok || err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return "callbacks." + k + " must be a valid http or https URL"
		}
	}
	return ""
}

func partnerCountryCheck(c *call, v any) string {
	if !partnerCountryRe.MatchString(v.(string)) {
		return "country_code must be an ISO 3166-1 alpha-3 code such as USA"
	}
	return ""
}

func partnerPhoneCheck(c *call, v any) string {
	if s := v.(string); s != "" && !partnerPhoneRe.MatchString(s) {
		return "phonenumber must hold digits only (E.164 without +)"
	}
	return ""
}

// partnerLoginCheck: a login HTTP Basic can carry (no colon, no blanks).
func partnerLoginCheck(c *call, v any) string {
	s := v.(string)
	if s == "" || strings.ContainsAny(s, ": \t\r\n") {
		return "login must be non-empty, without blanks or colons"
	}
	return ""
}

// allScopes are the scopes every seeded partner has (the "manage" scopes of
// CarrierX's token sample, §9 ex. 1).
var allScopes = []string{"accesscontrol.manage", "endpoints.manage", "oauth.manage", "partners.manage",
	"phonenumber.manage", "push.manage", "shortener.manage", "sms.manage", "storage.manage",
	"trunk_groups.manage", "trunk_groups.trunks.manage"}

func scopesValue(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// partnerSeed is what differs between the seeded partners.
type partnerSeed struct {
	login, password, name, company, city, state, zip, phone, email, balance string
	ageDays                                                                 int
}

// addPartner stores a partner. Callers hold the write lock (or are seeding).
func (s *Sandbox) addPartner(p partnerSeed) *record {
	sid := s.newSID()
	created := s.now().AddDate(0, 0, -p.ageDays).Add(-time.Duration(s.rng.IntN(86400)) * time.Second)
	obj := object{
		"acls": []any{}, "address1": "100 Main Street", "address2": nil, "attributes": object{},
		"available_scopes": scopesValue(allScopes), "balance": p.balance,
		"billing_email": "billing@" + p.email, "callbacks": object{}, "charge_at": "20",
		"city": p.city, "company_name": p.company, "country_code": "USA",
		"daily_spending_limit": "0", "daily_spent_amount": "0", "date_created": formatTS(created),
		"display_id": "CX" + itoa(10000000+s.rng.IntN(89999999)), "login": p.login, "name": p.name,
		"owner_email": "owner@" + p.email, "parent_assigned_acls": []any{}, "parent_sid": nil,
		"partner_sid": sid, "payment_type": "prepay", "phonenumber": p.phone, "prepay_amount": "100",
		"spending_limit": "0", "state": p.state, "status": "active", "tech_email": "noc@" + p.email,
		"transformations": []any{}, "zip": p.zip,
	}
	r := &record{sid: sid, owner: sid, obj: obj, secret: p.password}
	s.partners.insert(r)
	s.byLogin[p.login] = r
	return r
}

// ---------------------------------------------------------------------------
// Partner hierarchy

// partnerMaxDepth bounds walks up the parent chain (a guard against cycles,
// which the sandbox never creates).
const partnerMaxDepth = 64

// partnerUnder reports whether p is ancestor itself or one of its
// descendants (sub-partners at any depth).
func (s *Sandbox) partnerUnder(ancestor string, p *record) bool {
	for i := 0; p != nil && i < partnerMaxDepth; i++ {
		if p.sid == ancestor {
			return true
		}
		parent := parentOf(p)
		if parent == "" {
			return false
		}
		p = s.partners.get(parent)
	}
	return false
}

// partnerChildren returns the partners whose parent is sid.
func (s *Sandbox) partnerChildren(sid string) []*record {
	var out []*record
	for _, p := range s.partners.recs {
		if parentOf(p) == sid {
			out = append(out, p)
		}
	}
	return out
}

// scopedPartner returns the partner named by the route's partner_sid when
// the caller may see it (itself or a sub-partner), else a 404.
func (s *Sandbox) scopedPartner(c *call) (*record, *apiError) {
	p := s.partners.get(c.param("partner_sid"))
	if p == nil || !s.partnerUnder(c.partner.sid, p) {
		return nil, errNoItem()
	}
	return p, nil
}

// ---------------------------------------------------------------------------
// Partner views

// New partners' defaults, from CarrierX's create sample where it shows
// them (daily_spending_limit 500, spending_limit 100). Not confirmed, and
// chosen conservatively:
//   - the sample's new partner has balance "5"; a new sandbox partner starts
//     at "0";
//   - the sample's new partner has no available_scopes ("for internal use
//     only"); a sub-partner gets its creator's (never more than the parent
//     has), so its tokens carry them as the seeded partners' do;
//   - CarrierX sends verification messages to the e-mail addresses, hides
//     them, keeps the partner "unverified" and out of GET answers until they
//     are confirmed. The sandbox sends no e-mail: the addresses count as
//     confirmed at once, the partner is "active" and listed;
//   - with payment_type postpay, charge_at and prepay_amount (prepay
//     settings) are null, as in the sample's answer.
const (
	partnerNewBalance            = "0"
	partnerNewDailySpendingLimit = "500"
	partnerNewSpendingLimit      = "100"
)

// partnerRequired are the attributes a create needs (login and password:
// without them the partner could not authenticate). Not confirmed.
var partnerRequired = []string{"login", "password"}

func (s *Sandbox) partnerView() *view {
	return &view{schema: partnerSchema, table: s.partners, param: "partner_sid", defaultLimit: 10,
		visible: func(c *call, r *record) bool { return s.partnerUnder(c.partner.sid, r) },
		newObject: func(c *call) object {
			o := partnerSchema.defaults()
			o["partner_sid"] = s.newSID()
			o["parent_sid"] = c.partner.sid
			avail, _ := c.partner.obj["available_scopes"].([]any)
			o["available_scopes"] = append([]any{}, avail...)
			o["balance"] = partnerNewBalance
			o["daily_spending_limit"] = partnerNewDailySpendingLimit
			o["spending_limit"] = partnerNewSpendingLimit
			o["daily_spent_amount"] = "0"
			o["date_created"] = formatTS(c.now)
			o["display_id"] = s.newDisplayID()
			o["status"] = "active"
			return o
		},
		beforeWrite: s.partnerBeforeWrite,
		afterCreate: func(c *call, rec *record, body map[string]any) {
			rec.owner = rec.sid // a partner owns itself, as the seeded ones do
			rec.secret, _ = body["password"].(string)
			s.byLogin[rec.obj["login"].(string)] = rec
		},
		beforeDelete: s.partnerBeforeDelete,
		afterDelete:  s.partnerAfterDelete,
	}
}

// newDisplayID draws an unused "CX" + 8 digits. Callers hold the write lock.
func (s *Sandbox) newDisplayID() string {
	for {
		id := "CX" + itoa(10000000+s.rng.IntN(89999999))
		taken := false
		for _, p := range s.partners.recs {
			if p.obj["display_id"] == id {
				taken = true
				break
			}
		}
		if !taken {
			return id
		}
	}
}

func (s *Sandbox) partnerBeforeWrite(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
	errs := passwordCheck(body)
	self := rec != nil && rec.sid == c.partner.sid
	base := object{"acls": []any{}, "parent_assigned_acls": []any{}}
	if rec != nil {
		base = rec.obj
	}
	if mode == modeCreate {
		for _, k := range partnerRequired {
			if _, ok := body[k]; !ok {
				errs = append(errs, item(k, k+" is required"))
			}
		}
		if login, _ := next["login"].(string); login != "" && s.loginInUse(login) {
			// Not confirmed: the status of a taken login (422 here).
			errs = append(errs, item("login", "login is already in use"))
		}
		// The create sample sends "parent_sid": "": the new partner is the
		// caller's sub-partner. Placing it under another partner is not
		// confirmed and refused.
		if p := next["parent_sid"]; p != nil && p != c.partner.sid {
			errs = append(errs, item("parent_sid", "parent_sid must be empty or the creating partner's SID"))
		}
		next["parent_sid"] = c.partner.sid
	}
	if _, sent := body["acls"]; sent && !self && !sameJSON(next["acls"], base["acls"]) {
		errs = append(errs, item("acls", "acls are set by the partner itself, not by its parent"))
	}
	if _, sent := body["parent_assigned_acls"]; sent && self && !sameJSON(next["parent_assigned_acls"], base["parent_assigned_acls"]) {
		errs = append(errs, item("parent_assigned_acls", "parent_assigned_acls are set by the parent partner"))
	}
	if mode == modePut && self {
		// PUT resets omitted attributes; the parent's ACLs are not the
		// partner's to reset.
		next["parent_assigned_acls"] = base["parent_assigned_acls"]
	}
	if mode == modePut && !self && rec != nil {
		next["acls"] = base["acls"]
	}
	if st, _ := next["state"].(string); st != "" && next["country_code"] == "USA" && !didxUSState(st) {
		errs = append(errs, item("state", "state must be a two-letter US state code"))
	}
	if next["payment_type"] == "postpay" {
		next["charge_at"], next["prepay_amount"] = nil, nil
	}
	return errs
}

// Deleting a partner that still has live objects — sub-partners, rented
// numbers, trunk groups, endpoints other than its System Gateway, or any
// object of the other resources (DID groups, rules, domains, ...) — is
// refused with a 409 naming one of them. CarrierX's answer is not
// confirmed; refusing never leaves objects without an owner. Records that
// are history or belong to the account itself (sent messages, sub-logins,
// the billing method, tokens) do not hold a delete back; tokens,
// sub-logins and the billing method go with the partner. A partner cannot
// delete itself (403).
var partnerDeleteIgnores = map[string]bool{loginsTable: true, smsTable: true, billingMethodsTable: true,
	rateAssignmentsTable: true, routingLocationsTable: true, classificationsTable: true,
	didMessagingTable: true, didEmergencyTable: true, didLineInfoTable: true}

// partnerOwnTables are removed with the partner.
var partnerOwnTables = []string{loginsTable, billingMethodsTable, endpointsTable,
	didMessagingTable, didEmergencyTable, didLineInfoTable}

func (s *Sandbox) partnerBeforeDelete(c *call, rec *record) *apiError {
	if rec.sid == c.partner.sid {
		return newErr(http.StatusForbidden, "forbidden", item("partner_sid", "a partner cannot delete itself"))
	}
	conflict := func(what, ref string) *apiError {
		return errConflict("partner_sid", "the partner still has "+what, ref)
	}
	if kids := s.partnerChildren(rec.sid); len(kids) > 0 {
		return conflict(itoa(len(kids))+" sub-partner(s)", kids[0].sid)
	}
	n, ref := 0, ""
	for _, d := range s.dids.recs {
		if d.owner == rec.sid && d.status == "assigned" {
			if ref == "" {
				ref = d.sid
			}
			n++
		}
	}
	if n > 0 {
		return conflict(itoa(n)+" rented phone number(s)", ref)
	}
	for _, g := range s.trunkGroups.recs {
		if g.owner == rec.sid {
			return conflict("trunk groups", g.sid)
		}
	}
	for _, name := range extraTables {
		t := s.tables[name]
		if partnerDeleteIgnores[name] || t == nil {
			continue
		}
		for _, r := range t.recs {
			if r.owner != rec.sid || (name == endpointsTable && r.obj["type"] == "system_gateway") {
				continue
			}
			return conflict("objects ("+strings.ReplaceAll(name, "_", " ")+")", r.sid)
		}
	}
	return nil
}

func (s *Sandbox) partnerAfterDelete(c *call, rec *record) {
	for login, r := range s.byLogin {
		if r == rec || r.sid == rec.sid {
			delete(s.byLogin, login)
		}
	}
	for _, tok := range append([]*record(nil), s.tokens.recs...) {
		if tok.owner == rec.sid {
			if a, ok := tok.obj["access_token"].(string); ok {
				delete(s.tokenByAccess, a)
			}
			s.tokens.remove(tok.sid)
		}
	}
	for _, name := range partnerOwnTables {
		t := s.table(name)
		for _, r := range append([]*record(nil), t.recs...) {
			if r.owner == rec.sid {
				t.remove(r.sid)
			}
		}
	}
}

// partnerUpdate serves PATCH/PUT /partners/{partner_sid}: the generic update,
// then the new password (when given) once the update is accepted. A PUT
// without password keeps the current one (answers never show it).
func (s *Sandbox) partnerUpdate(v *view, put bool) handlerFunc {
	inner := v.update(put)
	return func(c *call) (int, any, *apiError) {
		body := peekJSON(c)
		status, out, aerr := inner(c)
		if aerr != nil {
			return 0, nil, aerr
		}
		if pw, ok := body["password"].(string); ok {
			if rec := v.table.get(c.param("partner_sid")); rec != nil {
				rec.secret = pw
			}
		}
		return status, out, nil
	}
}

// ---------------------------------------------------------------------------
// Sub-partner tokens

// subPartnerToken serves POST /oauth/token/{partner_sid} (§1.3): a token
// that authenticates as the sub-partner, requested by its parent (or an
// ancestor). The body is form-encoded like /oauth/token's: client_id,
// client_secret (ignored), and optionally name, access_token_expires_in
// (seconds) and scopes (among the sub-partner's available_scopes). The
// caller's own SID is a 403 (it is not a sub-partner of itself); a partner
// outside the caller's sub-tree is a 404.
//
// Not confirmed: grant_type (not in the sample) is accepted when it is
// "password"; username/password are refused (the caller's credentials
// already identify it).
func (s *Sandbox) subPartnerToken(c *call) (int, any, *apiError) {
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
	target := s.partners.get(c.param("partner_sid"))
	switch {
	case target == nil || !s.partnerUnder(c.partner.sid, target):
		return 0, nil, errNoItem()
	case target.sid == c.partner.sid:
		return 0, nil, newErr(http.StatusForbidden, "forbidden",
			item("partner_sid", "partner_sid must name a sub-partner; use /oauth/token for the partner itself"))
	}
	if gt := f.Get("grant_type"); f.Has("grant_type") && gt != "password" {
		return 0, nil, errBadRequest("grant_type", "grant_type must be password")
	}
	for _, k := range []string{"username", "password"} {
		if f.Has(k) {
			return 0, nil, errBadRequest(k, k+" is not accepted for a sub-partner token")
		}
	}
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
	avail, _ := target.obj["available_scopes"].([]any)
	scopes := append([]any{}, avail...)
	if raw := strings.Join(f["scopes"], " "); strings.TrimSpace(raw) != "" {
		scopes = scopesValue(strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == ',' }))
		for _, sc := range scopes {
			if !containsAny(avail, sc) {
				errs = append(errs, item("scopes", "scope "+strconv.Quote(sc.(string))+" is not available to the sub-partner"))
				break
			}
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
		"partner_sid": target.sid, "refresh_token": refresh, "scopes": scopes,
		"token_sid": sid, "token_type": "bearer",
	}
	rec := &record{sid: sid, owner: target.sid, obj: obj}
	s.tokens.insert(rec)
	s.tokenByAccess[access] = rec
	return http.StatusOK, obj, nil
}

// ---------------------------------------------------------------------------
// Billing method

const billingMethodsTable = "partner_billing_methods"

// billingTypes are the documented billing method types; the card types
// need cc_* attributes, electronic_check ec_*, check and wire an address.
var (
	billingCardTypes  = []string{"american_express", "diners_club", "discover_card", "international_maestro", "jcb", "master_card", "visa"}
	billingOtherTypes = []string{"check", "electronic_check", "wire"}
	billingTypes      = append(append([]string{}, billingCardTypes...), billingOtherTypes...)
)

// billingMethodSchema is the Billing Method object. cc_cid is write-only
// (never answered); cc_number is answered as its last four digits, as the
// docs say. Not confirmed, and chosen conservatively: ec_account_number is
// answered as its last four digits too; cc_number must pass the Luhn check
// (12 to 19 digits); cc_expiration is mmyyyy (an expired date is accepted,
// as in the docs' sample); cc_cid is 3 or 4 digits; ec_routing_number is 9
// digits; state is a US state code when country_code is USA.
var billingMethodSchema = newSchema("billing_method", "partner_sid",
	optStr("address1"),
	optStr("address2"),
	fld("cc_cid", kindString, external()),
	fld("cc_expiration", kindString, null(), check(billingExpirationCheck)),
	fld("cc_number", kindString, null(), check(billingCardCheck)),
	optStr("city"),
	fld("country_code", kindString, null(), check(partnerCountryCheck)),
	fld("ec_account_number", kindString, null(), check(billingDigitsCheck(4, 17))),
	fld("ec_routing_number", kindString, null(), check(billingDigitsCheck(9, 9))),
	optStr("first_name"),
	optStr("last_name"),
	fld("phone", kindString, null(), check(partnerPhoneCheck)),
	optStr("state"),
	fld("type", kindString, null(), enum(billingTypes...)),
	optStr("zip"),
)

var billingExpirationRe = regexp.MustCompile(`^(0[1-9]|1[0-2])[0-9]{4}$`)

func billingExpirationCheck(c *call, v any) string {
	if !billingExpirationRe.MatchString(v.(string)) {
		return "cc_expiration must be a month and year as mmyyyy"
	}
	return ""
}

func billingDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func billingDigitsCheck(lo, hi int) func(c *call, v any) string {
	return func(c *call, v any) string {
		if !billingDigits(v.(string), lo, hi) {
			if lo == hi {
				return "must hold " + itoa(lo) + " digits"
			}
			return "must hold " + itoa(lo) + " to " + itoa(hi) + " digits"
		}
		return ""
	}
}

func billingCardCheck(c *call, v any) string {
	n := v.(string)
	if !billingDigits(n, 12, 19) {
		return "cc_number must hold 12 to 19 digits"
	}
	sum, double := 0, false
	for i := len(n) - 1; i >= 0; i-- {
		d := int(n[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	if sum%10 != 0 {
		return "cc_number is not a valid card number"
	}
	return ""
}

// lastFour masks a number to its last four digits.
func lastFour(v any) any {
	s, ok := v.(string)
	if !ok || len(s) <= 4 {
		return v
	}
	return s[len(s)-4:]
}

// registerBillingMethod serves POST /partners/{partner_sid}/billing_method:
// 200 and the stored method. A partner has one billing method: registering
// another replaces it (there is no update method; not confirmed).
func (s *Sandbox) registerBillingMethod(c *call) (int, any, *apiError) {
	p, err := s.scopedPartner(c)
	if err != nil {
		return 0, nil, err
	}
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	next, errs := applyBody(c, billingMethodSchema, billingMethodSchema.defaults(), body, modeCreate, "")
	cid, hasCID := body["cc_cid"]
	typ, _ := next["type"].(string)
	required := []string{"country_code", "first_name", "last_name", "phone", "type", "zip"}
	switch {
	case contains(billingCardTypes, typ):
		required = append(required, "cc_cid", "cc_expiration", "cc_number")
		for _, k := range []string{"ec_account_number", "ec_routing_number"} {
			if next[k] != nil {
				errs = append(errs, item(k, k+" is not accepted for a card"))
			}
		}
	case typ == "electronic_check":
		required = append(required, "address1", "city", "ec_account_number", "ec_routing_number")
	case typ != "":
		required = append(required, "address1", "city")
	}
	if typ != "" && !contains(billingCardTypes, typ) {
		for _, k := range []string{"cc_cid", "cc_expiration", "cc_number"} {
			if _, sent := body[k]; sent && body[k] != nil {
				errs = append(errs, item(k, k+" is accepted for cards only"))
			}
		}
	}
	bad := map[string]bool{}
	for _, e := range errs {
		if e.Field != nil {
			bad[*e.Field] = true
		}
	}
	for _, k := range required {
		v, sent := body[k]
		if k != "cc_cid" {
			v = next[k]
		}
		if str, _ := v.(string); !bad[k] && (!sent || v == nil || str == "") {
			errs = append(errs, item(k, k+" is required"))
		}
	}
	if hasCID && cid != nil {
		if str, ok := cid.(string); !ok || !billingDigits(str, 3, 4) {
			errs = append(errs, item("cc_cid", "cc_cid must hold 3 or 4 digits"))
		}
	}
	if st, _ := next["state"].(string); st != "" && next["country_code"] == "USA" && !didxUSState(st) {
		errs = append(errs, item("state", "state must be a two-letter US state code"))
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	next["cc_number"] = lastFour(next["cc_number"])
	next["ec_account_number"] = lastFour(next["ec_account_number"])
	t := s.table(billingMethodsTable)
	t.remove(p.sid)
	rec := &record{sid: p.sid, owner: p.sid, obj: next}
	t.insert(rec)
	return http.StatusOK, next, nil
}

// getBillingMethod serves GET /partners/{partner_sid}/billing_method; a
// partner without one is a 404 (not confirmed).
func (s *Sandbox) getBillingMethod(c *call) (int, any, *apiError) {
	p, err := s.scopedPartner(c)
	if err != nil {
		return 0, nil, err
	}
	sel, err := parseFieldSel(c.q, billingMethodSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	rec := s.table(billingMethodsTable).get(p.sid)
	if rec == nil {
		return 0, nil, errNoItem()
	}
	return http.StatusOK, sel.apply(rec.obj), nil
}

// deleteBillingMethod serves DELETE /partners/{partner_sid}/billing_method:
// 204, or 404 when none is registered.
func (s *Sandbox) deleteBillingMethod(c *call) (int, any, *apiError) {
	p, err := s.scopedPartner(c)
	if err != nil {
		return 0, nil, err
	}
	t := s.table(billingMethodsTable)
	if t.get(p.sid) == nil {
		return 0, nil, errNoItem()
	}
	t.remove(p.sid)
	return http.StatusNoContent, nil, nil
}

// ---------------------------------------------------------------------------
// Effective rates

const rateAssignmentsTable = "partner_rate_assignments"

// effectiveRateSchema names the Effective Rate object's attributes, for
// field filtering.
var effectiveRateSchema = newSchema("effective_rate", "assignment",
	fld("assignment", kindObject, ro()),
	fld("inherited", kindBool, ro()),
	fld("plan", kindObject, ro()),
)

// partnerRatePlans are the rate plans assigned to every seeded partner: one
// per rate table the sandbox prices its records with (records.go:
// callRates for inbound and outbound PSTN calls, messageRates for SMS and
// MMS by direction; the DID classes for number rentals). The Effective Rate
// object has no prices, only the assignment and the plan. Plan names follow
// the samples ("voice_inbound_rates-2023-10-15", "did_retail-2017-08-03.txt")
// with the assignment's date. The plan type of a PSTN inbound plan is
// "phonenumber", as in the sample; the others are not confirmed.
var partnerRatePlans = []struct{ typ, dir, subType, name, planType string }{
	{"pstn", "inbound", "", "voice_inbound_rates", "phonenumber"},
	{"pstn", "outbound", "", "voice_outbound_rates", "calls"},
	{"sms", "inbound", "toll", "sms_inbound_rates", "sms"},
	{"sms", "outbound", "toll", "sms_outbound_rates", "sms"},
	{"mms", "inbound", "toll", "mms_inbound_rates", "sms"},
	{"mms", "outbound", "toll", "mms_outbound_rates", "sms"},
	{"phonenumber", "undirected", "", "did_retail", "phonenumber"},
}

// partnerSeedSID is a UUID (version 5 layout) made from the seed and key,
// so seeding draws nothing from the shared generator.
func partnerSeedSID(seed int64, key string) string {
	b := sha1.Sum([]byte("partners/" + strconv.FormatInt(seed, 10) + "/" + key))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// seedPartnerRates assigns the rate plans to every seeded partner, effective
// from the day the partner was created.
func (s *Sandbox) seedPartnerRates() {
	t := s.table(rateAssignmentsTable)
	for _, p := range s.partners.recs {
		created, _ := parseTS(p.obj["date_created"].(string))
		day := created.Truncate(24 * time.Hour)
		for _, rp := range partnerRatePlans {
			key := p.sid + "/" + rp.typ + "/" + rp.dir
			name := rp.name + "-" + day.Format("2006-01-02")
			if rp.planType == "phonenumber" && rp.typ == "phonenumber" {
				name += ".txt"
			}
			planSID := partnerSeedSID(s.cfg.Seed, "plan/"+key)
			var subType any
			if rp.subType != "" {
				subType = rp.subType
			}
			asg := object{"active": "yes", "assignment_sid": partnerSeedSID(s.cfg.Seed, "assignment/"+key),
				"direction": rp.dir, "effective_date": formatTS(day), "endpoint_sid": nil, "partner_sid": p.sid,
				"plan_name": name, "plan_sid": planSID, "sub_type": subType, "type": rp.typ}
			plan := object{"date_created": formatTS(day), "name": name, "owner_sid": p.sid,
				"plan_sid": planSID, "type": rp.planType}
			sid := asg["assignment_sid"].(string)
			t.insert(&record{sid: sid, owner: p.sid, obj: object{"assignment": asg, "plan": plan}})
		}
	}
}

// effectiveRates serves GET /partners/{partner_sid}/effective_rates: a JSON
// array of Effective Rate objects ({assignment, plan, inherited}). The docs
// call the answer "a list" and show one bare object; an array is served
// (not an envelope: the method is documented for field filtering only). A
// sub-partner without plans of its own inherits its nearest ancestor's
// (inherited true).
func (s *Sandbox) effectiveRates(c *call) (int, any, *apiError) {
	p, err := s.scopedPartner(c)
	if err != nil {
		return 0, nil, err
	}
	sel, err := parseFieldSel(c.q, effectiveRateSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	t := s.table(rateAssignmentsTable)
	out := []any{}
	inherited := false
	for cur, i := p, 0; cur != nil && i < partnerMaxDepth && len(out) == 0; i++ {
		for _, r := range t.recs {
			if r.owner == cur.sid {
				o := cloneObject(r.obj)
				o["inherited"] = inherited
				out = append(out, sel.apply(o))
			}
		}
		inherited = true
		cur = s.partners.get(parentOf(cur))
	}
	return http.StatusOK, out, nil
}
