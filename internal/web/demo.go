package web

// DemoCallers sends simulated callers into a Conference v2 meeting room. The
// built-in sandbox offers it; against a real CarrierX it is absent, and the
// console shows no way to make test calls.
type DemoCallers interface {
	DialIntoMeetingRoom(accountSID, roomSID, role string, n int) error
}
