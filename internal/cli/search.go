package cli

import (
	"flag"
	"fmt"

	"github.com/eps-tracker/eps-tracker/core/service"
)

var searchHelp = `Usage:
  eps-tracker search NHS-NUMBER [--from DATE] [--to DATE] [--status STATUS]
                     [--version R1|R2] [--json]
  eps-tracker search --batch FILE [--concurrency 4] [--rate N]
                     [--format json|csv] [--output FILE [--force]]

Finds a patient's prescriptions. The NHS number may be typed with spaces or
hyphens. Without --from and --to it looks two years back to today (Spine on
its own looks back only 28 days). Results are grouped current, future and
past, newest first, a line for each issue of a repeat dispensing course;
when none is found, or a filter or the dates may hide some, it says why a
prescription may be missing and what to search for instead. --json prints
the same view as JSON, as the widget and the desktop app get it.

Flags:
  --nhs-number N       the patient's NHS number, or give it as the argument
  --from DATE          earliest issue date: yyyymmdd, yyyy-mm-dd or dd/mm/yyyy
                       (default: two years before today)
  --to DATE            latest issue date, inclusive (default: today)
  --status STATUS      only prescriptions with an issue in this status, e.g.
                       0001 or "with dispenser"
  --version V          prescription version: R2 (short ids) or R1 (long ids);
                       also 2 or 1
  --message-version V  Spine's message version parameter, rarely needed
  --json               print the view as JSON instead of a table
The old names --earliest-date, --latest-date and --prescription-version
still work.

Batch (a pharmacy's daily list):
  --batch FILE         NHS numbers one per line, or a CSV whose header names an
                       NHS number column ("NHS Number", "NHS No", nhs_number…);
                       "-" for standard input. Blank lines and lines starting #
                       are skipped; --from, --to, --status, --version apply to
                       every line
  --concurrency N      lookups at once (default 4)
  --rate N             at most N lookups a second (default 10 against Spine,
                       no limit against the built-in sandbox; 0 for none)
  --format json|csv    results as JSON lines (default; also --json) or CSV
  --output FILE        write results to FILE (readable by you only) instead of
                       standard output; never the batch file itself
  --force              replace the --output file if it already exists
A bad line or a failed lookup never stops the batch; progress shows on the
terminal and a summary at the end. Ctrl-C stops it: lookups under way are
dropped, and the summary names the lines not tracked. Exits 1 if any line was
invalid, failed or not tracked.

` + connectionHelp + `
Examples (on the built-in sandbox):
  eps-tracker search ` + exampleNHSNumber + `
  eps-tracker search --nhs-number "` + exampleNHSNumber + `" --status "to be dispensed"
  eps-tracker search ` + exampleNHSNumber + ` --from 01/01/2025 --json
  eps-tracker search --batch todays-list.csv --format csv --output results.csv

Against live Spine, with the organisation's certificate:
  eps-tracker search 943 476 5919 --env production --asid 200000001234 \
      --cert org.pem --key org-key.pem --ca spine-ca.pem
`

func runSearch(env Env, args []string) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	var f queryFlags
	f.register(fs, searchFields)
	asJSON := fs.Bool("json", false, "")
	var b batchOptions
	fs.StringVar(&b.file, "batch", "", "")
	fs.IntVar(&b.concurrency, "concurrency", 4, "")
	fs.Func("rate", "", b.setRate)
	fs.StringVar(&b.format, "format", "json", "")
	fs.StringVar(&b.output, "output", "", "")
	fs.BoolVar(&b.force, "force", false, "")
	conn, configFile := connectionFlags(fs)
	positional, code, ok := parseFlags(env, fs, searchHelp, args)
	if !ok {
		return code
	}
	nhs, err := nhsNumberArgument(f.nhsNumber, positional)
	if err == nil {
		err = notAnNHSNumber(nhs)
	}
	if err == nil {
		err = f.checkVersion()
	}
	switch {
	case err == nil && b.file == "":
		err = batchOnly(fs)
	case err == nil:
		b.json = *asJSON
		err = b.check()
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker search: %v\n", err)
		return ExitUsage
	}
	q := service.SearchQuery{NHSNumber: nhs, EarliestDate: f.from, LatestDate: f.to, PrescriptionStatus: f.status,
		PrescriptionVersion: f.version, Version: f.messageVersion}
	svc, from, code := connect(env, conn, *configFile, "search")
	if svc == nil {
		return code
	}
	if b.file != "" {
		if nhs != "" {
			fmt.Fprintln(env.Stderr, "eps-tracker search: give --nhs-number or --batch, not both.")
			return ExitUsage
		}
		return runBatch(env, svc, from, q, b)
	}
	if nhs == "" {
		fmt.Fprintln(env.Stderr, "eps-tracker search: which patient? Give --nhs-number \"943 476 5919\" (or --batch FILE for a list).")
		return ExitUsage
	}
	v, err := svc.Search(env.Context, q)
	from.announce(env.Stderr, err)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker search: %s\n", explain(service.ErrorOf(err, service.Source{})))
		return ExitInvalid
	}
	writeWarnings(env.Stderr, v.Warnings)
	if *asJSON {
		_ = writeJSON(env.Stdout, v, true)
		return ExitOK
	}
	writeSearch(env.Stdout, v)
	return ExitOK
}
