package carrierx

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
)

// Endpoint types (§4.4). The docs' list may continue past these; other
// values are kept as received.
const (
	EndpointConference         = "conference" // legacy Conference v1
	EndpointConferencePlayback = "conference_playback"
	EndpointConferenceV2       = "conference_v2"
	EndpointFlexML             = "flexml"
	EndpointMediator           = "mediator"
	EndpointVoicemail          = "voicemail"
	EndpointThirdParty         = "third_party"
	EndpointSystemGateway      = "system_gateway"
)

// Endpoint is a CarrierX endpoint (§4.4): SIP equipment of the partner
// (third_party, with Addresses) or an application CarrierX hosts, whose
// Properties hold the credentials and URL of its API (login, password,
// account_sid, container_sid, api_url). Its String and LogValue methods leave
// the passwords out.
type Endpoint struct {
	Addresses       []EndpointAddress `json:"addresses"`
	Attributes      Attributes        `json:"attributes"`
	Capacity        int               `json:"capacity"`  // simultaneous inbound calls; 0 = unlimited
	CPSLimit        *int              `json:"cps_limit"` // read-only; 0 or null = unlimited
	EndpointSID     string            `json:"endpoint_sid"`
	Name            string            `json:"name"`
	OutSIPPassword  *string           `json:"out_sip_password"`
	OutSIPUsername  *string           `json:"out_sip_username"`
	Partner         json.RawMessage   `json:"partner,omitempty"` // with_related=true
	PartnerSID      string            `json:"partner_sid"`
	Properties      Attributes        `json:"properties"` // read-only, type-specific
	Transformations []json.RawMessage `json:"transformations"`
	Type            string            `json:"type"`
	VoIPToken       *string           `json:"voip_token"` // read-only; third_party
}

// EndpointAddress is one SIP address of a third_party endpoint. Zero values
// of direction, port, priority, srtp and transport are not sent, so the
// server's defaults (any, 5060, 0, false, udp) apply.
type EndpointAddress struct {
	Direction   string  `json:"direction,omitempty"` // any, ...
	DstPort     *int    `json:"dst_port"`
	IP          string  `json:"ip"` // IP address or FQDN
	LocationSID *string `json:"location_sid"`
	Port        int     `json:"port,omitempty"`
	Priority    int     `json:"priority,omitempty"`
	SIPPassword *string `json:"sip_password"`
	SIPUsername *string `json:"sip_username"`
	SRTP        bool    `json:"srtp,omitempty"`
	Transport   string  `json:"transport,omitempty"` // udp, ...
}

// APIURL returns properties.api_url: the base URL of a hosted endpoint's
// API ("" for other types).
func (e Endpoint) APIURL() string { return e.Properties["api_url"] }

// APICredentials returns properties.login and properties.password: the
// HTTP Basic credentials of a hosted endpoint's API.
func (e Endpoint) APICredentials() (login, password string) {
	return e.Properties["login"], e.Properties["password"]
}

// String describes the endpoint without its passwords.
func (e Endpoint) String() string {
	return fmt.Sprintf("Endpoint{sid=%s name=%q type=%s partner=%s api_url=%q password=[redacted]}",
		e.EndpointSID, e.Name, e.Type, e.PartnerSID, e.APIURL())
}

// GoString is String, so %#v does not print the passwords either.
func (e Endpoint) GoString() string { return e.String() }

// LogValue keeps the passwords out of slog output.
func (e Endpoint) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint_sid", e.EndpointSID),
		slog.String("name", e.Name),
		slog.String("type", e.Type),
		slog.String("partner_sid", e.PartnerSID),
	)
}

// EndpointUpdate is the body of an endpoint PATCH: only the fields set are
// sent (Null clears a nullable one). On create it is the new endpoint's
// fields; Type is required there and cannot be changed afterwards.
type EndpointUpdate struct {
	Addresses       Optional[[]EndpointAddress] `json:"addresses,omitzero"`
	Attributes      Optional[Attributes]        `json:"attributes,omitzero"`
	Capacity        Optional[int]               `json:"capacity,omitzero"`
	Name            Optional[string]            `json:"name,omitzero"`
	OutSIPPassword  Optional[string]            `json:"out_sip_password,omitzero"`
	OutSIPUsername  Optional[string]            `json:"out_sip_username,omitzero"`
	Transformations Optional[[]json.RawMessage] `json:"transformations,omitzero"`
	Type            Optional[string]            `json:"type,omitzero"`
}

// endpointWritable is an endpoint's writable fields, for PUT.
type endpointWritable struct {
	Addresses       []EndpointAddress `json:"addresses"`
	Attributes      Attributes        `json:"attributes"`
	Capacity        int               `json:"capacity"`
	Name            string            `json:"name"`
	OutSIPPassword  *string           `json:"out_sip_password"`
	OutSIPUsername  *string           `json:"out_sip_username"`
	Transformations []json.RawMessage `json:"transformations"`
}

func writableEndpoint(e Endpoint) endpointWritable {
	addrs, attrs := e.Addresses, e.Attributes
	if addrs == nil {
		addrs = []EndpointAddress{}
	}
	if attrs == nil {
		attrs = Attributes{}
	}
	return endpointWritable{Addresses: addrs, Attributes: attrs, Capacity: e.Capacity, Name: e.Name,
		OutSIPPassword: e.OutSIPPassword, OutSIPUsername: e.OutSIPUsername,
		Transformations: orEmpty(e.Transformations)}
}

const endpointsPath = "/endpoints"

func endpointPath(sid string) (string, error) {
	if err := requireSID("endpoint_sid", sid); err != nil {
		return "", err
	}
	return endpointsPath + "/" + pathEscape(sid), nil
}

// ListEndpoints returns one page of endpoints (GET /endpoints). Every
// partner has a "System Gateway" endpoint of type system_gateway.
func (c *Client) ListEndpoints(ctx context.Context, opts ListOptions) (*Page[Endpoint], error) {
	return listPage[Endpoint](ctx, c, core, endpointsPath, opts)
}

// AllEndpoints iterates over every endpoint matching opts.
func (c *Client) AllEndpoints(ctx context.Context, opts ListOptions) iter.Seq2[Endpoint, error] {
	return allItems[Endpoint](ctx, c, core, endpointsPath, opts)
}

// GetEndpoint returns one endpoint (GET /endpoints/{endpoint_sid}).
func (c *Client) GetEndpoint(ctx context.Context, sid string) (*Endpoint, error) {
	p, err := endpointPath(sid)
	if err != nil {
		return nil, err
	}
	return getOne[Endpoint](ctx, c, core, p, nil)
}

// CreateEndpoint creates an endpoint (POST /endpoints). A hosted endpoint
// comes back with its API's credentials and URL in Properties.
func (c *Client) CreateEndpoint(ctx context.Context, e EndpointUpdate) (*Endpoint, error) {
	return send[Endpoint](ctx, c, core, http.MethodPost, endpointsPath, nil, e)
}

// UpdateEndpoint changes the fields set in u (PATCH).
func (c *Client) UpdateEndpoint(ctx context.Context, sid string, u EndpointUpdate) (*Endpoint, error) {
	p, err := endpointPath(sid)
	if err != nil {
		return nil, err
	}
	return send[Endpoint](ctx, c, core, http.MethodPatch, p, nil, u)
}

// ReplaceEndpoint replaces the endpoint's writable fields with those of e
// (PUT); read-only fields, type and properties are not sent.
func (c *Client) ReplaceEndpoint(ctx context.Context, sid string, e Endpoint) (*Endpoint, error) {
	p, err := endpointPath(sid)
	if err != nil {
		return nil, err
	}
	return send[Endpoint](ctx, c, core, http.MethodPut, p, nil, writableEndpoint(e))
}

// DeleteEndpoint deletes an endpoint (204). The sandbox refuses (409) while
// trunks route to it.
func (c *Client) DeleteEndpoint(ctx context.Context, sid string) error {
	p, err := endpointPath(sid)
	if err != nil {
		return err
	}
	return remove(ctx, c, core, p, nil)
}
