package sandbox

// Resources beyond the core ones register themselves from their own files,
// in an init function:
//
//	func init() {
//		extraTables = append(extraTables, "shortener_links")
//		seeders = append(seeders, (*Sandbox).seedShortener)    // optional
//		routeAdders = append(routeAdders, (*Sandbox).shortenerRoutes)
//	}
//
// New creates every named table, then runs the seeders (after the core data
// and the detail records exist), then adds every file's routes.
var (
	extraTables []string
	seeders     []func(s *Sandbox)
	routeAdders []func(s *Sandbox, rt *router)
)

// table returns a registered resource table. An unregistered name is a
// programming error.
func (s *Sandbox) table(name string) *table {
	t, ok := s.tables[name]
	if !ok {
		panic("sandbox: table " + name + " is not registered in extraTables")
	}
	return t
}
