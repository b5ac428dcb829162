package carrierx

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Filter builds CarrierX's filter grammar (§2.3): conditions of the form
// `field op value` joined by " and ". CarrierX refuses or/not/parentheses, so
// the builder cannot express them.
//
// A Filter is an immutable value: every method returns a new Filter. Mistakes
// (an invalid field name, an unsupported value type) are programming errors:
// the offending condition is left out of String(), the error is kept and
// returned by Err(), and list calls refuse to send a request with it.
//
// Operators confirmed by CarrierX docs/code: eq, gt, ge, lt, like, bit, nearby.
// ne, le, ilike and in are offered but not confirmed against CarrierX.
type Filter struct {
	conds []string
	errs  []error
}

// TimeLayout is how time values are written in filters: UTC RFC 3339 with
// milliseconds, e.g. 2024-10-31T00:00:00.000Z (CarrierX's own timestamp format).
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Eq adds `field eq value`.
func (f Filter) Eq(field string, v any) Filter { return f.cmp(field, "eq", v) }

// Ne adds `field ne value` (operator not confirmed by CarrierX docs).
func (f Filter) Ne(field string, v any) Filter { return f.cmp(field, "ne", v) }

// Gt adds `field gt value`.
func (f Filter) Gt(field string, v any) Filter { return f.cmp(field, "gt", v) }

// Ge adds `field ge value`.
func (f Filter) Ge(field string, v any) Filter { return f.cmp(field, "ge", v) }

// Lt adds `field lt value`.
func (f Filter) Lt(field string, v any) Filter { return f.cmp(field, "lt", v) }

// Le adds `field le value` (operator not confirmed by CarrierX docs).
func (f Filter) Le(field string, v any) Filter { return f.cmp(field, "le", v) }

// Like adds `field like value`; % is the wildcard (e.g. "1516%").
func (f Filter) Like(field string, v any) Filter { return f.cmp(field, "like", v) }

// ILike adds `field ilike value`, case-insensitive like (not confirmed).
func (f Filter) ILike(field string, v any) Filter { return f.cmp(field, "ilike", v) }

// Bit adds `field bit mask`: the given bit(s) are set (e.g. capabilities bit 4).
func (f Filter) Bit(field string, mask int) Filter {
	if mask < 0 {
		return f.fail(fmt.Errorf("carrierx: filter: negative bit mask %d for %q", mask, field))
	}
	return f.cmp(field, "bit", mask)
}

// In adds `field in ("a", "b")` (operator and list syntax not confirmed).
func (f Filter) In(field string, vs ...any) Filter {
	if err := validField(field); err != nil {
		return f.fail(err)
	}
	if len(vs) == 0 {
		return f.fail(fmt.Errorf("carrierx: filter: in on %q needs at least one value", field))
	}
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		s, err := formatValue(v)
		if err != nil {
			return f.fail(fmt.Errorf("carrierx: filter: %s in: %w", field, err))
		}
		parts = append(parts, s)
	}
	return f.add(field + " in (" + strings.Join(parts, ", ") + ")")
}

// Nearby adds `field nearby latlng:<lat>,<lng>` (available DIDs, field
// "phonenumber").
func (f Filter) Nearby(field string, lat, lng float64) Filter {
	if err := validField(field); err != nil {
		return f.fail(err)
	}
	if math.IsNaN(lat) || math.IsNaN(lng) || lat < -90 || lat > 90 || lng < -180 || lng > 180 {
		return f.fail(fmt.Errorf("carrierx: filter: nearby on %q: coordinates out of range", field))
	}
	return f.add(field + " nearby latlng:" + strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lng, 'f', -1, 64))
}

// And returns the conditions of f followed by those of g.
func (f Filter) And(g Filter) Filter {
	return Filter{
		conds: append(slices.Clip(f.conds), g.conds...),
		errs:  append(slices.Clip(f.errs), g.errs...),
	}
}

// String renders the filter, e.g. `state eq "NY" and capabilities bit 4`.
// Conditions that failed validation are left out (see Err).
func (f Filter) String() string { return strings.Join(f.conds, " and ") }

// IsZero reports whether the filter has no conditions and no errors.
func (f Filter) IsZero() bool { return len(f.conds) == 0 && len(f.errs) == 0 }

// Err returns the builder mistakes recorded so far, or nil.
func (f Filter) Err() error { return errors.Join(f.errs...) }

func (f Filter) cmp(field, op string, v any) Filter {
	if err := validField(field); err != nil {
		return f.fail(err)
	}
	s, err := formatValue(v)
	if err != nil {
		return f.fail(fmt.Errorf("carrierx: filter: %s %s: %w", field, op, err))
	}
	return f.add(field + " " + op + " " + s)
}

func (f Filter) add(cond string) Filter {
	return Filter{conds: append(slices.Clip(f.conds), cond), errs: f.errs}
}

func (f Filter) fail(err error) Filter {
	return Filter{conds: f.conds, errs: append(slices.Clip(f.errs), err)}
}

// validField accepts names made of letters, digits and "_", in dot-separated
// segments (nested fields such as properties.login).
func validField(field string) error {
	if field == "" {
		return errors.New("carrierx: filter: empty field name")
	}
	for seg := range strings.SplitSeq(field, ".") {
		if seg == "" {
			return fmt.Errorf("carrierx: filter: invalid field name %q", field)
		}
		for _, r := range seg {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return fmt.Errorf("carrierx: filter: invalid field name %q", field)
			}
		}
	}
	return nil
}

// quote renders a string value. CarrierX accepts single or double quotes
// (§2.3); escaping inside quotes is not confirmed. We use double quotes and
// backslash-escape `\` and `"`, except that a value containing `"` but no `'`
// goes in single quotes (documented to work), so no escape is needed for it.
func quote(s string) string {
	if strings.Contains(s, `"`) && !strings.Contains(s, `'`) {
		return "'" + strings.ReplaceAll(s, `\`, `\\`) + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	decimalType    = reflect.TypeFor[decimal.Decimal]()
	nullDecimalTyp = reflect.TypeFor[decimal.NullDecimal]()
)

// formatValue renders a filter value: strings quoted, numbers and bools bare,
// times as UTC RFC 3339 with milliseconds (bare), decimals bare.
func formatValue(v any) (string, error) {
	if v == nil {
		return "", errors.New("nil value (null comparisons are not confirmed for CarrierX filters)")
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "", errors.New("nil value (null comparisons are not confirmed for CarrierX filters)")
		}
		rv = rv.Elem()
	}
	switch rv.Type() {
	case timeType:
		t := rv.Interface().(time.Time)
		if t.IsZero() {
			return "", errors.New("zero time")
		}
		return t.UTC().Format(TimeLayout), nil
	case decimalType:
		return rv.Interface().(decimal.Decimal).String(), nil
	case nullDecimalTyp:
		nd := rv.Interface().(decimal.NullDecimal)
		if !nd.Valid {
			return "", errors.New("null decimal (null comparisons are not confirmed for CarrierX filters)")
		}
		return nd.Decimal.String(), nil
	}
	switch rv.Kind() {
	case reflect.String:
		return quote(rv.String()), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		fl := rv.Float()
		if math.IsNaN(fl) || math.IsInf(fl, 0) {
			return "", errors.New("non-finite number")
		}
		bits := 64
		if rv.Kind() == reflect.Float32 {
			bits = 32
		}
		return strconv.FormatFloat(fl, 'f', -1, bits), nil
	}
	return "", fmt.Errorf("unsupported value type %T", v)
}
