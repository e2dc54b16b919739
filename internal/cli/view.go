package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// statusLabel is a status in plain English, with Spine's own words after it.
func statusLabel(c tracker.Code) string {
	st, ok := tracker.LookupPrescriptionStatus(c.Code)
	switch {
	case !ok && c.Text != "":
		return c.Text + " (" + c.Code + ")"
	case !ok:
		return "unknown status " + c.Code
	case strings.EqualFold(st.Plain, c.Text) || c.Text == "":
		return st.Plain
	}
	return st.Plain + " (" + c.Text + ")"
}

func instant(t *tracker.Timestamp) string {
	if t == nil {
		return "—"
	}
	return tracker.LondonDate(t.Time).Human() + tracker.London(t.Time).Format(" 15:04")
}

func day(t *tracker.Timestamp) string {
	if t == nil {
		return "—"
	}
	return tracker.LondonDate(t.Time).Human()
}

func dateOr(d tracker.Date) string {
	if d.IsZero() {
		return "—"
	}
	return d.Human()
}

// writeSearch shows a search's prescriptions grouped current, future, past,
// to fit the terminal (80 columns when not a terminal): each prescription
// on a line, and its status in full on the line below. With none, it says
// how to look further, today being the day in the UK.
func writeSearch(w io.Writer, nhs string, res *client.SearchResult, from answerer, filter searchFilter, today tracker.Date) {
	cols := width(w)
	fmt.Fprintln(w, wrap(fmt.Sprintf("Prescriptions for NHS number %s issued %s to %s (%s)",
		spacedNHSNumber(nhs), res.EarliestDate.Human(), res.LatestDate.Human(), from.where), cols, "  "))
	if filter.words != "" {
		fmt.Fprintln(w, wrap("Only those with "+filter.words+".", cols, ""))
	}
	if len(res.Prescriptions) == 0 {
		later := res.LatestDate // a year past the window, or past today if the window ended before
		if later.Before(today) {
			later = today
		}
		advice := "Prescriptions issued earlier or later need " + strings.Join([]string{"--from", "and", "--to;"}, nbsp) +
			" future-dated ones are issued after today, e.g. --to" + nbsp + later.AddDays(365).Compact() + "."
		if filter.words == "" {
			fmt.Fprintf(w, "\nNone found in this window.\n%s\n", wrap(advice, cols, ""))
			return
		}
		fmt.Fprintf(w, "\n%s\n%s\n", wrap("None found with "+filter.words+".", cols, ""),
			wrap("The filter may be why: search again without "+filter.flags+" to see every prescription. "+advice, cols, ""))
		return
	}
	var pending int
	for _, g := range []struct {
		group tracker.Group
		title string
	}{{tracker.GroupCurrent, "Current"}, {tracker.GroupFuture, "Future"}, {tracker.GroupPast, "Past"}} {
		var rows []tracker.Summary
		for _, s := range res.Prescriptions {
			if s.Group() == g.group {
				rows = append(rows, s)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", g.title, len(rows))
		table := [][]string{{"Issued", "Prescription id", "Treatment", "Items"}}
		var statuses []string
		for _, s := range rows {
			is, _ := s.CurrentIssue()
			status := statusLabel(is.Status)
			if len(s.Issues) > 1 {
				status += fmt.Sprintf(", issue %d of %d", is.Number, len(s.Issues))
			}
			if s.PendingCancellations {
				status += " — cancellation pending"
				pending++
			}
			table = append(table, []string{day(s.IssueDate), s.ID, s.TreatmentType.Text, strconv.Itoa(len(is.LineItems))})
			statuses = append(statuses, status)
		}
		// The status goes under the id, a column in from the date.
		under := strings.Repeat(" ", 2+utf8.RuneCountInString(day(rows[0].IssueDate))+2)
		for i, line := range columns(table) {
			fmt.Fprintln(w, "  "+line)
			if i > 0 {
				fmt.Fprintln(w, wrap(under+statuses[i-1], cols, under))
			}
		}
	}
	if pending > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, wrap(fmt.Sprintf("%d with a cancellation pending: the prescriber has asked for it to be cancelled while a pharmacy has it.", pending), cols, ""))
	}
	for _, s := range res.Prescriptions {
		for _, in := range s.Inconsistencies {
			fmt.Fprintln(w, wrap(fmt.Sprintf("! %s: %s's answer is inconsistent: %s", s.ID, from.who, in.Message), cols, "  "))
		}
	}
	fmt.Fprintf(w, "\nOpen one with: eps-tracker retrieve %s\n", res.Prescriptions[0].ID)
}

// writeRetrieve shows one prescription in full, to fit the terminal (80
// columns when not a terminal): values too long for a line go on below.
func writeRetrieve(w io.Writer, res *client.RetrieveResult, from answerer) {
	cols := width(w)
	p := res.Prescription
	form := "R2, short id"
	if len(p.ID) > 20 {
		form = "R1, long id"
	}
	fmt.Fprintln(w, wrap(fmt.Sprintf("Prescription %s (%s, %s)", p.ID, form, from.where), cols, "  "))
	fmt.Fprintln(w)
	const labels = len("Nominated pharmacy") // the longest
	under := strings.Repeat(" ", 2+labels+2)
	row := func(label, value string) {
		fmt.Fprintln(w, wrap(fmt.Sprintf("  %-*s  %s", labels, label, value), cols, under))
	}
	row("Patient NHS number", spacedNHSNumber(p.PatientNHSNumber))
	if p.Issue != nil {
		row("Status", statusLabel(p.Issue.Status))
		row("Issue", fmt.Sprintf("%d (current issue: %d)", p.Issue.Number, p.CurrentIssueNumber))
	} else {
		row("Issue", fmt.Sprintf("no details (current issue: %d)", p.CurrentIssueNumber))
	}
	row("Treatment", p.TreatmentType.Text)
	row("Prescription type", strings.TrimSpace(p.Type.Code+" "+p.Type.Text))
	row("Signed", instant(p.SigningDate))
	row("Last event", instant(p.LastEventDate))
	if p.DaysSupply > 0 {
		row("Days' supply", fmt.Sprint(p.DaysSupply))
	}
	row("Prescriber", organisation(p.Prescriber))
	row("Nominated pharmacy", organisation(p.NominatedDispenser))
	if p.PendingCancellations {
		row("Cancellation", "pending: the prescriber has asked for it to be cancelled")
	}
	if is := p.Issue; is != nil {
		row("Dispenser", organisation(is.Dispenser))
		row("Last dispensed", dateOr(is.LastDispenseDate))
		if is.AppliedCancellations {
			row("Cancellations", "applied")
		}
	}
	if p.Issue != nil && len(p.Issue.LineItems) > 0 {
		fmt.Fprintln(w, "\n  Items")
		for _, li := range p.Issue.LineItems {
			fmt.Fprintln(w, wrap(fmt.Sprintf("    %d  %s", li.Number, li.Status.Text), cols, "       "))
		}
	}
	for _, in := range p.Inconsistencies {
		fmt.Fprintln(w, wrap(fmt.Sprintf("! %s's answer is inconsistent: %s", from.who, in.Message), cols, "  "))
	}
}

func organisation(o *tracker.Organisation) string {
	if o == nil || o.ODS == "" && o.Name == "" {
		return "—"
	}
	s := o.Name
	if o.ODS != "" {
		s += " (" + o.ODS + ")"
	}
	if o.Contact != "" {
		s += ", " + o.Contact
	}
	return strings.TrimSpace(s)
}

// writeWarnings shows what the offline check found suspicious.
func writeWarnings(w io.Writer, warnings []validate.Warning) {
	cols := width(w)
	for _, warn := range warnings {
		fmt.Fprintln(w, wrap("! "+warn.Message, cols, "  "))
		if len(warn.Suggestions) > 0 {
			fmt.Fprintln(w, wrap("  Did you mean "+strings.Join(warn.Suggestions[:min(3, len(warn.Suggestions))], " or ")+"?", cols, "  "))
		}
	}
}

// explain says what went wrong and what to do next, in one or two lines.
// It names no patient identifier in clear, and names the tracker that
// answered as from says.
func explain(err error, id string, from answerer) string {
	var (
		ve *validate.Error
		se *tracker.StatusError
		pe *tracker.ParseError
		te *client.TransportError
	)
	trace := ""
	if t := client.TraceID(err); t != "" {
		trace = "\nTrace id " + t + " — give it to the service desk if this goes on."
		if from.who != "Spine" {
			trace = "\nTrace id " + t + "." // no service desk answers for the sandbox
		}
	}
	switch {
	case errors.As(err, &ve):
		msgs := make([]string, len(ve.Fields))
		for i, f := range ve.Fields {
			msgs[i] = "• " + f.Message
		}
		return strings.Join(msgs, "\n") + "\nNothing was sent."
	case errors.Is(err, tracker.ErrNotFound):
		return from.who + " has no prescription " + redact.PrescriptionID(validate.NormalizePrescriptionID(id)) + ". Check the id against the prescription token." + trace
	case errors.Is(err, tracker.ErrIssueNotFound):
		return "This prescription has no such issue. Leave out --issue for the current one." + trace
	case errors.Is(err, tracker.ErrNotUnique):
		return from.who + " found more than one prescription with this id and cannot tell them apart. Report it with the trace id." + trace
	case errors.Is(err, tracker.ErrRequestRefused) && errors.As(err, &se):
		return fmt.Sprintf("%s refused the request: %s (code %d). Check the connection settings (ASID, user and role ids).%s", from.who, se.Reason, se.Code, trace)
	case errors.As(err, &se):
		return fmt.Sprintf("%s could not answer: %s (code %d). Try again in a few minutes.%s", from.who, se.Reason, se.Code, trace)
	case errors.As(err, &te):
		return explainTransport(te, from) + trace
	case client.IsTruncated(err):
		return "The answer was cut off before its end. Try again; if it goes on, check the network, or a proxy in between." + trace
	case errors.As(err, &pe):
		return "The answer did not come from Spine's tracker (" + pe.Detail + "). Check the base URL, or a proxy in between." + trace
	}
	return err.Error()
}

func explainTransport(te *client.TransportError, from answerer) string {
	attempts := ""
	if te.Attempts > 1 {
		attempts = fmt.Sprintf(" after %d attempts", te.Attempts)
	}
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.Is(te.Err, context.Canceled):
		return "Stopped."
	case te.Timeout():
		return "No answer in time" + attempts + ". Check the network connection and try again; " + from.inSentence() + " may be slow."
	case client.IsTruncated(te):
		return "The answer was cut off before its end" + attempts + ". Try again; if it goes on, check the network, or a proxy in between."
	case (te.StatusCode == 429 || te.StatusCode >= 502 && te.StatusCode <= 504) && te.RetryAfter > 0:
		return fmt.Sprintf("%s is busy or unavailable (HTTP %d)%s and asked to wait %s, more than the time left. Try again after that.",
			from.who, te.StatusCode, attempts, waitInWords(te.RetryAfter))
	case te.StatusCode == 429 || te.StatusCode >= 502 && te.StatusCode <= 504:
		return fmt.Sprintf("%s is busy or unavailable (HTTP %d)%s. Try again in a few minutes.", from.who, te.StatusCode, attempts)
	case te.StatusCode == 404:
		return "Nothing answers at that address (HTTP 404). Check the base URL: it ends in /mm/prescriptions."
	case te.StatusCode == 401 || te.StatusCode == 403:
		return fmt.Sprintf("Access was refused (HTTP %d). Check the certificate and ASID.", te.StatusCode)
	case te.StatusCode != 0:
		return fmt.Sprintf("The server answered HTTP %d%s. Try again; if it goes on, report it.", te.StatusCode, attempts)
	case errors.As(te.Err, &dns):
		return "The address could not be found (" + dns.Name + "). Check the base URL and the network."
	case strings.Contains(te.Err.Error(), "certificate") || strings.Contains(te.Err.Error(), "tls:"):
		return "The secure connection failed: " + te.Err.Error() + ". Check --cert, --key and --ca."
	case errors.As(te.Err, &op):
		return "Could not connect" + attempts + " (" + op.Err.Error() + "). Check the network and the base URL; is the service running?"
	}
	return "The connection failed" + attempts + ": " + te.Err.Error() + ". Check the network and try again."
}

// waitInWords says how long a wait is, to the second, in words: "2 hours",
// "1 minute 30 seconds"; past a day, "more than a day".
func waitInWords(d time.Duration) string {
	if d > 24*time.Hour {
		return "more than a day"
	}
	d = d.Round(time.Second)
	var parts []string
	for _, unit := range []struct {
		size time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		switch n := d / unit.size; {
		case n == 1:
			parts = append(parts, "1 "+unit.name)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", n, unit.name))
		}
		d %= unit.size
	}
	if len(parts) == 0 {
		return "less than a second"
	}
	return strings.Join(parts, " ")
}
