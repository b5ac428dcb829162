package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Endpoints: where trunks deliver calls. Third-party endpoints are the
// partner's SIP equipment; hosted ones (conference, FlexML, Mediator) are
// applications CarrierX runs, with API credentials of their own.

var endpointTypeLabels = map[string]string{
	carrierx.EndpointThirdParty:         "Third party (SIP)",
	carrierx.EndpointConferenceV2:       "Conference v2",
	carrierx.EndpointConference:         "Conference v1",
	carrierx.EndpointFlexML:             "FlexML",
	carrierx.EndpointMediator:           "Mediator",
	carrierx.EndpointVoicemail:          "Voicemail",
	carrierx.EndpointConferencePlayback: "Conference playback",
	carrierx.EndpointSystemGateway:      "System Gateway",
}

// creatableEndpointTypes are offered on the create form, in this order.
var creatableEndpointTypes = []string{carrierx.EndpointThirdParty, carrierx.EndpointConferenceV2,
	carrierx.EndpointConference, carrierx.EndpointFlexML, carrierx.EndpointMediator}

func endpointTypeLabel(t string) string {
	if l := endpointTypeLabels[t]; l != "" {
		return l
	}
	return t
}

func endpointTypeOptions() []views.Option {
	out := make([]views.Option, 0, len(creatableEndpointTypes))
	for _, t := range creatableEndpointTypes {
		out = append(out, views.Option{Value: t, Label: endpointTypeLabel(t)})
	}
	return out
}

func isHostedEndpoint(t string) bool {
	switch t {
	case carrierx.EndpointConferenceV2, carrierx.EndpointConference, carrierx.EndpointFlexML, carrierx.EndpointMediator:
		return true
	}
	return false
}

// endpointRouting is what routes to each endpoint: trunks (through their
// trunk groups) and the numbers assigned to those trunk groups.
type endpointRouting struct {
	trunks  map[string][]views.EndpointTrunk // by endpoint_sid
	groups  map[string][]string              // trunk group SIDs by endpoint_sid
	numbers map[string][]string              // numbers by trunk_group_sid
}

func (s *Server) endpointRouting(ctx context.Context, cx *carrierx.Client) (endpointRouting, error) {
	r := endpointRouting{trunks: map[string][]views.EndpointTrunk{}, groups: map[string][]string{}, numbers: map[string][]string{}}
	var groupSIDs []any
	seen := map[string]bool{}
	for g, err := range cx.AllTrunkGroups(ctx, carrierx.ListOptions{Limit: 1000, Params: map[string][]string{"with_trunks": {"true"}}}) {
		if err != nil {
			return r, err
		}
		trunks := g.Trunks
		if trunks == nil { // a CarrierX that leaves them out of the list
			for t, err := range cx.AllTrunks(ctx, g.TrunkGroupSID, carrierx.ListOptions{Limit: 1000}) {
				if err != nil {
					return r, err
				}
				trunks = append(trunks, t)
			}
		}
		for _, t := range trunks {
			ep := deref(t.EndpointSID)
			if ep == "" {
				continue
			}
			r.trunks[ep] = append(r.trunks[ep], views.EndpointTrunk{TrunkGroupSID: g.TrunkGroupSID, TrunkGroupName: g.Name, TrunkName: t.Name})
			if !containsString(r.groups[ep], g.TrunkGroupSID) {
				r.groups[ep] = append(r.groups[ep], g.TrunkGroupSID)
			}
			if !seen[g.TrunkGroupSID] {
				seen[g.TrunkGroupSID] = true
				groupSIDs = append(groupSIDs, g.TrunkGroupSID)
			}
		}
	}
	if len(groupSIDs) == 0 {
		return r, nil
	}
	opts := carrierx.ListOptions{Limit: 1000, Filter: carrierx.Filter{}.In("trunk_group_sid", groupSIDs...),
		IncludeFields: []string{"did_sid", "phonenumber", "international_format", "trunk_group_sid"}}
	for d, err := range cx.AllDIDs(ctx, opts) {
		if err != nil {
			return r, err
		}
		label := d.InternationalFormat
		if label == "" {
			label = "+" + d.Phonenumber
		}
		tg := deref(d.TrunkGroupSID)
		r.numbers[tg] = append(r.numbers[tg], label)
	}
	return r, nil
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// numbersOf are the numbers reaching an endpoint, sorted.
func (r endpointRouting) numbersOf(ep string) []string {
	var out []string
	for _, g := range r.groups[ep] {
		out = append(out, r.numbers[g]...)
	}
	sort.Strings(out)
	return out
}

func endpointRow(e carrierx.Endpoint, r endpointRouting) views.EndpointRow {
	row := views.EndpointRow{SID: e.EndpointSID, Name: e.Name, Type: e.Type, TypeLabel: endpointTypeLabel(e.Type),
		Capacity: "unlimited", Trunks: len(r.trunks[e.EndpointSID]), Numbers: len(r.numbersOf(e.EndpointSID)),
		Hosted: isHostedEndpoint(e.Type), System: e.Type == carrierx.EndpointSystemGateway}
	if e.Capacity > 0 {
		row.Capacity = strconv.Itoa(e.Capacity)
	}
	for _, a := range e.Addresses {
		s := a.IP
		if a.Port != 0 {
			s += ":" + strconv.Itoa(a.Port)
		}
		if a.Transport != "" {
			s += " " + a.Transport
		}
		row.Addresses = append(row.Addresses, s)
	}
	return row
}

// listEndpoints is the endpoints page.
func (s *Server) listEndpoints(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	data := views.EndpointsData{Types: endpointTypeOptions(), CSRF: authOf(c).CSRF}
	pg := s.page(c, "Endpoints", "endpoints")
	routing, err := s.endpointRouting(ctx, cx)
	if err == nil {
		for e, lerr := range cx.AllEndpoints(ctx, carrierx.ListOptions{Limit: 1000, Order: "name asc"}) {
			if lerr != nil {
				err = lerr
				break
			}
			data.Rows = append(data.Rows, endpointRow(e, routing))
		}
	}
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		data.Error = p.Message
		if p.Outage {
			pg.Outage = p.Message
		}
	}
	return render(c, http.StatusOK, views.EndpointsPage(pg, data))
}

// newEndpointForm is the empty form of a type.
func newEndpointForm(typ, csrf string) views.EndpointForm {
	f := views.EndpointForm{Type: typ, TypeLabel: endpointTypeLabel(typ), Capacity: "0", CSRF: csrf}
	if typ == carrierx.EndpointThirdParty {
		f.Addresses = []views.EndpointAddressForm{{Port: "5060", Transport: "udp", Direction: "any", Priority: "0"}}
	}
	return f
}

func (s *Server) newEndpoint(c echo.Context) error {
	typ := c.QueryParam("type")
	if !containsString(creatableEndpointTypes, typ) {
		typ = carrierx.EndpointThirdParty
	}
	f := newEndpointForm(typ, authOf(c).CSRF)
	return render(c, http.StatusOK, views.EndpointNewPage(s.page(c, "New "+f.TypeLabel+" endpoint", "endpoints"), endpointTypeOptions(), f))
}

// endpointInput is the endpoint form as submitted.
type endpointInput struct {
	typ, name, capacity string
	addrs               []views.EndpointAddressForm
}

func parseEndpointForm(c echo.Context) endpointInput {
	in := endpointInput{typ: c.FormValue("type"), name: strings.TrimSpace(c.FormValue("name")),
		capacity: strings.TrimSpace(c.FormValue("capacity"))}
	for i := 0; i < 50; i++ {
		k := func(n string) string { return strings.TrimSpace(c.FormValue(fmt.Sprintf("addresses[%d].%s", i, n))) }
		a := views.EndpointAddressForm{IP: k("ip"), Port: k("port"), Transport: k("transport"), Direction: k("direction"),
			Priority: k("priority"), SIPUsername: k("sip_username")}
		if a == (views.EndpointAddressForm{}) {
			if c.FormValue(fmt.Sprintf("addresses[%d].ip", i+1)) == "" {
				break
			}
			continue
		}
		in.addrs = append(in.addrs, a)
	}
	return in
}

// form is the input shown back, with one empty address row to add another.
func (in endpointInput) form(sid, csrf string) views.EndpointForm {
	f := views.EndpointForm{SID: sid, Type: in.typ, TypeLabel: endpointTypeLabel(in.typ), Name: in.name, Capacity: in.capacity, CSRF: csrf}
	if in.typ == carrierx.EndpointThirdParty {
		for _, a := range in.addrs {
			if a.IP != "" {
				f.Addresses = append(f.Addresses, a)
			}
		}
		f.Addresses = append(f.Addresses, views.EndpointAddressForm{Port: "5060", Transport: "udp", Direction: "any", Priority: "0"})
	}
	return f
}

// update checks the input and builds CarrierX's body; errors are keyed by
// CarrierX's field names so its own errors land in the same places.
func (in endpointInput) update(create bool) (carrierx.EndpointUpdate, map[string]string) {
	errs := map[string]string{}
	var u carrierx.EndpointUpdate
	if create {
		u.Type = carrierx.Set(in.typ)
	}
	if in.name == "" {
		errs["name"] = "Give the endpoint a name."
	} else if len(in.name) > 255 {
		errs["name"] = "At most 255 characters."
	}
	u.Name = carrierx.Set(in.name)
	capacity, err := strconv.Atoi(in.capacity)
	if in.capacity == "" {
		capacity, err = 0, nil
	}
	if err != nil || capacity < 0 {
		errs["capacity"] = "A whole number, 0 for unlimited."
	}
	u.Capacity = carrierx.Set(capacity)
	if in.typ != carrierx.EndpointThirdParty {
		return u, errs
	}
	addrs := []carrierx.EndpointAddress{}
	for i, a := range in.addrs {
		if a.IP == "" {
			continue
		}
		key := func(n string) string { return fmt.Sprintf("addresses[%d].%s", i, n) }
		ea := carrierx.EndpointAddress{IP: a.IP, Transport: a.Transport, Direction: a.Direction}
		if strings.ContainsAny(a.IP, " /@") {
			errs[key("ip")] = "An IP address or a host name."
		}
		if a.Port != "" {
			p, err := strconv.Atoi(a.Port)
			if err != nil || p < 1 || p > 65535 {
				errs[key("port")] = "A port from 1 to 65535."
			}
			ea.Port = p
		}
		if a.Priority != "" {
			p, err := strconv.Atoi(a.Priority)
			if err != nil || p < 0 {
				errs[key("priority")] = "0 or more."
			}
			ea.Priority = p
		}
		if a.SIPUsername != "" {
			ea.SIPUsername = &a.SIPUsername
		}
		addrs = append(addrs, ea)
	}
	if len(addrs) == 0 {
		errs["addresses"] = "Add at least one SIP address: where CarrierX sends the calls."
	}
	u.Addresses = carrierx.Set(addrs)
	return u, errs
}

// endpointLabel names an endpoint in flashes and the audit log.
func endpointLabel(e carrierx.Endpoint) string {
	if e.Name != "" {
		return e.Name + " (" + endpointTypeLabel(e.Type) + ")"
	}
	return endpointTypeLabel(e.Type) + " " + e.EndpointSID
}

// endpointAudit is what the audit log keeps of an endpoint: never its
// passwords.
func endpointAudit(e carrierx.Endpoint) map[string]any {
	addrs := make([]string, 0, len(e.Addresses))
	for _, a := range e.Addresses {
		addrs = append(addrs, fmt.Sprintf("%s:%d/%s", a.IP, a.Port, a.Transport))
	}
	return map[string]any{"name": e.Name, "type": e.Type, "capacity": e.Capacity, "addresses": addrs}
}

func (s *Server) createEndpoint(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	in := parseEndpointForm(c)
	if !containsString(creatableEndpointTypes, in.typ) {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose an endpoint type.")
	}
	f := in.form("", a.CSRF)
	showForm := func(status int, msg string) error {
		f.Message = msg
		if !isHTMX(c) {
			return render(c, status, views.EndpointNewPage(s.page(c, "New "+f.TypeLabel+" endpoint", "endpoints"), endpointTypeOptions(), f))
		}
		return renderFragment(c, status, views.EndpointFormView(f), flashError(msg))
	}
	u, errs := in.update(true)
	if len(errs) > 0 {
		f.Errors = errs
		return showForm(http.StatusUnprocessableEntity, "Not created: correct the fields marked below.")
	}
	ep, err := s.client(c).CreateEndpoint(ctx, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "endpoint", ObjectLabel: in.name + " (" + endpointTypeLabel(in.typ) + ")",
			Outcome: store.OutcomeError, Message: p.Message})
		f.Errors = p.Fields
		status := http.StatusUnprocessableEntity
		if p.Outage {
			status = http.StatusBadGateway
		}
		return showForm(status, "Not created: "+p.Message)
	}
	s.audit(c, a, store.AuditEntry{Action: "create", ObjectType: "endpoint", ObjectSID: ep.EndpointSID, ObjectLabel: endpointLabel(*ep),
		Outcome: store.OutcomeOK, After: jsonOf(endpointAudit(*ep))})
	msg := "Created " + endpointLabel(*ep) + "."
	if isHostedEndpoint(ep.Type) {
		msg += " Its account is provisioned; its API credentials are below."
	}
	return s.redirectWithFlash(c, "/endpoints/"+ep.EndpointSID, flashOK(msg))
}

func (s *Server) getEndpoint(c echo.Context) (*carrierx.Endpoint, error) {
	return s.client(c).GetEndpoint(c.Request().Context(), c.Param("sid"))
}

// endpointFields lists every field as CarrierX sent it, properties masked.
func endpointFields(e carrierx.Endpoint) []views.Field {
	masked := e
	if len(e.Properties) > 0 {
		masked.Properties = carrierx.Attributes{}
		for k, v := range e.Properties {
			if strings.Contains(k, "password") {
				v = "(hidden)"
			}
			masked.Properties[k] = v
		}
	}
	if masked.OutSIPPassword != nil {
		h := "(hidden)"
		masked.OutSIPPassword = &h
	}
	return jsonFields(masked)
}

func endpointEditForm(e carrierx.Endpoint, csrf string) views.EndpointForm {
	in := endpointInput{typ: e.Type, name: e.Name, capacity: strconv.Itoa(e.Capacity)}
	for _, a := range e.Addresses {
		af := views.EndpointAddressForm{IP: a.IP, Transport: a.Transport, Direction: a.Direction,
			Priority: strconv.Itoa(a.Priority), SIPUsername: deref(a.SIPUsername)}
		if a.Port != 0 {
			af.Port = strconv.Itoa(a.Port)
		}
		in.addrs = append(in.addrs, af)
	}
	return in.form(e.EndpointSID, csrf)
}

func credentialsOf(e carrierx.Endpoint, csrf string, reveal bool) *views.EndpointCredentials {
	if !isHostedEndpoint(e.Type) || len(e.Properties) == 0 {
		return nil
	}
	login, password := e.APICredentials()
	cr := &views.EndpointCredentials{SID: e.EndpointSID, Login: login, APIURL: e.APIURL(),
		AccountSID: e.Properties["account_sid"], CSRF: csrf}
	if reveal {
		cr.Password, cr.Revealed = password, true
	}
	return cr
}

func (s *Server) showEndpoint(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	e, err := s.getEndpoint(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	routing, err := s.endpointRouting(ctx, s.client(c))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	data := views.EndpointDetailData{Row: endpointRow(*e, routing), Form: endpointEditForm(*e, a.CSRF),
		Creds: credentialsOf(*e, a.CSRF, false), Trunks: routing.trunks[e.EndpointSID],
		Numbers: routing.numbersOf(e.EndpointSID), Fields: endpointFields(*e), CSRF: a.CSRF}
	return render(c, http.StatusOK, views.EndpointDetailPage(s.page(c, orName(e.Name, "Endpoint"), "endpoints"), data))
}

func orName(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

// revealEndpointCredentials shows a hosted endpoint's API password, and
// writes who saw it to the audit log.
func (s *Server) revealEndpointCredentials(c echo.Context) error {
	a := authOf(c)
	e, err := s.getEndpoint(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	cr := credentialsOf(*e, a.CSRF, true)
	if cr == nil {
		return echo.NewHTTPError(http.StatusNotFound, "This endpoint has no API credentials.")
	}
	s.audit(c, a, store.AuditEntry{Action: "reveal credentials", ObjectType: "endpoint", ObjectSID: e.EndpointSID,
		ObjectLabel: endpointLabel(*e), Outcome: store.OutcomeOK, Message: "API password shown"})
	if !isHTMX(c) {
		routing, err := s.endpointRouting(c.Request().Context(), s.client(c))
		if err != nil {
			return s.failCarrierX(c, err)
		}
		data := views.EndpointDetailData{Row: endpointRow(*e, routing), Form: endpointEditForm(*e, a.CSRF), Creds: cr,
			Trunks: routing.trunks[e.EndpointSID], Numbers: routing.numbersOf(e.EndpointSID), Fields: endpointFields(*e), CSRF: a.CSRF}
		return render(c, http.StatusOK, views.EndpointDetailPage(s.page(c, orName(e.Name, "Endpoint"), "endpoints"), data))
	}
	return render(c, http.StatusOK, views.EndpointCredentialsView(*cr))
}

// saveEndpoint changes an endpoint's name, capacity and addresses: only what
// differs is sent.
func (s *Server) saveEndpoint(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cur, err := s.getEndpoint(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	if cur.Type == carrierx.EndpointSystemGateway {
		return echo.NewHTTPError(http.StatusForbidden, "The System Gateway is managed by CarrierX.")
	}
	in := parseEndpointForm(c)
	in.typ = cur.Type
	f := in.form(cur.EndpointSID, a.CSRF)
	showForm := func(status int, flash views.Flash) error {
		if flash.Kind == views.FlashError {
			f.Message = flash.Text
		}
		return s.formReply(c, "/endpoints/"+cur.EndpointSID, status, flash, func() templ.Component { return views.EndpointFormView(f) })
	}
	u, errs := in.update(false)
	if len(errs) > 0 {
		f.Errors = errs
		return showForm(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	// Only what changed is sent.
	if u.Name.IsSet() {
		if v, _ := u.Name.Get(); v == cur.Name {
			u.Name = carrierx.Optional[string]{}
		}
	}
	if v, _ := u.Capacity.Get(); v == cur.Capacity {
		u.Capacity = carrierx.Optional[int]{}
	}
	if u.Addresses.IsSet() {
		v, _ := u.Addresses.Get()
		if sameAddresses(v, cur.Addresses) {
			u.Addresses = carrierx.Optional[[]carrierx.EndpointAddress]{}
		}
	}
	if !u.Name.IsSet() && !u.Capacity.IsSet() && !u.Addresses.IsSet() {
		f = endpointEditForm(*cur, a.CSRF)
		return showForm(http.StatusOK, flashInfo("No changes to save for "+endpointLabel(*cur)+"."))
	}
	updated, err := s.client(c).UpdateEndpoint(ctx, cur.EndpointSID, u)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "endpoint", ObjectSID: cur.EndpointSID, ObjectLabel: endpointLabel(*cur),
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(endpointAudit(*cur))})
		f.Errors = p.Fields
		status := http.StatusUnprocessableEntity
		if p.Outage {
			status = http.StatusBadGateway
		}
		return showForm(status, flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "endpoint", ObjectSID: cur.EndpointSID, ObjectLabel: endpointLabel(*updated),
		Outcome: store.OutcomeOK, Before: jsonOf(endpointAudit(*cur)), After: jsonOf(endpointAudit(*updated))})
	f = endpointEditForm(*updated, a.CSRF)
	return showForm(http.StatusOK, flashOK("Saved "+endpointLabel(*updated)+"."))
}

func sameAddresses(a, b []carrierx.EndpointAddress) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.IP != y.IP || (x.Port != 0 && x.Port != y.Port) || (x.Transport != "" && x.Transport != y.Transport) ||
			(x.Direction != "" && x.Direction != y.Direction) || x.Priority != y.Priority ||
			deref(x.SIPUsername) != deref(y.SIPUsername) {
			return false
		}
	}
	return true
}

func (s *Server) endpointDeleteData(c echo.Context) (*carrierx.Endpoint, views.EndpointDeleteData, error) {
	e, err := s.getEndpoint(c)
	if err != nil {
		return nil, views.EndpointDeleteData{}, err
	}
	routing, err := s.endpointRouting(c.Request().Context(), s.client(c))
	if err != nil {
		return nil, views.EndpointDeleteData{}, err
	}
	return e, views.EndpointDeleteData{Row: endpointRow(*e, routing), Trunks: routing.trunks[e.EndpointSID],
		Numbers: routing.numbersOf(e.EndpointSID), CSRF: authOf(c).CSRF}, nil
}

// confirmDeleteEndpoint names what depends on the endpoint before it goes.
func (s *Server) confirmDeleteEndpoint(c echo.Context) error {
	_, data, err := s.endpointDeleteData(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	if !isHTMX(c) {
		return render(c, http.StatusOK, views.EndpointDeletePage(s.page(c, "Delete "+orName(data.Row.Name, "endpoint"), "endpoints"), data))
	}
	return render(c, http.StatusOK, views.EndpointDeleteConfirm(data))
}

func (s *Server) deleteEndpoint(c echo.Context) error {
	a := authOf(c)
	e, data, err := s.endpointDeleteData(c)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	if e.Type == carrierx.EndpointSystemGateway {
		return echo.NewHTTPError(http.StatusForbidden, "The System Gateway is managed by CarrierX.")
	}
	label := endpointLabel(*e)
	if err := s.client(c).DeleteEndpoint(c.Request().Context(), e.EndpointSID); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "endpoint", ObjectSID: e.EndpointSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(endpointAudit(*e))})
		data.Error = "Not deleted: " + p.Message
		if !isHTMX(c) {
			return render(c, http.StatusUnprocessableEntity, views.EndpointDeletePage(s.page(c, "Delete "+orName(e.Name, "endpoint"), "endpoints"), data))
		}
		return renderFragment(c, http.StatusUnprocessableEntity, views.EndpointDeleteConfirm(data), flashError(data.Error))
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "endpoint", ObjectSID: e.EndpointSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(endpointAudit(*e))})
	return s.redirectWithFlash(c, "/endpoints", flashOK("Deleted "+label+"."))
}
