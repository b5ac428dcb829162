package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carrierx-ops/dashboard/internal/carrierx"
	"github.com/carrierx-ops/dashboard/internal/store/storetest"
)

// The binary as a user runs it: these tests build it and run its commands.

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dashboard")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// start runs the binary until the test ends, and waits until addr answers path.
func start(t *testing.T, bin string, env []string, addr, path string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	stderr, _ := cmd.StderrPipe()
	require.NoError(t, cmd.Start())
	var logs strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
		}
	}()
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + path); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%v did not start:\n%s", args, logs.String())
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeOnTheBuiltInSandbox(t *testing.T) {
	bin := build(t)
	db := storetest.NewDatabase(t)
	addr := freeAddr(t)
	start(t, bin, []string{"DATABASE_URL=" + db, "CARRIERX_API_URL=", "DASHBOARD_SECRET="}, addr, "/healthz", "serve", "--addr", addr)

	code, _ := get(t, "http://"+addr+"/healthz")
	assert.Equal(t, http.StatusOK, code)
	code, body := get(t, "http://"+addr+"/readyz")
	assert.Equal(t, http.StatusOK, code, body)
	_, body = get(t, "http://"+addr+"/login")
	assert.Contains(t, body, "Sandbox: sign in as", "the demo credentials are shown in sandbox mode")

	cmd := exec.Command(bin, "migrate")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+db)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "database is up to date (0 applied now)", "serve already applied the migrations")
}

func TestSecretIsRequiredForTheRealCarrierX(t *testing.T) {
	bin := build(t)
	cmd := exec.Command(bin, "serve", "--addr", freeAddr(t))
	cmd.Env = append(os.Environ(), "DATABASE_URL="+storetest.NewDatabase(t),
		"CARRIERX_API_URL=https://api.carrierx.example", "DASHBOARD_SECRET=")
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "DASHBOARD_SECRET must be set")
}

func TestSandboxCommandServesAnyHTTPClient(t *testing.T) {
	bin := build(t)
	addr := freeAddr(t)
	start(t, bin, nil, addr, "/core/v2/oauth/whoami", "sandbox", "--addr", addr)

	resp, err := http.PostForm("http://"+addr+"/core/v2/oauth/token",
		url.Values{"grant_type": {"password"}, "username": {"demo"}, "password": {"demo"}})
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(b), `"token_type":"bearer"`)

	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/core/v2/phonenumber/dids?limit=5", nil)
	req.SetBasicAuth("demo", "demo")
	r2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer r2.Body.Close()
	b, _ = io.ReadAll(r2.Body)
	assert.Equal(t, http.StatusOK, r2.StatusCode)
	assert.Contains(t, string(b), `"count":5`)

	// The hosted APIs on the same address, with an endpoint's credentials,
	// and short links by the Host header, as the README shows.
	cx := carrierx.New("http://"+addr).WithBasic("demo", "demo")
	ctx := context.Background()
	ep, err := cx.CreateEndpoint(ctx, carrierx.EndpointUpdate{Name: carrierx.Set("rooms"), Type: carrierx.Set(carrierx.EndpointConferenceV2)})
	require.NoError(t, err)
	conf, err := cx.ConferenceV2(*ep)
	require.NoError(t, err)
	room, err := conf.CreateMeetingRoom(ctx, carrierx.ConfV2MeetingRoomUpdate{Name: carrierx.Set("Standup")})
	require.NoError(t, err)
	assert.Len(t, room.AccessCodes, 3, "a code for each role")

	dom, err := cx.CreateShortenerDomain(ctx, carrierx.ShortenerDomainUpdate{DomainName: carrierx.Set("go.example.com")})
	require.NoError(t, err)
	link, err := cx.CreateShortenerLink(ctx, carrierx.ShortenerLinkUpdate{DomainSID: carrierx.Set(dom.DomainSID),
		DestinationURL: carrierx.Set("https://www.example.org/welcome")})
	require.NoError(t, err)
	req, _ = http.NewRequest(http.MethodGet, "http://"+addr+"/"+link.ShortName, nil)
	req.Host = "go.example.com"
	r3, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	r3.Body.Close()
	assert.Equal(t, http.StatusFound, r3.StatusCode)
	assert.Equal(t, "https://www.example.org/welcome", r3.Header.Get("Location"))
}

func TestSandboxCommandGeneratesTheRecordsAskedFor(t *testing.T) {
	bin := build(t)
	addr := freeAddr(t)
	start(t, bin, nil, addr, "/core/v2/oauth/whoami", "sandbox", "--addr", addr, "--cdrs", "2500", "--other-cdrs", "0", "--messages", "30")
	count := func(login, path string) int {
		c := carrierx.New("http://"+addr).WithBasic(login, login)
		n := 0
		for _, err := range carrierx.All[json.RawMessage](context.Background(), c, path, carrierx.ListOptions{Limit: 1000}) {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 2500, count("demo", "/calls/call_drs"))
	assert.Equal(t, 30, count("demo", "/sms/message_drs"))
	assert.Equal(t, 0, count("other", "/calls/call_drs"))
}
