package views

// LookupForm asks CarrierX about a phone number.
type LookupForm struct {
	Number  string
	Carrier bool
	CNAM    bool
	LRN     bool
	Error   string
}

// LookupData is the look-up page: the form and, once asked, the answer.
type LookupData struct {
	Form    LookupForm
	Asked   bool
	Facts   []Field
	MineURL string // the number's page when it is one of the partner's
}
