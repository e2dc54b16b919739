package cli

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestVersion: a version stamped at build time wins; without one, the
// module's build information says which version and commit this is, as
// after "go install".
func TestVersion(t *testing.T) {
	t.Parallel()
	info := func(version string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/eps-tracker/eps-tracker", Version: version}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	tests := []struct {
		name      string
		stamped   string
		buildInfo func() (*debug.BuildInfo, bool)
		want      string
	}{
		{"stamped with -ldflags", "1.4.0", info("v1.3.0"), "eps-tracker 1.4.0\n"},
		{"go install of a release", "", info("v1.3.0"), "eps-tracker v1.3.0\n"},
		{"go install of a commit", "", info("v0.0.0-20261120100000-30d882d1c2f3",
			"vcs", "git", "vcs.revision", "30d882d1c2f3a7b9e4d5c6f7a8b9c0d1e2f3a4b5", "vcs.time", "2026-11-20T10:00:00Z", "vcs.modified", "false"),
			"eps-tracker v0.0.0-20261120100000-30d882d1c2f3 (commit 30d882d1c2f3, 20-Nov-2026 10:00 UTC)\n"},
		{"go build in a clone with changes", "", info("(devel)",
			"vcs.revision", "30d882d1c2f3a7b9e4d5c6f7a8b9c0d1e2f3a4b5", "vcs.time", "2026-11-20T10:00:00Z", "vcs.modified", "true"),
			"eps-tracker dev (commit 30d882d1c2f3, 20-Nov-2026 10:00 UTC, with local changes)\n"},
		{"no build information", "", none, "eps-tracker dev\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Version: tt.stamped, BuildInfo: tt.buildInfo,
				Now: func() time.Time { return testNow }}
			if code := Run(env, []string{"version"}); code != ExitOK || out.String() != tt.want {
				t.Errorf("exit %d, %q; want %q", code, out.String(), tt.want)
			}
		})
	}
}
