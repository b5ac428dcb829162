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

// joinMax joins the first n items with commas and says how many more there are.
func joinMax(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + " and " + strconv.Itoa(len(items)-n) + " more"
}
