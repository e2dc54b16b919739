package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// server is eps-tracker serve, running as its own process.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	done chan struct{}
}

// startServe starts bin's serve on a free port with flags and the
// environment env, and returns once it has said it is ready.
func startServe(t *testing.T, bin string, env []string, flags ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := regexp.MustCompile(`^EPS Tracker at (http://\S+)/$`).FindStringSubmatch(lines.Text()); m != nil {
			s.base = m[1]
		}
		if strings.HasSuffix(lines.Text(), "Stop with Ctrl-C.") {
			break
		}
	}
	go func() { // read to the end, so the server is never blocked writing
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(s.done)
	}()
	if s.base == "" {
		<-s.done
		t.Fatalf("serve never said it was ready: %s", stderr.String())
	}
	return s
}

// answered is a request the server answered in full.
type answered struct {
	trace, nhsNumber string
	signedIn         bool
}

// TestServeKilled: serve with an audit store is killed (SIGKILL) in the
// middle of a load of requests, some with the demo sign-in's token, some
// without; the store, opened again, has every record intact in its chain,
// and a record of every request that was answered, found by its patient
// under the site's key. Started again on the same store, serve goes on
// from the end of the chain.
func TestServeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := build(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "audit.db")
	const auditKey = "the audit key of the test of a killed server"
	env := []string{"HOME=" + dir, "EPS_TRACKER_AUDIT_KEY=" + auditKey}
	srv := startServe(t, bin, env, "--audit-db", db, "--rate", "100000")

	token := demoToken(t, srv.base)
	var patients []string
	for _, p := range sandbox.New(sandbox.Config{}).Patients() {
		patients = append(patients, p.NHSNumber)
	}
	const (
		workers  = 8
		killAt   = 200  // requests answered before the kill
		atMostly = 5000 // requests each worker sends at most: the load is bounded
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	answers := make(chan answered, workers)
	var load sync.WaitGroup
	for w := range workers {
		load.Add(1)
		go func() {
			defer load.Done()
			for i := range atMostly {
				nhs := patients[(w+i*workers)%len(patients)]
				signedIn := i%2 == 0
				trace, ok := search(client, srv.base, nhs, signedIn, token)
				if !ok {
					return // the server is gone
				}
				answers <- answered{trace, nhs, signedIn}
			}
		}()
	}
	go func() {
		load.Wait()
		close(answers)
	}()
	var got []answered
	for a := range answers {
		got = append(got, a)
		if len(got) == killAt {
			if err := srv.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
		}
	}
	<-srv.done
	if len(got) < killAt {
		t.Fatalf("only %d requests were answered before the load ended", len(got))
	}

	key, err := audit.NewKey(auditKey)
	if err != nil {
		t.Fatal(err)
	}
	records := checkStore(t, db, key, patients)
	for _, a := range got {
		rec, ok := records[a.trace]
		switch {
		case !ok:
			t.Errorf("request %s was answered, and has no record", a.trace)
		case rec.Patient != key.Identify(audit.Search, a.nhsNumber) || rec.Outcome != "0" || (rec.UserID != "") != a.signedIn:
			t.Errorf("request %s: record %+v", a.trace, rec)
		}
	}
	t.Logf("%d requests answered before and after the kill, %d records", len(got), len(records))

	again := startServe(t, bin, env, "--audit-db", db)
	trace, ok := search(http.DefaultClient, again.base, patients[0], false, "")
	if !ok {
		t.Fatal("serve started again on the store answers nothing")
	}
	if err := again.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	<-again.done
	if code := again.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("serve stopped with exit %d", code)
	}
	if after := checkStore(t, db, key, patients); len(after) != len(records)+1 || after[trace].Outcome != "0" {
		t.Errorf("after a restart and one search: %d records, want %d, the last %+v", len(after), len(records)+1, after[trace])
	}
}

// search asks the gateway at base for the prescriptions of nhs, with the
// token when signedIn, and returns the answer's trace id once the whole
// answer, found, has been read; ok is false when no such answer came.
func search(c *http.Client, base, nhs string, signedIn bool, token string) (trace string, ok bool) {
	req, err := http.NewRequest(http.MethodGet, base+"/mm/prescriptions?format=trace-summary&nhsNumber="+nhs, nil)
	if err != nil {
		return "", false
	}
	if signedIn {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var body struct {
		StatusCode string `json:"statusCode"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.StatusCode != "0" {
		return "", false
	}
	return resp.Header.Get("X-Request-ID"), true
}

// demoToken is a token of the server's demo sign-in.
func demoToken(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/demo/token")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.Token == "" {
		t.Fatalf("/demo/token: HTTP %d, %v", resp.StatusCode, err)
	}
	return tok.Token
}

// checkStore verifies the whole chain of the store at db, and returns the
// records of the searches of the patients, by trace id.
func checkStore(t *testing.T, db string, key audit.Key, patients []string) map[string]audit.Record {
	t.Helper()
	s, err := auditstore.OpenExisting(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	report, err := s.Verify(ctx)
	if err != nil || !report.Intact() {
		t.Fatalf("the chain is not intact: %+v, %v", report, err)
	}
	records := map[string]audit.Record{}
	for _, nhs := range patients {
		found, err := s.Search(ctx, audit.Search, key.Identify(audit.Search, nhs))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range found {
			records[e.TraceID] = e.Record
		}
	}
	if int64(len(records)) != report.Records {
		t.Errorf("%d records in the chain, %d of them searches of the patients", report.Records, len(records))
	}
	return records
}
