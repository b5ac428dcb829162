// Package reports holds the jobs that copy records and invoices from CarrierX
// into the store: call, message, conference call, conference meeting and
// Mediator call detail records, and invoices, per partner.
//
// A Syncer copies one partner's sources. Each detail-record source is read
// incrementally — filter "date_stop ge <synced_through − overlap>", order
// "date_stop asc", 1000 records a page, then after=<last SID> — while the
// pages already read are written to Postgres in batches; each batch and the
// sync state it advances commit together, so a run killed at any moment
// resumes without losing or repeating records. A Scheduler runs Syncers for
// several partners on an interval and on demand.
package reports
