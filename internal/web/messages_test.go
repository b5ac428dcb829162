package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
)

var sendKeyRE = regexp.MustCompile(`name="send_key" value="([^"]+)"`)

// TestSendMessageOnceAndFollowIt: a message is sent from one of the
// partner's numbers that can send, followed until sent, and one form never
// sends twice: not when submitted again, not after CarrierX failed to
// answer. A refusal gives the form back with CarrierX's words.
func TestSendMessageOnceAndFollowIt(t *testing.T) {
	e, clock := appEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	var canSend, cannot carrierx.DID
	for d, err := range cx.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000}) {
		require.NoError(t, err)
		switch {
		case d.Can(carrierx.CapSendSMS) && canSend.DIDSID == "":
			canSend = d
		case !d.Can(carrierx.CapSendSMS) && cannot.DIDSID == "":
			cannot = d
		}
	}
	require.NotEmpty(t, canSend.DIDSID)
	require.NotEmpty(t, cannot.DIDSID)
	b := e.browser()
	b.signIn("demo", "demo")

	assert.Contains(t, b.get("/numbers/"+canSend.DIDSID).Body, `href="/messages?from=`+canSend.Phonenumber+`"`)
	assert.NotContains(t, b.get("/numbers/"+cannot.DIDSID).Body, `href="/messages?from=`)
	assert.Regexp(t, `<option value="`+canSend.Phonenumber+`" selected>`, b.get("/messages?from="+canSend.Phonenumber).Body)
	page := b.get("/messages")
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, `<option value="`+canSend.Phonenumber+`"`)
	require.Zero(t, canSend.ActiveCapabilities&int(carrierx.CapSendSMS), "seeded numbers start with messaging off")
	assert.Regexp(t, `<option value="`+canSend.Phonenumber+`"[^>]*>[^<]*messaging not enabled</option>`, page.Body)
	_, err := cx.SetDIDMessaging(ctx, canSend.DIDSID, carrierx.DIDMessagingRequest{Enabled: true}, false)
	require.NoError(t, err)
	page = b.get("/messages")
	assert.Regexp(t, `<option value="`+canSend.Phonenumber+`"[^>]*>[^<]*</option>`, page.Body)
	assert.NotRegexp(t, `<option value="`+canSend.Phonenumber+`"[^>]*>[^<]*messaging not enabled</option>`, page.Body, "enabled now")
	assert.NotContains(t, page.Body, `<option value="`+cannot.Phonenumber+`"`, "only numbers that can send are offered")
	assert.Contains(t, page.Body, "No messages yet.")
	key := sendKeyRE.FindStringSubmatch(page.Body)
	require.NotNil(t, key)
	assert.NotEqual(t, key[1], sendKeyRE.FindStringSubmatch(b.get("/messages").Body)[1], "each form has its own key")
	messages := func() []carrierx.SMSMessage {
		p, err := cx.ListMessages(ctx, carrierx.ListOptions{})
		require.NoError(t, err)
		return p.Items
	}

	// Checked before CarrierX is asked.
	bad := b.post("/messages", url.Values{"send_key": {key[1]}, "from": {canSend.Phonenumber}, "to": {""}, "message": {""}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Enter the number to send to.")
	assert.Contains(t, bad.Body, "Write the text, or give a media URL")
	long := b.post("/messages", url.Values{"send_key": {key[1]}, "from": {canSend.Phonenumber}, "to": {"+15551234567"},
		"message": {strings.Repeat("é", 1601)}}, true)
	assert.Contains(t, long.Body, "At most 1600 characters (1601 now).")

	// CarrierX refuses a number that cannot send SMS: in place, nothing sent,
	// and the corrected form goes through with the same key.
	refused := b.post("/messages", url.Values{"send_key": {key[1]}, "from": {cannot.Phonenumber}, "to": {"+15551234567"}, "message": {"Test"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode, refused.Body)
	assert.Contains(t, refused.Body, "Not sent: CarrierX refused")
	assert.Regexp(t, `id="err-from">from cannot send SMS`, refused.Body)
	assert.Empty(t, messages())

	form := url.Values{"send_key": {key[1]}, "from": {canSend.Phonenumber}, "to": {"+1 (555) 123-4567"}, "message": {"Line check from the NOC"}}
	sent := b.post("/messages", form, true)
	require.Equal(t, http.StatusOK, sent.StatusCode, sent.Body)
	follow := sent.Header.Get("HX-Redirect")
	require.Regexp(t, `^/messages/[0-9a-f-]{36}$`, follow)
	list := messages()
	require.Len(t, list, 1)
	m := list[0]
	assert.Equal(t, canSend.Phonenumber, m.From)
	assert.Equal(t, "15551234567", m.To)
	assert.Equal(t, "Line check from the NOC", m.Message)
	assert.Equal(t, "/messages/"+m.MessageSID, follow)

	// The same form again (a double click, a retry): no second message.
	again := b.post("/messages", form, true)
	require.Equal(t, http.StatusOK, again.StatusCode)
	assert.Equal(t, follow, again.Header.Get("HX-Redirect"))
	assert.Len(t, messages(), 1)
	assert.Contains(t, b.get(follow).Body, "This form was already sent")

	// Followed while queued, then sent.
	queued := b.get(follow)
	require.Equal(t, http.StatusOK, queued.StatusCode)
	assert.Contains(t, queued.Body, `data-status="queued"`)
	assert.Contains(t, queued.Body, `hx-trigger="every 2s"`)
	clock.Advance(5 * time.Second)
	done := b.get(follow+"/state", "message-state")
	assert.Contains(t, done.Body, `data-status="sent"`)
	assert.NotContains(t, done.Body, "hx-trigger", "polling stops")
	assert.NotContains(t, done.Body, "<html")
	assert.Contains(t, b.get("/messages").Body, `id="message-`+m.MessageSID+`"`)

	// CarrierX does not answer: the form's key stays used (the message may
	// have gone), and the same form is not sent again.
	page = b.get("/messages")
	key2 := sendKeyRE.FindStringSubmatch(page.Body)[1]
	e.sandbox.InjectFaults(sandbox.Faults{Status: 503, Method: "POST", PathPrefix: "/core/v2/sms/messages", Count: 1})
	form2 := url.Values{"send_key": {key2}, "from": {canSend.Phonenumber}, "to": {"+15559876543"}, "message": {"Second"}}
	unsure := b.post("/messages", form2, true)
	assert.Equal(t, http.StatusBadGateway, unsure.StatusCode)
	assert.Contains(t, unsure.Body, "It may have been sent")
	assert.NotContains(t, unsure.Body, `value="`+key2+`"`, "the form comes back with a new key")
	blocked := b.post("/messages", form2, true)
	assert.Equal(t, http.StatusConflict, blocked.StatusCode)
	assert.Contains(t, blocked.Body, "check the latest messages before sending again")
	assert.Len(t, messages(), 1)

	// Audited without the text; another partner sees nothing; CSRF holds.
	entries, _, err := e.db.ListAudit(ctx, store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "send"})
	require.NoError(t, err)
	var outcomes []string
	for _, en := range entries {
		outcomes = append(outcomes, en.Outcome)
		assert.NotContains(t, string(en.After), "NOC", "the audit log keeps no message text")
	}
	assert.ElementsMatch(t, []string{"error", "ok", "error"}, outcomes)
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get(follow).StatusCode)
	assert.NotContains(t, o.get("/messages").Body, m.MessageSID)
	req, _ := http.NewRequest(http.MethodPost, e.console.URL+"/messages", strings.NewReader(url.Values{"send_key": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	assert.Equal(t, http.StatusForbidden, b.do(req).StatusCode)
}

// TestLatestMessagesPage: the latest messages come 25 to a page, newest
// first, with older ones a page away.
func TestLatestMessagesPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	var from string
	for d, err := range cx.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000}) {
		require.NoError(t, err)
		if d.Can(carrierx.CapSendSMS) {
			from = d.Phonenumber
			break
		}
	}
	require.NotEmpty(t, from)
	for i := range 27 {
		_, err := cx.SendMessage(ctx, carrierx.SendMessageRequest{From: from, To: "1555010" + strconv.Itoa(1000+i), Message: "n" + strconv.Itoa(i)})
		require.NoError(t, err)
	}
	b := e.browser()
	b.signIn("demo", "demo")
	rowRE := regexp.MustCompile(`<tr id="message-`)
	first := b.get("/messages")
	assert.Len(t, rowRE.FindAllString(first.Body, -1), 25)
	assert.Contains(t, first.Body, `href="/messages?offset=25"`)
	assert.NotContains(t, first.Body, "← Newer")
	older := b.get("/messages?offset=25")
	assert.Len(t, rowRE.FindAllString(older.Body, -1), 2)
	assert.Contains(t, older.Body, `href="/messages?offset=0"`)
	assert.NotContains(t, older.Body, "Older →")
}
