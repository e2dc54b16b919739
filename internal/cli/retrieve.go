package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

var retrieveHelp = `Usage:
  eps-tracker retrieve ID [--issue N] [--json]

Opens one prescription: its status, prescriber, nominated pharmacy, the
pharmacy that has it, and each item. The id may be typed in lower case,
with spaces or without hyphens; a mistyped one gets suggestions.

Flags:
  --id ID              the prescription id, or give it as the argument
  --issue N            the issue to show (default: the current one)
  --message-version V  Spine's message version parameter, rarely needed
  --json               print the normalised JSON, as "eps-tracker parse
                       retrieve" does

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
	q := client.RetrieveQuery{PrescriptionID: id, IssueNumber: f.issue, MessageVersion: f.messageVersion}
	if id == "" {
		fmt.Fprintln(env.Stderr, "eps-tracker retrieve: which prescription? Give its id, e.g. eps-tracker retrieve A3B4D9-Z42475-11E6B+")
		return ExitUsage
	}
	c, from, code := connect(env, conn, *configFile, "retrieve")
	if c == nil {
		return code
	}
	// Warnings first: with a mistyped id, the suggestions are the answer.
	writeWarnings(env.Stderr, validate.Check(validate.Input{Kind: validate.KindRetrieve, PrescriptionID: q.PrescriptionID}, env.Now()).Warnings)
	res, err := c.Retrieve(env.Context, q)
	from.announce(env.Stderr, err)
	if err != nil && !(errors.Is(err, tracker.ErrIssueNotFound) && res != nil) {
		fmt.Fprintf(env.Stderr, "eps-tracker retrieve: %s\n", explain(err, q.PrescriptionID, from))
		return ExitInvalid
	}
	if *asJSON {
		_ = writeJSON(env.Stdout, res.RetrieveResponse, true)
	} else {
		writeRetrieve(env.Stdout, res, from)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker retrieve: %s\n", explain(err, q.PrescriptionID, from))
		return ExitInvalid
	}
	return ExitOK
}
