package sandbox

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Push notifications (Core v2 /push): applications a partner registers with
// its Apple (APNs) and Google (Firebase) credentials, the devices where an
// application is installed, and notifications sent to those devices. The
// attributes, defaults and the notification answer follow CarrierX's
// Application, Device and Notification pages; §8 of the notes only lists
// the paths. The sandbox delivers nothing: a notification is recorded (see
// SentPushNotifications) and answered as sent to every recipient.

func init() {
	extraTables = append(extraTables, pushApplicationsTable, pushDevicesTable, pushNotificationsTable)
	routeAdders = append(routeAdders, (*Sandbox).pushRoutes)
}

const (
	pushApplicationsTable  = "push_applications"
	pushDevicesTable       = "push_devices"
	pushNotificationsTable = "push_notifications"
)

// pushSecrets are the Application attributes that carry private keys or
// passwords. They are write-only here: stored, never answered (null in every
// response, and invisible to filter and order). CarrierX's create sample
// echoes google_credentials; not echoing key material is the conservative
// reading, and a client loses nothing it sent.
var pushSecrets = []string{"apns_p12", "apns_p12_password", "apns_p8", "google_credentials"}

// pushKeyLen bounds the key material fields (a .p12 in Base64, a .p8, a
// service-account JSON in Base64); the limit itself is not confirmed.
const pushKeyLen = 65536

// pushApplicationSchema is the Application object. No attribute is required
// on create ({} is accepted); an empty string is stored as null, as in the
// create sample.
//
// Not confirmed, and chosen conservatively:
//   - apns_p12 and google_credentials must be valid Base64 (the docs say
//     they are Base64-encoded);
//   - apns_p12_expiration stays null (the sandbox does not open
//     certificates).
var pushApplicationSchema = newSchema("application", "application_sid",
	fld("apns_id", kindString, null(), emptyNull(), maxLen(255)),
	fld("apns_key_id", kindString, null(), emptyNull(), maxLen(255)),
	fld("apns_p12", kindString, null(), emptyNull(), maxLen(pushKeyLen), check(pushBase64Check("apns_p12"))),
	fld("apns_p12_expiration", kindTime, ro(), null()),
	fld("apns_p12_password", kindString, null(), emptyNull(), maxLen(255)),
	fld("apns_p8", kindString, null(), emptyNull(), maxLen(pushKeyLen)),
	fld("apns_team_id", kindString, null(), emptyNull(), maxLen(255)),
	fld("apns_topic", kindString, null(), emptyNull(), maxLen(255)),
	sidField("application_sid"),
	fld("google_credentials", kindString, null(), emptyNull(), maxLen(pushKeyLen), check(pushBase64Check("google_credentials"))),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("partner_sid", kindString, ro()),
)

// pushDeviceTypes and pushEnvironments are the documented values.
var (
	pushDeviceTypes  = []string{"android", "ios", "web"}
	pushEnvironments = []string{"development", "production"}
)

// pushDeviceSchema is the Device object. application_sid, token and type are
// required on create (the docs list device_sid, token and type, but
// device_sid is read-only and a device belongs to an application: the
// application is what is required). environment defaults to production;
// application_version and os_version default to "" as in the samples.
//
// Not confirmed, and chosen conservatively: application_sid must name one of
// the caller's applications (a 422 otherwise, like any unknown reference in
// a body), and it may be changed to another of them.
var pushDeviceSchema = newSchema("device", "device_sid",
	fld("application_sid", kindString, check(pushApplicationRef)),
	fld("application_version", kindString, def(""), maxLen(255)),
	sidField("device_sid"),
	fld("environment", kindString, def("production"), enum(pushEnvironments...)),
	fld("os_version", kindString, def(""), maxLen(255)),
	fld("partner_sid", kindString, ro()),
	fld("token", kindString, maxLen(4096), check(pushTokenCheck)),
	fld("type", kindString, enum(pushDeviceTypes...)),
)

// pushMaxRecipients is the documented limit of one notification.
const pushMaxRecipients = 100

// pushNotificationSchema is the Notification object (the body of POST
// /push/notifications). recipients is required. The attribute table could
// be read up to ios_mutable_content; title, ttl and priority come from the
// send sample. Other attributes are refused (422) rather than dropped.
//
// Not confirmed, and chosen conservatively: ttl is a non-negative number of
// seconds, priority is "normal" or "high", ios_badge is not negative.
var pushNotificationSchema = newSchema("notification", "",
	optStr("android_click_action"),
	optStr("android_icon"),
	optStr("android_sound"),
	optStr("android_tag"),
	fld("body", kindString, null(), maxLen(4096)),
	optStr("collapse_key"),
	fld("data", kindObject, null()),
	fld("ios_badge", kindInt, null(), minInt(0)),
	optStr("ios_category"),
	optStr("ios_collapse_id"),
	fld("ios_content_available", kindBool, null()),
	fld("ios_mutable_content", kindBool, null()),
	fld("priority", kindString, null(), enum("normal", "high")),
	fld("recipients", kindArray, elemKind(kindString)),
	fld("title", kindString, null(), maxLen(1024)),
	fld("ttl", kindInt, null(), minInt(0)),
)

func pushBase64Check(name string) func(c *call, v any) string {
	return func(c *call, v any) string {
		s := strings.Join(strings.Fields(v.(string)), "") // line breaks of wrapped Base64 are fine
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return name + " must be Base64-encoded"
		}
		return ""
	}
}

func pushTokenCheck(c *call, v any) string {
	if strings.TrimSpace(v.(string)) == "" {
		return "token must not be empty"
	}
	return ""
}

func pushApplicationRef(c *call, v any) string {
	a := c.s.table(pushApplicationsTable).get(v.(string))
	if a == nil || a.owner != c.partner.sid {
		return "cannot find application by sid"
	}
	return ""
}

// pushMasked is an application as answered: the secrets null.
func pushMasked(c *call, r *record) object {
	o := cloneObject(r.obj)
	for _, k := range pushSecrets {
		o[k] = nil
	}
	return o
}

func (s *Sandbox) pushApplicationView() *view {
	return &view{schema: pushApplicationSchema, table: s.table(pushApplicationsTable), param: "application_sid",
		defaultLimit: 10, // the docs' general default; this collection's is not confirmed
		visible:      func(c *call, r *record) bool { return r.owner == c.partner.sid },
		present:      pushMasked,
		filterObj:    pushMasked,
		newObject: func(c *call) object {
			o := pushApplicationSchema.defaults()
			o["application_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		// A PUT that leaves a secret out keeps it: the client never read it
		// back, so it cannot send it again. null clears it.
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if mode != modePut {
				return nil
			}
			for _, k := range pushSecrets {
				if _, sent := body[k]; !sent {
					next[k] = rec.obj[k]
				}
			}
			return nil
		},
		// Deleting an application that devices still use: CarrierX's answer
		// is not confirmed; refusing (409) never leaves devices without an
		// application. Delete the devices first.
		beforeDelete: func(c *call, rec *record) *apiError {
			n, ref := 0, ""
			for _, d := range s.table(pushDevicesTable).recs {
				if d.obj["application_sid"] == rec.sid {
					if ref == "" {
						ref = d.sid
					}
					n++
				}
			}
			if n > 0 {
				return errConflict("application_sid", "the application has "+itoa(n)+" device(s)", ref)
			}
			return nil
		},
	}
}

func (s *Sandbox) pushDeviceView() *view {
	return &view{schema: pushDeviceSchema, table: s.table(pushDevicesTable), param: "device_sid",
		defaultLimit: 10, // the docs' general default; this collection's is not confirmed
		visible:      func(c *call, r *record) bool { return r.owner == c.partner.sid },
		newObject: func(c *call) object {
			o := pushDeviceSchema.defaults()
			o["device_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if mode != modeCreate {
				return nil
			}
			var errs []errItem
			for _, k := range []string{"application_sid", "token", "type"} {
				if _, ok := body[k]; !ok {
					errs = append(errs, item(k, k+" is required"))
				}
			}
			return errs
		},
	}
}

// pushDeviceCreate serves POST /push/devices. reuse (default true, as
// documented) answers the caller's existing device with the same token,
// type and environment instead of creating another. The docs name exactly
// those three; the application is not compared.
func (s *Sandbox) pushDeviceCreate(v *view) handlerFunc {
	create := v.create()
	return func(c *call) (int, any, *apiError) {
		reuse, err := parseBoolParam("reuse", c.q.Get("reuse"), true)
		if err != nil {
			return 0, nil, err
		}
		if reuse {
			body := peekJSON(c)
			tok, _ := body["token"].(string)
			typ, _ := body["type"].(string)
			env := "production"
			if e, ok := body["environment"].(string); ok {
				env = e
			}
			for _, d := range v.table.recs {
				if d.owner == c.partner.sid && tok != "" && d.obj["token"] == tok && d.obj["type"] == typ &&
					d.obj["environment"] == env {
					return http.StatusOK, v.output(c, d, fieldSel{}, false), nil
				}
			}
		}
		return create(c)
	}
}

// PushNotification is one notification sent through POST /push/notifications,
// as the sandbox recorded it.
type PushNotification struct {
	PartnerSID string
	Recipients []string // device SIDs, in the order given, without repeats
	Title      string
	Body       string
	Data       map[string]any
	SentAt     time.Time
}

// SentPushNotifications returns the notifications partnerSID has sent,
// oldest first ("" for every partner's).
func (s *Sandbox) SentPushNotifications(partnerSID string) []PushNotification {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []PushNotification
	for _, r := range s.table(pushNotificationsTable).recs {
		if partnerSID != "" && r.owner != partnerSID {
			continue
		}
		n := PushNotification{PartnerSID: r.owner}
		for _, d := range r.obj["recipients"].([]any) {
			n.Recipients = append(n.Recipients, d.(string))
		}
		n.Title, _ = r.obj["title"].(string)
		n.Body, _ = r.obj["body"].(string)
		if d, ok := r.obj["data"].(map[string]any); ok {
			n.Data = cloneObject(d)
		}
		n.SentAt, _ = parseTS(fmt.Sprint(r.obj["date_created"]))
		out = append(out, n)
	}
	return out
}

// pushSend serves POST /push/notifications: 200 and
// {"failure": n, "results": {"<device_sid>": "success", ...}, "success": n}.
//
// Every recipient must be one of the caller's devices; an unknown (deleted,
// or another partner's) device SID is a 422 naming it and nothing is sent.
// CarrierX's per-device failure strings are not confirmed, so the sandbox
// never reports a failure: each existing device counts as a success. A SID
// given twice is sent to once (results is keyed by SID).
func (s *Sandbox) pushSend(c *call) (int, any, *apiError) {
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	next, errs := applyBody(c, pushNotificationSchema, pushNotificationSchema.defaults(), body, modeCreate, "")
	if _, ok := body["recipients"]; !ok {
		errs = append(errs, item("recipients", "recipients is required"))
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	list, _ := next["recipients"].([]any)
	switch {
	case len(list) == 0:
		return 0, nil, errValidation(item("recipients", "recipients must name at least one device"))
	case len(list) > pushMaxRecipients:
		return 0, nil, errValidation(item("recipients", fmt.Sprintf("recipients is limited to %d devices", pushMaxRecipients)))
	}
	devices := s.table(pushDevicesTable)
	seen := map[string]bool{}
	var unique []any
	for i, x := range list {
		sid := x.(string)
		if d := devices.get(sid); d == nil || d.owner != c.partner.sid {
			errs = append(errs, item(fmt.Sprintf("recipients[%d]", i), "cannot find device by sid"))
			continue
		}
		if !seen[sid] {
			seen[sid] = true
			unique = append(unique, sid)
		}
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	results := make(map[string]any, len(unique))
	for _, sid := range unique {
		results[sid.(string)] = "success"
	}
	rec := cloneObject(next)
	rec["recipients"] = unique
	rec["date_created"] = formatTS(c.now)
	s.table(pushNotificationsTable).insert(&record{sid: s.newSID(), owner: c.partner.sid, obj: rec})
	return http.StatusOK, object{"failure": int64(0), "results": results, "success": int64(len(unique))}, nil
}

func (s *Sandbox) pushRoutes(rt *router) {
	a, d := s.pushApplicationView(), s.pushDeviceView()
	rt.handle("GET", "/push/applications", a.list(nil))
	rt.handle("POST", "/push/applications", a.create())
	rt.handle("GET", "/push/applications/{application_sid}", a.get())
	rt.handle("PATCH", "/push/applications/{application_sid}", a.update(false))
	rt.handle("PUT", "/push/applications/{application_sid}", a.update(true))
	rt.handle("DELETE", "/push/applications/{application_sid}", a.remove())
	rt.handle("GET", "/push/devices", d.list(nil))
	rt.handle("POST", "/push/devices", s.pushDeviceCreate(d))
	rt.handle("GET", "/push/devices/{device_sid}", d.get())
	rt.handle("PATCH", "/push/devices/{device_sid}", d.update(false))
	rt.handle("PUT", "/push/devices/{device_sid}", d.update(true))
	rt.handle("DELETE", "/push/devices/{device_sid}", d.remove())
	rt.handle("POST", "/push/notifications", s.pushSend)
}
