package validate

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// The process has one validator: building it costs far more than using it,
// and it caches what it learns of each struct. It is built on first use, so
// a host that never validates never pays for it.
var instance = sync.OnceValue(newValidator)

// rules are the fields' own rules, by their tags in checked: the validator
// runs them all on a query; CheckNHSNumber and CheckPrescriptionID run an
// identifier's alone.
var rules = map[string]func(string) bool{
	"nhsnumber":          func(s string) bool { return s == "" || ValidNHSNumber(s) },
	"spinedate":          func(s string) bool { _, ok := tracker.ParseCompactDate(s); return ok },
	"prescriptionstatus": func(s string) bool { _, ok := tracker.LookupPrescriptionStatus(s); return ok },
	"messageversion":     func(s string) bool { return versionPattern().MatchString(s) },
	"prescriptionid":     func(s string) bool { return s == "" || SpineAcceptsPrescriptionID(s) },
	"issuenumber":        func(s string) bool { return ascii.Digits(s) && s[0] != '0' && len(s) <= 4 },
	"spineid":            func(s string) bool { return len(s) == 12 && ascii.Digits(s) },
	"traceid":            func(s string) bool { return tracePattern().MatchString(s) },
}

// The patterns of two rules, compiled on first use.
var (
	versionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[1-9][0-9]?(\.[0-9]{1,2})?$`) })
	tracePattern   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9-]{1,30}$`) })
)

// checked is a normalised Input as the validator sees it: the same
// fields, with their rules, named by their JSON names. They are unexported
// so that the validator reads them in place; with exported fields it boxes
// each into an interface first, which costs a third of a Check.
type checked struct {
	kind                string `field:"kind" validate:"omitempty,oneof=search retrieve"`
	nhsNumber           string `field:"nhsNumber" validate:"nhsnumber"`
	earliestDate        string `field:"earliestDate" validate:"omitempty,spinedate"`
	latestDate          string `field:"latestDate" validate:"omitempty,spinedate"`
	prescriptionStatus  string `field:"prescriptionStatus" validate:"omitempty,prescriptionstatus"`
	prescriptionVersion string `field:"prescriptionVersion" validate:"omitempty,oneof=1 2 R1 R2"`
	version             string `field:"version" validate:"omitempty,messageversion"`
	prescriptionID      string `field:"prescriptionId" validate:"prescriptionid"`
	issueNumber         string `field:"issueNumber" validate:"omitempty,issuenumber"`
	asid                string `field:"asid" validate:"omitempty,spineid"`
	userID              string `field:"userId" validate:"omitempty,spineid"`
	roleProfileID       string `field:"roleProfileId" validate:"omitempty,spineid"`
	traceID             string `field:"traceId" validate:"omitempty,traceid"`
}

func toChecked(n *Input) *checked {
	return &checked{
		kind: string(n.Kind), nhsNumber: n.NHSNumber, earliestDate: n.EarliestDate, latestDate: n.LatestDate,
		prescriptionStatus: n.PrescriptionStatus, prescriptionVersion: n.PrescriptionVersion, version: n.Version,
		prescriptionID: n.PrescriptionID, issueNumber: n.IssueNumber, asid: n.ASID, userID: n.UserID,
		roleProfileID: n.RoleProfileID, traceID: n.TraceID,
	}
}

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled(), validator.WithPrivateFieldValidation())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return f.Tag.Get("field") })
	for tag, ok := range rules {
		err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return ok(fl.Field().String()) })
		if err != nil {
			panic(err) // a programming error in the tags above
		}
	}
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		in := sl.Current().Addr().Interface().(*checked) // structErrors passes a pointer
		switch {
		case in.kind == string(KindSearch) && in.nhsNumber == "":
			sl.ReportError(in.nhsNumber, "nhsNumber", "nhsNumber", "required", "")
		case in.kind == string(KindRetrieve) && in.prescriptionID == "":
			sl.ReportError(in.prescriptionID, "prescriptionId", "prescriptionID", "required", "")
		}
		earliest, ok1 := tracker.ParseCompactDate(in.earliestDate)
		latest, ok2 := tracker.ParseCompactDate(in.latestDate)
		if ok1 && ok2 && latest.Before(earliest) {
			sl.ReportError(in.earliestDate, "earliestDate", "earliestDate", "dateorder", "")
		}
	}, checked{})
	return v
}

// structErrors runs the validator over the normalised input and turns its
// errors into ours, explained for a person. raw is the input as typed.
func structErrors(n, raw *Input) []FieldError {
	err := instance().Struct(toChecked(n))
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		if err != nil { // cannot happen for a struct value; keep the cause
			return []FieldError{{Field: "input", Message: err.Error()}}
		}
		return nil
	}
	out := make([]FieldError, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, fieldError(fe.Field(), fe.Tag(), n, raw))
	}
	return out
}

// identifierErrors finds what the validator finds in an input of one
// identifier and its kind, without it: the identifier missing, or failing
// its rule.
func identifierErrors(n, raw *Input) []FieldError {
	name, tag := "nhsNumber", "nhsnumber"
	if n.Kind == KindRetrieve {
		name, tag = "prescriptionId", "prescriptionid"
	}
	switch id := *n.Field(name); {
	case id == "":
		tag = "required"
	case rules[tag](id):
		return nil
	}
	return []FieldError{fieldError(name, tag, n, raw)}
}

// fieldError is the error of the field name, which failed the rule tag.
func fieldError(name, tag string, n, raw *Input) FieldError {
	return FieldError{Field: name, SpineCode: spineCodes[name], Message: explain(name, tag, n, raw)}
}

// labels are the names people know the fields by.
var labels = map[string]string{
	"kind":                "Kind",
	"nhsNumber":           "NHS number",
	"earliestDate":        "Earliest date",
	"latestDate":          "Latest date",
	"prescriptionStatus":  "Prescription status",
	"prescriptionVersion": "Prescription version",
	"version":             "Version",
	"prescriptionId":      "Prescription id",
	"issueNumber":         "Issue number",
	"asid":                "ASID",
	"userId":              "User id",
	"roleProfileId":       "Role profile id",
	"traceId":             "Trace id",
}

// explain says what is wrong with a field and how to fix it, in words a
// person at a pharmacy counter can act on. It never repeats an NHS number or
// a prescription id in clear.
func explain(name, tag string, n, raw *Input) string {
	switch name {
	case "kind":
		return fmt.Sprintf("Kind %q is not a query — use \"search\" or \"retrieve\".", clip(string(raw.Kind)))
	case "nhsNumber":
		return explainNHSNumber(n.NHSNumber)
	case "earliestDate":
		if tag == "dateorder" {
			e, _ := tracker.ParseCompactDate(n.EarliestDate)
			l, _ := tracker.ParseCompactDate(n.LatestDate)
			return fmt.Sprintf("Earliest date %s is after latest date %s — swap them, or correct one.", e.Human(), l.Human())
		}
		return explainDate("Earliest date", raw.EarliestDate, n.EarliestDate)
	case "latestDate":
		return explainDate("Latest date", raw.LatestDate, n.LatestDate)
	case "prescriptionStatus":
		return explainStatus(raw.PrescriptionStatus)
	case "prescriptionVersion":
		return fmt.Sprintf("Prescription version %q is not one Spine knows — use R2 (short ids, as now) or R1 (long ids), or 2 or 1.", clip(raw.PrescriptionVersion))
	case "version":
		return fmt.Sprintf("Version %q is not a message version — leave it empty, or use a number such as 1 or 1.0.", clip(raw.Version))
	case "prescriptionId":
		return explainPrescriptionID(n.PrescriptionID)
	case "issueNumber":
		return fmt.Sprintf("Issue number %q is not an issue — use a whole number from 1 (the first issue) up to 9999, or leave it empty for the current issue.", clip(raw.IssueNumber))
	case "asid":
		return "ASID must be exactly 12 digits — it is the Accredited System ID that came with your Spine certificate."
	case "userId":
		return "User id must be exactly 12 digits — it is the user's id on their NHS smartcard."
	case "roleProfileId":
		return "Role profile id must be exactly 12 digits — it is the id of the role chosen on the user's NHS smartcard."
	case "traceId":
		return "Trace id must be 1 to 30 characters, each a letter, a digit or a hyphen."
	}
	return fmt.Sprintf("%s is not valid.", name)
}

func explainNHSNumber(s string) string {
	if s == "" {
		return "Enter the patient's NHS number: 10 digits, like 943 476 5919."
	}
	if r, n := stray(s, func(r rune) bool { return r >= '0' && r <= '9' }); n > 0 {
		if _, other := stray(s, unicode.IsDigit); other == 0 {
			return fmt.Sprintf("An NHS number has only digits 0 to 9 (spaces and hyphens are fine) — this has digits of another script, such as the %s: type it again with the keyboard set to English.", character(r))
		}
		return "An NHS number has only digits (spaces and hyphens are fine) — " + removeThe(r, n, "NHS number") + "."
	}
	switch {
	case len(s) < 10:
		return fmt.Sprintf("NHS number has %d digits but needs 10 — look for a digit left out.", len(s))
	case len(s) > 10:
		return fmt.Sprintf("NHS number has %d digits but needs 10 — look for a digit typed twice.", len(s))
	}
	if _, ok := NHSCheckDigit(s[:9]); !ok {
		return fmt.Sprintf("NHS number %s cannot be right: no NHS number begins with those nine digits — check each digit against the patient's record.", redact.NHSNumber(s))
	}
	return fmt.Sprintf("NHS number %s fails its check digit — check the last digit, and look for two digits typed the wrong way round.", redact.NHSNumber(s))
}

// stray returns the first character of s that ok refuses, and how many
// characters it refuses.
func stray(s string, ok func(rune) bool) (first rune, n int) {
	for _, r := range s {
		if !ok(r) {
			if n == 0 {
				first = r
			}
			n++
		}
	}
	return first, n
}

// removeThe asks for a stray character to be removed, naming it; or, when
// there are several, says how many there are without quoting any of them,
// since that is a name or another detail given by mistake, not a slip of a
// key, and one character at a time would give away part of it.
func removeThe(first rune, n int, what string) string {
	if n < 3 {
		return "remove the " + character(first)
	}
	return fmt.Sprintf("this has %d other characters: check that it is the %s, not another detail", n, what)
}

func explainDate(label, raw, n string) string {
	if len(n) == 8 && ascii.Digits(n) {
		y, m, d := ascii.Atoi(n[0:4]), ascii.Atoi(n[4:6]), ascii.Atoi(n[6:8])
		switch {
		case y < 1:
			return fmt.Sprintf("%s %s has year 0000 — write the date as yyyymmdd.", label, n)
		case m < 1 || m > 12:
			return fmt.Sprintf("%s %s has month %02d, but months run from 01 to 12 — write the date as yyyymmdd.", label, n, m)
		case d < 1:
			return fmt.Sprintf("%s %s has day 00 — write the date as yyyymmdd.", label, n)
		default:
			month := time.Month(m)
			days := time.Date(y, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
			return fmt.Sprintf("%s %s does not exist: %s %d has %d days.", label, n, month, y, days)
		}
	}
	return fmt.Sprintf("%s %q is not a date Spine understands — write it as yyyymmdd, e.g. 20250610 for 10 June 2025.", label, clip(raw))
}

func explainPrescriptionID(id string) string {
	if id == "" {
		return "Enter the prescription id: 20 characters like A3B4D9-Z42475-11E6B+, as printed on the prescription token."
	}
	if LooksLikeNHSNumber(id) {
		return fmt.Sprintf("Prescription id %s is 10 digits: that looks like an NHS number — search for the patient's prescriptions with it instead.", redact.NHSNumber(id))
	}
	if r, n := stray(id, func(r rune) bool { return r < utf8.RuneSelf && idChar(byte(r)) }); n > 0 {
		return "A prescription id has only letters, digits, hyphens and + — " + removeThe(r, n, "prescription id") + "."
	}
	bare := len(strings.ReplaceAll(id, "-", ""))
	switch {
	case bare < 18:
		return fmt.Sprintf("Prescription id has %d letters and digits, too few for any id (a short id like A3B4D9-Z42475-11E6B+ has 18) — look for characters left out.", bare)
	case bare < 33:
		return fmt.Sprintf("Prescription id has %d letters and digits: a short id like A3B4D9-Z42475-11E6B+ has 18, a long id 33 — look for characters left out or typed twice.", bare)
	default:
		return fmt.Sprintf("Prescription id has %d letters and digits, more than any id (a long id has 33) — look for characters typed twice.", bare)
	}
}

// clip shortens what a person typed before it is quoted back to them.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 24 {
		return string([]rune(s)[:24]) + "…"
	}
	return s
}
