//go:build !js

package main

import (
	"fmt"
	"os"
)

// main says where the widget's core runs: it is built for browsers.
func main() {
	fmt.Fprintln(os.Stderr, "widget: the core of the <eps-tracker> widget runs in a browser — build it with GOOS=js GOARCH=wasm (make widget)")
	os.Exit(2)
}
