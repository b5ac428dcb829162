package sandbox

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// A record kind's fields, in CarrierX's (alphabetical) key order. Each field
// reads one value of record i from the compact structs; the same accessors
// serve the hand-written JSON appender and the filters.

// dv is one field value: an integer (times in unix ms, numbers scaled by
// 10^scale, bools 0/1) or a string.
type dv struct {
	null bool
	i    int64
	s    string
}

var nullDV = dv{null: true}

func strDV(s string) dv {
	if s == "" {
		return nullDV
	}
	return dv{s: s}
}

func intDV(i int64) dv { return dv{i: i} }

func boolDV(b bool) dv {
	if b {
		return dv{i: 1}
	}
	return dv{}
}

// drField is one field of a record kind.
type drField struct {
	name  string
	key   []byte    // `"name":`
	kind  fieldKind // kindString, kindInt, kindBool, kindNum, kindTime; kindArray for raw JSON
	scale int       // kindNum: decimals of the scaled integer
	get   func(p *partnerRecs, i int) dv
	raw   func(b []byte, p *partnerRecs, i int) []byte // kindArray / free-form JSON
	sid   int                                          // 1 + the kind whose SID this field is, 0 for other fields
}

// drKind is a record collection's definition.
type drKind struct {
	kind    int
	name    string
	idField string
	fields  []*drField
	byName  map[string]*drField
	sch     *schema // the same fields, for include/exclude_fields and order validation
}

func newDRKind(kind int, name, idField string, fields ...*drField) *drKind {
	k := &drKind{kind: kind, name: name, idField: idField, fields: fields, byName: map[string]*drField{}}
	var sf []*field
	for _, f := range fields {
		f.key = []byte(strconv.Quote(f.name) + ":")
		k.byName[f.name] = f
		sf = append(sf, fld(f.name, f.kind, ro(), null()))
	}
	k.sch = newSchema(name, idField, sf...)
	return k
}

func fStr(name string, get func(p *partnerRecs, i int) string) *drField {
	return &drField{name: name, kind: kindString, get: func(p *partnerRecs, i int) dv { return strDV(get(p, i)) }}
}

func fVal(name string, kind fieldKind, scale int, get func(p *partnerRecs, i int) dv) *drField {
	return &drField{name: name, kind: kind, scale: scale, get: get}
}

func fNull(name string, kind fieldKind) *drField {
	return &drField{name: name, kind: kind, get: func(*partnerRecs, int) dv { return nullDV }}
}

func fRaw(name string, raw func(b []byte, p *partnerRecs, i int) []byte) *drField {
	return &drField{name: name, kind: kindArray, raw: raw}
}

func fSID(name string, kind int) *drField {
	return &drField{name: name, kind: kindString, sid: 1 + kind, get: func(p *partnerRecs, i int) dv {
		return dv{s: sidString(p.keys[kind], i)}
	}}
}

func fPartner() *drField {
	return fStr("partner_sid", func(p *partnerRecs, i int) string { return p.sid })
}

// appendValue appends field f of record i as JSON.
func (f *drField) appendValue(b []byte, p *partnerRecs, i int) []byte {
	if f.raw != nil {
		return f.raw(b, p, i)
	}
	if f.sid > 0 { // rendered without building a string
		b = append(b, '"')
		b = appendSID(b, p.keys[f.sid-1], i)
		return append(b, '"')
	}
	v := f.get(p, i)
	if v.null {
		return append(b, "null"...)
	}
	switch f.kind {
	case kindString:
		return appendJSONString(b, v.s)
	case kindInt:
		return strconv.AppendInt(b, v.i, 10)
	case kindBool:
		return strconv.AppendBool(b, v.i != 0)
	case kindNum:
		b = append(b, '"')
		b = appendScaled(b, v.i, f.scale)
		return append(b, '"')
	case kindTime:
		b = append(b, '"')
		b = appendTS(b, v.i)
		return append(b, '"')
	}
	return append(b, "null"...)
}

// appendRecord appends record i as a JSON object; mask (nil = all) selects
// fields by index; partner, when not nil, is appended as "partner".
func (k *drKind) appendRecord(b []byte, p *partnerRecs, i int, mask []bool, partner []byte) []byte {
	b = append(b, '{')
	first := true
	for j, f := range k.fields {
		if mask != nil && !mask[j] {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		b = f.appendValue(b, p, i)
	}
	if partner != nil {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"partner":`...)
		b = append(b, partner...)
	}
	return append(b, '}')
}

// appendTS appends unix milliseconds in CarrierX's timestamp format.
func appendTS(b []byte, ms int64) []byte {
	return time.UnixMilli(ms).UTC().AppendFormat(b, tsLayout)
}

// appendJSONString appends s as a JSON string (valid UTF-8 kept as is,
// invalid bytes replaced, control characters and quotes escaped).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// ---- call detail records (§4.9) ----

func (p *partnerRecs) cdrNumberSrc(r *cdr) string {
	if r.dir == dirInbound {
		if r.flags&fPlusSrc != 0 {
			return p.extPlus[r.ext]
		}
		return p.ext[r.ext]
	}
	if r.flags&fPlusSrc != 0 {
		return p.dids[r.did].plus
	}
	return p.dids[r.did].number
}

func (p *partnerRecs) cdrNumberDst(r *cdr) string {
	if r.dir == dirInbound {
		return p.dids[r.did].number
	}
	return p.ext[r.ext]
}

// carrierIPs are the far-end carriers' signalling addresses.
var carrierIPs = [...]string{"162.251.180.18", "162.251.180.24", "12.7.193.174", "208.78.161.35", "64.125.31.12"}

func (p *partnerRecs) tgOf(r *cdr) *tgSnap {
	if int(r.tg) < len(p.tgs) {
		return &p.tgs[r.tg]
	}
	return nil
}

func stirAttest(flags uint8) string {
	switch flags >> fStirShift & 3 {
	case 1:
		return "A"
	case 2:
		return "B"
	case 3:
		return "C"
	}
	return ""
}

// sipCallID is a Call-ID derived from the record (32 hex digits @ host).
func sipCallID(key uint64, i int, side uint64, host string) string {
	h1, h2 := mix64(key^uint64(i)<<8^side), mix64(key+uint64(i)*31+side)
	var b [32]byte
	for k := 0; k < 16; k++ {
		b[k] = hexDigits[h1>>(4*uint(k))&0xf]
		b[16+k] = hexDigits[h2>>(4*uint(k))&0xf]
	}
	return string(b[:]) + "@" + host
}

var cdrKind = func() *drKind {
	c := func(p *partnerRecs, i int) *cdr { return &p.cdrs[i] }
	ep := func(p *partnerRecs, r *cdr) string {
		if tg := p.tgOf(r); tg != nil {
			return tg.endpoint
		}
		return ""
	}
	tgSID := func(p *partnerRecs, r *cdr) string {
		if tg := p.tgOf(r); tg != nil {
			return tg.sid
		}
		return ""
	}
	sbc := func(p *partnerRecs, r *cdr) string {
		if tg := p.tgOf(r); tg != nil {
			return tg.ip
		}
		return ""
	}
	stirOn := func(p *partnerRecs, i int) bool { return stirAttest(c(p, i).flags) != "" }
	return newDRKind(recCDR, "call_dr", "dr_sid",
		fNull("cic", kindString),
		fNull("cic_original", kindString),
		fNull("cic_transformed", kindString),
		fStr("codec_dst", func(p *partnerRecs, i int) string { return codecs[c(p, i).codecs&0xf] }),
		fStr("codec_src", func(p *partnerRecs, i int) string { return codecs[c(p, i).codecs>>4] }),
		fVal("date_insert", kindTime, 0, func(p *partnerRecs, i int) dv {
			r := c(p, i)
			return intDV((r.stop/1000 + 1 + int64(r.insert)) * 1000)
		}),
		fVal("date_start", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(c(p, i).start()) }),
		fVal("date_stop", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(c(p, i).stop) }),
		fVal("date_talk", kindTime, 0, func(p *partnerRecs, i int) dv {
			r := c(p, i)
			if r.ring < 0 {
				return nullDV
			}
			return intDV(r.start() + int64(r.ring))
		}),
		fStr("direction", func(p *partnerRecs, i int) string { return dirNames[c(p, i).dir] }),
		fStr("disconnect_originator", func(p *partnerRecs, i int) string {
			if c(p, i).flags&fDiscDst != 0 {
				return "DST"
			}
			return "SRC"
		}),
		fNull("diversion_dst", kindString),
		fNull("diversion_src", kindString),
		fSID("dr_sid", recCDR),
		fVal("duration", kindNum, 5, func(p *partnerRecs, i int) dv { return intDV(int64(c(p, i).dur)) }),
		fVal("duration_billing", kindNum, 0, func(p *partnerRecs, i int) dv { return intDV(int64(c(p, i).bill)) }),
		fStr("endpoint_sid_dst", func(p *partnerRecs, i int) string {
			r := c(p, i)
			if r.dir == dirInbound {
				return ep(p, r)
			}
			return systemGatewaySID
		}),
		fStr("endpoint_sid_src", func(p *partnerRecs, i int) string {
			r := c(p, i)
			if r.dir == dirInbound {
				return systemGatewaySID
			}
			return ep(p, r)
		}),
		fNull("identity", kindString),
		fStr("ip_dst", func(p *partnerRecs, i int) string {
			r := c(p, i)
			if r.dir == dirInbound {
				if ip := sbc(p, r); ip != "" {
					return ip + ":5060"
				}
				return ""
			}
			return carrierIPs[int(r.ext)%len(carrierIPs)] + ":5060"
		}),
		fStr("ip_src", func(p *partnerRecs, i int) string {
			r := c(p, i)
			if r.dir == dirInbound {
				return carrierIPs[int(r.ext)%len(carrierIPs)]
			}
			return sbc(p, r)
		}),
		fStr("number_billing", func(p *partnerRecs, i int) string { return p.dids[c(p, i).did].number }),
		fStr("number_dst", func(p *partnerRecs, i int) string { return p.cdrNumberDst(c(p, i)) }),
		fNull("number_dst_original", kindString),
		fNull("number_dst_transformed", kindString),
		fStr("number_external", func(p *partnerRecs, i int) string { return p.ext[c(p, i).ext] }),
		fStr("number_src", func(p *partnerRecs, i int) string { return p.cdrNumberSrc(c(p, i)) }),
		fNull("number_src_original", kindString),
		fNull("number_src_transformed", kindString),
		fPartner(),
		fVal("price", kindNum, 6, func(p *partnerRecs, i int) dv { return intDV(c(p, i).price()) }),
		// The LCR fields' meaning is not documented: they are left null.
		fNull("price_lcr_dst", kindNum),
		fNull("price_lcr_src", kindNum),
		fVal("rate", kindNum, 6, func(p *partnerRecs, i int) dv { return intDV(callRates[c(p, i).rate].micro) }),
		fNull("rate_lcr_dst", kindNum),
		fNull("rate_lcr_src", kindNum),
		fStr("sipcallid_dst", func(p *partnerRecs, i int) string {
			r := c(p, i)
			host := carrierIPs[(int(r.ext)+2)%len(carrierIPs)]
			if r.dir == dirOutbound {
				host = "10.1.1." + itoa(10+i%5)
			}
			return sipCallID(p.keys[recCDR], i, 1, host)
		}),
		fStr("sipcallid_src", func(p *partnerRecs, i int) string {
			r := c(p, i)
			host := carrierIPs[int(r.ext)%len(carrierIPs)]
			if r.dir == dirOutbound {
				if host = sbc(p, r); host == "" {
					host = "10.1.1.9"
				}
			}
			return sipCallID(p.keys[recCDR], i, 2, host)
		}),
		fStr("sipcause", func(p *partnerRecs, i int) string { return sipCauses[c(p, i).cause] }),
		fStr("stir_attest", func(p *partnerRecs, i int) string { return stirAttest(c(p, i).flags) }),
		fStr("stir_identity", func(p *partnerRecs, i int) string {
			if !stirOn(p, i) {
				return ""
			}
			return "false"
		}),
		fStr("stir_orig_id", func(p *partnerRecs, i int) string {
			r := c(p, i)
			if !stirOn(p, i) {
				return ""
			}
			if r.dir == dirInbound {
				return p.extPlus[r.ext]
			}
			return p.dids[r.did].plus
		}),
		fStr("stir_signing_entity", func(p *partnerRecs, i int) string {
			if !stirOn(p, i) {
				return ""
			}
			return "carrierX"
		}),
		fNull("stir_verstat", kindString),
		fVal("transcoded", kindBool, 0, func(p *partnerRecs, i int) dv {
			r := c(p, i)
			return boolDV(r.codecs>>4 != r.codecs&0xf)
		}),
		fStr("trunk_group_sid_dst", func(p *partnerRecs, i int) string {
			if r := c(p, i); r.dir == dirInbound {
				return tgSID(p, r)
			}
			return ""
		}),
		fStr("trunk_group_sid_src", func(p *partnerRecs, i int) string {
			if r := c(p, i); r.dir == dirOutbound {
				return tgSID(p, r)
			}
			return ""
		}),
	)
}()

// ---- message detail records (§4.12) ----

func rawNull(b []byte, _ *partnerRecs, _ int) []byte { return append(b, "null"...) }

var mdrKind = func() *drKind {
	m := func(p *partnerRecs, i int) *mdr { return &p.mdrs[i] }
	start := func(r *mdr) int64 { return r.stop - int64(r.startD) }
	return newDRKind(recMDR, "message_dr", "dr_sid",
		fRaw("a2p_campaign", rawNull),
		fVal("date_changed", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(m(p, i).stop) }),
		fVal("date_insert", kindTime, 0, func(p *partnerRecs, i int) dv {
			r := m(p, i)
			return intDV((r.stop/1000 + 1 + int64(r.insert)) * 1000)
		}),
		fVal("date_sent", kindTime, 0, func(p *partnerRecs, i int) dv {
			r := m(p, i)
			return intDV(start(r) + int64(r.sentD))
		}),
		fVal("date_start", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(start(m(p, i))) }),
		fVal("date_stop", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(m(p, i).stop) }),
		fVal("delay_sent", kindInt, 0, func(p *partnerRecs, i int) dv { return intDV(m(p, i).delaySent()) }),
		fStr("direction", func(p *partnerRecs, i int) string { return dirNames[m(p, i).dir] }),
		fSID("dr_sid", recMDR),
		fVal("mcc", kindInt, 0, func(p *partnerRecs, i int) dv { return intDV(310) }),
		// Carrier (MCC/MNC) and passthrough fees are not modelled: null.
		fNull("mcc_mnc_price", kindNum),
		fNull("mcc_mnc_rate", kindNum),
		fRaw("media_urls", func(b []byte, p *partnerRecs, i int) []byte {
			if m(p, i).typ == 0 {
				return append(b, "[]"...)
			}
			b = append(b, '[', '"')
			b = append(b, p.mediaHost...)
			b = appendSID(b, p.keys[recMDR]^0x5bd1e995, i)
			return append(b, ".jpg\"]"...)
		}),
		fStr("message", func(p *partnerRecs, i int) string { return p.text(m(p, i).msg) }),
		fVal("message_segments", kindInt, 0, func(p *partnerRecs, i int) dv { return intDV(int64(m(p, i).segs)) }),
		fVal("mnc", kindInt, 0, func(p *partnerRecs, i int) dv { return intDV(mncs[m(p, i).mnc]) }),
		fStr("number_billing", func(p *partnerRecs, i int) string { return p.dids[m(p, i).did].number }),
		fStr("number_dst", func(p *partnerRecs, i int) string {
			r := m(p, i)
			if r.dir == dirInbound {
				return p.dids[r.did].number
			}
			return p.ext[r.ext]
		}),
		fStr("number_external", func(p *partnerRecs, i int) string { return p.ext[m(p, i).ext] }),
		fRaw("number_group_dst", func(b []byte, _ *partnerRecs, _ int) []byte { return append(b, "[]"...) }),
		fStr("number_src", func(p *partnerRecs, i int) string {
			r := m(p, i)
			if r.dir == dirInbound {
				return p.ext[r.ext]
			}
			return p.dids[r.did].number
		}),
		fNull("p2p_nnid", kindString),
		fPartner(),
		fNull("passthrough_price", kindNum),
		fNull("passthrough_rate", kindNum),
		fVal("price", kindNum, 6, func(p *partnerRecs, i int) dv { return intDV(m(p, i).price()) }),
		fStr("provider", func(*partnerRecs, int) string { return "tsg" }),
		fVal("rate", kindNum, 6, func(p *partnerRecs, i int) dv {
			r := m(p, i)
			return intDV(messageRates[r.typ][r.dir])
		}),
		fRaw("registration_type", rawNull),
		// Only "sent" is a documented DR status; every record has it.
		fStr("status", func(*partnerRecs, int) string { return "sent" }),
		fStr("type", func(p *partnerRecs, i int) string { return msgTypes[m(p, i).typ] }),
		fVal("user_data", kindString, 0, func(p *partnerRecs, i int) dv {
			if s := p.mdrUserData[int32(i)]; s != nil {
				return dv{s: *s}
			}
			return nullDV
		}),
		fRaw("vendor_error_code", rawNull),
		fRaw("version", rawNull),
	)
}()

// ---- conference calls (§4.10) and meetings ----

var confCallKind = func() *drKind {
	cc := func(p *partnerRecs, i int) *confCall { return &p.confCalls[i] }
	mt := func(p *partnerRecs, i int) *meeting { return &p.meetings[cc(p, i).meeting] }
	return newDRKind(recConfCall, "conference_call", "call_sid",
		fNull("address_dst", kindString),
		fNull("address_src", kindString),
		fNull("audio_key", kindString),
		fNull("bridge", kindString),
		fSID("call_sid", recConfCall),
		fNull("custom_call_type", kindString),
		fNull("custom_name", kindString),
		fVal("date_disconnected", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(cc(p, i).stop) }),
		fVal("date_insert", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV((cc(p, i).stop/1000 + 5) * 1000) }),
		fVal("date_join", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(cc(p, i).join) }),
		fVal("date_start", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(cc(p, i).start) }),
		fVal("date_stop", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(cc(p, i).stop) }),
		fStr("direction", func(*partnerRecs, int) string { return "inbound" }),
		fVal("disconnect_cause", kindInt, 0, func(*partnerRecs, int) dv { return intDV(16) }),
		fStr("disconnect_originator", func(*partnerRecs, int) string { return "src" }),
		fStr("disconnect_reason", func(*partnerRecs, int) string { return "Normal" }),
		// Durations are whole seconds, as in the documented sample ("50").
		fVal("duration", kindNum, 0, func(p *partnerRecs, i int) dv {
			r := cc(p, i)
			return intDV((r.stop - r.start) / 1000)
		}),
		fVal("duration_meeting", kindNum, 0, func(p *partnerRecs, i int) dv {
			r := cc(p, i)
			return intDV((r.stop - r.join) / 1000)
		}),
		fStr("endpoint_sid", func(p *partnerRecs, i int) string { return p.endpointOf(mt(p, i).ep, p.confEndpoint) }),
		fStr("meeting_room_sid", func(p *partnerRecs, i int) string { return p.rooms[mt(p, i).room] }),
		fVal("meeting_sid", kindString, 0, func(p *partnerRecs, i int) dv {
			return dv{s: sidString(p.keys[recMeeting], int(cc(p, i).meeting))}
		}),
		fStr("node", func(p *partnerRecs, i int) string { return "conf-node-" + itoa(1+int(cc(p, i).meeting)%3) }),
		fStr("number_dst", func(p *partnerRecs, i int) string { return p.dids[mt(p, i).did].number }),
		fStr("number_src", func(p *partnerRecs, i int) string { return p.extPlus[cc(p, i).ext] }),
		fPartner(),
		fStr("role", func(p *partnerRecs, i int) string { return confRoles[cc(p, i).role] }),
		fNull("user_agent", kindString),
	)
}()

var meetingKind = func() *drKind {
	mt := func(p *partnerRecs, i int) *meeting { return &p.meetings[i] }
	return newDRKind(recMeeting, "conference_meeting", "meeting_sid",
		fVal("date_insert", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV((mt(p, i).stop/1000 + 30) * 1000) }),
		fVal("date_start", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(mt(p, i).start) }),
		fVal("date_stop", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(mt(p, i).stop) }),
		fVal("duration", kindNum, 0, func(p *partnerRecs, i int) dv {
			m := mt(p, i)
			return intDV((m.stop - m.start) / 1000)
		}),
		fStr("endpoint_sid", func(p *partnerRecs, i int) string { return p.endpointOf(mt(p, i).ep, p.confEndpoint) }),
		fStr("meeting_room_sid", func(p *partnerRecs, i int) string { return p.rooms[mt(p, i).room] }),
		fSID("meeting_sid", recMeeting),
		fPartner(),
		fVal("participants", kindInt, 0, func(p *partnerRecs, i int) dv { return intDV(int64(mt(p, i).calls)) }),
	)
}()

// ---- Mediator calls ----

var mediatorKind = func() *drKind {
	mc := func(p *partnerRecs, i int) *medCall { return &p.medCalls[i] }
	return newDRKind(recMediator, "mediator_call", "dr_sid",
		fStr("binding_sid", func(p *partnerRecs, i int) string { return p.bindings[mc(p, i).binding] }),
		fVal("date_insert", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV((mc(p, i).stop/1000 + 20) * 1000) }),
		fVal("date_start", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(mc(p, i).start()) }),
		fVal("date_stop", kindTime, 0, func(p *partnerRecs, i int) dv { return intDV(mc(p, i).stop) }),
		fVal("dialout_sid", kindString, 0, func(p *partnerRecs, i int) dv {
			if d := mc(p, i).dialout; d > 0 {
				return dv{s: p.dialouts[d-1]}
			}
			return nullDV
		}),
		fSID("dr_sid", recMediator),
		fVal("duration", kindNum, 5, func(p *partnerRecs, i int) dv { return intDV(int64(mc(p, i).dur)) }),
		fVal("duration_billing", kindNum, 0, func(p *partnerRecs, i int) dv { return intDV(int64(mc(p, i).bill)) }),
		fStr("endpoint_sid", func(p *partnerRecs, i int) string { return p.endpointOf(mc(p, i).ep, p.medEndpoint) }),
		fStr("number_dst", func(p *partnerRecs, i int) string { return p.ext[mc(p, i).dst] }),
		fStr("number_redirect", func(p *partnerRecs, i int) string { return p.dids[mc(p, i).did].number }),
		fStr("number_src", func(p *partnerRecs, i int) string { return p.ext[mc(p, i).ext] }),
		fPartner(),
		// Mediator usage is billed through the legs' call detail records (toll
		// items); whether the app record carries a price of its own is not
		// confirmed, so it is null.
		fNull("price", kindNum),
		// Status values are not documented; only "completed" (answered) and
		// "no_answer" are used.
		fStr("status", func(p *partnerRecs, i int) string {
			if mc(p, i).ring < 0 {
				return "no_answer"
			}
			return "completed"
		}),
	)
}()

var drKinds = [recKinds]*drKind{cdrKind, mdrKind, confCallKind, meetingKind, mediatorKind}
