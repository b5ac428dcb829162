package views

// FlexMLMethods are how FlexML instructions are fetched.
var FlexMLMethods = []string{"POST", "GET"}

// FlexMLCallbackMethods are how status callbacks are sent.
var FlexMLCallbackMethods = []string{"POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"}

// FlexMLErrorHandlers are what CarrierX does when instructions fail.
var FlexMLErrorHandlers = []Option{{"basic", "basic: play an error message"}, {"none", "none: hang up"}}

// FlexMLAccountForm edits a FlexML account: where instructions are fetched
// for numbers that set none of their own, and where call status goes.
type FlexMLAccountForm struct {
	EndpointSID          string
	AccountSID           string
	Login                string
	Created              string
	Name                 string
	URL                  string
	Method               string
	StatusCallbackURL    string
	StatusCallbackMethod string
	ErrorHandler         string
	Errors               map[string]string
	Message              string
	CSRF                 string
}

// FlexMLNumberRow is one of the account's numbers.
type FlexMLNumberRow struct {
	EndpointSID          string
	SID                  string
	Number               string
	URL                  string // "" : the account's
	AccountURL           string // what it falls back to
	Method               string
	StatusCallbackURL    string
	StatusCallbackMethod string
}

// FlexMLNumberForm edits where a number's calls fetch their instructions.
type FlexMLNumberForm struct {
	EndpointSID          string
	SID                  string
	Number               string
	URL                  string
	Method               string
	StatusCallbackURL    string
	StatusCallbackMethod string
	Errors               map[string]string
	Message              string
	CSRF                 string
}

// FlexMLCallForm places a call from one of the account's numbers.
type FlexMLCallForm struct {
	EndpointSID string
	CallingDID  string
	CalledDID   string
	URL         string
	Method      string
	Delay       string
	Numbers     []Option
	Errors      map[string]string
	Message     string
	CSRF        string
}

// FlexMLCallRow is a live call CarrierX lists.
type FlexMLCallRow struct {
	SID       string
	From      string
	To        string
	Created   string
	FollowURL string
}

// FlexMLData is the FlexML console of one endpoint.
type FlexMLData struct {
	Endpoint AppEndpoint
	Account  FlexMLAccountForm
	Numbers  []FlexMLNumberRow
	Calls    []FlexMLCallRow
	NewCall  FlexMLCallForm
	Error    string
	CSRF     string
}

// FlexMLNumberEditData is a number's form as a page of its own.
type FlexMLNumberEditData struct {
	Endpoint AppEndpoint
	Form     FlexMLNumberForm
}
