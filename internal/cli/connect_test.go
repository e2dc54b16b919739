package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eps-tracker/eps-tracker/internal/certs"
)

// TestConnectionMistakes: settings that contradict each other, or that
// cannot work, are refused before anything is sent, with a message that
// names each setting where it was given (flag, environment variable or
// config file) and says how to put it right.
func TestConnectionMistakes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	set, err := certs.Generate(testNow)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := set.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(dir, "client.p12")
	if err := set.WriteClientPKCS12(p12, "secret"); err != nil {
		t.Fatal(err)
	}
	config := func(name, body string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o600)
		return path
	}
	const url = "https://tracker.example/mm/prescriptions"
	spine := []string{"--base-url", url, "--asid", "200000001234", "--ca", paths["ca.pem"]}
	tests := []struct {
		name string
		vars map[string]string
		args []string
		code int
		says []string
		not  []string
	}{
		{"sandbox and a base URL, both flags", nil,
			[]string{"search", "9992574356", "--env", "sandbox", "--base-url", url}, ExitUsage,
			[]string{"--env sandbox", "--base-url", "built-in sandbox", "leave out"}, nil},
		{"sandbox from the environment, base URL a flag", map[string]string{"EPS_TRACKER_ENV": "sandbox"},
			[]string{"search", "9992574356", "--base-url", url}, ExitUsage,
			[]string{"EPS_TRACKER_ENV=sandbox", "--base-url"}, nil},
		{"sandbox in the config file, base URL from the environment",
			map[string]string{"EPS_TRACKER_CONFIG": config("sandbox.json", `{"env": "sandbox"}`), "EPS_TRACKER_BASE_URL": url},
			[]string{"search", "9992574356"}, ExitUsage,
			[]string{`"env": "sandbox" in the config file`, "sandbox.json", "EPS_TRACKER_BASE_URL"}, nil},
		{"sandbox and a base URL in a batch", nil,
			[]string{"search", "--batch", "-", "--env", "SANDBOX", "--base-url", url}, ExitUsage,
			[]string{"--env SANDBOX", "--base-url"}, []string{"Tracked"}},
		{"production and another base URL", map[string]string{"EPS_TRACKER_P12_PASSWORD": "secret"},
			append([]string{"search", "9992574356", "--env", "production", "--p12", p12}, spine...), ExitUsage,
			[]string{"--env production", "--base-url", "live Spine", "leave out"}, nil},
		{"a certificate for the built-in sandbox", nil,
			[]string{"retrieve", "4422FC-0V0X26-3DFC55", "--env", "sandbox", "--cert", paths["client.pem"], "--key", paths["client-key.pem"]}, ExitUsage,
			[]string{"--env sandbox", "--cert", "no certificate"}, nil},
		{"a certificate with no tracker named", map[string]string{"EPS_TRACKER_P12": p12},
			[]string{"search", "9992574356"}, ExitUsage,
			[]string{"EPS_TRACKER_P12", "--env or --base-url"}, nil},
		{"PKCS#12 and PEM files", map[string]string{"EPS_TRACKER_CERT": paths["client.pem"], "EPS_TRACKER_P12_PASSWORD": "secret"},
			append([]string{"search", "9992574356", "--p12", p12, "--key", paths["client-key.pem"]}, spine...), ExitUsage,
			[]string{"--p12", "EPS_TRACKER_CERT", "--key", "not both"}, nil},
		{"PKCS#12 without its password", nil,
			append([]string{"search", "9992574356", "--p12", p12}, spine...), ExitUsage,
			[]string{"set EPS_TRACKER_P12_PASSWORD"}, []string{"decryption password incorrect"}},
		{"PKCS#12 with a wrong password", map[string]string{"EPS_TRACKER_P12_PASSWORD": "guess"},
			append([]string{"search", "9992574356", "--p12", p12}, spine...), ExitUsage,
			[]string{"EPS_TRACKER_P12_PASSWORD", "does not open"}, []string{"guess", "decryption"}},
		{"a PEM file as PKCS#12", map[string]string{"EPS_TRACKER_P12_PASSWORD": "secret"},
			append([]string{"search", "9992574356", "--p12", paths["client.pem"]}, spine...), ExitUsage,
			[]string{"PEM", "--cert", "--key"}, []string{"asn1", "ASN.1"}},
		{"an ASID as a number in the config file",
			map[string]string{"EPS_TRACKER_CONFIG": config("number.json", `{"baseUrl": "`+url+`", "asid": 200000001234}`)},
			[]string{"search", "9992574356"}, ExitUsage,
			[]string{"asid in the config file", "must be a string, in quotes", `"asid": "200000001234"`}, []string{"Go struct field"}},
		{"a misspelt setting in the config file",
			map[string]string{"EPS_TRACKER_CONFIG": config("misspelt.json", `{"base_url": "`+url+`"}`)},
			[]string{"search", "9992574356"}, ExitUsage,
			[]string{"not valid", `did you mean "baseUrl"`}, nil},
		{"a password in the config file",
			map[string]string{"EPS_TRACKER_CONFIG": config("password.json", `{"p12Password": "secret"}`)},
			[]string{"search", "9992574356"}, ExitUsage,
			[]string{"only from the environment variable EPS_TRACKER_P12_PASSWORD"}, []string{"secret"}},
		{"no ASID for a tracker at a base URL", nil,
			[]string{"search", "9434765919", "--base-url", "http://127.0.0.1:9191/mm/prescriptions"}, ExitUsage,
			[]string{"an ASID is required", "12-digit Accredited System ID", "--asid", "EPS_TRACKER_ASID", `"asid" in the config file`}, nil},
		{"a config file that is not JSON",
			map[string]string{"EPS_TRACKER_CONFIG": config("broken.json", "{\n  \"asid\": \"200000001234\"\n  \"env\": \"int\"\n}")},
			[]string{"search", "9992574356"}, ExitUsage,
			[]string{"not valid JSON", "line 3"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := runEnv(t, tt.vars, "", tt.args...)
			if code != tt.code || out != "" {
				t.Errorf("exit %d, want %d; stdout %q", code, tt.code, out)
			}
			for _, s := range tt.says {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, stderr)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr says %q:\n%s", s, stderr)
				}
			}
		})
	}
}

// TestSandboxNotice: with no tracker configured, a command that looks
// something up says, in lines that fit 80 columns, that the built-in
// sandbox answers; one refused for any other reason says only why.
func TestSandboxNotice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	nhs := patients(t)[0].NHSNumber
	list := filepath.Join(dir, "list.txt")
	if err := os.WriteFile(list, []byte(nhs+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const notice = "Using the built-in sandbox"
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		notice bool
	}{
		{"a search", "", []string{"search", nhs}, ExitOK, true},
		{"a retrieve", "", []string{"retrieve", exampleID}, ExitOK, true},
		{"a batch", nhs + "\n", []string{"search", "--batch", "-"}, ExitOK, true},
		{"the sandbox asked for", "", []string{"search", nhs, "--env", "sandbox"}, ExitOK, false},
		{"results over the list", "", []string{"search", "--batch", list, "--output", list}, ExitUsage, false},
		{"results over a file", "", []string{"search", "--batch", "-", "--output", list}, ExitUsage, false},
		{"a list with no NHS number column", "ref,name\n1,A\n", []string{"search", "--batch", "-"}, ExitUsage, false},
		{"an NHS number and a list", nhs + "\n", []string{"search", nhs, "--batch", "-"}, ExitUsage, false},
		{"no patient", "", []string{"search"}, ExitUsage, false},
		{"no prescription", "", []string{"retrieve"}, ExitUsage, false},
		{"an NHS number that fails its check digit", "", []string{"search", "943 476 5918"}, ExitInvalid, false},
		{"a date that does not exist", "", []string{"search", nhs, "--from", "20250231"}, ExitInvalid, false},
		{"an id too short", "", []string{"retrieve", "4422FC-0V0X26"}, ExitInvalid, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := run(t, tt.stdin, tt.args...)
			if code != tt.code || strings.Contains(stderr, notice) != tt.notice {
				t.Errorf("exit %d, want %d; notice %v, want %v:\n%s", code, tt.code, !tt.notice, tt.notice, stderr)
			}
			for _, line := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(line, notice) || strings.HasPrefix(line, "Configure Spine") {
					wantFit(t, "the notice", line)
				}
			}
		})
	}
}
