package sandbox

import (
	"crypto/sha1"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Storage (Core v2 /storage): containers a partner keeps files in, and the
// files, uploaded as bytes and downloaded back. The attributes and defaults
// follow §4.13-4.14 and CarrierX's Container and File object pages.
//
// A container's total_bytes / total_files (and the figures derived from
// them) are kept up to date on every upload, change and delete, so they can
// be listed, filtered and ordered like any stored attribute. File bytes live
// in a table of their own that no route lists; they are never part of an
// object.

func init() {
	extraTables = append(extraTables, storageContainersTable, storageFilesTable, storageDataTable)
	seeders = append(seeders, (*Sandbox).seedStorage)
	routeAdders = append(routeAdders, (*Sandbox).storageRoutes)
}

const (
	storageContainersTable = "storage_containers"
	storageFilesTable      = "storage_files"
	storageDataTable       = "storage_file_data" // file_sid -> {"bytes": []byte}
)

const (
	// storageContainerLimit is CarrierX's default number of containers per
	// partner ("two containers per account" unless support raises it).
	storageContainerLimit = 2
	// Defaults of a new container (§4.13).
	storageQuotaBytes    = 1073741824
	storageQuotaFiles    = 100
	storagePublishDomain = "https://storage.carrierx.com"
)

// storageMaxUpload caps one upload. It is the sandbox's own guard (the bytes
// are kept in memory), not a CarrierX limit: a bigger upload is a 413.
// CarrierX's limits are the container quotas, answered with a 422. A
// variable so tests can lower it.
var storageMaxUpload int64 = 128 << 20

// storageClasses are the content classifications of files, which a
// container's allowed_classifications / blocked_classifications name.
var storageClasses = []string{"archive", "document", "executable", "media", "unknown"}

// storageLifecycleActions: no_action is the documented default. "delete" is
// inferred (CarrierX's own code confirms uploads with lifecycle_ttl -1, so
// files can otherwise go away); other values are refused. Lifecycles are
// stored, not run: the sandbox never removes a file on its own.
var storageLifecycleActions = []string{"no_action", "delete"}

// storagePublishValues: only the documented "file_sid" (the default) is
// accepted for publish / default_file_publish.
var storagePublishValues = []string{"file_sid"}

// storageBitrates are the documented desired_bitrate values.
var storageBitrates = map[int64]bool{8: true, 16: true, 24: true, 32: true, 40: true, 48: true, 64: true, 80: true,
	96: true, 112: true, 128: true, 160: true, 192: true, 224: true, 256: true, 320: true}

// storageContainerSchema is the Container object. Create with {} is allowed.
//
// Not confirmed, and chosen conservatively:
//   - encrypted and type cannot change after creation; type is "internal"
//     (external storage services exist, their type values are not
//     published);
//   - threshold_* settings are stored, no threshold action is ever run;
//     threshold_total_bytes / threshold_total_files are read-only and count
//     the files whose threshold_include is true (inferred from the names);
//   - a quota cannot be set below what the container already holds (422);
//   - parent_container_sid names another of the caller's containers.
var storageContainerSchema = newSchema("container", "container_sid",
	fld("allow_publish", kindBool, def(true)),
	fld("allowed_classifications", kindArray, def([]any{}), elemKind(kindString), check(storageClassList)),
	fld("available_bytes_percent", kindInt, ro()),
	fld("available_files_percent", kindInt, ro()),
	fld("blocked_classifications", kindArray, def([]any{}), elemKind(kindString), check(storageClassList)),
	sidField("container_sid"),
	fld("default_file_lifecycle_action", kindString, def("no_action"), enum(storageLifecycleActions...)),
	fld("default_file_lifecycle_ttl", kindInt, def(int64(-1)), check(storageTTLCheck)),
	fld("default_file_publish", kindString, def("file_sid"), enum(storagePublishValues...)),
	fld("default_file_threshold_include", kindBool, def(true)),
	fld("default_file_unique", kindBool, def(false)),
	fld("durability_class", kindString, ro()),
	fld("encrypted", kindBool, def(false), createOnly()),
	emptyObj("external_attributes"),
	fld("integer_key_1", kindInt, null()),
	fld("integer_key_2", kindInt, null()),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("parent_container_sid", kindString, null(), check(storageContainerRef)),
	fld("partner_sid", kindString, ro()),
	fld("publish_domain", kindString, def(storagePublishDomain), maxLen(255), urlCheck()),
	fld("quota_bytes", kindInt, def(int64(storageQuotaBytes)), minInt(0)),
	fld("quota_files", kindInt, def(int64(storageQuotaFiles)), minInt(0)),
	optStr("string_key_1"),
	optStr("string_key_2"),
	optStr("string_key_3"),
	optStr("string_key_4"),
	fld("threshold_action", kindString, null(), maxLen(255)),
	fld("threshold_available_bytes_percent", kindInt, null(), minInt(0), check(storagePercentCheck)),
	fld("threshold_available_files_percent", kindInt, null(), minInt(0), check(storagePercentCheck)),
	fld("threshold_bytes", kindInt, null(), minInt(0)),
	fld("threshold_bytes_target", kindInt, null(), minInt(0)),
	fld("threshold_files", kindInt, null(), minInt(0)),
	fld("threshold_files_target", kindInt, null(), minInt(0)),
	fld("threshold_grace_period", kindInt, def(int64(0)), minInt(0)),
	fld("threshold_total_bytes", kindInt, ro()),
	fld("threshold_total_files", kindInt, ro()),
	fld("total_bytes", kindInt, ro()),
	fld("total_files", kindInt, ro()),
	fld("type", kindString, def("internal"), enum("internal"), createOnly()),
	fld("unique", kindBool, def(false)),
)

// storageFileSchema is the File object. Files are created by uploading
// (POST /storage/files); the JSON of the upload's file_object part (or the
// container_sid and name query arguments) is applied to the new file.
//
// Not confirmed, and chosen conservatively:
//   - container_sid is required and cannot change after the upload (a file
//     is not moved between containers);
//   - file_access_name ("the path to the file within the container") is
//     unique within its container;
//   - desired_format / desired_bitrate are stored; the sandbox transcodes
//     nothing (content_transcoding_progress and content_duration stay null);
//   - mime_type is whatever the client says (a "type/subtype" value); when
//     the upload names none it is taken from the name's extension, then the
//     data part's Content-Type, else application/octet-stream;
//   - content_classification is derived from mime_type at upload (audio,
//     video and images are media; text, PDF and office formats document;
//     zip-like formats archive; executables executable; the rest unknown).
//     CarrierX's upload sample answers "unknown" for an MP3, which suggests
//     it classifies later; classifying at once lets the container's
//     allowed / blocked classifications be enforced on the upload;
//   - date_last_accessed is null until the first download, then moves on
//     each download at most once a minute (as documented);
//   - publish_uri is the container's publish_domain + "/f/" + file_sid
//     (CarrierX's sample shows that path on another host), null when the
//     container's allow_publish is false.
var storageFileSchema = newSchema("file", "file_sid",
	fld("container_sid", kindString, createOnly(), check(storageContainerRef)),
	fld("content_classification", kindString, ro()),
	fld("content_duration", kindAny, ro(), null()),
	fld("content_format", kindString, ro(), null()),
	fld("content_transcoding_progress", kindInt, ro(), null()),
	fld("date_last_accessed", kindTime, ro(), null()),
	fld("date_modified", kindTime, ro()),
	fld("desired_bitrate", kindInt, null(), check(storageBitrateCheck)),
	fld("desired_format", kindString, null(), maxLen(16)),
	fld("file_access_name", kindString, maxLen(1024), check(storageAccessNameCheck)),
	fld("file_bytes", kindInt, ro()),
	sidField("file_sid"),
	fld("integer_key_1", kindInt, null()),
	fld("integer_key_2", kindInt, null()),
	fld("lifecycle_action", kindString, def("no_action"), enum(storageLifecycleActions...)),
	fld("lifecycle_ttl", kindInt, def(int64(-1)), check(storageTTLCheck)),
	fld("mime_type", kindString, maxLen(255), check(storageMimeCheck)),
	fld("name", kindString, def("N/A"), maxLen(255)),
	fld("parent_file_sid", kindString, null(), check(storageFileRef)),
	fld("partner_sid", kindString, ro()),
	fld("publish", kindString, def("file_sid"), enum(storagePublishValues...)),
	fld("publish_uri", kindString, ro(), null()),
	optStr("string_key_1"),
	optStr("string_key_2"),
	optStr("string_key_3"),
	optStr("string_key_4"),
	fld("threshold_include", kindBool, def(true)),
	fld("type", kindString, ro()),
	fld("unique", kindBool, def(false)),
)

func storageClassList(c *call, v any) string {
	seen := map[string]bool{}
	for _, x := range v.([]any) {
		s, _ := x.(string)
		if !contains(storageClasses, s) {
			return "classifications must be among: " + strings.Join(storageClasses, ", ")
		}
		if seen[s] {
			return "classification " + s + " is listed twice"
		}
		seen[s] = true
	}
	return ""
}

func storageTTLCheck(c *call, v any) string {
	if n := v.(int64); n != -1 && n < 1 {
		return "the ttl must be -1 (keep) or a positive number of seconds"
	}
	return ""
}

func storagePercentCheck(c *call, v any) string {
	if v.(int64) > 100 {
		return "a percentage must be between 0 and 100"
	}
	return ""
}

func storageBitrateCheck(c *call, v any) string {
	if !storageBitrates[v.(int64)] {
		return "desired_bitrate must be one of 8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320"
	}
	return ""
}

func storageAccessNameCheck(c *call, v any) string {
	s := v.(string)
	if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "/") || strings.Contains(s, "..") {
		return "file_access_name must be a relative path within the container"
	}
	return ""
}

func storageMimeCheck(c *call, v any) string {
	mt, _, err := mime.ParseMediaType(v.(string))
	if err != nil || !strings.Contains(mt, "/") || strings.HasPrefix(mt, "/") || strings.HasSuffix(mt, "/") {
		return "mime_type must be a media type such as audio/mpeg"
	}
	return ""
}

func storageContainerRef(c *call, v any) string {
	r := c.s.table(storageContainersTable).get(v.(string))
	if r == nil || r.owner != c.partner.sid {
		return "cannot find container by sid"
	}
	return ""
}

func storageFileRef(c *call, v any) string {
	r := c.s.table(storageFilesTable).get(v.(string))
	if r == nil || r.owner != c.partner.sid {
		return "cannot find file by sid"
	}
	return ""
}

func storageOwned(c *call, r *record) bool { return r.owner == c.partner.sid }

// storageSeedSID is a UUID (version 5 layout) made from the seed and key, so
// seeding draws nothing from the shared generator.
func storageSeedSID(seed int64, key string) string {
	b := sha1.Sum([]byte("storage/" + strconv.FormatInt(seed, 10) + "/" + key))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newStorageContainer is a container at its defaults, empty.
func newStorageContainer(sid, partnerSID string) object {
	o := storageContainerSchema.defaults()
	o["container_sid"] = sid
	o["partner_sid"] = partnerSID
	o["durability_class"] = "unassigned"
	storageSetTotals(o, 0, 0, 0, 0)
	return o
}

// seedStorage gives each seeded partner one empty container, as CarrierX
// does when it creates a partner ("each partner has a container associated
// with their account"); each can create one more.
func (s *Sandbox) seedStorage() {
	t := s.table(storageContainersTable)
	for _, p := range []string{s.demo.PartnerSID, s.other.PartnerSID} {
		sid := storageSeedSID(s.cfg.Seed, "container/"+p)
		t.insert(&record{sid: sid, owner: p, obj: newStorageContainer(sid, p)})
	}
}

// storagePercent is the share of quota still free, in whole percent.
func storagePercent(quota, used int64) int64 {
	if quota <= 0 {
		return 0
	}
	return max(0, (quota-used)*100/quota)
}

// storageSetTotals writes a container's counters into o.
func storageSetTotals(o object, files, bytes, thFiles, thBytes int64) {
	qb, _ := intOf(o["quota_bytes"])
	qf, _ := intOf(o["quota_files"])
	o["total_files"] = files
	o["total_bytes"] = bytes
	o["threshold_total_files"] = thFiles
	o["threshold_total_bytes"] = thBytes
	o["available_bytes_percent"] = storagePercent(qb, bytes)
	o["available_files_percent"] = storagePercent(qf, files)
}

// storageCount sums the files of a container: all of them, and those whose
// threshold_include is true.
func (s *Sandbox) storageCount(containerSID string) (files, bytes, thFiles, thBytes int64) {
	for _, f := range s.table(storageFilesTable).recs {
		if f.parent != containerSID {
			continue
		}
		n, _ := intOf(f.obj["file_bytes"])
		files++
		bytes += n
		if f.obj["threshold_include"] == true {
			thFiles++
			thBytes += n
		}
	}
	return
}

// storageRecount refreshes a container's counters after its files changed.
// Callers hold the write lock.
func (s *Sandbox) storageRecount(containerSID string) {
	rec := s.table(storageContainersTable).get(containerSID)
	if rec == nil {
		return
	}
	files, bytes, thFiles, thBytes := s.storageCount(containerSID)
	o := cloneObject(rec.obj)
	storageSetTotals(o, files, bytes, thFiles, thBytes)
	rec.set(o)
}

func (s *Sandbox) storageContainerView() *view {
	containers := s.table(storageContainersTable)
	return &view{schema: storageContainerSchema, table: containers, param: "container_sid",
		defaultLimit: 1000, // the Get Containers sample answers limit 1000
		visible:      storageOwned,
		newObject: func(c *call) object {
			return newStorageContainer(s.newSID(), c.partner.sid)
		},
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			if mode == modeCreate {
				n := 0
				for _, r := range containers.recs {
					if r.owner == c.partner.sid {
						n++
					}
				}
				// The limit's error is not confirmed: 422, like other
				// refused creates.
				if n >= storageContainerLimit {
					return []errItem{item("", "a partner may have at most "+itoa(storageContainerLimit)+" containers")}
				}
				return nil
			}
			var errs []errItem
			if next["parent_container_sid"] == rec.sid {
				errs = append(errs, item("parent_container_sid", "a container cannot be its own parent"))
			}
			files, bytes, thFiles, thBytes := s.storageCount(rec.sid)
			if qb, _ := intOf(next["quota_bytes"]); qb < bytes {
				errs = append(errs, item("quota_bytes", "quota_bytes cannot be less than the "+strconv.FormatInt(bytes, 10)+" bytes stored"))
			}
			if qf, _ := intOf(next["quota_files"]); qf < files {
				errs = append(errs, item("quota_files", "quota_files cannot be less than the "+strconv.FormatInt(files, 10)+" files stored"))
			}
			storageSetTotals(next, files, bytes, thFiles, thBytes)
			return errs
		},
		// Deleting a container that still holds files (or is another
		// container's parent): CarrierX's answer is not confirmed; refusing
		// (409, naming one of them) never deletes files silently.
		beforeDelete: func(c *call, rec *record) *apiError {
			n, first := 0, ""
			for _, f := range s.table(storageFilesTable).recs {
				if f.parent == rec.sid {
					if n == 0 {
						first = f.sid
					}
					n++
				}
			}
			if n > 0 {
				return errConflict("container_sid", "the container holds "+itoa(n)+" file(s)", first)
			}
			for _, r := range containers.recs {
				if r.obj["parent_container_sid"] == rec.sid {
					return errConflict("container_sid", "the container is the parent of another container", r.sid)
				}
			}
			return nil
		},
	}
}

// storagePublishURI derives a file's publish_uri from its container.
func (s *Sandbox) storagePublishURI(file object) any {
	sid, _ := file["container_sid"].(string)
	ct := s.table(storageContainersTable).get(sid)
	if ct == nil || ct.obj["allow_publish"] != true || file["publish"] != "file_sid" {
		return nil
	}
	domain, _ := ct.obj["publish_domain"].(string)
	fsid, _ := file["file_sid"].(string)
	return strings.TrimRight(domain, "/") + "/f/" + fsid
}

// storageRepublish refreshes the publish_uri of a container's files after
// the container changed (allow_publish, publish_domain). Callers hold the
// write lock.
func (s *Sandbox) storageRepublish(containerSID string) {
	for _, f := range s.table(storageFilesTable).recs {
		if f.parent == containerSID {
			if u := s.storagePublishURI(f.obj); u != f.obj["publish_uri"] {
				o := cloneObject(f.obj)
				o["publish_uri"] = u
				f.set(o)
			}
		}
	}
}

// storageContainerUpdate serves PATCH / PUT of a container, then refreshes
// its files' publish_uri.
func (s *Sandbox) storageContainerUpdate(v *view, put bool) handlerFunc {
	update := v.update(put)
	return func(c *call) (int, any, *apiError) {
		status, body, err := update(c)
		if err == nil {
			s.storageRepublish(c.param("container_sid"))
		}
		return status, body, err
	}
}

// storageAccessNameTaken reports whether another file of the container uses
// the access name.
func (s *Sandbox) storageAccessNameTaken(containerSID, name, except string) bool {
	for _, f := range s.table(storageFilesTable).recs {
		if f.sid != except && f.parent == containerSID && f.obj["file_access_name"] == name {
			return true
		}
	}
	return false
}

func (s *Sandbox) storageFileView() *view {
	files := s.table(storageFilesTable)
	return &view{schema: storageFileSchema, table: files, param: "file_sid",
		defaultLimit: 10, // no Get Files sample; the documented default page size
		visible:      storageOwned,
		beforeWrite: func(c *call, rec *record, body map[string]any, next object, mode writeMode) []errItem {
			var errs []errItem
			if next["parent_file_sid"] == rec.sid {
				errs = append(errs, item("parent_file_sid", "a file cannot be its own parent"))
			}
			if name, _ := next["file_access_name"].(string); s.storageAccessNameTaken(rec.parent, name, rec.sid) {
				errs = append(errs, item("file_access_name", "file_access_name is already used in the container"))
			}
			next["date_modified"] = formatTS(c.now)
			next["publish_uri"] = s.storagePublishURI(next)
			return errs
		},
		afterDelete: func(c *call, rec *record) {
			s.table(storageDataTable).remove(rec.sid)
			s.storageRecount(rec.parent)
		},
	}
}

// storageFileUpdate serves PATCH / PUT of a file, then refreshes its
// container's counters (threshold_include may have changed).
func (s *Sandbox) storageFileUpdate(v *view, put bool) handlerFunc {
	update := v.update(put)
	return func(c *call) (int, any, *apiError) {
		status, body, err := update(c)
		if err == nil {
			if r := v.table.get(c.param("file_sid")); r != nil {
				s.storageRecount(r.parent)
			}
		}
		return status, body, err
	}
}

// unlocked runs fn with the sandbox's write lock released; a handler that
// holds it uses this to read a large request body without stopping every
// other request. The lock is held again when unlocked returns (even if fn
// panics), and the handler must look its records up again afterwards.
func (s *Sandbox) unlocked(fn func()) {
	s.mu.Unlock()
	defer s.mu.Lock()
	fn()
}

// upgraded runs fn under the write lock from a handler that holds the read
// lock (a GET with a side effect); the read lock is held again afterwards.
// Records may have changed in between: fn looks them up again.
func (s *Sandbox) upgraded(fn func()) {
	s.mu.RUnlock()
	defer s.mu.RLock()
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// upload is a received file: the metadata to apply and the bytes.
type upload struct {
	meta     map[string]any // file_object, or the query arguments
	data     []byte
	partName string // the data part's file name
	partType string // the data part's Content-Type
}

func errUploadTooLarge() *apiError {
	return newErr(http.StatusRequestEntityTooLarge, "request entity too large",
		item("data", "the sandbox keeps files of at most "+strconv.FormatInt(storageMaxUpload, 10)+" bytes"))
}

func errQuotaBytes(free int64) *apiError {
	return errValidation(item("data", "the file does not fit in the container's quota_bytes ("+
		strconv.FormatInt(free, 10)+" bytes free)"))
}

// storageUploadLimit is how many bytes an upload to the container named in
// meta may hold: the container's free quota (quota set), or the sandbox's
// cap. It takes the read lock itself (it runs while a handler has
// released the lock). An unknown container is answered at once, before the
// bytes are read.
func (s *Sandbox) storageUploadLimit(c *call, meta map[string]any) (limit int64, quota bool, err *apiError) {
	if meta == nil {
		return storageMaxUpload, false, nil
	}
	sid, ok := meta["container_sid"].(string)
	if !ok || sid == "" {
		return 0, false, errValidation(item("container_sid", "container_sid is required"))
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ct := s.table(storageContainersTable).get(sid)
	if ct == nil || ct.owner != c.partner.sid {
		return 0, false, errValidation(item("container_sid", "cannot find container by sid"))
	}
	qb, _ := intOf(ct.obj["quota_bytes"])
	used, _ := intOf(ct.obj["total_bytes"])
	free := max(0, qb-used)
	if free < storageMaxUpload {
		return free, true, nil
	}
	return storageMaxUpload, false, nil
}

// readLimited reads r up to limit bytes; more is a quota error (quota) or
// the sandbox's 413.
func readLimited(r io.Reader, limit int64, quota bool) ([]byte, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, errBadRequest("data", "the upload could not be read")
	}
	if int64(len(b)) > limit {
		if quota {
			return nil, errQuotaBytes(limit)
		}
		return nil, errUploadTooLarge()
	}
	return b, nil
}

// readUpload reads an upload's body: multipart/form-data with the parts
// file_object (JSON metadata) and data (the bytes), or
// application/octet-stream with container_sid and name as query arguments
// (§1.4). It runs without the sandbox lock. On an error the rest of the
// body is read and dropped (up to the sandbox's cap), so the client, still
// sending, gets the answer rather than a broken connection.
func (s *Sandbox) readUpload(c *call) (up *upload, aerr *apiError) {
	defer func() {
		if aerr != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(c.r.Body, storageMaxUpload))
		}
	}()
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	up = &upload{}
	switch mt {
	case "multipart/form-data":
		boundary := params["boundary"]
		if boundary == "" {
			return nil, errBadRequest("", "the multipart body has no boundary")
		}
		mr := multipart.NewReader(c.r.Body, boundary)
		seenMeta, seenData := false, false
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, errBadRequest("", "the multipart body could not be read")
			}
			switch name := part.FormName(); name {
			case "file_object":
				if seenMeta {
					return nil, errBadRequest("file_object", "file_object is sent twice")
				}
				seenMeta = true
				b, err := io.ReadAll(io.LimitReader(part, maxBody+1))
				if err != nil || len(b) > maxBody {
					return nil, errBadRequest("file_object", "file_object could not be read")
				}
				m, aerr := decodeJSONObject(b)
				if aerr != nil {
					return nil, aerr
				}
				up.meta = m
			case "data":
				if seenData {
					return nil, errBadRequest("data", "data is sent twice")
				}
				seenData = true
				limit, quota, aerr := s.storageUploadLimit(c, up.meta)
				if aerr != nil {
					return nil, aerr
				}
				if up.data, aerr = readLimited(part, limit, quota); aerr != nil {
					return nil, aerr
				}
				up.partName = part.FileName()
				up.partType = part.Header.Get("Content-Type")
			default:
				return nil, errBadRequest(name, "unknown form field "+strconv.Quote(name)+" (file_object and data are accepted)")
			}
		}
		if !seenData {
			return nil, errValidation(item("data", "data is required"))
		}
		if up.meta == nil {
			up.meta = map[string]any{}
		}
	case "application/octet-stream":
		up.meta = map[string]any{}
		for k := range c.q {
			if k != "container_sid" && k != "name" {
				return nil, errBadRequest(k, "unknown query argument "+strconv.Quote(k)+" (container_sid and name are accepted)")
			}
			up.meta[k] = c.q.Get(k)
		}
		limit, quota, aerr := s.storageUploadLimit(c, up.meta)
		if aerr != nil {
			return nil, aerr
		}
		if up.data, aerr = readLimited(c.r.Body, limit, quota); aerr != nil {
			return nil, aerr
		}
	default:
		return nil, errMediaType("multipart/form-data or application/octet-stream")
	}
	return up, nil
}

// storageMimeByExt maps file name extensions to media types. The sandbox's
// own table, so the answer does not depend on the host's mime.types.
var storageMimeByExt = map[string]string{
	"mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "oga": "audio/ogg", "m4a": "audio/mp4",
	"aac": "audio/aac", "flac": "audio/flac", "opus": "audio/opus", "mp4": "video/mp4", "webm": "video/webm",
	"mov": "video/quicktime", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
	"webp": "image/webp", "svg": "image/svg+xml", "txt": "text/plain", "csv": "text/csv", "html": "text/html",
	"htm": "text/html", "xml": "application/xml", "json": "application/json", "pdf": "application/pdf",
	"doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"rtf": "application/rtf", "zip": "application/zip", "gz": "application/gzip", "tgz": "application/gzip",
	"tar": "application/x-tar", "7z": "application/x-7z-compressed", "rar": "application/vnd.rar",
	"bz2": "application/x-bzip2", "exe": "application/vnd.microsoft.portable-executable",
	"dll": "application/vnd.microsoft.portable-executable", "sh": "application/x-sh", "bin": "application/octet-stream",
}

// storageExt is a file name's lower-case extension without the dot ("" when
// it has none).
func storageExt(name string) string {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	if len(ext) > 10 || strings.ContainsAny(ext, "/\\ ") {
		return ""
	}
	return ext
}

// storageClassify derives content_classification from a media type.
func storageClassify(mimeType string) string {
	mt, _, err := mime.ParseMediaType(mimeType)
	if err != nil {
		return "unknown"
	}
	major, minor, _ := strings.Cut(mt, "/")
	switch {
	case major == "audio" || major == "video" || major == "image":
		return "media"
	case major == "text", minor == "pdf", minor == "json", minor == "xml", minor == "rtf", minor == "msword",
		strings.HasPrefix(minor, "vnd.openxmlformats-officedocument."), strings.HasPrefix(minor, "vnd.ms-"),
		strings.HasPrefix(minor, "vnd.oasis.opendocument."):
		return "document"
	case minor == "zip", minor == "gzip", minor == "x-tar", minor == "x-7z-compressed", minor == "vnd.rar",
		minor == "x-rar-compressed", minor == "x-bzip2", minor == "x-xz":
		return "archive"
	case minor == "vnd.microsoft.portable-executable", minor == "x-msdownload", minor == "x-executable",
		minor == "x-sharedlib", minor == "x-mach-binary", minor == "x-sh", minor == "x-elf":
		return "executable"
	}
	return "unknown"
}

// storageUpload serves POST /storage/files: 201 and the new File object.
func (s *Sandbox) storageUpload(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		var up *upload
		var aerr *apiError
		s.unlocked(func() { up, aerr = s.readUpload(c) })
		if aerr != nil {
			return 0, nil, aerr
		}
		return s.storeUpload(c, v, up)
	}
}

// storeUpload stores a received upload (under the write lock again: the
// container is looked up, and its quotas checked, afresh).
func (s *Sandbox) storeUpload(c *call, v *view, up *upload) (int, any, *apiError) {
	csid, _ := up.meta["container_sid"].(string)
	if csid == "" {
		return 0, nil, errValidation(item("container_sid", "container_sid is required"))
	}
	ct := s.table(storageContainersTable).get(csid)
	if ct == nil || ct.owner != c.partner.sid {
		return 0, nil, errValidation(item("container_sid", "cannot find container by sid"))
	}
	sid := s.newSID()
	base := storageFileSchema.defaults()
	for k, v := range map[string]any{
		"container_sid": csid, "file_sid": sid, "partner_sid": c.partner.sid, "type": "file",
		"file_bytes": int64(len(up.data)), "date_modified": formatTS(c.now),
		"lifecycle_action":  ct.obj["default_file_lifecycle_action"],
		"lifecycle_ttl":     ct.obj["default_file_lifecycle_ttl"],
		"publish":           ct.obj["default_file_publish"],
		"threshold_include": ct.obj["default_file_threshold_include"],
		"unique":            ct.obj["default_file_unique"],
	} {
		base[k] = v
	}
	if up.partName != "" {
		base["name"] = up.partName
	}
	next, errs := applyBody(c, storageFileSchema, base, up.meta, modeCreate, "")
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	name, _ := next["name"].(string)
	ext := storageExt(name)
	if ext != "" {
		next["content_format"] = ext
	}
	if _, ok := up.meta["mime_type"]; !ok {
		mt := storageMimeByExt[ext]
		if pt, _, err := mime.ParseMediaType(up.partType); mt == "" && err == nil && pt != "application/octet-stream" && strings.Contains(pt, "/") {
			mt = pt
		}
		if mt == "" {
			mt = "application/octet-stream"
		}
		next["mime_type"] = mt
	}
	mt, _ := next["mime_type"].(string)
	class := storageClassify(mt)
	next["content_classification"] = class
	if _, ok := up.meta["file_access_name"]; !ok {
		next["file_access_name"] = sid
		if ext != "" {
			next["file_access_name"] = sid + "." + ext
		}
	}
	if an, _ := next["file_access_name"].(string); s.storageAccessNameTaken(csid, an, "") {
		errs = append(errs, item("file_access_name", "file_access_name is already used in the container"))
	}
	if allowed, _ := ct.obj["allowed_classifications"].([]any); len(allowed) > 0 && !containsAny(allowed, class) {
		errs = append(errs, item("content_classification", "the container does not allow "+class+" files"))
	}
	if blocked, _ := ct.obj["blocked_classifications"].([]any); containsAny(blocked, class) {
		errs = append(errs, item("content_classification", "the container blocks "+class+" files"))
	}
	files, bytes, _, _ := s.storageCount(csid)
	if qf, _ := intOf(ct.obj["quota_files"]); files+1 > qf {
		errs = append(errs, item("container_sid", "the container holds its quota_files ("+strconv.FormatInt(qf, 10)+") already"))
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	if qb, _ := intOf(ct.obj["quota_bytes"]); bytes+int64(len(up.data)) > qb {
		return 0, nil, errQuotaBytes(max(0, qb-bytes))
	}
	next["publish_uri"] = s.storagePublishURI(next)
	rec := &record{sid: sid, owner: c.partner.sid, parent: csid, obj: next}
	v.table.insert(rec)
	s.table(storageDataTable).insert(&record{sid: sid, owner: c.partner.sid, parent: csid, obj: object{"bytes": up.data}})
	s.storageRecount(csid)
	return http.StatusCreated, v.output(c, rec, fieldSel{}, false), nil
}

// storageDownload serves GET /storage/files/{file_sid}/data: the bytes as
// uploaded, with the file's mime_type as Content-Type. The answer holds the
// stored slice, which is never changed, so it is written after the lock is
// released. date_last_accessed moves at most once a minute (documented).
func (s *Sandbox) storageDownload(v *view) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		r, err := v.find(c)
		if err != nil {
			return 0, nil, err
		}
		d := s.table(storageDataTable).get(r.sid)
		if d == nil {
			return 0, nil, errNoItem()
		}
		data, _ := d.obj["bytes"].([]byte)
		ct, _ := r.obj["mime_type"].(string)
		if ct == "" {
			ct = "application/octet-stream"
		}
		if c.r.Method == http.MethodGet && storageAccessDue(r.obj, c.now) {
			sid := r.sid
			s.upgraded(func() {
				if r := v.table.get(sid); r != nil && storageAccessDue(r.obj, c.now) {
					o := cloneObject(r.obj)
					o["date_last_accessed"] = formatTS(c.now)
					r.set(o)
				}
			})
		}
		return http.StatusOK, &rawResponse{ct, data}, nil
	}
}

// storageAccessDue reports whether a download at now moves the file's
// date_last_accessed (null, or a minute or more ago).
func storageAccessDue(file object, now time.Time) bool {
	last, _ := file["date_last_accessed"].(string)
	t, ok := parseTS(last)
	return !ok || now.Sub(t) >= time.Minute
}

func (s *Sandbox) storageRoutes(rt *router) {
	ct, f := s.storageContainerView(), s.storageFileView()
	rt.handle("GET", "/storage/containers", ct.list(nil))
	rt.handle("POST", "/storage/containers", ct.create())
	rt.handle("GET", "/storage/containers/{container_sid}", ct.get())
	rt.handle("PATCH", "/storage/containers/{container_sid}", s.storageContainerUpdate(ct, false))
	rt.handle("PUT", "/storage/containers/{container_sid}", s.storageContainerUpdate(ct, true))
	rt.handle("DELETE", "/storage/containers/{container_sid}", ct.remove())
	rt.handle("GET", "/storage/files", f.list(nil))
	rt.handle("POST", "/storage/files", s.storageUpload(f))
	rt.handle("GET", "/storage/files/{file_sid}", f.get())
	rt.handle("GET", "/storage/files/{file_sid}/data", s.storageDownload(f))
	rt.handle("PATCH", "/storage/files/{file_sid}", s.storageFileUpdate(f, false))
	rt.handle("PUT", "/storage/files/{file_sid}", s.storageFileUpdate(f, true))
	rt.handle("DELETE", "/storage/files/{file_sid}", f.remove())
}
