package web

import (
	"context"
	"errors"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Mediator console: a mediator endpoint's account and numbers, its bindings
// (calls to a redirect number are forwarded to a destination) and its
// dialouts (two numbers called and connected now, followed to their record).
// Every call to the Mediator API goes with the endpoint's own credentials.

// errAnswered stops a handler whose response has already been written (a
// token CarrierX no longer accepts sends the browser to sign in again).
var errAnswered = errors.New("web: the response has been written")

// mediatorOf reads the endpoint of the path and makes its Mediator client.
func (s *Server) mediatorOf(c echo.Context) (*carrierx.Endpoint, *carrierx.Mediator, error) {
	ep, err := s.appEndpoint(c, carrierx.EndpointMediator)
	if err != nil {
		if ferr := s.failCarrierX(c, err); ferr != nil {
			return nil, nil, ferr
		}
		return nil, nil, errAnswered
	}
	m, err := s.client(c).Mediator(*ep)
	if err != nil {
		return nil, nil, appClientError(err)
	}
	return ep, m, nil
}

func mediatorURL(epSID string) string { return "/mediator/" + epSID }

// mediatorNumbers are the account's numbers, sorted, with their labels by
// phone number.
func mediatorNumbers(ctx context.Context, m *carrierx.Mediator) ([]views.AppNumber, []views.Option, map[string]string, error) {
	var nums []views.AppNumber
	labels := map[string]string{}
	for d, err := range m.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000}) {
		if err != nil {
			return nil, nil, labels, err
		}
		label := deref(d.InternationalFormat)
		if label == "" {
			label = plusE164(d.Phonenumber)
		}
		labels[d.Phonenumber] = label
		nums = append(nums, views.AppNumber{SID: d.DIDSID, Number: label})
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i].Number < nums[j].Number })
	opts := make([]views.Option, 0, len(nums))
	for p, l := range labels {
		opts = append(opts, views.Option{Value: p, Label: l})
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Label < opts[j].Label })
	return nums, opts, labels, nil
}

// accountNumberLabel is a number of the account as listed, else with its +.
func accountNumberLabel(labels map[string]string, n string) string {
	if l := labels[digitsOnly(n)]; l != "" {
		return l
	}
	return plusE164(n)
}

// mediatorData is the whole console; the forms given replace the empty ones
// (a plain post refused shows the page again with what was typed).
func (s *Server) mediatorData(c echo.Context, ep *carrierx.Endpoint, m *carrierx.Mediator, pg *views.Page,
	binding *views.BindingForm, dialout *views.DialoutForm) views.MediatorData {
	ctx := c.Request().Context()
	a := authOf(c)
	loc := a.location()
	d := views.MediatorData{Endpoint: appEndpointView(ep)}
	fail := func(err error) {
		p := explainApp(err)
		if d.Error == "" {
			d.Error = p.Message
		}
		if p.Outage {
			pg.Outage = p.Message
		}
	}
	if page, err := m.ListAccounts(ctx, carrierx.ListOptions{Limit: 1}); err != nil {
		fail(err)
	} else if len(page.Items) > 0 {
		acct := page.Items[0]
		d.Account = views.MediatorAccountInfo{AccountSID: acct.AccountSID, Name: acct.Name, Login: acct.Login,
			Created: appTime(acct.DateCreated, loc)}
	}
	b, nums, err := s.mediatorBindings(ctx, m, ep.EndpointSID, loc, a.CSRF)
	if err != nil {
		fail(err)
	}
	d.Numbers, d.Bindings = nums, b
	d.NewDialout = views.DialoutForm{EndpointSID: ep.EndpointSID, Delay: "0", Numbers: b.New.Numbers, CSRF: a.CSRF}
	if binding != nil {
		binding.Numbers = b.New.Numbers
		d.Bindings.New = *binding
	}
	if dialout != nil {
		dialout.Numbers = b.New.Numbers
		d.NewDialout = *dialout
	}
	labels := map[string]string{}
	for _, o := range b.New.Numbers {
		labels[o.Value] = o.Label
	}
	for x, err := range m.AllDialouts(ctx, carrierx.ListOptions{Limit: 1000}) {
		if err != nil {
			fail(err)
			break
		}
		d.Dialouts = append(d.Dialouts, dialoutRow(ep.EndpointSID, x, labels, loc))
	}
	return d
}

func (s *Server) showMediator(c echo.Context) error {
	ep, m, err := s.mediatorOf(c)
	if err != nil {
		return err
	}
	pg := s.page(c, orName(ep.Name, "Mediator")+" · Mediator", "mediator")
	d := s.mediatorData(c, ep, m, &pg, nil, nil)
	return render(c, http.StatusOK, views.MediatorPage(pg, d))
}
