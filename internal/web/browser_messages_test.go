package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestBrowserSendMessage: from a number's page to the send form, a message
// is sent and followed on its page until CarrierX has sent it. (That one
// form never sends twice is TestSendMessageOnceAndFollowIt's.)
func TestBrowserSendMessage(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	var from carrierx.DID
	for d, err := range cx.AllDIDs(context.Background(), carrierx.ListOptions{Limit: 1000}) {
		require.NoError(t, err)
		if d.Can(carrierx.CapSendSMS) {
			from = d
			break
		}
	}
	require.NotEmpty(t, from.DIDSID)
	ctx := newBrowserContext(t, 1280, 900)
	base := e.console.URL
	var status, facts string
	require.NoError(t, chromedp.Do(ctx,
		signIn(base, "demo", "demo"),
		chromedp.Navigate(base+"/numbers/"+from.DIDSID),
		waitFor(`a[href="/messages?from=`+from.Phonenumber+`"]`),
		clickJS(`a[href="/messages?from=`+from.Phonenumber+`"]`),
		waitFor(`#message-form`),
		chromedp.SetValue(`#message-form input[name=to]`, "+1 (555) 010-2030"),
		chromedp.SetValue(`#message-form textarea[name=message]`, "Line check from the browser"),
		clickJS(`#message-form button[type=submit]`),
		waitFor(`#message-state`),
		waitFor(`#message-state[data-status="sent"]`),
		into(&status, chromedp.Text(`#message-state`)),
		into(&facts, chromedp.Text(`main .panel dl`)),
	))
	screenshot(ctx, t, "message-sent")
	assert.Contains(t, status, "sent")
	assert.Contains(t, facts, from.InternationalFormat)
	assert.Contains(t, facts, "+1 555-010-2030")
	assert.Contains(t, facts, "Line check from the browser")

	list, err := cx.ListMessages(context.Background(), carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, list.Items, 1, "one message")
	assert.Equal(t, from.Phonenumber, list.Items[0].From)
}
