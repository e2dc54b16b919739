package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// batchRow is one line of a batch's JSON results.
type batchRow struct {
	Line      int    `json:"line"`
	NHSNumber string `json:"nhsNumber"`
	Outcome   string `json:"outcome"`
	Error     string `json:"error"`
}

func batchRows(t *testing.T, out string) []batchRow {
	t.Helper()
	var rows []batchRow
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r batchRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("result %q: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

// spineOf serves the sandbox over loopback, as Spine elsewhere, and returns
// the flags that send a batch to it.
func spineOf(t *testing.T, h http.Handler) []string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return []string{"--base-url", srv.URL + "/mm/prescriptions", "--asid", "200000001234"}
}

func TestBatch(t *testing.T) {
	t.Parallel()
	ps := patients(t)
	var in strings.Builder
	in.WriteString("ref,NHS No,notes\n") // a header as pharmacy systems write it
	for i, p := range ps[:5] {
		in.WriteString("r" + string(rune('0'+i)) + "," + p.NHSNumber[:3] + " " + p.NHSNumber[3:] + ",\"a note\non two lines\"\n")
	}
	in.WriteString("bad,943 476 5918,y\n\n# a comment\nbroken,\"943\"476,z\n")
	in.WriteString("last," + ps[len(ps)-1].NHSNumber + ",the patient with none\n")
	in.WriteString("name,John Smith,the name where the number belongs\n")
	for _, format := range []string{"json", "csv"} {
		out, stderr, code := run(t, in.String(), "search", "--batch", "-", "--format", format, "--concurrency", "3")
		if code != ExitInvalid {
			t.Errorf("%s: exit %d, want 1 for the invalid lines", format, code)
		}
		for _, want := range []string{"Tracked 9 of 9 patients", "5 with prescriptions, 1 with none, 3 invalid input, 0 failed",
			"invalid NHS number: 2 (lines 12, 17)", "quotes out of place: 1 (line 15)", "progress: 9/9 done"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: the summary does not say %q:\n%s", format, want, stderr)
			}
		}
		var got []string
		if format == "json" {
			for _, r := range batchRows(t, out) {
				got = append(got, r.Outcome+"@"+strconv.Itoa(r.Line))
			}
		} else {
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || rows[0][0] != "line" {
				t.Fatalf("csv: %v\n%s", err, out)
			}
			for _, r := range rows[1:] {
				got = append(got, r[2]+"@"+r[0])
			}
		}
		// In input order, each at the line its row starts on.
		want := "found@2 found@4 found@6 found@8 found@10 invalid@12 invalid@15 none@16 invalid@17"
		if strings.Join(got, " ") != want {
			t.Errorf("%s: outcomes %q, want %q", format, strings.Join(got, " "), want)
		}
		if strings.Contains(out, "9434765918") || strings.Contains(out, "943 476 5918") {
			t.Errorf("%s: an invalid NHS number is in clear in the results", format)
		}
		if strings.Contains(out+stderr, "mith") || !strings.Contains(out, "**********") {
			t.Errorf("%s: a name where the number belongs is not masked whole:\n%s", format, out)
		}
	}
}

// TestBatchLongLine: a line over 1 MiB is one invalid line; the batch goes on.
func TestBatchLongLine(t *testing.T) {
	t.Parallel()
	nhs := patients(t)[0].NHSNumber
	out, stderr, code := run(t, nhs+"\n"+strings.Repeat("x", 2<<20)+"\n"+nhs+"\n", "search", "--batch", "-")
	if code != ExitInvalid || !strings.Contains(stderr, "line too long: 1 (line 2)") || !strings.Contains(stderr, "Tracked 3 of 3") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	if rows := batchRows(t, out); len(rows) != 3 || rows[1].Outcome != "invalid" || rows[2].Outcome != "found" {
		t.Errorf("results %+v", rows)
	}
}

// TestBatchWithoutNHSNumberColumn: said once, before anything is sent.
func TestBatchWithoutNHSNumberColumn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	results := filepath.Join(dir, "results.json")
	out, stderr, code := run(t, "ref,Name,Born\n1,A,01/01/1970\n2,B,02/02/1980\n", "search", "--batch", "-", "--output", results)
	if code != ExitUsage || out != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.Contains(stderr, `names no NHS number column (it has "ref", "Name", "Born")`) {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, stderr)
	}
	if _, err := os.Stat(results); err == nil {
		t.Error("a results file was made for a batch that did not start")
	}
}

// TestBatchOutput: results go to a new file, readable by its owner only,
// never over the list being read, nor over another file unless --force.
func TestBatchOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	nhs := patients(t)[0].NHSNumber
	list := filepath.Join(dir, "list.txt")
	write := func(name, content string, mode os.FileMode) {
		if err := os.WriteFile(name, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(list, nhs+"\n", 0o644)
	linked := filepath.Join(dir, "linked.txt")
	if err := os.Link(list, linked); err != nil {
		t.Fatal(err)
	}
	for _, output := range []string{list, linked, filepath.Join(dir, ".", "list.txt")} {
		for _, force := range []bool{false, true} {
			args := []string{"search", "--batch", list, "--output", output}
			if force {
				args = append(args, "--force")
			}
			_, stderr, code := run(t, "", args...)
			if code != ExitUsage || !strings.Contains(stderr, "is the list being read") {
				t.Errorf("%v: exit %d, %q", args, code, stderr)
			}
		}
	}
	// The list as standard input, and results written over it.
	stdin, err := os.Open(list)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stderr bytes.Buffer
	code := Run(Env{Stdin: stdin, Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" },
		Now: func() time.Time { return testNow }}, []string{"search", "--batch", "-", "--output", list, "--force"})
	if code != ExitUsage || !strings.Contains(stderr.String(), "is the list being read") {
		t.Errorf("--batch - < list --output list: exit %d, %q", code, stderr.String())
	}
	if b, _ := os.ReadFile(list); string(b) != nhs+"\n" {
		t.Fatalf("the list was changed: %q", b)
	}

	results := filepath.Join(dir, "results.csv")
	_, errOut, code := run(t, "", "search", "--batch", list, "--output", results, "--format", "csv")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	wantMode(t, results, 0o600)
	b, _ := os.ReadFile(results)
	if !strings.Contains(string(b), nhs+",found") {
		t.Errorf("results %q", b)
	}
	// Not replaced without --force; replaced, and made private, with it.
	write(results, "my notes", 0o644)
	_, errOut, code = run(t, "", "search", "--batch", list, "--output", results)
	if code != ExitUsage || !strings.Contains(errOut, results+" already exists, so the batch did not start. Use --force to replace it") {
		t.Errorf("existing output: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(results); string(b) != "my notes" {
		t.Errorf("the existing file was changed: %q", b)
	}
	_, errOut, code = run(t, "", "search", "--batch", list, "--output", results, "--force")
	if b, _ := os.ReadFile(results); code != ExitOK || !strings.Contains(string(b), `"outcome":"found"`) {
		t.Errorf("--force: exit %d, %q, results %q", code, errOut, b)
	}
	wantMode(t, results, 0o600)
}

func wantMode(t *testing.T, name string, mode os.FileMode) {
	t.Helper()
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != mode {
		t.Errorf("%s has mode %v, want %v", name, got, mode)
	}
}

// TestBatchMistakes: options that make no sense are refused, saying which.
func TestBatchMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"--rate", "-5"}, "--rate must be from 0 (no limit) to 1000"},
		{[]string{"--rate", "-1"}, "--rate must be from 0 (no limit) to 1000"},
		{[]string{"--rate", "fast"}, "invalid value \"fast\" for flag -rate: not a number of lookups a second"},
		{[]string{"--json", "--format", "csv"}, "--json and --format csv ask for different things"},
		{[]string{"--force"}, "--force replaces the --output file: give --output FILE with it"},
	}
	for _, tt := range tests {
		_, stderr, code := run(t, patients(t)[0].NHSNumber+"\n", append([]string{"search", "--batch", "-"}, tt.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tt.says) {
			t.Errorf("%v: exit %d, stderr %q; want it to say %q", tt.args, code, stderr, tt.says)
		}
	}
	// Batch flags with no batch.
	for _, args := range [][]string{{"--output", "results.json"}, {"--rate", "5", "--concurrency", "2"}} {
		_, stderr, code := run(t, "", append([]string{"search", patients(t)[0].NHSNumber}, args...)...)
		if code != ExitUsage || !strings.Contains(stderr, "for a list of patients: give --batch FILE with it") || !strings.Contains(stderr, args[0]) {
			t.Errorf("%v without --batch: exit %d, %q", args, code, stderr)
		}
	}
	// --json is --format json.
	out, _, code := run(t, patients(t)[0].NHSNumber+"\n", "search", "--batch", "-", "--json")
	if rows := batchRows(t, out); code != ExitOK || len(rows) != 1 || rows[0].Outcome != "found" {
		t.Errorf("--json: exit %d, %s", code, out)
	}
}

// TestBatchAgainstAStoppedService: every lookup fails, none stops the
// batch, and lines with no NHS number between them do not hide that.
func TestBatchAgainstAStoppedService(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(sandboxhttp.Handler(sandbox.New(sandbox.Config{})))
	url := srv.URL
	srv.Close() // stopped before the batch starts
	ps := patients(t)
	var in bytes.Buffer
	for i, p := range ps[:25] {
		in.WriteString(p.NHSNumber + "\n")
		if i%4 == 3 {
			in.WriteString("943 476 5918\n")
		}
	}
	out, stderr, code := run(t, in.String(), "search", "--batch", "-", "--base-url", url+"/mm/prescriptions", "--asid", "200000001234", "--concurrency", "8")
	if code != ExitInvalid || strings.Count(out, `"outcome":"failed"`) != 25 {
		t.Errorf("exit %d, %d failed\n%s", code, strings.Count(out, `"outcome":"failed"`), stderr)
	}
	for _, want := range []string{"25 failed", "could not connect: 25", "The last 20 lookups failed", "can be tried again"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, line := range strings.Split(stderr, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a line of %d columns: %q", n, line)
		}
	}
}

// TestBatchStopped stops a batch once its first result is written and its
// second lookup is under way: the second line, and those not started, are
// not tracked (not failed), and the summary says which.
func TestBatchStopped(t *testing.T) {
	t.Parallel()
	ps := patients(t)
	sb := sandbox.New(sandbox.Config{Now: func() time.Time { return testNow }})
	asked := make(chan struct{})
	var once sync.Once
	spine := spineOf(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("nhsNumber") == ps[1].NHSNumber { // line 2 waits for the stop
			once.Do(func() { close(asked) })
			<-r.Context().Done()
			return
		}
		sandboxhttp.Handler(sb).ServeHTTP(w, r)
	}))
	var in bytes.Buffer
	for i := range 60 {
		p := ps[i%len(ps)]
		if i != 1 && p.NHSNumber == ps[1].NHSNumber {
			p = ps[0]
		}
		in.WriteString(p.NHSNumber + "\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- Run(Env{Stdin: &in, Stdout: &out, Stderr: &errOut, Context: ctx, Getenv: func(string) string { return "" },
			Now: func() time.Time { return testNow }}, append([]string{"search", "--batch", "-", "--rate", "0", "--concurrency", "2"}, spine...))
	}()
	for {
		results, written := out.snapshot()
		if results != "" {
			break
		}
		select {
		case <-written:
		case code := <-done:
			t.Fatalf("the batch ended (exit %d) before it was stopped:\n%s", code, errOut.String())
		}
	}
	select {
	case <-asked: // line 2 never ends, so the batch cannot end before this
	case code := <-done:
		t.Fatalf("the batch ended (exit %d) before it was stopped:\n%s", code, errOut.String())
	}
	cancel()
	if code := <-done; code != ExitInvalid {
		t.Errorf("exit %d", code)
	}
	rows := batchRows(t, out.String())
	if len(rows) == 0 || rows[0].Line != 1 {
		t.Fatalf("results %+v", rows)
	}
	for _, r := range rows {
		if r.Line == 2 || r.Outcome != "found" {
			t.Errorf("after the stop: %+v", r)
		}
	}
	stderr := errOut.String()
	want := "Stopped early: " + strconv.Itoa(60-len(rows)) + " lines were not tracked (lines 2"
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "0 failed") || strings.Contains(stderr, "Stopped.") {
		t.Errorf("the summary does not say %q, or counts the stop as a failure:\n%s", want, stderr)
	}
}

// TestBatchCutOff: an answer cut off part-way is called that, not "HTTP 200".
func TestBatchCutOff(t *testing.T) {
	t.Parallel()
	spine := spineOf(t, sandboxhttp.Handler(sandbox.New(sandbox.Config{Now: func() time.Time { return testNow },
		Faults: sandbox.FaultConfig{Rates: []sandbox.FaultRate{{Fault: sandbox.Fault{Kind: sandbox.FaultTruncate}, Rate: 1}}}})))
	nhs := patients(t)[0].NHSNumber
	_, stderr, code := run(t, "", append([]string{"search", "--nhs-number", nhs}, spine...)...)
	if code != ExitInvalid || !strings.Contains(stderr, "The answer was cut off before its end after 3 attempts") || strings.Contains(stderr, "HTTP 200") {
		t.Errorf("search: exit %d, %q", code, stderr)
	}
	out, stderr, code := run(t, nhs+"\n", append([]string{"search", "--batch", "-", "--rate", "0"}, spine...)...)
	if rows := batchRows(t, out); code != ExitInvalid || len(rows) != 1 || !strings.Contains(rows[0].Error, "cut off") ||
		!strings.Contains(stderr, "answer cut off: 1 (line 1)") || strings.Contains(stderr, "HTTP 200") {
		t.Errorf("batch: exit %d, %s\n%s", code, out, stderr)
	}
}

// TestProgressFits: on a terminal the progress line, counts and all, is
// narrower than the terminal (whose last column would wrap it), with the
// bar shortened or left out to make room.
func TestProgressFits(t *testing.T) {
	t.Parallel()
	outcomes := []string{outcomeFound, outcomeNone, outcomeInvalid, outcomeFailed}
	for _, cols := range []int{80, 60, 30} {
		var out bytes.Buffer
		p := &progress{w: &out, tty: true, width: cols, total: 40000, counts: map[string]int{}, start: time.Now()}
		for i := range p.total {
			p.add(batchResult{Outcome: outcomes[i%len(outcomes)]})
		}
		p.done()
		last := ""
		for _, line := range strings.FieldsFunc(out.String(), func(r rune) bool { return r == '\r' || r == '\n' }) {
			line = strings.TrimPrefix(line, "\033[K")
			if n := len([]rune(line)); n >= cols {
				t.Fatalf("%d columns: a line of %d: %q", cols, n, line)
			}
			last = line
		}
		if bar := strings.HasPrefix(last, "[##"); bar != (cols == 80) {
			t.Errorf("%d columns: the last line is %q", cols, last)
		}
	}
}

// TestBatchReasonNamesWhoAnswered: a status a lookup failed with is put
// down, in the summary, to whoever answered: Spine, or the sandbox.
func TestBatchReasonNamesWhoAnswered(t *testing.T) {
	t.Parallel()
	const answer = `{"statusCode": "5", "reason": "Unexpected exception", "version": "1", "prescriptionList": {}}`
	failing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(answer))
	})
	inProcess := transport.Func(func(context.Context, *transport.Request) (*transport.Response, error) {
		return &transport.Response{StatusCode: 200, Header: transport.Header{"Content-Type": "application/json"},
			ContentLength: int64(len(answer)), Body: io.NopCloser(strings.NewReader(answer))}, nil
	})
	srv := httptest.NewServer(failing)
	t.Cleanup(srv.Close)
	tests := []struct {
		name string
		opts []client.Option
		want string
	}{
		{"the built-in sandbox", []client.Option{client.WithEnvironment("sandbox"), client.WithTransport(inProcess)},
			"sandbox status 5 (Unexpected exception)"},
		{"Spine", []client.Option{client.WithBaseURL(srv.URL + "/mm/prescriptions"), client.WithASID("200000001234"),
			client.WithTransport(nethttp.New(srv.Client()))},
			"Spine status 5 (Unexpected exception)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := client.New(append(tt.opts, client.WithClock(func() time.Time { return testNow }))...)
			if err != nil {
				t.Fatal(err)
			}
			svc, err := service.New(service.WithClient(c))
			if err != nil {
				t.Fatal(err)
			}
			r, tracked := track(context.Background(), svc, service.SearchQuery{}, batchLine{line: 1, input: patients(t)[0].NHSNumber})
			if !tracked || r.Outcome != outcomeFailed || r.reason != tt.want {
				t.Errorf("tracked %v, outcome %q, reason %q; want %q", tracked, r.Outcome, r.reason, tt.want)
			}
		})
	}
}
