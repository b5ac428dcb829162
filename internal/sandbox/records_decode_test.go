package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
)

// TestRecordsDecodeIntoClientTypes decodes every record collection and the
// invoices into the client's types, refusing unknown fields, and checks that
// every field the type names (except omitempty ones) is sent.
func TestRecordsDecodeIntoClientTypes(t *testing.T) {
	now := time.Date(2025, 5, 18, 15, 32, 15, 589e6, time.UTC)
	sb := sandbox.New(sandbox.Config{Seed: 2, AvailableDIDs: 200, RentedDIDs: 20, Now: func() time.Time { return now },
		CDRs: 2000, ConferenceMeetings: 50, MediatorCalls: 100})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		path string
		typ  any
	}{
		{"/core/v2/calls/call_drs?limit=1000", carrierx.CallDetailRecord{}},
		{"/core/v2/sms/message_drs?limit=400", carrierx.MessageDetailRecord{}},
		{"/core/v2/app/conference/calls?limit=300", carrierx.ConferenceCall{}},
		{"/core/v2/app/conference/meetings?limit=50", carrierx.ConferenceMeeting{}},
		{"/core/v2/app/mediator/calls?limit=100", carrierx.MediatorCall{}},
		{"/core/v2/invoices?limit=10", carrierx.Invoice{}},
		{"/core/v2/billing/invoices?limit=10", carrierx.Invoice{}},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		req.SetBasicAuth("demo", "demo")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var env struct {
			Items []json.RawMessage `json:"items"`
		}
		if res.StatusCode != 200 || json.Unmarshal(body, &env) != nil || len(env.Items) == 0 {
			t.Fatalf("%s: %d %.200s", tc.path, res.StatusCode, body)
		}
		rt := reflect.TypeOf(tc.typ)
		var want []string
		for i := 0; i < rt.NumField(); i++ {
			tag := rt.Field(i).Tag.Get("json")
			if !strings.Contains(tag, "omitempty") {
				want = append(want, strings.Split(tag, ",")[0])
			}
		}
		sort.Strings(want)
		for _, raw := range env.Items {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			v := reflect.New(rt).Interface()
			if err := dec.Decode(v); err != nil {
				t.Fatalf("%s: %v\n%s", tc.path, err, raw)
			}
			var keys map[string]json.RawMessage
			_ = json.Unmarshal(raw, &keys)
			for _, k := range want {
				if _, ok := keys[k]; !ok {
					t.Fatalf("%s: field %q missing in %s", tc.path, k, raw)
				}
			}
		}
	}
}
