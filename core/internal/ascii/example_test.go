package ascii_test

import (
	"fmt"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

func ExampleAtoi() {
	fmt.Println(ascii.Atoi("0028"), ascii.Atoi("28 days"), ascii.Digits("20250610"))
	// Output:
	// 28 -1 true
}
