package views

// EndpointRow is one endpoint in the endpoints list.
type EndpointRow struct {
	SID       string
	Name      string
	Type      string // CarrierX's type, e.g. third_party
	TypeLabel string // in the user's words
	Capacity  string // "unlimited" or a number
	Addresses []string
	Trunks    int // trunks that route to it
	Numbers   int // numbers whose trunk group routes to it
	Hosted    bool
	System    bool // the System Gateway: CarrierX's own, not editable
}

// EndpointsData is the endpoints list.
type EndpointsData struct {
	Rows  []EndpointRow
	Types []Option // what can be created
	Error string
	CSRF  string
}

// EndpointAddressForm is one SIP address of a third-party endpoint as typed.
type EndpointAddressForm struct {
	IP, Port, Transport, Direction, Priority, SIPUsername string
}

// EndpointForm creates or edits an endpoint. Its fields fit the type: SIP
// addresses for third-party endpoints, name and capacity for the others.
type EndpointForm struct {
	SID       string // empty when creating
	Type      string
	TypeLabel string
	Name      string
	Capacity  string
	Addresses []EndpointAddressForm
	Errors    map[string]string
	Message   string
	CSRF      string
}

// New reports whether the form creates an endpoint.
func (f EndpointForm) New() bool { return f.SID == "" }

// ThirdParty reports whether the endpoint takes SIP addresses.
func (f EndpointForm) ThirdParty() bool { return f.Type == "third_party" }

// Action is where the form posts.
func (f EndpointForm) Action() string {
	if f.New() {
		return "/endpoints"
	}
	return "/endpoints/" + f.SID
}

// EndpointCredentials are a hosted endpoint's API credentials: the password
// is shown only after an explicit reveal, which is audited.
type EndpointCredentials struct {
	SID        string
	Login      string
	Password   string // empty until revealed
	APIURL     string
	AccountSID string
	Revealed   bool
	CSRF       string
}

// EndpointTrunk is a trunk that routes to an endpoint.
type EndpointTrunk struct {
	TrunkGroupSID, TrunkGroupName, TrunkName string
}

// EndpointDetailData is an endpoint's page.
type EndpointDetailData struct {
	Row     EndpointRow
	Form    EndpointForm
	Creds   *EndpointCredentials
	Trunks  []EndpointTrunk
	Numbers []string // numbers reaching it, formatted
	Fields  []Field
	CSRF    string
}

// EndpointDeleteData is the confirmation step of a delete: it names what
// depends on the endpoint.
type EndpointDeleteData struct {
	Row     EndpointRow
	Trunks  []EndpointTrunk
	Numbers []string
	Error   string
	CSRF    string
}
