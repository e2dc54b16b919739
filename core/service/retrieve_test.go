package service

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// entry is what a person reads of an issue in the picker.
type entry struct {
	Label, Status  string
	Current, Shown bool
	Group          Group
	Dated          bool
}

func entriesIn(p IssuePicker) []entry {
	var out []entry
	for _, e := range p.Entries {
		out = append(out, entry{e.Label, e.Status.Label, e.Current, e.Shown, e.Group, e.IssueDate != nil})
	}
	return out
}

func TestRetrieve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		q           RetrieveQuery
		issue       int
		found       bool
		issueLabel  string // the banner's
		status      string // the banner's, "" for none
		entries     []entry
		course      string // its summary, "" for none
		wantMessage string // the issue's
	}{
		{name: "acute", q: RetrieveQuery{PrescriptionID: exampleID}, issue: 1, found: true, status: "Ready for a pharmacy to download",
			entries: []entry{{"Issue 1", "Ready for a pharmacy to download", true, true, GroupCurrent, false}}},
		{name: "repeat dispensing, the current issue", q: RetrieveQuery{PrescriptionID: exampleRepeatID}, issue: 2, found: true,
			issueLabel: "Issue 2 of 3", status: "With a pharmacy",
			entries: []entry{
				{"Issue 1 of 3", "Dispensed", false, false, GroupCurrent, true},
				{"Issue 2 of 3", "With a pharmacy", true, true, GroupCurrent, true},
				{"Issue 3 of 3", "Later repeat issue, not yet released", false, false, GroupFuture, false},
			},
			course: "Issue 2 of 3 is current: 1 dispensed, 1 still to come."},
		{name: "repeat dispensing, an earlier issue", q: RetrieveQuery{PrescriptionID: strings.ToLower(exampleRepeatID), IssueNumber: "1"},
			issue: 1, found: true, issueLabel: "Issue 1 of 3", status: "Dispensed",
			entries: []entry{
				{"Issue 1 of 3", "Dispensed", false, true, GroupCurrent, true},
				{"Issue 2 of 3", "With a pharmacy", true, false, GroupCurrent, true},
				{"Issue 3 of 3", "Later repeat issue, not yet released", false, false, GroupFuture, false},
			},
			course: "Issue 2 of 3 is current: 1 dispensed, 1 still to come."},
		{name: "an issue that does not exist", q: RetrieveQuery{PrescriptionID: exampleRepeatID, IssueNumber: "09"},
			issue: 9, issueLabel: "Issue 9: no such issue",
			entries: []entry{
				{"Issue 1 of 3", "Dispensed", false, false, GroupCurrent, true},
				{"Issue 2 of 3", "With a pharmacy", true, false, GroupCurrent, true},
				{"Issue 3 of 3", "Later repeat issue, not yet released", false, false, GroupFuture, false},
			},
			course:      "Issue 2 of 3 is current: 1 dispensed, 1 still to come.",
			wantMessage: "This prescription has no issue 9. It has 3 issues, and issue 2 is current: choose one of them."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := retrieve(t, shared(), tt.q)
			if v.Issue.Number != tt.issue || v.Issue.Found != tt.found || v.Banner.IssueLabel != tt.issueLabel || v.Issue.Message != tt.wantMessage {
				t.Errorf("issue %d found %t label %q message %q", v.Issue.Number, v.Issue.Found, v.Banner.IssueLabel, v.Issue.Message)
			}
			if got := ""; v.Banner.Status != nil {
				if got = v.Banner.Status.Label; got != tt.status {
					t.Errorf("status %q, want %q", got, tt.status)
				}
			} else if tt.status != "" {
				t.Errorf("no status, want %q", tt.status)
			}
			if diff := cmp.Diff(tt.entries, entriesIn(v.Issues)); diff != "" || !v.Issues.Complete {
				t.Errorf("picker complete %t (-want +got):\n%s", v.Issues.Complete, diff)
			}
			switch {
			case tt.course == "" && v.Course != nil:
				t.Errorf("course %+v", v.Course)
			case tt.course != "" && (v.Course == nil || v.Course.Summary != tt.course):
				t.Errorf("course %+v, want %q", v.Course, tt.course)
			}
			if !tt.found && (v.Issue.Status != nil || len(v.Issue.Items) != 0 || v.Banner.Status != nil) {
				t.Errorf("an issue not found has details: %+v", v.Issue)
			}
			if v.Banner.PrescriptionID != strings.ToUpper(tt.q.PrescriptionID) || v.Patient.NHSNumber != examplePatient || !v.Source.Training {
				t.Errorf("banner %+v patient %+v", v.Banner, v.Patient)
			}
			wantNoNullLists(t, v)
		})
	}
}

// TestRetrieveBanner: the banner and the organisations of a prescription
// with a pharmacy.
func TestRetrieveBanner(t *testing.T) {
	t.Parallel()
	v := retrieve(t, shared(), RetrieveQuery{PrescriptionID: exampleRepeatID})
	b := v.Banner
	if b.IDForm != FormShort || b.IDFormLabel != "R2, short id" || b.Type.Country == "" || b.Type.Label == "" ||
		b.Treatment != (Treatment{"0003", "Repeat dispensing", "Repeat Dispensing"}) || b.DaysSupply == 0 || b.SigningDate == nil {
		t.Errorf("banner %+v", b)
	}
	if v.Prescriber == nil || v.Prescriber.ODS == "" || v.Issue.Dispenser == nil || v.Issue.Dispenser.Name == "" {
		t.Errorf("prescriber %+v, dispenser %+v", v.Prescriber, v.Issue.Dispenser)
	}
	if !v.Issue.Current || v.Issue.IssueDate == nil || len(v.Issue.Items) == 0 || v.Issue.Items[0].Status.Label != "With a pharmacy" || v.Issue.Items[0].ID == "" {
		t.Errorf("issue %+v", v.Issue)
	}
	if len(b.SigningDate.ISO) != len("2026-10-17T16:00:00+01:00") || !strings.HasSuffix(b.SigningDate.Display, b.SigningDate.ISO[11:16]) {
		t.Errorf("signing date %+v", b.SigningDate)
	}
}

// TestRetrieveEverySandboxPrescription: every synthetic prescription opens,
// with its picker complete and its current issue shown, and a long id
// typed in lower case without hyphens opens too.
func TestRetrieveEverySandboxPrescription(t *testing.T) {
	t.Parallel()
	pv, err := shared().Patients()
	if err != nil {
		t.Fatal(err)
	}
	var long, pending int
	for _, p := range pv.Patients {
		for _, id := range p.PrescriptionIDs {
			typed := id
			if len(id) == 37 {
				long++
				typed = strings.ToLower(strings.ReplaceAll(id, "-", ""))
			}
			v := retrieve(t, shared(), RetrieveQuery{PrescriptionID: typed})
			if v.Banner.PrescriptionID != id || !v.Issues.Complete || !v.Issue.Found || !v.Issue.Current {
				t.Errorf("%s: banner %s, picker complete %t, issue %+v", id, v.Banner.PrescriptionID, v.Issues.Complete, v.Issue)
			}
			if (len(id) == 37) != (v.Banner.IDForm == FormLong) {
				t.Errorf("%s: form %s", id, v.Banner.IDForm)
			}
			if v.Banner.PendingCancellation {
				pending++
				if len(v.Notices) == 0 || !strings.Contains(v.Notices[0], "the cancellation is pending") {
					t.Errorf("%s: notices %q", id, v.Notices)
				}
			}
			if (v.Banner.Treatment.Code == "0003") != (v.Course != nil) {
				t.Errorf("%s: treatment %s with course %+v", id, v.Banner.Treatment.Code, v.Course)
			}
		}
	}
	if long == 0 || pending == 0 {
		t.Errorf("%d long ids, %d pending cancellations: the sandbox should have both", long, pending)
	}
}

// TestRetrievePickerIncomplete: when the search that lists the issues
// fails, the prescription still opens, and the picker says why it holds
// only the issue shown.
func TestRetrievePickerIncomplete(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.Config{Now: clock})
	relay := transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/mm/prescriptions") { // a search
			return &transport.Response{StatusCode: 503, Header: transport.Header{}, ContentLength: 0, Body: io.NopCloser(strings.NewReader(""))}, nil
		}
		return sb.Get(ctx, req)
	})
	s := setup(t, WithTransport(relay), WithSettings(Settings{GatewayURL: "https://gateway.example"}),
		WithClientOptions(client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})))
	v := retrieve(t, s, RetrieveQuery{PrescriptionID: exampleRepeatID})
	want := IssuePicker{Complete: false, Entries: []IssueEntry{{Number: 2, Label: "Issue 2", Status: *v.Issue.Status, Group: GroupCurrent, Current: true, Shown: true}},
		Note: "The other issues could not be listed: HTTP 503. Open another by its issue number."}
	if diff := cmp.Diff(want, v.Issues); diff != "" {
		t.Errorf("picker (-want +got):\n%s", diff)
	}
	if v.Course != nil || v.Banner.IssueLabel != "Issue 2" || !v.Issue.Found || v.Issue.Status.Label != "With a pharmacy" {
		t.Errorf("course %+v, banner %+v, issue %+v", v.Course, v.Banner, v.Issue)
	}
	// An issue that does not exist is still a view.
	v = retrieve(t, s, RetrieveQuery{PrescriptionID: exampleRepeatID, IssueNumber: "5"})
	if v.Issue.Found || v.Issue.Message != "This prescription has no issue 5. Leave out the issue number for the current one." || len(v.Issues.Entries) != 0 {
		t.Errorf("issue %+v, picker %+v", v.Issue, v.Issues)
	}
}

func ExampleService_Retrieve() {
	s, _ := New()
	v, err := s.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: "3c970c 0v0x26 74e1bw", IssueNumber: "7"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Banner.PrescriptionID, v.Banner.Treatment.Label)
	fmt.Println(v.Banner.IssueLabel)
	fmt.Println(v.Issue.Message)
	for _, e := range v.Issues.Entries {
		fmt.Printf("%s: %s\n", e.Label, e.Status.Label)
	}
	// Output:
	// 3C970C-0V0X26-74E1BW Repeat dispensing
	// Issue 7: no such issue
	// This prescription has no issue 7. It has 3 issues, and issue 2 is current: choose one of them.
	// Issue 1 of 3: Dispensed
	// Issue 2 of 3: With a pharmacy
	// Issue 3 of 3: Later repeat issue, not yet released
}
