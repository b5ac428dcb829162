package sandbox

import (
	"cmp"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// orderSpec is a parsed `order=` parameter: one key, asc or desc, or shuffle.
type orderSpec struct {
	field   string
	path    []string
	get     func(object) any
	kind    fieldKind
	desc    bool
	shuffle bool
}

// parseOrder parses "<field>", "<field> asc|desc" or "shuffle" (§2.2). One
// sort key only (multi-key ordering is not confirmed).
func parseOrder(raw string, sch *schema) (*orderSpec, *apiError) {
	parts := strings.Fields(raw)
	if len(parts) == 0 {
		return nil, nil
	}
	if len(parts) == 1 && strings.EqualFold(parts[0], "shuffle") {
		return &orderSpec{shuffle: true}, nil
	}
	if len(parts) > 2 {
		return nil, errBadRequest("order", "order takes one field and an optional asc or desc")
	}
	o := &orderSpec{field: parts[0]}
	if len(parts) == 2 {
		switch strings.ToLower(parts[1]) {
		case "asc":
		case "desc":
			o.desc = true
		default:
			return nil, errBadRequest("order", "order direction must be asc or desc, not "+parts[1])
		}
	}
	path, get, kind, msg := resolvePath(sch, o.field)
	if msg != "" {
		return nil, errBadRequest("order", "cannot order by "+o.field+": "+msg)
	}
	if kind == kindObject || kind == kindArray {
		return nil, errBadRequest("order", "cannot order by "+o.field+": it is an object or array")
	}
	o.path, o.get, o.kind = path, get, kind
	return o, nil
}

// sortKey is a value pre-converted once per item so that sorting thousands of
// items stays cheap. Kinds order: null < numbers < times < strings < bools.
type sortKey struct {
	tag int
	i   int64
	f   float64 // tag 2: the number when fok
	fok bool
	num *big.Rat // tag 2: the exact number (set when !fok)
	t   time.Time
	s   string
}

func (o *orderSpec) key(obj object) sortKey {
	var v any
	if o.get != nil {
		v = o.get(obj)
	} else {
		var cur any = obj
		for _, p := range o.path {
			m, ok := cur.(map[string]any)
			if !ok {
				cur = nil
				break
			}
			cur = m[p]
		}
		v = cur
	}
	switch x := v.(type) {
	case nil:
		return sortKey{tag: 0}
	case int64:
		return sortKey{tag: 1, i: x}
	case bool:
		if x {
			return sortKey{tag: 5, i: 1}
		}
		return sortKey{tag: 5}
	case string:
		switch o.kind {
		case kindNum:
			if f, ok := fastNum(x); ok {
				return sortKey{tag: 2, f: f, fok: true, s: x}
			}
			if r, ok := parseRat(x); ok {
				return sortKey{tag: 2, num: r}
			}
		case kindTime:
			if t, ok := parseTS(x); ok {
				return sortKey{tag: 3, t: t}
			}
		}
		return sortKey{tag: 4, s: x}
	}
	if r, ok := numberOf(v, false); ok {
		return sortKey{tag: 2, num: r}
	}
	s, _ := textOf(v)
	return sortKey{tag: 4, s: s}
}

func cmpKey(a, b sortKey) int {
	ta, tb := a.tag, b.tag
	if ta == 1 {
		ta = 2
	}
	if tb == 1 {
		tb = 2
	}
	if ta != tb {
		return ta - tb
	}
	switch {
	case a.tag == 1 && b.tag == 1:
		return cmp.Compare(a.i, b.i)
	case ta == 2 && a.fok && b.fok:
		return cmp.Compare(a.f, b.f)
	case ta == 2:
		return ratOf(a).Cmp(ratOf(b))
	case ta == 3:
		return a.t.Compare(b.t)
	case ta == 4:
		return strings.Compare(a.s, b.s)
	case ta == 5:
		return cmp.Compare(a.i, b.i)
	}
	return 0
}

func ratOf(k sortKey) *big.Rat {
	switch {
	case k.num != nil:
		return k.num
	case k.fok:
		r, _ := parseRat(k.s)
		return r
	}
	return new(big.Rat).SetInt64(k.i)
}

// sortRecords orders recs (ties keep their current order, so the default
// creation order breaks them). objOf gives the object to read keys from.
func sortRecords(recs []*record, o *orderSpec, objOf func(*record) object) {
	if o == nil {
		return
	}
	if o.shuffle {
		rand.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		return
	}
	keys := make([]sortKey, len(recs))
	idx := make([]int, len(recs))
	for i, r := range recs {
		keys[i] = o.key(objOf(r))
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		c := cmpKey(keys[a], keys[b])
		if o.desc {
			c = -c
		}
		if c == 0 {
			return a - b
		}
		return c
	})
	sorted := make([]*record, len(recs))
	for i, j := range idx {
		sorted[i] = recs[j]
	}
	copy(recs, sorted)
}

// sortByDistance orders DIDs by distance from p (the "nearby" filter).
func sortByDistance(recs []*record, p latLng) {
	d := func(r *record) float64 {
		dlat := (r.lat - p.lat) * math.Pi / 180
		dlng := (r.lng - p.lng) * math.Pi / 180 * math.Cos(p.lat*math.Pi/180)
		return dlat*dlat + dlng*dlng
	}
	slices.SortStableFunc(recs, func(a, b *record) int {
		da, db := d(a), d(b)
		switch {
		case da < db:
			return -1
		case da > db:
			return 1
		}
		return 0
	})
}
