package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// apiError is an error answered in CarrierX's error shape (§3.2):
//
//	{"message": "...", "errors": [{"field": ..., "message": ..., "reference_sid": ...}]}
//
// The exact message strings per status are not confirmed by CarrierX's docs;
// the ones below follow the documented samples ("no item error", "cannot find
// item by sid", "object validation error") and lower-case status texts
// elsewhere.
type apiError struct {
	Status  int         `json:"-"`
	Header  http.Header `json:"-"`
	Message string      `json:"message"`
	Errors  []errItem   `json:"errors"`
}

// errItem is one entry of an error body's "errors" array.
type errItem struct {
	Field        *string `json:"field"`
	Message      string  `json:"message"`
	ReferenceSID *string `json:"reference_sid"`
}

func (e *apiError) Error() string { return e.Message }

func strPtr(s string) *string { return &s }

func item(field, msg string) errItem {
	it := errItem{Message: msg}
	if field != "" {
		it.Field = strPtr(field)
	}
	return it
}

func newErr(status int, message string, items ...errItem) *apiError {
	if items == nil {
		items = []errItem{}
	}
	return &apiError{Status: status, Message: message, Errors: items}
}

// errBadRequest is a 400 about one query parameter or body attribute.
func errBadRequest(field, msg string) *apiError {
	return newErr(http.StatusBadRequest, "bad request", item(field, msg))
}

// errNoJSON is CarrierX's documented 400 for an undecodable body.
func errNoJSON() *apiError {
	return newErr(http.StatusBadRequest, "bad request", item("", "no json object could be decoded"))
}

func errAuth() *apiError {
	return newErr(http.StatusUnauthorized, "authentication error", item("", "bad credentials"))
}

// errNoItem is the documented 404 for an unknown (or foreign) SID.
func errNoItem() *apiError {
	return newErr(http.StatusNotFound, "no item error", item("", "cannot find item by sid"))
}

func errRouteNotFound() *apiError {
	return newErr(http.StatusNotFound, "not found", item("", "not found"))
}

func errMethod(allowed []string) *apiError {
	e := newErr(http.StatusMethodNotAllowed, "method not allowed", item("", "method not allowed"))
	e.Header = http.Header{"Allow": {strings.Join(allowed, ", ")}}
	return e
}

func errMediaType(want string) *apiError {
	return newErr(http.StatusUnsupportedMediaType, "unsupported media type",
		item("", "content type must be "+want))
}

// errValidation is the 422 "object validation error" with one item per field.
func errValidation(items ...errItem) *apiError {
	return newErr(http.StatusUnprocessableEntity, "object validation error", items...)
}

func errConflict(field, msg, ref string) *apiError {
	it := item(field, msg)
	if ref != "" {
		it.ReferenceSID = strPtr(ref)
	}
	return newErr(http.StatusConflict, "conflict error", it)
}

// errStatus is a generic error for a status (used by injected faults and panics).
func errStatus(status int) *apiError {
	msg := strings.ToLower(http.StatusText(status))
	if msg == "" {
		msg = "error"
	}
	return newErr(status, msg, item("", msg))
}

// writeJSON answers status with v encoded as JSON (keys of maps come out sorted,
// as in every CarrierX sample). A nil v answers an empty body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if v == nil {
		w.WriteHeader(status)
		return
	}
	if raw, ok := v.(*rawResponse); ok {
		w.Header().Set("Content-Type", raw.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(raw.body)))
		w.WriteHeader(status)
		_, _ = w.Write(raw.body)
		return
	}
	var buf bytes.Buffer
	var err error
	if env, ok := v.(*envelope); ok {
		err = env.appendJSON(&buf)
	} else {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		err = enc.Encode(v)
	}
	if err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(errStatus(status))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, e *apiError) {
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, e.Status, e)
}
