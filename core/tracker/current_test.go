package tracker

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// issue is an issue of a search with only what the current-issue rule reads.
func issue(number int, status string) Issue {
	return Issue{Number: number, Status: Code{Code: status}}
}

func TestCurrentIssue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		current int
		issues  []Issue
		want    int // the number of the issue chosen; 0 for none
	}{
		{"the issue named", 2, []Issue{issue(1, "0008"), issue(2, "0001"), issue(3, "9000")}, 2},
		{"the issue named, even a future one", 3, []Issue{issue(1, "0008"), issue(2, "0001"), issue(3, "9000")}, 3},
		{"none named: the latest released", 0, []Issue{issue(1, "0008"), issue(2, "0001"), issue(3, "9000"), issue(4, "9000")}, 2},
		{"a number that names no issue: the latest released", 7, []Issue{issue(1, "0008"), issue(2, "0006"), issue(3, "9000")}, 2},
		{"awaiting release is not yet released", 0, []Issue{issue(1, "0006"), issue(2, "0000"), issue(3, "9000")}, 1},
		{"a cancelled course", 0, []Issue{issue(1, "0005"), issue(2, "9005"), issue(3, "9005")}, 1},
		{"a status Spine does not document counts as released", 0, []Issue{issue(1, "0006"), issue(2, "7777")}, 2},
		{"a status left out counts as released", 0, []Issue{issue(1, "0006"), issue(2, "")}, 2},
		{"nothing released yet: the first", 0, []Issue{issue(1, "9001")}, 1},
		{"nothing released in a course: the first", 9, []Issue{issue(2, "9000"), issue(1, "9000"), issue(3, "9000")}, 1},
		{"no number given, and an issue without one", 0, []Issue{issue(0, "9000"), issue(1, "0006")}, 1},
		{"out of order", 0, []Issue{issue(3, "9000"), issue(1, "0006"), issue(2, "0001")}, 2},
		{"no issues", 1, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Summary{CurrentIssueNumber: tt.current, Issues: tt.issues}
			got, ok := s.CurrentIssue()
			if ok != (tt.want != 0) {
				t.Fatalf("CurrentIssue() ok = %v, want %v", ok, tt.want != 0)
			}
			if diff := cmp.Diff(tt.want, got.Number); diff != "" {
				t.Errorf("CurrentIssue() number (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSummaryGroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		current int
		issues  []Issue
		want    Group
	}{
		{"ready to download", 1, []Issue{issue(1, "0001")}, GroupCurrent},
		{"claimed", 1, []Issue{issue(1, "0008")}, GroupPast},
		{"expired", 1, []Issue{issue(1, "0004")}, GroupPast},
		{"future-dated", 1, []Issue{issue(1, "9001")}, GroupFuture},
		{"the current issue decides, not the latest", 1, []Issue{issue(1, "0008"), issue(2, "9000")}, GroupPast},
		{"none named: the latest released decides", 0, []Issue{issue(1, "0008"), issue(2, "0002"), issue(3, "9000")}, GroupCurrent},
		{"nothing released yet: the first decides", 0, []Issue{issue(1, "9000"), issue(2, "9000")}, GroupFuture},
		{"a status Spine does not document is current", 1, []Issue{issue(1, "7777")}, GroupCurrent},
		{"a status left out is current", 1, []Issue{issue(1, "")}, GroupCurrent},
		{"no issues is current", 1, nil, GroupCurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Summary{CurrentIssueNumber: tt.current, Issues: tt.issues}
			if diff := cmp.Diff(tt.want, s.Group()); diff != "" {
				t.Errorf("Group() (-want +got):\n%s", diff)
			}
		})
	}
}
