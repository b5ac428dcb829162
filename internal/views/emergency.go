package views

// EmergencyPanel is a number's emergency (E911) record: where 911 calls
// from it are located, and the form that sets it.
type EmergencyPanel struct {
	DIDSID     string
	Number     string // the number, formatted
	Set        bool   // CarrierX has a record
	Enabled    bool
	CallerName string
	Address    string // the first location, on one line
	Error      string // the record could not be read
	Form       EmergencyForm
	CSRF       string
}

// EmergencyForm sets the record: caller name and one US address.
type EmergencyForm struct {
	CallerName string
	Address1   string
	Address2   string
	City       string
	State      string
	Zip        string
	Enabled    bool
	Errors     map[string]string
	Message    string
}
