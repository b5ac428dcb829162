// Package carrierx is a typed client for the CarrierX APIs: Core v2 today, with
// room for Conference, FlexML and Mediator. It imports nothing of the project.
//
// Usage:
//
//	c := carrierx.New("https://api.carrierx.com")
//	tok, err := c.CreateToken(ctx, carrierx.TokenRequest{Login: login, Password: pw})
//	cx := c.WithBearer(tok.AccessToken)
//	for did, err := range cx.AllAvailableDIDs(ctx, carrierx.ListOptions{
//		Filter: carrierx.Filter{}.Eq("state", "NY").Bit("capabilities", int(carrierx.CapVoice)),
//		Limit:  1000,
//	}) { ... }
//
// Behaviour worth knowing:
//
//   - Only GET/HEAD are retried (429/502/503/504, connection resets, EOF,
//     refused connections), with capped exponential backoff and jitter that
//     honours Retry-After. Writes are never retried.
//   - Every call gets the client's timeout (default 20s) unless its context
//     has a shorter deadline.
//   - Non-2xx answers are *Error (see AsError, IsNotFound, FieldMessages).
//   - Money is decimal.Decimal / decimal.NullDecimal, a JSON string on the wire.
//   - Partial updates use Optional[T] (Set, Null; unset fields are omitted).
//   - List iterators follow pagination.next only on the client's own
//     scheme and host. The detail-record iterators (AllCallDRs, ...) in
//     cursor mode (ListOptions.After) page after the last item's SID when a
//     page has more but no next link.
//   - Invoices: the seed's /invoices is called first; when the path itself
//     is unknown there the public docs' /billing/invoices is tried once and
//     remembered. InvoiceHTML/InvoicePDF stream the body (the caller closes
//     it; the deadline applies while reading).
//
// Adding a method is one line over the private generic helpers in list.go
// (listPage, allItems, getOne, send, remove), parameterised by a service
// (core, conferenceV2, mediatorV1 with its {"body","status"} wrapper, flexmlV1).
package carrierx
