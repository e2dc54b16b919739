package service

// RetrieveQuery asks for one prescription. Its fields are named as in
// eps-tracker validate's JSON input.
type RetrieveQuery struct {
	PrescriptionID string `json:"prescriptionId"` // required, in any form Check accepts
	// IssueNumber is the issue to show, "" for the current one.
	IssueNumber string `json:"issueNumber,omitempty"`
	// Version is Spine's message version parameter; rarely needed.
	Version string `json:"version,omitempty"`
}

// PrescriptionView is one prescription, with the issue asked for.
type PrescriptionView struct {
	Source  Source  `json:"source"`
	Banner  Banner  `json:"banner"`
	Patient Patient `json:"patient"`
	// Prescriber and NominatedDispenser are null when Spine names none.
	Prescriber         *Organisation `json:"prescriber"`
	NominatedDispenser *Organisation `json:"nominatedDispenser"`
	// Issue is the issue shown: the one asked for, or the current one.
	Issue IssueView `json:"issue"`
	// Issues is the issue picker: every issue of the prescription.
	Issues IssuePicker `json:"issues"`
	// Course is, for repeat dispensing, the course as a whole; null for
	// other prescriptions, and when the issues could not all be listed.
	// Show Issues.Entries as its timeline.
	Course *Course `json:"course"`
	// Inconsistencies say, in plain words, where the answer contradicts
	// Spine's own rules: show them as a warning.
	Inconsistencies []string `json:"inconsistencies"`
	// Notices are sentences to show with the prescription, such as what a
	// pending cancellation means.
	Notices []string `json:"notices"`
	// Warnings are what the offline check found suspicious in the id.
	Warnings []Warning `json:"warnings"`
	TraceID  string    `json:"traceId"`
}

// Banner is what a person must see first about a prescription.
type Banner struct {
	PrescriptionID string `json:"prescriptionId"`
	IDForm         IDForm `json:"idForm"`
	// IDFormLabel is "R2, short id" or "R1, long id".
	IDFormLabel string           `json:"idFormLabel"`
	Type        PrescriptionType `json:"type"`
	Treatment   Treatment        `json:"treatment"`
	// Status is the shown issue's, null when Spine has no such issue.
	Status *Status `json:"status"`
	// IssueLabel is "Issue 2 of 6", or "Issue 2" when the number of issues
	// is not known; "" for a prescription of one issue.
	IssueLabel string `json:"issueLabel"`
	// DaysSupply is how many days the prescription is for, 0 when Spine
	// does not say.
	DaysSupply    int       `json:"daysSupply"`
	SigningDate   *DateText `json:"signingDate"` // an instant
	IssueDate     *DateText `json:"issueDate"`   // the prescription's, an instant
	LastEventDate *DateText `json:"lastEventDate"`
	// PendingCancellation is true when the prescriber has asked for it to
	// be cancelled while a pharmacy has it.
	PendingCancellation bool `json:"pendingCancellation"`
}

// IssueView is the one issue a prescription view shows.
type IssueView struct {
	Number int `json:"number"`
	// Found is false when Spine has no such issue (its status 3): then
	// Message says so and what to do, and the rest is empty.
	Found   bool    `json:"found"`
	Message string  `json:"message"`
	Current bool    `json:"current"` // it is the prescription's current issue
	Status  *Status `json:"status"`  // null when not found
	// Dispenser is the dispensing organisation that has the issue, null
	// when none has.
	Dispenser        *Organisation `json:"dispenser"`
	LastDispenseDate *DateText     `json:"lastDispenseDate"`
	// AppliedCancellations is true when a cancellation has been applied to
	// the issue.
	AppliedCancellations bool   `json:"appliedCancellations"`
	Items                []Item `json:"items"`
}

// Item is one line item (one medicine) of an issue.
type Item struct {
	Number int    `json:"number"`
	ID     string `json:"id"` // a GUID, "" when Spine sent none
	Status Status `json:"status"`
}

// IssuePicker lists every issue of a prescription, to choose one. A
// retrieve returns one issue; the others come from a search of the patient
// over the prescription's issue date.
type IssuePicker struct {
	Entries []IssueEntry `json:"entries"` // by issue number
	// Complete is false when the issues could not all be listed: then
	// Entries holds only the issue shown, and Note says why.
	Complete bool   `json:"complete"`
	Note     string `json:"note"`
}

// IssueEntry is one issue in the picker and in a course's timeline.
type IssueEntry struct {
	Number    int       `json:"number"`
	Label     string    `json:"label"` // "Issue 2 of 6"
	Status    Status    `json:"status"`
	Group     Group     `json:"group"`
	IssueDate *DateText `json:"issueDate"` // null for an issue not yet released
	Current   bool      `json:"current"`   // the prescription's current issue
	Shown     bool      `json:"shown"`     // the issue the view shows
}

// Course is a repeat dispensing course as a whole.
type Course struct {
	IssueCount   int `json:"issueCount"`
	CurrentIssue int `json:"currentIssue"`
	// Dispensed counts the issues dispensed or claimed; ToCome those not
	// yet released.
	Dispensed int `json:"dispensed"`
	ToCome    int `json:"toCome"`
	// Summary is "Issue 2 of 6 is current: 1 dispensed, 4 still to come."
	Summary string `json:"summary"`
}
