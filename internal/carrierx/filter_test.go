package carrierx

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

type status string

func TestFilterRender(t *testing.T) {
	ts := time.Date(2024, 10, 31, 0, 0, 0, 0, time.UTC)
	est := time.FixedZone("EST", -5*3600)
	n := 516
	s := "NY"
	tests := []struct {
		name string
		f    Filter
		want string
	}{
		{"zero", Filter{}, ""},
		{"eq string", Filter{}.Eq("state", "NY"), `state eq "NY"`},
		{"eq string with space", Filter{}.Eq("name", "filter value name"), `name eq "filter value name"`},
		{"eq int", Filter{}.Eq("npa", 516), `npa eq 516`},
		{"eq int64", Filter{}.Eq("npa", int64(-7)), `npa eq -7`},
		{"eq uint", Filter{}.Eq("npa", uint8(9)), `npa eq 9`},
		{"eq float", Filter{}.Eq("x", 1.25), `x eq 1.25`},
		{"eq bool", Filter{}.Eq("trunks.allow_transfer", false), `trunks.allow_transfer eq false`},
		{"eq decimal", Filter{}.Eq("price", decimal.RequireFromString("0.60")), `price eq 0.6`},
		{"eq null decimal", Filter{}.Eq("price", decimal.NewNullDecimal(decimal.RequireFromString("1.5"))), `price eq 1.5`},
		{"eq pointer", Filter{}.Eq("npa", &n).Eq("state", &s), `npa eq 516 and state eq "NY"`},
		{"named string type", Filter{}.Eq("status", status("assigned")), `status eq "assigned"`},
		{"capability type", Filter{}.Eq("capabilities", CapVoice|CapSendSMS), `capabilities eq 6`},
		{"ne", Filter{}.Ne("status", "aging"), `status ne "aging"`},
		{"gt", Filter{}.Gt("maximum_ttl", 40000), `maximum_ttl gt 40000`},
		{"ge time", Filter{}.Ge("date_stop", ts), `date_stop ge 2024-10-31T00:00:00.000Z`},
		{"lt time other zone", Filter{}.Lt("date_stop", time.Date(2024, 11, 5, 19, 0, 0, 123456789, est)), `date_stop lt 2024-11-06T00:00:00.123Z`},
		{"le", Filter{}.Le("capacity", 10), `capacity le 10`},
		{"like", Filter{}.Like("phonenumber", "%555%"), `phonenumber like "%555%"`},
		{"ilike", Filter{}.ILike("name", "main%"), `name ilike "main%"`},
		{"bit", Filter{}.Bit("capabilities", 4), `capabilities bit 4`},
		{"in strings", Filter{}.In("state", "NY", "NJ"), `state in ("NY", "NJ")`},
		{"in ints", Filter{}.In("npa", 516, 212), `npa in (516, 212)`},
		{"nearby", Filter{}.Nearby("phonenumber", 40.7128, -74.006), `phonenumber nearby latlng:40.7128,-74.006`},
		{"escape backslash", Filter{}.Eq("name", `a\b`), `name eq "a\\b"`},
		{"double quote uses single quotes", Filter{}.Eq("name", `say "hi"`), `name eq 'say "hi"'`},
		{"both quotes escaped", Filter{}.Eq("name", `it's "x"`), `name eq "it's \"x\""`},
		{"single quote only", Filter{}.Eq("name", `it's`), `name eq "it's"`},
		{"nested field", Filter{}.Eq("properties.login", "username"), `properties.login eq "username"`},
		{"chained and", Filter{}.Eq("state", "NY").Like("phonenumber", "%555%"), `state eq "NY" and phonenumber like "%555%"`},
		{"And", Filter{}.Eq("state", "NY").And(Filter{}.Bit("capabilities", 4).Eq("npa", 516)), `state eq "NY" and capabilities bit 4 and npa eq 516`},
		{"injection stays quoted", Filter{}.Eq("name", `x" or name eq "y`), `name eq 'x" or name eq "y'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.f.Err(); err != nil {
				t.Fatalf("unexpected Err: %v", err)
			}
			if got := tc.f.String(); got != tc.want {
				t.Fatalf("String() = %s\nwant       %s", got, tc.want)
			}
			if tc.f.IsZero() != (tc.want == "") {
				t.Fatalf("IsZero() = %v", tc.f.IsZero())
			}
		})
	}
}

func TestFilterInvalid(t *testing.T) {
	tests := []struct {
		name    string
		f       Filter
		wantStr string
		errSub  string
	}{
		{"space in field", Filter{}.Eq("state or 1", "NY"), "", "invalid field name"},
		{"quote in field", Filter{}.Eq(`na"me`, "x"), "", "invalid field name"},
		{"empty field", Filter{}.Eq("", "x"), "", "empty field name"},
		{"leading dot", Filter{}.Eq(".a", "x"), "", "invalid field name"},
		{"double dot", Filter{}.Eq("a..b", "x"), "", "invalid field name"},
		{"paren", Filter{}.Eq("(a)", "x"), "", "invalid field name"},
		{"valid kept", Filter{}.Eq("state", "NY").Eq("bad field", 1), `state eq "NY"`, "invalid field name"},
		{"unsupported type", Filter{}.Eq("x", []int{1}), "", "unsupported value type"},
		{"struct type", Filter{}.Eq("x", struct{}{}), "", "unsupported value type"},
		{"nil", Filter{}.Eq("x", nil), "", "nil value"},
		{"nil pointer", Filter{}.Eq("x", (*string)(nil)), "", "nil value"},
		{"zero time", Filter{}.Ge("date", time.Time{}), "", "zero time"},
		{"empty in", Filter{}.In("state"), "", "at least one value"},
		{"bad in value", Filter{}.In("state", "NY", map[string]int{}), "", "unsupported value type"},
		{"negative bit", Filter{}.Bit("capabilities", -1), "", "negative bit mask"},
		{"nearby range", Filter{}.Nearby("phonenumber", 100, 0), "", "out of range"},
		{"error survives And", Filter{}.And(Filter{}.Eq("a b", 1)), "", "invalid field name"},
		{"error survives chaining", Filter{}.Eq("a b", 1).Eq("state", "NY"), `state eq "NY"`, "invalid field name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Err()
			if err == nil || !strings.Contains(err.Error(), tc.errSub) {
				t.Fatalf("Err() = %v, want containing %q", err, tc.errSub)
			}
			if got := tc.f.String(); got != tc.wantStr {
				t.Fatalf("String() = %q, want %q", got, tc.wantStr)
			}
			if tc.f.IsZero() {
				t.Fatal("a filter with errors must not be zero")
			}
		})
	}
}

func TestFilterImmutable(t *testing.T) {
	base := Filter{}.Eq("a", 1).Eq("b", 2)
	x := base.Eq("c", 3)
	y := base.Eq("d", 4)
	if got := x.String(); got != "a eq 1 and b eq 2 and c eq 3" {
		t.Fatalf("x = %q", got)
	}
	if got := y.String(); got != "a eq 1 and b eq 2 and d eq 4" {
		t.Fatalf("y = %q", got)
	}
	if got := base.String(); got != "a eq 1 and b eq 2" {
		t.Fatalf("base = %q", got)
	}
	bad := base.Eq("no good", 1)
	if base.Err() != nil || bad.Err() == nil {
		t.Fatal("error leaked between filters")
	}
}

func TestListOptionsQuery(t *testing.T) {
	o := ListOptions{
		Filter:        Filter{}.Eq("state", "NY").Like("phonenumber", "%555%"),
		Order:         "phonenumber asc",
		Limit:         50,
		Offset:        100,
		IncludeFields: []string{"did_sid", "phonenumber"},
		ExcludeFields: []string{"attributes"},
		Params:        map[string][]string{"with_related": {"true"}},
	}
	q, err := o.Query()
	if err != nil {
		t.Fatal(err)
	}
	want := "exclude_fields=attributes&filter=state+eq+%22NY%22+and+phonenumber+like+%22%25555%25%22&include_fields=did_sid%2Cphonenumber&limit=50&offset=100&order=phonenumber+asc&with_related=true"
	if got := q.Encode(); got != want {
		t.Fatalf("query\n got %s\nwant %s", got, want)
	}

	bad := []ListOptions{
		{Limit: 1001},
		{Limit: -1},
		{Offset: -1},
		{Offset: 10, After: "x"},
		{After: "x", Before: "y"},
		{Filter: Filter{}.Eq("bad field", 1)},
		{Limit: 10, Params: map[string][]string{"limit": {"20"}}},
		{Params: map[string][]string{"limit": {"5000"}}},
	}
	for i, o := range bad {
		if _, err := o.Query(); err == nil {
			t.Errorf("case %d: expected an error for %+v", i, o)
		}
	}
	if q, err := (ListOptions{Limit: 1000, After: "sid"}).Query(); err != nil || q.Encode() != "after=sid&limit=1000" {
		t.Fatalf("cursor query = %v, %v", q, err)
	}
}
