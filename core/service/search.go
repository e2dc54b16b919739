package service

// SearchQuery is a search for one patient's prescriptions, as typed. Its
// fields are named as in eps-tracker validate's JSON input.
type SearchQuery struct {
	NHSNumber string `json:"nhsNumber"` // required, in any form Check accepts
	// EarliestDate and LatestDate bound the issue dates searched, both
	// inclusive: yyyymmdd, yyyy-mm-dd or dd/mm/yyyy. Left out, the window
	// is two years back to today.
	EarliestDate string `json:"earliestDate,omitempty"`
	LatestDate   string `json:"latestDate,omitempty"`
	// PrescriptionStatus keeps only prescriptions with an issue in this
	// status: a code ("0001"), Spine's text or our label.
	PrescriptionStatus string `json:"prescriptionStatus,omitempty"`
	// PrescriptionVersion keeps only short ids (R2, or 2) or long ids (R1,
	// or 1).
	PrescriptionVersion string `json:"prescriptionVersion,omitempty"`
	// Version is Spine's message version parameter; rarely needed.
	Version string `json:"version,omitempty"`
}

// SearchView is a patient's prescriptions, one row per issue, grouped and
// explained.
type SearchView struct {
	Source  Source       `json:"source"`
	Patient Patient      `json:"patient"`
	Window  SearchWindow `json:"window"`
	// Filter is what the search was narrowed to, null when it was not.
	Filter *Filter `json:"filter"`
	// Groups are current, future and past, in that order, each present
	// even when empty.
	Groups []ResultGroup `json:"groups"`
	// Rows counts every row; Prescriptions the prescriptions they belong to.
	Rows          int `json:"rows"`
	Prescriptions int `json:"prescriptions"`
	// PendingCancellations counts the prescriptions with a cancellation
	// pending.
	PendingCancellations int `json:"pendingCancellations"`
	// Empty is true when nothing was found: show Guidance open.
	Empty bool `json:"empty"`
	// MayBeIncomplete is true when the query left some prescriptions out
	// (a filter, a window narrower than the default): show Guidance open.
	MayBeIncomplete bool `json:"mayBeIncomplete"`
	// Guidance says why a prescription the person expects may not be in
	// the list, likeliest first: the answer to "why isn't it here?".
	Guidance []Guidance `json:"guidance"`
	// Notices are sentences to show with the results, such as what a
	// pending cancellation means.
	Notices []string `json:"notices"`
	// Warnings are what the offline check found suspicious in the query.
	Warnings []Warning `json:"warnings"`
	TraceID  string    `json:"traceId"`
}

// SearchWindow is the range of issue dates that was searched.
type SearchWindow struct {
	Earliest DateText `json:"earliest"`
	Latest   DateText `json:"latest"` // inclusive
	// Default is true when the person chose no dates: two years back to
	// today.
	Default bool `json:"default"`
	// Description is "issued 25-Nov-2024 to 25-Nov-2026".
	Description string `json:"description"`
}

// Filter is what a search was narrowed to.
type Filter struct {
	Status *Status `json:"status"` // null when the status was not filtered
	// Version is "R1" or "R2", "" when the version was not filtered.
	Version string `json:"version"`
	// Description is `status "With a pharmacy" and version R1`.
	Description string `json:"description"`
}

// ResultGroup is one tab of results.
type ResultGroup struct {
	Group Group  `json:"group"`
	Title string `json:"title"` // "Current", "Future", "Past"
	// Hint says what the group holds, for a tab's description.
	Hint  string      `json:"hint"`
	Count int         `json:"count"` // len(Rows)
	Rows  []SearchRow `json:"rows"`  // newest first
}

// SearchRow is one issue of one prescription. A prescription of one issue
// (acute, repeat prescribing) has one row; a repeat dispensing course has a
// row for each issue, each under the group of its own status: the issues
// already dispensed under current or past, the one at a pharmacy under
// current, the ones still to come under future.
type SearchRow struct {
	PrescriptionID string `json:"prescriptionId"`
	IDForm         IDForm `json:"idForm"`
	IssueNumber    int    `json:"issueNumber"`
	IssueCount     int    `json:"issueCount"`
	// IssueLabel is "Issue 2 of 6" for a prescription of several issues,
	// "" for one of a single issue.
	IssueLabel string `json:"issueLabel"`
	// CurrentIssue is true for the issue the prescription is at now; a
	// prescription of one issue has only that.
	CurrentIssue bool  `json:"currentIssue"`
	Group        Group `json:"group"`
	// IssueDate is the issue's date; null for an issue not yet released.
	IssueDate     *DateText `json:"issueDate"`
	LastEventDate *DateText `json:"lastEventDate"` // the prescription's last event
	Status        Status    `json:"status"`
	Treatment     Treatment `json:"treatment"`
	Items         int       `json:"items"` // how many line items the issue has
	// PendingCancellation is true on the current issue's row of a
	// prescription the prescriber has asked to cancel while a pharmacy has
	// it.
	PendingCancellation bool `json:"pendingCancellation"`
	// Inconsistencies say, in plain words, where the answer about this
	// issue contradicts Spine's own rules.
	Inconsistencies []string `json:"inconsistencies"`
}

// GuidanceReason is why a prescription may be missing from a search.
type GuidanceReason string

// The reasons.
const (
	// ReasonFilter: a status or version filter left prescriptions out.
	ReasonFilter GuidanceReason = "filter"
	// ReasonWindow: only prescriptions issued within the window were
	// searched.
	ReasonWindow GuidanceReason = "window"
	// ReasonFutureDated: a future-dated prescription is issued, and found,
	// only on its date; or one in the list is not yet released.
	ReasonFutureDated GuidanceReason = "future-dated"
	// ReasonNotYetDue: a repeat dispensing issue in the list is not yet
	// due, so no pharmacy can download it.
	ReasonNotYetDue GuidanceReason = "not-yet-due"
)

// Guidance is one reason a prescription may not be where the person
// expects it, and what to do.
type Guidance struct {
	Reason  GuidanceReason `json:"reason"`
	Message string         `json:"message"` // names no identifier
	// PrescriptionID and IssueNumber name the row the guidance is about,
	// when it is about one ("" and 0 otherwise).
	PrescriptionID string `json:"prescriptionId"`
	IssueNumber    int    `json:"issueNumber"`
	// Try is a search that would look further, null when there is none:
	// offer it as a button labelled TryLabel.
	Try      *SearchQuery `json:"try"`
	TryLabel string       `json:"tryLabel"`
}
