package cli

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSearchArguments: the NHS number is accepted as an argument in every
// form --nhs-number accepts, and as the shell splits it when it was typed
// without quotes.
func TestSearchArguments(t *testing.T) {
	t.Parallel()
	want, _, code := run(t, "", "search", "--nhs-number", "9992574356")
	if code != ExitOK {
		t.Fatalf("search --nhs-number: exit %d", code)
	}
	for _, args := range [][]string{
		{"999-257-4356"},
		{"999 257 4356"},
		{"999", "257", "4356"},
		{"--nhs-number", "999", "257", "4356"},
		{"999", "257", "4356", "--from", "24/11/2024"},
		{" 9992574356\n"},
		{"９９９２５７４３５６"}, // full-width digits, as East Asian input methods type them
	} {
		out, stderr, code := run(t, "", append([]string{"search"}, args...)...)
		if code != ExitOK || out != want {
			t.Errorf("search %q: exit %d, %s\n%s", args, code, stderr, out)
		}
	}
}

// TestArgumentMistakes: what cannot be looked up is explained, in valid
// UTF-8 whatever was typed, and without an identifier in clear.
func TestArgumentMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"Arabic-Indic digits", []string{"search", "٩٩٩٢٥٧٤٣٥٦"}, ExitInvalid, []string{"NHS number", "U+0669"}},
		{"bytes that are not UTF-8", []string{"search", "\xff\xfe999257435"}, ExitInvalid, []string{"only digits"}},
		{"two NHS numbers", []string{"search", "9992574356", "999 447 8397"}, ExitUsage, []string{"one NHS number at a time", "--batch"}},
		{"the NHS number twice", []string{"search", "--nhs-number", "9992574356", "9994478397"}, ExitUsage, []string{"once"}},
		{"an NHS number and a batch", []string{"search", "--batch", "-", "9992574356"}, ExitUsage, []string{"--batch", "not both"}},
		{"a prescription id to search", []string{"search", "4422FC-0V0X26-3DFC55"}, ExitUsage, []string{"prescription id", "eps-tracker retrieve"}},
		{"a spaced id to search", []string{"search", "4422fc 0v0x26 3dfc55"}, ExitUsage, []string{"******-******-***C55", "eps-tracker retrieve"}},
		{"an NHS number to retrieve", []string{"retrieve", "9992574356"}, ExitUsage, []string{"looks like an NHS number", "eps-tracker search"}},
		{"a spaced NHS number to retrieve", []string{"retrieve", "999", "257", "4356"}, ExitUsage, []string{"looks like an NHS number", "eps-tracker search"}},
		{"an NHS number as --id", []string{"retrieve", "--id", "999-257-4356"}, ExitUsage, []string{"looks like an NHS number", "eps-tracker search"}},
		{"two ids", []string{"retrieve", "4422FC-0V0X26-3DFC55", "3902FE-Y90302-07D49V"}, ExitUsage, []string{"one prescription id at a time"}},
		{"the id twice", []string{"retrieve", "--id", "4422FC-0V0X26-3DFC55", "3902FE-Y90302-07D49V"}, ExitUsage, []string{"once"}},
		{"an unknown command that is an NHS number", []string{"9992574356"}, ExitUsage, []string{"unknown command", "4356"}},
		{"help for an NHS number", []string{"help", "999 257 4356"}, ExitUsage, []string{"no command", "4356"}},
		{"a sandbox subcommand that is an NHS number", []string{"sandbox", "9992574356"}, ExitUsage, []string{"subcommands", "4356"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, s := range tt.says {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, stderr)
				}
			}
			for _, id := range []string{"9992574356", "999 257 4356", "4422FC-0V0X26-3DFC55", "9994478397", "999 447 8397"} {
				if strings.Contains(stderr, id) {
					t.Errorf("stderr names %s in clear:\n%s", id, stderr)
				}
			}
			if !utf8.ValidString(stderr) || !utf8.ValidString(out) {
				t.Errorf("output is not valid UTF-8: %q %q", stderr, out)
			}
		})
	}
}

// TestRetrieveArguments: the id is accepted in pieces, as the shell splits
// it when it was typed with spaces and no quotes.
func TestRetrieveArguments(t *testing.T) {
	t.Parallel()
	want, _, code := run(t, "", "retrieve", "4422FC-0V0X26-3DFC55")
	if code != ExitOK {
		t.Fatalf("retrieve: exit %d", code)
	}
	for _, args := range [][]string{
		{"4422fc", "0v0x26", "3dfc55"},
		{"--id", "4422FC", "0V0X26", "3DFC55"},
		{"4422fc0v0x263dfc55"},
	} {
		out, stderr, code := run(t, "", append([]string{"retrieve"}, args...)...)
		if code != ExitOK || out != want {
			t.Errorf("retrieve %q: exit %d, %s\n%s", args, code, stderr, out)
		}
	}
}

// TestSearchWarnings: what the offline check finds suspicious is shown,
// though the search goes ahead.
func TestSearchWarnings(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, "", "search", "0000000000")
	if code != ExitOK || !strings.Contains(stderr, "! NHS number") || !strings.Contains(stderr, "one digit") {
		t.Errorf("exit %d, %q: want the warning", code, stderr)
	}
}

// TestOneVocabulary: every command names the query's fields the same way,
// and still takes the old names.
func TestOneVocabulary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"validate --from --to", []string{"validate", "--nhs-number", "9434765919", "--from", "20250101", "--to", "20250610"}, ExitOK,
			[]string{"20250101  (01-Jan-2025)", "20250610  (10-Jun-2025)"}},
		{"validate's old date names", []string{"validate", "--nhs-number", "9434765919", "--earliest-date", "20250101", "--latest-date", "20250610"}, ExitOK,
			[]string{"20250101  (01-Jan-2025)", "20250610  (10-Jun-2025)"}},
		{"validate --version is the prescription version", []string{"validate", "--nhs-number", "9434765919", "--version", "r1"}, ExitOK,
			[]string{"Prescription version", "R1"}},
		{"validate's old --prescription-version", []string{"validate", "--nhs-number", "9434765919", "--prescription-version", "2"}, ExitOK,
			[]string{"Prescription version"}},
		{"validate --message-version", []string{"validate", "--id", "4422FC-0V0X26-3DFC55", "--message-version", "1.0"}, ExitOK,
			[]string{"1.0"}},
		{"search's old date names", []string{"search", "9992574356", "--earliest-date", "20250101", "--latest-date", "20261124"}, ExitOK,
			[]string{"issued 01-Jan-2025 to 24-Nov-2026"}},
		{"search --message-version", []string{"search", "9992574356", "--message-version", "1"}, ExitOK, []string{"Prescriptions for"}},
		{"search --prescription-version", []string{"search", "9992574356", "--prescription-version", "R2"}, ExitOK, []string{"Prescriptions for"}},
		{"retrieve --message-version", []string{"retrieve", "4422FC-0V0X26-3DFC55", "--message-version", "1"}, ExitOK, []string{"Prescription 4422FC-0V0X26-3DFC55"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, s := range tt.says {
				if !strings.Contains(out, s) {
					t.Errorf("output does not say %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestVersionMeansPrescriptionVersion: --version was once the message
// version in validate; a message version given to it now is refused with
// the flag that takes it.
func TestVersionMeansPrescriptionVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"validate", "--nhs-number", "9434765919", "--version", "1.0"},
		{"validate", "--id", "4422FC-0V0X26-3DFC55", "--version", "1.0"},
		{"search", "9992574356", "--version", "1.1"},
	} {
		out, stderr, code := run(t, "", args...)
		if code != ExitUsage || out != "" || !strings.Contains(stderr, "--message-version") || !strings.Contains(stderr, "R1") {
			t.Errorf("%q: exit %d, %q %q", args, code, out, stderr)
		}
	}
}

// TestValidateArguments: validate takes an NHS number or an id as the
// argument, in pieces too, as search and retrieve do.
func TestValidateArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"943", "476", "5919"}, "✓ Valid search"},
		{[]string{"--nhs-number", "943", "476", "5919"}, "✓ Valid search"},
		{[]string{"943-476-5919"}, "✓ Valid search"},
		{[]string{"c0c757", "a83008", "c2d93o"}, "✓ Valid retrieve"},
		{[]string{"--id", "C0C757", "A83008", "C2D93O"}, "✓ Valid retrieve"},
	}
	for _, tt := range tests {
		out, stderr, code := run(t, "", append([]string{"validate"}, tt.args...)...)
		if code != ExitOK || !strings.Contains(out, tt.says) {
			t.Errorf("validate %q: exit %d, %s\n%s", tt.args, code, stderr, out)
		}
	}
}

// TestSearchDates: a date given alone leaves the other where today's window
// has it; one that leaves no window says which default is in the way.
func TestSearchDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		out  string
		err  string
	}{
		{[]string{"--to", "20271125"}, ExitOK, "issued 24-Nov-2024 to 25-Nov-2027", ""},
		{[]string{"--from", "20300101"}, ExitInvalid, "", "with no latest date the search ends today"},
		{[]string{"--to", "20200101"}, ExitInvalid, "", "give an earliest date too"},
	}
	for _, tt := range tests {
		out, stderr, code := run(t, "", append([]string{"search", "9992574356"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(stderr, tt.err) || strings.Contains(stderr, "swap") {
			t.Errorf("%q: exit %d\n%s\n%s", tt.args, code, out, stderr)
		}
	}
}

// TestSearchFilters: a search with a filter says so, and when it finds
// nothing, says the filter may be why and how to search without it.
func TestSearchFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		says []string
	}{
		{"a status that finds one", []string{"9992574356", "--status", "with dispenser"},
			[]string{`Only those with status "With a pharmacy".`, "Current (2)", "issue 2 of 3", // each issue of the course
				`Only prescriptions with status "With a pharmacy" are listed: the filter leaves the others out.`,
				"Search without the filter: eps-tracker search 9992574356"}},
		{"a version that finds none", []string{"9994478397", "--version", "r1"},
			[]string{"Only those with version R1.", "None was found with version R1: the filter may be why.",
				"Search without the filter: eps-tracker search 9994478397"}},
		{"two filters that find none", []string{"9994478397", "--version", "R1", "--status", "0004"},
			[]string{`None was found with status "Expired before it was dispensed" and version R1: the filter may be why.`,
				"Search without the filter: eps-tracker search 9994478397"}},
		{"no filter", []string{"9994478397", "--to", "20241201"},
			[]string{"Nothing was issued to this patient from 24-Nov-2024 to 01-Dec-2024.",
				"Search the last two years: eps-tracker search 9994478397"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := run(t, "", append([]string{"search"}, tt.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			flat := strings.Join(strings.Fields(out), " ") // wherever the lines break
			for _, s := range tt.says {
				if !strings.Contains(flat, s) {
					t.Errorf("output does not say %q:\n%s", s, out)
				}
			}
			if len(tt.args) == 3 && tt.args[1] == "--to" && strings.Contains(out, "filter") {
				t.Errorf("a search with no filter blames one:\n%s", out)
			}
			for _, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(line); n > 80 && !strings.HasPrefix(line, "Prescriptions for") && !strings.HasPrefix(line, "  ") {
					t.Errorf("a line of %d characters, more than a terminal's 80: %q", n, line)
				}
			}
		})
	}
}

// TestNoneFoundWraps: the guidance when nothing is found is wrapped to the
// width at spaces, each line as full as the next word allows, and never
// between a flag and its value.
func TestNoneFoundWraps(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"9434765919", "--status", "0002"},
		{"9434765919", "--from", "20240101", "--to", "20240201"},
		{"9994478397", "--version", "R1", "--status", "0004"},
	} {
		out, stderr, code := run(t, "", append([]string{"search"}, args...)...)
		if code != ExitOK {
			t.Fatalf("%q: exit %d, %s", args, code, stderr)
		}
		_, guidance, ok := strings.Cut(out, "\n\n")
		if !ok || !strings.Contains(guidance, "Search") {
			t.Fatalf("%q: nothing is advised:\n%s", args, out)
		}
		// Each message is a block of lines, and so is each search to try
		// after it (indented).
		var blocks [][]string
		for _, para := range strings.Split(strings.TrimSuffix(guidance, "\n"), "\n\n") {
			var message, try []string
			for _, line := range strings.Split(para, "\n") {
				if strings.HasPrefix(line, " ") {
					try = append(try, line)
				} else {
					message = append(message, line)
				}
			}
			blocks = append(blocks, message, try)
		}
		for _, lines := range blocks {
			for i, line := range lines {
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("%q: a line of %d columns: %q", args, n, line)
				}
				if strings.HasSuffix(line, "--to") || strings.HasSuffix(line, "--from") {
					t.Errorf("%q: a flag apart from its value: %q", args, line)
				}
				if i+1 < len(lines) {
					words := strings.Fields(lines[i+1])
					next := words[0]
					if strings.HasPrefix(next, "--") && len(words) > 1 {
						next += " " + words[1]
					}
					if utf8.RuneCountInString(line+" "+next) <= 80 {
						t.Errorf("%q: %q would have fitted on the line before:\n%s", args, next, out)
					}
				}
			}
		}
	}
}

// TestNoneFoundSuggestsTheFuture: the --to suggested for future-dated
// prescriptions is after today, whatever window was searched.
func TestNoneFoundSuggestsTheFuture(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--from", "20240101", "--to", "20240201"}, "Search to 24-Nov-2027: eps-tracker search 9994478397 --from 2024-01-01 --to 2027-11-24"}, // a year after today
		{[]string{"--version", "R1"}, "--to 2027-11-24 --version R1"},
		{[]string{"--version", "R1", "--to", "20271231"}, "--to 2028-12-30 --version R1"}, // a year after the window
	}
	for _, tt := range tests {
		out, stderr, code := run(t, "", append([]string{"search", "9994478397"}, tt.args...)...)
		if flat := strings.Join(strings.Fields(out), " "); code != ExitOK || !strings.Contains(flat, tt.want) {
			t.Errorf("%q: exit %d, %s\n%s; want it to say %q", tt.args, code, stderr, out, tt.want)
		}
	}
}
