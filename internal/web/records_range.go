package web

import (
	"slices"
	"time"

	"github.com/carrierx-ops/dashboard/internal/views"
)

const (
	datetimeLocal = "2006-01-02T15:04"
	maxRange      = 400 * 24 * time.Hour
)

func validPreset(p string) bool {
	return slices.ContainsFunc(views.Presets, func(o views.Option) bool { return o.Value == p })
}

// presetRange is a date preset's [from, to) in the user's zone.
func presetRange(preset string, now time.Time, loc *time.Location) (time.Time, time.Time) {
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	tomorrow := today.AddDate(0, 0, 1)
	month := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	switch preset {
	case "today":
		return today, tomorrow
	case "yesterday":
		return today.AddDate(0, 0, -1), today
	case "30d":
		return today.AddDate(0, 0, -29), tomorrow
	case "90d":
		return today.AddDate(0, 0, -89), tomorrow
	case "this_month":
		return month, month.AddDate(0, 1, 0)
	case "last_month":
		return month.AddDate(0, -1, 0), month
	default: // 7d
		return today.AddDate(0, 0, -6), tomorrow
	}
}

// customRange parses a custom range typed in the user's zone.
func customRange(from, to string, loc *time.Location) (time.Time, time.Time, map[string]string) {
	errs := map[string]string{}
	f, err := time.ParseInLocation(datetimeLocal, from, loc)
	if err != nil {
		errs["from"] = "Enter a start date and time."
	}
	t, err := time.ParseInLocation(datetimeLocal, to, loc)
	if err != nil {
		errs["to"] = "Enter an end date and time."
	}
	if len(errs) == 0 {
		switch {
		case !f.Before(t):
			errs["to"] = "The end must come after the start."
		case t.Sub(f) > maxRange:
			errs["to"] = "At most 400 days at a time."
		}
	}
	return f, t, errs
}
