package web

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

func TestParseAttributes(t *testing.T) {
	for _, tc := range []struct {
		text string
		want carrierx.Attributes
		err  string
	}{
		{"", carrierx.Attributes{}, ""},
		{"ringback=moh", carrierx.Attributes{"ringback": "moh"}, ""},
		{"  a.b-c_1 = x=y \r\n\n empty=", carrierx.Attributes{"a.b-c_1": "x=y", "empty": ""}, ""},
		{"ringback", nil, "Line 1: write name=value"},
		{"ok=1\nbad name=2", nil, "Line 2: write name=value"},
		{"a=1\na=2", nil, "Line 2: a is given twice."},
	} {
		errs := map[string]string{}
		got := parseAttributes(errs, tc.text)
		if tc.err == "" {
			assert.Empty(t, errs, tc.text)
			assert.Equal(t, tc.want, got, tc.text)
		} else {
			assert.Contains(t, errs["attributes"], tc.err, tc.text)
			assert.Nil(t, got, tc.text)
		}
	}
	assert.Equal(t, "a=1, b=2", attributesText(carrierx.Attributes{"b": "2", "a": "1"}, ", "))
}

// keptAttributes names what an edit removed but CarrierX still returns
// (were its PATCH to merge attributes rather than replace them).
func TestKeptAttributes(t *testing.T) {
	before := carrierx.Attributes{"ringback": "moh", "cnam": "X", "announce": "y"}
	sent := carrierx.Attributes{"ringback": "moh"}
	assert.Empty(t, keptAttributes(sent, carrierx.Attributes{"ringback": "moh"}, before), "replaced: nothing kept")
	assert.Equal(t, []string{"announce", "cnam"}, keptAttributes(sent, before, before), "merged: both removed ones kept")
}
