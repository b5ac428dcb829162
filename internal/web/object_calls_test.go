package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

var callsLinkRE = regexp.MustCompile(`href="(/records/calls\?[^"]+)">Calls, 7 days<`)

// TestObjectPagesLinkToTheirCalls: a number's, a SIP endpoint's and a trunk
// group's page open the call explorer on their own calls of the last 7
// days, which the cache holds once synced.
func TestObjectPagesLinkToTheirCalls(t *testing.T) {
	e := newEnvWith(t, sandbox.Config{CDRs: 3000, OtherCDRs: 100, MessageDRs: 100, ConferenceMeetings: 5, MediatorCalls: 5})
	ctx := context.Background()
	cx := e.demoClient()
	b := e.browser()
	b.signIn("demo", "demo")
	e.sync("demo")

	eps, err := cx.ListEndpoints(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("type", "third_party"), Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, eps.Items)
	tgs, err := cx.ListTrunkGroups(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, tgs.Items)
	dids, err := cx.ListDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("trunk_group_sid", tgs.Items[0].TrunkGroupSID), Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, dids.Items)

	for _, page := range []string{"/numbers/" + dids.Items[0].DIDSID, "/endpoints/" + eps.Items[0].EndpointSID,
		"/trunk-groups/" + tgs.Items[0].TrunkGroupSID} {
		m := callsLinkRE.FindStringSubmatch(b.get(page).Body)
		require.NotNil(t, m, page)
		explorer := b.get(html.UnescapeString(m[1]))
		require.Equal(t, http.StatusOK, explorer.StatusCode, page)
		assert.Regexp(t, `<tr id="call-`, explorer.Body, "%s: its calls are listed", page)
		if page == "/numbers/"+dids.Items[0].DIDSID {
			assert.Contains(t, explorer.Body, `name="number" value="`+dids.Items[0].Phonenumber+`"`, "filtered on the number")
		}
	}
}
