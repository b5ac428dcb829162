package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestStorageFiles: containers and their files are listed, a file is
// downloaded byte for byte as an attachment, and deleted behind a
// confirmation, audited; another partner reaches none of it.
func TestStorageFiles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ct, err := cx.CreateContainer(ctx, carrierx.ContainerUpdate{Name: carrierx.Set("Recordings")})
	require.NoError(t, err)
	wav := "RIFF....WAVEfmt <script>alert(1)</script>" + strings.Repeat("\x00\x01", 500)
	f, err := cx.UploadFileOctetStream(ctx, ct.ContainerSID, "standup 2026-11-29.wav", strings.NewReader(wav))
	require.NoError(t, err)
	b := e.browser()
	b.signIn("demo", "demo")
	assert.Contains(t, b.get("/account").Body, `href="/storage"`)

	list := b.get("/storage")
	require.Equal(t, http.StatusOK, list.StatusCode)
	assert.Contains(t, list.Body, `href="/storage/`+ct.ContainerSID+`"`)
	assert.Contains(t, list.Body, "Recordings")

	page := b.get("/storage/" + ct.ContainerSID)
	require.Equal(t, http.StatusOK, page.StatusCode)
	assert.Contains(t, page.Body, `id="file-`+f.FileSID+`"`)
	assert.Contains(t, page.Body, "standup 2026-11-29.wav")
	assert.Contains(t, page.Body, "1.0 KB")
	assert.Contains(t, page.Body, `hx-confirm="Delete standup 2026-11-29.wav (1.0 KB) for good?"`)

	dl := b.get("/storage/files/" + f.FileSID + "/download")
	require.Equal(t, http.StatusOK, dl.StatusCode)
	assert.Equal(t, wav, dl.Body, "byte for byte")
	assert.Equal(t, `attachment; filename="standup 2026-11-29.wav"`, dl.Header.Get("Content-Disposition"))
	assert.Contains(t, dl.Header.Get("Content-Security-Policy"), "sandbox")

	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.get("/storage/"+ct.ContainerSID).StatusCode)
	assert.Equal(t, http.StatusNotFound, o.get("/storage/files/"+f.FileSID+"/download").StatusCode)
	assert.Equal(t, http.StatusNotFound, o.post("/storage/files/"+f.FileSID+"/delete", url.Values{}, true).StatusCode)
	assert.NotContains(t, o.get("/storage").Body, "Recordings")

	// Upload a prompt through the console: it arrives byte for byte.
	prompt := strings.Repeat("prompt-bytes;", 4000)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	require.NoError(t, mw.WriteField("_csrf", b.csrf))
	require.NoError(t, mw.WriteField("name", "welcome.wav"))
	fw, err := mw.CreateFormFile("file", "C:\\prompts\\greeting.wav")
	require.NoError(t, err)
	_, err = fw.Write([]byte(prompt))
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, e.console.URL+"/storage/"+ct.ContainerSID+"/upload", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	up := b.do(req)
	require.Equal(t, http.StatusSeeOther, up.StatusCode, up.Body)
	page = b.get("/storage/" + ct.ContainerSID)
	assert.Contains(t, page.Body, "Uploaded welcome.wav (50.8 KB).")
	files, err := cx.ListStorageFiles(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("name", "welcome.wav")})
	require.NoError(t, err)
	require.Len(t, files.Items, 1)
	back := b.get("/storage/files/" + files.Items[0].FileSID + "/download")
	assert.Equal(t, prompt, back.Body)
	noFile := b.post("/storage/"+ct.ContainerSID+"/upload", url.Values{"_csrf": {b.csrf}}, false)
	assert.Equal(t, http.StatusSeeOther, noFile.StatusCode)
	assert.Contains(t, b.get("/storage/"+ct.ContainerSID).Body, "Choose a file to upload.")
	assert.Equal(t, http.StatusNotFound, o.post("/storage/"+ct.ContainerSID+"/upload", url.Values{"_csrf": {o.csrf}}, false).StatusCode)

	gone := b.post("/storage/files/"+f.FileSID+"/delete", url.Values{}, true)
	require.Equal(t, http.StatusOK, gone.StatusCode)
	assert.Contains(t, gone.Body, "Deleted standup 2026-11-29.wav.")
	assert.NotContains(t, gone.Body, `id="file-`)
	_, err = cx.GetStorageFile(ctx, f.FileSID)
	assert.True(t, carrierx.IsNotFound(err))
	assert.NotContains(t, b.get("/storage/"+ct.ContainerSID).Body, `id="file-`+f.FileSID+`"`)
	assert.ElementsMatch(t, []string{"upload/ok", "delete/ok"}, actionsOf(auditOf(t, e, "storage file")))
}

// TestTextToSpeechPrompt: a prompt is made from text into a container, with
// a voice CarrierX offers; it is a real audio file.
func TestTextToSpeechPrompt(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cx := e.demoClient()
	ct, err := cx.CreateContainer(ctx, carrierx.ContainerUpdate{Name: carrierx.Set("Prompts")})
	require.NoError(t, err)
	voices, err := cx.ListTTSVoices(ctx, carrierx.ListOptions{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, voices.Items)
	voice := voices.Items[0].VoiceSID
	b := e.browser()
	b.signIn("demo", "demo")
	base := "/storage/" + ct.ContainerSID
	page := b.get(base)
	assert.Contains(t, page.Body, `<option value="`+voice+`">`)

	files := func() []carrierx.StorageFile {
		l, err := cx.ListStorageFiles(ctx, carrierx.ListOptions{Filter: carrierx.Filter{}.Eq("container_sid", ct.ContainerSID)})
		require.NoError(t, err)
		return l.Items
	}
	empty := b.post(base+"/speech", url.Values{"_csrf": {b.csrf}, "text": {"  "}, "voice": {voice}}, false)
	assert.Equal(t, http.StatusSeeOther, empty.StatusCode)
	assert.Contains(t, b.get(base).Body, "Write the text to speak.")
	assert.Empty(t, files())

	made := b.post(base+"/speech", url.Values{"_csrf": {b.csrf}, "text": {"Welcome to Demo Telecom. Please hold."}, "voice": {voice}}, false)
	require.Equal(t, http.StatusSeeOther, made.StatusCode)
	assert.Contains(t, b.get(base).Body, "Made the prompt ")
	list := files()
	require.Len(t, list, 1)
	audio := b.get("/storage/files/" + list[0].FileSID + "/download")
	require.Equal(t, http.StatusOK, audio.StatusCode)
	assert.True(t, strings.HasPrefix(audio.Body, "RIFF") || strings.HasPrefix(audio.Body, "ID3"), "an audio file")

	o := e.browser()
	o.signIn("other", "other")
	assert.Equal(t, http.StatusNotFound, o.post(base+"/speech", url.Values{"_csrf": {o.csrf}, "text": {"x"}, "voice": {voice}}, false).StatusCode)
	assert.ElementsMatch(t, []string{"text to speech/ok"}, actionsOf(auditOf(t, e, "storage file")))
}
