package sandbox

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Sandbox. Zero fields take the defaults.
type Config struct {
	Seed          int64            // default 1; same seed => same data (SIDs, numbers, prices)
	AvailableDIDs int              // default 6000 available US numbers
	RentedDIDs    int              // default 50 already rented by the demo partner (negative: none)
	Now           func() time.Time // default time.Now (UTC)

	// Detail records, generated on first use of a record or invoice route
	// over the 90 days before Now (as of New). Zero takes the default, a
	// negative value means none.
	CDRs               int // demo partner's call detail records; default 100_000
	OtherCDRs          int // other partner's; default CDRs/10
	MessageDRs         int // demo partner's message detail records; default CDRs/5 (the other partner gets a tenth)
	ConferenceMeetings int // demo partner's conference meetings (2-8 calls each); default 1500 (other: a tenth)
	MediatorCalls      int // demo partner's Mediator call records; default 3000 (other: a tenth)
}

// Credentials are a seeded partner's login and identity.
type Credentials struct {
	Login, Password, PartnerSID, PartnerName string
}

// Sandbox is an in-memory CarrierX Core API. It is safe for concurrent use.
type Sandbox struct {
	cfg Config

	mu  sync.RWMutex // guards everything below
	rng *rand.Rand   // seeded; used under mu (write lock) only

	partners      *table
	byLogin       map[string]*record
	dids          *table // every number: available, assigned and aging
	didByNumber   map[string]*record
	trunkGroups   *table
	trunks        *table
	tokens        *table
	tokenByAccess map[string]*record
	classes       []didClass

	demo, other Credentials

	recs             *recordStore          // detail records, generated once (records.go)
	invoices         *table                // filled with the records
	invoiceByPartner map[string][]*invoice // a partner's invoices, oldest first
	sentEmails       []InvoiceEmail

	// tables holds the resources of the files that register themselves
	// (see extension.go), by name.
	tables map[string]*table

	handler http.Handler
	routes  *router
	hosted  []*hostedRouter // Conference, FlexML, Mediator (hosted.go)

	// nextTick is when live objects next change state on the sandbox
	// clock (unix ms, 0 = nothing pending); see hosted.go.
	nextTick atomic.Int64

	faultMu   sync.Mutex
	faults    *Faults
	faultLeft int
	faultHits int
}

// New builds a sandbox seeded from cfg.
func New(cfg Config) *Sandbox {
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.AvailableDIDs <= 0 {
		cfg.AvailableDIDs = 6000
	}
	if cfg.RentedDIDs < 0 {
		cfg.RentedDIDs = 0
	} else if cfg.RentedDIDs == 0 {
		cfg.RentedDIDs = 50
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	size := func(n *int, def int) {
		switch {
		case *n < 0:
			*n = 0
		case *n == 0:
			*n = def
		}
	}
	size(&cfg.CDRs, 100_000)
	size(&cfg.OtherCDRs, cfg.CDRs/10)
	size(&cfg.MessageDRs, cfg.CDRs/5)
	size(&cfg.ConferenceMeetings, 1500)
	size(&cfg.MediatorCalls, 3000)
	s := &Sandbox{
		cfg:           cfg,
		rng:           rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(cfg.Seed)^0x9e3779b97f4a7c15)),
		partners:      newTable(),
		byLogin:       map[string]*record{},
		dids:          newTable(),
		didByNumber:   map[string]*record{},
		trunkGroups:   newTable(),
		trunks:        newTable(),
		tokens:        newTable(),
		tokenByAccess: map[string]*record{},

		invoices:         newTable(),
		invoiceByPartner: map[string][]*invoice{},
	}
	s.seed()
	s.snapshotRecords()
	s.tables = map[string]*table{}
	for _, name := range extraTables {
		s.tables[name] = newTable()
	}
	for _, seed := range seeders {
		seed(s)
	}
	s.routes = s.buildRoutes()
	s.buildHosted()
	s.handler = http.HandlerFunc(s.serve)
	return s
}

func (s *Sandbox) now() time.Time { return s.cfg.Now().UTC() }

// newSID draws a UUID from the seeded generator. Callers hold the write lock.
func (s *Sandbox) newSID() string { return newUUID(s.rng) }

// Handler serves the Core API under /core/v2 and the hosted APIs
// (Conference, FlexML, Mediator) under their own prefixes.
func (s *Sandbox) Handler() http.Handler { return s.handler }

// Listen serves the sandbox over HTTP on addr (e.g. "127.0.0.1:0") and returns
// the host root URL (without /core/v2) and a function that stops the server.
func (s *Sandbox) Listen(addr string) (baseURL string, stop func(context.Context) error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	tcp := ln.Addr().(*net.TCPAddr)
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, itoa(tcp.Port)), srv.Shutdown, nil
}

// DemoPartner is the seeded demo partner (login "demo", password "demo").
func (s *Sandbox) DemoPartner() Credentials { return s.demo }

// OtherPartner is a second partner with its own DIDs and trunk group, for
// isolation tests (login "other", password "other").
func (s *Sandbox) OtherPartner() Credentials { return s.other }
