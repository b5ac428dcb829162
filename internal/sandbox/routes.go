package sandbox

// buildRoutes maps Core v2 paths (relative to /core/v2) to handlers. New
// resources add a view and a few lines here.
func (s *Sandbox) buildRoutes() *router {
	rt := &router{}
	avail, dids, tgs, trunks, toks := s.availableView(), s.didView(), s.trunkGroupView(), s.trunkView(), s.tokenView()

	// OAuth (§1.3)
	rt.handle("POST", "/oauth/token", s.createToken).public = true
	rt.handle("POST", "/oauth/token/{partner_sid}", s.createSubPartnerToken)
	rt.handle("POST", "/oauth/revoke", s.revokeToken)
	rt.handle("GET", "/oauth/whoami", s.whoami)
	rt.handle("GET", "/oauth/tokens", toks.list(nil))
	rt.handle("GET", "/oauth/tokens/{token_sid}", toks.get())
	rt.handle("PATCH", "/oauth/tokens/{token_sid}", toks.update(false))
	rt.handle("PUT", "/oauth/tokens/{token_sid}", toks.update(true))

	// Phone numbers (§4.1-4.3, §5)
	rt.handle("GET", "/phonenumber/available_dids", avail.list(nil))
	rt.handle("GET", "/phonenumber/available_dids/{did_sid}", avail.get())
	rt.handle("GET", "/dids/inventory", avail.list(nil)) // deprecated alias
	rt.handle("GET", "/dids/inventory/{did_sid}", avail.get())
	rt.handle("GET", "/phonenumber/coverage", s.coverage)
	rt.handle("GET", "/phonenumber/dids", dids.list(didsByTrunkGroup))
	rt.handle("POST", "/phonenumber/dids", s.rentDID)
	rt.handle("GET", "/phonenumber/dids/{did_sid}", dids.get())
	rt.handle("PATCH", "/phonenumber/dids/{did_sid}", dids.update(false))
	rt.handle("PUT", "/phonenumber/dids/{did_sid}", dids.update(true))
	rt.handle("DELETE", "/phonenumber/dids/{did_sid}", s.releaseDID)

	// Trunk groups and trunks (§4.5)
	rt.handle("GET", "/trunk_groups", checkWithTrunks(tgs.list(nil)))
	rt.handle("POST", "/trunk_groups", checkWithTrunks(tgs.create()))
	rt.handle("GET", "/trunk_groups/{trunk_group_sid}", checkWithTrunks(tgs.get()))
	rt.handle("PATCH", "/trunk_groups/{trunk_group_sid}", checkWithTrunks(tgs.update(false)))
	rt.handle("PUT", "/trunk_groups/{trunk_group_sid}", checkWithTrunks(tgs.update(true)))
	rt.handle("DELETE", "/trunk_groups/{trunk_group_sid}", tgs.remove())
	rt.handle("GET", "/trunk_groups/{trunk_group_sid}/trunks", trunks.list(nil))
	rt.handle("POST", "/trunk_groups/{trunk_group_sid}/trunks", trunks.create())
	rt.handle("GET", "/trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}", trunks.get())
	rt.handle("PATCH", "/trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}", trunks.update(false))
	rt.handle("PUT", "/trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}", trunks.update(true))
	rt.handle("DELETE", "/trunk_groups/{trunk_group_sid}/trunks/{trunk_sid}", trunks.remove())

	// Detail records (§4.9, §4.10, §4.12, §7): own list fast path.
	rt.handle("GET", "/calls/call_drs", s.drList(cdrKind))
	rt.handle("GET", "/calls/call_drs/{dr_sid}", s.drGet(cdrKind, "dr_sid"))
	rt.handle("GET", "/sms/message_drs", s.drList(mdrKind))
	rt.handle("GET", "/sms/message_drs/{dr_sid}", s.drGet(mdrKind, "dr_sid"))
	rt.handle("PATCH", "/sms/message_drs/{dr_sid}", s.updateMDR(false))
	rt.handle("PUT", "/sms/message_drs/{dr_sid}", s.updateMDR(true))
	rt.handle("GET", "/app/conference/calls", s.drList(confCallKind))
	rt.handle("GET", "/app/conference/calls/{call_sid}", s.drGet(confCallKind, "call_sid"))
	rt.handle("GET", "/app/conference/meetings", s.drList(meetingKind))
	rt.handle("GET", "/app/conference/meetings/{meeting_sid}", s.drGet(meetingKind, "meeting_sid"))
	rt.handle("GET", "/app/mediator/calls", s.drList(mediatorKind))

	// Invoices (§4.8): the method list's /invoices and the object page's
	// /billing/invoices are both served.
	inv := s.invoiceView()
	for _, base := range []string{"/invoices", "/billing/invoices"} {
		rt.handle("GET", base, s.withRecords(inv.list(nil)))
		rt.handle("GET", base+"/{invoice_sid}", s.invoiceGet(inv))
		rt.handle("POST", base+"/{invoice_sid}/emails", s.invoiceEmails)
	}
	for _, add := range routeAdders {
		add(s, rt)
	}
	return rt
}

// withRecords generates the records (and invoices) before h runs.
func (s *Sandbox) withRecords(h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		s.records()
		return h(c)
	}
}
