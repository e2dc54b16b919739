package service

import (
	"fmt"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// The parts that several views share.

// DateText is a date, or an instant, as a machine sorts it and as a person
// reads it, in UK time. A view holds a *DateText, null when there is none.
type DateText struct {
	// ISO is "2025-06-10" for a date, or "2025-06-10T14:30:00+01:00" for
	// an instant (RFC 3339 with the UK offset of that moment): sort and
	// export by it.
	ISO string `json:"iso"`
	// Display is "10-Jun-2025" for a date, or "10-Jun-2025 14:30" for an
	// instant: show it.
	Display string `json:"display"`
}

// dateOf returns d as a view, or nil for the zero date.
func dateOf(d tracker.Date) *DateText {
	if d.IsZero() {
		return nil
	}
	return &DateText{ISO: d.String(), Display: d.Human()}
}

// instantOf returns t as a view, or nil.
func instantOf(t *tracker.Timestamp) *DateText {
	if t == nil {
		return nil
	}
	uk := tracker.London(t.Time)
	return &DateText{ISO: uk.Format("2006-01-02T15:04:05-07:00"), Display: tracker.LondonDate(t.Time).Human() + uk.Format(" 15:04")}
}

// dayOf returns the UK date of t as a view, or nil.
func dayOf(t *tracker.Timestamp) *DateText {
	if t == nil {
		return nil
	}
	return dateOf(tracker.LondonDate(t.Time))
}

// Group is the tab a row is shown under.
type Group string

// The groups, in the order views list them. Cancelled and dispensed stay
// under current, so that a person looking for what happened today sees them.
const (
	GroupCurrent Group = "current" // ready, with a pharmacy, dispensed or cancelled
	GroupFuture  Group = "future"  // not yet released
	GroupPast    Group = "past"    // expired, not dispensed or claimed
)

// Tone says how a status reads at a glance, for its tag's colour.
type Tone string

// The tones.
const (
	ToneReady   Tone = "ready"   // waiting for a pharmacy to download it
	ToneActive  Tone = "active"  // a pharmacy has it, or is dispensing it
	ToneDone    Tone = "done"    // dispensed, or claimed
	ToneStopped Tone = "stopped" // cancelled, expired or not dispensed
	ToneWaiting Tone = "waiting" // not yet released
	ToneUnknown Tone = "unknown" // a code Spine does not document
)

// Status is the status of a prescription issue or of one of its items:
// our label beside Spine's own words.
type Status struct {
	Code string `json:"code"` // Spine's four digits, e.g. "0002"
	// Label is ours, in plain English: "With a pharmacy". For a code
	// Spine does not document, Spine's text, or "Unknown status" and the code.
	Label string `json:"label"`
	// SpineText is Spine's text: as it sent it, or from Spine's table when
	// it sent none. Show it beside Label when they differ.
	SpineText string `json:"spineText"`
	// Meaning says what the status means for the person at the counter,
	// in a sentence.
	Meaning string `json:"meaning"`
	Tone    Tone   `json:"tone"`
	Known   bool   `json:"known"` // Spine documents the code
}

// Treatment is how a prescription is to be supplied: acute, repeat
// prescribing or repeat dispensing.
type Treatment struct {
	Code      string `json:"code"`      // "0001", "0002" or "0003"
	Label     string `json:"label"`     // "Acute", "Repeat prescribing", "Repeat dispensing"
	SpineText string `json:"spineText"` // Spine's text, or its table's when it sent none
}

// PrescriptionType is the prescriber's setting and profession, and the
// country they prescribe in.
type PrescriptionType struct {
	Code  string `json:"code"`  // four digits, e.g. "0101"
	Label string `json:"label"` // Spine's text, or the table's when Spine sent none
	// Country is "England", "Wales" or "Isle of Man"; "" for a code not in
	// Spine's table.
	Country string `json:"country"`
}

// Organisation is a prescriber, a nominated dispenser or a dispensing
// organisation. A view holds an *Organisation, null when there is none.
type Organisation struct {
	ODS     string `json:"ods"`     // its ODS code, e.g. "FQ821"
	Name    string `json:"name"`    // "" when Spine sent none
	Contact string `json:"contact"` // a telephone number; "" when Spine sent none
}

// Patient is the patient a view is about.
type Patient struct {
	NHSNumber string `json:"nhsNumber"` // ten digits, "9992574356"
	Display   string `json:"display"`   // "999 257 4356"
}

// IDForm is the form of a prescription id.
type IDForm string

// The forms of prescription id.
const (
	FormShort IDForm = "short" // R2: XXXXXX-XXXXXX-XXXXXC, 20 characters (19 without its check character)
	FormLong  IDForm = "long"  // R1: a GUID and a check character, 37 characters (36 without)
	FormNone  IDForm = ""      // not a prescription id
)

// FieldError is one field that Spine would refuse, with what to do about it.
type FieldError struct {
	Field string `json:"field"` // the field's JSON name, e.g. "nhsNumber"; "input" for the whole input
	// SpineCode is the statusCode Spine would answer, e.g. 61; 0 for a
	// field Spine does not check itself.
	SpineCode int    `json:"spineCode"`
	Message   string `json:"message"` // for the person who typed it; masked
}

// Warning is something that does not stop a lookup but is probably a
// mistake.
type Warning struct {
	Field string `json:"field"` // the field's JSON name
	// Code is "checksum" (a prescription id's check character does not
	// match), "format" (an id not shaped like live ids), "window" (a date
	// window that finds nothing) or "unissued" (an NHS number no one is
	// given).
	Code    string `json:"code"`
	Message string `json:"message"` // masked
	// Suggestions are, for a checksum warning, the ids the input most
	// likely is, likeliest first: offer each as "Did you mean …?".
	Suggestions []string `json:"suggestions"`
}

// maxSuggestions is how many corrections a person is offered.
const maxSuggestions = 3

func fieldErrorsOf(errs []validate.FieldError) []FieldError {
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		out[i] = FieldError{Field: e.Field, SpineCode: e.SpineCode, Message: e.Message}
	}
	return out
}

func warningsOf(ws []validate.Warning) []Warning {
	out := make([]Warning, len(ws))
	for i, w := range ws {
		s := w.Suggestions
		out[i] = Warning{Field: w.Field, Code: w.Code, Message: w.Message,
			Suggestions: append([]string{}, s[:min(len(s), maxSuggestions)]...)}
	}
	return out
}

// tones are the tones of prescription statuses, then of line item statuses.
var (
	prescriptionTones = map[string]Tone{
		"0000": ToneWaiting, "0001": ToneReady, "0002": ToneActive, "0003": ToneActive, "0004": ToneStopped,
		"0005": ToneStopped, "0006": ToneDone, "0007": ToneStopped, "0008": ToneDone, "0009": ToneDone,
		"9000": ToneWaiting, "9001": ToneWaiting, "9005": ToneStopped,
	}
	itemTones = map[string]Tone{
		"0001": ToneDone, "0002": ToneStopped, "0003": ToneActive, "0004": ToneActive,
		"0005": ToneStopped, "0006": ToneStopped, "0007": ToneReady, "0008": ToneActive,
	}
)

// statusOf is a prescription issue's status, labelled.
func statusOf(c tracker.Code) Status {
	st, ok := tracker.LookupPrescriptionStatus(c.Code)
	return labelled(c, st, ok, prescriptionTones)
}

// itemStatusOf is a line item's status, labelled.
func itemStatusOf(c tracker.Code) Status {
	st, ok := tracker.LookupLineItemStatus(c.Code)
	return labelled(c, st, ok, itemTones)
}

func labelled(c tracker.Code, st tracker.StatusInfo, known bool, tones map[string]Tone) Status {
	if known {
		return Status{Code: c.Code, Label: st.Plain, SpineText: c.Text, Meaning: capital(st.Meaning) + ".", Tone: tones[c.Code], Known: true}
	}
	out := Status{Code: c.Code, Label: c.Text, SpineText: c.Text, Tone: ToneUnknown,
		Meaning: "Spine's tables have no status " + c.Code + ": ask the service desk what it means."}
	switch {
	case c.Code == "":
		out.Label, out.Meaning = "No status", "Spine's answer gives no status."
	case out.Label == "":
		out.Label = "Unknown status " + c.Code
	}
	return out
}

// groupOf is the group of a prescription status: its table's, or current
// for a status Spine does not document, so that it is never hidden among
// the past or the future ones.
func groupOf(code string) Group {
	if st, ok := tracker.LookupPrescriptionStatus(code); ok {
		return Group(st.Group)
	}
	return GroupCurrent
}

func treatmentOf(c tracker.Code) Treatment {
	t := Treatment{Code: c.Code, Label: c.Text, SpineText: c.Text}
	if st, ok := tracker.LookupTreatmentType(c.Code); ok {
		t.Label = st.Plain
	}
	if t.Label == "" {
		t.Label = "Unknown treatment " + c.Code
	}
	return t
}

func typeOf(c tracker.Code) PrescriptionType {
	t := PrescriptionType{Code: c.Code, Label: c.Text}
	if pt, ok := tracker.LookupPrescriptionType(c.Code); ok {
		t.Country = pt.Country
	}
	return t
}

func organisationOf(o *tracker.Organisation) *Organisation {
	if o == nil || o.ODS == "" && o.Name == "" && o.Contact == "" {
		return nil
	}
	return &Organisation{ODS: o.ODS, Name: o.Name, Contact: o.Contact}
}

func patientOf(nhs string) Patient { return Patient{NHSNumber: nhs, Display: spaced(nhs)} }

// inconsistencies says in plain words where an answer contradicts Spine's
// rules, naming the issue when withIssue is set.
func inconsistencies(found []tracker.Inconsistency, withIssue bool) []string {
	out := make([]string, 0, len(found))
	for _, in := range found {
		out = append(out, inconsistency(in, withIssue))
	}
	return out
}

func inconsistency(in tracker.Inconsistency, withIssue bool) string {
	msg := capital(strings.TrimSuffix(in.Message, ".")) + "."
	var where string
	switch {
	case in.LineItem > 0 && in.Issue > 0 && withIssue:
		where = fmt.Sprintf("Item %d of issue %d", in.LineItem, in.Issue)
	case in.LineItem > 0:
		where = fmt.Sprintf("Item %d", in.LineItem)
	case in.Issue > 0 && withIssue:
		where = fmt.Sprintf("Issue %d", in.Issue)
	default:
		return msg
	}
	return where + ": " + strings.TrimSuffix(in.Message, ".") + "."
}

// idFormLabel names the form of an id as people at a counter know it.
func idFormLabel(f IDForm) string {
	if f == FormLong {
		return "R1, long id"
	}
	return "R2, short id"
}
