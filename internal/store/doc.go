// Package store keeps the dashboard's state in Postgres: web sessions, the audit
// log, sign-in throttling and server secrets, and the report cache (copies of
// CarrierX detail records and invoices, with each partner's sync state). It
// knows no HTTP.
package store
