package auditstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

// Report is what [Store.Verify] found.
type Report struct {
	// Records is how many records were found intact, from the first: all of
	// them when Broken is nil.
	Records int64
	// Last is the time of the last intact record, and Head its hash in hex;
	// both are zero when there is no intact record. Noted, a head shows
	// later whether records were removed from the end ([Store.Hash]).
	Last time.Time
	Head string
	// Guarded reports whether the triggers that keep the table append-only
	// are all in place. Someone who removed them meant to change records.
	Guarded bool
	// Broken is the first record that breaks the chain, nil when none does.
	Broken *Break
}

// Intact reports whether every record is as written and the guards are in
// place.
func (r Report) Intact() bool { return r.Broken == nil && r.Guarded }

// Break is a record that breaks the chain.
type Break struct {
	Seq     int64
	Problem Problem
}

// Problem is how a record breaks the chain.
type Problem string

// The ways a record breaks the chain.
const (
	// Missing: there is no record of this number, though there are later
	// ones. Records were removed.
	Missing Problem = "missing"
	// Unlinked: the record does not follow the one before it. That one was
	// altered and its hash made again, or replaced, or records were removed
	// between them.
	Unlinked Problem = "unlinked"
	// Altered: what the record holds does not give its hash. It was changed
	// after it was written.
	Altered Problem = "altered"
	// Misfiled: its time, kind or patient column, by which records are
	// searched, is not what its content says, so that a search finds it
	// under the wrong patient or not at all.
	Misfiled Problem = "misfiled"
)

func (b Break) String() string {
	switch b.Problem {
	case Missing:
		return fmt.Sprintf("record %d is missing: records were removed from the store", b.Seq)
	case Unlinked:
		return fmt.Sprintf("record %d does not follow the record before it: that record was altered or replaced, or records were removed between them", b.Seq)
	case Altered:
		return fmt.Sprintf("record %d was altered after it was written: what it holds does not match its hash", b.Seq)
	}
	return fmt.Sprintf("record %d was altered after it was written: the columns it is searched by do not match what it holds", b.Seq)
}

// Verify checks every record, from the first: that it follows the one before
// it, that it holds what its hash says, and that the columns it is searched
// by agree with it; and that the table's guards are in place. It stops at
// the first record that breaks the chain. Records written while it runs
// are not checked.
func (s *Store) Verify(ctx context.Context) (Report, error) {
	var r Report
	var err error
	if r.Guarded, err = s.guarded(ctx); err != nil {
		return r, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	rows, err := s.readers.QueryContext(ctx, `SELECT seq, time, kind, patient, content, prev_hash, hash FROM records ORDER BY seq`)
	if err != nil {
		return r, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	defer rows.Close()
	prev := genesis
	for rows.Next() {
		var seq int64
		var at, kind, patient string
		var content, prevHash, hash []byte
		if err := rows.Scan(&seq, &at, &kind, &patient, &content, &prevHash, &hash); err != nil {
			return r, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
		}
		var rec audit.Record
		switch want := r.Records + 1; {
		case seq != want:
			r.Broken = &Break{Seq: want, Problem: Missing}
		case !bytes.Equal(prevHash, prev):
			r.Broken = &Break{Seq: seq, Problem: Unlinked}
		case !bytes.Equal(hash, link(prevHash, seq, content)) || json.Unmarshal(content, &rec) != nil:
			r.Broken = &Break{Seq: seq, Problem: Altered}
		case at != timeColumn(rec.Time) || kind != string(rec.Kind) || patient != rec.Patient:
			r.Broken = &Break{Seq: seq, Problem: Misfiled}
		}
		if r.Broken != nil {
			return r, nil
		}
		r.Records, r.Last, r.Head, prev = seq, rec.Time, hex.EncodeToString(hash), hash
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	return r, nil
}

// guarded reports whether the table's triggers are the guards, all of them
// and as written: a guard removed, or made again to do nothing, is not.
func (s *Store) guarded(ctx context.Context) (bool, error) {
	rows, err := s.readers.QueryContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'records' ORDER BY name`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var sql string
		if err := rows.Scan(&sql); err != nil {
			return false, err
		}
		found = append(found, sql)
	}
	return slices.Equal(found, guards[:]), rows.Err()
}

// Hash is the hash of record seq, in hex, as [Report] gives a head; found is
// false when there is no such record. Checked against a head noted from an
// earlier Verify, it shows whether records were removed from the end since,
// or the chain made again up to it: the two changes Verify alone cannot
// see.
func (s *Store) Hash(ctx context.Context, seq int64) (hash string, found bool, err error) {
	var h []byte
	switch err := s.readers.QueryRowContext(ctx, `SELECT hash FROM records WHERE seq = ?`, seq).Scan(&h); {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	return hex.EncodeToString(h), true, nil
}
