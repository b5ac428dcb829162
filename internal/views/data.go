package views

import (
	"encoding/json"
	"net/url"
	"strconv"
)

// Page is what every full page needs for its layout.
type Page struct {
	Title       string
	Nav         string // "numbers", "rent", "audit"
	PartnerName string
	Login       string
	CSRF        string
	TimeZone    string
	Zones       []string
	Flashes     []Flash
	Outage      string // non-empty: CarrierX could not be reached; the page still renders
}

// CSRFHeaders is the hx-headers value that carries the CSRF token on every htmx request.
func (p Page) CSRFHeaders() string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": p.CSRF})
	return string(b)
}

// Flash kinds.
const (
	FlashOK    = "ok"
	FlashError = "error"
	FlashInfo  = "info"
)

// Flash is a one-time message about the outcome of an action.
type Flash struct {
	Kind string
	Text string
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// LoginData is the sign-in form.
type LoginData struct {
	CSRF     string
	Login    string
	Error    string
	DemoHint *DemoHint
}

// DemoHint shows the sandbox's demo credentials on the sign-in page.
type DemoHint struct{ Login, Password string }

// NumberRow is one rented phone number.
type NumberRow struct {
	SID            string
	Phonenumber    string
	Display        string // (516) 206-5574
	International  string // +1 516-206-5574
	Name           string
	Locality       string
	State          string
	TrunkGroupSID  string
	TrunkGroupName string
	CallbackURL    string
	StringKey1     string
	StringKey2     string
	Capabilities   []string
	CanSend        bool // it can send SMS
	Status         string
	Price          string
}

// NumbersQuery is the My numbers search, kept in the URL so it can be shared.
type NumbersQuery struct {
	Contains   string
	Name       string
	State      string
	TrunkGroup string
	Sort       string // phonenumber, name, state
	Desc       bool
	Offset     int
	Limit      int
}

// Values encodes the query for links; zero fields are left out.
func (q NumbersQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("contains", q.Contains)
	set("name", q.Name)
	set("state", q.State)
	set("trunk_group", q.TrunkGroup)
	set("sort", q.Sort)
	if q.Desc {
		v.Set("dir", "desc")
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	return v
}

// URL is the shareable address of this search.
func (q NumbersQuery) URL() string {
	if enc := q.Values().Encode(); enc != "" {
		return "/numbers?" + enc
	}
	return "/numbers"
}

// SortURL is the address that sorts by field, flipping the direction when already sorted by it.
func (q NumbersQuery) SortURL(field string) string {
	n := q
	n.Offset = 0
	if q.Sort == field || (q.Sort == "" && field == "phonenumber") {
		n.Desc = !q.Desc
	} else {
		n.Desc = false
	}
	n.Sort = field
	return n.URL()
}

// SortState is the aria-sort value of a column.
func (q NumbersQuery) SortState(field string) string {
	if q.Sort == field || (q.Sort == "" && field == "phonenumber") {
		if q.Desc {
			return "descending"
		}
		return "ascending"
	}
	return ""
}

// NumbersData is the My numbers page.
type NumbersData struct {
	Query       NumbersQuery
	Rows        []NumberRow
	Total       int
	HasMore     bool
	TrunkGroups []Option
	States      []Option
	CSRF        string
	Error       string
}

// PrevURL and NextURL page through the results; empty when there is no such page.
func (d NumbersData) PrevURL() string {
	if d.Query.Offset <= 0 {
		return ""
	}
	q := d.Query
	q.Offset = max(0, q.Offset-q.Limit)
	return q.URL()
}

// NextURL is the next page's address, or empty on the last page.
func (d NumbersData) NextURL() string {
	if !d.HasMore {
		return ""
	}
	q := d.Query
	q.Offset += q.Limit
	return q.URL()
}

// NumberForm is the edit form of a number, with the errors CarrierX (or the console) found.
type NumberForm struct {
	Row         NumberRow
	TrunkGroups []Option
	Errors      map[string]string
	Message     string
	CSRF        string
	Inline      bool // a table row rather than the detail page's form
}

// Field is one labelled value of the detail page.
type Field struct {
	Name  string
	Value string
}

// NumberDetailData is the number detail page.
type NumberDetailData struct {
	Row       NumberRow
	Emergency EmergencyPanel
	LineInfo  LineInfoPanel
	Messaging MessagingPanel
	Fields    []Field
	Form      NumberForm
	CSRF      string
}

// ReleaseData is the confirmation step of a release.
type ReleaseData struct {
	Row    NumberRow
	CSRF   string
	Inline bool
	Error  string
}

// RentQuery is the search for numbers to rent.
type RentQuery struct {
	Country  string
	State    string
	AreaCode string
	Contains string
	Voice    bool
	SMS      bool
	MMS      bool
	Offset   int
	Limit    int
}

// Values encodes the search for links.
func (q RentQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("country", q.Country)
	set("state", q.State)
	set("area_code", q.AreaCode)
	set("contains", q.Contains)
	if q.Voice {
		v.Set("voice", "1")
	}
	if q.SMS {
		v.Set("sms", "1")
	}
	if q.MMS {
		v.Set("mms", "1")
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	return v
}

// URL is the shareable address of this search.
func (q RentQuery) URL() string {
	if enc := q.Values().Encode(); enc != "" {
		return "/rent?" + enc
	}
	return "/rent"
}

// WithState is the same search in another state.
func (q RentQuery) WithState(state string) string {
	n := q
	n.State = state
	n.Offset = 0
	return n.URL()
}

// AvailableRow is one number that can be rented, or the outcome of renting it.
type AvailableRow struct {
	Phonenumber  string
	Display      string
	Locality     string
	State        string
	Capabilities []string
	Price        string
	RentedSID    string // set once rented (or already ours)
	Outcome      string // "rented", "already", "error"
	Message      string
	CSRF         string
}

// StateCount is one state's number of available numbers.
type StateCount struct {
	State string
	Count int
}

// RentData is the Rent a number page.
type RentData struct {
	Query     RentQuery
	Rows      []AvailableRow
	HasMore   bool
	Coverage  []StateCount
	Countries []Option
	States    []Option
	Errors    map[string]string
	Error     string
	CSRF      string
	Searched  bool
}

// NextURL is the next page of results, or empty.
func (d RentData) NextURL() string {
	if !d.HasMore {
		return ""
	}
	q := d.Query
	q.Offset += q.Limit
	return q.URL()
}

// PrevURL is the previous page of results, or empty.
func (d RentData) PrevURL() string {
	if d.Query.Offset <= 0 {
		return ""
	}
	q := d.Query
	q.Offset = max(0, q.Offset-q.Limit)
	return q.URL()
}

// AuditRow is one audit entry, with its time already in the user's zone.
type AuditRow struct {
	When       string
	Actor      string
	Partner    string
	Action     string
	Object     string
	ObjectSID  string
	Outcome    string
	Message    string
	Before     string
	After      string
	RemoteAddr string
}

// AuditData is the Audit page.
type AuditData struct {
	Rows        []AuditRow
	Action      string
	Actions     []Option
	Type        string // kind of object
	Types       []Option
	Outcome     string
	Object      string // one object's history
	ObjectLabel string
	NextURL     string
	Zone        string
}
