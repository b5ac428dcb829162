package carrierx

import (
	"context"
	"io"
	"iter"
	"net/url"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Rate tables (§4.20) and rating lookups.

// RatesPlan names the plan a rate table belongs to.
type RatesPlan struct {
	Name         string `json:"name"`
	RatesPlanSID string `json:"rates_plan_sid"`
}

// RatePage is a page of a rate table: the list envelope plus the plan's
// keys. Call rate lists answer "pagination": null, so paging goes by
// has_more and offset (the All* iterators do).
type RatePage[T any] struct {
	Page[T]
	Active        string     `json:"active"` // "yes" when the plan is in effect
	EffectiveDate *time.Time `json:"effective_date"`
	PartnerSID    string     `json:"partner_sid"`
	RatesPlan     RatesPlan  `json:"rates_plan"`
}

// CallRate is a row of a call rate table: the per-minute price of calls to
// (outbound) or from (inbound) numbers starting with Prefix. A null prefix
// applies to every number; otherwise the longest matching prefix wins.
type CallRate struct {
	BillingIncrement decimal.Decimal `json:"billing_increment"` // seconds; calls are rounded up to it
	BillingMinimum   decimal.Decimal `json:"billing_minimum"`   // seconds
	CountryCode      *string         `json:"country_code"`      // ISO 3166-1 alpha-3
	CountryName      *string         `json:"country_name"`
	Prefix           *string         `json:"prefix"`
	Price            decimal.Decimal `json:"price"` // per minute
}

// SMSRate is a row of an outbound SMS rate table: the price per segment of
// a message to a mobile network.
type SMSRate struct {
	CountryCode *string         `json:"country_code"`
	CountryName *string         `json:"country_name"`
	MCC         *int            `json:"mcc"`
	MNC         *int            `json:"mnc"`
	Network     *string         `json:"network"`
	Operator    *string         `json:"operator"`
	Price       decimal.Decimal `json:"price"`
}

// DIDRate is the monthly rental price of the numbers of a classification,
// by tier: Price0 from Quantity0 numbers, Price1 from Quantity1, and so on.
type DIDRate struct {
	ClassificationSID string              `json:"classification_sid"`
	CountryCode       *string             `json:"country_code"`
	CountryName       *string             `json:"country_name"`
	Prefix            *string             `json:"prefix"`
	Price0            decimal.NullDecimal `json:"price_0"`
	Price1            decimal.NullDecimal `json:"price_1"`
	Price2            decimal.NullDecimal `json:"price_2"`
	Price3            decimal.NullDecimal `json:"price_3"`
	Price4            decimal.NullDecimal `json:"price_4"`
	Price5            decimal.NullDecimal `json:"price_5"`
	Price6            decimal.NullDecimal `json:"price_6"`
	Quantity0         *int                `json:"quantity_0"`
	Quantity1         *int                `json:"quantity_1"`
	Quantity2         *int                `json:"quantity_2"`
	Quantity3         *int                `json:"quantity_3"`
	Quantity4         *int                `json:"quantity_4"`
	Quantity5         *int                `json:"quantity_5"`
	Quantity6         *int                `json:"quantity_6"`
}

// DIDRateTier is one tier of a DIDRate.
type DIDRateTier struct {
	Quantity int // from this many numbers
	Price    decimal.Decimal
}

// Tiers returns the rate's tiers that have both a quantity and a price, in
// order.
func (r DIDRate) Tiers() []DIDRateTier {
	prices := [...]decimal.NullDecimal{r.Price0, r.Price1, r.Price2, r.Price3, r.Price4, r.Price5, r.Price6}
	qty := [...]*int{r.Quantity0, r.Quantity1, r.Quantity2, r.Quantity3, r.Quantity4, r.Quantity5, r.Quantity6}
	var out []DIDRateTier
	for i := range prices {
		if prices[i].Valid && qty[i] != nil {
			out = append(out, DIDRateTier{Quantity: *qty[i], Price: prices[i].Decimal})
		}
	}
	return out
}

// Rate sub-types: VoIP rates by endpoint type (the Endpoint* constants:
// conference, conference_playback, flexml, mediator, third_party,
// voicemail; rating also takes conference_v2 and the peering endpoints),
// and messaging rates by the kind of number messages go from.
const (
	MessageShortCode = "short_code"
	MessageToll      = "toll"
	MessageTollFree  = "toll_free"
)

// Call and message directions.
const (
	DirectionInbound  = "inbound"
	DirectionOutbound = "outbound"
)

func rateSubPath(subType string) (string, error) {
	if err := requireSID("sub_type", subType); err != nil {
		return "", err
	}
	return "/" + pathEscape(subType), nil
}

func listRates[T any](ctx context.Context, c *Client, path string, opts ListOptions) (*RatePage[T], error) {
	q, err := opts.Query()
	if err != nil {
		return nil, err
	}
	var p RatePage[T]
	if err := c.do(ctx, core.get(path, q), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// downloadRates streams a rate table as CSV (a header row, then one line per
// rate). Filter, Order and IncludeFields/ExcludeFields narrow it as they do
// the list; whether paging arguments apply to a download is not documented
// (the sandbox answers every matching row).
func downloadRates(ctx context.Context, c *Client, path string, opts ListOptions) (io.ReadCloser, error) {
	q, err := opts.Query()
	if err != nil {
		return nil, err
	}
	req := core.get(path+"/csv", q)
	// Errors still come as CarrierX JSON.
	req.accept = "text/csv, application/json;q=0.9, */*;q=0.1"
	return c.stream(ctx, req)
}

func allRates[T any](ctx context.Context, c *Client, path string, opts ListOptions, pathErr error) iter.Seq2[T, error] {
	if pathErr != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, pathErr)
		}
	}
	return allItems[T](ctx, c, core, path, opts)
}

// ListInboundPSTNRates returns a page of the rates of calls received from
// the PSTN (GET /calls/rates/inbound/pstn).
func (c *Client) ListInboundPSTNRates(ctx context.Context, opts ListOptions) (*RatePage[CallRate], error) {
	return listRates[CallRate](ctx, c, "/calls/rates/inbound/pstn", opts)
}

// AllInboundPSTNRates iterates over every inbound PSTN rate.
func (c *Client) AllInboundPSTNRates(ctx context.Context, opts ListOptions) iter.Seq2[CallRate, error] {
	return allRates[CallRate](ctx, c, "/calls/rates/inbound/pstn", opts, nil)
}

// DownloadInboundPSTNRates streams the inbound PSTN rates as CSV
// (GET /calls/rates/inbound/pstn/csv); the caller closes the body.
func (c *Client) DownloadInboundPSTNRates(ctx context.Context, opts ListOptions) (io.ReadCloser, error) {
	return downloadRates(ctx, c, "/calls/rates/inbound/pstn", opts)
}

// ListOutboundPSTNRates returns a page of the rates of calls to the PSTN
// (GET /calls/rates/outbound/pstn).
func (c *Client) ListOutboundPSTNRates(ctx context.Context, opts ListOptions) (*RatePage[CallRate], error) {
	return listRates[CallRate](ctx, c, "/calls/rates/outbound/pstn", opts)
}

// AllOutboundPSTNRates iterates over every outbound PSTN rate.
func (c *Client) AllOutboundPSTNRates(ctx context.Context, opts ListOptions) iter.Seq2[CallRate, error] {
	return allRates[CallRate](ctx, c, "/calls/rates/outbound/pstn", opts, nil)
}

// DownloadOutboundPSTNRates streams the outbound PSTN rates as CSV
// (GET /calls/rates/outbound/pstn/csv); the caller closes the body.
func (c *Client) DownloadOutboundPSTNRates(ctx context.Context, opts ListOptions) (io.ReadCloser, error) {
	return downloadRates(ctx, c, "/calls/rates/outbound/pstn", opts)
}

// ListInboundVoIPRates returns a page of the rates of calls received from
// VoIP by endpoint type subType (GET /calls/rates/inbound/voip/{sub_type}).
func (c *Client) ListInboundVoIPRates(ctx context.Context, subType string, opts ListOptions) (*RatePage[CallRate], error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return listRates[CallRate](ctx, c, "/calls/rates/inbound/voip"+sub, opts)
}

// AllInboundVoIPRates iterates over every inbound VoIP rate of subType.
func (c *Client) AllInboundVoIPRates(ctx context.Context, subType string, opts ListOptions) iter.Seq2[CallRate, error] {
	sub, err := rateSubPath(subType)
	return allRates[CallRate](ctx, c, "/calls/rates/inbound/voip"+sub, opts, err)
}

// DownloadInboundVoIPRates streams the inbound VoIP rates of subType as CSV
// (GET /calls/rates/inbound/voip/{sub_type}/csv); the caller closes the body.
func (c *Client) DownloadInboundVoIPRates(ctx context.Context, subType string, opts ListOptions) (io.ReadCloser, error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return downloadRates(ctx, c, "/calls/rates/inbound/voip"+sub, opts)
}

// ListOutboundVoIPRates returns a page of the rates of calls to VoIP by
// endpoint type subType (GET /calls/rates/outbound/voip/{sub_type}).
func (c *Client) ListOutboundVoIPRates(ctx context.Context, subType string, opts ListOptions) (*RatePage[CallRate], error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return listRates[CallRate](ctx, c, "/calls/rates/outbound/voip"+sub, opts)
}

// AllOutboundVoIPRates iterates over every outbound VoIP rate of subType.
func (c *Client) AllOutboundVoIPRates(ctx context.Context, subType string, opts ListOptions) iter.Seq2[CallRate, error] {
	sub, err := rateSubPath(subType)
	return allRates[CallRate](ctx, c, "/calls/rates/outbound/voip"+sub, opts, err)
}

// DownloadOutboundVoIPRates streams the outbound VoIP rates of subType as
// CSV (GET /calls/rates/outbound/voip/{sub_type}/csv); the caller closes the
// body.
func (c *Client) DownloadOutboundVoIPRates(ctx context.Context, subType string, opts ListOptions) (io.ReadCloser, error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return downloadRates(ctx, c, "/calls/rates/outbound/voip"+sub, opts)
}

// ListOutboundSMSRates returns a page of the outbound SMS rates of subType
// (MessageToll, MessageTollFree, MessageShortCode)
// (GET /sms/rates/outbound/{sub_type}).
func (c *Client) ListOutboundSMSRates(ctx context.Context, subType string, opts ListOptions) (*RatePage[SMSRate], error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return listRates[SMSRate](ctx, c, "/sms/rates/outbound"+sub, opts)
}

// AllOutboundSMSRates iterates over every outbound SMS rate of subType.
func (c *Client) AllOutboundSMSRates(ctx context.Context, subType string, opts ListOptions) iter.Seq2[SMSRate, error] {
	sub, err := rateSubPath(subType)
	return allRates[SMSRate](ctx, c, "/sms/rates/outbound"+sub, opts, err)
}

// DownloadOutboundSMSRates streams the outbound SMS rates of subType as CSV
// (GET /sms/rates/outbound/{sub_type}/csv); the caller closes the body.
func (c *Client) DownloadOutboundSMSRates(ctx context.Context, subType string, opts ListOptions) (io.ReadCloser, error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return downloadRates(ctx, c, "/sms/rates/outbound"+sub, opts)
}

// ListDIDRates returns a page of the monthly rental prices of phone numbers
// (GET /phonenumber/rates).
func (c *Client) ListDIDRates(ctx context.Context, opts ListOptions) (*RatePage[DIDRate], error) {
	return listRates[DIDRate](ctx, c, "/phonenumber/rates", opts)
}

// AllDIDRates iterates over every phone number rate.
func (c *Client) AllDIDRates(ctx context.Context, opts ListOptions) iter.Seq2[DIDRate, error] {
	return allRates[DIDRate](ctx, c, "/phonenumber/rates", opts, nil)
}

// DownloadDIDRates streams the phone number rates as CSV
// (GET /phonenumber/rates/csv); the caller closes the body.
func (c *Client) DownloadDIDRates(ctx context.Context, opts ListOptions) (io.ReadCloser, error) {
	return downloadRates(ctx, c, "/phonenumber/rates", opts)
}

// CallRatingRequest asks what a call would cost.
type CallRatingRequest struct {
	Direction  string // DirectionInbound or DirectionOutbound
	Duration   int    // seconds; always sent (0 is a call that was not answered)
	To         string // the far end's number
	PartnerSID string // optional: a sub-partner to rate for
}

func (r CallRatingRequest) query() url.Values {
	q := url.Values{"duration": {strconv.Itoa(r.Duration)}}
	setQueryIf(q, "direction", r.Direction)
	setQueryIf(q, "to", r.To)
	setQueryIf(q, "partner_sid", r.PartnerSID)
	return q
}

// CallRating is what a call costs: Price is Rate (per minute) times
// DurationBilling (the duration rounded up to the billing increment).
type CallRating struct {
	Direction       string          `json:"direction"`
	DurationBilling decimal.Decimal `json:"duration_billing"` // seconds
	Price           decimal.Decimal `json:"price"`
	Rate            decimal.Decimal `json:"rate"`
}

// MessageRatingRequest asks what a message would cost.
type MessageRatingRequest struct {
	Direction       string // DirectionInbound or DirectionOutbound
	To              string // the far end's number
	MessageSegments int    // SMS only; 0 leaves it out (one segment)
	PartnerSID      string // optional: a sub-partner to rate for
}

func (r MessageRatingRequest) query() url.Values {
	q := url.Values{}
	setQueryIf(q, "direction", r.Direction)
	if r.MessageSegments != 0 {
		q.Set("message_segments", strconv.Itoa(r.MessageSegments))
	}
	setQueryIf(q, "to", r.To)
	setQueryIf(q, "partner_sid", r.PartnerSID)
	return q
}

// MessageRating is what a message costs: Price is Rate (per segment) times
// Segments (always 1 for an MMS).
type MessageRating struct {
	Direction string          `json:"direction"`
	Price     decimal.Decimal `json:"price"`
	Rate      decimal.Decimal `json:"rate"`
	Segments  decimal.Decimal `json:"segments"`
}

func setQueryIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

// RatePSTNCall returns the cost of a PSTN call (GET /rating/calls/pstn).
func (c *Client) RatePSTNCall(ctx context.Context, r CallRatingRequest) (*CallRating, error) {
	return getOne[CallRating](ctx, c, core, "/rating/calls/pstn", r.query())
}

// RateVoIPCall returns the cost of a VoIP call with an endpoint of type
// subType (GET /rating/calls/voip/{sub_type}).
func (c *Client) RateVoIPCall(ctx context.Context, subType string, r CallRatingRequest) (*CallRating, error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return getOne[CallRating](ctx, c, core, "/rating/calls/voip"+sub, r.query())
}

// RateSMS returns the cost of an SMS sent from a number of subType
// (MessageToll, ...) (GET /rating/sms/{sub_type}).
func (c *Client) RateSMS(ctx context.Context, subType string, r MessageRatingRequest) (*MessageRating, error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	return getOne[MessageRating](ctx, c, core, "/rating/sms"+sub, r.query())
}

// RateMMS returns the cost of an MMS sent from a number of subType
// (GET /rating/mms/{sub_type}). MessageSegments is not sent: an MMS is one
// segment.
func (c *Client) RateMMS(ctx context.Context, subType string, r MessageRatingRequest) (*MessageRating, error) {
	sub, err := rateSubPath(subType)
	if err != nil {
		return nil, err
	}
	r.MessageSegments = 0
	return getOne[MessageRating](ctx, c, core, "/rating/mms"+sub, r.query())
}
