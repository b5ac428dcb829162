package carrierx

import (
	"context"
	"iter"
	"net/url"
	"strings"
)

// Country is an ISO 3166-1 country as CarrierX describes it (§4.18). Every
// attribute is read-only. Capital, MCC and Subregion may be null (decoded
// as "") for places without one, such as Antarctica.
type Country struct {
	Capital       string `json:"capital"`
	CommonName    string `json:"common_name"`
	DialingPrefix string `json:"dialing_prefix"` // "1", "39"; NANP members other than US/CA carry 1 + area code
	Domain        string `json:"domain"`         // country-code TLD without the dot ("it")
	ISOAlpha2     string `json:"iso_3166_alpha_2"`
	ISOAlpha3     string `json:"iso_3166_alpha_3"`
	ISONumeric    int    `json:"iso_3166_numeric"`
	MCC           string `json:"mcc"` // mobile country codes, comma-separated ("310,311,312,313,316")
	OfficialName  string `json:"official_name"`
	Region        string `json:"region"`
	Subregion     string `json:"subregion"`
}

// MCCs splits MCC into its mobile country codes.
func (c Country) MCCs() []string {
	var out []string
	for _, m := range strings.Split(c.MCC, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// IPLocation is where an IPv4 address is located: the answer of
// GET /countries/ip/{ip_address} (CarrierX's sample) and, by assumption
// (its shape is not documented), of the IP address lookup. Null
// attributes are nil.
type IPLocation struct {
	City       *string `json:"city"`
	CommonName string  `json:"common_name"` // the country's
	ISOAlpha2  string  `json:"iso_3166_alpha_2"`
	Region     *string `json:"region"`
	State      *string `json:"state"` // US addresses
}

// FieldSelection is include_fields / exclude_fields for a single-object
// GET (§2.4); only exclude_fields is confirmed by a CarrierX sample.
type FieldSelection struct {
	IncludeFields []string
	ExcludeFields []string
}

func (f FieldSelection) query(q url.Values) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if len(f.IncludeFields) > 0 {
		q.Set("include_fields", strings.Join(f.IncludeFields, ","))
	}
	if len(f.ExcludeFields) > 0 {
		q.Set("exclude_fields", strings.Join(f.ExcludeFields, ","))
	}
	if len(q) == 0 {
		return nil
	}
	return q
}

const countriesPath = "/countries"

// ListCountries returns one page of countries (filter, order, paging and
// field filtering apply, e.g. Filter{}.Eq("region", "Europe")).
func (c *Client) ListCountries(ctx context.Context, opts ListOptions) (*Page[Country], error) {
	return listPage[Country](ctx, c, core, countriesPath, opts)
}

// AllCountries iterates over every country matching opts.
func (c *Client) AllCountries(ctx context.Context, opts ListOptions) iter.Seq2[Country, error] {
	return allItems[Country](ctx, c, core, countriesPath, opts)
}

// GetCountry returns the country with the ISO 3166-1 alpha-3 code iso3
// ("ITA"); CarrierX's docs name the alpha-3 code only.
func (c *Client) GetCountry(ctx context.Context, iso3 string) (*Country, error) {
	return c.GetCountryFields(ctx, iso3, FieldSelection{})
}

// GetCountryFields is GetCountry with field filtering: attributes left out
// decode as zero values.
func (c *Client) GetCountryFields(ctx context.Context, iso3 string, sel FieldSelection) (*Country, error) {
	if err := requireSID("country_code", iso3); err != nil {
		return nil, err
	}
	return getOne[Country](ctx, c, core, countriesPath+"/"+pathEscape(iso3), sel.query(nil))
}

// GetCountryByIP returns where an IPv4 address is located
// (GET /countries/ip/{ip_address}).
func (c *Client) GetCountryByIP(ctx context.Context, ip string) (*IPLocation, error) {
	if err := requireSID("ip_address", ip); err != nil {
		return nil, err
	}
	return getOne[IPLocation](ctx, c, core, countriesPath+"/ip/"+pathEscape(ip), nil)
}
