package views

// RatesData is the Rates page: what a call or a message to a number costs,
// and the rate tables to download.
type RatesData struct {
	Number    string
	Minutes   string
	Asked     bool
	Error     string
	ErrorOn   string // the field the error is about: "to" or "minutes"
	Call      []Field
	CallError string
	SMS       []Field
	SMSError  string
	Downloads []RateDownload
}

// RateDownload is one rate table as CSV.
type RateDownload struct {
	Key   string
	Label string
}
