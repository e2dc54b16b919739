package tracker

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

// ParseSearch parses the body of a search response (format=trace-summary).
//
// It returns a *ParseError when the body is not a tracker response at all: an
// HTML error page, truncated or malformed JSON, or JSON of the wrong shape.
// Any tracker response parses without error, whatever its statusCode; call
// the response's Err method for Spine's verdict. Quirks of real responses
// (stray spaces in member names, "True"/"False" strings, numbers as strings,
// maps where lists are meant, truncated timestamps, unknown members) are
// absorbed; values that break Spine's rules are reported on each
// prescription's Inconsistencies.
func ParseSearch(body []byte) (*SearchResponse, error) {
	resp := &SearchResponse{}
	var sawList bool
	err := parseEnvelope(body, &resp.StatusCode, &resp.Reason, &resp.Version, func(r *reader, key []byte) (bool, error) {
		switch string(key) {
		case "prescriptionlist", "prescriptions":
			sawList = true
			_, err := r.optionalObject("prescriptionList", func(id []byte) error {
				s, err := r.summary(string(bytes.TrimSpace(id)))
				if err == nil {
					resp.Prescriptions = append(resp.Prescriptions, s)
				}
				return err
			})
			return true, err
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == 0 && !sawList {
		return nil, &ParseError{Problem: ProblemShape, Offset: -1, Detail: "a successful search answer has no prescriptionList member"}
	}
	if resp.Prescriptions == nil {
		resp.Prescriptions = []Summary{}
	}
	slices.SortStableFunc(resp.Prescriptions, newestFirst)
	return resp, nil
}

// ParseRetrieve parses the body of a retrieve response (format=trace). It
// behaves as ParseSearch does; with statusCode 3 (issue not found) the
// prescription is returned without its issue.
func ParseRetrieve(body []byte) (*RetrieveResponse, error) {
	resp := &RetrieveResponse{}
	err := parseEnvelope(body, &resp.StatusCode, &resp.Reason, &resp.Version, func(r *reader, key []byte) (bool, error) {
		switch string(key) {
		case "prescription", "prescriptions":
			if r.peek() != '{' {
				_, err := r.optionalObject("prescription", nil)
				return true, err
			}
			p, err := r.prescription()
			if err == nil && (p.ID != "" || p.PatientNHSNumber != "") {
				resp.Prescription = p
			}
			return true, err
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if (resp.StatusCode == 0 || resp.StatusCode == 3) && resp.Prescription == nil {
		return nil, &ParseError{Problem: ProblemShape, Offset: -1, Detail: "a successful retrieve answer has no prescription in it"}
	}
	return resp, nil
}

// parseEnvelope reads the top-level object: the status members itself, and
// every other member through body, which reports whether it consumed it.
func parseEnvelope(data []byte, code *int, reason, version *string, body func(r *reader, key []byte) (bool, error)) error {
	r := &reader{b: data}
	switch c := r.peek(); {
	case c == 0 && r.i >= len(data):
		return &ParseError{Problem: ProblemEmpty, Offset: -1, Detail: "the body is empty"}
	case c == '<':
		return &ParseError{Problem: ProblemHTML, Offset: -1, Detail: "the body is an HTML page (typically an error page from a proxy or gateway), not JSON"}
	case c == '[':
		if err := r.skip(); err != nil {
			return err
		}
		return &ParseError{Problem: ProblemShape, Offset: -1, Detail: "the body is a JSON array, not a JSON object"}
	case c != '{':
		if err := r.skip(); err != nil {
			return err
		}
		return &ParseError{Problem: ProblemShape, Offset: -1, Detail: "the body is a single JSON value, not a JSON object"}
	}
	var sawStatus bool
	var k keyBuf
	err := r.members(func(raw []byte) error {
		key := k.normal(raw)
		switch string(key) {
		case "statuscode":
			at := r.i
			v, kind, err := r.scalar()
			if err != nil {
				return err
			}
			n, ok := intValue(v, kind)
			if !ok {
				return &ParseError{Problem: ProblemShape, Offset: at, Detail: "statusCode is not a number"}
			}
			*code, sawStatus = n, true
			return nil
		case "reason":
			*reason = r.text()
			return r.err()
		case "version":
			*version = r.text()
			return r.err()
		}
		if used, err := body(r, key); used || err != nil {
			return err
		}
		return r.skip()
	})
	if err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	if !sawStatus {
		return &ParseError{Problem: ProblemShape, Offset: -1, Detail: "the JSON object has no statusCode member"}
	}
	if *code == 0 {
		*reason = ""
	} else if *reason == "" {
		*reason = StatusReason(*code)
	}
	return nil
}

// optionalObject reads a member that should be an object of objects, calling
// entry for each of its members. An empty value ({}, [], "", "False", null)
// is accepted as no entries; ok reports whether the value was an object.
func (r *reader) optionalObject(name string, entry func(key []byte) error) (ok bool, err error) {
	at := r.i
	switch r.peek() {
	case '{':
		if entry == nil {
			entry = func([]byte) error { return r.skip() }
		}
		return true, r.members(entry)
	case '[':
		n := 0
		if err := r.elements(func(int) error { n++; return r.skip() }); err != nil {
			return false, err
		}
		if n == 0 {
			return false, nil
		}
	default:
		v, kind, err := r.scalar()
		if err != nil {
			return false, err
		}
		if kind == kindNull || kind == kindFalse || kind == kindString && (len(v) == 0 || isFalse(v)) {
			return false, nil
		}
	}
	return false, &ParseError{Problem: ProblemShape, Offset: at, Detail: name + " is not a JSON object"}
}

// notObject reports that what should be an object is not, or that the body
// ended where it should have started.
func (r *reader) notObject(what string) *ParseError {
	if r.peek() == 0 && r.i >= len(r.b) {
		return r.unexpected("JSON object")
	}
	return r.fail(ProblemShape, "%s is not a JSON object", what)
}

// summary reads one entry of a search's prescriptionList.
func (r *reader) summary(id string) (Summary, error) {
	s := Summary{ID: id}
	var c checker
	var k keyBuf
	if r.peek() != '{' {
		return s, r.notObject("an entry of prescriptionList")
	}
	err := r.members(func(raw []byte) error {
		switch string(k.normal(raw)) {
		case "prescriptionid":
			if v := r.text(); s.ID == "" {
				s.ID = v
			}
		case "patientnhsnumber":
			s.PatientNHSNumber = r.text()
		case "prescriptiontreatmenttype":
			s.TreatmentType = r.code()
		case "prescriptionissuedate":
			s.IssueDate = r.timestamp(&c, "prescriptionIssueDate")
		case "lasteventdate":
			s.LastEventDate = r.timestamp(&c, "lastEventDate")
		case "pendingcancellations":
			s.PendingCancellations = r.boolean()
		case "currentissuenumber":
			s.CurrentIssueNumber = r.integer(&c, "currentIssueNumber")
		case "issues":
			return r.numbered("issues", func(n int) error {
				is, err := r.issue(n, &c)
				s.Issues = append(s.Issues, is)
				return err
			})
		default:
			return r.skip()
		}
		return r.err()
	})
	if err != nil {
		return s, err
	}
	s.TreatmentType = fill(s.TreatmentType, treatmentTypes)
	slices.SortStableFunc(s.Issues, func(a, b Issue) int { return cmp.Compare(a.Number, b.Number) })
	if s.Issues == nil {
		s.Issues = []Issue{}
	}
	for i := range s.Issues {
		c.issue(s.Issues[i].Number, s.Issues[i].Status, s.Issues[i].LineItems)
	}
	s.Inconsistencies = c.found
	return s, nil
}

func (r *reader) issue(number int, c *checker) (Issue, error) {
	is := Issue{Number: number}
	var k keyBuf
	if r.peek() != '{' {
		return is, r.notObject("an issue")
	}
	err := r.members(func(raw []byte) error {
		switch string(k.normal(raw)) {
		case "issuedate":
			is.IssueDate = r.date(c, "issueDate")
		case "prescriptionstatus":
			is.Status = r.code()
		case "issuenumber":
			if n := r.integer(c, "issueNumber"); is.Number == 0 {
				is.Number = n
			}
		case "lineitems":
			items, err := r.lineItems(c)
			is.LineItems = items
			return err
		default:
			return r.skip()
		}
		return r.err()
	})
	is.Status = fill(is.Status, prescriptionStatuses)
	if is.LineItems == nil {
		is.LineItems = []LineItem{}
	}
	return is, err
}

func (r *reader) lineItems(c *checker) ([]LineItem, error) {
	var items []LineItem
	err := r.numbered("lineItems", func(n int) error {
		li := LineItem{Number: n}
		var k keyBuf
		if r.peek() != '{' {
			return r.notObject("a line item")
		}
		err := r.members(func(raw []byte) error {
			switch string(k.normal(raw)) {
			case "id", "lineitemid":
				li.ID = r.text()
			case "status", "lineitemstatus":
				li.Status = r.code()
			case "lineitemnumber", "number":
				if n := r.integer(c, "lineItemNumber"); li.Number == 0 {
					li.Number = n
				}
			default:
				return r.skip()
			}
			return r.err()
		})
		li.Status = fill(li.Status, lineItemStatuses)
		items = append(items, li)
		return err
	})
	slices.SortStableFunc(items, func(a, b LineItem) int { return cmp.Compare(a.Number, b.Number) })
	return items, err
}

// prescription reads the prescription member of a retrieve response.
func (r *reader) prescription() (*Prescription, error) {
	p := &Prescription{}
	var c checker
	var k keyBuf
	var prescriber, nominated, dispenser Organisation
	err := r.members(func(raw []byte) error {
		switch string(k.normal(raw)) {
		case "prescriptionid":
			p.ID = r.text()
		case "patientnhsnumber":
			p.PatientNHSNumber = r.text()
		case "prescriptiontype":
			p.Type = r.code()
		case "prescriptiontreatmenttype":
			p.TreatmentType = r.code()
		case "prescriptionissuedate":
			p.IssueDate = r.timestamp(&c, "prescriptionIssueDate")
		case "signingdate":
			p.SigningDate = r.timestamp(&c, "signingDate")
		case "lasteventdate":
			p.LastEventDate = r.timestamp(&c, "lastEventDate")
		case "currentissuenumber":
			p.CurrentIssueNumber = r.integer(&c, "currentIssueNumber")
		case "dayssupply":
			p.DaysSupply = r.integer(&c, "daysSupply")
		case "pendingcancellations":
			p.PendingCancellations = r.boolean()
		case "prescribingorganisationods":
			prescriber.ODS = r.text()
		case "prescribingorganisationname":
			prescriber.Name = r.text()
		case "prescribingorganisationcontact":
			prescriber.Contact = r.text()
		case "nominateddispenserods":
			nominated.ODS = r.text()
		case "nominateddispensername":
			nominated.Name = r.text()
		case "nominateddispensercontact":
			nominated.Contact = r.text()
		case "issue":
			d, err := r.issueDetail(&c, &dispenser)
			p.Issue = d
			return err
		default:
			return r.skip()
		}
		return r.err()
	})
	if err != nil {
		return p, err
	}
	p.Type = fillType(p.Type)
	p.TreatmentType = fill(p.TreatmentType, treatmentTypes)
	p.Prescriber = orgOrNil(prescriber)
	p.NominatedDispenser = orgOrNil(nominated)
	if p.Issue != nil {
		p.Issue.Dispenser = orgOrNil(dispenser)
		c.issue(p.Issue.Number, p.Issue.Status, p.Issue.LineItems)
	}
	p.Inconsistencies = c.found
	return p, nil
}

func (r *reader) issueDetail(c *checker, dispenser *Organisation) (*IssueDetail, error) {
	if r.peek() != '{' {
		_, err := r.optionalObject("issue", nil)
		return nil, err
	}
	d := &IssueDetail{}
	var k keyBuf
	members := 0
	err := r.members(func(raw []byte) error {
		members++
		switch string(k.normal(raw)) {
		case "issuenumber":
			d.Number = r.integer(c, "issueNumber")
		case "prescriptionstatus":
			d.Status = r.code()
		case "appliedcancellations":
			d.AppliedCancellations = r.boolean()
		case "dispensingorganisationods":
			dispenser.ODS = r.text()
		case "dispensingorganisationname":
			dispenser.Name = r.text()
		case "dispensingorganisationcontact":
			dispenser.Contact = r.text()
		case "lastdispensedate":
			d.LastDispenseDate = r.date(c, "lastDispenseDate")
		case "lineitems":
			items, err := r.lineItems(c)
			d.LineItems = items
			return err
		default:
			return r.skip()
		}
		return r.err()
	})
	if err != nil || members == 0 {
		return nil, err
	}
	d.Status = fill(d.Status, prescriptionStatuses)
	if d.LineItems == nil {
		d.LineItems = []LineItem{}
	}
	return d, nil
}

// numbered reads a member that is a list in meaning: an object keyed "1",
// "2", … (Spine's usual form) or an array. Entries are passed their number:
// the key, or the position counted from 1 in an array.
func (r *reader) numbered(name string, entry func(n int) error) error {
	switch r.peek() {
	case '{':
		return r.members(func(key []byte) error {
			n, _ := strconv.Atoi(string(bytes.TrimSpace(key)))
			return entry(max(n, 0))
		})
	case '[':
		return r.elements(func(i int) error { return entry(i + 1) })
	}
	_, err := r.optionalObject(name, nil)
	return err
}

// The scalar readers below are tolerant: a value of the wrong kind reads as
// missing. They keep a syntax error in r.pending, collected by r.err, so the
// member switches stay flat.

// text reads a text member. "False", which Spine sends in members that have
// no value, reads as absent, as it does in every member.
func (r *reader) text() string {
	v, kind, ok := r.scalarOK()
	if !ok {
		return ""
	}
	switch kind {
	case kindString, kindNumber:
		v = bytes.TrimSpace(v)
		if isFalse(v) {
			return ""
		}
		if s, ok := interned()[string(v)]; ok {
			return s // no allocation for the codes and texts every body repeats
		}
		return string(v)
	}
	return ""
}

// interned holds the codes and texts of Spine's tables, so that the many
// copies of them in a body share one string each.
var interned = sync.OnceValue(func() map[string]string {
	m := map[string]string{"": ""}
	for _, table := range [][]StatusInfo{prescriptionStatuses, lineItemStatuses, treatmentTypes} {
		for _, s := range table {
			m[s.Code], m[s.Text] = s.Code, s.Text
		}
	}
	for _, t := range prescriptionTypes() {
		m[t.Code] = t.Code
	}
	for _, s := range []string{"1", "2", "3", "4", "Acute Prescription", "Item Fully Dispensed", "Item With Dispenser"} {
		m[s] = s
	}
	return m
})

func (r *reader) boolean() bool {
	v, kind, ok := r.scalarOK()
	if !ok {
		return false
	}
	switch kind {
	case kindTrue:
		return true
	case kindString:
		switch string(bytes.ToLower(bytes.TrimSpace(v))) {
		case "true", "yes", "y", "1":
			return true
		}
	case kindNumber:
		return string(v) == "1"
	}
	return false
}

func (r *reader) integer(c *checker, field string) int {
	v, kind, ok := r.scalarOK()
	if !ok || kind == kindNull {
		return 0
	}
	n, ok := intValue(v, kind)
	if !ok {
		if !(kind == kindString && (len(bytes.TrimSpace(v)) == 0 || isFalse(v))) {
			c.add(Inconsistency{Field: field, Message: field + " is not a whole number"})
		}
		return 0
	}
	return n
}

// timestamp reads a UK local timestamp, yyyymmddhhmmss or a truncation of it
// down to yyyymmdd, as the instant it names.
func (r *reader) timestamp(c *checker, field string) *Timestamp {
	v, kind, ok := r.scalarOK()
	if !ok || kind != kindString && kind != kindNumber {
		return nil
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || isFalse(v) {
		return nil
	}
	t, ok := parseTimestamp(v)
	if !ok {
		c.add(Inconsistency{Field: field, Message: field + " is not a date and time Spine uses (yyyymmddhhmmss)"})
		return nil
	}
	return &Timestamp{t}
}

// date reads a date, yyyymmdd; a longer timestamp is cut to its date.
func (r *reader) date(c *checker, field string) Date {
	v, kind, ok := r.scalarOK()
	if !ok || kind != kindString && kind != kindNumber {
		return Date{}
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || isFalse(v) {
		return Date{}
	}
	if len(v) > 8 && len(v) <= 14 && ascii.Digits(v) {
		v = v[:8]
	}
	d, ok := ParseCompactDate(string(v))
	if !ok {
		c.add(Inconsistency{Field: field, Message: field + " is not a date Spine uses (yyyymmdd)"})
	}
	return d
}

// code reads a {…Code, …Text} object (statusCode/statusText,
// prescriptionTypeCode/prescriptionTypeText, …) or a bare code.
func (r *reader) code() Code {
	var c Code
	if r.peek() != '{' {
		c.Code = normalCode(r.text())
		return c
	}
	var k keyBuf
	r.pending = r.members(func(raw []byte) error {
		key := k.normal(raw)
		switch {
		case bytes.HasSuffix(key, []byte("code")):
			c.Code = normalCode(r.text())
		case bytes.HasSuffix(key, []byte("text")):
			c.Text = r.text()
		default:
			return r.skip()
		}
		return r.err()
	})
	return c
}

func (r *reader) scalarOK() ([]byte, scalarKind, bool) {
	v, kind, err := r.scalar()
	if err != nil {
		r.pending = err
		return nil, 0, false
	}
	return v, kind, true
}

// err returns and clears the error kept by a tolerant scalar reader.
func (r *reader) err() error {
	err := r.pending
	r.pending = nil
	return err
}

func intValue(v []byte, kind scalarKind) (int, bool) {
	if kind != kindString && kind != kindNumber {
		return 0, false
	}
	n := ascii.Atoi(bytes.TrimSpace(v))
	if n < 0 {
		return 0, false
	}
	return n, true
}

func isFalse(v []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(v), []byte("false"))
}

// parseTimestamp reads yyyymmdd[hh[mm[ss]]] in UK local time.
func parseTimestamp(v []byte) (time.Time, bool) {
	if len(v) < 8 || len(v) > 14 || len(v)%2 != 0 || !ascii.Digits(v) {
		return time.Time{}, false
	}
	var f [14]byte
	copy(f[:], "00000000000000")
	copy(f[:], v)
	y, mo, d := ascii.Atoi(f[0:4]), ascii.Atoi(f[4:6]), ascii.Atoi(f[6:8])
	h, mi, sec := ascii.Atoi(f[8:10]), ascii.Atoi(f[10:12]), ascii.Atoi(f[12:14])
	if !validDate(y, mo, d) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	return londonWallClock(y, time.Month(mo), d, h, mi, sec), true
}

// normalCode pads numeric codes to Spine's four digits ("1" → "0001").
func normalCode(s string) string {
	if len(s) > 0 && len(s) < 4 && ascii.Digits(s) {
		return "0000"[len(s):] + s
	}
	return s
}

// fill completes a code from its table: the text when Spine sent none, or
// the code when Spine sent only a text.
func fill(c Code, table []StatusInfo) Code {
	switch {
	case c.Code != "" && c.Text == "":
		if s, ok := lookup(table, c.Code); ok {
			c.Text = s.Text
		}
	case c.Code == "" && c.Text != "":
		if s, ok := lookupText(table, c.Text); ok {
			c.Code = s.Code
		}
	}
	return c
}

func fillType(c Code) Code {
	if c.Code != "" && c.Text == "" {
		if t, ok := LookupPrescriptionType(c.Code); ok {
			c.Text = t.Text
		}
	}
	return c
}

func orgOrNil(o Organisation) *Organisation {
	if o == (Organisation{}) {
		return nil
	}
	return &o
}

func newestFirst(a, b Summary) int {
	switch {
	case a.IssueDate == nil && b.IssueDate == nil:
	case a.IssueDate == nil:
		return 1
	case b.IssueDate == nil:
		return -1
	default:
		if c := b.IssueDate.Compare(a.IssueDate.Time); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.ID, b.ID)
}

// keyBuf turns a member name into its lookup form: spaces around it
// removed, lower case. Names longer than the buffer match nothing.
type keyBuf [48]byte

func (k *keyBuf) normal(raw []byte) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) > len(k) {
		return nil
	}
	for i, c := range raw {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		k[i] = c
	}
	return k[:len(raw)]
}
