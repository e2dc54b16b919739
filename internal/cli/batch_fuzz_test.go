package cli

import (
	"strings"
	"testing"
)

// FuzzReadBatch reads arbitrary batch files: no panic, and every patient
// line it returns is a line of the input, in order.
func FuzzReadBatch(f *testing.F) {
	f.Add("9434765919\n943 476 5918\n")
	f.Add("name,nhsNumber,notes\nA,9434765919,x\nB,\"943 476 5919\",\"y, z\"\n")
	f.Add("\ufeffNHS Number\n9434765919\n\n# comment\n")
	f.Add("a,b\n1,2\n")
	f.Add("nhsNumber\n\"unclosed\n")
	f.Add("NHS No,notes\n9434765919,\"two\nlines\"\n9434765919,x\n")
	f.Add("9434765919\n943 \"476\" 5919\r\n# comment\n,,\n")
	f.Fuzz(func(t *testing.T, input string) {
		lines, err := readBatch(strings.NewReader(input))
		if err != nil {
			return
		}
		total := strings.Count(input, "\n") + 1
		last := 0
		for _, l := range lines {
			if l.line <= last || l.line > total {
				t.Fatalf("line %d after %d, of %d", l.line, last, total)
			}
			last = l.line
		}
	})
}
