package validate

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// The prescription status filter is sent as a four-digit code, but people
// give it as the code, as Spine's text in any of the wordings Spine's
// services use ("With Dispenser - Active", "with dispenser active"), or as
// the label the tracker shows them ("With a pharmacy"). Names are compared
// word by word, ignoring case and punctuation.

// statusLabels maps the words of each status's label, run together, to
// its code.
var statusLabels = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, 16)
	for _, st := range tracker.PrescriptionStatuses() {
		m[strings.Join(words(st.Plain), "")] = st.Code
	}
	return m
})

// normalizeStatus returns the code of a status given as its code ("0001",
// or "1" for short), its text or its label; anything else is returned
// trimmed, to be refused.
func normalizeStatus(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if ascii.Digits(s) && len(s) < 4 {
		s = strings.Repeat("0", 4-len(s)) + s
	}
	if _, ok := tracker.LookupPrescriptionStatus(s); ok {
		return s
	}
	if st, ok := tracker.PrescriptionStatusByText(s); ok {
		return st.Code
	}
	if code, ok := statusLabels()[strings.Join(words(s), "")]; ok {
		return code
	}
	return s
}

// explainStatus says why a status filter was refused: the statuses whose
// name holds its words, when there are any, so that the person can pick
// one; otherwise what a status filter looks like.
func explainStatus(raw string) string {
	could := statusesNaming(raw)
	if len(could) == 0 {
		return fmt.Sprintf("Prescription status %q is not one Spine knows — use a four-digit code such as 0001 (To Be Dispensed) or 0006 (Dispensed), or a status as the tracker shows it, such as \"With a pharmacy\"; the codes are 0000 to 0009, 9000, 9001 and 9005.", clip(raw))
	}
	names := make([]string, len(could))
	for i, st := range could {
		names[i] = fmt.Sprintf("%s (%s)", st.Code, st.Plain)
	}
	list := names[0]
	if n := len(names); n > 1 {
		list = strings.Join(names[:n-1], ", ") + " or " + names[n-1]
	}
	if len(could) == 1 {
		return fmt.Sprintf("Prescription status %q could mean %s — give its code, or its name in full.", clip(raw), list)
	}
	return fmt.Sprintf("Prescription status %q could mean %s — give the code of the one you mean.", clip(raw), list)
}

// statusesNaming returns the statuses whose text or label holds the words
// of s, in order and whole.
func statusesNaming(s string) []tracker.StatusInfo {
	want := words(s)
	if len(want) == 0 {
		return nil
	}
	var found []tracker.StatusInfo
	for _, st := range tracker.PrescriptionStatuses() {
		if holds(words(st.Text), want) || holds(words(st.Plain), want) {
			found = append(found, st)
		}
	}
	return found
}

// holds reports whether run appears in ws, word for word.
func holds(ws, run []string) bool {
	for i := 0; i+len(run) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// words splits s into its runs of letters and digits, in lower case.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}
