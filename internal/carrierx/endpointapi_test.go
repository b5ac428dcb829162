package carrierx

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForEndpointChecksTypeCredentialsAndURL(t *testing.T) {
	c := New("http://127.0.0.1:8081")
	ep := Endpoint{EndpointSID: "e1", Type: EndpointConferenceV2, Properties: Attributes{
		"api_url": "http://127.0.0.1:8081/conference/v2", "login": "demo_conference_v2_001", "password": "pw"}}

	cv2, err := c.ConferenceV2(ep)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8081", cv2.c.BaseURL())
	assert.Equal(t, authBasic, cv2.c.auth)
	assert.Equal(t, "demo_conference_v2_001", cv2.c.login)
	assert.Equal(t, authNone, c.auth, "the Core client is unchanged")

	_, err = c.FlexML(ep)
	assert.ErrorContains(t, err, `not "flexml"`)

	noCreds := ep
	noCreds.Properties = Attributes{"api_url": "http://127.0.0.1:8081/conference/v2"}
	_, err = c.ConferenceV2(noCreds)
	assert.ErrorContains(t, err, "no API credentials")

	for url, want := range map[string]string{
		"":                                       "no api_url",
		"ftp://127.0.0.1/conference/v2":          "absolute http(s)",
		"http://127.0.0.1:8081/mediator/v1":      "does not end in /conference/v2",
		"http://elsewhere.example/conference/v2": "plain http to another host",
	} {
		bad := ep
		bad.Properties = Attributes{"api_url": url, "login": "l", "password": "p"}
		_, err = c.ConferenceV2(bad)
		assert.ErrorContains(t, err, want, url)
	}

	// Over https another host is accepted, and a path before the API's is kept.
	ok := ep
	ok.Properties = Attributes{"api_url": "https://api.example.com/prefix/conference/v2/", "login": "l", "password": "p"}
	cv2, err = c.ConferenceV2(ok)
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.com/prefix", cv2.c.BaseURL())
}
