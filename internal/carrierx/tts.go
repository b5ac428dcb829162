package carrierx

import (
	"context"
	"io"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// TTSVoice is a text-to-speech voice: CarrierX's own ("man", "woman") or an
// Amazon Polly one ("Polly.Joanna"). Languages maps each language code the
// voice speaks to its priority there (smaller comes first).
type TTSVoice struct {
	Languages map[string]int `json:"languages"`
	VoiceSID  string         `json:"voice_sid"`
}

// Speaks reports whether the voice speaks the language (e.g. "en-US").
func (v TTSVoice) Speaks(lang string) bool {
	_, ok := v.Languages[lang]
	return ok
}

// TTSText is the body of POST /tts/texts. Text is required; without VoiceSID
// the voice of the highest priority for Language is used. Language alone
// chooses the voice; with VoiceSID it must be one the voice speaks.
type TTSText struct {
	Text     string `json:"text"`
	VoiceSID string `json:"voice_sid,omitempty"`
	Language string `json:"language,omitempty"`
}

// TTSFile is the storage File object that POST /tts/texts answers with
// response_format=file: the parts of it that describe the audio.
type TTSFile struct {
	ContainerSID    string     `json:"container_sid"`
	ContentDuration *float64   `json:"content_duration"` // seconds
	ContentFormat   *string    `json:"content_format"`   // "mp3" at CarrierX, "wav" in the sandbox
	DateModified    *time.Time `json:"date_modified"`
	FileBytes       int64      `json:"file_bytes"`
	FileSID         string     `json:"file_sid"`
	MimeType        *string    `json:"mime_type"`
	Name            string     `json:"name"`
	PartnerSID      string     `json:"partner_sid"`
	PublishURI      *string    `json:"publish_uri"`
}

const (
	ttsVoicesPath = "/tts/voices"
	ttsTextsPath  = "/tts/texts"
)

// ListTTSVoices returns one page of the voice catalogue. The sandbox also
// filters on a "language" key (Filter{}.Eq("language", "de-DE")); CarrierX's
// way of filtering by language is not confirmed.
func (c *Client) ListTTSVoices(ctx context.Context, opts ListOptions) (*Page[TTSVoice], error) {
	return listPage[TTSVoice](ctx, c, core, ttsVoicesPath, opts)
}

// AllTTSVoices iterates over every voice matching opts.
func (c *Client) AllTTSVoices(ctx context.Context, opts ListOptions) iter.Seq2[TTSVoice, error] {
	return allItems[TTSVoice](ctx, c, core, ttsVoicesPath, opts)
}

// GetTTSVoice returns one voice ("Polly.Joanna").
func (c *Client) GetTTSVoice(ctx context.Context, sid string) (*TTSVoice, error) {
	if err := requireSID("voice_sid", sid); err != nil {
		return nil, err
	}
	return getOne[TTSVoice](ctx, c, core, ttsVoicesPath+"/"+pathEscape(sid), nil)
}

// SynthesizeSpeech turns t into audio (POST /tts/texts) and returns the
// audio as it arrives, unbuffered; the caller must close it. CarrierX answers
// MP3; the sandbox answers WAV (its Content-Type says which, and so do the
// first bytes).
func (c *Client) SynthesizeSpeech(ctx context.Context, t TTSText) (io.ReadCloser, error) {
	if t.Text == "" {
		return nil, errEmpty("text")
	}
	req := &request{method: http.MethodPost, path: core.base + ttsTextsPath, body: t,
		// Errors still come as CarrierX JSON.
		accept: "audio/*, application/json;q=0.9, */*;q=0.1"}
	return c.stream(ctx, req)
}

// SynthesizeSpeechToFile turns t into audio stored as a file in one of the
// partner's storage containers (POST /tts/texts?response_format=file) and
// returns that file.
func (c *Client) SynthesizeSpeechToFile(ctx context.Context, containerSID string, t TTSText) (*TTSFile, error) {
	if err := requireSID("response_container_sid", containerSID); err != nil {
		return nil, err
	}
	if t.Text == "" {
		return nil, errEmpty("text")
	}
	q := url.Values{"response_format": {"file"}, "response_container_sid": {containerSID}}
	return send[TTSFile](ctx, c, core, http.MethodPost, ttsTextsPath, q, t)
}
