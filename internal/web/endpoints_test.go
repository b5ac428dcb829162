package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
)

var endpointLocRE = regexp.MustCompile(`^/endpoints/([0-9a-f-]{36})$`)

// createEndpointForm posts the create form (without htmx) and returns the
// new endpoint's SID.
func createEndpointForm(t testing.TB, b *browser, form url.Values) string {
	t.Helper()
	form.Set("_csrf", b.csrf)
	resp := b.post("/endpoints", form, false)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, resp.Body)
	m := endpointLocRE.FindStringSubmatch(resp.Header.Get("Location"))
	require.NotNil(t, m, resp.Header.Get("Location"))
	return m[1]
}

func TestEndpointsCreateThirdPartyWithValidation(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")

	page := b.get("/endpoints")
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, "System Gateway", "every partner has one")

	// A bad port is refused beside the field, and nothing is created.
	bad := b.post("/endpoints", url.Values{"_csrf": {b.csrf}, "type": {"third_party"}, "name": {"pbx-1"},
		"capacity": {"10"}, "addresses[0].ip": {"192.0.2.10"}, "addresses[0].port": {"70000"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "A port from 1 to 65535.")
	assert.Contains(t, bad.Body, `value="pbx-1"`, "what was typed stays")
	noAddr := b.post("/endpoints", url.Values{"_csrf": {b.csrf}, "type": {"third_party"}, "name": {"pbx-1"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, noAddr.StatusCode)
	assert.Contains(t, noAddr.Body, "Add at least one SIP address")
	cx := e.demoClient()
	list, err := cx.ListEndpoints(context.Background(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("name", "pbx-1")})
	require.NoError(t, err)
	assert.Empty(t, list.Items)

	sid := createEndpointForm(t, b, url.Values{"type": {"third_party"}, "name": {"pbx-1"}, "capacity": {"10"},
		"addresses[0].ip": {"192.0.2.10"}, "addresses[0].port": {"5080"}, "addresses[0].transport": {"tcp"},
		"addresses[0].direction": {"any"}, "addresses[0].priority": {"0"}})
	ep, err := cx.GetEndpoint(context.Background(), sid)
	require.NoError(t, err)
	assert.Equal(t, "third_party", ep.Type)
	assert.Equal(t, 10, ep.Capacity)
	require.Len(t, ep.Addresses, 1)
	assert.Equal(t, "192.0.2.10", ep.Addresses[0].IP)
	assert.Equal(t, 5080, ep.Addresses[0].Port)
	assert.Equal(t, "tcp", ep.Addresses[0].Transport)

	detail := b.get("/endpoints/" + sid)
	assert.Contains(t, detail.Body, "Created pbx-1 (Third party (SIP)).")
	assert.Contains(t, detail.Body, `value="192.0.2.10"`)
	assert.NotContains(t, detail.Body, "API credentials", "third-party endpoints have none")

	// Edit: a second address and a new capacity; only changes are sent.
	saved := b.post("/endpoints/"+sid, url.Values{"_csrf": {b.csrf}, "name": {"pbx-1"}, "capacity": {"20"},
		"addresses[0].ip": {"192.0.2.10"}, "addresses[0].port": {"5080"}, "addresses[0].transport": {"tcp"},
		"addresses[0].direction": {"any"}, "addresses[0].priority": {"0"},
		"addresses[1].ip": {"192.0.2.11"}, "addresses[1].port": {"5060"}, "addresses[1].transport": {"udp"},
		"addresses[1].direction": {"any"}, "addresses[1].priority": {"1"}}, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, "Saved pbx-1")
	ep, err = cx.GetEndpoint(context.Background(), sid)
	require.NoError(t, err)
	assert.Equal(t, 20, ep.Capacity)
	assert.Len(t, ep.Addresses, 2)
	same := b.post("/endpoints/"+sid, url.Values{"_csrf": {b.csrf}, "name": {"pbx-1"}, "capacity": {"20"},
		"addresses[0].ip": {"192.0.2.10"}, "addresses[0].port": {"5080"}, "addresses[0].transport": {"tcp"},
		"addresses[0].direction": {"any"}, "addresses[0].priority": {"0"},
		"addresses[1].ip": {"192.0.2.11"}, "addresses[1].port": {"5060"}, "addresses[1].transport": {"udp"},
		"addresses[1].direction": {"any"}, "addresses[1].priority": {"1"}}, true)
	assert.Contains(t, same.Body, "No changes to save")

	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID})
	require.NoError(t, err)
	var actions []string
	for _, en := range entries {
		if en.ObjectType == "endpoint" {
			actions = append(actions, en.Action+"/"+string(en.Outcome))
		}
	}
	assert.ElementsMatch(t, []string{"create/ok", "edit/ok"}, actions)

	// The other partner cannot open it.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get("/endpoints/"+sid).StatusCode)
	assert.NotContains(t, o.get("/endpoints").Body, "pbx-1")
}

func TestEndpointHostedCredentialsAreMaskedAndRevealIsAudited(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	sid := createEndpointForm(t, b, url.Values{"type": {"conference_v2"}, "name": {"town hall"}, "capacity": {"0"}})
	ep, err := e.demoClient().GetEndpoint(context.Background(), sid)
	require.NoError(t, err)
	login, password := ep.APICredentials()
	require.NotEmpty(t, password)

	detail := b.get("/endpoints/" + sid)
	assert.Contains(t, detail.Body, "Its account is provisioned")
	assert.Contains(t, detail.Body, login)
	assert.Contains(t, detail.Body, ep.APIURL())
	assert.NotContains(t, detail.Body, password, "the password stays hidden until revealed")
	assert.Contains(t, detail.Body, `href="/conferences/`+sid+`"`, "a conference endpoint links to its console")
	assert.Contains(t, detail.Body, "Open the conference console")

	shown := b.post("/endpoints/"+sid+"/reveal", url.Values{}, true)
	require.Equal(t, http.StatusOK, shown.StatusCode)
	assert.Contains(t, shown.Body, password)
	assert.NotContains(t, shown.Body, "<html")

	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "reveal credentials"})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, sid, entries[0].ObjectSID)
	assert.NotContains(t, string(entries[0].Before)+string(entries[0].After)+entries[0].Message, password, "the audit log never holds the password")

	// Without the CSRF token, no reveal.
	req, _ := http.NewRequest(http.MethodPost, e.console.URL+"/endpoints/"+sid+"/reveal", strings.NewReader(""))
	req.Header.Set("HX-Request", "true")
	assert.Equal(t, http.StatusForbidden, b.do(req).StatusCode)
}

func TestEndpointDeleteNamesWhatDependsOnIt(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	ctx := context.Background()
	sid := createEndpointForm(t, b, url.Values{"type": {"third_party"}, "name": {"edge-sbc"},
		"addresses[0].ip": {"198.51.100.7"}, "addresses[0].port": {"5060"}})
	g, err := cx.CreateTrunkGroup(ctx, carrierx.TrunkGroupUpdate{Name: carrierx.Set("edge group"),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set("edge trunk"), EndpointSID: carrierx.Set(sid)}})})
	require.NoError(t, err)
	nums, err := cx.ListDIDs(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, nums.Items)
	num := nums.Items[0]
	_, err = cx.UpdateDID(ctx, num.DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Set(g.TrunkGroupSID)})
	require.NoError(t, err)

	list := b.get("/endpoints")
	row := regexp.MustCompile(`(?s)<tr id="endpoint-` + sid + `">.*?</tr>`).FindString(list.Body)
	require.NotEmpty(t, row)
	assert.Regexp(t, `<td class="num">1</td>\s*<td class="num">1</td>`, row, "one trunk, one number")

	confirm := b.get("/endpoints/"+sid+"/delete", "delete-area")
	assert.Contains(t, confirm.Body, "edge trunk")
	assert.Contains(t, confirm.Body, "edge group")
	assert.Contains(t, confirm.Body, "1 number(s)")

	// CarrierX refuses while a trunk routes to it; the refusal is shown in place.
	refused := b.post("/endpoints/"+sid+"/delete", url.Values{}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	assert.Contains(t, refused.Body, "Not deleted: CarrierX refused")
	_, err = cx.GetEndpoint(ctx, sid)
	require.NoError(t, err, "still there")

	_, err = cx.UpdateDID(ctx, num.DIDSID, carrierx.DIDUpdate{TrunkGroupSID: carrierx.Null[string]()})
	require.NoError(t, err)
	require.NoError(t, cx.DeleteTrunkGroup(ctx, g.TrunkGroupSID))
	done := b.post("/endpoints/"+sid+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, done.StatusCode)
	assert.Equal(t, "/endpoints", done.Header.Get("HX-Redirect"))
	_, err = cx.GetEndpoint(ctx, sid)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err))
	assert.Contains(t, b.get("/endpoints").Body, "Deleted edge-sbc")
}

func TestSystemGatewayIsReadOnly(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	list, err := e.demoClient().ListEndpoints(context.Background(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("type", "system_gateway")})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	sid := list.Items[0].EndpointSID
	page := b.get("/endpoints/" + sid)
	assert.NotContains(t, page.Body, "Save changes")
	assert.NotContains(t, page.Body, "Delete this endpoint")
	assert.Equal(t, http.StatusForbidden, b.post("/endpoints/"+sid+"/delete", url.Values{}, true).StatusCode)
}

func statusOfErr(err error) int {
	if e, ok := carrierx.AsError(err); ok {
		return e.Status
	}
	return 0
}

// TestEndpointRouteHereCreatesATrunkGroup: from an endpoint's page, one form
// creates a trunk group whose trunk delivers to it, and audits it.
func TestEndpointRouteHereCreatesATrunkGroup(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	ctx := context.Background()
	sid := createEndpointForm(t, b, url.Values{"type": {"conference_v2"}, "name": {"board calls"}, "capacity": {"0"}})
	page := b.get("/endpoints/" + sid)
	assert.Contains(t, page.Body, `action="/endpoints/`+sid+`/route"`)
	assert.Contains(t, page.Body, "No trunk routes to this endpoint.")

	groups := func() map[string]carrierx.TrunkGroup {
		out := map[string]carrierx.TrunkGroup{}
		for g, err := range cx.AllTrunkGroups(ctx, carrierx.ListOptions{}) {
			require.NoError(t, err)
			out[g.Name] = g
		}
		return out
	}
	before := len(groups())

	// A name is required; nothing is created without one.
	bad := b.post("/endpoints/"+sid+"/route", url.Values{"_csrf": {b.csrf}, "name": {"  "}}, false)
	require.Equal(t, http.StatusSeeOther, bad.StatusCode)
	assert.Contains(t, b.get(bad.Header.Get("Location")).Body, "Give the new trunk group a name.")
	assert.Len(t, groups(), before)

	made := b.post("/endpoints/"+sid+"/route", url.Values{"_csrf": {b.csrf}, "name": {"Board"}}, false)
	require.Equal(t, http.StatusSeeOther, made.StatusCode)
	g, ok := groups()["Board"]
	require.True(t, ok, "the trunk group exists")
	assert.Equal(t, "/trunk-groups/"+g.TrunkGroupSID, made.Header.Get("Location"))
	var trunks []carrierx.Trunk
	for tr, err := range cx.AllTrunks(ctx, g.TrunkGroupSID, carrierx.ListOptions{}) {
		require.NoError(t, err)
		trunks = append(trunks, tr)
	}
	require.Len(t, trunks, 1)
	assert.Equal(t, sid, deref(trunks[0].EndpointSID))
	assert.Contains(t, b.get(made.Header.Get("Location")).Body, "Created trunk group Board: its trunk delivers to")

	routed := b.get("/endpoints/" + sid)
	assert.Contains(t, routed.Body, "of trunk group <strong>Board</strong>")

	entries, _, err := e.db.ListAudit(ctx, store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "create"})
	require.NoError(t, err)
	var audited bool
	for _, en := range entries {
		audited = audited || (en.ObjectType == "trunk_group" && en.ObjectSID == g.TrunkGroupSID && strings.Contains(string(en.After), sid))
	}
	assert.True(t, audited, "the new group and its trunk are in the audit log")

	// Without the CSRF token nothing is created; another partner cannot.
	assert.Equal(t, http.StatusForbidden, b.post("/endpoints/"+sid+"/route", url.Values{"name": {"No token"}}, false).StatusCode)
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.post("/endpoints/"+sid+"/route", url.Values{"_csrf": {o.csrf}, "name": {"Theirs"}}, false).StatusCode)
	assert.Len(t, groups(), before+1)
}
