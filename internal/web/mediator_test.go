package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
)

// appClock is the sandbox's clock, moved forward by the test so that calls
// ring, talk and end without waiting.
type appClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (k *appClock) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return time.Now().Add(k.off)
}

func (k *appClock) Advance(d time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.off += d
}

// appEnv is a console whose sandbox runs on a clock the test moves, with
// few detail records so that a sync is quick.
func appEnv(t *testing.T) (*env, *appClock) {
	t.Helper()
	k := &appClock{}
	e := newEnvWith(t, sandbox.Config{Now: k.Now, CDRs: 300, OtherCDRs: -1, MessageDRs: -1, ConferenceMeetings: -1, MediatorCalls: 40})
	return e, k
}

// createAppEndpoint creates a hosted endpoint for the demo partner.
func createAppEndpoint(t *testing.T, cx *carrierx.Client, typ, name string) carrierx.Endpoint {
	t.Helper()
	ep, err := cx.CreateEndpoint(context.Background(), carrierx.EndpointUpdate{Type: carrierx.Set(typ), Name: carrierx.Set(name)})
	require.NoError(t, err)
	return *ep
}

// appAuditActions are the partner's audit entries on objects of a type, as
// action/outcome.
func appAuditActions(t *testing.T, e *env, objectType string) []string {
	t.Helper()
	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Limit: 500})
	require.NoError(t, err)
	var out []string
	for _, en := range entries {
		if en.ObjectType == objectType {
			out = append(out, en.Action+"/"+en.Outcome)
		}
	}
	return out
}

func TestMediatorBindingsCreateEditDelete(t *testing.T) {
	e, _ := appEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ep := createAppEndpoint(t, cx, "mediator", "Forwarding")
	m, err := cx.Mediator(ep)
	require.NoError(t, err)
	dids, err := m.ListDIDs(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, dids.Items, "a new account is lent numbers")
	b := e.browser()
	b.signIn("demo", "demo")
	base := "/mediator/" + ep.EndpointSID

	// The endpoint's page leads to its console.
	assert.Contains(t, b.get("/endpoints/"+ep.EndpointSID).Body, `href="`+base+`"`)
	assert.Contains(t, b.get("/endpoints").Body, `href="`+base+`"`)
	page := b.get(base)
	require.Equal(t, http.StatusOK, page.StatusCode, page.Body)
	assert.Contains(t, page.Body, ep.Properties["account_sid"])
	assert.Contains(t, page.Body, deref(dids.Items[0].InternationalFormat))
	assert.Contains(t, page.Body, "No bindings yet.")

	// Refused before CarrierX: no destination.
	bad := b.post(base+"/bindings", url.Values{"name": {"Sales line"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Enter the number calls are forwarded to.")
	assert.Contains(t, bad.Body, `value="Sales line"`, "what was typed stays")

	// Created: CarrierX picks a free redirect number; the list answers in place.
	made := b.post(base+"/bindings", url.Values{"name": {"Sales line"}, "destination_did": {"+1 (555) 123-0001"},
		"maximum_ttl": {"-1"}, "wait_origination_did_ttl": {"300"}}, true)
	require.Equal(t, http.StatusOK, made.StatusCode, made.Body)
	assert.Contains(t, made.Body, `id="mediator-bindings"`)
	assert.Contains(t, made.Body, "Created the binding Sales line")
	list, err := m.ListBindings(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	bd := list.Items[0]
	assert.Equal(t, "15551230001", bd.DestinationDID)
	assert.Contains(t, made.Body, `id="binding-`+bd.BindingSID+`"`)
	assert.Contains(t, made.Body, "+1 555-123-0001")

	// CarrierX's own refusal (409: the redirect number already forwards for
	// every caller) lands beside the field; nothing is created.
	taken := b.post(base+"/bindings", url.Values{"name": {"Support"}, "destination_did": {"+15551230002"},
		"redirect_did": {bd.RedirectDID}}, true)
	assert.Equal(t, http.StatusConflict, taken.StatusCode)
	assert.Contains(t, taken.Body, "redirect_did is already used by a binding for the same callers")
	assert.Regexp(t, `id="err-redirect_did">[^<]*already used`, taken.Body)
	list, err = m.ListBindings(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, list.Items, 1)

	// Edit in place: the form, then the row again with only the change sent.
	row := base + "/bindings/" + bd.BindingSID
	edit := b.get(row+"/edit", "binding-"+bd.BindingSID)
	require.Equal(t, http.StatusOK, edit.StatusCode)
	assert.Contains(t, edit.Body, `value="+1 555-123-0001"`)
	assert.NotContains(t, edit.Body, "<html")
	form := url.Values{"name": {"Sales (Anna)"}, "destination_did": {"+15551230001"}, "redirect_did": {bd.RedirectDID},
		"origination_did": {"+15557654321"}, "maximum_ttl": {"-1"}, "wait_origination_did_ttl": {"300"}}
	saved := b.post(row, form, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, "Saved the binding Sales (Anna).")
	assert.Contains(t, saved.Body, "only +1 555-765-4321")
	got, err := m.GetBinding(ctx, bd.BindingSID)
	require.NoError(t, err)
	assert.Equal(t, "Sales (Anna)", got.Name)
	assert.Equal(t, "15557654321", deref(got.OriginationDID))
	assert.Contains(t, b.post(row, form, true).Body, "No changes to save")

	// CarrierX refuses a DTMF string; its words stay beside the field.
	form.Set("dtmf", "12x")
	refused := b.post(row, form, true)
	assert.Equal(t, http.StatusUnprocessableEntity, refused.StatusCode)
	assert.Contains(t, refused.Body, "dtmf may hold digits, *, # and commas only")
	assert.Contains(t, refused.Body, `class="editing"`)

	// The row comes back when the edit is cancelled.
	back := b.get(row+"/row", "binding-"+bd.BindingSID)
	assert.Contains(t, back.Body, "Sales (Anna)")

	// A call through the binding, once synced, is among the records its row
	// links to.
	e.sandbox.CallBinding(ep.Properties["account_sid"], bd.BindingSID, "+15557654321", 45*time.Second)
	e.sync("demo")
	calls := regexp.MustCompile(`href="(/records/mediator\?[^"]+)">Calls<`).FindStringSubmatch(back.Body)
	require.NotNil(t, calls, back.Body)
	through, err := cx.ListMediatorCalls(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("binding_sid", bd.BindingSID)})
	require.NoError(t, err)
	require.Len(t, through.Items, 1)
	assert.Contains(t, b.get(strings.ReplaceAll(calls[1], "&amp;", "&")).Body, `id="record-`+through.Items[0].DRSID+`"`)

	// Another partner cannot reach the console, nor the binding.
	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get(base).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post(row+"/delete", url.Values{}, true).StatusCode)
	_, err = m.GetBinding(ctx, bd.BindingSID)
	require.NoError(t, err, "still there")

	// Delete: the row goes, the flash says what stopped.
	gone := b.post(row+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, gone.StatusCode, gone.Body)
	assert.Contains(t, gone.Body, "Deleted the binding Sales (Anna)")
	assert.NotContains(t, gone.Body, `id="binding-`)
	_, err = m.GetBinding(ctx, bd.BindingSID)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err))

	// A plain form post works too, and comes back to the console.
	plain := b.post(base+"/bindings", url.Values{"_csrf": {b.csrf}, "destination_did": {"+15551230003"}}, false)
	assert.Equal(t, http.StatusSeeOther, plain.StatusCode)
	assert.Equal(t, base, plain.Header.Get("Location"))
	assert.Contains(t, b.get(base).Body, "+1 555-123-0003")

	assert.ElementsMatch(t, []string{"create/ok", "create/error", "edit/ok", "edit/error", "delete/ok", "create/ok"},
		appAuditActions(t, e, "mediator_binding"))
}

var hxFollowRE = regexp.MustCompile(`^/mediator/[0-9a-f-]{36}/dialouts/([0-9a-f-]{36})\?at=[^&]+&number=15551112222$`)

// statePollURL is the state fragment's polling address, "" when it stopped.
func statePollURL(body string) string {
	m := regexp.MustCompile(`hx-get="([^"]+/state[^"]*)" hx-trigger="every`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

func TestMediatorDialoutFollowedToItsRecord(t *testing.T) {
	e, clock := appEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ep := createAppEndpoint(t, cx, "mediator", "Click to call")
	m, err := cx.Mediator(ep)
	require.NoError(t, err)
	dids, err := m.ListDIDs(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, dids.Items)
	from := dids.Items[0].Phonenumber
	b := e.browser()
	b.signIn("demo", "demo")
	base := "/mediator/" + ep.EndpointSID

	// CarrierX refuses a redirect number that is not the account's, in place.
	foreign := b.post(base+"/dialouts", url.Values{"redirect_did": {"15550009999"}, "stage_one_destination_did": {"+15551112222"},
		"stage_two_destination_did": {"+15553334444"}, "delay": {"0"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, foreign.StatusCode)
	assert.Contains(t, foreign.Body, "redirect_did must be one of the DIDs of the Mediator endpoint")
	assert.Contains(t, foreign.Body, `id="dialout-form"`)

	placed := b.post(base+"/dialouts", url.Values{"redirect_did": {from}, "stage_one_destination_did": {"+15551112222"},
		"stage_two_destination_did": {"+15553334444"}, "delay": {"0"}}, true)
	require.Equal(t, http.StatusOK, placed.StatusCode, placed.Body)
	follow := placed.Header.Get("HX-Redirect")
	mm := hxFollowRE.FindStringSubmatch(follow)
	require.NotNil(t, mm, follow)
	dialoutSID := mm[1]

	// A second dialout to the same first number is CarrierX's 409.
	again := b.post(base+"/dialouts", url.Values{"redirect_did": {dids.Items[len(dids.Items)-1].Phonenumber},
		"stage_one_destination_did": {"+15551112222"}, "stage_two_destination_did": {"+15556667777"}}, true)
	assert.Equal(t, http.StatusConflict, again.StatusCode)
	assert.Contains(t, again.Body, "is already used by another dialout")

	// Live: followed on its page every 2 s, listed on the console.
	live := b.get(follow)
	require.Equal(t, http.StatusOK, live.StatusCode)
	assert.Contains(t, live.Body, "Dialout placed")
	assert.Contains(t, live.Body, `data-state="live"`)
	assert.Contains(t, live.Body, `hx-trigger="every 2s"`)
	poll := statePollURL(live.Body)
	require.NotEmpty(t, poll)
	assert.Contains(t, b.get(base).Body, `id="dialout-`+dialoutSID+`"`)

	// Both numbers answer within 14 s and are connected: the dialout is gone,
	// the call still talks, and the page keeps asking.
	clock.Advance(20 * time.Second)
	connected := b.get(poll, "dialout-state")
	assert.Contains(t, connected.Body, `data-state="gone"`)
	assert.Contains(t, connected.Body, "Gone from CarrierX's live API.")
	assert.Contains(t, connected.Body, "Looking for its record")
	poll = statePollURL(connected.Body)
	require.NotEmpty(t, poll, "still polling")
	assert.Contains(t, poll, "gone=")

	// The call ends: its record is fetched from Core (not yet cached).
	clock.Advance(6 * time.Minute)
	ended := b.get(poll, "dialout-state")
	assert.Contains(t, ended.Body, `data-state="recorded"`)
	assert.Contains(t, ended.Body, "✓ connected")
	assert.Contains(t, ended.Body, "+1 555-111-2222")
	assert.Contains(t, ended.Body, "+1 555-333-4444")
	assert.Contains(t, ended.Body, "Fetched from CarrierX")
	assert.Empty(t, statePollURL(ended.Body), "polling stops once the record is found")
	recs, err := cx.ListMediatorCalls(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("dialout_sid", dialoutSID)})
	require.NoError(t, err)
	require.Len(t, recs.Items, 1)
	drSID := recs.Items[0].DRSID
	assert.Contains(t, ended.Body, drSID)

	// Once synced, the record is found in the report cache, with a link to it
	// in the explorer.
	e.sync("demo")
	cached := b.get(poll, "dialout-state")
	assert.Contains(t, cached.Body, "In the report cache")
	link := regexp.MustCompile(`href="(/records/mediator\?[^"]+)#record-` + drSID + `"`).FindStringSubmatch(cached.Body)
	require.NotNil(t, link, cached.Body)
	explorer := b.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	require.Equal(t, http.StatusOK, explorer.StatusCode)
	assert.Contains(t, explorer.Body, `id="record-`+drSID+`"`)

	// A dialout cancelled before it dials leaves the live list at once.
	later := b.post(base+"/dialouts", url.Values{"redirect_did": {from}, "stage_one_destination_did": {"+15551119999"},
		"stage_two_destination_did": {"+15553338888"}, "delay": {"600"}}, true)
	require.Equal(t, http.StatusOK, later.StatusCode, later.Body)
	laterSID := regexp.MustCompile(`/dialouts/([0-9a-f-]{36})\?`).FindStringSubmatch(later.Header.Get("HX-Redirect"))[1]
	waiting := b.get(later.Header.Get("HX-Redirect"))
	assert.Contains(t, waiting.Body, "Waiting: dials at")
	cancelled := b.post(base+"/dialouts/"+laterSID+"/cancel", url.Values{}, true)
	require.Equal(t, http.StatusOK, cancelled.StatusCode, cancelled.Body)
	assert.Contains(t, cancelled.Body, "Cancelled the dialout +1 555-111-9999 ↔ +1 555-333-8888.")
	assert.Contains(t, cancelled.Body, `data-state="gone"`)
	_, err = m.GetDialout(ctx, laterSID)
	assert.Equal(t, http.StatusNotFound, statusOfErr(err))

	assert.ElementsMatch(t, []string{"create/error", "create/ok", "create/error", "create/ok", "cancel/ok"},
		appAuditActions(t, e, "mediator_dialout"))
}

// TestMediatorAttributes: a binding's and a dialout's attributes are typed
// as name=value lines, checked for shape, sent whole, shown in the row and
// audited.
func TestMediatorAttributes(t *testing.T) {
	e, _ := appEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ep := createAppEndpoint(t, cx, "mediator", "Options")
	m, err := cx.Mediator(ep)
	require.NoError(t, err)
	dids, err := m.ListDIDs(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, dids.Items)
	b := e.browser()
	b.signIn("demo", "demo")
	base := "/mediator/" + ep.EndpointSID

	bad := b.post(base+"/bindings", url.Values{"destination_did": {"+15551230001"}, "attributes": {"ringback=moh\nhide the number"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	assert.Contains(t, bad.Body, "Line 2: write name=value")
	assert.Contains(t, bad.Body, `id="err-attributes"`)
	twice := b.post(base+"/bindings", url.Values{"destination_did": {"+15551230001"}, "attributes": {"ringback=moh\r\nringback=ring"}}, true)
	assert.Contains(t, twice.Body, "Line 2: ringback is given twice.")
	none, err := m.ListBindings(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, none.Items, "nothing is created from a bad form")

	made := b.post(base+"/bindings", url.Values{"name": {"Hold music"}, "destination_did": {"+15551230001"},
		"attributes": {" ringback = moh \n\nhide_origination_did=true\n"}}, true)
	require.Equal(t, http.StatusOK, made.StatusCode, made.Body)
	list, err := m.ListBindings(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	bd := list.Items[0]
	assert.Equal(t, carrierx.Attributes{"ringback": "moh", "hide_origination_did": "true"}, bd.Attributes)
	assert.Contains(t, made.Body, "hide_origination_did=true, ringback=moh")

	row := base + "/bindings/" + bd.BindingSID
	edit := b.get(row+"/edit", "binding-"+bd.BindingSID)
	assert.Contains(t, edit.Body, ">hide_origination_did=true\nringback=moh</textarea>")
	form := url.Values{"name": {"Hold music"}, "destination_did": {"+15551230001"}, "redirect_did": {bd.RedirectDID},
		"maximum_ttl": {"-1"}, "wait_origination_did_ttl": {"300"}, "attributes": {"ringback=moh"}}
	saved := b.post(row, form, true)
	require.Equal(t, http.StatusOK, saved.StatusCode, saved.Body)
	assert.Contains(t, saved.Body, "Saved the binding Hold music.")
	got, err := m.GetBinding(ctx, bd.BindingSID)
	require.NoError(t, err)
	assert.Equal(t, carrierx.Attributes{"ringback": "moh"}, got.Attributes, "the whole set is sent: the removed one goes")
	assert.Contains(t, b.post(row, form, true).Body, "No changes to save")

	entries, _, err := e.db.ListAudit(ctx, store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "edit"})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Contains(t, string(entries[0].Before), "hide_origination_did")
	assert.NotContains(t, string(entries[0].After), "hide_origination_did")

	// A dialout carries its attributes too.
	placed := b.post(base+"/dialouts", url.Values{"redirect_did": {dids.Items[0].Phonenumber}, "stage_one_destination_did": {"+15551112222"},
		"stage_two_destination_did": {"+15553334444"}, "delay": {"30"}, "attributes": {"cnam=ACME Support"}}, true)
	require.Equal(t, http.StatusOK, placed.StatusCode, placed.Body)
	outs, err := m.ListDialouts(ctx, carrierx.ListOptions{})
	require.NoError(t, err)
	require.Len(t, outs.Items, 1)
	assert.Equal(t, "ACME Support", outs.Items[0].Attributes["cnam"])
	assert.Equal(t, "true", outs.Items[0].Attributes["hide_origination_did"], "CarrierX's default for a dialout stays")
	badOut := b.post(base+"/dialouts", url.Values{"redirect_did": {dids.Items[0].Phonenumber}, "stage_one_destination_did": {"+15551115555"},
		"stage_two_destination_did": {"+15553336666"}, "attributes": {"=x"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, badOut.StatusCode)
	assert.Contains(t, badOut.Body, "Line 1: write name=value")
}
