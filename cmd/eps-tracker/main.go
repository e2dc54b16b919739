// Command eps-tracker tracks NHS electronic prescriptions from the command
// line. Run "eps-tracker help" for its commands.
package main

import (
	"os"

	"github.com/eps-tracker/eps-tracker/internal/cli"
)

// version is stamped at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(cli.Run(cli.Env{
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Version: version,
	}, os.Args[1:]))
}
