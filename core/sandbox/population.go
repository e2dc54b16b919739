package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// Patient is one synthetic patient, as `eps-tracker sandbox patients` lists
// them: enough to know what to search for.
type Patient struct {
	NHSNumber       string   `json:"nhsNumber"`
	PrescriptionIDs []string `json:"prescriptionIds"` // newest issue date first
	Summary         string   `json:"summary"`
}

// organisation is a synthetic prescriber or dispenser. A prescriber names
// the prescription types its prescribers issue, the usual one first, so
// that a prescription's type, its prescriber and the country they are in
// agree; a dispenser names none.
type organisation struct {
	ods, name, contact string
	types              []string
}

// Synthetic organisations. The names say they are not real; the telephone
// numbers are from the ranges Ofcom keeps for drama.
var (
	prescribers = []organisation{
		{"Y90211", "ELM TREE SURGERY (SANDBOX)", "0113 496 0142", []string{"0101", "0104", "0108", "0125", "0102"}},
		{"Y90302", "RIVERSIDE MEDICAL CENTRE (SANDBOX)", "0114 496 0321", []string{"0101", "0104", "0108", "0125", "0102"}},
		{"Y91875", "HILLTOP HEALTH CENTRE (SANDBOX)", "0115 496 0555", []string{"0101", "0104", "0108", "0125", "0102"}},
		{"A83008", "MARKET STREET PRACTICE (SANDBOX)", "0191 498 0117", []string{"0101", "0104", "0108", "0125", "0102"}},
		{"RTH", "CITY GENERAL HOSPITAL (SANDBOX)", "020 7946 0123", []string{"0406", "0004"}},
		{"V0X26", "BAY VIEW DENTAL PRACTICE (SANDBOX)", "029 2018 0733", []string{"0707"}}, // a dentist in Wales
	}
	pharmacies = []organisation{
		{"FQ821", "BROOKSIDE PHARMACY (SANDBOX)", "0113 496 0987", nil},
		{"FX105", "HIGH STREET CHEMIST (SANDBOX)", "0114 496 0876", nil},
		{"FA2K7", "STATION ROAD PHARMACY (SANDBOX)", "0115 496 0765", nil},
		{"FV316", "ONLINE DISPENSARY (SANDBOX)", "0121 496 0654", nil},
	}
)

// record is one synthetic prescription with everything a search or a
// retrieve shows of it.
type record struct {
	id                   string
	nhsNumber            string
	typeCode             string
	treatment            string
	issued               time.Time // prescriptionIssueDate
	signed               time.Time
	lastEvent            time.Time
	currentIssue         int
	daysSupply           int
	pendingCancellations bool
	prescriber           organisation
	nominated            *organisation
	issues               []issue
}

type issue struct {
	number               int
	date                 tracker.Date // zero for an issue not yet released
	status               string
	dispenser            *organisation
	lastDispense         tracker.Date
	appliedCancellations bool
	items                []item
}

type item struct {
	number int
	id     string // a GUID
	status string
}

// long reports whether the id is in the long (R1) form.
func (r *record) long() bool { return len(r.id) > 20 }

// current returns the current issue, by the tracker's rule, or nil for a
// record without issues.
func (r *record) current() *issue {
	i := tracker.CurrentIssueIndex(r.issues, r.currentIssue, issue.key)
	if i < 0 {
		return nil
	}
	return &r.issues[i]
}

// key gives what the tracker's current-issue rule reads of an issue.
func (is issue) key() (number int, status string) { return is.number, is.status }

// scenario makes one prescription of a kind. Between them, the scenarios
// cover every prescription status and every treatment type.
type scenario func(g *generator, p *record)

var coverage = []scenario{
	acute("0006", 3, 25),    // dispensed in the last 28 days
	acute("0001", 1, 6),     // to be dispensed
	acute("0002", 1, 4),     // with dispenser
	acute("0003", 2, 10),    // partly dispensed
	acute("0004", 200, 400), // expired
	acute("0005", 5, 60),    // cancelled
	acute("0007", 30, 90),   // not dispensed
	acute("0008", 60, 700),  // claimed
	acute("0009", 40, 300),  // dispensed, no claim
	repeatPrescribing("0008", 30, 600),
	repeatDispensing(6, false),
	futureDated,
	pendingCancellation,
	repeatDispensing(4, true), // cancelled course: future issues 9005
	awaitingRelease,
	legacyR1,
}

var extras = []scenario{
	acute("0008", 30, 720), acute("0008", 90, 700), acute("0009", 30, 500), acute("0006", 2, 20),
	acute("0001", 1, 10), acute("0004", 190, 700), repeatPrescribing("0008", 20, 700),
	repeatPrescribing("0006", 2, 25), repeatPrescribing("0002", 1, 3), repeatDispensing(3, false),
	acute("0007", 10, 400), legacyR1,
}

// generator makes the population deterministically from a seed and a date.
type generator struct {
	rng   *rand.Rand
	today tracker.Date
	used  map[string]bool
}

// population is every synthetic patient and their prescriptions.
type population struct {
	patients []Patient
	byNHS    map[string][]*record // newest issue date first
	byID     map[string]*record
}

// patientCount is how many patients the sandbox makes, besides one with no
// prescriptions at all.
const patientCount = 30

func generate(seed uint64, today tracker.Date) *population {
	g := &generator{rng: rand.New(rand.NewPCG(seed, 0x5eed)), today: today, used: map[string]bool{}}
	pop := &population{byNHS: map[string][]*record{}, byID: map[string]*record{}}
	for i := 0; i <= patientCount; i++ {
		nhs := g.nhsNumber()
		var kinds []scenario
		switch {
		case i == patientCount: // a patient with no prescriptions
		case i == patientCount-1: // a patient with a long history
			for range 40 {
				kinds = append(kinds, extras[g.rng.IntN(len(extras))])
			}
		default:
			kinds = append(kinds, coverage[(2*i)%len(coverage)], coverage[(2*i+1)%len(coverage)])
			for range g.rng.IntN(7) {
				kinds = append(kinds, extras[g.rng.IntN(len(extras))])
			}
		}
		var records []*record
		for _, make := range kinds {
			r := g.record(nhs)
			make(g, r)
			g.finish(r)
			records = append(records, r)
			pop.byID[r.id] = r
		}
		slices.SortStableFunc(records, func(a, b *record) int { return b.issued.Compare(a.issued) })
		pop.byNHS[nhs] = records
		pop.patients = append(pop.patients, summarize(nhs, records))
	}
	return pop
}

// nhsNumber returns a new valid NHS number from the 999 test range.
func (g *generator) nhsNumber() string {
	for {
		first9 := fmt.Sprintf("999%06d", g.rng.IntN(1_000_000))
		d, ok := validate.NHSCheckDigit(first9)
		if n := first9 + string(rune('0'+d)); ok && !g.used[n] {
			g.used[n] = true
			return n
		}
	}
}

// record starts a prescription with the parts every scenario shares.
func (g *generator) record(nhs string) *record {
	kind := g.prescriptionType()
	p := &record{
		nhsNumber:    nhs,
		daysSupply:   []int{7, 28, 28, 28, 56, 84}[g.rng.IntN(6)],
		prescriber:   prescribers[g.rng.IntN(len(prescribers))],
		currentIssue: 1,
	}
	p.typeCode = p.prescriber.types[kind%len(p.prescriber.types)]
	if g.rng.IntN(3) > 0 {
		p.nominated = &pharmacies[g.rng.IntN(len(pharmacies))]
	}
	p.id = g.shortID(p.prescriber.ods)
	return p
}

// prescriptionType picks which of its prescriber's types a prescription
// is, as an index into the prescriber's list: the usual one half of the
// time. (It draws as it always has, so that every id the population makes
// stays the same.)
func (g *generator) prescriptionType() int {
	if g.rng.IntN(2) == 0 {
		return 0
	}
	return g.rng.IntN(len(tracker.PrescriptionTypes()))
}

// shortID makes an R2 id: hex, the prescriber's ODS code padded to six, hex,
// and the check character.
func (g *generator) shortID(ods string) string {
	for {
		body := fmt.Sprintf("%06X-%s%s-%05X", g.rng.IntN(1<<24), strings.Repeat("0", 6-len(ods)), ods, g.rng.IntN(1<<20))
		c, _ := validate.CheckCharacter(body)
		if id := body + string(c); !g.used[id] {
			g.used[id] = true
			return id
		}
	}
}

// longID makes an R1 id: an upper-case GUID and the check character.
func (g *generator) longID() string {
	body := strings.ToUpper(g.guid())
	c, _ := validate.CheckCharacter(body)
	return body + string(c)
}

func (g *generator) guid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	b = b&^(0xc000<<48) | 0x8000<<48 // variant
	a = a&^0xf000 | 0x4000           // version 4
	return fmt.Sprintf("%08X-%04X-%04X-%04X-%012X", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// at returns an instant daysAgo days before today (after, when negative), in
// working hours. A quarter of them fall on the hour, which Spine sometimes
// writes truncated.
func (g *generator) at(daysAgo int) time.Time {
	d := g.today.AddDays(-daysAgo)
	h, m, s := 8+g.rng.IntN(10), g.rng.IntN(60), g.rng.IntN(60)
	if g.rng.IntN(4) == 0 {
		m, s = 0, 0
	}
	return tracker.LondonWallClock(d, h, m, s)
}

func (g *generator) between(minDays, maxDays int) int {
	return minDays + g.rng.IntN(maxDays-minDays+1)
}

// newIssue makes an issue in a status, with line items in states Spine
// allows for it.
func (g *generator) newIssue(number int, date tracker.Date, status string, items int, p *record) issue {
	is := issue{number: number, date: date, status: status}
	for n := 1; n <= items; n++ {
		is.items = append(is.items, item{number: n, id: g.guid(), status: itemStatus(status, n, items)})
	}
	switch status {
	case "0002", "0003", "0006", "0007", "0008", "0009":
		if p.nominated != nil {
			is.dispenser = p.nominated
		} else {
			is.dispenser = &pharmacies[g.rng.IntN(len(pharmacies))]
		}
	}
	switch status {
	case "0003", "0006", "0008", "0009":
		last := date.AddDays(g.rng.IntN(3))
		if !last.Before(g.today) {
			last = g.today.AddDays(-1)
		}
		is.lastDispense = last
	case "0005", "9005":
		is.appliedCancellations = true
	}
	return is
}

// itemStatus gives line item n of count a state allowed for the issue's.
func itemStatus(status string, n, count int) string {
	switch status {
	case "0002":
		return "0008"
	case "0003":
		return []string{"0001", "0003", "0004", "0008"}[min(n-1, 3)]
	case "0004":
		return "0006"
	case "0005", "9005":
		return "0005"
	case "0006", "0008", "0009":
		if count >= 3 && n == count {
			return "0002" // one item the patient did not need
		}
		return "0001"
	case "0007":
		return "0002"
	}
	return "0007" // 0000, 0001, 9000, 9001: waiting to be dispensed
}

// finish works out what follows from the issues: the last event and the
// signing time.
func (g *generator) finish(p *record) {
	if p.signed.IsZero() {
		p.signed = p.issued.Add(-time.Duration(1+g.rng.IntN(120)) * time.Minute)
	}
	p.lastEvent = p.issued
	for _, is := range p.issues {
		for _, d := range []tracker.Date{is.date, is.lastDispense} {
			if d.IsZero() {
				continue
			}
			if t := tracker.LondonWallClock(d, 17, 30, 0); t.After(p.lastEvent) {
				p.lastEvent = t
			}
		}
	}
	if p.lastEvent.Before(p.issued) || p.issued.After(tracker.StartOfDay(g.today)) {
		p.lastEvent = p.signed // a future-dated prescription: nothing has happened since signing
	}
}

func acute(status string, minDays, maxDays int) scenario {
	return func(g *generator, p *record) {
		p.treatment = "0001"
		p.issued = g.at(g.between(minDays, maxDays))
		p.issues = []issue{g.newIssue(1, tracker.LondonDate(p.issued), status, 1+g.rng.IntN(4), p)}
	}
}

func repeatPrescribing(status string, minDays, maxDays int) scenario {
	return func(g *generator, p *record) {
		acute(status, minDays, maxDays)(g, p)
		p.treatment = "0002"
	}
}

// repeatDispensing makes a course of n issues, 28 days apart, the current
// one released recently and the later ones still to come. A cancelled course
// has its current issue cancelled and its later ones cancelled with it.
func repeatDispensing(n int, cancelled bool) scenario {
	return func(g *generator, p *record) {
		p.treatment = "0003"
		released := 2 + g.rng.IntN(n-2) // issues 1..released have been released; n > released
		start := 28*(released-1) + g.between(1, 10)
		p.issued = g.at(start)
		p.currentIssue = released
		items := 1 + g.rng.IntN(3)
		first := tracker.LondonDate(p.issued)
		for k := 1; k <= n; k++ {
			date := first.AddDays(28 * (k - 1))
			var status string
			switch {
			case k < released:
				status = []string{"0008", "0009", "0006"}[g.rng.IntN(3)]
			case k == released && cancelled:
				status = "0005"
			case k == released:
				status = []string{"0001", "0002", "0006"}[g.rng.IntN(3)]
			case cancelled:
				status, date = "9005", tracker.Date{}
			default:
				status, date = "9000", tracker.Date{}
			}
			p.issues = append(p.issues, g.newIssue(k, date, status, items, p))
		}
	}
}

// awaitingRelease is a repeat dispensing course whose next issue is due
// within days: Awaiting Release Ready.
func awaitingRelease(g *generator, p *record) {
	repeatDispensing(4, false)(g, p)
	for i := range p.issues {
		if p.issues[i].status == "9000" {
			p.issues[i].status = "0000"
			break
		}
	}
}

// futureDated is a prescription signed now to be dispensed later.
func futureDated(g *generator, p *record) {
	p.treatment = "0001"
	p.issued = g.at(-g.between(5, 40))
	p.signed = g.at(g.between(1, 3))
	p.issues = []issue{g.newIssue(1, tracker.LondonDate(p.issued), "9001", 1+g.rng.IntN(2), p)}
}

// pendingCancellation is with a dispenser when the prescriber asked for it
// to be cancelled.
func pendingCancellation(g *generator, p *record) {
	acute("0002", 1, 5)(g, p)
	p.pendingCancellations = true
}

// legacyR1 is an old prescription with a long (R1) id.
func legacyR1(g *generator, p *record) {
	acute("0008", 400, 720)(g, p)
	delete(g.used, p.id)
	p.id = g.longID()
}

// summarize describes a patient's prescriptions in one line.
func summarize(nhs string, records []*record) Patient {
	pt := Patient{NHSNumber: nhs, PrescriptionIDs: []string{}}
	if len(records) == 0 {
		pt.Summary = "no prescriptions"
		return pt
	}
	groups := map[tracker.Group]int{}
	var notes []string
	note := func(s string) {
		if !slices.Contains(notes, s) {
			notes = append(notes, s)
		}
	}
	for _, r := range records {
		pt.PrescriptionIDs = append(pt.PrescriptionIDs, r.id)
		groups[tracker.CurrentGroup(r.issues, r.currentIssue, issue.key)]++
		if r.treatment == "0003" {
			note("repeat dispensing")
		}
		if r.pendingCancellations {
			note("pending cancellation")
		}
		if r.long() {
			note("R1 (long) id")
		}
	}
	pt.Summary = fmt.Sprintf("%d prescription%s: %d current, %d future, %d past", len(records),
		map[bool]string{true: "", false: "s"}[len(records) == 1], groups[tracker.GroupCurrent], groups[tracker.GroupFuture], groups[tracker.GroupPast])
	if len(notes) > 0 {
		pt.Summary += "; " + strings.Join(notes, ", ")
	}
	return pt
}
