package cli

import (
	"fmt"
	"time"
)

const versionHelp = `Usage: eps-tracker version

Prints the version of eps-tracker, for support and bug reports: the version
stamped when it was built, or else the module version and the commit it was
built from.

Example:
  eps-tracker version
`

func runVersion(env Env, args []string) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(env.Stdout, versionHelp)
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "eps-tracker %s%s\n", versionOf(env), buildDetails(env))
	return ExitOK
}

// versionOf is the version in one word, as the User-Agent header sends it:
// the one stamped at build time, else the module's (as "go install" records
// it), else "dev".
func versionOf(env Env) string {
	if env.Version != "" {
		return env.Version
	}
	if info, ok := env.BuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// buildDetails says which commit an unstamped build came from, and whether
// it had local changes, when the build information knows.
func buildDetails(env Env) string {
	if env.Version != "" {
		return ""
	}
	info, ok := env.BuildInfo()
	if !ok {
		return ""
	}
	vcs := map[string]string{}
	for _, s := range info.Settings {
		vcs[s.Key] = s.Value
	}
	rev := vcs["vcs.revision"]
	if rev == "" {
		return ""
	}
	details := " (commit " + rev[:min(12, len(rev))]
	if t, err := time.Parse(time.RFC3339, vcs["vcs.time"]); err == nil {
		details += ", " + t.UTC().Format("02-Jan-2006 15:04 UTC")
	}
	if vcs["vcs.modified"] == "true" {
		details += ", with local changes"
	}
	return details + ")"
}
