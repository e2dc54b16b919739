package main

import (
	"fmt"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
)

// The Worker logs each record as one JSON object, the record under "audit".
func Example_auditJSON() {
	text, _ := auditJSON(audit.Record{
		Time: time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC), Issuer: "https://idp.example", Subject: "u1",
		UserID: "555000000001", RoleProfileID: "555000000002", Origin: "https://portal.example", Kind: audit.Search,
		Patient: "3f1c…", PatientMasked: "*** *** 5919", Outcome: "0", HTTPStatus: 200,
		TraceID: "0b5c0a4e-2f7b-4f57-9b2a-3c1d2e4f5a6b", UpstreamLatency: 41 * time.Millisecond,
	})
	fmt.Println(text)
	// Output:
	// {"audit":{"time":"2026-03-04T09:30:00Z","issuer":"https://idp.example","subject":"u1","userId":"555000000001","roleProfileId":"555000000002","origin":"https://portal.example","kind":"search","patient":"3f1c…","patientMasked":"*** *** 5919","outcome":"0","httpStatus":200,"traceId":"0b5c0a4e-2f7b-4f57-9b2a-3c1d2e4f5a6b","upstreamLatencyNs":41000000}}
}
