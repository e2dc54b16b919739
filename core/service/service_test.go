package service

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
)

// testNow is the day the tests' sandbox is made around.
var testNow = time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)

// The sandbox's example patient, whose prescriptions are the same on any
// date: an acute prescription and a repeat dispensing course.
const (
	examplePatient  = "9992574356"
	exampleID       = "4422FC-0V0X26-3DFC55"
	exampleRepeatID = "3C970C-0V0X26-74E1BW"
)

func clock() time.Time { return testNow }

// setup makes a service on the test clock, answering from its own sandbox
// unless opts say otherwise.
func setup(t testing.TB, opts ...Option) *Service {
	t.Helper()
	s, err := New(append([]Option{WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// shared is one service for the tests that only read: making the sandbox's
// population costs far more than a lookup, most of all in WebAssembly.
var shared = sync.OnceValue(func() *Service {
	s, err := New(WithClock(clock))
	if err != nil {
		panic(err)
	}
	return s
})

// faulty is a service whose sandbox fails every request as spec says
// (sandbox.ParseFaultRates), trying each lookup once.
func faulty(t *testing.T, spec string) *Service {
	t.Helper()
	rates, err := sandbox.ParseFaultRates(spec)
	if err != nil {
		t.Fatal(err)
	}
	return setup(t, WithSandbox(sandbox.Config{Faults: sandbox.FaultConfig{Rates: rates}}),
		WithClientOptions(client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})))
}

func search(t *testing.T, s *Service, q SearchQuery) SearchView {
	t.Helper()
	v, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return v
}

func retrieve(t *testing.T, s *Service, q RetrieveQuery) PrescriptionView {
	t.Helper()
	v, err := s.Retrieve(context.Background(), q)
	if err != nil {
		t.Fatalf("Retrieve(%+v): %v", q, err)
	}
	return v
}

// patients returns the sandbox's patients with each one's search.
func patients(t *testing.T) map[string]SearchView {
	t.Helper()
	pv, err := shared().Patients()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]SearchView{}
	for _, p := range pv.Patients {
		out[p.NHSNumber] = search(t, shared(), SearchQuery{NHSNumber: p.NHSNumber})
	}
	return out
}

// rowWhere returns the first row of any patient's search for which ok
// holds, and that search.
func rowWhere(t *testing.T, ok func(SearchRow) bool) (SearchRow, SearchView) {
	t.Helper()
	for _, v := range patients(t) {
		for _, g := range v.Groups {
			for _, r := range g.Rows {
				if ok(r) {
					return r, v
				}
			}
		}
	}
	t.Fatal("no sandbox patient has such a row")
	return SearchRow{}, SearchView{}
}

// wantNoNullLists fails if v's JSON holds a null where a list belongs: lists
// are never null, so that hosts can iterate without checking.
func wantNoNullLists(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if e == nil && listKeys[k] {
					t.Errorf("%s.%s is null", path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		}
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	walk("", x)
}

// listKeys are the JSON names of the views' lists.
var listKeys = map[string]bool{"errors": true, "warnings": true, "suggestions": true, "groups": true, "rows": true,
	"guidance": true, "notices": true, "inconsistencies": true, "items": true, "entries": true, "patients": true,
	"prescriptionIds": true, "fields": true}

// wantMasked fails if text holds any of the identifiers in clear.
func wantMasked(t *testing.T, text string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if len(id) >= 6 && strings.Contains(strings.ReplaceAll(text, " ", ""), id) {
			t.Errorf("%q holds %s in clear", text, id)
		}
	}
}

// TestStartIsCheap: a browser starts every package of the core before its
// first check can be answered, so none of them does more than a little work
// as it starts: no pattern compiled, no table built but a few small maps.
// (GODEBUG=inittrace, in a run of this test program that runs no test.)
func TestStartIsCheap(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("a program cannot be started here")
	}
	const most = 32 // allocations as a package starts
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the test program, run to start: %v\n%s", err, out)
	}
	started := map[string]bool{}
	for _, m := range regexp.MustCompile(`init github.com/eps-tracker/eps-tracker/(\S+) @.* (\d+) allocs`).FindAllStringSubmatch(string(out), -1) {
		pkg, allocs := m[1], m[2]
		started[pkg] = true
		if n, _ := strconv.Atoi(allocs); n > most {
			t.Errorf("%s allocates %d times as it starts, more than %d: build its patterns and tables on first use (sync.OnceValue)", pkg, n, most)
		}
	}
	for _, pkg := range []string{"core/redact", "core/tracker", "core/validate", "core/service"} {
		if !started[pkg] {
			t.Errorf("%s did not say how it started:\n%s", pkg, out)
		}
	}
}
