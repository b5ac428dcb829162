package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestBrowserBulkAssignToTrunkGroup selects three numbers in My numbers,
// chooses a trunk group, reviews and applies, and reads the result number
// by number.
func TestBrowserBulkAssignToTrunkGroup(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	g, err := cx.CreateTrunkGroup(context.Background(), carrierx.TrunkGroupUpdate{Name: carrierx.Set("browser bulk")})
	require.NoError(t, err)
	page, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Limit: 3, Order: "phonenumber asc"})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)

	ctx := newBrowserContext(t, 1280, 900)
	base := e.console.URL
	require.NoError(t, chromedp.Do(ctx, signIn(base, "demo", "demo")))
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/numbers?sort=phonenumber"), waitFor(`#numbers-results`)}
	for _, d := range page.Items {
		steps = append(steps, clickJS(`input[type=checkbox][value="`+d.DIDSID+`"]`))
	}
	steps = append(steps,
		chromedp.SetValue(`#bulk-assign select[name=trunk_group_sid]`, g.TrunkGroupSID),
		clickJS(`#bulk-assign button[type=submit]`),
		waitFor(`#assign-items`),
	)
	require.NoError(t, chromedp.Do(ctx, steps...))
	var review string
	require.NoError(t, chromedp.Do(ctx, into(&review, chromedp.Text(`main`))))
	screenshot(ctx, t, "bulk-1-review")
	assert.Contains(t, review, "Review: assign 3 number(s) to browser bulk")

	require.NoError(t, chromedp.Do(ctx,
		clickJS(`form[action="/numbers/assign"] button[type=submit]`),
		waitFor(`#assign-items tr[data-outcome="ok"]`),
	))
	screenshot(ctx, t, "bulk-2-applied")
	for _, d := range page.Items {
		var cell string
		require.NoError(t, chromedp.Do(ctx, into(&cell, chromedp.Text(`#assign-`+d.DIDSID))))
		assert.Contains(t, cell, d.InternationalFormat)
		assert.Contains(t, cell, "✓ assigned")
		cur, err := cx.GetDID(context.Background(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, g.TrunkGroupSID, deref(cur.TrunkGroupSID))
	}
}
