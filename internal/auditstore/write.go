package auditstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

var _ audit.Sink = (*Store)(nil)

// maxBatch bounds the records committed in one transaction.
const maxBatch = 1024

// pending is a record waiting for its commit.
type pending struct {
	time, kind, patient string
	content             []byte
	done                chan error
}

// Write adds r to the end of the chain and returns once it is committed and
// synced to disk. Records written at the same time from several goroutines
// are committed together, in one transaction, in the order they reached the
// store.
//
// When ctx ends first, Write returns its error without waiting; the record
// may still be written (a record too many, of a request that was not
// answered, never one too few).
func (s *Store) Write(ctx context.Context, r audit.Record) error {
	c, err := content(r)
	if err != nil {
		return fmt.Errorf("cannot keep the audit record: %w", err)
	}
	p := &pending{time: timeColumn(r.Time), kind: string(r.Kind), patient: r.Patient, content: c, done: make(chan error, 1)}
	select {
	case s.queue <- p:
	case <-s.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is the chain's one writer. It takes a record, then every other one
// waiting (gather), commits them in one transaction and tells each writer
// how it went: while one transaction syncs, the next batch gathers.
func (s *Store) run() {
	defer close(s.stopped)
	batch := make([]*pending, 0, maxBatch)
	for {
		select {
		case p := <-s.queue:
			batch = gather(s.queue, append(batch[:0], p))
		case <-s.closing:
			return
		}
		err := s.commit(batch)
		for _, p := range batch {
			p.done <- err
		}
	}
}

// yields is how many turns gather gives the goroutines ready to run.
const yields = 2

// gather adds to batch the records waiting in queue, up to maxBatch, having
// first given the goroutines that are ready to run their turn, twice
// (runtime.Gosched): on a busy server, the requests about to write their
// records join this commit and share its sync, rather than each wait for
// the next. On an idle one nothing else is ready to run, and the batch goes
// at once.
func gather(queue chan *pending, batch []*pending) []*pending {
	for range yields {
		runtime.Gosched()
	}
	for len(batch) < maxBatch {
		select {
		case p := <-queue:
			batch = append(batch, p)
		default:
			return batch
		}
	}
	return batch
}

// commit appends a batch of records to the chain in one transaction. The
// head of the chain is read inside it, so that another process writing the
// same file cannot fork the chain.
func (s *Store) commit(batch []*pending) error {
	ctx := context.Background() // one caller giving up does not stop the others' records
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cannot write to the audit store %s: %w", s.path, err)
	}
	defer tx.Rollback()
	var seq int64
	prev := genesis
	if err := tx.StmtContext(ctx, s.head).QueryRowContext(ctx).Scan(&seq, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	insert := tx.StmtContext(ctx, s.insert)
	for _, p := range batch {
		seq++
		hash := link(prev, seq, p.content)
		if _, err := insert.ExecContext(ctx, seq, p.time, p.kind, p.patient, string(p.content), prev, hash); err != nil {
			return fmt.Errorf("cannot write to the audit store %s: %w", s.path, err)
		}
		prev = hash
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cannot write to the audit store %s: %w", s.path, err)
	}
	return nil
}
