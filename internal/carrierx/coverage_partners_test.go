package carrierx_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func init() {
	exercised["core POST /oauth/token/{partner_sid}"] = func(t *testing.T, f *fixture) {
		child, _ := ptnChild(t, f, f.cx)
		tok, err := f.cx.CreateSubPartnerToken(ctx(), child.PartnerSID, carrierx.TokenRequest{ClientID: "5c7965f285344165b003ce1a3202e589", Name: "for child"})
		require.NoError(t, err)
		assert.Equal(t, child.PartnerSID, tok.PartnerSID)
		assert.Equal(t, "bearer", tok.TokenType)
		assert.Equal(t, "for child", tok.Name)

		cc := f.anon.WithBearer(tok.AccessToken)
		me, err := cc.WhoAmI(ctx())
		require.NoError(t, err)
		assert.Equal(t, child.PartnerSID, me.PartnerSID, "the token authenticates as the sub-partner")
		dids, err := cc.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.NotNil(t, dids.Total)
		assert.Equal(t, 0, *dids.Total, "the sub-partner sees its own numbers only")
		_, err = cc.GetPartner(ctx(), f.creds.PartnerSID)
		assert.Equal(t, 404, statusOf(err), "the sub-partner does not see its parent")

		_, err = f.cx.CreateSubPartnerToken(ctx(), f.creds.PartnerSID, carrierx.TokenRequest{})
		assert.Equal(t, 403, statusOf(err), "the partner itself is not a sub-partner")
		_, err = f.cx.CreateSubPartnerToken(ctx(), f.sb.OtherPartner().PartnerSID, carrierx.TokenRequest{})
		assert.Equal(t, 404, statusOf(err), "another partner is not a sub-partner")
		_, err = ptnOther(f).CreateSubPartnerToken(ctx(), child.PartnerSID, carrierx.TokenRequest{})
		assert.Equal(t, 404, statusOf(err))
		_, err = cc.CreateSubPartnerToken(ctx(), f.creds.PartnerSID, carrierx.TokenRequest{})
		assert.Equal(t, 404, statusOf(err), "a sub-partner gets no token for its parent")
	}
	exercised["core POST /partners"] = func(t *testing.T, f *fixture) {
		login := ptnLogin()
		p, err := f.cx.CreatePartner(ctx(), carrierx.PartnerUpdate{Login: carrierx.Set(login), Password: carrierx.Set("pw-" + login),
			Name: carrierx.Set("John Smith"), CompanyName: carrierx.Set("ABC"), ParentSID: carrierx.Set(""),
			CountryCode: carrierx.Set("USA"), Zip: carrierx.Set("90804"), OwnerEmail: carrierx.Set("johnsmith@example.com"),
			PaymentType: carrierx.Set(carrierx.PaymentPostpay), Phonenumber: carrierx.Set("180045012323"),
			ChargeAt: carrierx.Set(decimal.NewFromInt(20)), PrepayAmount: carrierx.Set(decimal.RequireFromString("100"))})
		require.NoError(t, err)
		require.NotNil(t, p.ParentSID)
		assert.Equal(t, f.creds.PartnerSID, *p.ParentSID, "a new partner is the creator's sub-partner")
		assert.Equal(t, login, p.Login)
		assert.Equal(t, "active", p.Status)
		assert.Equal(t, carrierx.PaymentPostpay, p.PaymentType)
		assert.False(t, p.ChargeAt.Valid, "a postpay partner has no prepay settings")
		assert.True(t, p.Balance.Valid && p.Balance.Decimal.IsZero())
		assert.True(t, strings.HasPrefix(p.DisplayID, "CX"))
		me, err := f.anon.WithBasic(login, "pw-"+login).WhoAmI(ctx())
		require.NoError(t, err)
		assert.Equal(t, p.PartnerSID, me.PartnerSID, "the new partner logs in with its password")

		_, err = f.cx.CreatePartner(ctx(), carrierx.PartnerUpdate{Login: carrierx.Set(login), Password: carrierx.Set("x")})
		assert.Equal(t, 422, statusOf(err), "a login is taken once")
		_, err = f.cx.CreatePartner(ctx(), carrierx.PartnerUpdate{Login: carrierx.Set(ptnLogin())})
		assert.Equal(t, 422, statusOf(err), "password is required")
		_, err = f.cx.CreatePartner(ctx(), carrierx.PartnerUpdate{Login: carrierx.Set(ptnLogin()), Password: carrierx.Set("x"),
			ParentSID: carrierx.Set(f.sb.OtherPartner().PartnerSID)})
		assert.Equal(t, 422, statusOf(err), "a partner creates its own sub-partners only")
		_, err = f.cx.CreatePartner(ctx(), carrierx.PartnerUpdate{Login: carrierx.Set(ptnLogin()), Password: carrierx.Set("x"),
			CountryCode: carrierx.Set("USA"), State: carrierx.Set("ZZ")})
		assert.Equal(t, 422, statusOf(err), "state is a US state code")
	}
	exercised["core GET /partners"] = func(t *testing.T, f *fixture) {
		child, cc := ptnChild(t, f, f.cx)
		grand, _ := ptnChild(t, f, cc)
		p, err := f.cx.ListPartners(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("parent_sid", child.PartnerSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, grand.PartnerSID, p.Items[0].PartnerSID, "a sub-partner's sub-partners are listed too")

		seen := map[string]bool{}
		for it, err := range f.cx.AllPartners(ctx(), carrierx.ListOptions{Limit: 2}) {
			require.NoError(t, err)
			seen[it.PartnerSID] = true
		}
		assert.True(t, seen[f.creds.PartnerSID], "a partner lists itself")
		assert.True(t, seen[child.PartnerSID])
		assert.True(t, seen[grand.PartnerSID])
		assert.False(t, seen[f.sb.OtherPartner().PartnerSID], "another partner is never listed")

		cp, err := cc.ListPartners(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		var sids []string
		for _, it := range cp.Items {
			sids = append(sids, it.PartnerSID)
		}
		assert.ElementsMatch(t, []string{child.PartnerSID, grand.PartnerSID}, sids, "a sub-partner sees itself and below, not its parent")

		op, err := ptnOther(f).ListPartners(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		require.Len(t, op.Items, 1)
		assert.Equal(t, f.sb.OtherPartner().PartnerSID, op.Items[0].PartnerSID)
	}
	exercised["core GET /partners/{partner_sid}"] = func(t *testing.T, f *fixture) {
		child, cc := ptnChild(t, f, f.cx)
		got, err := f.cx.GetPartner(ctx(), child.PartnerSID)
		require.NoError(t, err)
		assert.Equal(t, child.PartnerSID, got.PartnerSID)
		assert.Equal(t, child.Login, got.Login)
		me, err := f.cx.GetPartner(ctx(), f.creds.PartnerSID)
		require.NoError(t, err)
		assert.Equal(t, f.creds.Login, me.Login)

		_, err = f.cx.GetPartner(ctx(), f.sb.OtherPartner().PartnerSID)
		assert.Equal(t, 404, statusOf(err), "another partner is not found")
		_, err = cc.GetPartner(ctx(), f.creds.PartnerSID)
		assert.Equal(t, 404, statusOf(err), "nor is the parent")
		_, err = ptnOther(f).GetPartner(ctx(), child.PartnerSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = f.cx.GetPartner(ctx(), "")
		assert.Error(t, err)
	}
	exercised["core PATCH/PUT /partners/{partner_sid}"] = func(t *testing.T, f *fixture) {
		child, cc := ptnChild(t, f, f.cx)
		limit := decimal.RequireFromString("250.50")
		got, err := f.cx.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{CompanyName: carrierx.Set("Child Co"),
			SpendingLimit: carrierx.Set(limit), Login: carrierx.Set("ignored")})
		require.NoError(t, err)
		assert.Equal(t, "Child Co", got.CompanyName)
		assert.True(t, got.SpendingLimit.Valid && got.SpendingLimit.Decimal.Equal(limit))
		assert.Equal(t, child.Login, got.Login, "the login is set on create only")
		assert.Equal(t, child.Name, got.Name, "PATCH keeps what it does not name")

		acl := []byte(`{"access_control_rules":[],"direction":"outbound","sms_action_false":null,"sms_action_true":null,"voice_action_false":null,"voice_action_true":"reject403"}`)
		_, err = f.cx.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{ACLs: carrierx.Set(ptnRaw(acl))})
		assert.Equal(t, 422, statusOf(err), "a parent does not set its sub-partner's own ACLs")
		_, err = cc.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{ParentAssignedACLs: carrierx.Set(ptnRaw(acl))})
		assert.Equal(t, 422, statusOf(err), "parent_assigned_acls are the parent's")
		got, err = f.cx.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{ParentAssignedACLs: carrierx.Set(ptnRaw(acl))})
		require.NoError(t, err)
		assert.Len(t, got.ParentAssignedACLs, 1)

		got.Name = "Replaced"
		got, err = f.cx.ReplacePartner(ctx(), child.PartnerSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "Replaced", got.Name)
		assert.Equal(t, "Child Co", got.CompanyName)
		assert.True(t, got.SpendingLimit.Decimal.Equal(limit))
		again, err := f.cx.GetPartner(ctx(), child.PartnerSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		self, err := cc.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{City: carrierx.Set("Boston")})
		require.NoError(t, err)
		assert.Equal(t, "Boston", self.City, "a partner updates itself")

		_, err = f.cx.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{Password: carrierx.Set("fresh")})
		require.NoError(t, err)
		_, err = cc.WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "the old password is refused")
		_, err = f.anon.WithBasic(child.Login, "fresh").WhoAmI(ctx())
		assert.NoError(t, err)

		_, err = f.cx.UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{OwnerEmail: carrierx.Set("not an address")})
		assert.Equal(t, 422, statusOf(err))
		_, err = ptnOther(f).UpdatePartner(ctx(), child.PartnerSID, carrierx.PartnerUpdate{Name: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		_, err = ptnOther(f).ReplacePartner(ctx(), child.PartnerSID, *got)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /partners/{partner_sid}"] = func(t *testing.T, f *fixture) {
		child, cc := ptnChild(t, f, f.cx)
		grand, gc := ptnChild(t, f, cc)
		assert.Equal(t, 409, statusOf(f.cx.DeletePartner(ctx(), child.PartnerSID)), "a partner with sub-partners stays")
		d := ptnRent(t, gc, carrierx.Filter{})
		assert.Equal(t, 409, statusOf(cc.DeletePartner(ctx(), grand.PartnerSID)), "a partner renting numbers stays")
		require.NoError(t, gc.ReleaseDID(ctx(), d.DIDSID))

		assert.Equal(t, 403, statusOf(cc.DeletePartner(ctx(), child.PartnerSID)), "a partner does not delete itself")
		assert.Equal(t, 404, statusOf(ptnOther(f).DeletePartner(ctx(), grand.PartnerSID)))
		require.NoError(t, cc.DeletePartner(ctx(), grand.PartnerSID))
		require.NoError(t, f.cx.DeletePartner(ctx(), child.PartnerSID))
		_, err := f.cx.GetPartner(ctx(), child.PartnerSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = cc.WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "a deleted partner cannot log in")
	}

	exercised["core POST /partners/{partner_sid}/billing_method"] = func(t *testing.T, f *fixture) {
		child, _ := ptnChild(t, f, f.cx)
		req := ptnVisa()
		assert.NotContains(t, req.String()+fmt.Sprintf("%v %#v", req, req), req.CCNumber, "the card number is never printed")
		bm, err := f.cx.RegisterBillingMethod(ctx(), child.PartnerSID, req)
		require.NoError(t, err)
		assert.Equal(t, carrierx.BillingVisa, bm.Type)
		require.NotNil(t, bm.CCNumber)
		assert.Equal(t, "8888", *bm.CCNumber, "the card number is answered as its last four digits")
		require.NotNil(t, bm.CCExpiration)
		assert.Equal(t, "022019", *bm.CCExpiration)

		bad := ptnVisa()
		bad.CCNumber = "4012888818889"
		_, err = f.cx.RegisterBillingMethod(ctx(), child.PartnerSID, bad)
		assert.Equal(t, 422, statusOf(err), "the card number fails the Luhn check")
		bad = ptnVisa()
		bad.CCCID = ""
		_, err = f.cx.RegisterBillingMethod(ctx(), child.PartnerSID, bad)
		assert.Equal(t, 422, statusOf(err), "a card needs its CID")
		_, err = ptnOther(f).RegisterBillingMethod(ctx(), child.PartnerSID, ptnVisa())
		assert.Equal(t, 404, statusOf(err))

		ec, err := f.cx.RegisterBillingMethod(ctx(), child.PartnerSID, carrierx.BillingMethodRequest{Type: carrierx.BillingElectronicCheck,
			FirstName: "John", LastName: "Smith", Phone: "15162065574", CountryCode: "USA", Zip: "90804",
			Address1: "4300 E Pacific Coast Hwy", City: "Long Beach", ECAccountNumber: "123456789012", ECRoutingNumber: "021000021"})
		require.NoError(t, err)
		require.NotNil(t, ec.ECAccountNumber)
		assert.Equal(t, "9012", *ec.ECAccountNumber, "registering again replaces the method; the account number is masked")
		assert.Nil(t, ec.CCNumber)
	}
	exercised["core GET /partners/{partner_sid}/billing_method"] = func(t *testing.T, f *fixture) {
		child, cc := ptnChild(t, f, f.cx)
		_, err := f.cx.GetBillingMethod(ctx(), child.PartnerSID)
		assert.Equal(t, 404, statusOf(err), "no billing method yet")
		bm, err := cc.RegisterBillingMethod(ctx(), child.PartnerSID, ptnVisa())
		require.NoError(t, err)
		got, err := f.cx.GetBillingMethod(ctx(), child.PartnerSID)
		require.NoError(t, err)
		assert.Equal(t, *bm, *got)
		_, err = ptnOther(f).GetBillingMethod(ctx(), child.PartnerSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /partners/{partner_sid}/billing_method"] = func(t *testing.T, f *fixture) {
		child, _ := ptnChild(t, f, f.cx)
		_, err := f.cx.RegisterBillingMethod(ctx(), child.PartnerSID, ptnVisa())
		require.NoError(t, err)
		assert.Equal(t, 404, statusOf(ptnOther(f).DeleteBillingMethod(ctx(), child.PartnerSID)))
		require.NoError(t, f.cx.DeleteBillingMethod(ctx(), child.PartnerSID))
		_, err = f.cx.GetBillingMethod(ctx(), child.PartnerSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeleteBillingMethod(ctx(), child.PartnerSID)), "nothing left to delete")
	}
	exercised["core GET /partners/{partner_sid}/effective_rates"] = func(t *testing.T, f *fixture) {
		rates, err := f.cx.EffectiveRates(ctx(), f.creds.PartnerSID)
		require.NoError(t, err)
		require.NotEmpty(t, rates)
		types := map[string]bool{}
		for _, r := range rates {
			assert.Equal(t, f.creds.PartnerSID, r.Assignment.PartnerSID)
			assert.True(t, r.Assignment.IsActive())
			assert.False(t, r.Inherited)
			assert.Equal(t, r.Assignment.PlanSID, r.Plan.PlanSID)
			assert.Equal(t, r.Assignment.PlanName, r.Plan.Name)
			require.NotNil(t, r.Assignment.EffectiveDate)
			types[r.Assignment.Type+"/"+r.Assignment.Direction] = true
		}
		assert.True(t, types["pstn/inbound"] && types["pstn/outbound"], "voice plans in both directions: %v", types)

		child, _ := ptnChild(t, f, f.cx)
		inherited, err := f.cx.EffectiveRates(ctx(), child.PartnerSID)
		require.NoError(t, err)
		require.Len(t, inherited, len(rates))
		for i, r := range inherited {
			assert.True(t, r.Inherited, "a sub-partner has its parent's plans")
			assert.Equal(t, rates[i].Plan.PlanSID, r.Plan.PlanSID)
		}
		_, err = f.cx.EffectiveRates(ctx(), f.sb.OtherPartner().PartnerSID)
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["core POST /phonenumber/{did_sid}/messaging"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{}.Eq("capabilities", 31))
		const campaign = "fef13cdd-2f65-4ed8-8272-de2a940d0cb5"
		m, err := f.cx.SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: true,
			Type: carrierx.Set(carrierx.MessagingA2P), CampaignSID: carrierx.Set(campaign)}, false)
		require.NoError(t, err)
		assert.Equal(t, carrierx.MessagingInProgress, m.Status)
		assert.True(t, m.Enabled)
		require.NotNil(t, m.CampaignExternalID)
		assert.True(t, strings.HasPrefix(*m.CampaignExternalID, "C"))
		got, err := f.cx.GetDID(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, 31, got.ActiveCapabilities, "messaging capabilities are active once enabled")

		_, err = f.cx.SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: true,
			CampaignSID: carrierx.Set("0c8a4f4e-6c3b-4f0e-9d7e-1f2a3b4c5d6e")}, false)
		assert.Equal(t, 422, statusOf(err), "changing the campaign of an enabled DID needs force")
		m, err = f.cx.SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: true,
			CampaignSID: carrierx.Set("0c8a4f4e-6c3b-4f0e-9d7e-1f2a3b4c5d6e")}, true)
		require.NoError(t, err)
		assert.Equal(t, "0c8a4f4e-6c3b-4f0e-9d7e-1f2a3b4c5d6e", *m.CampaignSID)
		_, err = f.cx.SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: true, Type: carrierx.Set(carrierx.MessagingP2P)}, true)
		assert.Equal(t, 422, statusOf(err), "p2p is not enabled for the partner")

		m, err = f.cx.SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: false}, false)
		require.NoError(t, err)
		assert.Equal(t, carrierx.MessagingDisabled, m.Status)
		got, err = f.cx.GetDID(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, 4, got.ActiveCapabilities, "voice only once disabled")

		voice := ptnRent(t, f.cx, carrierx.Filter{}.Eq("capabilities", 4))
		_, err = f.cx.SetDIDMessaging(ctx(), voice.DIDSID, carrierx.DIDMessagingRequest{Enabled: true}, false)
		assert.Equal(t, 404, statusOf(err), "a voice-only DID cannot message (documented 404)")
		_, err = ptnOther(f).SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: true}, false)
		assert.Equal(t, 404, statusOf(err), "another partner's DID is not found")
	}
	exercised["core GET /phonenumber/{did_sid}/messaging"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{}.Bit("capabilities", int(carrierx.CapSendSMS)))
		m, err := f.cx.GetDIDMessaging(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, carrierx.MessagingDisabled, m.Status)
		assert.False(t, m.Enabled)
		assert.Equal(t, d.DIDSID, m.DIDSID)
		_, err = f.cx.SetDIDMessaging(ctx(), d.DIDSID, carrierx.DIDMessagingRequest{Enabled: true}, false)
		require.NoError(t, err)
		m, err = f.cx.GetDIDMessaging(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, carrierx.MessagingEnabled, m.Status)
		require.NotNil(t, m.Type)
		assert.Equal(t, carrierx.MessagingA2P, *m.Type, "a2p is the partner default")

		voice := ptnRent(t, f.cx, carrierx.Filter{}.Eq("capabilities", 4))
		_, err = f.cx.GetDIDMessaging(ctx(), voice.DIDSID)
		assert.Equal(t, 404, statusOf(err))
		_, err = ptnOther(f).GetDIDMessaging(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err))
	}

	exercised["core GET /phonenumber/dids/{did_sid}/emergency"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{})
		_, err := f.cx.GetDIDEmergency(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err), "no emergency record until one is set")
		set, err := f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{CallerName: carrierx.Set("John Smith"),
			Enabled: carrierx.Set(true), Locations: carrierx.Set([]carrierx.EmergencyLocation{ptnLocation()})})
		require.NoError(t, err)
		got, err := f.cx.GetDIDEmergency(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, *set, *got)
		_, err = ptnOther(f).GetDIDEmergency(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err), "another partner's DID is not found")
	}
	exercised["core PATCH/PUT /phonenumber/dids/{did_sid}/emergency"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{})
		loc := ptnLocation()
		e, err := f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{CallerName: carrierx.Set("John Smith"),
			Enabled: carrierx.Set(true), Locations: carrierx.Set([]carrierx.EmergencyLocation{loc})})
		require.NoError(t, err)
		require.Len(t, e.Locations, 1)
		assert.Equal(t, loc, e.Locations[0])
		e, err = f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{CallerName: carrierx.Set("J Smith")})
		require.NoError(t, err)
		assert.Equal(t, "J Smith", *e.CallerName)
		assert.Len(t, e.Locations, 1, "PATCH keeps what it does not name")

		second := loc
		second.Address1, second.City, second.State, second.Zip = "600 Boll Weevil Cir", "Enterprise", "AL", "36330"
		e.Locations = append(e.Locations, second)
		e, err = f.cx.ReplaceDIDEmergency(ctx(), d.DIDSID, *e)
		require.NoError(t, err)
		assert.Len(t, e.Locations, 2)

		bad := loc
		bad.State = "XX"
		_, err = f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{Locations: carrierx.Set([]carrierx.EmergencyLocation{bad})})
		assert.Equal(t, 422, statusOf(err), "state is a US state code")
		bad = loc
		bad.City = ""
		_, err = f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{Locations: carrierx.Set([]carrierx.EmergencyLocation{bad})})
		assert.Equal(t, 422, statusOf(err), "city is required")
		bad = loc
		bad.Zip = "ABCDE"
		_, err = f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{Locations: carrierx.Set([]carrierx.EmergencyLocation{bad})})
		assert.Equal(t, 422, statusOf(err), "zip is a US ZIP code")
		_, err = f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{Locations: carrierx.Set([]carrierx.EmergencyLocation{})})
		assert.Equal(t, 422, statusOf(err), "an enabled record needs a location")
		_, err = ptnOther(f).UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{CallerName: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))
		got, err := f.cx.GetDIDEmergency(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, *e, *got, "failed updates change nothing")
	}
	exercised["core DELETE /phonenumber/dids/{did_sid}/emergency"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{})
		_, err := f.cx.UpdateDIDEmergency(ctx(), d.DIDSID, carrierx.DIDEmergencyUpdate{CallerName: carrierx.Set("x")})
		require.NoError(t, err)
		assert.Equal(t, 404, statusOf(ptnOther(f).DeleteDIDEmergency(ctx(), d.DIDSID)))
		require.NoError(t, f.cx.DeleteDIDEmergency(ctx(), d.DIDSID))
		_, err = f.cx.GetDIDEmergency(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err), "deleting clears the record")
		assert.Equal(t, 404, statusOf(f.cx.DeleteDIDEmergency(ctx(), d.DIDSID)))
	}

	exercised["core GET /phonenumber/dids/{did_sid}/line_information"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{})
		_, err := f.cx.GetDIDLineInformation(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err), "no line information until it is set")
		set, err := f.cx.UpdateDIDLineInformation(ctx(), d.DIDSID, carrierx.DIDLineInformationUpdate{CallerName: carrierx.Set("John Smith")})
		require.NoError(t, err)
		got, err := f.cx.GetDIDLineInformation(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, *set, *got)
		assert.Equal(t, "none", got.ClassOfService, "documented default")
		assert.Equal(t, "public", got.Privacy, "documented default")
		assert.Equal(t, "block_third_number_collect", got.Screening, "documented default")
		_, err = ptnOther(f).GetDIDLineInformation(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core PATCH/PUT /phonenumber/dids/{did_sid}/line_information"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{})
		li, err := f.cx.UpdateDIDLineInformation(ctx(), d.DIDSID, carrierx.DIDLineInformationUpdate{CallerName: carrierx.Set("John Smith"),
			ClassOfService: carrierx.Set("business"), Enabled: carrierx.Set(true)})
		require.NoError(t, err)
		assert.Equal(t, "business", li.ClassOfService)
		assert.True(t, li.Enabled)
		li.Screening = "allow_all"
		li.ExtendedBusinessName = ptnStr("J Smith Carpenter")
		li, err = f.cx.ReplaceDIDLineInformation(ctx(), d.DIDSID, *li)
		require.NoError(t, err)
		assert.Equal(t, "allow_all", li.Screening)
		assert.Equal(t, "business", li.ClassOfService)
		assert.Equal(t, "J Smith Carpenter", *li.ExtendedBusinessName)

		_, err = f.cx.UpdateDIDLineInformation(ctx(), d.DIDSID, carrierx.DIDLineInformationUpdate{CallerName: carrierx.Set("A very long caller name")})
		assert.Equal(t, 422, statusOf(err), "a CNAM caller name has at most 15 characters")
		_, err = f.cx.UpdateDIDLineInformation(ctx(), d.DIDSID, carrierx.DIDLineInformationUpdate{Privacy: carrierx.Set("hidden")})
		assert.Equal(t, 422, statusOf(err))
		_, err = ptnOther(f).UpdateDIDLineInformation(ctx(), d.DIDSID, carrierx.DIDLineInformationUpdate{Enabled: carrierx.Set(false)})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /phonenumber/dids/{did_sid}/line_information"] = func(t *testing.T, f *fixture) {
		d := ptnRent(t, f.cx, carrierx.Filter{})
		_, err := f.cx.UpdateDIDLineInformation(ctx(), d.DIDSID, carrierx.DIDLineInformationUpdate{Enabled: carrierx.Set(true)})
		require.NoError(t, err)
		assert.Equal(t, 404, statusOf(ptnOther(f).DeleteDIDLineInformation(ctx(), d.DIDSID)))
		require.NoError(t, f.cx.DeleteDIDLineInformation(ctx(), d.DIDSID))
		_, err = f.cx.GetDIDLineInformation(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 404, statusOf(f.cx.DeleteDIDLineInformation(ctx(), d.DIDSID)))
	}
}

var ptnSeq atomic.Int64

// ptnLogin is a partner login no other call has used.
func ptnLogin() string { return "sub" + strconv.FormatInt(ptnSeq.Add(1), 10) }

// ptnChild creates a sub-partner of the partner parent authenticates as,
// and returns it with a client that logs in as it (HTTP Basic).
func ptnChild(t *testing.T, f *fixture, parent *carrierx.Client) (*carrierx.Partner, *carrierx.Client) {
	t.Helper()
	login := ptnLogin()
	p, err := parent.CreatePartner(ctx(), carrierx.PartnerUpdate{Login: carrierx.Set(login), Password: carrierx.Set("pw-" + login),
		Name: carrierx.Set(login + " Inc.")})
	require.NoError(t, err)
	return p, f.anon.WithBasic(login, "pw-"+login)
}

// ptnOther is a client of the second seeded partner (HTTP Basic).
func ptnOther(f *fixture) *carrierx.Client {
	o := f.sb.OtherPartner()
	return f.anon.WithBasic(o.Login, o.Password)
}

// ptnRent rents an available number matching filter for the client's partner.
func ptnRent(t *testing.T, c *carrierx.Client, filter carrierx.Filter) *carrierx.DID {
	t.Helper()
	p, err := c.ListAvailableDIDs(ctx(), carrierx.ListOptions{Limit: 1, Order: "shuffle", Filter: filter})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items, "no available number matches %s", filter)
	d, err := c.RentDID(ctx(), carrierx.RentDIDRequest{Phonenumber: p.Items[0].Phonenumber})
	require.NoError(t, err)
	return d
}

// ptnVisa is CarrierX's register sample.
func ptnVisa() carrierx.BillingMethodRequest {
	return carrierx.BillingMethodRequest{Type: carrierx.BillingVisa, CCNumber: "4012888818888", CCExpiration: "022019",
		CCCID: "318", FirstName: "John", LastName: "Smith", Address1: "4300 E Pacific Coast Hwy", Address2: "Suite 1",
		City: "Los Angeles", State: "CA", Zip: "90804", CountryCode: "USA", Phone: "15162065574"}
}

func ptnLocation() carrierx.EmergencyLocation {
	return carrierx.EmergencyLocation{Address1: "8104 E Nora Ave", Address2: ptnStr(""), City: "Spokane Valley",
		CountryCode: "USA", State: "WA", Zip: "99212"}
}

func ptnStr(s string) *string { return &s }

func ptnRaw(b []byte) []json.RawMessage { return []json.RawMessage{b} }
