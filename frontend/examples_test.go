package frontend

// The components are tested in the browser on examples: views that the real
// service made, answered by the training sandbox on a fixed day, saved as
// JSON beside each component (src/components/NAME/examples/). This test
// writes them when UPDATE_EXAMPLES is set, and otherwise fails when the
// service no longer makes them as saved, so that the frontend is never
// tested on views the service has stopped making.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// examplesDay is the day the examples are answered on: 11:00 in London.
var examplesDay = time.Date(2025, 6, 10, 10, 0, 0, 0, time.UTC)

// examplesSandbox is the training sandbox the examples come from; its
// quirks make Spine's texts differ from ours, as real answers do.
var examplesSandbox = sandbox.Config{Seed: 1, Quirks: true}

// noWait retries as the widget does, three attempts, without waiting
// between them.
var noWait = client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 3})

func TestExamples(t *testing.T) {
	t.Parallel()
	s := newService(t)
	pop := population(t, s)

	grouped := pop.find(t, "rows in every group", func(v service.SearchView) bool {
		return v.Groups[0].Count > 0 && v.Groups[1].Count > 0 && v.Groups[2].Count > 0
	})
	erd := pop.row(t, "a repeat dispensing course with issues to come", func(r service.SearchRow) bool {
		return r.Treatment.Code == "0003" && r.CurrentIssue && r.IssueNumber < r.IssueCount
	})
	acute := pop.row(t, "an acute prescription dispensed", func(r service.SearchRow) bool {
		return r.Treatment.Code == "0001" && r.Status.Code == "0006"
	})
	withPharmacy := pop.row(t, "a prescription with a pharmacy", func(r service.SearchRow) bool {
		return r.Status.Code == "0002" && r.IssueCount == 1
	})
	pending := pop.row(t, "a pending cancellation", func(r service.SearchRow) bool { return r.PendingCancellation })
	long := pop.row(t, "a long (R1) id", func(r service.SearchRow) bool { return r.IDForm == service.FormLong })
	nhs := grouped.Patient
	id := erd.PrescriptionID
	mistyped := strings.Replace(id, "0", "O", 1)
	if mistyped == id {
		t.Fatalf("the repeat dispensing id %s has no 0 to mistype as O", id)
	}

	examples := map[string]func() (any, error){
		"search-box/check-empty":                 checked(s, ""),
		"search-box/check-nhs-number-incomplete": checked(s, nhs.Display[:7]),
		"search-box/check-nhs-number-check-digit": checked(s,
			nhs.Display[:len(nhs.Display)-1]+strconv.Itoa((int(nhs.Display[len(nhs.Display)-1]-'0')+1)%10)),
		"search-box/check-nhs-number-valid":         checked(s, nhs.Display),
		"search-box/check-prescription-id-valid":    checked(s, strings.ToLower(id)),
		"search-box/check-prescription-id-o-for-0":  checked(s, mistyped),
		"search-box/check-prescription-id-too-long": checked(s, id+"7"),
		"search-box/check-unrecognised":             checked(s, "paracetamol"),

		"results/search-grouped": searched(s, service.SearchQuery{NHSNumber: nhs.NHSNumber}),
		"results/search-pending-cancellation": searched(s,
			service.SearchQuery{NHSNumber: pop.patientOf(pending.PrescriptionID)}),
		"results/search-many":  searched(s, service.SearchQuery{NHSNumber: pop.most(t).Patient.NHSNumber}),
		"results/search-empty": searched(s, service.SearchQuery{NHSNumber: pop.find(t, "no prescriptions", func(v service.SearchView) bool { return v.Empty }).Patient.NHSNumber}),
		"results/search-filtered": searched(s,
			service.SearchQuery{NHSNumber: nhs.NHSNumber, PrescriptionStatus: "0005"}),

		"prescription/retrieve-acute":             retrieved(s, service.RetrieveQuery{PrescriptionID: acute.PrescriptionID}),
		"prescription/retrieve-repeat-dispensing": retrieved(s, service.RetrieveQuery{PrescriptionID: id}),
		"prescription/retrieve-issue-to-come": retrieved(s,
			service.RetrieveQuery{PrescriptionID: id, IssueNumber: strconv.Itoa(erd.IssueCount)}),
		"prescription/retrieve-issue-not-found": retrieved(s,
			service.RetrieveQuery{PrescriptionID: id, IssueNumber: strconv.Itoa(erd.IssueCount + 1)}),
		"prescription/retrieve-pending-cancellation": retrieved(s, service.RetrieveQuery{PrescriptionID: pending.PrescriptionID}),
		"prescription/retrieve-long-id":              retrieved(s, service.RetrieveQuery{PrescriptionID: long.PrescriptionID}),
		"prescription/retrieve-inconsistent": retrieved(inconsistentGateway(t, withPharmacy.PrescriptionID),
			service.RetrieveQuery{PrescriptionID: withPharmacy.PrescriptionID}),

		"service-error/error-unavailable": failed(searched(unavailable(t), service.SearchQuery{NHSNumber: nhs.NHSNumber})),
		"service-error/error-not-found": failed(retrieved(s,
			service.RetrieveQuery{PrescriptionID: unknownID(t, s, id)})),
		"service-error/error-validation": failed(searched(s,
			service.SearchQuery{NHSNumber: nhs.NHSNumber, EarliestDate: "2025-06-11", LatestDate: "2025-06-01"})),
	}
	for name, make := range examples {
		t.Run(name, func(t *testing.T) {
			v, err := make()
			if err != nil {
				t.Fatal(err)
			}
			compare(t, filepath.Join("src", "components", filepath.Dir(name), "examples", filepath.Base(name)+".json"), v)
		})
	}
}

func newService(t *testing.T, opts ...service.Option) *service.Service {
	t.Helper()
	opts = append([]service.Option{
		service.WithClock(func() time.Time { return examplesDay }),
		service.WithSandbox(examplesSandbox),
		service.WithClientOptions(noWait),
	}, opts...)
	s, err := service.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unavailable is a service whose sandbox answers every request with HTTP 503.
func unavailable(t *testing.T) *service.Service {
	t.Helper()
	faults, err := sandbox.ParseFaultRates("status:503=1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := examplesSandbox
	cfg.Faults = sandbox.FaultConfig{Rates: faults, Seed: 1}
	return newService(t, service.WithSandbox(cfg))
}

// inconsistentGateway is a service that asks a gateway in front of Spine
// (its answers do not say they are the sandbox's) whose answer for id
// holds what Spine's rules forbid: its first line item fully dispensed
// while the prescription is still with a pharmacy.
func inconsistentGateway(t *testing.T, id string) *service.Service {
	t.Helper()
	cfg := examplesSandbox
	cfg.Now = func() time.Time { return examplesDay }
	sb := sandbox.New(cfg)
	relay := transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
		res, err := sb.Get(ctx, req)
		if err == nil {
			delete(res.Header, sandbox.TrainingHeader)
		}
		if err != nil || !strings.HasSuffix(req.URL.Path, "/"+id) {
			return res, err
		}
		defer res.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			return nil, err
		}
		item := member(member(member(member(body, "prescription"), "issue"), "lineItems"), "1")
		item["status"] = map[string]any{"statusCode": "0001", "statusText": "Item fully dispensed"}
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		res.Body, res.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		return res, nil
	})
	return newService(t, service.WithClientOptions(client.WithTransport(relay)),
		service.WithSettings(service.Settings{GatewayURL: "https://gateway.example.org/mm/prescriptions"}))
}

// member is the object m holds under name, its spaces around it or not
// (the sandbox's quirks put some there, as Spine does), or nil.
func member(m map[string]any, name string) map[string]any {
	for k, v := range m {
		if strings.TrimSpace(k) == name {
			o, _ := v.(map[string]any)
			return o
		}
	}
	return nil
}

// unknownID is a prescription id of the right shape that the sandbox does
// not hold: like, its first character changed, and its check character
// made right again by the service's own suggestion.
func unknownID(t *testing.T, s *service.Service, like string) string {
	t.Helper()
	for _, c := range "ABCDEF0123456789" {
		guess := string(c) + like[1:]
		r := s.Check(guess)
		if len(r.Warnings) == 0 || len(r.Warnings[0].Suggestions) == 0 {
			continue
		}
		if id := r.Warnings[0].Suggestions[0]; id != like && s.Check(id).Valid {
			return id
		}
	}
	t.Fatalf("no unknown id like %s", like)
	return ""
}

func checked(s *service.Service, input string) func() (any, error) {
	return func() (any, error) { return s.Check(input), nil }
}

func searched(s *service.Service, q service.SearchQuery) func() (any, error) {
	return func() (any, error) { return s.Search(context.Background(), q) }
}

func retrieved(s *service.Service, q service.RetrieveQuery) func() (any, error) {
	return func() (any, error) { return s.Retrieve(context.Background(), q) }
}

// failed turns an example that must fail into the service error it fails with.
func failed(f func() (any, error)) func() (any, error) {
	return func() (any, error) {
		_, err := f()
		var se *service.Error
		if !errors.As(err, &se) {
			return nil, fmt.Errorf("want a service error, got %v", err)
		}
		return se, nil
	}
}

// traceIDs are the trace ids a lookup makes at random; the examples hold
// them numbered in order of appearance instead.
var traceIDs = regexp.MustCompile(`ept-[0-9a-f]{24}`)

// compare writes v to file as indented JSON when UPDATE_EXAMPLES is set, and
// otherwise fails when file does not hold it.
func compare(t *testing.T, file string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	got := traceIDs.ReplaceAllStringFunc(buf.String(), func(id string) string {
		if _, ok := seen[id]; !ok {
			seen[id] = fmt.Sprintf("ept-%024x", len(seen)+1)
		}
		return seen[id]
	})
	if os.Getenv("UPDATE_EXAMPLES") != "" {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v: write the examples with UPDATE_EXAMPLES=1 go test ./frontend", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the service no longer makes %s (-saved +now):\n%s\nIf the change is meant, write the examples again with UPDATE_EXAMPLES=1 go test ./frontend, and check the components still show them right.", file, diff)
	}
}

// populationViews is every synthetic patient's search, in the sandbox's order.
type populationViews []service.SearchView

func population(t *testing.T, s *service.Service) populationViews {
	t.Helper()
	pv, err := s.Patients()
	if err != nil {
		t.Fatal(err)
	}
	var views populationViews
	for _, p := range pv.Patients {
		v, err := s.Search(context.Background(), service.SearchQuery{NHSNumber: p.NHSNumber})
		if err != nil {
			t.Fatal(err)
		}
		views = append(views, v)
	}
	return views
}

// find returns the first patient's search that has what ok looks for.
func (p populationViews) find(t *testing.T, what string, ok func(service.SearchView) bool) service.SearchView {
	t.Helper()
	for _, v := range p {
		if ok(v) {
			return v
		}
	}
	t.Fatalf("no synthetic patient has %s", what)
	return service.SearchView{}
}

// row returns the first row of any patient that has what ok looks for.
func (p populationViews) row(t *testing.T, what string, ok func(service.SearchRow) bool) service.SearchRow {
	t.Helper()
	for _, v := range p {
		for _, g := range v.Groups {
			for _, r := range g.Rows {
				if ok(r) {
					return r
				}
			}
		}
	}
	t.Fatalf("no synthetic patient has %s", what)
	return service.SearchRow{}
}

// most returns the search with the most rows.
func (p populationViews) most(t *testing.T) service.SearchView {
	t.Helper()
	most := p.find(t, "any prescription", func(v service.SearchView) bool { return v.Rows > 0 })
	for _, v := range p {
		if v.Rows > most.Rows {
			most = v
		}
	}
	return most
}

// patientOf returns the NHS number of the patient whose prescription id is.
func (p populationViews) patientOf(id string) string {
	for _, v := range p {
		for _, g := range v.Groups {
			for _, r := range g.Rows {
				if r.PrescriptionID == id {
					return v.Patient.NHSNumber
				}
			}
		}
	}
	return ""
}
