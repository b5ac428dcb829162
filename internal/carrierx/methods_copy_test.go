package carrierx_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The project carries its own copy of the seed's method table; when the
// shared specification sits beside the checkout, the copy must match it.
func TestMethodsTableCopy(t *testing.T) {
	own, err := os.ReadFile("../../testdata/carrierx-methods.tsv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(own)), "\n")
	if lines[0] != "api\tsection\tobject\taction\tmethod\tpath" {
		t.Fatalf("header: %q", lines[0])
	}
	if got := len(lines) - 1; got != 269 {
		t.Fatalf("the seed lists 269 methods, the copy %d", got)
	}
	for i, l := range lines[1:] {
		if n := len(strings.Split(l, "\t")); n != 6 {
			t.Errorf("row %d has %d columns", i+1, n)
		}
	}
	for own, shared := range map[string]string{
		"carrierx-methods.tsv":             "carrierx-methods.tsv",
		"carrierx-api.md":                  "carrierx-api.md",
		"carrierx-api-quick-reference.txt": "seed/carrierx-api-quick-reference.txt",
	} {
		mine, err := os.ReadFile("../../testdata/" + own)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := os.ReadFile("../../../shared/" + shared)
		if os.IsNotExist(err) {
			continue // a clone without the shared specification: the copy stands alone
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(mine, theirs) {
			t.Errorf("testdata/%s differs from the shared specification: copy it again", own)
		}
	}
}
