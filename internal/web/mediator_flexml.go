package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// What the Mediator and FlexML consoles share: reaching a hosted endpoint's
// API with its own credentials, telling its refusals, and following a call
// from live at CarrierX to the record it leaves.

// appEndpoint reads the endpoint named in the path with the signed-in
// partner's token (another partner's endpoint is CarrierX's 404) and checks
// its type. Errors go through failCarrierX.
func (s *Server) appEndpoint(c echo.Context, typ string) (*carrierx.Endpoint, error) {
	ep, err := s.client(c).GetEndpoint(c.Request().Context(), c.Param("endpoint"))
	if err != nil {
		return nil, err
	}
	if ep.Type != typ {
		return nil, echo.NewHTTPError(http.StatusNotFound, "This endpoint is not a "+endpointTypeLabel(typ)+" endpoint.")
	}
	return ep, nil
}

// appClientError explains why a hosted API client could not be made: the
// endpoint's properties lack its address or credentials.
func appClientError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "carrierx: ")
	return echo.NewHTTPError(http.StatusBadGateway, "The console cannot use this endpoint's API: "+msg+".")
}

// explainApp is explain for an answer of a hosted API: a 401 there is the
// endpoint's credentials being refused, not the partner's sign-in expiring.
func explainApp(err error) problem {
	p := explain(err)
	if p.Expired {
		p.Expired = false
		p.Message = "CarrierX did not accept this endpoint's API credentials (HTTP 401)."
	}
	return p
}

// failApp is failCarrierX for an answer of a hosted API.
func (s *Server) failApp(err error) error {
	if he, ok := err.(*echo.HTTPError); ok {
		return he
	}
	p := explainApp(err)
	status := http.StatusBadGateway
	if !p.Outage && p.Status >= 400 && p.Status < 500 {
		status = p.Status
	}
	return echo.NewHTTPError(status, p.Message)
}

// refusalStatus is the status a refused change answers with: CarrierX's own
// 409 or 422, 502 when it did not answer.
func refusalStatus(p problem) int {
	switch {
	case p.Outage:
		return http.StatusBadGateway
	case p.Status == http.StatusConflict:
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

func appNotFound(err error) bool {
	e, ok := carrierx.AsError(err)
	return ok && e.Status == http.StatusNotFound
}

// appEndpointView names the endpoint for the consoles' pages.
func appEndpointView(ep *carrierx.Endpoint) views.AppEndpoint {
	return views.AppEndpoint{SID: ep.EndpointSID, Name: orName(ep.Name, ep.EndpointSID)}
}

// plusE164 shows a number CarrierX stores as digits in E.164 with its +,
// written as callers see it (+1 555-123-4567 for North American numbers).
func plusE164(n string) string {
	if n != "" && digitsOnly(n) == n {
		return callerNumber("+" + n)
	}
	return n
}

// typedNumber is a number as typed, without spaces, dashes, dots or brackets;
// a leading + stays. CarrierX judges the rest.
func typedNumber(s string) string {
	return strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "", "\u00a0", "").Replace(strings.TrimSpace(s))
}

// appIntField parses a whole number typed in a form ("" is def).
func appIntField(errs map[string]string, name, v string, def, min int, msg string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min {
		errs[name] = msg
	}
	return n
}

// checkAppURL checks a URL typed in a form: absolute http(s), as CarrierX
// fetches it. "" is allowed (the field is cleared).
func checkAppURL(errs map[string]string, name, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	switch {
	case len(v) > 2048:
		errs[name] = "At most 2048 characters."
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs[name] = "An absolute http:// or https:// address, such as https://example.com/flexml."
	case strings.ContainsAny(v, " \t\r\n"):
		errs[name] = "An address has no spaces."
	}
}

// appTime is a CarrierX time in the user's zone ("" when unknown).
func appTime(t *time.Time, loc *time.Location) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

func appSeconds(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return d.Decimal.String()
}

// ---- following a call to its record ----

// followHint is what was known of a call while it was live, carried in the
// polling URL, so that its record can be found once CarrierX no longer
// lists it.
type followHint struct {
	At     time.Time // when it was placed
	Number string    // a number its record carries
	Gone   time.Time // when it was first seen gone
}

func parseFollowHint(c echo.Context) followHint {
	var h followHint
	if t, err := time.Parse(time.RFC3339, c.QueryParam("at")); err == nil {
		h.At = t.UTC()
	}
	h.Number = digitsOnly(c.QueryParam("number"))
	if n, err := strconv.ParseInt(c.QueryParam("gone"), 10, 64); err == nil && n > 0 {
		h.Gone = time.Unix(n, 0).UTC()
	}
	return h
}

// url is path with the hint as its query.
func (h followHint) url(path string) string {
	v := url.Values{}
	if !h.At.IsZero() {
		v.Set("at", h.At.UTC().Format(time.RFC3339))
	}
	if h.Number != "" {
		v.Set("number", h.Number)
	}
	if !h.Gone.IsZero() {
		v.Set("gone", strconv.FormatInt(h.Gone.Unix(), 10))
	}
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

const (
	pollFast = "2s"
	pollSlow = "10s"
	// A call gone this long without a record is asked about less often,
	// then no more (a button asks again).
	followSlowAfter = 2 * time.Minute
	followGiveUp    = 2 * time.Hour
)

// followGone fills st for a call CarrierX no longer lists: its record once
// found, else a note while polling goes on.
func followGone(st *views.CallState, h followHint, stateURL string, now time.Time, rec *views.RecordOutcome, lookErr error) {
	if h.Gone.IsZero() {
		h.Gone = now
	}
	if rec != nil {
		st.Record = rec
		return
	}
	if lookErr != nil {
		st.Error = "Its record could not be looked up: " + lookErr.Error()
	}
	waited := now.Sub(h.Gone)
	if waited >= followGiveUp {
		st.Note = "No record has arrived in " + followGiveUp.String() + ". Records can arrive late: look again, or in the records explorer later."
		st.LookAgain = h.url(stateURL)
		return
	}
	if st.Note == "" {
		st.Note = "Looking for its record: it appears when the call has ended."
	}
	st.PollURL, st.PollEvery = h.url(stateURL), pollFast
	if waited >= followSlowAfter {
		st.PollEvery = pollSlow
	}
}

// explorerRange is a custom explorer range, in the user's zone, around a
// record that ended at stop.
func explorerRange(stop time.Time, loc *time.Location) (from, to string) {
	return stop.Add(-time.Minute).In(loc).Format(datetimeLocal), stop.Add(2 * time.Minute).In(loc).Format(datetimeLocal)
}
