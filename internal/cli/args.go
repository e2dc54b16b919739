package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// queryFlags are the fields of a query as typed, under the names every
// command gives them: --nhs-number, --from, --to, --status, --version (the
// prescription version, R1 or R2), --message-version, --id, --issue.
type queryFlags struct {
	nhsNumber, from, to, status, version, messageVersion, id, issue string
}

// Flags of the query, by kind. The names the flags had before they were the
// same in every command stay as aliases.
const (
	searchFields = 1 << iota
	retrieveFields
)

// register adds the flags of the given kinds of query to fs.
func (q *queryFlags) register(fs *flag.FlagSet, kinds int) {
	alias := func(dst *string, names ...string) {
		for _, name := range names {
			fs.StringVar(dst, name, "", "")
		}
	}
	if kinds&searchFields != 0 {
		alias(&q.nhsNumber, "nhs-number")
		alias(&q.from, "from", "earliest-date")
		alias(&q.to, "to", "latest-date")
		alias(&q.status, "status")
		alias(&q.version, "version", "prescription-version")
	}
	if kinds&retrieveFields != 0 {
		alias(&q.id, "id")
		alias(&q.issue, "issue")
	}
	alias(&q.messageVersion, "message-version")
}

// checkVersion refuses a --version that is not a prescription version: it
// once meant the message version in eps-tracker validate.
func (q *queryFlags) checkVersion() error {
	if q.version == "" {
		return nil
	}
	for _, e := range validate.Check(validate.Input{PrescriptionVersion: q.version}, time.Time{}).Errors {
		if e.Field == "prescriptionVersion" {
			return errors.New("--version is the prescription version: R2 (short ids, as now), R1 (long ids), 2 or 1. " +
				"For the version of Spine's messages (such as 1.0), use --message-version.")
		}
	}
	return nil
}

// The identifiers people type in place of flags. Typed without quotes, a
// value with spaces reaches the command as several arguments; these put it
// back together, and turn away the identifier of the other command.

// nhsNumberArgument returns the NHS number given with --nhs-number (flag)
// or as the arguments, in any form --nhs-number accepts ("999 257 4356",
// "999-257-4356", or split by the shell into 999 257 4356).
func nhsNumberArgument(flag string, args []string) (string, error) {
	if len(args) == 0 {
		return flag, nil
	}
	joined := strings.Join(args, " ")
	if flag != "" {
		if joined := flag + " " + joined; !validate.LooksLikeNHSNumber(flag) && validate.LooksLikeNHSNumber(joined) {
			return joined, nil // --nhs-number 999 257 4356
		}
		return "", errors.New("give the NHS number once, with --nhs-number or as the argument (in quotes if it has spaces).")
	}
	numbers := 0
	for _, a := range args {
		if validate.LooksLikeNHSNumber(a) {
			numbers++
		}
	}
	if numbers > 1 {
		return "", errors.New("give one NHS number at a time. For a list of patients, put them in a file, one a line, and use --batch FILE.")
	}
	return joined, nil
}

// prescriptionIDArgument returns the id given with --id (flag) or as the
// arguments, whose pieces may have been split at the spaces.
func prescriptionIDArgument(flag string, args []string) (string, error) {
	if len(args) == 0 {
		return flag, nil
	}
	accepted := func(id string) bool { return validate.SpineAcceptsPrescriptionID(validate.NormalizePrescriptionID(id)) }
	joined := strings.Join(args, " ")
	if flag != "" {
		if joined := flag + " " + joined; !accepted(flag) && accepted(joined) {
			return joined, nil // --id 4422FC 0V0X26 3DFC55
		}
		return "", errors.New("give the prescription id once, with --id or as the argument (in quotes if it has spaces).")
	}
	ids := 0
	for _, a := range args {
		if accepted(a) {
			ids++
		}
	}
	if ids > 1 {
		return "", errors.New("give one prescription id at a time.")
	}
	return joined, nil
}

// notAnNHSNumber turns away a prescription id given for a search.
func notAnNHSNumber(s string) error {
	if validate.LooksLikeNHSNumber(s) || !validate.SpineAcceptsPrescriptionID(validate.NormalizePrescriptionID(s)) {
		return nil
	}
	return fmt.Errorf("%s looks like a prescription id, not an NHS number. To open that prescription, use eps-tracker retrieve with the id.",
		redact.PrescriptionID(validate.NormalizePrescriptionID(s)))
}

// notAPrescriptionID turns away an NHS number given for a retrieve.
func notAPrescriptionID(s string) error {
	if !validate.LooksLikeNHSNumber(s) {
		return nil
	}
	return fmt.Errorf("%s looks like an NHS number, not a prescription id. To find the patient's prescriptions, use eps-tracker search with the number.",
		redact.NHSNumber(s))
}
