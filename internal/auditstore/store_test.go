//go:build !js

package auditstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// testTime is when the first test record's request arrived.
var testTime = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

// testKey is the audit key of the test records.
var testKey = func() audit.Key {
	k, err := audit.NewKey(strings.Repeat("test audit key ", 3))
	if err != nil {
		panic(err)
	}
	return k
}()

// searchOf is a record of a search for the NHS number n, the i-th request.
func searchOf(n string, i int) audit.Record {
	return audit.Record{
		Time:            testTime.Add(time.Duration(i) * time.Second),
		Issuer:          "https://idp.example",
		Subject:         "5b2e0f2c-0000-4000-8000-000000000001",
		UserID:          "555555555555",
		RoleProfileID:   "555555555556",
		Origin:          "https://portal.example",
		Kind:            audit.Search,
		Patient:         testKey.Identify(audit.Search, n),
		PatientMasked:   "*** *** " + n[6:],
		Filters:         map[string]string{"earliestDate": "20250101", "latestDate": "20261124"},
		Outcome:         "0",
		HTTPStatus:      200,
		TraceID:         fmt.Sprintf("trace-%04d", i),
		UpstreamLatency: time.Duration(i) * time.Millisecond,
	}
}

// setup opens a new store in a temporary folder, closed when the test ends.
func setup(t testing.TB) (*auditstore.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.db")
	s, err := auditstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// write writes records, failing the test on an error.
func write(t testing.TB, s *auditstore.Store, records ...audit.Record) {
	t.Helper()
	for _, r := range records {
		if err := s.Write(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// raw opens the store's file as SQLite, outside the store: as someone who
// meant to change the records would.
func raw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func do(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestOpenMakesAPrivateFile(t *testing.T) {
	t.Parallel()
	s, path := setup(t)
	write(t, s, searchOf("9990000018", 1))
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s is %v, want -rw------- (it holds audit data)", filepath.Base(name), mode)
		}
	}
}

func TestOpenKeepsTheChain(t *testing.T) {
	t.Parallel()
	s, path := setup(t)
	write(t, s, searchOf("9990000018", 1), searchOf("9990000018", 2))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, open := range []func(string) (*auditstore.Store, error){auditstore.Open, auditstore.OpenExisting} {
		s, err := open(path)
		if err != nil {
			t.Fatal(err)
		}
		write(t, s, searchOf("9990000018", 3))
		r, err := s.Verify(context.Background())
		s.Close()
		if err != nil || !r.Intact() {
			t.Fatalf("Verify = %+v, %v; want intact", r, err)
		}
		if r.Records < 3 || r.Head == "" || !r.Last.Equal(testTime.Add(3*time.Second)) {
			t.Errorf("Verify = %+v; want 3 records or more, the last at %v", r, testTime.Add(3*time.Second))
		}
	}
}

// TestOpenRefuses: a path that is not an audit store is refused and left as
// it was; OpenExisting makes nothing.
func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		make     func(t *testing.T, path string) // nil: nothing at path
		existing bool                            // OpenExisting rather than Open
		want     error                           // nil: any error
		mention  string
	}{
		{name: "no file", existing: true, want: fs.ErrNotExist},
		{name: "no folder", make: func(t *testing.T, path string) { os.Remove(filepath.Dir(path)) }, want: fs.ErrNotExist},
		{name: "an empty file, to read", existing: true, want: auditstore.ErrNotStore,
			make: func(t *testing.T, path string) { os.WriteFile(path, nil, 0o600) }},
		{name: "a text file", want: auditstore.ErrNotStore,
			make: func(t *testing.T, path string) {
				os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o600)
			}},
		{name: "another SQLite database", want: auditstore.ErrNotStore, make: func(t *testing.T, path string) {
			do(t, raw(t, path), `CREATE TABLE notes (text TEXT)`, `INSERT INTO notes VALUES ('kept')`)
		}},
		{name: "another SQLite database, to read", existing: true, want: auditstore.ErrNotStore, make: func(t *testing.T, path string) {
			do(t, raw(t, path), `CREATE TABLE notes (text TEXT)`)
		}},
		{name: "a folder", mention: "is a folder", make: func(t *testing.T, path string) { os.Mkdir(path, 0o700) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "sub", "audit.db")
			os.Mkdir(filepath.Dir(path), 0o700)
			var before []byte
			if tt.make != nil {
				tt.make(t, path)
				before, _ = os.ReadFile(path)
			}
			open := auditstore.Open
			if tt.existing {
				open = auditstore.OpenExisting
			}
			s, err := open(path)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %q, want one that is %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not say %q", err, tt.mention)
			}
			after, _ := os.ReadFile(path)
			if string(after) != string(before) {
				t.Error("the file was changed")
			}
			if tt.make == nil {
				if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a file was made: %v", err)
				}
			}
		})
	}
}

// TestOpenAnEmptyFile: an empty file, made beforehand to set its owner or
// mode, becomes the store.
func TestOpenAnEmptyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := auditstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write(t, s, searchOf("9990000018", 1))
}

func TestWriteAfterClose(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	s.Close()
	if err := s.Write(context.Background(), searchOf("9990000018", 1)); !errors.Is(err, auditstore.ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// TestAppendOnly: the table refuses, from any connection, what would change
// the records rather than add one.
func TestAppendOnly(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, sql string }{
		{"update", `UPDATE records SET content = '{}' WHERE seq = 1`},
		{"update of the search columns", `UPDATE records SET patient = 'someone else' WHERE seq = 2`},
		{"delete", `DELETE FROM records WHERE seq = 2`},
		{"delete of all", `DELETE FROM records`},
		{"replace", `INSERT OR REPLACE INTO records SELECT * FROM records WHERE seq = 1`},
		{"insert out of turn", `INSERT INTO records (seq, time, kind, patient, content, prev_hash, hash)
			SELECT 10, time, kind, patient, content, hash, hash FROM records WHERE seq = 2`},
		{"insert at the end, unlinked", `INSERT INTO records (seq, time, kind, patient, content, prev_hash, hash)
			SELECT 3, time, kind, patient, content, prev_hash, hash FROM records WHERE seq = 2`},
	}
	s, path := setup(t)
	write(t, s, searchOf("9990000018", 1), searchOf("9990000018", 2))
	db := raw(t, path)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.Exec(tt.sql); err == nil {
				t.Error("done")
			}
		})
	}
	if r, err := s.Verify(context.Background()); err != nil || !r.Intact() || r.Records != 2 {
		t.Errorf("Verify = %+v, %v; want 2 records, intact", r, err)
	}
}
