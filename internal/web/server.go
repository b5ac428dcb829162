package web

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/reports"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
	"github.com/carrierx-ops/dashboard/static"
)

// Config is what the console needs to run.
type Config struct {
	Store         *store.Store
	CarrierX      *carrierx.Client // unauthenticated; each request adds the session's token
	SessionSecret []byte
	SessionIdle   time.Duration // a session ends after this long without a request (default 8h)
	SecureCookies bool          // mark cookies Secure even without TLS (behind a TLS proxy)
	TrustProxy    bool          // take the client address from X-Forwarded-For
	DemoHint      *views.DemoHint
	Demo          DemoCallers // the built-in sandbox's test callers; nil against a real CarrierX
	// ReconThreshold is the difference between an invoice line and its
	// records that is flagged (default one cent).
	ReconThreshold decimal.Decimal
	Logger         *slog.Logger
}

// Server is the console's HTTP handler.
type Server struct {
	cfg      Config
	db       *store.Store
	cx       *carrierx.Client
	sessions *pgSessionStore
	log      *slog.Logger
	echo     *echo.Echo

	scheduler *reports.Scheduler
	progress  syncProgress
}

// New builds the console.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.CarrierX == nil {
		return nil, errors.New("web: store and CarrierX client are required")
	}
	if len(cfg.SessionSecret) < 16 {
		return nil, errors.New("web: the session secret must be at least 16 bytes")
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 8 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		cfg:      cfg,
		db:       cfg.Store,
		cx:       cfg.CarrierX,
		sessions: newSessionStore(cfg.Store, cfg.SessionSecret, cfg.SessionIdle, cfg.SecureCookies),
		log:      cfg.Logger,
	}
	s.scheduler = s.newScheduler()
	s.echo = s.routes()
	return s, nil
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// routes declares every route in one place, with the middleware in order.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if s.cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.HTTPErrorHandler = s.handleError
	e.Use(s.recoverPanics, s.securityHeaders, s.logRequests, limitBodies)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.Path("favicon.svg"))
	})

	e.GET("/login", s.showLogin)
	e.POST("/login", s.submitLogin, s.checkOrigin)

	app := e.Group("", s.loadSession, s.requireSignIn, s.checkOrigin, s.checkCSRF)
	app.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/numbers") })
	app.POST("/logout", s.logout)
	app.POST("/settings/timezone", s.saveTimeZone)

	app.GET("/numbers", s.listNumbers)
	app.GET("/numbers/:sid", s.showNumber)
	app.GET("/numbers/:sid/row", s.showNumberRow)
	app.GET("/numbers/:sid/edit", s.editNumber)
	app.POST("/numbers/:sid", s.saveNumber)
	app.GET("/numbers/:sid/release", s.confirmRelease)
	app.POST("/numbers/:sid/release", s.releaseNumber)
	app.POST("/numbers/:sid/emergency", s.saveEmergency)
	app.POST("/numbers/:sid/emergency/delete", s.deleteEmergency)
	app.POST("/numbers/:sid/line-information", s.saveLineInfo)
	app.POST("/numbers/:sid/messaging", s.setMessaging)

	app.GET("/rent", s.searchAvailable)
	app.POST("/rent", s.rentNumber)

	app.GET("/records/calls", s.listCalls)
	app.GET("/records/calls.csv", s.exportCalls)
	app.GET("/records/calls/summary", s.callSummaryPart)
	app.GET("/records/calls/charts", s.callChartsPart)
	app.GET("/records/calls/:sid", s.showCall)
	for _, x := range recordExplorers {
		app.GET(x.path(), s.listRecords(x))
		app.GET(x.path()+".csv", s.exportRecords(x))
		app.GET(x.path()+"/:sid", s.showRecord(x))
	}

	app.GET("/invoices", s.listInvoices)
	app.GET("/invoices/:sid", s.showInvoice)
	app.GET("/invoices/:sid/html", s.invoiceReport("html"))
	app.GET("/invoices/:sid/pdf", s.invoiceReport("pdf"))
	app.POST("/invoices/:sid/email", s.emailInvoice)

	app.GET("/overview", s.showOverview)
	app.GET("/sync", s.showSync)
	app.POST("/sync", s.syncNow)

	app.GET("/endpoints", s.listEndpoints)
	app.GET("/endpoints/new", s.newEndpoint)
	app.POST("/endpoints", s.createEndpoint)
	app.GET("/endpoints/:sid", s.showEndpoint)
	app.POST("/endpoints/:sid", s.saveEndpoint)
	app.POST("/endpoints/:sid/reveal", s.revealEndpointCredentials)
	app.POST("/endpoints/:sid/route", s.routeToEndpoint)
	app.GET("/endpoints/:sid/delete", s.confirmDeleteEndpoint)
	app.POST("/endpoints/:sid/delete", s.deleteEndpoint)

	app.POST("/numbers/assign/review", s.reviewAssign)
	app.POST("/numbers/assign", s.applyAssign)

	app.GET("/trunk-groups", s.listTrunkGroups)
	app.POST("/trunk-groups", s.createTrunkGroup)
	app.GET("/trunk-groups/:sid", s.showTrunkGroup)
	app.POST("/trunk-groups/:sid", s.saveTrunkGroup)
	app.POST("/trunk-groups/:sid/trunks", s.addTrunk)
	app.POST("/trunk-groups/:sid/trunks/:trunk", s.saveTrunk)
	app.POST("/trunk-groups/:sid/trunks/:trunk/delete", s.deleteTrunk)
	app.GET("/trunk-groups/:sid/delete", s.confirmDeleteTrunkGroup)
	app.POST("/trunk-groups/:sid/delete", s.deleteTrunkGroup)

	app.GET("/overview/attention", s.showAttention)
	app.GET("/account", s.showAccount)
	app.GET("/lookup", s.showLookup)
	app.GET("/storage", s.showStorage)
	app.GET("/storage/:sid", s.showContainer)
	app.GET("/storage/files/:sid/download", s.downloadFile)
	app.POST("/storage/files/:sid/delete", s.deleteFile)
	app.POST("/storage/:sid/upload", s.uploadFile)
	app.POST("/storage/:sid/speech", s.makeSpeech)
	app.GET("/rates", s.showRates)
	app.GET("/rates/:table", s.downloadRates)
	app.POST("/account/contacts", s.saveContacts)
	app.POST("/account/sub-partners", s.createSubPartner)
	app.POST("/account/sub-partners/:sid/delete", s.deleteSubPartner)
	app.GET("/messages", s.showMessages)
	app.POST("/messages", s.sendMessage)
	app.GET("/messages/:sid", s.showMessage)
	app.GET("/messages/:sid/state", s.messageStatePart)
	app.GET("/conferences", s.listConferences)
	app.GET("/conferences/:ep", s.showConference)
	app.GET("/conferences/:ep/live", s.conferenceLivePart)
	app.POST("/conferences/:ep/rooms", s.createConfRoom)
	app.GET("/conferences/:ep/rooms/:room", s.showConfRoom)
	app.POST("/conferences/:ep/rooms/:room", s.saveConfRoom)
	app.GET("/conferences/:ep/rooms/:room/live", s.confRoomLivePart)
	app.POST("/conferences/:ep/rooms/:room/dial", s.dialConfRoom)
	app.POST("/conferences/:ep/rooms/:room/delete", s.deleteConfRoom)
	app.POST("/conferences/:ep/did-groups", s.createConfDIDGroup)
	app.POST("/conferences/:ep/did-groups/:group", s.renameConfDIDGroup)
	app.POST("/conferences/:ep/did-groups/:group/delete", s.deleteConfDIDGroup)
	app.POST("/conferences/:ep/dids/:did", s.moveConfDID)
	app.GET("/conferences/:ep/meetings/:meeting", s.showConfMeeting)
	app.GET("/conferences/:ep/meetings/:meeting/live", s.confMeetingLivePart)
	app.POST("/conferences/:ep/meetings/:meeting/calls/:call/mute", s.muteConfCaller(true))
	app.POST("/conferences/:ep/meetings/:meeting/calls/:call/unmute", s.muteConfCaller(false))
	app.POST("/conferences/:ep/meetings/:meeting/end", s.endConfMeeting)
	app.POST("/conferences/:ep/v1/rooms", s.createConfV1Room)
	app.POST("/conferences/:ep/v1/rooms/:number/dial", s.dialConfV1Room)
	app.POST("/conferences/:ep/v1/rooms/:number", s.saveConfV1Room)
	app.GET("/conferences/:ep/v1/rooms/:number/edit", s.editConfV1Room)
	app.GET("/conferences/:ep/v1/rooms/:number/row", s.showConfV1RoomRow)
	app.POST("/conferences/:ep/v1/rooms/:number/delete", s.deleteConfV1Room)
	app.GET("/conferences/:ep/v1/meetings/:number", s.showConfV1Meeting)
	app.GET("/conferences/:ep/v1/meetings/:number/live", s.confV1MeetingLivePart)
	app.POST("/conferences/:ep/v1/meetings/:number/calls/:call/mute", s.actConfV1Caller("mute"))
	app.POST("/conferences/:ep/v1/meetings/:number/calls/:call/unmute", s.actConfV1Caller("unmute"))
	app.POST("/conferences/:ep/v1/meetings/:number/calls/:call/remove", s.actConfV1Caller("remove"))
	app.POST("/conferences/:ep/v1/meetings/:number/end", s.endConfV1Meeting)

	app.GET("/mediator", s.listAppEndpoints(carrierx.EndpointMediator, "Mediator", "mediator"))
	app.GET("/mediator/:endpoint", s.showMediator)
	app.POST("/mediator/:endpoint/bindings", s.createBinding)
	app.GET("/mediator/:endpoint/bindings/:binding/edit", s.editBinding)
	app.GET("/mediator/:endpoint/bindings/:binding/row", s.showBindingRow)
	app.POST("/mediator/:endpoint/bindings/:binding", s.saveBinding)
	app.POST("/mediator/:endpoint/bindings/:binding/delete", s.deleteBinding)
	app.POST("/mediator/:endpoint/dialouts", s.createDialout)
	app.GET("/mediator/:endpoint/dialouts/:dialout", s.showDialout)
	app.GET("/mediator/:endpoint/dialouts/:dialout/state", s.dialoutStatePart)
	app.POST("/mediator/:endpoint/dialouts/:dialout/cancel", s.cancelDialout)

	app.GET("/flexml", s.listAppEndpoints(carrierx.EndpointFlexML, "FlexML", "flexml"))
	app.GET("/flexml/:endpoint", s.showFlexML)
	app.POST("/flexml/:endpoint/account", s.saveFlexMLAccount)
	app.GET("/flexml/:endpoint/numbers/:did/edit", s.editFlexMLNumber)
	app.GET("/flexml/:endpoint/numbers/:did/row", s.showFlexMLNumberRow)
	app.POST("/flexml/:endpoint/numbers/:did", s.saveFlexMLNumber)
	app.POST("/flexml/:endpoint/calls", s.placeFlexMLCall)
	app.GET("/flexml/:endpoint/calls/:call", s.showFlexMLCall)
	app.GET("/flexml/:endpoint/calls/:call/state", s.flexMLCallStatePart)
	app.POST("/flexml/:endpoint/calls/:call/cancel", s.cancelFlexMLCall)

	app.GET("/audit", s.listAudit)
	return e
}
