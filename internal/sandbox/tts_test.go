package sandbox

import (
	"encoding/binary"
	"slices"
	"testing"
)

const (
	ttsVoicesURL = "/core/v2/tts/voices"
	ttsTextsURL  = "/core/v2/tts/texts"
)

func TestTTSVoices(t *testing.T) {
	e := smallEnv(t)
	demo, other := basicAuth(e.s.DemoPartner()), basicAuth(e.s.OtherPartner())
	// The docs' sample voice, exactly.
	j := e.get(demo, ttsVoicesURL+"/Polly.Joanna")
	if j.status != 200 || string(j.body) != `{"languages":{"en-US":0},"voice_sid":"Polly.Joanna"}`+"\n" {
		t.Fatalf("Polly.Joanna: %d %s", j.status, j.body)
	}
	list := e.mustJSON(200, e.get(demo, ttsVoicesURL))
	total := int(list["total"].(float64))
	if list["limit"] != float64(10) || len(items(t, list)) != 10 || total < 50 || list["has_more"] != true {
		t.Fatalf("envelope: %v", list)
	}
	if o := e.mustJSON(200, e.get(other, ttsVoicesURL)); o["total"] != list["total"] {
		t.Errorf("the catalogue is the same for every partner")
	}
	var all []string
	for off := 0; off < total; off += 7 {
		for _, v := range items(t, e.mustJSON(200, e.get(demo, ttsVoicesURL+"?limit=7&offset="+itoa(off)))) {
			all = append(all, v["voice_sid"].(string))
		}
	}
	if len(all) != total || all[0] != "man" || all[1] != "woman" || !slices.Contains(all, "Polly.Hans") {
		t.Fatalf("paging: %v", all)
	}

	de := items(t, e.mustJSON(200, e.get(demo, ttsVoicesURL+"?filter=language+eq+de-DE&order=voice_sid")))
	var names []string
	for _, v := range de {
		names = append(names, v["voice_sid"].(string))
		if _, ok := v["language"]; ok {
			t.Errorf("the filter key is answered: %v", v)
		}
	}
	if !slices.Equal(names, []string{"Polly.Hans", "Polly.Marlene", "Polly.Vicki", "man", "woman"}) {
		t.Errorf("German voices: %v", names)
	}
	aditi := e.mustJSON(200, e.get(demo, ttsVoicesURL+"/Polly.Aditi"))
	if langs := aditi["languages"].(map[string]any); langs["hi-IN"] != float64(0) || langs["en-IN"] != float64(1) {
		t.Errorf("a bilingual voice: %v", aditi)
	}
	if n := len(items(t, e.mustJSON(200, e.get(demo, ttsVoicesURL+"?filter=voice_sid+like+'Polly.J%25'&limit=100")))); n != 5 {
		t.Errorf("Polly.J*: %d", n)
	}
	checkError(t, e.get(demo, ttsVoicesURL+"/Polly.Nobody"), 404, "no item error", nil)
	checkError(t, e.get(demo, ttsVoicesURL+"?filter=gender+eq+female"), 400, "bad request", "filter")
}

// wavInfo checks a WAV file's RIFF header and returns its sample rate and the
// length of its PCM data in bytes.
func wavInfo(t *testing.T, b []byte) (rate, data int) {
	t.Helper()
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("not a WAV file: % x", b[:min(len(b), 44)])
	}
	if int(binary.LittleEndian.Uint32(b[4:])) != len(b)-8 {
		t.Errorf("RIFF size %d, file %d", binary.LittleEndian.Uint32(b[4:]), len(b))
	}
	if binary.LittleEndian.Uint16(b[20:]) != 1 || binary.LittleEndian.Uint16(b[22:]) != 1 || binary.LittleEndian.Uint16(b[34:]) != 16 {
		t.Errorf("not 16-bit mono PCM")
	}
	data = int(binary.LittleEndian.Uint32(b[40:]))
	if data != len(b)-44 {
		t.Errorf("data size %d, file %d", data, len(b))
	}
	return int(binary.LittleEndian.Uint32(b[24:])), data
}

func TestTTSTexts(t *testing.T) {
	e := smallEnv(t)
	demo := basicAuth(e.s.DemoPartner())
	r := e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"This is my text for text-to-speech."}`)
	if r.status != 200 || r.header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("%d %s: %.200s", r.status, r.header.Get("Content-Type"), r.body)
	}
	rate, data := wavInfo(t, r.body)
	text := "This is my text for text-to-speech."
	if rate != 8000 || data != len(text)*2*8000*60/1000 {
		t.Errorf("rate %d, data %d bytes for %d characters", rate, data, len(text))
	}
	var loud bool
	for i := 44; i+1 < len(r.body); i += 2 {
		if int16(binary.LittleEndian.Uint16(r.body[i:])) > 1000 {
			loud = true
			break
		}
	}
	if !loud {
		t.Error("the audio is silent")
	}
	short := e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"Hi","voice_sid":"Polly.Hans","language":"de-DE"}`)
	if _, d := wavInfo(t, short.body); d*len(text) != data*2 {
		t.Errorf("the length does not follow the text: %d vs %d", d, data)
	}
	spaces := e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"   .","voice_sid":"woman"}`)
	for _, b := range spaces.body[44:] {
		if b != 0 {
			t.Fatal("blanks and punctuation are not silent")
		}
	}

	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL, `{}`), 422, "object validation error", "text")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"  "}`), 422, "object validation error", "text")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"hi","voice_sid":"Polly.Nobody"}`), 422, "object validation error", "voice_sid")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"hi","voice_sid":"Polly.Hans","language":"ja-JP"}`), 422, "object validation error", "language")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"hi","language":"xx-XX"}`), 422, "object validation error", "language")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL, `{"text":"hi","speed":2}`), 422, "object validation error", "speed")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL+"?response_format=mp3", `{"text":"hi"}`), 400, "bad request", "response_format")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL+"?response_format=file", `{"text":"hi"}`), 400, "bad request", "response_container_sid")
	checkError(t, e.sendJSON(demo, "POST", ttsTextsURL+"?response_format=file&response_container_sid=00000000-0000-4000-8000-000000000000",
		`{"text":"hi"}`), 422, "object validation error", "response_container_sid")
	checkError(t, e.do(demo, "POST", ttsTextsURL, "text/plain", `{"text":"hi"}`), 415, "unsupported media type", nil)
	checkError(t, e.sendJSON("", "POST", ttsTextsURL, `{"text":"hi"}`), 401, "authentication error", nil)
}
