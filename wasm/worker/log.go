package main

import (
	"log/slog"
	"os"
)

// failureLog is the gateway's log on the Worker: its own failures only (an
// upstream that gave no answer, a record that could not be kept), one JSON
// line each on standard error, which Workers Logs keeps beside the request.
// The invocation log already says what each request was.
var failureLog = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
