package sandbox

import (
	"net/http"
	"net/netip"
)

// Countries (Core v2 /countries, §4.18): a read-only table of every
// ISO 3166-1 country (countries_data.go, written by
// internal/gencountries from Debian's iso-codes and a table of dialing
// prefixes, capitals, UN M49 regions and E.212 mobile country codes),
// served with the list machinery of every other collection: filter, order,
// paging and field filtering apply.
//
// Not confirmed, and chosen conservatively:
//   - GET /countries/{country_code} takes the upper-case ISO 3166-1 alpha-3
//     code, as the docs say; an alpha-2 code, a lower-case code or an unknown
//     one is a 404;
//   - the default page size is the documented 10 and the list has a total;
//   - the default order: CarrierX's sample answers United States first to
//     limit=1; the sandbox lists the United States first, then the others
//     by alpha-3 code;
//   - with_related=true is refused (400): countries belong to no partner;
//   - capital, subregion and mcc are null where there is none (Antarctica,
//     uninhabited territories);
//   - the partner scopes the docs name (countries.read, and
//     lookup.ip_addresses.read for the IP route) are not checked, as no
//     other sandbox route checks base scopes.

func init() {
	extraTables = append(extraTables, countriesTable)
	seeders = append(seeders, (*Sandbox).seedCountries)
	routeAdders = append(routeAdders, (*Sandbox).countryRoutes)
}

const countriesTable = "countries"

// countryRow is one country of countries_data.go.
type countryRow struct {
	alpha2, alpha3           string
	numeric                  int
	commonName, officialName string
	dialingPrefix, capital   string
	region, subregion, mcc   string
	domain                   string
}

// countrySchema is the Country object; every attribute is read-only.
var countrySchema = newSchema("country", "iso_3166_alpha_3",
	roStr("capital"),
	roStr("common_name"),
	roStr("dialing_prefix"),
	roStr("domain"),
	roStr("iso_3166_alpha_2"),
	roStr("iso_3166_alpha_3"),
	fld("iso_3166_numeric", kindInt, ro()),
	roStr("mcc"),
	roStr("official_name"),
	roStr("region"),
	roStr("subregion"),
)

// Countries by code, built once from countryRows.
var (
	countryByAlpha2 = map[string]*countryRow{}
	countryByAlpha3 = map[string]*countryRow{}
)

func init() {
	for i := range countryRows {
		r := &countryRows[i]
		countryByAlpha2[r.alpha2] = r
		countryByAlpha3[r.alpha3] = r
	}
}

// countryNull answers "" as null.
func countryNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (r *countryRow) object() object {
	return object{
		"capital": countryNull(r.capital), "common_name": r.commonName, "dialing_prefix": r.dialingPrefix,
		"domain": r.domain, "iso_3166_alpha_2": r.alpha2, "iso_3166_alpha_3": r.alpha3,
		"iso_3166_numeric": int64(r.numeric), "mcc": countryNull(r.mcc), "official_name": r.officialName,
		"region": r.region, "subregion": countryNull(r.subregion),
	}
}

// seedCountries fills the countries table, the United States first (see
// the note on the default order above). Records are keyed by alpha-3 code.
func (s *Sandbox) seedCountries() {
	t := s.table(countriesTable)
	add := func(r *countryRow) { t.insert(&record{sid: r.alpha3, obj: r.object()}) }
	add(countryByAlpha3["USA"])
	for i := range countryRows {
		if r := &countryRows[i]; r.alpha3 != "USA" {
			add(r)
		}
	}
}

func (s *Sandbox) countryView() *view {
	return &view{schema: countrySchema, table: s.table(countriesTable), param: "country_code",
		defaultLimit: 10,
		visible:      func(c *call, r *record) bool { return true }}
}

// countryNoWithRelated refuses with_related=true on objects that belong to no partner.
func countryNoWithRelated(h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		wr, err := parseBoolParam("with_related", c.q.Get("with_related"), false)
		if err != nil {
			return 0, nil, err
		}
		if wr {
			return 0, nil, errBadRequest("with_related", "with_related is not accepted here")
		}
		return h(c)
	}
}

func (s *Sandbox) countryRoutes(rt *router) {
	v := s.countryView()
	rt.handle("GET", "/countries", countryNoWithRelated(v.list(nil)))
	rt.handle("GET", "/countries/{country_code}", countryNoWithRelated(v.get()))
	rt.handle("GET", "/countries/ip/{ip_address}", ipLocationHandler)
}

// ipLocationSchema is the answer of GET /countries/ip/{ip_address} (the
// docs' sample: city, common_name, iso_3166_alpha_2, region, state) and of
// the IP address lookup, whose own shape is not confirmed: both come from
// the same IP location data, so the same object is served.
var ipLocationSchema = newSchema("ip_location", "",
	roStr("city"),
	roStr("common_name"),
	roStr("iso_3166_alpha_2"),
	roStr("region"),
	roStr("state"),
)

// countryIPRange is one entry of the sandbox's IP location table.
type countryIPRange struct {
	prefix       netip.Prefix
	alpha2       string
	city, region string // "" = null
	state        string // US state code, "" = null
}

// countryIPRanges is a small, deliberately partial table of well-known public
// allocations; the longest matching prefix wins. The sandbox has no
// geolocation database, so any other address is "not found".
//   - 2.6.26.2: the docs' sample answer (Bordeaux, Nouvelle-Aquitaine);
//   - 2.0.0.0/12: Orange (France Telecom), France;
//   - 8.8.8.0/24: Google Public DNS, geolocated to Mountain View, California;
//   - 12.0.0.0/8: AT&T, United States;
//   - 17.0.0.0/8: Apple, United States;
//   - 77.88.0.0/18: Yandex, Moscow;
//   - 133.0.0.0/8: allocated to Japan (JPNIC);
//   - 193.0.0.0/21: RIPE NCC, Amsterdam;
//   - 200.160.0.0/20: NIC.br, São Paulo.
var countryIPRanges = []countryIPRange{
	{netip.MustParsePrefix("2.6.26.2/32"), "FR", "Bordeaux", "Nouvelle-Aquitaine", ""},
	{netip.MustParsePrefix("2.0.0.0/12"), "FR", "", "", ""},
	{netip.MustParsePrefix("8.8.8.0/24"), "US", "Mountain View", "California", "CA"},
	{netip.MustParsePrefix("12.0.0.0/8"), "US", "", "", ""},
	{netip.MustParsePrefix("17.0.0.0/8"), "US", "", "", ""},
	{netip.MustParsePrefix("77.88.0.0/18"), "RU", "Moscow", "Moscow", ""},
	{netip.MustParsePrefix("133.0.0.0/8"), "JP", "", "", ""},
	{netip.MustParsePrefix("193.0.0.0/21"), "NL", "Amsterdam", "Noord-Holland", ""},
	{netip.MustParsePrefix("200.160.0.0/20"), "BR", "São Paulo", "São Paulo", ""},
}

// countryUnrouted are special-purpose IPv4 blocks (RFC 6890 and the
// documentation ranges of RFC 5737) that have no location. Private,
// loopback, link-local, multicast and unspecified addresses are caught by
// netip's own predicates.
var countryUnrouted = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// locateIP answers the IP location object of the address in the route's
// ip_address parameter.
//
// Not confirmed, and chosen conservatively: the docs accept IPv4 only, so
// anything else (IPv6, host names, malformed text) is a 400; an address
// with no known location — private, loopback, link-local, multicast,
// documentation and other special-purpose ranges, and every public address
// outside countryIPRanges — is a 404 rather than an answer of nulls.
func locateIP(c *call) (object, *apiError) {
	raw := c.param("ip_address")
	addr, err := netip.ParseAddr(raw)
	if err != nil || !addr.Is4() {
		return nil, errBadRequest("ip_address", "ip_address must be an IPv4 address")
	}
	notFound := newErr(http.StatusNotFound, "no item error", item("ip_address", "cannot find location by ip address"))
	if addr.IsPrivate() || addr.IsLoopback() || addr.IsLinkLocalUnicast() || addr.IsMulticast() || addr.IsUnspecified() {
		return nil, notFound
	}
	for _, p := range countryUnrouted {
		if p.Contains(addr) {
			return nil, notFound
		}
	}
	var best *countryIPRange
	for i := range countryIPRanges {
		r := &countryIPRanges[i]
		if r.prefix.Contains(addr) && (best == nil || r.prefix.Bits() > best.prefix.Bits()) {
			best = r
		}
	}
	if best == nil {
		return nil, notFound
	}
	country := countryByAlpha2[best.alpha2]
	return object{
		"city": countryNull(best.city), "common_name": country.commonName, "iso_3166_alpha_2": country.alpha2,
		"region": countryNull(best.region), "state": countryNull(best.state),
	}, nil
}

// ipLocationHandler serves GET /countries/ip/{ip_address} and the IP
// address lookup; include_fields / exclude_fields apply.
func ipLocationHandler(c *call) (int, any, *apiError) {
	sel, err := parseFieldSel(c.q, ipLocationSchema, nil)
	if err != nil {
		return 0, nil, err
	}
	o, err := locateIP(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sel.apply(o), nil
}
