package sandbox

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"net/http"
	"unicode"
	"unicode/utf8"
)

// Text-to-speech (Core v2 /tts): a read-only catalogue of voices, the same
// for every partner, and POST /tts/texts, which turns a text into audio.
// The Voice object ({"languages": {"en-US": 0}, "voice_sid": "Polly.Joanna"})
// and the two answers of POST /tts/texts (the audio itself, or with
// response_format=file a storage File object) follow CarrierX's TTS pages.
//
// The sandbox synthesises no speech. Its audio is a real WAV file (8 kHz,
// 16-bit mono PCM): a soft tone for each letter or digit and silence for
// everything else, 60 ms per character, so its length follows the text and
// its pitch the voice. CarrierX answers MP3 (audio/mpeg); the sandbox
// answers audio/wav and says so in Content-Type, since it has no MP3 encoder.

func init() {
	extraTables = append(extraTables, ttsVoicesTable)
	seeders = append(seeders, (*Sandbox).seedTTSVoices)
	routeAdders = append(routeAdders, (*Sandbox).ttsRoutes)
}

const ttsVoicesTable = "tts_voices"

// ttsVoiceSchema is the TTS Voice object; both attributes are read-only.
// language is a filter-only key (never answered): the voice's language
// codes, so that "language eq de-DE" finds the voices of a language (a
// dotted key such as languages.de-DE cannot be written, "-" not being a
// filter name character). CarrierX's way of filtering voices by language is
// not confirmed.
var ttsVoiceSchema = newSchema("voice", "voice_sid",
	fld("language", kindArray, elemKind(kindString), external(), ro()),
	fld("languages", kindObject, ro()),
	fld("voice_sid", kindString, ro()),
)

// ttsTextSchema is the body of POST /tts/texts. text is required; the
// other attributes CarrierX's TTS Text object may have are not confirmed
// (voice_sid and language are what a voice is chosen by), and unknown ones
// are refused. The 3000-character limit is the sandbox's.
var ttsTextSchema = newSchema("tts_text", "",
	fld("language", kindString, null(), emptyNull(), maxLen(35)),
	fld("text", kindString, maxLen(ttsMaxChars), check(ttsTextCheck)),
	fld("voice_sid", kindString, null(), emptyNull(), maxLen(255)),
)

const (
	ttsMaxChars        = 3000
	ttsDefaultLanguage = "en-US" // not confirmed: the language used when neither voice nor language is given
	ttsSampleRate      = 8000
	ttsCharDuration    = 60 // milliseconds of audio per character
)

func ttsTextCheck(c *call, v any) string {
	for _, r := range v.(string) {
		if !unicode.IsSpace(r) {
			return ""
		}
	}
	return "text must not be empty"
}

// ttsPolly is the seeded part of Amazon Polly's catalogue: voice name and
// language, each language's voices in order of priority (the first gets 0).
var ttsPolly = []struct{ name, lang string }{
	{"Joanna", "en-US"}, {"Matthew", "en-US"}, {"Ivy", "en-US"}, {"Justin", "en-US"}, {"Kendra", "en-US"},
	{"Kimberly", "en-US"}, {"Salli", "en-US"}, {"Joey", "en-US"},
	{"Amy", "en-GB"}, {"Brian", "en-GB"}, {"Emma", "en-GB"},
	{"Nicole", "en-AU"}, {"Russell", "en-AU"},
	{"Raveena", "en-IN"}, {"Aditi", "en-IN"}, {"Aditi", "hi-IN"},
	{"Geraint", "en-GB-WLS"}, {"Gwyneth", "cy-GB"},
	{"Celine", "fr-FR"}, {"Mathieu", "fr-FR"}, {"Lea", "fr-FR"}, {"Chantal", "fr-CA"},
	{"Hans", "de-DE"}, {"Marlene", "de-DE"}, {"Vicki", "de-DE"},
	{"Conchita", "es-ES"}, {"Enrique", "es-ES"}, {"Lucia", "es-ES"}, {"Mia", "es-MX"},
	{"Penelope", "es-US"}, {"Miguel", "es-US"}, {"Lupe", "es-US"},
	{"Carla", "it-IT"}, {"Giorgio", "it-IT"}, {"Bianca", "it-IT"},
	{"Camila", "pt-BR"}, {"Vitoria", "pt-BR"}, {"Ricardo", "pt-BR"}, {"Ines", "pt-PT"}, {"Cristiano", "pt-PT"},
	{"Lotte", "nl-NL"}, {"Ruben", "nl-NL"}, {"Naja", "da-DK"}, {"Mads", "da-DK"}, {"Liv", "nb-NO"},
	{"Astrid", "sv-SE"}, {"Ewa", "pl-PL"}, {"Jacek", "pl-PL"}, {"Maja", "pl-PL"}, {"Jan", "pl-PL"},
	{"Tatyana", "ru-RU"}, {"Maxim", "ru-RU"}, {"Filiz", "tr-TR"}, {"Carmen", "ro-RO"},
	{"Dora", "is-IS"}, {"Karl", "is-IS"}, {"Mizuki", "ja-JP"}, {"Takumi", "ja-JP"},
	{"Seoyeon", "ko-KR"}, {"Zhiyu", "cmn-CN"}, {"Zeina", "arb"},
}

// ttsInternalLanguages are the languages of CarrierX's own voices, "man" and
// "woman". Which languages they speak, and their priority relative to the
// Polly voices, are not confirmed: they are given a few common languages,
// after every Polly voice of the language.
var ttsInternalLanguages = []string{"en-US", "en-GB", "es-ES", "fr-FR", "de-DE"}

const ttsInternalPriority = 100

// seedTTSVoices stores the catalogue: "man" and "woman", then the Polly
// voices as "Polly.<Name>".
func (s *Sandbox) seedTTSVoices() {
	t := s.table(ttsVoicesTable)
	add := func(sid string, langs object) {
		t.insert(&record{sid: sid, obj: object{"languages": langs, "voice_sid": sid}})
	}
	for _, sid := range []string{"man", "woman"} {
		langs := object{}
		for _, l := range ttsInternalLanguages {
			langs[l] = int64(ttsInternalPriority)
		}
		add(sid, langs)
	}
	rank := map[string]int64{}
	byName := map[string]object{}
	var order []string
	for _, v := range ttsPolly {
		langs, ok := byName[v.name]
		if !ok {
			langs = object{}
			byName[v.name] = langs
			order = append(order, v.name)
		}
		langs[v.lang] = rank[v.lang]
		rank[v.lang]++
	}
	for _, name := range order {
		add("Polly."+name, byName[name])
	}
}

// ttsLanguagesOf lists the language codes of a voice object.
func ttsLanguagesOf(o object) []any {
	langs, _ := o["languages"].(map[string]any)
	out := make([]any, 0, len(langs))
	for l := range langs {
		out = append(out, l)
	}
	return out
}

func (s *Sandbox) ttsVoiceView() *view {
	// Not confirmed: the default page size (the docs' general default, 10,
	// is used) and whether total is given (it is).
	return &view{schema: ttsVoiceSchema, table: s.table(ttsVoicesTable), param: "voice_sid",
		defaultLimit: 10,
		visible:      func(c *call, r *record) bool { return true },
		filterObj: func(c *call, r *record) object {
			o := cloneObject(r.obj)
			o["language"] = ttsLanguagesOf(r.obj)
			return o
		},
	}
}

// ttsPickVoice chooses the voice for a text: the one named (which must speak
// the language, when one is given), else the voice of the highest priority
// (smallest value) for the language. It returns the voice SID or the error
// items to answer.
func (s *Sandbox) ttsPickVoice(voiceSID, lang string) (string, []errItem) {
	voices := s.table(ttsVoicesTable)
	if voiceSID != "" {
		v := voices.get(voiceSID)
		if v == nil {
			return "", []errItem{item("voice_sid", "cannot find voice by sid")}
		}
		if langs, _ := v.obj["languages"].(map[string]any); lang != "" && langs[lang] == nil {
			return "", []errItem{item("language", "voice "+voiceSID+" does not speak "+lang)}
		}
		return voiceSID, nil
	}
	if lang == "" {
		lang = ttsDefaultLanguage
	}
	best, bestRank := "", int64(math.MaxInt64)
	for _, v := range voices.recs {
		langs, _ := v.obj["languages"].(map[string]any)
		if r, ok := intOf(langs[lang]); ok && r < bestRank {
			best, bestRank = v.sid, r
		}
	}
	if best == "" {
		return "", []errItem{item("language", "no voice speaks "+lang)}
	}
	return best, nil
}

// ttsStoreFile stores synthesised audio as a File in one of the caller's
// storage containers and returns the File object, for
// response_format=file. The storage resource sets it; while it is nil no
// container can be found, and response_format=file answers that.
var ttsStoreFile func(c *call, containerSID, name, mimeType string, data []byte, seconds float64) (any, *apiError)

// ttsCreate serves POST /tts/texts.
//
// Query arguments: response_format "stream" (the default: the audio is the
// answer) or "file" (the audio is stored in the container
// response_container_sid and the File object is the answer). The name
// "stream" for the default is not confirmed; an unknown value is a 400.
// response_format=file without response_container_sid is a 400, an unknown
// container a 422 on response_container_sid.
func (s *Sandbox) ttsCreate(c *call) (int, any, *apiError) {
	format := c.q.Get("response_format")
	switch format {
	case "", "stream", "file":
	default:
		return 0, nil, errBadRequest("response_format", "response_format must be stream or file")
	}
	container := c.q.Get("response_container_sid")
	if format == "file" && container == "" {
		return 0, nil, errBadRequest("response_container_sid", "response_container_sid is required with response_format file")
	}
	body, err := decodeJSONBody(c)
	if err != nil {
		return 0, nil, err
	}
	next, errs := applyBody(c, ttsTextSchema, ttsTextSchema.defaults(), body, modeCreate, "")
	if _, ok := body["text"]; !ok {
		errs = append(errs, item("text", "text is required"))
	}
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	voiceSID, _ := next["voice_sid"].(string)
	lang, _ := next["language"].(string)
	voice, errs := s.ttsPickVoice(voiceSID, lang)
	if len(errs) > 0 {
		return 0, nil, errValidation(errs...)
	}
	text := next["text"].(string)
	audio := ttsWAV(text, voice)
	if format != "file" {
		return http.StatusOK, &rawResponse{"audio/wav", audio}, nil
	}
	if ttsStoreFile == nil {
		return 0, nil, errValidation(item("response_container_sid", "cannot find container by sid"))
	}
	sum := sha256.Sum256([]byte(voice + "\x00" + text))
	seconds := float64(utf8.RuneCountInString(text)*ttsCharDuration) / 1000
	file, aerr := ttsStoreFile(c, container, hex.EncodeToString(sum[:])+".wav", "audio/wav", audio, seconds)
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusOK, file, nil
}

// ttsWAV renders text as the sandbox's stand-in for speech: a WAV file of
// 60 ms per character, a tone for letters and digits (its pitch derived
// from the voice) and silence for the rest.
func ttsWAV(text, voice string) []byte {
	perChar := ttsSampleRate * ttsCharDuration / 1000
	n := utf8.RuneCountInString(text) * perChar
	h := sha256.Sum256([]byte(voice))
	freq := 140 + float64(binary.BigEndian.Uint16(h[:2])%160) // 140-299 Hz
	out := make([]byte, 44+2*n)
	copy(out[0:], "RIFF")
	binary.LittleEndian.PutUint32(out[4:], uint32(36+2*n))
	copy(out[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(out[16:], 16)              // fmt chunk size
	binary.LittleEndian.PutUint16(out[20:], 1)               // PCM
	binary.LittleEndian.PutUint16(out[22:], 1)               // mono
	binary.LittleEndian.PutUint32(out[24:], ttsSampleRate)   // sample rate
	binary.LittleEndian.PutUint32(out[28:], ttsSampleRate*2) // byte rate
	binary.LittleEndian.PutUint16(out[32:], 2)               // block align
	binary.LittleEndian.PutUint16(out[34:], 16)              // bits per sample
	copy(out[36:], "data")
	binary.LittleEndian.PutUint32(out[40:], uint32(2*n))
	i := 0
	for _, r := range text {
		voiced := unicode.IsLetter(r) || unicode.IsDigit(r)
		for k := 0; k < perChar; k++ {
			var v int16
			if voiced {
				// A short fade at both ends of each character avoids clicks.
				env := math.Min(1, math.Min(float64(k), float64(perChar-1-k))/40)
				v = int16(6000 * env * math.Sin(2*math.Pi*freq*float64(i)/ttsSampleRate))
			}
			binary.LittleEndian.PutUint16(out[44+2*i:], uint16(v))
			i++
		}
	}
	return out
}

func (s *Sandbox) ttsRoutes(rt *router) {
	v := s.ttsVoiceView()
	rt.handle("GET", "/tts/voices", v.list(nil))
	rt.handle("GET", "/tts/voices/{voice_sid}", v.get())
	rt.handle("POST", "/tts/texts", s.ttsCreate)
}
