package carrierx

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ConferenceV1Path is the base path of the legacy Conference API.
const ConferenceV1Path = "/conference/v1"

var conferenceV1 = service{base: ConferenceV1Path}

// The hosted applications' APIs (Conference v2 and v1, FlexML, Mediator)
// are reached at the endpoint's properties.api_url with its
// properties.login and password (HTTP Basic, §1.2). Each has its own client
// type, so that a Conference method cannot be sent with Core credentials or
// to the wrong API; all share the Client's HTTP settings and retries.

// ConferenceV2 is a client for one conference_v2 endpoint's API.
type ConferenceV2 struct{ c *Client }

// ConferenceV1 is a client for one conference (v1, legacy) endpoint's API.
type ConferenceV1 struct{ c *Client }

// FlexML is a client for one flexml endpoint's API.
type FlexML struct{ c *Client }

// Mediator is a client for one mediator endpoint's API. Its answers come
// wrapped in {"body": ..., "status": ...} (§2.5); the methods unwrap them.
type Mediator struct{ c *Client }

// ConferenceV2 returns a client for ep's Conference v2 API.
func (c *Client) ConferenceV2(ep Endpoint) (*ConferenceV2, error) {
	ec, err := c.forEndpoint(ep, EndpointConferenceV2, ConferenceV2Path)
	if err != nil {
		return nil, err
	}
	return &ConferenceV2{ec}, nil
}

// ConferenceV1 returns a client for ep's Conference v1 API.
func (c *Client) ConferenceV1(ep Endpoint) (*ConferenceV1, error) {
	ec, err := c.forEndpoint(ep, EndpointConference, ConferenceV1Path)
	if err != nil {
		return nil, err
	}
	return &ConferenceV1{ec}, nil
}

// FlexML returns a client for ep's FlexML API.
func (c *Client) FlexML(ep Endpoint) (*FlexML, error) {
	ec, err := c.forEndpoint(ep, EndpointFlexML, FlexMLV1Path)
	if err != nil {
		return nil, err
	}
	return &FlexML{ec}, nil
}

// Mediator returns a client for ep's Mediator API.
func (c *Client) Mediator(ep Endpoint) (*Mediator, error) {
	ec, err := c.forEndpoint(ep, EndpointMediator, MediatorV1Path)
	if err != nil {
		return nil, err
	}
	return &Mediator{ec}, nil
}

// forEndpoint is a copy of c aimed at ep's API: the host root is api_url
// without the API's own path, and the credentials are the endpoint's.
//
// api_url is CarrierX's answer, but it decides where the endpoint's password
// goes: it must be an absolute URL ending in the API's path, and either on
// c's own host or over https.
func (c *Client) forEndpoint(ep Endpoint, typ, apiPath string) (*Client, error) {
	if c.baseErr != nil {
		return nil, c.baseErr
	}
	if ep.Type != typ {
		return nil, fmt.Errorf("carrierx: endpoint %s is of type %q, not %q", ep.EndpointSID, ep.Type, typ)
	}
	login, password := ep.APICredentials()
	if login == "" || password == "" {
		return nil, fmt.Errorf("carrierx: endpoint %s has no API credentials in its properties", ep.EndpointSID)
	}
	raw := strings.TrimSpace(ep.APIURL())
	if raw == "" {
		return nil, fmt.Errorf("carrierx: endpoint %s has no api_url in its properties", ep.EndpointSID)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errors.New("carrierx: the endpoint's api_url is not an absolute http(s) URL")
	}
	root, ok := strings.CutSuffix(strings.TrimRight(u.Path, "/"), apiPath)
	if !ok {
		return nil, fmt.Errorf("carrierx: the endpoint's api_url does not end in %s", apiPath)
	}
	if !c.sameOrigin(u) && u.Scheme != "https" {
		return nil, errors.New("carrierx: refusing to send endpoint credentials over plain http to another host")
	}
	base := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimRight(root, "/")}
	cp := c.WithBasic(login, password)
	cp.base = base
	return cp, nil
}
