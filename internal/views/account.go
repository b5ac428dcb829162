package views

// AccountData is the signed-in partner's account: who it is, its money,
// its billing method (masked), the rate plans in effect and its
// sub-partners.
type AccountData struct {
	Profile      []Field
	Money        []Field
	Billing      []Field // empty: none registered
	BillingError string
	Rates        []AccountRate
	RatesError   string
	Subs         []AccountSubPartner
	SubsError    string
	NewSub       SubPartnerForm
	Contacts     AccountContactsForm
}

// AccountRate is one rate plan in effect.
type AccountRate struct {
	Type      string // pstn, voip, sms, ...
	Direction string
	Plan      string
	Since     string
	Inherited bool
}

// AccountSubPartner is one partner under the signed-in one.
type AccountSubPartner struct {
	SID     string
	Name    string
	Login   string
	Status  string
	Balance string
	Created string
}

// AccountContactsForm edits the account's contact addresses.
type AccountContactsForm struct {
	BillingEmail string
	TechEmail    string
	OwnerEmail   string
	Errors       map[string]string
	Message      string
	CSRF         string
}

// SubPartnerForm creates a sub-partner. The password is never shown back.
type SubPartnerForm struct {
	Name        string
	Company     string
	Login       string
	OwnerEmail  string
	PaymentType string // prepay, postpay
	Errors      map[string]string
	Message     string
	CSRF        string
}
