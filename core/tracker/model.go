package tracker

// Code is a coded value with its text, such as a status or a treatment type.
// Code is always Spine's code (four digits for the tables in this package);
// Text is Spine's text when it sent one, otherwise the text from the table.
type Code struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Organisation is a prescriber or dispenser, named by its ODS code.
type Organisation struct {
	ODS     string `json:"ods"`
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
}

// SearchResponse is a parsed answer to a search for a patient's prescriptions.
type SearchResponse struct {
	StatusCode int    `json:"statusCode"`
	Reason     string `json:"reason"`
	Version    string `json:"version"`
	// Prescriptions are ordered newest issue date first; prescriptions with
	// no issue date come last, and ties are ordered by id.
	Prescriptions []Summary `json:"prescriptions"`
}

// Err returns nil when Spine answered with success, otherwise a *StatusError.
func (r *SearchResponse) Err() error { return statusErr(r.StatusCode, r.Reason) }

// Summary is one prescription as a search shows it.
type Summary struct {
	ID                   string     `json:"id"`
	PatientNHSNumber     string     `json:"patientNhsNumber"`
	TreatmentType        Code       `json:"treatmentType"`
	IssueDate            *Timestamp `json:"issueDate"`
	LastEventDate        *Timestamp `json:"lastEventDate"`
	PendingCancellations bool       `json:"pendingCancellations"`
	CurrentIssueNumber   int        `json:"currentIssueNumber"`
	// Issues are ordered by ascending number.
	Issues []Issue `json:"issues"`
	// Inconsistencies lists what in the response contradicts Spine's own
	// rules. They never stop parsing; a host may show them as a caution.
	Inconsistencies []Inconsistency `json:"inconsistencies,omitempty"`
}

// Issue is one issue of a prescription as a search shows it. An acute
// prescription has one issue; a repeat dispensing course has one per
// instance.
type Issue struct {
	Number    int        `json:"number"`
	IssueDate Date       `json:"issueDate"`
	Status    Code       `json:"status"`
	LineItems []LineItem `json:"lineItems"`
}

// LineItem is one line (one medicine) of an issue.
type LineItem struct {
	Number int    `json:"number"`
	ID     string `json:"id,omitempty"` // a GUID; only in retrieve responses
	Status Code   `json:"status"`
}

// RetrieveResponse is a parsed answer to a request for one prescription.
type RetrieveResponse struct {
	StatusCode int    `json:"statusCode"`
	Reason     string `json:"reason"`
	Version    string `json:"version"`
	// Prescription is nil when Spine returned none. With statusCode 3 (issue
	// not found) it is present and its Issue is nil.
	Prescription *Prescription `json:"prescription"`
}

// Err returns nil when Spine answered with success, otherwise a *StatusError.
func (r *RetrieveResponse) Err() error { return statusErr(r.StatusCode, r.Reason) }

// Prescription is one prescription in full, as a retrieve shows it, with the
// issue that was asked for (the current one by default).
type Prescription struct {
	ID                   string        `json:"id"`
	PatientNHSNumber     string        `json:"patientNhsNumber"`
	Type                 Code          `json:"type"`
	TreatmentType        Code          `json:"treatmentType"`
	IssueDate            *Timestamp    `json:"issueDate"`
	SigningDate          *Timestamp    `json:"signingDate"`
	LastEventDate        *Timestamp    `json:"lastEventDate"`
	PendingCancellations bool          `json:"pendingCancellations"`
	CurrentIssueNumber   int           `json:"currentIssueNumber"`
	DaysSupply           int           `json:"daysSupply"`
	Prescriber           *Organisation `json:"prescriber"`
	NominatedDispenser   *Organisation `json:"nominatedDispenser"`
	// Issue is nil when Spine left the issue details empty (statusCode 3).
	Issue           *IssueDetail    `json:"issue"`
	Inconsistencies []Inconsistency `json:"inconsistencies,omitempty"`
}

// IssueDetail is the one issue a retrieve returns.
type IssueDetail struct {
	Number               int           `json:"number"`
	Status               Code          `json:"status"`
	AppliedCancellations bool          `json:"appliedCancellations"`
	Dispenser            *Organisation `json:"dispenser"`
	LastDispenseDate     Date          `json:"lastDispenseDate"`
	LineItems            []LineItem    `json:"lineItems"`
}

// Inconsistency is something in a response that breaks Spine's own rules,
// reported as data rather than as an error.
type Inconsistency struct {
	Issue    int    `json:"issue,omitempty"`    // issue number, when it concerns one
	LineItem int    `json:"lineItem,omitempty"` // line number, when it concerns one
	Field    string `json:"field"`              // the member concerned, e.g. "status"
	Message  string `json:"message"`
}

func statusErr(code int, reason string) error {
	if code == 0 {
		return nil
	}
	if reason == "" {
		reason = StatusReason(code)
	}
	return &StatusError{Code: code, Reason: reason}
}
