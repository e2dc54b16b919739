package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNotATerminal: files, pipes and /dev/null (a character device) are not
// terminals, and output to them is made to fit 80 columns.
func TestNotATerminal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/null")
	}
	t.Parallel()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, f := range map[string]*os.File{"/dev/null": devNull, "a file": file, "a pipe's reader": r, "a pipe's writer": w} {
		if isTerminal(f) {
			t.Errorf("%s is taken for a terminal", name)
		}
		if got := width(f); got != 80 {
			t.Errorf("%s: width %d, want 80", name, got)
		}
	}
	// validate < /dev/null reads nothing, and no person is there to be told how.
	var out, stderr bytes.Buffer
	code := Run(Env{Stdin: devNull, Stdout: &out, Stderr: &stderr, Getenv: func(string) string { return "" }}, []string{"validate"})
	if code != ExitOK || stderr.Len() != 0 || out.Len() != 0 {
		t.Errorf("validate < /dev/null: exit %d, stderr %q, stdout %q", code, stderr.String(), out.String())
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		width      int
		indent     string
		want       string
	}{
		{"fits", "a few words", 11, "", "a few words"},
		{"broken at spaces", "a few words here", 11, "  ", "a few words\n  here"},
		{"indent kept", "  Label   a value too long", 20, "          ", "  Label   a value\n          too long"},
		{"a word too long", "see 382AD831-F655-45C9-9D82-8C8FFDA724C8F now", 20, "  ", "see\n  382AD831-F655-45C9-9D82-8C8FFDA724C8F\n  now"},
		{"runes, not bytes", "— — — — —", 5, "", "— — —\n— —"},
		{"nothing", "", 10, "  ", ""},
		{"words joined", "use --to" + nbsp + "20271125 then", 12, "", "use\n--to 20271125\nthen"},
	}
	for _, tt := range tests {
		if got := wrap(tt.text, tt.width, tt.indent); got != tt.want {
			t.Errorf("%s: wrap(%q, %d) = %q, want %q", tt.name, tt.text, tt.width, got, tt.want)
		}
	}
}

func TestColumns(t *testing.T) {
	t.Parallel()
	got := columns([][]string{{"Issued", "Id", "Items"}, {"24-Nov-2026", "A—B", "3"}})
	want := []string{"Issued       Id   Items", "24-Nov-2026  A—B  3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}
