package auditstore

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

// genesis is the prev_hash of the first record: 32 zero bytes.
var genesis = make([]byte, sha256.Size)

// link is the hash of record seq, whose content is content, following the
// record whose hash is prev: SHA-256(prev || seq as 8 bytes big-endian ||
// content).
func link(prev []byte, seq int64, content []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(seq)))
	h.Write(content)
	return h.Sum(nil)
}

// content is a record as the store keeps it and hashes it: JSON, its time in
// UTC. The bytes are stored as they are, so a record verifies whatever later
// versions of [audit.Record] add.
func content(r audit.Record) ([]byte, error) {
	r.Time = r.Time.UTC()
	return json.Marshal(r)
}

// timeColumn is a record's time as its column holds it, for searches by time.
func timeColumn(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
