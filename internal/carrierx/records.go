package carrierx

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// Report objects: call, message, conference and Mediator detail records, and
// invoices. All of their fields are read-only. Money and durations are exact
// decimals (JSON strings on the wire); nullable fields are pointers.

// CallDetailRecord is a voice call's record (GET /calls/call_drs, §4.9).
// Fields past trunk_group_sid_src are not confirmed; an unknown field sent by
// CarrierX is ignored by this type.
type CallDetailRecord struct {
	CIC                  *string             `json:"cic"`
	CICOriginal          *string             `json:"cic_original"`
	CICTransformed       *string             `json:"cic_transformed"`
	CodecDst             *string             `json:"codec_dst"`
	CodecSrc             *string             `json:"codec_src"`
	DateInsert           *time.Time          `json:"date_insert"`
	DateStart            *time.Time          `json:"date_start"`
	DateStop             *time.Time          `json:"date_stop"`
	DateTalk             *time.Time          `json:"date_talk"` // null when never answered
	Direction            string              `json:"direction"` // inbound, outbound, undirected
	DisconnectOriginator *string             `json:"disconnect_originator"`
	DiversionDst         *string             `json:"diversion_dst"`
	DiversionSrc         *string             `json:"diversion_src"`
	DRSID                string              `json:"dr_sid"`
	Duration             decimal.NullDecimal `json:"duration"`         // seconds, stop - start
	DurationBilling      decimal.NullDecimal `json:"duration_billing"` // seconds billed
	EndpointSIDDst       *string             `json:"endpoint_sid_dst"`
	EndpointSIDSrc       *string             `json:"endpoint_sid_src"`
	Identity             *string             `json:"identity"`
	IPDst                *string             `json:"ip_dst"`
	IPSrc                *string             `json:"ip_src"`
	NumberBilling        *string             `json:"number_billing"`
	NumberDst            *string             `json:"number_dst"`
	NumberDstOriginal    *string             `json:"number_dst_original"`
	NumberDstTransformed *string             `json:"number_dst_transformed"`
	NumberExternal       *string             `json:"number_external"`
	NumberSrc            *string             `json:"number_src"` // may carry a leading +
	NumberSrcOriginal    *string             `json:"number_src_original"`
	NumberSrcTransformed *string             `json:"number_src_transformed"`
	PartnerSID           string              `json:"partner_sid"`
	Price                decimal.NullDecimal `json:"price"`
	PriceLCRDst          decimal.NullDecimal `json:"price_lcr_dst"`
	PriceLCRSrc          decimal.NullDecimal `json:"price_lcr_src"`
	Rate                 decimal.NullDecimal `json:"rate"`
	RateLCRDst           decimal.NullDecimal `json:"rate_lcr_dst"`
	RateLCRSrc           decimal.NullDecimal `json:"rate_lcr_src"`
	SIPCallIDDst         *string             `json:"sipcallid_dst"`
	SIPCallIDSrc         *string             `json:"sipcallid_src"`
	SIPCause             *string             `json:"sipcause"` // "200"
	StirAttest           *string             `json:"stir_attest"`
	StirIdentity         *string             `json:"stir_identity"`
	StirOrigID           *string             `json:"stir_orig_id"`
	StirSigningEntity    *string             `json:"stir_signing_entity"`
	StirVerstat          *string             `json:"stir_verstat"`
	Transcoded           bool                `json:"transcoded"`
	TrunkGroupSIDDst     *string             `json:"trunk_group_sid_dst"`
	TrunkGroupSIDSrc     *string             `json:"trunk_group_sid_src"` // [inferred]
}

// MessageDetailRecord is an SMS/MMS record (GET /sms/message_drs, §4.12).
// Types of a2p_campaign, registration_type, vendor_error_code and version are
// not confirmed: they are kept as raw JSON.
type MessageDetailRecord struct {
	A2PCampaign      json.RawMessage     `json:"a2p_campaign"`
	DateChanged      *time.Time          `json:"date_changed"`
	DateInsert       *time.Time          `json:"date_insert"`
	DateSent         *time.Time          `json:"date_sent"`
	DateStart        *time.Time          `json:"date_start"`
	DateStop         *time.Time          `json:"date_stop"`
	DelaySent        *int                `json:"delay_sent"`
	Direction        string              `json:"direction"`
	DRSID            string              `json:"dr_sid"`
	MCC              *int                `json:"mcc"`
	MCCMNCPrice      decimal.NullDecimal `json:"mcc_mnc_price"`
	MCCMNCRate       decimal.NullDecimal `json:"mcc_mnc_rate"`
	MediaURLs        []string            `json:"media_urls"`
	Message          *string             `json:"message"`
	MessageSegments  int                 `json:"message_segments"`
	MNC              *int                `json:"mnc"`
	NumberBilling    *string             `json:"number_billing"`
	NumberDst        *string             `json:"number_dst"`
	NumberExternal   *string             `json:"number_external"`
	NumberGroupDst   []string            `json:"number_group_dst"`
	NumberSrc        *string             `json:"number_src"`
	P2PNNID          *string             `json:"p2p_nnid"`
	PartnerSID       string              `json:"partner_sid"`
	PassthroughPrice decimal.NullDecimal `json:"passthrough_price"`
	PassthroughRate  decimal.NullDecimal `json:"passthrough_rate"`
	Price            decimal.NullDecimal `json:"price"`
	Provider         *string             `json:"provider"`
	Rate             decimal.NullDecimal `json:"rate"`
	RegistrationType json.RawMessage     `json:"registration_type"`
	Status           string              `json:"status"` // sent; others not confirmed
	Type             string              `json:"type"`   // sms, mms
	UserData         *string             `json:"user_data"`
	VendorErrorCode  json.RawMessage     `json:"vendor_error_code"`
	Version          json.RawMessage     `json:"version"`
}

// ConferenceCall is one leg of a conference (GET /app/conference/calls, §4.10).
type ConferenceCall struct {
	AddressDst           *string             `json:"address_dst"`
	AddressSrc           *string             `json:"address_src"`
	AudioKey             *string             `json:"audio_key"`
	Bridge               *string             `json:"bridge"`
	CallSID              string              `json:"call_sid"`
	CustomCallType       *string             `json:"custom_call_type"`
	CustomName           *string             `json:"custom_name"`
	DateDisconnected     *time.Time          `json:"date_disconnected"`
	DateInsert           *time.Time          `json:"date_insert"`
	DateJoin             *time.Time          `json:"date_join"`
	DateStart            *time.Time          `json:"date_start"`
	DateStop             *time.Time          `json:"date_stop"`
	Direction            string              `json:"direction"`
	DisconnectCause      *int                `json:"disconnect_cause"`
	DisconnectOriginator *string             `json:"disconnect_originator"`
	DisconnectReason     *string             `json:"disconnect_reason"`
	Duration             decimal.NullDecimal `json:"duration"`
	DurationMeeting      decimal.NullDecimal `json:"duration_meeting"`
	EndpointSID          *string             `json:"endpoint_sid"`
	MeetingRoomSID       *string             `json:"meeting_room_sid"`
	MeetingSID           *string             `json:"meeting_sid"`
	Node                 *string             `json:"node"`
	NumberDst            *string             `json:"number_dst"`
	NumberSrc            *string             `json:"number_src"`
	PartnerSID           string              `json:"partner_sid"`
	Role                 *string             `json:"role"` // host, participant, listener
	UserAgent            *string             `json:"user_agent"`
	UserData             json.RawMessage     `json:"user_data,omitempty"`
}

// ConferenceMeeting is a conference meeting's record
// (GET /app/conference/meetings). Its fields are not documented; these are
// inferred from the conference call record and the Conference v2 meeting.
type ConferenceMeeting struct {
	DateInsert     *time.Time          `json:"date_insert"`
	DateStart      *time.Time          `json:"date_start"`
	DateStop       *time.Time          `json:"date_stop"`
	Duration       decimal.NullDecimal `json:"duration"`
	EndpointSID    *string             `json:"endpoint_sid"`
	MeetingRoomSID *string             `json:"meeting_room_sid"`
	MeetingSID     string              `json:"meeting_sid"`
	PartnerSID     string              `json:"partner_sid"`
	Participants   int                 `json:"participants"` // calls that joined
	UserData       json.RawMessage     `json:"user_data,omitempty"`
}

// MediatorCall is a Mediator call's record (GET /app/mediator/calls). Its
// fields are not documented; these are inferred from the binding and
// dialout objects and the call detail record.
type MediatorCall struct {
	BindingSID      *string             `json:"binding_sid"`
	DateInsert      *time.Time          `json:"date_insert"`
	DateStart       *time.Time          `json:"date_start"`
	DateStop        *time.Time          `json:"date_stop"`
	DialoutSID      *string             `json:"dialout_sid"`
	DRSID           string              `json:"dr_sid"`
	Duration        decimal.NullDecimal `json:"duration"`
	DurationBilling decimal.NullDecimal `json:"duration_billing"`
	EndpointSID     *string             `json:"endpoint_sid"`
	NumberDst       *string             `json:"number_dst"`
	NumberRedirect  *string             `json:"number_redirect"`
	NumberSrc       *string             `json:"number_src"`
	PartnerSID      string              `json:"partner_sid"`
	Price           decimal.NullDecimal `json:"price"`
	Status          *string             `json:"status"`
	Attributes      Attributes          `json:"attributes,omitempty"`
}

// Invoice is a billing period's invoice (GET /invoices, alias
// /billing/invoices, §4.8). Totals are amount and amount_due.
type Invoice struct {
	Amount                 decimal.Decimal `json:"amount"`
	AmountDue              decimal.Decimal `json:"amount_due"`
	AmountTax              decimal.Decimal `json:"amount_tax"`
	BalanceForward         decimal.Decimal `json:"balance_forward"`
	BalancePrevious        decimal.Decimal `json:"balance_previous"`
	DateBillingPeriodEnd   *time.Time      `json:"date_billing_period_end"`
	DateBillingPeriodStart *time.Time      `json:"date_billing_period_start"`
	DateChargeExpected     *time.Time      `json:"date_charge_expected"`
	DateCharged            *time.Time      `json:"date_charged"`
	DateCreated            *time.Time      `json:"date_created"`
	DateIssued             *time.Time      `json:"date_issued"`
	DisplayID              string          `json:"display_id"`
	InvoiceItems           []InvoiceItem   `json:"invoice_items"`
	InvoiceSID             string          `json:"invoice_sid"`
	Paid                   bool            `json:"paid"`
	Partner                json.RawMessage `json:"partner,omitempty"` // with_related=true
	PartnerSID             string          `json:"partner_sid"`
	PayItems               []PayItem       `json:"pay_items"`
	Status                 string          `json:"status"` // open; others not confirmed
	TaxItems               []TaxItem       `json:"tax_items"`
}

// InvoiceItem is one charge line of an invoice: a kind of usage in a country
// (and direction, for calls) over a period.
type InvoiceItem struct {
	Amount                 decimal.Decimal `json:"amount"`
	CountryCode            string          `json:"country_code"`
	DateBillingPeriodEnd   *time.Time      `json:"date_billing_period_end"`
	DateBillingPeriodStart *time.Time      `json:"date_billing_period_start"`
	Direction              *string         `json:"direction,omitempty"`
	Type                   string          `json:"type"`  // toll, sms_enablement, ...
	Usage                  int64           `json:"usage"` // units of the type: billed seconds for toll (§9 ex.14: 8880 s = 148 min at 0.0025), messages, numbers
}

// TaxItem is one tax line of an invoice.
type TaxItem struct {
	Amount       decimal.Decimal `json:"amount"`
	Jurisdiction string          `json:"jurisdiction"`
	Type         string          `json:"type"`
}

// PayItem is a payment made during the invoice's period. Its fields are not
// confirmed: amount, date and type are inferred.
type PayItem struct {
	Amount      decimal.NullDecimal `json:"amount"`
	DateCreated *time.Time          `json:"date_created"`
	Type        *string             `json:"type"`
}
