package sandbox

import (
	"crypto/sha1"
	"fmt"
	"strconv"
)

// Phone number objects besides DIDs (Core v2 /phonenumber): DID groups,
// prefixes and LRN prefixes a partner manages, the DID classifications
// CarrierX assigns to numbers, and the short codes CarrierX provisions for a
// partner. The notes (§4.1) only name did_group_sid and classification_sid
// on the DID and list the paths; the attributes and defaults below follow
// CarrierX's object pages for DID Group, Prefix, LRN Prefix, DID
// Classification and Short Code.

func init() {
	extraTables = append(extraTables, didGroupsTable, prefixesTable, lrnPrefixesTable,
		classificationsTable, shortCodesTable)
	seeders = append(seeders, (*Sandbox).seedPhonenumberExtras)
	routeAdders = append(routeAdders, (*Sandbox).phonenumberExtraRoutes)
	// Now that DID groups are served, a DID's did_group_sid must name one of
	// the caller's DID groups (not confirmed: CarrierX's answer to another
	// partner's group; it is refused like an unknown one, 422).
	didSchema.field("did_group_sid").Check = ownDIDGroupRef
}

const (
	didGroupsTable       = "phonenumber_did_groups"
	prefixesTable        = "phonenumber_prefixes"
	lrnPrefixesTable     = "phonenumber_lrn_prefixes"
	classificationsTable = "phonenumber_classifications"
	shortCodesTable      = "phonenumber_short_codes"
)

// didGroupSchema is the DID Group object. Create with {} is allowed.
var didGroupSchema = newSchema("did_group", "did_group_sid",
	fld("callback_url", kindString, null(), maxLen(2048), urlCheck()),
	sidField("did_group_sid"),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("partner_sid", kindString, ro()),
)

// newPrefixSchema builds the Prefix and LRN Prefix objects, which share their
// attributes; only the SID field differs. prefix is required on create.
//
// Not confirmed, and chosen conservatively:
//   - prefix holds 1 to 15 digits (E.164 digits, no "+");
//   - one partner cannot hold the same prefix twice for the same
//     source_trunk_group_sid (422);
//   - partner_sid is not marked read-only on the object pages; it is served
//     read-only, since changing an object's owner is not described anywhere;
//   - trunk_group_sid and source_trunk_group_sid must name one of the
//     caller's trunk groups. Deleting a trunk group that prefixes name is
//     not refused here (the trunk group's own rules apply).
func newPrefixSchema(name, id string) *schema {
	return newSchema(name, id,
		emptyObj("attributes"),
		fld("callback_url", kindString, null(), maxLen(2048), urlCheck()),
		roStr("lrn_sid"),
		fld("name", kindString, def("N/A"), maxLen(255)),
		fld("partner_sid", kindString, ro()),
		fld("prefix", kindString, check(prefixDigits)),
		sidField(id),
		fld("source_trunk_group_sid", kindString, null(), check(trunkGroupRef)),
		optStr("string_key_1"),
		optStr("string_key_2"),
		emptyArr("transformations"),
		fld("trunk_group_sid", kindString, null(), check(trunkGroupRef)),
	)
}

var (
	prefixObjSchema = newPrefixSchema("prefix", "prefix_sid")
	// The LRN Prefix attribute table names the SID prefix_sid, while every
	// LRN Prefix sample and the path use lrn_prefix_sid: lrn_prefix_sid is
	// served.
	lrnPrefixSchema = newPrefixSchema("lrn_prefix", "lrn_prefix_sid")
)

func prefixDigits(c *call, v any) string {
	s := v.(string)
	if len(s) == 0 || len(s) > 15 {
		return "prefix must hold 1 to 15 digits"
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "prefix must hold digits only"
		}
	}
	return ""
}

// classificationSchema is the DID Classification object: CarrierX's own,
// read-only, the same for every partner.
var classificationSchema = newSchema("classification", "classification_sid",
	fld("aging_policy", kindInt, ro()),
	sidField("classification_sid"),
	fld("name", kindString, ro()),
)

// shortCodeSchema is the Short Code object. Short codes are provisioned by
// CarrierX (support creates them), so partners only read and update them.
// name has no documented default; "N/A" (the default of the other phone
// number objects) is served, also for a PUT without name (not confirmed).
var shortCodeSchema = newSchema("short_code", "short_code_sid",
	emptyObj("attributes"),
	fld("callback_url", kindString, null(), maxLen(2048), urlCheck()),
	roStr("country_code"),
	fld("did_group_sid", kindString, null(), check(ownDIDGroupRef)),
	roStr("locality"),
	roStr("lrn_sid"),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("partner_sid", kindString, ro()),
	fld("short_code", kindString, ro()),
	sidField("short_code_sid"),
	roStr("state"),
	optStr("string_key_1"),
	optStr("string_key_2"),
)

// ownDIDGroupRef accepts the SID of one of the caller's DID groups.
func ownDIDGroupRef(c *call, v any) string {
	sid, _ := v.(string)
	if g := c.s.table(didGroupsTable).get(sid); g == nil || g.owner != c.partner.sid {
		return "cannot find did group by sid"
	}
	return ""
}

// classificationNames name the seeded classes in s.classes order. The first
// is CarrierX's sample class ("Default"); the others are the sandbox's.
var classificationNames = []string{"Default", "Premium", "Gold", "Platinum"}

// classificationAging is the aging_policy of CarrierX's sample class. The
// aging policies of other classes are not published: every class gets it.
const classificationAging = 86400

type shortCodeSeed struct{ code, name, state string }

// Seeded short codes per partner (the sandbox's choice; the first is
// CarrierX's sample short code).
var (
	demoShortCodes  = []shortCodeSeed{{"26399", "test", "IL"}, {"72345", "Appointment reminders", "NY"}, {"468311", "N/A", "CA"}}
	otherShortCodes = []shortCodeSeed{{"55123", "Other alerts", "IL"}}
)

// seedPhonenumberExtras stores the classifications of the seeded DIDs and
// the partners' short codes. Short code SIDs derive from the seed and the
// code, so seeding draws nothing from the shared generator.
func (s *Sandbox) seedPhonenumberExtras() {
	classes := s.table(classificationsTable)
	for i, c := range s.classes {
		name := "Class " + strconv.Itoa(i+1)
		if i < len(classificationNames) {
			name = classificationNames[i]
		}
		classes.insert(&record{sid: c.sid, obj: object{
			"aging_policy": int64(classificationAging), "classification_sid": c.sid, "name": name}})
	}
	codes := s.table(shortCodesTable)
	for _, p := range []struct {
		sid   string
		seeds []shortCodeSeed
	}{{s.demo.PartnerSID, demoShortCodes}, {s.other.PartnerSID, otherShortCodes}} {
		for _, sc := range p.seeds {
			sid := pnSeedSID(s.cfg.Seed, "short_code/"+sc.code)
			o := shortCodeSchema.defaults()
			for k, v := range map[string]any{"country_code": "USA", "name": sc.name, "partner_sid": p.sid,
				"short_code": sc.code, "short_code_sid": sid, "state": sc.state} {
				o[k] = v
			}
			codes.insert(&record{sid: sid, owner: p.sid, obj: o})
		}
	}
}

// pnSeedSID is a UUID (version 5 layout) made from seed and key.
func pnSeedSID(seed int64, key string) string {
	b := sha1.Sum([]byte("phonenumber/" + strconv.FormatInt(seed, 10) + "/" + key))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func pnOwned(c *call, r *record) bool { return r.owner == c.partner.sid }

func (s *Sandbox) didGroupView() *view {
	return &view{schema: didGroupSchema, table: s.table(didGroupsTable), param: "did_group_sid", defaultLimit: 10,
		visible: pnOwned,
		newObject: func(c *call) object {
			o := didGroupSchema.defaults()
			o["did_group_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		// Deleting a DID group that DIDs or short codes still name: CarrierX's
		// answer is not confirmed; refusing (409, naming one of them) never
		// leaves a did_group_sid pointing nowhere and never changes DIDs
		// silently.
		beforeDelete: func(c *call, rec *record) *apiError {
			n, first := 0, ""
			for _, d := range s.dids.recs {
				if d.owner == rec.owner && d.obj["did_group_sid"] == rec.sid {
					if n == 0 {
						first = d.sid
					}
					n++
				}
			}
			if n > 0 {
				return errConflict("did_group_sid", fmt.Sprintf("DID group is used by %d DID(s)", n), first)
			}
			for _, sc := range s.table(shortCodesTable).recs {
				if sc.owner == rec.owner && sc.obj["did_group_sid"] == rec.sid {
					if n == 0 {
						first = sc.sid
					}
					n++
				}
			}
			if n > 0 {
				return errConflict("did_group_sid", fmt.Sprintf("DID group is used by %d short code(s)", n), first)
			}
			return nil
		},
	}
}

func (s *Sandbox) prefixView(sch *schema, table string) *view {
	t := s.table(table)
	return &view{schema: sch, table: t, param: sch.ID, defaultLimit: 10,
		visible: pnOwned,
		newObject: func(c *call) object {
			o := sch.defaults()
			o[sch.ID] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if _, ok := body["prefix"]; mode == modeCreate && !ok {
				return []errItem{item("prefix", "prefix is required")}
			}
			p, _ := next["prefix"].(string)
			for _, r := range t.recs {
				if r != rec && r.owner == c.partner.sid && r.obj["prefix"] == p &&
					r.obj["source_trunk_group_sid"] == next["source_trunk_group_sid"] {
					return []errItem{item("prefix", "prefix "+p+" already exists")}
				}
			}
			return nil
		},
	}
}

func (s *Sandbox) classificationView() *view {
	return &view{schema: classificationSchema, table: s.table(classificationsTable), param: "classification_sid",
		defaultLimit: 10,
		visible:      func(c *call, r *record) bool { return true },
	}
}

func (s *Sandbox) shortCodeView() *view {
	return &view{schema: shortCodeSchema, table: s.table(shortCodesTable), param: "short_code_sid", defaultLimit: 10,
		visible: pnOwned,
	}
}

func (s *Sandbox) phonenumberExtraRoutes(rt *router) {
	g := s.didGroupView()
	rt.handle("GET", "/phonenumber/did_groups", g.list(nil))
	rt.handle("POST", "/phonenumber/did_groups", g.create())
	rt.handle("GET", "/phonenumber/did_groups/{did_group_sid}", g.get())
	rt.handle("PATCH", "/phonenumber/did_groups/{did_group_sid}", g.update(false))
	rt.handle("PUT", "/phonenumber/did_groups/{did_group_sid}", g.update(true))
	rt.handle("DELETE", "/phonenumber/did_groups/{did_group_sid}", g.remove())

	for _, p := range []struct {
		base string
		v    *view
	}{
		{"/phonenumber/prefixes", s.prefixView(prefixObjSchema, prefixesTable)},
		{"/phonenumber/lrn_prefixes", s.prefixView(lrnPrefixSchema, lrnPrefixesTable)},
	} {
		one := p.base + "/{" + p.v.param + "}"
		rt.handle("GET", p.base, p.v.list(nil))
		rt.handle("POST", p.base, p.v.create())
		rt.handle("GET", one, p.v.get())
		rt.handle("PATCH", one, p.v.update(false))
		rt.handle("PUT", one, p.v.update(true))
		rt.handle("DELETE", one, p.v.remove())
	}

	cl := s.classificationView()
	rt.handle("GET", "/phonenumber/classifications", cl.list(nil))
	rt.handle("GET", "/phonenumber/classifications/{classification_sid}", cl.get())

	sc := s.shortCodeView()
	rt.handle("GET", "/phonenumber/short_codes", sc.list(nil))
	rt.handle("GET", "/phonenumber/short_codes/{short_code_sid}", sc.get())
	rt.handle("PATCH", "/phonenumber/short_codes/{short_code_sid}", sc.update(false))
	rt.handle("PUT", "/phonenumber/short_codes/{short_code_sid}", sc.update(true))
}
