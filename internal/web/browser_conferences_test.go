package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// TestBrowserConferenceLiveMeeting creates a Conference v2 endpoint and a
// meeting room in a real browser, sends the sandbox's test callers into it,
// watches them arrive in the live meeting without reloading, mutes one and
// sees it muted.
func TestBrowserConferenceLiveMeeting(t *testing.T) {
	e := newDemoEnv(t, sandbox.Config{CDRs: 300, ConferenceMeetings: 5, MediatorCalls: 5})
	ctx := newBrowserContext(t, 1280, 900)
	base := e.console.URL

	// A new Conference v2 endpoint, then its console from the Conferences list.
	var epPath string
	require.NoError(t, chromedp.Do(ctx,
		signIn(base, "demo", "demo"),
		chromedp.Navigate(base+"/endpoints/new?type=conference_v2"),
		waitFor(`#endpoint-form input[name=name]`),
		chromedp.SendKeys(`#endpoint-form input[name=name]`, "Team calls"),
		clickJS(`#endpoint-form button[type=submit]`),
		waitFor(`#endpoint-credentials`),
		into(&epPath, chromedp.Evaluate[string](`location.pathname`)),
	))
	ep := strings.TrimPrefix(epPath, "/endpoints/")
	require.Len(t, ep, 36, epPath)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/conferences"),
		waitFor(`#conferences`),
		clickJS(`a[href="/conferences/`+ep+`"]`),
		waitFor(`#room-new`),
	))
	screenshot(ctx, t, "conf-1-console")

	// A meeting room: its codes are generated, one per role, and select whole.
	var codes []string
	var selectAll bool
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(`#room-new input[name=name]`, "Stand-up"),
		clickJS(`#room-new button[type=submit]`),
		waitFor(`#room-codes code.access-code`),
		into(&codes, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#room-codes code.access-code")).map(c => c.dataset.role + ":" + c.textContent)`)),
		into(&selectAll, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("code.access-code")).userSelect === "all"`)),
	))
	screenshot(ctx, t, "conf-2-room")
	require.Len(t, codes, 3, "a code for each role")
	assert.True(t, strings.HasPrefix(codes[0], "host:"))
	assert.True(t, selectAll, "a click selects the whole code, ready to copy")

	// Test callers dial in; the room's live panel shows the meeting.
	var flash string
	var same bool
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue(`#dial-form input[name=count]`, "3"),
		chromedp.SetValue(`#dial-form select[name=role]`, "participant"),
		clickJS(`#dial-form button[type=submit]`),
		waitJS(`document.querySelector("#flash").textContent.includes("test caller(s)")`),
		into(&flash, chromedp.Evaluate[string](`document.querySelector("#flash").textContent`)),
		waitFor(`#open-meeting`),
		clickJS(`#open-meeting`),
		waitFor(`#participants`),
		// A mark that a reload would erase.
		into(&same, chromedp.Evaluate[bool](`(window.stillThisPage = true)`)),
	))
	assert.Contains(t, flash, "3 test caller(s) are dialling in")

	// Participants arrive while the page stays the same.
	var arrived int
	require.NoError(t, chromedp.Do(ctx,
		waitJS(`document.querySelectorAll("#participants tr[id^=caller-]").length === 3`),
		into(&arrived, chromedp.Evaluate[int](`document.querySelectorAll("#participants tr[id^=caller-]").length`)),
		into(&same, chromedp.Evaluate[bool](`window.stillThisPage === true`)),
	))
	screenshot(ctx, t, "conf-3-live")
	assert.Equal(t, 3, arrived)
	assert.True(t, same, "the participants came in without a reload")

	// Mute the first one and see it muted.
	var callSID, audio string
	require.NoError(t, chromedp.Do(ctx,
		into(&callSID, chromedp.Evaluate[string](`document.querySelector("#participants tr[data-muted=false]").id.replace("caller-", "")`)),
	))
	require.NotEmpty(t, callSID)
	row := `#caller-` + callSID
	require.NoError(t, chromedp.Do(ctx,
		clickJS(row+` button[aria-label^="Mute"]`),
		waitFor(row+`[data-muted="true"]`),
		into(&audio, chromedp.Evaluate[string](`document.querySelector("`+row+` td.audio").textContent`)),
		waitJS(`document.querySelector("#flash").textContent.includes("Muted")`),
		into(&flash, chromedp.Evaluate[string](`document.querySelector("#flash").textContent`)),
		into(&same, chromedp.Evaluate[bool](`window.stillThisPage === true`)),
	))
	screenshot(ctx, t, "conf-4-muted")
	assert.Contains(t, audio, "muted")
	assert.Contains(t, flash, "Muted +1 ")
	assert.True(t, same)
	api := conferenceAPI(t, e, ep)
	call, err := api.GetCall(context.Background(), callSID)
	require.NoError(t, err)
	assert.True(t, call.Muted, "CarrierX has the caller muted")

	// It stays muted through the next refreshes.
	var stillMuted bool
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Sleep(2500*time.Millisecond),
		into(&stillMuted, chromedp.Evaluate[bool](`document.querySelector("`+row+`").dataset.muted === "true"`)),
	))
	assert.True(t, stillMuted)
}
