package tracker

// CurrentIssue returns the issue the prescription is at now, by the rule of
// [CurrentIssueIndex]. ok is false when the prescription has no issues.
func (s Summary) CurrentIssue() (is Issue, ok bool) {
	i := CurrentIssueIndex(s.Issues, s.CurrentIssueNumber, func(is Issue) (int, string) {
		return is.Number, is.Status.Code
	})
	if i < 0 {
		return Issue{}, false
	}
	return s.Issues[i], true
}

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
