package carrierx

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
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

// TrunkGroupUpdate is the body of a trunk group PATCH: only the fields set
// are sent (Null clears a nullable one). On create it is the new group's
// fields, with Trunks to create its trunks with it.
type TrunkGroupUpdate struct {
	ACLs                  Optional[[]json.RawMessage] `json:"acls,omitzero"`
	ExternalHandlers      Optional[[]json.RawMessage] `json:"external_handlers,omitzero"`
	HardFailureCodes      Optional[string]            `json:"hard_failure_codes,omitzero"`
	HardFailureCooldown   Optional[int]               `json:"hard_failure_cooldown,omitzero"`
	HardFailureInterval   Optional[int]               `json:"hard_failure_interval,omitzero"`
	HardFailureLastResort Optional[string]            `json:"hard_failure_last_resort,omitzero"`
	HardFailureThreshold  Optional[int]               `json:"hard_failure_threshold,omitzero"`
	Name                  Optional[string]            `json:"name,omitzero"`
	RoutingData           Optional[json.RawMessage]   `json:"routing_data,omitzero"`
	RoutingType           Optional[string]            `json:"routing_type,omitzero"`
	SIPOptionsLocations   Optional[[]json.RawMessage] `json:"sip_options_locations,omitzero"`
	SIPOptionsThreshold   Optional[int]               `json:"sip_options_threshold,omitzero"`
	SoftFailureCodes      Optional[string]            `json:"soft_failure_codes,omitzero"`
	Transformations       Optional[[]json.RawMessage] `json:"transformations,omitzero"`
	// Trunks is read on create only.
	Trunks Optional[[]TrunkUpdate] `json:"trunks,omitzero"`
}

// TrunkUpdate is the body of a trunk PATCH or create; see TrunkGroupUpdate.
type TrunkUpdate struct {
	ACLs             Optional[[]json.RawMessage] `json:"acls,omitzero"`
	AllowForward     Optional[string]            `json:"allow_forward,omitzero"`
	AllowTransfer    Optional[BoolOrString]      `json:"allow_transfer,omitzero"`
	ASNMode          Optional[string]            `json:"asn_mode,omitzero"`
	CallType         Optional[string]            `json:"call_type,omitzero"`
	Codec            Optional[string]            `json:"codec,omitzero"`
	EndpointSID      Optional[string]            `json:"endpoint_sid,omitzero"`
	InCapacity       Optional[int]               `json:"in_capacity,omitzero"`
	InIdentityFormat Optional[string]            `json:"in_identity_format,omitzero"`
	InIdentityMode   Optional[string]            `json:"in_identity_mode,omitzero"`
	InRFC4694Mode    Optional[string]            `json:"in_rfc_4694_mode,omitzero"`
	LocationSID      Optional[string]            `json:"location_sid,omitzero"`
	Name             Optional[string]            `json:"name,omitzero"`
	OutCapacity      Optional[int]               `json:"out_capacity,omitzero"`
	OutIdentityMode  Optional[string]            `json:"out_identity_mode,omitzero"`
	OutRFC4694Mode   Optional[string]            `json:"out_rfc_4694_mode,omitzero"`
	Priority         Optional[int]               `json:"priority,omitzero"`
	RelaySIPHeaders  Optional[[]json.RawMessage] `json:"relay_sip_headers,omitzero"`
	Transformations  Optional[[]json.RawMessage] `json:"transformations,omitzero"`
	Weight           Optional[int]               `json:"weight,omitzero"`
}

// trunkGroupWritable is a trunk group's writable fields, for PUT.
type trunkGroupWritable struct {
	ACLs                  []json.RawMessage `json:"acls"`
	ExternalHandlers      []json.RawMessage `json:"external_handlers"`
	HardFailureCodes      string            `json:"hard_failure_codes"`
	HardFailureCooldown   int               `json:"hard_failure_cooldown"`
	HardFailureInterval   int               `json:"hard_failure_interval"`
	HardFailureLastResort string            `json:"hard_failure_last_resort"`
	HardFailureThreshold  int               `json:"hard_failure_threshold"`
	Name                  string            `json:"name"`
	RoutingData           json.RawMessage   `json:"routing_data"`
	RoutingType           string            `json:"routing_type"`
	SIPOptionsLocations   []json.RawMessage `json:"sip_options_locations"`
	SIPOptionsThreshold   int               `json:"sip_options_threshold"`
	SoftFailureCodes      string            `json:"soft_failure_codes"`
	Transformations       []json.RawMessage `json:"transformations"`
}

func writableTrunkGroup(g TrunkGroup) trunkGroupWritable {
	rd := g.RoutingData
	if len(rd) == 0 {
		rd = json.RawMessage("null")
	}
	return trunkGroupWritable{ACLs: orEmpty(g.ACLs), ExternalHandlers: orEmpty(g.ExternalHandlers),
		HardFailureCodes: g.HardFailureCodes, HardFailureCooldown: g.HardFailureCooldown,
		HardFailureInterval: g.HardFailureInterval, HardFailureLastResort: g.HardFailureLastResort,
		HardFailureThreshold: g.HardFailureThreshold, Name: g.Name, RoutingData: rd, RoutingType: g.RoutingType,
		SIPOptionsLocations: orEmpty(g.SIPOptionsLocations), SIPOptionsThreshold: g.SIPOptionsThreshold,
		SoftFailureCodes: g.SoftFailureCodes, Transformations: orEmpty(g.Transformations)}
}

// trunkWritable is a trunk's writable fields, for PUT.
type trunkWritable struct {
	ACLs             []json.RawMessage `json:"acls"`
	AllowForward     string            `json:"allow_forward"`
	AllowTransfer    BoolOrString      `json:"allow_transfer"`
	ASNMode          string            `json:"asn_mode"`
	CallType         string            `json:"call_type"`
	Codec            *string           `json:"codec"`
	EndpointSID      *string           `json:"endpoint_sid"`
	InCapacity       int               `json:"in_capacity"`
	InIdentityFormat string            `json:"in_identity_format"`
	InIdentityMode   string            `json:"in_identity_mode"`
	InRFC4694Mode    string            `json:"in_rfc_4694_mode"`
	LocationSID      *string           `json:"location_sid"`
	Name             string            `json:"name"`
	OutCapacity      int               `json:"out_capacity"`
	OutIdentityMode  string            `json:"out_identity_mode"`
	OutRFC4694Mode   string            `json:"out_rfc_4694_mode"`
	Priority         int               `json:"priority"`
	RelaySIPHeaders  []json.RawMessage `json:"relay_sip_headers"`
	Transformations  []json.RawMessage `json:"transformations"`
	Weight           int               `json:"weight"`
}

func writableTrunk(t Trunk) trunkWritable {
	return trunkWritable{ACLs: orEmpty(t.ACLs), AllowForward: t.AllowForward, AllowTransfer: t.AllowTransfer,
		ASNMode: t.ASNMode, CallType: t.CallType, Codec: t.Codec, EndpointSID: t.EndpointSID, InCapacity: t.InCapacity,
		InIdentityFormat: t.InIdentityFormat, InIdentityMode: t.InIdentityMode, InRFC4694Mode: t.InRFC4694Mode,
		LocationSID: t.LocationSID, Name: t.Name, OutCapacity: t.OutCapacity, OutIdentityMode: t.OutIdentityMode,
		OutRFC4694Mode: t.OutRFC4694Mode, Priority: t.Priority, RelaySIPHeaders: orEmpty(t.RelaySIPHeaders),
		Transformations: orEmpty(t.Transformations), Weight: t.Weight}
}

// orEmpty sends [] rather than null for an unset list on PUT.
func orEmpty(v []json.RawMessage) []json.RawMessage {
	if v == nil {
		return []json.RawMessage{}
	}
	return v
}

// CreateTrunkGroup creates a trunk group (POST /trunk_groups), with the
// trunks given in g.Trunks.
func (c *Client) CreateTrunkGroup(ctx context.Context, g TrunkGroupUpdate) (*TrunkGroup, error) {
	return send[TrunkGroup](ctx, c, core, http.MethodPost, trunkGroupsPath, nil, g)
}

// UpdateTrunkGroup changes the fields set in u (PATCH); u.Trunks is not
// sent (trunks are changed on their own).
func (c *Client) UpdateTrunkGroup(ctx context.Context, sid string, u TrunkGroupUpdate) (*TrunkGroup, error) {
	if err := requireSID("trunk_group_sid", sid); err != nil {
		return nil, err
	}
	u.Trunks = Optional[[]TrunkUpdate]{}
	return send[TrunkGroup](ctx, c, core, http.MethodPatch, trunkGroupsPath+"/"+pathEscape(sid), nil, u)
}

// ReplaceTrunkGroup replaces the group's writable fields with those of g
// (PUT); read-only fields and trunks are not sent.
func (c *Client) ReplaceTrunkGroup(ctx context.Context, sid string, g TrunkGroup) (*TrunkGroup, error) {
	if err := requireSID("trunk_group_sid", sid); err != nil {
		return nil, err
	}
	return send[TrunkGroup](ctx, c, core, http.MethodPut, trunkGroupsPath+"/"+pathEscape(sid), nil, writableTrunkGroup(g))
}

// DeleteTrunkGroup deletes a trunk group (204). CarrierX refuses while
// numbers are routed to it.
func (c *Client) DeleteTrunkGroup(ctx context.Context, sid string) error {
	if err := requireSID("trunk_group_sid", sid); err != nil {
		return err
	}
	return remove(ctx, c, core, trunkGroupsPath+"/"+pathEscape(sid), nil)
}

func trunkPath(groupSID, trunkSID string) (string, error) {
	if err := requireSID("trunk_group_sid", groupSID); err != nil {
		return "", err
	}
	p := trunkGroupsPath + "/" + pathEscape(groupSID) + "/trunks"
	if trunkSID == "" {
		return p, nil
	}
	return p + "/" + pathEscape(trunkSID), nil
}

// AllTrunks iterates over every trunk of a trunk group.
func (c *Client) AllTrunks(ctx context.Context, trunkGroupSID string, opts ListOptions) iter.Seq2[Trunk, error] {
	p, err := trunkPath(trunkGroupSID, "")
	if err != nil {
		return func(yield func(Trunk, error) bool) { yield(Trunk{}, err) }
	}
	return allItems[Trunk](ctx, c, core, p, opts)
}

// CreateTrunk adds a trunk to a trunk group.
func (c *Client) CreateTrunk(ctx context.Context, trunkGroupSID string, t TrunkUpdate) (*Trunk, error) {
	p, err := trunkPath(trunkGroupSID, "")
	if err != nil {
		return nil, err
	}
	return send[Trunk](ctx, c, core, http.MethodPost, p, nil, t)
}

// GetTrunk returns one trunk of a trunk group.
func (c *Client) GetTrunk(ctx context.Context, trunkGroupSID, trunkSID string) (*Trunk, error) {
	if err := requireSID("trunk_sid", trunkSID); err != nil {
		return nil, err
	}
	p, err := trunkPath(trunkGroupSID, trunkSID)
	if err != nil {
		return nil, err
	}
	return getOne[Trunk](ctx, c, core, p, nil)
}

// UpdateTrunk changes the fields set in u (PATCH).
func (c *Client) UpdateTrunk(ctx context.Context, trunkGroupSID, trunkSID string, u TrunkUpdate) (*Trunk, error) {
	if err := requireSID("trunk_sid", trunkSID); err != nil {
		return nil, err
	}
	p, err := trunkPath(trunkGroupSID, trunkSID)
	if err != nil {
		return nil, err
	}
	return send[Trunk](ctx, c, core, http.MethodPatch, p, nil, u)
}

// ReplaceTrunk replaces the trunk's writable fields with those of t (PUT).
func (c *Client) ReplaceTrunk(ctx context.Context, trunkGroupSID, trunkSID string, t Trunk) (*Trunk, error) {
	if err := requireSID("trunk_sid", trunkSID); err != nil {
		return nil, err
	}
	p, err := trunkPath(trunkGroupSID, trunkSID)
	if err != nil {
		return nil, err
	}
	return send[Trunk](ctx, c, core, http.MethodPut, p, nil, writableTrunk(t))
}

// DeleteTrunk removes a trunk from its group (204).
func (c *Client) DeleteTrunk(ctx context.Context, trunkGroupSID, trunkSID string) error {
	if err := requireSID("trunk_sid", trunkSID); err != nil {
		return err
	}
	p, err := trunkPath(trunkGroupSID, trunkSID)
	if err != nil {
		return err
	}
	return remove(ctx, c, core, p, nil)
}
