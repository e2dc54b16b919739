package auditstore

import (
	"database/sql"
	"errors"
)

// connect refuses: SQLite does not run under GOOS=js. On Cloudflare Workers
// audit records go to Workers Logs instead.
func connect(string) (*sql.DB, error) {
	return nil, errors.New("the audit store runs only in a native build of EPS Tracker")
}

func notDatabase(error) bool { return false }
