package tracker

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// addBodies seeds a fuzz target with every body in testdata/bodies; the
// corpus the fuzzer grows lives in testdata/fuzz.
func addBodies(f *testing.F) {
	paths, err := filepath.Glob("testdata/bodies/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkParse holds for any input: no panic; an error is always a
// *ParseError; nothing that is not valid JSON is accepted; what is accepted
// can be written out as JSON.
func checkParse(t *testing.T, body []byte, resp any, err error) {
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %T %v is not a *ParseError", err, err)
		}
		if pe.Detail == "" || pe.Problem == "" {
			t.Fatalf("parse error says nothing: %#v", pe)
		}
		return
	}
	if !json.Valid(body) {
		t.Fatalf("accepted a body that is not valid JSON: %q", body)
	}
	if _, err := json.Marshal(resp); err != nil {
		t.Fatalf("parsed response cannot be written as JSON: %v", err)
	}
}

func FuzzParseSearch(f *testing.F) {
	addBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := ParseSearch(body)
		checkParse(t, body, resp, err)
		if err == nil {
			for _, p := range resp.Prescriptions {
				for i := 1; i < len(p.Issues); i++ {
					if p.Issues[i-1].Number > p.Issues[i].Number {
						t.Fatalf("issues out of order")
					}
				}
			}
		}
	})
}

func FuzzParseRetrieve(f *testing.F) {
	addBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := ParseRetrieve(body)
		checkParse(t, body, resp, err)
	})
}
