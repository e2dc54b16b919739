package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/internal/certs"
)

const sandboxHelp = `Usage:
  eps-tracker sandbox [flags]
      serves the Spine tracker simulator
  eps-tracker sandbox patients [--seed N] [--today yyyymmdd]
      lists its synthetic patients, one JSON object per line
  eps-tracker sandbox certs [--dir DIR] [--force]
      writes throwaway TLS certificates for trying TLS-MA, into ./certs
      (--force replaces files already there)

The sandbox answers GET /mm/prescriptions (search) and /mm/prescriptions/{id}
(retrieve) exactly as Spine does, status codes included, over synthetic
patients with NHS numbers from the 999 test range. The same seed and date
always make the same patients.

Flags:
  --addr HOST:PORT     where to listen (default 127.0.0.1:9090)
  --seed N             which synthetic population (default 0)
  --today yyyymmdd     make the population around this date, and act as if it
                       were today
  --prefix PATH        serve under PATH, e.g. /spine (default none)
  --quirks             answer with the oddities of real responses (stray spaces
                       in member names, bare numbers, truncated timestamps, …)
  --faults             let each request choose failures with a Sandbox-Fault
                       header, e.g. "Sandbox-Fault: latency:2s,status:503"
  --fault-rate SPEC    inject failures at random, each at a rate from 0 to 1,
                       e.g. "status:503=0.1,latency:200ms=0.5". The failures:
                       latency:DUR slow-body:DUR status:CODE
                       retry-after:CODE:SECS reset truncate html[:CODE]
                       wrong-content-type oversize[:BYTES]
  --tls-cert FILE --tls-key FILE
                       serve HTTPS with this certificate and key (PEM)
  --client-ca FILE     with TLS, require client certificates signed by this CA
                       (TLS-MA)

Examples:
  eps-tracker sandbox
  eps-tracker sandbox patients | head -3
  eps-tracker sandbox certs --dir certs
  eps-tracker sandbox --tls-cert certs/server.pem \
      --tls-key certs/server-key.pem --client-ca certs/ca.pem
`

// exampleASID is the ASID the examples send; the sandbox accepts any
// twelve digits.
const exampleASID = "200000001234"

func runSandbox(env Env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "patients":
			return runPatients(env, args[1:])
		case "certs":
			return runCerts(env, args[1:])
		}
	}
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9090", "")
	pop := populationFlags(fs)
	prefix := fs.String("prefix", "", "")
	quirks := fs.Bool("quirks", false, "")
	perRequest := fs.Bool("faults", false, "")
	rates := fs.String("fault-rate", "", "")
	certFile := fs.String("tls-cert", "", "")
	keyFile := fs.String("tls-key", "", "")
	clientCA := fs.String("client-ca", "", "")
	positional, code, ok := parseFlags(env, fs, sandboxHelp, args)
	if !ok {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox: unexpected %q — the subcommands are patients and certs.\n", redact.Argument(positional[0]))
		return ExitUsage
	}
	cfg, err := pop.config()
	if err == nil {
		cfg.Prefix, cfg.Quirks = *prefix, *quirks
		cfg.Faults = sandbox.FaultConfig{PerRequest: *perRequest, Seed: cfg.Seed}
		if *rates != "" {
			cfg.Faults.Rates, err = sandbox.ParseFaultRates(*rates)
		}
	}
	var tlsConfig *tls.Config
	if err == nil {
		tlsConfig, err = serverTLS(*certFile, *keyFile, *clientCA)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox: %v\n", err)
		return ExitUsage
	}
	sb := sandbox.New(cfg)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox: cannot listen on %s: %v — is another sandbox running? Try --addr 127.0.0.1:0 for any free port.\n", *addr, err)
		return ExitInvalid
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	url := fmt.Sprintf("%s://%s%s/mm/prescriptions", scheme, ln.Addr(), strings.TrimRight(cfg.Prefix, "/"))
	patients := sb.Patients()
	today := sb.Today()
	fmt.Fprintf(env.Stdout, "EPS Tracker sandbox: %d synthetic patients (seed %d, today %s) at\n  %s\n", len(patients), cfg.Seed, today.Human(), url)
	if cfg.Faults.Enabled() {
		fmt.Fprintln(env.Stdout, "Fault injection is on.")
	}
	if *clientCA != "" {
		fmt.Fprintln(env.Stdout, "Clients must present a certificate signed by the client CA (TLS-MA).")
	}
	fmt.Fprintf(env.Stdout, "Try:\n  curl -H 'Spine-From-Asid: %s' '%s?format=trace-summary&nhsNumber=%s&earliestDate=%s&latestDate=%s'\n",
		exampleASID, url, patients[0].NHSNumber, today.AddDays(-730).Compact(), today.Compact())
	if tlsConfig != nil {
		fmt.Fprintln(env.Stdout, "  (over TLS, add --cacert with the CA that signed the server certificate, and with --client-ca also --cert and --key)")
	}
	fmt.Fprintln(env.Stdout, "List the patients with: eps-tracker sandbox patients. Stop with Ctrl-C.")

	srv := &http.Server{Handler: sandboxhttp.Handler(sb), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog()}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox: %v\n", err)
		return ExitInvalid
	case <-env.Context.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	fmt.Fprintln(env.Stdout, "Sandbox stopped.")
	return ExitOK
}

// populationFlags are the flags that pick the synthetic population.
type populationFlagSet struct {
	seed  *uint64
	today *string
}

func populationFlags(fs *flag.FlagSet) populationFlagSet {
	return populationFlagSet{seed: fs.Uint64("seed", 0, ""), today: fs.String("today", "", "")}
}

func (p populationFlagSet) config() (sandbox.Config, error) {
	cfg := sandbox.Config{Seed: *p.seed}
	if *p.today != "" {
		d, ok := tracker.ParseCompactDate(*p.today)
		if !ok {
			return cfg, fmt.Errorf("--today %q is not a date — write it as yyyymmdd", *p.today)
		}
		cfg.Today = d
	}
	return cfg, nil
}

func serverTLS(certFile, keyFile, clientCA string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "" && clientCA == "":
		return nil, nil
	case certFile == "" || keyFile == "":
		return nil, errors.New("TLS needs both --tls-cert and --tls-key")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCA != "" {
		pem, err := os.ReadFile(clientCA)
		if err != nil {
			return nil, fmt.Errorf("reading the client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", clientCA)
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

func runPatients(env Env, args []string) int {
	fs := flag.NewFlagSet("sandbox patients", flag.ContinueOnError)
	pop := populationFlags(fs)
	if _, code, ok := parseFlags(env, fs, sandboxHelp, args); !ok {
		return code
	}
	cfg, err := pop.config()
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox patients: %v\n", err)
		return ExitUsage
	}
	enc := json.NewEncoder(env.Stdout)
	for _, p := range sandbox.New(cfg).Patients() {
		if err := enc.Encode(p); err != nil {
			return ExitInvalid
		}
	}
	return ExitOK
}

func runCerts(env Env, args []string) int {
	fs := flag.NewFlagSet("sandbox certs", flag.ContinueOnError)
	dir := fs.String("dir", "certs", "")
	force := fs.Bool("force", false, "")
	if _, code, ok := parseFlags(env, fs, sandboxHelp, args); !ok {
		return code
	}
	set, err := certs.Generate(env.Now())
	var paths map[string]string
	switch {
	case err != nil:
	case *force:
		paths, err = set.OverwriteFiles(*dir)
	default:
		paths, err = set.WriteFiles(*dir)
	}
	var exist *certs.ExistError
	switch {
	case errors.As(err, &exist):
		names := strings.Join(exist.Names, ", ")
		if len(exist.Names) > 3 {
			names = fmt.Sprintf("%s and %d more of the files it writes", strings.Join(exist.Names[:3], ", "), len(exist.Names)-3)
		}
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox certs: %s already holds %s, so nothing was written. Use --force to replace them, or --dir for another folder.\n",
			exist.Dir, names)
		return ExitInvalid
	case err != nil:
		fmt.Fprintf(env.Stderr, "eps-tracker sandbox certs: %v\n", err)
		return ExitInvalid
	}
	fmt.Fprintf(env.Stdout, "Wrote throwaway certificates for tests (valid for 24 hours) to %s:\n", *dir)
	for _, name := range []string{"ca.pem", "server.pem", "server-key.pem", "client.pem", "client-key.pem", "client-expired.pem", "other-ca.pem", "other-client.pem"} {
		fmt.Fprintf(env.Stdout, "  %s\n", paths[name])
	}
	return ExitOK
}

// quietLog drops the server's own log lines (TLS handshake failures from
// clients without a certificate, for one): they may name client addresses,
// and the client already gets the error.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
