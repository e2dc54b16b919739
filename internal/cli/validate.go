package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

const validateHelp = `Usage:
  eps-tracker validate [flags]           check one input given as flags
  eps-tracker validate < inputs.jsonl    check JSON objects, one per line

Checks what was typed, offline and exactly as Spine would, so that no request
Spine would refuse is ever sent. Spaces, hyphens and lower case are tidied
away first; what is left is checked field by field.

With flags, prints a verdict for people and exits 1 when the input is not
valid. Without flags, reads one JSON object per line from standard input, with
any of the string fields kind ("search" or "retrieve"), nhsNumber,
earliestDate, latestDate, prescriptionStatus, prescriptionVersion, version,
prescriptionId, issueNumber, asid, userId, roleProfileId, traceId (Spine's
names: version is the message version), and writes one JSON object per line,
in order:
  {"valid": true|false,
   "errors":   [{"field", "spineCode", "message"}],
   "warnings": [{"field", "code", "message", "suggestions": [...]}],
   "normalized": {field: value}}
spineCode is the status Spine would answer (null where Spine has none).
Warning codes: checksum (a prescription id's check character does not match;
suggestions lists the ids it most likely is), format (an id not shaped like
live ids), window (Spine's date defaults would leave nothing to find).
Blank lines are skipped.

Flags (named as in search and retrieve):
  --nhs-number N          the patient's NHS number (search)
  --from DATE             search from this date: yyyymmdd, yyyy-mm-dd or
                          dd/mm/yyyy
  --to DATE               search up to this date (inclusive)
  --status STATUS         prescription status filter, e.g. 0001 or "to be
                          dispensed"
  --version V             prescription version filter: R2 (short ids), R1 (long
                          ids), 2 or 1
  --id ID                 a prescription id (retrieve)
  --issue N               issue number (retrieve)
  --message-version V     Spine's message version parameter, rarely needed,
                          e.g. 1.0
  --asid, --user-id, --role-profile-id, --trace-id   Spine headers
  --kind search|retrieve  which query; taken from the fields when not given
  --json                  print the JSON verdict instead of the text one
  --today yyyymmdd        take this as today's date (for the window warnings)
An NHS number or a prescription id may also be given as the argument, in
quotes or not. The old names --earliest-date, --latest-date and
--prescription-version still work.

Examples:
  eps-tracker validate --nhs-number "943 476 5919"
  eps-tracker validate 943 476 5918   # refused: the check digit is wrong
  eps-tracker validate --id c0c757a83008c2d93o
  eps-tracker validate --id c0c757a83008c2d930   # a 0 typed for the letter O
  eps-tracker validate --nhs-number 9434765919 --to 20250101
  echo '{"kind":"search","nhsNumber":"943 476 5918"}' | eps-tracker validate
`

// maxLine bounds one line of JSON input.
const maxLine = 1 << 20

func runValidate(env Env, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	var in validate.Input
	kind := fs.String("kind", "", "")
	var f queryFlags
	f.register(fs, searchFields|retrieveFields)
	fs.StringVar(&in.ASID, "asid", "", "")
	fs.StringVar(&in.UserID, "user-id", "", "")
	fs.StringVar(&in.RoleProfileID, "role-profile-id", "", "")
	fs.StringVar(&in.TraceID, "trace-id", "", "")
	asJSON := fs.Bool("json", false, "")
	today := fs.String("today", "", "")
	positional, code, ok := parseFlags(env, fs, validateHelp, args)
	if !ok {
		return code
	}
	now := env.Now
	if *today != "" {
		d, ok := tracker.ParseCompactDate(*today)
		if !ok {
			fmt.Fprintf(env.Stderr, "eps-tracker validate: --today %q is not a date — write it as yyyymmdd.\n", *today)
			return ExitUsage
		}
		now = func() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }
	}
	// An NHS number or an id may be the argument, split at its spaces.
	var err error
	switch {
	case len(positional) == 0:
	case f.id != "":
		f.id, err = prescriptionIDArgument(f.id, positional)
	case f.nhsNumber != "" || validate.LooksLikeNHSNumber(strings.Join(positional, " ")):
		f.nhsNumber, err = nhsNumberArgument(f.nhsNumber, positional)
	default:
		f.id, err = prescriptionIDArgument("", positional)
	}
	if err == nil {
		err = f.checkVersion()
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker validate: %v\n", err)
		return ExitUsage
	}
	in.Kind = validate.Kind(*kind)
	in.NHSNumber, in.EarliestDate, in.LatestDate, in.PrescriptionStatus = f.nhsNumber, f.from, f.to, f.status
	in.PrescriptionVersion, in.Version, in.PrescriptionID, in.IssueNumber = f.version, f.messageVersion, f.id, f.issue
	flagsGiven := false
	fs.Visit(func(f *flag.Flag) { flagsGiven = flagsGiven || f.Name != "json" && f.Name != "today" })
	if !flagsGiven && len(positional) == 0 {
		if isTerminal(env.Stdin) {
			fmt.Fprint(env.Stderr, "Reading inputs as JSON, one object per line; end with Ctrl-D. To check one input, use flags: eps-tracker validate --nhs-number \"943 476 5919\" (see --help).\n")
		}
		return validateLines(env, now)
	}
	report := validate.Check(in, now())
	if *asJSON {
		writeJSONLine(env.Stdout, report)
	} else {
		fmt.Fprint(env.Stdout, verdict(report))
	}
	if !report.Valid() {
		return ExitInvalid
	}
	return ExitOK
}

// validateLines answers each line of standard input with one line of JSON.
func validateLines(env Env, now func() time.Time) int {
	r := bufio.NewReaderSize(env.Stdin, 64<<10)
	w := bufio.NewWriter(env.Stdout)
	defer w.Flush()
	for n := 1; ; n++ {
		line, tooLong, err := readLine(r)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			var report validate.Report
			if tooLong {
				report = inputError(fmt.Sprintf("Line %d is longer than %d bytes — put one input object on each line.", n, maxLine))
			} else {
				report = checkLine(line, n, now())
			}
			writeJSONLine(w, report)
			if r.Buffered() == 0 {
				w.Flush() // answer at once when another program is waiting for it
			}
		}
		if err == io.EOF {
			return ExitOK
		}
		if err != nil {
			w.Flush()
			fmt.Fprintf(env.Stderr, "eps-tracker validate: reading standard input: %v\n", err)
			return ExitInvalid
		}
	}
}

// readLine reads one line, without its end. A line longer than maxLine is
// consumed and reported as too long.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine {
			tooLong = true
		} else {
			line = append(line, chunk...)
		}
		if err != bufio.ErrBufferFull {
			return bytes.TrimRight(line, "\r\n"), tooLong, err
		}
	}
}

// checkLine decodes one line and checks it. Members that are not input
// fields, or not strings, are reported as errors on that member rather than
// ignored, so nothing typed is silently lost.
func checkLine(line []byte, n int, now time.Time) validate.Report {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(line, &members); err != nil || members == nil {
		return inputError(fmt.Sprintf("Line %d is not a JSON object — write each input as {\"nhsNumber\": \"943 476 5919\"} on its own line.", n))
	}
	var in validate.Input
	var extra []validate.FieldError
	for name, raw := range members {
		dst := in.Field(name)
		if dst == nil {
			msg := fmt.Sprintf("%q is not an input field — the fields are %s.", name, strings.Join(validate.FieldNames(), ", "))
			for _, known := range validate.FieldNames() {
				if strings.EqualFold(strings.TrimSpace(name), known) {
					msg = fmt.Sprintf("%q is not an input field — did you mean %q?", name, known)
				}
			}
			extra = append(extra, validate.FieldError{Field: name, Message: msg})
			continue
		}
		v, ok := scalarString(raw)
		if !ok {
			extra = append(extra, validate.FieldError{Field: name, Message: fmt.Sprintf(
				"%s must be a string, e.g. \"%s\": \"…\".", name, name)})
			continue
		}
		*dst = v
	}
	report := validate.Check(in, now)
	if len(extra) > 0 {
		sort.Slice(extra, func(i, j int) bool { return extra[i].Field < extra[j].Field })
		report.Errors = append(report.Errors, extra...)
	}
	return report
}

// scalarString reads a JSON string, or the text of a number (an NHS number
// or issue number written without quotes); null reads as absent.
func scalarString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return "", false
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err == nil
	case string(raw) == "null":
		return "", true
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		return string(raw), true
	}
	return "", false
}

func inputError(msg string) validate.Report {
	return validate.Report{Errors: []validate.FieldError{{Field: "input", Message: msg}}}
}

func writeJSONLine(w io.Writer, v any) {
	_ = writeJSON(w, v, false) // a write error shows on the next flush
}

// writeJSON writes v as JSON: on one line, or indented for people.
func writeJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}

// verdict writes a report for people.
func verdict(r validate.Report) string {
	var b strings.Builder
	kind := r.Normalized["kind"]
	if kind == "" {
		kind = "input"
	}
	switch {
	case r.Valid() && len(r.Warnings) == 0:
		fmt.Fprintf(&b, "✓ Valid %s — Spine would accept it.\n", kind)
	case r.Valid():
		fmt.Fprintf(&b, "✓ Spine would accept this %s, but check it first.\n", kind)
	default:
		fmt.Fprintf(&b, "✗ Not valid — Spine would refuse this %s. Fix:\n", kind)
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "  • %s\n", e.Message)
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("Check:\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  ! %s\n", w.Message)
			if len(w.Suggestions) > 0 {
				fmt.Fprintf(&b, "    Did you mean %s?", w.Suggestions[0])
				if more := len(w.Suggestions) - 1; more > 0 {
					shown := w.Suggestions[1:min(len(w.Suggestions), 4)]
					fmt.Fprintf(&b, " Or: %s", strings.Join(shown, ", "))
					if more > len(shown) {
						fmt.Fprintf(&b, " (and %d more)", more-len(shown))
					}
				}
				b.WriteString("\n")
			}
		}
	}
	heading := "As it will be sent:\n"
	if !r.Valid() {
		heading = "These fields are fine:\n"
	}
	for _, name := range validate.FieldNames() {
		if v, ok := r.Normalized[name]; ok && name != "kind" {
			b.WriteString(heading)
			heading = ""
			fmt.Fprintf(&b, "  %-21s %s\n", validate.Label(name), show(name, v))
		}
	}
	return b.String()
}

// show writes a normalised value as people read it.
func show(name, v string) string {
	switch name {
	case "nhsNumber":
		return v + "  (" + spacedNHSNumber(v) + ")"
	case "earliestDate", "latestDate":
		if d, ok := tracker.ParseCompactDate(v); ok {
			return v + "  (" + d.Human() + ")"
		}
	case "prescriptionStatus":
		if s, ok := tracker.LookupPrescriptionStatus(v); ok {
			return v + "  (" + s.Text + ")"
		}
	}
	return v
}

// spacedNHSNumber writes a ten-digit NHS number as 943 476 5919.
func spacedNHSNumber(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[0:3] + " " + s[3:6] + " " + s[6:10]
}
