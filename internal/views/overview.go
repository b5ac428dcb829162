package views

// OverviewData is the landing page: this month at a glance.
type OverviewData struct {
	Month        string
	Calls        string
	Minutes      string
	Spend        string
	Messages     string
	Numbers      string
	Balance      string // the account's balance now, from CarrierX
	LastInvoice  *InvoiceListRow
	SpendByMonth BarChart
	Sync         SyncData
}
