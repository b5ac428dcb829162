package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestMessagingEnablement: messaging on a number is enabled, its 10DLC
// campaign changed (CarrierX's refusal in place), and disabled; a voice-only
// number says it cannot message; audited; another partner cannot.
func TestMessagingEnablement(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	var sms, voice carrierx.DID
	for d, err := range cx.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000}) {
		require.NoError(t, err)
		switch {
		case d.Can(carrierx.CapSendSMS) && sms.DIDSID == "":
			sms = d
		case d.Capabilities == int(carrierx.CapVoice) && voice.DIDSID == "":
			voice = d
		}
	}
	require.NotEmpty(t, sms.DIDSID)
	require.NotEmpty(t, voice.DIDSID)
	b := e.browser()
	b.signIn("demo", "demo")
	assert.Contains(t, b.get("/numbers/"+voice.DIDSID).Body, "This number is voice only")
	assert.Equal(t, http.StatusNotFound, b.post("/numbers/"+voice.DIDSID+"/messaging", url.Values{"action": {"enable"}}, true).StatusCode)

	page := b.get("/numbers/" + sms.DIDSID)
	assert.Contains(t, page.Body, `id="messaging"`)
	assert.Contains(t, page.Body, "Enable messaging")
	base := "/numbers/" + sms.DIDSID + "/messaging"

	on := b.post(base, url.Values{"action": {"enable"}, "campaign_sid": {""}}, true)
	require.Equal(t, http.StatusOK, on.StatusCode, on.Body)
	assert.Contains(t, on.Body, "✓ enabled")
	m, err := cx.GetDIDMessaging(ctx, sms.DIDSID)
	require.NoError(t, err)
	assert.True(t, m.Enabled)
	assert.Equal(t, "a2p", deref(m.Type))

	bad := b.post(base, url.Values{"action": {"enable"}, "campaign_sid": {"not-a-campaign"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Regexp(t, `id="err-campaign_sid">campaign_sid must be a campaign secure ID`, bad.Body)
	m, err = cx.GetDIDMessaging(ctx, sms.DIDSID)
	require.NoError(t, err)
	assert.Nil(t, m.CampaignSID, "unchanged")

	campaign := "5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	moved := b.post(base, url.Values{"action": {"enable"}, "campaign_sid": {campaign}}, true)
	require.Equal(t, http.StatusOK, moved.StatusCode, moved.Body)
	m, err = cx.GetDIDMessaging(ctx, sms.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, campaign, deref(m.CampaignSID))
	assert.True(t, m.Enabled, "changed without a disable in between")

	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.post(base, url.Values{"action": {"disable"}}, true).StatusCode)

	off := b.post(base, url.Values{"action": {"disable"}}, true)
	require.Equal(t, http.StatusOK, off.StatusCode, off.Body)
	assert.Contains(t, off.Body, "Disabled messaging on")
	m, err = cx.GetDIDMessaging(ctx, sms.DIDSID)
	require.NoError(t, err)
	assert.False(t, m.Enabled)
	assert.ElementsMatch(t, []string{"edit/ok", "edit/error", "edit/ok", "edit/ok"}, actionsOf(auditOf(t, e, "did messaging")))
}
