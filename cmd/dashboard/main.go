// Command dashboard is the CarrierX operations console.
//
//	dashboard [serve]   the console (default)
//	dashboard migrate   apply the database migrations
//	dashboard sandbox   the CarrierX sandbox alone
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones even where the system has none (scratch images)

	"github.com/shopspring/decimal"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/sandbox"
	"github.com/carrierx-ops/dashboard/internal/store"
	"github.com/carrierx-ops/dashboard/internal/views"
	"github.com/carrierx-ops/dashboard/internal/web"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd, args := "serve", os.Args[1:]
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, log, args)
	case "migrate":
		err = migrate(ctx, args)
	case "sandbox":
		err = runSandbox(ctx, log, args)
	case "sync":
		err = runSync(ctx, log, args)
	case "help", "-h", "--help":
		usage()
		return
	default:
		fmt.Fprintf(os.Stderr, "dashboard: unknown command %q\n\n", cmd)
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dashboard:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `Usage:
  dashboard [serve] [--addr :8080]   run the console
  dashboard migrate                  apply the database migrations
  dashboard sandbox --addr HOST:PORT run the CarrierX sandbox alone
                     [--seed N] [--cdrs N] [--other-cdrs N] [--messages N]
  dashboard sync --once              copy one partner's records and invoices into Postgres

Environment:
  DASHBOARD_ADDR           listen address (default :8080)
  DATABASE_URL             Postgres (default `+store.DefaultURL+`)
  CARRIERX_API_URL         CarrierX host, e.g. https://api.carrierx.com (empty: the built-in sandbox)
  DASHBOARD_SECRET         seals session data; required with CARRIERX_API_URL
  DASHBOARD_SECURE_COOKIES true behind a TLS-terminating proxy
  DASHBOARD_TRUST_PROXY    true to take client addresses from X-Forwarded-For
  DASHBOARD_SESSION_IDLE   idle time before a session ends (default 8h)
  DASHBOARD_SYNC_INTERVAL  time between report syncs of signed-in partners (default 5m)
  DASHBOARD_RECON_THRESHOLD invoice/record difference flagged in reconciliation (default 0.01)
`)
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func migrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	applied, err := store.Migrate(ctx, env("DATABASE_URL", store.DefaultURL))
	if err != nil {
		return err
	}
	for _, a := range applied {
		fmt.Println("applied", a)
	}
	fmt.Printf("database is up to date (%d applied now)\n", len(applied))
	return nil
}

func serve(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", env("DASHBOARD_ADDR", ":8080"), "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dbURL := env("DATABASE_URL", store.DefaultURL)
	if _, err := store.Migrate(ctx, dbURL); err != nil {
		return err
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()

	cfg := web.Config{
		Store: db, Logger: log,
		SecureCookies: envBool("DASHBOARD_SECURE_COOKIES"),
		TrustProxy:    envBool("DASHBOARD_TRUST_PROXY"),
	}
	if v := os.Getenv("DASHBOARD_SESSION_IDLE"); v != "" {
		if cfg.SessionIdle, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("DASHBOARD_SESSION_IDLE: %w", err)
		}
	}
	if v := os.Getenv("DASHBOARD_RECON_THRESHOLD"); v != "" {
		if cfg.ReconThreshold, err = decimal.NewFromString(v); err != nil || !cfg.ReconThreshold.IsPositive() {
			return fmt.Errorf("DASHBOARD_RECON_THRESHOLD: want a positive amount such as 0.01, got %q", v)
		}
	}
	var syncInterval time.Duration
	if v := os.Getenv("DASHBOARD_SYNC_INTERVAL"); v != "" {
		if syncInterval, err = time.ParseDuration(v); err != nil || syncInterval < time.Minute {
			return fmt.Errorf("DASHBOARD_SYNC_INTERVAL: want a duration of at least 1m such as 10m, got %q", v)
		}
	}

	apiURL := os.Getenv("CARRIERX_API_URL")
	secret := []byte(os.Getenv("DASHBOARD_SECRET"))
	if apiURL == "" {
		sb := sandbox.New(sandbox.Config{})
		url, stopSandbox, err := sb.Listen("127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("start the sandbox: %w", err)
		}
		defer stopSandbox(context.Background())
		apiURL = url
		demo := sb.DemoPartner()
		cfg.DemoHint = &views.DemoHint{Login: demo.Login, Password: demo.Password}
		cfg.Demo = sb
		log.Info("CarrierX sandbox started in-process", "url", url, "demo_login", demo.Login)
		if len(secret) == 0 {
			if secret, err = db.Secret(ctx, "session", randomSecret); err != nil {
				return fmt.Errorf("session secret: %w", err)
			}
		}
	}
	if len(secret) < 32 {
		return errors.New("DASHBOARD_SECRET must be set to at least 32 random characters when CARRIERX_API_URL is set")
	}
	cfg.SessionSecret = secret
	cfg.CarrierX = carrierx.New(apiURL, carrierx.WithUserAgent("carrierx-console"))

	srv, err := web.New(cfg)
	if err != nil {
		return err
	}
	go sweepSessions(ctx, log, db)
	go func() {
		if err := srv.RunSync(ctx, syncInterval); err != nil && ctx.Err() == nil {
			log.Error("report sync stopped", "err", err)
		}
	}()

	hs := &http.Server{
		Addr: *addr, Handler: srv,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
	}
	return listenUntilDone(ctx, log, hs, "console listening")
}

func randomSecret() ([]byte, error) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}

// sweepSessions deletes expired session rows now and then.
func sweepSessions(ctx context.Context, log *slog.Logger, db *store.Store) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := db.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("sweep sessions", "err", err)
		} else if n > 0 {
			log.Info("expired sessions removed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runSandbox(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	seed := fs.Int64("seed", 1, "seed of the generated data")
	cdrs := fs.Int("cdrs", 100_000, "the demo partner's call detail records over the last 90 days (0: none)")
	otherCDRs := fs.Int("other-cdrs", -1, "the other partner's call detail records (-1: a tenth of --cdrs)")
	messages := fs.Int("messages", -1, "the demo partner's message detail records (-1: a fifth of --cdrs)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sb := sandbox.New(sandbox.Config{Seed: *seed, CDRs: countFlag(*cdrs, 0),
		OtherCDRs: countFlag(*otherCDRs, -1), MessageDRs: countFlag(*messages, -1)})
	hs := &http.Server{Addr: *addr, Handler: sandboxHandler(sb), ReadHeaderTimeout: 10 * time.Second}
	demo := sb.DemoPartner()
	log.Info("demo partner", "login", demo.Login, "password", demo.Password, "partner_sid", demo.PartnerSID)
	return listenUntilDone(ctx, log, hs, "CarrierX sandbox listening")
}

// sandboxHandler serves the APIs under their prefixes and, on any other
// path, the short links of the shortener's domains (found by the Host
// header), as CarrierX's short-link servers would.
func sandboxHandler(sb *sandbox.Sandbox) http.Handler {
	api, short := sb.Handler(), sb.ShortLinkHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range []string{"/core/", "/conference/", "/flexml/", "/mediator/"} {
			if strings.HasPrefix(r.URL.Path, p) {
				api.ServeHTTP(w, r)
				return
			}
		}
		short.ServeHTTP(w, r)
	})
}

// countFlag maps a record-count flag onto sandbox.Config's convention (zero:
// the default, negative: none): def is the flag value meaning "default".
func countFlag(n, def int) int {
	switch {
	case n == def:
		return 0
	case n <= 0:
		return -1
	}
	return n
}

func listenUntilDone(ctx context.Context, log *slog.Logger, hs *http.Server, msg string) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info(msg, "addr", hs.Addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdown)
}
