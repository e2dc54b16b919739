package audit

import "encoding/json"

// line is a record as a log keeps it: under "audit", so that its fields
// are told apart from the rest of the log (audit.patient, audit.outcome…).
type line struct {
	Audit Record `json:"audit"`
}

// Line is r as one line of a log of JSON objects, without its newline:
// {"audit": {…}}. A host whose records go to a log (a Worker's, or a
// server's standard output) writes them so.
func Line(r Record) ([]byte, error) { return json.Marshal(line{r}) }
