package carrierx_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// flexmlAccount is a FlexML endpoint's API with a number of its own: a DID
// rented for it and routed to it through a trunk group whose trunk names
// the endpoint.
type flexmlAccount struct {
	api *carrierx.FlexML
	ep  carrierx.Endpoint
	did *carrierx.DID // the Core DID routed to the endpoint
}

func (a flexmlAccount) sid() string { return a.ep.Properties["account_sid"] }

// routedDID rents a number and routes it to the endpoint.
func routedDID(t *testing.T, f *fixture, ep carrierx.Endpoint) *carrierx.DID {
	t.Helper()
	g, err := f.cx.CreateTrunkGroup(ctx(), carrierx.TrunkGroupUpdate{Name: carrierx.Set("to " + ep.Name),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set("app"), EndpointSID: carrierx.Set(ep.EndpointSID)}})})
	require.NoError(t, err)
	d, err := f.cx.RentDID(ctx(), carrierx.RentDIDRequest{Phonenumber: available(t, f).Phonenumber,
		TrunkGroupSID: carrierx.Set(g.TrunkGroupSID)})
	require.NoError(t, err)
	return d
}

func newFlexMLAccount(t *testing.T, f *fixture) flexmlAccount {
	t.Helper()
	ep := hostedEndpoint(t, f, carrierx.EndpointFlexML)
	api, err := f.cx.FlexML(ep)
	require.NoError(t, err)
	return flexmlAccount{api: api, ep: ep, did: routedDID(t, f, ep)}
}

// flexmlDID returns the account's DID object of its routed number.
func (a flexmlAccount) flexmlDID(t *testing.T) carrierx.FlexMLDID {
	t.Helper()
	for d, err := range a.api.AllDIDs(ctx(), carrierx.ListOptions{}) {
		require.NoError(t, err)
		if d.Phonenumber == a.did.Phonenumber {
			return d
		}
	}
	t.Fatalf("number %s is not the account's", a.did.Phonenumber)
	return carrierx.FlexMLDID{}
}

// queuedCall places a call an hour ahead, so that it stays queued.
func (a flexmlAccount) queuedCall(t *testing.T) *carrierx.FlexMLCall {
	t.Helper()
	c, err := a.api.CreateCall(ctx(), carrierx.FlexMLCallUpdate{CallingDID: carrierx.Set(a.did.Phonenumber),
		CalledDID: carrierx.Set("15162065318"), Delay: carrierx.Set(3600)})
	require.NoError(t, err)
	return c
}

// wrongPassword is the endpoint with a bad API password.
func wrongPassword(ep carrierx.Endpoint) carrierx.Endpoint {
	bad := ep
	bad.Properties = carrierx.Attributes{}
	for k, v := range ep.Properties {
		bad.Properties[k] = v
	}
	bad.Properties["password"] = "wrong"
	return bad
}

func init() {
	exercised["flexml GET /accounts"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		p, err := a.api.ListAccounts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "an endpoint's API lists its own account only")
		acc := p.Items[0]
		assert.Equal(t, a.sid(), acc.AccountSID)
		assert.Equal(t, a.ep.Properties["login"], acc.Login)
		assert.Equal(t, a.ep.Name, acc.Name, "the account is named after the endpoint")
		assert.Equal(t, "basic", acc.ErrorHandler, "documented default")
		assert.Equal(t, "POST", acc.Method, "documented default")
		assert.NotNil(t, acc.DateCreated)

		other := newFlexMLAccount(t, f)
		op, err := other.api.ListAccounts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, op.Items, 1)
		assert.Equal(t, other.sid(), op.Items[0].AccountSID)

		bad, err := f.cx.FlexML(wrongPassword(a.ep))
		require.NoError(t, err)
		_, err = bad.ListAccounts(ctx(), carrierx.ListOptions{})
		assert.Equal(t, 401, statusOf(err))
	}
	exercised["flexml GET /accounts/{account_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		acc, err := a.api.GetAccount(ctx(), a.sid())
		require.NoError(t, err)
		assert.Equal(t, a.sid(), acc.AccountSID)
		assert.Nil(t, acc.URL)
		other := newFlexMLAccount(t, f)
		_, err = other.api.GetAccount(ctx(), a.sid())
		assert.Equal(t, 404, statusOf(err), "another account is not found")
	}
	exercised["flexml PATCH/PUT /accounts/{account_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		acc, err := a.api.UpdateAccount(ctx(), a.sid(), carrierx.FlexMLAccountUpdate{URL: carrierx.Set("https://ivr.example.com/flexml"),
			ErrorHandler: carrierx.Set("none")})
		require.NoError(t, err)
		require.NotNil(t, acc.URL)
		assert.Equal(t, "https://ivr.example.com/flexml", *acc.URL)
		assert.Equal(t, "none", acc.ErrorHandler)
		assert.Equal(t, a.ep.Name, acc.Name, "PATCH keeps what it does not name")

		_, err = a.api.UpdateAccount(ctx(), a.sid(), carrierx.FlexMLAccountUpdate{StatusCallbackURL: carrierx.Set("not a url")})
		assert.Equal(t, 422, statusOf(err), "URLs are absolute http(s)")
		_, err = a.api.UpdateAccount(ctx(), a.sid(), carrierx.FlexMLAccountUpdate{Method: carrierx.Set("PUT")})
		assert.Equal(t, 422, statusOf(err), "method is GET or POST")

		acc.Name = "renamed"
		acc.StatusCallbackMethod = "GET"
		got, err := a.api.ReplaceAccount(ctx(), a.sid(), *acc)
		require.NoError(t, err)
		assert.Equal(t, "renamed", got.Name)
		assert.Equal(t, "GET", got.StatusCallbackMethod)
		require.NotNil(t, got.URL)
		again, err := a.api.GetAccount(ctx(), a.sid())
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")
	}

	exercised["flexml POST /calls"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		c, err := a.api.CreateCall(ctx(), carrierx.FlexMLCallUpdate{CallingDID: carrierx.Set("+" + a.did.Phonenumber),
			CalledDID: carrierx.Set("15162065318"), Delay: carrierx.Set(3600),
			StatusCallbackURL: carrierx.Set("https://cb.example.com/status")})
		require.NoError(t, err)
		assert.NotEmpty(t, c.CallSID)
		assert.Equal(t, a.sid(), c.AccountSID)
		assert.Equal(t, a.did.Phonenumber, c.CallingDID, "numbers are stored without +")
		assert.Equal(t, "15162065318", c.CalledDID)
		assert.Equal(t, 3600, c.Delay)
		assert.Equal(t, "POST", c.Method, "documented default")
		assert.Equal(t, "POST", c.StatusCallbackMethod, "documented default")
		assert.NotNil(t, c.Attributes)
		assert.NotNil(t, c.DateCreated)

		_, err = a.api.CreateCall(ctx(), carrierx.FlexMLCallUpdate{CallingDID: carrierx.Set("15550009999"), CalledDID: carrierx.Set("15162065318")})
		assert.Equal(t, 422, statusOf(err), "calling_did must be one of the endpoint's DIDs")
		_, err = a.api.CreateCall(ctx(), carrierx.FlexMLCallUpdate{CallingDID: carrierx.Set(a.did.Phonenumber)})
		assert.Equal(t, 422, statusOf(err), "called_did is required")
	}
	exercised["flexml GET /calls"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		c := a.queuedCall(t)
		p, err := a.api.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *c, p.Items[0])
		n := 0
		for it, err := range a.api.AllCalls(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("called_did", "15162065318")}) {
			require.NoError(t, err)
			assert.Equal(t, c.CallSID, it.CallSID)
			n++
		}
		assert.Equal(t, 1, n)
		other := newFlexMLAccount(t, f)
		op, err := other.api.ListCalls(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another account's calls are not listed")
	}
	exercised["flexml GET /calls/{call_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		c := a.queuedCall(t)
		got, err := a.api.GetCall(ctx(), c.CallSID)
		require.NoError(t, err)
		assert.Equal(t, *c, *got)
		other := newFlexMLAccount(t, f)
		_, err = other.api.GetCall(ctx(), c.CallSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["flexml PATCH/PUT /calls/{call_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		c := a.queuedCall(t)
		got, err := a.api.UpdateCall(ctx(), c.CallSID, carrierx.FlexMLCallUpdate{StatusCallbackURL: carrierx.Set("https://cb.example.com/end"),
			StatusCallbackMethod: carrierx.Set("GET"), Delay: carrierx.Set(7200)})
		require.NoError(t, err)
		require.NotNil(t, got.StatusCallbackURL)
		assert.Equal(t, "https://cb.example.com/end", *got.StatusCallbackURL)
		assert.Equal(t, "GET", got.StatusCallbackMethod)
		assert.Equal(t, 7200, got.Delay, "a queued call's delay may change")
		assert.Equal(t, c.CalledDID, got.CalledDID, "PATCH keeps what it does not name")

		_, err = a.api.UpdateCall(ctx(), c.CallSID, carrierx.FlexMLCallUpdate{StatusCallbackMethod: carrierx.Set("FETCH")})
		assert.Equal(t, 422, statusOf(err))
		_, err = a.api.UpdateCall(ctx(), c.CallSID, carrierx.FlexMLCallUpdate{CallingDID: carrierx.Set("15550009999")})
		assert.Equal(t, 422, statusOf(err), "calling_did stays one of the endpoint's DIDs")

		got.URL = new(string)
		*got.URL = "https://ivr.example.com/call"
		put, err := a.api.ReplaceCall(ctx(), c.CallSID, *got)
		require.NoError(t, err)
		require.NotNil(t, put.URL)
		assert.Equal(t, "https://ivr.example.com/call", *put.URL)
		assert.Equal(t, 7200, put.Delay)
	}
	exercised["flexml DELETE /calls/{call_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		c := a.queuedCall(t)
		other := newFlexMLAccount(t, f)
		assert.Equal(t, 404, statusOf(other.api.DeleteCall(ctx(), c.CallSID)))
		require.NoError(t, a.api.DeleteCall(ctx(), c.CallSID))
		_, err := a.api.GetCall(ctx(), c.CallSID)
		assert.Equal(t, 404, statusOf(err), "a cancelled call is gone")
		assert.Equal(t, 404, statusOf(a.api.DeleteCall(ctx(), c.CallSID)))
	}

	exercised["flexml GET /dids"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		p, err := a.api.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		var numbers []string
		for _, d := range p.Items {
			assert.Equal(t, a.sid(), d.AccountSID)
			numbers = append(numbers, d.Phonenumber)
		}
		assert.Contains(t, numbers, a.did.Phonenumber, "a number routed to the endpoint is the account's")

		require.NoError(t, f.cx.ReleaseDID(ctx(), a.did.DIDSID))
		p, err = a.api.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.False(t, slices.ContainsFunc(p.Items, func(d carrierx.FlexMLDID) bool { return d.Phonenumber == a.did.Phonenumber }),
			"a released number leaves the account")
	}
	exercised["flexml GET /dids/{did_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		d := a.flexmlDID(t)
		got, err := a.api.GetDID(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, d, *got)
		assert.Equal(t, "POST", got.Method, "documented default")
		require.NotNil(t, got.CountryCode)
		assert.Equal(t, "USA", *got.CountryCode)
		other := newFlexMLAccount(t, f)
		_, err = other.api.GetDID(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["flexml PATCH/PUT /dids/{did_sid}"] = func(t *testing.T, f *fixture) {
		a := newFlexMLAccount(t, f)
		d := a.flexmlDID(t)
		got, err := a.api.UpdateDID(ctx(), d.DIDSID, carrierx.FlexMLDIDUpdate{URL: carrierx.Set("https://ivr.example.com/in"),
			Method: carrierx.Set("GET")})
		require.NoError(t, err)
		require.NotNil(t, got.URL)
		assert.Equal(t, "https://ivr.example.com/in", *got.URL)
		assert.Equal(t, "GET", got.Method)
		assert.Equal(t, d.Phonenumber, got.Phonenumber)

		_, err = a.api.UpdateDID(ctx(), d.DIDSID, carrierx.FlexMLDIDUpdate{URL: carrierx.Set("ftp://ivr.example.com/in")})
		assert.Equal(t, 422, statusOf(err), "URLs are absolute http(s)")

		got.StatusCallbackURL = new(string)
		*got.StatusCallbackURL = "https://cb.example.com/did"
		got.URL = nil
		put, err := a.api.ReplaceDID(ctx(), d.DIDSID, *got)
		require.NoError(t, err)
		assert.Nil(t, put.URL)
		require.NotNil(t, put.StatusCallbackURL)
		assert.Equal(t, "https://cb.example.com/did", *put.StatusCallbackURL)
		assert.Equal(t, "GET", put.Method)
	}
}
