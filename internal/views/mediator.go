package views

// AppEndpoint names the hosted endpoint a Mediator or FlexML console is for.
type AppEndpoint struct {
	SID  string
	Name string
}

// MediatorAccountInfo is a Mediator account as shown (read-only).
type MediatorAccountInfo struct {
	AccountSID string
	Name       string
	Login      string
	Created    string // in the user's zone
}

// AppNumber is one of a hosted account's numbers.
type AppNumber struct {
	SID    string
	Number string // international format
}

// BindingRow is one Mediator binding in the list.
type BindingRow struct {
	EndpointSID string
	SID         string
	Name        string
	Redirect    string // the number callers dial, international format
	Destination string // where the call is forwarded
	Callers     string // who the binding applies to, in words
	Lifetime    string // "no limit" or until when
	DTMF        string
	Attributes  string // name=value, comma separated
	CallsURL    string // the explorer's Mediator records through the redirect number
}

// BindingForm creates or edits a binding. Errors are keyed by CarrierX's
// field names, so its own refusals land beside the fields.
type BindingForm struct {
	EndpointSID    string
	SID            string // empty when creating
	Name           string
	DestinationDID string
	RedirectDID    string // empty on create: CarrierX picks a free number
	OriginationDID string
	MaximumTTL     string
	DTMF           string
	WaitTTL        string // wait_origination_did_ttl
	Attributes     string // one name=value per line
	Numbers        []Option
	Errors         map[string]string
	Message        string
	CSRF           string
}

// Action is where the form posts.
func (f BindingForm) Action() string {
	if f.SID == "" {
		return "/mediator/" + f.EndpointSID + "/bindings"
	}
	return "/mediator/" + f.EndpointSID + "/bindings/" + f.SID
}

// MediatorBindings is the bindings part of the console: the list and the
// create form, replaced as one after a create.
type MediatorBindings struct {
	EndpointSID string
	Rows        []BindingRow
	New         BindingForm
	Error       string
	CSRF        string
}

// DialoutRow is a dialout CarrierX still lists (not yet connected).
type DialoutRow struct {
	SID       string
	Redirect  string
	StageOne  string
	StageTwo  string
	Created   string
	FollowURL string
}

// DialoutForm places a dialout: CarrierX calls the first number from the
// redirect number, then the second, and connects them.
type DialoutForm struct {
	EndpointSID string
	RedirectDID string
	StageOne    string
	StageTwo    string
	Delay       string
	Attributes  string // one name=value per line
	Numbers     []Option
	Errors      map[string]string
	Message     string
	CSRF        string
}

// MediatorData is the Mediator console of one endpoint.
type MediatorData struct {
	Endpoint   AppEndpoint
	Account    MediatorAccountInfo
	Numbers    []AppNumber
	Bindings   MediatorBindings
	Dialouts   []DialoutRow
	NewDialout DialoutForm
	Error      string
}

// BindingEditData is a binding's edit form as a page of its own (without
// JavaScript).
type BindingEditData struct {
	Endpoint AppEndpoint
	Form     BindingForm
}

// RecordOutcome is the record a finished call left, as found.
type RecordOutcome struct {
	SID      string
	Outcome  string // in words: "answered", "busy (SIP 486)", "not connected"
	OK       bool   // the call was answered / connected
	From     string
	To       string
	Via      string // a Mediator record's redirect number
	Started  string
	Answered string
	Ended    string
	Duration string // seconds, exact
	Billed   string // seconds, exact
	Cached   bool   // found in the report cache (else fetched from CarrierX)
	Link     string // the record in its explorer, when cached
}

// CallState is what is known of a dialout or FlexML call right now: live at
// CarrierX, gone, and once found, its record. PollURL set means the page
// asks again every PollEvery.
type CallState struct {
	ID          string // the element id
	Live        bool
	Phase       string // while live
	Gone        string // once gone from the live API
	Note        string
	Error       string
	Record      *RecordOutcome
	PollURL     string
	PollEvery   string // e.g. "2s"
	LookAgain   string // a one-off look-up once polling has stopped
	CancelURL   string
	CancelLabel string
	CSRF        string
}

// CallFollowData is the page that follows one dialout or FlexML call.
type CallFollowData struct {
	Endpoint  AppEndpoint
	Title     string // "Dialout", "FlexML call"
	BackURL   string
	BackLabel string
	Facts     []Field
	State     CallState
}

// appConsoleURL is the console of a hosted application endpoint (Mediator,
// FlexML, Conference v2 or v1; "" for other types), linked from the
// endpoints pages.
func appConsoleURL(typ, sid string) string {
	switch typ {
	case "conference_v2", "conference":
		return "/conferences/" + sid
	case "mediator":
		return "/mediator/" + sid
	case "flexml":
		return "/flexml/" + sid
	}
	return ""
}

func appConsoleLabel(typ string) string {
	switch typ {
	case "flexml":
		return "Open the FlexML console"
	case "conference_v2", "conference":
		return "Open the conference console"
	}
	return "Open the Mediator console"
}
