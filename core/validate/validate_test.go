package validate

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// now is 24 November 2026, 09:00 UK time, in every test.
var now = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

func TestCheckErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        Input
		field     string
		spineCode int
		says      string // part of the message
	}{
		{"search without NHS number", Input{Kind: KindSearch}, "nhsNumber", 61, "Enter the patient's NHS number"},
		{"NHS number check digit", Input{NHSNumber: "943 476 5918"}, "nhsNumber", 61, "fails its check digit — check the last digit"},
		{"NHS number check value 10", Input{NHSNumber: "1000070000"}, "nhsNumber", 61, "no NHS number begins with those nine digits"},
		{"NHS number published invalid", Input{NHSNumber: "7994647953"}, "nhsNumber", 61, "fails its check digit"},
		{"NHS number too short", Input{NHSNumber: "943 476 591"}, "nhsNumber", 61, "has 9 digits but needs 10"},
		{"NHS number too long", Input{NHSNumber: "943 476 59199"}, "nhsNumber", 61, "has 11 digits"},
		{"NHS number letter", Input{NHSNumber: "943 476 591O"}, "nhsNumber", 61, `remove the 'O'`},
		{"NHS number full-width letter", Input{NHSNumber: "９９９３１４２７５Ｏ"}, "nhsNumber", 61, `remove the 'O'`},
		{"NHS number accented letter", Input{NHSNumber: "999314275é"}, "nhsNumber", 61, `remove the 'é' (character U+00E9)`},
		{"NHS number digit of another script", Input{NHSNumber: "٩٩٩٣١٤٢٧٥١"}, "nhsNumber", 61, "only digits 0 to 9 (spaces and hyphens are fine) — this has digits of another script, such as the '٩' (character U+0669): type it again with the keyboard set to English."},
		{"NHS number invisible character", Input{NHSNumber: "999\u200b3142751"}, "nhsNumber", 61, "remove the invisible character U+200B"},
		{"NHS number bytes that are not text", Input{NHSNumber: "999\xff3142751"}, "nhsNumber", 61, "remove the character that cannot be read"},
		{"earliest date not a date", Input{NHSNumber: "9434765919", EarliestDate: "yesterday"}, "earliestDate", 57, "write it as yyyymmdd"},
		{"earliest date not real", Input{NHSNumber: "9434765919", EarliestDate: "20250231"}, "earliestDate", 57, "February 2025 has 28 days"},
		{"latest date bad month", Input{NHSNumber: "9434765919", LatestDate: "20251301"}, "latestDate", 57, "month 13"},
		{"latest date leap day", Input{NHSNumber: "9434765919", LatestDate: "29/02/2025"}, "latestDate", 57, "February 2025 has 28 days"},
		{"earliest after latest", Input{NHSNumber: "9434765919", EarliestDate: "20250610", LatestDate: "20250601"}, "earliestDate", 57, "10-Jun-2025 is after latest date 01-Jun-2025"},
		{"unknown status", Input{NHSNumber: "9434765919", PrescriptionStatus: "0010"}, "prescriptionStatus", 59, "not one Spine knows"},
		{"unknown status text", Input{NHSNumber: "9434765919", PrescriptionStatus: "lost"}, "prescriptionStatus", 59, "0001 (To Be Dispensed)"},
		{"bad prescription version", Input{NHSNumber: "9434765919", PrescriptionVersion: "R3"}, "prescriptionVersion", 60, "R2"},
		{"bad version", Input{NHSNumber: "9434765919", Version: "v1"}, "version", 53, "message version"},
		{"retrieve without id", Input{Kind: KindRetrieve}, "prescriptionId", 51, "Enter the prescription id"},
		{"id with a slash", Input{PrescriptionID: "C0C757/A83008/C2D93O"}, "prescriptionId", 51, `remove the '/'`},
		{"id with a Cyrillic letter", Input{PrescriptionID: "7F3A21-Z91045-4B2C0\u0412"}, "prescriptionId", 51, "remove the 'В' (character U+0412)"},
		{"id with an invisible character", Input{PrescriptionID: "7F3A21-Z91045\u200b-4B2C0V"}, "prescriptionId", 51, "remove the invisible character U+200B"},
		{"id with bytes that are not text", Input{PrescriptionID: "7F3A21-Z91045-4B2C0\xc3"}, "prescriptionId", 51, "remove the character that cannot be read"},
		{"id too short", Input{PrescriptionID: "C0C757-A83008-C2D"}, "prescriptionId", 51, "15 letters and digits"},
		{"id between forms", Input{PrescriptionID: "C0C757-A83008-C2D93O-1234"}, "prescriptionId", 51, "a long id 33"},
		{"id too long", Input{PrescriptionID: "D2A080EE-475C-11E6-A68F-08002732570CN12"}, "prescriptionId", 51, "more than any id"},
		{"NHS number for an id", Input{PrescriptionID: "9434765919"}, "prescriptionId", 51, "Prescription id *** *** 5919 is 10 digits: that looks like an NHS number — search for the patient's prescriptions with it instead."},
		{"spaced NHS number for an id", Input{Kind: KindRetrieve, PrescriptionID: "943 476 5919"}, "prescriptionId", 51, "looks like an NHS number"},
		{"hyphenated NHS number for an id", Input{PrescriptionID: "401-023-2137", IssueNumber: "1"}, "prescriptionId", 51, "looks like an NHS number"},
		{"ten digits failing the check for an id", Input{PrescriptionID: "9434765918"}, "prescriptionId", 51, "looks like an NHS number"},
		{"issue number zero", Input{PrescriptionID: "C0C757-A83008-C2D93O", IssueNumber: "0"}, "issueNumber", 0, "whole number from 1"},
		{"issue number negative", Input{PrescriptionID: "C0C757-A83008-C2D93O", IssueNumber: "-1"}, "issueNumber", 0, "whole number from 1"},
		{"issue number words", Input{PrescriptionID: "C0C757-A83008-C2D93O", IssueNumber: "second"}, "issueNumber", 0, "whole number from 1"},
		{"nothing at all", Input{}, "input", 50, "nothing to look up"},
		{"headers alone", Input{ASID: "200000001234"}, "input", 50, "give an NHS number"},
		{"asid short", Input{ASID: "12345678901"}, "asid", 52, "exactly 12 digits"},
		{"asid letters", Input{ASID: "12345678901x"}, "asid", 52, "exactly 12 digits"},
		{"user id", Input{UserID: "1234"}, "userId", 55, "exactly 12 digits"},
		{"role profile id", Input{RoleProfileID: "1234567890123"}, "roleProfileId", 56, "exactly 12 digits"},
		{"trace id too long", Input{TraceID: strings.Repeat("a", 31)}, "traceId", 54, "1 to 30 characters"},
		{"trace id space", Input{TraceID: "a b"}, "traceId", 54, "letter, a digit or a hyphen"},
		{"trace id underscore", Input{TraceID: "a_b"}, "traceId", 54, "letter, a digit or a hyphen"},
		{"unknown kind", Input{Kind: "lookup"}, "kind", 0, `use "search" or "retrieve"`},
		{"mixed fields", Input{NHSNumber: "9434765919", PrescriptionID: "C0C757-A83008-C2D93O"}, "kind", 0, "say which is meant"},
		{"search with an id", Input{Kind: KindSearch, NHSNumber: "9434765919", PrescriptionID: "C0C757-A83008-C2D93O"}, "prescriptionId", 0, "not part of a search"},
		{"retrieve with dates", Input{Kind: KindRetrieve, PrescriptionID: "C0C757-A83008-C2D93O", EarliestDate: "20250101"}, "earliestDate", 0, "not part of a retrieve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Check(tt.in, now)
			if r.Valid() {
				t.Fatalf("valid; want an error on %s", tt.field)
			}
			var found *FieldError
			for i, e := range r.Errors {
				if e.Field == tt.field {
					found = &r.Errors[i]
				}
			}
			if found == nil {
				t.Fatalf("errors = %+v, want one on %s", r.Errors, tt.field)
			}
			if found.SpineCode != tt.spineCode {
				t.Errorf("spineCode = %d, want %d", found.SpineCode, tt.spineCode)
			}
			if !strings.Contains(found.Message, tt.says) {
				t.Errorf("message %q does not say %q", found.Message, tt.says)
			}
			if _, ok := r.Normalized[tt.field]; ok {
				t.Errorf("invalid field %s is in normalized", tt.field)
			}
			var verr *Error
			if !errors.As(r.Err(), &verr) || len(verr.Fields) != len(r.Errors) {
				t.Errorf("Err() = %v", r.Err())
			}
		})
	}
}

func TestCheckValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Input
		want map[string]string
	}{
		{"spaced NHS number", Input{NHSNumber: "943 476 5919"},
			map[string]string{"kind": "search", "nhsNumber": "9434765919"}},
		{"hyphens and a newline", Input{NHSNumber: "943-476-5919\n"},
			map[string]string{"kind": "search", "nhsNumber": "9434765919"}},
		{"every search field", Input{Kind: "Search", NHSNumber: "9434765919", EarliestDate: "2025-01-01", LatestDate: "10/06/2025",
			PrescriptionStatus: "to be dispensed", PrescriptionVersion: "r2", Version: "1.0"},
			map[string]string{"kind": "search", "nhsNumber": "9434765919", "earliestDate": "20250101", "latestDate": "20250610",
				"prescriptionStatus": "0001", "prescriptionVersion": "R2", "version": "1.0"}},
		{"status code without its zeros", Input{NHSNumber: "9434765919", PrescriptionStatus: "6", PrescriptionVersion: "1"},
			map[string]string{"kind": "search", "nhsNumber": "9434765919", "prescriptionStatus": "0006", "prescriptionVersion": "1"}},
		{"same day window", Input{NHSNumber: "9434765919", EarliestDate: "20250610", LatestDate: "20250610"},
			map[string]string{"kind": "search", "nhsNumber": "9434765919", "earliestDate": "20250610", "latestDate": "20250610"}},
		{"lower-case id without hyphens", Input{PrescriptionID: "c0c757a83008c2d93o"},
			map[string]string{"kind": "retrieve", "prescriptionId": "C0C757-A83008-C2D93O"}},
		{"pasted id with a trailing newline", Input{PrescriptionID: "0308BB-000X26-4410B0\n", IssueNumber: "02"},
			map[string]string{"kind": "retrieve", "prescriptionId": "0308BB-000X26-4410B0", "issueNumber": "2"}},
		{"full-width NHS number", Input{NHSNumber: "９９９　３１４　２７５１"},
			map[string]string{"kind": "search", "nhsNumber": "9993142751"}},
		{"full-width id", Input{PrescriptionID: "ｅ４１ｂ９０－ｙ７３３１０－０ａ９ｄ１ｙ"},
			map[string]string{"kind": "retrieve", "prescriptionId": "E41B90-Y73310-0A9D1Y"}},
		{"id with + check character", Input{PrescriptionID: "CBEF44-000X26-41E1B+"},
			map[string]string{"kind": "retrieve", "prescriptionId": "CBEF44-000X26-41E1B+"}},
		{"published valid id", Input{PrescriptionID: "54F746-A83008-E8A05J"},
			map[string]string{"kind": "retrieve", "prescriptionId": "54F746-A83008-E8A05J"}},
		{"long form", Input{PrescriptionID: "D2A080EE-475C-11E6-A68F-08002732570CN"},
			map[string]string{"kind": "retrieve", "prescriptionId": "D2A080EE-475C-11E6-A68F-08002732570CN"}},
		{"headers", Input{NHSNumber: "9434765919", ASID: "200000001234", UserID: "555 555 555 555", RoleProfileID: "123456789012", TraceID: "abc-123-XYZ"},
			map[string]string{"kind": "search", "nhsNumber": "9434765919", "asid": "200000001234", "userId": "555555555555", "roleProfileId": "123456789012", "traceId": "abc-123-XYZ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Check(tt.in, now)
			if !r.Valid() {
				t.Fatalf("errors: %+v", r.Errors)
			}
			if len(r.Warnings) > 0 {
				t.Errorf("warnings: %+v", r.Warnings)
			}
			if diff := cmp.Diff(tt.want, r.Normalized); diff != "" {
				t.Errorf("normalized (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		in          Input
		field, code string
		says        string
		suggestion  string
	}{
		{"check character", Input{PrescriptionID: "CBEF44-000X26-41E1B1"}, "prescriptionId", WarnChecksum, "does not match its check character", "CBEF44-000X26-41E1B+"},
		{"O for 0", Input{PrescriptionID: "COC757-A83008-C2D93O"}, "prescriptionId", WarnChecksum, "probably mistyped", "C0C757-A83008-C2D93O"},
		{"not hex in the first group", Input{PrescriptionID: "G0C757-A83008-C2D93O"}, "prescriptionId", WarnFormat, `'G' at character 1`, ""},
		{"no check character", Input{PrescriptionID: "C0C757-A83008-C2D93"}, "prescriptionId", WarnFormat, "no check character", ""},
		{"NHS number of zeros", Input{NHSNumber: "000 000 0000"}, "nhsNumber", WarnUnissued, "NHS number *** *** 0000 is one digit ten times", ""},
		{"NHS number of nines", Input{NHSNumber: "9999999999"}, "nhsNumber", WarnUnissued, "no patient is given such a number", ""},
		{"latest date before the default window", Input{NHSNumber: "9434765919", LatestDate: "20250101"}, "latestDate", WarnWindow, "finds nothing — add an earliest date", ""},
		{"earliest date in the future", Input{NHSNumber: "9434765919", EarliestDate: "20261225"}, "earliestDate", WarnWindow, "finds nothing — add a latest date", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Check(tt.in, now)
			if !r.Valid() {
				t.Fatalf("errors: %+v (warnings never block sending)", r.Errors)
			}
			var found *Warning
			for i, w := range r.Warnings {
				if w.Field == tt.field && w.Code == tt.code {
					found = &r.Warnings[i]
				}
			}
			if found == nil {
				t.Fatalf("warnings = %+v, want %s on %s", r.Warnings, tt.code, tt.field)
			}
			if !strings.Contains(found.Message, tt.says) {
				t.Errorf("message %q does not say %q", found.Message, tt.says)
			}
			if tt.suggestion != "" && (len(found.Suggestions) == 0 || found.Suggestions[0] != tt.suggestion) {
				t.Errorf("suggestions = %v, want %s first", found.Suggestions, tt.suggestion)
			}
		})
	}
	// Every number of one digit ten times passes the check digit, and each
	// is warned about; a number that is not raises nothing.
	for d := '0'; d <= '9'; d++ {
		nhs := strings.Repeat(string(d), 10)
		r := Check(Input{NHSNumber: nhs}, now)
		if !r.Valid() || len(r.Warnings) != 1 || r.Warnings[0].Code != WarnUnissued || strings.Contains(r.Warnings[0].Message, nhs) {
			t.Errorf("Check(%s) = %+v, want valid with one unissued warning, masked", nhs, r)
		}
	}
	// A window that is not empty raises nothing.
	for _, in := range []Input{
		{NHSNumber: "9434765919", LatestDate: "20261120"},
		{NHSNumber: "9434765919", EarliestDate: "20261124"},
		{NHSNumber: "0000000019"}, {NHSNumber: "2111111112"},
		{NHSNumber: "9434765919", EarliestDate: "20240101", LatestDate: "20250101"},
	} {
		if r := Check(in, now); len(r.Warnings) > 0 {
			t.Errorf("Check(%+v) warns: %+v", in, r.Warnings)
		}
	}
}

// TestMessagesNeverHoldIdentifiers makes sure no message repeats an NHS
// number or a prescription id in clear.
func TestMessagesNeverHoldIdentifiers(t *testing.T) {
	t.Parallel()
	inputs := []Input{
		{NHSNumber: "9434765918"}, {NHSNumber: "1000070000"}, {NHSNumber: "943476591"},
		{PrescriptionID: "CBEF44-000X26-41E1B1"}, {PrescriptionID: "G0C757-A83008-C2D93O"},
		{PrescriptionID: "C0C757-A83008-C2D93"}, {PrescriptionID: "C0C757-A83008-C2D93O-1234"},
		{PrescriptionID: "943 476 5919"}, {NHSNumber: "0000000000"},
		{Kind: KindSearch, NHSNumber: "9434765919", PrescriptionID: "C0C757-A83008-C2D93O"},
	}
	for _, in := range inputs {
		r := Check(in, now)
		secrets := []string{NormalizeNHSNumber(in.NHSNumber), NormalizePrescriptionID(in.PrescriptionID)}
		var texts []string
		for _, e := range r.Errors {
			texts = append(texts, e.Message)
		}
		for _, w := range r.Warnings {
			texts = append(texts, w.Message)
		}
		if err := r.Err(); err != nil {
			texts = append(texts, err.Error())
		}
		for _, text := range texts {
			for _, s := range secrets {
				if len(s) >= 6 && strings.Contains(strings.ReplaceAll(text, " ", ""), s[:6]) {
					t.Errorf("%q repeats %s", text, s)
				}
			}
		}
	}
}

// TestMessagesNeverQuoteAName makes sure that a name given where an
// identifier belongs, as in a line of a list of patients, is not quoted back
// a character at a time.
func TestMessagesNeverQuoteAName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Input
		says string
	}{
		{"a name for an NHS number", Input{NHSNumber: "John Smith"}, "this has 9 other characters: check that it is the NHS number, not another detail."},
		{"a name and a number for an NHS number", Input{NHSNumber: "Smith 9993142751"}, "this has 5 other characters"},
		{"an accented name for an id", Input{PrescriptionID: "Zoë O'Brien-Müller"}, "this has 3 other characters: check that it is the prescription id, not another detail."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Check(tt.in, now)
			if len(r.Errors) != 1 {
				t.Fatalf("errors = %+v, want one", r.Errors)
			}
			msg := r.Errors[0].Message
			if !strings.Contains(msg, tt.says) {
				t.Errorf("message %q does not say %q", msg, tt.says)
			}
			for _, c := range tt.in.NHSNumber + tt.in.PrescriptionID + strings.ToUpper(tt.in.PrescriptionID) {
				if strings.Contains(msg, "'"+string(c)+"'") {
					t.Errorf("message %q quotes %q of the name", msg, c)
				}
			}
		})
	}
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	r := Check(Input{NHSNumber: "943 476 5918", IssueNumber: "x", Kind: KindSearch}, now)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Valid  bool `json:"valid"`
		Errors []struct {
			Field     string `json:"field"`
			SpineCode *int   `json:"spineCode"`
			Message   string `json:"message"`
		} `json:"errors"`
		Warnings   []Warning         `json:"warnings"`
		Normalized map[string]string `json:"normalized"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Valid || len(got.Errors) != 2 || got.Warnings == nil || got.Normalized == nil {
		t.Fatalf("report JSON = %s", b)
	}
	if got.Errors[0].Field != "nhsNumber" || got.Errors[0].SpineCode == nil || *got.Errors[0].SpineCode != 61 {
		t.Errorf("first error = %+v", got.Errors[0])
	}
	if got.Errors[1].Field != "issueNumber" || got.Errors[1].SpineCode != nil {
		t.Errorf("second error = %+v (issueNumber has no Spine code)", got.Errors[1])
	}
	if !strings.Contains(string(b), `"spineCode":null`) {
		t.Errorf("no null spineCode in %s", b)
	}
}

// TestFieldsAgree keeps the two lists of fields in step.
func TestFieldsAgree(t *testing.T) {
	t.Parallel()
	var in Input
	for _, f := range in.fields() {
		if in.Field(f.name) != f.value {
			t.Errorf("Field(%q) is not the field listed under that name", f.name)
		}
	}
	if in.Field("nosuch") != nil {
		t.Error("Field of an unknown name")
	}
}

// TestRulesLookNoMethodUp: no field's rules use the validator's validateFn,
// which the widget is built without (its tag validator_novalidatefn): there
// it panics.
func TestRulesLookNoMethodUp(t *testing.T) {
	t.Parallel()
	for f := range reflect.TypeFor[checked]().Fields() {
		for _, rule := range strings.FieldsFunc(f.Tag.Get("validate"), func(r rune) bool { return r == ',' || r == '|' }) {
			if name, _, _ := strings.Cut(rule, "="); name == "validateFn" {
				t.Errorf("%s's rules use validateFn", f.Tag.Get("field"))
			}
		}
	}
}

// TestStatusFilter: the status filter takes a code, Spine's text in any of
// its wordings, or the label the tracker shows, and sends the code; part of
// a name is refused with the statuses it could mean.
func TestStatusFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, typed string
		code        string // the code sent, or "" when refused
		says        []string
	}{
		{"code", "0001", "0001", nil},
		{"code without its zeros", "3", "0003", nil},
		{"Spine's text", "To Be Dispensed", "0001", nil},
		{"Spine's text in another case", "to be Dispensed", "0001", nil},
		{"our label", "Ready for a pharmacy to download", "0001", nil},
		{"Spine's text in lower case", "with dispenser", "0002", nil},
		{"our label for 0002", "With a pharmacy", "0002", nil},
		{"Spine's text for 0003", "With Dispenser - Active", "0003", nil},
		{"another wording of it", "With dispenser active", "0003", nil},
		{"our label for 0003", "partly dispensed", "0003", nil},
		{"our label for 0008", "Dispensed and claimed", "0008", nil},
		{"Spine's text for 0009", "No-Claimed", "0009", nil},
		{"another wording of it", "No Claimed", "0009", nil},
		{"our label for 0009", "Dispensed, no claim made", "0009", nil},
		{"another wording of 9000", "Repeat dispense future instance", "9000", nil},
		{"our label for 9000", "Later repeat issue, not yet released", "9000", nil},
		{"spaces around", "  Cancelled ", "0005", nil},
		{"part of three", "future", "", []string{"could mean 9000 (Later repeat issue, not yet released), 9001 (Future-dated, not yet released) or 9005 (Future issue, cancelled)", "give the code of the one you mean"}},
		{"part of two", "a pharmacy", "", []string{"could mean 0001 (Ready for a pharmacy to download) or 0002 (With a pharmacy)"}},
		{"part of one", "no claim", "", []string{"could mean 0009 (Dispensed, no claim made) — give its code, or its name in full"}},
		{"none", "lost", "", []string{`Prescription status "lost" is not one Spine knows`, "0001 (To Be Dispensed)", `"With a pharmacy"`}},
		{"unknown code", "0010", "", []string{"not one Spine knows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Check(Input{NHSNumber: "9434765919", PrescriptionStatus: tt.typed}, now)
			if got := r.Normalized["prescriptionStatus"]; got != tt.code {
				t.Errorf("sent %q, want %q (errors %+v)", got, tt.code, r.Errors)
			}
			if tt.code != "" {
				return
			}
			if len(r.Errors) != 1 || r.Errors[0].Field != "prescriptionStatus" || r.Errors[0].SpineCode != 59 {
				t.Fatalf("errors %+v, want one on prescriptionStatus (59)", r.Errors)
			}
			for _, s := range tt.says {
				if !strings.Contains(r.Errors[0].Message, s) {
					t.Errorf("message %q does not say %q", r.Errors[0].Message, s)
				}
			}
		})
	}
	// No two statuses share a name: each text and label means its own code.
	for _, st := range tracker.PrescriptionStatuses() {
		for _, name := range []string{st.Code, st.Text, st.Plain, strings.ToUpper(st.Plain)} {
			if got := Normalize(Input{PrescriptionStatus: name}).PrescriptionStatus; got != st.Code {
				t.Errorf("%q is sent as %q, want %s", name, got, st.Code)
			}
		}
	}
}

// identifiers are what people type into a search box: NHS numbers and
// prescription ids, right, wrong, partly typed, in other scripts, and
// neither.
var identifiers = []string{
	"", " ", "943 476 5919", "9434765919", "943-476-5919", "9434765918", "943476591", "94347659190", "0000000000",
	"1111111111", "943 476 591O", "I434765919", "９４３４７６５９１９", "943\u200b4765919", "943476591\xff", "Jane Smith",
	"c0c757a83008c2d93o", "C0C757-A83008-C2D93O", "C0C757-A83008-C2D93", "C0C757-A83008-C2D93P", "c0c757 a83008 c2d93o ",
	"C0C757/A83008-C2D93O", "C0C757-A83008", "D2A080EE-475C-11E6-A68F-08002732570C", "D2A080EE-475C-11E6-A68F-08002732570CN",
	"D2A080EE-475C-11E6-A68F-08002732570CX", "ｅ４１ｂ９０－ｙ７３３１０－０ａ９ｄ１ｙ", "7F3A21-Z91045-4B2C0\u0412", "9434765919",
	strings.Repeat("A", 40), "+", "-", "\u2010\u2212",
}

// TestCheckIdentifierIsCheck: the search box's checks answer as Check does
// for a search of the NHS number, or a retrieve of the id, alone.
func TestCheckIdentifierIsCheck(t *testing.T) {
	for _, s := range identifiers {
		if diff := cmp.Diff(Check(Input{Kind: KindSearch, NHSNumber: s}, now), CheckNHSNumber(s)); diff != "" {
			t.Errorf("CheckNHSNumber(%q) is not Check's report (-Check +CheckNHSNumber):\n%s", s, diff)
		}
		if diff := cmp.Diff(Check(Input{Kind: KindRetrieve, PrescriptionID: s}, now), CheckPrescriptionID(s)); diff != "" {
			t.Errorf("CheckPrescriptionID(%q) is not Check's report (-Check +CheckPrescriptionID):\n%s", s, diff)
		}
	}
}

// TestCheckIdentifierNeedsNoValidator: the search box's checks never build
// the validator (nor use it), so a page's first check does not wait for it.
func TestCheckIdentifierNeedsNoValidator(t *testing.T) {
	built := instance
	t.Cleanup(func() { instance = built })
	instance = func() *validator.Validate {
		t.Fatal("the validator was asked for")
		return nil
	}
	for _, s := range identifiers {
		CheckNHSNumber(s)
		CheckPrescriptionID(s)
	}
}

// FuzzCheckIdentifier: whatever is typed, the search box's checks answer
// as Check does.
func FuzzCheckIdentifier(f *testing.F) {
	for _, s := range identifiers {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if diff := cmp.Diff(Check(Input{Kind: KindSearch, NHSNumber: s}, now), CheckNHSNumber(s)); diff != "" {
			t.Fatalf("CheckNHSNumber(%q) (-Check +CheckNHSNumber):\n%s", s, diff)
		}
		if diff := cmp.Diff(Check(Input{Kind: KindRetrieve, PrescriptionID: s}, now), CheckPrescriptionID(s)); diff != "" {
			t.Fatalf("CheckPrescriptionID(%q) (-Check +CheckPrescriptionID):\n%s", s, diff)
		}
	})
}
