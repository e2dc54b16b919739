// Package cli is the eps-tracker command line: it parses arguments, reads
// standard input and writes what the core packages answer. The main package
// only wires it to the process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/redact"
)

// Env is what a command runs with: its standard streams and a clock.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    func() time.Time
	// Version is the version stamped at build time, if any; BuildInfo
	// reads the module's build information otherwise
	// (runtime/debug.ReadBuildInfo by default).
	Version   string
	BuildInfo func() (*debug.BuildInfo, bool)
	// Context ends long-running commands (the sandbox) when it is done.
	Context context.Context
	// Getenv reads the environment (os.Getenv by default).
	Getenv func(string) string
}

// The help's examples use a patient of the built-in sandbox whose
// prescriptions are the same whatever the date, so that they work as
// printed on any day (TestExamplePatient, TestHelpExamples).
const (
	exampleNHSNumber = "999 257 4356"
	exampleID        = "4422FC-0V0X26-3DFC55"
	exampleRepeatID  = "3C970C-0V0X26-74E1BW" // repeat dispensing, in its second issue or later
)

// Exit codes.
const (
	ExitOK      = 0
	ExitInvalid = 1 // the input was refused, or the body was not a tracker response
	ExitUsage   = 2 // the command line itself was wrong
)

type command struct {
	name    string
	summary string
	run     func(env Env, args []string) int
	help    string
}

func commands() []command {
	return []command{
		{"search", "find prescriptions by NHS number, for one patient or a list", runSearch, searchHelp},
		{"retrieve", "open one prescription by its id", runRetrieve, retrieveHelp},
		{"validate", "check NHS numbers, prescription ids, dates and headers offline", runValidate, validateHelp},
		{"parse", "read a Spine tracker response and print it normalised as JSON", runParse, parseHelp},
		{"sandbox", "serve a faithful Spine tracker simulator with synthetic patients", runSandbox, sandboxHelp},
		{"serve", "serve the app, a demo portal and the widget to a browser", runServe, serveHelp},
		{"audit", "verify a gateway's audit store, or list one patient's lookups", runAudit, auditHelp},
		{"version", "print the version", runVersion, versionHelp},
		{"help", "explain a command", nil, "Usage: eps-tracker help [command]\n\nExplains a command, with examples.\n\nExample:\n  eps-tracker help validate\n"},
	}
}

const overview = `eps-tracker tracks NHS electronic prescriptions (EPS) in England: it finds a
patient's prescriptions and opens one, checking what people type before
anything is sent to Spine. With no Spine configured, a built-in sandbox of
synthetic patients answers.

Usage:
  eps-tracker <command> [flags]

Commands:
%s
Examples:
  eps-tracker search ` + exampleNHSNumber + `
  eps-tracker retrieve ` + exampleID + `
  eps-tracker validate --nhs-number "943 476 9519"  # refused: digits swapped
  eps-tracker sandbox patients | head -3
  eps-tracker serve

Run "eps-tracker help <command>" or "eps-tracker <command> --help" for more.
`

// Run runs the command line args (without the program name) and returns the
// process exit code.
func Run(env Env, args []string) int {
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Context == nil {
		env.Context = context.Background()
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.BuildInfo == nil {
		env.BuildInfo = debug.ReadBuildInfo
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage())
		return ExitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help", "help":
		if name == "help" && len(rest) > 0 {
			return help(env, rest[0])
		}
		fmt.Fprint(env.Stdout, usage())
		return ExitOK
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(env, rest)
		}
	}
	fmt.Fprintf(env.Stderr, "eps-tracker: unknown command %q — run \"eps-tracker help\" to see the commands.\n", redact.Argument(name))
	return ExitUsage
}

func usage() string {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	return fmt.Sprintf(overview, b.String())
}

func help(env Env, name string) int {
	for _, c := range commands() {
		if c.name == name {
			fmt.Fprint(env.Stdout, c.help)
			return ExitOK
		}
	}
	fmt.Fprintf(env.Stderr, "eps-tracker: no command %q — run \"eps-tracker help\" to see the commands.\n", redact.Argument(name))
	return ExitUsage
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// parseFlags parses flags that may come before, between or after positional
// arguments, and returns the positional ones. On -h/--help it prints help
// and returns ok false with code ExitOK.
func parseFlags(env Env, fs *flag.FlagSet, helpText string, args []string) (positional []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, helpText)
			return nil, ExitOK, false
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "eps-tracker %s: %v\nRun \"eps-tracker %s --help\" for usage.\n", fs.Name(), err, fs.Name())
			return nil, ExitUsage, false
		}
		if fs.NArg() == 0 {
			return positional, ExitOK, true
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
