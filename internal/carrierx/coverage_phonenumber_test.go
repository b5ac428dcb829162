package carrierx_test

import (
	"encoding/json"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// sampleClassificationSID is the DID classification of CarrierX's samples.
const sampleClassificationSID = "17f4d954-d635-4cda-912b-c2a2fa3a6860"

func init() {
	// DID groups.
	exercised["core POST /phonenumber/did_groups"] = func(t *testing.T, f *fixture) {
		g, err := f.cx.CreateDIDGroup(ctx(), carrierx.DIDGroupUpdate{})
		require.NoError(t, err)
		assert.NotEmpty(t, g.DIDGroupSID)
		assert.Equal(t, "N/A", g.Name, "name defaults to N/A")
		assert.Nil(t, g.CallbackURL)
		assert.Equal(t, f.creds.PartnerSID, g.PartnerSID)

		g = pnDIDGroup(t, f)
		assert.Equal(t, "sales", g.Name)
		require.NotNil(t, g.CallbackURL)
		assert.Equal(t, "https://hooks.example.com/sms", *g.CallbackURL)

		_, err = f.cx.CreateDIDGroup(ctx(), carrierx.DIDGroupUpdate{CallbackURL: carrierx.Set("not a url")})
		assert.Equal(t, 422, statusOf(err))
	}
	exercised["core GET /phonenumber/did_groups"] = func(t *testing.T, f *fixture) {
		g := pnDIDGroup(t, f)
		p, err := f.cx.ListDIDGroups(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("did_group_sid", g.DIDGroupSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *g, p.Items[0])
		require.NotNil(t, p.Total)
		assert.Equal(t, 1, *p.Total)

		found := false
		for it, err := range f.cx.AllDIDGroups(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			assert.Equal(t, f.creds.PartnerSID, it.PartnerSID)
			found = found || it.DIDGroupSID == g.DIDGroupSID
		}
		assert.True(t, found, "iterating page by page finds the new group")

		op, err := pnOther(f).ListDIDGroups(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("did_group_sid", g.DIDGroupSID)})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another partner does not see the group")
	}
	exercised["core GET /phonenumber/did_groups/{did_group_sid}"] = func(t *testing.T, f *fixture) {
		g := pnDIDGroup(t, f)
		got, err := f.cx.GetDIDGroup(ctx(), g.DIDGroupSID)
		require.NoError(t, err)
		assert.Equal(t, *g, *got)
		_, err = pnOther(f).GetDIDGroup(ctx(), g.DIDGroupSID)
		assert.Equal(t, 404, statusOf(err), "another partner's group is not found")
		_, err = f.cx.GetDIDGroup(ctx(), "00000000-0000-4000-8000-000000000000")
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core PATCH/PUT /phonenumber/did_groups/{did_group_sid}"] = func(t *testing.T, f *fixture) {
		g := pnDIDGroup(t, f)
		got, err := f.cx.UpdateDIDGroup(ctx(), g.DIDGroupSID, carrierx.DIDGroupUpdate{Name: carrierx.Set("support")})
		require.NoError(t, err)
		assert.Equal(t, "support", got.Name)
		assert.Equal(t, g.CallbackURL, got.CallbackURL, "PATCH keeps what it does not name")

		got.Name = "replaced"
		got.CallbackURL = nil
		got, err = f.cx.ReplaceDIDGroup(ctx(), g.DIDGroupSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "replaced", got.Name)
		assert.Nil(t, got.CallbackURL)
		again, err := f.cx.GetDIDGroup(ctx(), g.DIDGroupSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		_, err = pnOther(f).UpdateDIDGroup(ctx(), g.DIDGroupSID, carrierx.DIDGroupUpdate{Name: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		_, err = pnOther(f).ReplaceDIDGroup(ctx(), g.DIDGroupSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /phonenumber/did_groups/{did_group_sid}"] = func(t *testing.T, f *fixture) {
		g := pnDIDGroup(t, f)
		assert.Equal(t, 404, statusOf(pnOther(f).DeleteDIDGroup(ctx(), g.DIDGroupSID)))

		// A DID names only its own partner's groups.
		d := rent(t, f)
		og, err := pnOther(f).CreateDIDGroup(ctx(), carrierx.DIDGroupUpdate{})
		require.NoError(t, err)
		_, err = f.cx.UpdateDID(ctx(), d.DIDSID, carrierx.DIDUpdate{DIDGroupSID: carrierx.Set(og.DIDGroupSID)})
		assert.Equal(t, 422, statusOf(err), "another partner's group cannot be named")

		got, err := f.cx.UpdateDID(ctx(), d.DIDSID, carrierx.DIDUpdate{DIDGroupSID: carrierx.Set(g.DIDGroupSID)})
		require.NoError(t, err)
		require.NotNil(t, got.DIDGroupSID)
		assert.Equal(t, g.DIDGroupSID, *got.DIDGroupSID)
		err = f.cx.DeleteDIDGroup(ctx(), g.DIDGroupSID)
		require.Equal(t, 409, statusOf(err), "a group DIDs use stays")
		e, ok := carrierx.AsError(err)
		require.True(t, ok)
		require.NotEmpty(t, e.Errors)
		require.NotNil(t, e.Errors[0].ReferenceSID)
		assert.Equal(t, d.DIDSID, *e.Errors[0].ReferenceSID, "the conflict names the DID")
		_, err = f.cx.GetDIDGroup(ctx(), g.DIDGroupSID)
		require.NoError(t, err)

		_, err = f.cx.UpdateDID(ctx(), d.DIDSID, carrierx.DIDUpdate{DIDGroupSID: carrierx.Null[string]()})
		require.NoError(t, err)
		require.NoError(t, f.cx.DeleteDIDGroup(ctx(), g.DIDGroupSID))
		_, err = f.cx.GetDIDGroup(ctx(), g.DIDGroupSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeleteDIDGroup(ctx(), g.DIDGroupSID)))
		_, err = f.cx.UpdateDID(ctx(), d.DIDSID, carrierx.DIDUpdate{DIDGroupSID: carrierx.Set(g.DIDGroupSID)})
		assert.Equal(t, 422, statusOf(err), "a deleted group cannot be named")
	}

	// Prefixes.
	exercised["core POST /phonenumber/prefixes"] = func(t *testing.T, f *fixture) {
		digits := pnDigits()
		p, err := f.cx.CreatePrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(digits)})
		require.NoError(t, err)
		assert.NotEmpty(t, p.PrefixSID)
		assert.Equal(t, digits, p.Prefix)
		assert.Equal(t, "N/A", p.Name, "name defaults to N/A")
		assert.Equal(t, f.creds.PartnerSID, p.PartnerSID)
		assert.Nil(t, p.TrunkGroupSID)
		assert.Nil(t, p.SourceTrunkGroupSID)
		assert.Empty(t, p.Attributes)
		assert.NotNil(t, p.Transformations)

		g := trunkGroup(t, f)
		routed, err := f.cx.CreatePrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(pnDigits()), TrunkGroupSID: carrierx.Set(g.TrunkGroupSID)})
		require.NoError(t, err)
		require.NotNil(t, routed.TrunkGroupSID)
		assert.Equal(t, g.TrunkGroupSID, *routed.TrunkGroupSID)

		_, err = f.cx.CreatePrefix(ctx(), carrierx.PrefixUpdate{Name: carrierx.Set("no prefix")})
		assert.Equal(t, 422, statusOf(err), "prefix is required")
		_, err = f.cx.CreatePrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set("51a")})
		assert.Equal(t, 422, statusOf(err), "a prefix holds digits")
		_, err = f.cx.CreatePrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(digits)})
		assert.Equal(t, 422, statusOf(err), "the same prefix twice")
		_, err = pnOther(f).CreatePrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(pnDigits()), TrunkGroupSID: carrierx.Set(g.TrunkGroupSID)})
		assert.Equal(t, 422, statusOf(err), "another partner's trunk group cannot be named")
	}
	exercised["core GET /phonenumber/prefixes"] = func(t *testing.T, f *fixture) {
		p := pnPrefix(t, f)
		page, err := f.cx.ListPrefixes(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("prefix", p.Prefix)})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, *p, page.Items[0])
		require.NotNil(t, page.Total)
		assert.Equal(t, 1, *page.Total)

		found := false
		for it, err := range f.cx.AllPrefixes(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || it.PrefixSID == p.PrefixSID
		}
		assert.True(t, found)

		op, err := pnOther(f).ListPrefixes(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("prefix_sid", p.PrefixSID)})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another partner does not see the prefix")
	}
	exercised["core GET /phonenumber/prefixes/{prefix_sid}"] = func(t *testing.T, f *fixture) {
		p := pnPrefix(t, f)
		got, err := f.cx.GetPrefix(ctx(), p.PrefixSID)
		require.NoError(t, err)
		assert.Equal(t, *p, *got)
		_, err = pnOther(f).GetPrefix(ctx(), p.PrefixSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core PATCH/PUT /phonenumber/prefixes/{prefix_sid}"] = func(t *testing.T, f *fixture) {
		p := pnPrefix(t, f)
		got, err := f.cx.UpdatePrefix(ctx(), p.PrefixSID, carrierx.PrefixUpdate{Name: carrierx.Set("main prefix"),
			Attributes: carrierx.Set(map[string]string{"route": "east"})})
		require.NoError(t, err)
		assert.Equal(t, "main prefix", got.Name)
		assert.Equal(t, carrierx.Attributes{"route": "east"}, got.Attributes)
		assert.Equal(t, p.Prefix, got.Prefix, "PATCH keeps what it does not name")

		g := trunkGroup(t, f)
		got.TrunkGroupSID = &g.TrunkGroupSID
		got.StringKey1 = pnStr("crm-1")
		got, err = f.cx.ReplacePrefix(ctx(), p.PrefixSID, *got)
		require.NoError(t, err)
		require.NotNil(t, got.TrunkGroupSID)
		assert.Equal(t, g.TrunkGroupSID, *got.TrunkGroupSID)
		assert.Equal(t, pnStr("crm-1"), got.StringKey1)
		assert.Equal(t, "main prefix", got.Name)
		again, err := f.cx.GetPrefix(ctx(), p.PrefixSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again)

		_, err = f.cx.UpdatePrefix(ctx(), p.PrefixSID, carrierx.PrefixUpdate{TrunkGroupSID: carrierx.Set("nope")})
		assert.Equal(t, 422, statusOf(err))
		_, err = pnOther(f).UpdatePrefix(ctx(), p.PrefixSID, carrierx.PrefixUpdate{Name: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		_, err = pnOther(f).ReplacePrefix(ctx(), p.PrefixSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /phonenumber/prefixes/{prefix_sid}"] = func(t *testing.T, f *fixture) {
		p := pnPrefix(t, f)
		assert.Equal(t, 404, statusOf(pnOther(f).DeletePrefix(ctx(), p.PrefixSID)))
		require.NoError(t, f.cx.DeletePrefix(ctx(), p.PrefixSID))
		_, err := f.cx.GetPrefix(ctx(), p.PrefixSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeletePrefix(ctx(), p.PrefixSID)))
	}

	// LRN prefixes.
	exercised["core POST /phonenumber/lrn_prefixes"] = func(t *testing.T, f *fixture) {
		digits := pnDigits()
		p, err := f.cx.CreateLRNPrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(digits), Name: carrierx.Set("lrn_prefix_name")})
		require.NoError(t, err)
		assert.NotEmpty(t, p.LRNPrefixSID)
		assert.Equal(t, digits, p.Prefix)
		assert.Equal(t, "lrn_prefix_name", p.Name)
		assert.Equal(t, f.creds.PartnerSID, p.PartnerSID)
		assert.Nil(t, p.LRNSID)

		_, err = f.cx.CreateLRNPrefix(ctx(), carrierx.PrefixUpdate{})
		assert.Equal(t, 422, statusOf(err), "prefix is required")
		_, err = f.cx.CreateLRNPrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set("+1520")})
		assert.Equal(t, 422, statusOf(err), "a prefix holds digits")
		_, err = f.cx.CreateLRNPrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(pnDigits()), SourceTrunkGroupSID: carrierx.Set("nope")})
		assert.Equal(t, 422, statusOf(err), "an unknown trunk group cannot be named")
	}
	exercised["core GET /phonenumber/lrn_prefixes"] = func(t *testing.T, f *fixture) {
		p := pnLRNPrefix(t, f)
		page, err := f.cx.ListLRNPrefixes(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("lrn_prefix_sid", p.LRNPrefixSID)})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		assert.Equal(t, *p, page.Items[0])

		n := 0
		for it, err := range f.cx.AllLRNPrefixes(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			assert.Equal(t, f.creds.PartnerSID, it.PartnerSID)
			n++
		}
		assert.GreaterOrEqual(t, n, 1)

		op, err := pnOther(f).ListLRNPrefixes(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("lrn_prefix_sid", p.LRNPrefixSID)})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another partner does not see the LRN prefix")
	}
	exercised["core GET /phonenumber/lrn_prefixes/{lrn_prefix_sid}"] = func(t *testing.T, f *fixture) {
		p := pnLRNPrefix(t, f)
		got, err := f.cx.GetLRNPrefix(ctx(), p.LRNPrefixSID)
		require.NoError(t, err)
		assert.Equal(t, *p, *got)
		_, err = pnOther(f).GetLRNPrefix(ctx(), p.LRNPrefixSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.GetPrefix(ctx(), p.LRNPrefixSID)
		assert.Equal(t, 404, statusOf(err), "an LRN prefix is not a prefix")
	}
	exercised["core PATCH/PUT /phonenumber/lrn_prefixes/{lrn_prefix_sid}"] = func(t *testing.T, f *fixture) {
		p := pnLRNPrefix(t, f)
		got, err := f.cx.UpdateLRNPrefix(ctx(), p.LRNPrefixSID, carrierx.PrefixUpdate{CallbackURL: carrierx.Set("https://hooks.example.com/lrn")})
		require.NoError(t, err)
		require.NotNil(t, got.CallbackURL)
		assert.Equal(t, "https://hooks.example.com/lrn", *got.CallbackURL)
		assert.Equal(t, p.Name, got.Name, "PATCH keeps what it does not name")

		next := pnDigits()
		got.Prefix = next
		got.Name = "replaced"
		got, err = f.cx.ReplaceLRNPrefix(ctx(), p.LRNPrefixSID, *got)
		require.NoError(t, err)
		assert.Equal(t, next, got.Prefix)
		assert.Equal(t, "replaced", got.Name)
		require.NotNil(t, got.CallbackURL, "PUT keeps the fields it sends")
		again, err := f.cx.GetLRNPrefix(ctx(), p.LRNPrefixSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again)

		_, err = pnOther(f).UpdateLRNPrefix(ctx(), p.LRNPrefixSID, carrierx.PrefixUpdate{Name: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		_, err = pnOther(f).ReplaceLRNPrefix(ctx(), p.LRNPrefixSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /phonenumber/lrn_prefixes/{lrn_prefix_sid}"] = func(t *testing.T, f *fixture) {
		p := pnLRNPrefix(t, f)
		assert.Equal(t, 404, statusOf(pnOther(f).DeleteLRNPrefix(ctx(), p.LRNPrefixSID)))
		require.NoError(t, f.cx.DeleteLRNPrefix(ctx(), p.LRNPrefixSID))
		_, err := f.cx.GetLRNPrefix(ctx(), p.LRNPrefixSID)
		assert.Equal(t, 404, statusOf(err))
	}

	// DID classifications.
	exercised["core GET /phonenumber/classifications"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListDIDClassifications(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items)
		byID := map[string]carrierx.DIDClassification{}
		for _, c := range p.Items {
			byID[c.ClassificationSID] = c
			assert.NotEmpty(t, c.Name)
		}
		require.Contains(t, byID, sampleClassificationSID)
		assert.Equal(t, carrierx.DIDClassification{AgingPolicy: 86400, ClassificationSID: sampleClassificationSID, Name: "Default"},
			byID[sampleClassificationSID])

		avail, err := f.cx.ListAvailableDIDs(ctx(), carrierx.ListOptions{Limit: 200})
		require.NoError(t, err)
		for _, d := range avail.Items {
			assert.Contains(t, byID, d.ClassificationSID, "every DID's class is listed")
		}

		op, err := pnOther(f).ListDIDClassifications(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Equal(t, p.Items, op.Items, "classifications are the same for every partner")
	}
	exercised["core GET /phonenumber/classifications/{classification_sid}"] = func(t *testing.T, f *fixture) {
		d := rent(t, f)
		got, err := f.cx.GetDIDClassification(ctx(), d.ClassificationSID)
		require.NoError(t, err)
		assert.Equal(t, d.ClassificationSID, got.ClassificationSID)
		assert.NotEmpty(t, got.Name)
		_, err = f.cx.GetDIDClassification(ctx(), "00000000-0000-4000-8000-000000000000")
		assert.Equal(t, 404, statusOf(err))
	}

	// Short codes.
	exercised["core GET /phonenumber/short_codes"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListShortCodes(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items, "the demo partner has short codes")
		mine := map[string]bool{}
		for _, sc := range p.Items {
			assert.Equal(t, f.creds.PartnerSID, sc.PartnerSID)
			assert.NotEmpty(t, sc.ShortCode)
			mine[sc.ShortCodeSID] = true
		}
		op, err := pnOther(f).ListShortCodes(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, op.Items, "the other partner has its own")
		for _, sc := range op.Items {
			assert.False(t, mine[sc.ShortCodeSID], "partners do not share short codes")
		}
		one, err := f.cx.ListShortCodes(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("short_code", p.Items[0].ShortCode)})
		require.NoError(t, err)
		require.Len(t, one.Items, 1)
		assert.Equal(t, p.Items[0], one.Items[0])
	}
	exercised["core GET /phonenumber/short_codes/{short_code_sid}"] = func(t *testing.T, f *fixture) {
		sc := pnShortCode(t, f.cx)
		got, err := f.cx.GetShortCode(ctx(), sc.ShortCodeSID)
		require.NoError(t, err)
		assert.Equal(t, sc, *got)
		_, err = pnOther(f).GetShortCode(ctx(), sc.ShortCodeSID)
		assert.Equal(t, 404, statusOf(err), "another partner's short code is not found")
	}
	exercised["core PATCH/PUT /phonenumber/short_codes/{short_code_sid}"] = func(t *testing.T, f *fixture) {
		sc := pnShortCode(t, f.cx)
		g := pnDIDGroup(t, f)
		got, err := f.cx.UpdateShortCode(ctx(), sc.ShortCodeSID, carrierx.ShortCodeUpdate{Name: carrierx.Set("alerts"),
			DIDGroupSID: carrierx.Set(g.DIDGroupSID)})
		require.NoError(t, err)
		assert.Equal(t, "alerts", got.Name)
		require.NotNil(t, got.DIDGroupSID)
		assert.Equal(t, g.DIDGroupSID, *got.DIDGroupSID)
		assert.Equal(t, sc.ShortCode, got.ShortCode, "the code itself stays")
		assert.Equal(t, 409, statusOf(f.cx.DeleteDIDGroup(ctx(), g.DIDGroupSID)), "a group a short code uses stays")

		got.StringKey2 = pnStr("k2")
		got.DIDGroupSID = nil
		got, err = f.cx.ReplaceShortCode(ctx(), sc.ShortCodeSID, *got)
		require.NoError(t, err)
		assert.Equal(t, pnStr("k2"), got.StringKey2)
		assert.Nil(t, got.DIDGroupSID)
		assert.Equal(t, "alerts", got.Name)
		again, err := f.cx.GetShortCode(ctx(), sc.ShortCodeSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again)
		require.NoError(t, f.cx.DeleteDIDGroup(ctx(), g.DIDGroupSID))

		og, err := pnOther(f).CreateDIDGroup(ctx(), carrierx.DIDGroupUpdate{})
		require.NoError(t, err)
		_, err = f.cx.UpdateShortCode(ctx(), sc.ShortCodeSID, carrierx.ShortCodeUpdate{DIDGroupSID: carrierx.Set(og.DIDGroupSID)})
		assert.Equal(t, 422, statusOf(err), "another partner's group cannot be named")
		_, err = pnOther(f).UpdateShortCode(ctx(), sc.ShortCodeSID, carrierx.ShortCodeUpdate{Name: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		_, err = pnOther(f).ReplaceShortCode(ctx(), sc.ShortCodeSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
}

var pnSeq atomic.Int64

// pnDigits returns a prefix no other call returns.
func pnDigits() string { return "1999" + strconv.FormatInt(1000+pnSeq.Add(1), 10) }

func pnStr(s string) *string { return &s }

// pnOther is a client of the second seeded partner (HTTP Basic).
func pnOther(f *fixture) *carrierx.Client {
	o := f.sb.OtherPartner()
	return f.anon.WithBasic(o.Login, o.Password)
}

// pnDIDGroup creates a group named "sales" with a callback URL.
func pnDIDGroup(t *testing.T, f *fixture) *carrierx.DIDGroup {
	t.Helper()
	g, err := f.cx.CreateDIDGroup(ctx(), carrierx.DIDGroupUpdate{Name: carrierx.Set("sales"),
		CallbackURL: carrierx.Set("https://hooks.example.com/sms")})
	require.NoError(t, err)
	return g
}

func pnPrefix(t *testing.T, f *fixture) *carrierx.Prefix {
	t.Helper()
	p, err := f.cx.CreatePrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(pnDigits()),
		Transformations: carrierx.Set([]json.RawMessage{})})
	require.NoError(t, err)
	return p
}

func pnLRNPrefix(t *testing.T, f *fixture) *carrierx.LRNPrefix {
	t.Helper()
	p, err := f.cx.CreateLRNPrefix(ctx(), carrierx.PrefixUpdate{Prefix: carrierx.Set(pnDigits()), Name: carrierx.Set("lrn")})
	require.NoError(t, err)
	return p
}

// pnShortCode returns the first short code c's partner has.
func pnShortCode(t *testing.T, c *carrierx.Client) carrierx.ShortCode {
	t.Helper()
	p, err := c.ListShortCodes(ctx(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	return p.Items[0]
}
