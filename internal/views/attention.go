package views

// AttentionData is what in the partner's routing needs an operator: numbers
// that reach no endpoint, and why.
type AttentionData struct {
	NoGroup      []AttentionNumber // assigned to no trunk group
	NoGroupMore  int
	Nowhere      []AttentionGroup // trunk groups whose trunks deliver to no endpoint
	NowhereCount int              // numbers in those groups
	Error        string
}

// AttentionNumber is one number that needs attention.
type AttentionNumber struct {
	SID    string
	Number string
	Name   string
}

// AttentionGroup is a trunk group that delivers nowhere.
type AttentionGroup struct {
	SID     string
	Name    string
	Numbers int
	Reason  string
}

// OK reports that nothing needs attention.
func (d AttentionData) OK() bool {
	return d.Error == "" && len(d.NoGroup) == 0 && len(d.Nowhere) == 0
}
