package service

import (
	"strings"
	"unicode"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// InputKind is what a person typed in the search box.
type InputKind string

// The kinds of input.
const (
	InputEmpty          InputKind = "empty"          // nothing yet
	InputNHSNumber      InputKind = "nhsNumber"      // digits: an NHS number, to search for a patient's prescriptions
	InputPrescriptionID InputKind = "prescriptionId" // letters and digits: a prescription id, to open it
	InputUnrecognised   InputKind = "unrecognised"   // neither, such as a name
)

// CheckResult is the verdict on what was typed in the search box, offline.
type CheckResult struct {
	Kind InputKind `json:"kind"`
	// Form is the form of a prescription id, short or long; "" for
	// anything else.
	Form IDForm `json:"form"`
	// Valid is true when it can be looked up now: search for an NHS number,
	// retrieve a prescription id. Warnings do not stop a lookup.
	Valid bool `json:"valid"`
	// Incomplete is true when it is not valid yet but may become so as the
	// person goes on typing (too few digits or characters, nothing wrong
	// in them): hold its errors back until they ask to look it up.
	Incomplete bool `json:"incomplete"`
	// Normalized is the form to look up, "9992574356" or
	// "C0C757-A83008-C2D93O", when Valid; else "".
	Normalized string `json:"normalized"`
	// Display is the form to show, "999 257 4356" or
	// "C0C757-A83008-C2D93O", when Valid; else "".
	Display string `json:"display"`
	// Errors say why it cannot be looked up, for the field; masked.
	Errors []FieldError `json:"errors"`
	// Warnings say what is probably a mistake; a checksum warning offers
	// the likeliest corrections.
	Warnings []Warning `json:"warnings"`
}

// Check says what input is (an NHS number, a prescription id, or neither)
// and whether it can be looked up, as the person types it. It is offline
// and fast: call it on every keystroke.
func (s *Service) Check(input string) CheckResult {
	switch kind := recognise(input); kind {
	case InputEmpty:
		return CheckResult{Kind: kind, Incomplete: true, Warnings: []Warning{},
			Errors: []FieldError{{Field: "input", Message: "Enter the patient's NHS number or a prescription id."}}}
	case InputUnrecognised:
		return CheckResult{Kind: kind, Warnings: []Warning{}, Errors: []FieldError{{Field: "input", Message: unrecognised(input)}}}
	case InputNHSNumber:
		r := validate.CheckNHSNumber(input)
		out := checkResult(kind, r, "nhsNumber")
		if out.Valid {
			out.Display = spaced(out.Normalized)
		} else {
			n := validate.NormalizeNHSNumber(input)
			out.Incomplete = len(n) < 10 && ascii.Digits(n)
		}
		return out
	default:
		r := validate.CheckPrescriptionID(input)
		out := checkResult(kind, r, "prescriptionId")
		if out.Valid {
			out.Display, out.Form = out.Normalized, formOf(out.Normalized)
		} else {
			bare := strings.ReplaceAll(validate.NormalizePrescriptionID(input), "-", "")
			n := len(bare)
			out.Incomplete = onlyIDCharacters(bare) && (n < 17 || n > 18 && n < 32)
		}
		return out
	}
}

func checkResult(kind InputKind, r validate.Report, field string) CheckResult {
	return CheckResult{Kind: kind, Valid: r.Valid(), Normalized: r.Normalized[field],
		Errors: fieldErrorsOf(r.Errors), Warnings: warningsOf(r.Warnings)}
}

// recognise tells an NHS number from a prescription id by the characters
// typed: only digits (of any script) make an NHS number, unless grouped
// as an id is (six or eight digits, then a hyphen), and so do ten of digits
// and a letter or two read as digits (O for 0, I for 1); a letter or a +
// makes a prescription id, unless it is only letters, more than an id's
// first group, which is a word or a name. Anything else is unrecognised.
func recognise(input string) InputKind {
	var digits, letters, plus, other, lookalikes int
	firstDash := -1
	at := 0 // characters before the first dash, separators aside
	for _, r := range input {
		switch r = ascii.Narrow(r); {
		case r >= '0' && r <= '9' || unicode.IsDigit(r):
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
			if strings.ContainsRune("OoIilSsBZz", r) {
				lookalikes++
			}
		case r == '+':
			plus++
		case isDash(r):
			if firstDash < 0 {
				firstDash = at
			}
			continue
		case unicode.IsSpace(r):
			continue
		default:
			other++
		}
		at++
	}
	switch {
	case digits+letters+plus+other == 0:
		return InputEmpty
	case letters+plus == 0 && digits > 0 && (firstDash == 6 || firstDash == 8):
		return InputPrescriptionID
	case letters+plus == 0 && digits > 0,
		plus == 0 && letters <= 2 && lookalikes == letters && digits+letters == 10 && firstDash != 6 && firstDash != 8:
		return InputNHSNumber
	case letters > 6 && digits+plus == 0:
		return InputUnrecognised
	case letters+plus > 0:
		return InputPrescriptionID
	}
	return InputUnrecognised
}

// unrecognised explains input that is neither an NHS number nor an id,
// without quoting it: it may be a name.
func unrecognised(input string) string {
	what := "This is not an NHS number or a prescription id"
	if strings.IndexFunc(input, unicode.IsLetter) >= 0 && strings.IndexFunc(input, unicode.IsDigit) < 0 {
		what = "This looks like a word or a name, not an NHS number or a prescription id"
	}
	return what + " — enter the patient's NHS number (10 digits, like 943 476 5919) or the prescription id from the token (like A3B4D9-Z42475-11E6B+)."
}

func isDash(r rune) bool { return unicode.Is(unicode.Pd, r) || r == '\u2212' }

func onlyIDCharacters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '+') {
			return false
		}
	}
	return true
}

// formOf is the form of a normalised id Spine accepts.
func formOf(id string) IDForm {
	if len(id) > 20 {
		return FormLong
	}
	return FormShort
}

// spaced writes a ten-digit NHS number as people read it: 999 257 4356.
func spaced(nhs string) string {
	if len(nhs) != 10 {
		return nhs
	}
	return nhs[:3] + " " + nhs[3:6] + " " + nhs[6:]
}
