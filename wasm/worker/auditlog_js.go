package main

import (
	"context"
	"syscall/js"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

// consoleSink writes each audit record to the Worker's log: one object,
// {"audit": record}, given to console.log, which Workers Logs keeps with
// each field indexed and Logpush sends on. A record is handed to the log
// before the request is answered.
type consoleSink struct{}

func (consoleSink) Write(_ context.Context, r audit.Record) error {
	text, err := auditJSON(r)
	if err != nil {
		return err
	}
	js.Global().Get("console").Call("log", js.Global().Get("JSON").Call("parse", text))
	return nil
}
