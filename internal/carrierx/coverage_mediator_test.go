package carrierx_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// mediatorAccount is a Mediator endpoint's API with a number of its own
// (rented and routed to the endpoint).
type mediatorAccount struct {
	api *carrierx.Mediator
	ep  carrierx.Endpoint
	did *carrierx.DID
}

func (a mediatorAccount) sid() string { return a.ep.Properties["account_sid"] }

func newMediatorAccount(t *testing.T, f *fixture) mediatorAccount {
	t.Helper()
	ep := hostedEndpoint(t, f, carrierx.EndpointMediator)
	api, err := f.cx.Mediator(ep)
	require.NoError(t, err)
	return mediatorAccount{api: api, ep: ep, did: routedDID(t, f, ep)}
}

// numbers returns the account's phone numbers.
func (a mediatorAccount) numbers(t *testing.T) []string {
	t.Helper()
	var out []string
	for d, err := range a.api.AllDIDs(ctx(), carrierx.ListOptions{}) {
		require.NoError(t, err)
		out = append(out, d.Phonenumber)
	}
	return out
}

func (a mediatorAccount) binding(t *testing.T, destination string) *carrierx.MediatorBinding {
	t.Helper()
	b, err := a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{DestinationDID: carrierx.Set(destination),
		RedirectDID: carrierx.Set(a.did.Phonenumber)}, carrierx.MediatorBindingOptions{})
	require.NoError(t, err)
	return b
}

// dialout schedules a dialout an hour ahead, so that it stays listed.
func (a mediatorAccount) dialout(t *testing.T) *carrierx.MediatorDialout {
	t.Helper()
	d, err := a.api.CreateDialout(ctx(), carrierx.MediatorDialoutUpdate{RedirectDID: carrierx.Set(a.did.Phonenumber),
		StageOneDestinationDID: carrierx.Set("15162065339"), StageTwoDestinationDID: carrierx.Set("15162065338"),
		Delay: carrierx.Set(3600)})
	require.NoError(t, err)
	return d
}

func init() {
	exercised["mediator GET /accounts"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		p, err := a.api.ListAccounts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "an endpoint's API lists its own account only")
		assert.Equal(t, a.sid(), p.Items[0].AccountSID)
		assert.Equal(t, a.ep.Properties["login"], p.Items[0].Login)
		assert.Equal(t, a.ep.Name, p.Items[0].Name)
		assert.Equal(t, 10, p.Limit, "the documented default page size")
		require.NotNil(t, p.Total)
		assert.Equal(t, 1, *p.Total)

		bad, err := f.cx.Mediator(wrongPassword(a.ep))
		require.NoError(t, err)
		_, err = bad.ListAccounts(ctx(), carrierx.ListOptions{})
		assert.Equal(t, 401, statusOf(err), "a wrapped error is unwrapped")
	}
	exercised["mediator GET /accounts/{account_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		acc, err := a.api.GetAccount(ctx(), a.sid())
		require.NoError(t, err)
		assert.Equal(t, a.sid(), acc.AccountSID)
		assert.NotNil(t, acc.DateCreated)
		other := newMediatorAccount(t, f)
		_, err = other.api.GetAccount(ctx(), a.sid())
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["mediator POST /bindings"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		nums := a.numbers(t)
		b, err := a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{DestinationDID: carrierx.Set("15162065338"),
			Attributes: carrierx.Set(carrierx.Attributes{"ringback": "moh"})}, carrierx.MediatorBindingOptions{})
		require.NoError(t, err)
		assert.Equal(t, a.sid(), b.AccountSID)
		assert.Equal(t, "15162065338", b.DestinationDID)
		assert.Contains(t, nums, b.RedirectDID, "the redirect number is one of the account's")
		require.NotNil(t, b.RedirectDIDInfo)
		assert.Equal(t, "+"+b.RedirectDID, b.RedirectDIDInfo.E164Format)
		assert.Equal(t, b.RedirectDID, b.RedirectDIDInfo.Phonenumber)
		assert.Equal(t, -1, b.MaximumTTL, "as in the documented sample")
		assert.Equal(t, 300, b.WaitOriginationDIDTTL, "as in the documented sample")
		assert.Equal(t, "N/A", b.Name)
		assert.Nil(t, b.OriginationDID)
		assert.Equal(t, "moh", b.Attributes["ringback"])

		again, err := a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{DestinationDID: carrierx.Set("15162065338")},
			carrierx.MediatorBindingOptions{Reuse: true})
		require.NoError(t, err)
		assert.Equal(t, b.BindingSID, again.BindingSID, "reuse answers the existing binding")

		_, err = a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{DestinationDID: carrierx.Set("15162065338")},
			carrierx.MediatorBindingOptions{FallbackCountry: "CAN"})
		assert.Equal(t, 409, statusOf(err), "no number of that country")
		_, err = a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{Name: carrierx.Set("x")}, carrierx.MediatorBindingOptions{})
		assert.Equal(t, 422, statusOf(err), "destination_did is required")

		// A binding for every caller takes a number for good: once each
		// number has one, there is no free redirect number.
		for range len(nums) - 1 {
			_, err = a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{DestinationDID: carrierx.Set("15162065340")},
				carrierx.MediatorBindingOptions{})
			require.NoError(t, err)
		}
		_, err = a.api.CreateBinding(ctx(), carrierx.MediatorBindingUpdate{DestinationDID: carrierx.Set("15162065340")},
			carrierx.MediatorBindingOptions{})
		assert.Equal(t, 409, statusOf(err), "no redirect number is free")
		assert.True(t, carrierx.IsConflict(err))

		// A call through the binding leaves a Mediator record in Core.
		f.sb.CallBinding(a.sid(), b.BindingSID, "15550001111", 90*time.Second)
		recs, err := f.cx.ListMediatorCalls(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("binding_sid", b.BindingSID)})
		require.NoError(t, err)
		require.Len(t, recs.Items, 1)
		r := recs.Items[0]
		require.NotNil(t, r.NumberRedirect)
		assert.Equal(t, b.RedirectDID, *r.NumberRedirect)
		require.NotNil(t, r.EndpointSID)
		assert.Equal(t, a.ep.EndpointSID, *r.EndpointSID)
		require.NotNil(t, r.Status)
		assert.Equal(t, "completed", *r.Status)
	}
	exercised["mediator GET /bindings"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		b := a.binding(t, "15162065338")
		p, err := a.api.ListBindings(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *b, p.Items[0])
		n := 0
		for it, err := range a.api.AllBindings(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("destination_did", "15162065338")}) {
			require.NoError(t, err)
			assert.Equal(t, b.BindingSID, it.BindingSID)
			n++
		}
		assert.Equal(t, 1, n)
		other := newMediatorAccount(t, f)
		op, err := other.api.ListBindings(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items)
	}
	exercised["mediator GET /bindings/{binding_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		b := a.binding(t, "15162065338")
		got, err := a.api.GetBinding(ctx(), b.BindingSID)
		require.NoError(t, err)
		assert.Equal(t, *b, *got)
		other := newMediatorAccount(t, f)
		_, err = other.api.GetBinding(ctx(), b.BindingSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["mediator PATCH/PUT /bindings/{binding_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		b := a.binding(t, "15162065338")
		got, err := a.api.UpdateBinding(ctx(), b.BindingSID, carrierx.MediatorBindingUpdate{MaximumTTL: carrierx.Set(86400),
			OriginationDID: carrierx.Set("+15550001111"), DTMF: carrierx.Set(",,,,1357")})
		require.NoError(t, err)
		assert.Equal(t, 86400, got.MaximumTTL)
		require.NotNil(t, got.OriginationDID)
		assert.Equal(t, "15550001111", *got.OriginationDID)
		require.NotNil(t, got.DTMF)
		assert.Equal(t, b.DestinationDID, got.DestinationDID, "PATCH keeps what it does not name")

		_, err = a.api.UpdateBinding(ctx(), b.BindingSID, carrierx.MediatorBindingUpdate{RedirectDID: carrierx.Set("15550009999")})
		assert.Equal(t, 422, statusOf(err), "the redirect number must be the account's")
		_, err = a.api.UpdateBinding(ctx(), b.BindingSID, carrierx.MediatorBindingUpdate{MaximumTTL: carrierx.Set(0)})
		assert.Equal(t, 422, statusOf(err))

		got.Name = "campaign"
		got.DTMF = nil
		put, err := a.api.ReplaceBinding(ctx(), b.BindingSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "campaign", put.Name)
		assert.Nil(t, put.DTMF)
		assert.Equal(t, 86400, put.MaximumTTL)
		again, err := a.api.GetBinding(ctx(), b.BindingSID)
		require.NoError(t, err)
		assert.Equal(t, *put, *again, "the change is stored")
	}
	exercised["mediator DELETE /bindings/{binding_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		b := a.binding(t, "15162065338")
		other := newMediatorAccount(t, f)
		assert.Equal(t, 404, statusOf(other.api.DeleteBinding(ctx(), b.BindingSID)))
		require.NoError(t, a.api.DeleteBinding(ctx(), b.BindingSID))
		_, err := a.api.GetBinding(ctx(), b.BindingSID)
		assert.Equal(t, 404, statusOf(err))
		// Its redirect number is free again.
		again := a.binding(t, "15162065339")
		assert.Equal(t, b.RedirectDID, again.RedirectDID)
	}

	exercised["mediator POST /dialouts"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		d, err := a.api.CreateDialout(ctx(), carrierx.MediatorDialoutUpdate{RedirectDID: carrierx.Set(a.did.Phonenumber),
			StageOneDestinationDID: carrierx.Set("15162065339"), StageTwoDestinationDID: carrierx.Set("15162065338"),
			Delay: carrierx.Set(3600), Attributes: carrierx.Set(carrierx.Attributes{"ringback": "false"})})
		require.NoError(t, err)
		assert.NotEmpty(t, d.DialoutSID)
		assert.Equal(t, a.sid(), d.AccountSID)
		assert.Equal(t, 3600, d.Delay)
		assert.Equal(t, "false", d.Attributes["ringback"])
		assert.Equal(t, "true", d.Attributes["hide_origination_did"], "as in the documented sample")

		_, err = a.api.CreateDialout(ctx(), carrierx.MediatorDialoutUpdate{RedirectDID: carrierx.Set(a.did.Phonenumber),
			StageOneDestinationDID: carrierx.Set("15162065340"), StageTwoDestinationDID: carrierx.Set("15162065341")})
		assert.Equal(t, 409, statusOf(err), "two dialouts cannot use the same numbers at once")
		_, err = a.api.CreateDialout(ctx(), carrierx.MediatorDialoutUpdate{RedirectDID: carrierx.Set("15550009999"),
			StageOneDestinationDID: carrierx.Set("15162065340"), StageTwoDestinationDID: carrierx.Set("15162065341")})
		assert.Equal(t, 422, statusOf(err), "the redirect number must be the account's")
	}
	exercised["mediator GET /dialouts"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		d := a.dialout(t)
		p, err := a.api.ListDialouts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *d, p.Items[0])
		n := 0
		for it, err := range a.api.AllDialouts(ctx(), carrierx.ListOptions{}) {
			require.NoError(t, err)
			assert.Equal(t, d.DialoutSID, it.DialoutSID)
			n++
		}
		assert.Equal(t, 1, n)
		other := newMediatorAccount(t, f)
		op, err := other.api.ListDialouts(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items)
	}
	exercised["mediator GET /dialouts/{dialout_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		d := a.dialout(t)
		got, err := a.api.GetDialout(ctx(), d.DialoutSID)
		require.NoError(t, err)
		assert.Equal(t, *d, *got)
		other := newMediatorAccount(t, f)
		_, err = other.api.GetDialout(ctx(), d.DialoutSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["mediator PATCH/PUT /dialouts/{dialout_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		d := a.dialout(t)
		got, err := a.api.UpdateDialout(ctx(), d.DialoutSID, carrierx.MediatorDialoutUpdate{Delay: carrierx.Set(1800),
			StageTwoDestinationDID: carrierx.Set("15162065340")})
		require.NoError(t, err)
		assert.Equal(t, 1800, got.Delay)
		assert.Equal(t, "15162065340", got.StageTwoDestinationDID)
		assert.Equal(t, d.StageOneDestinationDID, got.StageOneDestinationDID, "PATCH keeps what it does not name")

		_, err = a.api.UpdateDialout(ctx(), d.DialoutSID, carrierx.MediatorDialoutUpdate{Delay: carrierx.Set(-5)})
		assert.Equal(t, 422, statusOf(err))

		got.Attributes["announce"] = "https://media.example.com/hello.wav"
		put, err := a.api.ReplaceDialout(ctx(), d.DialoutSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "https://media.example.com/hello.wav", put.Attributes["announce"])
		assert.Equal(t, 1800, put.Delay)
	}
	exercised["mediator DELETE /dialouts/{dialout_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		d := a.dialout(t)
		other := newMediatorAccount(t, f)
		assert.Equal(t, 404, statusOf(other.api.DeleteDialout(ctx(), d.DialoutSID)))
		require.NoError(t, a.api.DeleteDialout(ctx(), d.DialoutSID))
		_, err := a.api.GetDialout(ctx(), d.DialoutSID)
		assert.Equal(t, 404, statusOf(err))
		recs, err := f.cx.ListMediatorCalls(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("dialout_sid", d.DialoutSID)})
		require.NoError(t, err)
		assert.Empty(t, recs.Items, "a dialout cancelled before dialing leaves no record")
	}

	exercised["mediator GET /dids"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		p, err := a.api.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		var numbers []string
		for _, d := range p.Items {
			assert.Equal(t, a.sid(), d.AccountSID)
			numbers = append(numbers, d.Phonenumber)
		}
		assert.Contains(t, numbers, a.did.Phonenumber, "a number routed to the endpoint is the account's")
		other := newMediatorAccount(t, f)
		assert.NotContains(t, other.numbers(t), a.did.Phonenumber)
	}
	exercised["mediator GET /dids/{did_sid}"] = func(t *testing.T, f *fixture) {
		a := newMediatorAccount(t, f)
		var did carrierx.MediatorDID
		for d, err := range a.api.AllDIDs(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", a.did.Phonenumber)}) {
			require.NoError(t, err)
			did = d
		}
		require.NotEmpty(t, did.DIDSID)
		got, err := a.api.GetDID(ctx(), did.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, did, *got)
		require.NotNil(t, got.InternationalFormat)
		other := newMediatorAccount(t, f)
		_, err = other.api.GetDID(ctx(), did.DIDSID)
		assert.Equal(t, 404, statusOf(err))
	}
}
