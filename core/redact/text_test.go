package redact

import "testing"

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"a URL keeps its host", `Get "https://spine.example/mm/prescriptions?nhsNumber=9993142751": EOF`, `Get "https://spine.example/…": EOF`},
		{"a URL with only a query", "dial https://spine.example?nhsNumber=9993142751 failed", "dial https://spine.example/… failed"},
		{"an NHS number", "no answer for 9993142751.", "no answer for *** *** 2751."},
		{"a spaced NHS number", "patient 999 314 2751 (hyphens: 999-314-2751)", "patient *** *** 2751 (hyphens: *** *** 2751)"},
		{"a prescription id", "id 7F3A21-Z91045-4B2C0V, again", "id ******-******-***C0V, again"},
		{"an id without hyphens, in lower case", "id 7f3a21z910454b2c0v", "id ***************c0v"},
		{"what is not an identifier stays", "dial tcp 127.0.0.1:8443: connect: connection refused; x509: certificate signed by unknown authority",
			"dial tcp 127.0.0.1:8443: connect: connection refused; x509: certificate signed by unknown authority"},
		{"a long word stays", "tls: internal-error-unexpected-message", "tls: internal-error-unexpected-message"},
		{"a date stays", "on 20261124", "on 20261124"},
		{"nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
