//go:build !js

package auditstore_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// TestSearch: a patient's lookups come back whole, oldest first, and only
// theirs, of the kind asked for.
func TestSearch(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	london := time.FixedZone("BST", 3600)
	first := searchOf("9990000018", 1)
	first.Time = first.Time.In(london) // kept in UTC
	other := searchOf("9990000026", 2)
	second := searchOf("9990000018", 3)
	second.Filters, second.Outcome, second.HTTPStatus, second.UpstreamLatency = nil, "rate-limited", 429, 0
	retrieval := audit.Record{Time: testTime, Kind: audit.Retrieve, Patient: testKey.Identify(audit.Retrieve, "4422FC-0V0X26-3DFC55"),
		PatientMasked: "******-******-***C55", Outcome: "0", HTTPStatus: 200, TraceID: "trace-r"}
	write(t, s, first, other, second, retrieval)

	first.Time = first.Time.UTC()
	tests := []struct {
		name    string
		kind    audit.Kind
		patient string
		want    []auditstore.Entry
	}{
		{"a patient's searches", audit.Search, first.Patient, []auditstore.Entry{{Seq: 1, Record: first}, {Seq: 3, Record: second}}},
		{"another patient's", audit.Search, other.Patient, []auditstore.Entry{{Seq: 2, Record: other}}},
		{"a prescription's retrievals", audit.Retrieve, retrieval.Patient, []auditstore.Entry{{Seq: 4, Record: retrieval}}},
		{"the same HMAC, another kind", audit.Retrieve, first.Patient, nil},
		{"no one's", audit.Search, testKey.Identify(audit.Search, "9990000034"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Search(context.Background(), tt.kind, tt.patient)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteConcurrently: records written from many goroutines at once are
// all kept, each once, in one unbroken chain.
func TestWriteConcurrently(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	const writers, each = 32, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := searchOf("9990000018", i)
				r.TraceID = fmt.Sprintf("w%d-%d", w, i)
				errs <- s.Write(context.Background(), r)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Verify(context.Background())
	if err != nil || !r.Intact() || r.Records != writers*each {
		t.Fatalf("Verify = %+v, %v; want %d records, intact", r, err, writers*each)
	}
	entries, err := s.Search(context.Background(), audit.Search, testKey.Identify(audit.Search, "9990000018"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.TraceID] {
			t.Errorf("%s kept twice", e.TraceID)
		}
		seen[e.TraceID] = true
	}
	if len(seen) != writers*each {
		t.Errorf("%d records found, want %d", len(seen), writers*each)
	}
}

// TestWriteGivenUp: a Write whose context has ended returns at once, and the
// store goes on.
func TestWriteGivenUp(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Write(ctx, searchOf("9990000018", 1)); err != nil && err != context.Canceled {
		t.Errorf("Write = %v, want nil or context.Canceled", err)
	}
	write(t, s, searchOf("9990000018", 2))
	if r, err := s.Verify(context.Background()); err != nil || !r.Intact() {
		t.Errorf("Verify = %+v, %v; want intact", r, err)
	}
}

// BenchmarkAuditWrite measures Write as the gateway uses it: from many
// requests at once (64 goroutines on the machine's cores), each waiting for
// its own record to be on disk. It reports records a second and the 99th
// percentile of a Write's latency.
func BenchmarkAuditWrite(b *testing.B) { benchmarkWrite(b, 64) }

// BenchmarkAuditWriteOne is BenchmarkAuditWrite from one goroutine: a
// commit and a sync for every record.
func BenchmarkAuditWriteOne(b *testing.B) { benchmarkWrite(b, 1) }

func benchmarkWrite(b *testing.B, writers int) {
	s, _ := setup(b)
	records := make([]audit.Record, 64)
	for i := range records {
		records[i] = searchOf("9990000018", i)
	}
	var mu sync.Mutex
	var latencies []time.Duration
	var next sync.WaitGroup
	work := make(chan int)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range writers {
		next.Add(1)
		go func() {
			defer next.Done()
			var mine []time.Duration
			for i := range work {
				t0 := time.Now()
				if err := s.Write(context.Background(), records[i%len(records)]); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	for i := range b.N {
		work <- i
	}
	close(work)
	next.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
