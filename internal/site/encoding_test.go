package site

import "testing"

func TestNegotiate(t *testing.T) {
	t.Parallel()
	both := map[string]string{"br": "f.br", "gzip": "f.gz"}
	gzipOnly := map[string]string{"gzip": "f.gz"}
	tests := []struct {
		name, accept string
		has          map[string]string
		want         string
	}{
		{"a browser's", "gzip, deflate, br, zstd", both, "br"},
		{"gzip only", "gzip", both, "gzip"},
		{"brotli only", "br", gzipOnly, ""},
		{"nothing", "", both, ""},
		{"brotli refused", "br;q=0, gzip", both, "gzip"},
		{"weighed", "br;q=0.2, gzip;q=0.8", both, "gzip"},
		{"equal weights", "gzip;q=0.5, br;q=0.5", both, "br"},
		{"any", "*", both, "br"},
		{"any but brotli", "*, br;q=0", both, "gzip"},
		{"any refused", "*;q=0", both, ""},
		{"case and spaces", " GZIP ; Q=1 ", both, "gzip"},
		{"a bad weight counts as 1", "gzip;q=x", gzipOnly, "gzip"},
		{"identity", "identity", both, ""},
		{"no compressed forms", "br, gzip", map[string]string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := negotiate(tt.accept, tt.has); got != tt.want {
				t.Errorf("negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
			}
		})
	}
}
