package sandbox

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"
)

// Conference v1 media files: a subscriber's prompts and recordings (File
// Descriptor: duration, name, size, url). Uploads are multipart/form-data;
// the bytes are kept in memory.
//
// Not confirmed, and chosen conservatively:
//   - the upload answers 200 and the File Descriptor (Core's storage upload
//     answers 201; v1's status is not shown);
//   - the file is the first part that carries a file name, whatever the
//     part's form name; the name is that file name;
//   - only WAV and MP3 audio is accepted ("media file"), at most 10 MiB; the
//     duration (milliseconds) is read from the WAV header, or worked out
//     from the first MP3 frame's bit rate;
//   - a file uploaded under an existing name replaces it;
//   - url is the internal path the sample shows
//     ("/storage/subscribers/<sid>/<name>").

const cv1MaxFile = 10 << 20

var cv1FileSchema = newSchema("fileDescriptor", "name",
	fld("duration", kindInt, ro()),
	fld("name", kindString, ro()),
	fld("size", kindInt, ro()),
	fld("url", kindString, ro()),
)

func (s *Sandbox) cv1Files(account, subscriber string) []*record {
	return s.cv1Recs(cv1FilesTable, account, func(r *record) bool { return r.parent == subscriber })
}

// cv1RemoveFiles removes a subscriber's file name, or all its files when name
// is "". It reports whether anything was removed.
func (s *Sandbox) cv1RemoveFiles(subscriber, name string) bool {
	t := s.table(cv1FilesTable)
	removed := false
	for _, r := range append([]*record(nil), t.recs...) {
		if r.parent == subscriber && (name == "" || r.obj["name"] == name) {
			t.remove(r.sid)
			removed = true
		}
	}
	return removed
}

func cv1FileNameError(name string) string {
	switch {
	case name == "" || name == "." || name == "..":
		return "the file needs a name"
	case len(name) > 255:
		return "the file name must be at most 255 characters long"
	case strings.ContainsAny(name, `/\`) || strings.ContainsFunc(name, unicode.IsControl):
		return "the file name must not contain slashes or control characters"
	}
	return ""
}

func (s *Sandbox) cv1UploadFile(c *call) (int, any, *apiError) {
	sub, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	mt, _, perr := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if perr != nil || mt != "multipart/form-data" {
		return 0, nil, errMediaType("multipart/form-data")
	}
	mr, merr := c.r.MultipartReader()
	if merr != nil {
		return 0, nil, errBadRequest("", "the multipart body cannot be read")
	}
	var name string
	var data []byte
	for {
		part, perr := mr.NextPart()
		if errors.Is(perr, io.EOF) {
			break
		}
		if perr != nil {
			return 0, nil, errBadRequest("", "the multipart body cannot be read")
		}
		if part.FileName() == "" {
			_ = part.Close()
			continue
		}
		name = part.FileName()
		data, perr = io.ReadAll(io.LimitReader(part, cv1MaxFile+1))
		_ = part.Close()
		if perr != nil {
			return 0, nil, errBadRequest("", "the file part cannot be read")
		}
		break
	}
	switch {
	case data == nil && name == "":
		return 0, nil, errValidation(item("file", "the body has no file part"))
	case cv1FileNameError(name) != "":
		return 0, nil, errValidation(item("name", cv1FileNameError(name)))
	case len(data) > cv1MaxFile:
		return 0, nil, errValidation(item("file", "the file must be at most 10 MiB"))
	}
	duration, ok := cv1MediaDuration(data)
	if !ok {
		return 0, nil, errValidation(item("file", "only WAV and MP3 audio files are accepted"))
	}
	o := object{"duration": duration, "name": name, "size": int64(len(data)),
		"url": "/storage/subscribers/" + sub.sid + "/" + name, "_data": data}
	t := s.table(cv1FilesTable)
	if r := t.get(sub.sid + "/" + name); r != nil {
		r.set(o)
	} else {
		t.insert(&record{sid: sub.sid + "/" + name, owner: c.accountSID(), parent: sub.sid, obj: o})
	}
	return http.StatusOK, cv1Out(o), nil
}

func (s *Sandbox) cv1ListFiles(c *call) (int, any, *apiError) {
	sub, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	return cv1List(c, "files", cv1FileSchema, s.cv1Files(c.accountSID(), sub.sid), nil)
}

// cv1DeleteFiles removes every file of the subscriber (204, also when there
// were none).
func (s *Sandbox) cv1DeleteFiles(c *call) (int, any, *apiError) {
	sub, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	s.cv1RemoveFiles(sub.sid, "")
	return http.StatusNoContent, nil, nil
}

func (s *Sandbox) cv1DeleteFile(c *call) (int, any, *apiError) {
	sub, err := s.cv1Subscriber(c)
	if err != nil {
		return 0, nil, err
	}
	if !s.cv1RemoveFiles(sub.sid, c.param("fileName")) {
		return 0, nil, errNoItem()
	}
	return http.StatusNoContent, nil, nil
}

// cv1FileData returns an uploaded file's bytes (for tests).
func (s *Sandbox) cv1FileData(subscriber, name string) []byte {
	if r := s.table(cv1FilesTable).get(subscriber + "/" + name); r != nil {
		b, _ := r.obj["_data"].([]byte)
		return b
	}
	return nil
}

// cv1MediaDuration recognises WAV and MP3 data and returns its duration in
// milliseconds.
func cv1MediaDuration(b []byte) (int64, bool) {
	if len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WAVE" {
		return cv1WAVDuration(b)
	}
	return cv1MP3Duration(b)
}

func cv1WAVDuration(b []byte) (int64, bool) {
	var byteRate, dataSize uint32
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), binary.LittleEndian.Uint32(b[off+4:off+8])
		body := off + 8
		switch id {
		case "fmt ":
			if body+12 > len(b) {
				return 0, false
			}
			byteRate = binary.LittleEndian.Uint32(b[body+8 : body+12])
		case "data":
			dataSize = min(size, uint32(len(b)-body))
		}
		next := body + int(size) + int(size&1)
		if next <= off || next < 0 {
			break
		}
		off = next
	}
	if byteRate == 0 {
		return 0, false
	}
	return int64(dataSize) * 1000 / int64(byteRate), true
}

var (
	cv1MP3Rates1 = [16]int64{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	cv1MP3Rates2 = [16]int64{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}
)

// cv1MP3Duration skips an ID3v2 tag and reads the first MPEG Layer III frame
// header; the duration assumes that bit rate throughout (exact for constant
// bit rate files).
func cv1MP3Duration(b []byte) (int64, bool) {
	off := 0
	if len(b) >= 10 && bytes.HasPrefix(b, []byte("ID3")) {
		size := int(b[6]&0x7f)<<21 | int(b[7]&0x7f)<<14 | int(b[8]&0x7f)<<7 | int(b[9]&0x7f)
		off = 10 + size
	}
	if off+4 > len(b) || b[off] != 0xff || b[off+1]&0xe0 != 0xe0 {
		return 0, false
	}
	version, layer, idx := (b[off+1]>>3)&3, (b[off+1]>>1)&3, b[off+2]>>4
	if version == 1 || layer != 1 {
		return 0, false // reserved version, or not Layer III
	}
	rate := cv1MP3Rates2[idx]
	if version == 3 {
		rate = cv1MP3Rates1[idx]
	}
	if rate == 0 {
		return 0, false
	}
	return int64(len(b)-off) * 8 / rate, true
}
