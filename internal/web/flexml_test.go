package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func TestFlexMLAccountAndNumberInstructionURLs(t *testing.T) {
	e, _ := appEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ep := createAppEndpoint(t, cx, "flexml", "IVR")
	f, err := cx.FlexML(ep)
	require.NoError(t, err)
	dids, err := f.ListDIDs(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, dids.Items)
	did := dids.Items[0]
	b := e.browser()
	b.signIn("demo", "demo")
	base := "/flexml/" + ep.EndpointSID

	assert.Contains(t, b.get("/endpoints/"+ep.EndpointSID).Body, `href="`+base+`"`)
	page := b.get(base)
	require.Equal(t, http.StatusOK, page.StatusCode, page.Body)
	assert.Contains(t, page.Body, ep.Properties["account_sid"])
	assert.Contains(t, page.Body, `id="flexml-did-`+did.DIDSID+`"`)
	assert.Contains(t, page.Body, "✗ none: calls have no instructions", "no URL anywhere yet")

	account := url.Values{"name": {"IVR"}, "url": {"ftp://example.com/flexml"}, "method": {"POST"},
		"status_callback_url": {""}, "status_callback_method": {"POST"}, "error_handler": {"basic"}}
	// A URL CarrierX cannot fetch is refused beside the field.
	bad := b.post(base+"/account", account, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "An absolute http:// or https:// address")
	assert.Contains(t, bad.Body, `value="ftp://example.com/flexml"`)

	account.Set("url", "https://ivr.example.com/flexml")
	account.Set("method", "GET")
	account.Set("status_callback_url", "https://ivr.example.com/status")
	saved := b.post(base+"/account", account, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, "Saved the FlexML account.")
	acct, err := f.GetAccount(ctx, ep.Properties["account_sid"])
	require.NoError(t, err)
	assert.Equal(t, "https://ivr.example.com/flexml", deref(acct.URL))
	assert.Equal(t, "GET", acct.Method)
	assert.Equal(t, "https://ivr.example.com/status", deref(acct.StatusCallbackURL))
	assert.Contains(t, b.post(base+"/account", account, true).Body, "No changes to save")

	// CarrierX's own refusal, in its words, beside the field.
	account.Set("error_handler", "retry")
	refused := b.post(base+"/account", account, true)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	assert.Regexp(t, `id="err-error_handler">[^<]*error_handler`, refused.Body)
	assert.Contains(t, refused.Body, "Not saved: CarrierX refused")

	// A number's own URL, edited in place; cleared, it falls back to the account's.
	row := base + "/numbers/" + did.DIDSID
	edit := b.get(row+"/edit", "flexml-did-"+did.DIDSID)
	require.Equal(t, http.StatusOK, edit.StatusCode)
	assert.Contains(t, edit.Body, `class="editing"`)
	number := url.Values{"url": {"not a url"}, "method": {"POST"}, "status_callback_url": {""}, "status_callback_method": {"POST"}}
	assert.Equal(t, http.StatusUnprocessableEntity, b.post(row, number, true).StatusCode)
	number.Set("url", "https://ivr.example.com/sales")
	own := b.post(row, number, true)
	require.Equal(t, http.StatusOK, own.StatusCode, own.Body)
	assert.Contains(t, own.Body, "https://ivr.example.com/sales")
	assert.NotContains(t, own.Body, `class="editing"`)
	got, err := f.GetDID(ctx, did.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, "https://ivr.example.com/sales", deref(got.URL))
	number.Set("url", "")
	back := b.post(row, number, true)
	require.Equal(t, http.StatusOK, back.StatusCode, back.Body)
	assert.Contains(t, back.Body, "account's: https://ivr.example.com/flexml")
	got, err = f.GetDID(ctx, did.DIDSID)
	require.NoError(t, err)
	assert.Nil(t, got.URL)

	// Another partner reaches neither the console nor the number.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get(base).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post(row, number, true).StatusCode)
	// A Mediator endpoint has no FlexML console.
	med := createAppEndpoint(t, cx, "mediator", "Not FlexML")
	assert.Equal(t, http.StatusNotFound, b.get("/flexml/"+med.EndpointSID).StatusCode)

	assert.ElementsMatch(t, []string{"edit/ok", "edit/error"}, appAuditActions(t, e, "flexml_account"))
	assert.ElementsMatch(t, []string{"edit/ok", "edit/ok"}, appAuditActions(t, e, "flexml_number"))
}

var flexFollowRE = regexp.MustCompile(`^/flexml/[0-9a-f-]{36}/calls/([0-9a-f-]{36})\?at=[^&]+&number=(\d+)$`)

func TestFlexMLCallFollowedToItsRecord(t *testing.T) {
	e, clock := appEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ep := createAppEndpoint(t, cx, "flexml", "Outbound")
	f, err := cx.FlexML(ep)
	require.NoError(t, err)
	dids, err := f.ListDIDs(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, dids.Items)
	from := dids.Items[0].Phonenumber
	b := e.browser()
	b.signIn("demo", "demo")
	base := "/flexml/" + ep.EndpointSID
	place := func(to, delay string) (string, string) {
		t.Helper()
		r := b.post(base+"/calls", url.Values{"calling_did": {from}, "called_did": {to}, "url": {"https://ivr.example.com/hello"},
			"method": {"POST"}, "delay": {delay}}, true)
		require.Equal(t, http.StatusOK, r.StatusCode, r.Body)
		m := flexFollowRE.FindStringSubmatch(r.Header.Get("HX-Redirect"))
		require.NotNil(t, m, r.Header.Get("HX-Redirect"))
		return r.Header.Get("HX-Redirect"), m[1]
	}

	// Refused before CarrierX, then by CarrierX (a number not the account's).
	bad := b.post(base+"/calls", url.Values{"calling_did": {from}, "called_did": {"+15550100123"}, "url": {"hello"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "An absolute http:// or https:// address")
	foreign := b.post(base+"/calls", url.Values{"calling_did": {"15550009999"}, "called_did": {"+15550100123"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, foreign.StatusCode)
	assert.Contains(t, foreign.Body, "calling_did must be one of the DIDs of the FlexML endpoint")
	assert.Contains(t, foreign.Body, `id="flexml-call-form"`)

	// A busy number: live, then gone, then its record (busy) from Core.
	follow, callSID := place("+1 555 010 0486", "0")
	live := b.get(follow)
	assert.Contains(t, live.Body, "Call placed")
	assert.Contains(t, live.Body, `data-state="live"`)
	assert.Contains(t, live.Body, "Ringing or talking")
	assert.Contains(t, b.get(base).Body, `id="flexml-call-`+callSID+`"`)
	poll := statePollURL(live.Body)
	require.NotEmpty(t, poll)
	clock.Advance(5 * time.Second)
	busy := b.get(poll, "flexml-call-state")
	assert.Contains(t, busy.Body, `data-state="recorded"`)
	assert.Contains(t, busy.Body, "Gone from CarrierX's live API.")
	assert.Contains(t, busy.Body, "✗ busy (SIP 486)")
	assert.Contains(t, busy.Body, "Fetched from CarrierX")
	assert.Empty(t, statePollURL(busy.Body))
	_, err = f.GetCall(ctx, callSID)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err), "a finished call is no longer listed")

	// An answered call talks for up to three minutes, then leaves its record.
	follow, _ = place("+15550100123", "0")
	poll = statePollURL(b.get(follow).Body)
	require.NotEmpty(t, poll)
	clock.Advance(10 * time.Second)
	talking := b.get(poll, "flexml-call-state")
	assert.Contains(t, talking.Body, `data-state="live"`)
	clock.Advance(4 * time.Minute)
	answered := b.get(statePollURL(talking.Body), "flexml-call-state")
	assert.Contains(t, answered.Body, "✓ answered (SIP 200)")
	assert.NotContains(t, answered.Body, "not answered")
	drs, err := cx.ListCallDRs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("endpoint_sid_src", ep.EndpointSID).Eq("number_dst", "15550100123")})
	require.NoError(t, err)
	require.Len(t, drs.Items, 1)
	drSID := drs.Items[0].DRSID
	assert.Contains(t, answered.Body, drSID)

	// Synced, it is found in the report cache, linked in the call explorer.
	e.sync("demo")
	cached := b.get(statePollURL(talking.Body), "flexml-call-state")
	assert.Contains(t, cached.Body, "In the report cache")
	assert.Contains(t, cached.Body, drSID)
	link := regexp.MustCompile(`href="(/records/calls\?[^"]+)#call-` + drSID + `"`).FindStringSubmatch(cached.Body)
	require.NotNil(t, link, cached.Body)
	explorer := b.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	require.Equal(t, http.StatusOK, explorer.StatusCode)
	assert.Contains(t, explorer.Body, `id="call-`+drSID+`"`)

	// Hang up a call still queued: it is gone at once.
	follow, queuedSID := place("+15550100777", "600")
	assert.Contains(t, b.get(follow).Body, "Queued: dials at")
	hung := b.post(base+"/calls/"+queuedSID+"/cancel", url.Values{}, true)
	require.Equal(t, http.StatusOK, hung.StatusCode, hung.Body)
	assert.Contains(t, hung.Body, "Hung up the call")
	assert.Contains(t, hung.Body, `data-state="gone"`)
	_, err = f.GetCall(ctx, queuedSID)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err))

	assert.ElementsMatch(t, []string{"place call/error", "place call/ok", "place call/ok", "place call/ok", "hang up/ok"},
		appAuditActions(t, e, "flexml_call"))
}
