package views

// MessageSendForm sends one SMS or MMS. Key is the form's own: a second
// submission of the same form never sends a second message.
type MessageSendForm struct {
	Key      string
	From     string
	To       string
	Text     string
	MediaURL string
	Numbers  []Option
	Errors   map[string]string
	Message  string
	CSRF     string
}

// MessageRow is one message as CarrierX lists it.
type MessageRow struct {
	SID       string
	Created   string
	Direction string
	From      string
	To        string
	Type      string
	Status    string
	Segments  string
	Text      string
}

// MessagesData is the Messages page: send, and the latest messages.
type MessagesData struct {
	Form        MessageSendForm
	Recent      []MessageRow
	RecentError string
	RecordsURL  string
	OlderURL    string // the next page of the list, "" on the last
	NewerURL    string
}

// MessageState is where a sent message is; it refreshes itself while
// CarrierX still has it queued.
type MessageState struct {
	SID        string
	Status     string
	Changed    string
	Live       bool
	Error      string
	RecordsURL string
}

// MessageData is one message's page.
type MessageData struct {
	Facts []Field
	State MessageState
}

func messageURL(sid string) string { return "/messages/" + sid }
