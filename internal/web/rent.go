package web

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

const rentPageSize = 25

// rentCountries are the countries offered, with their dialing prefixes.
var rentCountries = []struct{ ISO, Name, Prefix string }{
	{"USA", "United States", "1"},
	{"CAN", "Canada", "1"},
}

var areaCodeRE = regexp.MustCompile(`^[2-9][0-9]{2}$`)

func parseRentQuery(c echo.Context) (views.RentQuery, map[string]string) {
	errs := map[string]string{}
	q := views.RentQuery{
		Country:  strings.ToUpper(strings.TrimSpace(c.QueryParam("country"))),
		State:    strings.ToUpper(strings.TrimSpace(c.QueryParam("state"))),
		AreaCode: strings.TrimSpace(c.QueryParam("area_code")),
		Contains: strings.TrimSpace(c.QueryParam("contains")),
		Voice:    c.QueryParam("voice") != "",
		SMS:      c.QueryParam("sms") != "",
		MMS:      c.QueryParam("mms") != "",
		Limit:    rentPageSize,
	}
	if !slices.ContainsFunc(rentCountries, func(x struct{ ISO, Name, Prefix string }) bool { return x.ISO == q.Country }) {
		q.Country = "USA"
	}
	if q.State != "" && !slices.Contains(usStates, q.State) {
		errs["state"] = "Unknown state."
		q.State = ""
	}
	if q.AreaCode != "" && !areaCodeRE.MatchString(q.AreaCode) {
		errs["area_code"] = "An area code is three digits, not starting with 0 or 1."
	}
	if q.Contains != "" && (digitsOnly(q.Contains) != q.Contains || len(q.Contains) > 10) {
		errs["contains"] = "Digits only, at most 10."
	}
	if n, err := strconv.Atoi(c.QueryParam("offset")); err == nil && n > 0 && n <= 10000 {
		q.Offset = n
	}
	return q, errs
}

func countryPrefix(iso string) string {
	for _, x := range rentCountries {
		if x.ISO == iso {
			return x.Prefix
		}
	}
	return ""
}

// capabilityFilter asks for each wanted capability bit separately: one bit per
// condition reads the same whether CarrierX's bit operator means "all of" or
// "any of" (not confirmed).
func capabilityFilter(f carrierx.Filter, q views.RentQuery) carrierx.Filter {
	var bits []carrierx.Capability
	if q.Voice {
		bits = append(bits, carrierx.CapVoice)
	}
	if q.SMS {
		bits = append(bits, carrierx.CapReceiveSMS, carrierx.CapSendSMS)
	}
	if q.MMS {
		bits = append(bits, carrierx.CapReceiveMMS, carrierx.CapSendMMS)
	}
	for _, b := range bits {
		f = f.Bit("capabilities", int(b))
	}
	return f
}

// availableFilter is the CarrierX filter for a rent search.
func availableFilter(q views.RentQuery) carrierx.Filter {
	f := carrierx.Filter{}.Eq("country_code", q.Country)
	if q.State != "" {
		f = f.Eq("state", q.State)
	}
	if q.AreaCode != "" {
		f = f.Like("phonenumber", countryPrefix(q.Country)+q.AreaCode+"%")
	}
	if q.Contains != "" {
		f = f.Like("phonenumber", "%"+q.Contains+"%")
	}
	return capabilityFilter(f, q)
}

// coverageFilter is the filter for the per-state counts: the same search but
// for the state itself, with the documented coverage keys (npa for the area code).
func coverageFilter(q views.RentQuery) carrierx.Filter {
	f := carrierx.Filter{}.Eq("country_code", q.Country)
	if q.AreaCode != "" {
		f = f.Eq("npa", q.AreaCode)
	}
	return capabilityFilter(f, q)
}

func availableRow(d carrierx.DID, csrf string) views.AvailableRow {
	r := views.AvailableRow{
		Phonenumber: d.Phonenumber, Display: d.InternationalFormat, Locality: d.Locality, State: d.State,
		Capabilities: capabilityLabels(d.Capabilities), CSRF: csrf,
	}
	if r.Display == "" {
		r.Display = "+" + d.Phonenumber
	}
	if d.Price.Valid {
		r.Price = "$" + d.Price.Decimal.StringFixed(2) + "/mo"
	}
	return r
}

func countryOptions() []views.Option {
	out := make([]views.Option, len(rentCountries))
	for i, x := range rentCountries {
		out[i] = views.Option{Value: x.ISO, Label: x.Name}
	}
	return out
}

// searchAvailable is Rent a number: CarrierX's available numbers, filtered,
// with counts per state from the coverage report to guide the search.
func (s *Server) searchAvailable(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	q, errs := parseRentQuery(c)
	d := views.RentData{Query: q, Errors: errs, Countries: countryOptions(), States: stateOptions(),
		CSRF: authOf(c).CSRF, Searched: len(c.QueryParams()) > 0}
	var outage string
	fail := func(err error) error {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		d.Error = p.Message
		if p.Outage {
			outage = p.Message
		}
		return nil
	}
	if len(errs) > 0 {
		d.Error = "Correct the search: " + firstOf(errs)
	} else {
		cov, err := cx.Coverage(ctx, "state", carrierx.ListOptions{Filter: coverageFilter(q), Limit: 100, Order: "key asc"})
		if err == nil {
			for _, it := range cov.Items {
				d.Coverage = append(d.Coverage, views.StateCount{State: it.Key, Count: it.Count})
			}
			var page *carrierx.Page[carrierx.DID]
			page, err = cx.ListAvailableDIDs(ctx, carrierx.ListOptions{
				Filter: availableFilter(q), Order: "phonenumber asc", Limit: q.Limit, Offset: q.Offset})
			if err == nil {
				for _, did := range page.Items {
					d.Rows = append(d.Rows, availableRow(did, d.CSRF))
				}
				d.HasMore = page.HasMore
			}
		}
		if err != nil {
			if r := fail(err); r != nil {
				return r
			}
		}
	}
	if isHTMX(c) && htmxTarget(c) == "rent-results" {
		return render(c, http.StatusOK, views.RentResults(d))
	}
	pg := s.page(c, "Rent a number", "rent")
	pg.Outage = outage
	return render(c, http.StatusOK, views.RentPage(pg, d))
}

var phonenumberRE = regexp.MustCompile(`^[1-9][0-9]{6,14}$`)

// errAlreadyYours says the number was found among the partner's DIDs.
var errAlreadyYours = errors.New("already yours")

// rentNumber rents one available number. A double click, a second tab or a
// retried request never rents twice: attempts for one number are serialized
// across instances by a Postgres lock, and each first checks whether the
// partner already has the number.
func (s *Server) rentNumber(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	number := digitsOnly(c.FormValue("phonenumber"))
	row := views.AvailableRow{Phonenumber: number, Display: "+" + number, CSRF: a.CSRF}
	if !phonenumberRE.MatchString(number) {
		row.Outcome, row.Message = "error", "That is not a phone number."
		return s.rentAnswer(c, http.StatusUnprocessableEntity, row, flashError("Not rented: that is not a phone number."))
	}

	var rented *carrierx.DID
	var rentErr error
	err := s.db.WithLock(ctx, "rent:"+a.PartnerSID+":"+number, func(ctx context.Context) error {
		if mine, err := s.findMyNumber(ctx, cx, number); err != nil {
			return err
		} else if mine != nil {
			rented = mine
			return errAlreadyYours
		}
		rented, rentErr = cx.RentDID(ctx, carrierx.RentDIDRequest{Phonenumber: number})
		if rentErr != nil && carrierx.StatusOf(rentErr) == 0 {
			// No answer: the rent may or may not have happened. Look again.
			if mine, err := s.findMyNumber(ctx, cx, number); err == nil && mine != nil {
				rented, rentErr = mine, nil
			}
		}
		return nil
	})

	switch {
	case errors.Is(err, errAlreadyYours):
		row = availableRow(*rented, a.CSRF)
		row.Outcome, row.RentedSID = "already", rented.DIDSID
		return s.rentAnswer(c, http.StatusOK, row, flashInfo(didLabel(*rented)+" is already yours: it was not rented again."))
	case err != nil:
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		row.Outcome, row.Message = "error", "Not rented: "+p.Message+" Nothing was changed."
		return s.rentAnswer(c, http.StatusBadGateway, row, flashError(row.Message))
	case rentErr != nil:
		p := explain(rentErr)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "rent", ObjectType: "did", ObjectLabel: "+" + number,
			Outcome: store.OutcomeError, Message: p.Message})
		if p.Outage {
			row.Outcome = "error"
			row.Message = "CarrierX did not confirm the rental. Check My numbers before trying again."
			return s.rentAnswer(c, http.StatusBadGateway, row, flashError(row.Message))
		}
		row.Outcome = "gone"
		row.Message = "Not rented: " + p.Message
		return s.rentAnswer(c, http.StatusConflict, row, flashError(row.Message))
	}
	label := didLabel(*rented)
	s.audit(c, a, store.AuditEntry{Action: "rent", ObjectType: "did", ObjectSID: rented.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, After: jsonOf(map[string]any{"phonenumber": rented.Phonenumber, "status": rented.Status,
			"price": rented.Price, "did_sid": rented.DIDSID})})
	row = availableRow(*rented, a.CSRF)
	row.Outcome, row.RentedSID = "rented", rented.DIDSID
	return s.rentAnswer(c, http.StatusOK, row, flashOK("Rented "+label+". Point it at a trunk group so it can take calls."))
}

// findMyNumber returns the partner's DID with this number, or nil.
func (s *Server) findMyNumber(ctx context.Context, cx *carrierx.Client, number string) (*carrierx.DID, error) {
	page, err := cx.ListDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", number), Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, nil
	}
	return &page.Items[0], nil
}

func (s *Server) rentAnswer(c echo.Context, status int, row views.AvailableRow, f views.Flash) error {
	if !isHTMX(c) {
		target := "/rent"
		if row.RentedSID != "" {
			target = "/numbers/" + row.RentedSID
		}
		return s.redirectWithFlash(c, target, f)
	}
	return renderFragment(c, status, views.AvailableRowView(row), f)
}
