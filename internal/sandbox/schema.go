package sandbox

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// fieldKind is the JSON type of a field (§4 type legend).
type fieldKind uint8

const (
	kindString fieldKind = iota + 1
	kindInt
	kindBool
	kindNum  // decimal number sent as a JSON string ("0.6")
	kindTime // ISO-8601 timestamp string
	kindObject
	kindArray
	kindAny
	kindBoolOrString // bool, or a short enum-like string (trunk allow_transfer)
)

// field describes one attribute of a resource.
type field struct {
	Name       string
	Kind       fieldKind
	Nullable   bool
	ReadOnly   bool // never written by clients; an attempt to change it is a 422
	CreateOnly bool // written on create only (e.g. a DID's phonenumber)
	External   bool // not stored on the object (e.g. a trunk group's trunks); handled by hooks
	Default    any  // value of a writable field on create / omitted on PUT
	Enum       []string
	MaxLen     int
	URL        bool      // must be an absolute http(s) URL
	Min        *int64    // for kindInt
	ElemKind   fieldKind // for kindArray of scalars
	Elem       *schema
	EmptyNull  bool                        // "" is stored as null
	Check      func(c *call, v any) string // extra check of a non-null value; "" = fine
}

// virtualKey is a filter/order-only key computed from an object (e.g. npa).
type virtualKey struct {
	Kind fieldKind
	Get  func(object) any
}

// schema is the field spec of one resource.
type schema struct {
	Name    string
	ID      string // the SID field
	Fields  []*field
	byName  map[string]*field
	virtual map[string]*virtualKey
}

func newSchema(name, id string, fields ...*field) *schema {
	s := &schema{Name: name, ID: id, Fields: fields, byName: map[string]*field{}, virtual: map[string]*virtualKey{}}
	for _, f := range fields {
		s.byName[f.Name] = f
	}
	return s
}

func (s *schema) field(name string) *field { return s.byName[name] }

// has reports whether name is a field or a virtual key.
func (s *schema) has(name string) bool {
	return s.byName[name] != nil || s.virtual[name] != nil
}

// defaults returns a fresh object with every stored field at its default.
func (s *schema) defaults() object {
	o := make(object, len(s.Fields))
	for _, f := range s.Fields {
		if !f.External {
			o[f.Name] = f.Default
		}
	}
	return o
}

type fieldOpt func(*field)

func fld(name string, k fieldKind, opts ...fieldOpt) *field {
	f := &field{Name: name, Kind: k}
	for _, o := range opts {
		o(f)
	}
	return f
}

func ro() fieldOpt                  { return func(f *field) { f.ReadOnly = true } }
func null() fieldOpt                { return func(f *field) { f.Nullable = true } }
func def(v any) fieldOpt            { return func(f *field) { f.Default = v } }
func enum(vs ...string) fieldOpt    { return func(f *field) { f.Enum = vs } }
func maxLen(n int) fieldOpt         { return func(f *field) { f.MaxLen = n } }
func createOnly() fieldOpt          { return func(f *field) { f.CreateOnly = true } }
func external() fieldOpt            { return func(f *field) { f.External = true } }
func urlCheck() fieldOpt            { return func(f *field) { f.URL = true } }
func minInt(n int64) fieldOpt       { return func(f *field) { f.Min = &n } }
func elemKind(k fieldKind) fieldOpt { return func(f *field) { f.ElemKind = k } }
func elem(s *schema) fieldOpt       { return func(f *field) { f.Elem = s } }
func emptyNull() fieldOpt           { return func(f *field) { f.EmptyNull = true } }
func check(fn func(c *call, v any) string) fieldOpt {
	return func(f *field) { f.Check = fn }
}

// Shorthands for the common field shapes.
func sidField(name string) *field        { return fld(name, kindString, ro()) }
func optStr(name string) *field          { return fld(name, kindString, null(), maxLen(255)) }
func roStr(name string) *field           { return fld(name, kindString, ro(), null()) }
func emptyArr(name string) *field        { return fld(name, kindArray, def([]any{})) }
func emptyObj(name string) *field        { return fld(name, kindObject, def(object{})) }
func intDef(name string, n int64) *field { return fld(name, kindInt, def(n)) }

// normalize type-checks a decoded JSON value v for f and converts it to the
// stored representation. It returns a message naming the problem, or "".
func (f *field) normalize(c *call, v any, prefix string) (any, []errItem) {
	name := prefix + f.Name
	bad := func(format string, a ...any) (any, []errItem) {
		return nil, []errItem{item(name, fmt.Sprintf(format, a...))}
	}
	if s, ok := v.(string); ok && s == "" && f.EmptyNull {
		v = nil
	}
	if v == nil {
		if !f.Nullable {
			return bad("%s must not be null", name)
		}
		return nil, nil
	}
	switch f.Kind {
	case kindString:
		s, ok := v.(string)
		if !ok {
			return bad("%s must be a string", name)
		}
		if f.MaxLen > 0 && utf8.RuneCountInString(s) > f.MaxLen {
			return bad("%s must be at most %d characters long", name, f.MaxLen)
		}
		if len(f.Enum) > 0 && !contains(f.Enum, s) {
			return bad("%s must be one of: %s", name, strings.Join(f.Enum, ", "))
		}
		if f.URL {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return bad("%s must be a valid http or https URL", name)
			}
		}
		v = s
	case kindInt:
		n, ok := intOf(v)
		if !ok {
			return bad("%s must be an integer", name)
		}
		if f.Min != nil && n < *f.Min {
			return bad("%s must be greater than or equal to %d", name, *f.Min)
		}
		v = n
	case kindBool:
		if _, ok := v.(bool); !ok {
			return bad("%s must be a boolean", name)
		}
	case kindBoolOrString:
		switch x := v.(type) {
		case bool:
		case string:
			if x == "" || len(x) > 64 {
				return bad("%s must be a boolean or a non-empty string", name)
			}
		default:
			return bad("%s must be a boolean or a string", name)
		}
	case kindNum:
		switch x := v.(type) {
		case string:
			if !isDecimal(x) {
				return bad("%s must be a decimal number string", name)
			}
		case json.Number: // accepted, answered as a string
			if !isDecimal(string(x)) {
				return bad("%s must be a decimal number string", name)
			}
			v = string(x)
		default:
			return bad("%s must be a decimal number string", name)
		}
	case kindTime:
		s, ok := v.(string)
		t, ok2 := parseTS(s)
		if !ok || !ok2 {
			return bad("%s must be an ISO-8601 timestamp", name)
		}
		v = formatTS(t)
	case kindObject:
		if _, ok := v.(map[string]any); !ok {
			return bad("%s must be an object", name)
		}
	case kindArray:
		arr, ok := v.([]any)
		if !ok {
			return bad("%s must be an array", name)
		}
		out := make([]any, len(arr))
		var errs []errItem
		for i, e := range arr {
			ename := fmt.Sprintf("%s[%d]", name, i)
			switch {
			case f.Elem != nil:
				m, ok := e.(map[string]any)
				if !ok {
					errs = append(errs, item(ename, ename+" must be an object"))
					continue
				}
				o, es := applyBody(c, f.Elem, f.Elem.defaults(), m, modeCreate, ename+".")
				errs = append(errs, es...)
				out[i] = o
			case f.ElemKind == kindString:
				s, ok := e.(string)
				if !ok {
					errs = append(errs, item(ename, ename+" must be a string"))
				}
				out[i] = s
			default:
				out[i] = e
			}
		}
		if len(errs) > 0 {
			return nil, errs
		}
		v = out
	}
	if f.Check != nil {
		if msg := f.Check(c, v); msg != "" {
			return nil, []errItem{item(name, msg)}
		}
	}
	return v, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type writeMode uint8

const (
	modeCreate writeMode = iota
	modePatch
	modePut
)

// applyBody validates a decoded JSON body against sch and applies it to a copy
// of base (the current object, or the would-be object on create).
//
//   - Unknown attributes are a 422 (never silently dropped).
//   - Read-only attributes (and create-only ones after creation) are a 422 when
//     the value differs from base's; echoing the current value back (as a
//     read-modify-write PUT does) is accepted. Whether CarrierX ignores or
//     refuses such writes is not confirmed: refusing a change is the
//     conservative choice.
//   - PUT (modePut) resets writable attributes missing from the body to their
//     defaults. CarrierX's handling of omitted PUT fields is not confirmed
//     (§6); this is the documented "replace" reading.
//   - Nested objects (attributes, ...) are replaced wholesale on PATCH; deep
//     merge vs replace is not confirmed (§6).
//
// External fields are skipped here; the resource's hooks handle them.
func applyBody(c *call, sch *schema, base object, body map[string]any, mode writeMode, prefix string) (object, []errItem) {
	out := cloneObject(base)
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []errItem
	for _, k := range keys {
		f := sch.field(k)
		if f == nil {
			errs = append(errs, item(prefix+k, fmt.Sprintf("%s%s is not a known attribute of %s", prefix, k, sch.Name)))
			continue
		}
		if f.External {
			continue
		}
		fixed := f.ReadOnly || (f.CreateOnly && mode != modeCreate)
		if fixed {
			// Compare without running Check: echoing a value back is fine.
			g := *f
			g.Check = nil
			v, es := g.normalize(c, body[k], prefix)
			if len(es) == 0 && sameJSON(v, base[k]) {
				continue
			}
			msg := prefix + k + " is read-only"
			if f.CreateOnly {
				msg = prefix + k + " cannot be changed after creation"
			}
			errs = append(errs, item(prefix+k, msg))
			continue
		}
		v, es := f.normalize(c, body[k], prefix)
		if len(es) > 0 {
			errs = append(errs, es...)
			continue
		}
		out[k] = v
	}
	if mode == modePut {
		for _, f := range sch.Fields {
			_, sent := body[f.Name]
			// A field with no default that cannot be null keeps its value.
			if !sent && !f.ReadOnly && !f.CreateOnly && !f.External && (f.Default != nil || f.Nullable) {
				out[f.Name] = f.Default
			}
		}
	}
	return out, errs
}
