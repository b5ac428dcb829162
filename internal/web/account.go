package web

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// The Account page: the signed-in partner as CarrierX has it (profile,
// balance and limits, billing method, rate plans, sub-partners), and its
// contact addresses to edit. Card and account numbers are as CarrierX
// returns them: their last digits only.

// moneyExact is an amount in dollars with at least two decimals and every
// decimal CarrierX gave (a rate of 0.0025 stays 0.0025).
func moneyExact(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	s := d.Decimal.StringFixed(2)
	if !decimal.RequireFromString(s).Equal(d.Decimal) {
		s = d.Decimal.String()
	}
	return "$" + s
}

func contactsForm(p carrierx.Partner, csrf string) views.AccountContactsForm {
	return views.AccountContactsForm{BillingEmail: p.BillingEmail, TechEmail: p.TechEmail, OwnerEmail: p.OwnerEmail, CSRF: csrf}
}

func (s *Server) showAccount(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	loc := a.location()
	p, err := cx.GetPartner(ctx, a.PartnerSID)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	d := views.AccountData{Contacts: contactsForm(*p, a.CSRF), NewSub: views.SubPartnerForm{PaymentType: carrierx.PaymentPrepay, CSRF: a.CSRF}}
	address := strings.Join(nonEmpty(p.Address1, p.Address2, strings.TrimSpace(p.City+" "+p.State+" "+p.Zip), p.CountryCode), ", ")
	d.Profile = []views.Field{{Name: "Name", Value: p.Name}, {Name: "Company", Value: p.CompanyName},
		{Name: "Login", Value: p.Login}, {Name: "Account ID", Value: p.DisplayID}, {Name: "Status", Value: p.Status},
		{Name: "Address", Value: address}, {Name: "Phone", Value: plusE164(p.Phonenumber)},
		{Name: "Customer since", Value: appTime(p.DateCreated, loc)}}
	d.Money = []views.Field{{Name: "Balance", Value: moneyExact(p.Balance)}, {Name: "Payment", Value: p.PaymentType}}
	if p.PaymentType == "prepay" {
		d.Money = append(d.Money, views.Field{Name: "Recharged when below", Value: moneyExact(p.ChargeAt)},
			views.Field{Name: "Recharge amount", Value: moneyExact(p.PrepayAmount)})
	}
	d.Money = append(d.Money, views.Field{Name: "Spent today", Value: moneyExact(p.DailySpentAmount)},
		views.Field{Name: "Daily spending limit", Value: limitText(p.DailySpendingLimit)},
		views.Field{Name: "Spending limit", Value: limitText(p.SpendingLimit)})

	if bm, err := cx.GetBillingMethod(ctx, a.PartnerSID); err == nil {
		d.Billing = billingFields(*bm)
	} else if !carrierx.IsNotFound(err) {
		d.BillingError = "The billing method could not be read: " + explain(err).Message
	}
	if rates, err := cx.EffectiveRates(ctx, a.PartnerSID); err != nil {
		d.RatesError = "The rate plans could not be read: " + explain(err).Message
	} else {
		for _, r := range rates {
			d.Rates = append(d.Rates, views.AccountRate{Type: strings.TrimSpace(r.Assignment.Type + " " + deref(r.Assignment.SubType)),
				Direction: r.Assignment.Direction, Plan: orName(r.Plan.Name, r.Assignment.PlanName),
				Since: appTime(r.Assignment.EffectiveDate, loc), Inherited: r.Inherited})
		}
	}
	for sp, err := range cx.AllPartners(ctx, carrierx.ListOptions{Limit: 1000, Order: "name asc"}) {
		if err != nil {
			d.SubsError = "The sub-partners could not be listed: " + explain(err).Message
			break
		}
		if sp.PartnerSID == a.PartnerSID {
			continue
		}
		d.Subs = append(d.Subs, views.AccountSubPartner{SID: sp.PartnerSID, Name: sp.Name, Login: sp.Login, Status: sp.Status,
			Balance: moneyExact(sp.Balance), Created: appTime(sp.DateCreated, loc)})
	}
	return render(c, http.StatusOK, views.AccountPage(s.page(c, "Account", "account"), d))
}

// limitText is a spending limit; CarrierX's 0 is taken as "no limit" (not
// confirmed, and the conservative reading: it never suggests a cap that
// might not exist).
func limitText(d decimal.NullDecimal) string {
	if !d.Valid || d.Decimal.IsZero() {
		return "none set"
	}
	return moneyExact(d)
}

func billingFields(b carrierx.BillingMethod) []views.Field {
	out := []views.Field{{Name: "Type", Value: strings.ReplaceAll(b.Type, "_", " ")},
		{Name: "Name", Value: strings.TrimSpace(deref(b.FirstName) + " " + deref(b.LastName))}}
	if n := deref(b.CCNumber); n != "" {
		out = append(out, views.Field{Name: "Card", Value: "ending " + lastDigits(n)},
			views.Field{Name: "Expires", Value: expiry(deref(b.CCExpiration))})
	}
	if n := deref(b.ECAccountNumber); n != "" {
		out = append(out, views.Field{Name: "Account", Value: "ending " + lastDigits(n)})
	}
	return out
}

// lastDigits keeps at most the last four digits, whatever CarrierX sent.
func lastDigits(n string) string {
	n = digitsOnly(n)
	if len(n) > 4 {
		n = n[len(n)-4:]
	}
	return n
}

// expiry writes mmyyyy as mm/yyyy.
func expiry(s string) string {
	if len(s) == 6 && digitsOnly(s) == s {
		return s[:2] + "/" + s[2:]
	}
	return s
}

func nonEmpty(xs ...string) []string {
	out := xs[:0:0]
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// saveContacts changes the contact addresses: only what differs is sent,
// and CarrierX judges them.
func (s *Server) saveContacts(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	cur, err := cx.GetPartner(ctx, a.PartnerSID)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	f := views.AccountContactsForm{BillingEmail: strings.TrimSpace(c.FormValue("billing_email")),
		TechEmail: strings.TrimSpace(c.FormValue("tech_email")), OwnerEmail: strings.TrimSpace(c.FormValue("owner_email")),
		Errors: map[string]string{}, CSRF: a.CSRF}
	var u carrierx.PartnerUpdate
	before, after := map[string]any{}, map[string]any{}
	set := func(name, now, was string, field *carrierx.Optional[string]) {
		if now != was {
			if *field = carrierx.Set(now); now == "" {
				*field = carrierx.Null[string]()
			}
			before[name], after[name] = was, now
		}
	}
	set("billing_email", f.BillingEmail, cur.BillingEmail, &u.BillingEmail)
	set("tech_email", f.TechEmail, cur.TechEmail, &u.TechEmail)
	set("owner_email", f.OwnerEmail, cur.OwnerEmail, &u.OwnerEmail)
	if len(after) == 0 {
		return s.contactsReply(c, http.StatusOK, f, flashInfo("No changes to save for the contacts."))
	}
	saved, err := cx.UpdatePartner(ctx, a.PartnerSID, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "partner", ObjectSID: a.PartnerSID, ObjectLabel: cur.Name + " contacts",
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before), After: jsonOf(after)})
		f.Errors, f.Message = p.Fields, "Not saved: "+p.Message
		return s.contactsReply(c, refusalStatus(p), f, flashError(f.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "partner", ObjectSID: a.PartnerSID, ObjectLabel: saved.Name + " contacts",
		Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(after)})
	return s.contactsReply(c, http.StatusOK, contactsForm(*saved, a.CSRF), flashOK("Saved the contacts."))
}

func (s *Server) contactsReply(c echo.Context, status int, f views.AccountContactsForm, fl views.Flash) error {
	return s.formReply(c, "/account", status, fl, func() templ.Component { return views.AccountContactsView(f) })
}

// createSubPartner creates a partner under the signed-in one. The password
// goes to CarrierX only: it is neither shown back nor audited.
func (s *Server) createSubPartner(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	f := views.SubPartnerForm{Name: strings.TrimSpace(c.FormValue("name")), Company: strings.TrimSpace(c.FormValue("company_name")),
		Login: strings.TrimSpace(c.FormValue("login")), OwnerEmail: strings.TrimSpace(c.FormValue("owner_email")),
		PaymentType: c.FormValue("payment_type"), Errors: map[string]string{}, CSRF: a.CSRF}
	password := c.FormValue("password")
	reply := func(status int, fl views.Flash) error {
		if status >= 400 {
			f.Message = fl.Text
		}
		return s.formReply(c, "/account", status, fl, func() templ.Component { return views.SubPartnerFormView(f) })
	}
	if f.Login == "" {
		f.Errors["login"] = "Give the sub-partner a login."
	}
	if password == "" {
		f.Errors["password"] = "Give it a password."
	}
	if f.Name == "" {
		f.Errors["name"] = "Give it a name."
	}
	if f.PaymentType != carrierx.PaymentPrepay && f.PaymentType != carrierx.PaymentPostpay {
		f.Errors["payment_type"] = "Choose prepay or postpay."
	}
	if len(f.Errors) > 0 {
		return reply(http.StatusUnprocessableEntity, flashError("Not created: correct the fields marked below."))
	}
	u := carrierx.PartnerUpdate{Login: carrierx.Set(f.Login), Password: carrierx.Set(password), Name: carrierx.Set(f.Name),
		PaymentType: carrierx.Set(f.PaymentType)}
	if f.Company != "" {
		u.CompanyName = carrierx.Set(f.Company)
	}
	if f.OwnerEmail != "" {
		u.OwnerEmail = carrierx.Set(f.OwnerEmail)
	}
	after := map[string]any{"login": f.Login, "name": f.Name, "company_name": f.Company, "owner_email": f.OwnerEmail,
		"payment_type": f.PaymentType}
	p, err := s.client(c).CreatePartner(ctx, u)
	if err != nil {
		pr := explain(err)
		if pr.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "sub-partner", ObjectLabel: f.Name + " (" + f.Login + ")",
			Outcome: store.OutcomeError, Message: pr.Message, After: jsonOf(after)})
		for k, v := range pr.Fields {
			f.Errors[k] = v
		}
		return reply(refusalStatus(pr), flashError("Not created: "+pr.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "sub-partner", ObjectSID: p.PartnerSID, ObjectLabel: p.Name + " (" + p.Login + ")",
		Outcome: store.OutcomeOK, After: jsonOf(after)})
	return s.redirectWithFlash(c, "/account", flashOK("Created the sub-partner "+p.Name+" ("+p.Login+"): it signs in with its own login."))
}

// deleteSubPartner deletes a sub-partner; CarrierX refuses while it still
// holds numbers, trunk groups or sub-partners of its own.
func (s *Server) deleteSubPartner(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	sid := c.Param("sid")
	if sid == a.PartnerSID {
		return echo.NewHTTPError(http.StatusForbidden, "An account cannot delete itself here.")
	}
	p, err := cx.GetPartner(ctx, sid)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	label := p.Name + " (" + p.Login + ")"
	before := jsonOf(map[string]any{"login": p.Login, "name": p.Name, "status": p.Status})
	if err := cx.DeletePartner(ctx, sid); err != nil {
		pr := explain(err)
		if pr.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "sub-partner", ObjectSID: sid, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: pr.Message, Before: before})
		return s.rowDeleteReply(c, "/account", refusalStatus(pr), flashError("The sub-partner "+label+" was not deleted: "+pr.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "sub-partner", ObjectSID: sid, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: before})
	return s.rowDeleteReply(c, "/account", http.StatusOK, flashOK("Deleted the sub-partner "+label+"."))
}
