package web

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Shared pieces of the numbers pages: turning CarrierX objects into view rows.

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// capabilityLabels names a DID's capabilities in the user's words.
func capabilityLabels(mask int) []string {
	var out []string
	if mask&int(carrierx.CapVoice) != 0 {
		out = append(out, "Voice")
	}
	if mask&int(carrierx.CapReceiveSMS|carrierx.CapSendSMS) != 0 {
		out = append(out, "SMS")
	}
	if mask&int(carrierx.CapReceiveMMS|carrierx.CapSendMMS) != 0 {
		out = append(out, "MMS")
	}
	return out
}

// trunkGroups is the partner's trunk groups, by SID.
type trunkGroups map[string]string

func (tg trunkGroups) options() []views.Option {
	opts := make([]views.Option, 0, len(tg))
	for sid, name := range tg {
		opts = append(opts, views.Option{Value: sid, Label: name})
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Label < opts[j].Label })
	return opts
}

func (s *Server) trunkGroups(ctx context.Context, cx *carrierx.Client) (trunkGroups, error) {
	tg := trunkGroups{}
	for g, err := range cx.AllTrunkGroups(ctx, carrierx.ListOptions{Limit: 1000, IncludeFields: []string{"trunk_group_sid", "name"}}) {
		if err != nil {
			return tg, err
		}
		tg[g.TrunkGroupSID] = g.Name
	}
	return tg, nil
}

func numberRow(d carrierx.DID, tg trunkGroups) views.NumberRow {
	r := views.NumberRow{
		SID: d.DIDSID, Phonenumber: d.Phonenumber, Display: d.InCountryFormat,
		International: d.InternationalFormat, Name: d.Name, Locality: d.Locality, State: d.State,
		TrunkGroupSID: deref(d.TrunkGroupSID), CallbackURL: deref(d.CallbackURL),
		StringKey1: deref(d.StringKey1), StringKey2: deref(d.StringKey2),
		Capabilities: capabilityLabels(d.Capabilities), Status: d.Status, CanSend: d.Can(carrierx.CapSendSMS),
	}
	if r.International == "" {
		r.International = "+" + d.Phonenumber
	}
	if r.TrunkGroupSID != "" {
		r.TrunkGroupName = tg[r.TrunkGroupSID]
		if r.TrunkGroupName == "" {
			r.TrunkGroupName = r.TrunkGroupSID
		}
	}
	if d.Price.Valid {
		r.Price = d.Price.Decimal.StringFixed(2)
	}
	return r
}

// didFields lists every field of a DID as CarrierX sent it, in name order.
func didFields(d carrierx.DID) []views.Field { return jsonFields(d) }

// jsonFields lists the fields of a CarrierX object as JSON has them, in name
// order: strings as they are, null as empty, anything else as JSON.
func jsonFields(v any) []views.Field {
	b, _ := json.Marshal(v)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]views.Field, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		var s string
		switch {
		case string(v) == "null":
			s = ""
		case json.Unmarshal(v, &s) == nil:
		default:
			s = string(v)
		}
		out = append(out, views.Field{Name: k, Value: s})
	}
	return out
}

// didLabel names a number for flashes and the audit log.
func didLabel(d carrierx.DID) string {
	if d.InternationalFormat != "" {
		return d.InternationalFormat
	}
	return "+" + d.Phonenumber
}

// usStates are the states offered in the search filters.
var usStates = strings.Fields("AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY")

func stateOptions() []views.Option {
	out := make([]views.Option, len(usStates))
	for i, s := range usStates {
		out[i] = views.Option{Value: s, Label: s}
	}
	return out
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// getDID fetches a number of the signed-in partner; CarrierX answers 404 for
// another partner's number.
func (s *Server) getDID(c echo.Context, sid string) (*carrierx.DID, error) {
	if sid == "" || len(sid) > 64 {
		return nil, echo.NewHTTPError(404, "There is no such number.")
	}
	d, err := s.client(c).GetDID(c.Request().Context(), sid)
	if carrierx.IsNotFound(err) {
		return nil, echo.NewHTTPError(404, fmt.Sprintf("Number %s is not among your numbers (released, or never rented).", sid))
	}
	return d, err
}

// client is the CarrierX client with the signed-in partner's token.
func (s *Server) client(c echo.Context) *carrierx.Client {
	return s.cx.WithBearer(authOf(c).Token)
}
