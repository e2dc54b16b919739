package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/service"
)

// patients returns the NHS numbers and ids of the sandbox that an
// unconfigured eps-tracker uses, as the tests' clock sees it.
func patients(t *testing.T) []sandbox.Patient {
	t.Helper()
	return sandbox.New(sandbox.Config{Now: func() time.Time { return testNow }}).Patients()
}

func TestSearchSandbox(t *testing.T) {
	t.Parallel()
	p := patients(t)[0]
	spaced := p.NHSNumber[:3] + " " + p.NHSNumber[3:6] + " " + p.NHSNumber[6:]
	out, stderr, code := run(t, "", "search", "--nhs-number", spaced)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "built-in sandbox") {
		t.Errorf("the CLI does not say it uses the sandbox: %q", stderr)
	}
	for _, want := range []string{"Prescriptions for NHS number " + spaced, "24-Nov-2024 to 24-Nov-2026", p.PrescriptionIDs[0], "Open one with: eps-tracker retrieve"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "Current (") && !strings.Contains(out, "Past (") {
		t.Errorf("no groups:\n%s", out)
	}
	// Typed without quotes, the shell splits it: the digits are joined.
	again, _, code := run(t, "", append([]string{"search"}, strings.Fields(spaced)...)...)
	if code != ExitOK || again != out {
		t.Errorf("unquoted NHS number: exit %d\n%s", code, again)
	}
	// --json prints the view, as the widget gets it.
	js, _, code := run(t, "", "search", "--json", "--nhs-number", p.NHSNumber)
	var view service.SearchView
	if err := json.Unmarshal([]byte(js), &view); err != nil || code != ExitOK || view.Prescriptions != len(p.PrescriptionIDs) ||
		len(view.Groups) != 3 || view.Patient.NHSNumber != p.NHSNumber {
		t.Errorf("--json: exit %d, %v\n%s", code, err, js)
	}
}

func TestSearchMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"search"}, ExitUsage, "which patient?"},
		{[]string{"search", "--nhs-number", "943 476 5918"}, ExitInvalid, "fails its check digit"},
		{[]string{"search", "--nhs-number", "9434765919", "--from", "20250231"}, ExitInvalid, "February 2025 has 28 days"},
		{[]string{"search", "--nhs-number", "9434765919", "--status", "lost"}, ExitInvalid, "not one Spine knows"},
		{[]string{"search", "--nhs-number", "9434765919", "--env", "live"}, ExitUsage, "unknown environment"},
		{[]string{"search", "--nhs-number", "9434765919", "--env", "production", "--asid", "200000001234"}, ExitUsage, "needs the organisation's certificate"},
		{[]string{"search", "--nhs-number", "9434765919", "--base-url", "http://127.0.0.1:1/mm/prescriptions", "--asid", "200000001234", "--timeout", "2s"}, ExitInvalid, "Could not connect"},
		{[]string{"search", "--nhs-number", "9434765919", "--base-url", "http://127.0.0.1:1/mm/prescriptions"}, ExitUsage, "ASID is required"},
		{[]string{"search", "--nhs-number", "9434765919", "--asid", "12"}, ExitUsage, "ASID must be exactly 12 digits"},
		{[]string{"search", "--nhs-number", "9434765919", "--timeout", "soon"}, ExitUsage, "not a duration"},
		{[]string{"search", "--nhs-number", "9434765919", "--config", "/nonexistent/config.json"}, ExitUsage, "config file"},
		{[]string{"search", "--batch", "-", "--rate", "1e10"}, ExitUsage, "--rate must be"},
		{[]string{"search", "--batch", "-", "--rate", "NaN"}, ExitUsage, "--rate must be"},
		{[]string{"search", "--batch", "-", "--concurrency", "0"}, ExitUsage, "--concurrency"},
		{[]string{"search", "--batch", "-", "--format", "xml"}, ExitUsage, "--format"},
	}
	for _, tt := range tests {
		_, stderr, code := run(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d saying %q", tt.args, code, stderr, tt.code, tt.says)
		}
		if strings.Contains(stderr, "9434765918") {
			t.Errorf("%v: stderr holds the NHS number in clear", tt.args)
		}
	}
}

func TestRetrieveSandbox(t *testing.T) {
	t.Parallel()
	id := patients(t)[0].PrescriptionIDs[0]
	out, stderr, code := run(t, "", "retrieve", strings.ToLower(strings.ReplaceAll(id, "-", "")))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Prescription " + id, "Patient NHS number", "Prescriber", "Items"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	_, stderr, code = run(t, "", "retrieve", id, "--issue", "99")
	if code != ExitInvalid || !strings.Contains(stderr, "This prescription has no issue 99. It has one issue only: issue 1.") {
		t.Errorf("--issue 99: exit %d, %q", code, stderr)
	}
	// A mistyped id: the suggestion, then Spine's "not found".
	typo := id[:len(id)-1] + map[bool]string{true: "A", false: "B"}[id[len(id)-1] != 'A']
	_, stderr, code = run(t, "", "retrieve", typo)
	if code != ExitInvalid || !strings.Contains(stderr, "Did you mean") || !strings.Contains(stderr, "has no prescription") {
		t.Errorf("typo: exit %d, %q", code, stderr)
	}
	if strings.Contains(stderr, "has no prescription "+typo) {
		t.Errorf("the error names the id in clear: %q", stderr)
	}
}

// TestConfigPrecedence: flags win over the environment, which wins over
// the config file.
func TestConfigPrecedence(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip()
	}
	t.Parallel()
	sb := sandbox.New(sandbox.Config{Now: func() time.Time { return testNow }})
	srv := httptest.NewServer(sandboxhttp.Handler(sb))
	defer srv.Close()
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	os.WriteFile(config, []byte(`{"baseUrl": "`+srv.URL+`/mm/prescriptions", "asid": "12"}`), 0o600)
	nhs := sb.Patients()[0].NHSNumber
	// The file's ASID is malformed; the environment's mends it.
	_, stderr, code := runEnv(t, map[string]string{"EPS_TRACKER_CONFIG": config}, "", "search", "--nhs-number", nhs)
	if code != ExitUsage || !strings.Contains(stderr, "ASID") {
		t.Errorf("config file alone: exit %d, %q", code, stderr)
	}
	out, stderr, code := runEnv(t, map[string]string{"EPS_TRACKER_CONFIG": config, "EPS_TRACKER_ASID": "200000001234"}, "", "search", "--nhs-number", nhs)
	if code != ExitOK || !strings.Contains(out, srv.URL) || strings.Contains(stderr, "sandbox") {
		t.Errorf("environment over file: exit %d, %q\n%s", code, stderr, out)
	}
	_, _, code = runEnv(t, map[string]string{"EPS_TRACKER_CONFIG": config, "EPS_TRACKER_ASID": "1"}, "", "search", "--nhs-number", nhs, "--asid", "200000001234")
	if code != ExitOK {
		t.Errorf("flag over environment: exit %d", code)
	}
	// XDG_CONFIG_HOME is where the file is looked for by default.
	os.MkdirAll(filepath.Join(dir, "eps-tracker"), 0o700)
	os.WriteFile(filepath.Join(dir, "eps-tracker", "config.json"), []byte(`{"baseUrl": "`+srv.URL+`/mm/prescriptions", "asid": "200000001234"}`), 0o600)
	out, _, code = runEnv(t, map[string]string{"XDG_CONFIG_HOME": dir}, "", "search", "--nhs-number", nhs)
	if code != ExitOK || !strings.Contains(out, srv.URL) {
		t.Errorf("default config file: exit %d\n%s", code, out)
	}
	os.WriteFile(config, []byte(`{"base_url": "x"}`), 0o600)
	_, stderr, code = runEnv(t, map[string]string{"EPS_TRACKER_CONFIG": config}, "", "search", "--nhs-number", nhs)
	if code != ExitUsage || !strings.Contains(stderr, "not valid") {
		t.Errorf("unknown member in the file: exit %d, %q", code, stderr)
	}
}

// TestBusyForLong: a server that asks to wait longer than the time left
// gets a message that says how long it asked for, not "a few minutes".
func TestBusyForLong(t *testing.T) {
	t.Parallel()
	nhs := patients(t)[0].NHSNumber
	tests := []struct{ fault, says string }{
		{"retry-after:503:7200=1", "Spine is busy or unavailable (HTTP 503) and asked to wait 2 hours, more than the time left. Try again after that."},
		{"retry-after:429:5430=1", "asked to wait 1 hour 30 minutes 30 seconds"},
		{"retry-after:429:90=1", "asked to wait 1 minute 30 seconds"},
		{"retry-after:503:10000000000=1", "asked to wait more than a day"},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			t.Parallel()
			rates, err := sandbox.ParseFaultRates(tt.fault)
			if err != nil {
				t.Fatal(err)
			}
			spine := spineOf(t, sandboxhttp.Handler(sandbox.New(sandbox.Config{Now: func() time.Time { return testNow }, Faults: sandbox.FaultConfig{Rates: rates}})))
			_, stderr, code := run(t, "", append([]string{"search", nhs}, spine...)...)
			if code != ExitInvalid || !strings.Contains(stderr, tt.says) || strings.Contains(stderr, "a few minutes") {
				t.Errorf("exit %d, %q; want it to say %q", code, stderr, tt.says)
			}
		})
	}
}
