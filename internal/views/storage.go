package views

// StorageData lists the partner's storage containers.
type StorageData struct {
	Containers []StorageContainerRow
}

// StorageContainerRow is one container as listed.
type StorageContainerRow struct {
	SID   string
	Name  string
	Files string // "12 of 100"
	Bytes string // "3.1 MB of 1.0 GB"
	Free  string // "97% of the space free"
}

// StorageContainerData is one container with its files.
type StorageContainerData struct {
	Row    StorageContainerRow
	Files  []StorageFileRow
	More   string // files not shown, e.g. "1,200 more files"
	Voices []Option
	CSRF   string
}

// StorageFileRow is one file.
type StorageFileRow struct {
	SID      string
	Name     string
	Type     string
	Size     string
	Duration string
	Modified string
	Public   string // its public address, when published
}
