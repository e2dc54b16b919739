package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// Kind says which tracker query an input is for.
type Kind string

// The two tracker queries.
const (
	KindSearch   Kind = "search"   // search a patient's prescriptions by NHS number
	KindRetrieve Kind = "retrieve" // retrieve one prescription by its id
)

// Input is what a person typed, one string per field, exactly as typed. All
// fields are optional; Kind, when empty, is taken from the fields present.
// [Check] normalises and checks it; a search requires nhsNumber and a
// retrieve prescriptionId.
type Input struct {
	Kind                Kind   `json:"kind,omitempty"`
	NHSNumber           string `json:"nhsNumber,omitempty"`
	EarliestDate        string `json:"earliestDate,omitempty"`
	LatestDate          string `json:"latestDate,omitempty"`
	PrescriptionStatus  string `json:"prescriptionStatus,omitempty"`
	PrescriptionVersion string `json:"prescriptionVersion,omitempty"`
	Version             string `json:"version,omitempty"`
	PrescriptionID      string `json:"prescriptionId,omitempty"`
	IssueNumber         string `json:"issueNumber,omitempty"`
	ASID                string `json:"asid,omitempty"`
	UserID              string `json:"userId,omitempty"`
	RoleProfileID       string `json:"roleProfileId,omitempty"`
	TraceID             string `json:"traceId,omitempty"`
}

// fields lists the input's fields with their JSON names, in the order
// reports use.
func (in *Input) fields() [len(fieldNames)]field {
	var fs [len(fieldNames)]field
	for i, name := range fieldNames {
		fs[i] = field{name, in.Field(name)}
	}
	return fs
}

// fieldNames are the input's JSON names, in the order reports use.
var fieldNames = [...]string{"kind", "nhsNumber", "earliestDate", "latestDate", "prescriptionStatus",
	"prescriptionVersion", "version", "prescriptionId", "issueNumber", "asid", "userId", "roleProfileId", "traceId"}

type field struct {
	name  string
	value *string
}

// FieldNames returns the JSON names of the input's fields, in the order
// reports list them.
func FieldNames() []string { return slices.Clone(fieldNames[:]) }

// Field returns the field of in with the given JSON name, or nil if there
// is none.
func (in *Input) Field(name string) *string {
	switch name {
	case "kind":
		return (*string)(&in.Kind)
	case "nhsNumber":
		return &in.NHSNumber
	case "earliestDate":
		return &in.EarliestDate
	case "latestDate":
		return &in.LatestDate
	case "prescriptionStatus":
		return &in.PrescriptionStatus
	case "prescriptionVersion":
		return &in.PrescriptionVersion
	case "version":
		return &in.Version
	case "prescriptionId":
		return &in.PrescriptionID
	case "issueNumber":
		return &in.IssueNumber
	case "asid":
		return &in.ASID
	case "userId":
		return &in.UserID
	case "roleProfileId":
		return &in.RoleProfileID
	case "traceId":
		return &in.TraceID
	}
	return nil
}

// Label returns the name people know a field by, e.g. "NHS number" for
// "nhsNumber".
func Label(name string) string {
	if l, ok := labels[name]; ok {
		return l
	}
	return name
}

// searchOnly and retrieveOnly name the fields that belong to one query.
var (
	searchOnly   = []string{"nhsNumber", "earliestDate", "latestDate", "prescriptionStatus", "prescriptionVersion"}
	retrieveOnly = []string{"prescriptionId", "issueNumber"}
)

// spineCodes gives the statusCode Spine answers when it refuses a field.
var spineCodes = map[string]int{
	"nhsNumber":           61,
	"earliestDate":        57,
	"latestDate":          57,
	"prescriptionStatus":  59,
	"prescriptionVersion": 60,
	"version":             53,
	"prescriptionId":      51,
	"asid":                52,
	"userId":              55,
	"roleProfileId":       56,
	"traceId":             54,
}

// SpineCode returns the statusCode Spine answers when it refuses the field
// with the given JSON name, or 0 for a field Spine does not check.
func SpineCode(field string) int { return spineCodes[field] }

// FieldError is one field that Spine would refuse, with what to do about it.
type FieldError struct {
	Field     string // the input's JSON name, e.g. "nhsNumber"
	SpineCode int    // the statusCode Spine would answer, or 0 where Spine has none
	Message   string // for the person who typed it; never holds an identifier in clear
}

func (e FieldError) Error() string { return e.Message }

// MarshalJSON writes {"field", "spineCode", "message"}, with a null
// spineCode for a field Spine does not check itself.
func (e FieldError) MarshalJSON() ([]byte, error) {
	var code *int
	if e.SpineCode != 0 {
		code = &e.SpineCode
	}
	return json.Marshal(struct {
		Field     string `json:"field"`
		SpineCode *int   `json:"spineCode"`
		Message   string `json:"message"`
	}{e.Field, code, e.Message})
}

// Warning codes.
const (
	WarnChecksum = "checksum" // a prescription id's check character does not match
	WarnFormat   = "format"   // a prescription id is not in the strict shape of live ids
	WarnWindow   = "window"   // Spine's date defaults leave nothing to find
	WarnUnissued = "unissued" // an NHS number that passes its check digit but is never issued
)

// Warning is something that does not stop a request but is probably a
// mistake. Suggestions, for a checksum warning, are the ids the input was
// most likely meant to be, most likely first.
type Warning struct {
	Field       string   `json:"field"`
	Code        string   `json:"code"`
	Message     string   `json:"message"`
	Suggestions []string `json:"suggestions"`
}

// Report is the verdict on one Input.
type Report struct {
	Errors   []FieldError
	Warnings []Warning
	// Normalized holds the normalised value of every field that was given
	// and is valid, keyed by JSON name, e.g. "nhsNumber": "9434765919".
	// It includes the kind of query, taken from the fields when not given.
	Normalized map[string]string
}

// Valid reports whether the input can be sent: it has no errors.
func (r Report) Valid() bool { return len(r.Errors) == 0 }

// Err returns nil for a valid input, otherwise an *Error.
func (r Report) Err() error {
	if r.Valid() {
		return nil
	}
	return &Error{Fields: r.Errors}
}

// MarshalJSON writes {"valid", "errors", "warnings", "normalized"}.
func (r Report) MarshalJSON() ([]byte, error) {
	out := struct {
		Valid      bool              `json:"valid"`
		Errors     []FieldError      `json:"errors"`
		Warnings   []Warning         `json:"warnings"`
		Normalized map[string]string `json:"normalized"`
	}{r.Valid(), r.Errors, r.Warnings, r.Normalized}
	if out.Errors == nil {
		out.Errors = []FieldError{}
	}
	if out.Warnings == nil {
		out.Warnings = []Warning{}
	}
	if out.Normalized == nil {
		out.Normalized = map[string]string{}
	}
	return json.Marshal(out)
}

// Error is an input that Spine would refuse, field by field.
type Error struct {
	Fields []FieldError
}

func (e *Error) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Message
	}
	return "invalid input: " + strings.Join(msgs, "; ")
}

// Check normalises an input and checks it offline exactly as Spine would,
// field by field, so that no request Spine would refuse is ever sent. An
// input with neither search nor retrieve fields is refused as Spine refuses
// a request without parameters (50), on the field "input". now is the
// current time, for the date window warnings.
func Check(in Input, now time.Time) Report {
	return check(in, now, structErrors)
}

// CheckNHSNumber is [Check] of a search for an NHS number alone, as a
// search box asks it on every keystroke. Its report is Check's, found by
// the NHS number's own rule rather than by the validator, which the first
// Check of a process builds: what is typed into a page that has just opened
// is answered without waiting for that.
func CheckNHSNumber(s string) Report {
	return check(Input{Kind: KindSearch, NHSNumber: s}, time.Time{}, identifierErrors) // no dates: no use for the time
}

// CheckPrescriptionID is [Check] of a retrieve of a prescription id alone,
// found as [CheckNHSNumber] finds its report.
func CheckPrescriptionID(s string) Report {
	return check(Input{Kind: KindRetrieve, PrescriptionID: s}, time.Time{}, identifierErrors)
}

// check is Check, with fieldErrors finding what the fields' rules refuse in
// the normalised input.
func check(in Input, now time.Time, fieldErrors func(n, raw *Input) []FieldError) Report {
	raw := in
	n := Normalize(in)
	var r Report
	if n.Kind == "" {
		kind, err := inferKind(&n)
		switch {
		case err != nil:
			r.Errors = append(r.Errors, *err)
		case kind == "":
			r.Errors = append(r.Errors, FieldError{Field: "input", SpineCode: 50, Message: "There is nothing to look up — give an NHS number to search for a patient's prescriptions, or a prescription id to retrieve one."})
		}
		n.Kind = kind
	} else {
		r.Errors = append(r.Errors, foreignFields(&n)...)
	}
	failed := map[string]bool{}
	for _, e := range r.Errors {
		failed[e.Field] = true
	}
	for _, e := range fieldErrors(&n, &raw) {
		if !failed[e.Field] { // one error per field: the first says the most
			failed[e.Field] = true
			r.Errors = append(r.Errors, e)
		}
	}
	sortByField(r.Errors)

	r.Normalized = make(map[string]string, 8)
	for _, f := range n.fields() {
		if *f.value != "" && !failed[f.name] {
			r.Normalized[f.name] = *f.value
		}
	}
	if !failed["nhsNumber"] && oneDigit(n.NHSNumber) {
		r.Warnings = append(r.Warnings, Warning{Field: "nhsNumber", Code: WarnUnissued, Suggestions: []string{}, Message: fmt.Sprintf(
			"NHS number %s is one digit ten times: it passes the check digit, but no patient is given such a number — check it against the patient's record.",
			redact.NHSNumber(n.NHSNumber))})
	}
	if !failed["prescriptionId"] && n.PrescriptionID != "" {
		r.Warnings = append(r.Warnings, idWarnings(n.PrescriptionID)...)
	}
	if (n.EarliestDate != "" || n.LatestDate != "") && !failed["earliestDate"] && !failed["latestDate"] {
		r.Warnings = append(r.Warnings, windowWarnings(n, now)...)
	}
	return r
}

// Normalize returns in with each field in the form Spine expects: spaces
// and hyphens dropped from the NHS number, dates as yyyymmdd, ids upper-case
// and regrouped, and so on. It does not check anything.
func Normalize(in Input) Input {
	in.Kind = Kind(strings.ToLower(strings.TrimSpace(string(in.Kind))))
	in.NHSNumber = NormalizeNHSNumber(in.NHSNumber)
	in.EarliestDate = normalizeDate(in.EarliestDate)
	in.LatestDate = normalizeDate(in.LatestDate)
	in.PrescriptionStatus = normalizeStatus(in.PrescriptionStatus)
	in.PrescriptionVersion = strings.ToUpper(strings.TrimSpace(in.PrescriptionVersion))
	in.Version = strings.TrimSpace(in.Version)
	in.PrescriptionID = NormalizePrescriptionID(in.PrescriptionID)
	in.IssueNumber = normalizeIssueNumber(in.IssueNumber)
	in.ASID = dropSpaces(in.ASID)
	in.UserID = dropSpaces(in.UserID)
	in.RoleProfileID = dropSpaces(in.RoleProfileID)
	in.TraceID = strings.TrimSpace(in.TraceID)
	return in
}

// inferKind takes the kind from the fields present. It is an error to mix
// the fields of both queries without saying which is meant.
func inferKind(in *Input) (Kind, *FieldError) {
	search, retrieve := present(in, searchOnly), present(in, retrieveOnly)
	switch {
	case len(search) > 0 && len(retrieve) > 0:
		return "", &FieldError{Field: "kind", Message: fmt.Sprintf(
			"This has fields of a search (%s) and of a retrieve (%s) — say which is meant with kind \"search\" or \"retrieve\".",
			strings.Join(search, ", "), strings.Join(retrieve, ", "))}
	case len(search) > 0:
		return KindSearch, nil
	case len(retrieve) > 0:
		return KindRetrieve, nil
	}
	return "", nil
}

// foreignFields reports fields that the chosen kind of query does not use:
// they would be silently dropped otherwise.
func foreignFields(in *Input) []FieldError {
	var foreign []string
	var other Kind
	switch in.Kind {
	case KindSearch:
		foreign, other = present(in, retrieveOnly), KindRetrieve
	case KindRetrieve:
		foreign, other = present(in, searchOnly), KindSearch
	default:
		return nil // reported by the kind rule
	}
	var errs []FieldError
	for _, name := range foreign {
		errs = append(errs, FieldError{Field: name, Message: fmt.Sprintf(
			"%s is not part of a %s — remove it, or check it as a %s.", labels[name], in.Kind, other)})
	}
	return errs
}

func present(in *Input, names []string) []string {
	var found []string
	for _, name := range names {
		if *in.Field(name) != "" {
			found = append(found, name)
		}
	}
	return found
}

// fieldOrder gives each field's place in reports; "input" comes first.
var fieldOrder = func() map[string]int {
	order := map[string]int{"input": -1}
	for i, f := range (&Input{}).fields() {
		order[f.name] = i
	}
	return order
}()

func sortByField(errs []FieldError) {
	order := fieldOrder
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && order[errs[j].Field] < order[errs[j-1].Field]; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

func idWarnings(id string) []Warning {
	masked := redact.PrescriptionID(id)
	var ws []Warning
	if len(id) == 19 || len(id) == 36 {
		return []Warning{{Field: "prescriptionId", Code: WarnFormat, Suggestions: []string{},
			Message: fmt.Sprintf("Prescription id %s has no check character, so typing mistakes cannot be caught — check it against the prescription.", masked)}}
	}
	if at := firstNonStrict(id); at >= 0 {
		ws = append(ws, Warning{Field: "prescriptionId", Code: WarnFormat, Suggestions: []string{},
			Message: fmt.Sprintf("Prescription id %s has %q at character %d, where live ids have %s — check it against the prescription.",
				masked, id[at], at+1, expectedAt(len(id), at))})
	}
	if !CheckCharacterMatches(id) {
		s := Suggest(id)
		msg := fmt.Sprintf("Prescription id %s does not match its check character, so it is probably mistyped — check it against the prescription", masked)
		if len(s) > 0 {
			msg += "; the suggestions are the ids it most likely should be"
		}
		ws = append(ws, Warning{Field: "prescriptionId", Code: WarnChecksum, Message: msg + ".", Suggestions: s})
	}
	return ws
}

// expectedAt describes the characters the strict shape allows at a position.
func expectedAt(n, i int) string {
	switch {
	case strictAt(n, i, '-'):
		return "a hyphen"
	case strictAt(n, i, '+'):
		return "a letter, a digit or +"
	case strictAt(n, i, 'G'):
		return "a letter or a digit"
	}
	return "a hexadecimal digit (0-9 or A-F)"
}

// windowWarnings warns about a date window that Spine's defaults make empty:
// with no earliest date Spine searches from 28 days ago, and with no latest
// date up to today.
func windowWarnings(in Input, now time.Time) []Warning {
	earliest, hasEarliest := tracker.ParseCompactDate(in.EarliestDate)
	latest, hasLatest := tracker.ParseCompactDate(in.LatestDate)
	if hasEarliest == hasLatest {
		return nil // a window of both dates is the caller's own
	}
	today := tracker.LondonDate(now)
	switch {
	case hasLatest && !hasEarliest && latest.Before(today.AddDays(-28)):
		return []Warning{{Field: "latestDate", Code: WarnWindow, Suggestions: []string{}, Message: fmt.Sprintf(
			"With no earliest date, Spine searches only from %s (28 days ago), so a latest date of %s finds nothing — add an earliest date.",
			today.AddDays(-28).Human(), latest.Human())}}
	case hasEarliest && !hasLatest && today.Before(earliest):
		return []Warning{{Field: "earliestDate", Code: WarnWindow, Suggestions: []string{}, Message: fmt.Sprintf(
			"With no latest date, Spine searches only up to today, so an earliest date of %s (in the future) finds nothing — add a latest date.",
			earliest.Human())}}
	}
	return nil
}

func dropSpaces(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

func normalizeIssueNumber(s string) string {
	s = strings.TrimSpace(s)
	if ascii.Digits(s) {
		s = strings.TrimLeft(s, "0")
		if s == "" {
			return "0"
		}
	}
	return s
}

// normalizeDate accepts yyyymmdd, yyyy-mm-dd, and the UK's dd/mm/yyyy (with
// slashes, hyphens or dots), and returns yyyymmdd. Anything else is returned
// trimmed, to be refused.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 8 && ascii.Digits(s) {
		return s
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 || strings.Count(s, "-")+strings.Count(s, "/")+strings.Count(s, ".") != 2 {
		return s
	}
	for _, p := range parts {
		if !ascii.Digits(p) {
			return s
		}
	}
	y, m, d := parts[0], parts[1], parts[2]
	if len(y) != 4 {
		d, y = y, d // dd/mm/yyyy
	}
	if len(y) != 4 || len(m) > 2 || len(d) > 2 {
		return s
	}
	return y + pad2(m) + pad2(d)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
