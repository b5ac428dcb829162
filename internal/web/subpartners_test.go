package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestSubPartners: a sub-partner is created from the Account page (its
// password goes to CarrierX only) and deleted once it holds nothing; while
// it does, CarrierX's refusal is shown and it stays.
func TestSubPartners(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	demo := e.sandbox.DemoPartner()
	b := e.browser()
	b.signIn("demo", "demo")
	assert.Contains(t, b.get("/account").Body, `id="sub-partner-form"`)

	const secret = "s3cret-Reseller-pw"
	missing := b.post("/account/sub-partners", url.Values{"name": {"Reseller West"}, "login": {"reseller-west"}, "payment_type": {"prepay"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, missing.StatusCode)
	assert.Contains(t, missing.Body, "Give it a password.")
	assert.Contains(t, missing.Body, `value="reseller-west"`, "what was typed stays")

	form := url.Values{"name": {"Reseller West"}, "company_name": {"West LLC"}, "login": {"reseller-west"}, "password": {secret},
		"owner_email": {"owner@west.example"}, "payment_type": {"postpay"}}
	made := b.post("/account/sub-partners", form, true)
	require.Equal(t, http.StatusOK, made.StatusCode, made.Body)
	assert.Equal(t, "/account", made.Header.Get("HX-Redirect"))
	page := b.get("/account")
	assert.Contains(t, page.Body, "Created the sub-partner Reseller West (reseller-west)")
	assert.Contains(t, page.Body, "reseller-west")
	assert.NotContains(t, page.Body, secret, "the password is never shown back")
	child := e.cx.WithBasic("reseller-west", secret)
	me, err := child.WhoAmI(ctx)
	require.NoError(t, err, "the sub-partner signs in with its password")
	require.NotNil(t, me.ParentSID)
	assert.Equal(t, demo.PartnerSID, *me.ParentSID)
	assert.Equal(t, "postpay", me.PaymentType)

	// The login is taken: CarrierX's words beside the field, the password not echoed.
	again := b.post("/account/sub-partners", form, true)
	assert.Equal(t, http.StatusUnprocessableEntity, again.StatusCode)
	assert.Contains(t, again.Body, `id="err-login"`)
	assert.NotContains(t, again.Body, secret)

	// While it holds a trunk group, CarrierX keeps it.
	tg, err := child.CreateTrunkGroup(ctx, carrierx.TrunkGroupUpdate{Name: carrierx.Set("west core")})
	require.NoError(t, err)
	del := "/account/sub-partners/" + me.PartnerSID + "/delete"
	assert.Contains(t, page.Body, `hx-post="`+del+`"`)
	refused := b.post(del, url.Values{}, true)
	assert.Equal(t, http.StatusConflict, refused.StatusCode, refused.Body)
	assert.Equal(t, "none", refused.Header.Get("HX-Reswap"))
	assert.Contains(t, refused.Body, "was not deleted")
	_, err = child.WhoAmI(ctx)
	require.NoError(t, err, "still there")

	// Neither the other partner nor the account itself can be deleted here.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.post(del, url.Values{}, true).StatusCode)
	assert.Equal(t, http.StatusForbidden, b.post("/account/sub-partners/"+demo.PartnerSID+"/delete", url.Values{}, true).StatusCode)

	require.NoError(t, child.DeleteTrunkGroup(ctx, tg.TrunkGroupSID))
	gone := b.post(del, url.Values{}, true)
	require.Equal(t, http.StatusOK, gone.StatusCode, gone.Body)
	assert.Contains(t, gone.Body, "Deleted the sub-partner Reseller West (reseller-west).")
	_, err = cx.GetPartner(ctx, me.PartnerSID)
	assert.True(t, carrierx.IsNotFound(err))

	entries := auditOf(t, e, "sub-partner")
	assert.ElementsMatch(t, []string{"create/ok", "create/error", "delete/error", "delete/ok"}, actionsOf(entries))
	for _, en := range entries {
		assert.False(t, strings.Contains(string(en.Before)+string(en.After)+en.Message, secret), "the audit log never holds the password")
	}
}
