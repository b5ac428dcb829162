package views

// MessagingPanel is a number's SMS/MMS messaging enablement.
type MessagingPanel struct {
	DIDSID      string
	Number      string
	VoiceOnly   bool // the number cannot message at all
	Status      string
	Type        string
	CampaignSID string
	Enabled     bool
	Error       string
	Errors      map[string]string
	CSRF        string
}
