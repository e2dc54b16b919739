package validate

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheck feeds arbitrary text to every field. Whatever comes in: no
// panic; valid exactly when there are no errors; every error names a known
// field; every message is valid UTF-8; every normalised value passes its own
// rule again, and an NHS number or id is sent as ASCII; no message holds the
// NHS number or id in clear; the report can be written as JSON.
func FuzzCheck(f *testing.F) {
	f.Add("", "943 476 5919", "20250101", "20250610", "0001", "R2", "1", "", "", "200000001234", "abc-1")
	f.Add("search", "9434765918", "20250231", "", "dispensed", "r1", "1.0", "", "", "", "")
	f.Add("retrieve", "", "", "", "", "", "", "c0c757a83008c2d93o\n", "2", "", "")
	f.Add("", "", "", "", "", "", "", "CBEF44-000X26-41E1B1", "0", "1234", "a b")
	f.Add("", "", "", "", "", "", "", "D2A080EE-475C-11E6-A68F-08002732570CN", "", "", "")
	f.Add("lookup", "1000070000", "10/06/2025", "2025-06-01", "9", "3", "v", "C0C757/A83008", "-1", "x", strings.Repeat("a", 31))
	f.Add("", "９９９　３１４　２７５１", "", "", "", "", "", "", "", "", "")                           // full-width digits and spaces
	f.Add("", "９９９－３１４－２７５Ｏ", "", "", "", "", "", "", "", "", "")                           // a full-width letter
	f.Add("", "999314275\xff", "", "", "", "", "", "", "", "", "")                          // a byte that is not text
	f.Add("", "999\u200b3142751", "", "", "", "", "", "", "", "", "")                       // an invisible character
	f.Add("retrieve", "", "", "", "", "", "", "ｅ４１ｂ９０－ｙ７３３１０－０ａ９ｄ１ｙ", "", "", "")           // a full-width id
	f.Add("retrieve", "", "", "", "", "", "", "７Ｆ３Ａ２１\u3000Ｚ９１０４５\u3000４Ｂ２Ｃ０＋", "", "", "") // ideographic spaces and a full-width +
	f.Add("retrieve", "", "", "", "", "", "", "7F3A21-Z91045-4B2C0\u0412", "", "", "")      // a Cyrillic letter
	f.Add("retrieve", "", "", "", "", "", "", "7F3A21-Z91045-4B2C0\xc3", "", "", "")        // an id cut inside a character
	f.Fuzz(func(t *testing.T, kind, nhs, earliest, latest, status, pversion, version, id, issue, asid, trace string) {
		in := Input{Kind: Kind(kind), NHSNumber: nhs, EarliestDate: earliest, LatestDate: latest,
			PrescriptionStatus: status, PrescriptionVersion: pversion, Version: version,
			PrescriptionID: id, IssueNumber: issue, ASID: asid, TraceID: trace}
		r := Check(in, now)
		if r.Valid() != (len(r.Errors) == 0) || (r.Err() == nil) != r.Valid() {
			t.Fatal("Valid and Errors disagree")
		}
		for _, e := range r.Errors {
			if _, ok := labels[e.Field]; !ok && e.Field != "input" {
				t.Fatalf("error on unknown field %q", e.Field)
			}
			if e.Message == "" {
				t.Fatalf("empty message on %s", e.Field)
			}
			if !utf8.ValidString(e.Message) {
				t.Fatalf("message on %s is not valid UTF-8: %q", e.Field, e.Message)
			}
		}
		for _, w := range r.Warnings {
			if !utf8.ValidString(w.Message) {
				t.Fatalf("warning on %s is not valid UTF-8: %q", w.Field, w.Message)
			}
		}
		for _, name := range []string{"nhsNumber", "prescriptionId"} {
			if v := r.Normalized[name]; !isASCII(v) {
				t.Fatalf("normalised %s %q is not ASCII", name, v)
			}
		}
		if v, ok := r.Normalized["nhsNumber"]; ok && !ValidNHSNumber(v) {
			t.Fatalf("normalised NHS number %q is not valid", v)
		}
		if v, ok := r.Normalized["prescriptionId"]; ok && !SpineAcceptsPrescriptionID(v) {
			t.Fatalf("normalised id %q is one Spine refuses", v)
		}
		if r.Valid() {
			// What is valid once stays valid, and unchanged, when checked again.
			again := Check(Input{Kind: Kind(r.Normalized["kind"]), NHSNumber: r.Normalized["nhsNumber"],
				EarliestDate: r.Normalized["earliestDate"], LatestDate: r.Normalized["latestDate"],
				PrescriptionStatus: r.Normalized["prescriptionStatus"], PrescriptionVersion: r.Normalized["prescriptionVersion"],
				Version: r.Normalized["version"], PrescriptionID: r.Normalized["prescriptionId"],
				IssueNumber: r.Normalized["issueNumber"], ASID: r.Normalized["asid"], TraceID: r.Normalized["traceId"]}, now)
			if !again.Valid() || len(again.Normalized) != len(r.Normalized) {
				t.Fatalf("normalised input checks differently: %+v then %+v", r, again)
			}
		}
		for _, secret := range []string{r.Normalized["nhsNumber"], r.Normalized["prescriptionId"]} {
			if len(secret) < 10 {
				continue
			}
			for _, w := range r.Warnings {
				if strings.Contains(w.Message, secret) {
					t.Fatalf("warning %q holds an identifier in clear", w.Message)
				}
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzSuggest checks that every suggestion passes its check character and
// Spine's rule, and is one substitution, one neighbour swap, or one reading
// of confusable characters away from the input.
func FuzzSuggest(f *testing.F) {
	for _, id := range []string{"CBEF44-000X26-41E1B1", "C0C757-A83008-C2D930", "D2A080EE-475C-11E6-A68F-08002732750CN", "0308BB-000X26-4401B0",
		"7C1FOA-OOOMKP-3BDOEC", "30E0A1-IOOZW8-0F0D14", "E5AODOB2-OCOE-11FO-BODO-OAOBOCODOEOFP", "OOOOOO-OOOOOO-OOOOOO",
		"8B5S2Z-1I0O8B-5S2Z1I", "o8b5s2z1-i0o8-b5s2-z1i0-o8b5s2z1i0o8b"} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		id := NormalizePrescriptionID(typed)
		for _, s := range Suggest(id) {
			if !CheckCharacterMatches(s) || len(s) != len(id) || !SpineAcceptsPrescriptionID(s) {
				t.Fatalf("suggestion %q for %q is not a valid id", s, id)
			}
			if d := diffAt(id, s); len(d) != 1 && !swapped(id, s) && confusableKinds(id, s) == 0 {
				t.Fatalf("suggestion %q is not one typing error away from %q", s, id)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
