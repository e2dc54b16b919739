package cli

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/eps-tracker/eps-tracker/frontend"
	"github.com/eps-tracker/eps-tracker/internal/site"
)

// serve runs "eps-tracker serve" with flags on a free port until the test
// ends and returns the URL it prints, and what it printed.
func serve(t *testing.T, flags ...string) (base, out string) {
	t.Helper()
	stdout := start(t, "Stop with Ctrl-C.", "Stopped.", append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	m := regexp.MustCompile(`EPS Tracker at (http://\S+)/\n`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("serve did not say where it listens: %s", stdout)
	}
	return m[1], stdout.String()
}

func fetch(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// TestServe: serve prints where the app, the demo portal and the sandbox
// are, and serves them there, under the strict policy, until it is
// stopped.
func TestServe(t *testing.T) {
	t.Parallel()
	base, out := serve(t)
	for _, want := range []string{base + "/demo", base + "/mm/prescriptions", "Synthetic patients — not real data"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve does not say %q:\n%s", want, out)
		}
	}
	built := site.Built(frontend.Dist())
	if said := strings.Contains(out, "built without its web interface"); said == built {
		t.Errorf("built %v, but serve says:\n%s", built, out)
	}
	for _, path := range []string{"/", "/demo"} {
		resp, body := fetch(t, base+path)
		if resp.Header.Get("Content-Security-Policy") != site.Policy {
			t.Errorf("%s: policy %q", path, resp.Header.Get("Content-Security-Policy"))
		}
		switch {
		case built && (resp.StatusCode != 200 || !strings.Contains(body, "<eps-tracker")):
			t.Errorf("%s: %d, without the widget:\n%s", path, resp.StatusCode, body)
		case !built && resp.StatusCode != http.StatusServiceUnavailable:
			t.Errorf("%s, not built: %d", path, resp.StatusCode)
		}
	}
	resp, body := fetch(t, base+"/mm/prescriptions?nhsNumber=9992574356", "Spine-From-Asid", exampleASID)
	if resp.StatusCode != 200 || !strings.Contains(body, `"statusCode"`) {
		t.Errorf("sandbox: %d %s", resp.StatusCode, body)
	}
}

func TestServeUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"an argument", []string{"serve", "9992574356"}, ExitUsage, `unexpected "*** *** 4356"`},
		{"an unknown flag", []string{"serve", "--port", "8080"}, ExitUsage, "flag provided but not defined: -port"},
		{"an address without a port", []string{"serve", "--addr", "localhost"}, ExitInvalid, "give --addr as HOST:PORT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.says) {
				t.Errorf("exit %d, %q; want %d saying %q", code, stderr, tt.code, tt.says)
			}
		})
	}
}

// TestServeFaults: with --faults, a request to the sandbox chooses its
// failure with the Sandbox-Fault header, as a test of a widget pointed at
// the server needs; without it, the header is ignored.
func TestServeFaults(t *testing.T) {
	t.Parallel()
	faulty, out := serve(t, "--faults")
	if !strings.Contains(out, "Fault injection is on") {
		t.Errorf("serve --faults does not say so:\n%s", out)
	}
	url := faulty + "/mm/prescriptions?nhsNumber=9992574356"
	if resp, _ := fetch(t, url, "Spine-From-Asid", exampleASID, "Sandbox-Fault", "status:503"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("with --faults, Sandbox-Fault: status:503 got %d", resp.StatusCode)
	}
	if resp, _ := fetch(t, url, "Spine-From-Asid", exampleASID); resp.StatusCode != http.StatusOK {
		t.Errorf("with --faults, no Sandbox-Fault got %d", resp.StatusCode)
	}

	base, out := serve(t)
	if strings.Contains(out, "Fault injection") {
		t.Errorf("serve without --faults says:\n%s", out)
	}
	if resp, _ := fetch(t, base+"/mm/prescriptions?nhsNumber=9992574356", "Spine-From-Asid", exampleASID, "Sandbox-Fault", "status:503"); resp.StatusCode != http.StatusOK {
		t.Errorf("without --faults, Sandbox-Fault: status:503 got %d", resp.StatusCode)
	}
}
