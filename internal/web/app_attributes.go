package web

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// Mediator bindings and dialouts carry free-form attributes (ringback=moh,
// hide_origination_did=true, announce, cnam, ...), edited as one
// name=value per line. CarrierX judges the names and values; the console
// only checks the shape.

var attrNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// parseAttributes reads the text of an attributes field. A problem goes to
// errs["attributes"], naming the line.
func parseAttributes(errs map[string]string, text string) carrierx.Attributes {
	out := carrierx.Attributes{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !ok || !attrNameRE.MatchString(name):
			errs["attributes"] = "Line " + strconv.Itoa(i+1) + ": write name=value, the name in letters, digits, _ . or -."
			return nil
		case len(value) > 1024:
			errs["attributes"] = "Line " + strconv.Itoa(i+1) + ": a value has at most 1024 characters."
			return nil
		}
		if _, dup := out[name]; dup {
			errs["attributes"] = "Line " + strconv.Itoa(i+1) + ": " + name + " is given twice."
			return nil
		}
		out[name] = value
	}
	return out
}

// attributesText is attributes as the field shows them, sorted by name.
func attributesText(a carrierx.Attributes, sep string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(k + "=" + a[k])
	}
	return b.String()
}

// keptAttributes are the names removed in the edit that CarrierX still
// returns. Whether a PATCH replaces or merges attributes is not confirmed:
// the console always sends the whole set, and says so when a removed one
// stays.
func keptAttributes(sent, got carrierx.Attributes, before carrierx.Attributes) []string {
	var kept []string
	for k := range before {
		if _, want := sent[k]; !want {
			if _, still := got[k]; still {
				kept = append(kept, k)
			}
		}
	}
	slices.Sort(kept)
	return kept
}
