package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/eps-tracker/eps-tracker/core/service"
)

// The terminal's layout of core/service's views. What a person is told
// (labels, groups, order, guidance, explanations) comes from the views;
// this file only lays them out in 80 columns.

// statusText is a status as the terminal shows it: our label, with Spine's
// words after it when they differ, and the code of one Spine does not
// document.
func statusText(s service.Status) string {
	switch {
	case !s.Known && s.Code != "" && !strings.Contains(s.Label, s.Code):
		return s.Label + " (" + s.Code + ")"
	case s.SpineText == "" || strings.EqualFold(s.Label, s.SpineText) || !s.Known:
		return s.Label
	}
	return s.Label + " (" + s.SpineText + ")"
}

// shown is a date or an instant as the terminal shows it: "—" for none.
func shown(d *service.DateText) string {
	if d == nil {
		return "—"
	}
	return d.Display
}

// writeSearch shows a search's view to fit the terminal (80 columns when
// not a terminal): each group's rows, one per issue, with the status in
// full on the line below each; and, when the list is empty or may be
// incomplete, why a prescription may not be in it, with the search to try.
func writeSearch(w io.Writer, v service.SearchView) {
	cols := width(w)
	fmt.Fprintln(w, wrap(fmt.Sprintf("Prescriptions for NHS number %s %s (%s)",
		v.Patient.Display, v.Window.Description, v.Source.Label), cols, "  "))
	if v.Filter != nil {
		fmt.Fprintln(w, wrap("Only those with "+v.Filter.Description+".", cols, ""))
	}
	for _, g := range v.Groups {
		if g.Count == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", g.Title, g.Count)
		table := [][]string{{"Issued", "Prescription id", "Treatment", "Items"}}
		var statuses []string
		for _, r := range g.Rows {
			status := statusText(r.Status)
			if r.IssueLabel != "" {
				status += ", " + strings.ToLower(r.IssueLabel[:1]) + r.IssueLabel[1:]
			}
			if r.PendingCancellation {
				status += " — cancellation pending"
			}
			table = append(table, []string{shown(r.IssueDate), r.PrescriptionID, r.Treatment.Label, strconv.Itoa(r.Items)})
			statuses = append(statuses, status)
		}
		// The status goes under the id, a column in from the date.
		lines := columns(table)
		under := strings.Repeat(" ", 2+strings.Index(lines[0], "Prescription id"))
		for i, line := range lines {
			fmt.Fprintln(w, "  "+line)
			if i > 0 {
				fmt.Fprintln(w, wrap(under+statuses[i-1], cols, under))
			}
		}
	}
	if len(v.Notices) > 0 {
		fmt.Fprintln(w)
	}
	for _, n := range v.Notices {
		fmt.Fprintln(w, wrap(n, cols, ""))
	}
	for _, g := range v.Groups {
		for _, r := range g.Rows {
			for _, in := range r.Inconsistencies {
				fmt.Fprintln(w, wrap(fmt.Sprintf("! %s: %s's answer is inconsistent: %s", r.PrescriptionID, capital(v.Source.Name), in), cols, "  "))
			}
		}
	}
	if v.Empty || v.MayBeIncomplete {
		for _, g := range v.Guidance {
			fmt.Fprintln(w)
			fmt.Fprintln(w, wrap(g.Message, cols, ""))
			if g.Try != nil {
				fmt.Fprintln(w, wrap("  "+g.TryLabel+": "+searchCommand(*g.Try), cols, "    "))
			}
		}
	}
	for _, g := range v.Groups {
		if g.Count > 0 {
			fmt.Fprintf(w, "\nOpen one with: eps-tracker retrieve %s\n", g.Rows[0].PrescriptionID)
			break
		}
	}
}

// searchCommand is the command that makes a search, each flag kept with
// its value when the line is wrapped.
func searchCommand(q service.SearchQuery) string {
	args := []string{"eps-tracker search", q.NHSNumber}
	for _, f := range []struct{ flag, value string }{
		{"--from", q.EarliestDate}, {"--to", q.LatestDate}, {"--status", q.PrescriptionStatus},
		{"--version", q.PrescriptionVersion}, {"--message-version", q.Version},
	} {
		if f.value == "" {
			continue
		}
		value := f.value
		if strings.ContainsAny(value, " \"'") {
			value = strconv.Quote(value)
		}
		args = append(args, f.flag+nbsp+strings.ReplaceAll(value, " ", nbsp))
	}
	return strings.Join(args, " ")
}

// writeRetrieve shows a prescription's view to fit the terminal (80
// columns when not a terminal): values too long for a line go on below.
func writeRetrieve(w io.Writer, v service.PrescriptionView) {
	cols := width(w)
	b := v.Banner
	fmt.Fprintln(w, wrap(fmt.Sprintf("Prescription %s (%s, %s)", b.PrescriptionID, b.IDFormLabel, v.Source.Label), cols, "  "))
	fmt.Fprintln(w)
	const labels = len("Nominated pharmacy") // the longest
	under := strings.Repeat(" ", 2+labels+2)
	row := func(label, value string) {
		fmt.Fprintln(w, wrap(fmt.Sprintf("  %-*s  %s", labels, label, value), cols, under))
	}
	row("Patient NHS number", v.Patient.Display)
	if b.Status != nil {
		row("Status", statusText(*b.Status))
	}
	issue := strconv.Itoa(v.Issue.Number)
	if b.IssueLabel != "" {
		issue = strings.TrimPrefix(b.IssueLabel, "Issue ")
	}
	if v.Issue.Current {
		issue += " (current)"
	}
	row("Issue", issue)
	row("Treatment", b.Treatment.Label)
	row("Prescription type", strings.Join(nonEmpty(b.Type.Code+" "+b.Type.Label, b.Type.Country), ", "))
	row("Signed", shown(b.SigningDate))
	row("Last event", shown(b.LastEventDate))
	if b.DaysSupply > 0 {
		row("Days' supply", strconv.Itoa(b.DaysSupply))
	}
	row("Prescriber", organisation(v.Prescriber))
	row("Nominated pharmacy", organisation(v.NominatedDispenser))
	if b.PendingCancellation {
		row("Cancellation", "pending: the prescriber has asked for it to be cancelled")
	}
	if is := v.Issue; is.Found {
		row("Dispenser", organisation(is.Dispenser))
		row("Last dispensed", shown(is.LastDispenseDate))
		if is.AppliedCancellations {
			row("Cancellations", "applied")
		}
	}
	if len(v.Issue.Items) > 0 {
		fmt.Fprintln(w, "\n  Items")
		for _, it := range v.Issue.Items {
			fmt.Fprintln(w, wrap(fmt.Sprintf("    %d  %s", it.Number, statusText(it.Status)), cols, "       "))
		}
	}
	if len(v.Issues.Entries) > 1 || !v.Issues.Complete {
		fmt.Fprintln(w, "\n  Issues")
		table := [][]string{}
		for _, e := range v.Issues.Entries {
			mark, current := " ", ""
			if e.Shown {
				mark = ">"
			}
			if e.Current {
				current = "current"
			}
			table = append(table, []string{mark, strings.TrimPrefix(e.Label, "Issue "), shown(e.IssueDate), current, statusText(e.Status)})
		}
		for i, line := range columns(table) {
			// A status too long for the line goes on below, in its column.
			status := utf8.RuneCountInString(line) - utf8.RuneCountInString(table[i][4])
			fmt.Fprintln(w, wrap("  "+line, cols, strings.Repeat(" ", 2+status)))
		}
		if v.Course != nil {
			fmt.Fprintln(w, wrap("  "+v.Course.Summary, cols, "  "))
		}
		if v.Issues.Note != "" {
			fmt.Fprintln(w, wrap("  "+v.Issues.Note, cols, "  "))
		}
	}
	if len(v.Notices) > 0 {
		fmt.Fprintln(w)
	}
	for _, n := range v.Notices {
		fmt.Fprintln(w, wrap(n, cols, ""))
	}
	for _, in := range v.Inconsistencies {
		fmt.Fprintln(w, wrap(fmt.Sprintf("! %s's answer is inconsistent: %s", capital(v.Source.Name), in), cols, "  "))
	}
}

func organisation(o *service.Organisation) string {
	if o == nil {
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

// nonEmpty returns the values that are not empty or spaces, trimmed.
func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// writeWarnings shows what the offline check found suspicious, with the
// corrections it suggests.
func writeWarnings(w io.Writer, warnings []service.Warning) {
	cols := width(w)
	for _, warn := range warnings {
		fmt.Fprintln(w, wrap("! "+warn.Message, cols, "  "))
		if len(warn.Suggestions) > 0 {
			fmt.Fprintln(w, wrap("  Did you mean "+strings.Join(warn.Suggestions, " or ")+"?", cols, "  "))
		}
	}
}

// explain is what a failed lookup says on the terminal: the service's
// message, or, for a query refused offline, each field's and that nothing
// was sent.
func explain(e *service.Error) string {
	if e.Kind != service.KindValidation || len(e.Fields) == 0 {
		return e.Message
	}
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = "• " + f.Message
	}
	return strings.Join(msgs, "\n") + "\nNothing was sent."
}

// capital starts s with a capital letter: "the sandbox" → "The sandbox".
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
