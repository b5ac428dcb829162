// Package sandbox is a faithful CarrierX in memory, served over real HTTP: the
// dashboard's default backend and the peer of its tests.
//
// # Use
//
//	sb := sandbox.New(sandbox.Config{Seed: 1})
//	base, stop, err := sb.Listen("127.0.0.1:0") // base is the host root; Core is base+"/core/v2"
//	defer stop(ctx)
//	demo := sb.DemoPartner() // login "demo", password "demo"
//
// Handler can be mounted instead of Listen. InjectFaults makes requests fail
// (429/503 with Retry-After, or TCP resets) to exercise retry paths. Note
// that Go's http.Transport silently retries an idempotent request once when a
// reused keep-alive connection is reset before any answer, so a client can
// see fewer failures than FaultHits counts.
//
// # Design
//
// Resources are schema-driven (schema.go): each field has a kind (string,
// int, bool, num-string, timestamp, object, array), nullability, a default,
// read-only / create-only flags, enums and checks. A view (engine.go) is a
// collection as one partner sees it; its generic handlers do list / get /
// create / PATCH / PUT / delete with validation, and hooks carry each
// resource's side effects (renting, releasing, trunk cascades). Lists share
// one implementation of the envelope, offset and cursor paging, filter,
// order, include/exclude_fields and with_related (list.go, filter*.go,
// order.go). Stored objects are immutable maps replaced on change, so answers
// are encoded outside the lock; each record caches its JSON encoding.
//
// Detail records (call, message, conference and Mediator records; Config.CDRs
// and friends) are different: up to millions per partner, generated lazily on
// first use from a snapshot taken by New, stored as compact structs sorted by
// date_stop, rendered by a hand-written JSON appender and listed by a fast
// path that binary-searches date_stop ranges (records*.go). Their SIDs are
// derived from their index by a keyed permutation, which also serves as the
// SID-to-index map of cursor paging. Invoices (invoices.go) are computed from
// them, one per month, and also served as HTML and hand-written PDF reports.
//
// # Choices where CarrierX's behaviour is not confirmed
//
// The conservative option is taken, and said next to the code:
//   - writes to read-only (or, after creation, create-only) fields are a 422
//     naming the field, unless the value sent equals the current one (so a
//     read-modify-write PUT works); unknown attributes are a 422 too;
//   - PUT resets writable fields missing from the body to their defaults;
//     PATCH replaces nested objects (attributes) wholesale;
//   - renting a number that is not available is a 422 on "phonenumber";
//     a rented DID keeps its inventory did_sid; a released one goes "aging"
//     for good;
//   - deleting a trunk group that DIDs still use is a 409 naming a DID;
//   - filter operators ne, le, ilike, in, notin are accepted with their
//     obvious meaning; "phonenumber nearby latlng:<lat>,<lng>" orders
//     available numbers by distance from the point (no filtering);
//   - in cursor paging, both "next" and "previous" are given when items lie
//     beyond the page in that direction;
//   - POST /oauth/revoke takes a form or JSON "token", or revokes the calling
//     token when there is no body; a token of someone else is a 404;
//   - include_fields / exclude_fields with an unknown name is a 400;
//   - record collections default to limit 10 and order date_stop asc;
//     after/before need date_stop order; "total" is null (records_list.go);
//   - only user_data of a message detail record is writable (PATCH/PUT);
//   - invoice status is "open" (current month) or "closed" (past, paid);
//     toll usage is billed seconds; USF tax 34.4 % of voice items, rounded
//     half-up to cents; report e-mails take {"emails": [...]} or a bare
//     array (invoices.go).
package sandbox
