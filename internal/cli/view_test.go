package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// TestViewsFit80Columns shows every patient of the sandbox, with and
// without the quirks of real answers, and every one of their prescriptions:
// no line is wider than 80 columns, whatever the row (R1 ids, repeat
// issues, pending cancellations, long prescriber types and names).
func TestViewsFit80Columns(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return testNow }
	for _, quirks := range []bool{false, true} {
		c, err := client.New(client.WithSandbox(sandbox.Config{Now: now, Quirks: quirks}), client.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		from := answererOf(c)
		for _, p := range sandbox.New(sandbox.Config{Now: now}).Patients() {
			res, err := c.Search(context.Background(), client.SearchQuery{NHSNumber: p.NHSNumber})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			writeSearch(&out, p.NHSNumber, res, from, searchFilter{}, tracker.LondonDate(testNow))
			writeWarnings(&out, res.Warnings)
			wantFit(t, "search "+p.NHSNumber, out.String())
			for _, id := range p.PrescriptionIDs {
				res, err := c.Retrieve(context.Background(), client.RetrieveQuery{PrescriptionID: id})
				if err != nil {
					t.Fatal(err)
				}
				out.Reset()
				writeRetrieve(&out, res, from)
				wantFit(t, "retrieve "+id, out.String())
			}
		}
	}
}

func wantFit(t *testing.T, what, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("%s: a line of %d columns:\n%s", what, n, line)
		}
	}
}

// TestExplainCutOff: JSON that stops part-way is an answer cut off, not
// one from something other than the tracker.
func TestExplainCutOff(t *testing.T) {
	t.Parallel()
	err := &tracker.ParseError{Problem: tracker.ProblemTruncated, Offset: 120, Detail: "the JSON stops before its end"}
	if got := explain(err, "", answerer{who: "Spine"}); !strings.HasPrefix(got, "The answer was cut off before its end.") {
		t.Errorf("explain = %q", got)
	}
}

func TestWaitInWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		wait time.Duration
		want string
	}{
		{400 * time.Millisecond, "less than a second"},
		{time.Second, "1 second"},
		{90 * time.Second, "1 minute 30 seconds"},
		{2 * time.Hour, "2 hours"},
		{time.Hour + 59*time.Second + 600*time.Millisecond, "1 hour 1 minute"},
		{24 * time.Hour, "24 hours"},
		{24*time.Hour + time.Second, "more than a day"},
	}
	for _, tt := range tests {
		if got := waitInWords(tt.wait); got != tt.want {
			t.Errorf("waitInWords(%v) = %q, want %q", tt.wait, got, tt.want)
		}
	}
}
