package tracker

import (
	"bytes"
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

// ParseSearch parses the body of a search response (format=trace-summary).
//
// It returns a *ParseError when the body is not a tracker response at all: an
// HTML error page, an XML document, truncated or malformed JSON, or JSON of
// the wrong shape, such as a member that holds a text where this API sends an
// object, or an object where it sends a text; the error names the member. Any
// tracker response parses without error, whatever its statusCode; call the
// response's Err method for Spine's verdict. Quirks of real responses (stray
// spaces in member names, "True"/"False" strings, "False", "" or null in a
// member that has no value, numbers as strings, maps where lists are meant,
// truncated timestamps, unknown members) are absorbed; values of the right
// type that cannot be read or that break Spine's rules (a date that does not
// exist, a line item state not allowed for its prescription's state) are
// reported on each prescription's Inconsistencies.
func ParseSearch(body []byte) (*SearchResponse, error) {
	resp := &SearchResponse{}
	var sawList bool
	err := parseEnvelope(body, &resp.StatusCode, &resp.Reason, &resp.Version, func(r *reader, key []byte) (bool, error) {
		switch string(key) {
		case "prescriptionlist", "prescriptions":
			sawList = true
			err := r.object("prescriptionList", func(id []byte) error {
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
				return true, r.noObject("prescription")
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

// ParseStatus reads only the status envelope of a response body, of a
// search or a retrieve, and returns its statusCode: cheaper than a full
// parse where only Spine's verdict is wanted, as by a gateway that records
// it. The rest of the body is only checked to be JSON. A body that is not a
// tracker response is a *ParseError, as for ParseSearch.
func ParseStatus(body []byte) (int, error) {
	var code int
	var reason, version string
	err := parseEnvelope(body, &code, &reason, &version, func(*reader, []byte) (bool, error) { return false, nil })
	return code, err
}

// parseEnvelope reads the top-level object: the status members itself, and
// every other member through body, which reports whether it consumed it.
func parseEnvelope(data []byte, code *int, reason, version *string, body func(r *reader, key []byte) (bool, error)) error {
	r := &reader{b: data}
	switch c := r.peek(); {
	case c == 0 && r.i >= len(data):
		return &ParseError{Problem: ProblemEmpty, Offset: -1, Detail: "the body is empty"}
	case c == '<':
		return markup(data[r.i:])
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
			if kind == kindObject || kind == kindArray || kind == kindTrue {
				return wrongType(at, "statusCode", "", kind, wantNumber)
			}
			n, ok := intValue(v, kind)
			if !ok {
				return &ParseError{Problem: ProblemShape, Offset: at, Detail: "statusCode is not a number"}
			}
			*code, sawStatus = n, true
			return nil
		case "reason":
			*reason = r.text("reason")
			return r.err()
		case "version":
			*version = r.text("version")
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

// What a member holds, as the messages about a value of the wrong JSON type
// say it.
const (
	wantObject    = "an object"
	wantString    = "a string"
	wantNumber    = "a number"
	wantDate      = "a date"
	wantTimestamp = "a date and time"
	wantBoolean   = "True or False"
)

// wrongType reports a member whose value is of a JSON type this API never
// sends there: a text where an object belongs, an object where a text does.
// part, when not "", names the part of the member ("code", "text").
func wrongType(at int, name, part string, kind scalarKind, want string) *ParseError {
	if part != "" {
		name = "the " + part + " in " + name
	}
	return &ParseError{Problem: ProblemShape, Offset: at,
		Detail: name + " is " + kind.String() + " where " + want + " is expected"}
}

// isAbsent reports whether a scalar is one of the ways Spine says a member
// has no value: null, false, "" or "False".
func isAbsent(v []byte, kind scalarKind) bool {
	switch kind {
	case kindNull, kindFalse:
		return true
	case kindString:
		v = bytes.TrimSpace(v)
		return len(v) == 0 || isFalse(v)
	}
	return false
}

// object reads a member that should be an object, calling member for each of
// its members, or reads its absence as no members (see noObject).
func (r *reader) object(name string, member func(key []byte) error) error {
	if r.peek() == '{' {
		return r.members(member)
	}
	return r.noObject(name)
}

// noObject reads a value that stands where the object name belongs. An
// absent value (null, false, "", "False" or an empty array) is nothing; any
// other is a *ParseError naming the member.
func (r *reader) noObject(name string) error {
	c := r.peek()
	at := r.i
	if c == '[' {
		n := 0
		if err := r.elements(func(int) error { n++; return r.skip() }); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return wrongType(at, name, "", kindArray, wantObject)
	}
	v, kind, err := r.scalar()
	if err != nil {
		return err
	}
	if isAbsent(v, kind) {
		return nil
	}
	return wrongType(at, name, "", kind, wantObject)
}

// notEntry reads a value that stands where an entry of list, an object,
// belongs: a *ParseError, unless the body ends first.
func (r *reader) notEntry(list string) error {
	r.peek()
	at := r.i
	_, kind, err := r.scalar()
	if err != nil {
		return err
	}
	return wrongType(at, "an entry of "+list, "", kind, wantObject)
}

// summary reads one entry of a search's prescriptionList.
func (r *reader) summary(id string) (Summary, error) {
	s := Summary{ID: id}
	var c checker
	var k keyBuf
	if r.peek() != '{' {
		return s, r.notEntry("prescriptionList")
	}
	err := r.members(func(raw []byte) error {
		switch string(k.normal(raw)) {
		case "prescriptionid":
			if v := r.text("prescriptionId"); s.ID == "" {
				s.ID = v
			}
		case "patientnhsnumber":
			s.PatientNHSNumber = r.text("patientNhsNumber")
		case "prescriptiontreatmenttype":
			s.TreatmentType = r.code("prescriptionTreatmentType")
		case "prescriptionissuedate":
			s.IssueDate = r.timestamp(&c, "prescriptionIssueDate")
		case "lasteventdate":
			s.LastEventDate = r.timestamp(&c, "lastEventDate")
		case "pendingcancellations":
			s.PendingCancellations = r.boolean(&c, "pendingCancellations")
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
		return is, r.notEntry("issues")
	}
	err := r.members(func(raw []byte) error {
		switch string(k.normal(raw)) {
		case "issuedate":
			is.IssueDate = r.date(c, "issueDate")
		case "prescriptionstatus":
			is.Status = r.code("prescriptionStatus")
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
			return r.notEntry("lineItems")
		}
		err := r.members(func(raw []byte) error {
			switch string(k.normal(raw)) {
			case "id", "lineitemid":
				li.ID = r.text("id")
			case "status", "lineitemstatus":
				li.Status = r.code("status")
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
			p.ID = r.text("prescriptionId")
		case "patientnhsnumber":
			p.PatientNHSNumber = r.text("patientNhsNumber")
		case "prescriptiontype":
			p.Type = r.code("prescriptionType")
		case "prescriptiontreatmenttype":
			p.TreatmentType = r.code("prescriptionTreatmentType")
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
			p.PendingCancellations = r.boolean(&c, "pendingCancellations")
		case "prescribingorganisationods":
			prescriber.ODS = r.text("prescribingOrganisationODS")
		case "prescribingorganisationname":
			prescriber.Name = r.text("prescribingOrganisationName")
		case "prescribingorganisationcontact":
			prescriber.Contact = r.text("prescribingOrganisationContact")
		case "nominateddispenserods":
			nominated.ODS = r.text("nominatedDispenserODS")
		case "nominateddispensername":
			nominated.Name = r.text("nominatedDispenserName")
		case "nominateddispensercontact":
			nominated.Contact = r.text("nominatedDispenserContact")
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
		return nil, r.noObject("issue")
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
			d.Status = r.code("prescriptionStatus")
		case "appliedcancellations":
			d.AppliedCancellations = r.boolean(c, "appliedCancellations")
		case "dispensingorganisationods":
			dispenser.ODS = r.text("dispensingOrganisationODS")
		case "dispensingorganisationname":
			dispenser.Name = r.text("dispensingOrganisationName")
		case "dispensingorganisationcontact":
			dispenser.Contact = r.text("dispensingOrganisationContact")
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
			return entry(max(ascii.Atoi(bytes.TrimSpace(key)), 0))
		})
	case '[':
		return r.elements(func(i int) error { return entry(i + 1) })
	}
	return r.noObject(name)
}

// The scalar readers below read a member of the JSON type it should have,
// tolerating Spine's quirks: "False", "", null or false where there is no
// value, numbers as strings and strings as numbers. A value of a type the
// member never has (an object or an array, or true where no boolean belongs)
// is a *ParseError naming the member; a value of the right type that cannot
// be read is an Inconsistency. They keep an error in r.pending, collected by
// r.err, so the member switches stay flat.

// value reads a scalar member name (or its part, see wrongType) whose value
// should be want. ok is false, and r.pending holds the error, when the body
// is not JSON there or the value is of the wrong type.
func (r *reader) value(name, part, want string) (v []byte, kind scalarKind, ok bool) {
	at := r.i
	v, kind, err := r.scalar()
	if err == nil && (kind == kindObject || kind == kindArray || kind == kindTrue && want != wantBoolean) {
		err = wrongType(at, name, part, kind, want)
	}
	if err != nil {
		r.pending = err
		return nil, 0, false
	}
	return v, kind, true
}

// text reads a text member.
func (r *reader) text(name string) string { return r.textPart(name, "") }

// textPart reads a text member, or the code or text part of a coded member.
func (r *reader) textPart(name, part string) string {
	v, kind, ok := r.value(name, part, wantString)
	if !ok || isAbsent(v, kind) {
		return ""
	}
	v = bytes.TrimSpace(v)
	if s, ok := interned()[string(v)]; ok {
		return s // no allocation for the codes and texts every body repeats
	}
	return string(v)
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

// boolean reads "True" or "False" (or true, false, "Yes", "No", 1, 0).
func (r *reader) boolean(c *checker, name string) bool {
	v, kind, ok := r.value(name, "", wantBoolean)
	if !ok || isAbsent(v, kind) {
		return false
	}
	if kind == kindTrue {
		return true
	}
	v = bytes.TrimSpace(v)
	for _, w := range [...]string{"true", "yes", "y", "1"} {
		if bytes.EqualFold(v, []byte(w)) {
			return true
		}
	}
	for _, w := range [...]string{"no", "n", "0"} {
		if bytes.EqualFold(v, []byte(w)) {
			return false
		}
	}
	c.add(Inconsistency{Field: name, Message: name + " is neither True nor False"})
	return false
}

func (r *reader) integer(c *checker, name string) int {
	v, kind, ok := r.value(name, "", wantNumber)
	if !ok || isAbsent(v, kind) {
		return 0
	}
	n, ok := intValue(v, kind)
	if !ok {
		c.add(Inconsistency{Field: name, Message: name + " is not a whole number"})
		return 0
	}
	return n
}

// timestamp reads a UK local timestamp, yyyymmddhhmmss or a truncation of it
// down to yyyymmdd, as the instant it names.
func (r *reader) timestamp(c *checker, name string) *Timestamp {
	v, kind, ok := r.value(name, "", wantTimestamp)
	if !ok || isAbsent(v, kind) {
		return nil
	}
	t, ok := parseTimestamp(bytes.TrimSpace(v))
	if !ok {
		c.add(Inconsistency{Field: name, Message: name + " is not a date and time Spine uses (yyyymmddhhmmss)"})
		return nil
	}
	return &Timestamp{t}
}

// date reads a date, yyyymmdd; a longer timestamp is cut to its date.
func (r *reader) date(c *checker, name string) Date {
	v, kind, ok := r.value(name, "", wantDate)
	if !ok || isAbsent(v, kind) {
		return Date{}
	}
	v = bytes.TrimSpace(v)
	if len(v) > 8 && len(v) <= 14 && ascii.Digits(v) {
		v = v[:8]
	}
	d, ok := ParseCompactDate(string(v))
	if !ok {
		c.add(Inconsistency{Field: name, Message: name + " is not a date Spine uses (yyyymmdd)"})
	}
	return d
}

// code reads a {…Code, …Text} object (statusCode/statusText,
// prescriptionTypeCode/prescriptionTypeText, …). Its code is Spine's, its
// text Spine's words as sent; an absent value is the zero Code.
func (r *reader) code(name string) Code {
	var c Code
	var k keyBuf
	r.pending = r.object(name, func(raw []byte) error {
		key := k.normal(raw)
		switch {
		case bytes.HasSuffix(key, []byte("code")):
			c.Code = normalCode(r.textPart(name, "code"))
		case bytes.HasSuffix(key, []byte("text")):
			c.Text = r.textPart(name, "text")
		default:
			return r.skip()
		}
		return r.err()
	})
	return c
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
