package sandbox

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	verifyTemplatesURL = "/core/v2/verification/email/templates"
	verifyEmailURL     = "/core/v2/verification/email"
	verifyTokensURL    = "/core/v2/verification/email/tokens/"
	verifySMSURL       = "/core/v2/verification/sms"
)

func TestEmailTemplates(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	// The Get Email Templates sample: exclude_fields=html_body, limit 1000.
	list := e.mustJSON(200, e.get(demo, verifyTemplatesURL+"?exclude_fields=html_body"))
	its := items(t, list)
	if list["limit"] != float64(1000) || list["total"] != float64(7) || len(its) != 7 {
		t.Fatalf("envelope: %s", compactJSON(t, list))
	}
	want := "bcc_addresses,cc_addresses,from_address,name,subject,template_sid,text_body,to_addresses,type"
	if got := shortKeyList(its[0]); got != want {
		t.Errorf("keys %s, want %s", got, want)
	}
	types := map[string]bool{}
	for _, it := range its {
		types[it["type"].(string)] = true
	}
	for _, typ := range []string{"email_address_verification", "email_partner_review", "forgot_partner_password", "invoice",
		"low_balance_partner_notification", "new_partner_welcome", "suspended_partner_notification"} {
		if !types[typ] {
			t.Errorf("no %s template", typ)
		}
	}
	got := e.mustJSON(200, e.get(other, verifyTemplatesURL+"/3e9e8c56-e1ee-4dcf-9e2b-abbd101139ba"))
	if got["type"] != "email_address_verification" || !strings.Contains(got["text_body"].(string), "${base_url}?token=${uuid}") {
		t.Errorf("the verification template: %v", got)
	}
	if n := len(items(t, e.mustJSON(200, e.get(demo, verifyTemplatesURL+"?filter=type+eq+invoice")))); n != 1 {
		t.Errorf("filter by type: %d", n)
	}
	checkError(t, e.get(demo, verifyTemplatesURL+"/00000000-0000-4000-8000-000000000000"), 404, "no item error", nil)
	if r := e.sendJSON(demo, "POST", verifyTemplatesURL, `{}`); r.status != 405 {
		t.Errorf("templates are read-only: %d", r.status)
	}
}

func TestVerificationEmailTokenWorksOnce(t *testing.T) {
	e := newSMSClockEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	// The docs' sample send and its answer.
	got := e.mustJSON(200, e.sendJSON(demo, "POST", verifyEmailURL, `{"to_address": "jsmith@carrierx.com"}`))
	want := `{"base_url":"https://www.carrierx.com/confirmed","email_template_sid":"3e9e8c56-e1ee-4dcf-9e2b-abbd101139ba",` +
		`"partner_sid":null,"status":"sent_email","to_address":"jsmith@carrierx.com"}`
	if s := compactJSON(t, got); s != want {
		t.Fatalf("answer %s, want %s", s, want)
	}
	sent := e.s.SentVerificationEmails(e.s.DemoPartner().PartnerSID)
	if len(sent) != 1 || sent[0].To != "jsmith@carrierx.com" || sent[0].Link != "https://www.carrierx.com/confirmed?token="+sent[0].Token ||
		!strings.Contains(sent[0].Text, sent[0].Link) || sent[0].Subject == "" {
		t.Fatalf("sent: %+v", sent)
	}
	tok := sent[0].Token
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(tok) {
		t.Errorf("token %q", tok)
	}

	checkError(t, e.get(other, verifyTokensURL+tok), 404, "no item error", nil)
	v := e.mustJSON(200, e.get(demo, verifyTokensURL+tok))
	if v["status"] != "verified" || v["to_address"] != "jsmith@carrierx.com" {
		t.Errorf("verified: %v", v)
	}
	used := checkError(t, e.get(demo, verifyTokensURL+tok), 404, "no item error", "token")
	if !strings.Contains(compactJSON(t, used), "already been used") {
		t.Errorf("second use: %v", used)
	}
	if s := e.s.SentVerificationEmails(""); len(s) != 1 || !s[0].VerifiedAt.Equal(fixedNow()) {
		t.Errorf("verified at: %+v", s)
	}

	// A token expires a day after it was sent.
	e.mustJSON(200, e.sendJSON(demo, "POST", verifyEmailURL, `{"to_address":"ops@example.com","base_url":"https://example.com/confirm"}`))
	late := e.s.SentVerificationEmails("")[1]
	if late.Link != "https://example.com/confirm?token="+late.Token {
		t.Errorf("link %q", late.Link)
	}
	e.advance(24 * time.Hour)
	expired := checkError(t, e.get(demo, verifyTokensURL+late.Token), 404, "no item error", "token")
	if !strings.Contains(compactJSON(t, expired), "expired") {
		t.Errorf("expired: %v", expired)
	}
	checkError(t, e.get(demo, verifyTokensURL+"c0438d84-2bde-4342-861b-0815eb72c012"), 404, "no item error", nil)
}

func TestVerificationEmailErrors(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	me := e.s.DemoPartner().PartnerSID
	got := e.mustJSON(200, e.sendJSON(demo, "POST", verifyEmailURL, `{"partner_sid":"`+me+`"}`))
	e.s.mu.RLock()
	owner := e.s.partners.get(me).obj["owner_email"]
	e.s.mu.RUnlock()
	if got["to_address"] != owner || got["partner_sid"] != me {
		t.Errorf("to the partner's owner_email %v: %v", owner, got)
	}
	checkError(t, e.sendJSON(demo, "POST", verifyEmailURL, `{}`), 422, "object validation error", "to_address")
	checkError(t, e.sendJSON(demo, "POST", verifyEmailURL, `{"to_address":"John <j@example.com>"}`), 422, "object validation error", "to_address")
	checkError(t, e.sendJSON(demo, "POST", verifyEmailURL, `{"partner_sid":"`+e.s.OtherPartner().PartnerSID+`"}`),
		422, "object validation error", "partner_sid")
	checkError(t, e.sendJSON(demo, "POST", verifyEmailURL, `{"to_address":"a@example.com","email_template_sid":"465eb46b-05a7-4251-b89c-e99f2b81509b"}`),
		422, "object validation error", "email_template_sid")
	checkError(t, e.sendJSON(demo, "POST", verifyEmailURL, `{"to_address":"a@example.com","base_url":"ftp://example.com"}`),
		422, "object validation error", "base_url")
	checkError(t, e.sendJSON(demo, "POST", verifyEmailURL, `{"to_address":"a@example.com","status":"verified"}`),
		422, "object validation error", "status")
	checkError(t, e.do(demo, "POST", verifyEmailURL, "", `{"to_address":"a@example.com"}`), 415, "unsupported media type", nil)
	if n := len(e.s.SentVerificationEmails("")); n != 1 {
		t.Errorf("refused emails were sent: %d", n)
	}
}

func TestVerificationSMS(t *testing.T) {
	e := newSMSClockEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	from := smsNumber(t, e.testEnv, 31)
	// The docs' sample: query arguments only, no body.
	q := url.Values{"from": {from}, "to": {"18057224756"}, "message": {"Your verification code is "}}
	got := e.mustJSON(200, e.do(demo, "POST", verifySMSURL+"?"+q.Encode(), "", ""))
	if shortKeyList(got) != "code,message_sid" || !regexp.MustCompile(`^[0-9]{4}$`).MatchString(got["code"].(string)) {
		t.Fatalf("answer %v", got)
	}
	m := e.mustJSON(200, e.get(demo, "/core/v2/sms/messages/"+got["message_sid"].(string)))
	if m["message"] != "Your verification code is "+got["code"].(string) || m["direction"] != "outbound" ||
		m["from"] != from || m["to"] != "18057224756" || m["status"] != "queued" {
		t.Errorf("the message: %v", m)
	}
	e.advance(2 * time.Second)
	if m := e.mustJSON(200, e.get(demo, "/core/v2/sms/messages/"+got["message_sid"].(string))); m["status"] != "sent" {
		t.Errorf("the message is not sent: %v", m["status"])
	}

	// Arguments in a JSON body, with the legacy names.
	got = e.mustJSON(200, e.sendJSON(demo, "POST", verifySMSURL+"?code_type=alphabetical_upper",
		`{"from_did":"+`+from+`","to_did":"18057224756","code_length":"8"}`))
	if !regexp.MustCompile(`^[A-Z]{8}$`).MatchString(got["code"].(string)) {
		t.Errorf("code %v", got["code"])
	}
	m = e.mustJSON(200, e.get(demo, "/core/v2/sms/messages/"+got["message_sid"].(string)))
	if m["message"] != "Your verification code is "+got["code"].(string) {
		t.Errorf("default message: %v", m["message"])
	}

	voiceOnly := smsNumber(t, e.testEnv, 4)
	bad := func(query, body string, field string) {
		t.Helper()
		checkError(t, e.sendJSON(demo, "POST", verifySMSURL+"?"+query, body), 422, "object validation error", field)
	}
	bad("to=18057224756", `{}`, "from")
	bad("from="+from, `{}`, "to")
	bad("from="+voiceOnly+"&to=18057224756", `{}`, "from")
	bad("from=15005550006&to=18057224756", `{}`, "from")
	bad("from="+from+"&to=12", `{}`, "to")
	bad("from="+from+"&to=18057224756&code_type=emoji", `{}`, "code_type")
	bad("from="+from+"&to=18057224756&code_length=0", `{}`, "code_length")
	bad("from="+from+"&to=18057224756&code_length=four", `{}`, "code_length")
	bad("from="+from+"&to=18057224756&allow_short_code=maybe", `{}`, "allow_short_code")
	bad("from="+from+"&to=18057224756&did_group_sid=00000000-0000-4000-8000-000000000000", `{}`, "did_group_sid")
	bad("from="+from+"&to=18057224756&channel=voice", `{}`, "channel")
	checkError(t, e.do(demo, "POST", verifySMSURL+"?from="+from+"&to=18057224756", "text/plain", "hi"), 415, "unsupported media type", nil)
	checkError(t, e.do(basicAuth(e.s.OtherPartner()), "POST", verifySMSURL+"?from="+from+"&to=18057224756", "", ""),
		422, "object validation error", "from")
}

func TestVerificationTokenVerifiesOnceUnderConcurrency(t *testing.T) {
	e := smallEnv(t)
	creds := e.s.DemoPartner()
	e.mustJSON(200, e.sendJSON(basicAuth(creds), "POST", verifyEmailURL, `{"to_address":"race@example.com"}`))
	tok := e.s.SentVerificationEmails("")[0].Token
	const n = 8
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest("GET", e.srv.URL+verifyTokensURL+tok, nil)
			if err != nil {
				codes <- 0
				return
			}
			req.SetBasicAuth(creds.Login, creds.Password)
			res, err := e.srv.Client().Do(req)
			if err != nil {
				codes <- 0
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[200] != 1 || got[404] != n-1 {
		t.Errorf("statuses %v: want one 200 and %d 404s", got, n-1)
	}
}
