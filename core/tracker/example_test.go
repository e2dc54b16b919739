package tracker_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
)

func ExampleParseSearch() {
	body := []byte(`{"statusCode": "0", "reason": "", "version": "1",
	  " prescriptionList": {"C0C757-A83008-C2D93O": {
	    "prescriptionTreatmentType": {"prescriptionTreatmentTypeCode": "0001"},
	    "prescriptionIssueDate": "20250610143000", "pendingCancellations": "False",
	    "lastEventDate": "2025061115", "currentIssueNumber": "1", "patientNhsNumber": "9434765919",
	    "issues": {"1": {"issueDate": "20250610",
	      "prescriptionStatus": {"statusCode": "0006", "statusText": "Dispensed"},
	      "lineItems": {"1": {"status": {"statusCode": "0001"}}}}}}}}`)
	resp, err := tracker.ParseSearch(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := resp.Prescriptions[0]
	fmt.Println(p.ID, p.TreatmentType.Text, p.IssueDate.Format("2006-01-02 15:04 -07:00"))
	for _, is := range p.Issues {
		fmt.Println("issue", is.Number, is.Status.Text, "with", len(is.LineItems), "item:", is.LineItems[0].Status.Text)
	}
	// Output:
	// C0C757-A83008-C2D93O Acute 2025-06-10 14:30 +01:00
	// issue 1 Dispensed with 1 item: Item fully dispensed
}

func ExampleRetrieveResponse_Err() {
	body := []byte(`{"statusCode": "1", "reason": "Not found", "version": "1", "prescription": {}}`)
	resp, err := tracker.ParseRetrieve(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = resp.Err()
	fmt.Println(err)
	fmt.Println(errors.Is(err, tracker.ErrNotFound))
	// Output:
	// spine status 1 (Not found)
	// true
}

func ExampleParseError() {
	_, err := tracker.ParseSearch([]byte("<html><body>502 Bad Gateway</body></html>"))
	var pe *tracker.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Problem)
		fmt.Println(err)
	}
	// Output:
	// html
	// not a tracker response: the body is an HTML page (typically an error page from a proxy or gateway), not JSON
}

func ExampleLookupPrescriptionStatus() {
	s, _ := tracker.LookupPrescriptionStatus("0003")
	fmt.Printf("%s: %s (%s), shown under %s\n", s.Code, s.Text, s.Meaning, s.Group)
	// Output:
	// 0003: With Dispenser - Active (partly dispensed), shown under current
}

func ExampleSummary_CurrentIssue() {
	s := tracker.Summary{
		CurrentIssueNumber: 0, // Spine named no issue
		Issues: []tracker.Issue{
			{Number: 1, Status: tracker.Code{Code: "0008"}},
			{Number: 2, Status: tracker.Code{Code: "0001"}},
			{Number: 3, Status: tracker.Code{Code: "9000"}},
		},
	}
	is, _ := s.CurrentIssue()
	fmt.Println("issue", is.Number)
	// Output:
	// issue 2
}

func ExampleSummary_Group() {
	s := tracker.Summary{
		CurrentIssueNumber: 1,
		Issues: []tracker.Issue{
			{Number: 1, Status: tracker.Code{Code: "0008"}},
			{Number: 2, Status: tracker.Code{Code: "9000"}},
		},
	}
	fmt.Println(s.Group())
	// Output:
	// past
}

func ExampleLondon() {
	summer := time.Date(2025, time.June, 10, 13, 30, 0, 0, time.UTC)
	winter := time.Date(2025, time.December, 10, 13, 30, 0, 0, time.UTC)
	fmt.Println(tracker.London(summer).Format(time.RFC3339))
	fmt.Println(tracker.London(winter).Format("2006-01-02T15:04:05-07:00"))
	// Output:
	// 2025-06-10T14:30:00+01:00
	// 2025-12-10T13:30:00+00:00
}
