package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/validate"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// auditKeyVariable is the environment variable that holds the site's audit
// key. The key is never a flag: a flag stays in the shell's history and
// shows in the list of processes.
const auditKeyVariable = "EPS_TRACKER_AUDIT_KEY"

const auditHelp = `Usage:
  eps-tracker audit verify --db FILE [--expect RECORD:HASH]
  eps-tracker audit search --db FILE --nhs-number N [--json]
  eps-tracker audit search --db FILE --prescription-id ID [--json]
  eps-tracker audit identify --nhs-number N | --prescription-id ID

Reads the audit store of a gateway (the file eps-tracker serve keeps with
--audit-db): a record of every lookup it answered, refusals included, each
written before the answer went back.

verify checks the whole store: each record holds a hash of itself and of the
record before it, so a record altered, removed or put out of order breaks
the chain there. It prints how many records are intact and the hash of the
last, or names the first broken record and exits 1. Records removed from the
end, or the chain made again whole, break nothing: note the last record's
hash (keep it away from the server), and give it later with --expect, which
checks that record still has it.

search lists one patient's lookups, oldest first: when, who (user, role,
the identity provider's subject and issuer), from which portal, the query's
filters, the outcome (Spine's status code, or why the gateway refused), the
trace id and how long Spine took. The store holds no NHS number or
prescription id in clear, only an HMAC of each under the site's audit key, so
search needs that key, in the environment variable ` + auditKeyVariable + `
(never a flag, so that it stays out of the shell's history):
  read -rs ` + auditKeyVariable + ` && export ` + auditKeyVariable + `

identify prints that HMAC of an NHS number or a prescription id, under the
same key, and nothing else: what to look for in records kept elsewhere, as a
gateway on Cloudflare Workers logs them ("patient":"<HMAC>").

Flags:
  --db FILE               the audit store; it must exist
  --expect RECORD:HASH    verify: a record and its hash, as an earlier verify
                          printed them
  --nhs-number N          search: the patient's searches, by NHS number
                          (identify: its HMAC)
  --prescription-id ID    search: the retrievals of one prescription
                          (identify: its HMAC)
  --json                  search: print the records as JSON

Examples:
  eps-tracker audit verify --db audit.db
  eps-tracker audit search --db audit.db --nhs-number "` + exampleNHSNumber + `" --json
  eps-tracker audit search --db audit.db --prescription-id ` + exampleID + `
  eps-tracker audit identify --nhs-number "` + exampleNHSNumber + `"
`

func runAudit(env Env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return runAuditVerify(env, args[1:])
		case "search":
			return runAuditSearch(env, args[1:])
		case "identify":
			return runAuditIdentify(env, args[1:])
		}
		if isHelp(args[0]) {
			fmt.Fprint(env.Stdout, auditHelp)
			return ExitOK
		}
		fmt.Fprintf(env.Stderr, "eps-tracker audit: unexpected %q — the subcommands are verify, search and identify.\n", redact.Argument(args[0]))
		return ExitUsage
	}
	fmt.Fprint(env.Stderr, auditHelp)
	return ExitUsage
}

func runAuditVerify(env Env, args []string) int {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	db := fs.String("db", "", "")
	var expect *noted
	fs.Func("expect", "", func(s string) (err error) {
		expect, err = parseNoted(s)
		return err
	})
	positional, code, ok := parseFlags(env, fs, auditHelp, args)
	if !ok {
		return code
	}
	if code, ok := auditArguments(env, fs, *db, positional); !ok {
		return code
	}
	store, code := openAuditStore(env, fs.Name(), *db)
	if store == nil {
		return code
	}
	defer store.Close()
	r, err := store.Verify(env.Context)
	var found string // the hash of the record expected, "" if it is gone
	if err == nil && expect != nil && r.Broken == nil {
		found, _, err = store.Hash(env.Context, expect.seq)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker audit verify: %v\n", err)
		return ExitInvalid
	}
	writeVerify(env.Stdout, *db, r)
	intact := r.Intact()
	if expect != nil && r.Broken == nil {
		var says string
		switch {
		case found == "":
			says = fmt.Sprintf("%s is BROKEN: record %d, noted before with its hash, is gone: records were removed from the end.", *db, expect.seq)
		case found != expect.hash:
			says = fmt.Sprintf("%s is BROKEN: record %d no longer has the hash noted: the records up to it were altered, and their hashes made again.", *db, expect.seq)
		default:
			says = fmt.Sprintf("Record %d still has the hash noted: no record up to it was removed or altered since.", expect.seq)
		}
		intact = intact && found == expect.hash
		fmt.Fprintln(env.Stdout, wrap(says, width(env.Stdout), ""))
	}
	if !intact {
		return ExitInvalid
	}
	return ExitOK
}

// noted is a record and its hash, noted from a verify to be checked by a
// later one.
type noted struct {
	seq  int64
	hash string
}

// parseNoted reads RECORD:HASH as verify prints it.
func parseNoted(s string) (*noted, error) {
	seq, hash, _ := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	hash = strings.ToLower(hash)
	if _, hexErr := hex.DecodeString(hash); err != nil || n < 1 || hexErr != nil || len(hash) != 2*sha256.Size {
		return nil, errors.New("give a record and its hash as an earlier verify printed them, such as 3:b781483f… (64 hex digits)")
	}
	return &noted{seq: n, hash: hash}, nil
}

// writeVerify says what a verify found.
func writeVerify(w io.Writer, db string, r auditstore.Report) {
	cols := width(w)
	var lines []string
	switch {
	case r.Broken != nil:
		lines = append(lines, fmt.Sprintf("%s is BROKEN: %s.", db, r.Broken))
		switch {
		case r.Records == 1:
			lines = append(lines, "The record before it is intact.")
		case r.Records > 1:
			lines = append(lines, fmt.Sprintf("The %d records before it are intact.", r.Records))
		}
	case r.Records == 0:
		lines = append(lines, fmt.Sprintf("%s holds no records yet: nothing to verify.", db))
	default:
		lines = append(lines, fmt.Sprintf("%s: %s, all intact: each follows the one before it and holds what it held when written.", db, count(r.Records, "record")))
	}
	if !r.Guarded {
		lines = append(lines, "The store's guards against changing records were removed or altered: someone opened it to change records.")
	}
	if r.Broken == nil && r.Records > 0 {
		lines = append(lines, fmt.Sprintf("Record %d, the last, of %s UTC, has the hash %s. Note it where the server cannot change it: a later verify with it shows whether any record up to it was removed or altered since:",
			r.Records, r.Last.UTC().Format(time.DateTime), r.Head))
	}
	for _, l := range lines {
		fmt.Fprintln(w, wrap(l, cols, ""))
	}
	if r.Broken == nil && r.Records > 0 {
		fmt.Fprintln(w, wrap(fmt.Sprintf("  eps-tracker audit verify --db%s%s --expect%s%d:%s", nbsp, shellQuoted(db), nbsp, r.Records, r.Head), cols, "    "))
	}
}

func runAuditSearch(env Env, args []string) int {
	fs := flag.NewFlagSet("audit search", flag.ContinueOnError)
	db := fs.String("db", "", "")
	nhsNumber := fs.String("nhs-number", "", "")
	id := fs.String("prescription-id", "", "")
	asJSON := fs.Bool("json", false, "")
	positional, code, ok := parseFlags(env, fs, auditHelp, args)
	if !ok {
		return code
	}
	q, err := lookupOf(env, *nhsNumber, *id, positional)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker audit search: %v\n", err)
		return ExitUsage
	}
	if code, ok := auditArguments(env, fs, *db, nil); !ok {
		return code
	}
	key, err := auditKey(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker audit search: %v\n", err)
		return ExitUsage
	}
	store, code := openAuditStore(env, fs.Name(), *db)
	if store == nil {
		return code
	}
	defer store.Close()
	entries, err := store.Search(env.Context, q.kind, key.Identify(q.kind, q.normalised))
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker audit search: %v\n", err)
		return ExitInvalid
	}
	if *asJSON {
		if entries == nil {
			entries = []auditstore.Entry{}
		}
		_ = writeJSON(env.Stdout, entries, true)
		return ExitOK
	}
	writeLookups(env.Stdout, *db, q, entries)
	return ExitOK
}

// runAuditIdentify prints the HMAC of an identifier under the audit key,
// as the gateway keeps it in its records.
func runAuditIdentify(env Env, args []string) int {
	fs := flag.NewFlagSet("audit identify", flag.ContinueOnError)
	nhsNumber := fs.String("nhs-number", "", "")
	id := fs.String("prescription-id", "", "")
	positional, code, ok := parseFlags(env, fs, auditHelp, args)
	if !ok {
		return code
	}
	q, err := lookupOf(env, *nhsNumber, *id, positional)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker audit identify: %v\n", err)
		return ExitUsage
	}
	key, err := auditKey(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker audit identify: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintln(env.Stdout, key.Identify(q.kind, q.normalised))
	return ExitOK
}

// auditKey is the site's audit key, from the environment variable
// EPS_TRACKER_AUDIT_KEY.
func auditKey(env Env) (audit.Key, error) {
	secret := env.Getenv(auditKeyVariable)
	key, err := audit.NewKey(secret)
	switch {
	case secret == "":
		return key, errors.New(auditKeyVariable + " is not set: set it to the site's audit key, the one the gateway was run with (it is never given as a flag).")
	case errors.Is(err, audit.ErrShortKey):
		return key, fmt.Errorf("%s is too short to be an audit key (they are %d characters or more): set it to the site's audit key, the one the gateway was run with.",
			auditKeyVariable, audit.MinKeyLength)
	case err != nil:
		return key, fmt.Errorf("%s: %v", auditKeyVariable, err)
	}
	return key, nil
}

// lookup is the patient an audit search is about: an NHS number (whose
// searches are found) or a prescription id (whose retrievals are).
type lookup struct {
	kind       audit.Kind
	normalised string
	// what names the identifier, masked: "NHS number *** *** 4356".
	what string
}

// lookupOf checks the identifier given to audit search, as the gateway
// checked it before keeping its HMAC, and normalises it as the gateway did.
func lookupOf(env Env, nhsNumber, id string, positional []string) (lookup, error) {
	var err error
	switch {
	case nhsNumber != "" && id != "":
		return lookup{}, errors.New("give --nhs-number or --prescription-id, not both.")
	case nhsNumber != "":
		if nhsNumber, err = nhsNumberArgument(nhsNumber, positional); err != nil {
			return lookup{}, err
		}
		if !validate.LooksLikeNHSNumber(nhsNumber) && validate.SpineAcceptsPrescriptionID(validate.NormalizePrescriptionID(nhsNumber)) {
			return lookup{}, fmt.Errorf("--nhs-number: %s looks like a prescription id: give it with --prescription-id.",
				redact.PrescriptionID(validate.NormalizePrescriptionID(nhsNumber)))
		}
		r := validate.Check(validate.Input{Kind: validate.KindSearch, NHSNumber: nhsNumber}, env.Now())
		if err := fieldError(r, "nhsNumber", "--nhs-number"); err != nil {
			return lookup{}, err
		}
		n := r.Normalized["nhsNumber"]
		return lookup{kind: audit.Search, normalised: n, what: "NHS number " + redact.NHSNumber(n)}, nil
	case id != "":
		if id, err = prescriptionIDArgument(id, positional); err != nil {
			return lookup{}, err
		}
		if validate.LooksLikeNHSNumber(id) {
			return lookup{}, fmt.Errorf("--prescription-id: %s looks like an NHS number: give it with --nhs-number.", redact.NHSNumber(id))
		}
		r := validate.Check(validate.Input{Kind: validate.KindRetrieve, PrescriptionID: id}, env.Now())
		if err := fieldError(r, "prescriptionId", "--prescription-id"); err != nil {
			return lookup{}, err
		}
		n := r.Normalized["prescriptionId"]
		for _, w := range r.Warnings {
			fmt.Fprintln(env.Stderr, wrap("! "+w.Message, width(env.Stderr), "  "))
		}
		return lookup{kind: audit.Retrieve, normalised: n, what: "prescription " + redact.PrescriptionID(n)}, nil
	}
	return lookup{}, errors.New("whose lookups? Give --nhs-number N for a patient's searches, or --prescription-id ID for the retrievals of a prescription.")
}

// fieldError is the first error of a report on field, under the flag's
// name.
func fieldError(r validate.Report, field, flag string) error {
	for _, e := range r.Errors {
		if e.Field == field {
			return fmt.Errorf("%s: %s", flag, e.Message)
		}
	}
	return nil
}

// auditArguments refuses a command without --db, or with arguments besides
// its flags.
func auditArguments(env Env, fs *flag.FlagSet, db string, positional []string) (code int, ok bool) {
	switch {
	case len(positional) > 0:
		fmt.Fprintf(env.Stderr, "eps-tracker %s: unexpected %q — give the audit store with --db FILE.\n", fs.Name(), redact.Argument(positional[0]))
	case db == "":
		fmt.Fprintf(env.Stderr, "eps-tracker %s: which audit store? Give --db FILE, the file the gateway keeps (eps-tracker serve --audit-db).\n", fs.Name())
	default:
		return ExitOK, true
	}
	return ExitUsage, false
}

// openAuditStore opens an existing audit store for a command, saying why it
// cannot.
func openAuditStore(env Env, command, db string) (*auditstore.Store, int) {
	store, err := auditstore.OpenExisting(db)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(env.Stderr, "eps-tracker %s: there is no audit store at %s — give --db the file the gateway keeps (eps-tracker serve --audit-db).\n", command, db)
	case errors.Is(err, auditstore.ErrNotStore):
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %v — give --db the file the gateway keeps (eps-tracker serve --audit-db).\n", command, err)
	case err != nil:
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %v\n", command, err)
	default:
		return store, ExitOK
	}
	return nil, ExitInvalid
}

// writeLookups lays one patient's lookups out in 80 columns: a row for
// each, with the rest of its record on the lines under it.
func writeLookups(w io.Writer, db string, q lookup, entries []auditstore.Entry) {
	cols := width(w)
	one, many := "search", "Searches"
	if q.kind == audit.Retrieve {
		one, many = "retrieval", "Retrievals"
	}
	if len(entries) == 0 {
		fmt.Fprintln(w, wrap(fmt.Sprintf("No %s of %s is recorded in %s. If one is expected, check that %s holds the key the gateway was run with.",
			one, q.what, db, auditKeyVariable), cols, ""))
		return
	}
	fmt.Fprintln(w, wrap(fmt.Sprintf("%s of %s recorded in %s: %d, oldest first.", many, q.what, db, len(entries)), cols, ""))
	table := [][]string{{"Time (UTC)", "User", "Outcome", "Upstream"}}
	for _, e := range entries {
		table = append(table, []string{e.Time.UTC().Format(time.DateTime), orNone(e.UserID), outcomeText(e.Record), latencyText(e.UpstreamLatency)})
	}
	lines := columns(table)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  "+lines[0])
	for i, e := range entries {
		fmt.Fprintln(w, "  "+lines[i+1])
		fmt.Fprintln(w, wrap("    "+strings.Join(details(e), ", "), cols, "    "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, wrap("Check that no record was altered with: eps-tracker audit verify --db "+db, cols, "  "))
}

// details are the parts of a record its row does not show, each label
// kept with its value when the line is wrapped.
func details(e auditstore.Entry) []string {
	d := []string{"record" + nbsp + strconv.FormatInt(e.Seq, 10), "role" + nbsp + orNone(e.RoleProfileID)}
	switch {
	case e.Subject != "" || e.Issuer != "":
		d = append(d, "caller"+nbsp+orNone(e.Subject)+" of"+nbsp+orNone(e.Issuer))
	default:
		d = append(d, "no verified caller")
	}
	d = append(d, "origin"+nbsp+orNone(e.Origin), "trace"+nbsp+orNone(e.TraceID))
	if len(e.Filters) > 0 {
		names := make([]string, 0, len(e.Filters))
		for name := range e.Filters {
			names = append(names, name+"="+e.Filters[name])
		}
		sort.Strings(names)
		d = append(d, "filters "+strings.Join(names, " "))
	}
	return d
}

// outcomeText is a record's outcome and the HTTP status the caller got:
// "Spine 0 (200)", "rate-limited (429)".
func outcomeText(r audit.Record) string {
	o := orNone(r.Outcome)
	if _, err := strconv.Atoi(r.Outcome); err == nil {
		o = "Spine " + o
	}
	if r.HTTPStatus != 0 {
		o += " (" + strconv.Itoa(r.HTTPStatus) + ")"
	}
	return o
}

// latencyText is how long Spine took, to the millisecond; "—" when the
// request was not forwarded.
func latencyText(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return "<1 ms"
	}
	return strconv.FormatInt(d.Round(time.Millisecond).Milliseconds(), 10) + " ms"
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// shellQuoted is s as a shell reads it back: quoted when it holds what the
// shell would split or expand.
func shellQuoted(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !strings.ContainsRune("+-./:=@_", r) && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// count is n things: "1 record", "2 records".
func count(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.FormatInt(n, 10) + " " + thing + "s"
}
