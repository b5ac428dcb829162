// Package store keeps the dashboard's state in Postgres: web sessions, the audit
// log, sign-in throttling and server secrets. It knows no HTTP.
package store
