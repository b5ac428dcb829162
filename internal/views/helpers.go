package views

import (
	"github.com/a-h/templ"
	"net/http"
	"strconv"
	"strings"
)

func statusText(status int) string {
	return strconv.Itoa(status) + " " + http.StatusText(status)
}

func join(xs []string) string { return strings.Join(xs, ", ") }

// orDash shows an empty value as a dash so that blanks are visible.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Empty renders nothing (a removed row).
func Empty() templ.Component { return templ.NopComponent }
