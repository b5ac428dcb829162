package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// showLookup is the number look-up page. It is a GET form (nothing
// changes, and the address can be shared), run only when a number is given.
// CarrierX's carrier, CNAM and LRN look-ups may be billed, so each is asked
// for only when ticked.
func (s *Server) showLookup(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := views.LookupForm{Number: strings.TrimSpace(q.Get("number")), Carrier: q.Get("carrier") == "1",
		CNAM: q.Get("cnam") == "1", LRN: q.Get("lrn") == "1"}
	d := views.LookupData{Form: f}
	pg := s.page(c, "Number look-up", "lookup")
	status := http.StatusOK
	// A billed look-up opened from another site (a link elsewhere) is not
	// run until the user confirms it here: a page elsewhere cannot spend
	// the account's money by linking to this one.
	if f.Number != "" && (f.Carrier || f.CNAM || f.LRN) && c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
		d.Form.Error = "This look-up was opened from another site. Check it and press Look up to run it."
		return render(c, http.StatusOK, views.LookupPage(pg, d))
	}
	if f.Number != "" {
		d.Asked = true
		number := typedNumber(f.Number)
		switch {
		case len(digitsOnly(number)) < 7 || len(number) > 20 || strings.Trim(number, "+0123456789") != "":
			d.Form.Error = "Enter a phone number: digits, with a leading + and the country code for numbers outside North America."
			status = http.StatusUnprocessableEntity
		default:
			if !strings.HasPrefix(number, "+") && len(number) == 10 {
				number = "1" + number // a North American number typed without its country code
			}
			r, err := s.client(c).LookupPhonenumber(ctx, number, carrierx.PhonenumberLookupOptions{Carrier: f.Carrier, CNAM: f.CNAM, LRN: f.LRN})
			if err != nil {
				p := explain(err)
				if p.Expired {
					return s.endSession(c)
				}
				if p.Outage {
					pg.Outage = p.Message
				}
				d.Form.Error = p.Message
				status = refusalStatus(p)
				break
			}
			d.Form.Number = orName(r.InternationalFormat, "+"+r.Phonenumber)
			d.Facts = lookupFacts(*r, f)
			mine, err := s.client(c).ListDIDs(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("phonenumber", r.Phonenumber), Limit: 1})
			if err == nil && len(mine.Items) > 0 {
				d.MineURL = "/numbers/" + mine.Items[0].DIDSID
			}
		}
	}
	return render(c, status, views.LookupPage(pg, d))
}

func lookupFacts(r carrierx.PhonenumberLookup, f views.LookupForm) []views.Field {
	out := []views.Field{{Name: "E.164", Value: r.E164Format}, {Name: "National format", Value: r.InCountryFormat},
		{Name: "Country", Value: r.CountryCode}, {Name: "State", Value: deref(r.State)}}
	unknown := "not known"
	if f.Carrier {
		v := unknown
		if cr := r.Details.Carrier; cr != nil {
			v = strings.TrimSpace(cr.Name + " (" + cr.Type + ")")
			if cr.MCC != nil && cr.MNC != nil {
				v += ", MCC " + *cr.MCC + " MNC " + *cr.MNC
			}
		}
		out = append(out, views.Field{Name: "Carrier", Value: v})
	}
	if f.CNAM {
		v := unknown
		if cn := r.Details.CNAM; cn != nil && cn.Name != "" {
			v = cn.Name
		}
		out = append(out, views.Field{Name: "Caller name (CNAM)", Value: v})
	}
	if f.LRN {
		v := unknown
		if l := r.Details.LRN; l != nil && l.LRN != "" {
			v = plusE164(l.LRN)
		}
		out = append(out, views.Field{Name: "Routing number (LRN)", Value: v})
	}
	return out
}
