package gateway_test

import (
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
)

// TestSandboxFault: a caller's Sandbox-Fault header reaches the upstream
// only when it is the in-process sandbox honouring it (eps-tracker serve
// --faults), so that a test of a widget pointed at the gateway can make
// the sandbox fail; it never goes to any other upstream, nor to a sandbox
// that does not honour it.
func TestSandboxFault(t *testing.T) {
	t.Parallel()
	faulty := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }, Faults: sandbox.FaultConfig{PerRequest: true}})
	tests := []struct {
		name   string
		edit   func(*gateway.Config)
		status int
	}{
		{"the sandbox with per-request faults", func(c *gateway.Config) { c.Transport, c.Upstream, c.ASID = faulty, "", "" }, 503},
		{"the sandbox without them", func(c *gateway.Config) { c.Transport, c.Upstream, c.ASID = sharedSandbox(), "", "" }, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, tt.edit)
			if w := e.do(t, "GET", e.search(), map[string]string{"Sandbox-Fault": "status:503"}); w.Code != tt.status {
				t.Errorf("HTTP %d, want %d: %s", w.Code, tt.status, w.Body)
			}
		})
	}
	t.Run("another upstream", func(t *testing.T) {
		t.Parallel()
		e := setup(t)
		if w := e.do(t, "GET", e.search(), map[string]string{"Sandbox-Fault": "status:503"}); w.Code != 200 {
			t.Errorf("HTTP %d: %s", w.Code, w.Body)
		}
		for _, req := range e.up.forwarded() {
			if v, ok := req.Header.Lookup(sandbox.FaultHeader); ok {
				t.Errorf("forwarded %s: %q", sandbox.FaultHeader, v)
			}
		}
	})
}
