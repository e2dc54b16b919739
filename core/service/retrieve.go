package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

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
	// is not known, or "Issue 9: no such issue"; "" for a prescription of
	// one issue.
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
	// IssueDate is the issue's date, null when it is not released or not
	// known (it comes from the issue picker's search).
	IssueDate *DateText `json:"issueDate"`
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

// Retrieve opens one prescription, with the issue asked for (the current
// one by default), and lists its other issues for the picker. An issue that
// does not exist (Spine's status 3) is a view that says so, with the issues
// that do. It fails with an [*Error]; an id Spine would refuse is a
// validation error, and nothing is sent.
//
// A retrieve returns one issue. For a prescription of several issues (a
// repeat dispensing course, or one whose current issue is not the first),
// the picker's other issues come from a second lookup: a search of the
// patient's prescriptions issued on the prescription's issue date, which
// holds every issue with its status. When that fails, the view still shows
// the issue asked for, and the picker says why it holds only that one.
func (s *Service) Retrieve(ctx context.Context, q RetrieveQuery) (PrescriptionView, error) {
	conn, err := s.connection()
	if err != nil {
		return PrescriptionView{}, err
	}
	res, err := conn.client.Retrieve(ctx, client.RetrieveQuery{PrescriptionID: q.PrescriptionID, IssueNumber: q.IssueNumber, MessageVersion: q.Version})
	switch {
	case err != nil && !(errors.Is(err, tracker.ErrIssueNotFound) && res != nil && res.Prescription != nil):
		return PrescriptionView{}, errorOf(err, conn.source(), q.PrescriptionID)
	case res.Prescription == nil:
		return PrescriptionView{}, &Error{Kind: KindParse, Fields: []FieldError{}, TraceID: res.TraceID, Reason: "no prescription in the answer",
			Message: capital(conn.source().Name) + " answered without the prescription. Try again; if it goes on, report it." + traceAdvice(res.TraceID, conn.source())}
	}
	p := res.Prescription
	asked, _ := strconv.Atoi(validate.Normalize(validate.Input{IssueNumber: q.IssueNumber}).IssueNumber)
	v := PrescriptionView{
		Source:             conn.source(),
		Patient:            patientOf(p.PatientNHSNumber),
		Prescriber:         organisationOf(p.Prescriber),
		NominatedDispenser: organisationOf(p.NominatedDispenser),
		Inconsistencies:    inconsistencies(p.Inconsistencies, true),
		Notices:            []string{},
		Warnings:           warningsOf(res.Warnings),
		TraceID:            res.TraceID,
	}
	v.Issue = issueViewOf(p, asked)
	v.Issues = picker(ctx, conn, p, v.Issue)
	v.Banner = bannerOf(p, v.Issue, v.Issues)
	for _, e := range v.Issues.Entries {
		if e.Number == v.Issue.Number {
			v.Issue.Current, v.Issue.IssueDate = e.Current, e.IssueDate
		}
	}
	if !v.Issue.Found {
		v.Issue.Message = missingIssue(v.Issue.Number, v.Issues)
	}
	if p.TreatmentType.Code == "0003" && v.Issues.Complete {
		v.Course = courseOf(v.Issues.Entries)
	}
	if p.PendingCancellations {
		v.Notices = append(v.Notices, "The prescriber has asked for this prescription to be cancelled while a pharmacy has it: the cancellation is pending.")
	}
	return v, nil
}

// issueViewOf is the issue the answer holds, or, when it holds none, the
// one that was asked for (the current one when none was).
func issueViewOf(p *tracker.Prescription, asked int) IssueView {
	is := p.Issue
	if is == nil {
		if asked == 0 {
			asked = p.CurrentIssueNumber
		}
		return IssueView{Number: asked, Items: []Item{}}
	}
	v := IssueView{Number: is.Number, Found: true, Dispenser: organisationOf(is.Dispenser),
		LastDispenseDate: dateOf(is.LastDispenseDate), AppliedCancellations: is.AppliedCancellations, Items: []Item{},
		Current: is.Number == p.CurrentIssueNumber}
	st := statusOf(is.Status)
	v.Status = &st
	for _, li := range is.LineItems {
		v.Items = append(v.Items, Item{Number: li.Number, ID: li.ID, Status: itemStatusOf(li.Status)})
	}
	return v
}

// picker lists the prescription's issues: the one shown alone when it is
// the only one, otherwise every issue, from a search of the patient.
func picker(ctx context.Context, conn *connection, p *tracker.Prescription, shown IssueView) IssuePicker {
	alone := IssuePicker{Entries: []IssueEntry{}, Complete: true}
	if shown.Found {
		alone.Entries = append(alone.Entries, IssueEntry{Number: shown.Number, Status: *shown.Status, Group: groupOf(shown.Status.Code),
			Current: shown.Current, Shown: true})
	}
	several := p.TreatmentType.Code == "0003" || p.CurrentIssueNumber > 1 || shown.Number > 1 || !shown.Found
	if !several {
		alone.Entries[0].Label, alone.Entries[0].Current = "Issue 1", true
		return alone
	}
	summary, why := issuesOf(ctx, conn, p)
	if summary == nil {
		alone.Complete, alone.Note = false, "The other issues could not be listed: "+why+". Open another by its issue number."
		for i := range alone.Entries {
			alone.Entries[i].Label = fmt.Sprintf("Issue %d", alone.Entries[i].Number)
		}
		return alone
	}
	current, _ := summary.CurrentIssue()
	out := IssuePicker{Entries: make([]IssueEntry, 0, len(summary.Issues)), Complete: true}
	for _, is := range summary.Issues {
		e := IssueEntry{Number: is.Number, Label: fmt.Sprintf("Issue %d of %d", is.Number, len(summary.Issues)),
			Status: statusOf(is.Status), Group: groupOf(is.Status.Code), IssueDate: dateOf(is.IssueDate),
			Current: is.Number == current.Number, Shown: is.Number == shown.Number && shown.Found}
		if e.Shown { // the retrieve is the later, fuller answer about its issue
			e.Status, e.Group = *shown.Status, groupOf(shown.Status.Code)
		}
		out.Entries = append(out.Entries, e)
	}
	return out
}

// issuesOf finds the prescription among the patient's by a search of the
// day it was issued (from the day it was signed, for one dated later), or
// says why it cannot.
func issuesOf(ctx context.Context, conn *connection, p *tracker.Prescription) (*tracker.Summary, string) {
	var from, to tracker.Date
	for _, t := range []*tracker.Timestamp{p.SigningDate, p.IssueDate} {
		if t == nil {
			continue
		}
		d := tracker.LondonDate(t.Time)
		if from.IsZero() || d.Before(from) {
			from = d
		}
		if to.IsZero() || to.Before(d) {
			to = d
		}
	}
	switch {
	case !validate.ValidNHSNumber(p.PatientNHSNumber):
		return nil, "the answer has no NHS number to find them by"
	case from.IsZero():
		return nil, "the answer has no date to find them by"
	case p.IssueDate == nil:
		to = to.AddDays(366) // signed now, perhaps dated for later
	}
	res, err := conn.client.Search(ctx, client.SearchQuery{NHSNumber: p.PatientNHSNumber, EarliestDate: from.Compact(), LatestDate: to.Compact()})
	if err != nil {
		return nil, ErrorOf(err, conn.source()).Reason
	}
	for i, sm := range res.Prescriptions {
		if strings.EqualFold(sm.ID, p.ID) {
			return &res.Prescriptions[i], ""
		}
	}
	return nil, "the search of the patient's prescriptions did not return this one"
}

func bannerOf(p *tracker.Prescription, shown IssueView, picker IssuePicker) Banner {
	b := Banner{PrescriptionID: p.ID, IDForm: formOf(p.ID), Type: typeOf(p.Type), Treatment: treatmentOf(p.TreatmentType),
		Status: shown.Status, DaysSupply: p.DaysSupply, SigningDate: instantOf(p.SigningDate), IssueDate: instantOf(p.IssueDate),
		LastEventDate: instantOf(p.LastEventDate), PendingCancellation: p.PendingCancellations}
	b.IDFormLabel = idFormLabel(b.IDForm)
	switch {
	case !shown.Found:
		b.IssueLabel = fmt.Sprintf("Issue %d: no such issue", shown.Number)
	case picker.Complete && len(picker.Entries) > 1:
		b.IssueLabel = fmt.Sprintf("Issue %d of %d", shown.Number, len(picker.Entries))
	case !picker.Complete || shown.Number > 1:
		b.IssueLabel = fmt.Sprintf("Issue %d", shown.Number)
	}
	return b
}

// missingIssue says that the issue asked for does not exist, and which do.
func missingIssue(number int, picker IssuePicker) string {
	msg := fmt.Sprintf("This prescription has no issue %d.", number)
	if !picker.Complete || len(picker.Entries) == 0 {
		return msg + " Leave out the issue number for the current one."
	}
	if len(picker.Entries) == 1 {
		return msg + fmt.Sprintf(" It has one issue only: issue %d.", picker.Entries[0].Number)
	}
	msg += fmt.Sprintf(" It has %d issues", len(picker.Entries))
	for _, e := range picker.Entries {
		if e.Current {
			msg += fmt.Sprintf(", and issue %d is current", e.Number)
		}
	}
	return msg + ": choose one of them."
}

// courseOf sums up a repeat dispensing course from its issues.
func courseOf(entries []IssueEntry) *Course {
	c := &Course{IssueCount: len(entries)}
	var cancelled int
	for _, e := range entries {
		switch e.Status.Code {
		case "0006", "0008", "0009":
			c.Dispensed++
		case "0000", "9000", "9001":
			c.ToCome++
		case "0005", "9005":
			cancelled++
		}
		if e.Current {
			c.CurrentIssue = e.Number
		}
	}
	c.Summary = fmt.Sprintf("Issue %d of %d is current: %d dispensed, %d still to come", c.CurrentIssue, c.IssueCount, c.Dispensed, c.ToCome)
	if cancelled > 0 {
		c.Summary += fmt.Sprintf(", %d cancelled", cancelled)
	}
	c.Summary += "."
	return c
}
