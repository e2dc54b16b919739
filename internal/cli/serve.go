package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/frontend"
	"github.com/eps-tracker/eps-tracker/internal/site"
)

const serveHelp = `Usage:
  eps-tracker serve [--addr HOST:PORT] [--faults]

Serves EPS Tracker to a browser, from this one program:
  /                    the full-page app
  /demo                a demo clinical portal that embeds the <eps-tracker>
                       widget, launched in context with a synthetic patient
  /eps-tracker.js      the widget, for a portal to embed (see the README)
  /mm/prescriptions    the sandbox, answering as Spine does, for a widget or
                       a client pointed at this server
The widget answers from its built-in training sandbox: synthetic patients,
not real data. Every page is sent under a strict Content Security Policy.

Flags:
  --addr HOST:PORT     where to listen (default 127.0.0.1:8080; port 0
                       picks a free one)
  --faults             let each request to /mm/prescriptions choose failures
                       with a Sandbox-Fault header, e.g. "Sandbox-Fault:
                       status:503", to test a widget pointed at this server
                       (the forms are those of eps-tracker sandbox --fault-rate)

Examples:
  eps-tracker serve
  eps-tracker serve --addr 127.0.0.1:0
`

func runServe(env Env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	perRequest := fs.Bool("faults", false, "")
	positional, code, ok := parseFlags(env, fs, serveHelp, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: unexpected %q — serve takes only flags.\n", redact.Argument(positional[0]))
		return ExitUsage
	}
	files := frontend.Dist()
	faults := sandbox.FaultConfig{PerRequest: *perRequest}
	handler, err := site.New(site.Config{Files: files, Sandbox: sandbox.New(sandbox.Config{Now: env.Now, Faults: faults}),
		DemoNHSNumber: strings.ReplaceAll(exampleNHSNumber, " ", "")})
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: %v\n", err)
		return ExitInvalid
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: cannot listen on %s (%v) — give --addr as HOST:PORT with a port that is free, such as 127.0.0.1:8080, or 127.0.0.1:0 for any free one.\n", *addr, err)
		return ExitInvalid
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(env.Stdout, "EPS Tracker at %s/\n", base)
	if !site.Built(files) {
		fmt.Fprintln(env.Stdout, "This program was built without its web interface: build it with make build. Only the sandbox is served.")
	}
	fmt.Fprintf(env.Stdout, "  demo clinical portal  %s/demo\n  sandbox               %s/mm/prescriptions\n", base, base)
	if faults.Enabled() {
		fmt.Fprintln(env.Stdout, "Fault injection is on: a request to the sandbox may ask for a failure with a Sandbox-Fault header.")
	}
	fmt.Fprintln(env.Stdout, "Synthetic patients — not real data. Stop with Ctrl-C.")

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: quietLog()}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(env.Stderr, "eps-tracker serve: %v\n", err)
		return ExitInvalid
	case <-env.Context.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	fmt.Fprintln(env.Stdout, "Stopped.")
	return ExitOK
}
