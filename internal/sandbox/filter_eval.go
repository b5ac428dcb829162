package sandbox

import (
	"cmp"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// matcher is a Filter compiled against a resource schema.
type matcher struct {
	conds  []*ccond
	nearby *latLng // set by "phonenumber nearby latlng:<lat>,<lng>"
}

type latLng struct{ lat, lng float64 }

// ccond is one compiled condition.
type ccond struct {
	path []string
	get  func(object) any // virtual key getter (path is then nil)
	kind fieldKind        // declared kind of the value (kindAny for free-form)
	op   string
	val  cval
	list []cval
	like []likeTok
	bits int64
}

// cval is a filter literal pre-converted for the comparisons it may take part in.
type cval struct {
	null  bool
	str   string
	num   *big.Rat // non-nil when the literal is a number
	f     float64  // the number, when fok (see fastNum)
	fok   bool
	i64   int64
	isInt bool
	t     time.Time
	hasT  bool
	b     bool
	hasB  bool
}

func newCval(v FilterValue) cval {
	if v.IsNull() {
		return cval{null: true}
	}
	c := cval{str: v.Text}
	c.f, c.fok = fastNum(v.Text)
	if r, ok := parseRat(v.Text); ok {
		c.num = r
		if n, err := strconv.ParseInt(v.Text, 10, 64); err == nil {
			c.i64, c.isInt = n, true
		}
	}
	c.t, c.hasT = parseTS(v.Text)
	switch strings.ToLower(v.Text) {
	case "true":
		c.b, c.hasB = true, true
	case "false":
		c.hasB = true
	}
	return c
}

func filterErr(msg string, a ...any) *apiError {
	return errBadRequest("filter", fmt.Sprintf(msg, a...))
}

// resolvePath finds the kind of a (dotted) field in sch. Sub-paths are allowed
// into free-form objects/arrays (any key) and into arrays of known objects
// (trunks.allow_transfer); an array matches when any element matches.
func resolvePath(sch *schema, name string) (path []string, get func(object) any, kind fieldKind, err string) {
	parts := strings.Split(name, ".")
	if v := sch.virtual[name]; v != nil {
		return nil, v.Get, v.Kind, ""
	}
	cur := sch
	for i, p := range parts {
		f := cur.field(p)
		if f == nil {
			if i == 0 {
				return nil, nil, 0, fmt.Sprintf("unknown field %q", name)
			}
			return nil, nil, 0, fmt.Sprintf("unknown field %q in %q", p, name)
		}
		last := i == len(parts)-1
		switch {
		case last && f.Kind == kindArray && f.ElemKind != 0:
			return parts, nil, f.ElemKind, ""
		case last:
			return parts, nil, f.Kind, ""
		case f.Kind == kindObject || f.Kind == kindAny || (f.Kind == kindArray && f.Elem == nil && f.ElemKind == 0):
			return parts, nil, kindAny, ""
		case f.Kind == kindArray && f.Elem != nil:
			cur = f.Elem
		default:
			return nil, nil, 0, fmt.Sprintf("field %q has no sub-fields", strings.Join(parts[:i+1], "."))
		}
	}
	return nil, nil, 0, fmt.Sprintf("unknown field %q", name)
}

// compileFilter checks f against sch. nearby is allowed only when allowNearby.
func compileFilter(f Filter, sch *schema, allowNearby bool) (*matcher, *apiError) {
	m := &matcher{}
	for _, c := range f.Conds {
		if c.Op == "nearby" {
			// Only "phonenumber nearby latlng:<lat>,<lng>" is documented (§2.3,
			// available DIDs). It does not filter: it orders by distance.
			if !allowNearby || c.Field != "phonenumber" {
				return nil, filterErr("operator nearby is only supported as \"phonenumber nearby latlng:<lat>,<lng>\" on available DIDs")
			}
			ll, ok := parseLatLng(c.Value.Text)
			if !ok {
				return nil, filterErr("nearby expects latlng:<lat>,<lng>, got %q", c.Value.Text)
			}
			m.nearby = &ll
			continue
		}
		path, get, kind, msg := resolvePath(sch, c.Field)
		if msg != "" {
			return nil, filterErr("%s", msg)
		}
		cc := &ccond{path: path, get: get, kind: kind, op: c.Op, val: newCval(c.Value)}
		if err := cc.check(c); err != nil {
			return nil, err
		}
		m.conds = append(m.conds, cc)
	}
	return m, nil
}

func parseLatLng(s string) (latLng, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(s), "latlng:")
	if !ok {
		return latLng{}, false
	}
	a, b, ok := strings.Cut(rest, ",")
	if !ok {
		return latLng{}, false
	}
	lat, err1 := strconv.ParseFloat(a, 64)
	lng, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lng < -180 || lng > 180 {
		return latLng{}, false
	}
	return latLng{lat, lng}, true
}

// check validates the literal(s) of a condition against the field's kind.
func (cc *ccond) check(c Cond) *apiError {
	field := c.Field
	scalar := func(v cval, op string) *apiError {
		if v.null {
			if op != "eq" && op != "ne" && op != "in" && op != "notin" {
				return filterErr("null can only be compared with eq or ne (%s %s)", field, op)
			}
			return nil
		}
		switch cc.kind {
		case kindInt, kindNum:
			if v.num == nil {
				return filterErr("%s is numeric: %q is not a number", field, v.str)
			}
		case kindTime:
			if !v.hasT {
				return filterErr("%s is a timestamp: %q is not an ISO-8601 date or time", field, v.str)
			}
		case kindBool:
			if !v.hasB {
				return filterErr("%s is a boolean: use true or false, not %q", field, v.str)
			}
			if op != "eq" && op != "ne" && op != "in" && op != "notin" {
				return filterErr("operator %s cannot be used with boolean field %s", op, field)
			}
		case kindObject, kindArray:
			return filterErr("%s is an object or array: compare one of its keys (%s.<key>)", field, field)
		}
		return nil
	}
	switch c.Op {
	case "in", "notin":
		for _, v := range c.List {
			cv := newCval(v)
			if err := scalar(cv, c.Op); err != nil {
				return err
			}
			cc.list = append(cc.list, cv)
		}
	case "like", "ilike":
		if cc.val.null {
			return filterErr("%s needs a pattern, not null", c.Op)
		}
		if cc.kind == kindObject || cc.kind == kindArray {
			return filterErr("%s is an object or array: compare one of its keys", field)
		}
		cc.like = compileLike(c.Value.Text, c.Op == "ilike")
	case "bit":
		if cc.kind != kindInt && cc.kind != kindAny {
			return filterErr("operator bit needs an integer field; %s is not one", field)
		}
		if !cc.val.isInt || cc.val.i64 < 0 {
			return filterErr("operator bit needs a non-negative integer, got %q", c.Value.Text)
		}
		cc.bits = cc.val.i64
	default:
		return scalar(cc.val, c.Op)
	}
	return nil
}

// match reports whether obj satisfies every condition.
func (m *matcher) match(obj object) bool {
	if m == nil {
		return true
	}
	for _, c := range m.conds {
		if !c.match(obj) {
			return false
		}
	}
	return true
}

func (c *ccond) match(obj object) bool {
	if c.get != nil {
		return c.test(c.get(obj))
	}
	return anyValue(obj, c.path, c.test)
}

// anyValue walks path through obj, fanning out over arrays, and reports
// whether test holds for any value reached. A missing key reads as null.
func anyValue(v any, path []string, test func(any) bool) bool {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if anyValue(e, path, test) {
				return true
			}
		}
		return false
	case map[string]any:
		if len(path) == 0 {
			return test(x)
		}
		return anyValue(x[path[0]], path[1:], test)
	}
	if len(path) > 0 {
		return test(nil)
	}
	return test(v)
}

func (c *ccond) test(v any) bool {
	switch c.op {
	case "eq":
		return c.eq(v, c.val)
	case "ne":
		return !c.eq(v, c.val)
	case "in", "notin":
		hit := false
		for _, x := range c.list {
			if c.eq(v, x) {
				hit = true
				break
			}
		}
		return hit == (c.op == "in")
	case "like", "ilike":
		s, ok := textOf(v)
		return ok && matchLike(c.like, s, c.op == "ilike")
	case "bit":
		n, ok := intOf(v)
		return ok && n&c.bits == c.bits
	}
	r, ok := c.cmp(v, c.val)
	if !ok {
		return false
	}
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

// eq compares a stored value with a literal; null only equals null.
func (c *ccond) eq(v any, x cval) bool {
	if x.null || v == nil {
		return x.null && v == nil
	}
	switch y := v.(type) {
	case bool:
		if x.hasB {
			return y == x.b
		}
		return strconv.FormatBool(y) == x.str
	case string:
		switch {
		case c.kind == kindTime && x.hasT:
			t, ok := parseTS(y)
			return ok && t.Equal(x.t)
		case c.kind == kindNum && x.num != nil:
			if n, ok := cmpDecimal(y, x); ok {
				return n == 0
			}
			return false
		}
		return y == x.str
	case int64:
		if x.isInt {
			return y == x.i64
		}
	}
	if r, ok := numberOf(v, false); ok && x.num != nil {
		return r.Cmp(x.num) == 0
	}
	s, ok := textOf(v)
	return ok && s == x.str
}

// cmp orders a stored value against a literal: numerically when both are
// numbers (num-strings count), by time for timestamps, else as strings.
func (c *ccond) cmp(v any, x cval) (int, bool) {
	if v == nil || x.null {
		return 0, false
	}
	switch y := v.(type) {
	case bool, map[string]any, []any:
		return 0, false
	case int64:
		if x.isInt {
			return cmp.Compare(y, x.i64), true
		}
	case string:
		if c.kind == kindTime || (c.kind == kindAny && x.hasT && !isDecimal(y)) {
			if t, ok := parseTS(y); ok && x.hasT {
				return t.Compare(x.t), true
			}
		}
		if x.num != nil {
			if n, ok := cmpDecimal(y, x); ok {
				return n, true
			}
		}
		if c.kind == kindNum || c.kind == kindTime {
			return 0, false
		}
		return strings.Compare(y, x.str), true
	}
	if r, ok := numberOf(v, false); ok && x.num != nil {
		return r.Cmp(x.num), true
	}
	return 0, false
}

// cmpDecimal compares a decimal string with a numeric literal, on floats
// when both are short decimals, else exactly.
func cmpDecimal(s string, x cval) (int, bool) {
	if x.fok {
		if f, ok := fastNum(s); ok {
			return cmp.Compare(f, x.f), true
		}
	}
	r, ok := parseRat(s)
	if !ok {
		return 0, false
	}
	return r.Cmp(x.num), true
}

// likeTok is one element of a SQL LIKE pattern.
type likeTok struct {
	kind byte // 'l' literal rune, '_' one rune, '%' any run
	r    rune
}

// compileLike turns a LIKE pattern into tokens: % is any run, _ one
// character, a backslash makes the next character literal.
func compileLike(p string, fold bool) []likeTok {
	var out []likeTok
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs):
			i++
			out = append(out, likeTok{'l', foldRune(rs[i], fold)})
		case r == '%':
			if len(out) == 0 || out[len(out)-1].kind != '%' {
				out = append(out, likeTok{kind: '%'})
			}
		case r == '_':
			out = append(out, likeTok{kind: '_'})
		default:
			out = append(out, likeTok{'l', foldRune(r, fold)})
		}
	}
	return out
}

func foldRune(r rune, fold bool) rune {
	if fold {
		return unicode.ToLower(r)
	}
	return r
}

// matchLike matches s against a compiled pattern in O(len(s)*len(p)) worst case.
func matchLike(p []likeTok, str string, fold bool) bool {
	s := []rune(str)
	if fold {
		for i, r := range s {
			s[i] = unicode.ToLower(r)
		}
	}
	pi, si, starP, starS := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi].kind == '_' || p[pi].kind == 'l' && p[pi].r == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi].kind == '%':
			starP, starS = pi, si
			pi++
		case starP >= 0:
			starS++
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
