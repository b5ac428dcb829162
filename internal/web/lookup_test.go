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

// TestNumberLookup: a number is looked up with only the extras ticked; one
// of the partner's own numbers links to its page; bad input and CarrierX's
// refusals are said beside the form.
func TestNumberLookup(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	mine, err := e.demoClient().ListDIDs(context.Background(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, mine.Items)
	d := mine.Items[0]

	empty := b.get("/lookup")
	require.Equal(t, http.StatusOK, empty.StatusCode)
	assert.Contains(t, empty.Body, `id="lookup-form"`)
	assert.NotContains(t, empty.Body, `id="lookup-result"`)

	bad := b.get("/lookup?number=" + url.QueryEscape("call me"))
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Enter a phone number")
	assert.NotContains(t, bad.Body, `id="lookup-result"`)

	// Typed the national way, with every extra.
	q := url.Values{"number": {d.InCountryFormat}, "carrier": {"1"}, "cnam": {"1"}, "lrn": {"1"}}
	own := b.get("/lookup?" + q.Encode())
	require.Equal(t, http.StatusOK, own.StatusCode, own.Body)
	assert.Contains(t, own.Body, `id="lookup-result"`)
	assert.Contains(t, own.Body, d.InternationalFormat)
	assert.Contains(t, own.Body, "CARRIERX (voip)")
	assert.Contains(t, own.Body, "DEMO TELECOM")
	assert.Contains(t, own.Body, `href="/numbers/`+d.DIDSID+`"`)

	// Without extras, none is asked for or shown.
	plain := b.get("/lookup?number=" + url.QueryEscape("+"+d.Phonenumber))
	assert.NotContains(t, plain.Body, "Caller name (CNAM)</dt>")
	assert.NotContains(t, plain.Body, "Carrier</dt>")

	// A number CarrierX calls invalid: its words, in place.
	refused := b.get("/lookup?number=" + url.QueryEscape("+1 099 555 0100"))
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	assert.Contains(t, refused.Body, "CarrierX refused")
	assert.Contains(t, refused.Body, "phonenumber is not a valid phone number")

	// Opened from another site, a billed look-up waits for the user.
	req, err := http.NewRequest(http.MethodGet, e.console.URL+"/lookup?"+q.Encode(), nil)
	require.NoError(t, err)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	cross := b.do(req)
	assert.Equal(t, http.StatusOK, cross.StatusCode)
	assert.Contains(t, cross.Body, "opened from another site")
	assert.NotContains(t, cross.Body, `id="lookup-result"`)
	assert.NotContains(t, cross.Body, "DEMO TELECOM")

	// Another partner's look-up of the demo's number does not link to it.
	o := e.browser()
	o.signIn("other", "other")
	theirs := o.get("/lookup?" + q.Encode())
	assert.Contains(t, theirs.Body, `id="lookup-result"`)
	assert.NotContains(t, theirs.Body, `href="/numbers/`+d.DIDSID+`"`)
}
