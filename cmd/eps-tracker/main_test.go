package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// TestBinary builds the real command and drives it as other tools do:
// through its standard streams and exit status.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := build(t, "-ldflags", "-X main.version=test-1")
	run := func(stdin string, args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
	}

	out, _, code := run("{\"nhsNumber\":\"943 476 5919\"}\n{\"prescriptionId\":\"c0c757a83008c2d93o\"}\n", "validate")
	want := `{"valid":true,"errors":[],"warnings":[],"normalized":{"kind":"search","nhsNumber":"9434765919"}}
{"valid":true,"errors":[],"warnings":[],"normalized":{"kind":"retrieve","prescriptionId":"C0C757-A83008-C2D93O"}}
`
	if code != 0 || out != want {
		t.Errorf("validate lines: exit %d\n%s\nwant\n%s", code, out, want)
	}
	if _, _, code := run("", "validate", "--nhs-number", "943 476 5918"); code != 1 {
		t.Errorf("invalid NHS number: exit %d, want 1", code)
	}
	body, err := os.ReadFile(filepath.Join("..", "..", "core", "tracker", "testdata", "bodies", "search-error-notfound.json"))
	if err != nil {
		t.Fatal(err)
	}
	if out, _, code := run(string(body), "parse", "search"); code != 0 || !strings.Contains(out, `"statusCode": 1`) {
		t.Errorf("parse of a Spine error: exit %d\n%s", code, out)
	}
	if _, stderr, code := run("<html>502</html>", "parse", "retrieve"); code == 0 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("parse of HTML: exit %d, stderr %q", code, stderr)
	}
	if out, _, code := run("", "--version"); code != 0 || out != "eps-tracker test-1\n" {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// build builds the command with the given flags and returns its path.
func build(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "eps-tracker")
	cmd := exec.Command("go", append(append([]string{"build"}, flags...), "-o", bin, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestVersionWithoutStamp: built as "go build" and "go install" build it,
// with no version stamped, the command names the commit it was built from.
func TestVersionWithoutStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not in a git clone: the build records no commit")
	}
	out, err := exec.Command(build(t, "-buildvcs=true"), "version").Output() // GOFLAGS may turn it off
	if want := "commit " + string(head[:12]); err != nil || !strings.Contains(string(out), want) || strings.HasPrefix(string(out), "eps-tracker dev\n") {
		t.Errorf("version: %v, %q; want it to name the %s", err, out, want)
	}
}

// TestHelpExamples runs every example of every help text, as printed, with
// a shell, against the built-in sandbox: each must work and find what it
// looks for, and one marked "# refused" must be refused. The files the examples name are made first
// (a day's list, a Spine response, an audit store of lookups of the examples' patient under the
// audit key in the environment, an identity provider's keys), and each example that serves (a sandbox, the app)
// listens on a free port and is stopped with Ctrl-C once it says it is
// ready. Nothing of the machine's own configuration is used.
func TestHelpExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := build(t)
	dir := t.TempDir()
	const auditKey = "the audit key of the help's examples, made up"
	env := []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + dir,
		"EPS_TRACKER_AUDIT_KEY=" + auditKey}
	auditStore(t, filepath.Join(dir, "audit.db"), auditKey, map[audit.Kind]string{audit.Search: "9992574356", audit.Retrieve: "4422FC-0V0X26-3DFC55"})
	sb := sandbox.New(sandbox.Config{})
	var list strings.Builder
	list.WriteString("ref,nhsNumber\n")
	for i, p := range sb.Patients()[:5] {
		fmt.Fprintf(&list, "r%d,%s\n", i, p.NHSNumber)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/mm/prescriptions?format=trace-summary&nhsNumber="+sb.Patients()[0].NHSNumber, nil)
	req.Header.Set("Spine-From-Asid", "200000001234")
	sandboxhttp.Handler(sb).ServeHTTP(rec, req)
	idp, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"todays-list.csv": list.String(), "search-response.json": rec.Body.String(),
		"idp-keys.json": string(idp.JWKS())} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	seen := map[string]bool{}
	for _, example := range examples(t, bin) {
		if seen[example] {
			continue
		}
		seen[example] = true
		t.Run(example, func(t *testing.T) {
			refused := strings.Contains(example, "# refused")
			fields := strings.Fields(example)
			serves := len(fields) > 1 && fields[0] == "eps-tracker" && (fields[1] == "sandbox" || fields[1] == "serve") &&
				(len(fields) == 2 || strings.HasPrefix(fields[2], "-"))
			if serves {
				example += " --addr 127.0.0.1:0"
			}
			cmd := exec.Command("sh", "-c", "exec "+example)
			cmd.Dir, cmd.Env = dir, env
			var out, errOut bytes.Buffer
			cmd.Stderr = &errOut
			if serves {
				serve(t, cmd)
				return
			}
			cmd.Stdout = &out
			err := cmd.Run()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatal(err)
			}
			switch code := cmd.ProcessState.ExitCode(); {
			case refused && code != 1 && code != 2:
				t.Errorf("exit %d, want 1 or 2 (refused)\n%s%s", code, out.String(), errOut.String())
			case !refused && code != 0:
				t.Errorf("exit %d\n%s%s", code, out.String(), errOut.String())
			}
			for _, failure := range []string{"Nothing was issued", "None was found", "has no prescription", "No search of", "No retrieval of"} {
				if strings.Contains(out.String()+errOut.String(), failure) {
					t.Errorf("an example that finds nothing:\n%s%s", out.String(), errOut.String())
				}
			}
		})
	}
}

// auditStore makes an audit store at path with a lookup of each kind, of
// the identifiers given, under the audit key.
func auditStore(t *testing.T, path, key string, lookups map[audit.Kind]string) {
	t.Helper()
	k, err := audit.NewKey(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := auditstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for kind, id := range lookups {
		r := audit.Record{Time: time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC), Kind: kind, Patient: k.Identify(kind, id), Outcome: "0", HTTPStatus: 200}
		if err := s.Write(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// examples returns every line under a heading "Example:" or "Examples:"
// (with or without words in brackets) of the top-level help and of each
// command's; a line that ends in a backslash goes on on the next.
func examples(t *testing.T, bin string) []string {
	t.Helper()
	help := func(args ...string) string {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return string(out)
	}
	top := help("help")
	texts := []string{top}
	_, commands, _ := strings.Cut(top, "Commands:\n")
	for _, line := range strings.Split(commands, "\n") {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		texts = append(texts, help("help", strings.Fields(line)[0]))
	}
	var lines []string
	for _, text := range texts {
		in := false
		for _, line := range strings.Split(text, "\n") {
			switch {
			case strings.HasPrefix(line, "Example") && strings.HasSuffix(line, ":"):
				in = true
			case in && strings.HasPrefix(line, "  "):
				line = strings.TrimSpace(line)
				if n := len(lines); n > 0 && strings.HasSuffix(lines[n-1], `\`) { // continued
					lines[n-1] = strings.TrimSuffix(lines[n-1], `\`) + line
					continue
				}
				lines = append(lines, line)
			default:
				in = false
			}
		}
	}
	if len(lines) < 10 {
		t.Fatalf("found only %d examples", len(lines))
	}
	return lines
}

// serve starts a sandbox, waits until it says it is ready, stops it as
// Ctrl-C does and checks it stopped cleanly.
func serve(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	ready := false
	for !ready && lines.Scan() {
		ready = strings.Contains(lines.Text(), "Stop with Ctrl-C")
	}
	if !ready {
		cmd.Wait()
		t.Fatalf("the sandbox never said it was ready: %s", cmd.Stderr)
	}
	cmd.Process.Signal(os.Interrupt)
	for lines.Scan() { // read to the end, so the sandbox is never blocked writing
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("the sandbox stopped with %v: %s", err, cmd.Stderr)
	}
}
