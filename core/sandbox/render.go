package sandbox

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// Responses are written as Spine writes them: every value a string,
// booleans as "True"/"False", maps keyed "1", "2", … for lists, timestamps in
// UK local time. With quirks on, they also carry what real responses show:
// stray spaces in member names, bare numbers, truncated timestamps, status
// texts in other cases, and failed searches that answer "prescriptions".

// object writes one JSON object member by member.
type object struct {
	b      *bytes.Buffer
	quirks bool
	n      int
}

func open(b *bytes.Buffer, quirks bool) *object {
	b.WriteByte('{')
	return &object{b: b, quirks: quirks}
}

func (o *object) key(name string) {
	if o.n > 0 {
		o.b.WriteByte(',')
	}
	o.n++
	o.b.WriteString(strconv.Quote(name))
	o.b.WriteByte(':')
}

func (o *object) str(name, value string) *object {
	o.key(name)
	o.b.WriteString(strconv.Quote(value))
	return o
}

func (o *object) number(name string, n int) *object {
	if o.quirks {
		o.key(name)
		o.b.WriteString(strconv.Itoa(n)) // some services send bare numbers
		return o
	}
	return o.str(name, strconv.Itoa(n))
}

func (o *object) boolean(name string, v bool) *object {
	if v {
		return o.str(name, "True")
	}
	return o.str(name, "False")
}

func (o *object) timestamp(name string, t tracker.Timestamp) *object {
	s := tracker.SpineTimestamp(t.Time)
	if o.quirks && strings.HasSuffix(s, "0000") {
		s = s[:10] // truncated to the hour, as some responses are
	}
	return o.str(name, s)
}

func (o *object) date(name string, d tracker.Date) *object {
	if d.IsZero() {
		return o.str(name, "False")
	}
	return o.str(name, d.Compact())
}

func (o *object) code(name, codeName, textName, code, text string) *object {
	o.key(name)
	c := open(o.b, o.quirks)
	c.str(codeName, code)
	if o.quirks {
		text = strings.ToLower(text) // texts vary in case between services
	}
	c.str(textName, text)
	c.close()
	return o
}

// status writes a {statusCode, statusText} object, the text from lookup.
func (o *object) status(name, code string, lookup func(string) (tracker.StatusInfo, bool)) *object {
	s, _ := lookup(code)
	return o.code(name, "statusCode", "statusText", code, s.Text)
}

// treatment writes the prescriptionTreatmentType object of r.
func (o *object) treatment(r *record) *object {
	t, _ := tracker.LookupTreatmentType(r.treatment)
	return o.code("prescriptionTreatmentType", "prescriptionTreatmentTypeCode", "prescriptionTreatmentTypeText", r.treatment, t.Text)
}

func (o *object) child(name string) *object {
	o.key(name)
	return open(o.b, o.quirks)
}

func (o *object) close() { o.b.WriteByte('}') }

// spaced adds the stray spaces real responses put in some member names.
func spaced(name string, quirks bool) string {
	if quirks {
		return " " + name + " "
	}
	return name
}

func envelope(b *bytes.Buffer, code int, quirks bool) *object {
	o := open(b, quirks)
	o.str("statusCode", strconv.Itoa(code))
	o.str("reason", tracker.StatusReason(code))
	version := "1"
	if quirks {
		version = "1.0"
	}
	o.str("version", version)
	return o
}

// searchEntry writes one prescription of a search answer, as the value of
// its id in prescriptionList.
func searchEntry(b *bytes.Buffer, r *record, quirks bool) {
	o := open(b, quirks)
	o.treatment(r)
	o.timestamp("prescriptionIssueDate", tracker.Timestamp{Time: r.issued})
	o.boolean("pendingCancellations", r.pendingCancellations)
	o.timestamp("lastEventDate", tracker.Timestamp{Time: r.lastEvent})
	o.number("currentIssueNumber", r.currentIssue)
	o.str("patientNhsNumber", r.nhsNumber)
	issues := o.child(spaced("issues", quirks))
	for _, is := range r.issues {
		io := issues.child(strconv.Itoa(is.number))
		io.date("issueDate", is.date)
		io.status("prescriptionStatus", is.status, tracker.LookupPrescriptionStatus)
		items := io.child("lineItems")
		for _, it := range is.items {
			ito := items.child(strconv.Itoa(it.number))
			ito.status("status", it.status, tracker.LookupLineItemStatus)
			ito.close()
		}
		items.close()
		io.close()
	}
	issues.close()
	o.close()
}

// searchAnswer writes a successful search answer from pre-rendered entries.
func searchAnswer(b *bytes.Buffer, records []*record, entries map[string][]byte, quirks bool) {
	o := envelope(b, 0, quirks)
	list := o.child(spaced("prescriptionList", quirks))
	for _, r := range records {
		list.key(r.id)
		b.Write(entries[r.id])
	}
	list.close()
	o.close()
}

// refusal writes an answer with a non-zero status and an empty list member.
func refusal(b *bytes.Buffer, code int, search, quirks bool) {
	o := envelope(b, code, quirks)
	switch {
	case search && quirks:
		o.child("prescriptions").close()
	case search:
		o.child("prescriptionList").close()
	default:
		o.child("prescription").close()
	}
	o.close()
}

// retrieveAnswer writes a retrieve answer for one issue of r; with is nil
// (statusCode 3) the issue is left empty.
func retrieveAnswer(b *bytes.Buffer, r *record, is *issue, quirks bool) {
	code := 0
	if is == nil {
		code = 3
	}
	o := envelope(b, code, quirks)
	p := o.child("prescription")
	p.str(spaced("prescriptionId", quirks), r.id)
	p.str("patientNhsNumber", r.nhsNumber)
	t, _ := tracker.LookupPrescriptionType(r.typeCode)
	p.code("prescriptionType", "prescriptionTypeCode", "prescriptionTypeText", r.typeCode, t.Text)
	p.treatment(r)
	p.timestamp("signingDate", tracker.Timestamp{Time: r.signed})
	p.timestamp("lastEventDate", tracker.Timestamp{Time: r.lastEvent})
	p.number("currentIssueNumber", r.currentIssue)
	p.number("daysSupply", r.daysSupply)
	p.boolean("pendingCancellations", r.pendingCancellations)
	p.str("prescribingOrganisationODS", r.prescriber.ods)
	p.str("prescribingOrganisationName", r.prescriber.name)
	p.str("prescribingOrganisationContact", r.prescriber.contact)
	var nominated organisation
	if r.nominated != nil {
		nominated = *r.nominated
	}
	p.str("nominatedDispenserODS", nominated.ods)
	p.str("nominatedDispenserName", nominated.name)
	io := p.child(spaced("issue", quirks))
	if is != nil {
		io.number("issueNumber", is.number)
		io.status("prescriptionStatus", is.status, tracker.LookupPrescriptionStatus)
		io.boolean("appliedCancellations", is.appliedCancellations)
		var d organisation
		if is.dispenser != nil {
			d = *is.dispenser
		}
		io.str("dispensingOrganisationODS", d.ods)
		io.str("dispensingOrganisationName", d.name)
		io.str("dispensingOrganisationContact", d.contact)
		io.date("lastDispenseDate", is.lastDispense)
		items := io.child("lineItems")
		for _, it := range is.items {
			ito := items.child(strconv.Itoa(it.number))
			ito.str("id", it.id)
			ito.status("status", it.status, tracker.LookupLineItemStatus)
			ito.close()
		}
		items.close()
	}
	io.close()
	p.close()
	o.close()
}
