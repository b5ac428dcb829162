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

// TestAuditHistoryAndFilters: an object's page links to its history, which
// holds its entries only; the log filters by action, kind of object and
// outcome, offering what the partner's log holds.
func TestAuditHistoryAndFilters(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	list, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Limit: 2})
	require.NoError(t, err)
	require.Len(t, list.Items, 2)
	d, other := list.Items[0], list.Items[1]
	b := e.browser()
	b.signIn("demo", "demo")
	require.Equal(t, http.StatusOK, b.post("/numbers/"+d.DIDSID+"?inline=1", url.Values{"name": {"Front desk"}, "trunk_group_sid": {deref(d.TrunkGroupSID)}}, true).StatusCode)
	require.Equal(t, http.StatusOK, b.post("/numbers/"+other.DIDSID+"?inline=1", url.Values{"name": {"Back office"}, "trunk_group_sid": {deref(other.TrunkGroupSID)}}, true).StatusCode)
	// CarrierX refuses this emergency address (not a US state): an error entry.
	bad := b.post("/numbers/"+d.DIDSID+"/emergency", url.Values{"address_1": {"1 Main St"}, "city": {"X"}, "state": {"ZZ"},
		"zip": {"10001"}, "enabled": {"1"}}, true)
	require.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)

	page := b.get("/numbers/" + d.DIDSID)
	assert.Contains(t, page.Body, `href="/audit?object=`+d.DIDSID+`"`)
	hist := b.get("/audit?object=" + d.DIDSID)
	require.Equal(t, http.StatusOK, hist.StatusCode)
	assert.Contains(t, hist.Body, `id="audit-object"`)
	assert.Contains(t, hist.Body, "Front desk")
	assert.NotContains(t, hist.Body, "Back office", "another object's entries are not in this history")
	assert.NotContains(t, hist.Body, `<span class="tag">sign_in</span>`)
	assert.Equal(t, 2, strings.Count(hist.Body, `<span class="tag">edit</span>`), "the rename and the refused emergency address")

	errorsOnly := b.get("/audit?outcome=error")
	assert.Equal(t, 1, strings.Count(errorsOnly.Body, `<span class="tag">edit</span>`), "the refused edit only")
	byType := b.get("/audit?type=did")
	assert.NotContains(t, byType.Body, `<span class="tag">sign_in</span>`)
	assert.Contains(t, byType.Body, `<option value="did" selected>did</option>`)
	all := b.get("/audit")
	assert.Contains(t, all.Body, `<option value="edit">Edit</option>`)
	assert.Contains(t, all.Body, `<option value="sign_in">Sign-in</option>`)
	assert.NotContains(t, all.Body, `<option value="mute"`, "only what the log holds is offered")
	assert.Contains(t, b.get("/audit?action=nonsense").Body, `<span class="tag">sign_in</span>`, "an unknown filter is ignored")

	// Another partner's history of the demo's number is empty.
	o := e.browser()
	o.signIn("other", "other")
	assert.NotContains(t, o.get("/audit?object="+d.DIDSID).Body, "Front desk")
}
