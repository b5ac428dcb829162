package carrierx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"time"
)

// Container is a storage container (§4.13): files are uploaded into it, and
// it counts them against its quotas.
type Container struct {
	AllowPublish                   bool            `json:"allow_publish"` // default true
	AllowedClassifications         []string        `json:"allowed_classifications"`
	AvailableBytesPercent          int             `json:"available_bytes_percent"` // ro
	AvailableFilesPercent          int             `json:"available_files_percent"` // ro
	BlockedClassifications         []string        `json:"blocked_classifications"`
	ContainerSID                   string          `json:"container_sid"` // ro
	DefaultFileLifecycleAction     string          `json:"default_file_lifecycle_action"`
	DefaultFileLifecycleTTL        int             `json:"default_file_lifecycle_ttl"`
	DefaultFilePublish             string          `json:"default_file_publish"`
	DefaultFileThresholdInclude    bool            `json:"default_file_threshold_include"`
	DefaultFileUnique              bool            `json:"default_file_unique"`
	DurabilityClass                string          `json:"durability_class"` // ro
	Encrypted                      bool            `json:"encrypted"`
	ExternalAttributes             json.RawMessage `json:"external_attributes"`
	IntegerKey1                    *int64          `json:"integer_key_1"`
	IntegerKey2                    *int64          `json:"integer_key_2"`
	Name                           string          `json:"name"` // default "N/A"
	ParentContainerSID             *string         `json:"parent_container_sid"`
	PartnerSID                     string          `json:"partner_sid"` // ro
	PublishDomain                  string          `json:"publish_domain"`
	QuotaBytes                     int64           `json:"quota_bytes"` // default 1073741824
	QuotaFiles                     int64           `json:"quota_files"` // default 100
	StringKey1                     *string         `json:"string_key_1"`
	StringKey2                     *string         `json:"string_key_2"`
	StringKey3                     *string         `json:"string_key_3"`
	StringKey4                     *string         `json:"string_key_4"`
	ThresholdAction                *string         `json:"threshold_action"`
	ThresholdAvailableBytesPercent *int            `json:"threshold_available_bytes_percent"`
	ThresholdAvailableFilesPercent *int            `json:"threshold_available_files_percent"`
	ThresholdBytes                 *int64          `json:"threshold_bytes"`
	ThresholdBytesTarget           *int64          `json:"threshold_bytes_target"`
	ThresholdFiles                 *int64          `json:"threshold_files"`
	ThresholdFilesTarget           *int64          `json:"threshold_files_target"`
	ThresholdGracePeriod           int64           `json:"threshold_grace_period"`
	ThresholdTotalBytes            int64           `json:"threshold_total_bytes"` // ro in the sandbox
	ThresholdTotalFiles            int64           `json:"threshold_total_files"` // ro in the sandbox
	TotalBytes                     int64           `json:"total_bytes"`           // ro
	TotalFiles                     int64           `json:"total_files"`           // ro
	Type                           string          `json:"type"`                  // "internal"
	Unique                         bool            `json:"unique"`
}

// Content classifications of files, named by a container's
// AllowedClassifications / BlockedClassifications.
const (
	ClassificationArchive    = "archive"
	ClassificationDocument   = "document"
	ClassificationExecutable = "executable"
	ClassificationMedia      = "media"
	ClassificationUnknown    = "unknown"
)

// ContainerUpdate is the body of a container create or PATCH: only the
// fields set are sent (Null clears a nullable one). Create needs none.
type ContainerUpdate struct {
	AllowPublish                   Optional[bool]            `json:"allow_publish,omitzero"`
	AllowedClassifications         Optional[[]string]        `json:"allowed_classifications,omitzero"`
	BlockedClassifications         Optional[[]string]        `json:"blocked_classifications,omitzero"`
	DefaultFileLifecycleAction     Optional[string]          `json:"default_file_lifecycle_action,omitzero"`
	DefaultFileLifecycleTTL        Optional[int]             `json:"default_file_lifecycle_ttl,omitzero"`
	DefaultFilePublish             Optional[string]          `json:"default_file_publish,omitzero"`
	DefaultFileThresholdInclude    Optional[bool]            `json:"default_file_threshold_include,omitzero"`
	DefaultFileUnique              Optional[bool]            `json:"default_file_unique,omitzero"`
	Encrypted                      Optional[bool]            `json:"encrypted,omitzero"` // on create only
	ExternalAttributes             Optional[json.RawMessage] `json:"external_attributes,omitzero"`
	IntegerKey1                    Optional[int64]           `json:"integer_key_1,omitzero"`
	IntegerKey2                    Optional[int64]           `json:"integer_key_2,omitzero"`
	Name                           Optional[string]          `json:"name,omitzero"`
	ParentContainerSID             Optional[string]          `json:"parent_container_sid,omitzero"`
	PublishDomain                  Optional[string]          `json:"publish_domain,omitzero"`
	QuotaBytes                     Optional[int64]           `json:"quota_bytes,omitzero"`
	QuotaFiles                     Optional[int64]           `json:"quota_files,omitzero"`
	StringKey1                     Optional[string]          `json:"string_key_1,omitzero"`
	StringKey2                     Optional[string]          `json:"string_key_2,omitzero"`
	StringKey3                     Optional[string]          `json:"string_key_3,omitzero"`
	StringKey4                     Optional[string]          `json:"string_key_4,omitzero"`
	ThresholdAction                Optional[string]          `json:"threshold_action,omitzero"`
	ThresholdAvailableBytesPercent Optional[int]             `json:"threshold_available_bytes_percent,omitzero"`
	ThresholdAvailableFilesPercent Optional[int]             `json:"threshold_available_files_percent,omitzero"`
	ThresholdBytes                 Optional[int64]           `json:"threshold_bytes,omitzero"`
	ThresholdBytesTarget           Optional[int64]           `json:"threshold_bytes_target,omitzero"`
	ThresholdFiles                 Optional[int64]           `json:"threshold_files,omitzero"`
	ThresholdFilesTarget           Optional[int64]           `json:"threshold_files_target,omitzero"`
	ThresholdGracePeriod           Optional[int64]           `json:"threshold_grace_period,omitzero"`
	Unique                         Optional[bool]            `json:"unique,omitzero"`
}

// containerWritable is a container's writable fields, for PUT. encrypted
// and type are sent unchanged (they are fixed after creation in the
// sandbox; CarrierX's rule is not confirmed).
type containerWritable struct {
	AllowPublish                   bool            `json:"allow_publish"`
	AllowedClassifications         []string        `json:"allowed_classifications"`
	BlockedClassifications         []string        `json:"blocked_classifications"`
	DefaultFileLifecycleAction     string          `json:"default_file_lifecycle_action"`
	DefaultFileLifecycleTTL        int             `json:"default_file_lifecycle_ttl"`
	DefaultFilePublish             string          `json:"default_file_publish"`
	DefaultFileThresholdInclude    bool            `json:"default_file_threshold_include"`
	DefaultFileUnique              bool            `json:"default_file_unique"`
	Encrypted                      bool            `json:"encrypted"`
	ExternalAttributes             json.RawMessage `json:"external_attributes,omitempty"`
	IntegerKey1                    *int64          `json:"integer_key_1"`
	IntegerKey2                    *int64          `json:"integer_key_2"`
	Name                           string          `json:"name"`
	ParentContainerSID             *string         `json:"parent_container_sid"`
	PublishDomain                  string          `json:"publish_domain"`
	QuotaBytes                     int64           `json:"quota_bytes"`
	QuotaFiles                     int64           `json:"quota_files"`
	StringKey1                     *string         `json:"string_key_1"`
	StringKey2                     *string         `json:"string_key_2"`
	StringKey3                     *string         `json:"string_key_3"`
	StringKey4                     *string         `json:"string_key_4"`
	ThresholdAction                *string         `json:"threshold_action"`
	ThresholdAvailableBytesPercent *int            `json:"threshold_available_bytes_percent"`
	ThresholdAvailableFilesPercent *int            `json:"threshold_available_files_percent"`
	ThresholdBytes                 *int64          `json:"threshold_bytes"`
	ThresholdBytesTarget           *int64          `json:"threshold_bytes_target"`
	ThresholdFiles                 *int64          `json:"threshold_files"`
	ThresholdFilesTarget           *int64          `json:"threshold_files_target"`
	ThresholdGracePeriod           int64           `json:"threshold_grace_period"`
	Type                           string          `json:"type,omitempty"`
	Unique                         bool            `json:"unique"`
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// StorageFile is a file kept in a container (§4.14). Its bytes are read
// with DownloadFile.
type StorageFile struct {
	ContainerSID               string          `json:"container_sid"`
	ContentClassification      string          `json:"content_classification"` // ro
	ContentDuration            json.RawMessage `json:"content_duration"`       // ro; a number or null
	ContentFormat              *string         `json:"content_format"`         // ro
	ContentTranscodingProgress *int            `json:"content_transcoding_progress"`
	DateLastAccessed           *time.Time      `json:"date_last_accessed"` // ro; last download
	DateModified               *time.Time      `json:"date_modified"`      // ro
	DesiredBitrate             *int            `json:"desired_bitrate"`
	DesiredFormat              *string         `json:"desired_format"`
	FileAccessName             string          `json:"file_access_name"`
	FileBytes                  int64           `json:"file_bytes"` // ro
	FileSID                    string          `json:"file_sid"`   // ro
	IntegerKey1                *int64          `json:"integer_key_1"`
	IntegerKey2                *int64          `json:"integer_key_2"`
	LifecycleAction            string          `json:"lifecycle_action"`
	LifecycleTTL               int             `json:"lifecycle_ttl"` // -1 keeps the file
	MimeType                   string          `json:"mime_type"`
	Name                       string          `json:"name"`
	ParentFileSID              *string         `json:"parent_file_sid"`
	PartnerSID                 string          `json:"partner_sid"` // ro
	Publish                    string          `json:"publish"`
	PublishURI                 *string         `json:"publish_uri"` // ro
	StringKey1                 *string         `json:"string_key_1"`
	StringKey2                 *string         `json:"string_key_2"`
	StringKey3                 *string         `json:"string_key_3"`
	StringKey4                 *string         `json:"string_key_4"`
	ThresholdInclude           bool            `json:"threshold_include"`
	Type                       string          `json:"type"` // ro; "file"
	Unique                     bool            `json:"unique"`
}

// StorageFileUpdate is the body of a file PATCH, and the metadata of an
// upload: only the fields set are sent.
type StorageFileUpdate struct {
	DesiredBitrate   Optional[int]    `json:"desired_bitrate,omitzero"`
	DesiredFormat    Optional[string] `json:"desired_format,omitzero"`
	FileAccessName   Optional[string] `json:"file_access_name,omitzero"`
	IntegerKey1      Optional[int64]  `json:"integer_key_1,omitzero"`
	IntegerKey2      Optional[int64]  `json:"integer_key_2,omitzero"`
	LifecycleAction  Optional[string] `json:"lifecycle_action,omitzero"`
	LifecycleTTL     Optional[int]    `json:"lifecycle_ttl,omitzero"`
	MimeType         Optional[string] `json:"mime_type,omitzero"`
	Name             Optional[string] `json:"name,omitzero"`
	ParentFileSID    Optional[string] `json:"parent_file_sid,omitzero"`
	Publish          Optional[string] `json:"publish,omitzero"`
	StringKey1       Optional[string] `json:"string_key_1,omitzero"`
	StringKey2       Optional[string] `json:"string_key_2,omitzero"`
	StringKey3       Optional[string] `json:"string_key_3,omitzero"`
	StringKey4       Optional[string] `json:"string_key_4,omitzero"`
	ThresholdInclude Optional[bool]   `json:"threshold_include,omitzero"`
	Unique           Optional[bool]   `json:"unique,omitzero"`
}

// storageFileWritable is a file's writable fields, for PUT. container_sid
// is sent unchanged (a file stays in its container).
type storageFileWritable struct {
	ContainerSID     string  `json:"container_sid"`
	DesiredBitrate   *int    `json:"desired_bitrate"`
	DesiredFormat    *string `json:"desired_format"`
	FileAccessName   string  `json:"file_access_name"`
	IntegerKey1      *int64  `json:"integer_key_1"`
	IntegerKey2      *int64  `json:"integer_key_2"`
	LifecycleAction  string  `json:"lifecycle_action"`
	LifecycleTTL     int     `json:"lifecycle_ttl"`
	MimeType         string  `json:"mime_type"`
	Name             string  `json:"name"`
	ParentFileSID    *string `json:"parent_file_sid"`
	Publish          string  `json:"publish"`
	StringKey1       *string `json:"string_key_1"`
	StringKey2       *string `json:"string_key_2"`
	StringKey3       *string `json:"string_key_3"`
	StringKey4       *string `json:"string_key_4"`
	ThresholdInclude bool    `json:"threshold_include"`
	Unique           bool    `json:"unique"`
}

// FileUpload is the metadata of an upload (the multipart file_object
// part): the container (required) and any of the file's writable fields.
// Name defaults to the data part's file name, which is Name when set.
type FileUpload struct {
	ContainerSID string `json:"container_sid"`
	StorageFileUpdate
}

const (
	containersPath   = "/storage/containers"
	storageFilesPath = "/storage/files"
)

// ListContainers returns one page of the partner's containers.
func (c *Client) ListContainers(ctx context.Context, opts ListOptions) (*Page[Container], error) {
	return listPage[Container](ctx, c, core, containersPath, opts)
}

// AllContainers iterates over every container matching opts.
func (c *Client) AllContainers(ctx context.Context, opts ListOptions) iter.Seq2[Container, error] {
	return allItems[Container](ctx, c, core, containersPath, opts)
}

// GetContainer returns one container.
func (c *Client) GetContainer(ctx context.Context, sid string) (*Container, error) {
	if err := requireSID("container_sid", sid); err != nil {
		return nil, err
	}
	return getOne[Container](ctx, c, core, containersPath+"/"+pathEscape(sid), nil)
}

// CreateContainer creates a container (POST /storage/containers; {} is
// enough). CarrierX allows two containers per partner by default.
func (c *Client) CreateContainer(ctx context.Context, u ContainerUpdate) (*Container, error) {
	return send[Container](ctx, c, core, http.MethodPost, containersPath, nil, u)
}

// UpdateContainer changes the fields set in u (PATCH).
func (c *Client) UpdateContainer(ctx context.Context, sid string, u ContainerUpdate) (*Container, error) {
	if err := requireSID("container_sid", sid); err != nil {
		return nil, err
	}
	return send[Container](ctx, c, core, http.MethodPatch, containersPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceContainer replaces the container's writable fields with those of
// ct (PUT); read-only fields are not sent.
func (c *Client) ReplaceContainer(ctx context.Context, sid string, ct Container) (*Container, error) {
	if err := requireSID("container_sid", sid); err != nil {
		return nil, err
	}
	w := containerWritable{AllowPublish: ct.AllowPublish, AllowedClassifications: nonNilStrings(ct.AllowedClassifications),
		BlockedClassifications: nonNilStrings(ct.BlockedClassifications), DefaultFileLifecycleAction: ct.DefaultFileLifecycleAction,
		DefaultFileLifecycleTTL: ct.DefaultFileLifecycleTTL, DefaultFilePublish: ct.DefaultFilePublish,
		DefaultFileThresholdInclude: ct.DefaultFileThresholdInclude, DefaultFileUnique: ct.DefaultFileUnique,
		Encrypted: ct.Encrypted, ExternalAttributes: ct.ExternalAttributes, IntegerKey1: ct.IntegerKey1,
		IntegerKey2: ct.IntegerKey2, Name: ct.Name, ParentContainerSID: ct.ParentContainerSID, PublishDomain: ct.PublishDomain,
		QuotaBytes: ct.QuotaBytes, QuotaFiles: ct.QuotaFiles, StringKey1: ct.StringKey1, StringKey2: ct.StringKey2,
		StringKey3: ct.StringKey3, StringKey4: ct.StringKey4, ThresholdAction: ct.ThresholdAction,
		ThresholdAvailableBytesPercent: ct.ThresholdAvailableBytesPercent,
		ThresholdAvailableFilesPercent: ct.ThresholdAvailableFilesPercent, ThresholdBytes: ct.ThresholdBytes,
		ThresholdBytesTarget: ct.ThresholdBytesTarget, ThresholdFiles: ct.ThresholdFiles,
		ThresholdFilesTarget: ct.ThresholdFilesTarget, ThresholdGracePeriod: ct.ThresholdGracePeriod, Type: ct.Type,
		Unique: ct.Unique}
	return send[Container](ctx, c, core, http.MethodPut, containersPath+"/"+pathEscape(sid), nil, w)
}

// DeleteContainer deletes a container (204). The sandbox refuses (409)
// while it holds files; CarrierX's answer there is not confirmed.
func (c *Client) DeleteContainer(ctx context.Context, sid string) error {
	if err := requireSID("container_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, containersPath+"/"+pathEscape(sid), nil)
}

// ListStorageFiles returns one page of the partner's files.
func (c *Client) ListStorageFiles(ctx context.Context, opts ListOptions) (*Page[StorageFile], error) {
	return listPage[StorageFile](ctx, c, core, storageFilesPath, opts)
}

// AllStorageFiles iterates over every file matching opts.
func (c *Client) AllStorageFiles(ctx context.Context, opts ListOptions) iter.Seq2[StorageFile, error] {
	return allItems[StorageFile](ctx, c, core, storageFilesPath, opts)
}

// GetStorageFile returns one file's metadata.
func (c *Client) GetStorageFile(ctx context.Context, sid string) (*StorageFile, error) {
	if err := requireSID("file_sid", sid); err != nil {
		return nil, err
	}
	return getOne[StorageFile](ctx, c, core, storageFilesPath+"/"+pathEscape(sid), nil)
}

// UpdateStorageFile changes the fields set in u (PATCH).
func (c *Client) UpdateStorageFile(ctx context.Context, sid string, u StorageFileUpdate) (*StorageFile, error) {
	if err := requireSID("file_sid", sid); err != nil {
		return nil, err
	}
	return send[StorageFile](ctx, c, core, http.MethodPatch, storageFilesPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceStorageFile replaces the file's writable fields with those of f
// (PUT); read-only fields are not sent.
func (c *Client) ReplaceStorageFile(ctx context.Context, sid string, f StorageFile) (*StorageFile, error) {
	if err := requireSID("file_sid", sid); err != nil {
		return nil, err
	}
	w := storageFileWritable{ContainerSID: f.ContainerSID, DesiredBitrate: f.DesiredBitrate, DesiredFormat: f.DesiredFormat,
		FileAccessName: f.FileAccessName, IntegerKey1: f.IntegerKey1, IntegerKey2: f.IntegerKey2,
		LifecycleAction: f.LifecycleAction, LifecycleTTL: f.LifecycleTTL, MimeType: f.MimeType, Name: f.Name,
		ParentFileSID: f.ParentFileSID, Publish: f.Publish, StringKey1: f.StringKey1, StringKey2: f.StringKey2,
		StringKey3: f.StringKey3, StringKey4: f.StringKey4, ThresholdInclude: f.ThresholdInclude, Unique: f.Unique}
	return send[StorageFile](ctx, c, core, http.MethodPut, storageFilesPath+"/"+pathEscape(sid), nil, w)
}

// DeleteStorageFile deletes a file (204), which frees its share of the
// container's quotas.
func (c *Client) DeleteStorageFile(ctx context.Context, sid string) error {
	if err := requireSID("file_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, storageFilesPath+"/"+pathEscape(sid), nil)
}

// UploadFile uploads data into a container (POST /storage/files,
// multipart/form-data: a file_object part with meta as JSON, then a data
// part with the bytes). data is streamed as it is read, never held whole
// in memory; the request is sent chunked, and it is never retried (data
// cannot be read twice). CarrierX answers 201 and the new file.
//
// name is the data part's file name: CarrierX names the file after it when
// meta sets no Name. UploadFile returns once it has stopped reading data.
func (c *Client) UploadFile(ctx context.Context, meta FileUpload, name string, data io.Reader) (*StorageFile, error) {
	if err := requireSID("container_sid", meta.ContainerSID); err != nil {
		return nil, err
	}
	if data == nil {
		return nil, errors.New("carrierx: UploadFile needs a data reader")
	}
	if name == "" {
		if n, ok := meta.Name.Get(); ok {
			name = n
		}
	}
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("carrierx: encoding file_object: %w", err)
	}
	partType := "application/octet-stream"
	if mt, ok := meta.MimeType.Get(); ok && mt != "" {
		partType = mt
	}

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(writeUpload(mw, metaJSON, name, partType, data))
	}()
	var out StorageFile
	err = c.sendStream(ctx, http.MethodPost, storageFilesPath, nil, mw.FormDataContentType(), pr, &out)
	// Stop the writer (a failed or early answer leaves it blocked on the
	// pipe) and wait until it no longer reads data.
	pr.CloseWithError(errUploadDone)
	<-done
	if err != nil {
		return nil, err
	}
	return &out, nil
}

var errUploadDone = errors.New("carrierx: upload finished")

// writeUpload writes the multipart body: file_object, then data.
func writeUpload(mw *multipart.Writer, metaJSON []byte, name, partType string, data io.Reader) error {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file_object"`)
	h.Set("Content-Type", "application/json")
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := w.Write(metaJSON); err != nil {
		return err
	}
	h = textproto.MIMEHeader{}
	disp := `form-data; name="data"`
	if name != "" {
		disp += `; filename=` + strconv.Quote(name)
	}
	h.Set("Content-Disposition", disp)
	h.Set("Content-Type", partType)
	if w, err = mw.CreatePart(h); err != nil {
		return err
	}
	if _, err := io.Copy(w, data); err != nil {
		return fmt.Errorf("carrierx: reading upload data: %w", err)
	}
	return mw.Close()
}

// UploadFileOctetStream uploads data as the whole request body
// (application/octet-stream), with container_sid and name as query
// arguments, the other upload form CarrierX documents. Other metadata is
// set afterwards with UpdateStorageFile.
func (c *Client) UploadFileOctetStream(ctx context.Context, containerSID, name string, data io.Reader) (*StorageFile, error) {
	if err := requireSID("container_sid", containerSID); err != nil {
		return nil, err
	}
	if data == nil {
		return nil, errors.New("carrierx: UploadFileOctetStream needs a data reader")
	}
	q := url.Values{"container_sid": {containerSID}}
	if name != "" {
		q.Set("name", name)
	}
	var out StorageFile
	if err := c.sendStream(ctx, http.MethodPost, storageFilesPath, q, "application/octet-stream", io.NopCloser(data), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// sendStream performs a Core request whose body is read from body as it
// is sent (unknown length, so chunked), and decodes the JSON answer into
// out. It is never retried.
func (c *Client) sendStream(ctx context.Context, method, path string, q url.Values, contentType string, body io.ReadCloser, out any) error {
	if c.baseErr != nil {
		return c.baseErr
	}
	req := &request{method: method, path: core.base + path, query: q}
	target, err := c.buildURL(req)
	if err != nil {
		return err
	}
	ePath := target.EscapedPath()
	ctx, cancel := c.callContext(ctx)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		return fmt.Errorf("carrierx: %s %s: building request: %w", method, ePath, err)
	}
	hreq.ContentLength = -1
	hreq.Header.Set("Content-Type", contentType)
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	switch c.auth {
	case authBearer:
		hreq.Header.Set("Authorization", "Bearer "+c.token)
	case authBasic:
		hreq.SetBasicAuth(c.login, c.password)
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("carrierx: %s %s: %w", method, ePath, ctx.Err())
		}
		return fmt.Errorf("carrierx: %s %s: %w", method, ePath, unwrapURLError(err))
	}
	return c.handleResponse(resp, req, ePath, out)
}

// FileData is a file's bytes being downloaded: read them, then Close.
// ContentType is the file's mime_type as CarrierX answered it, Size the
// Content-Length (-1 when not given).
type FileData struct {
	io.ReadCloser
	ContentType string
	Size        int64
}

// DownloadFile streams a file's bytes (GET /storage/files/{file_sid}/data).
// Nothing is buffered: the caller reads the body and must close it. The
// call's deadline keeps applying while the body is read.
func (c *Client) DownloadFile(ctx context.Context, sid string) (*FileData, error) {
	if err := requireSID("file_sid", sid); err != nil {
		return nil, err
	}
	if c.baseErr != nil {
		return nil, c.baseErr
	}
	req := core.get(storageFilesPath+"/"+pathEscape(sid)+"/data", nil)
	req.accept = "*/*" // any media type; errors still come as CarrierX JSON
	ctx, cancel := c.callContext(ctx)
	resp, ePath, err := c.exchange(ctx, req)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		drainClose(resp.Body)
		cancel()
		return nil, decodeError(resp.StatusCode, req.method, ePath, body)
	}
	return &FileData{
		ReadCloser:  &streamBody{rc: resp.Body, ctx: ctx, cancel: cancel, method: req.method, path: ePath},
		ContentType: resp.Header.Get("Content-Type"),
		Size:        resp.ContentLength,
	}, nil
}
