package service

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, input string
		want        CheckResult
		wantErr     string // in the first error's message
		wantWarn    string // the first warning's code
	}{
		{name: "empty", input: "  ", want: CheckResult{Kind: InputEmpty, Incomplete: true}, wantErr: "Enter the patient's NHS number"},
		{name: "NHS number", input: "999 257 4356",
			want: CheckResult{Kind: InputNHSNumber, Valid: true, Normalized: "9992574356", Display: "999 257 4356"}},
		{name: "NHS number with hyphens", input: "999-257-4356",
			want: CheckResult{Kind: InputNHSNumber, Valid: true, Normalized: "9992574356", Display: "999 257 4356"}},
		{name: "NHS number in full-width digits", input: "９９９２５７４３５６",
			want: CheckResult{Kind: InputNHSNumber, Valid: true, Normalized: "9992574356", Display: "999 257 4356"}},
		{name: "NHS number being typed", input: "999 25",
			want: CheckResult{Kind: InputNHSNumber, Incomplete: true}, wantErr: "has 5 digits but needs 10"},
		{name: "NHS number failing its check digit", input: "999 257 4357",
			want: CheckResult{Kind: InputNHSNumber}, wantErr: "NHS number *** *** 4357 fails its check digit"},
		{name: "NHS number too long", input: "99925743561",
			want: CheckResult{Kind: InputNHSNumber}, wantErr: "has 11 digits"},
		{name: "NHS number never issued", input: "0000000000",
			want: CheckResult{Kind: InputNHSNumber, Valid: true, Normalized: "0000000000", Display: "000 000 0000"}, wantWarn: "unissued"},
		{name: "NHS number with O for 0", input: "999 257 435O",
			want: CheckResult{Kind: InputNHSNumber}, wantErr: "only digits"},
		{name: "NHS number with I for 1", input: "I23 456 7890",
			want: CheckResult{Kind: InputNHSNumber}, wantErr: "only digits"},
		{name: "short id", input: exampleID,
			want: CheckResult{Kind: InputPrescriptionID, Form: FormShort, Valid: true, Normalized: exampleID, Display: exampleID}},
		{name: "short id typed loosely", input: " 4422fc 0v0x26 3dfc55 ",
			want: CheckResult{Kind: InputPrescriptionID, Form: FormShort, Valid: true, Normalized: exampleID, Display: exampleID}},
		{name: "short id with O for 0", input: "4422FC-OVOX26-3DFC55",
			want:     CheckResult{Kind: InputPrescriptionID, Form: FormShort, Valid: true, Normalized: "4422FC-OVOX26-3DFC55", Display: "4422FC-OVOX26-3DFC55"},
			wantWarn: "checksum"},
		{name: "short id without its check character", input: "4422FC-0V0X26-3DFC5",
			want:     CheckResult{Kind: InputPrescriptionID, Form: FormShort, Valid: true, Normalized: "4422FC-0V0X26-3DFC5", Display: "4422FC-0V0X26-3DFC5"},
			wantWarn: "format"},
		{name: "id starting with digits", input: "442200-",
			want: CheckResult{Kind: InputPrescriptionID, Incomplete: true}, wantErr: "too few"},
		{name: "id being typed", input: "4422FC-0V0",
			want: CheckResult{Kind: InputPrescriptionID, Incomplete: true}, wantErr: "too few"},
		{name: "long id being typed", input: "4422FC00-1111-4222-8333-44445555",
			want: CheckResult{Kind: InputPrescriptionID, Incomplete: true}, wantErr: "a long id 33"},
		{name: "id too long", input: "4422FC-0V0X26-3DFC55-4422FC-0V0X26-3DFC55",
			want: CheckResult{Kind: InputPrescriptionID}, wantErr: "more than any id"},
		{name: "id with a slash", input: "4422FC/0V0X26-3DFC55",
			want: CheckResult{Kind: InputPrescriptionID}, wantErr: "remove the '/'"},
		{name: "a name", input: "Jane Smithson",
			want: CheckResult{Kind: InputUnrecognised}, wantErr: "looks like a word or a name"},
		{name: "punctuation", input: "@@ ##",
			want: CheckResult{Kind: InputUnrecognised}, wantErr: "is not an NHS number or a prescription id"},
		{name: "a name in another script", input: "Иван Петров",
			want: CheckResult{Kind: InputUnrecognised}, wantErr: "looks like a word or a name"},
	}
	s := shared()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := s.Check(tt.input)
			ignore := cmpopts.IgnoreFields(CheckResult{}, "Errors", "Warnings")
			if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
				t.Errorf("Check(%q) (-want +got):\n%s", tt.input, diff)
			}
			switch {
			case tt.wantErr == "" && len(got.Errors) > 0:
				t.Errorf("errors %v", got.Errors)
			case tt.wantErr != "" && (len(got.Errors) == 0 || !strings.Contains(got.Errors[0].Message, tt.wantErr)):
				t.Errorf("errors %v, want one saying %q", got.Errors, tt.wantErr)
			}
			switch {
			case tt.wantWarn == "" && len(got.Warnings) > 0:
				t.Errorf("warnings %v", got.Warnings)
			case tt.wantWarn != "" && (len(got.Warnings) == 0 || got.Warnings[0].Code != tt.wantWarn):
				t.Errorf("warnings %v, want %s", got.Warnings, tt.wantWarn)
			}
			wantNoNullLists(t, got)
		})
	}
}

// TestCheckSuggests: a mistyped id is offered its likeliest corrections,
// three at most, the right one first.
func TestCheckSuggests(t *testing.T) {
	t.Parallel()
	got := shared().Check("4422FC-0V0X26-3DFC5S") // S typed for 5
	if !got.Valid || len(got.Warnings) != 1 || got.Warnings[0].Code != "checksum" {
		t.Fatalf("Check = %+v", got)
	}
	s := got.Warnings[0].Suggestions
	if len(s) == 0 || len(s) > maxSuggestions || s[0] != exampleID {
		t.Errorf("suggestions %v, want at most %d starting with %s", s, maxSuggestions, exampleID)
	}
	wantMasked(t, got.Warnings[0].Message, "4422FC-0V0X26-3DFC5S")
}

func ExampleService_Check() {
	s, _ := New()
	for _, typed := range []string{"999 257 4356", "c0c757a83008c2d93o", "999 25", "Jane Smithson"} {
		r := s.Check(typed)
		fmt.Printf("%s: %s valid=%t incomplete=%t %q\n", typed, r.Kind, r.Valid, r.Incomplete, r.Display)
	}
	// Output:
	// 999 257 4356: nhsNumber valid=true incomplete=false "999 257 4356"
	// c0c757a83008c2d93o: prescriptionId valid=true incomplete=false "C0C757-A83008-C2D93O"
	// 999 25: nhsNumber valid=false incomplete=true ""
	// Jane Smithson: unrecognised valid=false incomplete=false ""
}

// FuzzCheck: Check never fails, its verdict holds together, its JSON is
// valid, and what it says names no identifier in clear.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{"", "999 257 4356", "９９９２５７４３５６", "4422fc0v0x263dfc55", "4422FC-0V0X26-3DFC5S",
		"4422FC00-1111-4222-8333-444455556666+", "Jane Smithson", "999-257-", "442200-", "\u2010\u2212", "\xff\xfe", "+"} {
		f.Add(seed)
	}
	s := shared()
	f.Fuzz(func(t *testing.T, input string) {
		r := s.Check(input)
		switch {
		case r.Valid && (r.Normalized == "" || r.Display == "" || len(r.Errors) > 0 || r.Incomplete):
			t.Fatalf("valid, yet %+v", r)
		case !r.Valid && (r.Normalized != "" || len(r.Errors) == 0):
			t.Fatalf("invalid, yet %+v", r)
		case r.Kind == InputPrescriptionID != (r.Form != FormNone) && r.Valid:
			t.Fatalf("kind %s with form %q", r.Kind, r.Form)
		}
		b, err := json.Marshal(r)
		if err != nil || !utf8.Valid(b) {
			t.Fatalf("JSON %q: %v", b, err)
		}
		if r.Valid && r.Kind == InputNHSNumber {
			for _, e := range append(r.Warnings, Warning{Message: strings.Join(errorMessages(r.Errors), " ")}) {
				wantMasked(t, e.Message, r.Normalized[:6])
			}
		}
		if r.Kind == InputPrescriptionID && len(r.Normalized) >= 19 {
			for _, w := range r.Warnings {
				wantMasked(t, w.Message, r.Normalized)
			}
		}
	})
}

func errorMessages(errs []FieldError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Message
	}
	return out
}

// BenchmarkCheck is Check on every keystroke: a whole NHS number, and an
// id whose check character is wrong (the costliest, with suggestions).
func BenchmarkCheck(b *testing.B) {
	s := setup(b)
	for _, in := range []string{"999 257 4356", "4422FC-0V0X26-3DFC5S", "999 25"} {
		b.Run(in, func(b *testing.B) {
			s.Check(in) // the validator is built on first use
			b.ReportAllocs()
			for b.Loop() {
				s.Check(in)
			}
		})
	}
}
