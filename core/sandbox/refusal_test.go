package sandbox

import (
	"testing"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// TestRefusal: the answer a gateway gives for what Spine would refuse is
// the sandbox's own, which the client reads as Spine's.
func TestRefusal(t *testing.T) {
	t.Parallel()
	search, err := tracker.ParseSearch(Refusal(61, validate.KindSearch))
	if err != nil || search.StatusCode != 61 || search.Reason != tracker.StatusReason(61) || len(search.Prescriptions) != 0 {
		t.Errorf("search refusal: %+v, %v", search, err)
	}
	retrieve, err := tracker.ParseRetrieve(Refusal(51, validate.KindRetrieve))
	if err != nil || retrieve.StatusCode != 51 || retrieve.Prescription != nil {
		t.Errorf("retrieve refusal: %+v, %v", retrieve, err)
	}
}

func TestPathID(t *testing.T) {
	t.Parallel()
	for escaped, want := range map[string]string{
		"A3B4D9-Z42475-11E6B%2B": "A3B4D9-Z42475-11E6B+",
		"A3B4D9-Z42475-11E6B+":   "A3B4D9-Z42475-11E6B ", // as Spine reads it
		"A%2FB":                  "A/B",
		"bad%zz":                 "bad%zz",
	} {
		if got := PathID(escaped); got != want {
			t.Errorf("PathID(%q) = %q, want %q", escaped, got, want)
		}
	}
}
