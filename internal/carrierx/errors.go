package carrierx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Error is a non-2xx answer from CarrierX. Its JSON shape is CarrierX's error
// body (§3.2): {"message": "...", "errors": [{"field", "message", "reference_sid"}]}.
// A body that is not CarrierX JSON (an HTML 502 from a proxy, say) still gives
// an *Error, with Message set to the HTTP status text.
type Error struct {
	Status  int          `json:"-"` // HTTP status
	Message string       `json:"message"`
	Errors  []FieldError `json:"errors"`
	Method  string       `json:"-"`
	Path    string       `json:"-"` // URL path only, never the query string
}

// FieldError is one entry of an error body's "errors" array.
type FieldError struct {
	Field        *string `json:"field"`
	Message      string  `json:"message"`
	ReferenceSID *string `json:"reference_sid"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("carrierx: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d", e.Status)
	msg := e.Message
	if msg == "" {
		msg = statusText(e.Status)
	}
	if msg != "" {
		b.WriteString(" ")
		b.WriteString(msg)
	}
	n := 0
	for _, fe := range e.Errors {
		if fe.Message == "" && fe.Field == nil {
			continue
		}
		n++
		if n == 1 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if fe.Field != nil && *fe.Field != "" {
			b.WriteString(*fe.Field)
			b.WriteString(": ")
		}
		b.WriteString(fe.Message)
	}
	return b.String()
}

// FieldMessages maps field name to message for the entries that name a field.
// Several messages for one field are joined with "; ".
func (e *Error) FieldMessages() map[string]string {
	m := map[string]string{}
	if e == nil {
		return m
	}
	for _, fe := range e.Errors {
		if fe.Field == nil || *fe.Field == "" {
			continue
		}
		if prev, ok := m[*fe.Field]; ok && prev != "" {
			m[*fe.Field] = prev + "; " + fe.Message
		} else {
			m[*fe.Field] = fe.Message
		}
	}
	return m
}

// Fields returns the names of the fields the error mentions, sorted.
func (e *Error) Fields() []string {
	m := e.FieldMessages()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) && e != nil {
		return e, true
	}
	return nil, false
}

// StatusOf returns the HTTP status of the *Error in err's chain, or 0.
func StatusOf(err error) int {
	if e, ok := AsError(err); ok {
		return e.Status
	}
	return 0
}

// IsNotFound reports whether err is a CarrierX 404.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsUnauthorized reports whether err is a CarrierX 401.
func IsUnauthorized(err error) bool { return StatusOf(err) == http.StatusUnauthorized }

// IsForbidden reports whether err is a CarrierX 403 (typically a missing scope).
func IsForbidden(err error) bool { return StatusOf(err) == http.StatusForbidden }

// IsConflict reports whether err is a CarrierX 409.
func IsConflict(err error) bool { return StatusOf(err) == http.StatusConflict }

// IsValidation reports whether err is a CarrierX 400 or 422 (a request the
// caller should fix, usually with field messages).
func IsValidation(err error) bool {
	s := StatusOf(err)
	return s == http.StatusBadRequest || s == http.StatusUnprocessableEntity
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return strings.ToLower(t)
	}
	return ""
}

// decodeError builds an *Error from a non-2xx response body.
func decodeError(status int, method, path string, body []byte) *Error {
	e := &Error{Status: status, Method: method, Path: path}
	var parsed struct {
		Message json.RawMessage `json:"message"`
		Errors  json.RawMessage `json:"errors"`
		// Mediator may wrap errors too (not confirmed): {"body": {...}, "status": n}.
		Body json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(body, &parsed); err == nil {
		if len(parsed.Message) == 0 && len(parsed.Errors) == 0 && len(parsed.Body) > 0 && parsed.Body[0] == '{' {
			inner := decodeError(status, method, path, parsed.Body)
			return inner
		}
		var msg string
		if json.Unmarshal(parsed.Message, &msg) == nil {
			e.Message = msg
		}
		var fes []FieldError
		if json.Unmarshal(parsed.Errors, &fes) == nil {
			e.Errors = fes
		}
	}
	if e.Message == "" {
		e.Message = statusText(status)
		if e.Message == "" {
			e.Message = fmt.Sprintf("http status %d", status)
		}
	}
	return e
}
