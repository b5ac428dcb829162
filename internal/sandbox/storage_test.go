package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	containersURL = "/core/v2/storage/containers"
	filesURL      = "/core/v2/storage/files"
)

// storageBytes is n pseudo-random bytes with runs of zero bytes in them.
func storageBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 99))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	for i := 0; i+64 < n; i += 4096 {
		clear(b[i : i+64])
	}
	return b
}

// multipartUpload builds an upload body: a file_object part (when meta is
// not nil) and a data part named filename.
func multipartUpload(t *testing.T, meta any, filename, partType string, data []byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if meta != nil {
		b, err := json.Marshal(meta)
		if err != nil {
			t.Fatal(err)
		}
		if err := mw.WriteField("file_object", string(b)); err != nil {
			t.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="data"; filename="`+filename+`"`)
	if partType != "" {
		h.Set("Content-Type", partType)
	}
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.String()
}

func (e *testEnv) upload(a auth, containerSID, filename string, data []byte) resp {
	e.t.Helper()
	ct, body := multipartUpload(e.t, map[string]any{"container_sid": containerSID}, filename, "", data)
	return e.do(a, "POST", filesURL, ct, body)
}

// seededContainer is the partner's seeded container.
func seededContainer(t *testing.T, e *testEnv, a auth) map[string]any {
	t.Helper()
	its := items(t, e.mustJSON(200, e.get(a, containersURL)))
	if len(its) != 1 {
		t.Fatalf("%d containers, want the seeded one", len(its))
	}
	return its[0]
}

func TestStorageContainerShapesAndLimits(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	seeded := seededContainer(t, e, demo)
	theirs := seededContainer(t, e, other)
	if seeded["container_sid"] == theirs["container_sid"] {
		t.Fatal("partners share a container")
	}

	c := e.mustJSON(200, e.sendJSON(demo, "POST", containersURL, `{}`))
	want := "allow_publish,allowed_classifications,available_bytes_percent,available_files_percent,blocked_classifications," +
		"container_sid,default_file_lifecycle_action,default_file_lifecycle_ttl,default_file_publish," +
		"default_file_threshold_include,default_file_unique,durability_class,encrypted,external_attributes," +
		"integer_key_1,integer_key_2,name,parent_container_sid,partner_sid,publish_domain,quota_bytes,quota_files," +
		"string_key_1,string_key_2,string_key_3,string_key_4,threshold_action,threshold_available_bytes_percent," +
		"threshold_available_files_percent,threshold_bytes,threshold_bytes_target,threshold_files," +
		"threshold_files_target,threshold_grace_period,threshold_total_bytes,threshold_total_files,total_bytes," +
		"total_files,type,unique"
	if got := shortKeyList(c); got != want {
		t.Fatalf("container keys\n%s\nwant\n%s", got, want)
	}
	// The documented sample's values.
	for k, v := range map[string]any{"allow_publish": true, "available_bytes_percent": 100.0, "available_files_percent": 100.0,
		"default_file_lifecycle_action": "no_action", "default_file_lifecycle_ttl": -1.0, "default_file_publish": "file_sid",
		"default_file_threshold_include": true, "default_file_unique": false, "durability_class": "unassigned",
		"encrypted": false, "name": "N/A", "publish_domain": "https://storage.carrierx.com", "quota_bytes": 1073741824.0,
		"quota_files": 100.0, "threshold_grace_period": 0.0, "total_bytes": 0.0, "total_files": 0.0, "type": "internal",
		"unique": false, "partner_sid": e.s.DemoPartner().PartnerSID, "threshold_action": nil} {
		if c[k] != v {
			t.Errorf("%s = %v, want %v", k, c[k], v)
		}
	}

	list := e.mustJSON(200, e.get(demo, containersURL))
	if list["total"] != 2.0 || list["limit"] != 1000.0 {
		t.Fatalf("envelope: %s", compactJSON(t, list))
	}
	// Two containers per partner.
	checkError(t, e.sendJSON(demo, "POST", containersURL, `{"name":"third"}`), 422, "object validation error", nil)
	checkError(t, e.get(other, containersURL+"/"+c["container_sid"].(string)), 404, "no item error", nil)
	checkError(t, e.sendJSON(other, "PATCH", containersURL+"/"+c["container_sid"].(string), `{"name":"x"}`), 404, "no item error", nil)
	checkError(t, e.sendJSON(demo, "PATCH", containersURL+"/"+c["container_sid"].(string), `{"total_bytes":5}`), 422, "object validation error", "total_bytes")
	checkError(t, e.sendJSON(demo, "PATCH", containersURL+"/"+c["container_sid"].(string), `{"allowed_classifications":["music"]}`), 422, "object validation error", "allowed_classifications")
	checkError(t, e.sendJSON(demo, "PATCH", containersURL+"/"+c["container_sid"].(string), `{"type":"external"}`), 422, "object validation error", "type")
	checkError(t, e.sendJSON(demo, "PATCH", containersURL+"/"+c["container_sid"].(string), `{"parent_container_sid":"`+theirs["container_sid"].(string)+`"}`), 422, "object validation error", "parent_container_sid")

	got := e.mustJSON(200, e.sendJSON(demo, "PATCH", containersURL+"/"+c["container_sid"].(string), `{"name":"recordings","quota_files":4}`))
	if got["name"] != "recordings" || got["quota_files"] != 4.0 || got["quota_bytes"] != 1073741824.0 {
		t.Fatalf("PATCH: %v", got)
	}
	got = e.mustJSON(200, e.sendJSON(demo, "PUT", containersURL+"/"+c["container_sid"].(string), `{"name":"replaced"}`))
	if got["name"] != "replaced" || got["quota_files"] != 100.0 {
		t.Fatalf("PUT resets what it leaves out: %v", got)
	}
	checkError(t, e.do(other, "DELETE", containersURL+"/"+c["container_sid"].(string), "", ""), 404, "no item error", nil)
	if r := e.do(demo, "DELETE", containersURL+"/"+c["container_sid"].(string), "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	e.mustJSON(200, e.sendJSON(demo, "POST", containersURL, `{}`)) // a slot is free again
}

func TestStorageUploadRoundTrip(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	ct := seededContainer(t, e, demo)
	csid := ct["container_sid"].(string)
	data := storageBytes(3<<20+17, 1)

	f := e.mustJSON(201, e.upload(demo, csid, "my_audio.mp3", data))
	want := "container_sid,content_classification,content_duration,content_format,content_transcoding_progress," +
		"date_last_accessed,date_modified,desired_bitrate,desired_format,file_access_name,file_bytes,file_sid," +
		"integer_key_1,integer_key_2,lifecycle_action,lifecycle_ttl,mime_type,name,parent_file_sid,partner_sid," +
		"publish,publish_uri,string_key_1,string_key_2,string_key_3,string_key_4,threshold_include,type,unique"
	if got := shortKeyList(f); got != want {
		t.Fatalf("file keys\n%s\nwant\n%s", got, want)
	}
	fsid := f["file_sid"].(string)
	for k, v := range map[string]any{"container_sid": csid, "content_format": "mp3", "file_access_name": fsid + ".mp3",
		"file_bytes": float64(len(data)), "lifecycle_action": "no_action", "lifecycle_ttl": -1.0, "mime_type": "audio/mpeg",
		"name": "my_audio.mp3", "publish": "file_sid", "publish_uri": "https://storage.carrierx.com/f/" + fsid,
		"threshold_include": true, "type": "file", "unique": false, "content_classification": "media",
		"date_last_accessed": nil, "date_modified": formatTS(fixedNow()), "partner_sid": e.s.DemoPartner().PartnerSID} {
		if f[k] != v {
			t.Errorf("%s = %v, want %v", k, f[k], v)
		}
	}

	r := e.get(demo, filesURL+"/"+fsid+"/data")
	if r.status != 200 || !bytes.Equal(r.body, data) {
		t.Fatalf("download: status %d, %d bytes (want %d), equal %v", r.status, len(r.body), len(data), bytes.Equal(r.body, data))
	}
	if r.header.Get("Content-Type") != "audio/mpeg" || r.header.Get("Content-Length") != strconv.Itoa(len(data)) {
		t.Fatalf("download headers: %v", r.header)
	}
	got := e.mustJSON(200, e.get(demo, filesURL+"/"+fsid))
	if got["date_last_accessed"] != formatTS(fixedNow()) {
		t.Fatalf("date_last_accessed after a download: %v", got["date_last_accessed"])
	}

	c2 := e.mustJSON(200, e.get(demo, containersURL+"/"+csid))
	if c2["total_bytes"] != float64(len(data)) || c2["total_files"] != 1.0 || c2["available_files_percent"] != 99.0 ||
		c2["threshold_total_bytes"] != float64(len(data)) || c2["threshold_total_files"] != 1.0 {
		t.Fatalf("container counters: %s", compactJSON(t, c2))
	}

	// application/octet-stream with container_sid and name in the query.
	small := storageBytes(1000, 2)
	q := url.Values{"container_sid": {csid}, "name": {"notes.txt"}}
	f2 := e.mustJSON(201, e.do(demo, "POST", filesURL+"?"+q.Encode(), "application/octet-stream", string(small)))
	if f2["name"] != "notes.txt" || f2["mime_type"] != "text/plain" || f2["file_bytes"] != 1000.0 || f2["content_classification"] != "document" {
		t.Fatalf("octet-stream upload: %v", f2)
	}
	if r := e.get(demo, filesURL+"/"+f2["file_sid"].(string)+"/data"); !bytes.Equal(r.body, small) {
		t.Fatal("octet-stream round trip differs")
	}
	// An empty file and a metadata-given mime type.
	ctype, body := multipartUpload(t, map[string]any{"container_sid": csid, "name": "blank", "mime_type": "application/x-custom"}, "x.bin", "", nil)
	f3 := e.mustJSON(201, e.do(demo, "POST", filesURL, ctype, body))
	if f3["file_bytes"] != 0.0 || f3["mime_type"] != "application/x-custom" || f3["name"] != "blank" || f3["content_format"] != nil {
		t.Fatalf("empty upload: %v", f3)
	}
	if r := e.get(demo, filesURL+"/"+f3["file_sid"].(string)+"/data"); r.status != 200 || len(r.body) != 0 ||
		r.header.Get("Content-Type") != "application/x-custom" {
		t.Fatalf("empty download: %d %q %v", r.status, r.body, r.header)
	}

	list := e.mustJSON(200, e.get(demo, filesURL+"?filter="+url.QueryEscape("container_sid eq "+csid)+"&order=file_bytes+desc"))
	its := items(t, list)
	if len(its) != 3 || its[0]["file_sid"] != fsid || list["limit"] != 10.0 || list["total"] != 3.0 {
		t.Fatalf("files list: %s", compactJSON(t, list))
	}
}

func TestStorageDownloadAccessMovesOncePerMinute(t *testing.T) {
	clk := &clock{t: fixedNow()}
	e := newEnv(t, Config{Seed: 7, AvailableDIDs: 50, RentedDIDs: -1, Now: clk.now})
	demo := basicAuth(e.s.DemoPartner())
	csid := seededContainer(t, e, demo)["container_sid"].(string)
	f := e.mustJSON(201, e.upload(demo, csid, "a.txt", []byte("hello")))
	path := filesURL + "/" + f["file_sid"].(string)
	e.get(demo, path+"/data")
	first := formatTS(clk.now())
	clk.add(30 * time.Second)
	e.get(demo, path+"/data")
	if got := e.mustJSON(200, e.get(demo, path))["date_last_accessed"]; got != first {
		t.Fatalf("after 30s: %v, want %v", got, first)
	}
	clk.add(31 * time.Second)
	e.get(demo, path+"/data")
	if got := e.mustJSON(200, e.get(demo, path))["date_last_accessed"]; got != formatTS(clk.now()) {
		t.Fatalf("after 61s: %v", got)
	}
	if r := e.do(demo, "HEAD", path+"/data", "", ""); r.status != 200 || r.header.Get("Content-Length") != "5" {
		t.Fatalf("HEAD: %d %v", r.status, r.header)
	}
}

func TestStorageQuotas(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	csid := seededContainer(t, e, demo)["container_sid"].(string)
	cpath := containersURL + "/" + csid
	e.mustJSON(200, e.sendJSON(demo, "PATCH", cpath, `{"quota_bytes":10000,"quota_files":2}`))

	a := e.mustJSON(201, e.upload(demo, csid, "a.bin", storageBytes(6000, 3)))
	c := e.mustJSON(200, e.get(demo, cpath))
	if c["available_bytes_percent"] != 40.0 || c["available_files_percent"] != 50.0 {
		t.Fatalf("percentages: %s", compactJSON(t, c))
	}
	// 4000 bytes are free: 4001 do not fit, and nothing is stored.
	checkError(t, e.upload(demo, csid, "b.bin", storageBytes(4001, 4)), 422, "object validation error", "data")
	checkError(t, e.sendJSON(demo, "PATCH", cpath, `{"quota_bytes":5999}`), 422, "object validation error", "quota_bytes")
	e.mustJSON(201, e.upload(demo, csid, "b.bin", storageBytes(4000, 4)))
	checkError(t, e.upload(demo, csid, "c.bin", nil), 422, "object validation error", "container_sid")
	checkError(t, e.sendJSON(demo, "PATCH", cpath, `{"quota_files":1}`), 422, "object validation error", "quota_files")
	if n := e.mustJSON(200, e.get(demo, filesURL))["total"]; n != 2.0 {
		t.Fatalf("%v files stored, want 2", n)
	}

	// A container with files stays; deleting a file frees its quota.
	m := checkError(t, e.do(demo, "DELETE", cpath, "", ""), 409, "conflict error", "container_sid")
	if ref := m["errors"].([]any)[0].(map[string]any)["reference_sid"]; ref == nil {
		t.Error("the conflict names a file")
	}
	if r := e.do(demo, "DELETE", filesURL+"/"+a["file_sid"].(string), "", ""); r.status != 204 {
		t.Fatalf("delete file: %d %s", r.status, r.body)
	}
	checkError(t, e.get(demo, filesURL+"/"+a["file_sid"].(string)+"/data"), 404, "no item error", nil)
	c = e.mustJSON(200, e.get(demo, cpath))
	if c["total_bytes"] != 4000.0 || c["total_files"] != 1.0 {
		t.Fatalf("after delete: %s", compactJSON(t, c))
	}
	e.mustJSON(201, e.upload(demo, csid, "d.bin", storageBytes(6000, 5)))

	// Classifications.
	e.mustJSON(200, e.sendJSON(demo, "PATCH", cpath, `{"quota_files":10,"quota_bytes":100000,"allowed_classifications":["media"]}`))
	checkError(t, e.upload(demo, csid, "x.pdf", []byte("%PDF-")), 422, "object validation error", "content_classification")
	e.mustJSON(200, e.sendJSON(demo, "PATCH", cpath, `{"allowed_classifications":[],"blocked_classifications":["document"]}`))
	checkError(t, e.upload(demo, csid, "x.pdf", []byte("%PDF-")), 422, "object validation error", "content_classification")
}

func TestStorageUploadOverTheSandboxCap(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	csid := seededContainer(t, e, demo)["container_sid"].(string)
	e.mustJSON(200, e.sendJSON(demo, "PATCH", containersURL+"/"+csid, `{"quota_bytes":1000000000000}`))
	defer func(n int64) { storageMaxUpload = n }(storageMaxUpload)
	storageMaxUpload = 1 << 20
	// A body longer than the cap, streamed: answered with a 413 once the cap
	// is passed, and the client still gets the answer.
	pr, pw := io.Pipe()
	go func() {
		chunk := make([]byte, 64<<10)
		for i := 0; i < 40; i++ {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", e.srv.URL+filesURL+"?container_sid="+csid+"&name=big.bin", pr)
	req.Header.Set("Content-Type", "application/octet-stream")
	req.SetBasicAuth(e.s.DemoPartner().Login, e.s.DemoPartner().Password)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	checkError(t, resp{res.StatusCode, res.Header, b}, 413, "request entity too large", "data")
}

func TestStorageFileUpdatesAndErrors(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	csid := seededContainer(t, e, demo)["container_sid"].(string)
	theirs := seededContainer(t, e, other)["container_sid"].(string)
	f := e.mustJSON(201, e.upload(demo, csid, "clip.wav", []byte("RIFF....")))
	g := e.mustJSON(201, e.upload(demo, csid, "other.wav", []byte("RIFF....")))
	fpath := filesURL + "/" + f["file_sid"].(string)

	got := e.mustJSON(200, e.sendJSON(demo, "PATCH", fpath, `{"name":"new_name","mime_type":"audio/x-wav","lifecycle_ttl":3600,"threshold_include":false}`))
	if got["name"] != "new_name" || got["mime_type"] != "audio/x-wav" || got["lifecycle_ttl"] != 3600.0 || got["file_access_name"] != f["file_access_name"] {
		t.Fatalf("PATCH: %v", got)
	}
	if r := e.get(demo, fpath+"/data"); r.header.Get("Content-Type") != "audio/x-wav" {
		t.Fatalf("Content-Type follows mime_type: %v", r.header)
	}
	if c := e.mustJSON(200, e.get(demo, containersURL+"/"+csid)); c["threshold_total_files"] != 1.0 || c["total_files"] != 2.0 {
		t.Fatalf("threshold counters: %s", compactJSON(t, c))
	}
	got = e.mustJSON(200, e.get(demo, fpath)) // read-modify-write: the download moved date_last_accessed
	got["name"] = "put_name"
	got = e.mustJSON(200, e.sendJSON(demo, "PUT", fpath, got))
	if got["name"] != "put_name" || got["mime_type"] != "audio/x-wav" {
		t.Fatalf("PUT: %v", got)
	}

	e.mustJSON(200, e.sendJSON(demo, "PATCH", containersURL+"/"+csid, `{"allow_publish":false}`))
	if got := e.mustJSON(200, e.get(demo, fpath)); got["publish_uri"] != nil {
		t.Fatalf("publish_uri of an unpublished container's file: %v", got["publish_uri"])
	}
	e.mustJSON(200, e.sendJSON(demo, "PATCH", containersURL+"/"+csid, `{"allow_publish":true,"publish_domain":"https://files.example.com"}`))
	if got := e.mustJSON(200, e.get(demo, fpath)); got["publish_uri"] != "https://files.example.com/f/"+f["file_sid"].(string) {
		t.Fatalf("publish_uri follows the container: %v", got["publish_uri"])
	}

	checkError(t, e.sendJSON(demo, "PATCH", fpath, `{"file_access_name":"`+g["file_access_name"].(string)+`"}`), 422, "object validation error", "file_access_name")
	checkError(t, e.sendJSON(demo, "PATCH", fpath, `{"container_sid":"`+theirs+`"}`), 422, "object validation error", "container_sid")
	checkError(t, e.sendJSON(demo, "PATCH", fpath, `{"file_bytes":1}`), 422, "object validation error", "file_bytes")
	checkError(t, e.sendJSON(demo, "PATCH", fpath, `{"desired_bitrate":100}`), 422, "object validation error", "desired_bitrate")
	checkError(t, e.sendJSON(demo, "PATCH", fpath, `{"mime_type":"mp3"}`), 422, "object validation error", "mime_type")
	checkError(t, e.sendJSON(demo, "PATCH", fpath, `{"publish":"custom"}`), 422, "object validation error", "publish")

	for _, r := range []resp{e.get(other, fpath), e.get(other, fpath+"/data"), e.sendJSON(other, "PATCH", fpath, `{"name":"x"}`),
		e.do(other, "DELETE", fpath, "", "")} {
		checkError(t, r, 404, "no item error", nil)
	}
	if its := items(t, e.mustJSON(200, e.get(other, filesURL))); len(its) != 0 {
		t.Fatalf("the other partner lists %d files", len(its))
	}
	checkError(t, e.upload(other, csid, "x.txt", []byte("x")), 422, "object validation error", "container_sid")
	checkError(t, e.upload(demo, "00000000-0000-4000-8000-000000000000", "x.txt", []byte("x")), 422, "object validation error", "container_sid")
	checkError(t, e.do(demo, "POST", filesURL, "application/json", `{"container_sid":"`+csid+`"}`), 415, "unsupported media type", nil)
	checkError(t, e.do(demo, "POST", filesURL+"?container_sid="+csid+"&color=red", "application/octet-stream", "x"), 400, "bad request", "color")
	ctype, body := multipartUpload(t, map[string]any{"container_sid": csid, "colour": "red"}, "x.txt", "", []byte("x"))
	checkError(t, e.do(demo, "POST", filesURL, ctype, body), 422, "object validation error", "colour")
	ctype, body = multipartUpload(t, nil, "x.txt", "", []byte("x"))
	checkError(t, e.do(demo, "POST", filesURL, ctype, body), 422, "object validation error", "container_sid")
	ctype, body = multipartUpload(t, map[string]any{"container_sid": csid}, "x.txt", "", []byte("x"))
	checkError(t, e.do(demo, "POST", filesURL, ctype, strings.Replace(body, `name="data"`, `name="file"`, 1)), 400, "bad request", "file")
}
