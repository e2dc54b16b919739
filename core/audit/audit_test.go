package audit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

func TestNewKey(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		ok     bool
	}{
		{"long enough", strings.Repeat("k", audit.MinKeyLength), true},
		{"its newline dropped", strings.Repeat("k", audit.MinKeyLength) + "\n", true},
		{"one short", strings.Repeat("k", audit.MinKeyLength-1), false},
		{"spaces do not count", strings.Repeat("k", audit.MinKeyLength-1) + "   ", false},
		{"empty", "", false},
		{"not text", strings.Repeat("\xff", audit.MinKeyLength), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := audit.NewKey(tt.secret)
			if (err == nil) != tt.ok || k.IsZero() == tt.ok {
				t.Fatalf("NewKey: key zero %v, error %v; want ok %v", k.IsZero(), err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "audit key") {
				t.Errorf("error %q does not say which setting", err)
			}
		})
	}
	if _, err := audit.NewKey("short"); !errors.Is(err, audit.ErrShortKey) {
		t.Errorf("short key: %v, want ErrShortKey", err)
	}
}

func TestIdentify(t *testing.T) {
	a, _ := audit.NewKey(strings.Repeat("a", 40))
	b, _ := audit.NewKey(strings.Repeat("b", 40))
	const n = "9434765919"
	if a.Identify(audit.Search, n) != a.Identify(audit.Search, n) {
		t.Error("the same identifier under the same key gave two values")
	}
	if a.Identify(audit.Search, n) == b.Identify(audit.Search, n) {
		t.Error("two keys gave the same value")
	}
	if a.Identify(audit.Search, n) == a.Identify(audit.Retrieve, n) {
		t.Error("the kind is not part of the value")
	}
	if got := a.Identify(audit.Search, n); len(got) != 64 || strings.Contains(got, n) {
		t.Errorf("Identify = %q, want 64 hex digits that do not hold the number", got)
	}
}
