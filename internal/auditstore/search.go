package auditstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

// Entry is a record with its place in the chain.
type Entry struct {
	Seq int64 `json:"seq"`
	audit.Record
}

// Search returns the records of the lookups of one patient, oldest first:
// those of the given kind whose Patient is patient, the identifier's HMAC
// under the site's audit key ([audit.Key.Identify]). It does not check the
// chain: [Store.Verify] does.
func (s *Store) Search(ctx context.Context, kind audit.Kind, patient string) ([]Entry, error) {
	rows, err := s.readers.QueryContext(ctx, `SELECT seq, content FROM records WHERE patient = ? AND kind = ? ORDER BY seq`, patient, string(kind))
	if err != nil {
		return nil, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	defer rows.Close()
	var found []Entry
	for rows.Next() {
		var e Entry
		var content []byte
		if err := rows.Scan(&e.Seq, &content); err != nil {
			return nil, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
		}
		if err := json.Unmarshal(content, &e.Record); err != nil {
			return nil, fmt.Errorf("record %d of the audit store %s is not a record (run eps-tracker audit verify): %w", e.Seq, s.path, err)
		}
		found = append(found, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the audit store %s: %w", s.path, err)
	}
	return found, nil
}
