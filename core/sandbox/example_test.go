package sandbox_test

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// The sandbox answers in-process, as a transport: a host gives it to
// core/client, or asks it directly, as here.
func ExampleSandbox_Get() {
	sb := sandbox.New(sandbox.Config{Seed: 1, Today: tracker.Date{Year: 2026, Month: time.November, Day: 24},
		Faults: sandbox.FaultConfig{PerRequest: true}})
	patient := sb.Patients()[0]
	u, _ := url.Parse("http://sandbox.invalid/mm/prescriptions?format=trace-summary&nhsNumber=" + patient.NHSNumber +
		"&earliestDate=20220101&latestDate=20301231")
	for _, fault := range []string{"", "status:503"} {
		h := transport.Header{"Spine-From-Asid": "200000001234"}
		if fault != "" {
			h[sandbox.FaultHeader] = fault
		}
		resp, err := sb.Get(context.Background(), &transport.Request{URL: u, Header: h})
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			fmt.Printf("HTTP %d: %s", resp.StatusCode, body)
			continue
		}
		res, err := tracker.ParseSearch(body)
		fmt.Println(resp.Header.Get("Content-Type"), err, len(res.Prescriptions) == len(patient.PrescriptionIDs))
	}
	// Output:
	// application/json <nil> true
	// HTTP 503: 503 Service Unavailable (injected by the sandbox: status:503)
}
