package web

import (
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
)

// Storage: the partner's containers and their files (recordings, prompts),
// downloaded through the console and deleted behind a confirmation.
// Downloads are always attachments: a stored file is never rendered as a
// page of the console.

// maxFilesShown bounds one container's listing (newest first).
const maxFilesShown = 500

func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "B"
}

func containerRow(ct carrierx.Container) views.StorageContainerRow {
	return views.StorageContainerRow{SID: ct.ContainerSID, Name: ct.Name,
		Files: formatCount(ct.TotalFiles) + " of " + formatCount(ct.QuotaFiles),
		Bytes: byteSize(ct.TotalBytes) + " of " + byteSize(ct.QuotaBytes),
		Free:  strconv.Itoa(ct.AvailableBytesPercent) + "% of the space, " + strconv.Itoa(ct.AvailableFilesPercent) + "% of the files"}
}

func (s *Server) showStorage(c echo.Context) error {
	var d views.StorageData
	for ct, err := range s.client(c).AllContainers(c.Request().Context(), carrierx.ListOptions{Limit: 1000, Order: "name asc"}) {
		if err != nil {
			return s.failCarrierX(c, err)
		}
		d.Containers = append(d.Containers, containerRow(ct))
	}
	return render(c, http.StatusOK, views.StoragePage(s.page(c, "Storage", "storage"), d))
}

// fileDuration is content_duration (seconds, a number or null) as text.
func fileDuration(raw []byte) string {
	v := strings.TrimSpace(string(raw))
	if v == "" || v == "null" {
		return ""
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return (time.Duration(f * float64(time.Second))).Round(time.Second).String()
	}
	return v
}

func (s *Server) showContainer(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	ct, err := cx.GetContainer(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	d := views.StorageContainerData{Row: containerRow(*ct), CSRF: a.CSRF}
	for v, err := range cx.AllTTSVoices(ctx, carrierx.ListOptions{Limit: 1000}) {
		if err != nil {
			break // no voices: no text-to-speech form, the files still show
		}
		d.Voices = append(d.Voices, views.Option{Value: v.VoiceSID, Label: voiceLabel(v)})
	}
	sort.Slice(d.Voices, func(i, j int) bool { return d.Voices[i].Label < d.Voices[j].Label })
	page, err := cx.ListStorageFiles(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID),
		Order: "date_modified desc", Limit: maxFilesShown})
	if err != nil {
		return s.failCarrierX(c, err)
	}
	for _, f := range page.Items {
		d.Files = append(d.Files, views.StorageFileRow{SID: f.FileSID, Name: f.Name, Type: f.MimeType, Size: byteSize(f.FileBytes),
			Duration: fileDuration(f.ContentDuration), Modified: appTime(f.DateModified, a.location()), Public: deref(f.PublishURI)})
	}
	if page.Total != nil && *page.Total > len(page.Items) {
		d.More = formatCount(int64(*page.Total-len(page.Items))) + " older file(s)"
	} else if page.Total == nil && page.HasMore {
		d.More = "older files"
	}
	return render(c, http.StatusOK, views.StorageContainerPage(s.page(c, orName(ct.Name, "Container"), "storage"), d))
}

// downloadFile streams a file as an attachment.
func (s *Server) downloadFile(c echo.Context) error {
	ctx := c.Request().Context()
	cx := s.client(c)
	f, err := cx.GetStorageFile(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	data, err := cx.DownloadFile(ctx, f.FileSID)
	if err != nil {
		return s.failCarrierX(c, err)
	}
	defer data.Close()
	h := c.Response().Header()
	ctype := data.ContentType
	if _, _, perr := mime.ParseMediaType(ctype); ctype == "" || perr != nil {
		ctype = "application/octet-stream"
	}
	h.Set(echo.HeaderContentType, ctype)
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": orName(f.Name, f.FileSID)}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if data.Size >= 0 {
		h.Set(echo.HeaderContentLength, strconv.FormatInt(data.Size, 10))
	}
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), data)
	return err
}

// deleteFile deletes a file; in place, its row goes.
func (s *Server) deleteFile(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	f, err := cx.GetStorageFile(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	before := jsonOf(map[string]any{"name": f.Name, "container_sid": f.ContainerSID, "file_bytes": f.FileBytes, "mime_type": f.MimeType})
	back := "/storage/" + f.ContainerSID
	if err := cx.DeleteStorageFile(ctx, f.FileSID); err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "storage file", ObjectSID: f.FileSID, ObjectLabel: f.Name,
			Outcome: store.OutcomeError, Message: p.Message, Before: before})
		return s.rowDeleteReply(c, back, refusalStatus(p), flashError(f.Name+" was not deleted: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "delete", ObjectType: "storage file", ObjectSID: f.FileSID, ObjectLabel: f.Name,
		Outcome: store.OutcomeOK, Before: before})
	return s.rowDeleteReply(c, back, http.StatusOK, flashOK("Deleted "+f.Name+"."))
}

// uploadFile streams an uploaded file to the container. The form is read
// by the CSRF check (large files spill to temporary files, removed when the
// request ends); the file then goes to CarrierX as it is read.
func (s *Server) uploadFile(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	ct, err := cx.GetContainer(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	back := "/storage/" + ct.ContainerSID
	fh, err := c.FormFile("file")
	if err != nil {
		msg := "Choose a file to upload."
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			msg = "The file is larger than 100 MB: it was not uploaded."
		}
		return s.redirectWithFlash(c, back, flashError(msg))
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" {
		name = path.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	}
	src, err := fh.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	label := name + " (" + byteSize(fh.Size) + ")"
	f, err := cx.UploadFileOctetStream(ctx, ct.ContainerSID, name, src)
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "upload", ObjectType: "storage file", ObjectLabel: label, Outcome: store.OutcomeError,
			Message: p.Message, After: jsonOf(map[string]any{"name": name, "container_sid": ct.ContainerSID, "file_bytes": fh.Size})})
		return s.redirectWithFlash(c, back, flashError(name+" was not uploaded: "+p.Message))
	}
	s.audit(c, a, store.AuditEntry{Action: "upload", ObjectType: "storage file", ObjectSID: f.FileSID, ObjectLabel: label, Outcome: store.OutcomeOK,
		After: jsonOf(map[string]any{"name": f.Name, "container_sid": ct.ContainerSID, "file_bytes": f.FileBytes, "mime_type": f.MimeType})})
	return s.redirectWithFlash(c, back, flashOK("Uploaded "+f.Name+" ("+byteSize(f.FileBytes)+")."))
}

// voiceLabel is a voice with the languages it speaks.
func voiceLabel(v carrierx.TTSVoice) string {
	langs := slices.Sorted(maps.Keys(v.Languages))
	if len(langs) > 3 {
		langs = append(langs[:3], "…")
	}
	return v.VoiceSID + " (" + strings.Join(langs, ", ") + ")"
}

// makeSpeech has CarrierX speak a text into a new file of the container.
func (s *Server) makeSpeech(c echo.Context) error {
	ctx := c.Request().Context()
	a := authOf(c)
	cx := s.client(c)
	ct, err := cx.GetContainer(ctx, c.Param("sid"))
	if err != nil {
		return s.failCarrierX(c, err)
	}
	back := "/storage/" + ct.ContainerSID
	text := strings.TrimSpace(c.FormValue("text"))
	voice := strings.TrimSpace(c.FormValue("voice"))
	switch {
	case text == "":
		return s.redirectWithFlash(c, back, flashError("Write the text to speak."))
	case utf8.RuneCountInString(text) > 3000:
		return s.redirectWithFlash(c, back, flashError("At most 3000 characters: the prompt was not made."))
	}
	f, err := cx.SynthesizeSpeechToFile(ctx, ct.ContainerSID, carrierx.TTSText{Text: text, VoiceSID: voice})
	after := map[string]any{"container_sid": ct.ContainerSID, "voice": voice, "characters": utf8.RuneCountInString(text)}
	if err != nil {
		p := explain(err)
		if p.Expired {
			return s.endSession(c)
		}
		s.audit(c, a, store.AuditEntry{Action: "text to speech", ObjectType: "storage file", ObjectLabel: "prompt in " + ct.Name,
			Outcome: store.OutcomeError, Message: p.Message, After: jsonOf(after)})
		return s.redirectWithFlash(c, back, flashError("The prompt was not made: "+p.Message))
	}
	after["name"], after["file_bytes"] = f.Name, f.FileBytes
	s.audit(c, a, store.AuditEntry{Action: "text to speech", ObjectType: "storage file", ObjectSID: f.FileSID, ObjectLabel: f.Name,
		Outcome: store.OutcomeOK, After: jsonOf(after)})
	return s.redirectWithFlash(c, back, flashOK("Made the prompt "+f.Name+" ("+byteSize(f.FileBytes)+")."))
}
