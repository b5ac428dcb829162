package sandbox

import "encoding/json"

// POST /tts/texts?response_format=file stores the audio as a File in one of
// the caller's containers, as an upload would, with content_duration set to
// the audio's length.
func init() {
	ttsStoreFile = func(c *call, containerSID, name, mimeType string, data []byte, seconds float64) (any, *apiError) {
		s := c.s
		v := s.storageFileView()
		_, body, err := s.storeUpload(c, v, &upload{
			meta: map[string]any{"container_sid": containerSID, "name": name, "mime_type": mimeType}, data: data})
		if err != nil {
			// The container is named by the query argument here.
			for i := range err.Errors {
				if f := err.Errors[i].Field; f != nil && *f == "container_sid" {
					err.Errors[i].Field = strPtr("response_container_sid")
				}
			}
			return nil, err
		}
		var created struct {
			FileSID string `json:"file_sid"`
		}
		if raw, ok := body.(json.RawMessage); ok {
			_ = json.Unmarshal(raw, &created)
		}
		rec := v.table.get(created.FileSID)
		o := cloneObject(rec.obj)
		o["content_duration"] = seconds // a number, as the File object has it
		rec.set(o)
		return v.output(c, rec, fieldSel{}, false), nil
	}
}
