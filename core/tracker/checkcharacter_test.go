package tracker_test

import (
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// TestIDFailingItsCheckCharacter checks that an answer naming an id whose
// check character is wrong, as some of the NHS's own published examples do,
// parses with the id as sent: a wrong check character is a warning of the
// validator, never a reason to refuse what Spine said.
func TestIDFailingItsCheckCharacter(t *testing.T) {
	t.Parallel()
	const id = "1B6D40-Y97220-5E08CK" // the check character is G
	if validate.CheckCharacterMatches(id) {
		t.Fatalf("%s passes its check character; the test needs one that fails", id)
	}
	body := []byte(`{"statusCode": "0", "reason": "", "version": "1", "prescription": {
	  "prescriptionId": "` + id + `", "patientNhsNumber": "9990000158", "currentIssueNumber": "1",
	  "issue": {"issueNumber": "1", "prescriptionStatus": {"statusCode": "0001", "statusText": "To Be Dispensed"},
	    "lineItems": {"1": {"id": "2A7C9E14-5B03-4F68-9D21-C4E07B1A3F56", "status": {"statusCode": "0007"}}}}}}`)
	resp, err := tracker.ParseRetrieve(body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Prescription.ID != id || len(resp.Prescription.Inconsistencies) > 0 {
		t.Errorf("prescription %q, inconsistencies %+v", resp.Prescription.ID, resp.Prescription.Inconsistencies)
	}
	search := []byte(`{"statusCode": "0", "prescriptionList": {"` + id + `": {"patientNhsNumber": "9990000158",
	  "issues": {"1": {"prescriptionStatus": {"statusCode": "0001"}, "lineItems": {}}}}}}`)
	found, err := tracker.ParseSearch(search)
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Prescriptions) != 1 || found.Prescriptions[0].ID != id {
		t.Errorf("prescriptions %+v", found.Prescriptions)
	}

	report := validate.Check(validate.Input{PrescriptionID: id}, time.Date(2025, time.November, 4, 12, 0, 0, 0, time.UTC))
	if !report.Valid() || len(report.Warnings) != 1 || report.Warnings[0].Code != validate.WarnChecksum {
		t.Errorf("validate: errors %+v, warnings %+v, want one checksum warning", report.Errors, report.Warnings)
	}
}
