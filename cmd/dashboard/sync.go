package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/reports"
	"github.com/carrierx-ops/dashboard/internal/store"
)

// runSync copies one partner's records and invoices from CarrierX into the
// report cache: once with --once, else every --interval until interrupted.
//
// Environment: CARRIERX_API_URL (required), CARRIERX_TOKEN or
// CARRIERX_LOGIN and CARRIERX_PASSWORD (a token is then made for the run and
// revoked at its end), DATABASE_URL.
func runSync(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	once := fs.Bool("once", false, "sync every source once, print a summary and exit")
	interval := fs.Duration("interval", reports.DefaultInterval, "time between syncs without --once")
	horizon := fs.Duration("horizon", reports.DefaultHorizon, "how far back a source's first sync starts")
	overlap := fs.Duration("overlap", reports.DefaultOverlap, "how far before the last record each sync starts again")
	quiet := fs.Bool("quiet", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	apiURL := os.Getenv("CARRIERX_API_URL")
	if apiURL == "" {
		return errors.New("sync: CARRIERX_API_URL must be set")
	}
	token, login, password := os.Getenv("CARRIERX_TOKEN"), os.Getenv("CARRIERX_LOGIN"), os.Getenv("CARRIERX_PASSWORD")
	if token == "" && (login == "" || password == "") {
		return errors.New("sync: set CARRIERX_TOKEN, or CARRIERX_LOGIN and CARRIERX_PASSWORD")
	}

	tuneGCForSync()
	dbURL := env("DATABASE_URL", store.DefaultURL)
	if _, err := store.Migrate(ctx, dbURL); err != nil {
		return err
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()

	base := carrierx.New(apiURL, carrierx.WithUserAgent("carrierx-console-sync"))
	if token == "" {
		t, err := base.CreateToken(ctx, carrierx.TokenRequest{Login: login, Password: password, Name: "dashboard sync"})
		if err != nil {
			return fmt.Errorf("sync: sign in to CarrierX: %w", err)
		}
		token = t.AccessToken
		defer func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := base.WithBearer(token).RevokeToken(rctx, token); err != nil {
				log.Warn("sync: revoke the token", "err", err)
			}
		}()
	}
	client := base.WithBearer(token)
	me, err := client.WhoAmI(ctx)
	if err != nil {
		return fmt.Errorf("sync: whoami: %w", err)
	}

	configure := func(sy *reports.Syncer) {
		sy.Horizon, sy.Overlap = *horizon, *overlap
		if !*quiet {
			sy.Progress = progressPrinter(os.Stderr)
		}
	}
	if !*once {
		sched := &reports.Scheduler{
			Store: db, Client: base, Partners: []string{me.PartnerSID}, Interval: *interval, Logger: log,
			Tokens:    reports.TokenFunc(func(context.Context, string) (string, error) { return token, nil }),
			Configure: configure,
			OnResult: func(_ string, results []reports.Result) {
				printResults(os.Stdout, results)
			},
		}
		err := sched.Run(ctx)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}

	sy := &reports.Syncer{Store: db, Client: client, PartnerSID: me.PartnerSID, Logger: log}
	configure(sy)
	results := sy.SyncAll(ctx)
	fmt.Printf("partner %s (%s)\n", me.PartnerSID, me.Name)
	printResults(os.Stdout, results)
	failed := 0
	for _, r := range results {
		if r.Failed() {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("sync: %d of %d sources failed", failed, len(results))
	}
	return nil
}

// tuneGCForSync trades memory for CPU in a sync run, which allocates a
// great deal that dies young: collect at four times the live heap rather
// than twice, but never let the heap pass 220 MiB. GOGC and GOMEMLIMIT in
// the environment win.
func tuneGCForSync() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(220 << 20)
	}
}

// printResults writes one row per source.
func printResults(w io.Writer, results []reports.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\trecords\tnew\tcached\tseconds\trecords/s\t  status\t")
	for _, r := range results {
		status := "ok"
		switch {
		case r.Skipped():
			status = "running elsewhere"
		case r.Err != nil:
			status = "failed: " + strings.ReplaceAll(r.Err.Error(), "\t", " ")
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\t%.0f\t  %s\t\n", r.Source, r.Records, r.Inserted, r.Total,
			r.Elapsed.Seconds(), r.Rate, status)
	}
	_ = tw.Flush()
}

// progressPrinter prints a progress line at most every two seconds per source.
func progressPrinter(w io.Writer) func(reports.Progress) {
	last := map[string]time.Time{}
	return func(p reports.Progress) {
		if p.Done || time.Since(last[p.Source]) < 2*time.Second {
			return
		}
		last[p.Source] = time.Now()
		left := "unknown"
		if p.Remaining >= 0 {
			left = p.Remaining.Round(time.Second).String()
		}
		fmt.Fprintf(w, "%s: %d records, %.0f/s, through %s, about %s left\n",
			p.Source, p.Records, p.Rate, p.Through.Format(time.RFC3339), left)
	}
}
