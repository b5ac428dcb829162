package sandbox

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Verification (Core v2 /verification): a text message carrying a generated
// code, sent from a number the partner rents; an email carrying a link with
// a one-time token, built from an email template; and the check of such a
// token. Email templates are CarrierX's, read-only and the same for every
// partner. The objects, query arguments and answers follow CarrierX's
// Verification Email, Email Template and Send Verification SMS pages.
//
// The sandbox sends no email: SentVerificationEmails shows what would have
// been sent, the token included (CarrierX never answers it).

func init() {
	extraTables = append(extraTables, emailTemplatesTable, verificationEmailsTable)
	seeders = append(seeders, (*Sandbox).seedEmailTemplates)
	routeAdders = append(routeAdders, (*Sandbox).verificationRoutes)
}

const (
	emailTemplatesTable     = "verification_email_templates"
	verificationEmailsTable = "verification_emails"
)

// emailTemplateSchema is the Email Template object; every attribute is
// read-only.
var emailTemplateSchema = newSchema("email_template", "template_sid",
	roStr("bcc_addresses"),
	roStr("cc_addresses"),
	roStr("from_address"),
	roStr("html_body"),
	roStr("name"),
	roStr("subject"),
	sidField("template_sid"),
	roStr("text_body"),
	roStr("to_addresses"),
	fld("type", kindString, ro()),
)

// emailTemplateSeed is one seeded template. The first two are the samples of
// CarrierX's docs (their SIDs included); the others stand for the remaining
// documented types, with the sandbox's own wording.
var emailTemplateSeed = []struct{ sid, typ, name, subject, text string }{
	{"465eb46b-05a7-4251-b89c-e99f2b81509b", "forgot_partner_password", "Forgot Partner Password template",
		"CarrierX Password Reset",
		"To complete your password reset, please click the link below:\n${base_url}?token=${uuid}\n\n" +
			"You are receiving this email because someone has initiated a password reset on\nyour account.\n"},
	{"3e9e8c56-e1ee-4dcf-9e2b-abbd101139ba", "email_address_verification", "Email Verification template",
		"CarrierX Email Verification",
		"Hello!\n \nPlease confirm your email address by pasting this link into your browser:\n${base_url}?token=${uuid}\n \n" +
			"You are receiving this email because you requested account access to\nhttp://www.carrierx.com/\n"},
	{"", "email_partner_review", "Partner Review template", "CarrierX Partner Review",
		"A new partner account is waiting for review.\n"},
	{"", "invoice", "Invoice template", "CarrierX Invoice", "Your CarrierX invoice is attached.\n"},
	{"", "low_balance_partner_notification", "Low Balance Notification template", "CarrierX Low Balance",
		"The balance of your CarrierX account is low.\n"},
	{"", "new_partner_welcome", "New Partner Welcome template", "Welcome to CarrierX",
		"Welcome to CarrierX! Your account is ready.\n"},
	{"", "suspended_partner_notification", "Suspended Partner Notification template", "CarrierX Account Suspended",
		"Your CarrierX account has been suspended.\n"},
}

// defaultVerificationTemplate is the template used when a verification
// email names none: the email_address_verification one.
const defaultVerificationTemplate = "3e9e8c56-e1ee-4dcf-9e2b-abbd101139ba"

// seedEmailTemplates stores the templates. SIDs not taken from the docs
// derive from the seed and the type, so they do not draw from the shared
// generator.
func (s *Sandbox) seedEmailTemplates() {
	t := s.table(emailTemplatesTable)
	for _, e := range emailTemplateSeed {
		sid := e.sid
		if sid == "" {
			b := sha1.Sum([]byte("email_template/" + strconv.FormatInt(s.cfg.Seed, 10) + "/" + e.typ))
			b[6] = b[6]&0x0f | 0x50
			b[8] = b[8]&0x3f | 0x80
			sid = fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		}
		t.insert(&record{sid: sid, obj: object{
			"bcc_addresses": nil, "cc_addresses": nil, "from_address": "noreply@carrierx.com", "html_body": "",
			"name": e.name, "subject": e.subject, "template_sid": sid, "text_body": e.text,
			"to_addresses": nil, "type": e.typ,
		}})
	}
}

func (s *Sandbox) emailTemplateView() *view {
	return &view{schema: emailTemplateSchema, table: s.table(emailTemplatesTable), param: "template_sid",
		defaultLimit: 1000, // the Get Email Templates sample answers limit 1000
		visible:      func(c *call, r *record) bool { return true },
	}
}

// verificationEmailSchema is the Verification Email object and the body of
// POST /verification/email. to_address or partner_sid is required.
//
// Not confirmed, and chosen conservatively:
//   - base_url must be an http(s) URL; its default is the one of the docs'
//     sample;
//   - email_template_sid must name a template of type
//     email_address_verification (the other types are not verification
//     emails);
//   - partner_sid must be the caller or one of its sub-partners; when given,
//     the email goes to that partner's owner_email (as documented), which
//     the answer then shows as to_address, whatever to_address said.
var verificationEmailSchema = newSchema("verification_email", "",
	fld("base_url", kindString, def(verificationBaseURL), maxLen(2048), urlCheck()),
	fld("email_template_sid", kindString, def(defaultVerificationTemplate), check(verificationTemplateRef)),
	fld("partner_sid", kindString, null(), emptyNull(), check(verificationPartnerRef)),
	fld("status", kindString, ro()),
	fld("to_address", kindString, null(), emptyNull(), maxLen(254), check(verificationAddressCheck)),
)

const verificationBaseURL = "https://www.carrierx.com/confirmed"

// verificationTokenTTL is how long an emailed token can be used. CarrierX's
// lifetime is not confirmed.
const verificationTokenTTL = 24 * time.Hour

func verificationTemplateRef(c *call, v any) string {
	t := c.s.table(emailTemplatesTable).get(v.(string))
	if t == nil {
		return "cannot find email template by sid"
	}
	if t.obj["type"] != "email_address_verification" {
		return "the email template is not of type email_address_verification"
	}
	return ""
}

// verificationPartner returns the partner a verification email may be sent
// to on the caller's behalf: the caller itself or a sub-partner.
func verificationPartner(c *call, sid string) *record {
	p := c.s.partners.get(sid)
	if p == nil || (p.sid != c.partner.sid && parentOf(p) != c.partner.sid) {
		return nil
	}
	return p
}

func verificationPartnerRef(c *call, v any) string {
	if verificationPartner(c, v.(string)) == nil {
		return "cannot find partner by sid"
	}
	return ""
}

func verificationAddressCheck(c *call, v any) string {
	s := v.(string)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "to_address must be an email address"
	}
	return ""
}

// verificationToken is one emailed token. The token is checked with a GET,
// which runs under the sandbox's read lock, so its state is guarded by its
// own lock rather than by replacing the record.
type verificationToken struct {
	token, to, templateSID, baseURL, subject, text string
	partnerSID                                     any // the body's partner_sid (null or a SID)
	sentAt                                         time.Time

	mu         sync.Mutex
	verifiedAt time.Time
}

// object is the Verification Email object of the token; callers hold t.mu
// or own t alone.
func (t *verificationToken) object() object {
	status := "sent_email"
	if !t.verifiedAt.IsZero() {
		status = "verified"
	}
	return object{"base_url": t.baseURL, "email_template_sid": t.templateSID, "partner_sid": t.partnerSID,
		"status": status, "to_address": t.to}
}

func verificationTokenOf(r *record) *verificationToken { return r.obj["token"].(*verificationToken) }

// VerificationEmail is one email sent by POST /verification/email, as the
// sandbox recorded it.
type VerificationEmail struct {
	PartnerSID  string // the partner that sent it
	To          string
	Token       string
	TemplateSID string
	Subject     string
	Text        string // the template's text body with the link filled in
	Link        string // base_url?token=<token>
	SentAt      time.Time
	VerifiedAt  time.Time // zero until the token is checked
}

// SentVerificationEmails returns the verification emails partnerSID has
// sent, oldest first ("" for every partner's).
func (s *Sandbox) SentVerificationEmails(partnerSID string) []VerificationEmail {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []VerificationEmail
	for _, r := range s.table(verificationEmailsTable).recs {
		if partnerSID != "" && r.owner != partnerSID {
			continue
		}
		t := verificationTokenOf(r)
		t.mu.Lock()
		verified := t.verifiedAt
		t.mu.Unlock()
		out = append(out, VerificationEmail{PartnerSID: r.owner, To: t.to, Token: t.token, TemplateSID: t.templateSID,
			Subject: t.subject, Text: t.text, Link: verificationLink(t.baseURL, t.token), SentAt: t.sentAt,
			VerifiedAt: verified})
	}
	return out
}

func verificationLink(base, token string) string { return base + "?token=" + token }

// verificationSendEmail serves POST /verification/email: 200 and the
// Verification Email object, status "sent_email". The token is not in the
// answer: it travels in the email only.
func (s *Sandbox) verificationSendEmail(c *call) (int, any, *apiError) {
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	next, errs := applyBody(c, verificationEmailSchema, verificationEmailSchema.defaults(), body, modeCreate, "")
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	to, _ := next["to_address"].(string)
	if sid, ok := next["partner_sid"].(string); ok {
		owner, _ := verificationPartner(c, sid).obj["owner_email"].(string)
		if owner == "" {
			return 0, nil, errValidation(item("partner_sid", "the partner has no owner_email"))
		}
		to = owner
	}
	if to == "" {
		return 0, nil, errValidation(item("to_address", "to_address or partner_sid is required"))
	}
	tpl := s.table(emailTemplatesTable).get(next["email_template_sid"].(string))
	t := &verificationToken{token: s.newSID(), to: to, templateSID: tpl.sid, baseURL: next["base_url"].(string),
		partnerSID: next["partner_sid"], sentAt: c.now}
	t.subject, _ = tpl.obj["subject"].(string)
	text, _ := tpl.obj["text_body"].(string)
	t.text = strings.NewReplacer("${base_url}", t.baseURL, "${uuid}", t.token).Replace(text)
	s.table(verificationEmailsTable).insert(&record{sid: t.token, owner: c.partner.sid, obj: object{"token": t}})
	return http.StatusOK, t.object(), nil
}

// verificationCheckToken serves GET /verification/email/tokens/{token}: 200
// and the Verification Email object, now "verified". A token verifies once.
//
// Not confirmed, and chosen conservatively: a token already used, expired
// (verificationTokenTTL after it was sent) or another partner's is a 404
// "no item error", each with its own message; 410 is not among CarrierX's
// documented status codes. The docs' sample answer shows "sent_email"; the
// sandbox answers "verified", the status the docs give a verified email.
func (s *Sandbox) verificationCheckToken(c *call) (int, any, *apiError) {
	r := s.table(verificationEmailsTable).get(c.param("token"))
	if r == nil || r.owner != c.partner.sid {
		return 0, nil, errNoItem()
	}
	t := verificationTokenOf(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case !t.verifiedAt.IsZero():
		return 0, nil, newErr(http.StatusNotFound, "no item error", item("token", "the verification token has already been used"))
	case !c.now.Before(t.sentAt.Add(verificationTokenTTL)):
		return 0, nil, newErr(http.StatusNotFound, "no item error", item("token", "the verification token has expired"))
	}
	t.verifiedAt = c.now
	return http.StatusOK, t.object(), nil
}

// Verification SMS code types (the code_type query argument).
var verificationCodeAlphabets = map[string]string{
	"alphabetical":       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"alphabetical_lower": "abcdefghijklmnopqrstuvwxyz",
	"alphabetical_upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"alphanumeric":       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
	"alphanumeric_lower": "abcdefghijklmnopqrstuvwxyz0123456789",
	"alphanumeric_upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
	"numeric":            "0123456789",
}

const (
	verificationDefaultMessage = "Your verification code is"
	// The default code length is not confirmed; the docs' sample code has 4
	// digits. The upper bound is the sandbox's.
	verificationDefaultCodeLen = 4
	verificationMaxCodeLen     = 32
)

// verificationSMSArgs are the arguments of POST /verification/sms and their
// kinds. They are documented as query arguments; a JSON body may carry them
// too (the query wins), since a POST needing no fields still sends {}.
var verificationSMSArgs = map[string]fieldKind{
	"allow_short_code": kindBool, "code_length": kindInt, "code_type": kindString, "did_group_sid": kindString,
	"from": kindString, "message": kindString, "to": kindString,
}

// verificationSMSInput gathers the arguments from the query and an optional
// JSON body, with the legacy names from_did and to_did for from and to.
func verificationSMSInput(c *call) (map[string]any, []errItem, *apiError) {
	in := map[string]any{}
	var errs []errItem
	if len(strings.TrimSpace(c.r.Header.Get("Content-Type"))) > 0 || c.r.ContentLength > 0 {
		body, err := decodeJSONBody(c)
		if err != nil {
			return nil, nil, err
		}
		for k, v := range body {
			in[k] = v
		}
	}
	for k, vs := range c.q {
		if len(vs) > 0 {
			in[k] = vs[len(vs)-1]
		}
	}
	in, es := smsAliases(in)
	errs = append(errs, es...)
	for k, v := range in {
		kind, ok := verificationSMSArgs[k]
		if !ok {
			errs = append(errs, item(k, k+" is not a known argument of a verification SMS"))
			continue
		}
		s, isStr := v.(string)
		switch kind {
		case kindBool:
			if isStr {
				b, err := parseBoolParam(k, s, true)
				if err != nil {
					errs = append(errs, item(k, k+" must be true or false"))
					continue
				}
				in[k] = b
			} else if _, ok := v.(bool); !ok {
				errs = append(errs, item(k, k+" must be true or false"))
			}
		case kindInt:
			if isStr {
				v = json.Number(strings.TrimSpace(s))
			}
			n, ok := intOf(v)
			if !ok {
				errs = append(errs, item(k, k+" must be an integer"))
				continue
			}
			in[k] = n
		default:
			if !isStr {
				errs = append(errs, item(k, k+" must be a string"))
			}
		}
	}
	return in, errs, nil
}

// verificationSendSMS serves POST /verification/sms: 200 and {"code": ...,
// "message_sid": ...}. The message is an ordinary outbound SMS (it is listed
// in /sms/messages, queued and then sent like any other) whose text is the
// message argument followed by the code.
//
// from must be a number the caller rents that can send SMS, as for POST
// /sms/messages (messaging enablement is not required there either).
// Not confirmed, and chosen conservatively: did_group_sid must name one of
// the caller's DID groups; allow_short_code is accepted, but no short code
// is ever used (from is required, and is what is sent from); code_length is
// 1 to 32; the message and the code are joined by one space.
func (s *Sandbox) verificationSendSMS(c *call) (int, any, *apiError) {
	in, errs, aerr := verificationSMSInput(c)
	if aerr != nil {
		return 0, nil, aerr
	}
	bad := map[string]bool{}
	for _, e := range errs {
		if e.Field != nil {
			bad[*e.Field] = true
		}
	}
	add := func(field, msg string) { errs = append(errs, item(field, msg)); bad[field] = true }
	for _, k := range []string{"from", "to"} {
		if v, _ := in[k].(string); v == "" && !bad[k] {
			add(k, k+" is required")
		} else if !bad[k] && !smsE164RE.MatchString(v) {
			add(k, k+" must be a phone number in E.164 format")
		}
	}
	from := smsPlainNumber(fmt.Sprint(in["from"]))
	if !bad["from"] {
		d := s.didByNumber[from]
		if d == nil || d.owner != c.partner.sid || d.status != "assigned" {
			add("from", "from must be a phone number rented by the partner")
		} else if caps, _ := intOf(d.obj["capabilities"]); caps&2 == 0 {
			add("from", "from cannot send SMS")
		}
	}
	codeLen := int64(verificationDefaultCodeLen)
	if n, ok := in["code_length"].(int64); ok {
		if n < 1 || n > verificationMaxCodeLen {
			add("code_length", fmt.Sprintf("code_length must be between 1 and %d", verificationMaxCodeLen))
		}
		codeLen = n
	}
	codeType := "numeric"
	if t, ok := in["code_type"].(string); ok && !bad["code_type"] {
		if verificationCodeAlphabets[t] == "" {
			add("code_type", "code_type must be one of: alphabetical, alphabetical_lower, alphabetical_upper, "+
				"alphanumeric, alphanumeric_lower, alphanumeric_upper, numeric")
		}
		codeType = t
	}
	if g, ok := in["did_group_sid"].(string); ok && !bad["did_group_sid"] {
		if grp := s.table(didGroupsTable).get(g); grp == nil || grp.owner != c.partner.sid {
			add("did_group_sid", "cannot find did group by sid")
		}
	}
	prefix := verificationDefaultMessage
	if m, ok := in["message"].(string); ok && strings.TrimSpace(m) != "" {
		prefix = m
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	alphabet := verificationCodeAlphabets[codeType]
	code := make([]byte, codeLen)
	for i := range code {
		code[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	text := strings.TrimRight(prefix, " \t") + " " + string(code)
	if n := len([]rune(text)); n > smsMaxChars {
		return 0, nil, errValidation(item("message", fmt.Sprintf("the message and the code must fit in %d characters", smsMaxChars)))
	}
	v := s.smsView()
	o := v.newObject(c)
	o["from"], o["to"], o["message"] = from, smsPlainNumber(fmt.Sprint(in["to"])), text
	o["message_segments"] = smsSegments(text)
	v.table.insert(&record{sid: o["message_sid"].(string), owner: c.partner.sid, obj: o})
	s.wake(c.now.Add(smsSentAfter))
	return http.StatusOK, object{"code": string(code), "message_sid": o["message_sid"]}, nil
}

func (s *Sandbox) verificationRoutes(rt *router) {
	tpl := s.emailTemplateView()
	rt.handle("POST", "/verification/sms", s.verificationSendSMS)
	rt.handle("POST", "/verification/email", s.verificationSendEmail)
	rt.handle("GET", "/verification/email/tokens/{token}", s.verificationCheckToken)
	rt.handle("GET", "/verification/email/templates", tpl.list(nil))
	rt.handle("GET", "/verification/email/templates/{template_sid}", tpl.get())
}
