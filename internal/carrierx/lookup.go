package carrierx

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
)

// PhonenumberLookup is the answer of GET /lookup/dids/{phonenumber}
// (CarrierX's samples; §4.19 marks the shape as not confirmed).
type PhonenumberLookup struct {
	CountryCode         string                   `json:"country_code"` // ISO 3166-1 alpha-3
	Details             PhonenumberLookupDetails `json:"details"`
	E164Format          string                   `json:"e164_format"`          // "+15623499000"
	InCountryFormat     string                   `json:"in_country_format"`    // "(562) 349-9000"
	InternationalFormat string                   `json:"international_format"` // "+1 562-349-9000"
	Phonenumber         string                   `json:"phonenumber"`          // E.164 digits without "+"
	State               *string                  `json:"state"`                // US numbers
}

// PhonenumberLookupDetails holds what the carrier, cnam and lrn query
// arguments ask for; each is nil when not asked for or not known.
type PhonenumberLookupDetails struct {
	Carrier *LookupCarrier `json:"carrier"`
	CNAM    *LookupCNAM    `json:"cnam"`
	LRN     *LookupLRN     `json:"lrn"`
}

// LookupCarrier is the carrier of a number (CarrierX's sample:
// {"mcc":"312","mnc":"850","name":"INTELIQUENT","type":"mobile"}).
type LookupCarrier struct {
	MCC  *string `json:"mcc"`
	MNC  *string `json:"mnc"`
	Name string  `json:"name"`
	Type string  `json:"type"`
}

// LookupCNAM is the caller name of a number. CarrierX's samples only show
// null, so the shape is not confirmed: a JSON string or an object with
// "name" (or "cnam") is read into Name, and Raw keeps the JSON as received.
type LookupCNAM struct {
	Name string
	Raw  json.RawMessage
}

// UnmarshalJSON reads a string or an object.
func (v *LookupCNAM) UnmarshalJSON(b []byte) error {
	s, err := lookupText(b, "name", "cnam")
	if err != nil {
		return err
	}
	v.Name, v.Raw = s, append(json.RawMessage(nil), b...)
	return nil
}

// MarshalJSON writes the JSON as received, or {"name": ...}.
func (v LookupCNAM) MarshalJSON() ([]byte, error) {
	if len(v.Raw) > 0 {
		return v.Raw, nil
	}
	return json.Marshal(map[string]string{"name": v.Name})
}

// LookupLRN is the location routing number of a number. Its shape is not
// confirmed either: a JSON string or an object with "lrn" is read into
// LRN, and Raw keeps the JSON as received.
type LookupLRN struct {
	LRN string
	Raw json.RawMessage
}

// UnmarshalJSON reads a string or an object.
func (v *LookupLRN) UnmarshalJSON(b []byte) error {
	s, err := lookupText(b, "lrn")
	if err != nil {
		return err
	}
	v.LRN, v.Raw = s, append(json.RawMessage(nil), b...)
	return nil
}

// MarshalJSON writes the JSON as received, or the LRN as a string.
func (v LookupLRN) MarshalJSON() ([]byte, error) {
	if len(v.Raw) > 0 {
		return v.Raw, nil
	}
	return json.Marshal(v.LRN)
}

// lookupText reads a JSON string, or the first of keys that is a string in
// a JSON object (any other object gives ""). (null never gets here: it
// leaves the pointer nil.)
func lookupText(b []byte, keys ...string) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return "", err
	}
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			return s, nil
		}
	}
	return "", nil
}

// PhonenumberLookupOptions are the query arguments of a phone number
// lookup. Carrier, CNAM and LRN each need a scope CarrierX enables on
// request (lookup.dids.allow_carrier, allow_cnam, allow_lrn).
type PhonenumberLookupOptions struct {
	Carrier bool
	CNAM    bool
	LRN     bool
	// CNAMTTL overrides the default CNAM cache TTL when set (seconds).
	CNAMTTL *int
	// CountryCode is an ISO 3166-1 alpha-3 hint for numbers given in
	// national format.
	CountryCode string
	// Guess is passed through as the guess query argument (its values are
	// not documented).
	Guess string
	FieldSelection
}

func (o PhonenumberLookupOptions) query() url.Values {
	q := url.Values{}
	for k, on := range map[string]bool{"carrier": o.Carrier, "cnam": o.CNAM, "lrn": o.LRN} {
		if on {
			q.Set(k, "true")
		}
	}
	if o.CNAMTTL != nil {
		q.Set("cnam_ttl", strconv.Itoa(*o.CNAMTTL))
	}
	if o.CountryCode != "" {
		q.Set("country_code", o.CountryCode)
	}
	if o.Guess != "" {
		q.Set("guess", o.Guess)
	}
	return o.FieldSelection.query(q)
}

// LookupPhonenumber returns the details of a phone number
// (GET /lookup/dids/{phonenumber}). CarrierX ignores characters besides
// digits and "+", so "+1 (562) 349-9000" works as well as "15623499000".
func (c *Client) LookupPhonenumber(ctx context.Context, phonenumber string, opts PhonenumberLookupOptions) (*PhonenumberLookup, error) {
	if err := requireSID("phonenumber", phonenumber); err != nil {
		return nil, err
	}
	return getOne[PhonenumberLookup](ctx, c, core, "/lookup/dids/"+pathEscape(phonenumber), opts.query())
}

// LookupIPAddress returns where an IPv4 address is located
// (GET /lookup/lookup/ip_addresses/{ip_address}, the path as the method
// list spells it). The answer's shape is not documented; it is read as the
// country-by-IP object.
func (c *Client) LookupIPAddress(ctx context.Context, ip string) (*IPLocation, error) {
	if err := requireSID("ip_address", ip); err != nil {
		return nil, err
	}
	return getOne[IPLocation](ctx, c, core, "/lookup/lookup/ip_addresses/"+pathEscape(ip), nil)
}

// TollFreeLookup is the answer of the toll-free lookups: the carrier
// identification code and the RespOrg ID. A value not asked for is nil; an
// empty string means the lookup succeeded but the number has none.
type TollFreeLookup struct {
	CIC     *string `json:"cic"`
	RespOrg *string `json:"resporg"`
}

// TollFreeCICOptions are the query arguments of a CIC lookup: nil leaves
// the choice to the server (the sandbox looks up the CIC and not the
// RespOrg then). They need the lookup.toll_free.allow_cic and
// allow_resporg scopes.
type TollFreeCICOptions struct {
	CIC     *bool
	RespOrg *bool
	FieldSelection
}

// LookupTollFreeCIC returns the CIC (and optionally the RespOrg) of a
// toll-free number for a call from callingNumber in LATA lata
// (GET /lookup/toll_free/{tollfree_phonenumber}/{calling_number}/{lata}).
func (c *Client) LookupTollFreeCIC(ctx context.Context, tollFree, callingNumber, lata string, opts TollFreeCICOptions) (*TollFreeLookup, error) {
	for name, v := range map[string]string{"tollfree_phonenumber": tollFree, "calling_number": callingNumber, "lata": lata} {
		if err := requireSID(name, v); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	if opts.CIC != nil {
		q.Set("cic", strconv.FormatBool(*opts.CIC))
	}
	if opts.RespOrg != nil {
		q.Set("resporg", strconv.FormatBool(*opts.RespOrg))
	}
	path := "/lookup/toll_free/" + pathEscape(tollFree) + "/" + pathEscape(callingNumber) + "/" + pathEscape(lata)
	return getOne[TollFreeLookup](ctx, c, core, path, opts.FieldSelection.query(q))
}

// LookupTollFreeRespOrg returns the RespOrg ID of a toll-free number
// (GET /lookup/toll_free/{tollfree_phonenumber}); CIC is nil.
func (c *Client) LookupTollFreeRespOrg(ctx context.Context, tollFree string) (*TollFreeLookup, error) {
	if err := requireSID("tollfree_phonenumber", tollFree); err != nil {
		return nil, err
	}
	return getOne[TollFreeLookup](ctx, c, core, "/lookup/toll_free/"+pathEscape(tollFree), nil)
}
