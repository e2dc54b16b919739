package tracker

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Set UPDATE_GOLDEN=1 to rewrite testdata/golden from the parser's output;
// review the diff before committing it.
var updateGolden = os.Getenv("UPDATE_GOLDEN") != ""

func readBody(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bodies", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseByName(name string, body []byte) (any, error) {
	if strings.HasPrefix(name, "retrieve") {
		return ParseRetrieve(body)
	}
	return ParseSearch(body)
}

// TestGolden parses every tracker response in testdata/bodies and compares
// the normalised JSON with testdata/golden.
func TestGolden(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob("testdata/bodies/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range names {
		name := filepath.Base(path)
		if strings.HasPrefix(name, "not-") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			resp, err := parseByName(name, readBody(t, name))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			got, err := json.MarshalIndent(resp, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name)
			if updateGolden {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestNotTrackerResponses checks that bodies that are not tracker responses
// become a *ParseError saying what was wrong, and never quote the body.
func TestNotTrackerResponses(t *testing.T) {
	t.Parallel()
	const (
		search   = "search"
		retrieve = "retrieve"
	)
	entry := func(members string) string {
		return `{"statusCode":"0","prescriptionList":{"4E7A19-Y99104-2C5D0P":{"patientNhsNumber":"9990000123",` + members + `}}}`
	}
	issue := func(members string) string {
		return entry(`"issues":{"1":{` + members + `}}`)
	}
	prescription := func(members string) string {
		return `{"statusCode":"0","prescription":{"prescriptionId":"4E7A19-Y99104-2C5D0P","patientNhsNumber":"9990000123",` + members + `}}`
	}
	tests := []struct {
		name   string
		body   string
		want   ParseProblem
		only   string // search or retrieve, when only one of the two parsers is checked
		detail string // what the Detail must say, when it matters
	}{
		{name: "empty", body: "", want: ProblemEmpty},
		{name: "white space", body: " \r\n\t", want: ProblemEmpty},
		{name: "html page", want: ProblemHTML, detail: "an HTML page"},
		{name: "html page with a doctype", body: "<!DOCTYPE html>\n<html lang=en><title>Service Unavailable</title></html>", want: ProblemHTML, detail: "an HTML page"},
		{name: "html page in capitals", body: "\r\n<HTML><HEAD><TITLE>Error</TITLE></HEAD></HTML>", want: ProblemHTML, detail: "an HTML page"},
		{name: "html page with an old doctype", body: `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html></html>`, want: ProblemHTML, detail: "an HTML page"},
		{name: "html page without its html tag", body: "<title>504 Gateway Time-out</title><h1>Gateway Time-out</h1>", want: ProblemHTML, detail: "an HTML page"},
		{name: "html page that is only a body", body: "<body>Forbidden</body>", want: ProblemHTML, detail: "an HTML page"},
		{name: "xhtml page", body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">` + "\n" +
			`<html xmlns="http://www.w3.org/1999/xhtml"><body>Bad Gateway</body></html>`, want: ProblemHTML, detail: "an HTML page"},
		{name: "xhtml page without a doctype", body: `<?xml version="1.0"?><!-- error --><html xmlns="http://www.w3.org/1999/xhtml"></html>`, want: ProblemHTML, detail: "an HTML page"},
		{name: "markup of no kind", body: "< 3", want: ProblemHTML, detail: "an HTML page"},
		{name: "xml soap fault", want: ProblemXML, detail: "an XML document"},
		{name: "xml without a declaration", body: `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body/></S:Envelope>`, want: ProblemXML, detail: "an XML document"},
		{name: "xml declaration in single quotes", body: "<?xml version='1.0' encoding='UTF-8'?>\n\t<Error><Code>AccessDenied</Code></Error>", want: ProblemXML, detail: "an XML document"},
		{name: "xml after a comment", body: "<!-- served by a test double -->\n<fault><reason>unknown</reason></fault>", want: ProblemXML, detail: "an XML document"},
		{name: "xml with a doctype", body: `<!DOCTYPE note SYSTEM "note.dtd"><note/>`, want: ProblemXML, detail: "an XML document"},
		{name: "xml whose root starts like html", body: `<htmlReport><status>failed</status></htmlReport>`, want: ProblemXML, detail: "an XML document"},
		{name: "xml declaration alone", body: `<?xml version="1.0"?>`, want: ProblemXML, detail: "an XML document"},
		{name: "xml declaration cut off", body: `<?xml version="1.0"`, want: ProblemXML, detail: "an XML document"},
		{name: "truncated", want: ProblemTruncated},
		{name: "array", want: ProblemShape},
		{name: "no statusCode", want: ProblemShape},
		{name: "list of the wrong type", want: ProblemShape, only: search, detail: "prescriptionList is an array where an object is expected"},
		{name: "another interface's summary", want: ProblemShape, only: search,
			detail: "prescriptionTreatmentType is a string where an object is expected"},
		{name: "bare string", body: `"statusCode"`, want: ProblemShape},
		{name: "bare number", body: `0`, want: ProblemShape},
		{name: "trailing data", body: `{"statusCode":"0","prescriptionList":{}} {}`, want: ProblemSyntax},
		{name: "single quotes", body: `{'statusCode':'0'}`, want: ProblemSyntax},
		{name: "statusCode not a number", body: `{"statusCode":"zero","prescriptionList":{}}`, want: ProblemShape, detail: "statusCode is not a number"},
		{name: "statusCode an object", body: `{"statusCode":{},"prescriptionList":{}}`, want: ProblemShape,
			detail: "statusCode is an object where a number is expected"},
		{name: "reason an object", body: `{"statusCode":"1","reason":{"text":"Not found"},"prescriptionList":{}}`, want: ProblemShape,
			detail: "reason is an object where a string is expected"},
		{name: "version an array", body: `{"statusCode":"1","version":["1"],"prescriptionList":{}}`, want: ProblemShape,
			detail: "version is an array where a string is expected"},
		{name: "success without a list", body: `{"statusCode":"0","reason":""}`, want: ProblemShape, only: search},
		{name: "list a string", body: `{"statusCode":"0","prescriptionList":"4E7A19-Y99104-2C5D0P"}`, want: ProblemShape, only: search,
			detail: "prescriptionList is a string where an object is expected"},
		{name: "entry not an object", body: `{"statusCode":"0","prescriptionList":{"X":"Y"}}`, want: ProblemShape, only: search,
			detail: "an entry of prescriptionList is a string where an object is expected"},
		{name: "treatment type a bare code", body: entry(`"prescriptionTreatmentType":"0001"`), want: ProblemShape, only: search,
			detail: "prescriptionTreatmentType is a string where an object is expected"},
		{name: "treatment type a number", body: entry(`"prescriptionTreatmentType":1`), want: ProblemShape, only: search,
			detail: "prescriptionTreatmentType is a number where an object is expected"},
		{name: "NHS number an object", body: entry(`"patientNhsNumber":{"value":"9990000123"}`), want: ProblemShape, only: search,
			detail: "patientNhsNumber is an object where a string is expected"},
		{name: "NHS number true", body: entry(`"patientNhsNumber":true`), want: ProblemShape, only: search,
			detail: "patientNhsNumber is true where a string is expected"},
		{name: "issue number an object", body: entry(`"currentIssueNumber":{"n":1}`), want: ProblemShape, only: search,
			detail: "currentIssueNumber is an object where a number is expected"},
		{name: "issue number true", body: entry(`"currentIssueNumber":true`), want: ProblemShape, only: search,
			detail: "currentIssueNumber is true where a number is expected"},
		{name: "timestamp an array", body: entry(`"lastEventDate":["20251002"]`), want: ProblemShape, only: search,
			detail: "lastEventDate is an array where a date and time is expected"},
		{name: "boolean an object", body: entry(`"pendingCancellations":{"value":"True"}`), want: ProblemShape, only: search,
			detail: "pendingCancellations is an object where True or False is expected"},
		{name: "issues a number", body: entry(`"issues":3`), want: ProblemShape, only: search,
			detail: "issues is a number where an object is expected"},
		{name: "issues of strings", body: entry(`"issues":["a"]`), want: ProblemShape, only: search,
			detail: "an entry of issues is a string where an object is expected"},
		{name: "issue null", body: entry(`"issues":{"1":null}`), want: ProblemShape, only: search,
			detail: "an entry of issues is null where an object is expected"},
		{name: "status a bare code", body: issue(`"prescriptionStatus":"0001"`), want: ProblemShape, only: search,
			detail: "prescriptionStatus is a string where an object is expected"},
		{name: "status a bare text", body: issue(`"prescriptionStatus":"Claimed"`), want: ProblemShape, only: search,
			detail: "prescriptionStatus is a string where an object is expected"},
		{name: "status code an object", body: issue(`"prescriptionStatus":{"statusCode":{"code":"0001"}}`), want: ProblemShape, only: search,
			detail: "the code in prescriptionStatus is an object where a string is expected"},
		{name: "status text an array", body: issue(`"prescriptionStatus":{"statusCode":"0001","statusText":["To Be Dispensed"]}`), want: ProblemShape, only: search,
			detail: "the text in prescriptionStatus is an array where a string is expected"},
		{name: "issue date an object", body: issue(`"issueDate":{"date":"20251002"}`), want: ProblemShape, only: search,
			detail: "issueDate is an object where a date is expected"},
		{name: "line items a string", body: issue(`"lineItems":"2"`), want: ProblemShape, only: search,
			detail: "lineItems is a string where an object is expected"},
		{name: "line item a string", body: issue(`"lineItems":{"6F1C2A90-3B7E-4D15-8E4A-0C9B2D7F5A13":"Ibuprofen 200mg tablets"}`), want: ProblemShape, only: search,
			detail: "an entry of lineItems is a string where an object is expected"},
		{name: "line item status a number", body: issue(`"lineItems":{"1":{"status":7}}`), want: ProblemShape, only: search,
			detail: "status is a number where an object is expected"},
		{name: "prescription a string", body: `{"statusCode":"0","prescription":"4E7A19-Y99104-2C5D0P"}`, want: ProblemShape, only: retrieve,
			detail: "prescription is a string where an object is expected"},
		{name: "issue a string", body: prescription(`"issue":"2"`), want: ProblemShape, only: retrieve,
			detail: "issue is a string where an object is expected"},
		{name: "prescription type a bare code", body: prescription(`"prescriptionType":"0101"`), want: ProblemShape, only: retrieve,
			detail: "prescriptionType is a string where an object is expected"},
		{name: "days' supply an array", body: prescription(`"daysSupply":[28]`), want: ProblemShape, only: retrieve,
			detail: "daysSupply is an array where a number is expected"},
		{name: "prescriber an object", body: prescription(`"prescribingOrganisationODS":{"ods":"Y99104"}`), want: ProblemShape, only: retrieve,
			detail: "prescribingOrganisationODS is an object where a string is expected"},
		{name: "dispenser an object", body: prescription(`"issue":{"dispensingOrganisationName":{"name":"X"}}`), want: ProblemShape, only: retrieve,
			detail: "dispensingOrganisationName is an object where a string is expected"},
		{name: "line item id an array", body: prescription(`"issue":{"lineItems":{"1":{"id":["5D3F8A21"]}}}`), want: ProblemShape, only: retrieve,
			detail: "id is an array where a string is expected"},
		{name: "applied cancellations an array", body: prescription(`"issue":{"appliedCancellations":["False"]}`), want: ProblemShape, only: retrieve,
			detail: "appliedCancellations is an array where True or False is expected"},
		{name: "control character", body: "{\"statusCode\":\"0\x01\"}", want: ProblemSyntax},
		{name: "bad escape", body: `{"statusCode":"\x"}`, want: ProblemSyntax},
		{name: "bad number", body: `{"statusCode":01}`, want: ProblemSyntax},
		{name: "reason missing its value", body: `{"statusCode":"0","reason":,"version":"1","prescriptionList":{}}`, want: ProblemSyntax},
		{name: "version cut short", body: `{"statusCode":"0","version":tru,"prescriptionList":{}}`, want: ProblemSyntax},
		{name: "cut in a literal", body: `{"statusCode":"0","prescriptionList":{},"x":tru`, want: ProblemTruncated},
		{name: "cut after a key", body: `{"statusCode"`, want: ProblemTruncated},
		{name: "too deep", body: `{"statusCode":"0","x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, want: ProblemShape},
	}
	files := map[string]string{
		"html page":                   "not-html.html",
		"xml soap fault":              "not-xml.xml",
		"truncated":                   "not-truncated.json",
		"array":                       "not-array.json",
		"no statusCode":               "not-shape.json",
		"list of the wrong type":      "not-wrongtype.json",
		"another interface's summary": "not-item-summary.json",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tt.body)
			if f, ok := files[tt.name]; ok {
				body = readBody(t, f)
			}
			for _, kind := range []string{search, retrieve} {
				var err error
				if kind == search {
					_, err = ParseSearch(body)
				} else {
					_, err = ParseRetrieve(body)
				}
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: err = %v, want a *ParseError", kind, err)
				}
				if leak := quoted(body, err.Error()); leak != "" {
					t.Errorf("%s: error %q quotes the body: %q", kind, err, leak)
				}
				if tt.only != "" && tt.only != kind {
					continue // a body only the other parser can tell apart
				}
				if pe.Problem != tt.want {
					t.Errorf("%s: problem = %q (%v), want %q", kind, pe.Problem, pe, tt.want)
				}
				if !strings.Contains(pe.Detail, tt.detail) {
					t.Errorf("%s: detail = %q, want it to say %q", kind, pe.Detail, tt.detail)
				}
			}
		})
	}
}

// quoted returns a string value or an id of body, six characters or longer,
// that appears in msg; or "" when msg quotes none.
func quoted(body []byte, msg string) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	var walk func(v any) string
	walk = func(v any) string {
		switch v := v.(type) {
		case string:
			if len(v) >= 6 && strings.Contains(msg, v) {
				return v
			}
		case []any:
			for _, e := range v {
				if s := walk(e); s != "" {
					return s
				}
			}
		case map[string]any:
			for k, e := range v {
				if len(k) >= 6 && strings.ContainsAny(k, "0123456789") && strings.Contains(msg, k) { // an id, not a member name
					return k
				}
				if s := walk(e); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return walk(v)
}

// TestEveryTruncationIsAnError cuts a real body at every byte: each prefix
// must be reported as a parse error, never parsed as if it were whole.
func TestEveryTruncationIsAnError(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"search-quirks.json", "retrieve-quirks.json", "search-false-absent.json", "retrieve-false-absent.json", "search-status-texts.json"} {
		body := bytes.TrimSpace(readBody(t, name))
		for n := 0; n < len(body); n++ {
			_, err := parseByName(name, body[:n])
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%s cut at %d: err = %v, want a *ParseError", name, n, err)
			}
			if pe.Problem != ProblemTruncated && pe.Problem != ProblemEmpty {
				t.Fatalf("%s cut at %d: problem %q (%v), want truncated", name, n, pe.Problem, pe)
			}
		}
	}
}

func TestQuirks(t *testing.T) {
	t.Parallel()
	body := `{
	 "version" : "1.0",
	 " prescriptionList ": {
	  "C0C757-A83008-C2D93O": {
	   "unknown": {"nested": [1, 2.5e3, true, null, {"a": "\u00e9\ud83d\ude00"}]},
	   " issues": {
	    "10": {"issueDate": "False", "prescriptionStatus": {"statusCode": "9000"}, "lineItems": {}},
	    "2":  {"issueDate": "20250610", "prescriptionStatus": {" statusText ": "with dispenser"},
	           "lineItems": {"10": {"status": {"statusCode": 8}}, "2": {"status": {"statusCode": "0005", "statusText": "item CANCELLED"}}}},
	    "1":  {"issueDate": "2025050112", "prescriptionStatus": {"statusCode": "0006", "statusText": "DISPENSED"}, "lineItems": []}
	   },
	   "pendingCancellations": "True",
	   "currentIssueNumber": 2,
	   "prescriptionIssueDate": "2025050112",
	   "lastEventDate": "False",
	   "prescriptionTreatmentType": {"prescriptionTreatmentTypeCode": "3"},
	   "patientNhsNumber": " 9434765919 "
	  }
	 },
	 "reason": "",
	 "statusCode" : 0
	}`
	resp, err := ParseSearch([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Prescriptions) != 1 {
		t.Fatalf("got %d prescriptions", len(resp.Prescriptions))
	}
	p := resp.Prescriptions[0]
	if p.ID != "C0C757-A83008-C2D93O" || p.PatientNHSNumber != "9434765919" || !p.PendingCancellations || p.CurrentIssueNumber != 2 {
		t.Errorf("prescription = %+v", p)
	}
	if p.TreatmentType != (Code{"0003", "Repeat Dispensing"}) {
		t.Errorf("treatment type = %+v", p.TreatmentType)
	}
	if p.IssueDate == nil || p.IssueDate.Format(timestampLayout) != "2025-05-01T12:00:00+01:00" || p.LastEventDate != nil {
		t.Errorf("dates = %v, %v", p.IssueDate, p.LastEventDate)
	}
	var numbers []int
	for _, is := range p.Issues {
		numbers = append(numbers, is.Number)
	}
	if diff := cmp.Diff([]int{1, 2, 10}, numbers); diff != "" {
		t.Errorf("issue order (-want +got):\n%s", diff)
	}
	two := p.Issues[1]
	if two.Status != (Code{"0002", "with dispenser"}) || two.IssueDate.String() != "2025-06-10" {
		t.Errorf("issue 2 = %+v", two)
	}
	if len(two.LineItems) != 2 || two.LineItems[0].Number != 2 || two.LineItems[1].Status != (Code{"0008", "Item with dispenser"}) {
		t.Errorf("line items = %+v", two.LineItems)
	}
	if !p.Issues[2].IssueDate.IsZero() || p.Issues[2].Status.Text != "Repeat Dispense future instance" {
		t.Errorf("issue 10 = %+v", p.Issues[2])
	}
	if p.Issues[0].IssueDate.String() != "2025-05-01" {
		t.Errorf("issue 1 date from a timestamp = %v", p.Issues[0].IssueDate)
	}
	if resp.Version != "1.0" || resp.StatusCode != 0 || resp.Err() != nil {
		t.Errorf("envelope = %d %q %q", resp.StatusCode, resp.Reason, resp.Version)
	}
}

// TestFalseMeansAbsent checks that "False", which Spine sends in members
// that have no value, texts as well as dates, is read as absent: never a
// pharmacy called "False", and an organisation with nothing in it is none.
func TestFalseMeansAbsent(t *testing.T) {
	t.Parallel()
	retrieve, err := ParseRetrieve(readBody(t, "retrieve-false-absent.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := retrieve.Prescription
	if p.Issue == nil {
		t.Fatal("the issue is missing")
	}
	if diff := cmp.Diff(&Organisation{ODS: "Y99104", Name: "LANTERN LANE SURGERY (SYNTHETIC)"}, p.Prescriber); diff != "" {
		t.Errorf("prescriber (-want +got):\n%s", diff)
	}
	if p.NominatedDispenser != nil || p.Issue.Dispenser != nil {
		t.Errorf("nominated dispenser %+v, dispenser %+v, want none", p.NominatedDispenser, p.Issue.Dispenser)
	}
	texts := []Code{p.Type, p.TreatmentType, p.Issue.Status, p.Issue.LineItems[0].Status}
	want := []Code{{"0101", "PRIMARY CARE PRESCRIBER - MEDICAL PRESCRIBER"}, {"0003", "Repeat Dispensing"},
		{"9000", "Repeat Dispense future instance"}, {"0007", "To Be Dispensed"}}
	if diff := cmp.Diff(want, texts); diff != "" {
		t.Errorf("texts \"False\" are filled in from the tables (-want +got):\n%s", diff)
	}
	if p.Issue.LineItems[1].ID != "" || retrieve.Reason != "" || p.LastEventDate != nil || !p.Issue.LastDispenseDate.IsZero() || p.DaysSupply != 0 {
		t.Errorf("line item id %q, reason %q, last event %v, last dispensed %v, days' supply %d: want all absent",
			p.Issue.LineItems[1].ID, retrieve.Reason, p.LastEventDate, p.Issue.LastDispenseDate, p.DaysSupply)
	}
	if len(p.Inconsistencies) > 0 {
		t.Errorf("inconsistencies: %+v", p.Inconsistencies)
	}

	search, err := ParseSearch(readBody(t, "search-false-absent.json"))
	if err != nil {
		t.Fatal(err)
	}
	if search.Version != "" || len(search.Prescriptions) != 2 {
		t.Fatalf("version %q, %d prescriptions", search.Version, len(search.Prescriptions))
	}
	for _, s := range search.Prescriptions {
		if len(s.Inconsistencies) > 0 {
			t.Errorf("%s: inconsistencies: %+v", s.ID, s.Inconsistencies)
		}
		for _, c := range append([]Code{s.TreatmentType}, s.Issues[0].Status, s.Issues[0].LineItems[0].Status) {
			if c.Text == "False" || c.Text == "" {
				t.Errorf("%s: text of %s is %q, want the table's", s.ID, c.Code, c.Text)
			}
		}
	}
	if nhs := search.Prescriptions[1].PatientNHSNumber; nhs != "" {
		t.Errorf("patientNhsNumber \"False\" read as %q", nhs)
	}
}

// TestStatusKeyedOnCode checks that a status is what its code says, whatever
// Spine's text: texts vary in wording and can even belong to another code.
// The text is kept as sent; groups, labels and Spine's rules follow the code.
func TestStatusKeyedOnCode(t *testing.T) {
	t.Parallel()
	resp, err := ParseSearch(readBody(t, "search-status-texts.json"))
	if err != nil {
		t.Fatal(err)
	}
	type status struct {
		ID     string
		Issue  int
		Status Code
		Group  Group
		Label  string
	}
	var got []status
	var found []Inconsistency
	for _, p := range resp.Prescriptions {
		for _, is := range p.Issues {
			st, _ := LookupPrescriptionStatus(is.Status.Code)
			got = append(got, status{p.ID, is.Number, is.Status, st.Group, st.Plain})
		}
		found = append(found, p.Inconsistencies...)
	}
	want := []status{
		{"2F9C51-Y97220-7D31AR", 1, Code{"0002", "To be dispensed"}, GroupCurrent, "With a pharmacy"},
		{"1B6D40-Y97220-5E08CG", 1, Code{"0006", "With Dispenser"}, GroupCurrent, "Dispensed"},
		{"1B6D40-Y97220-5E08CG", 2, Code{"0003", "With dispenser active"}, GroupCurrent, "Partly dispensed"},
		{"1B6D40-Y97220-5E08CG", 3, Code{"9000", "Repeat dispense future instance"}, GroupFuture, "Later repeat issue, not yet released"},
		{"1B6D40-Y97220-5E08CG", 4, Code{"9000", "Prescription future instance"}, GroupFuture, "Later repeat issue, not yet released"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	// Only issue 4 breaks Spine's rules, by its codes: a line item of a
	// future instance cannot be dispensed. The message says what the codes
	// mean, not what the text beside them says (another code's, here).
	wantFound := []Inconsistency{{Issue: 4, LineItem: 1, Field: "status",
		Message: `a line item cannot be "Item fully dispensed" (0001) while its prescription is "Later repeat issue, not yet released" (9000)`}}
	if diff := cmp.Diff(wantFound, found); diff != "" {
		t.Errorf("inconsistencies (-want +got):\n%s", diff)
	}
}

func TestInconsistencies(t *testing.T) {
	t.Parallel()
	body := `{"statusCode":"0","prescriptionList":{"X":{
	  "currentIssueNumber":"two", "lastEventDate":"2025", "pendingCancellations":"Maybe",
	  "issues":{"1":{"prescriptionStatus":{"statusCode":"0001"},"issueDate":"20251301",
	    "lineItems":{"1":{"status":{"statusCode":"0001"}},"2":{"status":{"statusCode":"0099"}},"3":{"status":{"statusCode":"0007"}}}},
	  "2":{"prescriptionStatus":{"statusCode":"7777"},"lineItems":{}}}}}}`
	resp, err := ParseSearch([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, in := range resp.Prescriptions[0].Inconsistencies {
		got[in.Field] = true
		if in.Message == "" {
			t.Errorf("inconsistency without a message: %+v", in)
		}
	}
	for _, field := range []string{"currentIssueNumber", "lastEventDate", "pendingCancellations", "issueDate", "status"} {
		if !got[field] {
			t.Errorf("no inconsistency reported for %s: %+v", field, resp.Prescriptions[0].Inconsistencies)
		}
	}
	var items []int
	for _, in := range resp.Prescriptions[0].Inconsistencies {
		if in.Field == "status" && in.Issue == 1 {
			items = append(items, in.LineItem)
		}
	}
	if diff := cmp.Diff([]int{1, 2}, items); diff != "" {
		t.Errorf("line items flagged (-want +got):\n%s", diff)
	}
}

func TestStatusEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body     string
		code     int
		reason   string
		sentinel error
	}{
		{`{"statusCode":"1","reason":"Not found","prescriptionList":{}}`, 1, "Not found", ErrNotFound},
		{`{"statusCode":"2","reason":"","prescriptions":{}}`, 2, "No unique prescription", ErrNotUnique},
		{`{"statusCode":"3","reason":"False","prescription":{"prescriptionId":"X"}}`, 3, "Issue not found", ErrIssueNotFound},
		{`{"statusCode":"4","reason":"Failed to parse prescription"}`, 4, "Failed to parse prescription", ErrRecordMalformed},
		{`{"statusCode":"5","reason":"Unexpected exception","prescriptions":[]}`, 5, "Unexpected exception", ErrSpineFailure},
		{`{"statusCode":"61","reason":"Invalid or missing NHS number","prescriptions":""}`, 61, "Invalid or missing NHS number", ErrRequestRefused},
		{`{"statusCode":"50","reason":"Query parameters have not been provided"}`, 50, "Query parameters have not been provided", ErrRequestRefused},
		{`{"statusCode":"77","reason":"Something new"}`, 77, "Something new", nil},
	}
	for _, tt := range tests {
		resp, err := ParseSearch([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		err = resp.Err()
		var se *StatusError
		if !errors.As(err, &se) || se.Code != tt.code || se.Reason != tt.reason {
			t.Errorf("%s: err = %#v", tt.body, err)
			continue
		}
		if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
			t.Errorf("%s: errors.Is(err, %v) = false", tt.body, tt.sentinel)
		}
		if tt.code != 1 && errors.Is(err, ErrNotFound) {
			t.Errorf("%s: matches ErrNotFound", tt.body)
		}
		if se.Refused() != (tt.code >= 50 && tt.code <= 61) {
			t.Errorf("%s: Refused() = %v", tt.body, se.Refused())
		}
	}
}

func TestRetrieveIssueNotFound(t *testing.T) {
	t.Parallel()
	resp, err := ParseRetrieve(readBody(t, "retrieve-issue-not-found.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(resp.Err(), ErrIssueNotFound) {
		t.Errorf("Err() = %v", resp.Err())
	}
	if resp.Prescription == nil || resp.Prescription.ID == "" || resp.Prescription.Issue != nil {
		t.Errorf("prescription = %+v", resp.Prescription)
	}
}

func TestSearchOrder(t *testing.T) {
	t.Parallel()
	resp, err := ParseSearch(readBody(t, "search-100.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Prescriptions) != 100 {
		t.Fatalf("got %d prescriptions, want 100", len(resp.Prescriptions))
	}
	for i := 1; i < len(resp.Prescriptions); i++ {
		if newestFirst(resp.Prescriptions[i-1], resp.Prescriptions[i]) > 0 {
			t.Fatalf("prescriptions %d and %d are out of order", i-1, i)
		}
	}
}

// TestErrorsNeverQuoteTheBody makes sure no part of a body, which may hold
// patient data, reaches an error string.
func TestErrorsNeverQuoteTheBody(t *testing.T) {
	t.Parallel()
	body := []byte(`{"statusCode":"0","prescriptionList":{"C0C757-A83008-C2D93O":{"patientNhsNumber":"9434765919","issues":[1]}}}`)
	_, err := ParseSearch(body)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, secret := range []string{"9434765919", "C0C757"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q quotes %s", err, secret)
		}
	}
}
