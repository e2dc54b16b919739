//go:build !js

package auditstore

import (
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// connect opens a pool of SQLite connections to dsn, through modernc.org/sqlite
// (pure Go: no C compiler needed).
func connect(dsn string) (*sql.DB, error) { return sql.Open("sqlite", dsn) }

// notDatabase reports whether err is SQLite's "file is not a database".
func notDatabase(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_NOTADB
}
