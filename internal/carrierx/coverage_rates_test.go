package carrierx_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func init() {
	exercised["core GET /calls/rates/inbound/pstn"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListInboundPSTNRates(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		checkRatePage(t, f, &p.Page, p.Active, p.PartnerSID, p.RatesPlan)
		require.Len(t, p.Items, 1, "one inbound rate for every number")
		r := p.Items[0]
		assert.Nil(t, r.Prefix)
		assert.Equal(t, "60", r.BillingIncrement.String())

		// The rate is the one inbound call records are charged at.
		cdr := answeredCall(t, f, carrierx.DirectionInbound)
		assert.True(t, r.Price.Equal(cdr.Rate.Decimal), "table %s, record %s", r.Price, cdr.Rate.Decimal)

		_, err = f.cx.ListInboundPSTNRates(ctx(), carrierx.ListOptions{After: "x"})
		assert.Equal(t, 400, statusOf(err), "rates have no SID to page after")
	}
	exercised["core GET /calls/rates/inbound/pstn/csv"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListInboundPSTNRates(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		csvMatchesItems(t, p.Items, func() (io.ReadCloser, error) {
			return f.cx.DownloadInboundPSTNRates(ctx(), carrierx.ListOptions{})
		})
		_, err = f.cx.DownloadInboundPSTNRates(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("rate", 1)})
		assert.Equal(t, 400, statusOf(err), "rate items have no field rate")
	}
	exercised["core GET /calls/rates/inbound/voip/{sub_type}"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListInboundVoIPRates(ctx(), carrierx.EndpointConference, carrierx.ListOptions{})
		require.NoError(t, err)
		checkRatePage(t, f, &p.Page, p.Active, p.PartnerSID, p.RatesPlan)
		require.Len(t, p.Items, 1)
		assert.True(t, p.Items[0].Price.IsZero(), "VoIP legs are not charged")
		n := 0
		for r, err := range f.cx.AllInboundVoIPRates(ctx(), carrierx.EndpointMediator, carrierx.ListOptions{}) {
			require.NoError(t, err)
			assert.True(t, r.Price.IsZero())
			n++
		}
		assert.Equal(t, 1, n)
		_, err = f.cx.ListInboundVoIPRates(ctx(), "no_such_endpoint", carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err), "an unknown sub_type")
	}
	exercised["core GET /calls/rates/inbound/voip/{sub_type}/csv"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListInboundVoIPRates(ctx(), carrierx.EndpointFlexML, carrierx.ListOptions{})
		require.NoError(t, err)
		csvMatchesItems(t, p.Items, func() (io.ReadCloser, error) {
			return f.cx.DownloadInboundVoIPRates(ctx(), carrierx.EndpointFlexML, carrierx.ListOptions{})
		})
		_, err = f.cx.DownloadInboundVoIPRates(ctx(), "no_such_endpoint", carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core GET /calls/rates/outbound/pstn"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListOutboundPSTNRates(ctx(), carrierx.ListOptions{Order: "prefix asc"})
		require.NoError(t, err)
		checkRatePage(t, f, &p.Page, p.Active, p.PartnerSID, p.RatesPlan)
		require.NotEmpty(t, p.Items)
		require.NotNil(t, p.Items[0].Prefix)
		assert.Equal(t, "1", *p.Items[0].Prefix, "domestic calls")

		// Call rate lists answer "pagination": null: the iterator pages by offset.
		var all []carrierx.CallRate
		for r, err := range f.cx.AllOutboundPSTNRates(ctx(), carrierx.ListOptions{Limit: 1, Order: "prefix asc"}) {
			require.NoError(t, err)
			all = append(all, r)
		}
		assert.Equal(t, p.Items, all)

		// Every outbound call record is charged at a rate of the table.
		cdr := answeredCall(t, f, carrierx.DirectionOutbound)
		found := false
		for _, r := range p.Items {
			found = found || r.Price.Equal(cdr.Rate.Decimal)
		}
		assert.True(t, found, "record rate %s is in the table", cdr.Rate.Decimal)

		_, err = f.cx.ListOutboundPSTNRates(ctx(), carrierx.ListOptions{Order: "rate desc"})
		assert.Equal(t, 400, statusOf(err), "no field rate to order by")
	}
	exercised["core GET /calls/rates/outbound/pstn/csv"] = func(t *testing.T, f *fixture) {
		opts := carrierx.ListOptions{Filter: carrierx.Filter{}.Like("prefix", "1%"), Order: "price desc", ExcludeFields: []string{"country_name"}}
		p, err := f.cx.ListOutboundPSTNRates(ctx(), opts)
		require.NoError(t, err)
		require.NotEmpty(t, p.Items)
		csvMatchesItems(t, p.Items, func() (io.ReadCloser, error) { return f.cx.DownloadOutboundPSTNRates(ctx(), opts) })
		_, err = f.cx.DownloadOutboundPSTNRates(ctx(), carrierx.ListOptions{ExcludeFields: []string{"nope"}})
		assert.Equal(t, 400, statusOf(err))
	}
	exercised["core GET /calls/rates/outbound/voip/{sub_type}"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListOutboundVoIPRates(ctx(), carrierx.EndpointThirdParty, carrierx.ListOptions{})
		require.NoError(t, err)
		checkRatePage(t, f, &p.Page, p.Active, p.PartnerSID, p.RatesPlan)
		require.Len(t, p.Items, 1)
		assert.True(t, p.Items[0].Price.IsZero())
		_, err = f.cx.ListOutboundVoIPRates(ctx(), carrierx.EndpointConferenceV2, carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err), "conference_v2 is not a documented sub_type of the rate lists")
	}
	exercised["core GET /calls/rates/outbound/voip/{sub_type}/csv"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListOutboundVoIPRates(ctx(), carrierx.EndpointVoicemail, carrierx.ListOptions{})
		require.NoError(t, err)
		csvMatchesItems(t, p.Items, func() (io.ReadCloser, error) {
			return f.cx.DownloadOutboundVoIPRates(ctx(), carrierx.EndpointVoicemail, carrierx.ListOptions{})
		})
		_, err = f.cx.DownloadOutboundVoIPRates(ctx(), "", carrierx.ListOptions{})
		assert.Error(t, err, "an empty sub_type is refused before a request")
	}
	exercised["core GET /sms/rates/outbound/{sub_type}"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListOutboundSMSRates(ctx(), carrierx.MessageToll, carrierx.ListOptions{Limit: 2})
		require.NoError(t, err)
		checkRatePage(t, f, &p.Page, p.Active, p.PartnerSID, p.RatesPlan)
		require.Len(t, p.Items, 2)
		assert.True(t, p.HasMore)
		assert.Contains(t, p.Pagination.Next, "offset=2", "SMS rate lists carry the next link")
		mdr := sentMessage(t, f, "sms")
		for _, r := range p.Items {
			require.NotNil(t, r.MCC)
			assert.Equal(t, *mdr.MCC, *r.MCC)
			assert.True(t, r.Price.Equal(mdr.Rate.Decimal), "table %s, record %s", r.Price, mdr.Rate.Decimal)
		}
		_, err = f.cx.ListOutboundSMSRates(ctx(), "mms", carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core GET /sms/rates/outbound/{sub_type}/csv"] = func(t *testing.T, f *fixture) {
		var items []carrierx.SMSRate
		for r, err := range f.cx.AllOutboundSMSRates(ctx(), carrierx.MessageTollFree, carrierx.ListOptions{Limit: 2}) {
			require.NoError(t, err)
			items = append(items, r)
		}
		require.NotEmpty(t, items)
		csvMatchesItems(t, items, func() (io.ReadCloser, error) {
			return f.cx.DownloadOutboundSMSRates(ctx(), carrierx.MessageTollFree, carrierx.ListOptions{})
		})
		_, err := f.cx.DownloadOutboundSMSRates(ctx(), "long_code", carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core GET /phonenumber/rates"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListDIDRates(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		checkRatePage(t, f, &p.Page, p.Active, p.PartnerSID, p.RatesPlan)
		d := rent(t, f)
		var class *carrierx.DIDRate
		for i := range p.Items {
			if p.Items[i].ClassificationSID == d.ClassificationSID {
				class = &p.Items[i]
			}
		}
		require.NotNil(t, class, "the rented number's class has a rate")
		tiers := class.Tiers()
		require.NotEmpty(t, tiers)
		assert.Equal(t, 0, tiers[0].Quantity)
		require.True(t, d.Price.Valid)
		assert.True(t, tiers[0].Price.Equal(d.Price.Decimal), "class rate %s, number price %s", tiers[0].Price, d.Price.Decimal)

		_, err = f.cx.ListDIDRates(ctx(), carrierx.ListOptions{Params: map[string][]string{"with_related": {"true"}}})
		assert.Equal(t, 400, statusOf(err))
	}
	exercised["core GET /phonenumber/rates/csv"] = func(t *testing.T, f *fixture) {
		opts := carrierx.ListOptions{IncludeFields: []string{"classification_sid", "price_0", "quantity_0"}}
		p, err := f.cx.ListDIDRates(ctx(), opts)
		require.NoError(t, err)
		csvMatchesItems(t, p.Items, func() (io.ReadCloser, error) { return f.cx.DownloadDIDRates(ctx(), opts) })
		_, err = f.cx.DownloadDIDRates(ctx(), carrierx.ListOptions{Order: "nope"})
		assert.Equal(t, 400, statusOf(err))
	}
	exercised["core GET /rating/calls/pstn"] = func(t *testing.T, f *fixture) {
		// A record's number and billed duration are rated at the record's price.
		cdr := answeredCall(t, f, carrierx.DirectionInbound)
		billed := int(cdr.DurationBilling.Decimal.IntPart())
		got, err := f.cx.RatePSTNCall(ctx(), carrierx.CallRatingRequest{Direction: carrierx.DirectionInbound, Duration: billed, To: *cdr.NumberSrc})
		require.NoError(t, err)
		assert.Equal(t, carrierx.DirectionInbound, got.Direction)
		assert.True(t, got.Rate.Equal(cdr.Rate.Decimal))
		assert.True(t, got.Price.Equal(cdr.Price.Decimal), "rating %s, record %s", got.Price, cdr.Price.Decimal)
		assert.True(t, got.DurationBilling.Equal(cdr.DurationBilling.Decimal))

		// Outbound: the longest prefix applies; billing rounds up to its increment.
		rates, err := f.cx.ListOutboundPSTNRates(ctx(), carrierx.ListOptions{Order: "prefix desc", Limit: 1})
		require.NoError(t, err)
		top := rates.Items[0]
		got, err = f.cx.RatePSTNCall(ctx(), carrierx.CallRatingRequest{Direction: carrierx.DirectionOutbound, Duration: 1, To: *top.Prefix + "5550100"})
		require.NoError(t, err)
		assert.True(t, got.Rate.Equal(top.Price))
		assert.True(t, got.DurationBilling.Equal(top.BillingIncrement))
		assert.True(t, got.Price.Equal(top.Price.Mul(top.BillingIncrement).Div(decimal.NewFromInt(60))))

		_, err = f.cx.RatePSTNCall(ctx(), carrierx.CallRatingRequest{Direction: carrierx.DirectionOutbound, Duration: 10})
		assert.Equal(t, 422, statusOf(err), "to is required")
		_, err = f.cx.RatePSTNCall(ctx(), carrierx.CallRatingRequest{Direction: carrierx.DirectionOutbound, Duration: 10,
			To: "17605692222", PartnerSID: f.sb.OtherPartner().PartnerSID})
		assert.Equal(t, 404, statusOf(err), "another partner is not the caller's to rate for")
	}
	exercised["core GET /rating/calls/voip/{sub_type}"] = func(t *testing.T, f *fixture) {
		got, err := f.cx.RateVoIPCall(ctx(), carrierx.EndpointConference, carrierx.CallRatingRequest{
			Direction: carrierx.DirectionOutbound, Duration: 10, To: "17605692222"})
		require.NoError(t, err)
		assert.Equal(t, "60", got.DurationBilling.String())
		assert.True(t, got.Price.IsZero() && got.Rate.IsZero(), "VoIP legs are not charged: %+v", got)
		_, err = f.cx.RateVoIPCall(ctx(), carrierx.EndpointConference, carrierx.CallRatingRequest{Direction: "sideways", Duration: 10, To: "1"})
		assert.Equal(t, 422, statusOf(err))
		_, err = f.cx.RateVoIPCall(ctx(), "pstn", carrierx.CallRatingRequest{Direction: carrierx.DirectionOutbound, Duration: 10, To: "1"})
		assert.Equal(t, 404, statusOf(err), "an unknown sub_type")
	}
	exercised["core GET /rating/mms/{sub_type}"] = func(t *testing.T, f *fixture) {
		mdr := sentMessage(t, f, "mms")
		got, err := f.cx.RateMMS(ctx(), carrierx.MessageToll, carrierx.MessageRatingRequest{Direction: mdr.Direction,
			To: *mdr.NumberExternal, MessageSegments: 3})
		require.NoError(t, err)
		assert.Equal(t, "1", got.Segments.String(), "an MMS is one segment")
		assert.True(t, got.Rate.Equal(mdr.Rate.Decimal))
		assert.True(t, got.Price.Equal(mdr.Price.Decimal), "rating %s, record %s", got.Price, mdr.Price.Decimal)
		_, err = f.cx.RateMMS(ctx(), carrierx.MessageToll, carrierx.MessageRatingRequest{To: "17605692222"})
		assert.Equal(t, 422, statusOf(err), "direction is required")
	}
	exercised["core GET /rating/sms/{sub_type}"] = func(t *testing.T, f *fixture) {
		mdr := sentMessage(t, f, "sms")
		got, err := f.cx.RateSMS(ctx(), carrierx.MessageToll, carrierx.MessageRatingRequest{Direction: mdr.Direction,
			To: *mdr.NumberExternal, MessageSegments: mdr.MessageSegments})
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(mdr.MessageSegments), got.Segments.String())
		assert.True(t, got.Rate.Equal(mdr.Rate.Decimal))
		assert.True(t, got.Price.Equal(mdr.Price.Decimal), "rating %s, record %s", got.Price, mdr.Price.Decimal)
		_, err = f.cx.RateSMS(ctx(), carrierx.MessageToll, carrierx.MessageRatingRequest{Direction: carrierx.DirectionOutbound,
			To: "17605692222", MessageSegments: -1})
		assert.Equal(t, 422, statusOf(err))
		_, err = f.cx.RateSMS(ctx(), "mms", carrierx.MessageRatingRequest{Direction: carrierx.DirectionOutbound, To: "17605692222"})
		assert.Equal(t, 404, statusOf(err))
	}
}

// checkRatePage checks the rate envelope's keys: the plan, in effect, for
// the caller.
func checkRatePage[T any](t *testing.T, f *fixture, p *carrierx.Page[T], active, partnerSID string, plan carrierx.RatesPlan) {
	t.Helper()
	assert.Equal(t, "yes", active)
	assert.Equal(t, f.creds.PartnerSID, partnerSID)
	assert.NotEmpty(t, plan.Name)
	assert.NotEmpty(t, plan.RatesPlanSID)
	require.NotNil(t, p.Total)
	assert.Equal(t, len(p.Items), p.Count)
	assert.LessOrEqual(t, p.Count, *p.Total)
}

// answeredCall is a call record of the direction that was billed.
func answeredCall(t *testing.T, f *fixture, dir string) carrierx.CallDetailRecord {
	t.Helper()
	p, err := f.cx.ListCallDRs(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("direction", dir), Limit: 200})
	require.NoError(t, err)
	for _, r := range p.Items {
		if r.DurationBilling.Valid && r.DurationBilling.Decimal.IsPositive() && r.Rate.Valid && r.NumberSrc != nil {
			return r
		}
	}
	t.Fatalf("no billed %s call record", dir)
	return carrierx.CallDetailRecord{}
}

// sentMessage is an outbound message record of type typ (sms, mms).
func sentMessage(t *testing.T, f *fixture, typ string) carrierx.MessageDetailRecord {
	t.Helper()
	p, err := f.cx.ListMessageDRs(ctx(), carrierx.ListOptions{
		Filter: carrierx.Filter{}.Eq("direction", carrierx.DirectionOutbound).And(carrierx.Filter{}.Eq("type", typ)), Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items, "no outbound %s record", typ)
	r := p.Items[0]
	require.True(t, r.Rate.Valid && r.Price.Valid)
	require.NotNil(t, r.NumberExternal)
	require.NotNil(t, r.MCC)
	return r
}

// csvMatchesItems downloads a rate table as CSV and checks it holds the same
// rows as items, column by column (numbers compared as decimals).
func csvMatchesItems[T any](t *testing.T, items []T, download func() (io.ReadCloser, error)) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(readAll(t, download))).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs, "a header row")
	header, rows := recs[0], recs[1:]
	require.Len(t, rows, len(items))
	for i, it := range items {
		b, err := json.Marshal(it)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		for j, col := range header {
			want, ok := m[col]
			require.True(t, ok, "column %q is a field of the item", col)
			cell := rows[i][j]
			switch v := want.(type) {
			case nil:
				assert.Empty(t, cell, "row %d %s", i, col)
			case float64:
				assert.Equal(t, strconv.FormatFloat(v, 'f', -1, 64), cell, "row %d %s", i, col)
			case string:
				if d, err := decimal.NewFromString(v); err == nil {
					c, err := decimal.NewFromString(cell)
					require.NoError(t, err, "row %d %s: %q", i, col, cell)
					assert.True(t, d.Equal(c), "row %d %s: CSV %s, JSON %s", i, col, cell, v)
				} else {
					assert.Equal(t, v, cell, "row %d %s", i, col)
				}
			}
		}
	}
}
