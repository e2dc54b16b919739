package auditstore

import (
	"runtime"
	"testing"
)

// TestGatherTakesWhatIsReady: the records that goroutines ready to run are
// about to hand over join the batch being gathered, rather than wait for
// the next commit and its sync; with nothing else ready, the batch is what
// was waiting.
func TestGatherTakesWhatIsReady(t *testing.T) {
	// One goroutine at a time: those started below run only when gather
	// gives them their turn.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	queue := make(chan *pending)
	if got := gather(queue, []*pending{{}}); len(got) != 1 {
		t.Fatalf("with nothing else ready: %d records gathered, want 1", len(got))
	}
	// Every 61st turn the scheduler runs a goroutine that gave up its
	// turn (gather) before those ready, so a turn given may come straight
	// back, about once in 3,700 for both: three attempts make a failure
	// of gather's own.
	const ready = 8
	for range 3 {
		for range ready {
			go func() { queue <- &pending{} }()
		}
		got := gather(queue, []*pending{{}})
		for range 1 + ready - len(got) {
			<-queue
		}
		if len(got) > 1 {
			return
		}
	}
	t.Errorf("with %d writers ready to run, 3 times: only the record waiting was gathered", ready)
}
