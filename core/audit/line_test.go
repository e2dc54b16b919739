package audit_test

import (
	"fmt"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

func ExampleLine() {
	key, _ := audit.NewKey("a site's audit key, made up for this example")
	b, _ := audit.Line(audit.Record{Time: time.Date(2026, time.November, 24, 9, 30, 0, 0, time.UTC), Kind: audit.Search,
		Patient: key.Identify(audit.Search, "9992574356"), PatientMasked: "*** *** 4356", Outcome: "0", HTTPStatus: 200,
		TraceID: "0b5c0a4e-2f7b-4f57-9b2a-3c1d2e4f5a6b", UpstreamLatency: 41 * time.Millisecond})
	fmt.Println(string(b))
	// Output:
	// {"audit":{"time":"2026-11-24T09:30:00Z","issuer":"","subject":"","userId":"","roleProfileId":"","origin":"","kind":"search","patient":"3220fe87fcd9179675846f270057480ddeca83b61af9698499d2da7342bb6b5a","patientMasked":"*** *** 4356","outcome":"0","httpStatus":200,"traceId":"0b5c0a4e-2f7b-4f57-9b2a-3c1d2e4f5a6b","upstreamLatencyNs":41000000}}
}
