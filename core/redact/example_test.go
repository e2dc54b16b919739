package redact_test

import (
	"fmt"

	"github.com/eps-tracker/eps-tracker/core/redact"
)

func ExampleNHSNumber() {
	fmt.Println(redact.NHSNumber("999 314 2751"))
	fmt.Println(redact.NHSNumber("John Smith")) // a name in place of a number shows nothing
	// Output:
	// *** *** 2751
	// **********
}

func ExamplePrescriptionID() {
	fmt.Println(redact.PrescriptionID("7F3A21-Z91045-4B2C0V"))
	fmt.Println(redact.PrescriptionID("Mary-Jane"))
	// Output:
	// ******-******-***C0V
	// **********
}
