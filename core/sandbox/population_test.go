package sandbox

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// TestPopulationIsConsistent checks, for several seeds and dates, that every
// synthetic patient and prescription obeys Spine's rules and that, between
// them, they cover what clients must be tested against.
func TestPopulationIsConsistent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		seed  uint64
		today tracker.Date
	}{
		{0, tracker.Date{Year: 2026, Month: time.November, Day: 24}},
		{1, tracker.Date{Year: 2025, Month: time.March, Day: 30}}, // the day clocks go forward
		{42, tracker.Date{Year: 2024, Month: time.February, Day: 29}},
		{7, tracker.Date{Year: 2027, Month: time.October, Day: 31}},
	} {
		pop := generate(tc.seed, tc.today)
		start := tracker.StartOfDay(tc.today)
		statuses, treatments := map[string]bool{}, map[string]bool{}
		var recent, old, future, pending, long, courses int
		if len(pop.patients) < 25 {
			t.Errorf("only %d patients", len(pop.patients))
		}
		for _, p := range pop.patients {
			if !validate.ValidNHSNumber(p.NHSNumber) || !strings.HasPrefix(p.NHSNumber, "999") {
				t.Errorf("NHS number %s is not a valid test-range number", p.NHSNumber)
			}
			if p.Summary == "" || len(p.PrescriptionIDs) != len(pop.byNHS[p.NHSNumber]) {
				t.Errorf("patient %s: summary %q, %d ids", p.NHSNumber, p.Summary, len(p.PrescriptionIDs))
			}
			for _, r := range pop.byNHS[p.NHSNumber] {
				checkRecord(t, r)
				treatments[r.treatment] = true
				for _, is := range r.issues {
					statuses[is.status] = true
				}
				age := start.Sub(r.issued)
				switch {
				case r.issued.After(start.Add(24 * time.Hour)):
					future++
				case age < 28*24*time.Hour:
					recent++
				case age > 365*24*time.Hour:
					old++
				}
				if r.pendingCancellations {
					pending++
				}
				if r.long() {
					long++
				}
				if r.treatment == "0003" && len(r.issues) > 2 {
					courses++
				}
				if r.lastEvent.After(start) && !r.issued.After(start) {
					t.Errorf("%s: last event %v is after today", r.id, r.lastEvent)
				}
			}
		}
		for _, s := range tracker.PrescriptionStatuses() {
			if !statuses[s.Code] {
				t.Errorf("seed %d: no issue in status %s (%s)", tc.seed, s.Code, s.Text)
			}
		}
		for _, tt := range tracker.TreatmentTypes() {
			if !treatments[tt.Code] {
				t.Errorf("seed %d: no prescription of treatment type %s", tc.seed, tt.Code)
			}
		}
		if recent == 0 || old == 0 || future == 0 || pending == 0 || long == 0 || courses == 0 {
			t.Errorf("seed %d: recent %d, older than a year %d, future %d, pending cancellations %d, R1 %d, repeat dispensing courses %d",
				tc.seed, recent, old, future, pending, long, courses)
		}
	}
}

func checkRecord(t *testing.T, r *record) {
	t.Helper()
	if !validate.CheckCharacterMatches(r.id) {
		t.Errorf("%s: wrong check character", r.id)
	}
	if !r.long() && r.id[7:13] != strings.Repeat("0", 6-len(r.prescriber.ods))+r.prescriber.ods {
		t.Errorf("%s: the middle group is not the prescriber's ODS code %s", r.id, r.prescriber.ods)
	}
	if report := validate.Check(validate.Input{PrescriptionID: r.id}, now); !report.Valid() || len(report.Warnings) > 0 {
		t.Errorf("%s: %+v %+v", r.id, report.Errors, report.Warnings)
	}
	if _, ok := tracker.LookupPrescriptionType(r.typeCode); !ok {
		t.Errorf("%s: prescription type %s is not in the table", r.id, r.typeCode)
	}
	if !slices.Contains(r.prescriber.types, r.typeCode) {
		t.Errorf("%s: prescription type %s is not one %s issues", r.id, r.typeCode, r.prescriber.name)
	}
	if r.prescriber.name == "" || r.prescriber.contact == "" || r.nominated != nil && r.nominated.name == "" {
		t.Errorf("%s: organisations without names or numbers", r.id)
	}
	if r.signed.After(r.issued) && r.treatment != "0001" || r.lastEvent.Before(r.signed) {
		t.Errorf("%s: signed %v, issued %v, last event %v", r.id, r.signed, r.issued, r.lastEvent)
	}
	if r.current() == nil || r.current().number != r.currentIssue {
		t.Errorf("%s: current issue %d is not one of its issues", r.id, r.currentIssue)
	}
	for i, is := range r.issues {
		if is.number != i+1 || len(is.items) == 0 {
			t.Errorf("%s: issue %d of %d has %d items", r.id, is.number, i+1, len(is.items))
		}
		released := is.status != "9000" && is.status != "9005" && is.status != "0000"
		if released == is.date.IsZero() {
			t.Errorf("%s issue %d: status %s with issue date %q", r.id, is.number, is.status, is.date)
		}
		for _, it := range is.items {
			if allowed, known := tracker.ItemStatusAllowed(is.status, it.status); known && !allowed {
				t.Errorf("%s issue %d item %d: %s not allowed with %s", r.id, is.number, it.number, it.status, is.status)
			}
			if len(it.id) != 36 {
				t.Errorf("%s: line item id %q is not a GUID", r.id, it.id)
			}
		}
		dispensed := is.status == "0003" || is.status == "0006" || is.status == "0008" || is.status == "0009"
		if dispensed != !is.lastDispense.IsZero() || dispensed && is.dispenser == nil {
			t.Errorf("%s issue %d: status %s, last dispensed %q, dispenser %v", r.id, is.number, is.status, is.lastDispense, is.dispenser)
		}
	}
}

// TestSearchAndRetrieveAgree reads every patient's prescriptions through
// both queries, parsed as a client parses them, and compares them.
func TestSearchAndRetrieveAgree(t *testing.T) {
	t.Parallel()
	for _, quirks := range []bool{false, true} {
		s, c := setup(t, Config{Seed: 9, Quirks: quirks})
		for _, p := range s.Patients() {
			found := search(t, c, "format=trace-summary&nhsNumber="+p.NHSNumber+wide)
			if len(found.Prescriptions) != len(p.PrescriptionIDs) {
				t.Fatalf("%s: search found %d of %d", p.NHSNumber, len(found.Prescriptions), len(p.PrescriptionIDs))
			}
			for i, sum := range found.Prescriptions {
				if sum.ID != p.PrescriptionIDs[i] {
					t.Errorf("%s: prescription %d is %s, want %s (newest first)", p.NHSNumber, i, sum.ID, p.PrescriptionIDs[i])
				}
				if len(sum.Inconsistencies) > 0 {
					t.Errorf("%s: %+v", sum.ID, sum.Inconsistencies)
				}
				got := retrieve(t, c, escapeID(sum.ID), "format=trace")
				rp := got.Prescription
				if got.Err() != nil || rp == nil || rp.Issue == nil {
					t.Fatalf("%s: retrieve: %v", sum.ID, got.Err())
				}
				if rp.ID != sum.ID || rp.PatientNHSNumber != sum.PatientNHSNumber || rp.TreatmentType != sum.TreatmentType ||
					rp.CurrentIssueNumber != sum.CurrentIssueNumber || rp.PendingCancellations != sum.PendingCancellations ||
					!rp.LastEventDate.Equal(sum.LastEventDate.Time) || len(rp.Inconsistencies) > 0 {
					t.Errorf("%s: search %+v and retrieve %+v disagree", sum.ID, sum, rp)
				}
				cur := sum.Issues[sum.CurrentIssueNumber-1]
				if cur.Status != rp.Issue.Status || len(cur.LineItems) != len(rp.Issue.LineItems) {
					t.Errorf("%s: current issue %+v vs %+v", sum.ID, cur, rp.Issue)
				}
				for j := range cur.LineItems {
					if cur.LineItems[j].Status != rp.Issue.LineItems[j].Status {
						t.Errorf("%s item %d: %v vs %v", sum.ID, j+1, cur.LineItems[j].Status, rp.Issue.LineItems[j].Status)
					}
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	day := tracker.Date{Year: 2026, Month: time.November, Day: 24}
	a, b, c := generate(3, day), generate(3, day), generate(4, day)
	if !reflect.DeepEqual(a.patients, b.patients) {
		t.Error("the same seed and date made different patients")
	}
	if reflect.DeepEqual(a.patients, c.patients) {
		t.Error("different seeds made the same patients")
	}
}

// TestSummarizeGroups checks that a patient's summary tabs prescriptions by
// the tracker's rule: one whose current issue has a status Spine does not
// document, or that has no issues, is current.
func TestSummarizeGroups(t *testing.T) {
	t.Parallel()
	records := []*record{
		{id: "A", currentIssue: 1, issues: []issue{{number: 1, status: "0008"}, {number: 2, status: "9000"}}},
		{id: "B", currentIssue: 2, issues: []issue{{number: 1, status: "0008"}, {number: 2, status: "9000"}}},
		{id: "C", currentIssue: 1, issues: []issue{{number: 1, status: "7777"}}},
		{id: "D", currentIssue: 1},
	}
	want := "4 prescriptions: 2 current, 1 future, 1 past"
	if got := summarize("9990000000", records).Summary; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// TestPopulationMadeOnFirstUse: New makes no population, so that a host
// starting with the sandbox does not wait for it; the first use makes the
// one of the day New was called, however far the clock has moved since.
func TestPopulationMadeOnFirstUse(t *testing.T) {
	if allocs := testing.AllocsPerRun(10, func() { New(Config{Seed: 1, Now: func() time.Time { return now }}) }); allocs > 20 {
		t.Errorf("New makes %v allocations: it makes the population", allocs)
	}
	clock := now
	s := New(Config{Seed: 1, Now: func() time.Time { return clock }})
	clock = now.Add(72 * time.Hour)
	want := New(Config{Seed: 1, Today: tracker.LondonDate(now), Now: func() time.Time { return now }}).Patients()
	if diff := cmp.Diff(want, s.Patients()); diff != "" {
		t.Errorf("patients made after the clock moved on (-made by New's day +made on first use):\n%s", diff)
	}
	if s.Today() != tracker.LondonDate(now) {
		t.Errorf("Today() = %v, want New's day %v", s.Today(), tracker.LondonDate(now))
	}
}
