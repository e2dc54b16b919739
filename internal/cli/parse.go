package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/eps-tracker/eps-tracker/core/tracker"
)

const parseHelp = `Usage:
  eps-tracker parse search   < body.json
  eps-tracker parse retrieve < body.json

Reads one Spine tracker response body from standard input and prints it
normalised as JSON: numbers as numbers, "True"/"False" as booleans and
"False" in any other member as no value (null, or left out), maps keyed
"1", "2", … as lists in number order, timestamps (UK local time) as RFC 3339
instants with the UK offset of the moment, dates as yyyy-mm-dd, missing
texts filled in from Spine's code tables.

  search:   {"statusCode", "reason", "version", "prescriptions": [...]}
            prescriptions newest issue date first, each with id,
            patientNhsNumber, treatmentType {code, text}, issueDate,
            lastEventDate, pendingCancellations, currentIssueNumber and
            issues [{number, issueDate, status, lineItems [{number, status}]}]
  retrieve: {"statusCode", "reason", "version", "prescription": {...}}
            the same, less issues, plus type, signingDate, daysSupply,
            prescriber {ods, name, contact}, nominatedDispenser {ods, name}
            and one issue {number, status, appliedCancellations,
            dispenser {ods, name, contact}, lastDispenseDate,
            lineItems [{number, id, status}]}; issue is null when Spine
            left it empty (statusCode 3, issue not found)

Where a response breaks Spine's own rules (a line item state not allowed for
its prescription's state, an unreadable date), the prescription carries an
"inconsistencies" list; parsing goes on.

Exits 0 for any tracker response, whatever its statusCode; exits 1 with a
one-line reason when the body is not a tracker response (an HTML error page,
an XML document, truncated JSON, JSON of another shape). A member of the
wrong JSON type for the API, such as a text where an object belongs, is
refused too, and the reason names the member.

Flags:
  --compact   print the JSON on one line

Example (with a search response Spine sent, saved in search-response.json):
  eps-tracker parse search < search-response.json
`

// maxBody bounds the body read from standard input.
const maxBody = 10 << 20

func runParse(env Env, args []string) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	compact := fs.Bool("compact", false, "")
	positional, code, ok := parseFlags(env, fs, parseHelp, args)
	if !ok {
		return code
	}
	if len(positional) != 1 || positional[0] != "search" && positional[0] != "retrieve" {
		fmt.Fprint(env.Stderr, "eps-tracker parse: say which response it is: \"eps-tracker parse search\" or \"eps-tracker parse retrieve\", with the body on standard input.\n")
		return ExitUsage
	}
	body, err := io.ReadAll(io.LimitReader(env.Stdin, maxBody+1))
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker parse: reading standard input: %v\n", err)
		return ExitInvalid
	}
	if len(body) > maxBody {
		fmt.Fprintf(env.Stderr, "eps-tracker parse: the body is larger than %d MiB, far more than any tracker response.\n", maxBody>>20)
		return ExitInvalid
	}
	var resp any
	if positional[0] == "search" {
		resp, err = tracker.ParseSearch(body)
	} else {
		resp, err = tracker.ParseRetrieve(body)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker parse %s: %v\n", positional[0], err)
		return ExitInvalid
	}
	if err := writeJSON(env.Stdout, resp, !*compact); err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker parse: writing: %v\n", err)
		return ExitInvalid
	}
	return ExitOK
}
