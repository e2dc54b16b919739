package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// row is what a person reads of a search row, for comparing.
type row struct {
	Group, ID, Issue, Date, Status, Spine, Treatment string
	Items                                            int
	Current, Pending                                 bool
}

func rowsIn(v SearchView) []row {
	var out []row
	for _, g := range v.Groups {
		for _, r := range g.Rows {
			date := ""
			if r.IssueDate != nil {
				date = r.IssueDate.Display
			}
			out = append(out, row{string(g.Group), r.PrescriptionID, r.IssueLabel, date, r.Status.Label, r.Status.SpineText,
				r.Treatment.Label, r.Items, r.CurrentIssue, r.PendingCancellation})
		}
	}
	return out
}

// TestSearchExamplePatient: the example patient's prescriptions, one row
// per issue, each under its own status's group, newest first.
func TestSearchExamplePatient(t *testing.T) {
	t.Parallel()
	v := search(t, shared(), SearchQuery{NHSNumber: "999 257 4356"})
	want := []row{
		{"current", exampleID, "", "22-Nov-2026", "Ready for a pharmacy to download", "To Be Dispensed", "Acute", 4, true, false},
		{"current", "63D855-000RTH-ED3B8R", "", "19-Nov-2026", "Ready for a pharmacy to download", "To Be Dispensed", "Acute", 3, true, false},
		{"current", "7A04B9-Y90302-650BEN", "", "15-Nov-2026", "Ready for a pharmacy to download", "To Be Dispensed", "Acute", 1, true, false},
		{"current", exampleRepeatID, "Issue 2 of 3", "14-Nov-2026", "With a pharmacy", "With Dispenser", "Repeat dispensing", 1, true, false},
		{"current", "F27EE5-Y91875-3F3308", "", "09-Nov-2026", "Dispensed", "Dispensed", "Acute", 1, true, false},
		{"current", "C593BB-Y90302-3AD533", "", "08-Nov-2026", "Dispensed", "Dispensed", "Acute", 3, true, false},
		{"current", "4CB42D-Y90302-D6FFFE", "", "30-Oct-2026", "Dispensed", "Dispensed", "Repeat prescribing", 2, true, false},
		{"current", exampleRepeatID, "Issue 1 of 3", "17-Oct-2026", "Dispensed", "Dispensed", "Repeat dispensing", 1, false, false},
		{"future", exampleRepeatID, "Issue 3 of 3", "", "Later repeat issue, not yet released", "Repeat Dispense future instance", "Repeat dispensing", 1, false, false},
		{"past", "00040B-0V0X26-C07C27", "", "02-Nov-2025", "Dispensed and claimed", "Claimed", "Repeat prescribing", 4, true, false},
	}
	if diff := cmp.Diff(want, rowsIn(v)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	counts := []int{v.Groups[0].Count, v.Groups[1].Count, v.Groups[2].Count, v.Rows, v.Prescriptions}
	if diff := cmp.Diff([]int{8, 1, 1, 10, 8}, counts); diff != "" {
		t.Errorf("current, future, past, rows, prescriptions (-want +got):\n%s", diff)
	}
	wantWindow := SearchWindow{Earliest: DateText{"2024-11-24", "24-Nov-2024"}, Latest: DateText{"2026-11-24", "24-Nov-2026"},
		Default: true, Description: "issued 24-Nov-2024 to 24-Nov-2026"}
	if diff := cmp.Diff(wantWindow, v.Window); diff != "" {
		t.Errorf("window (-want +got):\n%s", diff)
	}
	if v.Patient != (Patient{"9992574356", "999 257 4356"}) || !v.Source.Training || v.Empty || v.MayBeIncomplete || v.Filter != nil {
		t.Errorf("view %+v", v)
	}
	if !strings.HasPrefix(v.TraceID, "ept-") {
		t.Errorf("trace id %q", v.TraceID)
	}
}

// TestSearchEveryPatient holds for every synthetic patient: three groups in
// order, each row under its status's group, newest first, a row for every
// issue, one current issue per prescription, lists never null.
func TestSearchEveryPatient(t *testing.T) {
	t.Parallel()
	for nhs, v := range patients(t) {
		var order []Group
		rows, ids := 0, map[string][]int{}
		for _, g := range v.Groups {
			order = append(order, g.Group)
			if g.Count != len(g.Rows) {
				t.Errorf("%s: %s counts %d of %d rows", nhs, g.Group, g.Count, len(g.Rows))
			}
			rows += len(g.Rows)
			for i, r := range g.Rows {
				if want := groupOf(r.Status.Code); r.Group != g.Group || r.Group != want {
					t.Errorf("%s: %s issue %d (%s) under %s, want %s", nhs, r.PrescriptionID, r.IssueNumber, r.Status.Code, g.Group, want)
				}
				if i > 0 && r.IssueDate != nil && g.Rows[i-1].IssueDate != nil && r.IssueDate.ISO > g.Rows[i-1].IssueDate.ISO {
					t.Errorf("%s: %s is newer than the row before it", nhs, r.PrescriptionID)
				}
				if r.IssueCount > 1 && r.IssueLabel != fmt.Sprintf("Issue %d of %d", r.IssueNumber, r.IssueCount) {
					t.Errorf("%s: label %q", nhs, r.IssueLabel)
				}
				if r.PendingCancellation && !r.CurrentIssue {
					t.Errorf("%s: pending cancellation flagged on issue %d, not the current one", nhs, r.IssueNumber)
				}
				if r.CurrentIssue {
					ids[r.PrescriptionID] = append(ids[r.PrescriptionID], r.IssueNumber)
				} else if _, ok := ids[r.PrescriptionID]; !ok {
					ids[r.PrescriptionID] = nil
				}
			}
		}
		if diff := cmp.Diff([]Group{GroupCurrent, GroupFuture, GroupPast}, order); diff != "" {
			t.Errorf("%s: groups (-want +got):\n%s", nhs, diff)
		}
		if rows != v.Rows || len(ids) != v.Prescriptions || v.Empty != (rows == 0) {
			t.Errorf("%s: %d rows of %d prescriptions, view says %d and %d", nhs, rows, len(ids), v.Rows, v.Prescriptions)
		}
		for id, current := range ids {
			if len(current) != 1 {
				t.Errorf("%s: %s has current issues %v", nhs, id, current)
			}
		}
		wantNoNullLists(t, v)
	}
}

// TestSearchRepeatDispensing: a course has a row per issue, across groups.
func TestSearchRepeatDispensing(t *testing.T) {
	t.Parallel()
	r, v := rowWhere(t, func(r SearchRow) bool { return r.Treatment.Code == "0003" && r.IssueCount >= 4 })
	groups := map[Group]int{}
	for _, g := range v.Groups {
		for _, x := range g.Rows {
			if x.PrescriptionID == r.PrescriptionID {
				groups[g.Group]++
			}
		}
	}
	if n := groups[GroupCurrent] + groups[GroupFuture] + groups[GroupPast]; n != r.IssueCount || groups[GroupFuture] == 0 || len(groups) < 2 {
		t.Errorf("%s has %d issues in rows %v", r.PrescriptionID, r.IssueCount, groups)
	}
	// Issues not yet released follow one another by number.
	var future []int
	for _, x := range v.Groups[1].Rows {
		if x.PrescriptionID == r.PrescriptionID {
			future = append(future, x.IssueNumber)
		}
	}
	if !slices.IsSorted(future) {
		t.Errorf("future issues in the order %v", future)
	}
}

// TestSearchPendingCancellation: a prescription the prescriber has asked to
// cancel is flagged on its current issue, counted, and explained.
func TestSearchPendingCancellation(t *testing.T) {
	t.Parallel()
	r, v := rowWhere(t, func(r SearchRow) bool { return r.PendingCancellation })
	if !r.CurrentIssue || v.PendingCancellations == 0 || len(v.Notices) != 1 ||
		!strings.Contains(v.Notices[0], "with a cancellation pending: the prescriber has asked for it to be cancelled") {
		t.Errorf("row %+v, view %d pending, notices %q", r, v.PendingCancellations, v.Notices)
	}
}

// TestSearchLongID: a prescription with a long (R1) id has a row that
// says so.
func TestSearchLongID(t *testing.T) {
	t.Parallel()
	r, _ := rowWhere(t, func(r SearchRow) bool { return len(r.PrescriptionID) == 37 })
	if r.IDForm != FormLong {
		t.Errorf("%s has form %q", r.PrescriptionID, r.IDForm)
	}
}

// TestSearchFilter: a filter is described, and what it leaves out
// explained.
func TestSearchFilter(t *testing.T) {
	t.Parallel()
	v := search(t, shared(), SearchQuery{NHSNumber: examplePatient, PrescriptionStatus: "with dispenser", PrescriptionVersion: "2"})
	want := &Filter{Status: &Status{Code: "0002", Label: "With a pharmacy", Meaning: "Downloaded by a dispenser.", Tone: ToneActive, Known: true},
		Version: "R2", Description: `status "With a pharmacy" and version R2`}
	if diff := cmp.Diff(want, v.Filter); diff != "" {
		t.Errorf("filter (-want +got):\n%s", diff)
	}
	if !v.MayBeIncomplete || v.Rows != 3 {
		t.Errorf("%d rows, may be incomplete %t", v.Rows, v.MayBeIncomplete)
	}
}

// TestGuidance: why a prescription may not be in the list, for each reason,
// from the query and the answer.
func TestGuidance(t *testing.T) {
	t.Parallel()
	pv, err := shared().Patients()
	if err != nil {
		t.Fatal(err)
	}
	nobody := pv.Patients[len(pv.Patients)-1].NHSNumber // the sandbox's last patient has no prescriptions
	tests := []struct {
		name        string
		q           SearchQuery
		want        []GuidanceReason
		empty, more bool // Empty, MayBeIncomplete
		first       string
		try         *SearchQuery // the first guidance's
	}{
		{name: "nothing found", q: SearchQuery{NHSNumber: nobody},
			want: []GuidanceReason{ReasonWindow, ReasonFutureDated}, empty: true,
			first: "Nothing was issued to this patient from 24-Nov-2024 to 24-Nov-2026. An older prescription is found by a search that starts earlier.",
			try:   &SearchQuery{NHSNumber: nobody, EarliestDate: "2022-11-24", LatestDate: "2026-11-24"}},
		{name: "a status filter finds nothing", q: SearchQuery{NHSNumber: examplePatient, PrescriptionStatus: "9005"},
			want: []GuidanceReason{ReasonFilter, ReasonWindow, ReasonFutureDated}, empty: true, more: true,
			first: `None was found with status "Future issue, cancelled": the filter may be why.`,
			try:   &SearchQuery{NHSNumber: examplePatient}},
		{name: "a version filter finds nothing", q: SearchQuery{NHSNumber: examplePatient, PrescriptionVersion: "R1", EarliestDate: "2025-01-01"},
			want: []GuidanceReason{ReasonFilter, ReasonWindow, ReasonFutureDated}, empty: true, more: true,
			first: `None was found with version R1: the filter may be why.`,
			try:   &SearchQuery{NHSNumber: examplePatient, EarliestDate: "2025-01-01"}},
		{name: "a repeat dispensing issue not yet due", q: SearchQuery{NHSNumber: examplePatient},
			want:  []GuidanceReason{ReasonNotYetDue, ReasonWindow, ReasonFutureDated},
			first: "Issue 3 of 3 of a repeat dispensing course is not due yet: no pharmacy can download it until Spine releases it, when it is due."},
		{name: "a window of the last week", q: SearchQuery{NHSNumber: examplePatient, EarliestDate: "17/11/2026"},
			want: []GuidanceReason{ReasonWindow, ReasonFutureDated}, more: true, // the course began before it
			try: &SearchQuery{NHSNumber: examplePatient}},
		{name: "a window long ago", q: SearchQuery{NHSNumber: examplePatient, EarliestDate: "20200101", LatestDate: "20201231"},
			want: []GuidanceReason{ReasonWindow, ReasonFutureDated}, empty: true, more: true,
			first: "Nothing was issued to this patient from 01-Jan-2020 to 31-Dec-2020. A prescription issued outside those dates is found by a search of the last two years," +
				" and so is a repeat dispensing course begun before them: a course is searched by the date of its first issue.",
			try: &SearchQuery{NHSNumber: examplePatient}},
		{name: "a window into next year", q: SearchQuery{NHSNumber: examplePatient, EarliestDate: "2024-11-24", LatestDate: "2027-11-24"},
			want: []GuidanceReason{ReasonNotYetDue, ReasonWindow}},
		{name: "a window into next year finding nothing", q: SearchQuery{NHSNumber: nobody, EarliestDate: "2024-11-24", LatestDate: "2027-12-31"},
			want: []GuidanceReason{ReasonWindow, ReasonFutureDated}, empty: true, more: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := search(t, shared(), tt.q)
			var got []GuidanceReason
			for _, g := range v.Guidance {
				got = append(got, g.Reason)
				wantMasked(t, g.Message, tt.q.NHSNumber)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if v.Empty != tt.empty || v.MayBeIncomplete != tt.more {
				t.Errorf("empty %t, may be incomplete %t", v.Empty, v.MayBeIncomplete)
			}
			if tt.first != "" && v.Guidance[0].Message != tt.first {
				t.Errorf("first message %q, want %q", v.Guidance[0].Message, tt.first)
			}
			if tt.try != nil {
				if diff := cmp.Diff(tt.try, v.Guidance[0].Try); diff != "" {
					t.Errorf("try (-want +got):\n%s", diff)
				}
			}
			for _, g := range v.Guidance {
				if g.Try != nil && g.TryLabel == "" {
					t.Errorf("%s: a search to try without a label", g.Reason)
				}
				if g.Try != nil {
					if _, err := shared().Search(context.Background(), *g.Try); err != nil {
						t.Errorf("%s: the search to try fails: %v", g.Reason, err)
					}
				}
			}
		})
	}
}

// TestGuidanceFutureDated: a future-dated prescription is found by a search
// that reaches its date, and said to be not yet released.
func TestGuidanceFutureDated(t *testing.T) {
	t.Parallel()
	for nhs := range patients(t) {
		v := search(t, shared(), SearchQuery{NHSNumber: nhs, EarliestDate: "2024-11-24", LatestDate: "2027-11-24"})
		for _, g := range v.Guidance {
			if g.Reason == ReasonFutureDated && g.PrescriptionID != "" {
				if !strings.HasPrefix(g.Message, "A prescription in the list is future-dated: no pharmacy can download it before ") || g.Try != nil {
					t.Errorf("guidance %+v", g)
				}
				return
			}
		}
	}
	t.Error("no patient has a future-dated prescription, or it is not explained")
}

func ExampleService_Search() {
	s, _ := New()
	v, err := s.Search(context.Background(), SearchQuery{NHSNumber: "999 257 4356"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range v.Groups {
		fmt.Printf("%s (%d)\n", g.Title, g.Count)
	}
	for _, r := range v.Groups[1].Rows {
		fmt.Printf("%s %s: %s\n", r.PrescriptionID, r.IssueLabel, r.Status.Label)
	}
	// Output:
	// Current (8)
	// Future (1)
	// Past (1)
	// 3C970C-0V0X26-74E1BW Issue 3 of 3: Later repeat issue, not yet released
}
