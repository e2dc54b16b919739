package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
	"github.com/eps-tracker/eps-tracker/internal/certs"
)

// syncBuffer is a bytes.Buffer that a running command and a test can share.
// A test waits for what it expects with snapshot, not with a clock.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	next chan struct{} // closed by the next write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next != nil {
		close(s.next)
		s.next = nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// snapshot returns what was written so far, and a channel closed by the
// next write.
func (s *syncBuffer) snapshot() (string, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next == nil {
		s.next = make(chan struct{})
	}
	return s.b.String(), s.next
}

// serveSandbox runs "eps-tracker sandbox args…" until the test ends and
// returns, once it has said all it says on starting, the URL it prints.
func serveSandbox(t *testing.T, args ...string) (url string, stdout *syncBuffer) {
	t.Helper()
	stdout = start(t, "Stop with Ctrl-C.", "Sandbox stopped.", append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	u := regexp.MustCompile(`https?://\S+/mm/prescriptions`).FindString(stdout.String())
	if u == "" {
		t.Fatalf("the sandbox did not say where it listens: %s", stdout)
	}
	return u, stdout
}

// start runs the long-running command args until the test ends, and
// returns its output once it has written ready, the end of what it says on
// starting. When the test ends, the command must stop, saying goodbye.
func start(t *testing.T, ready, goodbye string, args ...string) (stdout *syncBuffer) {
	t.Helper()
	return startEnv(t, nil, ready, goodbye, args...)
}

// startEnv is start with environment variables: the command sees vars,
// and no other.
func startEnv(t *testing.T, vars map[string]string, ready, goodbye string, args ...string) (stdout *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout = &syncBuffer{}
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Context: ctx,
			Getenv: func(k string) string { return vars[k] }}, args)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != ExitOK {
			t.Errorf("%s exited %d: %s", args[0], code, stderr.String())
		}
		if !strings.Contains(stdout.String(), goodbye) {
			t.Errorf("no goodbye: %s", stdout.String())
		}
	})
	for {
		out, written := stdout.snapshot()
		if strings.Contains(out, ready) {
			return stdout
		}
		select {
		case <-written:
		case code := <-done:
			done <- code // for the clean-up
			t.Fatalf("%s exited %d before it was ready: %s %s", args[0], code, out, stderr.String())
		}
	}
}

func getSearch(t *testing.T, c *http.Client, url string) (*tracker.SearchResponse, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Spine-From-Asid", exampleASID)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return tracker.ParseSearch(body)
}

func TestSandboxServes(t *testing.T) {
	t.Parallel()
	url, out := serveSandbox(t, "--seed", "3", "--today", "20261124")
	// The example the sandbox prints works as printed.
	example := regexp.MustCompile(`'(http[^']+)'`).FindStringSubmatch(out.String())
	if example == nil {
		t.Fatalf("no example request in %s", out.String())
	}
	resp, err := getSearch(t, http.DefaultClient, example[1])
	if err != nil || resp.Err() != nil || len(resp.Prescriptions) == 0 {
		t.Fatalf("example search: %v %+v", err, resp)
	}
	if !strings.HasPrefix(example[1], url) {
		t.Errorf("example %s is not at %s", example[1], url)
	}
}

func TestSandboxPatients(t *testing.T) {
	t.Parallel()
	out, stderr, code := run(t, "", "sandbox", "patients", "--seed", "3", "--today", "20261124")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var n int
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var p struct {
			NHSNumber       string   `json:"nhsNumber"`
			PrescriptionIDs []string `json:"prescriptionIds"`
			Summary         string   `json:"summary"`
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		if !validate.ValidNHSNumber(p.NHSNumber) || p.Summary == "" || p.PrescriptionIDs == nil {
			t.Errorf("patient %+v", p)
		}
		n++
	}
	if n < 25 {
		t.Errorf("%d patients, want at least 25", n)
	}
	again, _, _ := run(t, "", "sandbox", "patients", "--seed", "3", "--today", "20261124")
	if again != out {
		t.Error("the same seed and date listed different patients")
	}
}

// TestSandboxTLS serves with client certificates required, as Spine does.
func TestSandboxTLS(t *testing.T) {
	t.Parallel()
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := set.WriteFiles(filepath.Join(t.TempDir(), "certs"))
	if err != nil {
		t.Fatal(err)
	}
	url, _ := serveSandbox(t, "--tls-cert", paths["server.pem"], "--tls-key", paths["server-key.pem"], "--client-ca", paths["ca.pem"])
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url %s is not https", url)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(set.CAPEM)
	client := func(certPEM, keyPEM []byte) *http.Client {
		cfg := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
		if certPEM != nil {
			cert, err := tls.X509KeyPair(certPEM, keyPEM)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Certificates = []tls.Certificate{cert}
		}
		tr := &http.Transport{TLSClientConfig: cfg}
		t.Cleanup(tr.CloseIdleConnections)
		return &http.Client{Transport: tr} // no clock: a server that never answers hangs the test until go test gives up
	}
	search := url + "?format=trace-summary&nhsNumber=9434765919"
	if resp, err := getSearch(t, client(set.ClientCertPEM, set.ClientKeyPEM), search); err != nil || resp.Err() != nil {
		t.Errorf("with the client certificate: %v %+v", err, resp)
	}
	if _, err := getSearch(t, client(nil, nil), search); err == nil {
		t.Error("a client without a certificate was served")
	}
	if _, err := getSearch(t, client(set.ExpiredClientCertPEM, set.ExpiredClientKeyPEM), search); err == nil {
		t.Error("a client with an expired certificate was served")
	}
}

func TestSandboxUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"sandbox", "--today", "2026-13-01"}, "--today"},
		{[]string{"sandbox", "--fault-rate", "status:999=0.5"}, "status"},
		{[]string{"sandbox", "--tls-cert", "server.pem"}, "--tls-key"},
		{[]string{"sandbox", "--tls-cert", "missing.pem", "--tls-key", "missing-key.pem"}, "loading the TLS certificate"},
		{[]string{"sandbox", "serve"}, "subcommands are patients and certs"},
		{[]string{"sandbox", "patients", "--today", "x"}, "--today"},
	}
	for _, tt := range tests {
		_, stderr, code := run(t, "", tt.args...)
		if code != ExitUsage || !strings.Contains(stderr, tt.says) {
			t.Errorf("%v: exit %d, stderr %q; want it to say %q", tt.args, code, stderr, tt.says)
		}
	}
}

func TestSandboxCerts(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "c")
	out, stderr, code := run(t, "", "sandbox", "certs", "--dir", dir)
	if code != ExitOK || !strings.Contains(out, filepath.Join(dir, "client.pem")) {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	for _, key := range []string{"ca-key.pem", "server-key.pem", "client-key.pem"} {
		if info, err := os.Stat(filepath.Join(dir, key)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", key, err, info.Mode().Perm())
		}
	}
	// A folder with a key in it is left alone unless --force says otherwise.
	dir = t.TempDir()
	key := filepath.Join(dir, "client-key.pem")
	os.WriteFile(key, []byte("someone's own key"), 0o600)
	out, stderr, code = run(t, "", "sandbox", "certs", "--dir", dir)
	if code != ExitInvalid || out != "" || !strings.Contains(stderr, "client-key.pem") || !strings.Contains(stderr, "--force") ||
		!strings.Contains(stderr, "nothing was written") {
		t.Errorf("over existing files: exit %d, %q %q", code, out, stderr)
	}
	if data, _ := os.ReadFile(key); string(data) != "someone's own key" {
		t.Error("a key was overwritten without --force")
	}
	if _, err := os.Stat(filepath.Join(dir, "ca.pem")); err == nil {
		t.Error("a missing file was written though others were refused: not all or nothing")
	}
	if _, stderr, code = run(t, "", "sandbox", "certs", "--dir", dir, "--force"); code != ExitOK {
		t.Errorf("--force: exit %d, %q", code, stderr)
	}
	if data, _ := os.ReadFile(key); string(data) == "someone's own key" {
		t.Error("--force left the old key")
	}
}
