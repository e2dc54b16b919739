package main

import (
	"encoding/json"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

// auditEntry is what the Worker logs of one request: its audit record,
// under "audit", so that the record's fields are told apart from the rest
// of a log (in Workers Logs, "audit.patient", "audit.outcome"…).
type auditEntry struct {
	Audit audit.Record `json:"audit"`
}

// auditJSON is the JSON text of r's log entry.
func auditJSON(r audit.Record) (string, error) {
	b, err := json.Marshal(auditEntry{r})
	return string(b), err
}
