package carrierx_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
)

// TestEveryRowIsRoutedBySandbox sends every method of every row to the
// sandbox, with unknown SIDs in the path, and requires an answer from the
// method's handler: never the router's own 404 ("not found") or 405, never
// a 501. The exercised tests above check what each handler answers.
func TestEveryRowIsRoutedBySandbox(t *testing.T) {
	rows := readMethods(t)
	require.Len(t, rows, 269)
	f := newCoverageFixture(t)
	prefix := map[string]string{"core": carrierx.CoreV2Path, "conference_v2": carrierx.ConferenceV2Path,
		"conference_v1": carrierx.ConferenceV1Path, "flexml": carrierx.FlexMLV1Path, "mediator": carrierx.MediatorV1Path}
	basic := map[string][2]string{}
	for api, typ := range map[string]string{"conference_v2": carrierx.EndpointConferenceV2, "conference_v1": carrierx.EndpointConference,
		"flexml": carrierx.EndpointFlexML, "mediator": carrierx.EndpointMediator} {
		login, password := hostedEndpoint(t, f, typ).APICredentials()
		basic[api] = [2]string{login, password}
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	for _, r := range rows {
		p, ok := prefix[r.API]
		require.True(t, ok, "unknown API %q", r.API)
		path := p + param.ReplaceAllString(r.Path, "00000000-0000-4000-8000-000000000000")
		for _, method := range strings.Split(r.Method, "/") {
			var body io.Reader
			if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
				body = strings.NewReader("{}")
			}
			req, err := http.NewRequest(method, f.base+path, body)
			require.NoError(t, err)
			if body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if cred, hosted := basic[r.API]; hosted {
				req.SetBasicAuth(cred[0], cred[1])
			} else {
				req.Header.Set("Authorization", "Bearer "+f.token.AccessToken)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			what := r.API + " " + method + " " + r.Path
			assert.NotEqual(t, http.StatusMethodNotAllowed, resp.StatusCode, what)
			assert.NotEqual(t, http.StatusNotImplemented, resp.StatusCode, what)
			if resp.StatusCode == http.StatusNotFound {
				assert.False(t, routerNotFound(raw), "%s: the router has no such route: %s", what, raw)
			}
		}
	}
}

// routerNotFound reports whether raw is the sandbox router's own 404 (no
// route), as against a handler's 404 about the object or a parameter:
// "not found" with no field named. Mediator's wrapper is unwrapped.
func routerNotFound(raw []byte) bool {
	var e struct {
		Message string `json:"message"`
		Errors  []struct {
			Field *string `json:"field"`
		} `json:"errors"`
		Body json.RawMessage `json:"body"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return false
	}
	if e.Message == "" && len(e.Body) > 0 {
		return routerNotFound(e.Body)
	}
	return e.Message == "not found" && (len(e.Errors) == 0 || e.Errors[0].Field == nil)
}
