package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestRoutingAttention: the overview names the numbers whose calls go
// nowhere: in no trunk group, or in a group whose trunks reach no endpoint.
func TestRoutingAttention(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	var loose, routed []carrierx.DID
	for d, err := range cx.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000}) {
		require.NoError(t, err)
		if d.TrunkGroupSID == nil {
			loose = append(loose, d)
		} else {
			routed = append(routed, d)
		}
	}
	require.NotEmpty(t, loose, "the demo has numbers in no trunk group")
	require.GreaterOrEqual(t, len(routed), 3)

	// A group whose one trunk names no endpoint, and a group with no trunks.
	dead, err := cx.CreateTrunkGroup(ctx, carrierx.TrunkGroupUpdate{Name: carrierx.Set("Dead end"),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set("t1")}})})
	require.NoError(t, err)
	empty, err := cx.CreateTrunkGroup(ctx, carrierx.TrunkGroupUpdate{Name: carrierx.Set("Empty")})
	require.NoError(t, err)
	for i, g := range []string{dead.TrunkGroupSID, dead.TrunkGroupSID, empty.TrunkGroupSID} {
		_, err := cx.UpdateDID(ctx, routed[i].DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(g)})
		require.NoError(t, err)
	}

	b := e.browser()
	b.signIn("demo", "demo")
	assert.Contains(t, b.get("/overview").Body, `hx-get="/overview/attention" hx-trigger="load"`)
	r := b.get("/overview/attention", "attention")
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.NotContains(t, r.Body, "<html")
	assert.Contains(t, r.Body, strconv.Itoa(len(loose))+" number(s) in no trunk group")
	assert.Contains(t, r.Body, `href="/numbers/`+loose[0].DIDSID+`"`)
	assert.Contains(t, r.Body, "2 trunk group(s) deliver to no endpoint (3 number(s) in them)")
	assert.Contains(t, r.Body, "Dead end</a>: no trunk names an endpoint, 2 number(s)")
	assert.Contains(t, r.Body, "Empty</a>: it has no trunks, 1 number(s)")
	assert.NotContains(t, r.Body, "Primary SBC", "groups that deliver are not named")

	// Without JavaScript it is a page of its own.
	page := b.get("/overview/attention")
	assert.Contains(t, page.Body, "<html")
	assert.Contains(t, page.Body, "Dead end")

	// The other partner's check is its own.
	o := e.browser()
	o.signIn("other", "other")
	theirs := o.get("/overview/attention", "attention")
	assert.NotContains(t, theirs.Body, "Dead end")
	assert.Contains(t, theirs.Body, "✓ Every number is in a trunk group that delivers to an endpoint.")
}
