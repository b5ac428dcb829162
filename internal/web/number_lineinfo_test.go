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

// TestCallerNameListing: a number's caller name is listed, checked before
// CarrierX is asked, and changed without touching the settings the form
// does not show; audited; another partner cannot change it.
func TestCallerNameListing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	list, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	d := list.Items[0]
	b := e.browser()
	b.signIn("demo", "demo")
	assert.Contains(t, b.get("/numbers/"+d.DIDSID).Body, "No caller name is listed")
	base := "/numbers/" + d.DIDSID + "/line-information"

	for _, bad := range []struct{ name, want string }{
		{"DEMO TELECOM NOC NY", "At most 15 characters"},
		{"Café", "plain ASCII only"},
		{"", "Give the name to list"},
	} {
		r := b.post(base, url.Values{"caller_name": {bad.name}, "privacy": {"public"}, "class_of_service": {"business"}, "enabled": {"1"}}, true)
		assert.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, bad.name)
		assert.Contains(t, r.Body, bad.want, bad.name)
	}
	_, err = cx.GetDIDLineInformation(ctx, d.DIDSID)
	assert.True(t, carrierx.IsNotFound(err), "nothing written")

	form := url.Values{"caller_name": {"DEMO TELECOM"}, "privacy": {"public"}, "class_of_service": {"business"}, "enabled": {"1"}}
	saved := b.post(base, form, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, `✓ listed</span> as <strong class="mono">DEMO TELECOM</strong>`)
	li, err := cx.GetDIDLineInformation(ctx, d.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, "DEMO TELECOM", deref(li.CallerName))
	assert.True(t, li.Enabled)
	assert.Equal(t, "business", li.ClassOfService)

	// A setting the form does not show keeps its value through an edit.
	_, err = cx.UpdateDIDLineInformation(ctx, d.DIDSID, carrierx.DIDLineInformationUpdate{Screening: carrierx.Set("allow_all")})
	require.NoError(t, err)
	form.Set("privacy", "private")
	priv := b.post(base, form, true)
	require.Equal(t, http.StatusOK, priv.StatusCode, priv.Body)
	li, err = cx.GetDIDLineInformation(ctx, d.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, "private", li.Privacy)
	assert.Equal(t, "allow_all", li.Screening, "only what changed is sent")
	assert.Contains(t, b.post(base, form, true).Body, "No changes to save")

	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.post(base, form, true).StatusCode)
	assert.ElementsMatch(t, []string{"edit/ok", "edit/ok"}, actionsOf(auditOf(t, e, "did line information")))
}
