package web

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// FlexML console: a flexml endpoint's account (where FlexML instructions are
// fetched and call status is reported), its numbers with their own
// instruction URLs, and calls placed from them, followed to their record.
// Every call to the FlexML API goes with the endpoint's own credentials.

// flexmlOf reads the endpoint of the path and makes its FlexML client.
func (s *Server) flexmlOf(c echo.Context) (*carrierx.Endpoint, *carrierx.FlexML, error) {
	ep, err := s.appEndpoint(c, carrierx.EndpointFlexML)
	if err != nil {
		if ferr := s.failCarrierX(c, err); ferr != nil {
			return nil, nil, ferr
		}
		return nil, nil, errAnswered
	}
	f, err := s.client(c).FlexML(*ep)
	if err != nil {
		return nil, nil, appClientError(err)
	}
	return ep, f, nil
}

func flexmlURL(epSID string) string { return "/flexml/" + epSID }

// flexAccount is the endpoint's account: the one the API lists.
func flexAccount(ctx context.Context, f *carrierx.FlexML) (*carrierx.FlexMLAccount, error) {
	page, err := f.ListAccounts(ctx, carrierx.ListOptions{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, echo.NewHTTPError(http.StatusNotFound, "CarrierX lists no FlexML account for this endpoint.")
	}
	return &page.Items[0], nil
}

func flexAccountForm(epSID string, acct carrierx.FlexMLAccount, csrf string) views.FlexMLAccountForm {
	return views.FlexMLAccountForm{EndpointSID: epSID, AccountSID: acct.AccountSID, Login: acct.Login, Name: acct.Name,
		URL: deref(acct.URL), Method: acct.Method, StatusCallbackURL: deref(acct.StatusCallbackURL),
		StatusCallbackMethod: acct.StatusCallbackMethod, ErrorHandler: acct.ErrorHandler, CSRF: csrf}
}

func flexAccountAudit(acct carrierx.FlexMLAccount) map[string]any {
	return map[string]any{"name": acct.Name, "url": deref(acct.URL), "method": acct.Method,
		"status_callback_url": deref(acct.StatusCallbackURL), "status_callback_method": acct.StatusCallbackMethod,
		"error_handler": acct.ErrorHandler}
}

func flexNumberLabel(d carrierx.FlexMLDID) string {
	if l := deref(d.InternationalFormat); l != "" {
		return l
	}
	return plusE164(d.Phonenumber)
}

func flexNumberRow(epSID string, d carrierx.FlexMLDID, accountURL string) views.FlexMLNumberRow {
	return views.FlexMLNumberRow{EndpointSID: epSID, SID: d.DIDSID, Number: flexNumberLabel(d), URL: deref(d.URL),
		AccountURL: accountURL, Method: d.Method, StatusCallbackURL: deref(d.StatusCallbackURL),
		StatusCallbackMethod: d.StatusCallbackMethod}
}

func flexNumberForm(epSID string, d carrierx.FlexMLDID, csrf string) views.FlexMLNumberForm {
	return views.FlexMLNumberForm{EndpointSID: epSID, SID: d.DIDSID, Number: flexNumberLabel(d), URL: deref(d.URL),
		Method: d.Method, StatusCallbackURL: deref(d.StatusCallbackURL), StatusCallbackMethod: d.StatusCallbackMethod, CSRF: csrf}
}

func flexNumberAudit(d carrierx.FlexMLDID) map[string]any {
	return map[string]any{"phonenumber": d.Phonenumber, "url": deref(d.URL), "method": d.Method,
		"status_callback_url": deref(d.StatusCallbackURL), "status_callback_method": d.StatusCallbackMethod}
}

// flexNumbers are the account's numbers, sorted.
func flexNumbers(ctx context.Context, f *carrierx.FlexML) ([]carrierx.FlexMLDID, error) {
	var out []carrierx.FlexMLDID
	for d, err := range f.AllDIDs(ctx, carrierx.ListOptions{Limit: 1000}) {
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Phonenumber < out[j].Phonenumber })
	return out, nil
}

// flexmlData is the whole console; the forms given replace the fresh ones
// (a plain post refused shows the page again with what was typed).
func (s *Server) flexmlData(c echo.Context, ep *carrierx.Endpoint, f *carrierx.FlexML, pg *views.Page,
	account *views.FlexMLAccountForm, call *views.FlexMLCallForm) views.FlexMLData {
	ctx := c.Request().Context()
	a := authOf(c)
	loc := a.location()
	d := views.FlexMLData{Endpoint: appEndpointView(ep), CSRF: a.CSRF,
		Account: views.FlexMLAccountForm{EndpointSID: ep.EndpointSID, CSRF: a.CSRF},
		NewCall: views.FlexMLCallForm{EndpointSID: ep.EndpointSID, Method: "POST", Delay: "0", CSRF: a.CSRF}}
	fail := func(err error) {
		p := explainApp(err)
		if d.Error == "" {
			d.Error = p.Message
		}
		if p.Outage {
			pg.Outage = p.Message
		}
	}
	acct, err := flexAccount(ctx, f)
	accountURL := ""
	if err != nil {
		fail(err)
	} else {
		d.Account = flexAccountForm(ep.EndpointSID, *acct, a.CSRF)
		d.Account.Created = appTime(acct.DateCreated, loc)
		accountURL = deref(acct.URL)
	}
	if account != nil {
		account.AccountSID, account.Login, account.Created = d.Account.AccountSID, d.Account.Login, d.Account.Created
		d.Account = *account
	}
	nums, err := flexNumbers(ctx, f)
	if err != nil {
		fail(err)
	}
	labels := map[string]string{}
	for _, n := range nums {
		d.Numbers = append(d.Numbers, flexNumberRow(ep.EndpointSID, n, accountURL))
		d.NewCall.Numbers = append(d.NewCall.Numbers, views.Option{Value: n.Phonenumber, Label: flexNumberLabel(n)})
		labels[n.Phonenumber] = flexNumberLabel(n)
	}
	if call != nil {
		call.Numbers = d.NewCall.Numbers
		d.NewCall = *call
	}
	for x, err := range f.AllCalls(ctx, carrierx.ListOptions{Limit: 1000}) {
		if err != nil {
			fail(err)
			break
		}
		d.Calls = append(d.Calls, views.FlexMLCallRow{SID: x.CallSID, From: accountNumberLabel(labels, x.CallingDID),
			To: plusE164(x.CalledDID), Created: appTime(x.DateCreated, loc),
			FollowURL: flexCallHint(x).url(flexCallURL(ep.EndpointSID, x.CallSID))})
	}
	return d
}

func (s *Server) showFlexML(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	pg := s.page(c, orName(ep.Name, "FlexML")+" · FlexML", "flexml")
	return render(c, http.StatusOK, views.FlexMLPage(pg, s.flexmlData(c, ep, f, &pg, nil, nil)))
}

// flexPageReply answers a plain (non-htmx) form post: a redirect with the
// flash when it worked, else the page again with the form as typed.
func (s *Server) flexPageReply(c echo.Context, ep *carrierx.Endpoint, f *carrierx.FlexML, status int, fl views.Flash,
	account *views.FlexMLAccountForm, call *views.FlexMLCallForm) error {
	if status < 400 {
		return s.redirectWithFlash(c, flexmlURL(ep.EndpointSID), fl)
	}
	pg := s.page(c, orName(ep.Name, "FlexML")+" · FlexML", "flexml")
	pg.Flashes = append(pg.Flashes, fl)
	return render(c, status, views.FlexMLPage(pg, s.flexmlData(c, ep, f, &pg, account, call)))
}

// saveFlexMLAccount changes the account: only what differs is sent, URLs
// checked first and CarrierX's refusals shown beside the fields.
func (s *Server) saveFlexMLAccount(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	cur, err := flexAccount(ctx, f)
	if err != nil {
		return s.failApp(err)
	}
	form := views.FlexMLAccountForm{EndpointSID: ep.EndpointSID, AccountSID: cur.AccountSID, Login: cur.Login,
		Created: appTime(cur.DateCreated, a.location()), Name: strings.TrimSpace(c.FormValue("name")),
		URL: strings.TrimSpace(c.FormValue("url")), Method: c.FormValue("method"),
		StatusCallbackURL:    strings.TrimSpace(c.FormValue("status_callback_url")),
		StatusCallbackMethod: c.FormValue("status_callback_method"), ErrorHandler: c.FormValue("error_handler"), CSRF: a.CSRF}
	reply := func(status int, fl views.Flash) error {
		if fl.Kind == views.FlashError {
			form.Message = fl.Text
		}
		if !isHTMX(c) {
			return s.flexPageReply(c, ep, f, status, fl, &form, nil)
		}
		return renderFragment(c, status, views.FlexMLAccountFormView(form), fl)
	}
	errs := map[string]string{}
	checkAppURL(errs, "url", form.URL)
	checkAppURL(errs, "status_callback_url", form.StatusCallbackURL)
	if len(form.Name) > 255 {
		errs["name"] = "At most 255 characters."
	}
	if len(errs) > 0 {
		form.Errors = errs
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	var u carrierx.FlexMLAccountUpdate
	changed := false
	setStr := func(o *carrierx.Optional[string], old, v string) {
		if v != old {
			*o, changed = carrierx.Set(v), true
		}
	}
	setURL := func(o *carrierx.Optional[string], old *string, v string) {
		switch {
		case v == "" && deref(old) != "":
			*o, changed = carrierx.Null[string](), true
		case v != "" && v != deref(old):
			*o, changed = carrierx.Set(v), true
		}
	}
	setStr(&u.Name, cur.Name, form.Name)
	setURL(&u.URL, cur.URL, form.URL)
	setStr(&u.Method, cur.Method, form.Method)
	setURL(&u.StatusCallbackURL, cur.StatusCallbackURL, form.StatusCallbackURL)
	setStr(&u.StatusCallbackMethod, cur.StatusCallbackMethod, form.StatusCallbackMethod)
	setStr(&u.ErrorHandler, cur.ErrorHandler, form.ErrorHandler)
	if !changed {
		return reply(http.StatusOK, flashInfo("No changes to save for the FlexML account."))
	}
	acct, err := f.UpdateAccount(ctx, cur.AccountSID, u)
	if err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "flexml_account", ObjectSID: cur.AccountSID,
			ObjectLabel: orName(cur.Name, ep.Name), Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(flexAccountAudit(*cur))})
		form.Errors = p.Fields
		return reply(refusalStatus(p), flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "flexml_account", ObjectSID: acct.AccountSID,
		ObjectLabel: orName(acct.Name, ep.Name), Outcome: store.OutcomeOK, Before: jsonOf(flexAccountAudit(*cur)),
		After: jsonOf(flexAccountAudit(*acct))})
	form = flexAccountForm(ep.EndpointSID, *acct, a.CSRF)
	return reply(http.StatusOK, flashOK("Saved the FlexML account."))
}

// flexNumberOf reads the number of the path and the account's URL (what
// the number falls back to).
func flexNumberOf(c echo.Context, f *carrierx.FlexML) (*carrierx.FlexMLDID, string, error) {
	ctx := c.Request().Context()
	d, err := f.GetDID(ctx, c.Param("did"))
	if err != nil {
		return nil, "", err
	}
	acct, err := flexAccount(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return d, deref(acct.URL), nil
}

func (s *Server) editFlexMLNumber(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	d, _, err := flexNumberOf(c, f)
	if err != nil {
		return s.failApp(err)
	}
	form := flexNumberForm(ep.EndpointSID, *d, authOf(c).CSRF)
	if !isHTMX(c) {
		return render(c, http.StatusOK, views.FlexMLNumberEditPage(s.page(c, "FlexML number", "flexml"),
			views.FlexMLNumberEditData{Endpoint: appEndpointView(ep), Form: form}))
	}
	return render(c, http.StatusOK, views.FlexMLNumberEditRow(form))
}

// showFlexMLNumberRow is a number's row again (an edit cancelled).
func (s *Server) showFlexMLNumberRow(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, flexmlURL(ep.EndpointSID))
	}
	d, accountURL, err := flexNumberOf(c, f)
	if err != nil {
		return s.failApp(err)
	}
	return render(c, http.StatusOK, views.FlexMLNumberRowView(flexNumberRow(ep.EndpointSID, *d, accountURL)))
}

// saveFlexMLNumber changes where a number's calls fetch their instructions
// and report their status; htmx gets the row back, or the form with the
// refusal beside its fields.
func (s *Server) saveFlexMLNumber(c echo.Context) error {
	ep, f, err := s.flexmlOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := authOf(c)
	cur, accountURL, err := flexNumberOf(c, f)
	if err != nil {
		return s.failApp(err)
	}
	form := views.FlexMLNumberForm{EndpointSID: ep.EndpointSID, SID: cur.DIDSID, Number: flexNumberLabel(*cur),
		URL: strings.TrimSpace(c.FormValue("url")), Method: c.FormValue("method"),
		StatusCallbackURL:    strings.TrimSpace(c.FormValue("status_callback_url")),
		StatusCallbackMethod: c.FormValue("status_callback_method"), CSRF: a.CSRF}
	reply := func(status int, fl views.Flash, comp templ.Component) error {
		if fl.Kind == views.FlashError {
			form.Message = fl.Text
		}
		if !isHTMX(c) {
			if status < 400 {
				return s.redirectWithFlash(c, flexmlURL(ep.EndpointSID), fl)
			}
			pg := s.page(c, "FlexML number", "flexml")
			pg.Flashes = append(pg.Flashes, fl)
			return render(c, status, views.FlexMLNumberEditPage(pg, views.FlexMLNumberEditData{Endpoint: appEndpointView(ep), Form: form}))
		}
		if comp == nil {
			comp = views.FlexMLNumberEditRow(form)
		}
		return renderFragment(c, status, comp, fl)
	}
	errs := map[string]string{}
	checkAppURL(errs, "url", form.URL)
	checkAppURL(errs, "status_callback_url", form.StatusCallbackURL)
	if len(errs) > 0 {
		form.Errors = errs
		return reply(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."), nil)
	}
	var u carrierx.FlexMLDIDUpdate
	changed := false
	if form.URL != deref(cur.URL) {
		u.URL, changed = carrierx.Set(form.URL), true
		if form.URL == "" {
			u.URL = carrierx.Null[string]()
		}
	}
	if form.Method != cur.Method {
		u.Method, changed = carrierx.Set(form.Method), true
	}
	if form.StatusCallbackURL != deref(cur.StatusCallbackURL) {
		u.StatusCallbackURL, changed = carrierx.Set(form.StatusCallbackURL), true
		if form.StatusCallbackURL == "" {
			u.StatusCallbackURL = carrierx.Null[string]()
		}
	}
	if form.StatusCallbackMethod != cur.StatusCallbackMethod {
		u.StatusCallbackMethod, changed = carrierx.Set(form.StatusCallbackMethod), true
	}
	if !changed {
		return reply(http.StatusOK, flashInfo("No changes to save for "+form.Number+"."),
			views.FlexMLNumberRowView(flexNumberRow(ep.EndpointSID, *cur, accountURL)))
	}
	d, err := f.UpdateDID(ctx, cur.DIDSID, u)
	if err != nil {
		p := explainApp(err)
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "flexml_number", ObjectSID: cur.DIDSID, ObjectLabel: form.Number,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(flexNumberAudit(*cur))})
		form.Errors = p.Fields
		return reply(refusalStatus(p), flashError("Not saved: "+p.Message), nil)
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "flexml_number", ObjectSID: d.DIDSID, ObjectLabel: form.Number,
		Outcome: store.OutcomeOK, Before: jsonOf(flexNumberAudit(*cur)), After: jsonOf(flexNumberAudit(*d))})
	return reply(http.StatusOK, flashOK("Saved "+form.Number+"."), views.FlexMLNumberRowView(flexNumberRow(ep.EndpointSID, *d, accountURL)))
}
