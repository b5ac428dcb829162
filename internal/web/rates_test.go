package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestRatesPage: a call and an SMS to a number are priced as CarrierX
// prices them, exactly; bad input is said in place; each rate table is
// CarrierX's own CSV, byte for byte.
func TestRatesPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	b := e.browser()
	b.signIn("demo", "demo")
	assert.Contains(t, b.get("/account").Body, `href="/rates"`)

	page := b.get("/rates")
	require.Equal(t, http.StatusOK, page.StatusCode)
	for _, key := range []string{"outbound-pstn", "inbound-pstn", "sms-toll", "sms-toll-free", "phone-numbers"} {
		assert.Contains(t, page.Body, `href="/rates/`+key+`.csv"`)
	}
	assert.NotContains(t, page.Body, `id="rate-result"`)

	rates, err := cx.ListOutboundPSTNRates(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, rates.Items)
	require.NotNil(t, rates.Items[0].Prefix)
	to := *rates.Items[0].Prefix + "5550100"
	want, err := cx.RatePSTNCall(ctx, carrierx.CallRatingRequest{Direction: carrierx.DirectionOutbound, Duration: 150, To: to})
	require.NoError(t, err)
	sms, err := cx.RateSMS(ctx, carrierx.MessageToll, carrierx.MessageRatingRequest{Direction: carrierx.DirectionOutbound, To: to})
	require.NoError(t, err)
	priced := b.get("/rates?" + url.Values{"to": {"+" + to}, "minutes": {"2.5"}}.Encode())
	require.Equal(t, http.StatusOK, priced.StatusCode, priced.Body)
	assert.Contains(t, priced.Body, `id="rate-result"`)
	assert.Contains(t, priced.Body, "$"+want.Rate.String())
	assert.Contains(t, priced.Body, "$"+want.Price.String())
	assert.Contains(t, priced.Body, want.DurationBilling.String()+" s for 150 s")
	assert.Contains(t, priced.Body, "$"+sms.Price.String())

	bad := b.get("/rates?" + url.Values{"to": {"+15551234567"}, "minutes": {"ten"}}.Encode())
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Give the length of the call in minutes")
	assert.Contains(t, bad.Body, `name="minutes" value="ten" inputmode="decimal" size="5" aria-invalid="true"`)
	assert.Equal(t, http.StatusUnprocessableEntity, b.get("/rates?to=abc").StatusCode)

	csv := b.get("/rates/outbound-pstn.csv")
	require.Equal(t, http.StatusOK, csv.StatusCode)
	assert.Equal(t, "text/csv; charset=utf-8", csv.Header.Get("Content-Type"))
	assert.Contains(t, csv.Header.Get("Content-Disposition"), `attachment; filename="carrierx-rates-outbound-pstn.csv"`)
	direct, err := cx.DownloadOutboundPSTNRates(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	raw, err := io.ReadAll(direct)
	require.NoError(t, err)
	direct.Close()
	assert.NotEmpty(t, raw)
	assert.Equal(t, string(raw), csv.Body)
	assert.Equal(t, http.StatusNotFound, b.get("/rates/secret.csv").StatusCode)
}
