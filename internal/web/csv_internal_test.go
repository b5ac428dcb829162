package web

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appendCSVField writes what encoding/csv writes, and reads back the same.
func TestAppendCSVFieldMatchesEncodingCSV(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " leading", "\ttab", "+15162065573", "0.0228", `"`, ","}
	var line []byte
	for i, f := range fields {
		line = appendCSVField(line, i, []byte(f))
	}
	var want bytes.Buffer
	w := csv.NewWriter(&want)
	require.NoError(t, w.Write(fields))
	w.Flush()
	assert.Equal(t, want.String(), string(line)+"\n")
	back, err := csv.NewReader(bytes.NewReader(append(line, '\n'))).Read()
	require.NoError(t, err)
	assert.Equal(t, fields, back)
}
