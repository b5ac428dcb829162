// Command bench measures the report cache end to end, as `make bench` runs it:
// the dashboard binary syncs a sandbox holding 1,000,000 call records for one
// partner and 1,000,000 for another into a fresh Postgres database, beside a
// raw COPY of the same rows; then the console serves the explorer, its
// summary and a CSV export of the whole set over HTTP. It prints a table and
// writes the same figures to bench/results.json.
//
//	go run ./bench [-cdrs 1000000] [-other-cdrs 1000000] [-out bench/results.json]
//
// DATABASE_URL names the server; the benchmark creates and drops its own
// database on it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
)

// Targets of the report cache (issue: reports cached in Postgres).
const (
	targetSyncRate     = 20_000 // records/s
	targetCopyRatio    = 0.25
	targetSyncRSSMB    = 300
	targetExplorerP95  = 50 * time.Millisecond
	targetSummaryP95   = 200 * time.Millisecond
	targetExportRate   = 100_000 // rows/s
	demoLogin, demoPwd = "demo", "demo"
	otherLogin         = "other"
)

// Results is bench/results.json.
type Results struct {
	When    time.Time `json:"when"`
	Machine Machine   `json:"machine"`
	Dataset Dataset   `json:"dataset"`
	Sync    Sync      `json:"sync"`
	Web     Web       `json:"web"`
	Checks  []Check   `json:"checks"`
}

type Machine struct {
	Cores      int    `json:"cores"`
	MemoryGiB  string `json:"memory_gib"`
	CPU        string `json:"cpu"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	PostgreSQL string `json:"postgresql"`
}

type Dataset struct {
	CallRecordsDemo  int `json:"call_records_demo"`
	CallRecordsOther int `json:"call_records_other"`
	CachedCallRows   int `json:"cached_call_rows"`
}

type Sync struct {
	Records          int64   `json:"records"`
	Seconds          float64 `json:"seconds"`
	RecordsPerSecond float64 `json:"records_per_second"`
	PeakRSSMB        float64 `json:"peak_rss_mb"`
	OtherPartnerRate float64 `json:"other_partner_records_per_second"`
	RawCopyRows      int64   `json:"raw_copy_rows"`
	RawCopySeconds   float64 `json:"raw_copy_seconds"`
	RawCopyPerSecond float64 `json:"raw_copy_rows_per_second"`
	RatioToRawCopy   float64 `json:"ratio_to_raw_copy"`
}

type Latency struct {
	Requests int     `json:"requests"`
	P50ms    float64 `json:"p50_ms"`
	P95ms    float64 `json:"p95_ms"`
	Maxms    float64 `json:"max_ms"`
}

type Web struct {
	ExplorerFirstPage30d Latency `json:"explorer_first_page_30d"`
	Summary30d           Latency `json:"summary_30d"`
	Summary90d           Latency `json:"summary_90d"`
	ExportRows           int64   `json:"export_rows"`
	ExportSeconds        float64 `json:"export_seconds"`
	ExportRowsPerSecond  float64 `json:"export_rows_per_second"`
	ExportBytes          int64   `json:"export_bytes"`
	ServeRSSBeforeMB     float64 `json:"serve_rss_before_export_mb"`
	ServeRSSPeakMB       float64 `json:"serve_rss_peak_during_export_mb"`
	ServeRSSGrowthMB     float64 `json:"serve_rss_growth_during_export_mb"`
}

// Check is one target and whether it was met.
type Check struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Target string `json:"target"`
	Met    bool   `json:"met"`
}

func main() {
	cdrs := flag.Int("cdrs", 1_000_000, "call records of the partner whose sync is measured")
	other := flag.Int("other-cdrs", 1_000_000, "call records of a second partner, synced too")
	out := flag.String("out", "bench/results.json", "where the figures are written as JSON")
	requests := flag.Int("requests", 40, "timed requests per web measurement")
	keep := flag.Bool("keep", false, "keep the benchmark database afterwards")
	flag.Parse()

	ctx := context.Background()
	b := &bench{requests: *requests}
	err := b.run(ctx, *cdrs, *other, *keep)
	b.cleanup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	b.res.When = time.Now().UTC().Truncate(time.Second)
	printTable(os.Stdout, &b.res)
	data, _ := json.MarshalIndent(&b.res, "", "  ")
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Printf("\nwritten to %s\n", *out)
}

type bench struct {
	requests int
	res      Results
	dir      string
	bin      string
	adminURL string // the server's maintenance database
	dbURL    string // the benchmark's own database
	dbName   string
	keep     bool
	procs    []*exec.Cmd
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func (b *bench) cleanup() {
	for _, p := range b.procs {
		if p.Process != nil && p.ProcessState == nil {
			_ = p.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = p.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = p.Process.Kill()
			}
		}
	}
	if b.dbName != "" && !b.keep {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, b.adminURL); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{b.dbName}.Sanitize()+" WITH (FORCE)")
			_ = conn.Close(ctx)
		}
	}
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}

func (b *bench) run(ctx context.Context, cdrs, other int, keep bool) error {
	b.keep = keep
	b.res.Dataset = Dataset{CallRecordsDemo: cdrs, CallRecordsOther: other}
	b.res.Machine = machine()
	var err error
	if b.dir, err = os.MkdirTemp("", "dashboard-bench-"); err != nil {
		return err
	}

	b.logf("building the dashboard")
	b.bin = filepath.Join(b.dir, "dashboard")
	build := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "./cmd/dashboard")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if err := b.createDatabase(ctx); err != nil {
		return err
	}
	if err := b.dashboard(ctx, nil, "migrate").Run(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	db, err := pgx.Connect(ctx, b.dbURL)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	_ = db.QueryRow(ctx, "SHOW server_version").Scan(&b.res.Machine.PostgreSQL)

	// The sandbox runs as its own process, as CarrierX would.
	sbAddr, err := freeAddr()
	if err != nil {
		return err
	}
	b.logf("starting the sandbox with %d + %d call records", cdrs, other)
	sb := b.dashboard(ctx, nil, "sandbox", "--addr", sbAddr, "--cdrs", strconv.Itoa(cdrs), "--other-cdrs", strconv.Itoa(other))
	if err := b.start(sb); err != nil {
		return err
	}
	apiURL := "http://" + sbAddr
	if err := waitHTTP(ctx, apiURL+"/core/v2/oauth/whoami", 30*time.Second); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	// The first record request generates the records; keep that out of the sync.
	if err := warmSandbox(ctx, apiURL, demoLogin, demoPwd); err != nil {
		return err
	}

	b.logf("syncing partner %s", demoLogin)
	rss, err := b.syncPartner(ctx, apiURL, demoLogin, demoPwd)
	if err != nil {
		return err
	}
	b.res.Sync.PeakRSSMB = rss
	var demoSID string
	if err := db.QueryRow(ctx, `SELECT partner_sid, last_run_records, rate,
			extract(epoch FROM last_run_finished_at - last_run_started_at)
		FROM sync_state WHERE source = 'calls'`).Scan(&demoSID, &b.res.Sync.Records, &b.res.Sync.RecordsPerSecond, &b.res.Sync.Seconds); err != nil {
		return fmt.Errorf("read the sync's figures: %w", err)
	}

	b.logf("raw COPY of the same rows")
	if err := b.rawCopy(ctx, db, demoSID); err != nil {
		return err
	}
	if b.res.Sync.RawCopyPerSecond > 0 {
		b.res.Sync.RatioToRawCopy = b.res.Sync.RecordsPerSecond / b.res.Sync.RawCopyPerSecond
	}

	b.logf("syncing partner %s", otherLogin)
	if _, err := b.syncPartner(ctx, apiURL, otherLogin, otherLogin); err != nil {
		return err
	}
	_ = db.QueryRow(ctx, `SELECT rate FROM sync_state WHERE source = 'calls' AND partner_sid <> $1`, demoSID).Scan(&b.res.Sync.OtherPartnerRate)
	if _, err := db.Exec(ctx, "VACUUM ANALYZE call_records"); err != nil {
		return err
	}
	_ = db.QueryRow(ctx, "SELECT count(*) FROM call_records").Scan(&b.res.Dataset.CachedCallRows)

	if err := b.measureWeb(ctx, db, apiURL, demoSID); err != nil {
		return err
	}
	b.res.Checks = checks(&b.res)
	return nil
}

func (b *bench) dashboard(ctx context.Context, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+b.dbURL), env...)
	cmd.Stderr = io.Discard
	if os.Getenv("BENCH_VERBOSE") != "" {
		cmd.Stderr = os.Stderr
	}
	return cmd
}

func (b *bench) start(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	b.procs = append(b.procs, cmd)
	return nil
}

func (b *bench) createDatabase(ctx context.Context) error {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	admin := *u
	admin.Path = "/postgres"
	b.adminURL = admin.String()
	b.dbName = fmt.Sprintf("dashboard_bench_%d", os.Getpid())
	own := *u
	own.Path = "/" + b.dbName
	b.dbURL = own.String()
	conn, err := pgx.Connect(ctx, b.adminURL)
	if err != nil {
		return fmt.Errorf("connect to Postgres: %w", err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{b.dbName}.Sanitize())
	return err
}

// syncPartner runs `dashboard sync --once` for one partner and returns the
// process's peak resident memory in MB.
func (b *bench) syncPartner(ctx context.Context, apiURL, login, password string) (float64, error) {
	cmd := b.dashboard(ctx, []string{"CARRIERX_API_URL=" + apiURL, "CARRIERX_LOGIN=" + login,
		"CARRIERX_PASSWORD=" + password}, "sync", "--once", "--quiet")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("sync %s: %w\n%s", login, err, out.String())
	}
	fmt.Fprint(os.Stderr, out.String())
	if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		b.logf("sync process: user %.1fs, system %.1fs", time.Duration(u.Utime.Nano()).Seconds(), time.Duration(u.Stime.Nano()).Seconds())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, errors.New("no resource usage for the sync process")
	}
	return float64(ru.Maxrss) / 1024, nil // Linux reports kilobytes
}

// rawCopy copies the partner's cached rows out, then times a COPY of those
// same rows into an empty table of the same definition (columns, key and
// indexes): the floor any sync into that table pays.
func (b *bench) rawCopy(ctx context.Context, db *pgx.Conn, partnerSID string) error {
	f, err := os.Create(filepath.Join(b.dir, "calls.copy"))
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := db.PgConn().CopyTo(ctx, f, "COPY (SELECT * FROM call_records WHERE partner_sid = "+
		quoteLiteral(partnerSID)+") TO STDOUT (FORMAT binary)"); err != nil {
		return fmt.Errorf("copy out: %w", err)
	}
	if _, err := db.Exec(ctx, "CREATE TABLE bench_call_records_copy (LIKE call_records INCLUDING ALL)"); err != nil {
		return err
	}
	defer func() { _, _ = db.Exec(context.WithoutCancel(ctx), "DROP TABLE bench_call_records_copy") }()
	if _, err := db.Exec(ctx, "CHECKPOINT"); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	t0 := time.Now()
	tag, err := db.PgConn().CopyFrom(ctx, bufio.NewReaderSize(f, 1<<20), "COPY bench_call_records_copy FROM STDIN (FORMAT binary)")
	if err != nil {
		return fmt.Errorf("copy in: %w", err)
	}
	secs := time.Since(t0).Seconds()
	b.res.Sync.RawCopyRows, b.res.Sync.RawCopySeconds = tag.RowsAffected(), secs
	b.res.Sync.RawCopyPerSecond = float64(tag.RowsAffected()) / secs
	return nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// measureWeb starts the console on the synced database, signs in as the demo
// partner and times the explorer, its summary and the CSV export.
func (b *bench) measureWeb(ctx context.Context, db *pgx.Conn, apiURL, partnerSID string) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	serve := b.dashboard(ctx, []string{"CARRIERX_API_URL=" + apiURL, "DASHBOARD_SECRET=" + hex.EncodeToString(secret),
		"DASHBOARD_SYNC_INTERVAL=24h"}, "serve", "--addr", addr)
	if err := b.start(serve); err != nil {
		return err
	}
	base := "http://" + addr
	if err := waitHTTP(ctx, base+"/healthz", 30*time.Second); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	client, err := signIn(ctx, base, demoLogin, demoPwd)
	if err != nil {
		return err
	}
	// Signing in starts a sync of the partner; let it finish first.
	if err := waitSyncIdle(ctx, db, partnerSID, time.Now().Add(-time.Minute)); err != nil {
		return err
	}

	b.logf("timing the explorer and its summary")
	explorer := base + "/records/calls?preset=30d&direction=outbound"
	if b.res.Web.ExplorerFirstPage30d, err = timeGets(ctx, client, explorer, b.requests, `id="calls"`); err != nil {
		return err
	}
	if b.res.Web.Summary30d, err = timeGets(ctx, client, base+"/records/calls/summary?preset=30d", b.requests, "summary"); err != nil {
		return err
	}
	if b.res.Web.Summary90d, err = timeGets(ctx, client, base+"/records/calls/summary?preset=90d", b.requests, "summary"); err != nil {
		return err
	}

	b.logf("exporting every cached call of the partner as CSV")
	w := &b.res.Web
	w.ServeRSSBeforeMB = rssMB(serve.Process.Pid)
	stop := make(chan struct{})
	peak := make(chan float64, 1)
	go func() {
		m := w.ServeRSSBeforeMB
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				peak <- m
				return
			case <-t.C:
				m = max(m, rssMB(serve.Process.Pid))
			}
		}
	}()
	from := time.Now().UTC().AddDate(0, 0, -100).Format("2006-01-02T15:04")
	to := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02T15:04")
	t0 := time.Now()
	rows, size, err := countCSV(ctx, client, base+"/records/calls.csv?preset=custom&from="+from+"&to="+to)
	close(stop)
	w.ServeRSSPeakMB = <-peak
	if err != nil {
		return err
	}
	w.ExportSeconds = time.Since(t0).Seconds()
	w.ExportRows, w.ExportBytes = rows, size
	w.ExportRowsPerSecond = float64(rows) / w.ExportSeconds
	w.ServeRSSGrowthMB = w.ServeRSSPeakMB - w.ServeRSSBeforeMB
	var want int64
	_ = db.QueryRow(ctx, "SELECT count(*) FROM call_records WHERE partner_sid = $1", partnerSID).Scan(&want)
	if rows != want {
		return fmt.Errorf("export: %d rows, but %d are cached for the partner", rows, want)
	}
	return nil
}

// signIn signs in through the console's form and returns a client holding the session.
func signIn(ctx context.Context, base, login, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 5 * time.Minute}
	page, err := get(ctx, c, base+"/login")
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return nil, errors.New("sign-in form without a CSRF token")
	}
	form := url.Values{"login": {login}, "password": {password}, "_csrf": {string(m[1])}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || bytes.Contains(body, []byte(`action="/login"`)) {
		return nil, fmt.Errorf("sign-in as %s failed: %s", login, resp.Status)
	}
	return c, nil
}

func get(ctx context.Context, c *http.Client, u string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return body, err
}

// timeGets requests u a few times untimed, then n times timed; every answer
// must contain marker.
func timeGets(ctx context.Context, c *http.Client, u string, n int, marker string) (Latency, error) {
	var ds []time.Duration
	for i := range n + 3 {
		t0 := time.Now()
		body, err := get(ctx, c, u)
		d := time.Since(t0)
		if err != nil {
			return Latency{}, err
		}
		if !bytes.Contains(body, []byte(marker)) {
			return Latency{}, fmt.Errorf("GET %s: the answer lacks %q", u, marker)
		}
		if i >= 3 {
			ds = append(ds, d)
		}
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return Latency{Requests: n, P50ms: ms(percentile(ds, 50)), P95ms: ms(percentile(ds, 95)), Maxms: ms(ds[len(ds)-1])}, nil
}

// percentile of sorted ds, nearest rank.
func percentile(ds []time.Duration, p int) time.Duration {
	i := (p*len(ds)+99)/100 - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// countCSV downloads u and counts its records (lines after the header; the
// export quotes no newlines into fields of call records).
func countCSV(ctx context.Context, c *http.Client, u string) (rows, size int64, err error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	buf := make([]byte, 1<<20)
	var lines int64
	for {
		n, rerr := resp.Body.Read(buf)
		size += int64(n)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return 0, 0, rerr
		}
	}
	return lines - 1, size, nil
}

// waitSyncIdle waits until every source of the partner has finished a run
// started after since.
func waitSyncIdle(ctx context.Context, db *pgx.Conn, partnerSID string, since time.Time) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var running int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM sync_state WHERE partner_sid = $1
			AND (last_run_started_at < $2 OR last_run_finished_at IS NULL OR last_run_finished_at < last_run_started_at)
			AND (last_error_at IS NULL OR last_error_at < last_run_started_at)`, partnerSID, since).Scan(&running); err != nil {
			return err
		}
		if running == 0 {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("the console's sync after sign-in did not finish in 2 minutes")
}

func warmSandbox(ctx context.Context, apiURL, login, password string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, apiURL+"/core/v2/calls/call_drs?limit=1", nil)
	req.SetBasicAuth(login, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sandbox call records: %s", resp.Status)
	}
	return nil
}

func waitHTTP(ctx context.Context, u string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer in %s: %w", u, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// rssMB is a process's resident memory now, in MB (0 when unknown).
func rssMB(pid int) float64 {
	return procStatusKB(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:") / 1024
}

func procStatusKB(path, key string) float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return 0
}

func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if kb := procStatusKB("/proc/meminfo", "MemTotal:"); kb > 0 {
		m.MemoryGiB = strconv.FormatFloat(kb/1024/1024, 'f', 1, 64)
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

func checks(r *Results) []Check {
	ms := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + " ms" }
	return []Check{
		{"sync records/s", fmt.Sprintf("%.0f", r.Sync.RecordsPerSecond), fmt.Sprintf(">= %d", targetSyncRate),
			r.Sync.RecordsPerSecond >= targetSyncRate},
		{"sync / raw COPY", fmt.Sprintf("%.2f", r.Sync.RatioToRawCopy), fmt.Sprintf(">= %.2f", targetCopyRatio),
			r.Sync.RatioToRawCopy >= targetCopyRatio},
		{"sync peak memory", fmt.Sprintf("%.0f MB", r.Sync.PeakRSSMB), fmt.Sprintf("<= %d MB", targetSyncRSSMB),
			r.Sync.PeakRSSMB <= targetSyncRSSMB},
		{"explorer first page p95 (30 days)", ms(r.Web.ExplorerFirstPage30d.P95ms), "<= 50 ms",
			r.Web.ExplorerFirstPage30d.P95ms <= float64(targetExplorerP95.Milliseconds())},
		{"summary p95 (30 days)", ms(r.Web.Summary30d.P95ms), "<= 200 ms",
			r.Web.Summary30d.P95ms <= float64(targetSummaryP95.Milliseconds())},
		{"summary p95 (90 days)", ms(r.Web.Summary90d.P95ms), "<= 200 ms",
			r.Web.Summary90d.P95ms <= float64(targetSummaryP95.Milliseconds())},
		{"CSV export rows/s", fmt.Sprintf("%.0f", r.Web.ExportRowsPerSecond), fmt.Sprintf(">= %d", targetExportRate),
			r.Web.ExportRowsPerSecond >= targetExportRate},
	}
}

func printTable(w io.Writer, r *Results) {
	m := r.Machine
	fmt.Fprintf(w, "\nMachine: %d cores, %s GiB, %s; %s %s; PostgreSQL %s\n", m.Cores, m.MemoryGiB, m.CPU, m.GoVersion, m.OS, m.PostgreSQL)
	fmt.Fprintf(w, "Data: %d call records for the measured partner, %d for another (%d cached rows)\n\n",
		r.Dataset.CallRecordsDemo, r.Dataset.CallRecordsOther, r.Dataset.CachedCallRows)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Measure\tValue\t")
	fmt.Fprintf(tw, "sync: records\t%d in %.1f s\t\n", r.Sync.Records, r.Sync.Seconds)
	fmt.Fprintf(tw, "sync: records/s\t%.0f\t\n", r.Sync.RecordsPerSecond)
	fmt.Fprintf(tw, "sync: records/s (second partner)\t%.0f\t\n", r.Sync.OtherPartnerRate)
	fmt.Fprintf(tw, "raw COPY of the same rows: rows/s\t%.0f (%d rows in %.1f s)\t\n", r.Sync.RawCopyPerSecond, r.Sync.RawCopyRows, r.Sync.RawCopySeconds)
	fmt.Fprintf(tw, "sync / raw COPY\t%.2f\t\n", r.Sync.RatioToRawCopy)
	fmt.Fprintf(tw, "sync: peak memory of the process\t%.0f MB\t\n", r.Sync.PeakRSSMB)
	lat := func(name string, l Latency) {
		fmt.Fprintf(tw, "%s\tp50 %.1f ms, p95 %.1f ms, max %.1f ms (%d requests)\t\n", name, l.P50ms, l.P95ms, l.Maxms, l.Requests)
	}
	lat("explorer first page, 30 days, outbound", r.Web.ExplorerFirstPage30d)
	lat("summary strip, 30 days", r.Web.Summary30d)
	lat("summary strip, 90 days", r.Web.Summary90d)
	fmt.Fprintf(tw, "CSV export\t%d rows, %.1f MB in %.1f s: %.0f rows/s\t\n", r.Web.ExportRows,
		float64(r.Web.ExportBytes)/1e6, r.Web.ExportSeconds, r.Web.ExportRowsPerSecond)
	fmt.Fprintf(tw, "console memory during export\t%.0f MB before, %.0f MB peak (+%.0f MB)\t\n",
		r.Web.ServeRSSBeforeMB, r.Web.ServeRSSPeakMB, r.Web.ServeRSSGrowthMB)
	_ = tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Target\tValue\tWanted\tMet\t")
	for _, c := range r.Checks {
		met := "yes"
		if !c.Met {
			met = "NO"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", c.Name, c.Value, c.Target, met)
	}
	_ = tw.Flush()
}
