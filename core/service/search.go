package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

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

// groupTitles gives each group's title and hint, in the order views list
// them.
var groupTitles = []struct {
	group       Group
	title, hint string
}{
	{GroupCurrent, "Current", "Ready for a pharmacy, with one, dispensed or cancelled"},
	{GroupFuture, "Future", "Not yet released: future-dated, or later issues of repeat dispensing"},
	{GroupPast, "Past", "Expired, not dispensed, or dispensed and claimed"},
}

// Search finds a patient's prescriptions and shapes them into a view: one
// row per issue, grouped, newest first, with guidance on what may be
// missing and why. It fails with an [*Error]: a query Spine would refuse is
// a validation error, and nothing is sent.
func (s *Service) Search(ctx context.Context, q SearchQuery) (SearchView, error) {
	conn, err := s.connection()
	if err != nil {
		return SearchView{}, err
	}
	res, err := conn.client.Search(ctx, client.SearchQuery{NHSNumber: q.NHSNumber, EarliestDate: q.EarliestDate,
		LatestDate: q.LatestDate, Status: q.PrescriptionStatus, Version: q.PrescriptionVersion, MessageVersion: q.Version})
	if err != nil {
		return SearchView{}, errorOf(err, conn.source(), "")
	}
	return searchView(q, res, conn.source(), tracker.LondonDate(s.now())), nil
}

// searchView shapes a search's answer, today being the date in the UK.
func searchView(q SearchQuery, res *client.SearchResult, from Source, today tracker.Date) SearchView {
	v := SearchView{
		Source:        from,
		Patient:       patientOf(validate.NormalizeNHSNumber(q.NHSNumber)),
		Window:        windowOf(q, res, today),
		Filter:        filterOf(q),
		Prescriptions: len(res.Prescriptions),
		Notices:       []string{},
		Warnings:      warningsOf(res.Warnings),
		TraceID:       res.TraceID,
	}
	var rows []SearchRow
	for _, p := range res.Prescriptions {
		rows = append(rows, rowsOf(p)...)
		if p.PendingCancellations {
			v.PendingCancellations++
		}
	}
	sortRows(rows)
	for _, g := range groupTitles {
		group := ResultGroup{Group: g.group, Title: g.title, Hint: g.hint, Rows: []SearchRow{}}
		for _, r := range rows {
			if r.Group == g.group {
				group.Rows = append(group.Rows, r)
			}
		}
		group.Count = len(group.Rows)
		v.Groups = append(v.Groups, group)
	}
	v.Rows, v.Empty = len(rows), len(rows) == 0
	if v.PendingCancellations > 0 {
		v.Notices = append(v.Notices, fmt.Sprintf("%d with a cancellation pending: the prescriber has asked for it to be cancelled while a pharmacy has it.", v.PendingCancellations))
	}
	v.MayBeIncomplete = v.Filter != nil || !v.Window.Default && narrower(res.EarliestDate, res.LatestDate, today)
	v.Guidance = guidance(q, v, rows, res, today)
	return v
}

// rowsOf makes a prescription's rows, one per issue, newest first: by the
// issue's date, an issue not yet released after the latest one that is,
// and issues of the same date by number. A prescription without issues
// still has a row, so that nothing found is ever hidden.
func rowsOf(p tracker.Summary) []SearchRow {
	current, _ := p.CurrentIssue()
	base := SearchRow{PrescriptionID: p.ID, IDForm: formOf(p.ID), IssueCount: len(p.Issues),
		LastEventDate: dayOf(p.LastEventDate), Treatment: treatmentOf(p.TreatmentType), Inconsistencies: []string{}}
	if len(p.Issues) == 0 {
		r := base
		r.CurrentIssue, r.Group, r.IssueDate = true, GroupCurrent, dayOf(p.IssueDate)
		r.Status = labelled(tracker.Code{}, tracker.StatusInfo{}, false, nil)
		r.PendingCancellation, r.Inconsistencies = p.PendingCancellations, inconsistencies(p.Inconsistencies, true)
		return []SearchRow{r}
	}
	rows := make([]SearchRow, 0, len(p.Issues))
	for _, is := range p.Issues {
		r := base
		r.IssueNumber, r.Items = is.Number, len(is.LineItems)
		r.Status, r.Group = statusOf(is.Status), groupOf(is.Status.Code)
		r.CurrentIssue = is.Number == current.Number
		r.IssueDate = dateOf(is.IssueDate)
		if r.IssueDate == nil && len(p.Issues) == 1 {
			r.IssueDate = dayOf(p.IssueDate)
		}
		if len(p.Issues) > 1 {
			r.IssueLabel = fmt.Sprintf("Issue %d of %d", is.Number, len(p.Issues))
		}
		if r.CurrentIssue {
			r.PendingCancellation = p.PendingCancellations
		}
		for _, in := range p.Inconsistencies {
			if in.Issue == is.Number || in.Issue == 0 && r.CurrentIssue {
				r.Inconsistencies = append(r.Inconsistencies, inconsistency(in, false))
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// sortRows puts rows newest first, keeping the order of rows that tie (the
// prescriptions' order, then issue number).
func sortRows(rows []SearchRow) {
	// An issue not yet released sorts as the latest released issue of
	// its prescription, just after it.
	latest := map[string]string{}
	for _, r := range rows {
		if r.IssueDate != nil && r.IssueDate.ISO > latest[r.PrescriptionID] {
			latest[r.PrescriptionID] = r.IssueDate.ISO
		}
	}
	key := func(r SearchRow) string {
		if r.IssueDate != nil {
			return r.IssueDate.ISO
		}
		return latest[r.PrescriptionID]
	}
	slices.SortStableFunc(rows, func(a, b SearchRow) int {
		return strings.Compare(key(b), key(a))
	})
}

// windowOf is the window searched, as the client filled it in.
func windowOf(q SearchQuery, res *client.SearchResult, today tracker.Date) SearchWindow {
	w := SearchWindow{Default: strings.TrimSpace(q.EarliestDate) == "" && strings.TrimSpace(q.LatestDate) == ""}
	if e := dateOf(res.EarliestDate); e != nil {
		w.Earliest = *e
	}
	if l := dateOf(res.LatestDate); l != nil {
		w.Latest = *l
	}
	w.Description = "issued " + res.EarliestDate.Human() + " to " + res.LatestDate.Human()
	return w
}

// defaultFrom is where the default window starts on today: DefaultWindow
// years back.
func defaultFrom(today tracker.Date) tracker.Date { return today.AddYears(-client.DefaultWindow) }

// narrower reports whether a window leaves out part of the default one.
func narrower(earliest, latest, today tracker.Date) bool {
	return defaultFrom(today).Before(earliest) || latest.Before(today)
}

// filterOf is what q narrows the search to, or nil.
func filterOf(q SearchQuery) *Filter {
	n := validate.Normalize(validate.Input{PrescriptionStatus: q.PrescriptionStatus, PrescriptionVersion: q.PrescriptionVersion})
	if n.PrescriptionStatus == "" && n.PrescriptionVersion == "" {
		return nil
	}
	f := &Filter{Version: map[string]string{"1": "R1", "2": "R2"}[n.PrescriptionVersion]}
	if f.Version == "" {
		f.Version = n.PrescriptionVersion
	}
	var words []string
	if n.PrescriptionStatus != "" {
		st := statusOf(tracker.Code{Code: n.PrescriptionStatus})
		f.Status = &st
		words = append(words, fmt.Sprintf("status %q", st.Label))
	}
	if f.Version != "" {
		words = append(words, "version "+f.Version)
	}
	f.Description = strings.Join(words, " and ")
	return f
}

// guidance works out why a prescription the person expects may not be in
// the list, likeliest first: what the query left out (a filter), what the
// answer holds that no pharmacy can have yet (a repeat dispensing issue not
// yet due, a future-dated prescription), and what no search in this window
// can find (older ones; and future-dated ones dated after it, when it ends
// today or earlier, or when it found nothing).
func guidance(q SearchQuery, v SearchView, rows []SearchRow, res *client.SearchResult, today tracker.Date) []Guidance {
	out := []Guidance{}
	if v.Filter != nil {
		try := q
		try.PrescriptionStatus, try.PrescriptionVersion = "", ""
		msg := "Only prescriptions with " + v.Filter.Description + " are listed: the filter leaves the others out."
		if v.Empty {
			msg = "None was found with " + v.Filter.Description + ": the filter may be why."
		}
		out = append(out, Guidance{Reason: ReasonFilter, Try: &try, TryLabel: "Search without the filter", Message: msg})
	}
	seen := map[string]bool{}
	for _, r := range rows {
		switch code := r.Status.Code; {
		case seen[r.PrescriptionID]:
		case code == "9000" || code == "0000" && r.IssueCount > 1:
			seen[r.PrescriptionID] = true
			out = append(out, Guidance{Reason: ReasonNotYetDue, PrescriptionID: r.PrescriptionID, IssueNumber: r.IssueNumber,
				Message: fmt.Sprintf("%s of a repeat dispensing course is not due yet: no pharmacy can download it until Spine releases it, "+
					"when it is due.", r.IssueLabel)})
		case code == "9001" || code == "0000":
			seen[r.PrescriptionID] = true
			when := "its date"
			if r.IssueDate != nil {
				when = r.IssueDate.Display
			}
			out = append(out, Guidance{Reason: ReasonFutureDated, PrescriptionID: r.PrescriptionID, IssueNumber: r.IssueNumber,
				Message: fmt.Sprintf("A prescription in the list is future-dated: no pharmacy can download it before %s.", when)})
		}
	}
	from, to := res.EarliestDate, res.LatestDate
	earlier := q
	earlier.EarliestDate, earlier.LatestDate = from.AddYears(-client.DefaultWindow).String(), to.String()
	msg := fmt.Sprintf("Only prescriptions issued from %s to %s were searched.", from.Human(), to.Human())
	if v.Empty {
		msg = fmt.Sprintf("Nothing was issued to this patient from %s to %s.", from.Human(), to.Human())
	}
	g := Guidance{Reason: ReasonWindow, Try: &earlier, TryLabel: "Search from " + from.AddYears(-client.DefaultWindow).Human(),
		Message: msg + " An older prescription is found by a search that starts earlier."}
	if !v.Window.Default && narrower(from, to, today) {
		all := q
		all.EarliestDate, all.LatestDate = "", ""
		g.Try, g.TryLabel = &all, "Search the last two years"
		g.Message = msg + " A prescription issued outside those dates is found by a search of the last two years," +
			" and so is a repeat dispensing course begun before them: a course is searched by the date of its first issue."
	}
	out = append(out, g)
	if !today.Before(to) || v.Empty {
		later := q
		ahead := to
		if ahead.Before(today) {
			ahead = today
		}
		ahead = ahead.AddDays(365)
		later.EarliestDate, later.LatestDate = from.String(), ahead.String()
		out = append(out, Guidance{Reason: ReasonFutureDated, Try: &later, TryLabel: "Search to " + ahead.Human(),
			Message: fmt.Sprintf("A future-dated prescription is issued on its date: one dated after %s is not in this search.", to.Human())})
	}
	return out
}
