package sandbox

import (
	"fmt"
	"strings"
)

// Filter is a parsed CarrierX `filter=` expression (§2.3): conditions joined
// by "and". CarrierX supports neither "or", "not" nor parentheses.
type Filter struct {
	Conds []Cond
}

// Cond is one `field op value` condition.
type Cond struct {
	Field string        // identifier, dotted for nested values ("attributes.name")
	Op    string        // lower-case operator
	Value FilterValue   // for every operator but in/notin
	List  []FilterValue // for in/notin
}

// FilterValue is a literal: a bare word, or a quoted string.
type FilterValue struct {
	Text   string
	Quoted bool
}

// IsNull reports whether the value is the bare word null.
func (v FilterValue) IsNull() bool { return !v.Quoted && strings.EqualFold(v.Text, "null") }

// filterOps are the operators the parser accepts. eq, gt, ge, lt, like, bit and
// nearby are documented; ne, le, ilike, in and notin are listed by CarrierX but
// their syntax is not confirmed (§2.3): they are accepted with the obvious
// meaning. Operators are matched case-insensitively, like "and".
var filterOps = map[string]bool{
	"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true,
	"like": true, "ilike": true, "bit": true, "in": true, "notin": true, "nearby": true,
}

// FilterError is a syntax error in a filter expression.
type FilterError struct {
	Pos int // byte offset in the expression
	Msg string
}

func (e *FilterError) Error() string { return fmt.Sprintf("%s (at position %d)", e.Msg, e.Pos) }

// ParseFilter parses a filter expression:
//
//	filter = cond { "and" cond }
//	cond   = field op value | field ("in"|"notin") list
//	field  = ident { "." ident }
//	value  = bare word (no blanks, no quotes) | 'single' | "double" quoted
//	list   = "(" item { "," item } ")" | item { "," item }
//
// Inside quotes a backslash escapes the quote character or a backslash; any
// other backslash is kept as is (so like patterns can say \% and \_). An empty
// or blank expression is an empty Filter.
func ParseFilter(s string) (Filter, error) {
	p := &fparser{s: s}
	var f Filter
	p.blank()
	if p.eof() {
		return f, nil
	}
	for {
		c, err := p.cond()
		if err != nil {
			return Filter{}, err
		}
		f.Conds = append(f.Conds, c)
		p.blank()
		if p.eof() {
			return f, nil
		}
		at := p.i
		w := p.word()
		switch strings.ToLower(w) {
		case "and":
		case "or":
			return Filter{}, p.errAt(at, "\"or\" is not supported: conditions can only be combined with \"and\"")
		case "":
			return Filter{}, p.errAt(at, fmt.Sprintf("unexpected character %q: expected \"and\" or the end of the filter", p.s[at]))
		default:
			return Filter{}, p.errAt(at, fmt.Sprintf("expected \"and\" between conditions, found %q", w))
		}
		blank := p.blank()
		if p.eof() {
			return Filter{}, p.errAt(p.i, "empty condition after \"and\"")
		}
		if !blank {
			return Filter{}, p.errAt(p.i, "expected a blank after \"and\"")
		}
	}
}

type fparser struct {
	s string
	i int
}

func (p *fparser) eof() bool { return p.i >= len(p.s) }

func (p *fparser) errAt(pos int, msg string) error { return &FilterError{Pos: pos, Msg: msg} }

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// blank skips blanks and reports whether there were any.
func (p *fparser) blank() bool {
	start := p.i
	for p.i < len(p.s) && isBlank(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

// word reads a run of letters.
func (p *fparser) word() string {
	start := p.i
	for p.i < len(p.s) {
		b := p.s[p.i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

func isIdentStart(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' }
func isIdentChar(b byte) bool  { return isIdentStart(b) || b >= '0' && b <= '9' }

func (p *fparser) field() (string, error) {
	start := p.i
	for {
		if p.eof() || !isIdentStart(p.s[p.i]) {
			if p.i == start {
				return "", p.fieldErr()
			}
			return "", p.errAt(p.i, "expected a field name after \".\"")
		}
		for p.i < len(p.s) && isIdentChar(p.s[p.i]) {
			p.i++
		}
		if p.eof() || p.s[p.i] != '.' {
			return p.s[start:p.i], nil
		}
		p.i++
	}
}

func (p *fparser) fieldErr() error {
	switch b := p.s[p.i]; {
	case b == '(' || b == ')':
		return p.errAt(p.i, "parentheses are not supported in filters")
	case b == '"' || b == '\'':
		return p.errAt(p.i, "expected a field name, found a quoted string")
	default:
		return p.errAt(p.i, fmt.Sprintf("expected a field name, found %q", b))
	}
}

func (p *fparser) cond() (Cond, error) {
	var c Cond
	start := p.i
	name, err := p.field()
	if err != nil {
		return c, err
	}
	switch strings.ToLower(name) {
	case "not":
		return c, p.errAt(start, "\"not\" is not supported in filters")
	case "or":
		return c, p.errAt(start, "\"or\" is not supported: conditions can only be combined with \"and\"")
	case "and":
		return c, p.errAt(start, "empty condition before \"and\"")
	}
	c.Field = name
	if p.eof() {
		return c, p.errAt(p.i, fmt.Sprintf("missing operator after %q", name))
	}
	if !p.blank() {
		return c, p.errAt(p.i, fmt.Sprintf("unexpected character %q after field %q: expected a blank and an operator", p.s[p.i], name))
	}
	opAt := p.i
	op := strings.ToLower(p.word())
	if op == "" {
		if p.eof() {
			return c, p.errAt(p.i, fmt.Sprintf("missing operator after %q", name))
		}
		return c, p.errAt(p.i, fmt.Sprintf("expected an operator after %q, found %q", name, p.s[p.i]))
	}
	if !p.eof() && !isBlank(p.s[p.i]) {
		return c, p.errAt(opAt, fmt.Sprintf("unknown operator starting at %q", p.s[opAt:min(len(p.s), opAt+12)]))
	}
	if !filterOps[op] {
		return c, p.errAt(opAt, fmt.Sprintf("unknown operator %q", op))
	}
	c.Op = op
	p.blank()
	if p.eof() {
		return c, p.errAt(p.i, fmt.Sprintf("missing value after %q %s", name, op))
	}
	if op == "in" || op == "notin" {
		c.List, err = p.list()
	} else {
		c.Value, err = p.value(false)
	}
	if err != nil {
		return c, err
	}
	if !p.eof() && !isBlank(p.s[p.i]) {
		return c, p.errAt(p.i, fmt.Sprintf("unexpected character %q after the value", p.s[p.i]))
	}
	return c, nil
}

// value reads one literal. In a list, a bare word also ends at "," and ")".
func (p *fparser) value(inList bool) (FilterValue, error) {
	b := p.s[p.i]
	if b == '"' || b == '\'' {
		return p.quoted(b)
	}
	if b == '(' {
		return FilterValue{}, p.errAt(p.i, "parentheses are not supported here (only in/notin take a parenthesised list)")
	}
	start := p.i
	for p.i < len(p.s) {
		b := p.s[p.i]
		if isBlank(b) || inList && (b == ',' || b == ')') {
			break
		}
		if b == '"' || b == '\'' {
			return FilterValue{}, p.errAt(p.i, "quote inside an unquoted value: quote the whole value")
		}
		p.i++
	}
	if p.i == start {
		return FilterValue{}, p.errAt(p.i, "missing value")
	}
	return FilterValue{Text: p.s[start:p.i]}, nil
}

func (p *fparser) quoted(q byte) (FilterValue, error) {
	start := p.i
	p.i++
	var sb strings.Builder
	for p.i < len(p.s) {
		b := p.s[p.i]
		switch {
		case b == q:
			p.i++
			return FilterValue{Text: sb.String(), Quoted: true}, nil
		case b == '\\' && p.i+1 < len(p.s) && (p.s[p.i+1] == q || p.s[p.i+1] == '\\'):
			sb.WriteByte(p.s[p.i+1])
			p.i += 2
		default:
			sb.WriteByte(b)
			p.i++
		}
	}
	return FilterValue{}, p.errAt(start, "unterminated quoted value")
}

// list reads an in/notin list: ("a", "b") or a bare a,b (the bare form's
// syntax is not confirmed; both are accepted).
func (p *fparser) list() ([]FilterValue, error) {
	paren := p.s[p.i] == '('
	if paren {
		p.i++
		p.blank()
	}
	var out []FilterValue
	for {
		if p.eof() {
			if paren {
				return nil, p.errAt(p.i, "unterminated list: missing \")\"")
			}
			return nil, p.errAt(p.i, "missing list item")
		}
		if b := p.s[p.i]; b == ',' || b == ')' {
			if b == ')' && !paren {
				return nil, p.errAt(p.i, "unbalanced \")\"")
			}
			return nil, p.errAt(p.i, "empty list item")
		}
		v, err := p.value(true)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if paren {
			p.blank()
		}
		if p.eof() {
			if paren {
				return nil, p.errAt(p.i, "unterminated list: missing \")\"")
			}
			return out, nil
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.blank()
		case ')':
			if !paren {
				return nil, p.errAt(p.i, "unbalanced \")\"")
			}
			p.i++
			return out, nil
		default:
			if paren {
				return nil, p.errAt(p.i, fmt.Sprintf("expected \",\" or \")\" in list, found %q", p.s[p.i]))
			}
			return out, nil
		}
	}
}

// String renders the filter in a canonical form that ParseFilter parses back
// to an equal Filter.
func (f Filter) String() string {
	var sb strings.Builder
	for i, c := range f.Conds {
		if i > 0 {
			sb.WriteString(" and ")
		}
		sb.WriteString(c.Field + " " + c.Op + " ")
		if c.Op == "in" || c.Op == "notin" {
			sb.WriteByte('(')
			for j, v := range c.List {
				if j > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(v.String())
			}
			sb.WriteByte(')')
		} else {
			sb.WriteString(c.Value.String())
		}
	}
	return sb.String()
}

func (v FilterValue) String() string {
	if !v.Quoted {
		return v.Text
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v.Text) + `"`
}
