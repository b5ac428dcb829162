package sandbox

import (
	"crypto/sha1"
	"fmt"
	"strconv"
)

// Routing locations (Core v2 /routing/locations, "preview" in the method
// list): the places where CarrierX runs a SIP switch. They are CarrierX's
// own, read-only, and the same for every partner; a trunk's location_sid
// names one.

func init() {
	extraTables = append(extraTables, routingLocationsTable)
	seeders = append(seeders, (*Sandbox).seedRoutingLocations)
	routeAdders = append(routeAdders, (*Sandbox).routingRoutes)
}

const routingLocationsTable = "routing_locations"

// routingLocationSchema is the Routing Location object. Not confirmed: its
// attributes beyond the SID. Only location_sid and a display name are
// served, both read-only.
var routingLocationSchema = newSchema("routing_location", "location_sid",
	sidField("location_sid"),
	fld("name", kindString, ro()),
)

// routingLocationNames are the seeded locations: US metro areas with large
// carrier interconnection sites (the sandbox's choice; CarrierX's list is
// not published).
var routingLocationNames = []string{
	"Ashburn, VA",
	"Chicago, IL",
	"Dallas, TX",
	"Los Angeles, CA",
	"New York, NY",
}

// seedRoutingLocations stores the locations. Their SIDs derive from the seed
// and the name, so they do not draw from the shared generator (which would
// shift every SID drawn after them).
func (s *Sandbox) seedRoutingLocations() {
	t := s.table(routingLocationsTable)
	for _, name := range routingLocationNames {
		sid := routingLocationSID(s.cfg.Seed, name)
		t.insert(&record{sid: sid, obj: object{"location_sid": sid, "name": name}})
	}
}

// routingLocationSID is a UUID (version 5 layout) made from seed and name.
func routingLocationSID(seed int64, name string) string {
	b := sha1.Sum([]byte("routing_location/" + strconv.FormatInt(seed, 10) + "/" + name))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *Sandbox) routingLocationView() *view {
	// Not confirmed: the default page size (the docs' general default, 10,
	// is used) and whether total is given (it is).
	return &view{schema: routingLocationSchema, table: s.table(routingLocationsTable), param: "location_sid",
		defaultLimit: 10,
		visible:      func(c *call, r *record) bool { return true },
	}
}

func (s *Sandbox) routingRoutes(rt *router) {
	locs := s.routingLocationView()
	rt.handle("GET", "/routing/locations", locs.list(nil))
	rt.handle("GET", "/routing/locations/{location_sid}", locs.get())
}
