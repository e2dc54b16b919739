package tracker

// CurrentIssue returns the issue the prescription is at now, by the rule of
// [CurrentIssueIndex]. ok is false when the prescription has no issues.
func (s Summary) CurrentIssue() (is Issue, ok bool) {
	i := CurrentIssueIndex(s.Issues, s.CurrentIssueNumber, Issue.key)
	if i < 0 {
		return Issue{}, false
	}
	return s.Issues[i], true
}

// Group returns how the prescription is tabbed, by the rule of
// [CurrentGroup].
func (s Summary) Group() Group {
	return CurrentGroup(s.Issues, s.CurrentIssueNumber, Issue.key)
}

// key gives what the current-issue rule reads of an issue.
func (is Issue) key() (number int, status string) { return is.Number, is.Status.Code }

// CurrentIssueIndex is the one rule for which issue of a prescription is
// current, for any list of issues: key gives an issue's number and its
// prescription status code. The current issue is
//
//  1. the issue numbered current (Spine's currentIssueNumber);
//  2. otherwise, when Spine names no issue or one that is not there, the
//     highest-numbered issue already released: one whose status is not in
//     [GroupFuture] (a future instance, or awaiting release);
//  3. otherwise, when none is released yet, the lowest-numbered issue.
//
// It returns the index of that issue in issues, or -1 when there are none.
func CurrentIssueIndex[E any](issues []E, current int, key func(E) (number int, status string)) int {
	named, released, first := -1, -1, -1
	var releasedNumber, firstNumber int
	for i, is := range issues {
		number, status := key(is)
		if number == current && current > 0 && named < 0 {
			named = i
		}
		if first < 0 || number < firstNumber {
			first, firstNumber = i, number
		}
		if s, ok := LookupPrescriptionStatus(status); (!ok || s.Group != GroupFuture) && (released < 0 || number > releasedNumber) {
			released, releasedNumber = i, number
		}
	}
	switch {
	case named >= 0:
		return named
	case released >= 0:
		return released
	}
	return first
}

// CurrentGroup is the one rule for how a prescription is tabbed, for any list
// of issues, with key as for [CurrentIssueIndex]: by the group of its current
// issue's status. A prescription whose current issue has a status Spine does
// not document, or none, and one with no issues at all, is [GroupCurrent]:
// shown with the prescriptions that may need attention now, never hidden
// among the past or the future ones.
func CurrentGroup[E any](issues []E, current int, key func(E) (number int, status string)) Group {
	i := CurrentIssueIndex(issues, current, key)
	if i < 0 {
		return GroupCurrent
	}
	_, status := key(issues[i])
	if s, ok := LookupPrescriptionStatus(status); ok {
		return s.Group
	}
	return GroupCurrent
}
