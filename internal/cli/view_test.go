package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/service"
)

// TestViewsFit80Columns shows every patient of the sandbox, with and
// without the quirks of real answers, and every one of their prescriptions:
// no line is wider than 80 columns, whatever the row (R1 ids, repeat
// issues, pending cancellations, long prescriber types and names).
func TestViewsFit80Columns(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return testNow }
	for _, quirks := range []bool{false, true} {
		svc, err := service.New(service.WithClock(now), service.WithSandbox(sandbox.Config{Quirks: quirks}))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := svc.Patients()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.Patients {
			for _, q := range []service.SearchQuery{{NHSNumber: p.NHSNumber}, {NHSNumber: p.NHSNumber, PrescriptionStatus: "expired", EarliestDate: "2026-01-01"}} {
				v, err := svc.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				writeSearch(&out, v)
				writeWarnings(&out, v.Warnings)
				wantFit(t, "search "+p.NHSNumber, out.String())
			}
			for _, id := range p.PrescriptionIDs {
				v, err := svc.Retrieve(context.Background(), service.RetrieveQuery{PrescriptionID: id})
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				writeRetrieve(&out, v)
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

// TestExplainValidation: a query refused offline lists each field's
// message, and says that nothing was sent.
func TestExplainValidation(t *testing.T) {
	t.Parallel()
	e := &service.Error{Kind: service.KindValidation, Message: "a\nb", Fields: []service.FieldError{{Message: "a"}, {Message: "b"}}}
	if got, want := explain(e), "• a\n• b\nNothing was sent."; got != want {
		t.Errorf("explain = %q, want %q", got, want)
	}
	e = &service.Error{Kind: service.KindTransport, Message: "No answer in time."}
	if got := explain(e); got != e.Message {
		t.Errorf("explain = %q", got)
	}
}

// TestSearchCommand: a search to try is a command that can be typed as it
// is shown, each flag kept with its value.
func TestSearchCommand(t *testing.T) {
	t.Parallel()
	q := service.SearchQuery{NHSNumber: "9992574356", EarliestDate: "2024-11-24", LatestDate: "2027-11-24", PrescriptionStatus: "with dispenser", PrescriptionVersion: "R2"}
	got := strings.ReplaceAll(searchCommand(q), nbsp, "_")
	want := `eps-tracker search 9992574356 --from_2024-11-24 --to_2027-11-24 --status_"with_dispenser" --version_R2`
	if got != want {
		t.Errorf("searchCommand = %q, want %q", got, want)
	}
}
