package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

const searchHelp = `Usage:
  eps-tracker search --nhs-number N [--from yyyymmdd] [--to yyyymmdd] [--status CODE] [--version R1|R2|1|2] [--json]
  eps-tracker search --batch FILE [--concurrency 4] [--rate N] [--format json|csv] [--output FILE]

Finds a patient's prescriptions. The NHS number may be typed with spaces or
hyphens. Without --from and --to it looks two years back to today (Spine on
its own looks back only 28 days). Results are grouped current, future and
past, newest first; --json prints them as "eps-tracker parse search" does.

Flags:
  --nhs-number N       the patient's NHS number (also accepted as an argument)
  --from DATE          earliest issue date: yyyymmdd, yyyy-mm-dd or dd/mm/yyyy
  --to DATE            latest issue date, inclusive
  --status CODE        only prescriptions with an issue in this status, e.g. 0001
                       or "with dispenser"
  --version V          R2 (short ids) or R1 (long ids); also 2 or 1
  --json               print the normalised JSON instead of a table

Batch (a pharmacy's daily list):
  --batch FILE         NHS numbers one per line, or a CSV with an nhsNumber column
                       ("-" for standard input); --from, --to, --status, --version
                       apply to every line
  --concurrency N      lookups at once (default 4)
  --rate N             at most N lookups a second (default 10 against Spine,
                       no limit against the built-in sandbox; 0 for none)
  --format json|csv    results as JSON lines (default) or CSV
  --output FILE        write results to FILE instead of standard output
A bad line or a failed lookup never stops the batch; progress shows on the
terminal and a summary at the end. Exits 1 if any line was invalid or failed.

` + connectionHelp + `
Examples:
  eps-tracker search --nhs-number "943 476 5919"
  eps-tracker search 9992574356 --from 20250101 --status 0001
  eps-tracker search --batch todays-list.csv --format csv --output results.csv
  eps-tracker search --env production --asid 200000001234 --cert org.pem --key org-key.pem --ca spine-ca.pem --nhs-number 9434765919
`

func runSearch(env Env, args []string) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	nhs := fs.String("nhs-number", "", "")
	var q client.SearchQuery
	fs.StringVar(&q.EarliestDate, "from", "", "")
	fs.StringVar(&q.LatestDate, "to", "", "")
	fs.StringVar(&q.Status, "status", "", "")
	fs.StringVar(&q.Version, "version", "", "")
	asJSON := fs.Bool("json", false, "")
	var b batchOptions
	fs.StringVar(&b.file, "batch", "", "")
	fs.IntVar(&b.concurrency, "concurrency", 4, "")
	fs.Float64Var(&b.rate, "rate", -1, "")
	fs.StringVar(&b.format, "format", "json", "")
	fs.StringVar(&b.output, "output", "", "")
	conn, configFile := connectionFlags(fs)
	positional, code, ok := parseFlags(env, fs, searchHelp, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		if *nhs != "" || b.file != "" || !isDigitsOnly(positional) {
			fmt.Fprintf(env.Stderr, "eps-tracker search: unexpected %q — give the NHS number once, with --nhs-number or as the argument.\n", redactArg(positional[0]))
			return ExitUsage
		}
		*nhs = strings.Join(positional, "") // typed with spaces and no quotes
	}
	c, where, code := connect(env, conn, *configFile, "search")
	if c == nil {
		return code
	}
	if b.file != "" {
		if *nhs != "" {
			fmt.Fprintln(env.Stderr, "eps-tracker search: give --nhs-number or --batch, not both.")
			return ExitUsage
		}
		if b.rate < 0 {
			b.rate = 10
			if c.Environment() == client.Sandbox {
				b.rate = 0
			}
		}
		return runBatch(env, c, q, b)
	}
	if *nhs == "" {
		fmt.Fprintln(env.Stderr, "eps-tracker search: which patient? Give --nhs-number \"943 476 5919\" (or --batch FILE for a list).")
		return ExitUsage
	}
	q.NHSNumber = *nhs
	res, err := c.Search(env.Context, q)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker search: %s\n", explain(err, ""))
		return ExitInvalid
	}
	if *asJSON {
		_ = writeJSON(env.Stdout, res.SearchResponse, true)
		return ExitOK
	}
	writeSearch(env.Stdout, validate.NormalizeNHSNumber(q.NHSNumber), res, where)
	return ExitOK
}

// connect builds the client for a command and says which tracker answers
// when it is the sandbox.
func connect(env Env, conn *connection, configFile, command string) (*client.Client, string, int) {
	if err := conn.resolve(env, configFile); err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %v\n", command, err)
		return nil, "", ExitUsage
	}
	c, err := conn.client(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %s\n", command, strings.TrimPrefix(explain(err, ""), "client: "))
		return nil, "", ExitUsage
	}
	where := c.BaseURL()
	if c.Environment() == client.Sandbox {
		where = "built-in sandbox"
		if conn.sandboxed() && conn.Env == "" {
			fmt.Fprintln(env.Stderr, "Using the built-in sandbox: synthetic patients, not real Spine. Configure Spine with --env or --base-url (see --help).")
		}
	} else if c.Environment() != "" {
		where = string(c.Environment())
	}
	return c, where, ExitOK
}

// redactArg masks an argument that may be an identifier before quoting it.
func redactArg(s string) string {
	if len(s) >= 6 {
		return s[:2] + strings.Repeat("*", len(s)-2)
	}
	return s
}
