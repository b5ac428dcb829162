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

// TestEmergencyAddress: a number's E911 address is set, refused in place
// when CarrierX refuses it (nothing half written), disabled, removed; each
// change audited; another partner cannot touch it.
func TestEmergencyAddress(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	list, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	d := list.Items[0]
	b := e.browser()
	b.signIn("demo", "demo")
	page := b.get("/numbers/" + d.DIDSID)
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, "No emergency address: a 911 call from this number cannot be located.")

	base := "/numbers/" + d.DIDSID + "/emergency"
	form := url.Values{"caller_name": {"Demo Telecom NOC"}, "address_1": {"100 Main Street"}, "address_2": {"Floor 3"},
		"city": {"New York"}, "state": {"ny"}, "zip": {"1000"}, "enabled": {"1"}}
	bad := b.post(base, form, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "A US ZIP code: 12345 or 12345-6789.")
	assert.Contains(t, bad.Body, `value="100 Main Street"`, "what was typed stays")
	_, err = cx.GetDIDEmergency(ctx, d.DIDSID)
	assert.True(t, carrierx.IsNotFound(err), "nothing written")

	form.Set("zip", "10001")
	saved := b.post(base, form, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, "Saved the emergency address of "+d.InternationalFormat+".")
	assert.Contains(t, saved.Body, "✓ enabled")
	assert.Contains(t, saved.Body, "100 Main Street, Floor 3, New York, NY 10001, USA")
	em, err := cx.GetDIDEmergency(ctx, d.DIDSID)
	require.NoError(t, err)
	assert.True(t, em.Enabled)
	require.Len(t, em.Locations, 1)
	assert.Equal(t, "NY", em.Locations[0].State)
	assert.Equal(t, "Demo Telecom NOC", deref(em.CallerName))

	// CarrierX's refusal (not a US state) lands beside the field; the
	// record stays as it was.
	form.Set("state", "ZZ")
	refused := b.post(base, form, true)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	assert.Contains(t, refused.Body, "Not saved: CarrierX refused")
	assert.Regexp(t, `id="err-state">[^<]*two-letter US state code`, refused.Body)
	again, err := cx.GetDIDEmergency(ctx, d.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, "NY", again.Locations[0].State)

	// Disabled: said plainly.
	form.Set("state", "NY")
	form.Del("enabled")
	off := b.post(base, form, true)
	require.Equal(t, http.StatusOK, off.StatusCode)
	assert.Contains(t, off.Body, "It is disabled: 911 calls are not located")
	assert.Contains(t, off.Body, "disabled: 911 calls are not located")

	// Another partner cannot read or change it.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.post(base, form, true).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post(base+"/delete", url.Values{}, true).StatusCode)

	// Removed, behind a confirmation naming the number.
	assert.Contains(t, b.get("/numbers/"+d.DIDSID).Body, `hx-confirm="Remove the emergency address of `+d.InternationalFormat)
	gone := b.post(base+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, gone.StatusCode)
	assert.Contains(t, gone.Body, "Removed the emergency address")
	assert.Contains(t, gone.Body, "No emergency address")
	_, err = cx.GetDIDEmergency(ctx, d.DIDSID)
	assert.True(t, carrierx.IsNotFound(err))

	assert.ElementsMatch(t, []string{"edit/ok", "edit/error", "edit/ok", "delete/ok"}, actionsOf(auditOf(t, e, "did emergency")))
}
