package web

import (
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// showNumber is the number detail page: every field, the edit form, release.
func (s *Server) showNumber(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	a := authOf(c)
	cx := s.client(c)
	// The trunk groups and the number's three panels are independent reads:
	// asked for at once, the page waits for the slowest, not for their sum.
	var data views.NumberDetailData
	var tg trunkGroups
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); tg, err = s.trunkGroups(ctx, cx) }()
	go func() { defer wg.Done(); data.Emergency = s.emergencyPanel(ctx, cx, *d, a.CSRF) }()
	go func() { defer wg.Done(); data.LineInfo = s.lineInfoPanel(ctx, cx, *d, a.CSRF) }()
	go func() { defer wg.Done(); data.Messaging = s.messagingPanel(ctx, cx, *d, a.CSRF) }()
	wg.Wait()
	if err != nil {
		return s.failCarrierX(c, err)
	}
	row := numberRow(*d, tg)
	data.Row, data.Fields, data.CSRF = row, didFields(*d), a.CSRF
	data.Form = views.NumberForm{Row: row, TrunkGroups: tg.options(), CSRF: a.CSRF}
	return render(c, http.StatusOK, views.NumberDetailPage(s.page(c, row.International, "numbers"), data))
}

// showNumberRow is one row of My numbers (after Cancel).
func (s *Server) showNumberRow(c echo.Context) error {
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	tg, err := s.trunkGroups(c.Request().Context(), s.client(c))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	return render(c, http.StatusOK, views.NumberRowView(numberRow(*d, tg), authOf(c).CSRF))
}

// editNumber is the inline edit form of one row of My numbers.
func (s *Server) editNumber(c echo.Context) error {
	d, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	tg, err := s.trunkGroups(c.Request().Context(), s.client(c))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	f := views.NumberForm{Row: numberRow(*d, tg), TrunkGroups: tg.options(), CSRF: authOf(c).CSRF, Inline: true}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, "/numbers/"+d.DIDSID)
	}
	return render(c, http.StatusOK, views.NumberEditRow(f))
}

// saveNumber changes a number's name, trunk group, callback URL and string
// keys: only the fields that differ are sent, and CarrierX's field errors are
// shown beside the fields.
func (s *Server) saveNumber(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	inline := c.QueryParam("inline") == "1"
	cur, err := s.getDID(c, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	cx := s.client(c)
	tg, err := s.trunkGroups(ctx, cx)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	form := parseNumberForm(c.FormValue)
	fv := views.NumberForm{Row: form.apply(numberRow(*cur, tg)), TrunkGroups: tg.options(), CSRF: a.CSRF, Inline: inline}
	showForm := func(status int, flashes ...views.Flash) error {
		if !isHTMX(c) {
			data := views.NumberDetailData{Row: numberRow(*cur, tg), Fields: didFields(*cur), CSRF: a.CSRF, Form: fv}
			pg := s.page(c, fv.Row.International, "numbers")
			pg.Flashes = append(pg.Flashes, flashes...)
			return render(c, status, views.NumberDetailPage(pg, data))
		}
		if inline {
			return renderFragment(c, status, views.NumberEditRow(fv), flashes...)
		}
		return renderFragment(c, status, views.NumberFormView(fv), flashes...)
	}

	if errs := form.validate(); len(errs) > 0 {
		fv.Errors = errs
		return showForm(http.StatusUnprocessableEntity, flashError("Not saved: correct the fields marked below."))
	}
	upd, before, after := form.change(*cur)
	label := didLabel(*cur)
	if upd.IsZero() {
		return s.savedNumber(c, numberRow(*cur, tg), tg, inline, flashInfo("No changes to save for "+label+"."))
	}
	updated, err := cx.UpdateDID(ctx, cur.DIDSID, upd)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did", ObjectSID: cur.DIDSID, ObjectLabel: label,
			Outcome: store.OutcomeError, Message: p.Message, Before: jsonOf(before), After: jsonOf(after)})
		fv.Errors = p.Fields
		fv.Message = p.Message
		status := http.StatusUnprocessableEntity
		if p.Outage {
			status = http.StatusBadGateway
		}
		return showForm(status, flashError("Not saved: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "did", ObjectSID: cur.DIDSID, ObjectLabel: label,
		Outcome: store.OutcomeOK, Before: jsonOf(before), After: jsonOf(after)})
	return s.savedNumber(c, numberRow(*updated, tg), tg, inline, flashOK("Saved "+label+": "+changedFields(after)+"."))
}

func (s *Server) savedNumber(c echo.Context, row views.NumberRow, tg trunkGroups, inline bool, f views.Flash) error {
	a := authOf(c)
	switch {
	case !isHTMX(c):
		return s.redirectWithFlash(c, "/numbers/"+row.SID, f)
	case inline:
		return renderFragment(c, http.StatusOK, views.NumberRowView(row, a.CSRF), f)
	default:
		fv := views.NumberForm{Row: row, TrunkGroups: tg.options(), CSRF: a.CSRF}
		return renderFragment(c, http.StatusOK, views.NumberFormView(fv), f)
	}
}

var fieldNames = map[string]string{
	"name": "name", "trunk_group_sid": "trunk group", "callback_url": "callback URL",
	"string_key_1": "string key 1", "string_key_2": "string key 2",
}

func changedFields(after map[string]any) string {
	var names []string
	for k := range after {
		names = append(names, fieldNames[k])
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// failCarrierX answers a failed CarrierX call: sign-in again for a dead token,
// otherwise the message where the user is looking.
func (s *Server) failCarrierX(c echo.Context, err error) error {
	if he, ok := err.(*echo.HTTPError); ok {
		return he
	}
	p := explain(err)
	if p.Expired {
		return s.endSession(c)
	}
	status := http.StatusBadGateway
	if !p.Outage && p.Status >= 400 && p.Status < 500 {
		status = p.Status
	}
	return echo.NewHTTPError(status, p.Message)
}
