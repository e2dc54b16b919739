// Package auditstore keeps the gateway's audit records natively, in a SQLite
// file (through modernc.org/sqlite: pure Go, no C compiler), and reads them
// back for an investigation.
//
// # Durable before the answer
//
// A [Store] is an [audit.Sink]: [Store.Write] returns only once its record is
// committed and synced to disk (WAL, synchronous=FULL), so a request the
// gateway answered has its record even if the machine loses power the next
// moment. Writes from many requests at once are committed together, in one
// transaction and one sync, while each still waits for its own commit: the
// cost of a sync is shared, not queued.
//
// # Tamper-evident
//
// The records table is append-only (triggers refuse UPDATE and DELETE, and an
// INSERT out of turn) and its records form a hash chain: record n stores
// prev_hash, the hash of record n-1 (32 zero bytes for the first), and hash =
// SHA-256(prev_hash || n as 8 bytes big-endian || content), where content is
// the record as JSON, exactly as stored. Changing, removing or reordering a
// record breaks the chain at that record, and [Store.Verify] names the first
// break. Only records removed from the end, or the chain made again whole,
// leave no break: note the last hash [Store.Verify] reports, and check later
// that the record still has it ([Store.Hash]).
//
// # Who was looked up
//
// A record holds no NHS number or prescription id in clear, only its HMAC
// under the site's audit key ([audit.Key.Identify]) and its masked form.
// [Store.Search] finds the lookups of one patient by that HMAC, which only a
// holder of the key can compute.
//
// The store runs only natively: under GOOS=js [Open] returns an error.
package auditstore
