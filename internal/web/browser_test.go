package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// chromiumPath finds the browser; the test fails, not skips, without one:
// .ci/run installs it.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install it (apt-get install -y chromium) or set CHROMIUM")
	return ""
}

func newBrowserContext(t *testing.T, width, height int) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// screenshot keeps a picture of the page when SCREENSHOT_DIR is set.
func screenshot(ctx context.Context, t *testing.T, name string) {
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// TestBrowserRentRenameRelease is the console's main flow in a real browser:
// sign in as demo, search an area code, rent, find it in My numbers, rename it,
// release it, and see all four actions on the Audit page.
func TestBrowserRentRenameRelease(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	npa := e.areaCodeWithNumbers(cx)
	avail := e.firstAvailable(cx, npa)
	ctx := newBrowserContext(t, 1280, 900)
	base := e.console.URL

	// Sign in.
	require.NoError(t, chromedp.Do(ctx, signIn(base, "demo", "demo")))
	screenshot(ctx, t, "1-my-numbers")

	// Search an area code and rent the first number, in one click.
	row := "#avail-" + avail.Phonenumber
	var rentedText string
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/rent"),
		waitFor(`input[name=area_code]`),
		chromedp.SendKeys(`input[name=area_code]`, npa),
		chromedp.Click(`form.filters button[type=submit]`),
		waitFor(row+` button`),
		chromedp.Click(row+` button`),
		waitFor(row+` .status-ok`),
		into(&rentedText, chromedp.Text(row)),
	))
	screenshot(ctx, t, "2-rented")
	assert.Contains(t, rentedText, "Rented")
	assert.Contains(t, rentedText, "Configure")

	// It is in My numbers; rename it inline.
	mine, err := cx.GetDID(context.Background(), findSID(t, e, avail.Phonenumber))
	require.NoError(t, err)
	numberRow := "#row-" + mine.DIDSID
	var rowText string
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/numbers?contains="+avail.Phonenumber),
		waitFor(numberRow),
		chromedp.Click(numberRow+` button[aria-label^="Edit"]`),
		waitFor(numberRow+` input[name=name]`),
		chromedp.SetValue(numberRow+` input[name=name]`, "Reception line"),
		chromedp.Click(numberRow+` button[type=submit]`),
		waitGone(numberRow+` input[name=name]`),
		into(&rowText, chromedp.Text(numberRow)),
	))
	screenshot(ctx, t, "3-renamed")
	assert.Contains(t, rowText, "Reception line")

	// Release it, behind a confirmation that names it.
	var confirmText, flashText string
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(numberRow+` button[aria-label^="Release"]`),
		waitFor(numberRow+` .confirm`),
		into(&confirmText, chromedp.Text(numberRow+` .confirm`)),
		chromedp.Click(numberRow+` button.danger`),
		waitGone(numberRow),
		into(&flashText, chromedp.Text(`#flash`)),
	))
	screenshot(ctx, t, "4-released")
	assert.Contains(t, confirmText, mine.InternationalFormat)
	assert.Contains(t, flashText, "Released "+mine.InternationalFormat)

	// The Audit page shows all four actions.
	var audit string
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/audit"),
		waitFor(`#audit`),
		into(&audit, chromedp.Text(`#audit tbody`)),
	))
	screenshot(ctx, t, "5-audit")
	for _, action := range []string{"sign_in", "rent", "edit", "release"} {
		assert.Contains(t, audit, action)
	}
	assert.GreaterOrEqual(t, strings.Count(audit, mine.InternationalFormat), 3, "rent, edit and release name the number")
}

func findSID(t *testing.T, e *env, number string) string {
	t.Helper()
	page, err := e.demoClient().ListDIDs(context.Background(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", number)})
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the rented number is among the partner's numbers")
	return page.Items[0].DIDSID
}

// into stores an action's result, so it can run among other steps.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		if err != nil {
			return chromedp.Void{}, err
		}
		*dst = v
		return chromedp.Void{}, nil
	}
}

// TestBrowserPhoneWidth checks that the pages fit a phone's width: the page
// itself never scrolls sideways (wide tables scroll inside their frame).
func TestBrowserPhoneWidth(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowserContext(t, 390, 844) // Chromium keeps windows at least 500 wide
	base := e.console.URL
	require.NoError(t, chromedp.Do(ctx, signIn(base, "demo", "demo")))
	// Navigate waits for the load event; DOM queries are avoided here
	// because chromedp's node tracking stalls across some navigations.
	for _, path := range []string{"/rent?state=NY", "/audit", "/numbers?sort=name", "/endpoints", "/trunk-groups",
		"/messages", "/account", "/lookup?number=%2B12125550100&carrier=1", "/rates", "/storage"} {
		var overflow bool
		var heading string
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(base+path),
			into(&heading, chromedp.Evaluate[string](`document.querySelector("h1").textContent`)),
			into(&overflow, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)),
		))
		assert.NotEmpty(t, heading, path)
		screenshot(ctx, t, "phone"+strings.ReplaceAll(strings.Split(path, "?")[0], "/", "-"))
		assert.False(t, overflow, "%s scrolls sideways at phone width", path)
	}
}

// signIn opens My numbers, is sent to the sign-in form, and signs in.
func signIn(base, login, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/numbers"),
		waitFor(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, login),
		chromedp.SendKeys(`input[name=password]`, password),
		clickJS(`form[action="/login"] button[type=submit]`),
		waitFor(`#numbers-results`),
	)
}

// waitFor polls until an element matching the CSS selector is shown. It asks
// the page with JavaScript rather than chromedp's DOM tracking, which can
// stall across navigations.
func waitFor(sel string) chromedp.Action[chromedp.Void] {
	return waitJS(`(() => { const el = document.querySelector(` + jsString(sel) + `); return !!el && el.getClientRects().length > 0; })()`)
}

// waitGone polls until no element matches the CSS selector.
func waitGone(sel string) chromedp.Action[chromedp.Void] {
	return waitJS(`document.querySelector(` + jsString(sel) + `) === null`)
}

func waitJS(cond string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			ok, err := chromedp.Evaluate[bool](cond)(ctx, t)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", cond, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// clickJS clicks with JavaScript, for a click that navigates away (chromedp's
// own click can stall on the node tracking of the page being replaced).
func clickJS(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(() => { document.querySelector(`+jsString(sel)+`).click(); return true; })()`)(ctx, t)
		return chromedp.Void{}, err
	}
}

// TestBrowserReportsReview opens the call explorer, filters it, exports the
// filtered set and opens an invoice's reconciliation.
func TestBrowserReportsReview(t *testing.T) {
	e := reportsEnv(t)
	inv := lastMonthInvoice(t, e)
	ctx := newBrowserContext(t, 1280, 900)
	base := e.console.URL
	var allCalls, inboundCalls, csvHead string
	var csvLines int
	require.NoError(t, chromedp.Do(ctx,
		signIn(base, "demo", "demo"),
		chromedp.Navigate(base+"/records/calls?preset=30d"),
		waitFor(`#calls-summary .stat-value`),
		waitFor(`#calls-charts svg`),
		into(&allCalls, chromedp.Evaluate[string](`document.querySelector(".summary .stat-value").textContent`)),
		chromedp.SetValue(`select[name=direction]`, "inbound"),
		clickJS(`form.filters button[type=submit]`),
		waitJS(`location.search.includes("direction=inbound")`),
		waitFor(`#calls-summary .stat-value`),
		into(&inboundCalls, chromedp.Evaluate[string](`document.querySelector(".summary .stat-value").textContent`)),
		into(&csvHead, chromedp.Evaluate[string](`fetch(document.querySelector('a[download]').href).then(r => r.text()).then(t => t.split("\n")[0])`, chromedp.EvalAwaitPromise)),
		into(&csvLines, chromedp.Evaluate[int](`fetch(document.querySelector('a[download]').href).then(r => r.text()).then(t => t.trim().split("\n").length - 1)`, chromedp.EvalAwaitPromise)),
	))
	screenshot(ctx, t, "6-explorer")
	all, _ := strconv.Atoi(allCalls)
	inbound, _ := strconv.Atoi(inboundCalls)
	assert.Greater(t, all, inbound, "the direction filter narrows the set")
	assert.Greater(t, inbound, 0)
	assert.True(t, strings.HasPrefix(csvHead, "dr_sid,"), csvHead)
	assert.Equal(t, inbound, csvLines, "the export holds the whole filtered set")

	var recon string
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/invoices"),
		waitFor(`#invoices`),
		clickJS(`a[href="/invoices/`+inv.InvoiceSID+`"]`),
		waitFor(`#recon`),
		into(&recon, chromedp.Text(`#recon`)),
	))
	screenshot(ctx, t, "7-reconciliation")
	assert.Contains(t, recon, "toll · inbound")
	assert.Contains(t, recon, "matches")

	// The other record types are a tab away; a filter narrows them in place.
	var messages, outbound string
	var rows int
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/records/calls?preset=30d"),
		waitFor(`nav.tabs`),
		clickJS(`nav.tabs a[href="/records/messages"]`),
		waitFor(`#records tbody tr.clickable`),
		into(&messages, chromedp.Evaluate[string](`document.querySelector(".summary .stat-value").textContent`)),
		chromedp.SetValue(`select[name=direction]`, "outbound"),
		clickJS(`form.filters button[type=submit]`),
		waitJS(`location.search.includes("direction=outbound")`),
		waitFor(`#records tbody tr.clickable`),
		into(&outbound, chromedp.Evaluate[string](`document.querySelector(".summary .stat-value").textContent`)),
		into(&rows, chromedp.Evaluate[int](`document.querySelectorAll("#records tbody tr.clickable").length`)),
	))
	screenshot(ctx, t, "8-messages")
	all, _ = strconv.Atoi(messages)
	out, _ := strconv.Atoi(outbound)
	assert.Greater(t, all, out, "the direction filter narrows the messages")
	assert.Positive(t, out)
	assert.Equal(t, min(out, 50), rows, "a page of the filtered messages")
}
