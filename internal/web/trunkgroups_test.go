package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
)

var trunkGroupLocRE = regexp.MustCompile(`^/trunk-groups/([0-9a-f-]{36})$`)

func TestTrunkGroupCreateEditTrunksAndDelete(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	ctx := context.Background()
	ep, err := cx.CreateEndpoint(ctx, carrierx.EndpointUpdate{Name: carrierx.Set("pbx"), Type: carrierx.Set("third_party"),
		Addresses: carrierx.Set([]carrierx.EndpointAddress{{IP: "192.0.2.20"}})})
	require.NoError(t, err)

	empty := b.post("/trunk-groups", url.Values{"_csrf": {b.csrf}, "name": {""}}, false)
	assert.Equal(t, http.StatusUnprocessableEntity, empty.StatusCode)
	assert.Contains(t, empty.Body, "Give the trunk group a name.")

	created := b.post("/trunk-groups", url.Values{"_csrf": {b.csrf}, "name": {"east sbc"}}, false)
	require.Equal(t, http.StatusSeeOther, created.StatusCode, created.Body)
	m := trunkGroupLocRE.FindStringSubmatch(created.Header.Get("Location"))
	require.NotNil(t, m)
	sid := m[1]
	page := b.get("/trunk-groups/" + sid)
	assert.Contains(t, page.Body, "Created trunk group east sbc")
	assert.Contains(t, page.Body, "This group has no trunk")

	// Settings: bad codes are refused beside the field, good ones saved.
	bad := b.post("/trunk-groups/"+sid, url.Values{"name": {"east sbc"}, "routing_type": {"failover"},
		"hard_failure_codes": {"408;abc;"}, "soft_failure_codes": {""}, "hard_failure_threshold": {"3"},
		"hard_failure_interval": {"60"}, "hard_failure_cooldown": {"120"}, "hard_failure_last_resort": {"first"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "SIP codes from 300 to 699")
	ok := b.post("/trunk-groups/"+sid, url.Values{"name": {"east sbc"}, "routing_type": {"failover"},
		"hard_failure_codes": {"408;503;"}, "soft_failure_codes": {"486;"}, "hard_failure_threshold": {"5"},
		"hard_failure_interval": {"30"}, "hard_failure_cooldown": {"300"}, "hard_failure_last_resort": {"reject503"}}, true)
	require.Equal(t, http.StatusOK, ok.StatusCode, ok.Body)
	assert.Contains(t, ok.Body, "Saved trunk group east sbc")
	g, err := cx.GetTrunkGroup(ctx, sid)
	require.NoError(t, err)
	assert.Equal(t, "408;503;", g.HardFailureCodes)
	assert.Equal(t, 5, g.HardFailureThreshold)
	assert.Equal(t, 300, g.HardFailureCooldown)
	assert.Equal(t, "reject503", g.HardFailureLastResort)

	// Trunks: add one to the endpoint, then edit its weight and codec.
	add := b.post("/trunk-groups/"+sid+"/trunks", url.Values{"name": {"primary"}, "endpoint_sid": {ep.EndpointSID},
		"priority": {"1"}, "weight": {"60"}, "codec": {"g722"}, "in_capacity": {"20"}, "out_capacity": {"0"}}, true)
	require.Equal(t, http.StatusOK, add.StatusCode, add.Body)
	assert.Equal(t, "/trunk-groups/"+sid, add.Header.Get("HX-Redirect"))
	var trunk carrierx.Trunk
	for tr, err := range cx.AllTrunks(ctx, sid, carrierx.ListOptions{}) {
		require.NoError(t, err)
		trunk = tr
	}
	require.Equal(t, "primary", trunk.Name)
	assert.Equal(t, ep.EndpointSID, *trunk.EndpointSID)
	assert.Equal(t, 60, trunk.Weight)
	assert.Equal(t, "g722", *trunk.Codec)
	assert.Equal(t, 20, trunk.InCapacity)
	page = b.get("/trunk-groups/" + sid)
	assert.Contains(t, page.Body, "Added trunk primary")
	assert.Contains(t, b.get("/trunk-groups").Body, "pbx (Third party (SIP))", "the list names where it delivers")

	badTrunk := b.post("/trunk-groups/"+sid+"/trunks/"+trunk.TrunkSID, url.Values{"name": {"primary"}, "endpoint_sid": {"not-mine"},
		"priority": {"-1"}, "weight": {"60"}, "codec": {""}, "in_capacity": {"20"}, "out_capacity": {"0"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, badTrunk.StatusCode)
	assert.Contains(t, badTrunk.Body, "Choose one of your endpoints.")
	assert.Contains(t, badTrunk.Body, "0 or more.")
	saved := b.post("/trunk-groups/"+sid+"/trunks/"+trunk.TrunkSID, url.Values{"name": {"primary"}, "endpoint_sid": {ep.EndpointSID},
		"priority": {"1"}, "weight": {"40"}, "codec": {""}, "in_capacity": {"-1"}, "out_capacity": {"10"}}, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	tr, err := cx.GetTrunk(ctx, sid, trunk.TrunkSID)
	require.NoError(t, err)
	assert.Equal(t, 40, tr.Weight)
	assert.Nil(t, tr.Codec, "any codec")
	assert.Equal(t, -1, tr.InCapacity)
	assert.Equal(t, 10, tr.OutCapacity)

	del := b.post("/trunk-groups/"+sid+"/trunks/"+trunk.TrunkSID+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, del.StatusCode)
	_, err = cx.GetTrunk(ctx, sid, trunk.TrunkSID)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err))

	// Delete the group: the confirmation names its numbers; CarrierX
	// refuses while one is assigned, then accepts.
	nums, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	num := nums.Items[0]
	_, err = cx.UpdateDID(ctx, num.DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(sid)})
	require.NoError(t, err)
	confirm := b.get("/trunk-groups/"+sid+"/delete", "delete-area")
	assert.Contains(t, confirm.Body, num.InternationalFormat)
	refused := b.post("/trunk-groups/"+sid+"/delete", url.Values{}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	assert.Contains(t, refused.Body, "Not deleted: CarrierX refused")
	_, err = cx.UpdateDID(ctx, num.DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Null[string]()})
	require.NoError(t, err)
	gone := b.post("/trunk-groups/"+sid+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, gone.StatusCode)
	assert.Equal(t, "/trunk-groups", gone.Header.Get("HX-Redirect"))
	_, err = cx.GetTrunkGroup(ctx, sid)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err))

	entries, _, err := e.db.ListAudit(ctx, store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID})
	require.NoError(t, err)
	var actions []string
	for _, en := range entries {
		if en.ObjectType == "trunk_group" {
			actions = append(actions, en.Action+"/"+string(en.Outcome))
		}
	}
	assert.ElementsMatch(t, []string{"create/ok", "edit/ok", "add trunk/ok", "edit trunk/ok", "delete trunk/ok", "delete/error", "delete/ok"}, actions)
}

func TestBulkAssignReviewsThenReportsEachNumber(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	ctx := context.Background()
	g, err := cx.CreateTrunkGroup(ctx, carrierx.TrunkGroupUpdate{Name: carrierx.Set("bulk target")})
	require.NoError(t, err)
	page, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 3, Order: "phonenumber asc"})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	var otherSID string
	for d, err := range e.cx.WithBasic("other", "other").AllDIDs(ctx, carrierx.ListOptions{Limit: 1}) {
		require.NoError(t, err)
		otherSID = d.DIDSID
		break
	}
	require.NotEmpty(t, otherSID)

	// My numbers offers the selection and the groups.
	list := b.get("/numbers")
	assert.Contains(t, list.Body, `form="bulk-assign"`)
	assert.Contains(t, list.Body, "bulk target")

	form := url.Values{"_csrf": {b.csrf}, "trunk_group_sid": {g.TrunkGroupSID},
		"did": {page.Items[0].DIDSID, page.Items[1].DIDSID, page.Items[2].DIDSID, otherSID}}
	review := b.post("/numbers/assign/review", form, false)
	require.Equal(t, http.StatusOK, review.StatusCode, review.Body)
	assert.Contains(t, review.Body, "Review: assign 4 number(s) to bulk target")
	for _, d := range page.Items {
		assert.Contains(t, review.Body, d.InternationalFormat)
	}
	assert.Contains(t, review.Body, "not one of your numbers", "another partner's number is never touched")
	for _, d := range page.Items {
		cur, err := cx.GetDID(ctx, d.DIDSID)
		require.NoError(t, err)
		assert.NotEqual(t, g.TrunkGroupSID, deref(cur.TrunkGroupSID), "review changes nothing")
	}

	// The second number's change fails at CarrierX: it is reported, the others go on.
	e.sandbox.InjectFaults(sandbox.Faults{Status: 503, Count: 1, Method: "PATCH", PathPrefix: "/core/v2/phonenumber/dids/" + page.Items[1].DIDSID})
	applied := b.post("/numbers/assign", form, false)
	require.Equal(t, http.StatusOK, applied.StatusCode, applied.Body)
	outcome := func(body, sid string) string {
		m := regexp.MustCompile(`id="assign-` + sid + `" data-outcome="([a-z]*)"`).FindStringSubmatch(body)
		require.NotNil(t, m, sid)
		return m[1]
	}
	assert.Equal(t, "ok", outcome(applied.Body, page.Items[0].DIDSID))
	assert.Equal(t, "error", outcome(applied.Body, page.Items[1].DIDSID))
	assert.Equal(t, "ok", outcome(applied.Body, page.Items[2].DIDSID))
	assert.Equal(t, "error", outcome(applied.Body, otherSID))
	assert.Contains(t, applied.Body, "Some numbers were not assigned")
	for i, want := range []bool{true, false, true} {
		cur, err := cx.GetDID(ctx, page.Items[i].DIDSID)
		require.NoError(t, err)
		assert.Equal(t, want, deref(cur.TrunkGroupSID) == g.TrunkGroupSID, "number %d", i)
	}
	other, err := e.cx.WithBasic("other", "other").GetDID(ctx, otherSID)
	require.NoError(t, err)
	assert.NotEqual(t, g.TrunkGroupSID, deref(other.TrunkGroupSID))

	// Applying again finishes the job and changes nothing twice.
	again := b.post("/numbers/assign", form, false)
	assert.Equal(t, "unchanged", outcome(again.Body, page.Items[0].DIDSID))
	assert.Equal(t, "ok", outcome(again.Body, page.Items[1].DIDSID))
	assert.Equal(t, "unchanged", outcome(again.Body, page.Items[2].DIDSID))
	entries, _, err := e.db.ListAudit(ctx, store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "assign trunk group"})
	require.NoError(t, err)
	okCount, errCount := 0, 0
	for _, en := range entries {
		if en.Outcome == store.OutcomeOK {
			okCount++
		} else {
			errCount++
		}
	}
	assert.Equal(t, 3, okCount, "each number changed once")
	assert.Equal(t, 1, errCount)

	// Nothing chosen: a clear message.
	none := b.post("/numbers/assign/review", url.Values{"_csrf": {b.csrf}, "trunk_group_sid": {g.TrunkGroupSID}}, false)
	assert.Equal(t, http.StatusUnprocessableEntity, none.StatusCode)
	assert.Contains(t, none.Body, "Select at least one number")
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
