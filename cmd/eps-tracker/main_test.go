package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
