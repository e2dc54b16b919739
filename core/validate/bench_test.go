package validate

import (
	"fmt"
	"testing"
)

// BenchmarkCheckSearch is the time to check one typical search input, as a
// person types it (target: 5 µs or less).
func BenchmarkCheckSearch(b *testing.B) {
	in := Input{NHSNumber: "943 476 5919", EarliestDate: "20250101", LatestDate: "2025-06-10", PrescriptionStatus: "0001", PrescriptionVersion: "R2"}
	instance() // the one-time cost is measured on its own below
	b.ReportAllocs()
	for b.Loop() {
		if r := Check(in, now); !r.Valid() {
			b.Fatal(r.Errors)
		}
	}
}

func BenchmarkCheckRetrieve(b *testing.B) {
	in := Input{PrescriptionID: "c0c757a83008c2d93o", IssueNumber: "2"}
	instance()
	b.ReportAllocs()
	for b.Loop() {
		if r := Check(in, now); !r.Valid() {
			b.Fatal(r.Errors)
		}
	}
}

// BenchmarkValidatorInit is the one-time cost of building the validator and
// checking a first input, paid once per process.
func BenchmarkValidatorInit(b *testing.B) {
	in := Input{NHSNumber: "9434765919"}
	b.ReportAllocs()
	for b.Loop() {
		v := newValidator()
		n := Normalize(in)
		if err := v.Struct(toChecked(&n)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSuggest is the time to find the corrections of a mistyped id,
// paid only when its check character fails: a short id, and a long one
// full of characters that can be read two ways.
func BenchmarkSuggest(b *testing.B) {
	for _, id := range []string{"7C1FOA-OOOMKP-3BDOEC", "E5AODOB2-OCOE-11FO-BODO-OAOBOCODOEOFP"} {
		b.Run(fmt.Sprint(len(id)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Suggest(id)
			}
		})
	}
}
