package sandbox

// Partners (Core v2 /partners): a partner sees itself and its sub-partners
// (at any depth), never its parent nor partners outside its sub-tree (404).
// It creates sub-partners (their parent_sid is the creator), updates itself
// and its sub-partners, and deletes its sub-partners. A token for a
// sub-partner comes from POST /oauth/token/{partner_sid} (oauth.go) and
// authenticates as the sub-partner, which then sees its own objects only.

func init() {
	extraTables = append(extraTables, billingMethodsTable, rateAssignmentsTable)
	seeders = append(seeders, (*Sandbox).seedPartnerRates)
	routeAdders = append(routeAdders, (*Sandbox).partnerRoutes)
}

func (s *Sandbox) partnerRoutes(rt *router) {
	p := s.partnerView()
	rt.handle("GET", "/partners", p.list(nil))
	rt.handle("POST", "/partners", p.create())
	rt.handle("GET", "/partners/{partner_sid}", p.get())
	rt.handle("PATCH", "/partners/{partner_sid}", s.partnerUpdate(p, false))
	rt.handle("PUT", "/partners/{partner_sid}", s.partnerUpdate(p, true))
	rt.handle("DELETE", "/partners/{partner_sid}", p.remove())
	rt.handle("POST", "/partners/{partner_sid}/billing_method", s.registerBillingMethod)
	rt.handle("GET", "/partners/{partner_sid}/billing_method", s.getBillingMethod)
	rt.handle("DELETE", "/partners/{partner_sid}/billing_method", s.deleteBillingMethod)
	rt.handle("GET", "/partners/{partner_sid}/effective_rates", s.effectiveRates)
}
