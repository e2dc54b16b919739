package validate_test

import (
	"fmt"
	"time"

	"github.com/eps-tracker/eps-tracker/core/validate"
)

func ExampleCheck() {
	now := time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)
	r := validate.Check(validate.Input{NHSNumber: "943 476 5918"}, now)
	fmt.Println(r.Valid())
	for _, e := range r.Errors {
		fmt.Println(e.Field, e.SpineCode, e.Message)
	}
	// Output:
	// false
	// nhsNumber 61 NHS number *** *** 5918 fails its check digit — check the last digit, and look for two digits typed the wrong way round.
}

func ExampleCheck_normalised() {
	now := time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)
	r := validate.Check(validate.Input{PrescriptionID: "c0c757a83008c2d93o\n"}, now)
	fmt.Println(r.Valid(), r.Normalized["kind"], r.Normalized["prescriptionId"])
	// Output:
	// true retrieve C0C757-A83008-C2D93O
}

func ExampleNormalizeNHSNumber() {
	fmt.Println(validate.NormalizeNHSNumber("999 314-2751"))
	fmt.Println(validate.NormalizeNHSNumber("９９９　３１４　２７５１")) // typed with an East Asian input method
	// Output:
	// 9993142751
	// 9993142751
}

func ExampleCheck_suggestions() {
	now := time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC)
	r := validate.Check(validate.Input{PrescriptionID: "C0C757-A83008-C2D930"}, now)
	w := r.Warnings[0]
	fmt.Println(r.Valid(), w.Code, w.Suggestions[0])
	// Output:
	// true checksum C0C757-A83008-C2D93O
}

func ExampleValidNHSNumber() {
	fmt.Println(validate.ValidNHSNumber(validate.NormalizeNHSNumber("943 476 5919")))
	fmt.Println(validate.ValidNHSNumber("1000070000"))
	// Output:
	// true
	// false
}
