//go:build !js

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/internal/certs"
)

// The tests here run the Worker in workerd, Cloudflare's runtime, as its
// npm package ships it: WORKERD names its binary (make test-worker installs
// it and sets it). Without it they are skipped.

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// workerdProcAttr is how workerd is started (workerd_linux_test.go).
var workerdProcAttr *syscall.SysProcAttr

// workerdBinary is the path of workerd's binary, or skips t.
func workerdBinary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("WORKERD")
	if bin == "" {
		t.Skip("WORKERD is not set: make test-worker installs workerd and runs these tests")
	}
	return bin
}

// built is the Worker's files, made ready once for all the tests: the
// entry module, Go's wasm_exec.js and the program, as make worker built
// them into WORKER_BUILD, or, without it, built here; and the test Workers.
var built struct {
	once sync.Once
	dir  string
	err  error
}

// workerFiles makes the Worker's files ready in a directory of their own
// and returns it.
func workerFiles(t testing.TB) string {
	t.Helper()
	built.once.Do(func() { built.dir, built.err = buildWorker(os.Getenv("WORKER_BUILD")) })
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.dir
}

func buildWorker(from string) (string, error) {
	dir, err := os.MkdirTemp("", "eps-tracker-worker-")
	if err != nil {
		return "", err
	}
	files := map[string]string{
		"baseline.mjs": filepath.Join("testdata", "baseline.mjs"),
		"tail.mjs":     filepath.Join("testdata", "tail.mjs"),
	}
	if from != "" {
		for _, name := range []string{"worker.mjs", "wasm_exec.js", "gateway.wasm"} {
			files[name] = filepath.Join(from, name)
		}
	} else {
		build := exec.Command("go", "build", "-trimpath", "-ldflags=-s", "-o", filepath.Join(dir, "gateway.wasm"), ".")
		build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := build.CombinedOutput(); err != nil {
			return "", fmt.Errorf("building the Worker: %v\n%s", err, out)
		}
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return "", fmt.Errorf("go env GOROOT: %v", err)
		}
		files["wasm_exec.js"] = filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
		files["worker.mjs"] = "worker.mjs"
	}
	for dst, src := range files {
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, dst), b, 0o644)
		}
		if err != nil {
			return "", err
		}
	}
	return dir, nil
}

// compatibilityDate is the Worker's compatibility date as wrangler.toml
// deploys it, so that workerd runs it as Cloudflare will.
func compatibilityDate(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("wrangler.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^compatibility_date\s*=\s*"([0-9-]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("wrangler.toml has no compatibility_date")
	}
	return string(m[1])
}

// spine is the sandbox served with TLS mutual authentication on loopback,
// as Spine is reached: only a client with a certificate from the set's CA
// gets an answer.
type spine struct {
	*httptest.Server
	set     *certs.Set
	sandbox *sandbox.Sandbox
}

func startSpine(t testing.TB) *spine {
	t.Helper()
	return startSpineWith(t, func(h http.Handler) http.Handler { return h })
}

// startSpineWith starts a spine whose handler is wrap's of the sandbox's.
func startSpineWith(t testing.TB, wrap func(http.Handler) http.Handler) *spine {
	t.Helper()
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Config{})
	srv := httptest.NewUnstartedServer(wrap(sandboxhttp.Handler(sb)))
	if srv.TLS, err = set.ServerTLSConfig(true); err != nil {
		t.Fatal(err)
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &spine{Server: srv, set: set, sandbox: sb}
}

// workerd is workerd running two Workers in front of a spine: the gateway
// (its env the settings given) and the JavaScript-only baseline, each on a
// socket of its own, with the tail Worker printing the gateway's audit
// records.
type workerd struct {
	gateway, baseline string // base URLs
	out               *output
}

func startWorkerd(t testing.TB, sp *spine, env map[string]string, tail bool) *workerd {
	t.Helper()
	return startWorkerdWith(t, sp, env, tail, "")
}

// startWorkerdWith is startWorkerd with the gateway's own fetches (its
// globalOutbound: the identity provider's keys) sent over plain HTTP to
// web, an address on loopback, whatever their URL ("" for workerd's own).
func startWorkerdWith(t testing.TB, sp *spine, env map[string]string, tail bool, web string) *workerd {
	t.Helper()
	bin := workerdBinary(t)
	files := workerFiles(t)
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"ca.pem":         sp.set.CAPEM,
		"client.pem":     sp.set.ClientCertPEM,
		"client-key.pem": sp.set.ClientKeyPEM,
		"config.capnp":   workerdConfig(relative(t, dir, files), compatibilityDate(t), sp.Listener.Addr().String(), env, tail, web),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The sockets are opened here and handed to workerd, which serves them
	// once it has started: a request made before then waits for it.
	var sockets []*os.File
	var urls []string
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		f, err := ln.(*net.TCPListener).File()
		ln.Close()
		if err != nil {
			t.Fatal(err)
		}
		sockets = append(sockets, f)
		urls = append(urls, "http://"+ln.Addr().String())
	}
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "config.capnp"), "--socket-fd", "gateway=3", "--socket-fd", "baseline=4")
	cmd.ExtraFiles = sockets
	cmd.SysProcAttr = workerdProcAttr
	out := newOutput()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for _, f := range sockets {
		f.Close()
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("workerd's output:\n%s", out)
		}
	})
	w := &workerd{gateway: urls[0], baseline: urls[1], out: out}
	w.waitServing(t, exited)
	return w
}

// waitServing waits until workerd answers on the baseline's socket, or
// fails t if workerd stops first.
func (w *workerd) waitServing(t testing.TB, exited <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() {
		select {
		case <-exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, w.baseline+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("workerd did not start: %v\n%s", err, w.out)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// relative is the path of target from dir: workerd finds the files a
// configuration embeds from the configuration's own folder.
func relative(t testing.TB, dir, target string) string {
	t.Helper()
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// workerdConfig is workerd's configuration (Cap'n Proto text; its schema is
// workerd.capnp in workerd's npm package): the gateway's Worker with env as
// its text bindings and SPINE as its mTLS certificate binding, an external
// HTTPS service presenting the client certificate to spineAddr and trusting
// only the set's CA, the baseline Worker with the same binding, and the
// tail Worker; and, given web, the gateway's other fetches sent to it.
func workerdConfig(files, compatibilityDate, spineAddr string, env map[string]string, tail bool, web string) []byte {
	var b bytes.Buffer
	embed := func(name string) string { return fmt.Sprintf("embed %q", filepath.Join(files, name)) }
	names := make([]string, 0, len(env))
	for name := range env {
		names = append(names, name)
	}
	sort.Strings(names)
	var bindings []string
	for _, name := range names {
		bindings = append(bindings, fmt.Sprintf("(name = %q, text = %q)", name, env[name]))
	}
	bindings = append(bindings, `(name = "SPINE", service = "spine")`)
	tails, webService := "", ""
	if tail {
		tails = "\n      tails = [\"tail\"],"
	}
	if web != "" {
		tails += "\n      globalOutbound = \"web\","
		webService = fmt.Sprintf("\n    (name = \"web\", external = (address = %q, http = ())),", web)
	}
	fmt.Fprintf(&b, `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "gateway", worker = (
      modules = [
        (name = "worker.mjs", esModule = %s),
        (name = "wasm_exec.js", esModule = %s),
        (name = "gateway.wasm", wasm = %s),
      ],
      compatibilityDate = %q,
      bindings = [%s],%s
    )),
    (name = "baseline", worker = (
      modules = [(name = "baseline.mjs", esModule = %s)],
      compatibilityDate = %q,
      bindings = [(name = "UPSTREAM_URL", text = %q), (name = "ASID", text = %q), (name = "SPINE", service = "spine")],
    )),
    (name = "tail", worker = (
      modules = [(name = "tail.mjs", esModule = %s)],
      compatibilityDate = %q,
    )),
    (name = "spine", external = (
      address = %q,
      https = (
        tlsOptions = (
          keypair = (privateKey = embed "client-key.pem", certificateChain = embed "client.pem"),
          trustedCertificates = [embed "ca.pem"],
        ),
        certificateHost = "localhost",
      ),
    )),%s
  ],
  sockets = [
    (name = "gateway", http = (), service = "gateway"),
    (name = "baseline", http = (), service = "baseline"),
  ],
);
`, embed("worker.mjs"), embed("wasm_exec.js"), embed("gateway.wasm"), compatibilityDate, strings.Join(bindings, ", "), tails,
		embed("baseline.mjs"), compatibilityDate, env["UPSTREAM_URL"], env["ASID"],
		embed("tail.mjs"), compatibilityDate, spineAddr, webService)
	return b.Bytes()
}

// output is what workerd prints, kept whole and as lines, with the audit
// records the tail Worker prints read as they come.
type output struct {
	mu     sync.Mutex
	all    bytes.Buffer
	lines  []string
	audits []string
	added  chan struct{} // closed and replaced when a line comes
	line   []byte        // the part of a line not ended yet
}

func newOutput() *output { return &output{added: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.all.Write(p)
	o.line = append(o.line, p...)
	for {
		i := bytes.IndexByte(o.line, '\n')
		if i < 0 {
			break
		}
		line := string(o.line[:i])
		o.lines = append(o.lines, line)
		if _, record, ok := strings.Cut(line, "audit: "); ok {
			o.audits = append(o.audits, record)
		}
		close(o.added)
		o.added = make(chan struct{})
		o.line = o.line[i+1:]
	}
	return len(p), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.all.String()
}

// audit waits for the audit record that holds want (a trace id), and
// returns it, or fails t when none comes in a minute.
func (o *output) audit(t testing.TB, want string) string {
	t.Helper()
	return o.await(t, want, func() []string { return o.audits })
}

// wait waits for a line of workerd's output that holds want, or fails t
// when none comes in a minute.
func (o *output) wait(t testing.TB, want string) string {
	t.Helper()
	return o.await(t, want, func() []string { return o.lines })
}

// await waits for an item of list (called with o.mu held) that holds
// want, and returns it.
func (o *output) await(t testing.TB, want string, list func() []string) string {
	t.Helper()
	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	for seen := 0; ; {
		o.mu.Lock()
		items, added := list()[seen:], o.added
		seen += len(items)
		o.mu.Unlock()
		for _, item := range items {
			if strings.Contains(item, want) {
				return item
			}
		}
		select {
		case <-added:
		case <-deadline.C:
			t.Fatalf("workerd printed no line holding %q", want)
		}
	}
}
