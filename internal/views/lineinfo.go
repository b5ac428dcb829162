package views

// LineInfoPanel is a number's line information: the caller name (CNAM)
// listed for calls from it, and how the line is presented.
type LineInfoPanel struct {
	DIDSID  string
	Number  string
	Set     bool
	Enabled bool
	Error   string
	Form    LineInfoForm
	CSRF    string
}

// LineInfoForm edits the line information.
type LineInfoForm struct {
	CallerName     string
	Privacy        string // public, private
	ClassOfService string // none, business, residential
	Enabled        bool
	Errors         map[string]string
	Message        string
}
