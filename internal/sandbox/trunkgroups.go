package sandbox

import "fmt"

// trunkSchema is the Trunk object (§4.5). Newer docs describe allow_transfer
// as an enum while every sample shows a boolean: both are accepted. in_codec /
// out_codec (newer docs only, absent from the sample) are not served.
var trunkSchema = newSchema("trunk", "trunk_sid",
	emptyArr("acls"),
	fld("allow_forward", kindString, def("disabled"), enum("disabled", "direct", "direct_uri", "protected", "reroute")),
	fld("allow_transfer", kindBoolOrString, def(false)),
	fld("asn_mode", kindString, def("disable"), enum("disable", "read", "write", "read_write")),
	fld("call_type", kindString, def("regular"), maxLen(64)),
	fld("codec", kindString, null(), enum("alaw", "g722", "g723", "g729", "gsm",
		"opus8", "opus12", "opus16", "opus24", "opus48", "ulaw")),
	fld("endpoint_sid", kindString, null(), emptyNull(), maxLen(255)),
	fld("in_capacity", kindInt, def(int64(0)), minInt(-1)),
	fld("in_identity_format", kindString, def("passthrough"), maxLen(64)),
	fld("in_identity_mode", kindString, def("passthrough"), maxLen(64)),
	fld("in_rfc_4694_mode", kindString, def("cut_all"), maxLen(64)),
	fld("location_sid", kindString, null(), emptyNull(), maxLen(255)),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("out_capacity", kindInt, def(int64(0)), minInt(-1)),
	fld("out_identity_mode", kindString, def("passthrough"), maxLen(64)),
	fld("out_rfc_4694_mode", kindString, def("cut_all"), maxLen(64)),
	fld("priority", kindInt, def(int64(0))),
	emptyArr("relay_sip_headers"),
	emptyArr("transformations"),
	sidField("trunk_sid"),
	fld("weight", kindInt, def(int64(0)), minInt(0)),
)

// trunkGroupSchema is the Trunk Group object (§4.5). `trunks` is shown with
// with_trunks=true and may be given on create; trunks are otherwise managed
// under /trunk_groups/{sid}/trunks. routing_type: only "failover" is seen in
// the docs; other values are accepted as strings (not confirmed).
var trunkGroupSchema = newSchema("trunk_group", "trunk_group_sid",
	emptyArr("acls"),
	emptyArr("external_handlers"),
	fld("hard_failure_codes", kindString, def("408;"), maxLen(255)),
	fld("hard_failure_cooldown", kindInt, def(int64(120)), minInt(0)),
	fld("hard_failure_interval", kindInt, def(int64(60)), minInt(0)),
	fld("hard_failure_last_resort", kindString, def("first"), enum("first", "reject502", "reject503")),
	fld("hard_failure_threshold", kindInt, def(int64(3)), minInt(0)),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("partner_sid", kindString, ro()),
	fld("routing_data", kindAny, null()),
	fld("routing_type", kindString, def("failover"), maxLen(64)),
	emptyArr("sip_options_locations"),
	fld("sip_options_threshold", kindInt, def(int64(3)), minInt(0)),
	fld("soft_failure_codes", kindString, def("408;"), maxLen(255)),
	emptyArr("transformations"),
	sidField("trunk_group_sid"),
	fld("trunks", kindArray, external(), elem(trunkSchema)),
)

// trunksOf returns the trunk objects of a trunk group, in creation order.
func (s *Sandbox) trunksOf(tg *record) []any {
	out := []any{}
	for _, t := range s.trunks.recs {
		if t.parent == tg.sid {
			out = append(out, t.obj)
		}
	}
	return out
}

func (s *Sandbox) withTrunks(tg *record) object {
	o := cloneObject(tg.obj)
	o["trunks"] = s.trunksOf(tg)
	return o
}

func (s *Sandbox) trunkGroupView() *view {
	return &view{schema: trunkGroupSchema, table: s.trunkGroups, param: "trunk_group_sid", defaultLimit: 10,
		extraFields: []string{"trunks"},
		visible:     func(c *call, r *record) bool { return r.owner == c.partner.sid },
		present: func(c *call, r *record) object {
			if on, _ := parseBoolParam("with_trunks", c.q.Get("with_trunks"), false); on {
				return s.withTrunks(r)
			}
			return r.obj
		},
		filterObj: func(c *call, r *record) object { return s.withTrunks(r) },
		newObject: func(c *call) object {
			o := trunkGroupSchema.defaults()
			o["trunk_group_sid"] = s.newSID()
			o["partner_sid"] = c.partner.sid
			return o
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			raw, ok := body["trunks"]
			if !ok {
				return nil
			}
			if mode == modeCreate {
				_, errs := trunkGroupSchema.field("trunks").normalize(c, raw, "")
				return errs
			}
			// Changing trunks through the group is not confirmed; echoing
			// them back unchanged is accepted.
			if !sameJSON(raw, s.trunksOf(rec)) {
				return []errItem{item("trunks", "trunks cannot be changed here: use /trunk_groups/{trunk_group_sid}/trunks")}
			}
			return nil
		},
		afterCreate: func(c *call, rec *record, body map[string]any) {
			raw, _ := body["trunks"].([]any)
			for _, e := range raw {
				m, _ := e.(map[string]any)
				o, _ := applyBody(c, trunkSchema, trunkSchema.defaults(), m, modeCreate, "")
				o["trunk_sid"] = s.newSID()
				s.trunks.insert(&record{sid: o["trunk_sid"].(string), owner: rec.owner, parent: rec.sid, obj: o})
			}
		},
		// Deleting a trunk group that DIDs still route to: CarrierX's answer
		// is not confirmed; refusing (409, naming a DID) never leaves DIDs
		// pointing nowhere and never changes them silently.
		beforeDelete: func(c *call, rec *record) *apiError {
			n, first := 0, ""
			for _, d := range s.dids.recs {
				if d.owner == rec.owner && d.obj["trunk_group_sid"] == rec.sid {
					if n == 0 {
						first = d.sid
					}
					n++
				}
			}
			if n > 0 {
				return errConflict("trunk_group_sid", fmt.Sprintf("trunk group is used by %d DID(s)", n), first)
			}
			return nil
		},
		afterDelete: func(c *call, rec *record) {
			for _, t := range append([]*record(nil), s.trunks.recs...) {
				if t.parent == rec.sid {
					s.trunks.remove(t.sid)
				}
			}
		},
	}
}

func (s *Sandbox) trunkView() *view {
	tgs := s.trunkGroupView()
	return &view{schema: trunkSchema, table: s.trunks, param: "trunk_sid", parentParam: "trunk_group_sid",
		defaultLimit: 1000,
		scope: func(c *call) *apiError {
			_, err := tgs.find(c)
			return err
		},
		visible: func(c *call, r *record) bool {
			return r.owner == c.partner.sid && r.parent == c.param("trunk_group_sid")
		},
		newObject: func(c *call) object {
			o := trunkSchema.defaults()
			o["trunk_sid"] = s.newSID()
			return o
		},
	}
}

// checkWithTrunks validates the with_trunks query argument before h runs.
func checkWithTrunks(h handlerFunc) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		if _, err := parseBoolParam("with_trunks", c.q.Get("with_trunks"), false); err != nil {
			return 0, nil, err
		}
		return h(c)
	}
}
