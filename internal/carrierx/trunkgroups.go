package carrierx

import (
	"context"
	"encoding/json"
	"iter"
)

// TrunkGroup is a CarrierX trunk group (§4.5). Trunks is present when listed
// or fetched with Params with_trunks=true.
type TrunkGroup struct {
	ACLs                  []json.RawMessage `json:"acls"`
	ExternalHandlers      []json.RawMessage `json:"external_handlers"`
	HardFailureCodes      string            `json:"hard_failure_codes"`       // default "408;"
	HardFailureCooldown   int               `json:"hard_failure_cooldown"`    // default 120
	HardFailureInterval   int               `json:"hard_failure_interval"`    // default 60
	HardFailureLastResort string            `json:"hard_failure_last_resort"` // first, reject502, reject503
	HardFailureThreshold  int               `json:"hard_failure_threshold"`   // default 3
	Name                  string            `json:"name"`
	Partner               json.RawMessage   `json:"partner,omitempty"`
	PartnerSID            string            `json:"partner_sid"`
	RoutingData           json.RawMessage   `json:"routing_data,omitempty"` // type not confirmed
	RoutingType           string            `json:"routing_type"`
	SIPOptionsLocations   []json.RawMessage `json:"sip_options_locations"`
	SIPOptionsThreshold   int               `json:"sip_options_threshold"`
	SoftFailureCodes      string            `json:"soft_failure_codes"`
	Transformations       []json.RawMessage `json:"transformations"`
	TrunkGroupSID         string            `json:"trunk_group_sid"`
	Trunks                []Trunk           `json:"trunks,omitempty"`
}

// Trunk is one trunk of a trunk group (§4.5).
type Trunk struct {
	ACLs             []json.RawMessage `json:"acls"`
	AllowForward     string            `json:"allow_forward"`  // disabled, direct, direct_uri, protected, reroute
	AllowTransfer    BoolOrString      `json:"allow_transfer"` // bool in samples, an enum in newer docs
	ASNMode          string            `json:"asn_mode"`
	CallType         string            `json:"call_type"`
	Codec            *string           `json:"codec"`
	EndpointSID      *string           `json:"endpoint_sid"`
	InCapacity       int               `json:"in_capacity"` // 0 unlimited, -1 disabled
	InCodec          *string           `json:"in_codec,omitempty"`
	InIdentityFormat string            `json:"in_identity_format"`
	InIdentityMode   string            `json:"in_identity_mode"`
	InRFC4694Mode    string            `json:"in_rfc_4694_mode"`
	LocationSID      *string           `json:"location_sid"`
	Name             string            `json:"name"`
	OutCapacity      int               `json:"out_capacity"`
	OutCodec         *string           `json:"out_codec,omitempty"`
	OutIdentityMode  string            `json:"out_identity_mode"`
	OutRFC4694Mode   string            `json:"out_rfc_4694_mode"`
	Priority         int               `json:"priority"`
	RelaySIPHeaders  []json.RawMessage `json:"relay_sip_headers"`
	Transformations  []json.RawMessage `json:"transformations"`
	TrunkSID         string            `json:"trunk_sid"`
	Weight           int               `json:"weight"`
}

const trunkGroupsPath = "/trunk_groups"

// ListTrunkGroups returns one page of trunk groups (Params: with_trunks=true
// to include each group's trunks).
func (c *Client) ListTrunkGroups(ctx context.Context, opts ListOptions) (*Page[TrunkGroup], error) {
	return listPage[TrunkGroup](ctx, c, core, trunkGroupsPath, opts)
}

// AllTrunkGroups iterates over every trunk group matching opts.
func (c *Client) AllTrunkGroups(ctx context.Context, opts ListOptions) iter.Seq2[TrunkGroup, error] {
	return allItems[TrunkGroup](ctx, c, core, trunkGroupsPath, opts)
}

// GetTrunkGroup returns one trunk group.
func (c *Client) GetTrunkGroup(ctx context.Context, sid string) (*TrunkGroup, error) {
	if err := requireSID("trunk_group_sid", sid); err != nil {
		return nil, err
	}
	return getOne[TrunkGroup](ctx, c, core, trunkGroupsPath+"/"+pathEscape(sid), nil)
}

// ListTrunks returns one page of a trunk group's trunks.
func (c *Client) ListTrunks(ctx context.Context, trunkGroupSID string, opts ListOptions) (*Page[Trunk], error) {
	if err := requireSID("trunk_group_sid", trunkGroupSID); err != nil {
		return nil, err
	}
	return listPage[Trunk](ctx, c, core, trunkGroupsPath+"/"+pathEscape(trunkGroupSID)+"/trunks", opts)
}
