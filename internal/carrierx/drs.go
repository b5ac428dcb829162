package carrierx

import (
	"context"
	"iter"
)

// Detail-record collections (Core v2). All support offset paging; the call
// and message DRs also document cursor paging (ListOptions.After/Before, with
// dr_sid as the cursor). CarrierX's own export tools page with
// order "date_stop asc" and after=<last dr_sid>; the conference calls use
// call_sid the same way [repo]. Cursor paging on the conference meetings and
// Mediator calls is not confirmed: the All* iterators there follow
// pagination.next when given, and page after the last SID only when the
// caller asked for cursor mode.
//
// In cursor (after) mode the All* iterators follow pagination.next when the
// server gives it; when a page says has_more without a next link (as in
// CarrierX's cursor sample), they ask for after=<last SID of the page>.

const (
	callDRsPath            = "/calls/call_drs"
	messageDRsPath         = "/sms/message_drs"
	conferenceCallsPath    = "/app/conference/calls"
	conferenceMeetingsPath = "/app/conference/meetings"
	mediatorCallsPath      = "/app/mediator/calls"
)

func cdrSID(r *CallDetailRecord) string      { return r.DRSID }
func mdrSID(r *MessageDetailRecord) string   { return r.DRSID }
func confCallSID(r *ConferenceCall) string   { return r.CallSID }
func meetingSID(r *ConferenceMeeting) string { return r.MeetingSID }
func mediatorCallSID(r *MediatorCall) string { return r.DRSID }

// ListCallDRs returns one page of call detail records (GET /calls/call_drs).
// For an export, use Filter date_stop ge/lt, Order "date_stop asc" and
// Limit 1000, then AllCallDRs or After.
func (c *Client) ListCallDRs(ctx context.Context, opts ListOptions) (*Page[CallDetailRecord], error) {
	return listPage[CallDetailRecord](ctx, c, core, callDRsPath, opts)
}

// AllCallDRs iterates over every call detail record matching opts.
func (c *Client) AllCallDRs(ctx context.Context, opts ListOptions) iter.Seq2[CallDetailRecord, error] {
	return allRecords(ctx, c, core, callDRsPath, opts, cdrSID)
}

// GetCallDR returns one call detail record (GET /calls/call_drs/{dr_sid}).
func (c *Client) GetCallDR(ctx context.Context, sid string) (*CallDetailRecord, error) {
	if err := requireSID("dr_sid", sid); err != nil {
		return nil, err
	}
	return getOne[CallDetailRecord](ctx, c, core, callDRsPath+"/"+pathEscape(sid), nil)
}

// ListMessageDRs returns one page of SMS/MMS detail records
// (GET /sms/message_drs).
func (c *Client) ListMessageDRs(ctx context.Context, opts ListOptions) (*Page[MessageDetailRecord], error) {
	return listPage[MessageDetailRecord](ctx, c, core, messageDRsPath, opts)
}

// AllMessageDRs iterates over every message detail record matching opts.
func (c *Client) AllMessageDRs(ctx context.Context, opts ListOptions) iter.Seq2[MessageDetailRecord, error] {
	return allRecords(ctx, c, core, messageDRsPath, opts, mdrSID)
}

// GetMessageDR returns one message detail record
// (GET /sms/message_drs/{dr_sid}).
func (c *Client) GetMessageDR(ctx context.Context, sid string) (*MessageDetailRecord, error) {
	if err := requireSID("dr_sid", sid); err != nil {
		return nil, err
	}
	return getOne[MessageDetailRecord](ctx, c, core, messageDRsPath+"/"+pathEscape(sid), nil)
}

// ListConferenceCalls returns one page of conference call records
// (GET /core/v2/app/conference/calls: Core, not the Conference API).
func (c *Client) ListConferenceCalls(ctx context.Context, opts ListOptions) (*Page[ConferenceCall], error) {
	return listPage[ConferenceCall](ctx, c, core, conferenceCallsPath, opts)
}

// AllConferenceCalls iterates over every conference call record matching opts.
func (c *Client) AllConferenceCalls(ctx context.Context, opts ListOptions) iter.Seq2[ConferenceCall, error] {
	return allRecords(ctx, c, core, conferenceCallsPath, opts, confCallSID)
}

// GetConferenceCall returns one conference call record
// (GET /app/conference/calls/{call_sid}).
func (c *Client) GetConferenceCall(ctx context.Context, sid string) (*ConferenceCall, error) {
	if err := requireSID("call_sid", sid); err != nil {
		return nil, err
	}
	return getOne[ConferenceCall](ctx, c, core, conferenceCallsPath+"/"+pathEscape(sid), nil)
}

// ListConferenceMeetings returns one page of conference meeting records
// (GET /app/conference/meetings).
func (c *Client) ListConferenceMeetings(ctx context.Context, opts ListOptions) (*Page[ConferenceMeeting], error) {
	return listPage[ConferenceMeeting](ctx, c, core, conferenceMeetingsPath, opts)
}

// AllConferenceMeetings iterates over every conference meeting record
// matching opts.
func (c *Client) AllConferenceMeetings(ctx context.Context, opts ListOptions) iter.Seq2[ConferenceMeeting, error] {
	return allRecords(ctx, c, core, conferenceMeetingsPath, opts, meetingSID)
}

// GetConferenceMeeting returns one conference meeting record
// (GET /app/conference/meetings/{meeting_sid}).
func (c *Client) GetConferenceMeeting(ctx context.Context, sid string) (*ConferenceMeeting, error) {
	if err := requireSID("meeting_sid", sid); err != nil {
		return nil, err
	}
	return getOne[ConferenceMeeting](ctx, c, core, conferenceMeetingsPath+"/"+pathEscape(sid), nil)
}

// ListMediatorCalls returns one page of Mediator call records
// (GET /core/v2/app/mediator/calls). It is a Core path, so a Core list
// envelope is expected; whether Mediator's {"body","status"} wrapper applies
// there is not confirmed, so an answer that is exactly that wrapper is
// unwrapped.
func (c *Client) ListMediatorCalls(ctx context.Context, opts ListOptions) (*Page[MediatorCall], error) {
	return listPage[MediatorCall](ctx, c, coreMediatorDRs, mediatorCallsPath, opts)
}

// AllMediatorCalls iterates over every Mediator call record matching opts.
func (c *Client) AllMediatorCalls(ctx context.Context, opts ListOptions) iter.Seq2[MediatorCall, error] {
	return allRecords(ctx, c, coreMediatorDRs, mediatorCallsPath, opts, mediatorCallSID)
}
