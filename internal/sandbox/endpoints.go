package sandbox

import (
	"crypto/sha1"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Endpoints (Core v2 /endpoints, §4.4): the devices calls are delivered to,
// either the partner's own SIP equipment (third_party) or applications
// CarrierX hosts (conference, conference_v2, flexml, mediator, ...). Every
// partner lists one "System Gateway" endpoint of type system_gateway.

func init() {
	extraTables = append(extraTables, endpointsTable)
	seeders = append(seeders, (*Sandbox).seedEndpoints)
	routeAdders = append(routeAdders, (*Sandbox).endpointRoutes)
}

const endpointsTable = "endpoints"

// endpointTypes are the documented values of type. The docs' list continues
// past these in the stored copy; other types are not confirmed and refused.
var endpointTypes = []string{"conference", "conference_playback", "conference_v2", "flexml",
	"mediator", "voicemail", "third_party", "system_gateway"}

// epHostedAPIs maps the hosted endpoint types whose properties carry API
// credentials to the path prefix of their API. Those APIs (Conference v1 and
// v2, FlexML, Mediator) are served under these prefixes (hosted.go); a new
// endpoint's account is provisioned there by the family that serves it.
var epHostedAPIs = map[string]string{
	"conference":    "/conference/v1",
	"conference_v2": "/conference/v2",
	"flexml":        "/flexml/v1",
	"mediator":      "/mediator/v1",
}

// endpointAddressSchema is the Address object of a third_party endpoint.
// ip is required. Not confirmed, and chosen conservatively: direction takes
// any/inbound/outbound (only "any" is seen), transport udp/tcp/tls (only
// "udp" is seen), ports are 1-65535, dst_port defaults to null and priority
// to 0.
var endpointAddressSchema = newSchema("address", "ip",
	fld("direction", kindString, def("any"), enum("any", "inbound", "outbound")),
	fld("dst_port", kindInt, null(), check(epPortCheck)),
	fld("ip", kindString, maxLen(255), check(epHostCheck)),
	fld("location_sid", kindString, null(), emptyNull(), maxLen(255)),
	fld("port", kindInt, def(int64(5060)), check(epPortCheck)),
	fld("priority", kindInt, def(int64(0)), minInt(0)),
	optStr("sip_password"),
	optStr("sip_username"),
	fld("srtp", kindBool, def(false)),
	fld("transport", kindString, def("udp"), enum("udp", "tcp", "tls")),
)

// endpointSchema is the Endpoint object (§4.4). Not confirmed, and chosen
// conservatively:
//   - type is required on create and cannot be changed afterwards;
//     system_gateway endpoints are CarrierX's and cannot be created;
//   - properties are filled by the sandbox (hosted types) and read-only;
//   - partner_sid (not marked read-only in the docs) is served read-only;
//   - addresses are accepted on third_party endpoints only;
//   - name defaults to "N/A", as on the other Core objects;
//   - auth_required (seen in one variant of the create sample only) is not
//     served: it is refused as an unknown attribute.
var endpointSchema = newSchema("endpoint", "endpoint_sid",
	fld("addresses", kindArray, def([]any{}), elem(endpointAddressSchema)),
	emptyObj("attributes"),
	fld("capacity", kindInt, def(int64(0)), minInt(0)),
	fld("cps_limit", kindInt, ro(), null()),
	sidField("endpoint_sid"),
	fld("name", kindString, def("N/A"), maxLen(255)),
	optStr("out_sip_password"),
	optStr("out_sip_username"),
	fld("partner_sid", kindString, ro()),
	fld("properties", kindObject, ro(), def(object{})),
	emptyArr("transformations"),
	fld("type", kindString, createOnly(), enum(endpointTypes...)),
	roStr("voip_token"),
)

func epPortCheck(c *call, v any) string {
	if n := v.(int64); n < 1 || n > 65535 {
		return "port must be between 1 and 65535"
	}
	return ""
}

var epHostnameRE = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// epHostCheck accepts an IP address or a host name (FQDN).
func epHostCheck(c *call, v any) string {
	s := v.(string)
	if net.ParseIP(s) != nil || (s != "" && epHostnameRE.MatchString(s)) {
		return ""
	}
	return "ip must be an IP address or a host name"
}

// seedEndpoints gives every seeded partner its System Gateway. The demo
// partner's has the SID its call detail records name for PSTN legs (the
// documented sample's endpoint_sid_src); the others' SIDs derive from the
// seed and the partner, so seeding draws nothing from the shared generator.
// Whether the System Gateway is one endpoint per partner or one CarrierX
// object every partner lists is not confirmed. Its addresses are not
// published: it has none here.
func (s *Sandbox) seedEndpoints() {
	t := s.table(endpointsTable)
	for _, p := range s.partners.recs {
		sid := endpointSeedSID(s.cfg.Seed, p.sid)
		if p.sid == s.demo.PartnerSID {
			sid = systemGatewaySID
		}
		o := endpointSchema.defaults()
		o["endpoint_sid"], o["partner_sid"], o["name"], o["type"] = sid, p.sid, "System Gateway", "system_gateway"
		t.insert(&record{sid: sid, owner: p.sid, obj: o})
	}
	s.seedSIPEndpoints(t)
}

// seedSIPEndpoints gives each seeded trunk group with trunks the partner's
// SIP equipment its trunks deliver to: a third_party endpoint named after
// the group, at the address its call records name (ip_src/ip_dst). The SIDs
// are the ones those records carry as endpoint_sid_src/dst.
func (s *Sandbox) seedSIPEndpoints(t *table) {
	for _, ps := range s.recs.snap.partners {
		for i, tgSID := range ps.tgs {
			tg := s.trunkGroups.get(tgSID)
			if tg == nil {
				continue
			}
			var trunks []*record
			for _, tr := range s.trunks.recs {
				if tr.parent == tgSID {
					trunks = append(trunks, tr)
				}
			}
			if len(trunks) == 0 {
				continue
			}
			sid := ps.tgEndpoints[i]
			addr := endpointAddressSchema.defaults()
			addr["ip"] = ps.tgIPs[i]
			o := endpointSchema.defaults()
			o["endpoint_sid"], o["partner_sid"], o["name"], o["type"] = sid, ps.sid, tg.obj["name"], "third_party"
			o["addresses"] = []any{addr}
			o["voip_token"] = endpointSeedSID(s.cfg.Seed, sid+"/voip_token")
			t.insert(&record{sid: sid, owner: ps.sid, obj: o})
			for _, tr := range trunks {
				to := cloneObject(tr.obj)
				to["endpoint_sid"] = sid
				tr.set(to)
			}
		}
	}
}

// endpointSeedSID is a UUID (version 5 layout) made from seed and key.
func endpointSeedSID(seed int64, key string) string {
	b := sha1.Sum([]byte("endpoints/" + strconv.FormatInt(seed, 10) + "/" + key))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// epRequestBase is the scheme and host the request reached the sandbox at
// (X-Forwarded-Proto/-Host first), e.g. "http://127.0.0.1:8080".
func epRequestBase(c *call) string {
	r := c.r
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0]); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Host"), ",")[0]); h != "" {
		host = h
	}
	return scheme + "://" + host
}

const epCredentialChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func (s *Sandbox) epRandomText(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = epCredentialChars[s.rng.IntN(len(epCredentialChars))]
	}
	return string(b)
}

// hostedProperties are the properties of a new hosted endpoint: the login
// and password its API takes (HTTP Basic), the account and storage
// container it uses, and the URL of its API on this sandbox. The login is
// unique among the sandbox's endpoints; its form follows the sample
// ("sample_conference_775") and is not confirmed.
func (s *Sandbox) hostedProperties(c *call, typ string) object {
	login, _ := c.partner.obj["login"].(string)
	t := s.table(endpointsTable)
	var user string
	for attempt, n := 0, 1000; ; attempt++ {
		if attempt > 0 && attempt%100 == 0 {
			n *= 10 // many endpoints of one type: longer numbers
		}
		user = fmt.Sprintf("%s_%s_%03d", login, typ, s.rng.IntN(n))
		taken := false
		for _, r := range t.recs {
			if p, ok := r.obj["properties"].(object); ok && p["login"] == user {
				taken = true
				break
			}
		}
		if !taken {
			break
		}
	}
	return object{
		"account_sid":   s.newSID(),
		"api_url":       epRequestBase(c) + epHostedAPIs[typ],
		"container_sid": s.endpointContainer(c.partner.sid),
		"login":         user,
		"password":      s.epRandomText(12),
	}
}

// endpointContainer is the storage container a new hosted endpoint keeps
// its files in: the partner's oldest container. Which container CarrierX
// assigns (a new one per endpoint, or a shared one) is not confirmed; a
// container that exists and belongs to the partner is the conservative
// choice, since a made-up SID would name nothing.
func (s *Sandbox) endpointContainer(partnerSID string) any {
	t, ok := s.tables[storageContainersTable]
	if !ok {
		return nil
	}
	for _, r := range t.recs {
		if r.owner == partnerSID {
			return r.sid
		}
	}
	return nil
}

// endpointReference returns how many of the partner's objects route to the
// endpoint (an "endpoint_sid" naming it: trunks, and any phone number or
// other resource that carries one) and the SID of the first.
func (s *Sandbox) endpointReference(ep *record) (int, string) {
	tables := []*table{s.trunks, s.dids}
	names := make([]string, 0, len(s.tables))
	for name := range s.tables {
		if name != endpointsTable {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		tables = append(tables, s.tables[name])
	}
	n, first := 0, ""
	for _, t := range tables {
		for _, r := range t.recs {
			if r.owner == ep.owner && r.obj["endpoint_sid"] == ep.sid {
				if n == 0 {
					first = r.sid
				}
				n++
			}
		}
	}
	return n, first
}

// endpointView serves /endpoints. The default page size (10, the docs'
// default) and an integer total (as on trunk groups) are not confirmed for
// this collection.
func (s *Sandbox) endpointView() *view {
	return &view{schema: endpointSchema, table: s.table(endpointsTable), param: "endpoint_sid", defaultLimit: 10,
		visible: func(c *call, r *record) bool { return r.owner == c.partner.sid },
		newObject: func(c *call) object {
			o := endpointSchema.defaults()
			o["endpoint_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			var errs []errItem
			typ, _ := next["type"].(string)
			if mode == modeCreate {
				switch _, given := body["type"]; {
				case !given:
					errs = append(errs, item("type", "type is required"))
				case typ == "system_gateway":
					errs = append(errs, item("type", "system_gateway endpoints are provided by CarrierX and cannot be created"))
				}
			}
			addrs, _ := next["addresses"].([]any)
			if len(addrs) > 0 && typ != "third_party" && typ != "" {
				errs = append(errs, item("addresses", "addresses are accepted on third_party endpoints only"))
			}
			if _, sent := body["addresses"]; sent {
				for i, a := range addrs {
					if m, ok := a.(object); ok && m["ip"] == nil {
						name := fmt.Sprintf("addresses[%d].ip", i)
						errs = append(errs, item(name, name+" is required"))
					}
				}
			}
			return errs
		},
		afterCreate: func(c *call, rec *record, body map[string]any) {
			o := cloneObject(rec.obj)
			typ, _ := o["type"].(string)
			if _, hosted := epHostedAPIs[typ]; hosted {
				o["properties"] = s.hostedProperties(c, typ)
			}
			if typ == "third_party" {
				o["voip_token"] = s.newSID()
			}
			rec.set(o)
			for _, provision := range endpointCreated {
				provision(s, c, rec)
			}
		},
		afterDelete: func(c *call, rec *record) {
			for _, remove := range endpointDeleted {
				remove(s, rec)
			}
		},
		// Deleting an endpoint that trunks (or numbers) still route to:
		// CarrierX's answer is not confirmed; refusing (409, naming one of
		// them) never leaves routing pointing nowhere.
		beforeDelete: func(c *call, rec *record) *apiError {
			if n, first := s.endpointReference(rec); n > 0 {
				return errConflict("endpoint_sid", fmt.Sprintf("endpoint is used by %d object(s)", n), first)
			}
			return nil
		},
	}
}

// epNotSystemGateway refuses changes to the System Gateway (403) before h
// runs. Not confirmed: the docs only say every partner lists one; that it
// cannot be changed or deleted is the conservative reading.
func epNotSystemGateway(v *view, h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		if r.obj["type"] == "system_gateway" {
			return 0, nil, newErr(http.StatusForbidden, "forbidden",
				item("type", "the System Gateway endpoint is managed by CarrierX and cannot be changed"))
		}
		return h(c)
	}
}

func (s *Sandbox) endpointRoutes(rt *router) {
	v := s.endpointView()
	rt.handle("GET", "/endpoints", v.list(nil))
	rt.handle("POST", "/endpoints", v.create())
	rt.handle("GET", "/endpoints/{endpoint_sid}", v.get())
	rt.handle("PATCH", "/endpoints/{endpoint_sid}", epNotSystemGateway(v, v.update(false)))
	rt.handle("PUT", "/endpoints/{endpoint_sid}", epNotSystemGateway(v, v.update(true)))
	rt.handle("DELETE", "/endpoints/{endpoint_sid}", epNotSystemGateway(v, v.remove()))
}
