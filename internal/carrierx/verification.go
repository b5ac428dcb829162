package carrierx

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// VerificationSMSRequest holds the arguments of POST /verification/sms
// (sent as query arguments, as documented). From and To are required; From
// must be a number the partner rents that can send SMS. Zero values are not
// sent (CarrierX's defaults apply).
type VerificationSMSRequest struct {
	From           string
	To             string
	Message        string // shown before the code; default "Your verification code is"
	CodeLength     int
	CodeType       string // one of the VerificationCode* constants; default numeric
	DIDGroupSID    string
	AllowShortCode *bool // default true
}

// Code types of a verification SMS.
const (
	VerificationCodeAlphabetical      = "alphabetical"
	VerificationCodeAlphabeticalLower = "alphabetical_lower"
	VerificationCodeAlphabeticalUpper = "alphabetical_upper"
	VerificationCodeAlphanumeric      = "alphanumeric"
	VerificationCodeAlphanumericLower = "alphanumeric_lower"
	VerificationCodeAlphanumericUpper = "alphanumeric_upper"
	VerificationCodeNumeric           = "numeric"
)

// VerificationSMS is CarrierX's answer to a verification SMS: the code sent,
// and the SMS message that carries it (see GetMessage).
type VerificationSMS struct {
	Code       string `json:"code"`
	MessageSID string `json:"message_sid"`
}

// VerificationEmailRequest is the body of POST /verification/email.
// ToAddress or PartnerSID is required; with PartnerSID the email goes to that
// partner's owner_email. Empty fields are not sent (CarrierX's defaults
// apply: its own base URL, the email_address_verification template).
type VerificationEmailRequest struct {
	BaseURL          string `json:"base_url,omitempty"` // the token is appended as ?token=<token>
	EmailTemplateSID string `json:"email_template_sid,omitempty"`
	PartnerSID       string `json:"partner_sid,omitempty"`
	ToAddress        string `json:"to_address,omitempty"`
}

// VerificationEmail is a verification email and where it stands. The token
// itself is never answered: it reaches the recipient in the email's link.
type VerificationEmail struct {
	BaseURL          string  `json:"base_url"`
	EmailTemplateSID string  `json:"email_template_sid"`
	PartnerSID       *string `json:"partner_sid"`
	Status           string  `json:"status"` // created, sent_email, verified
	ToAddress        string  `json:"to_address"`
}

// EmailTemplate is one of CarrierX's email templates (read-only). Its bodies
// hold placeholders such as ${base_url} and ${uuid} (the token).
type EmailTemplate struct {
	BCCAddresses *string `json:"bcc_addresses"`
	CCAddresses  *string `json:"cc_addresses"`
	FromAddress  *string `json:"from_address"`
	HTMLBody     *string `json:"html_body"`
	Name         string  `json:"name"`
	Subject      string  `json:"subject"`
	TemplateSID  string  `json:"template_sid"`
	TextBody     *string `json:"text_body"`
	ToAddresses  *string `json:"to_addresses"`
	Type         string  `json:"type"` // e.g. email_address_verification, invoice
}

const (
	verificationSMSPath       = "/verification/sms"
	verificationEmailPath     = "/verification/email"
	verificationTokensPath    = "/verification/email/tokens"
	verificationTemplatesPath = "/verification/email/templates"
)

// SendVerificationSMS sends a text with a generated code
// (POST /verification/sms) and returns the code and the message's SID.
func (c *Client) SendVerificationSMS(ctx context.Context, r VerificationSMSRequest) (*VerificationSMS, error) {
	if r.From == "" {
		return nil, errEmpty("from")
	}
	if r.To == "" {
		return nil, errEmpty("to")
	}
	q := url.Values{"from": {r.From}, "to": {r.To}}
	if r.Message != "" {
		q.Set("message", r.Message)
	}
	if r.CodeLength != 0 {
		q.Set("code_length", strconv.Itoa(r.CodeLength))
	}
	if r.CodeType != "" {
		q.Set("code_type", r.CodeType)
	}
	if r.DIDGroupSID != "" {
		q.Set("did_group_sid", r.DIDGroupSID)
	}
	if r.AllowShortCode != nil {
		q.Set("allow_short_code", strconv.FormatBool(*r.AllowShortCode))
	}
	return send[VerificationSMS](ctx, c, core, http.MethodPost, verificationSMSPath, q, nil)
}

// SendVerificationEmail sends an email with a one-time verification link
// (POST /verification/email).
func (c *Client) SendVerificationEmail(ctx context.Context, r VerificationEmailRequest) (*VerificationEmail, error) {
	return send[VerificationEmail](ctx, c, core, http.MethodPost, verificationEmailPath, nil, r)
}

// VerifyEmailToken checks the token of a verification email
// (GET /verification/email/tokens/{token}). A token verifies once; the
// sandbox answers a used, expired or unknown token with a 404 (CarrierX's
// answer to a second use is not confirmed).
func (c *Client) VerifyEmailToken(ctx context.Context, token string) (*VerificationEmail, error) {
	if err := requireSID("token", token); err != nil {
		return nil, err
	}
	// Not retried: the first attempt may have used the token up.
	req := core.get(verificationTokensPath+"/"+pathEscape(token), nil)
	req.noRetry = true
	var out VerificationEmail
	if err := c.do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListEmailTemplates returns one page of email templates.
func (c *Client) ListEmailTemplates(ctx context.Context, opts ListOptions) (*Page[EmailTemplate], error) {
	return listPage[EmailTemplate](ctx, c, core, verificationTemplatesPath, opts)
}

// AllEmailTemplates iterates over every email template matching opts.
func (c *Client) AllEmailTemplates(ctx context.Context, opts ListOptions) iter.Seq2[EmailTemplate, error] {
	return allItems[EmailTemplate](ctx, c, core, verificationTemplatesPath, opts)
}

// GetEmailTemplate returns one email template.
func (c *Client) GetEmailTemplate(ctx context.Context, sid string) (*EmailTemplate, error) {
	if err := requireSID("template_sid", sid); err != nil {
		return nil, err
	}
	return getOne[EmailTemplate](ctx, c, core, verificationTemplatesPath+"/"+pathEscape(sid), nil)
}
