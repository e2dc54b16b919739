//go:build !js

package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// testAuditKey is the audit key of the test stores.
const testAuditKey = "a test audit key, forty characters long.."

// The identifiers of the test stores' lookups, normalised.
const (
	auditNHSNumber = "9992574356"
	auditID        = "4422FC-0V0X26-3DFC55"
)

// auditStore makes an audit store of three lookups: two searches of one
// patient (one refused), and a retrieval of a prescription.
func auditStore(t *testing.T) string {
	t.Helper()
	key, err := audit.NewKey(testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.db")
	s, err := auditstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range []audit.Record{
		{Time: testNow, Issuer: "https://idp.example", Subject: "5b2e0f2c-0000-4000-8000-000000000001", UserID: "555555555555",
			RoleProfileID: "555555555556", Origin: "https://portal.example", Kind: audit.Search,
			Patient: key.Identify(audit.Search, auditNHSNumber), PatientMasked: "*** *** 4356",
			Filters: map[string]string{"earliestDate": "20241124", "latestDate": "20261124"}, Outcome: "0", HTTPStatus: 200,
			TraceID: "6f1b2c3d-0000-4000-8000-000000000001", UpstreamLatency: 12300 * time.Microsecond},
		{Time: testNow.Add(time.Minute), Origin: "https://elsewhere.example", Kind: audit.Search,
			Patient: key.Identify(audit.Search, auditNHSNumber), PatientMasked: "*** *** 4356",
			Outcome: "unauthenticated", HTTPStatus: 401, TraceID: "6f1b2c3d-0000-4000-8000-000000000002"},
		{Time: testNow.Add(2 * time.Minute), Issuer: "https://idp.example", Subject: "5b2e0f2c-0000-4000-8000-000000000001",
			UserID: "555555555555", RoleProfileID: "555555555556", Origin: "https://portal.example", Kind: audit.Retrieve,
			Patient: key.Identify(audit.Retrieve, auditID), PatientMasked: "******-******-***C55", Outcome: "0", HTTPStatus: 200,
			TraceID: "6f1b2c3d-0000-4000-8000-000000000003", UpstreamLatency: 800 * time.Microsecond},
	} {
		if err := s.Write(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// tamper runs SQL on an audit store, behind its back.
func tamper(t *testing.T, db string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range stmts {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
}

// wantNoIdentifier fails when text holds the test lookups' identifiers in
// clear, in any form.
func wantNoIdentifier(t *testing.T, text string) {
	t.Helper()
	for _, id := range []string{auditNHSNumber, "999 257 4356", auditID, strings.ReplaceAll(auditID, "-", ""), "3DFC55"} {
		if strings.Contains(strings.ToUpper(text), id) {
			t.Errorf("%q shows in clear in:\n%s", id, text)
		}
	}
}

func TestAuditVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper []string // SQL run on the store first
		code   int
		says   []string
	}{
		{name: "intact", code: ExitOK, says: []string{"3 records, all intact", "Record 3, the last, of 2026-11-24 09:02:00 UTC, has the hash ",
			"eps-tracker audit verify --db DB --expect 3:"}},
		{name: "altered", code: ExitInvalid, tamper: []string{`DROP TRIGGER records_append_only_update`,
			`UPDATE records SET content = replace(content, '"outcome":"unauthenticated"', '"outcome":"0"') WHERE seq = 2`},
			says: []string{"is BROKEN: record 2 was altered after it was written", "The record before it is intact.", "guards against changing records were removed"}},
		{name: "removed", code: ExitInvalid, tamper: []string{`DROP TRIGGER records_append_only_delete`, `DELETE FROM records WHERE seq = 1`},
			says: []string{"is BROKEN: record 1 is missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := auditStore(t)
			tamper(t, db, tt.tamper...)
			out, stderr, code := run(t, "", "audit", "verify", "--db", db)
			if code != tt.code || stderr != "" {
				t.Errorf("exit %d, stderr %q; want %d", code, stderr, tt.code)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, s := range tt.says {
				if s = strings.ReplaceAll(s, "DB", db); !strings.Contains(flat, s) {
					t.Errorf("does not say %q:\n%s", s, out)
				}
			}
			wantFit(t, "verify", out)
		})
	}
}

// TestAuditVerifyExpect: the record and hash a verify printed, given to a
// later one, show records removed from the end, which break no link.
func TestAuditVerifyExpect(t *testing.T) {
	t.Parallel()
	db := auditStore(t)
	out, _, _ := run(t, "", "audit", "verify", "--db", db)
	_, printed, _ := strings.Cut(out, "--expect ")
	noted := strings.TrimSpace(printed)
	if !regexp.MustCompile(`^3:[0-9a-f]{64}$`).MatchString(noted) {
		t.Fatalf("verify printed %q to expect:\n%s", noted, out)
	}
	tests := []struct {
		name   string
		expect string
		tamper []string
		code   int
		says   string
	}{
		{"as noted", noted, nil, ExitOK, "Record 3 still has the hash noted: no record up to it was removed or altered since."},
		{"in capitals", strings.ToUpper(noted), nil, ExitOK, "Record 3 still has the hash noted"},
		{"another hash", "3:" + strings.Repeat("0", 64), nil, ExitInvalid, "is BROKEN: record 3 no longer has the hash noted"},
		{"removed from the end", noted, []string{`DROP TRIGGER records_append_only_delete`, `DELETE FROM records WHERE seq = 3`}, ExitInvalid,
			"is BROKEN: record 3, noted before with its hash, is gone: records were removed from the end."},
		{"not a record", "three:" + strings.Repeat("0", 64), nil, ExitUsage, "invalid value"},
		{"a short hash", "3:b781483f", nil, ExitUsage, "give a record and its hash as an earlier verify printed them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := db
			if tt.tamper != nil {
				db = auditStore(t)
				tamper(t, db, tt.tamper...)
			}
			out, stderr, code := run(t, "", "audit", "verify", "--db", db, "--expect", tt.expect)
			if code != tt.code || !strings.Contains(strings.Join(strings.Fields(out+stderr), " "), tt.says) {
				t.Errorf("exit %d, %s%s; want %d, %q", code, out, stderr, tt.code, tt.says)
			}
		})
	}
}

func TestAuditVerifyEmpty(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "audit.db")
	s, err := auditstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if out, stderr, code := run(t, "", "audit", "verify", "--db", db); code != ExitOK || !strings.Contains(out, "holds no records yet") {
		t.Errorf("exit %d, %q %q", code, out, stderr)
	}
}

func TestAuditSearch(t *testing.T) {
	t.Parallel()
	db := auditStore(t)
	withKey := map[string]string{auditKeyVariable: testAuditKey}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		out  []string // in order
		err  string
	}{
		{name: "a patient's searches", env: withKey, args: []string{"--nhs-number", "999 257 4356"},
			out: []string{"Searches of NHS number *** *** 4356 recorded in " + db + ": 2, oldest first.",
				"Time (UTC)", "User", "Outcome", "Upstream",
				"2026-11-24 09:00:00  555555555555  Spine 0 (200)", "12 ms",
				"record 1, role 555555555556, caller 5b2e0f2c-0000-4000-8000-000000000001 of https://idp.example, origin https://portal.example, trace 6f1b2c3d-0000-4000-8000-000000000001, filters earliestDate=20241124 latestDate=20261124",
				"2026-11-24 09:01:00  —             unauthenticated (401)  —",
				"record 2, role —, no verified caller, origin https://elsewhere.example",
				"eps-tracker audit verify --db " + db}},
		{name: "the number split by the shell", env: withKey, args: []string{"--nhs-number", "999", "257", "4356"},
			out: []string{": 2, oldest first."}},
		{name: "a prescription's retrievals, as typed", env: withKey, args: []string{"--prescription-id", "4422fc0v0x263dfc55"},
			out: []string{"Retrievals of prescription ******-******-***C55 recorded in " + db + ": 1, oldest first.", "Spine 0 (200)  <1 ms"}},
		{name: "none", env: withKey, args: []string{"--nhs-number", "943 476 5919"},
			out: []string{"No search of NHS number *** *** 5919 is recorded in " + db, "check that EPS_TRACKER_AUDIT_KEY holds the key"}},
		{name: "another key finds none", env: map[string]string{auditKeyVariable: strings.Repeat("another key ", 4)}, args: []string{"--nhs-number", "999 257 4356"},
			out: []string{"No search of NHS number *** *** 4356"}},
		{name: "no key", args: []string{"--nhs-number", "999 257 4356"}, code: ExitUsage,
			err: "EPS_TRACKER_AUDIT_KEY is not set: set it to the site's audit key"},
		{name: "a short key", env: map[string]string{auditKeyVariable: "short"}, args: []string{"--nhs-number", "999 257 4356"}, code: ExitUsage,
			err: "EPS_TRACKER_AUDIT_KEY is too short to be an audit key (they are 32 characters or more)"},
		{name: "a mistyped NHS number", env: withKey, args: []string{"--nhs-number", "999 257 4355"}, code: ExitUsage, err: "--nhs-number: "},
		{name: "an id for an NHS number", env: withKey, args: []string{"--nhs-number", auditID}, code: ExitUsage,
			err: "--nhs-number: ******-******-***C55 looks like a prescription id: give it with --prescription-id."},
		{name: "an NHS number for an id", env: withKey, args: []string{"--prescription-id", "999 257 4356"}, code: ExitUsage,
			err: "--prescription-id: *** *** 4356 looks like an NHS number: give it with --nhs-number."},
		{name: "a malformed id", env: withKey, args: []string{"--prescription-id", "4422FC-0V0X26"}, code: ExitUsage, err: "--prescription-id: "},
		{name: "both", env: withKey, args: []string{"--nhs-number", "999 257 4356", "--prescription-id", auditID}, code: ExitUsage,
			err: "give --nhs-number or --prescription-id, not both."},
		{name: "neither", env: withKey, code: ExitUsage, err: "whose lookups? Give --nhs-number N"},
		{name: "a bare argument", env: withKey, args: []string{"9992574356"}, code: ExitUsage, err: "whose lookups?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := runEnv(t, tt.env, "", append([]string{"audit", "search", "--db", db}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.err) || (tt.err == "") != (stderr == "") {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, tt.code, tt.err)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, s := range tt.out {
				s = strings.Join(strings.Fields(s), " ")
				i := strings.Index(flat, s)
				if i < 0 {
					t.Fatalf("does not say %q (after what came before):\n%s", s, out)
				}
				flat = flat[i+len(s):]
			}
			wantFit(t, "search", out)
			wantNoIdentifier(t, out+stderr)
		})
	}
}

func TestAuditSearchJSON(t *testing.T) {
	t.Parallel()
	db := auditStore(t)
	key, _ := audit.NewKey(testAuditKey)
	search := func(args ...string) []auditstore.Entry {
		t.Helper()
		out, stderr, code := runEnv(t, map[string]string{auditKeyVariable: testAuditKey}, "", append([]string{"audit", "search", "--db", db, "--json"}, args...)...)
		if code != ExitOK || stderr != "" {
			t.Fatalf("exit %d, %s", code, stderr)
		}
		wantNoIdentifier(t, out)
		var entries []auditstore.Entry
		if err := json.Unmarshal([]byte(out), &entries); err != nil || entries == nil {
			t.Fatalf("%v: not a JSON array:\n%s", err, out)
		}
		return entries
	}
	got := search("--prescription-id", auditID)
	want := []auditstore.Entry{{Seq: 3, Record: audit.Record{Time: testNow.Add(2 * time.Minute), Issuer: "https://idp.example",
		Subject: "5b2e0f2c-0000-4000-8000-000000000001", UserID: "555555555555", RoleProfileID: "555555555556", Origin: "https://portal.example",
		Kind: audit.Retrieve, Patient: key.Identify(audit.Retrieve, auditID), PatientMasked: "******-******-***C55", Outcome: "0", HTTPStatus: 200,
		TraceID: "6f1b2c3d-0000-4000-8000-000000000003", UpstreamLatency: 800 * time.Microsecond}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("search --json (-want +got):\n%s", diff)
	}
	if got := search("--nhs-number", "943 476 5919"); len(got) != 0 {
		t.Errorf("none: %v", got)
	}
}

// TestAuditIdentify: identify prints the HMAC under which the gateway keeps
// an identifier, the one its records hold (in the store, or in a Worker's
// log), from the identifier as typed; nothing else, and the identifier
// never in clear.
func TestAuditIdentify(t *testing.T) {
	t.Parallel()
	key, err := audit.NewKey(testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	withKey := map[string]string{auditKeyVariable: testAuditKey}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		out  string
		err  string
	}{
		{name: "an NHS number", env: withKey, args: []string{"--nhs-number", "999 257 4356"}, out: key.Identify(audit.Search, auditNHSNumber) + "\n"},
		{name: "an NHS number split by the shell", env: withKey, args: []string{"--nhs-number", "999", "257", "4356"},
			out: key.Identify(audit.Search, auditNHSNumber) + "\n"},
		{name: "a prescription id, as typed", env: withKey, args: []string{"--prescription-id", "4422fc0v0x263dfc55"},
			out: key.Identify(audit.Retrieve, auditID) + "\n"},
		{name: "no key", args: []string{"--nhs-number", "999 257 4356"}, code: ExitUsage,
			err: "eps-tracker audit identify: EPS_TRACKER_AUDIT_KEY is not set: set it to the site's audit key"},
		{name: "a mistyped NHS number", env: withKey, args: []string{"--nhs-number", "999 257 4355"}, code: ExitUsage, err: "--nhs-number: "},
		{name: "an NHS number for an id", env: withKey, args: []string{"--prescription-id", "999 257 4356"}, code: ExitUsage,
			err: "--prescription-id: *** *** 4356 looks like an NHS number: give it with --nhs-number."},
		{name: "neither", env: withKey, code: ExitUsage, err: "whose lookups? Give --nhs-number N"},
		{name: "a store", env: withKey, args: []string{"--db", "audit.db", "--nhs-number", "999 257 4356"}, code: ExitUsage,
			err: "flag provided but not defined: -db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := runEnv(t, tt.env, "", append([]string{"audit", "identify"}, tt.args...)...)
			if code != tt.code || out != tt.out || !strings.Contains(stderr, tt.err) || (tt.err == "") != (stderr == "") {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, stderr, tt.code, tt.out, tt.err)
			}
			wantNoIdentifier(t, out+stderr)
		})
	}
}

// TestAuditStoreErrors: a command without a store, or given something else,
// says so and makes nothing.
func TestAuditStoreErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not an audit store\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.db")
	withKey := map[string]string{auditKeyVariable: testAuditKey}
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"verify, no store", []string{"verify", "--db", missing}, ExitInvalid, "eps-tracker audit verify: there is no audit store at " + missing + " — give --db the file"},
		{"search, no store", []string{"search", "--db", missing, "--nhs-number", "999 257 4356"}, ExitInvalid, "there is no audit store at " + missing},
		{"verify, not a store", []string{"verify", "--db", text}, ExitInvalid, text + " is not an audit store of EPS Tracker — give --db"},
		{"search, not a store", []string{"search", "--db", text, "--nhs-number", "999 257 4356"}, ExitInvalid, "is not an audit store"},
		{"verify, no --db", []string{"verify"}, ExitUsage, "eps-tracker audit verify: which audit store? Give --db FILE"},
		{"search, no --db", []string{"search", "--nhs-number", "999 257 4356"}, ExitUsage, "which audit store? Give --db FILE"},
		{"verify, an argument", []string{"verify", "--db", missing, "999 257 4356"}, ExitUsage, `unexpected "*** *** 4356" — give the audit store with --db FILE`},
		{"another subcommand", []string{"delete"}, ExitUsage, `eps-tracker audit: unexpected "delete" — the subcommands are verify, search and identify.`},
		{"an unknown flag", []string{"verify", "--key", "k"}, ExitUsage, "flag provided but not defined: -key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := runEnv(t, withKey, "", append([]string{"audit"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.err) || out != "" {
				t.Errorf("exit %d, stderr %q, out %q; want %d, %q", code, stderr, out, tt.code, tt.err)
			}
			wantNoIdentifier(t, stderr)
		})
	}
	if out, stderr, code := run(t, "", "audit"); code != ExitUsage || out != "" || !strings.HasPrefix(stderr, "Usage:") {
		t.Errorf("no subcommand: exit %d, %q, %q", code, out, stderr)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a store was made: %v", err)
	}
}

// TestAuditLookupWidths: a row of the widest outcome fits 80 columns.
func TestAuditLookupWidths(t *testing.T) {
	t.Parallel()
	r := audit.Record{Time: testNow, UserID: "555555555555", Outcome: "forbidden-origin", HTTPStatus: 403, UpstreamLatency: 12 * time.Second}
	var b strings.Builder
	writeLookups(&b, "audit.db", lookup{kind: audit.Search, what: "NHS number *** *** 4356"}, []auditstore.Entry{{Seq: 1, Record: r}})
	wantFit(t, "the widest row", b.String())
}
