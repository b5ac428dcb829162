package sandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Record collections' list fast path. A request's filter is parsed with
// ParseFilter and compiled against the kind's typed fields; conditions on
// date_stop become an index range found by binary search on the records
// (sorted by date_stop); the other conditions are tested record by record
// while walking the range in the requested direction, stopping as soon as the
// page (plus one record, for has_more) is full. after/before locate their
// record by inverting its SID (records_sid.go).
//
// Choices where CarrierX's behaviour is not confirmed:
//   - the default limit is 10, as documented (§2.2) and seen on conference
//     CDRs; cdr-download-javascript seems to rely on 1000, which is only
//     inferred;
//   - the default order is date_stop asc (CarrierX's own tools ask for it);
//     any field can be ordered by with offset paging, but after/before require
//     ordering by date_stop (the message DR docs say ordering is restricted
//     with after/before); "shuffle" is refused;
//   - "next" and "previous" links are both given in cursor mode when matching
//     records lie beyond the page in that direction (checked exactly);
//   - a cursor SID that is not one of the caller's records is a 400 on
//     after/before, as on the other collections.

// drCond is one compiled filter condition.
type drCond struct {
	f    *drField
	op   string
	lit  drLit
	list []drLit
	like []likeTok
}

// drLit is a literal converted for a field: s for text, or the floor and
// ceiling of the literal in the field's integer units (ms, scaled decimals).
type drLit struct {
	null   bool
	s      string
	fl, ce int64
}

func (l drLit) exact() bool { return l.fl == l.ce }

const litClamp = int64(1) << 62

// ratBounds returns floor and ceiling of r, clamped to ±2^62.
func ratBounds(r *big.Rat) (int64, int64) {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	clamp := func(x *big.Int) int64 {
		switch {
		case !x.IsInt64() && x.Sign() > 0, x.IsInt64() && x.Int64() > litClamp:
			return litClamp
		case !x.IsInt64() && x.Sign() < 0, x.IsInt64() && x.Int64() < -litClamp:
			return -litClamp
		}
		return x.Int64()
	}
	fl := clamp(q)
	ce := fl
	if m.Sign() != 0 && fl < litClamp {
		ce = fl + 1
	}
	return fl, ce
}

func (f *drField) literal(v FilterValue) (drLit, *apiError) {
	if v.IsNull() {
		return drLit{null: true}, nil
	}
	switch f.kind {
	case kindString:
		return drLit{s: v.Text}, nil
	case kindTime:
		t, ok := parseTS(v.Text)
		if !ok {
			return drLit{}, filterErr("%s is a timestamp: %q is not an ISO-8601 date or time", f.name, v.Text)
		}
		ms := t.Unix()*1000 + int64(t.Nanosecond()/1e6)
		l := drLit{fl: ms, ce: ms}
		if t.Nanosecond()%1e6 != 0 {
			l.ce++
		}
		return l, nil
	case kindInt, kindNum:
		r, ok := parseRat(v.Text)
		if !ok {
			return drLit{}, filterErr("%s is numeric: %q is not a number", f.name, v.Text)
		}
		r.Mul(r, new(big.Rat).SetInt64(pow10[f.scale]))
		fl, ce := ratBounds(r)
		return drLit{fl: fl, ce: ce}, nil
	case kindBool:
		switch strings.ToLower(v.Text) {
		case "true":
			return drLit{fl: 1, ce: 1}, nil
		case "false":
			return drLit{}, nil
		}
		return drLit{}, filterErr("%s is a boolean: use true or false, not %q", f.name, v.Text)
	}
	return drLit{}, filterErr("%s is an array or object and cannot be filtered on", f.name)
}

// compileDRFilter parses and compiles a filter for kind k.
func compileDRFilter(raw string, k *drKind) ([]*drCond, *apiError) {
	flt, perr := ParseFilter(raw)
	if perr != nil {
		return nil, errBadRequest("filter", perr.Error())
	}
	var out []*drCond
	for _, c := range flt.Conds {
		f := k.byName[c.Field]
		if f == nil {
			return nil, filterErr("unknown field %q", c.Field)
		}
		if f.kind == kindArray {
			return nil, filterErr("%s is an array or object and cannot be filtered on", f.name)
		}
		dc := &drCond{f: f, op: c.Op}
		var err *apiError
		switch c.Op {
		case "nearby":
			return nil, filterErr("operator nearby is only supported as \"phonenumber nearby latlng:<lat>,<lng>\" on available DIDs")
		case "in", "notin":
			for _, v := range c.List {
				l, err := f.literal(v)
				if err != nil {
					return nil, err
				}
				dc.list = append(dc.list, l)
			}
		case "like", "ilike":
			if f.kind != kindString {
				return nil, filterErr("operator %s needs a text field; %s is not one", c.Op, f.name)
			}
			if c.Value.IsNull() {
				return nil, filterErr("%s needs a pattern, not null", c.Op)
			}
			dc.like = compileLike(c.Value.Text, c.Op == "ilike")
		case "bit":
			if f.kind != kindInt {
				return nil, filterErr("operator bit needs an integer field; %s is not one", f.name)
			}
			n, perr := strconv.ParseInt(c.Value.Text, 10, 64)
			if perr != nil || n < 0 {
				return nil, filterErr("operator bit needs a non-negative integer, got %q", c.Value.Text)
			}
			dc.lit = drLit{fl: n, ce: n}
		default:
			if dc.lit, err = f.literal(c.Value); err != nil {
				return nil, err
			}
			if dc.lit.null && c.Op != "eq" && c.Op != "ne" {
				return nil, filterErr("null can only be compared with eq or ne (%s %s)", c.Field, c.Op)
			}
			if f.kind == kindBool && c.Op != "eq" && c.Op != "ne" {
				return nil, filterErr("operator %s cannot be used with boolean field %s", c.Op, f.name)
			}
		}
		out = append(out, dc)
	}
	return out, nil
}

func (c *drCond) eq(v dv, l drLit) bool {
	if l.null || v.null {
		return l.null && v.null
	}
	if c.f.kind == kindString {
		return v.s == l.s
	}
	return l.exact() && v.i == l.fl
}

func (c *drCond) match(p *partnerRecs, i int) bool {
	v := c.f.get(p, i)
	switch c.op {
	case "eq":
		return c.eq(v, c.lit)
	case "ne":
		return !c.eq(v, c.lit)
	case "in", "notin":
		hit := false
		for _, l := range c.list {
			if c.eq(v, l) {
				hit = true
				break
			}
		}
		return hit == (c.op == "in")
	case "like", "ilike":
		return !v.null && likeMatch(c.like, v.s, c.op == "ilike")
	case "bit":
		return !v.null && v.i&c.lit.fl == c.lit.fl
	}
	if v.null {
		return false
	}
	if c.f.kind == kindString {
		r := strings.Compare(v.s, c.lit.s)
		switch c.op {
		case "gt":
			return r > 0
		case "ge":
			return r >= 0
		case "lt":
			return r < 0
		case "le":
			return r <= 0
		}
		return false
	}
	switch c.op {
	case "gt":
		return v.i > c.lit.fl
	case "ge":
		return v.i >= c.lit.ce
	case "lt":
		return v.i < c.lit.ce
	case "le":
		return v.i <= c.lit.fl
	}
	return false
}

// likeMatch is matchLike without allocating: it walks s rune by rune.
func likeMatch(p []likeTok, s string, fold bool) bool {
	pi, si, starP, starS := 0, 0, -1, 0
	for si < len(s) {
		r, size := rune(s[si]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[si:])
		}
		if fold {
			r = unicode.ToLower(r)
		}
		switch {
		case pi < len(p) && (p[pi].kind == '_' || p[pi].kind == 'l' && p[pi].r == r):
			pi++
			si += size
		case pi < len(p) && p[pi].kind == '%':
			starP, starS = pi, si
			pi++
		case starP >= 0:
			_, sz := utf8.DecodeRuneInString(s[starS:])
			starS += sz
			pi, si = starP+1, starS
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].kind == '%' {
		pi++
	}
	return pi == len(p)
}

// drQuery is a parsed record list request.
type drQuery struct {
	k             *drKind
	p             *partnerRecs
	limit, offset int
	after, before string
	desc          bool
	orderF        *drField // nil: date_stop
	conds         []*drCond
	lo, hi        int // date_stop range of candidate indexes
	mask          []bool
	partner       []byte // with_related=true: the partner's JSON
}

var emptyRecs = &partnerRecs{}

func parseDRQuery(c *call, k *drKind) (*drQuery, *apiError) {
	p := c.records()
	if p == nil {
		p = emptyRecs
	}
	q := &drQuery{k: k, p: p}
	var err *apiError
	if q.limit, err = intParam(c.q, "limit", 10); err != nil {
		return nil, err
	}
	if q.limit > maxLimit {
		return nil, errBadRequest("limit", "limit must not be greater than 1000")
	}
	if q.offset, err = intParam(c.q, "offset", 0); err != nil {
		return nil, err
	}
	q.after, q.before = c.q.Get("after"), c.q.Get("before")
	if q.after != "" && q.before != "" {
		return nil, errBadRequest("after", "after and before cannot be used together")
	}
	cursor := q.after != "" || q.before != ""
	if cursor && q.offset != 0 {
		return nil, errBadRequest("offset", "offset cannot be combined with after or before")
	}
	o, err := parseOrder(c.q.Get("order"), k.sch)
	if err != nil {
		return nil, err
	}
	if o != nil {
		if o.shuffle {
			return nil, errBadRequest("order", "shuffle is not supported on this collection")
		}
		q.desc = o.desc
		if o.field != "date_stop" {
			q.orderF = k.byName[o.field]
			if cursor {
				return nil, errBadRequest("order", "after and before need order=date_stop (asc or desc)")
			}
		}
	}
	if q.conds, err = compileDRFilter(c.q.Get("filter"), k); err != nil {
		return nil, err
	}
	sel, err := parseFieldSel(c.q, k.sch, nil)
	if err != nil {
		return nil, err
	}
	q.mask = k.mask(sel)
	if q.partner, err = relatedPartner(c); err != nil {
		return nil, err
	}
	q.narrow()
	return q, nil
}

// relatedPartner reads with_related and returns the caller's JSON when true.
func relatedPartner(c *call) ([]byte, *apiError) {
	wr, err := parseBoolParam("with_related", c.q.Get("with_related"), false)
	if err != nil || !wr {
		return nil, err
	}
	b, jerr := c.partner.encoded()
	if jerr != nil {
		return nil, errStatus(http.StatusInternalServerError)
	}
	return b, nil
}

// mask turns include/exclude_fields into a per-field mask (nil: all fields).
func (k *drKind) mask(sel fieldSel) []bool {
	if sel.include == nil && sel.exclude == nil {
		return nil
	}
	m := make([]bool, len(k.fields))
	for j, f := range k.fields {
		m[j] = (sel.include == nil || sel.include[f.name]) && !sel.exclude[f.name]
	}
	return m
}

// narrow turns date_stop comparisons into the index range [lo, hi) and
// drops them from the per-record conditions.
func (q *drQuery) narrow() {
	n := q.p.count(q.k.kind)
	q.lo, q.hi = 0, n
	first := func(pred func(stop int64) bool) int {
		return sort.Search(n, func(i int) bool { return pred(q.p.stopAt(q.k.kind, i)) })
	}
	rest := q.conds[:0:0]
	for _, c := range q.conds {
		if c.f.name != "date_stop" || c.lit.null {
			rest = append(rest, c)
			continue
		}
		l := c.lit
		switch c.op {
		case "ge":
			q.lo = max(q.lo, first(func(s int64) bool { return s >= l.ce }))
		case "gt":
			q.lo = max(q.lo, first(func(s int64) bool { return s > l.fl }))
		case "lt":
			q.hi = min(q.hi, first(func(s int64) bool { return s >= l.ce }))
		case "le":
			q.hi = min(q.hi, first(func(s int64) bool { return s > l.fl }))
		case "eq":
			q.lo = max(q.lo, first(func(s int64) bool { return s >= l.ce }))
			q.hi = min(q.hi, first(func(s int64) bool { return s > l.fl }))
		default:
			rest = append(rest, c)
		}
	}
	q.conds = rest
	if q.hi < q.lo {
		q.hi = q.lo
	}
}

func (q *drQuery) matchAt(i int) bool {
	for _, c := range q.conds {
		if !c.match(q.p, i) {
			return false
		}
	}
	return true
}

// collect returns up to n matching indexes, skipping the first skip matches,
// walking from index from in direction dir (+1/-1) within [lo, hi).
func (q *drQuery) collect(from, dir, skip, n int) []int {
	out := make([]int, 0, min(n, 1024))
	if dir > 0 {
		from = max(from, q.lo)
	} else {
		from = min(from, q.hi-1)
	}
	if len(q.conds) == 0 { // every index in range matches
		from += dir * skip
		for i := from; i >= q.lo && i < q.hi && len(out) < n; i += dir {
			out = append(out, i)
		}
		return out
	}
	for i := from; i >= q.lo && i < q.hi && len(out) < n; i += dir {
		if q.matchAt(i) {
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, i)
		}
	}
	return out
}

// page computes the indexes of the page, has_more, the links and offset.
func (q *drQuery) page(c *call) ([]int, window, *apiError) {
	w := window{links: map[string]string{}}
	if q.orderF != nil {
		return q.sortedPage(c)
	}
	dir, start := 1, q.lo
	if q.desc {
		dir, start = -1, q.hi-1
	}
	sidOf := func(i int) string { return sidString(q.p.keys[q.k.kind], i) }
	if q.after == "" && q.before == "" {
		got := q.collect(start, dir, q.offset, q.limit+1)
		w.offset = q.offset
		w.hasMore = len(got) > q.limit
		got = got[:min(len(got), q.limit)]
		if w.hasMore && q.limit > 0 {
			w.links["next"] = c.link("offset", strconv.Itoa(q.offset+q.limit), false)
		}
		if q.offset > 0 {
			w.links["previous"] = c.link("offset", strconv.Itoa(max(0, q.offset-q.limit)), false)
		}
		return got, w, nil
	}
	name, sid := "after", q.after
	if sid == "" {
		name, sid = "before", q.before
	}
	idx := indexOf(q.p.keys[q.k.kind], sid, q.p.count(q.k.kind))
	if idx < 0 {
		return nil, w, errBadRequest(name, "cannot find item by sid")
	}
	var got []int
	if q.after != "" {
		got = q.collect(idx+dir, dir, 0, q.limit+1)
		w.hasMore = len(got) > q.limit
		got = got[:min(len(got), q.limit)]
		if len(got) > 0 {
			if w.hasMore {
				w.links["next"] = c.link("after", sidOf(got[len(got)-1]), true)
			}
			if len(q.collect(got[0]-dir, -dir, 0, 1)) > 0 {
				w.links["previous"] = c.link("before", sidOf(got[0]), true)
			}
		}
		return got, w, nil
	}
	got = q.collect(idx-dir, -dir, 0, q.limit+1)
	w.hasMore = len(got) > q.limit
	got = got[:min(len(got), q.limit)]
	slices.Reverse(got)
	if len(got) > 0 {
		if w.hasMore {
			w.links["previous"] = c.link("before", sidOf(got[0]), true)
		}
		if len(q.collect(got[len(got)-1]+dir, dir, 0, 1)) > 0 {
			w.links["next"] = c.link("after", sidOf(got[len(got)-1]), true)
		}
	}
	return got, w, nil
}

// sortedPage serves an order on another field than date_stop (offset paging
// only): every match in range is collected and sorted, ties keeping date_stop
// order. This is the slow path: O(matches log matches).
func (q *drQuery) sortedPage(c *call) ([]int, window, *apiError) {
	w := window{links: map[string]string{}, offset: q.offset}
	all := q.collect(q.lo, 1, 0, math.MaxInt)
	vals := make([]dv, len(all))
	for j, i := range all {
		vals[j] = q.orderF.get(q.p, i)
	}
	idx := make([]int, len(all))
	for j := range idx {
		idx[j] = j
	}
	str := q.orderF.kind == kindString
	slices.SortStableFunc(idx, func(a, b int) int {
		va, vb := vals[a], vals[b]
		var r int
		switch {
		case va.null || vb.null:
			r = boolCmp(!va.null, !vb.null)
		case str:
			r = strings.Compare(va.s, vb.s)
		default:
			r = cmpInt64(va.i, vb.i)
		}
		if q.desc {
			r = -r
		}
		return r
	})
	start := min(q.offset, len(idx))
	end := min(start+q.limit, len(idx))
	got := make([]int, 0, end-start)
	for _, j := range idx[start:end] {
		got = append(got, all[j])
	}
	w.hasMore = end < len(idx)
	if w.hasMore && q.limit > 0 {
		w.links["next"] = c.link("offset", strconv.Itoa(q.offset+q.limit), false)
	}
	if q.offset > 0 {
		w.links["previous"] = c.link("offset", strconv.Itoa(max(0, q.offset-q.limit)), false)
	}
	return got, w, nil
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// drList serves GET on a record collection ("total": null, §2.1).
func (s *Sandbox) drList(k *drKind) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		q, err := parseDRQuery(c, k)
		if err != nil {
			return 0, nil, err
		}
		got, w, err := q.page(c)
		if err != nil {
			return 0, nil, err
		}
		buf := make([]byte, 0, len(got)*1600)
		ends := make([]int, len(got))
		for j, i := range got {
			buf = k.appendRecord(buf, q.p, i, q.mask, q.partner)
			ends[j] = len(buf)
		}
		items := make([]any, len(got))
		prev := 0
		for j, e := range ends {
			items[j] = json.RawMessage(buf[prev:e:e])
			prev = e
		}
		return http.StatusOK, newEnvelope(items, &listParams{limit: q.limit}, w, 0, true), nil
	}
}

// drFind returns the caller's record with the SID in route parameter param.
func drFind(c *call, k *drKind, param string) (*partnerRecs, int, *apiError) {
	p := c.records()
	if p == nil {
		return nil, 0, errNoItem()
	}
	i := indexOf(p.keys[k.kind], c.param(param), p.count(k.kind))
	if i < 0 {
		return nil, 0, errNoItem()
	}
	return p, i, nil
}

// drGet serves GET on one record (field filtering and with_related apply).
func (s *Sandbox) drGet(k *drKind, param string) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		p, i, err := drFind(c, k, param)
		if err != nil {
			return 0, nil, err
		}
		sel, err := parseFieldSel(c.q, k.sch, nil)
		if err != nil {
			return 0, nil, err
		}
		partner, err := relatedPartner(c)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, json.RawMessage(k.appendRecord(nil, p, i, k.mask(sel), partner)), nil
	}
}

// mdrUserDataMax bounds user_data; CarrierX's limit is not confirmed, so the
// 255 characters of the sandbox's other free strings apply.
const mdrUserDataMax = 255

// updateMDR serves PATCH and PUT on a message detail record. Only user_data
// is writable (that it is writable at all is inferred from the documented
// "Update Message Detail Record" method; not confirmed). Other fields may be
// sent with their current values (read-modify-write); a different value is a
// 422 "is read-only", an unknown name a 422 too. PUT without user_data resets
// it to null.
func (s *Sandbox) updateMDR(put bool) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		p, i, err := drFind(c, mdrKind, "dr_sid")
		if err != nil {
			return 0, nil, err
		}
		body, err := decodeJSONBody(c)
		if err != nil {
			return 0, nil, err
		}
		var current map[string]any
		dec := json.NewDecoder(strings.NewReader(string(mdrKind.appendRecord(nil, p, i, nil, nil))))
		dec.UseNumber()
		if derr := dec.Decode(&current); derr != nil {
			return 0, nil, errStatus(http.StatusInternalServerError)
		}
		keys := make([]string, 0, len(body))
		for k := range body {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var errs []errItem
		var next *string
		seen := false
		for _, k := range keys {
			v := body[k]
			switch {
			case k == "user_data":
				seen = true
				switch x := v.(type) {
				case nil:
				case string:
					if utf8.RuneCountInString(x) > mdrUserDataMax {
						errs = append(errs, item(k, fmt.Sprintf("user_data must be at most %d characters", mdrUserDataMax)))
					}
					next = &x
				default:
					errs = append(errs, item(k, "user_data must be a string or null"))
				}
			case mdrKind.byName[k] == nil:
				errs = append(errs, item(k, k+" is not a known attribute of "+mdrKind.name))
			case !sameJSON(v, current[k]):
				errs = append(errs, item(k, k+" is read-only"))
			}
		}
		if len(errs) > 0 {
			return 0, nil, errValidation(errs...)
		}
		if seen || put {
			if next == nil {
				delete(p.mdrUserData, int32(i))
			} else {
				p.mdrUserData[int32(i)] = next
			}
		}
		return http.StatusOK, json.RawMessage(mdrKind.appendRecord(nil, p, i, nil, nil)), nil
	}
}
