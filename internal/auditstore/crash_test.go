//go:build !js

package auditstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// crashStore names the store the child process of TestCrash writes to.
const crashStore = "AUDITSTORE_CRASH_STORE"

// TestCrash kills a process writing records from many goroutines at once
// (SIGKILL: no chance to finish anything), once it has acknowledged a few
// hundred, then opens the store again: the chain is intact, every record the
// process acknowledged is in it, and the chain goes on.
func TestCrash(t *testing.T) {
	if path := os.Getenv(crashStore); path != "" {
		writeUntilKilled(path)
		return
	}
	t.Parallel()
	const killAfter = 300
	path := filepath.Join(t.TempDir(), "audit.db")
	child := exec.Command(os.Args[0], "-test.run=^TestCrash$")
	child.Env = append(os.Environ(), crashStore+"="+path)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	child.Stderr = &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	lines := bufio.NewScanner(out)
	for lines.Scan() { // to the end: acknowledgements made before the kill landed count too
		trace, ok := strings.CutPrefix(lines.Text(), "ack ")
		if !ok {
			continue
		}
		acked[trace] = true
		if len(acked) == killAfter {
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = child.Wait()
	if len(acked) < killAfter {
		t.Fatalf("the child stopped after %d records (%v): %s", len(acked), err, stderr.String())
	}
	if err == nil {
		t.Fatal("the child finished before it was killed: give it more to write")
	}

	s, err := auditstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.Verify(context.Background())
	if err != nil || !r.Intact() {
		t.Fatalf("after the crash, Verify = %+v, %v; want intact", r, err)
	}
	entries, err := s.Search(context.Background(), audit.Search, testKey.Identify(audit.Search, "9990000018"))
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, e := range entries {
		kept[e.TraceID] = true
	}
	missing := 0
	for trace := range acked {
		if !kept[trace] {
			missing++
		}
	}
	if missing > 0 || int64(len(entries)) != r.Records {
		t.Fatalf("%d of %d acknowledged records missing; %d found, %d in the chain", missing, len(acked), len(entries), r.Records)
	}
	t.Logf("killed after %d acknowledgements: %d records kept", len(acked), r.Records)

	write(t, s, searchOf("9990000018", 0))
	if r, err := s.Verify(context.Background()); err != nil || !r.Intact() {
		t.Fatalf("after a write past the crash, Verify = %+v, %v; want intact", r, err)
	}
}

// writeUntilKilled is the child of TestCrash: goroutines write records to
// the store at path and print "ack TRACE" once each is written, until the
// process is killed. It stops by itself after 16,000 records.
func writeUntilKilled(path string) {
	s, err := auditstore.Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	var out sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				r := searchOf("9990000018", i)
				r.TraceID = fmt.Sprintf("w%d-%d", w, i)
				if err := s.Write(context.Background(), r); err != nil {
					fmt.Println("write:", err)
					os.Exit(1)
				}
				out.Lock()
				fmt.Println("ack", r.TraceID) // written unbuffered: after this, the parent may know of it
				out.Unlock()
			}
		}()
	}
	wg.Wait()
	s.Close()
}
