package store

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A decimal sent as a string or a number reaches Postgres exactly, null as NULL.
func TestNumTextIsExact(t *testing.T) {
	cases := map[string]string{
		`"0.0228"`: "0.0228", `"114"`: "114", `"-0.5"`: "-0.5", `".5"`: "0.5", `"5."`: "5",
		`0.012`: "0.012", `112.71673`: "112.71673", `"1.5e3"`: "1500", `"+7"`: "7",
		`"123456789012345678901234.000000000001"`: "123456789012345678901234.000000000001",
		`"\u0031\u0032"`: "12",
	}
	for in, want := range cases {
		var n NumText
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		require.True(t, n.Valid, in)
		got, err := n.numeric()
		require.NoError(t, err, in)
		d, err := decimalOf(got)
		require.NoError(t, err)
		assert.True(t, decimal.RequireFromString(want).Equal(d.Decimal), "%s: got %s, want %s", in, d.Decimal, want)
	}
	var null NumText
	require.NoError(t, json.Unmarshal([]byte(`null`), &null))
	got, err := null.numeric()
	require.NoError(t, err)
	assert.False(t, got.Valid)
	for _, bad := range []string{`""`, `"abc"`, `"1.2.3"`} {
		var n NumText
		require.NoError(t, json.Unmarshal([]byte(bad), &n))
		_, err := n.numeric()
		assert.Error(t, err, bad)
	}
}
