package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// object is one stored CarrierX object: a JSON-like value made of string,
// int64, bool, nil, json.Number (inside free-form values only), object and
// []any. Stored objects are immutable: a change stores a modified copy, so a
// response can be encoded after the sandbox lock is released.
type object = map[string]any

func cloneObject(o object) object {
	n := make(object, len(o)+1)
	for k, v := range o {
		n[k] = v
	}
	return n
}

// tsLayout is CarrierX's timestamp format: ISO-8601 UTC, milliseconds, Z.
const tsLayout = "2006-01-02T15:04:05.000Z"

func formatTS(t time.Time) string { return t.UTC().Format(tsLayout) }

// parseTS accepts the date and date-time forms seen in CarrierX filters and
// objects (2024-10-31, 2024-10-31T18:00:00Z, with fractions or offsets).
func parseTS(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// isDecimal reports whether s is a plain decimal number: optional sign,
// digits with an optional fraction, optional small exponent. The limits keep
// big.Rat from being asked to build huge numbers.
func isDecimal(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 || exp > 3 {
			return false
		}
	}
	return i == len(s)
}

// fastNum parses a plain decimal of at most 15 significant digits (no
// exponent) as a float64. Such decimals convert to distinct, correctly
// ordered floats, so comparing the floats compares the decimals exactly.
func fastNum(s string) (float64, bool) {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= '0' && b <= '9':
			digits++
		case b == '.' || (i == 0 && (b == '-' || b == '+')):
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func parseRat(s string) (*big.Rat, bool) {
	if !isDecimal(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// numberOf converts a JSON-like numeric value (or, when strs is set, a
// decimal string) to a big.Rat.
func numberOf(v any, strs bool) (*big.Rat, bool) {
	switch x := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(x), true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case float64:
		r := new(big.Rat)
		if r.SetFloat64(x) == nil {
			return nil, false
		}
		return r, true
	case json.Number:
		return parseRat(string(x))
	case string:
		if strs {
			return parseRat(x)
		}
	}
	return nil, false
}

// intOf converts a JSON-like integral value to int64.
func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n, true
		}
		if r, ok := parseRat(string(x)); ok && r.IsInt() && r.Num().IsInt64() {
			return r.Num().Int64(), true
		}
	}
	return 0, false
}

// textOf renders a scalar as text (for like/ilike and string comparisons).
func textOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case json.Number:
		return string(x), true
	}
	return "", false
}

// sameJSON reports whether a and b encode to the same JSON (maps compare
// with sorted keys, so this is a deep equality of JSON values).
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// newUUID returns a version-4 UUID string drawn from rng (deterministic for a
// seeded rng).
func newUUID(rng *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// splitList splits a comma list, trimming blanks and dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseBoolParam parses a true/false query value ("" = def).
func parseBoolParam(name, v string, def bool) (bool, *apiError) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return def, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errBadRequest(name, name+" must be true or false")
}
