package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// ConferenceMeetingRecord is a cached conference meeting record with the
// number of cached call records that name it.
type ConferenceMeetingRecord struct {
	SID            string
	MeetingRoomSID string
	EndpointSID    string
	DateStart      time.Time // zero when CarrierX sent none
	DateStop       time.Time
	Duration       string // seconds, exactly as cached ("" when none)
	Participants   int
	Calls          int // cached call records of the meeting
}

// ConferenceRecordFilter picks one partner's cached meetings of a conference
// endpoint, and optionally of one of its meeting rooms.
type ConferenceRecordFilter struct {
	PartnerSID     string // required
	EndpointSID    string // required
	MeetingRoomSID string // "" : every room
}

// ConferenceMeetingRecords returns the newest cached meeting records of the
// filter (at most limit), and how many there are in all.
func (s *Store) ConferenceMeetingRecords(ctx context.Context, f ConferenceRecordFilter, limit int) ([]ConferenceMeetingRecord, int, error) {
	if f.PartnerSID == "" || f.EndpointSID == "" {
		return nil, 0, errors.New("store: conference records need a partner and an endpoint")
	}
	if limit <= 0 || limit > 500 {
		limit = 20
	}
	w := &where{}
	w.add("m.partner_sid = ?", f.PartnerSID)
	w.add("m.endpoint_sid = ?", f.EndpointSID)
	if f.MeetingRoomSID != "" {
		w.add("m.meeting_room_sid = ?", f.MeetingRoomSID)
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM conference_meetings m WHERE `+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return nil, 0, nil
	}
	rows, err := s.pool.Query(ctx, `
SELECT m.sid, coalesce(m.meeting_room_sid, ''), coalesce(m.endpoint_sid, ''), m.date_start, m.date_stop,
       coalesce(m.duration::text, ''), m.participants,
       (SELECT count(*) FROM conference_calls c WHERE c.partner_sid = m.partner_sid AND c.meeting_sid = m.sid)
  FROM conference_meetings m
 WHERE `+w.sql()+`
 ORDER BY m.date_stop DESC NULLS LAST, m.sid DESC
 LIMIT `+strconv.Itoa(limit), w.args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ConferenceMeetingRecord
	for rows.Next() {
		var r ConferenceMeetingRecord
		var start, stop pgtype.Timestamptz
		var participants int32
		var calls int64
		if err := rows.Scan(&r.SID, &r.MeetingRoomSID, &r.EndpointSID, &start, &stop, &r.Duration, &participants, &calls); err != nil {
			return nil, 0, err
		}
		if start.Valid {
			r.DateStart = start.Time.UTC()
		}
		if stop.Valid {
			r.DateStop = stop.Time.UTC()
		}
		r.Participants, r.Calls = int(participants), int(calls)
		out = append(out, r)
	}
	return out, total, rows.Err()
}
