package tracker

import (
	"encoding/json"
	"testing"
)

// The parse benchmark and the json.Valid baseline run on the same bytes, so
// their ratio is a measure of the parser, not of the machine.

func BenchmarkParseSearch100(b *testing.B) {
	body := readBody(b, "search-100.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSearch(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONValid100(b *testing.B) {
	body := readBody(b, "search-100.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if !json.Valid(body) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkParseRetrieve(b *testing.B) {
	body := readBody(b, "retrieve-ok.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseRetrieve(body); err != nil {
			b.Fatal(err)
		}
	}
}
