//go:build !js

package main

import (
	"fmt"
	"os"
)

// main says where the gateway's Worker runs: it is built for Cloudflare
// Workers.
func main() {
	fmt.Fprintln(os.Stderr, "worker: the gateway's Cloudflare Worker runs in workerd — build it with GOOS=js GOARCH=wasm (make worker)")
	os.Exit(2)
}
