package gateway_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// A gateway in front of the training sandbox may run without tokens; every
// request is recorded before it is answered, without the patient's
// identifier in clear. (In front of Spine, Auth, Upstream, a transport
// with the organisation's certificate and the ASID are required.)
func ExampleNew() {
	sb := sandbox.New(sandbox.Config{Seed: 1, Today: tracker.Date{Year: 2026, Month: time.November, Day: 24}})
	key, _ := audit.NewKey("an example audit key, from: openssl rand -base64 48")
	h, err := gateway.New(gateway.Config{
		Transport:    sb,
		AllowOrigins: []string{"https://portal.example.nhs.uk"},
		Audit: audit.SinkFunc(func(_ context.Context, r audit.Record) error {
			fmt.Println("recorded:", r.Kind, r.PatientMasked, "outcome", r.Outcome)
			return nil
		}),
		AuditKey: key,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	nhs := sb.Patients()[0].NHSNumber
	for _, target := range []string{
		"/mm/prescriptions?format=trace-summary&nhsNumber=" + nhs,
		"/mm/prescriptions?format=trace-summary&nhsNumber=" + nhs[:9] + "0",
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		code, _ := tracker.ParseStatus(w.Body.Bytes())
		fmt.Println("answered: HTTP", w.Code, "statusCode", code)
	}
	// Output:
	// recorded: search *** *** 3407 outcome 0
	// answered: HTTP 200 statusCode 0
	// recorded: search *** *** 3400 outcome validation
	// answered: HTTP 200 statusCode 61
}
