package sandbox

import (
	"fmt"
	"sort"
)

// seed fills the sandbox deterministically from cfg.Seed: two partners, the
// demo partner's trunk groups and rented DIDs, the other partner's, and the
// inventory of available US numbers.
func (s *Sandbox) seed() {
	// The standard class reuses the classification SID of CarrierX's samples.
	s.classes = []didClass{
		{"17f4d954-d635-4cda-912b-c2a2fa3a6860", "0.6", 80},
		{s.newSID(), "1", 12},
		{s.newSID(), "1.25", 6},
		{s.newSID(), "2.5", 2},
	}
	demo := s.addPartner(partnerSeed{login: "demo", password: "demo", name: "Demo Telecom",
		company: "Demo Telecom Inc.", city: "New York", state: "NY", zip: "10001",
		phone: "12125550100", email: "demo-telecom.example", balance: "351.52", ageDays: 730})
	other := s.addPartner(partnerSeed{login: "other", password: "other", name: "Other Networks LLC",
		company: "Other Networks LLC", city: "Chicago", state: "IL", zip: "60601",
		phone: "13125550100", email: "other-networks.example", balance: "87.10", ageDays: 400})
	s.demo = Credentials{"demo", "demo", demo.sid, "Demo Telecom"}
	s.other = Credentials{"other", "other", other.sid, "Other Networks LLC"}

	demoTGs := []*record{
		s.seedTrunkGroup(demo, "Primary SBC", []trunkSeed{{"sbc-nyc-1", 0, 50, false}, {"sbc-nyc-2", 0, 50, false}}),
		s.seedTrunkGroup(demo, "Backup SBC", []trunkSeed{{"sbc-chi-1", 1, 0, false}}),
		s.seedTrunkGroup(demo, "Contact center", []trunkSeed{{"cc-a", 0, 70, true}, {"cc-b", 0, 30, true}}),
	}
	otherTG := s.seedTrunkGroup(other, "Other core", []trunkSeed{{"core-1", 0, 0, false}})

	const otherRented = 10
	nums := s.genNumbers(s.cfg.AvailableDIDs + s.cfg.RentedDIDs + otherRented)
	owners := make([]*record, len(nums))
	perm := s.rng.Perm(len(nums))
	for i, idx := range perm {
		switch {
		case i < s.cfg.RentedDIDs:
			owners[idx] = demo
		case i < s.cfg.RentedDIDs+otherRented:
			owners[idx] = other
		}
	}
	names := []string{"Main line", "Support", "Sales", "Billing hotline", "NOC on-call", "N/A", "Fax gateway", "N/A"}
	nd, no := 0, 0
	for i, n := range nums {
		r := s.didRecord(n)
		switch owners[i] {
		case demo:
			o := r.obj
			o["name"] = names[nd%len(names)]
			if nd%5 != 4 {
				o["trunk_group_sid"] = demoTGs[nd%3].sid
			}
			if nd%4 == 0 {
				o["attributes"] = object{"department": []string{"support", "sales", "noc"}[nd%3]}
			}
			if nd%3 == 0 {
				o["string_key_1"] = fmt.Sprintf("crm-%04d", 1000+nd)
			}
			assign(r, demo)
			nd++
		case other:
			r.obj["name"] = fmt.Sprintf("Other %d", no+1)
			r.obj["trunk_group_sid"] = otherTG.sid
			assign(r, other)
			no++
		}
		s.dids.insert(r)
		s.didByNumber[n.number] = r
	}
}

func assign(r *record, p *record) {
	r.owner = p.sid
	r.obj["status"] = "assigned"
	r.obj["partner_sid"] = p.sid
}

type trunkSeed struct {
	name             string
	priority, weight int64
	transfer         bool
}

func (s *Sandbox) seedTrunkGroup(p *record, name string, trunks []trunkSeed) *record {
	o := trunkGroupSchema.defaults()
	sid := s.newSID()
	o["trunk_group_sid"], o["partner_sid"], o["name"] = sid, p.sid, name
	tg := &record{sid: sid, owner: p.sid, obj: o}
	s.trunkGroups.insert(tg)
	for _, t := range trunks {
		to := trunkSchema.defaults()
		tsid := s.newSID()
		to["trunk_sid"], to["name"], to["priority"], to["weight"] = tsid, t.name, t.priority, t.weight
		to["allow_transfer"] = t.transfer
		s.trunks.insert(&record{sid: tsid, owner: p.sid, parent: sid, obj: to})
	}
	return tg
}

// numSeed is one generated phone number and its attributes.
type numSeed struct {
	number, ocn string
	city        *city
	class       didClass
	caps        int64
	lat, lng    float64
}

// capCombos are realistic capability bit masks (1 SMS in, 2 SMS out, 4 voice,
// 8 MMS in, 16 MMS out) with their weights.
var capCombos = []struct{ caps, weight int64 }{{4, 15}, {5, 10}, {7, 25}, {21, 10}, {31, 40}}

// genNumbers draws n distinct US numbers in blocks of near-consecutive
// numbers per NPA-NXX: first one block in every NPA of every city, then
// blocks in cities drawn by weight. The result is in phonenumber order.
func (s *Sandbox) genNumbers(n int) []numSeed {
	type npaRef struct {
		c   *city
		npa string
	}
	var all []npaRef
	totalW := 0
	for i := range cities {
		for _, npa := range cities[i].npas {
			all = append(all, npaRef{&cities[i], npa})
		}
		totalW += cities[i].weight
	}
	pickCity := func() *city {
		w := s.rng.IntN(totalW)
		for i := range cities {
			if w -= cities[i].weight; w < 0 {
				return &cities[i]
			}
		}
		return &cities[len(cities)-1]
	}
	pickCaps := func() int64 {
		w := s.rng.Int64N(100)
		for _, c := range capCombos {
			if w -= c.weight; w < 0 {
				return c.caps
			}
		}
		return 31
	}
	pickClass := func() didClass {
		w := s.rng.IntN(100)
		for _, c := range s.classes {
			if w -= c.weight; w < 0 {
				return c
			}
		}
		return s.classes[0]
	}
	seen := map[string]bool{}
	out := make([]numSeed, 0, n)
	for b := 0; len(out) < n; b++ {
		var ref npaRef
		if b < len(all) {
			ref = all[b]
		} else {
			c := pickCity()
			ref = npaRef{c, c.npas[s.rng.IntN(len(c.npas))]}
		}
		nxx := 200 + s.rng.IntN(800)
		for nxx%100 == 11 || nxx == 555 {
			nxx = 200 + s.rng.IntN(800)
		}
		size := 5 + s.rng.IntN(36)
		line := s.rng.IntN(10000 - 3*size)
		ocn := ocns[s.rng.IntN(len(ocns))]
		caps := pickCaps()
		lat := ref.c.lat + (s.rng.Float64()-0.5)*0.2
		lng := ref.c.lng + (s.rng.Float64()-0.5)*0.2
		for k := 0; k < size && len(out) < n; k++ {
			num := fmt.Sprintf("1%s%03d%04d", ref.npa, nxx, line)
			line += 1 + s.rng.IntN(2)
			if seen[num] {
				continue
			}
			seen[num] = true
			c := caps
			if s.rng.IntN(10) == 0 {
				c = pickCaps()
			}
			out = append(out, numSeed{number: num, ocn: ocn, city: ref.c, class: pickClass(), caps: c, lat: lat, lng: lng})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

// didRecord builds the inventory record of an available number (§4.1/§4.2).
func (s *Sandbox) didRecord(n numSeed) *record {
	o := didSchema.defaults()
	sid := s.newSID()
	npa, nxx, line := n.number[1:4], n.number[4:7], n.number[7:]
	var lata any
	if n.city.lata != "" {
		lata = n.city.lata
	}
	for k, v := range map[string]any{
		"active_capabilities": int64(4), // voice is on; messaging needs enablement
		"capabilities":        n.caps, "classification_sid": n.class.sid, "country_code": "USA",
		"did_sid": sid, "in_country_format": "(" + npa + ") " + nxx + "-" + line,
		"international_format": "+1 " + npa + "-" + nxx + "-" + line, "lata": lata,
		"locality": n.city.locality, "ocn": n.ocn, "phonenumber": n.number, "price": n.class.price,
		"state": n.city.state, "status": "available",
	} {
		o[k] = v
	}
	return &record{sid: sid, obj: o, lat: n.lat, lng: n.lng}
}
