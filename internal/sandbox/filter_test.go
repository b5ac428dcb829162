package sandbox

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func bare(s string) FilterValue { return FilterValue{Text: s} }
func quo(s string) FilterValue  { return FilterValue{Text: s, Quoted: true} }

var parseOK = []struct {
	in   string
	want []Cond
}{
	{"", nil},
	{"   ", nil},
	{"state eq NY", []Cond{{Field: "state", Op: "eq", Value: bare("NY")}}},
	{"npa eq 516", []Cond{{Field: "npa", Op: "eq", Value: bare("516")}}},
	{"capabilities bit 4", []Cond{{Field: "capabilities", Op: "bit", Value: bare("4")}}},
	{`phonenumber like "%555%"`, []Cond{{Field: "phonenumber", Op: "like", Value: quo("%555%")}}},
	{`phonenumber like '1516%'`, []Cond{{Field: "phonenumber", Op: "like", Value: quo("1516%")}}},
	{`name eq "filter value name"`, []Cond{{Field: "name", Op: "eq", Value: quo("filter value name")}}},
	{`state eq "NY" and phonenumber like "%555%"`, []Cond{
		{Field: "state", Op: "eq", Value: quo("NY")},
		{Field: "phonenumber", Op: "like", Value: quo("%555%")}}},
	{"date_stop ge 2024-10-31T00:00:00Z AND date_stop lt 2024-11-06T00:00:00Z", []Cond{
		{Field: "date_stop", Op: "ge", Value: bare("2024-10-31T00:00:00Z")},
		{Field: "date_stop", Op: "lt", Value: bare("2024-11-06T00:00:00Z")}}},
	{"properties.login eq username", []Cond{{Field: "properties.login", Op: "eq", Value: bare("username")}}},
	{"trunks.allow_transfer eq false", []Cond{{Field: "trunks.allow_transfer", Op: "eq", Value: bare("false")}}},
	{"maximum_ttl gt 40000", []Cond{{Field: "maximum_ttl", Op: "gt", Value: bare("40000")}}},
	{"  state   EQ\tNY  ", []Cond{{Field: "state", Op: "eq", Value: bare("NY")}}},
	{"callback_url eq null", []Cond{{Field: "callback_url", Op: "eq", Value: bare("null")}}},
	{`name eq "null"`, []Cond{{Field: "name", Op: "eq", Value: quo("null")}}},
	{`name eq ""`, []Cond{{Field: "name", Op: "eq", Value: quo("")}}},
	{`name eq "say \"hi\""`, []Cond{{Field: "name", Op: "eq", Value: quo(`say "hi"`)}}},
	{`name eq 'it\'s'`, []Cond{{Field: "name", Op: "eq", Value: quo("it's")}}},
	{`name eq "back\\slash"`, []Cond{{Field: "name", Op: "eq", Value: quo(`back\slash`)}}},
	{`name like "50\%"`, []Cond{{Field: "name", Op: "like", Value: quo(`50\%`)}}},
	{`state in ("NY", "NJ")`, []Cond{{Field: "state", Op: "in", List: []FilterValue{quo("NY"), quo("NJ")}}}},
	{`state in (NY,NJ)`, []Cond{{Field: "state", Op: "in", List: []FilterValue{bare("NY"), bare("NJ")}}}},
	{`state in NY,NJ`, []Cond{{Field: "state", Op: "in", List: []FilterValue{bare("NY"), bare("NJ")}}}},
	{`state notin ("NY") and npa eq 516`, []Cond{
		{Field: "state", Op: "notin", List: []FilterValue{quo("NY")}},
		{Field: "npa", Op: "eq", Value: bare("516")}}},
	{`state in ( 'a b' , "c" )`, []Cond{{Field: "state", Op: "in", List: []FilterValue{quo("a b"), quo("c")}}}},
	{"phonenumber nearby latlng:40.7,-73.9", []Cond{{Field: "phonenumber", Op: "nearby", Value: bare("latlng:40.7,-73.9")}}},
	{"name eq and", []Cond{{Field: "name", Op: "eq", Value: bare("and")}}},
	{"string_key_1 ilike FOO%", []Cond{{Field: "string_key_1", Op: "ilike", Value: bare("FOO%")}}},
	{"a le 1 and b ne 2", []Cond{{Field: "a", Op: "le", Value: bare("1")}, {Field: "b", Op: "ne", Value: bare("2")}}},
}

var parseBad = []struct{ in, msg string }{
	{"state eq NY or state eq NJ", `"or" is not supported`},
	{"or state eq NY", `"or" is not supported`},
	{"not state eq NY", `"not" is not supported`},
	{"(state eq NY)", "parentheses are not supported"},
	{"state eq NY and (npa eq 516)", "parentheses are not supported"},
	{"state eq (NY)", "parentheses are not supported"},
	{"state equals NY", `unknown operator "equals"`},
	{"state", "missing operator"},
	{"state eq", "missing value"},
	{"state eq ", "missing value"},
	{"state eq NY and", "empty condition"},
	{"state eq NY and ", "empty condition"},
	{"and state eq NY", "empty condition"},
	{"state eq NY and and npa eq 1", "empty condition"},
	{`name eq "unterminated`, "unterminated"},
	{`name eq 'x\'`, "unterminated"},
	{`name eq "a"b`, "unexpected character"},
	{`name eq a"b`, "quote inside an unquoted value"},
	{"state eq NY npa eq 516", `expected "and"`},
	{"state=NY", "unexpected character"},
	{"1state eq NY", "expected a field name"},
	{"state. eq NY", "expected a field name"},
	{`"state" eq NY`, "quoted string"},
	{"state in ()", "empty list item"},
	{"state in (a,,b)", "empty list item"},
	{"state in (a b)", `expected "," or ")"`},
	{"state in (a", "unterminated list"},
	{"state in a)", "unbalanced"},
	{"state eq1 NY", "unknown operator"},
	{"state eq NY;", ""}, // parses: the value is "NY;" (kept for the table below)
}

func TestParseFilter(t *testing.T) {
	for _, tc := range parseOK {
		f, err := ParseFilter(tc.in)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(f.Conds, tc.want) {
			t.Errorf("ParseFilter(%q) = %#v, want %#v", tc.in, f.Conds, tc.want)
		}
		// The canonical form parses back to the same filter.
		g, err := ParseFilter(f.String())
		if err != nil || !reflect.DeepEqual(g, f) {
			t.Errorf("round trip of %q via %q: %#v, %v", tc.in, f.String(), g, err)
		}
	}
	for _, tc := range parseBad {
		_, err := ParseFilter(tc.in)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("ParseFilter(%q): unexpected error %v", tc.in, err)
			}
			continue
		}
		var fe *FilterError
		if !errors.As(err, &fe) {
			t.Errorf("ParseFilter(%q) = %v, want a *FilterError", tc.in, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseFilter(%q) error %q, want it to mention %q", tc.in, err, tc.msg)
		}
		if fe.Pos < 0 || fe.Pos > len(tc.in) {
			t.Errorf("ParseFilter(%q) position %d out of range", tc.in, fe.Pos)
		}
	}
}

// sampleDID is the §4.1 sample with a few values for evaluation tests.
func sampleDID(t testing.TB) object {
	var o object
	src := `{"active_capabilities":4,"attributes":{"name":"Main Line","rank":7},"callback_url":null,
	 "campaign_sid":null,"capabilities":7,"classification_sid":"17f4","country_code":"USA","did_group_sid":null,
	 "did_sid":"e8df","in_country_format":"(516) 206-5574","international_format":"+1 516-206-5574",
	 "lata":null,"locality":"NEW YORK","lrn_sid":null,"name":"N/A","ocn":"251F","partner_sid":"e004",
	 "phonenumber":"15162065574","porting_pin":null,"price":"0.6","state":"NY","status":"assigned",
	 "string_key_1":"50% off","string_key_2":null,"transformations":[],"trunk_group_sid":null}`
	d := json.NewDecoder(strings.NewReader(src))
	d.UseNumber()
	if err := d.Decode(&o); err != nil {
		t.Fatal(err)
	}
	// Stored ints are int64.
	for _, k := range []string{"active_capabilities", "capabilities"} {
		n, _ := intOf(o[k])
		o[k] = n
	}
	return o
}

func TestFilterMatch(t *testing.T) {
	o := sampleDID(t)
	cases := []struct {
		filter string
		want   bool
	}{
		{"state eq NY", true},
		{"state eq ny", false},
		{"state ne NJ", true},
		{"npa eq 516", true},
		{"npa_nxx eq 516206", true},
		{"npa eq 212", false},
		{"capabilities eq 7", true},
		{"capabilities bit 4", true},
		{"capabilities bit 6", true},
		{"capabilities bit 16", false},
		{"capabilities gt 5", true},
		{"capabilities le 6", false},
		{"price eq 0.60", true},
		{"price lt 1", true},
		{"price gt 0.59 and price lt 0.61", true},
		{`phonenumber like "1516%"`, true},
		{`phonenumber like "%5574"`, true},
		{`phonenumber like "1516_065574"`, true},
		{`phonenumber like "1516_65574"`, false},
		{`locality like "new%"`, false},
		{`locality ilike "new%"`, true},
		{`string_key_1 like "50\%%"`, true},
		{`string_key_1 like "5_\%%"`, true},
		{`string_key_1 like "50\_%"`, false},
		{"callback_url eq null", true},
		{"callback_url ne null", false},
		{"partner_sid ne null", true},
		{`callback_url eq "null"`, false},
		{"callback_url ne x", true},
		{`attributes.name eq "Main Line"`, true},
		{"attributes.rank ge 7", true},
		{"attributes.rank gt 7", false},
		{"attributes.missing eq null", true},
		{"state in (NJ, NY)", true},
		{"state in NJ,CT", false},
		{"state notin (NJ, CT)", true},
		{"lata in (null, 132)", true},
		{"phonenumber gt 15162065573", true},
		{"phonenumber lt 15162065573", false},
		{"name eq N/A and state eq NY and capabilities bit 4", true},
		{"name eq N/A and state eq NJ", false},
	}
	for _, tc := range cases {
		f, err := ParseFilter(tc.filter)
		if err != nil {
			t.Fatalf("ParseFilter(%q): %v", tc.filter, err)
		}
		m, aerr := compileFilter(f, didSchema, false)
		if aerr != nil {
			t.Fatalf("compile %q: %v", tc.filter, aerr.Errors[0].Message)
		}
		if got := m.match(o); got != tc.want {
			t.Errorf("%q matched %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestFilterCompileErrors(t *testing.T) {
	for _, tc := range []struct{ filter, msg string }{
		{"nosuch eq 1", `unknown field "nosuch"`},
		{"state.x eq 1", "has no sub-fields"},
		{"capabilities eq seven", "not a number"},
		{"capabilities bit -1", "non-negative integer"},
		{"state bit 1", "needs an integer field"},
		{"price gt null", "null can only be compared"},
		{"attributes eq 1", "object or array"},
		{"phonenumber nearby latlng:1,2", "only supported"},
		{"state like null", "needs a pattern"},
	} {
		f, err := ParseFilter(tc.filter)
		if err != nil {
			t.Fatalf("ParseFilter(%q): %v", tc.filter, err)
		}
		_, aerr := compileFilter(f, didSchema, false)
		if aerr == nil {
			t.Errorf("compile %q: no error", tc.filter)
			continue
		}
		if aerr.Status != 400 || *aerr.Errors[0].Field != "filter" || !strings.Contains(aerr.Errors[0].Message, tc.msg) {
			t.Errorf("compile %q: %d %v, want 400 filter %q", tc.filter, aerr.Status, aerr.Errors[0].Message, tc.msg)
		}
	}
	// trunks.<field> resolves through the trunk schema; unknown sub-fields do not.
	for filter, ok := range map[string]bool{"trunks.allow_transfer eq false": true, "trunks.nope eq 1": false} {
		f, _ := ParseFilter(filter)
		if _, aerr := compileFilter(f, trunkGroupSchema, false); (aerr == nil) != ok {
			t.Errorf("trunk group filter %q: error %v", filter, aerr)
		}
	}
	f, _ := ParseFilter("phonenumber nearby latlng:40.7,-73.9")
	if m, aerr := compileFilter(f, didSchema, true); aerr != nil || m.nearby == nil {
		t.Errorf("nearby on available DIDs: %v", aerr)
	}
	f, _ = ParseFilter("phonenumber nearby 40.7,-73.9")
	if _, aerr := compileFilter(f, didSchema, true); aerr == nil {
		t.Errorf("nearby without latlng: no error")
	}
}

func TestLike(t *testing.T) {
	for _, tc := range []struct {
		pat, s string
		fold   bool
		want   bool
	}{
		{"", "", false, true},
		{"%", "", false, true},
		{"%", "abc", false, true},
		{"a%c", "abbbc", false, true},
		{"a%c", "abbbd", false, false},
		{"%%a%%", "bab", false, true},
		{"_", "", false, false},
		{"_", "é", false, true},
		{"%b%b%", "abab", false, true},
		{"%b%b%b", "abab", false, false},
		{"ABC", "abc", true, true},
		{"ABC", "abc", false, false},
	} {
		if got := matchLike(compileLike(tc.pat, tc.fold), tc.s, tc.fold); got != tc.want {
			t.Errorf("like(%q, %q, fold=%v) = %v", tc.pat, tc.s, tc.fold, got)
		}
	}
}

// FuzzParseFilter: the parser never panics; whatever it accepts, its canonical
// form parses back to the same filter; compiling and evaluating never panic.
func FuzzParseFilter(f *testing.F) {
	for _, tc := range parseOK {
		f.Add(tc.in)
	}
	for _, tc := range parseBad {
		f.Add(tc.in)
	}
	for _, s := range []string{"capabilities bit 4 and price ge 0.6", "attributes.x.y like '%\\%'",
		"trunks.name eq x", "price eq 1e999", "phonenumber nearby latlng:91,0"} {
		f.Add(s)
	}
	o := sampleDID(f)
	tg := object{"name": "x", "trunks": []any{object{"allow_transfer": false, "name": "t"}}}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := ParseFilter(s)
		if err != nil {
			var fe *FilterError
			if !errors.As(err, &fe) || fe.Pos < 0 || fe.Pos > len(s) {
				t.Fatalf("bad error %v for %q", err, s)
			}
			return
		}
		again, err := ParseFilter(flt.String())
		if err != nil || !reflect.DeepEqual(again, flt) {
			t.Fatalf("round trip of %q via %q: %#v vs %#v (%v)", s, flt.String(), again, flt, err)
		}
		if m, aerr := compileFilter(flt, didSchema, true); aerr == nil {
			m.match(o)
		}
		if m, aerr := compileFilter(flt, trunkGroupSchema, false); aerr == nil {
			m.match(tg)
		}
	})
}
