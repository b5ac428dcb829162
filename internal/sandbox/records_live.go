package sandbox

import (
	"hash/fnv"
	"math"
	"time"
)

// Records of live objects. When a FlexML call, a conference meeting, a
// Mediator call or a sent message finishes, the family that served it adds
// its record here, and Core lists it with the generated ones
// (/calls/call_drs, /app/conference/..., /app/mediator/calls,
// /sms/message_drs). Records are appended: they are sorted by date_stop and
// a record's SID derives from its index, so nothing moves. A record that
// would stop before the last one of its kind (a sandbox clock set back) is
// given the last one's date_stop instead.
//
// Every function here is called with the write lock held.

// liveRecords returns the partner's records, generating the seeded ones
// first, and creating an empty set for a partner that has none (a
// sub-partner).
func (s *Sandbox) liveRecords(partnerSID string) *partnerRecs {
	st := s.records()
	if p := st.byPartner[partnerSID]; p != nil {
		return p
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(partnerSID))
	seed := h.Sum64() ^ uint64(s.cfg.Seed)
	p := &partnerRecs{sid: partnerSID, mdrUserData: map[int32]*string{}}
	for k := range p.keys {
		p.keys[k] = mix64(seed + uint64(k)*0x9e3779b97f4a7c15)
	}
	p.mediaHost = "https://storage.carrierx.example/" + partnerSID[:min(8, len(partnerSID))] + "/media/"
	st.byPartner[partnerSID] = p
	return p
}

// didIdx is the index of one of the partner's numbers in p.dids, added if new.
func (p *partnerRecs) didIdx(number string) uint16 {
	number = digitsOnly(number)
	for i := range p.dids {
		if p.dids[i].number == number {
			return uint16(i)
		}
	}
	p.dids = append(p.dids, didSnap{number: number, plus: "+" + number, tg: -1})
	return uint16(len(p.dids) - 1)
}

// extIdx is the index of a far-end number in p.ext, added if new.
func (p *partnerRecs) extIdx(number string) uint16 {
	number = digitsOnly(number)
	for i, n := range p.ext {
		if n == number {
			return uint16(i)
		}
	}
	p.ext = append(p.ext, number)
	p.extPlus = append(p.extPlus, "+"+number)
	return uint16(len(p.ext) - 1)
}

// epIdx is the endpoint's index for meeting.ep / medCall.ep: 0 for def,
// otherwise 1 + its index in p.eps.
func (p *partnerRecs) epIdx(sid, def string) uint8 {
	if sid == "" || sid == def {
		return 0
	}
	for i, e := range p.eps {
		if e == sid {
			return uint8(i + 1)
		}
	}
	if len(p.eps) >= math.MaxUint8 {
		return 0
	}
	p.eps = append(p.eps, sid)
	return uint8(len(p.eps))
}

func (p *partnerRecs) endpointOf(ep uint8, def string) string {
	if ep == 0 {
		return def
	}
	return p.eps[ep-1]
}

// tgIdx is the trunk group index a live call's endpoint is recorded under:
// an existing group with that endpoint, or a group-less entry that only
// names the endpoint.
func (p *partnerRecs) tgIdx(endpointSID string) uint8 {
	if endpointSID == "" {
		return noTG
	}
	for i, tg := range p.tgs {
		if tg.endpoint == endpointSID {
			return uint8(i)
		}
	}
	if len(p.tgs) >= noTG {
		return noTG
	}
	p.tgs = append(p.tgs, tgSnap{endpoint: endpointSID})
	return uint8(len(p.tgs) - 1)
}

func (p *partnerRecs) text(i uint16) string {
	if int(i) < len(messageTexts) {
		return messageTexts[i]
	}
	return p.texts[int(i)-len(messageTexts)]
}

func digitsOnly(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// stopAfter keeps date_stop non-decreasing within a kind.
func (p *partnerRecs) stopAfter(kind int, stop int64) int64 {
	if n := p.count(kind); n > 0 {
		return max(stop, p.stopAt(kind, n-1))
	}
	return stop
}

// liveCall is a finished call of a hosted application (a FlexML call, a
// Mediator leg) to record as a call detail record.
type liveCall struct {
	direction           int    // dirInbound or dirOutbound
	number              string // the partner's number
	external            string // the far end
	start, answer, stop time.Time
	sipCause            string // "200" when answered; otherwise e.g. "486", "487", "480"
	endpointSID         string // the endpoint on the partner's side
	hangupByFarEnd      bool
	codecSrc, codecDst  int // indexes into codecs
}

// recordCall adds a call detail record and returns its dr_sid.
func (s *Sandbox) recordCall(partnerSID string, lc liveCall) string {
	p := s.liveRecords(partnerSID)
	stop := p.stopAfter(recCDR, lc.stop.UnixMilli())
	startMS := min(lc.start.UnixMilli(), stop)
	r := cdr{stop: stop, did: p.didIdx(lc.number), ext: p.extIdx(lc.external), dir: uint8(lc.direction)}
	r.dur = int32(min(stop-startMS, math.MaxInt32/100) * 100)
	r.ring = -1
	r.cause = uint8(len(sipCauses) - 1)
	for i, c := range sipCauses {
		if c == lc.sipCause {
			r.cause = uint8(i)
		}
	}
	r.rate = 0 // inbound toll
	if lc.direction == dirOutbound {
		r.rate = 1 // outbound domestic, unless the rate table says otherwise
		if rate, ok := pstnCallRate(dirOutbound, digitsOnly(lc.external)); ok {
			for i, cr := range callRates {
				if cr == rate {
					r.rate = uint8(i)
				}
			}
		}
	}
	if !lc.answer.IsZero() && lc.sipCause == "200" {
		ans := min(max(lc.answer.UnixMilli(), startMS), stop)
		r.ring = int32(ans - startMS)
		talk := int32((stop - ans + 999) / 1000)
		incr := callRates[r.rate].incr
		r.bill = (talk + incr - 1) / incr * incr
	}
	r.codecs = uint8(lc.codecSrc<<4 | lc.codecDst)
	r.tg = p.tgIdx(lc.endpointSID)
	if lc.hangupByFarEnd {
		r.flags |= fDiscDst
	}
	p.cdrs = append(p.cdrs, r)
	return sidString(p.keys[recCDR], len(p.cdrs)-1)
}

// liveMessage is a sent or received message to record as a message detail
// record.
type liveMessage struct {
	direction         int // dirInbound or dirOutbound
	number, external  string
	text              string
	mms               bool
	start, sent, stop time.Time
	mccMNCIndex       int
}

// recordMessage adds a message detail record and returns its dr_sid.
func (s *Sandbox) recordMessage(partnerSID string, lm liveMessage) string {
	p := s.liveRecords(partnerSID)
	stop := p.stopAfter(recMDR, lm.stop.UnixMilli())
	start := min(lm.start.UnixMilli(), stop)
	sent := min(max(lm.sent.UnixMilli(), start), stop)
	m := mdr{stop: stop, startD: int32(stop - start), sentD: int32(sent - start),
		did: p.didIdx(lm.number), ext: p.extIdx(lm.external), dir: uint8(lm.direction)}
	if lm.mms {
		m.typ = 1
	}
	m.segs = uint8(min(segments(lm.text), math.MaxUint8))
	if m.typ == 1 {
		m.segs = 1
	}
	m.msg = uint16(len(messageTexts))
	for i, t := range messageTexts {
		if t == lm.text {
			m.msg = uint16(i)
		}
	}
	if int(m.msg) == len(messageTexts) {
		p.texts = append(p.texts, lm.text)
		m.msg = uint16(len(messageTexts) + len(p.texts) - 1)
	}
	m.mnc = uint8(lm.mccMNCIndex % len(mncs))
	p.mdrs = append(p.mdrs, m)
	return sidString(p.keys[recMDR], len(p.mdrs)-1)
}

// liveMeeting is a finished conference meeting and its calls.
type liveMeeting struct {
	roomSID, endpointSID string
	accessNumber         string // the number dialled in on
	start, stop          time.Time
	calls                []liveConfCall
}

type liveConfCall struct {
	number            string // the caller
	role              string // host, participant or listener
	start, join, stop time.Time
}

// recordMeeting adds a conference meeting record and one conference call
// record per call; it returns the meeting_sid and the calls' call_sids.
func (s *Sandbox) recordMeeting(partnerSID string, lm liveMeeting) (string, []string) {
	p := s.liveRecords(partnerSID)
	room := -1
	for i, r := range p.rooms {
		if r == lm.roomSID {
			room = i
		}
	}
	if room < 0 {
		p.rooms = append(p.rooms, lm.roomSID)
		room = len(p.rooms) - 1
	}
	stop := p.stopAfter(recMeeting, lm.stop.UnixMilli())
	m := meeting{start: min(lm.start.UnixMilli(), stop), stop: stop, room: uint16(room),
		did: p.didIdx(lm.accessNumber), calls: uint16(min(len(lm.calls), math.MaxUint16)),
		ep: p.epIdx(lm.endpointSID, p.confEndpoint)}
	p.meetings = append(p.meetings, m)
	mi := len(p.meetings) - 1
	sids := make([]string, 0, len(lm.calls))
	for _, c := range lm.calls {
		cstop := p.stopAfter(recConfCall, c.stop.UnixMilli())
		cc := confCall{start: min(c.start.UnixMilli(), cstop), stop: cstop, meeting: int32(mi), ext: p.extIdx(c.number)}
		cc.join = min(max(c.join.UnixMilli(), cc.start), cstop)
		for i, r := range confRoles {
			if r == c.role {
				cc.role = uint8(i)
			}
		}
		p.confCalls = append(p.confCalls, cc)
		sids = append(sids, sidString(p.keys[recConfCall], len(p.confCalls)-1))
	}
	return sidString(p.keys[recMeeting], mi), sids
}

// liveMediatorCall is a finished call through a Mediator binding or
// dialout.
type liveMediatorCall struct {
	bindingSID, dialoutSID, endpointSID string
	redirect, src, dst                  string
	start, answer, stop                 time.Time // answer zero: not answered
}

// recordMediatorCall adds a Mediator call record and returns its dr_sid.
func (s *Sandbox) recordMediatorCall(partnerSID string, lm liveMediatorCall) string {
	p := s.liveRecords(partnerSID)
	stop := p.stopAfter(recMediator, lm.stop.UnixMilli())
	start := min(lm.start.UnixMilli(), stop)
	m := medCall{stop: stop, dur: int32(min(stop-start, math.MaxInt32/100) * 100), ring: -1,
		did: p.didIdx(lm.redirect), ext: p.extIdx(lm.src), dst: p.extIdx(lm.dst),
		ep: p.epIdx(lm.endpointSID, p.medEndpoint)}
	if !lm.answer.IsZero() {
		ans := min(max(lm.answer.UnixMilli(), start), stop)
		m.ring = int32(ans - start)
		talk := int32((stop - ans + 999) / 1000)
		m.bill = (talk + 59) / 60 * 60
	}
	b := -1
	for i, sid := range p.bindings {
		if sid == lm.bindingSID {
			b = i
		}
	}
	if b < 0 {
		p.bindings = append(p.bindings, lm.bindingSID)
		b = len(p.bindings) - 1
	}
	m.binding = uint16(b)
	if lm.dialoutSID != "" {
		p.dialouts = append(p.dialouts, lm.dialoutSID)
		m.dialout = uint16(len(p.dialouts))
	}
	p.medCalls = append(p.medCalls, m)
	return sidString(p.keys[recMediator], len(p.medCalls)-1)
}
