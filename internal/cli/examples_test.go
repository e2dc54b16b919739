package cli

import (
	"strings"
	"testing"
	"time"
)

// TestTheSandboxSaysSo: when the built-in sandbox answers, messages say the
// sandbox, not Spine.
func TestTheSandboxSaysSo(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, "", "retrieve", "C0C757-A83008-C2D93O")
	if code != ExitInvalid || !strings.Contains(stderr, "The sandbox has no prescription") || strings.Contains(stderr, "Spine has") ||
		strings.Contains(stderr, "service desk") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// TestExamplePatient: the patient and prescriptions the help's examples use
// are in the built-in sandbox whatever the date, so the examples work as
// printed on any day.
func TestExamplePatient(t *testing.T) {
	t.Parallel()
	for _, today := range []time.Time{
		testNow,
		time.Date(2024, time.February, 29, 23, 30, 0, 0, time.UTC),
		time.Date(2031, time.July, 1, 8, 0, 0, 0, time.UTC),
	} {
		t.Run(today.Format("2006-01-02"), func(t *testing.T) {
			t.Parallel()
			runAt := func(args ...string) (string, string, int) {
				t.Helper()
				var out, errOut strings.Builder
				code := Run(Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Now: func() time.Time { return today },
					Getenv: func(string) string { return "" }}, args)
				return out.String(), errOut.String(), code
			}
			out, stderr, code := runAt("search", exampleNHSNumber)
			if code != ExitOK {
				t.Fatalf("search: exit %d, %s", code, stderr)
			}
			for _, id := range []string{exampleID, exampleRepeatID} {
				if !strings.Contains(out, id) {
					t.Errorf("search does not find %s:\n%s", id, out)
				}
			}
			if _, stderr, code := runAt("retrieve", exampleRepeatID, "--issue", "2"); code != ExitOK {
				t.Errorf("retrieve %s --issue 2: exit %d, %s", exampleRepeatID, code, stderr)
			}
		})
	}
}
