package sandbox

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
)

// SMS/MMS messages (Core v2 /sms/messages, §4.11): messages a partner sends
// from the numbers it rents. A sent message is "queued", and "sent" once
// smsSentAfter has passed on the sandbox clock. Those are the documented
// status names; "delivered", "failed" and the others are not confirmed and
// never shown.
//
// Once sent, a message leaves a message detail record in /sms/message_drs
// (priced at the sandbox's message rates, like the generated ones).
//
// Not served (not confirmed): inbound messages (a message sent to a number
// another partner rents is not delivered to it), rating on the message
// itself (price stays null) and mcc/mnc (null).

func init() {
	extraTables = append(extraTables, smsTable)
	routeAdders = append(routeAdders, (*Sandbox).smsRoutes)
	tickers = append(tickers, (*Sandbox).tickSMS)
}

// tickSMS sends the queued messages that are due and records them; it
// returns when the next queued message is due.
func (s *Sandbox) tickSMS(now time.Time) time.Time {
	var next time.Time
	for _, r := range s.table(smsTable).recs {
		if r.obj["status"] != "queued" {
			continue
		}
		o := smsProgress(r.obj, now)
		if o["status"] == "queued" {
			created, _ := parseTS(fmt.Sprint(r.obj["date_created"]))
			if due := created.Add(smsSentAfter); next.IsZero() || due.Before(next) {
				next = due
			}
			continue
		}
		r.set(o)
		s.recordSentMessage(r.owner, o)
	}
	return next
}

// recordSentMessage adds the message detail record of a sent message: one
// record for each recipient of a group message.
func (s *Sandbox) recordSentMessage(partnerSID string, o object) {
	created, _ := parseTS(fmt.Sprint(o["date_created"]))
	sent, _ := parseTS(fmt.Sprint(o["date_status_changed"]))
	from, _ := o["from"].(string)
	text, _ := o["message"].(string)
	to := []string{fmt.Sprint(o["to"])}
	if g, ok := o["group_recipients"].([]any); ok {
		for _, n := range g {
			if n != o["to"] {
				to = append(to, fmt.Sprint(n))
			}
		}
	}
	for _, n := range to {
		s.recordMessage(partnerSID, liveMessage{direction: dirOutbound, number: from, external: n, text: text,
			mms: o["type"] == "mms", start: created, sent: sent, stop: sent})
	}
}

const smsTable = "sms_messages"

// smsSentAfter is how long a message stays "queued".
const smsSentAfter = 2 * time.Second

// Limits of §4.11. The 3 MB media limit cannot be checked (the sandbox does
// not fetch media) and is not enforced.
const (
	smsMaxChars      = 1600
	smsMaxMedia      = 10
	smsMaxGroup      = 10  // participants of a group message, the sender included
	smsUserDataLimit = 255 // not confirmed; the message detail record's limit
)

// smsSchema is the SMS/MMS message object. from, to, message, media_urls and
// group_recipients are given when sending and cannot be changed afterwards;
// user_data is the only attribute an update may change. Both are not
// confirmed: it is the conservative reading of a message that has been sent.
var smsSchema = newSchema("message", "message_sid",
	fld("date_changed", kindTime, ro(), null()),
	fld("date_created", kindTime, ro(), null()),
	fld("date_status_changed", kindTime, ro(), null()),
	fld("direction", kindString, ro()),
	fld("from", kindString, createOnly(), null(), check(smsPhoneCheck("from"))),
	fld("group_recipients", kindArray, createOnly(), def([]any{}), elemKind(kindString)),
	fld("mcc", kindInt, ro(), null()),
	fld("media_urls", kindArray, createOnly(), def([]any{}), elemKind(kindString)),
	fld("message", kindString, createOnly(), null(), maxLen(smsMaxChars)),
	fld("message_segments", kindInt, ro()),
	sidField("message_sid"),
	fld("mnc", kindInt, ro(), null()),
	fld("partner_sid", kindString, ro()),
	fld("price", kindNum, ro(), null()),
	fld("status", kindString, ro()),
	fld("to", kindString, createOnly(), null(), check(smsPhoneCheck("to"))),
	fld("type", kindString, ro()),
	fld("user_data", kindString, null(), maxLen(smsUserDataLimit)),
)

// smsE164RE: a phone number as E.164 digits with an optional "+": a country
// code and 10 to 15 digits in all. Short codes and shorter national numbers
// as destinations are not confirmed and refused.
var smsE164RE = regexp.MustCompile(`^\+?[1-9][0-9]{9,14}$`)

func smsPhoneCheck(name string) func(c *call, v any) string {
	return func(c *call, v any) string {
		if !smsE164RE.MatchString(v.(string)) {
			return name + " must be a phone number in E.164 format"
		}
		return ""
	}
}

func smsPlainNumber(s string) string { return strings.TrimPrefix(s, "+") }

// smsSegments is the number of segments a text takes: 160 GSM-7 characters
// in one, 153 per segment beyond, or 70 / 67 UTF-16 units for other text.
// CarrierX's exact rule is not confirmed; this is the usual one, with the
// GSM-7 alphabet approximated by printable ASCII (the extension characters
// counting two).
func smsSegments(text string) int64 {
	gsm, n := true, 0
	for _, r := range text {
		switch {
		case strings.ContainsRune("^{}\\[~]|", r):
			n += 2
		case r == '\n' || r == '\r' || (r >= 0x20 && r < 0x7f && r != '`'):
			n++
		default:
			gsm = false
		}
	}
	single, multi := 160, 153
	if !gsm {
		n = len(utf16.Encode([]rune(text)))
		single, multi = 70, 67
	}
	if n <= single {
		return 1
	}
	return int64(math.Ceil(float64(n) / float64(multi)))
}

// smsProgress returns o as it stands at now: a queued message is sent once
// smsSentAfter has passed since it was created.
func smsProgress(o object, now time.Time) object {
	if o["status"] != "queued" {
		return o
	}
	created, _ := o["date_created"].(string)
	t, ok := parseTS(created)
	if !ok || now.Before(t.Add(smsSentAfter)) {
		return o
	}
	at := formatTS(t.Add(smsSentAfter))
	o = cloneObject(o)
	o["status"], o["date_status_changed"], o["date_changed"] = "sent", at, at
	return o
}

// smsView serves /sms/messages. The default page size (10, the docs'
// default) and an integer total are not confirmed for this collection.
func (s *Sandbox) smsView() *view {
	now := func(c *call, r *record) object { return smsProgress(r.obj, c.now) }
	return &view{schema: smsSchema, table: s.table(smsTable), param: "message_sid", defaultLimit: 10,
		visible:   func(c *call, r *record) bool { return r.owner == c.partner.sid },
		present:   now,
		filterObj: now,
		// An update that changes user_data moves date_changed (not
		// confirmed; it is what the name says).
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if rec != nil && !sameJSON(next["user_data"], rec.obj["user_data"]) {
				next["date_changed"] = formatTS(c.now)
			}
			return nil
		},
		newObject: func(c *call) object {
			o := smsSchema.defaults()
			ts := formatTS(c.now)
			for k, v := range map[string]any{"date_changed": ts, "date_created": ts, "direction": "outbound",
				"message_sid": s.newSID(), "partner_sid": c.partner.sid, "status": "queued",
				"message_segments": int64(1), "type": "sms"} {
				o[k] = v
			}
			return o
		},
	}
}

// smsAliases maps the legacy from_did / to_did to from / to. Giving both
// names with different values is a 422.
func smsAliases(body map[string]any) (map[string]any, []errItem) {
	var errs []errItem
	for _, pair := range [][2]string{{"from_did", "from"}, {"to_did", "to"}} {
		legacy, name := pair[0], pair[1]
		v, ok := body[legacy]
		if !ok {
			continue
		}
		body = cloneObject(body)
		delete(body, legacy)
		if cur, both := body[name]; both && !sameJSON(cur, v) {
			errs = append(errs, item(legacy, legacy+" and "+name+" differ"))
			continue
		}
		body[name] = v
	}
	return body, errs
}

// smsSend serves POST /sms/messages: 200 and the new message, "queued".
//
// from must be a number the caller rents whose capabilities include sending
// SMS (bit 2) or, for an MMS, MMS (bit 16). Messaging enablement
// (active_capabilities) is not required: the sandbox does not serve it, and
// requiring it would refuse every send. to is required, a group message
// included (not confirmed). A message with media_urls or group_recipients is
// an MMS; an SMS needs a non-empty message.
func (s *Sandbox) smsSend(c *call) (int, any, *apiError) {
	v := s.smsView()
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	body, errs := smsAliases(body)
	next, es := applyBody(c, smsSchema, v.newObject(c), body, modeCreate, "")
	errs = append(errs, es...)
	bad := map[string]bool{}
	for _, e := range errs {
		if e.Field != nil {
			bad[*e.Field] = true
		}
	}
	add := func(field, msg string) { errs = append(errs, item(field, msg)); bad[field] = true }

	media, _ := next["media_urls"].([]any)
	group, _ := next["group_recipients"].([]any)
	mms := len(media) > 0 || len(group) > 0
	if mms {
		next["type"] = "mms"
	}
	for _, k := range []string{"from", "to"} {
		if next[k] == nil && !bad[k] {
			add(k, k+" is required")
		}
	}
	if from, ok := next["from"].(string); ok && !bad["from"] {
		from = smsPlainNumber(from)
		next["from"] = from
		d := s.didByNumber[from]
		bit, kind := int64(2), "SMS"
		if mms {
			bit, kind = 16, "MMS"
		}
		if d == nil || d.owner != c.partner.sid || d.status != "assigned" {
			add("from", "from must be a phone number rented by the partner")
		} else if caps, _ := intOf(d.obj["capabilities"]); caps&bit == 0 {
			add("from", "from cannot send "+kind)
		}
	}
	if to, ok := next["to"].(string); ok && !bad["to"] {
		next["to"] = smsPlainNumber(to)
	}
	text, _ := next["message"].(string)
	if !mms && text == "" && !bad["message"] {
		add("message", "message is required")
	}
	if len(media) > smsMaxMedia {
		add("media_urls", fmt.Sprintf("media_urls must hold at most %d URLs", smsMaxMedia))
	}
	for i, m := range media {
		u, perr := url.Parse(m.(string))
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add(fmt.Sprintf("media_urls[%d]", i), "media_urls must hold http or https URLs")
		}
	}
	if len(group) > 0 {
		seen := map[string]bool{}
		if from, ok := next["from"].(string); ok {
			seen[from] = true
		}
		nums := make([]any, 0, len(group))
		for i, g := range group {
			n := g.(string)
			if !smsE164RE.MatchString(n) {
				add(fmt.Sprintf("group_recipients[%d]", i), "group_recipients must hold phone numbers in E.164 format")
				continue
			}
			n = smsPlainNumber(n)
			seen[n] = true
			nums = append(nums, n)
		}
		if len(seen) > smsMaxGroup {
			add("group_recipients", fmt.Sprintf("a group message has at most %d participants, the sender included", smsMaxGroup))
		}
		next["group_recipients"] = nums
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	if text != "" {
		next["message_segments"] = smsSegments(text)
	}
	rec := &record{sid: next["message_sid"].(string), owner: c.partner.sid, obj: next}
	v.table.insert(rec)
	s.wake(c.now.Add(smsSentAfter))
	return http.StatusOK, v.output(c, rec, fieldSel{}, false), nil
}

// smsSettled brings the message in the route up to date with the clock before
// h (an update) runs, so that a read-modify-write echoing the status it
// read is accepted.
func smsSettled(v *view, h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		if o := smsProgress(r.obj, c.now); o["status"] != r.obj["status"] {
			r.set(o)
			c.s.recordSentMessage(r.owner, o)
		}
		return h(c)
	}
}

func (s *Sandbox) smsRoutes(rt *router) {
	v := s.smsView()
	rt.handle("GET", "/sms/messages", v.list(nil))
	rt.handle("POST", "/sms/messages", s.smsSend)
	rt.handle("GET", "/sms/messages/{message_sid}", v.get())
	rt.handle("PATCH", "/sms/messages/{message_sid}", smsSettled(v, v.update(false)))
	rt.handle("PUT", "/sms/messages/{message_sid}", smsSettled(v, v.update(true)))
}
