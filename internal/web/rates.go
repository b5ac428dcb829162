package web

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Rates: what a call or a message to a number costs, as CarrierX rates it
// for the partner, and its rate tables as CSV, streamed through.

// rateTable is one downloadable rate table.
type rateTable struct {
	key, label string
	open       func(ctx context.Context, cx *carrierx.Client) (io.ReadCloser, error)
}

var rateTables = []rateTable{
	{"outbound-pstn", "Outbound calls (PSTN), by prefix", func(ctx context.Context, cx *carrierx.Client) (io.ReadCloser, error) {
		return cx.DownloadOutboundPSTNRates(ctx, carrierx.ListOptions{})
	}},
	{"inbound-pstn", "Inbound calls (PSTN)", func(ctx context.Context, cx *carrierx.Client) (io.ReadCloser, error) {
		return cx.DownloadInboundPSTNRates(ctx, carrierx.ListOptions{})
	}},
	{"sms-toll", "Outbound SMS from local numbers", func(ctx context.Context, cx *carrierx.Client) (io.ReadCloser, error) {
		return cx.DownloadOutboundSMSRates(ctx, carrierx.MessageToll, carrierx.ListOptions{})
	}},
	{"sms-toll-free", "Outbound SMS from toll-free numbers", func(ctx context.Context, cx *carrierx.Client) (io.ReadCloser, error) {
		return cx.DownloadOutboundSMSRates(ctx, carrierx.MessageTollFree, carrierx.ListOptions{})
	}},
	{"phone-numbers", "Phone number rental (monthly, by quantity)", func(ctx context.Context, cx *carrierx.Client) (io.ReadCloser, error) {
		return cx.DownloadDIDRates(ctx, carrierx.ListOptions{})
	}},
}

func rateDownloads() []views.RateDownload {
	out := make([]views.RateDownload, 0, len(rateTables))
	for _, t := range rateTables {
		out = append(out, views.RateDownload{Key: t.key, Label: t.label})
	}
	return out
}

// showRates is the Rates page; with ?to= it prices a call and an SMS.
func (s *Server) showRates(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	d := views.RatesData{Number: strings.TrimSpace(c.QueryParam("to")), Minutes: strings.TrimSpace(c.QueryParam("minutes")),
		Downloads: rateDownloads()}
	if d.Minutes == "" {
		d.Minutes = "1"
	}
	pg := s.page(c, "Rates", "rates")
	status := http.StatusOK
	if d.Number != "" {
		d.Asked = true
		to := typedNumber(d.Number)
		if !strings.HasPrefix(to, "+") && len(to) == 10 {
			to = "1" + to // a North American number typed without its country code
		}
		minutes, err := decimal.NewFromString(d.Minutes)
		switch {
		case len(digitsOnly(to)) < 7 || strings.Trim(to, "+0123456789") != "":
			d.Error, d.ErrorOn, status = "Enter a phone number, with a leading + and the country code outside North America.", "to", http.StatusUnprocessableEntity
		case err != nil || minutes.IsNegative() || minutes.GreaterThan(decimal.NewFromInt(1440)):
			d.Error, d.ErrorOn, status = "Give the length of the call in minutes, from 0 to 1440 (decimals allowed).", "minutes", http.StatusUnprocessableEntity
		default:
			secs := int(minutes.Mul(decimal.NewFromInt(60)).Ceil().IntPart())
			to = digitsOnly(to)
			if r, err := cx.RatePSTNCall(ctx, carrierx.CallRatingRequest{Direction: carrierx.DirectionOutbound, Duration: secs, To: to}); err != nil {
				d.CallError = s.rateProblem(c, &pg, err)
			} else {
				d.Call = []views.Field{{Name: "Rate per minute", Value: "$" + r.Rate.String()},
					{Name: "Billed", Value: r.DurationBilling.String() + " s for " + decimal.NewFromInt(int64(secs)).String() + " s"},
					{Name: "Price", Value: "$" + r.Price.String()}}
			}
			if r, err := cx.RateSMS(ctx, carrierx.MessageToll, carrierx.MessageRatingRequest{Direction: carrierx.DirectionOutbound, To: to}); err != nil {
				d.SMSError = s.rateProblem(c, &pg, err)
			} else {
				d.SMS = []views.Field{{Name: "Rate per segment", Value: "$" + r.Rate.String()}, {Name: "Price", Value: "$" + r.Price.String()}}
			}
		}
	}
	return render(c, status, views.RatesPage(pg, d))
}

func (s *Server) rateProblem(c echo.Context, pg *views.Page, err error) string {
	p := explain(err)
	if p.Outage {
		pg.Outage = p.Message
	}
	return p.Message
}

// downloadRates streams one rate table from CarrierX.
func (s *Server) downloadRates(c echo.Context) error {
	key := strings.TrimSuffix(c.Param("table"), ".csv")
	for _, t := range rateTables {
		if t.key != key {
			continue
		}
		body, err := t.open(c.Request().Context(), s.client(c))
		if err != nil {
			return s.failCarrierX(c, err)
		}
		defer body.Close()
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, `attachment; filename="carrierx-rates-`+t.key+`.csv"`)
		c.Response().WriteHeader(http.StatusOK)
		_, err = io.Copy(c.Response(), body)
		return err
	}
	return echo.NewHTTPError(http.StatusNotFound, "There is no such rate table.")
}
