package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestBrowserCreateMediatorBinding opens a Mediator endpoint's console from
// its endpoint page, creates a binding, and sees it listed in place and
// after a reload.
func TestBrowserCreateMediatorBinding(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	ep := createAppEndpoint(t, cx, "mediator", "Browser forwarding")
	m, err := cx.Mediator(ep)
	require.NoError(t, err)
	console := "/mediator/" + ep.EndpointSID

	ctx := newBrowserContext(t, 1280, 900)
	base := e.console.URL
	var flash, row string
	require.NoError(t, chromedp.Do(ctx,
		signIn(base, "demo", "demo"),
		chromedp.Navigate(base+"/endpoints/"+ep.EndpointSID),
		waitFor(`a[href="`+console+`"]`),
		clickJS(`a[href="`+console+`"]`),
		waitFor(`#mediator-bindings`),
		chromedp.SetValue(`#binding-form-new input[name=name]`, "Front desk"),
		chromedp.SetValue(`#binding-form-new input[name=destination_did]`, "+15551230042"),
		clickJS(`#binding-form-new button[type=submit]`),
		waitFor(`#bindings tbody tr[id^="binding-"]`),
		into(&row, chromedp.Text(`#bindings tbody tr[id^="binding-"]`)),
		into(&flash, chromedp.Text(`#flash`)),
	))
	screenshot(ctx, t, "mediator-binding-created")
	assert.Contains(t, flash, "Created the binding Front desk")
	assert.Contains(t, row, "Front desk")
	assert.Contains(t, row, "+1 555-123-0042")
	assert.Contains(t, row, "the first caller within 300 s")

	list, err := m.ListBindings(context.Background(), carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	b := list.Items[0]
	assert.Equal(t, "Front desk", b.Name)
	assert.Equal(t, "15551230042", b.DestinationDID)

	var listed string
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+console),
		waitFor(`#binding-`+b.BindingSID),
		into(&listed, chromedp.Text(`#binding-`+b.BindingSID)),
	))
	assert.Contains(t, listed, "Front desk")
	assert.Contains(t, listed, "+1 555-123-0042")
}
