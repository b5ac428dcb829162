package sandbox

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Detail records (call, message, conference and Mediator records) are
// read-only and numerous: a million per partner must fit in memory and list
// fast. They are stored as compact typed structs (unix milliseconds, indexes
// into per-partner string tables, money as scaled integers), sorted by
// date_stop, and rendered to JSON by hand (records_fields.go). Lists have their
// own fast path (records_list.go) that binary-searches date_stop ranges.
//
// They are generated on first use of a record or invoice route (sync.Once),
// from a snapshot of the seeded partners taken by New, so the data depends on
// Config only (Seed, sizes, Now at New time) and not on what a test did
// before the first use.
//
// SIDs are not stored: a record's SID is derived from its index by a keyed,
// invertible permutation (sidFor/indexOf), which serves as the SID-to-index
// map of cursor paging at no memory cost.

// systemGatewaySID is the endpoint of PSTN legs (CarrierX's System Gateway);
// the value is the endpoint_sid_src of the documented inbound CDR (§9 ex. 11).
const systemGatewaySID = "7fc3e7ea-a0df-4de1-836f-50318ed66466"

// Record kinds.
const (
	recCDR = iota
	recMDR
	recConfCall
	recMeeting
	recMediator
	recKinds
)

// Directions.
const (
	dirInbound = iota
	dirOutbound
)

var dirNames = [...]string{"inbound", "outbound"}

// cdr is one call detail record (§4.9). Times are unix milliseconds.
type cdr struct {
	stop   int64  // date_stop
	dur    int32  // duration in 10 µs units; date_start = stop - dur/100 ms
	ring   int32  // ms from date_start to date_talk; < 0: never answered (date_talk null)
	bill   int32  // duration_billing, seconds
	insert uint16 // date_insert: seconds after date_stop rounded up to the second
	did    uint16 // the partner's number (index into partnerRecs.dids)
	ext    uint16 // the far end (index into partnerRecs.ext)
	dir    uint8
	cause  uint8 // index into sipCauses
	rate   uint8 // index into callRates
	codecs uint8 // src<<4 | dst, indexes into codecs
	tg     uint8 // trunk group index, noTG for none
	flags  uint8
}

const noTG = 0xff

// cdr flags.
const (
	fPlusSrc   = 1 << iota // number_src carries a leading "+"
	fDiscDst               // disconnect_originator DST (else SRC)
	fStirShift = 4         // bits 4-5: stir_attest (0 none, 1 A, 2 B, 3 C)
)

func (r *cdr) start() int64 { return r.stop - int64(r.dur/100) }

// sipCauses are the final SIP codes of calls; all but "200" are unanswered.
var sipCauses = [...]string{"200", "486", "487", "480", "404", "503"}

// callRate is a per-minute rate in micro-dollars and its billing increment.
type callRate struct {
	micro int64
	incr  int32 // seconds; billed time is talk time rounded up to it
}

// callRates: inbound toll (60-second increments, as the documented CDR
// shows: 4.25 s billed as 60 at 0.0025), outbound domestic and outbound
// high-cost destinations (6-second increments).
var callRates = [...]callRate{{2500, 60}, {5000, 6}, {12000, 6}}

// highCostNPAs are the NANP prefixes outbound calls pay the high-cost rate
// to (the outbound rate table in rates.go lists the same).
var highCostNPAs = [...]string{"1808", "1876", "1907"}

var codecs = [...]string{"pcmu", "pcma", "g722", "amrwb", "opus", "g729"}

// price of a call in micro-dollars: rate × billed minutes, exact (rates are
// multiples of 10 micro-dollars and billed time a multiple of 6 seconds).
func (r *cdr) price() int64 {
	if r.bill == 0 {
		return 0
	}
	return callRates[r.rate].micro * int64(r.bill) / 60
}

// mdr is one message detail record (§4.12).
type mdr struct {
	stop   int64
	startD int32 // ms from date_start to date_stop
	sentD  int32 // ms from date_start to date_sent
	insert uint16
	did    uint16
	ext    uint16
	dir    uint8
	typ    uint8 // 0 sms, 1 mms
	segs   uint8
	msg    uint16 // index into messageTexts, then into partnerRecs.texts
	mnc    uint8  // index into mncs
}

var msgTypes = [...]string{"sms", "mms"}

// messageRates in micro-dollars per segment (SMS) or message (MMS), by
// [type][direction].
var messageRates = [2][2]int64{{2500, 4000}, {10000, 15000}}

func (m *mdr) price() int64 { return messageRates[m.typ][m.dir] * int64(m.segs) }

var mncs = [...]int64{260, 410, 480, 120, 150}

// messageTexts are the bodies of generated messages (some long enough for
// several segments, some with characters JSON must escape, one in UCS-2).
var messageTexts = [...]string{
	"Your verification code is 482913",
	"Hi, are we still on for 3pm?",
	"Reply \"STOP\" to opt out. Msg&data rates may apply.",
	"Your order #10482 has shipped and will arrive Thursday between 9am and 1pm. Track it at https://track.example/10482 or reply HELP for help.",
	"Reminder: your appointment with Dr. Patel is tomorrow at 10:30. Reply C to confirm or R to reschedule. Please arrive 15 minutes early to complete any paperwork and bring your insurance card and a photo ID with you.",
	"On my way",
	"Thanks! See you soon",
	"Café tomorrow? ☕ 8:30 at the usual place",
	"Alert: unusual sign-in to your account from a new device. If this wasn't you, reset your password now.",
	"Can you call me back when you get a chance?",
	"ok",
	"Line 1\nLine 2\tand a \\ backslash",
}

// segments counts SMS segments: GSM-7 text takes 160 characters in one
// segment and 153 per segment beyond; other text (UCS-2) 70 and 67.
func segments(text string) int {
	n, ucs := 0, false
	for _, r := range text {
		n++
		if r > 0x7e || (r < 0x20 && r != '\n' && r != '\r') {
			ucs = true
		}
	}
	one, many := 160, 153
	if ucs {
		one, many = 70, 67
	}
	if n <= one {
		return 1
	}
	return (n + many - 1) / many
}

// meeting is one conference meeting (GET /app/conference/meetings).
type meeting struct {
	start, stop int64
	room        uint16 // index into partnerRecs.rooms
	did         uint16 // access number dialled
	calls       uint16 // participants
	ep          uint8  // 0: partnerRecs.confEndpoint, else partnerRecs.eps[ep-1]
}

// confCall is one conference call leg (§4.10).
type confCall struct {
	start, join, stop int64
	meeting           int32
	ext               uint16
	role              uint8 // index into confRoles
}

var confRoles = [...]string{"host", "participant", "listener"}

// medCall is one Mediator call record.
type medCall struct {
	stop    int64
	dur     int32  // 10 µs units
	ring    int32  // ms, < 0 unanswered
	bill    int32  // seconds, 60-second increments
	binding uint16 // index into partnerRecs.bindings
	did     uint16 // the binding's redirect number
	ext     uint16 // caller
	dst     uint16 // destination (binding's destination_did)
	dialout uint16 // 0: none, else partnerRecs.dialouts[dialout-1]
	ep      uint8  // 0: partnerRecs.medEndpoint, else partnerRecs.eps[ep-1]
}

func (m *medCall) start() int64 { return m.stop - int64(m.dur/100) }

// didSnap is one of a partner's rented numbers, as seeded.
type didSnap struct {
	number, plus string // "15162065451", "+15162065451"
	tg           int    // index into tgs, or -1
	price        int64  // monthly price, micro-dollars
}

// tgSnap is one of a partner's trunk groups, as seeded, with the endpoint and
// SBC address its calls use.
type tgSnap struct{ sid, endpoint, ip string }

// partnerRecs is one partner's records and the tables they index.
type partnerRecs struct {
	sid     string
	dids    []didSnap
	inDIDs  []int // DIDs routed to a trunk group (reached by inbound calls)
	tgs     []tgSnap
	ext     []string // far-end numbers
	extPlus []string
	keys    [recKinds]uint64 // SID permutation keys

	cdrs      []cdr
	mdrs      []mdr
	meetings  []meeting
	confCalls []confCall
	medCalls  []medCall

	rooms        []string // meeting_room_sid
	bindings     []string // Mediator binding_sid
	confEndpoint string
	medEndpoint  string
	// Records of live objects (records_live.go) add what they name here.
	eps       []string // endpoints other than confEndpoint/medEndpoint
	dialouts  []string // Mediator dialout_sid
	texts     []string // message bodies beyond messageTexts
	mediaHost string

	// mdrUserData holds user_data written with PATCH/PUT (guarded by
	// Sandbox.mu); generated records have none.
	mdrUserData map[int32]*string
}

func (p *partnerRecs) count(kind int) int {
	switch kind {
	case recCDR:
		return len(p.cdrs)
	case recMDR:
		return len(p.mdrs)
	case recConfCall:
		return len(p.confCalls)
	case recMeeting:
		return len(p.meetings)
	case recMediator:
		return len(p.medCalls)
	}
	return 0
}

func (p *partnerRecs) stopAt(kind, i int) int64 {
	switch kind {
	case recCDR:
		return p.cdrs[i].stop
	case recMDR:
		return p.mdrs[i].stop
	case recConfCall:
		return p.confCalls[i].stop
	case recMeeting:
		return p.meetings[i].stop
	case recMediator:
		return p.medCalls[i].stop
	}
	return 0
}

// recordSizes are the numbers of records per partner.
type recordSizes struct{ cdrs, mdrs, meetings, mediator int }

// recordSnap is what record generation needs, captured by New.
type recordSnap struct {
	seed     int64
	now      time.Time
	partners []partnerSnap
}

type partnerSnap struct {
	sid  string
	dids []didSnap
	tgs  []string
	// tgEndpoints and tgIPs are, per trunk group, the SIP equipment its
	// trunks deliver to: the seeded third-party endpoint and its address.
	tgEndpoints, tgIPs []string
	sizes              recordSizes
}

// recordStore holds every partner's records, generated once.
type recordStore struct {
	once      sync.Once
	snap      recordSnap
	byPartner map[string]*partnerRecs
	from, to  int64 // the window records lie in (unix ms)
}

// snapshotRecords captures the seeded partners for later generation. Called
// by New after seed.
func (s *Sandbox) snapshotRecords() {
	cfg := s.cfg
	snap := recordSnap{seed: cfg.Seed, now: s.now()}
	for i, p := range []Credentials{s.demo, s.other} {
		ps := partnerSnap{sid: p.PartnerSID}
		tgIdx := map[string]int{}
		for _, tg := range s.trunkGroups.recs {
			if tg.owner == p.PartnerSID {
				tgIdx[tg.sid] = len(ps.tgs)
				ps.tgEndpoints = append(ps.tgEndpoints, endpointSeedSID(cfg.Seed, p.PartnerSID+"/trunk-group/"+tg.sid))
				ps.tgIPs = append(ps.tgIPs, "10.222."+itoa(2+i)+"."+itoa(180+len(ps.tgs)*7))
				ps.tgs = append(ps.tgs, tg.sid)
			}
		}
		for _, d := range s.dids.recs {
			if d.owner != p.PartnerSID || d.status != "assigned" || len(ps.dids) >= math.MaxUint16 {
				continue
			}
			num, _ := d.obj["phonenumber"].(string)
			ds := didSnap{number: num, plus: "+" + num, tg: -1}
			if tg, ok := d.obj["trunk_group_sid"].(string); ok {
				if j, ok := tgIdx[tg]; ok {
					ds.tg = j
				}
			}
			if pr, ok := d.obj["price"].(string); ok {
				ds.price, _ = parseMicro(pr)
			}
			ps.dids = append(ps.dids, ds)
		}
		if i == 0 {
			ps.sizes = recordSizes{cfg.CDRs, cfg.MessageDRs, cfg.ConferenceMeetings, cfg.MediatorCalls}
		} else {
			ps.sizes = recordSizes{cfg.OtherCDRs, cfg.MessageDRs / 10, cfg.ConferenceMeetings / 10, cfg.MediatorCalls / 10}
		}
		snap.partners = append(snap.partners, ps)
	}
	s.recs = &recordStore{snap: snap}
}

// records returns the generated record store (generating it on first use).
// Callers hold the sandbox lock (read or write); generation touches only the
// store.
func (s *Sandbox) records() *recordStore {
	st := s.recs
	st.once.Do(func() { st.generate(); s.buildInvoices() })
	return st
}

// recordsOf returns the caller's records (nil for a partner without any).
func (c *call) records() *partnerRecs {
	return c.s.records().byPartner[c.partner.sid]
}

// window is 90 days before Now.
const recordWindow = 90 * 24 * time.Hour

func (st *recordStore) generate() {
	st.to = st.snap.now.UnixMilli()
	st.from = st.snap.now.Add(-recordWindow).UnixMilli()
	out := make([]*partnerRecs, len(st.snap.partners))
	var wg sync.WaitGroup
	for i, ps := range st.snap.partners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = st.generatePartner(i, ps)
		}()
	}
	wg.Wait()
	st.byPartner = map[string]*partnerRecs{}
	for _, p := range out {
		st.byPartner[p.sid] = p
	}
}

// mix64 is SplitMix64's finalizer: a fast, well-mixing bijection.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (st *recordStore) rng(partner, stream int) *rand.Rand {
	s := uint64(st.snap.seed)
	return rand.New(rand.NewPCG(mix64(s^uint64(partner)<<32^uint64(stream)), mix64(s+uint64(stream)*7919+uint64(partner))))
}

// Generation streams (independent random sequences per partner).
const (
	streamSetup = iota + 100
	streamCDR
	streamMDR
	streamConf
	streamMed
	streamInvoice
)

func (st *recordStore) generatePartner(pi int, ps partnerSnap) *partnerRecs {
	rng := st.rng(pi, streamSetup)
	p := &partnerRecs{sid: ps.sid, dids: ps.dids, mdrUserData: map[int32]*string{}}
	for k := range p.keys {
		p.keys[k] = rng.Uint64()
	}
	for i, sid := range ps.tgs {
		if i >= noTG {
			break
		}
		_ = newUUID(rng) // drawn as before, so the records that follow stay the same
		p.tgs = append(p.tgs, tgSnap{sid: sid, endpoint: ps.tgEndpoints[i], ip: ps.tgIPs[i]})
	}
	for i, d := range p.dids {
		if d.tg >= len(p.tgs) {
			p.dids[i].tg = -1
		}
		if p.dids[i].tg >= 0 {
			p.inDIDs = append(p.inDIDs, i)
		}
	}
	for range 12 {
		p.rooms = append(p.rooms, newUUID(rng))
	}
	for range 20 {
		p.bindings = append(p.bindings, newUUID(rng))
	}
	p.confEndpoint, p.medEndpoint = newUUID(rng), newUUID(rng)
	p.mediaHost = "https://storage.carrierx.example/" + ps.sid[:8] + "/media/"

	most := max(ps.sizes.cdrs, ps.sizes.mdrs, ps.sizes.mediator)
	p.ext = genExternal(rng, min(20000, max(200, most/20)))
	// Every tenth far end is a high-cost destination (outbound calls to it
	// are charged callRates[2], as the outbound rate table says of these
	// prefixes): Hawaii, Jamaica or Alaska, keeping the rest of the number.
	for i := 0; i < len(p.ext); i += 10 {
		p.ext[i] = highCostNPAs[(i/10)%len(highCostNPAs)] + p.ext[i][4:]
	}
	p.extPlus = make([]string, len(p.ext))
	for i, n := range p.ext {
		p.extPlus[i] = "+" + n
	}
	if len(p.dids) == 0 {
		return p // no numbers, no traffic
	}
	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	run(func() { st.genCDRs(p, st.rng(pi, streamCDR), ps.sizes.cdrs) })
	run(func() { st.genMDRs(p, st.rng(pi, streamMDR), ps.sizes.mdrs) })
	run(func() { st.genConference(p, st.rng(pi, streamConf), ps.sizes.meetings) })
	run(func() { st.genMediator(p, st.rng(pi, streamMed), ps.sizes.mediator) })
	wg.Wait()
	return p
}

// genExternal draws n distinct far-end US numbers.
func genExternal(rng *rand.Rand, n int) []string {
	seen := make(map[uint64]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		c := &cities[rng.IntN(len(cities))]
		npa, _ := strconv.Atoi(c.npas[rng.IntN(len(c.npas))])
		nxx := 200 + rng.IntN(800)
		if nxx%100 == 11 || nxx == 555 {
			continue
		}
		v := uint64(10000000000 + npa*10000000 + nxx*10000 + rng.IntN(10000))
		if seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, strconv.FormatUint(v, 10))
	}
	return out
}

// hourWeights is traffic by local hour of day: busy 9-17, quiet at night.
var hourWeights = [24]float64{0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 3, 6, 9, 10, 10,
	9.5, 9.5, 10, 10, 9, 7, 5, 4, 3, 2.2, 1.5, 1}

// usLocal is the offset of "local US time" for the traffic profile: US
// Eastern standard time, fixed (daylight saving is ignored, so the profile
// does not depend on a time zone database).
const usLocal = -5 * time.Hour

// spread calls emit n times (unix ms) in [from, to), distributed by hour of
// day (hourWeights) and day of week (weekends at 35 %), with ±15 % noise per
// hour. Counts per hour are apportioned exactly, so n times are emitted.
func spread(rng *rand.Rand, n int, from, to int64, emit func(t int64)) {
	if n <= 0 || to <= from {
		return
	}
	const hour = int64(time.Hour / time.Millisecond)
	first := from - (from % hour)
	var starts []int64
	var weights []float64
	total := 0.0
	for h := first; h < to; h += hour {
		lo, hi := max(h, from), min(h+hour, to)
		local := time.UnixMilli(h).UTC().Add(usLocal)
		w := hourWeights[local.Hour()] * float64(hi-lo) / float64(hour)
		if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.35
		}
		w *= 0.85 + 0.3*rng.Float64()
		starts = append(starts, h)
		weights = append(weights, w)
		total += w
	}
	cum, done := 0.0, 0
	for i, h := range starts {
		cum += weights[i]
		target := int(math.Round(float64(n) * cum / total))
		if i == len(starts)-1 {
			target = n
		}
		lo, hi := max(h, from), min(h+hour, to)
		for ; done < target; done++ {
			emit(lo + rng.Int64N(hi-lo))
		}
	}
}

func (st *recordStore) genCDRs(p *partnerRecs, rng *rand.Rand, n int) {
	if n <= 0 {
		return
	}
	p.cdrs = make([]cdr, 0, n)
	spread(rng, n, st.from, st.to, func(start int64) {
		var r cdr
		r.dir = dirInbound
		if rng.IntN(100) >= 60 || len(p.inDIDs) == 0 {
			r.dir = dirOutbound
		}
		cause := 0
		switch x := rng.IntN(1000); {
		case x < 820:
		case x < 880:
			cause = 1 // 486 busy
		case x < 940:
			cause = 2 // 487 cancelled
		case x < 970:
			cause = 3 // 480 unavailable
		case x < 990:
			cause = 4 // 404
		default:
			cause = 5 // 503
		}
		r.cause = uint8(cause)
		var ringMs, talkMs int64
		switch cause {
		case 0:
			ringMs = 800 + rng.Int64N(9000)
			talkMs = int64(math.Exp(math.Log(75000) + 1.1*rng.NormFloat64()))
			talkMs = min(max(talkMs, 900), 3*3600*1000)
		case 1:
			ringMs = 200 + rng.Int64N(1800)
		case 2:
			ringMs = 3000 + rng.Int64N(27000)
		case 3:
			ringMs = 15000 + rng.Int64N(30000)
		case 4:
			ringMs = 100 + rng.Int64N(700)
		default:
			ringMs = 50 + rng.Int64N(450)
		}
		ms := ringMs + talkMs
		r.dur = int32(ms*100 + rng.Int64N(100))
		if start+ms >= st.to {
			start = st.to - 1 - ms - rng.Int64N(60000)
		}
		r.stop = start + ms
		r.ring = -1
		if cause == 0 {
			r.ring = int32(ringMs)
			talkSec := int32((talkMs + 999) / 1000)
			incr := callRates[0].incr
			if r.dir == dirOutbound {
				incr = callRates[1].incr
			}
			r.bill = (talkSec + incr - 1) / incr * incr
		}
		r.insert = uint16(1 + rng.IntN(240))
		r.ext = uint16(rng.IntN(len(p.ext)))
		if r.dir == dirInbound {
			r.did = uint16(p.inDIDs[rng.IntN(len(p.inDIDs))])
			r.tg = uint8(p.dids[r.did].tg)
			if rng.IntN(10) < 7 {
				r.flags |= fPlusSrc
			}
			switch x := rng.IntN(10); {
			case x < 6:
				r.flags |= 1 << fStirShift
			case x < 8:
				r.flags |= 2 << fStirShift
			case x < 9:
				r.flags |= 3 << fStirShift
			}
		} else {
			r.did = uint16(rng.IntN(len(p.dids)))
			r.tg = noTG
			if tg := p.dids[r.did].tg; tg >= 0 {
				r.tg = uint8(tg)
			} else if len(p.tgs) > 0 {
				r.tg = uint8(rng.IntN(len(p.tgs)))
			}
			if rng.IntN(10) < 2 {
				r.flags |= fPlusSrc
			}
			r.flags |= uint8(1+rng.IntN(2)) << fStirShift
			r.rate = 1
			if r.ext%10 == 0 { // a high-cost far end (see generatePartner)
				r.rate = 2
			}
		}
		switch {
		case cause == 2:
		case cause != 0 || rng.IntN(2) == 0:
			r.flags |= fDiscDst
		}
		src := rng.IntN(len(codecs))
		dst := src
		if rng.IntN(10) < 3 {
			dst = rng.IntN(len(codecs))
		}
		r.codecs = uint8(src<<4 | dst)
		p.cdrs = append(p.cdrs, r)
	})
	slices.SortStableFunc(p.cdrs, func(a, b cdr) int { return cmpInt64(a.stop, b.stop) })
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (st *recordStore) genMDRs(p *partnerRecs, rng *rand.Rand, n int) {
	if n <= 0 {
		return
	}
	segs := make([]uint8, len(messageTexts))
	for i, t := range messageTexts {
		segs[i] = uint8(segments(t))
	}
	p.mdrs = make([]mdr, 0, n)
	spread(rng, n, st.from, st.to, func(start int64) {
		var m mdr
		if rng.IntN(100) < 45 {
			m.dir = dirInbound
		} else {
			m.dir = dirOutbound
		}
		m.msg = uint16(rng.IntN(len(messageTexts)))
		m.segs = segs[m.msg]
		if rng.IntN(100) < 15 {
			m.typ = 1
			m.segs = 1
		}
		delay := int32(0)
		if rng.IntN(10) == 0 {
			delay = int32(1 + rng.IntN(3))
		}
		m.sentD = delay*1000 + int32(50+rng.IntN(700))
		m.startD = m.sentD + int32(50+rng.IntN(2000))
		if start+int64(m.startD) >= st.to {
			start = st.to - 1 - int64(m.startD) - rng.Int64N(60000)
		}
		m.stop = start + int64(m.startD)
		m.insert = uint16(1 + rng.IntN(60))
		m.did = uint16(rng.IntN(len(p.dids)))
		m.ext = uint16(rng.IntN(len(p.ext)))
		m.mnc = uint8(rng.IntN(len(mncs)))
		p.mdrs = append(p.mdrs, m)
	})
	slices.SortStableFunc(p.mdrs, func(a, b mdr) int { return cmpInt64(a.stop, b.stop) })
}

// delaySent is delay_sent: whole seconds from date_start to date_sent.
func (m *mdr) delaySent() int64 { return int64(m.sentD / 1000) }

func (st *recordStore) genConference(p *partnerRecs, rng *rand.Rand, n int) {
	if n <= 0 {
		return
	}
	type draft struct {
		m     meeting
		calls []confCall
	}
	drafts := make([]draft, 0, n)
	spread(rng, n, st.from, st.to-4*3600*1000, func(t int64) {
		length := int64(5+rng.IntN(86)) * 60000
		k := 2 + rng.IntN(7)
		d := draft{m: meeting{room: uint16(rng.IntN(len(p.rooms))), did: uint16(rng.IntN(len(p.dids)))}}
		for j := range k {
			var c confCall
			c.start = t
			if j > 0 {
				c.start += rng.Int64N(300000)
			}
			c.join = c.start + 5000 + rng.Int64N(15000)
			end := t + length - rng.Int64N(120000)
			if j > 0 && rng.IntN(5) == 0 {
				end = c.join + rng.Int64N(max(1, end-c.join))
			}
			c.stop = max(end, c.join+1000) + rng.Int64N(1000)
			c.ext = uint16(rng.IntN(len(p.ext)))
			switch {
			case j == 0:
				c.role = 0
			case rng.IntN(4) == 0:
				c.role = 2
			default:
				c.role = 1
			}
			d.calls = append(d.calls, c)
		}
		d.m.start, d.m.stop = d.calls[0].join, d.calls[0].stop
		for _, c := range d.calls {
			d.m.start, d.m.stop = min(d.m.start, c.join), max(d.m.stop, c.stop)
		}
		d.m.calls = uint16(k)
		drafts = append(drafts, d)
	})
	slices.SortStableFunc(drafts, func(a, b draft) int { return cmpInt64(a.m.stop, b.m.stop) })
	p.meetings = make([]meeting, len(drafts))
	for i, d := range drafts {
		p.meetings[i] = d.m
		for _, c := range d.calls {
			c.meeting = int32(i)
			p.confCalls = append(p.confCalls, c)
		}
	}
	slices.SortStableFunc(p.confCalls, func(a, b confCall) int { return cmpInt64(a.stop, b.stop) })
}

func (st *recordStore) genMediator(p *partnerRecs, rng *rand.Rand, n int) {
	if n <= 0 {
		return
	}
	p.medCalls = make([]medCall, 0, n)
	spread(rng, n, st.from, st.to, func(start int64) {
		var m medCall
		ring := 1000 + rng.Int64N(12000)
		var talk int64
		m.ring = -1
		if rng.IntN(10) < 8 {
			talk = min(max(int64(math.Exp(math.Log(120000)+0.9*rng.NormFloat64())), 1000), 2*3600*1000)
			m.ring = int32(ring)
			m.bill = int32((talk+59999)/60000) * 60
		}
		ms := ring + talk
		m.dur = int32(ms*100 + rng.Int64N(100))
		if start+ms >= st.to {
			start = st.to - 1 - ms - rng.Int64N(60000)
		}
		m.stop = start + ms
		m.binding = uint16(rng.IntN(len(p.bindings)))
		m.did = uint16(rng.IntN(len(p.dids)))
		m.ext = uint16(rng.IntN(len(p.ext)))
		m.dst = uint16((int(m.binding)*7919 + 13) % len(p.ext))
		p.medCalls = append(p.medCalls, m)
	})
	slices.SortStableFunc(p.medCalls, func(a, b medCall) int { return cmpInt64(a.stop, b.stop) })
}

// parseMicro parses a decimal string with at most 6 decimals into
// micro-units, exactly.
func parseMicro(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var v int64
	frac := -1
	digits := 0
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == '.' && frac < 0:
			frac = 0
		case b >= '0' && b <= '9':
			if frac >= 0 {
				if frac == 6 {
					if b != '0' {
						return 0, false
					}
					continue
				}
				frac++
			}
			digits++
			if v > (math.MaxInt64-9)/10 {
				return 0, false
			}
			v = v*10 + int64(b-'0')
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if frac < 0 {
		frac = 0
	}
	for ; frac < 6; frac++ {
		if v > math.MaxInt64/10 {
			return 0, false
		}
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000}

// appendScaled appends v / 10^scale as a decimal without trailing zeros
// ("0.0025", "4.25015", "60", "-0.45").
func appendScaled(b []byte, v int64, scale int) []byte {
	if v < 0 {
		b = append(b, '-')
		if v == math.MinInt64 {
			return append(b, "9223372036854775808"...) // not reachable with real data
		}
		v = -v
	}
	if scale == 0 {
		return strconv.AppendInt(b, v, 10)
	}
	p := pow10[scale]
	b = strconv.AppendInt(b, v/p, 10)
	frac := v % p
	if frac == 0 {
		return b
	}
	var tmp [10]byte
	for i := scale - 1; i >= 0; i-- {
		tmp[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := scale
	for n > 0 && tmp[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, tmp[:n]...)
}

func formatMicro(v int64) string { return string(appendScaled(nil, v, 6)) }
