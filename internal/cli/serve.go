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
  eps-tracker serve [--addr HOST:PORT]

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

Examples:
  eps-tracker serve
  eps-tracker serve --addr 127.0.0.1:0
`

func runServe(env Env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	positional, code, ok := parseFlags(env, fs, serveHelp, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: unexpected %q — serve takes only --addr.\n", redact.Argument(positional[0]))
		return ExitUsage
	}
	files := frontend.Dist()
	handler, err := site.New(site.Config{Files: files, Sandbox: sandbox.New(sandbox.Config{Now: env.Now}),
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
