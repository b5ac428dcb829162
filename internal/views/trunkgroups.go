package views

// TrunkGroupRow is one trunk group in the list.
type TrunkGroupRow struct {
	SID         string
	Name        string
	RoutingType string
	Trunks      int
	Numbers     int
	Endpoints   []string // names of the endpoints its trunks deliver to
}

// TrunkGroupsData is the trunk groups list with its create form.
type TrunkGroupsData struct {
	Rows  []TrunkGroupRow
	New   TrunkGroupForm
	Error string
}

// TrunkGroupForm edits a trunk group's own settings: routing and failure
// handling.
type TrunkGroupForm struct {
	SID                   string // empty when creating
	Name                  string
	RoutingType           string
	HardFailureCodes      string
	HardFailureThreshold  string
	HardFailureInterval   string
	HardFailureCooldown   string
	HardFailureLastResort string
	SoftFailureCodes      string
	Errors                map[string]string
	Message               string
	CSRF                  string
}

// TrunkForm edits one trunk: where it delivers, in which order, how much.
type TrunkForm struct {
	GroupSID    string
	SID         string // empty when adding
	Name        string
	EndpointSID string
	Priority    string
	Weight      string
	Codec       string
	InCapacity  string
	OutCapacity string
	Endpoints   []Option
	Errors      map[string]string
	Message     string
	CSRF        string
}

// TrunkRow is a trunk as listed on its group's page.
type TrunkRow struct {
	Form         TrunkForm
	EndpointName string
}

// TrunkGroupDetailData is a trunk group's page.
type TrunkGroupDetailData struct {
	Row     TrunkGroupRow
	Form    TrunkGroupForm
	Trunks  []TrunkRow
	NewTrnk TrunkForm
	Numbers []NumberRow
	CSRF    string
}

// TrunkGroupDeleteData confirms a delete, naming the numbers assigned.
type TrunkGroupDeleteData struct {
	Row     TrunkGroupRow
	Numbers []string
	Error   string
	CSRF    string
}

// Codecs a trunk may be limited to ("" = any).
var TrunkCodecs = []string{"", "alaw", "ulaw", "g722", "g723", "g729", "gsm", "opus8", "opus12", "opus16", "opus24", "opus48"}

// LastResorts are what a group does when every trunk failed hard.
var LastResorts = []Option{{"first", "retry the first trunk"}, {"reject502", "reject with 502"}, {"reject503", "reject with 503"}}

// AssignItem is one number in a bulk trunk group assignment.
type AssignItem struct {
	SID       string
	Number    string
	Name      string
	From      string // current trunk group name ("" none)
	Unchanged bool   // already in the chosen group
	Outcome   string // after applying: "ok", "error", "unchanged"
	Message   string
}

// AssignData is the review or the result of a bulk assignment.
type AssignData struct {
	GroupSID  string
	GroupName string
	Items     []AssignItem
	Applied   bool
	OK        int
	Failed    int
	Unchanged int
	Error     string
	CSRF      string
}
