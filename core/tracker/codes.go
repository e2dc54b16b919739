package tracker

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

// Group is how a prescription status is tabbed for the person at the counter.
type Group string

// The three groups of prescription statuses.
const (
	GroupCurrent Group = "current"
	GroupFuture  Group = "future"
	GroupPast    Group = "past"
)

// StatusInfo describes one code of a table: a prescription or line item
// status, or a treatment type.
type StatusInfo struct {
	Code    string // four digits, e.g. "0001"
	Text    string // Spine's text
	Meaning string // what it means for the person at the counter; none for a treatment type
	Group   Group  // for a prescription status only
	Plain   string // a short label in plain English, for lists
}

// PrescriptionStatuses returns the 13 prescription status codes Spine uses,
// in code order. They are also the values of the search filter
// prescriptionStatus. The slice is the caller's own.
func PrescriptionStatuses() []StatusInfo { return slices.Clone(prescriptionStatuses) }

// LineItemStatuses returns the line item status codes, in code order. The
// slice is the caller's own.
func LineItemStatuses() []StatusInfo { return slices.Clone(lineItemStatuses) }

// TreatmentTypes returns the prescription treatment type codes, in code
// order. The slice is the caller's own.
func TreatmentTypes() []StatusInfo { return slices.Clone(treatmentTypes) }

// LookupPrescriptionStatus finds a prescription status by its code.
func LookupPrescriptionStatus(code string) (StatusInfo, bool) {
	return lookup(prescriptionStatuses, code)
}

// LookupLineItemStatus finds a line item status by its code.
func LookupLineItemStatus(code string) (StatusInfo, bool) {
	return lookup(lineItemStatuses, code)
}

// LookupTreatmentType finds a prescription treatment type by its code.
func LookupTreatmentType(code string) (StatusInfo, bool) {
	return lookup(treatmentTypes, code)
}

var prescriptionStatuses = []StatusInfo{
	{"0000", "Awaiting Release Ready", "not yet downloadable; will be when due", GroupFuture, "Not yet released"},
	{"0001", "To Be Dispensed", "on Spine, ready for any (or the nominated) dispenser to download", GroupCurrent, "Ready for a pharmacy to download"},
	{"0002", "With Dispenser", "downloaded by a dispenser", GroupCurrent, "With a pharmacy"},
	{"0003", "With Dispenser - Active", "partly dispensed", GroupCurrent, "Partly dispensed"},
	{"0004", "Expired", "expired without being fully dispensed", GroupPast, "Expired before it was dispensed"},
	{"0005", "Cancelled", "cancelled by the prescriber", GroupCurrent, "Cancelled by the prescriber"},
	{"0006", "Dispensed", "all items dispensed", GroupCurrent, "Dispensed"},
	{"0007", "Not Dispensed", "the dispenser marked it not dispensed", GroupPast, "Not dispensed"},
	{"0008", "Claimed", "dispensed and claimed for payment", GroupPast, "Dispensed and claimed"},
	{"0009", "No-Claimed", "dispensed, no claim made", GroupPast, "Dispensed, no claim made"},
	{"9000", "Repeat Dispense future instance", "a later repeat-dispensing issue, not yet released", GroupFuture, "Later repeat issue, not yet released"},
	{"9001", "Prescription future instance", "a future-dated prescription", GroupFuture, "Future-dated, not yet released"},
	{"9005", "Cancelled future instance", "a future issue that was cancelled", GroupFuture, "Future issue, cancelled"},
}

var lineItemStatuses = []StatusInfo{
	{Code: "0001", Text: "Item fully dispensed", Meaning: "the item was dispensed in full", Plain: "Dispensed"},
	{Code: "0002", Text: "Item not dispensed", Meaning: "the dispenser did not dispense the item", Plain: "Not dispensed"},
	{Code: "0003", Text: "Item dispensed - partial", Meaning: "part of the item was dispensed; the rest is still to come", Plain: "Partly dispensed"},
	{Code: "0004", Text: "Item not dispensed owing", Meaning: "the item is owed: the pharmacy will supply it later", Plain: "Owed, to be supplied later"},
	{Code: "0005", Text: "Item Cancelled", Meaning: "the prescriber cancelled the item", Plain: "Cancelled by the prescriber"},
	{Code: "0006", Text: "Expired", Meaning: "the item expired without being dispensed", Plain: "Expired"},
	{Code: "0007", Text: "To Be Dispensed", Meaning: "the item is waiting to be dispensed", Plain: "Waiting to be dispensed"},
	{Code: "0008", Text: "Item with dispenser", Meaning: "a pharmacy has downloaded the item and not yet dispensed it", Plain: "With a pharmacy"},
}

var treatmentTypes = []StatusInfo{
	{Code: "0001", Text: "Acute", Plain: "Acute"},
	{Code: "0002", Text: "Repeat Prescribing", Plain: "Repeat prescribing"},
	{Code: "0003", Text: "Repeat Dispensing", Plain: "Repeat dispensing"},
}

// validItemStatuses is Spine's table of the line item states allowed for each
// prescription state. 9005 has no published rule and is not checked.
var validItemStatuses = map[string]string{
	"0000": "0005 0006 0007",
	"0001": "0005 0006 0007",
	"9000": "0005 0006 0007",
	"9001": "0005 0006 0007",
	"0002": "0005 0006 0008",
	"0003": "0001 0002 0003 0004 0005 0006 0008",
	"0004": "0005 0006",
	"0005": "0005 0006",
	"0006": "0001 0002 0005 0006",
	"0008": "0001 0002 0005 0006",
	"0009": "0001 0002 0005 0006",
	"0007": "0002 0005 0006",
}

// ItemStatusAllowed reports whether a line item may be in state item while
// its prescription issue is in state prescription. known is false when Spine
// publishes no rule for that prescription state.
func ItemStatusAllowed(prescription, item string) (allowed, known bool) {
	set, ok := validItemStatuses[prescription]
	if !ok {
		return false, false
	}
	for f := range strings.FieldsSeq(set) {
		if f == item {
			return true, true
		}
	}
	return false, true
}

// PrescriptionType is one row of Spine's prescription type table.
type PrescriptionType struct {
	Code    string // four digits, e.g. "0101"
	Text    string // Spine's text
	Country string // England, Wales or Isle of Man
}

//go:embed prescription-types.tsv
var prescriptionTypesTSV string

// PrescriptionTypes returns every known prescription type code, in the order
// of Spine's table. The slice is the caller's own.
func PrescriptionTypes() []PrescriptionType { return slices.Clone(prescriptionTypes()) }

var prescriptionTypes = sync.OnceValue(func() []PrescriptionType {
	var types []PrescriptionType
	for i, line := range strings.Split(strings.TrimSpace(prescriptionTypesTSV), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if i == 0 || len(f) != 3 {
			continue // header
		}
		types = append(types, PrescriptionType{Code: f[0], Text: f[1], Country: f[2]})
	}
	return types
})

var prescriptionTypeIndex = sync.OnceValue(func() map[string]PrescriptionType {
	m := make(map[string]PrescriptionType)
	for _, t := range prescriptionTypes() {
		m[t.Code] = t
	}
	return m
})

// LookupPrescriptionType finds a prescription type by its four-digit code.
func LookupPrescriptionType(code string) (PrescriptionType, bool) {
	t, ok := prescriptionTypeIndex()[code]
	return t, ok
}

// PrescriptionStatusByText finds a prescription status by Spine's text,
// ignoring case, spaces around it and the wording differences seen between
// Spine services ("To be Dispensed", "No Claimed").
func PrescriptionStatusByText(text string) (StatusInfo, bool) {
	return lookupText(prescriptionStatuses, text)
}

func lookup(table []StatusInfo, code string) (StatusInfo, bool) {
	for _, s := range table {
		if s.Code == code {
			return s, true
		}
	}
	return StatusInfo{}, false
}

func lookupText(table []StatusInfo, text string) (StatusInfo, bool) {
	key := textKey(text)
	if key == "" {
		return StatusInfo{}, false
	}
	for _, s := range table {
		if textKey(s.Text) == key {
			return s, true
		}
	}
	return StatusInfo{}, false
}

// textKey reduces a status text to lower-case letters and digits, so that
// "With Dispenser - Active", "with dispenser-active" and "No-Claimed" /
// "No Claimed" compare equal.
func textKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
