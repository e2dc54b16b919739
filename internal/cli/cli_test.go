package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testNow is 24 November 2026, 09:00 UTC, the clock of every test.
var testNow = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

// run runs the command line in-process with the given standard input and
// an empty environment.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runEnv(t, nil, stdin, args...)
}

// runEnv is run with environment variables.
func runEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return testNow },
		Getenv: func(k string) string { return vars[k] },
	}
	code = Run(env, args)
	return out.String(), errOut.String(), code
}

type report struct {
	Valid  bool `json:"valid"`
	Errors []struct {
		Field     string `json:"field"`
		SpineCode *int   `json:"spineCode"`
		Message   string `json:"message"`
	} `json:"errors"`
	Warnings []struct {
		Field       string   `json:"field"`
		Code        string   `json:"code"`
		Message     string   `json:"message"`
		Suggestions []string `json:"suggestions"`
	} `json:"warnings"`
	Normalized map[string]string `json:"normalized"`
}

func decodeLines(t *testing.T, out string) []report {
	t.Helper()
	var reports []report
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var r report
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		if r.Errors == nil || r.Warnings == nil || r.Normalized == nil {
			t.Fatalf("output line %q lacks a member", line)
		}
		reports = append(reports, r)
	}
	return reports
}

// TestValidateLines is the contract other tools rely on: one JSON object
// per input line, in order, blank lines skipped.
func TestValidateLines(t *testing.T) {
	t.Parallel()
	input := strings.Join([]string{
		`{"kind":"search","nhsNumber":"943 476 5919","earliestDate":"20250101","latestDate":"20250610"}`,
		``,
		`{"nhsNumber":"943 476 5918"}`,
		`not json`,
		`{"prescriptionId":"c0c757a83008c2d93o"}`,
		`{"prescriptionId":"CBEF44-000X26-41E1B1","issueNumber":2}`,
		`{"nhsnumber":"9434765919","asid":true}`,
		`["an array"]`,
		`{"kind":"retrieve","prescriptionId":"D2A080EE-475C-11E6-A68F-08002732570CN","asid":"200000001234","traceId":"x"}`,
	}, "\n")
	out, stderr, code := run(t, input, "validate")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	got := decodeLines(t, out)
	if len(got) != 8 {
		t.Fatalf("got %d lines, want 8:\n%s", len(got), out)
	}
	if !got[0].Valid || got[0].Normalized["nhsNumber"] != "9434765919" || got[0].Normalized["earliestDate"] != "20250101" {
		t.Errorf("line 1 = %+v", got[0])
	}
	if got[1].Valid || got[1].Errors[0].Field != "nhsNumber" || *got[1].Errors[0].SpineCode != 61 {
		t.Errorf("line 3 = %+v", got[1])
	}
	if got[2].Valid || got[2].Errors[0].Field != "input" || !strings.Contains(got[2].Errors[0].Message, "Line 4 is not a JSON object") {
		t.Errorf("line 4 = %+v", got[2])
	}
	if !got[3].Valid || got[3].Normalized["prescriptionId"] != "C0C757-A83008-C2D93O" {
		t.Errorf("line 5 = %+v", got[3])
	}
	if !got[4].Valid || len(got[4].Warnings) != 1 || got[4].Warnings[0].Code != "checksum" ||
		got[4].Warnings[0].Suggestions[0] != "CBEF44-000X26-41E1B+" || got[4].Normalized["issueNumber"] != "2" {
		t.Errorf("line 6 = %+v", got[4])
	}
	fields := map[string]string{}
	for _, e := range got[5].Errors {
		fields[e.Field] = e.Message
	}
	if got[5].Valid || !strings.Contains(fields["nhsnumber"], `did you mean "nhsNumber"`) || !strings.Contains(fields["asid"], "must be a string") {
		t.Errorf("line 7 = %+v", got[5])
	}
	if got[6].Valid || got[6].Errors[0].Field != "input" {
		t.Errorf("line 8 = %+v", got[6])
	}
	if !got[7].Valid || got[7].Normalized["kind"] != "retrieve" || got[7].Normalized["asid"] != "200000001234" {
		t.Errorf("line 9 = %+v", got[7])
	}
}

// TestHurriedPerson types what people at a counter type, in a hurry.
func TestHurriedPerson(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"NHS number with spaces", []string{"--nhs-number", "943 476 5919"}, ExitOK,
			[]string{"✓ Valid search", "9434765919  (943 476 5919)"}},
		{"NHS number with hyphens", []string{"--nhs-number", "943-476-5919"}, ExitOK,
			[]string{"✓ Valid search"}},
		{"two digits swapped in an NHS number", []string{"--nhs-number", "943 476 9519"}, ExitInvalid,
			[]string{"✗ Not valid", "*** *** 9519 fails its check digit", "two digits typed the wrong way round"}},
		{"a digit missing", []string{"--nhs-number", "943 476 591"}, ExitInvalid,
			[]string{"has 9 digits but needs 10"}},
		{"id in lower case without hyphens", []string{"--id", "c0c757a83008c2d93o"}, ExitOK,
			[]string{"✓ Valid retrieve", "C0C757-A83008-C2D93O"}},
		{"id as an argument", []string{"c0c757-a83008-c2d93o"}, ExitOK,
			[]string{"✓ Valid retrieve"}},
		{"pasted id with a trailing newline", []string{"--id", "C0C757-A83008-C2D93O\n"}, ExitOK,
			[]string{"✓ Valid retrieve", "C0C757-A83008-C2D93O"}},
		{"two characters swapped in an id", []string{"--id", "0308BB-000X26-4401B0"}, ExitOK,
			[]string{"but check it first", "does not match its check character", "0308BB-000X26-4410B0"}},
		{"zero typed for the letter O", []string{"--id", "c0c757-a83008-c2d930"}, ExitOK,
			[]string{"Did you mean C0C757-A83008-C2D93O?"}},
		{"dates the UK way", []string{"--nhs-number", "9434765919", "--earliest-date", "01/01/2025", "--latest-date", "10/06/2025"}, ExitOK,
			[]string{"20250101  (01-Jan-2025)", "20250610  (10-Jun-2025)"}},
		{"dates the wrong way round", []string{"--nhs-number", "9434765919", "--earliest-date", "20250610", "--latest-date", "20250101"}, ExitInvalid,
			[]string{"Earliest date 10-Jun-2025 is after latest date 01-Jan-2025"}},
		{"a latest date alone, long ago", []string{"--nhs-number", "9434765919", "--latest-date", "20250101"}, ExitOK,
			[]string{"finds nothing — add an earliest date"}},
		{"status by name", []string{"--nhs-number", "9434765919", "--status", "with dispenser"}, ExitOK,
			[]string{"0002  (With Dispenser)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := run(t, "", append([]string{"validate"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			for _, s := range tt.says {
				if !strings.Contains(out, s) {
					t.Errorf("output does not say %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestValidateJSONFlag(t *testing.T) {
	t.Parallel()
	out, _, code := run(t, "", "validate", "--json", "--nhs-number", "943 476 5918")
	if code != ExitInvalid {
		t.Errorf("exit %d", code)
	}
	if r := decodeLines(t, out); len(r) != 1 || r[0].Valid {
		t.Errorf("output %s", out)
	}
}

func TestValidateUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"validate", "--no-such-flag"}, "flag provided but not defined"},
		{[]string{"validate", "--today", "tomorrow", "--nhs-number", "9434765919"}, "--today"},
		// Values split by the shell are joined (TestValidateArguments); what
		// is left over is not.
		{[]string{"validate", "--nhs-number", "9434765919", "extra"}, "give the NHS number once"},
		{[]string{"validate", "--id", "0308bb000x264410b0", "0308bb000x264410b0"}, "give the prescription id once"},
	}
	for _, tt := range tests {
		_, stderr, code := run(t, "", tt.args...)
		if code != ExitUsage || !strings.Contains(stderr, tt.says) {
			t.Errorf("%v: exit %d, stderr %q; want it to say %q", tt.args, code, stderr, tt.says)
		}
		if strings.Contains(stderr, "0308bb000x26") || strings.Contains(stderr, "9434765919") {
			t.Errorf("%v: stderr repeats an identifier: %q", tt.args, stderr)
		}
	}
}

func trackerBody(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "core", "tracker", "testdata", "bodies", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, body string
		code       int
	}{
		{"search", "search-ok.json", ExitOK},
		{"search", "search-quirks.json", ExitOK},
		{"search", "search-error-notfound.json", ExitOK}, // a tracker response, whatever its statusCode
		{"retrieve", "retrieve-ok.json", ExitOK},
		{"retrieve", "retrieve-issue-not-found.json", ExitOK},
		{"search", "not-html.html", ExitInvalid},
		{"search", "not-truncated.json", ExitInvalid},
		{"retrieve", "not-shape.json", ExitInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := run(t, trackerBody(t, tt.body), "parse", tt.kind)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			if code != ExitOK {
				if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "not a tracker response") || out != "" {
					t.Errorf("stderr %q, stdout %q: want one line of reason", stderr, out)
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			for _, member := range []string{"statusCode", "reason", "version"} {
				if _, ok := got[member]; !ok {
					t.Errorf("no %s in output", member)
				}
			}
			list := "prescriptions"
			if tt.kind == "retrieve" {
				list = "prescription"
			}
			if _, ok := got[list]; !ok {
				t.Errorf("no %s in output", list)
			}
		})
	}
	if _, stderr, code := run(t, "{}", "parse"); code != ExitUsage || stderr == "" {
		t.Errorf("parse without a kind: exit %d", code)
	}
	out, _, _ := run(t, trackerBody(t, "search-ok.json"), "parse", "--compact", "search")
	if strings.Count(out, "\n") != 1 {
		t.Errorf("--compact wrote %d lines", strings.Count(out, "\n"))
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"help"}, {"--help"}, {"-h"},
		{"help", "validate"}, {"validate", "--help"}, {"validate", "-h"},
		{"help", "parse"}, {"parse", "--help"},
		{"help", "version"}, {"version", "--help"}, {"help", "help"},
		{"help", "sandbox"}, {"sandbox", "--help"}, {"sandbox", "patients", "--help"},
		{"help", "serve"}, {"serve", "--help"},
		{"help", "search"}, {"search", "--help"}, {"help", "retrieve"}, {"retrieve", "-h"},
		{"help", "audit"}, {"audit", "--help"}, {"audit", "verify", "--help"}, {"audit", "search", "-h"},
	} {
		out, stderr, code := run(t, "", args...)
		if code != ExitOK || stderr != "" || !strings.Contains(out, "Usage") || !strings.Contains(out, "eps-tracker ") {
			t.Errorf("%v: exit %d, stderr %q, out %q", args, code, stderr, out)
		}
		if !strings.Contains(strings.ToLower(out), "example") {
			t.Errorf("%v: help has no example", args)
		}
	}
	if _, stderr, code := run(t, "", "frobnicate"); code != ExitUsage || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, stderr)
	}
	if _, _, code := run(t, ""); code != ExitUsage {
		t.Errorf("no command: exit %d", code)
	}
	if out, _, code := run(t, "", "version"); code != ExitOK || !strings.HasPrefix(out, "eps-tracker ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestHelpFits80Columns: every line of the top-level usage and of every
// command's help fits an 80-column terminal.
func TestHelpFits80Columns(t *testing.T) {
	t.Parallel()
	_, usage, _ := run(t, "")
	wantFit(t, "usage", usage)
	for _, c := range commands() {
		out, stderr, code := run(t, "", "help", c.name)
		if code != ExitOK {
			t.Fatalf("help %s: exit %d, %s", c.name, code, stderr)
		}
		wantFit(t, "help "+c.name, out)
	}
}

// TestParseHelp: the help of parse says what the parser does with "False"
// and with a member of the wrong JSON type, and the parser does it.
func TestParseHelp(t *testing.T) {
	t.Parallel()
	help, _, _ := run(t, "", "help", "parse")
	flat := strings.ToLower(strings.Join(strings.Fields(help), " "))
	for _, says := range []string{`"false" in any other member as no value`, "a member of the wrong json type", "names the member"} {
		if !strings.Contains(flat, says) {
			t.Errorf("the help does not say %q:\n%s", says, help)
		}
	}
	out, _, _ := run(t, trackerBody(t, "retrieve-false-absent.json"), "parse", "retrieve")
	if !strings.Contains(out, `"dispenser": null`) || strings.Contains(out, `"False"`) {
		t.Errorf(`"False" is not no value:\n%s`, out)
	}
	_, stderr, code := run(t, trackerBody(t, "not-wrongtype.json"), "parse", "search")
	if code != ExitInvalid || !strings.Contains(stderr, "prescriptionList is an array where an object is expected") {
		t.Errorf("a member of the wrong type: exit %d, %q", code, stderr)
	}
}
