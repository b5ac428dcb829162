package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func TestAppIndexesListOnlyTheirOwnTypeAndPartner(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	med := createAppEndpoint(t, cx, carrierx.EndpointMediator, "forwarder")
	flex := createAppEndpoint(t, cx, carrierx.EndpointFlexML, "ivr")
	other := createAppEndpoint(t, e.otherClient(), carrierx.EndpointMediator, "someone-elses")

	b := e.browser()
	b.signIn("demo", "demo")
	page := b.get("/mediator")
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, `href="/mediator/`+med.EndpointSID+`"`)
	assert.Contains(t, page.Body, "forwarder")
	assert.NotContains(t, page.Body, "ivr", "FlexML endpoints are not Mediator ones")
	assert.NotContains(t, page.Body, other.EndpointSID, "another partner's endpoint never shows")
	assert.Contains(t, page.Body, `aria-current="page"`)

	page = b.get("/flexml")
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, `href="/flexml/`+flex.EndpointSID+`"`)
	assert.NotContains(t, page.Body, "forwarder")

	// Removing the endpoint removes it from the index.
	require.NoError(t, cx.DeleteEndpoint(context.Background(), flex.EndpointSID))
	assert.Contains(t, b.get("/flexml").Body, "No FlexML endpoints yet.")
}
