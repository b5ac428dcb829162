package views

// SyncRow is one report source's sync.
type SyncRow struct {
	Source   string
	Records  string
	Through  string // "synced through" mark, in the user's zone
	LastRun  string
	Error    string
	Running  bool
	Progress string // records, rate, time left
	Percent  int    // -1 when unknown
}

// SyncData is the sync status panel.
type SyncData struct {
	Rows    []SyncRow
	Running bool
	CSRF    string
}
