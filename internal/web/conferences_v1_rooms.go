package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// A legacy room is edited and deleted in its row of the console: its
// description and primary DID group change; its meeting number and access
// codes stay.

// confV1Room reads the legacy endpoint named by :ep and its room :number.
func (s *Server) confV1Room(c echo.Context) (*conferenceV1, *carrierx.ConfV1MeetingRoom, error) {
	cf, err := s.openConferenceV1(c)
	if cf == nil {
		return nil, nil, err
	}
	num, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil {
		return nil, nil, echo.NewHTTPError(http.StatusNotFound, "There is no such meeting room.")
	}
	room, err := cf.api.GetMeetingRoom(c.Request().Context(), num)
	if err != nil {
		return nil, nil, failConference(err)
	}
	return cf, room, nil
}

func confV1RoomAudit(r carrierx.ConfV1MeetingRoom) []byte {
	return jsonOf(map[string]any{"meetingNumber": r.MeetingNumber, "description": r.Description,
		"primaryDidGroupId": r.PrimaryDIDGroupID})
}

func confV1RoomLabel(cf *conferenceV1, r carrierx.ConfV1MeetingRoom) string {
	return "room " + strconv.FormatInt(r.MeetingNumber, 10) + " (" + orName(r.Description, "meeting room") + " on " + endpointLabel(*cf.ep) + ")"
}

// confV1RoomView is a room as its row shows it: its DID group by name and
// whether a meeting is in progress there.
func confV1RoomView(ctx context.Context, cf *conferenceV1, r carrierx.ConfV1MeetingRoom) (views.ConferenceV1Room, []carrierx.ConfV1DIDGroup, error) {
	number := strconv.FormatInt(r.MeetingNumber, 10)
	v := views.ConferenceV1Room{Number: number, Description: r.Description, Codes: confV1Codes(r.Keychain),
		DIDGroup: strconv.FormatInt(r.PrimaryDIDGroupID, 10)}
	groups, err := cf.groups(ctx)
	if err != nil {
		return v, nil, err
	}
	for _, g := range groups {
		if g.ID == r.PrimaryDIDGroupID {
			v.DIDGroup = orName(g.Name, v.DIDGroup)
		}
	}
	meetings, err := cf.meetings(ctx)
	if err != nil {
		return v, nil, err
	}
	for _, m := range meetings {
		v.LiveMeeting = v.LiveMeeting || m.MeetingNumber == r.MeetingNumber
	}
	return v, groups, nil
}

func (s *Server) confV1RoomRow(c echo.Context, cf *conferenceV1, r carrierx.ConfV1MeetingRoom) (*views.ConferenceV1Room, error) {
	v, _, err := confV1RoomView(c.Request().Context(), cf, r)
	if err != nil {
		return nil, failConference(err)
	}
	return &v, nil
}

// showConfV1RoomRow is the row again (Cancel).
func (s *Server) showConfV1RoomRow(c echo.Context) error {
	cf, room, err := s.confV1Room(c)
	if err != nil {
		return err
	}
	v, err := s.confV1RoomRow(c, cf, *room)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ConferenceV1RoomRow(cf.ep.EndpointSID, *v, s.confV1Demo() != nil, authOf(c).CSRF))
}

// editConfV1Room is the room's row as a form.
func (s *Server) editConfV1Room(c echo.Context) error {
	cf, room, err := s.confV1Room(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, "/conferences/"+cf.ep.EndpointSID)
	}
	groups, err := cf.groups(c.Request().Context())
	if err != nil {
		return failConference(err)
	}
	f := views.ConferenceV1RoomForm{EndpointSID: cf.ep.EndpointSID, Number: strconv.FormatInt(room.MeetingNumber, 10),
		Description: room.Description, DIDGroupID: strconv.FormatInt(room.PrimaryDIDGroupID, 10),
		Groups: confV1GroupOptions(groups), CSRF: authOf(c).CSRF}
	return render(c, http.StatusOK, views.ConferenceV1RoomEditRow(f))
}

// saveConfV1Room sends what changed (PUT changes only the fields sent).
func (s *Server) saveConfV1Room(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cf, room, err := s.confV1Room(c)
	if err != nil {
		return err
	}
	groups, err := cf.groups(ctx)
	if err != nil {
		return failConference(err)
	}
	number := strconv.FormatInt(room.MeetingNumber, 10)
	back := "/conferences/" + cf.ep.EndpointSID
	f := views.ConferenceV1RoomForm{EndpointSID: cf.ep.EndpointSID, Number: number,
		Description: strings.TrimSpace(c.FormValue("description")), DIDGroupID: c.FormValue("did_group_id"),
		Groups: confV1GroupOptions(groups), Errors: map[string]string{}, CSRF: a.CSRF}
	refuse := func(status int, msg string) error {
		f.Message = msg
		if !isHTMX(c) {
			return s.redirectWithFlash(c, back, flashError("Room "+number+": "+msg))
		}
		return renderFragment(c, status, views.ConferenceV1RoomEditRow(f), flashError("Room "+number+": "+msg))
	}
	group, err := strconv.ParseInt(f.DIDGroupID, 10, 64)
	if err != nil || group <= 0 {
		f.Errors["primaryDidGroupId"] = "Choose the DID group whose numbers reach the room."
	}
	if len(f.Description) > 255 {
		f.Errors["description"] = "At most 255 characters."
	}
	if len(f.Errors) > 0 {
		return refuse(http.StatusUnprocessableEntity, "Not saved: correct the fields marked below.")
	}
	var u carrierx.ConfV1MeetingRoomUpdate
	changed := map[string]any{}
	if f.Description != room.Description {
		u.Description = carrierx.Set(f.Description)
		changed["description"] = f.Description
	}
	if group != room.PrimaryDIDGroupID {
		u.PrimaryDIDGroupID = carrierx.Set(group)
		changed["primaryDidGroupId"] = group
	}
	saved := room
	fl := flashInfo("No changes to save for room " + number + ".")
	if len(changed) > 0 {
		saved, err = cf.api.UpdateMeetingRoom(ctx, room.MeetingNumber, u)
		if err != nil {
			p := explainConference(err)
			s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: confV1RoomLabel(cf, *room),
				Outcome: store.OutcomeError, Message: p.Message, Before: confV1RoomAudit(*room), After: jsonOf(changed)})
			for k, v := range p.Fields {
				f.Errors[k] = v
			}
			return refuse(refusedStatus(p), "Not saved: "+p.Message)
		}
		s.audit(c, a, store.AuditEntry{Action: "edit", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: confV1RoomLabel(cf, *saved),
			Outcome: store.OutcomeOK, Before: confV1RoomAudit(*room), After: confV1RoomAudit(*saved)})
		fl = flashOK("Saved meeting room " + number + ".")
	}
	if !isHTMX(c) {
		return s.redirectWithFlash(c, back, fl)
	}
	v, err := s.confV1RoomRow(c, cf, *saved)
	if err != nil {
		return err
	}
	return renderFragment(c, http.StatusOK, views.ConferenceV1RoomRow(cf.ep.EndpointSID, *v, s.confV1Demo() != nil, a.CSRF), fl)
}

// deleteConfV1Room deletes a legacy meeting room (and its access codes).
// In place, the row goes and a flash says so; a refusal leaves the row and
// shows CarrierX's reason.
func (s *Server) deleteConfV1Room(c echo.Context) error {
	a := authOf(c)
	cf, room, err := s.confV1Room(c)
	if err != nil {
		return err
	}
	number := strconv.FormatInt(room.MeetingNumber, 10)
	back := "/conferences/" + cf.ep.EndpointSID
	if err := cf.api.DeleteMeetingRoom(c.Request().Context(), room.MeetingNumber); err != nil {
		p := explainConference(err)
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: confV1RoomLabel(cf, *room),
			Outcome: store.OutcomeError, Message: p.Message, Before: confV1RoomAudit(*room)})
		return s.rowDeleteReply(c, back, refusedStatus(p), flashError("Room "+number+" not deleted: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "meeting room", ObjectSID: number, ObjectLabel: confV1RoomLabel(cf, *room),
		Outcome: store.OutcomeOK, Before: confV1RoomAudit(*room)})
	return s.rowDeleteReply(c, back, http.StatusOK, flashOK("Deleted the meeting room "+number+" and its access codes."))
}
