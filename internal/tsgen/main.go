// Command tsgen writes frontend/src/backend/types.ts, the TypeScript types
// of core/service's arguments, views and error, so that the frontend and
// the service cannot drift apart. Run it from anywhere in the module (go
// generate ./core/service does); its test fails when the file it wrote is
// out of date.
//
// The shapes come from reflection over the Go types, by their json tags,
// exactly as encoding/json writes them; doc comments and the values of
// string enumerations come from the package's source. It refuses what a
// bindings generator would get wrong: a field without a json tag, an
// embedded struct, a type with its own MarshalJSON.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// output is where the types go, from the module's root.
const output = "frontend/src/backend/types.ts"

func main() {
	root, err := moduleRoot()
	if err == nil {
		var ts []byte
		if ts, err = generate(root); err == nil {
			err = os.WriteFile(filepath.Join(root, output), ts, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
}

// moduleRoot finds the directory of go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
