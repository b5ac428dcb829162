package carrierx

import (
	"context"
	"encoding/json"
	"iter"
)

// RoutingLocation is one of the places where CarrierX runs a SIP switch
// (a "preview" feature). A trunk's location_sid names one. Not confirmed:
// the attributes beyond location_sid; Name is the display name, and Extra
// keeps every attribute as answered.
type RoutingLocation struct {
	LocationSID string `json:"location_sid"`
	Name        string `json:"name"`
	// Extra holds the whole object as answered (attributes not modelled
	// here included).
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the known attributes and keeps the whole object in
// Extra.
func (l *RoutingLocation) UnmarshalJSON(b []byte) error {
	type plain RoutingLocation
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	*l = RoutingLocation(p)
	l.Extra = all
	return nil
}

const routingLocationsPath = "/routing/locations"

// ListRoutingLocations returns one page of routing locations.
func (c *Client) ListRoutingLocations(ctx context.Context, opts ListOptions) (*Page[RoutingLocation], error) {
	return listPage[RoutingLocation](ctx, c, core, routingLocationsPath, opts)
}

// AllRoutingLocations iterates over every routing location matching opts.
func (c *Client) AllRoutingLocations(ctx context.Context, opts ListOptions) iter.Seq2[RoutingLocation, error] {
	return allItems[RoutingLocation](ctx, c, core, routingLocationsPath, opts)
}

// GetRoutingLocation returns one routing location.
func (c *Client) GetRoutingLocation(ctx context.Context, sid string) (*RoutingLocation, error) {
	if err := requireSID("location_sid", sid); err != nil {
		return nil, err
	}
	return getOne[RoutingLocation](ctx, c, core, routingLocationsPath+"/"+pathEscape(sid), nil)
}
