package store

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// Audit outcomes.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

// AuditEntry is one change made through the console.
type AuditEntry struct {
	ID          int64
	OccurredAt  time.Time
	PartnerSID  string
	PartnerName string
	Actor       string
	Action      string
	ObjectType  string
	ObjectSID   string
	ObjectLabel string
	Outcome     string
	Message     string
	Before      json.RawMessage
	After       json.RawMessage
	RemoteAddr  string
}

// RecordAudit appends an entry to the audit log.
func (s *Store) RecordAudit(ctx context.Context, e AuditEntry) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO audit_log (partner_sid, partner_name, actor, action, object_type, object_sid,
			object_label, outcome, message, before, after, remote_addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.PartnerSID, e.PartnerName, e.Actor, e.Action, e.ObjectType, e.ObjectSID,
		e.ObjectLabel, e.Outcome, e.Message, nullJSON(e.Before), nullJSON(e.After), e.RemoteAddr)
	return err
}

func nullJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return []byte(b)
}

// AuditQuery selects a page of one partner's audit log, newest first.
type AuditQuery struct {
	PartnerSID string // required: one partner never sees another's entries
	Action     string // optional exact action
	ObjectType string // optional exact object type
	ObjectSID  string // optional: one object's history
	Outcome    string // optional: OutcomeOK or OutcomeError
	BeforeID   int64  // keyset cursor: entries older than this id
	Limit      int
}

// ListAudit returns one page of the partner's audit log, newest first, and whether more follow.
func (s *Store) ListAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, bool, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	rows, err := s.pool.Query(ctx, `
		SELECT id, occurred_at, partner_sid, partner_name, actor, action, object_type, object_sid,
			object_label, outcome, message, before, after, remote_addr
		FROM audit_log
		WHERE partner_sid = $1
		  AND ($2 = '' OR action = $2)
		  AND ($3 = 0 OR id < $3)
		  AND ($5 = '' OR object_type = $5)
		  AND ($6 = '' OR object_sid = $6)
		  AND ($7 = '' OR outcome = $7)
		ORDER BY id DESC
		LIMIT $4`, q.PartnerSID, q.Action, q.BeforeID, q.Limit+1, q.ObjectType, q.ObjectSID, q.Outcome)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var before, after []byte
		if err := rows.Scan(&e.ID, &e.OccurredAt, &e.PartnerSID, &e.PartnerName, &e.Actor, &e.Action,
			&e.ObjectType, &e.ObjectSID, &e.ObjectLabel, &e.Outcome, &e.Message, &before, &after, &e.RemoteAddr); err != nil {
			return nil, false, err
		}
		e.Before, e.After = before, after
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	more := len(out) > q.Limit
	if more {
		out = out[:q.Limit]
	}
	return out, more, nil
}

// AuditFacets are the actions and object types in a partner's log, sorted:
// the audit page's filter choices.
func (s *Store) AuditFacets(ctx context.Context, partnerSID string) (actions, objectTypes []string, err error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT action, object_type FROM audit_log WHERE partner_sid = $1`, partnerSID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	seenA, seenT := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var a, t string
		if err := rows.Scan(&a, &t); err != nil {
			return nil, nil, err
		}
		if !seenA[a] {
			seenA[a], actions = true, append(actions, a)
		}
		if t != "" && !seenT[t] {
			seenT[t], objectTypes = true, append(objectTypes, t)
		}
	}
	slices.Sort(actions)
	slices.Sort(objectTypes)
	return actions, objectTypes, rows.Err()
}
