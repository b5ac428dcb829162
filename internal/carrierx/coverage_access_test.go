package carrierx_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func init() {
	exercised["core POST /accesscontrol/rules"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		assert.Equal(t, []string{"1800", "1615"}, r.Entries)
		assert.Equal(t, "called", r.Field)
		assert.Equal(t, "N/A", r.Name, "name defaults to N/A")
		assert.Equal(t, "prefix", r.Operation)
		assert.Equal(t, "any", r.Quantifier)
		assert.False(t, r.ReadOnly, "the partner's own rule is writable")
		assert.NotEmpty(t, r.RuleSID)

		_, err := f.cx.CreateAccessControlRule(ctx(), carrierx.AccessControlRuleUpdate{Field: carrierx.Set("called")})
		assert.Equal(t, 422, statusOf(err), "entries, operation and quantifier are required")
		_, err = f.cx.CreateAccessControlRule(ctx(), carrierx.AccessControlRuleUpdate{Entries: carrierx.Set([]string{"("}),
			Field: carrierx.Set("to"), Operation: carrierx.Set("regexp"), Quantifier: carrierx.Set("any")})
		assert.Equal(t, 422, statusOf(err), "a regexp rule needs valid expressions")
	}
	exercised["core GET /accesscontrol/rules"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		p, err := f.cx.ListAccessControlRules(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("rule_sid", r.RuleSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *r, p.Items[0])
		require.NotNil(t, p.Total, "rules are listed with a total")
		assert.Equal(t, 1, *p.Total)

		found := false
		for it, err := range f.cx.AllAccessControlRules(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || it.RuleSID == r.RuleSID
		}
		assert.True(t, found, "iterating page by page finds the new rule")

		op, err := otherPartner(f).ListAccessControlRules(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("rule_sid", r.RuleSID)})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another partner does not see the rule")
	}
	exercised["core GET /accesscontrol/rules/{rule_sid}"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		got, err := f.cx.GetAccessControlRule(ctx(), r.RuleSID)
		require.NoError(t, err)
		assert.Equal(t, *r, *got)
		_, err = otherPartner(f).GetAccessControlRule(ctx(), r.RuleSID)
		assert.Equal(t, 404, statusOf(err), "another partner's rule is not found")
	}
	exercised["core PATCH/PUT /accesscontrol/rules/{rule_sid}"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		got, err := f.cx.UpdateAccessControlRule(ctx(), r.RuleSID, carrierx.AccessControlRuleUpdate{Operation: carrierx.Set("exact")})
		require.NoError(t, err)
		assert.Equal(t, "exact", got.Operation)
		assert.Equal(t, r.Entries, got.Entries, "PATCH keeps what it does not name")

		got.Name = "toll free"
		got.Entries = []string{"1888"}
		got, err = f.cx.ReplaceAccessControlRule(ctx(), r.RuleSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "toll free", got.Name)
		assert.Equal(t, []string{"1888"}, got.Entries)
		assert.Equal(t, "exact", got.Operation)

		again, err := f.cx.GetAccessControlRule(ctx(), r.RuleSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		_, err = f.cx.UpdateAccessControlRule(ctx(), r.RuleSID, carrierx.AccessControlRuleUpdate{Quantifier: carrierx.Set("most")})
		assert.Equal(t, 422, statusOf(err))
		_, err = otherPartner(f).UpdateAccessControlRule(ctx(), r.RuleSID, carrierx.AccessControlRuleUpdate{Name: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		_, err = otherPartner(f).ReplaceAccessControlRule(ctx(), r.RuleSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /accesscontrol/rules/{rule_sid}"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		assert.Equal(t, 404, statusOf(otherPartner(f).DeleteAccessControlRule(ctx(), r.RuleSID)))

		g := aclTrunkGroup(t, f, carrierx.AccessControlList{AccessControlRules: []string{r.RuleSID},
			Direction: "outbound", VoiceActionTrue: strPtr("reject503")})
		assert.Equal(t, 409, statusOf(f.cx.DeleteAccessControlRule(ctx(), r.RuleSID)), "a rule used by an ACL stays")
		require.NoError(t, f.cx.DeleteTrunkGroup(ctx(), g.TrunkGroupSID))

		require.NoError(t, f.cx.DeleteAccessControlRule(ctx(), r.RuleSID))
		_, err := f.cx.GetAccessControlRule(ctx(), r.RuleSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeleteAccessControlRule(ctx(), r.RuleSID)))
	}
	exercised["core GET /accesscontrol/effective_acl/calls"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		out := carrierx.AccessControlList{AccessControlRules: []string{r.RuleSID}, Direction: "outbound",
			VoiceActionTrue: strPtr("reject503")}
		g := aclTrunkGroup(t, f, out)
		t.Cleanup(func() { _ = f.cx.DeleteTrunkGroup(ctx(), g.TrunkGroupSID) })

		p, err := f.cx.EffectiveCallACLs(ctx(), carrierx.EffectiveACLQuery{TrunkGroupSID: g.TrunkGroupSID}, carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items)
		assert.Equal(t, len(p.Items), p.Count)
		last := p.Items[len(p.Items)-1]
		assert.Equal(t, len(p.Items), last.Layer, "layers are numbered from the top")
		assert.Equal(t, []carrierx.AccessControlList{out}, last.EffectiveACLs, "the trunk group's ACL is the bottom layer")

		p, err = f.cx.EffectiveCallACLs(ctx(), carrierx.EffectiveACLQuery{TrunkGroupSID: g.TrunkGroupSID, Direction: "inbound"}, carrierx.ListOptions{})
		require.NoError(t, err)
		assert.False(t, usesRule(p.Items, r.RuleSID), "an outbound ACL is not effective inbound")

		p, err = f.cx.EffectiveCallACLs(ctx(), carrierx.EffectiveACLQuery{}, carrierx.ListOptions{})
		require.NoError(t, err)
		assert.False(t, usesRule(p.Items, r.RuleSID), "without the trunk group its ACL is not listed")

		_, err = otherPartner(f).EffectiveCallACLs(ctx(), carrierx.EffectiveACLQuery{TrunkGroupSID: g.TrunkGroupSID}, carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err), "another partner's trunk group is not found")
		_, err = f.cx.EffectiveCallACLs(ctx(), carrierx.EffectiveACLQuery{Direction: "sideways"}, carrierx.ListOptions{})
		assert.Equal(t, 400, statusOf(err))
	}
	exercised["core GET /accesscontrol/effective_acl/sms"] = func(t *testing.T, f *fixture) {
		r := accessRule(t, f)
		g := aclTrunkGroup(t, f, carrierx.AccessControlList{AccessControlRules: []string{r.RuleSID}, Direction: "any",
			SMSActionTrue: strPtr("reject"), VoiceActionTrue: strPtr("accept")})
		t.Cleanup(func() { _ = f.cx.DeleteTrunkGroup(ctx(), g.TrunkGroupSID) })

		p, err := f.cx.EffectiveSMSACLs(ctx(), carrierx.EffectiveACLQuery{Direction: "outbound"}, carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Equal(t, len(p.Items), p.Count)
		require.NotNil(t, p.Total)
		assert.False(t, usesRule(p.Items, r.RuleSID), "trunk group ACLs are voice only")
		for _, l := range p.Items {
			for _, a := range l.EffectiveACLs {
				assert.True(t, a.SMSActionTrue != nil || a.SMSActionFalse != nil, "an SMS layer holds SMS actions")
			}
		}
		_, err = f.cx.EffectiveSMSACLs(ctx(), carrierx.EffectiveACLQuery{PartnerSID: f.sb.OtherPartner().PartnerSID}, carrierx.ListOptions{})
		assert.Equal(t, 404, statusOf(err), "another partner's ACLs are not found")
		_, err = f.cx.EffectiveSMSACLs(ctx(), carrierx.EffectiveACLQuery{TrunkGroupSID: g.TrunkGroupSID}, carrierx.ListOptions{})
		assert.Error(t, err, "the SMS lookup takes no trunk group")
	}

	exercised["core POST /oauth/logins"] = func(t *testing.T, f *fixture) {
		l, pw := partnerLogin(t, f)
		assert.Equal(t, f.creds.PartnerSID, l.PartnerSID)
		assert.Equal(t, []string{"partners.manage", "phonenumber.manage"}, l.TokenScopes)
		assert.NotContains(t, rawGet(t, f, "/core/v2/oauth/logins/"+l.LoginSID), "password", "the password is never answered")

		tok, err := f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: l.Login, Password: pw})
		require.NoError(t, err, "the new login obtains a token")
		assert.Equal(t, f.creds.PartnerSID, tok.PartnerSID, "the token is the partner's")
		assert.Equal(t, l.TokenScopes, tok.Scopes, "the token carries the login's token_scopes")
		me, err := f.anon.WithBearer(tok.AccessToken).WhoAmI(ctx())
		require.NoError(t, err)
		assert.Equal(t, f.creds.PartnerSID, me.PartnerSID)

		_, err = f.cx.CreatePartnerLogin(ctx(), carrierx.PartnerLoginUpdate{Login: carrierx.Set(l.Login),
			Password: carrierx.Set("x"), TokenScopes: carrierx.Set([]string{"partners.manage"})})
		assert.Equal(t, 422, statusOf(err), "a login is unique")
		_, err = f.cx.CreatePartnerLogin(ctx(), carrierx.PartnerLoginUpdate{Login: carrierx.Set("someone_else"),
			Password: carrierx.Set("x"), TokenScopes: carrierx.Set([]string{"partners.manage"})})
		assert.Equal(t, 422, statusOf(err), "a sub-login starts with the partner's login")
		_, err = f.cx.CreatePartnerLogin(ctx(), carrierx.PartnerLoginUpdate{Login: carrierx.Set(f.creds.Login + "_nopw"),
			TokenScopes: carrierx.Set([]string{"partners.manage"})})
		assert.Equal(t, 422, statusOf(err), "a password is required")
	}
	exercised["core GET /oauth/logins"] = func(t *testing.T, f *fixture) {
		l, _ := partnerLogin(t, f)
		p, err := f.cx.ListPartnerLogins(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("login", l.Login)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, *l, p.Items[0])
		require.NotNil(t, p.Total)
		op, err := otherPartner(f).ListPartnerLogins(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, it := range op.Items {
			assert.NotEqual(t, l.LoginSID, it.LoginSID, "another partner does not see the login")
		}
	}
	exercised["core GET /oauth/logins/{login_sid}"] = func(t *testing.T, f *fixture) {
		l, _ := partnerLogin(t, f)
		got, err := f.cx.GetPartnerLogin(ctx(), l.LoginSID)
		require.NoError(t, err)
		assert.Equal(t, *l, *got)
		_, err = otherPartner(f).GetPartnerLogin(ctx(), l.LoginSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core PATCH/PUT /oauth/logins/{login_sid}"] = func(t *testing.T, f *fixture) {
		l, old := partnerLogin(t, f)
		got, err := f.cx.UpdatePartnerLogin(ctx(), l.LoginSID, carrierx.PartnerLoginUpdate{Password: carrierx.Set("n3w-secret")})
		require.NoError(t, err)
		assert.Equal(t, *l, *got)
		_, err = f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: l.Login, Password: old})
		assert.Equal(t, 401, statusOf(err), "the old password is refused")
		_, err = f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: l.Login, Password: "n3w-secret"})
		require.NoError(t, err, "the new password is accepted")

		got, err = f.cx.ReplacePartnerLogin(ctx(), l.LoginSID, *got, "")
		require.NoError(t, err)
		assert.Equal(t, *l, *got)
		_, err = f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: l.Login, Password: "n3w-secret"})
		require.NoError(t, err, "a PUT without password keeps it")
		_, err = f.cx.ReplacePartnerLogin(ctx(), l.LoginSID, *got, "put-secret")
		require.NoError(t, err)
		_, err = f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: l.Login, Password: "put-secret"})
		require.NoError(t, err, "a PUT with a password sets it")

		changed := *got
		changed.TokenScopes = []string{"oauth.manage"}
		_, err = f.cx.ReplacePartnerLogin(ctx(), l.LoginSID, changed, "")
		assert.Equal(t, 422, statusOf(err), "only the password changes after creation")
		_, err = otherPartner(f).UpdatePartnerLogin(ctx(), l.LoginSID, carrierx.PartnerLoginUpdate{Password: carrierx.Set("mine")})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /oauth/logins/{login_sid}"] = func(t *testing.T, f *fixture) {
		l, pw := partnerLogin(t, f)
		assert.Equal(t, 404, statusOf(otherPartner(f).DeletePartnerLogin(ctx(), l.LoginSID)))
		require.NoError(t, f.cx.DeletePartnerLogin(ctx(), l.LoginSID))
		_, err := f.cx.GetPartnerLogin(ctx(), l.LoginSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: l.Login, Password: pw})
		assert.Equal(t, 401, statusOf(err), "a deleted login cannot sign in")
		_, err = f.cx.WhoAmI(ctx())
		require.NoError(t, err, "the partner's own login is untouched")
	}
	exercised["core PATCH/PUT /oauth/tokens/{token_sid}"] = func(t *testing.T, f *fixture) {
		tok, err := f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: f.creds.Login, Password: f.creds.Password, Name: "to update"})
		require.NoError(t, err)
		got, err := f.cx.UpdateToken(ctx(), tok.TokenSID, carrierx.TokenUpdate{Name: carrierx.Set("renamed"),
			Scopes: carrierx.Set([]string{"oauth.manage", "phonenumber.manage"})})
		require.NoError(t, err)
		assert.Equal(t, "renamed", got.Name)
		assert.Equal(t, []string{"oauth.manage", "phonenumber.manage"}, got.Scopes)
		assert.Equal(t, tok.AccessToken, got.AccessToken, "the access token stays")

		got.Name = "replaced"
		got, err = f.cx.ReplaceToken(ctx(), tok.TokenSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "replaced", got.Name)
		assert.Equal(t, []string{"oauth.manage", "phonenumber.manage"}, got.Scopes)
		again, err := f.cx.GetToken(ctx(), tok.TokenSID)
		require.NoError(t, err)
		assert.Equal(t, "replaced", again.Name)

		_, err = f.cx.UpdateToken(ctx(), tok.TokenSID, carrierx.TokenUpdate{Scopes: carrierx.Set([]string{"no.such_scope"})})
		assert.Equal(t, 422, statusOf(err))
		_, err = otherPartner(f).UpdateToken(ctx(), tok.TokenSID, carrierx.TokenUpdate{Name: carrierx.Set("theirs")})
		assert.Equal(t, 404, statusOf(err))

		past := time.Now().Add(-time.Hour)
		_, err = f.cx.UpdateToken(ctx(), tok.TokenSID, carrierx.TokenUpdate{DateExpirationAccessToken: carrierx.Set(past)})
		require.NoError(t, err)
		_, err = f.anon.WithBearer(tok.AccessToken).WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "an expired token is refused")
	}
}

func strPtr(s string) *string { return &s }

var accessSeq atomic.Int64

// accessRule creates the docs' sample rule: called numbers starting 1800 or 1615.
func accessRule(t *testing.T, f *fixture) *carrierx.AccessControlRule {
	t.Helper()
	r, err := f.cx.CreateAccessControlRule(ctx(), carrierx.AccessControlRuleUpdate{Entries: carrierx.Set([]string{"1800", "1615"}),
		Field: carrierx.Set("called"), Operation: carrierx.Set("prefix"), Quantifier: carrierx.Set("any")})
	require.NoError(t, err)
	return r
}

// aclTrunkGroup creates a trunk group whose acls hold a.
func aclTrunkGroup(t *testing.T, f *fixture, a carrierx.AccessControlList) *carrierx.TrunkGroup {
	t.Helper()
	raw, err := json.Marshal(a)
	require.NoError(t, err)
	g, err := f.cx.CreateTrunkGroup(ctx(), carrierx.TrunkGroupUpdate{Name: carrierx.Set("acl"), ACLs: carrierx.Set([]json.RawMessage{raw})})
	require.NoError(t, err)
	return g
}

func usesRule(layers []carrierx.EffectiveACLLayer, ruleSID string) bool {
	for _, l := range layers {
		for _, a := range l.EffectiveACLs {
			for _, sid := range a.AccessControlRules {
				if sid == ruleSID {
					return true
				}
			}
		}
	}
	return false
}

// partnerLogin creates a sub-login of the demo partner and returns it with
// its password.
func partnerLogin(t *testing.T, f *fixture) (*carrierx.PartnerLogin, string) {
	t.Helper()
	n := strconv.FormatInt(accessSeq.Add(1), 10)
	login, pw := f.creds.Login+"_ops"+n, "pw-"+n
	l, err := f.cx.CreatePartnerLogin(ctx(), carrierx.PartnerLoginUpdate{Login: carrierx.Set(login), Password: carrierx.Set(pw),
		TokenScopes: carrierx.Set([]string{"partners.manage", "phonenumber.manage"})})
	require.NoError(t, err)
	require.Equal(t, login, l.Login)
	require.NotEmpty(t, l.LoginSID)
	return l, pw
}

// otherPartner is a client of the second seeded partner (HTTP Basic).
func otherPartner(f *fixture) *carrierx.Client {
	o := f.sb.OtherPartner()
	return f.anon.WithBasic(o.Login, o.Password)
}

// rawGet returns the body of an authenticated GET on the sandbox.
func rawGet(t *testing.T, f *fixture, path string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.base+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.token.AccessToken)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, string(b))
	return string(b)
}
