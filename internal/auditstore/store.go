package auditstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// applicationID marks a SQLite file as an audit store of EPS Tracker
// ("EPSA"); schemaVersion is the version of its tables.
const (
	applicationID = 0x45505341
	schemaVersion = 1
)

// busyTimeoutMS is how long a connection waits for another process's lock
// (an investigator's read, a second server on the same file) before it gives
// up.
const busyTimeoutMS = 10000

// schema makes a new store.
var schema = []string{
	`CREATE TABLE records (
		seq       INTEGER PRIMARY KEY,
		time      TEXT NOT NULL,
		kind      TEXT NOT NULL,
		patient   TEXT NOT NULL,
		content   TEXT NOT NULL,
		prev_hash BLOB NOT NULL,
		hash      BLOB NOT NULL
	)`,
	`CREATE INDEX records_by_patient ON records (patient, kind)`,
	guards[0], guards[1], guards[2],
	fmt.Sprintf(`PRAGMA application_id = %d`, applicationID),
	fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion),
}

// guards are the triggers that keep the table append-only, in the order of
// their names: no record is removed or changed, and one is added only as the
// next of the chain (an INSERT OR REPLACE of an existing record, which
// deletes without firing delete triggers, is refused before it can).
var guards = [...]string{
	`CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
	BEGIN SELECT RAISE(ABORT, 'audit records are never removed'); END`,
	`CREATE TRIGGER records_append_only_insert BEFORE INSERT ON records
	WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM records)
		OR NEW.prev_hash IS NOT IFNULL((SELECT hash FROM records WHERE seq = NEW.seq - 1), zeroblob(32))
	BEGIN SELECT RAISE(ABORT, 'audit records are added only at the end of the chain'); END`,
	`CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
	BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END`,
}

// ErrNotStore is returned when a file is not an audit store of EPS Tracker:
// another SQLite database, or not a database at all. Such a file is never
// written to.
var ErrNotStore = errors.New("not an audit store of EPS Tracker")

// ErrClosed is returned by [Store.Write] once the store is closed.
var ErrClosed = errors.New("the audit store is closed")

// Store is an audit store: a SQLite file of hash-chained records. It is safe
// for concurrent use; [Store.Write] commits the records of concurrent
// callers together.
type Store struct {
	path string
	// writer is the chain's one writer: a single connection whose
	// transactions begin IMMEDIATE, so that the head of the chain read at
	// the start of one is still the head when it commits.
	writer *sql.DB
	head   *sql.Stmt
	insert *sql.Stmt
	// readers serve Verify and Search; they cannot write (query_only).
	readers *sql.DB

	queue     chan *pending
	closing   chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Open opens the audit store at path for the gateway, making it if there is
// no file there: created readable and writable by its owner only (0600), as
// are the write-ahead log and index beside it. An existing file that is not
// an audit store is left untouched, with an error wrapping [ErrNotStore].
func Open(path string) (*Store, error) { return open(path, true) }

// OpenExisting opens the audit store at path, which must exist, to read it:
// its error wraps [fs.ErrNotExist] when there is no file at path, and
// [ErrNotStore] when the file is not an audit store. It never makes a file.
func OpenExisting(path string) (*Store, error) { return open(path, false) }

func open(path string, create bool) (s *Store, err error) {
	if create {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case err == nil:
			f.Close()
			defer func() {
				if err != nil { // made here, so removed here
					os.Remove(path)
					os.Remove(path + "-wal")
					os.Remove(path + "-shm")
				}
			}()
		case !errors.Is(err, fs.ErrExist):
			return nil, fmt.Errorf("cannot make the audit store: %w", err)
		}
	}
	if info, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("cannot open the audit store: %w", err)
	} else if info.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not an audit store: give the path of a file", path)
	}
	s = &Store{path: path, queue: make(chan *pending), closing: make(chan struct{}), stopped: make(chan struct{})}
	// synchronous=FULL syncs the write-ahead log at every commit: a Write
	// that returned is on disk.
	if s.writer, err = connect(dsn(path, "_synchronous=FULL", "_txlock=immediate")); err != nil {
		return nil, err
	}
	s.writer.SetMaxOpenConns(1)
	if s.readers, err = connect(dsn(path, "_query_only=1")); err != nil {
		s.writer.Close()
		return nil, err
	}
	if err = s.prepare(create); err != nil {
		s.writer.Close()
		s.readers.Close()
		return nil, err
	}
	go s.run()
	return s, nil
}

// dsn is the URI of the file at path with the store's busy timeout and the
// given parameters of the driver (as "name=value"); mode=rw never makes a
// file.
func dsn(path string, params ...string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	abs = filepath.ToSlash(abs)
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // C:/… on Windows
	}
	q := url.Values{"mode": {"rw"}, "_busy_timeout": {strconv.Itoa(busyTimeoutMS)}}
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		q.Set(k, v)
	}
	return (&url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}).String()
}

// prepare checks that the file is an audit store, or makes it one when it is
// new and create is set, and prepares the writer's statements.
func (s *Store) prepare(create bool) error {
	ctx := context.Background()
	id, version, tables, err := s.identity(ctx)
	switch {
	case notDatabase(err):
		return fmt.Errorf("%s is %w", s.path, ErrNotStore)
	case err != nil:
		return fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	case id == applicationID && version > schemaVersion:
		return fmt.Errorf("the audit store %s was written by a newer version of EPS Tracker: use that version", s.path)
	case id == applicationID:
	case id != 0 || tables > 0 || !create:
		return fmt.Errorf("%s is %w", s.path, ErrNotStore)
	default:
		if err := s.makeSchema(ctx); err != nil {
			return fmt.Errorf("cannot make the audit store %s: %w", s.path, err)
		}
	}
	if s.head, err = s.writer.PrepareContext(ctx, `SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1`); err != nil {
		return fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	if s.insert, err = s.writer.PrepareContext(ctx,
		`INSERT INTO records (seq, time, kind, patient, content, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	return nil
}

// identity reads what the file says it is: its application id, its schema
// version and how many tables, indexes and triggers it holds.
func (s *Store) identity(ctx context.Context) (id, version, tables int, err error) {
	for _, q := range []struct {
		sql string
		v   *int
	}{
		{`PRAGMA application_id`, &id},
		{`PRAGMA user_version`, &version},
		{`SELECT COUNT(*) FROM sqlite_schema`, &tables},
	} {
		if err := s.writer.QueryRowContext(ctx, q.sql).Scan(q.v); err != nil {
			return 0, 0, 0, err
		}
	}
	return id, version, tables, nil
}

// makeSchema makes a new, empty file an audit store, in write-ahead log
// mode.
func (s *Store) makeSchema(ctx context.Context) error {
	if _, err := s.writer.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
		return err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int
	if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil || id == applicationID {
		return err // or another server made it first
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Close waits for the writes under way, refuses new ones with [ErrClosed]
// and closes the file. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		<-s.stopped
		s.closeErr = errors.Join(s.head.Close(), s.insert.Close(), s.writer.Close(), s.readers.Close())
	})
	return s.closeErr
}
