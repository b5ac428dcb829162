package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestAccountPage: the partner's own account, exact money, the billing
// method by its last digits, rate plans, sub-partners; contacts edited with
// CarrierX's refusals in place, audited; another partner sees only its own.
func TestAccountPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	demo := e.sandbox.DemoPartner()
	b := e.browser()
	b.signIn("demo", "demo")

	// The header's account name leads here.
	assert.Contains(t, b.get("/numbers").Body, `<a class="account" href="/account"`)
	page := b.get("/account")
	require.Equal(t, http.StatusOK, page.StatusCode)
	p, err := cx.GetPartner(ctx, demo.PartnerSID)
	require.NoError(t, err)
	assert.Contains(t, page.Body, "Demo Telecom")
	assert.Contains(t, page.Body, "$"+p.Balance.Decimal.StringFixed(2))
	assert.Contains(t, page.Body, "No billing method is registered")
	assert.Contains(t, page.Body, "No sub-partners.")
	rates, err := cx.EffectiveRates(ctx, demo.PartnerSID)
	require.NoError(t, err)
	require.NotEmpty(t, rates)
	assert.Contains(t, page.Body, rates[0].Plan.Name)
	assert.Contains(t, page.Body, `value="`+p.TechEmail+`"`)

	// A billing method shows by its last digits; a sub-partner is listed
	// with its exact balance.
	_, err = cx.RegisterBillingMethod(ctx, demo.PartnerSID, carrierx.BillingMethodRequest{Type: carrierx.BillingVisa,
		CCNumber: "4012888818888", CCExpiration: "022031", CCCID: "318", FirstName: "Ann", LastName: "Lee",
		Address1: "1 Main St", City: "New York", State: "NY", Zip: "10001", CountryCode: "USA", Phone: "12125550100"})
	require.NoError(t, err)
	_, err = cx.CreatePartner(ctx, carrierx.PartnerUpdate{Login: carrierx.Set("reseller-east"), Password: carrierx.Set("pw-reseller"),
		Name: carrierx.Set("Reseller East"), CountryCode: carrierx.Set("USA"), Zip: carrierx.Set("10001"),
		OwnerEmail: carrierx.Set("owner@reseller.example"), PaymentType: carrierx.Set(carrierx.PaymentPrepay),
		Phonenumber: carrierx.Set("12125550111"), ChargeAt: carrierx.Set(decimal.NewFromInt(20)),
		PrepayAmount: carrierx.Set(decimal.RequireFromString("100"))})
	require.NoError(t, err)
	page = b.get("/account")
	assert.Contains(t, page.Body, "ending 8888")
	assert.Contains(t, page.Body, "02/2031")
	assert.NotContains(t, page.Body, "4012888818888")
	assert.Contains(t, page.Body, "Reseller East")
	assert.Contains(t, page.Body, "reseller-east")

	// Contacts: CarrierX refuses a bad address beside its field; nothing changes.
	bad := b.post("/account/contacts", url.Values{"billing_email": {p.BillingEmail}, "tech_email": {"not an address"},
		"owner_email": {p.OwnerEmail}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode, bad.Body)
	assert.Contains(t, bad.Body, "Not saved: CarrierX refused")
	assert.Contains(t, bad.Body, `id="err-tech_email"`)
	still, err := cx.GetPartner(ctx, demo.PartnerSID)
	require.NoError(t, err)
	assert.Equal(t, p.TechEmail, still.TechEmail)

	ok := b.post("/account/contacts", url.Values{"billing_email": {"ap@demo.example, finance@demo.example"},
		"tech_email": {"noc-2@demo.example"}, "owner_email": {p.OwnerEmail}}, true)
	require.Equal(t, http.StatusOK, ok.StatusCode, ok.Body)
	assert.Contains(t, ok.Body, "Saved the contacts.")
	saved, err := cx.GetPartner(ctx, demo.PartnerSID)
	require.NoError(t, err)
	assert.Equal(t, "noc-2@demo.example", saved.TechEmail)
	assert.Equal(t, "ap@demo.example, finance@demo.example", saved.BillingEmail)
	assert.Equal(t, p.OwnerEmail, saved.OwnerEmail)
	same := b.post("/account/contacts", url.Values{"billing_email": {saved.BillingEmail}, "tech_email": {saved.TechEmail},
		"owner_email": {saved.OwnerEmail}}, true)
	assert.Contains(t, same.Body, "No changes to save")
	assert.ElementsMatch(t, []string{"edit/error", "edit/ok"}, actionsOf(auditOf(t, e, "partner")))

	// Another partner sees its own account, not the demo's sub-partners.
	o := e.browser()
	o.signIn("other", "other")
	theirs := o.get("/account")
	assert.Contains(t, theirs.Body, "Other Networks")
	assert.NotContains(t, theirs.Body, "Reseller East")
	assert.NotContains(t, theirs.Body, "noc-2@demo.example")
}
