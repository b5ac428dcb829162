package carrierx_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

func init() {
	exercised["core POST /endpoints"] = func(t *testing.T, f *fixture) {
		e := epThirdParty(t, f)
		assert.Equal(t, carrierx.EndpointThirdParty, e.Type)
		assert.Equal(t, "pbx", e.Name)
		assert.Equal(t, f.creds.PartnerSID, e.PartnerSID)
		require.NotNil(t, e.VoIPToken, "a third_party endpoint gets a voip_token")
		assert.NotEmpty(t, *e.VoIPToken)
		require.Len(t, e.Addresses, 1)
		a := e.Addresses[0]
		assert.Equal(t, "198.51.100.10", a.IP)
		assert.Equal(t, 5060, a.Port, "port defaults to 5060")
		assert.Equal(t, "any", a.Direction)
		assert.Equal(t, "udp", a.Transport)
		assert.Empty(t, e.Properties)

		for typ, prefix := range map[string]string{carrierx.EndpointConference: "/conference/v1",
			carrierx.EndpointConferenceV2: "/conference/v2", carrierx.EndpointFlexML: "/flexml/v1",
			carrierx.EndpointMediator: "/mediator/v1"} {
			h := epHosted(t, f, typ)
			assert.Equal(t, f.base+prefix, h.APIURL(), typ)
			login, password := h.APICredentials()
			assert.NotEmpty(t, login, typ)
			assert.NotEmpty(t, password, typ)
			assert.NotEmpty(t, h.Properties["account_sid"], typ)
			ct, err := f.cx.GetContainer(ctx(), h.Properties["container_sid"])
			if assert.NoError(t, err, "%s: container_sid names one of the partner's containers", typ) {
				assert.Equal(t, f.creds.PartnerSID, ct.PartnerSID)
			}
			assert.Nil(t, h.VoIPToken, typ)
			assert.NotContains(t, h.String(), password, "String leaves the password out")
		}

		for _, tc := range []struct {
			field string
			u     carrierx.EndpointUpdate
		}{
			{"type", carrierx.EndpointUpdate{Name: carrierx.Set("no type")}},
			{"type", carrierx.EndpointUpdate{Type: carrierx.Set(carrierx.EndpointSystemGateway)}},
			{"type", carrierx.EndpointUpdate{Type: carrierx.Set("fax")}},
			{"addresses", carrierx.EndpointUpdate{Type: carrierx.Set(carrierx.EndpointFlexML),
				Addresses: carrierx.Set([]carrierx.EndpointAddress{{IP: "198.51.100.10"}})}},
			{"addresses[0].port", carrierx.EndpointUpdate{Type: carrierx.Set(carrierx.EndpointThirdParty),
				Addresses: carrierx.Set([]carrierx.EndpointAddress{{Port: 70000, IP: "198.51.100.10"}})}},
			{"addresses[0].ip", carrierx.EndpointUpdate{Type: carrierx.Set(carrierx.EndpointThirdParty),
				Addresses: carrierx.Set([]carrierx.EndpointAddress{{Port: 5070}})}},
		} {
			_, err := f.cx.CreateEndpoint(ctx(), tc.u)
			require.Equal(t, 422, statusOf(err), tc.field)
			var cxErr *carrierx.Error
			require.ErrorAs(t, err, &cxErr)
			assert.Contains(t, cxErr.FieldMessages(), tc.field)
		}
	}
	exercised["core GET /endpoints"] = func(t *testing.T, f *fixture) {
		gw, err := f.cx.ListEndpoints(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("type", carrierx.EndpointSystemGateway)})
		require.NoError(t, err)
		require.Len(t, gw.Items, 1, "every partner has one System Gateway")
		assert.Equal(t, "System Gateway", gw.Items[0].Name)
		require.NotNil(t, gw.Total, "endpoints are listed with a total")

		h := epHosted(t, f, carrierx.EndpointFlexML)
		login, _ := h.APICredentials()
		p, err := f.cx.ListEndpoints(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("properties.login", login)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, "the documented properties.login filter finds the endpoint")
		assert.Equal(t, h.EndpointSID, p.Items[0].EndpointSID)

		found := false
		for e, err := range f.cx.AllEndpoints(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || e.EndpointSID == h.EndpointSID
		}
		assert.True(t, found, "iterating page by page finds the new endpoint")

		op, err := otherPartner(f).ListEndpoints(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		for _, e := range op.Items {
			assert.Equal(t, f.sb.OtherPartner().PartnerSID, e.PartnerSID, "another partner sees its own endpoints only")
		}
		types := map[string]int{}
		for _, e := range op.Items {
			types[string(e.Type)]++
		}
		assert.Equal(t, map[string]int{"system_gateway": 1, "third_party": 1}, types,
			"the other partner's System Gateway and the SIP equipment of its one trunk group")
	}
	exercised["core GET /endpoints/{endpoint_sid}"] = func(t *testing.T, f *fixture) {
		e := epThirdParty(t, f)
		got, err := f.cx.GetEndpoint(ctx(), e.EndpointSID)
		require.NoError(t, err)
		assert.Equal(t, *e, *got)
		_, err = otherPartner(f).GetEndpoint(ctx(), e.EndpointSID)
		assert.Equal(t, 404, statusOf(err), "another partner's endpoint is not found")
		_, err = f.cx.GetEndpoint(ctx(), "")
		assert.Error(t, err)
	}
	exercised["core PATCH/PUT /endpoints/{endpoint_sid}"] = func(t *testing.T, f *fixture) {
		e := epThirdParty(t, f)
		got, err := f.cx.UpdateEndpoint(ctx(), e.EndpointSID, carrierx.EndpointUpdate{Capacity: carrierx.Set(20)})
		require.NoError(t, err)
		assert.Equal(t, 20, got.Capacity)
		assert.Equal(t, "pbx", got.Name, "PATCH keeps what it does not name")
		assert.Equal(t, e.Addresses, got.Addresses)
		assert.Equal(t, e.VoIPToken, got.VoIPToken)

		got.Name = "pbx 2"
		got.Addresses = append(got.Addresses, carrierx.EndpointAddress{IP: "sip.example.net", Transport: "tcp", Priority: 1})
		got, err = f.cx.ReplaceEndpoint(ctx(), e.EndpointSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "pbx 2", got.Name)
		assert.Equal(t, 20, got.Capacity)
		require.Len(t, got.Addresses, 2)
		assert.Equal(t, "tcp", got.Addresses[1].Transport)
		again, err := f.cx.GetEndpoint(ctx(), e.EndpointSID)
		require.NoError(t, err)
		assert.Equal(t, *got, *again, "the change is stored")

		_, err = f.cx.UpdateEndpoint(ctx(), e.EndpointSID, carrierx.EndpointUpdate{Type: carrierx.Set(carrierx.EndpointFlexML)})
		assert.Equal(t, 422, statusOf(err), "type cannot be changed")
		h := epHosted(t, f, carrierx.EndpointMediator)
		hp, err := f.cx.UpdateEndpoint(ctx(), h.EndpointSID, carrierx.EndpointUpdate{Name: carrierx.Set("renamed")})
		require.NoError(t, err)
		assert.Equal(t, h.Properties, hp.Properties, "properties survive an update")

		_, err = f.cx.UpdateEndpoint(ctx(), epGateway(t, f).EndpointSID, carrierx.EndpointUpdate{Name: carrierx.Set("mine")})
		assert.Equal(t, 403, statusOf(err), "the System Gateway cannot be changed")
		_, err = otherPartner(f).UpdateEndpoint(ctx(), e.EndpointSID, carrierx.EndpointUpdate{Name: carrierx.Set("theirs")})
		assert.Equal(t, 404, statusOf(err))
	}
	exercised["core DELETE /endpoints/{endpoint_sid}"] = func(t *testing.T, f *fixture) {
		e := epThirdParty(t, f)
		assert.Equal(t, 404, statusOf(otherPartner(f).DeleteEndpoint(ctx(), e.EndpointSID)))

		g := trunkGroup(t, f)
		trunk := g.Trunks[0]
		_, err := f.cx.UpdateTrunk(ctx(), g.TrunkGroupSID, trunk.TrunkSID, carrierx.TrunkUpdate{EndpointSID: carrierx.Set(e.EndpointSID)})
		require.NoError(t, err)
		err = f.cx.DeleteEndpoint(ctx(), e.EndpointSID)
		require.Equal(t, 409, statusOf(err), "an endpoint a trunk routes to is not deleted")
		var cxErr *carrierx.Error
		require.ErrorAs(t, err, &cxErr)
		require.NotEmpty(t, cxErr.Errors)
		require.NotNil(t, cxErr.Errors[0].ReferenceSID)
		assert.Equal(t, trunk.TrunkSID, *cxErr.Errors[0].ReferenceSID)

		require.NoError(t, f.cx.DeleteTrunk(ctx(), g.TrunkGroupSID, trunk.TrunkSID))
		require.NoError(t, f.cx.DeleteEndpoint(ctx(), e.EndpointSID))
		_, err = f.cx.GetEndpoint(ctx(), e.EndpointSID)
		assert.Equal(t, 404, statusOf(err))
		assert.Equal(t, 403, statusOf(f.cx.DeleteEndpoint(ctx(), epGateway(t, f).EndpointSID)), "the System Gateway stays")
	}

	exercised["core POST /sms/messages"] = func(t *testing.T, f *fixture) {
		from := smsDID(t, f)
		m, err := f.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: "+" + from.Phonenumber, To: "15162065574", Message: "This is a test message"})
		require.NoError(t, err)
		assert.Equal(t, "queued", m.Status)
		assert.Equal(t, "sms", m.Type)
		assert.Equal(t, "outbound", m.Direction)
		assert.Equal(t, from.Phonenumber, m.From, "numbers are stored without +")
		assert.Equal(t, "15162065574", m.To)
		assert.Equal(t, 1, m.MessageSegments)
		assert.Equal(t, f.creds.PartnerSID, m.PartnerSID)
		assert.NotEmpty(t, m.MessageSID)
		assert.NotNil(t, m.DateCreated)
		assert.Nil(t, m.DateStatusChanged)
		assert.False(t, m.Price.Valid, "price is null until rated")
		assert.Equal(t, []string{}, m.MediaURLs)

		two, err := f.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: from.Phonenumber, To: "15162065574", Message: smsText(161)})
		require.NoError(t, err)
		assert.Equal(t, 2, two.MessageSegments, "161 GSM characters take two segments")
		uni, err := f.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: from.Phonenumber, To: "15162065574", Message: "Привет, " + smsText(70)})
		require.NoError(t, err)
		assert.Equal(t, 2, uni.MessageSegments, "78 UCS-2 characters take two segments")

		mms, err := f.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: from.Phonenumber, To: "15162065574",
			MediaURLs: []string{"https://example.com/cat.jpg"}})
		require.NoError(t, err)
		assert.Equal(t, "mms", mms.Type)
		assert.Equal(t, []string{"https://example.com/cat.jpg"}, mms.MediaURLs)

		otherNumber := smsOtherNumber(t, f)
		for _, tc := range []struct {
			field string
			req   carrierx.SendMessageRequest
		}{
			{"from", carrierx.SendMessageRequest{To: "15162065574", Message: "hi"}},
			{"from", carrierx.SendMessageRequest{From: otherNumber, To: "15162065574", Message: "hi"}},
			{"from", carrierx.SendMessageRequest{From: available(t, f).Phonenumber, To: "15162065574", Message: "hi"}},
			{"to", carrierx.SendMessageRequest{From: from.Phonenumber, Message: "hi"}},
			{"to", carrierx.SendMessageRequest{From: from.Phonenumber, To: "12ab", Message: "hi"}},
			{"message", carrierx.SendMessageRequest{From: from.Phonenumber, To: "15162065574"}},
			{"message", carrierx.SendMessageRequest{From: from.Phonenumber, To: "15162065574", Message: smsText(1601)}},
			{"media_urls[0]", carrierx.SendMessageRequest{From: from.Phonenumber, To: "15162065574", MediaURLs: []string{"ftp://example.com/a"}}},
		} {
			_, err := f.cx.SendMessage(ctx(), tc.req)
			require.Equal(t, 422, statusOf(err), "%+v", tc.req)
			var cxErr *carrierx.Error
			require.ErrorAs(t, err, &cxErr)
			assert.Contains(t, cxErr.FieldMessages(), tc.field, "%+v", tc.req)
		}
	}
	exercised["core GET /sms/messages"] = func(t *testing.T, f *fixture) {
		m := smsSend(t, f, "listed")
		p, err := f.cx.ListMessages(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("message_sid", m.MessageSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, "listed", p.Items[0].Message)

		found := false
		for it, err := range f.cx.AllMessages(ctx(), carrierx.ListOptions{Limit: 1}) {
			require.NoError(t, err)
			found = found || it.MessageSID == m.MessageSID
		}
		assert.True(t, found)

		op, err := otherPartner(f).ListMessages(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, op.Items, "another partner does not see the message")
	}
	exercised["core GET /sms/messages/{message_sid}"] = func(t *testing.T, f *fixture) {
		m := smsSend(t, f, "one")
		got, err := f.cx.GetMessage(ctx(), m.MessageSID)
		require.NoError(t, err)
		assert.Equal(t, m.MessageSID, got.MessageSID)
		assert.Equal(t, "one", got.Message)
		_, err = otherPartner(f).GetMessage(ctx(), m.MessageSID)
		assert.Equal(t, 404, statusOf(err), "another partner's message is not found")

		// The status moves with the sandbox clock.
		c := newSMSClockFixture(t)
		sent, err := c.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: c.from, To: "15162065574", Message: "tick"})
		require.NoError(t, err)
		require.Equal(t, "queued", sent.Status)
		c.advance(time.Second)
		got, err = c.cx.GetMessage(ctx(), sent.MessageSID)
		require.NoError(t, err)
		assert.Equal(t, "queued", got.Status, "still queued after a second")
		c.advance(5 * time.Second)
		got, err = c.cx.GetMessage(ctx(), sent.MessageSID)
		require.NoError(t, err)
		assert.Equal(t, "sent", got.Status, "sent a few seconds later")
		require.NotNil(t, got.DateStatusChanged)
		assert.Equal(t, sent.DateCreated.Add(2*time.Second), *got.DateStatusChanged)
		p, err := c.cx.ListMessages(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("status", "sent")})
		require.NoError(t, err)
		assert.Len(t, p.Items, 1, "filters see the current status")
	}
	exercised["core PATCH/PUT /sms/messages/{message_sid}"] = func(t *testing.T, f *fixture) {
		m := smsSend(t, f, "update me")
		got, err := f.cx.UpdateMessage(ctx(), m.MessageSID, carrierx.SMSMessageUpdate{UserData: carrierx.Set("ticket-42")})
		require.NoError(t, err)
		require.NotNil(t, got.UserData)
		assert.Equal(t, "ticket-42", *got.UserData)
		assert.Equal(t, "update me", got.Message, "PATCH keeps what it does not name")

		got.UserData = nil
		got, err = f.cx.ReplaceMessage(ctx(), m.MessageSID, *got)
		require.NoError(t, err)
		assert.Nil(t, got.UserData)
		again, err := f.cx.GetMessage(ctx(), m.MessageSID)
		require.NoError(t, err)
		assert.Nil(t, again.UserData, "the change is stored")

		_, err = otherPartner(f).UpdateMessage(ctx(), m.MessageSID, carrierx.SMSMessageUpdate{UserData: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err))

		// Read-modify-write after the status moved on is accepted.
		c := newSMSClockFixture(t)
		sent, err := c.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: c.from, To: "15162065574", Message: "later"})
		require.NoError(t, err)
		c.advance(time.Minute)
		cur, err := c.cx.GetMessage(ctx(), sent.MessageSID)
		require.NoError(t, err)
		require.Equal(t, "sent", cur.Status)
		cur.UserData = new("after")
		cur, err = c.cx.ReplaceMessage(ctx(), sent.MessageSID, *cur)
		require.NoError(t, err)
		assert.Equal(t, "sent", cur.Status)
		assert.Equal(t, "after", *cur.UserData)
	}
	exercised["core PATCH/PUT /sms/message_drs/{dr_sid}"] = func(t *testing.T, f *fixture) {
		p, err := f.cx.ListMessageDRs(ctx(), carrierx.ListOptions{Limit: 1})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items)
		sid := p.Items[0].DRSID
		got, err := f.cx.UpdateMessageDR(ctx(), sid, carrierx.MessageDRUpdate{UserData: carrierx.Set("crm-7")})
		require.NoError(t, err)
		require.NotNil(t, got.UserData)
		assert.Equal(t, "crm-7", *got.UserData)
		assert.Equal(t, p.Items[0].Status, got.Status, "PATCH keeps what it does not name")
		again, err := f.cx.GetMessageDR(ctx(), sid)
		require.NoError(t, err)
		require.NotNil(t, again.UserData)
		assert.Equal(t, "crm-7", *again.UserData, "the change is stored")

		again.UserData = new("crm-8")
		got, err = f.cx.ReplaceMessageDR(ctx(), sid, *again)
		require.NoError(t, err)
		require.NotNil(t, got.UserData)
		assert.Equal(t, "crm-8", *got.UserData)
		got.UserData = nil
		got, err = f.cx.ReplaceMessageDR(ctx(), sid, *got)
		require.NoError(t, err)
		assert.Nil(t, got.UserData, "PUT without user_data clears it")

		_, err = otherPartner(f).UpdateMessageDR(ctx(), sid, carrierx.MessageDRUpdate{UserData: carrierx.Set("x")})
		assert.Equal(t, 404, statusOf(err), "another partner's record is not found")
	}
}

// epThirdParty creates a third_party endpoint named "pbx" with one address.
func epThirdParty(t *testing.T, f *fixture) *carrierx.Endpoint {
	t.Helper()
	e, err := f.cx.CreateEndpoint(ctx(), carrierx.EndpointUpdate{Type: carrierx.Set(carrierx.EndpointThirdParty),
		Name: carrierx.Set("pbx"), Addresses: carrierx.Set([]carrierx.EndpointAddress{{IP: "198.51.100.10"}})})
	require.NoError(t, err)
	return e
}

func epHosted(t *testing.T, f *fixture, typ string) *carrierx.Endpoint {
	t.Helper()
	e, err := f.cx.CreateEndpoint(ctx(), carrierx.EndpointUpdate{Type: carrierx.Set(typ), Name: carrierx.Set(typ + " app")})
	require.NoError(t, err)
	require.Equal(t, typ, e.Type)
	return e
}

func epGateway(t *testing.T, f *fixture) carrierx.Endpoint {
	t.Helper()
	p, err := f.cx.ListEndpoints(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("type", carrierx.EndpointSystemGateway)})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	return p.Items[0]
}

// smsDID rents a number that can send SMS and MMS.
func smsDID(t *testing.T, f *fixture) *carrierx.DID {
	t.Helper()
	return smsRent(t, f.cx)
}

func smsRent(t *testing.T, cx *carrierx.Client) *carrierx.DID {
	t.Helper()
	p, err := cx.ListAvailableDIDs(ctx(), carrierx.ListOptions{Limit: 1, Order: "shuffle",
		Filter: carrierx.Filter{}.Eq("capabilities", 31)})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	d, err := cx.RentDID(ctx(), carrierx.RentDIDRequest{Phonenumber: p.Items[0].Phonenumber})
	require.NoError(t, err)
	return d
}

// smsOtherNumber is a number the other partner rents.
func smsOtherNumber(t *testing.T, f *fixture) string {
	t.Helper()
	p, err := otherPartner(f).ListDIDs(ctx(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	return p.Items[0].Phonenumber
}

func smsSend(t *testing.T, f *fixture, text string) *carrierx.SMSMessage {
	t.Helper()
	m, err := f.cx.SendMessage(ctx(), carrierx.SendMessageRequest{From: smsDID(t, f).Phonenumber, To: "15162065574", Message: text})
	require.NoError(t, err)
	return m
}

func smsText(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}

// smsClockFixture is a small sandbox whose clock the test moves, with a
// demo client and a rented number that can send messages.
type smsClockFixture struct {
	mu   sync.Mutex
	now  time.Time
	cx   *carrierx.Client
	from string
}

func (c *smsClockFixture) clock() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *smsClockFixture) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newSMSClockFixture(t *testing.T) *smsClockFixture {
	t.Helper()
	c := &smsClockFixture{now: time.Date(2025, 5, 18, 15, 32, 15, 589e6, time.UTC)}
	sb := sandbox.New(sandbox.Config{AvailableDIDs: 200, RentedDIDs: -1, CDRs: -1, MessageDRs: -1,
		ConferenceMeetings: -1, MediatorCalls: -1, Now: c.clock})
	base, stop, err := sb.Listen("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = stop(context.Background()) })
	creds := sb.DemoPartner()
	c.cx = carrierx.New(base, carrierx.WithTimeout(30*time.Second)).WithBasic(creds.Login, creds.Password)
	c.from = smsRent(t, c.cx).Phonenumber
	return c
}
