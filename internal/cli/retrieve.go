package cli

import (
	"flag"
	"fmt"

	"github.com/eps-tracker/eps-tracker/core/service"
)

var retrieveHelp = `Usage:
  eps-tracker retrieve ID [--issue N] [--json]

Opens one prescription: its status, prescriber, nominated pharmacy, the
pharmacy that has it, and each item; for a prescription of several issues,
every issue with its status (found by a search of the patient). The id may
be typed in lower case, with spaces or without hyphens; a mistyped one gets
suggestions.

Flags:
  --id ID              the prescription id, or give it as the argument
  --issue N            the issue to show (default: the current one)
  --message-version V  Spine's message version parameter, rarely needed
  --json               print the view as JSON, as the widget and the desktop
                       app get it

` + connectionHelp + `
Examples (on the built-in sandbox):
  eps-tracker retrieve ` + exampleID + `
  eps-tracker retrieve ` + exampleRepeatID + ` --issue 2
  eps-tracker retrieve 999 257 4356   # refused: an NHS number, for search
`

func runRetrieve(env Env, args []string) int {
	fs := flag.NewFlagSet("retrieve", flag.ContinueOnError)
	var f queryFlags
	f.register(fs, retrieveFields)
	asJSON := fs.Bool("json", false, "")
	conn, configFile := connectionFlags(fs)
	positional, code, ok := parseFlags(env, fs, retrieveHelp, args)
	if !ok {
		return code
	}
	id, err := prescriptionIDArgument(f.id, positional)
	if err == nil {
		err = notAPrescriptionID(id)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker retrieve: %v\n", err)
		return ExitUsage
	}
	q := service.RetrieveQuery{PrescriptionID: id, IssueNumber: f.issue, Version: f.messageVersion}
	if id == "" {
		fmt.Fprintln(env.Stderr, "eps-tracker retrieve: which prescription? Give its id, e.g. eps-tracker retrieve A3B4D9-Z42475-11E6B+")
		return ExitUsage
	}
	svc, from, code := connect(env, conn, *configFile, "retrieve")
	if svc == nil {
		return code
	}
	// Warnings first: with a mistyped id, the suggestions are the answer.
	writeWarnings(env.Stderr, svc.Check(id).Warnings)
	v, err := svc.Retrieve(env.Context, q)
	from.announce(env.Stderr, err)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker retrieve: %s\n", explain(service.ErrorOf(err, service.Source{})))
		return ExitInvalid
	}
	if *asJSON {
		_ = writeJSON(env.Stdout, v, true)
	} else {
		writeRetrieve(env.Stdout, v)
	}
	if !v.Issue.Found {
		fmt.Fprintf(env.Stderr, "eps-tracker retrieve: %s\n", v.Issue.Message)
		return ExitInvalid
	}
	return ExitOK
}
