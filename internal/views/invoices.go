package views

// InvoiceListRow is one invoice in the list.
type InvoiceListRow struct {
	SID       string
	DisplayID string
	Period    string
	Status    string
	Amount    string
	AmountDue string
	Paid      bool
	Flag      string // e.g. "2 lines differ" once reconciled
}

// InvoicesData is the invoice list.
type InvoicesData struct {
	Rows     []InvoiceListRow
	SyncNote string
}

// InvoiceLine is a charge or tax line of an invoice.
type InvoiceLine struct {
	Type      string
	Direction string
	Country   string
	Period    string
	Usage     string
	Amount    string
}

// ReconLine sets one invoiced line beside the cached records of the same
// period and kind.
type ReconLine struct {
	Line       string // "toll · inbound"
	Invoiced   string
	Records    string // the records' count
	RecordsSum string
	Difference string
	Flagged    bool   // beyond the threshold
	Checked    bool   // false: the line has no records behind it (monthly fees, taxes)
	RecordsURL string // exactly those records in the explorer
	Note       string
}

// InvoiceData is one invoice's review.
type InvoiceData struct {
	SID         string
	DisplayID   string
	Period      string
	Status      string
	Amount      string
	AmountDue   string
	AmountTax   string
	Paid        bool
	Items       []InvoiceLine
	Taxes       []InvoiceLine
	Payments    []InvoiceLine
	Recon       []ReconLine
	Threshold   string
	CoverageGap string // non-empty: the cache does not cover the whole period
	CSRF        string
	EmailError  string
	Emails      string
}
