package cli

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rows shows what readBatch read: "line: NHS number as written", or
// "line: ! reason" for a row with nothing to look up.
func rows(lines []batchLine) []string {
	var got []string
	for _, l := range lines {
		if l.problem != "" {
			got = append(got, fmt.Sprintf("%d: ! %s", l.line, l.reason))
			continue
		}
		got = append(got, fmt.Sprintf("%d: %s", l.line, l.input))
	}
	return got
}

func TestReadBatch(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxBatchLine+1)
	tests := []struct {
		name, input string
		want        []string
	}{
		{"one number a line, blank lines and comments", "943 476 5919\n\n# morning list\n  # indented\n9434765919 \r\n   \n943-476-5919",
			[]string{"1: 943 476 5919", "5: 9434765919", "7: 943-476-5919"}},
		{"a byte order mark", "\ufeff9434765919\n", []string{"1: 9434765919"}},
		{"trailing commas", "9434765919,,\n9434765919,\n", []string{"1: 9434765919", "2: 9434765919"}},
		{"header NHS No", "Name,NHS No,Notes\nA,943 476 5919,x\n", []string{"2: 943 476 5919"}},
		{"header NHS Number", "NHS Number\n9434765919\n", []string{"2: 9434765919"}},
		{"header nhs_number", "ref,nhs_number\n1,9434765919\n", []string{"2: 9434765919"}},
		{"header nhsnumber", "NHSNUMBER,ref\n9434765919,1\n", []string{"2: 9434765919"}},
		{"header NHSNumber", "ref,NHSNumber\n1,9434765919\n", []string{"2: 9434765919"}},
		{"header nhs-number, quoted", "ref,\"nhs-number\"\n1,9434765919\n", []string{"2: 9434765919"}},
		{"header N.H.S. No.", "ref,N.H.S. No.\n1,9434765919\n", []string{"2: 9434765919"}},
		{"header Patient NHS number", "ref,Patient NHS number\n1,9434765919\n", []string{"2: 9434765919"}},
		{"header after comments", "# exported today\n\nref,NHS Number\n1,9434765919\n", []string{"4: 9434765919"}},
		{"quoted fields with commas and line breaks", "NHS Number,Notes\n9434765919,\"two\nlines, and \"\"quotes\"\"\"\n\"943 476 5919\",x\n",
			[]string{"2: 9434765919", "4: 943 476 5919"}},
		{"a row whose number starts on its own line", "Notes,NHS Number\n\"a\nb\",9434765919\n", []string{"2: 9434765919"}},
		{"ragged rows", "ref,NHS Number,notes\n1\n2,,x\n3,9434765919\n",
			[]string{"2: ! no NHS number", "3: ! no NHS number", "4: 9434765919"}},
		{"a bare quote", "9434765919\n943 \"476\" 5919\n9434765919\n", []string{"1: 9434765919", "2: ! quotes out of place", "3: 9434765919"}},
		{"a quote never closed", "9434765919\n\"943 476 5919\n9434765919\n", []string{"1: 9434765919", "2: ! quotes out of place"}},
		{"a line too long", "9434765919\n" + long + "\n9434765919\n", []string{"1: 9434765919", "2: ! line too long", "3: 9434765919"}},
		{"a line too long, last", "9434765919\n" + long, []string{"1: 9434765919", "2: ! line too long"}},
		{"a comment too long", "#" + long + "\n9434765919\n", []string{"2: 9434765919"}},
		{"a line too long in a CSV, its closing quote cut off", "NHS Number,notes\n9434765919,\"" + long + "\"\n9434765919,x\n",
			[]string{"2: ! line too long", "3: 9434765919"}},
		{"a field too long", "NHS Number,notes\n" + strings.Repeat("9", 65) + ",x\n", []string{"2: ! invalid NHS number"}},
		{"several columns and no header", "9434765919\n9434765919,x\n", []string{"1: 9434765919", "2: ! several columns"}},
		{"a first line that is not a number", "hello\n9434765919\n", []string{"1: hello", "2: 9434765919"}},
		{"nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, err := readBatch(strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows(lines)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadBatchRefused: a file that cannot be a list of patients is refused
// once, not row by row.
func TestReadBatchRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, input, says string
	}{
		{"a header with no NHS number column", "# list\nref,Name,Date of birth\n1,A,01/01/1970\n",
			`the header on line 2 names no NHS number column (it has "ref", "Name", "Date of birth"): name that column "NHS Number"`},
		{"columns and no header", "9434765919,A\n9434765919,B\n",
			`line 1 has 2 columns but the file has no header: add a header line naming the columns, with one "NHS Number"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readBatch(strings.NewReader(tt.input))
			if err == nil || err.Error() != tt.says {
				t.Errorf("err = %v, want %q", err, tt.says)
			}
		})
	}
}

// TestReadBatchLongLineBounded: a line far over the limit costs no more
// memory than the limit.
func TestReadBatchLongLineBounded(t *testing.T) {
	in := io.MultiReader(strings.NewReader("9434765919\n"), io.LimitReader(nines{}, 64<<20), strings.NewReader("\n9434765919\n"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	lines, err := readBatch(in)
	runtime.ReadMemStats(&after)
	if diff := cmp.Diff([]string{"1: 9434765919", "2: ! line too long", "3: 9434765919"}, rows(lines)); err != nil || diff != "" {
		t.Errorf("err %v, rows (-want +got):\n%s", err, diff)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("reading a line of 64 MiB took %d MiB", got>>20)
	}
}

// nines is an endless line of 9s.
type nines struct{}

func (nines) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '9'
	}
	return len(p), nil
}
