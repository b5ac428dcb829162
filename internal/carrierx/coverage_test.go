package carrierx_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// methodRow is one row of testdata/carrierx-methods.tsv, the user's list of
// CarrierX's methods.
type methodRow struct{ API, Section, Object, Action, Method, Path string }

func (r methodRow) key() string { return r.API + " " + r.Method + " " + r.Path }

func readMethods(t *testing.T) []methodRow {
	t.Helper()
	f, err := os.Open("../../testdata/carrierx-methods.tsv")
	require.NoError(t, err)
	defer f.Close()
	var rows []methodRow
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if first {
			continue // header
		}
		c := strings.Split(sc.Text(), "\t")
		require.Len(t, c, 6, sc.Text())
		rows = append(rows, methodRow{c[0], c[1], c[2], c[3], c[4], c[5]})
	}
	require.NoError(t, sc.Err())
	return rows
}

// exercised calls each covered method through the client against the
// sandbox over HTTP and checks CarrierX's documented answer.
var exercised = map[string]func(t *testing.T, f *fixture){
	"core POST /oauth/token": func(t *testing.T, f *fixture) {
		tok, err := f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: f.creds.Login, Password: f.creds.Password})
		require.NoError(t, err)
		assert.NotEmpty(t, tok.AccessToken)
	},
	"core POST /oauth/revoke": func(t *testing.T, f *fixture) {
		tok, err := f.anon.CreateToken(ctx(), carrierx.TokenRequest{Login: f.creds.Login, Password: f.creds.Password})
		require.NoError(t, err)
		c := f.anon.WithBearer(tok.AccessToken)
		require.NoError(t, c.RevokeToken(ctx(), tok.AccessToken))
		_, err = c.WhoAmI(ctx())
		assert.Equal(t, 401, statusOf(err), "a revoked token is refused at once")
	},
	"core GET /oauth/tokens": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListTokens(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.NotEmpty(t, p.Items)
	},
	"core GET /oauth/tokens/{token_sid}": func(t *testing.T, f *fixture) {
		got, err := f.cx.GetToken(ctx(), f.token.TokenSID)
		require.NoError(t, err)
		assert.Equal(t, f.token.TokenSID, got.TokenSID)
	},
	"core GET /oauth/whoami": func(t *testing.T, f *fixture) {
		me, err := f.cx.WhoAmI(ctx())
		require.NoError(t, err)
		assert.Equal(t, f.creds.PartnerSID, me.PartnerSID)
	},
	"core GET /phonenumber/available_dids": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListAvailableDIDs(ctx(), carrierx.ListOptions{Limit: 3})
		require.NoError(t, err)
		assert.Len(t, p.Items, 3)
	},
	"core GET /phonenumber/available_dids/{did_sid}": func(t *testing.T, f *fixture) {
		a := available(t, f)
		got, err := f.cx.GetAvailableDID(ctx(), a.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, a.Phonenumber, got.Phonenumber)
	},
	"core GET /phonenumber/coverage": func(t *testing.T, f *fixture) {
		p, err := f.cx.Coverage(ctx(), "state", carrierx.ListOptions{})
		require.NoError(t, err)
		assert.NotEmpty(t, p.Items)
	},
	"core POST /phonenumber/dids": func(t *testing.T, f *fixture) {
		d := rent(t, f)
		assert.Equal(t, "assigned", d.Status)
	},
	"core GET /phonenumber/dids": func(t *testing.T, f *fixture) {
		rent(t, f)
		p, err := f.cx.ListDIDs(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.NotEmpty(t, p.Items)
	},
	"core GET /phonenumber/dids/{did_sid}": func(t *testing.T, f *fixture) {
		d := rent(t, f)
		got, err := f.cx.GetDID(ctx(), d.DIDSID)
		require.NoError(t, err)
		assert.Equal(t, d.Phonenumber, got.Phonenumber)
	},
	"core PATCH/PUT /phonenumber/dids/{did_sid}": func(t *testing.T, f *fixture) {
		d := rent(t, f)
		got, err := f.cx.UpdateDID(ctx(), d.DIDSID, carrierx.DIDUpdate{Name: carrierx.Set("patched")})
		require.NoError(t, err)
		assert.Equal(t, "patched", got.Name)
		got.Name = "replaced"
		got, err = f.cx.ReplaceDID(ctx(), d.DIDSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "replaced", got.Name)
	},
	"core DELETE /phonenumber/dids/{did_sid}": func(t *testing.T, f *fixture) {
		d := rent(t, f)
		require.NoError(t, f.cx.ReleaseDID(ctx(), d.DIDSID))
		_, err := f.cx.GetDID(ctx(), d.DIDSID)
		assert.Equal(t, 404, statusOf(err))
	},
	"core POST /trunk_groups": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		assert.Equal(t, "coverage", g.Name)
		require.Len(t, g.Trunks, 1)
		assert.Equal(t, "first", g.Trunks[0].Name)
	},
	"core GET /trunk_groups": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		p, err := f.cx.ListTrunkGroups(ctx(), carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("trunk_group_sid", g.TrunkGroupSID)})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
	},
	"core GET /trunk_groups/{trunk_group_sid}": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		got, err := f.cx.GetTrunkGroup(ctx(), g.TrunkGroupSID)
		require.NoError(t, err)
		assert.Equal(t, g.Name, got.Name)
	},
	"core PATCH/PUT /trunk_groups/{trunk_group_sid}": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		got, err := f.cx.UpdateTrunkGroup(ctx(), g.TrunkGroupSID, carrierx.TrunkGroupUpdate{HardFailureThreshold: carrierx.Set(5)})
		require.NoError(t, err)
		assert.Equal(t, 5, got.HardFailureThreshold)
		assert.Equal(t, "coverage", got.Name, "PATCH keeps what it does not name")
		got.Name = "replaced"
		got, err = f.cx.ReplaceTrunkGroup(ctx(), g.TrunkGroupSID, *got)
		require.NoError(t, err)
		assert.Equal(t, "replaced", got.Name)
		assert.Equal(t, 5, got.HardFailureThreshold)
	},
	"core DELETE /trunk_groups/{trunk_group_sid}": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		require.NoError(t, f.cx.DeleteTrunkGroup(ctx(), g.TrunkGroupSID))
		_, err := f.cx.GetTrunkGroup(ctx(), g.TrunkGroupSID)
		assert.Equal(t, 404, statusOf(err))
	},
	"core POST /trunk_groups/{trunk_group_sid}/trunks": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		tr, err := f.cx.CreateTrunk(ctx(), g.TrunkGroupSID, carrierx.TrunkUpdate{Name: carrierx.Set("second"), Priority: carrierx.Set(2), Weight: carrierx.Set(10)})
		require.NoError(t, err)
		assert.Equal(t, 2, tr.Priority)
		assert.Equal(t, 10, tr.Weight)
	},
	"core GET /trunk_groups/{trunk_group_sid}/trunks": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		n := 0
		for _, err := range f.cx.AllTrunks(ctx(), g.TrunkGroupSID, carrierx.ListOptions{}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1, n)
	},
	"core GET /trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		tr, err := f.cx.GetTrunk(ctx(), g.TrunkGroupSID, g.Trunks[0].TrunkSID)
		require.NoError(t, err)
		assert.Equal(t, "first", tr.Name)
	},
	"core PATCH/PUT /trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		sid := g.Trunks[0].TrunkSID
		tr, err := f.cx.UpdateTrunk(ctx(), g.TrunkGroupSID, sid, carrierx.TrunkUpdate{InCapacity: carrierx.Set(-1)})
		require.NoError(t, err)
		assert.Equal(t, -1, tr.InCapacity)
		tr.Name = "renamed"
		tr, err = f.cx.ReplaceTrunk(ctx(), g.TrunkGroupSID, sid, *tr)
		require.NoError(t, err)
		assert.Equal(t, "renamed", tr.Name)
		assert.Equal(t, -1, tr.InCapacity)
	},
	"core DELETE /trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}": func(t *testing.T, f *fixture) {
		g := trunkGroup(t, f)
		require.NoError(t, f.cx.DeleteTrunk(ctx(), g.TrunkGroupSID, g.Trunks[0].TrunkSID))
		_, err := f.cx.GetTrunk(ctx(), g.TrunkGroupSID, g.Trunks[0].TrunkSID)
		assert.Equal(t, 404, statusOf(err))
	},
	"core GET /calls/call_drs": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListCallDRs(ctx(), carrierx.ListOptions{Limit: 5})
		require.NoError(t, err)
		assert.Len(t, p.Items, 5)
		assert.Nil(t, p.Total, "records are listed without a total")
	},
	"core GET /calls/call_drs/{dr_sid}": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListCallDRs(ctx(), carrierx.ListOptions{Limit: 1})
		require.NoError(t, err)
		got, err := f.cx.GetCallDR(ctx(), p.Items[0].DRSID)
		require.NoError(t, err)
		assert.Equal(t, p.Items[0].DRSID, got.DRSID)
	},
	"core GET /sms/message_drs": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListMessageDRs(ctx(), carrierx.ListOptions{Limit: 5})
		require.NoError(t, err)
		assert.Len(t, p.Items, 5)
	},
	"core GET /sms/message_drs/{dr_sid}": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListMessageDRs(ctx(), carrierx.ListOptions{Limit: 1})
		require.NoError(t, err)
		got, err := f.cx.GetMessageDR(ctx(), p.Items[0].DRSID)
		require.NoError(t, err)
		assert.Equal(t, p.Items[0].DRSID, got.DRSID)
	},
	"core GET /app/conference/calls": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListConferenceCalls(ctx(), carrierx.ListOptions{Limit: 5})
		require.NoError(t, err)
		assert.Len(t, p.Items, 5)
	},
	"core GET /app/conference/calls/{call_sid}": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListConferenceCalls(ctx(), carrierx.ListOptions{Limit: 1})
		require.NoError(t, err)
		got, err := f.cx.GetConferenceCall(ctx(), p.Items[0].CallSID)
		require.NoError(t, err)
		assert.Equal(t, p.Items[0].CallSID, got.CallSID)
	},
	"core GET /app/conference/meetings": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListConferenceMeetings(ctx(), carrierx.ListOptions{Limit: 5})
		require.NoError(t, err)
		assert.Len(t, p.Items, 5)
	},
	"core GET /app/conference/meetings/{meeting_sid}": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListConferenceMeetings(ctx(), carrierx.ListOptions{Limit: 1})
		require.NoError(t, err)
		got, err := f.cx.GetConferenceMeeting(ctx(), p.Items[0].MeetingSID)
		require.NoError(t, err)
		assert.Equal(t, p.Items[0].MeetingSID, got.MeetingSID)
	},
	"core GET /app/mediator/calls": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListMediatorCalls(ctx(), carrierx.ListOptions{Limit: 5})
		require.NoError(t, err)
		assert.Len(t, p.Items, 5)
	},
	"core GET /invoices": func(t *testing.T, f *fixture) {
		p, err := f.cx.ListInvoices(ctx(), carrierx.ListOptions{})
		require.NoError(t, err)
		assert.NotEmpty(t, p.Items)
	},
	"core GET /invoices/{invoice_sid}": func(t *testing.T, f *fixture) {
		inv := invoice(t, f)
		got, err := f.cx.GetInvoice(ctx(), inv.InvoiceSID)
		require.NoError(t, err)
		assert.True(t, inv.Amount.Equal(got.Amount))
	},
	"core GET /invoices/{invoice_sid}.html": func(t *testing.T, f *fixture) {
		body := readAll(t, func() (io.ReadCloser, error) { return f.cx.InvoiceHTML(ctx(), invoice(t, f).InvoiceSID) })
		assert.Contains(t, body, "<html")
	},
	"core GET /invoices/{invoice_sid}.pdf": func(t *testing.T, f *fixture) {
		body := readAll(t, func() (io.ReadCloser, error) { return f.cx.InvoicePDF(ctx(), invoice(t, f).InvoiceSID) })
		assert.True(t, strings.HasPrefix(body, "%PDF-"))
	},
	"core POST /invoices/{invoice_sid}.html/emails": func(t *testing.T, f *fixture) {
		require.NoError(t, f.cx.EmailInvoice(ctx(), invoice(t, f).InvoiceSID, "html", []string{"finance@example.com"}))
	},
	"core POST /invoices/{invoice_sid}.pdf/emails": func(t *testing.T, f *fixture) {
		require.NoError(t, f.cx.EmailInvoice(ctx(), invoice(t, f).InvoiceSID, "pdf", []string{"finance@example.com"}))
	},
}

// TestEveryMethodIsExercisedAgainstTheSandbox holds the client and the sandbox
// to the user's method list: every row is exercised through the client
// against the sandbox over HTTP, and nothing else is.
func TestEveryMethodIsExercisedAgainstTheSandbox(t *testing.T) {
	rows := readMethods(t)
	require.Len(t, rows, 269)
	keys := map[string]bool{}
	for _, r := range rows {
		keys[r.key()] = true
	}
	for k := range exercised {
		assert.True(t, keys[k], "exercised %q is not a row of the method list", k)
	}
	var missing []string
	for _, r := range rows {
		if exercised[r.key()] == nil {
			missing = append(missing, r.key())
		}
	}
	assert.Empty(t, missing, "rows without a client method exercised against the sandbox")

	f := newCoverageFixture(t)
	names := make([]string, 0, len(exercised))
	for k := range exercised {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		t.Run(k, func(t *testing.T) { exercised[k](t, f) })
	}
	t.Logf("%d of %d methods exercised against the sandbox", len(exercised), len(rows))
}

func ctx() context.Context { return context.Background() }

func statusOf(err error) int {
	if e, ok := errors.AsType[*carrierx.Error](err); ok {
		return e.Status
	}
	return 0
}

// newCoverageFixture is a sandbox with a few records of every kind.
func newCoverageFixture(t *testing.T) *fixture {
	t.Helper()
	sb := sandbox.New(sandbox.Config{AvailableDIDs: 500, CDRs: 2000, MessageDRs: 200, ConferenceMeetings: 20, MediatorCalls: 50})
	base, stop, err := sb.Listen("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = stop(context.Background()) })
	anon := carrierx.New(base, carrierx.WithTimeout(30*time.Second))
	creds := sb.DemoPartner()
	tok, err := anon.CreateToken(ctx(), carrierx.TokenRequest{Login: creds.Login, Password: creds.Password, Name: "coverage"})
	require.NoError(t, err)
	return &fixture{sb: sb, base: base, creds: creds, anon: anon, cx: anon.WithBearer(tok.AccessToken), token: tok}
}

func available(t *testing.T, f *fixture) carrierx.DID {
	t.Helper()
	p, err := f.cx.ListAvailableDIDs(ctx(), carrierx.ListOptions{Limit: 1, Order: "shuffle"})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	return p.Items[0]
}

func rent(t *testing.T, f *fixture) *carrierx.DID {
	t.Helper()
	d, err := f.cx.RentDID(ctx(), carrierx.RentDIDRequest{Phonenumber: available(t, f).Phonenumber})
	require.NoError(t, err)
	return d
}

// trunkGroup creates a group named "coverage" with one trunk named "first".
func trunkGroup(t *testing.T, f *fixture) *carrierx.TrunkGroup {
	t.Helper()
	g, err := f.cx.CreateTrunkGroup(ctx(), carrierx.TrunkGroupUpdate{Name: carrierx.Set("coverage"),
		Trunks: carrierx.Set([]carrierx.TrunkUpdate{{Name: carrierx.Set("first")}})})
	require.NoError(t, err)
	if len(g.Trunks) == 0 { // the create answer may leave trunks out
		for tr, err := range f.cx.AllTrunks(ctx(), g.TrunkGroupSID, carrierx.ListOptions{}) {
			require.NoError(t, err)
			g.Trunks = append(g.Trunks, tr)
		}
	}
	return g
}

func invoice(t *testing.T, f *fixture) carrierx.Invoice {
	t.Helper()
	p, err := f.cx.ListInvoices(ctx(), carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.Items)
	return p.Items[0]
}

func readAll(t *testing.T, open func() (io.ReadCloser, error)) string {
	t.Helper()
	rc, err := open()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(b)
}

// hostedEndpoint creates an endpoint of a hosted type (conference_v2,
// conference, flexml, mediator) for the demo partner; its account is
// provisioned in the matching API, reached with the endpoint's properties.
func hostedEndpoint(t *testing.T, f *fixture, typ string) carrierx.Endpoint {
	t.Helper()
	ep, err := f.cx.CreateEndpoint(ctx(), carrierx.EndpointUpdate{Name: carrierx.Set("coverage " + typ), Type: carrierx.Set(typ)})
	require.NoError(t, err)
	require.NotEmpty(t, ep.APIURL())
	return *ep
}
