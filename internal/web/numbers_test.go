package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
)

func TestMyNumbersSearchSortAndPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	all, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Limit: 1000, Order: "phonenumber asc"})
	require.NoError(t, err)
	require.Greater(t, len(all.Items), 25, "the demo partner has more than one page of numbers")

	page := b.get("/numbers")
	assert.Contains(t, page.Body, all.Items[0].InternationalFormat)
	assert.NotContains(t, page.Body, all.Items[len(all.Items)-1].InternationalFormat, "25 a page")
	assert.Contains(t, page.Body, "Showing 1–25 of")

	last := all.Items[len(all.Items)-1]
	desc := b.get("/numbers?sort=phonenumber&dir=desc", "numbers-results")
	assert.Contains(t, desc.Body, last.InternationalFormat)
	assert.NotContains(t, desc.Body, "<html", "htmx gets only the fragment")

	next := b.get("/numbers?offset=25", "numbers-results")
	assert.Contains(t, next.Body, all.Items[25].InternationalFormat)

	target := all.Items[7]
	found := b.get("/numbers?contains="+target.Phonenumber[4:], "numbers-results")
	assert.Contains(t, found.Body, target.InternationalFormat)
	assert.Contains(t, found.Body, "Showing 1–")

	byState := b.get("/numbers?state="+target.State, "numbers-results")
	for _, d := range all.Items {
		if d.State != target.State {
			assert.NotContains(t, byState.Body, d.InternationalFormat)
		}
	}
}

func TestRentOnceEvenWhenClickedTwice(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	npa := e.areaCodeWithNumbers(cx)
	avail := e.firstAvailable(cx, npa)

	b := e.browser()
	b.signIn("demo", "demo")
	search := b.get("/rent?area_code="+npa, "rent-results")
	require.Equal(t, http.StatusOK, search.StatusCode)
	require.Contains(t, search.Body, avail.InternationalFormat)

	// A double click and a second tab at the same moment.
	second := e.browser()
	second.signIn("demo", "demo")
	var wg sync.WaitGroup
	bodies := make([]string, 3)
	for i, br := range []*browser{b, b, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = br.post("/rent", url.Values{"phonenumber": {avail.Phonenumber}}, true).Body
		}()
	}
	wg.Wait()
	rented, already := 0, 0
	for _, body := range bodies {
		switch {
		case strings.Contains(body, "✓ Rented"):
			rented++
		case strings.Contains(body, "Already yours"):
			already++
		default:
			t.Errorf("unexpected answer: %s", body)
		}
	}
	assert.Equal(t, 1, rented)
	assert.Equal(t, 2, already)

	// A retried request, later, says the same.
	retry := b.post("/rent", url.Values{"phonenumber": {avail.Phonenumber}}, true)
	assert.Contains(t, retry.Body, "is already yours: it was not rented again")

	mine, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", avail.Phonenumber)})
	require.NoError(t, err)
	require.Len(t, mine.Items, 1)
	assert.Equal(t, "assigned", mine.Items[0].Status)

	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "rent"})
	require.NoError(t, err)
	require.Len(t, entries, 1, "one rental, one audit row")
	assert.Equal(t, store.OutcomeOK, entries[0].Outcome)
}

func TestRentSomeoneElsesNumberSaysSo(t *testing.T) {
	e := newEnv(t)
	cx := e.demoClient()
	avail := e.firstAvailable(cx, e.areaCodeWithNumbers(cx))
	otherTok, err := e.cx.CreateToken(context.Background(), carrierx.TokenRequest{Login: "other", Password: "other"})
	require.NoError(t, err)
	_, err = e.cx.WithBearer(otherTok.AccessToken).RentDID(context.Background(), carrierx.RentDIDRequest{Phonenumber: avail.Phonenumber})
	require.NoError(t, err)

	b := e.browser()
	b.signIn("demo", "demo")
	r := b.post("/rent", url.Values{"phonenumber": {avail.Phonenumber}}, true)
	assert.Equal(t, http.StatusConflict, r.StatusCode)
	assert.Contains(t, r.Body, "Not rented: CarrierX refused")
	assert.NotContains(t, r.Body, ">Rent</button>", "no button to try again")
}

func TestRentSearchValidatesInput(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	r := b.get("/rent?area_code=12a", "rent-results")
	assert.Contains(t, r.Body, "An area code is three digits")
	r = b.post("/rent", url.Values{"phonenumber": {"<script>"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	assert.Contains(t, r.Body, "not a phone number")
	assert.NotContains(t, r.Body, "<script>")
}

func TestEditShowsCarrierXFieldErrorsAndAudits(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	mine, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	d := mine.Items[0]

	// The console's own checks.
	r := b.post("/numbers/"+d.DIDSID+"?inline=1", url.Values{"name": {"x"}, "callback_url": {"ftp://x"}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	assert.Contains(t, r.Body, `id="err-callback_url"`)

	// A trunk group that vanished between the form and the save: CarrierX refuses the field.
	tg, err := cx.ListTrunkGroups(context.Background(), carrierx.ListOptions{Limit: 10})
	require.NoError(t, err)
	require.NotEmpty(t, tg.Items)
	doomed := e.createTrunkGroup("Short-lived")
	form := b.get("/numbers/"+d.DIDSID+"/edit", "row-"+d.DIDSID)
	require.Contains(t, form.Body, doomed)
	e.deleteTrunkGroup(cx, doomed)
	r = b.post("/numbers/"+d.DIDSID+"?inline=1", url.Values{"name": {d.Name}, "trunk_group_sid": {doomed}}, true)
	assert.Equal(t, http.StatusUnprocessableEntity, r.StatusCode)
	assert.Contains(t, r.Body, `id="err-trunk_group_sid"`)

	// A good edit, to a trunk group the number is not on yet.
	newTG := tg.Items[0].TrunkGroupSID
	if d.TrunkGroupSID != nil && *d.TrunkGroupSID == newTG {
		newTG = tg.Items[1].TrunkGroupSID
	}
	r = b.post("/numbers/"+d.DIDSID+"?inline=1", url.Values{"name": {"Main line <1>"}, "trunk_group_sid": {newTG},
		"callback_url": {"https://example.com/sms"}, "string_key_1": {"k1"}}, true)
	require.Equal(t, http.StatusOK, r.StatusCode, r.Body)
	assert.Contains(t, r.Body, "Main line &lt;1&gt;", "escaped")
	assert.Contains(t, r.Body, `hx-swap-oob="true"`, "with a flash")
	got, err := cx.GetDID(context.Background(), d.DIDSID)
	require.NoError(t, err)
	assert.Equal(t, "Main line <1>", got.Name)
	assert.Equal(t, newTG, *got.TrunkGroupSID)
	assert.Equal(t, "https://example.com/sms", *got.CallbackURL)

	entries, _, err := e.db.ListAudit(context.Background(), store.AuditQuery{PartnerSID: e.sandbox.DemoPartner().PartnerSID, Action: "edit"})
	require.NoError(t, err)
	require.Len(t, entries, 2)
	assert.Equal(t, store.OutcomeOK, entries[0].Outcome)
	assert.JSONEq(t, `{"name":"Main line <1>","trunk_group_sid":"`+newTG+`","callback_url":"https://example.com/sms","string_key_1":"k1"}`, string(entries[0].After))
	assert.Equal(t, store.OutcomeError, entries[1].Outcome)
}

func TestReleaseAsksThenReleases(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	cx := e.demoClient()
	mine, err := cx.ListDIDs(context.Background(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	d := mine.Items[0]

	ask := b.get("/numbers/"+d.DIDSID+"/release", "row-"+d.DIDSID)
	assert.Contains(t, ask.Body, "Release "+d.InternationalFormat, "the confirmation names the number")
	r := b.post("/numbers/"+d.DIDSID+"/release?inline=1", url.Values{}, true)
	require.Equal(t, http.StatusOK, r.StatusCode, r.Body)
	assert.Contains(t, r.Body, "Released "+d.InternationalFormat)

	_, err = cx.GetDID(context.Background(), d.DIDSID)
	assert.True(t, carrierx.IsNotFound(err), "no longer the partner's")
	again := b.get("/numbers/" + d.DIDSID)
	assert.Equal(t, http.StatusNotFound, again.StatusCode)
	assert.Contains(t, again.Body, "not among your numbers")
}

func TestOutageBannerStillRendersThePage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.signIn("demo", "demo")
	e.cxServer.Close()
	r := b.get("/numbers")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, r.Body, "CarrierX is unreachable")
	assert.Contains(t, r.Body, "My numbers")
}

func TestAuditIsPerPartner(t *testing.T) {
	e := newEnv(t)
	demo := e.browser()
	demo.signIn("demo", "demo")
	other := e.browser()
	other.signIn("other", "other")
	page := other.get("/audit")
	assert.Contains(t, page.Body, "Other Networks")
	assert.NotContains(t, page.Body, "Demo Telecom", "another partner's entries are not shown")
	assert.Contains(t, demo.get("/audit").Body, "sign_in")
}
