package carrierx_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func init() {
	exercised["core GET /countries"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListCountries(ctx(), carrierx.ListOptions{Limit: 1})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.True(t, p.HasMore)
		require.NotNil(t, p.Total, "countries are listed with a total")
		assert.Equal(t, 249, *p.Total, "every ISO 3166-1 country")
		us := p.Items[0]
		assert.Equal(t, "USA", us.ISOAlpha3, "the docs' sample lists the United States first")
		assert.Equal(t, "United States of America", us.OfficialName)
		assert.Equal(t, []string{"310", "311", "312", "313", "316"}, us.MCCs())

		na, err := f.cx.ListCountries(ctx(), carrierx.ListOptions{
			Filter: carrierx.Filter{}.Eq("subregion", "Northern America"), Order: "common_name asc"})
		require.NoError(t, err)
		var names []string
		for _, c := range na.Items {
			names = append(names, c.CommonName)
		}
		assert.Equal(t, []string{"Bermuda", "Canada", "Greenland", "Saint Pierre and Miquelon", "United States"}, names)

		n, seen := 0, map[string]bool{}
		for c, err := range f.cx.AllCountries(ctx(), carrierx.ListOptions{Limit: 100}) {
			require.NoError(t, err)
			assert.False(t, seen[c.ISOAlpha3], "each country once")
			seen[c.ISOAlpha3] = true
			n++
		}
		assert.Equal(t, 249, n)

		_, err = f.cx.ListCountries(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("no_such_field", "x")})
		assert.Equal(t, 400, statusOf(err), "an unknown filter field is refused")
	}
	exercised["core GET /countries/{country_code}"] = func(t *testing.T, f *fixture) {
		it, err := f.cx.GetCountry(ctx(), "ITA")
		require.NoError(t, err)
		assert.Equal(t, carrierx.Country{Capital: "Rome", CommonName: "Italy", DialingPrefix: "39", Domain: "it",
			ISOAlpha2: "IT", ISOAlpha3: "ITA", ISONumeric: 380, MCC: "222", OfficialName: "Italian Republic",
			Region: "Europe", Subregion: "Southern Europe"}, *it)

		// §9 example 15: exclude_fields=common_name.
		got, err := f.cx.GetCountryFields(ctx(), "ITA", carrierx.FieldSelection{ExcludeFields: []string{"common_name"}})
		require.NoError(t, err)
		want := *it
		want.CommonName = ""
		assert.Equal(t, want, *got)

		aq, err := f.cx.GetCountry(ctx(), "ATA")
		require.NoError(t, err)
		assert.Empty(t, aq.Capital, "Antarctica has no capital (null)")
		assert.Empty(t, aq.MCCs())

		for _, code := range []string{"IT", "ita", "ZZZ"} {
			_, err = f.cx.GetCountry(ctx(), code)
			assert.Equal(t, 404, statusOf(err), "the alpha-3 code only: %s", code)
		}
		_, err = f.cx.GetCountry(ctx(), "")
		assert.Error(t, err)
	}
	exercised["core GET /countries/ip/{ip_address}"] = func(t *testing.T, f *fixture) {
		loc, err := f.cx.GetCountryByIP(ctx(), "2.6.26.2")
		require.NoError(t, err)
		assert.Equal(t, "France", loc.CommonName)
		assert.Equal(t, "FR", loc.ISOAlpha2)
		require.NotNil(t, loc.City)
		assert.Equal(t, "Bordeaux", *loc.City)
		require.NotNil(t, loc.Region)
		assert.Equal(t, "Nouvelle-Aquitaine", *loc.Region)
		assert.Nil(t, loc.State)

		us, err := f.cx.GetCountryByIP(ctx(), "8.8.8.8")
		require.NoError(t, err)
		require.NotNil(t, us.State)
		assert.Equal(t, "CA", *us.State)

		_, err = f.cx.GetCountryByIP(ctx(), "10.0.0.1")
		assert.Equal(t, 404, statusOf(err), "a private address has no location")
		_, err = f.cx.GetCountryByIP(ctx(), "2001:db8::1")
		assert.Equal(t, 400, statusOf(err), "IPv4 only")
	}
	exercised["core GET /lookup/dids/{phonenumber}"] = func(t *testing.T, f *fixture) {
		d := rent(t, f)
		got, err := f.cx.LookupPhonenumber(ctx(), d.Phonenumber, carrierx.PhonenumberLookupOptions{Carrier: true, CNAM: true, LRN: true})
		require.NoError(t, err)
		assert.Equal(t, d.Phonenumber, got.Phonenumber)
		assert.Equal(t, "+"+d.Phonenumber, got.E164Format)
		assert.Equal(t, d.InCountryFormat, got.InCountryFormat)
		assert.Equal(t, d.InternationalFormat, got.InternationalFormat)
		assert.Equal(t, "USA", got.CountryCode)
		require.NotNil(t, got.State)
		assert.Equal(t, d.State, *got.State)
		require.NotNil(t, got.Details.Carrier)
		assert.NotEmpty(t, got.Details.Carrier.Name)
		require.NotNil(t, got.Details.LRN)
		assert.Equal(t, d.Phonenumber, got.Details.LRN.LRN, "a number that is not ported routes on itself")
		require.NotNil(t, got.Details.CNAM)
		assert.Equal(t, "DEMO TELECOM", got.Details.CNAM.Name, "the renting partner's name")

		plain, err := f.cx.LookupPhonenumber(ctx(), d.Phonenumber, carrierx.PhonenumberLookupOptions{})
		require.NoError(t, err)
		assert.Nil(t, plain.Details.Carrier, "details not asked for are null")
		assert.Nil(t, plain.Details.CNAM)
		assert.Nil(t, plain.Details.LRN)

		// The docs' sample number, written with separators, and a national
		// number with a country hint.
		for _, n := range []string{"+1 (562) 349-9000", "5623499000"} {
			s, err := f.cx.LookupPhonenumber(ctx(), n, carrierx.PhonenumberLookupOptions{CountryCode: "USA"})
			require.NoError(t, err)
			assert.Equal(t, "15623499000", s.Phonenumber)
			assert.Equal(t, "(562) 349-9000", s.InCountryFormat)
			require.NotNil(t, s.State)
			assert.Equal(t, "CA", *s.State)
		}
		uk, err := f.cx.LookupPhonenumber(ctx(), "+44 20 7946 0000", carrierx.PhonenumberLookupOptions{
			FieldSelection: carrierx.FieldSelection{IncludeFields: []string{"country_code", "phonenumber"}}})
		require.NoError(t, err)
		assert.Equal(t, carrierx.PhonenumberLookup{CountryCode: "GBR", Phonenumber: "442079460000"}, *uk)

		_, err = f.cx.LookupPhonenumber(ctx(), "12345", carrierx.PhonenumberLookupOptions{})
		assert.Equal(t, 400, statusOf(err), "not a phone number")
		_, err = f.cx.LookupPhonenumber(ctx(), "5623499000", carrierx.PhonenumberLookupOptions{CountryCode: "US"})
		assert.Equal(t, 400, statusOf(err), "country_code is an alpha-3 code")
	}
	exercised["core GET /lookup/lookup/ip_addresses/{ip_address}"] = func(t *testing.T, f *fixture) {
		loc, err := f.cx.LookupIPAddress(ctx(), "193.0.6.139")
		require.NoError(t, err)
		assert.Equal(t, "Netherlands", loc.CommonName)
		assert.Equal(t, "NL", loc.ISOAlpha2)
		byCountry, err := f.cx.GetCountryByIP(ctx(), "193.0.6.139")
		require.NoError(t, err)
		assert.Equal(t, *byCountry, *loc, "the same location as the countries route")

		_, err = f.cx.LookupIPAddress(ctx(), "127.0.0.1")
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.LookupIPAddress(ctx(), "300.1.1.1")
		assert.Equal(t, 400, statusOf(err))
	}
	exercised["core GET /lookup/toll_free/{tollfree_phonenumber}/{calling_number}/{lata}"] = func(t *testing.T, f *fixture) {
		yes := true
		got, err := f.cx.LookupTollFreeCIC(ctx(), "18002446227", "12092551162", "490",
			carrierx.TollFreeCICOptions{CIC: &yes, RespOrg: &yes})
		require.NoError(t, err)
		require.NotNil(t, got.CIC)
		assert.Regexp(t, `^[0-9]{4}$`, *got.CIC)
		require.NotNil(t, got.RespOrg)
		assert.Regexp(t, `^[A-Z0-9]{5}$`, *got.RespOrg)

		def, err := f.cx.LookupTollFreeCIC(ctx(), "18002446227", "12092551162", "490", carrierx.TollFreeCICOptions{})
		require.NoError(t, err)
		assert.Equal(t, got.CIC, def.CIC, "stable answers")
		assert.Nil(t, def.RespOrg, "the RespOrg only when asked for")

		spare, err := f.cx.LookupTollFreeCIC(ctx(), "18885550000", "12092551162", "490", carrierx.TollFreeCICOptions{RespOrg: &yes})
		require.NoError(t, err)
		require.NotNil(t, spare.CIC)
		assert.Empty(t, *spare.CIC, "an empty CIC: the lookup succeeded, the number has none")

		_, err = f.cx.LookupTollFreeCIC(ctx(), "15623499000", "12092551162", "490", carrierx.TollFreeCICOptions{})
		assert.Equal(t, 400, statusOf(err), "not a toll-free number")
		_, err = f.cx.LookupTollFreeCIC(ctx(), "18002446227", "12092551162", "4900", carrierx.TollFreeCICOptions{})
		assert.Equal(t, 400, statusOf(err), "a LATA has three digits")
	}
	exercised["core GET /lookup/toll_free/{tollfree_phonenumber}"] = func(t *testing.T, f *fixture) {
		yes := true
		cic, err := f.cx.LookupTollFreeCIC(ctx(), "18002446227", "12092551162", "490", carrierx.TollFreeCICOptions{RespOrg: &yes})
		require.NoError(t, err)
		got, err := f.cx.LookupTollFreeRespOrg(ctx(), "+1 800 244 6227")
		require.NoError(t, err)
		require.NotNil(t, got.RespOrg)
		assert.Equal(t, *cic.RespOrg, *got.RespOrg, "one RespOrg per number")
		assert.Nil(t, got.CIC)

		_, err = f.cx.LookupTollFreeRespOrg(ctx(), "15623499000")
		assert.Equal(t, 400, statusOf(err), "not a toll-free number")
	}
}
