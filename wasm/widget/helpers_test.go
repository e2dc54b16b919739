package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// The tests' patient and prescription, of the training sandbox of seed 0.
const (
	nhsNumber = "9992574356"
	repeatID  = "3C970C-0V0X26-74E1BW" // repeat dispensing
)

// day is the day the tests are answered on: 11:00 in London.
var day = time.Date(2025, 6, 10, 10, 0, 0, 0, time.UTC)

// trainingSandbox is the sandbox the service makes for itself on day.
func trainingSandbox() sandbox.Config {
	return sandbox.Config{Now: func() time.Time { return day }}
}

// newService is a service answered by the training sandbox on day, that
// reaches a gateway with t, if given.
func newService(tb testing.TB, t transport.Transport) *service.Service {
	tb.Helper()
	opts := []service.Option{service.WithClock(func() time.Time { return day }), service.WithSandbox(trainingSandbox())}
	if t != nil {
		opts = append(opts, service.WithTransport(t))
	}
	svc, err := service.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// jsonOf is v as JSON text.
func jsonOf(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// comparable is the JSON text of a view or an error as a value to
// compare, without what differs between two lookups of the same thing:
// its trace id (in an error's message too), and the fields named by drop
// ("source").
func comparable(tb testing.TB, text string, drop ...string) map[string]any {
	tb.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		tb.Fatalf("not JSON text: %v\n%s", err, text)
	}
	if id, ok := v["traceId"].(string); ok && id != "" {
		if msg, ok := v["message"].(string); ok {
			v["message"] = strings.ReplaceAll(msg, id, "ept-…")
		}
	}
	for _, key := range append(drop, "traceId") {
		delete(v, key)
	}
	return v
}
