// Command eps-tracker tracks NHS electronic prescriptions from the command
// line. Run "eps-tracker help" for its commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/eps-tracker/eps-tracker/internal/cli"
)

// version is stamped at build time with -ldflags "-X main.version=…".
// Without it, eps-tracker reports the module's build information (the
// version "go install" fetched, or the commit it was built from).
var version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(cli.Env{
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Version: version,
		Context: ctx,
	}, os.Args[1:])
	stop()
	os.Exit(code)
}
