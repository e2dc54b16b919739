package redact

import "testing"

func TestNHSNumber(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"9434765919":   "*** *** 5919",
		"943 476 5919": "*** *** 5919",
		"943-476-5919": "*** *** 5919",
		"94347":        "*** *** 4347",
		"1234":         "****",
		"":             "",
		"é9434765919":  "*** *** 5919",
	}
	for in, want := range tests {
		if got := NHSNumber(in); got != want {
			t.Errorf("NHSNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrescriptionID(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"C0C757-A83008-C2D93O":                  "******-******-***93O",
		"D2A080EE-475C-11E6-A68F-08002732570CN": "********-****-****-****-**********0CN",
		" C0C757A83008C2D93O\n":                 "***************93O",
		"ABCD":                                  "****",
		"ABCDE":                                 "**CDE",
		"ééééé":                                 "**ééé",
	}
	for in, want := range tests {
		if got := PrescriptionID(in); got != want {
			t.Errorf("PrescriptionID(%q) = %q, want %q", in, got, want)
		}
	}
}
