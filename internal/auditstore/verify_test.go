//go:build !js

package auditstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// The guards' drops, for a tamperer who knows they are there.
const (
	dropUpdateGuard = `DROP TRIGGER records_append_only_update`
	dropDeleteGuard = `DROP TRIGGER records_append_only_delete`
	dropInsertGuard = `DROP TRIGGER records_append_only_insert`
)

// rehash makes the hash of record seq again from what it now holds, as a
// tamperer who knows how records are chained would.
func rehash(t *testing.T, db *sql.DB, seq int64) {
	t.Helper()
	var prev, content []byte
	if err := db.QueryRow(`SELECT prev_hash, content FROM records WHERE seq = ?`, seq).Scan(&prev, &content); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(seq)))
	h.Write(content)
	if _, err := db.Exec(`UPDATE records SET hash = ? WHERE seq = ?`, h.Sum(nil), seq); err != nil {
		t.Fatal(err)
	}
}

// TestVerify: Verify names the first record that breaks the chain, however
// the store was changed behind its back, and whether its guards are still
// in place.
func TestVerify(t *testing.T) {
	t.Parallel()
	const n = 5
	tests := []struct {
		name    string
		tamper  func(t *testing.T, db *sql.DB, path string)
		records int64 // found intact
		guarded bool
		broken  *auditstore.Break
	}{
		{name: "as written", tamper: func(*testing.T, *sql.DB, string) {}, records: n, guarded: true},
		{name: "a guard removed, nothing changed", records: n, tamper: func(t *testing.T, db *sql.DB, _ string) {
			do(t, db, dropUpdateGuard)
		}},
		{name: "a guard made again to do nothing", records: n, tamper: func(t *testing.T, db *sql.DB, _ string) {
			do(t, db, dropUpdateGuard, `CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records BEGIN SELECT 1; END`)
		}},
		{name: "content altered", records: 2, broken: &auditstore.Break{Seq: 3, Problem: auditstore.Altered},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET content = replace(content, '"outcome":"0"', '"outcome":"5"') WHERE seq = 3`)
			}},
		{name: "content altered and its hash made again", records: 3, broken: &auditstore.Break{Seq: 4, Problem: auditstore.Unlinked},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET content = replace(content, '"outcome":"0"', '"outcome":"5"') WHERE seq = 3`)
				rehash(t, db, 3)
			}},
		{name: "the first record altered", records: 0, broken: &auditstore.Break{Seq: 1, Problem: auditstore.Altered},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET content = replace(content, 'trace-0001', 'trace-9999') WHERE seq = 1`)
			}},
		{name: "the first record's link altered", records: 0, broken: &auditstore.Break{Seq: 1, Problem: auditstore.Unlinked},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET prev_hash = randomblob(32) WHERE seq = 1`)
			}},
		{name: "a record removed", records: 2, broken: &auditstore.Break{Seq: 3, Problem: auditstore.Missing},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropDeleteGuard, `DELETE FROM records WHERE seq = 3`)
			}},
		{name: "the first record removed", records: 0, broken: &auditstore.Break{Seq: 1, Problem: auditstore.Missing},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropDeleteGuard, `DELETE FROM records WHERE seq = 1`)
			}},
		{name: "a record removed and the rest renumbered", records: 2, broken: &auditstore.Break{Seq: 3, Problem: auditstore.Unlinked},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropDeleteGuard, dropUpdateGuard, `DELETE FROM records WHERE seq = 3`, `UPDATE records SET seq = seq - 1 WHERE seq > 3`)
			}},
		{name: "two records swapped", records: 1, broken: &auditstore.Break{Seq: 2, Problem: auditstore.Unlinked},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET seq = -2 WHERE seq = 2`, `UPDATE records SET seq = 2 WHERE seq = 3`,
					`UPDATE records SET seq = 3 WHERE seq = -2`)
			}},
		{name: "a record filed under another patient", records: 1, broken: &auditstore.Break{Seq: 2, Problem: auditstore.Misfiled},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET patient = 'someone else' WHERE seq = 2`)
			}},
		{name: "a record's time column changed", records: 1, broken: &auditstore.Break{Seq: 2, Problem: auditstore.Misfiled},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET time = '2020-01-01T00:00:00Z' WHERE seq = 2`)
			}},
		{name: "a record forged at the end", records: n, broken: &auditstore.Break{Seq: n + 1, Problem: auditstore.Unlinked},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropInsertGuard, `INSERT INTO records SELECT seq + 1, time, kind, patient, content, prev_hash, hash FROM records WHERE seq = 5`)
			}},
		{name: "not a record, yet hashed", records: 1, broken: &auditstore.Break{Seq: 2, Problem: auditstore.Altered},
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropUpdateGuard, `UPDATE records SET content = 'not json' WHERE seq = 2`)
				rehash(t, db, 2)
			}},
		// Records removed from the end leave no break: only the count and
		// the last hash, compared with those noted before, show it.
		{name: "the last record removed", records: n - 1,
			tamper: func(t *testing.T, db *sql.DB, _ string) {
				do(t, db, dropDeleteGuard, `DELETE FROM records WHERE seq = 5`)
			}},
		{name: "the file edited", records: 3, guarded: true, broken: &auditstore.Break{Seq: 4, Problem: auditstore.Altered},
			tamper: func(t *testing.T, db *sql.DB, path string) {
				db.Close() // the last connection: the log is checkpointed into the file
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				at := bytes.Index(data, []byte("trace-0004"))
				if at < 0 || bytes.Contains(data[at+1:], []byte("trace-0004")) {
					t.Fatal("record 4 is not once in the file")
				}
				copy(data[at:], "trace-4000")
				if err := os.WriteFile(path, data, 0o600); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, path := setup(t)
			for i := 1; i <= n; i++ {
				write(t, s, searchOf("9990000018", i))
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			db := raw(t, path)
			tt.tamper(t, db, path)
			db.Close()

			s, err := auditstore.OpenExisting(path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			r, err := s.Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.broken, r.Broken); diff != "" {
				t.Errorf("broken (-want +got):\n%s", diff)
			}
			if r.Records != tt.records || r.Guarded != tt.guarded || r.Intact() != (tt.broken == nil && tt.guarded) {
				t.Errorf("Verify = %+v; want %d records intact, guarded %v", r, tt.records, tt.guarded)
			}
			if (r.Head == "") != (tt.records == 0) || r.Last.IsZero() != (tt.records == 0) {
				t.Errorf("Verify = %+v; want the head and time of record %d", r, tt.records)
			}
		})
	}
}

func TestVerifyEmpty(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	r, err := s.Verify(context.Background())
	if err != nil || !r.Intact() || r.Records != 0 || r.Head != "" {
		t.Errorf("Verify = %+v, %v; want no records, intact", r, err)
	}
}

func TestBreakString(t *testing.T) {
	t.Parallel()
	for _, p := range []auditstore.Problem{auditstore.Missing, auditstore.Unlinked, auditstore.Altered, auditstore.Misfiled} {
		got := auditstore.Break{Seq: 42, Problem: p}.String()
		if !strings.HasPrefix(got, "record 42 ") {
			t.Errorf("%s: %q does not name the record", p, got)
		}
	}
}

// TestHash: a head noted from Verify shows what Verify alone cannot: records
// removed from the end, and the chain made again whole.
func TestHash(t *testing.T) {
	t.Parallel()
	s, path := setup(t)
	for i := 1; i <= 3; i++ {
		write(t, s, searchOf("9990000018", i))
	}
	r, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	write(t, s, searchOf("9990000018", 4)) // added since: the noted record keeps its hash
	if hash, found, err := s.Hash(context.Background(), 3); err != nil || !found || hash != r.Head {
		t.Errorf("Hash(3) = %q, %v, %v; want %q as noted", hash, found, err, r.Head)
	}

	noted2, _, err := s.Hash(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	db := raw(t, path)
	do(t, db, dropDeleteGuard, dropUpdateGuard, `DELETE FROM records WHERE seq >= 3`)
	if _, found, err := s.Hash(context.Background(), 3); err != nil || found {
		t.Errorf("Hash of a record removed from the end: found %v, %v", found, err)
	}
	do(t, db, dropInsertGuard, `UPDATE records SET content = replace(content, 'trace-0001', 'trace-9999') WHERE seq = 1`)
	rehash(t, db, 1)
	do(t, db, `UPDATE records SET prev_hash = (SELECT hash FROM records WHERE seq = 1) WHERE seq = 2`)
	rehash(t, db, 2)
	if r, err := s.Verify(context.Background()); err != nil || r.Broken != nil || r.Records != 2 {
		t.Fatalf("the chain made again: Verify = %+v, %v; want no break", r, err)
	}
	if hash, found, err := s.Hash(context.Background(), 2); err != nil || !found || hash == noted2 {
		t.Errorf("Hash(2) of a chain made again = %q, %v, %v; want another than the %q noted", hash, found, err, noted2)
	}
}
