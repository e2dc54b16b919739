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
	"github.com/eps-tracker/eps-tracker/internal/demoidp"
	"github.com/eps-tracker/eps-tracker/internal/site"
)

const serveHelp = `Usage:
  eps-tracker serve [--addr HOST:PORT] [--faults] [--audit-db FILE]
  eps-tracker serve --upstream URL --asid ASID --cert FILE --key FILE --ca FILE
      --jwks FILE|URL --issuer ISSUER --audience AUDIENCE
      [--allow-origin ORIGIN]... [--rate N] --audit-db FILE

Serves EPS Tracker to a browser, from this one program:
  /                    the full-page app
  /demo                a demo clinical portal that embeds the <eps-tracker>
                       widget, launched in context with a synthetic patient
  /eps-tracker.js      the widget, for a portal to embed (see the README)
  /mm/prescriptions    the gateway, answering as Spine does, for a widget or
                       a client pointed at this server
Every page is sent under a strict Content Security Policy.

The gateway stands in front of the built-in sandbox (synthetic patients), or
with --upstream of Spine. It forwards only the tracker's two queries,
answers what Spine would refuse as Spine would, and records every request
before it answers: when, who (from the caller's token), from which portal,
about whom (the NHS number or prescription id only as an HMAC under the
site's audit key, and masked), and what came of it.

In front of the sandbox, with no identity provider given, this server signs
the demo portal in: /demo gets a token for a synthetic user from /demo/token
(good for 5 minutes, signed with a key made for this run) and hands it to
the widget, which sends it to the gateway, so the demo shows the whole flow:
portal, widget, gateway, sandbox, recorded. A request without a token is
answered too (the sandbox only). The records go to standard output, a line
of JSON each, identifiers under the key in EPS_TRACKER_AUDIT_KEY if it is
set, else under a key made for this run; --audit-db keeps them instead.

In front of Spine, callers must be signed in to the portal (--jwks,
--issuer, --audience), and every request is kept in the audit store.

Flags:
  --addr HOST:PORT       where to listen (default 127.0.0.1:8080; port 0
                         picks a free one)
  --faults               let each request to the sandbox choose failures
                         with a Sandbox-Fault header, e.g. "Sandbox-Fault:
                         status:503", to test a widget pointed at this
                         server (the forms of eps-tracker sandbox
                         --fault-rate)
  --upstream URL         the tracker the gateway stands in front of, ending
                         /mm/prescriptions, such as
                         https://mm-sync.national.ncrs.nhs.uk/mm/prescriptions
                         (https; plain http only on this machine's loopback)
  --asid ASID            the gateway's ASID: 12 digits, issued with the
                         certificate
  --cert FILE --key FILE the organisation's client certificate and its key,
                         PEM files (TLS-MA)
  --p12 FILE             or both in one PKCS#12 file; its password is read
                         only from EPS_TRACKER_P12_PASSWORD
  --ca FILE              the CAs that sign the upstream's certificate
  --jwks FILE|URL        the public keys of the portal's identity provider:
                         its JWKS document, in a file or at its https URL,
                         or PEM public keys in a file; read as the server
                         starts, and again for a token of a key not among
                         them (at most once a minute) and hourly
  --issuer ISSUER        the provider's issuer, as its tokens' iss claim has
                         it
  --audience AUDIENCE    what the tokens must be issued for (their aud
                         claim): for an ID token, the portal's client id
  --allow-origin ORIGIN  the origin of a portal whose pages may call the
                         gateway, such as https://portal.example; once for
                         each portal (this server's own pages need none)
  --rate N               requests a second each user may make (default 5;
                         20 at once, or N when more)
  --audit-db FILE        keep the records in this audit store, made when
                         there is none (see eps-tracker audit), under the
                         site's key, read only from EPS_TRACKER_AUDIT_KEY

Examples:
  eps-tracker serve
  eps-tracker serve --faults
  eps-tracker serve --audit-db audit.db
  eps-tracker serve --upstream http://127.0.0.1:9090/mm/prescriptions \
      --asid 200000001234 --jwks idp-keys.json --issuer https://idp.example \
      --audience portal-client-id --allow-origin https://portal.example \
      --audit-db audit.db
`

func runServe(env Env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	gw := newGatewayFlags(fs)
	positional, code, ok := parseFlags(env, fs, serveHelp, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: unexpected %q — serve takes only flags.\n", redact.Argument(positional[0]))
		return ExitUsage
	}
	if err := gw.check(env); err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: %v\n", err)
		return ExitUsage
	}
	sb := sandbox.New(sandbox.Config{Now: env.Now, Faults: sandbox.FaultConfig{PerRequest: *gw.faults}})
	served, code, err := gw.build(env, sb)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: %v\n", err)
		return code
	}
	stop := func() int { // once nothing is served any more
		if served.store == nil {
			return ExitOK
		}
		if err := served.store.Close(); err != nil {
			fmt.Fprintf(env.Stderr, "eps-tracker serve: closing the audit store: %v\n", err)
			return ExitInvalid
		}
		return ExitOK
	}
	files := frontend.Dist()
	cfg := site.Config{Files: files, Tracker: served.handler, DemoNHSNumber: strings.ReplaceAll(exampleNHSNumber, " ", "")}
	if served.signIn != nil {
		cfg.DemoSignIn = served.signIn
	}
	handler, err := site.New(cfg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: %v\n", err)
		stop()
		return ExitInvalid
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker serve: cannot listen on %s (%v) — give --addr as HOST:PORT with a port that is free, such as 127.0.0.1:8080, or 127.0.0.1:0 for any free one.\n", *addr, err)
		stop()
		return ExitInvalid
	}
	sayServing(env, "http://"+ln.Addr().String(), gw, served, site.Built(files))

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: quietLog()}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(env.Stderr, "eps-tracker serve: %v\n", err)
		stop()
		return ExitInvalid
	case <-env.Context.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		srv.Close() // the requests still under way are cut off
	}
	code = stop() // every request answered has its record: the store closes last
	fmt.Fprintln(env.Stdout, "Stopped.")
	return code
}

// sayServing says where the server is, what its gateway stands in front
// of, who may call it and where its records go.
func sayServing(env Env, base string, gw *gatewayFlags, served *servedGateway, built bool) {
	cols := width(env.Stdout)
	say := func(s string) { fmt.Fprintln(env.Stdout, wrap(s, cols, "")) }
	fmt.Fprintf(env.Stdout, "EPS Tracker at %s/\n", base)
	if !built {
		fmt.Fprintln(env.Stdout, "This program was built without its web interface: build it with make build. Only the gateway is served.")
	}
	behind := "the built-in sandbox"
	if gw.sandboxed() {
		fmt.Fprintf(env.Stdout, "  demo clinical portal  %s/demo\n", base)
	} else {
		behind = *gw.upstream
	}
	fmt.Fprintf(env.Stdout, "  gateway               %s/mm/prescriptions\n                        in front of %s\n", base, behind)
	switch {
	case gw.demo():
		say(fmt.Sprintf("Callers: the demo portal signs in with a token from %s/demo/token (%s, good for %d minutes, for this run only); "+
			"a request without a token is answered too.", base, demoidp.Issuer, int(demoidp.Lifetime.Minutes())))
	default:
		from := "this server's own pages"
		if len(gw.origins) > 0 {
			from += " and " + listed(gw.origins)
		}
		say(fmt.Sprintf("Callers: signed in to %s (audience %s), from %s; %v requests a second each.", *gw.issuer, *gw.audience, from, *gw.rate))
	}
	switch {
	case served.store != nil:
		say(fmt.Sprintf("Audit: every request recorded in %s before it is answered.", *gw.auditDB))
	case served.ephemeralKey:
		say("Audit: every request recorded on standard output, a line of JSON each, identifiers under a key made for this run " +
			"(set " + auditKeyVariable + " for the site's, or give --audit-db FILE to keep them).")
	default:
		say("Audit: every request recorded on standard output, a line of JSON each, identifiers under the key in " + auditKeyVariable + ".")
	}
	if *gw.faults {
		say("Fault injection is on: a request to the sandbox may ask for a failure with a Sandbox-Fault header.")
	}
	if gw.sandboxed() {
		fmt.Fprint(env.Stdout, "Synthetic patients — not real data. ")
	}
	fmt.Fprintln(env.Stdout, "Stop with Ctrl-C.")
}
