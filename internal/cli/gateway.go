package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
	"github.com/eps-tracker/eps-tracker/internal/demoidp"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// gatewayFlags are serve's flags for its gateway: what it stands in front
// of and how it reaches it, who may call it, how often, and where its
// records go.
type gatewayFlags struct {
	fs       *flag.FlagSet
	faults   *bool
	upstream *string
	conn     *connection // --asid and the certificate
	jwks     *string
	issuer   *string
	audience *string
	origins  []string
	rate     *float64
	auditDB  *string
}

// newGatewayFlags registers the gateway's flags on fs.
func newGatewayFlags(fs *flag.FlagSet) *gatewayFlags {
	g := &gatewayFlags{fs: fs, conn: certificateFlags(fs)}
	g.faults = fs.Bool("faults", false, "")
	g.upstream = fs.String("upstream", "", "")
	g.jwks = fs.String("jwks", "", "")
	g.issuer = fs.String("issuer", "", "")
	g.audience = fs.String("audience", "", "")
	fs.Func("allow-origin", "", func(origin string) error {
		g.origins = append(g.origins, origin)
		return nil
	})
	g.rate = fs.Float64("rate", gateway.DefaultRate, "")
	g.auditDB = fs.String("audit-db", "", "")
	return g
}

// given returns those of the named flags that were given, as "--name".
func (g *gatewayFlags) given(names ...string) []string {
	set := map[string]bool{}
	g.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var out []string
	for _, n := range names {
		if set[n] {
			out = append(out, "--"+n)
		}
	}
	return out
}

// sandboxed reports whether the gateway stands in front of the built-in
// sandbox: no --upstream was given.
func (g *gatewayFlags) sandboxed() bool { return len(g.given("upstream")) == 0 }

// demo reports whether serve is the demo portal's identity provider: in
// front of the sandbox, with no identity provider of the portal's given.
func (g *gatewayFlags) demo() bool {
	return g.sandboxed() && len(g.given("jwks", "issuer", "audience")) == 0
}

// check refuses flags that contradict each other, or that would leave a
// real tracker open to anyone or unrecorded, naming the flags.
func (g *gatewayFlags) check(env Env) error {
	auth := g.given("jwks", "issuer", "audience")
	certificate := g.given("asid", "cert", "key", "p12", "ca")
	switch {
	case *g.faults && !g.sandboxed():
		return errors.New("--faults and --upstream do not go together: --faults makes the built-in sandbox fail on request, " +
			"and with --upstream the gateway stands in front of another tracker instead. Give one or the other.")
	case g.sandboxed() && len(certificate) > 0:
		return fmt.Errorf("the built-in sandbox takes no ASID or certificate, but %s given: "+
			"give --upstream for the tracker %s for, or leave %s out.", isAre(certificate), plural(certificate, "it is", "they are"), plural(certificate, "it", "them"))
	case len(auth) > 0 && len(auth) < 3:
		return fmt.Errorf("--jwks, --issuer and --audience turn authentication on, and it needs all three: %s.", missingAuth(auth))
	case !g.sandboxed() && len(auth) == 0:
		return errors.New("with --upstream the gateway stands in front of a real tracker, so its callers must be authenticated: " +
			"give the portal's identity provider with --jwks, --issuer and --audience.")
	case !g.sandboxed() && *g.auditDB == "":
		return fmt.Errorf("with --upstream the gateway stands in front of a real tracker, so every request must be recorded in an audit store: "+
			"give --audit-db FILE, with the site's audit key in %s.", auditKeyVariable)
	case math.IsNaN(*g.rate) || math.IsInf(*g.rate, 0) || *g.rate <= 0:
		return fmt.Errorf("--rate %v is not a rate: give the requests a second each user may make, a number above 0, such as %d.", *g.rate, gateway.DefaultRate)
	}
	return g.conn.fromFlags(env, g.fs)
}

// missingAuth says which of the identity provider's flags are missing, and
// what each is.
func missingAuth(given []string) string {
	what := map[string]string{
		"--jwks":     "the identity provider's public keys",
		"--issuer":   "its issuer, as its tokens' iss claim has it",
		"--audience": "what its tokens are issued for: for an ID token, the portal's client id",
	}
	var missing []string
	for _, f := range []string{"--jwks", "--issuer", "--audience"} {
		if !slices.Contains(given, f) {
			missing = append(missing, f+" ("+what[f]+")")
		}
	}
	return plural(missing, listed(missing)+" is missing", listed(missing)+" are missing")
}

// listed joins flags as a sentence lists them: "--cert, --key and --ca".
func listed(flags []string) string {
	if len(flags) < 2 {
		return strings.Join(flags, "")
	}
	return strings.Join(flags[:len(flags)-1], ", ") + " and " + flags[len(flags)-1]
}

// isAre lists flags with the verb that follows them: "--cert is",
// "--cert and --key are".
func isAre(flags []string) string { return listed(flags) + plural(flags, " is", " are") }

// plural is one when there is one of things, else many.
func plural(things []string, one, many string) string {
	if len(things) == 1 {
		return one
	}
	return many
}

// servedGateway is the gateway serve runs, as its flags made it.
type servedGateway struct {
	// handler answers /mm/prescriptions and every path under /mm/.
	handler http.Handler
	// signIn is the demo portal's identity provider, nil but in demo mode.
	signIn *demoidp.Provider
	// store keeps the records (--audit-db), nil when they go to standard
	// output; it is closed once the server has stopped.
	store *auditstore.Store
	// ephemeralKey is true when the records' identifiers are kept under a
	// key made for this run.
	ephemeralKey bool
}

// build makes the gateway of the flags, once check has passed: the audit
// key and sink, the upstream and how it is reached, the identity
// provider's keys. Its error says what to put right; code is the exit
// status.
func (g *gatewayFlags) build(env Env, sb *sandbox.Sandbox) (_ *servedGateway, code int, err error) {
	sg := &servedGateway{}
	key, err := g.auditKey(env)
	if err != nil {
		return nil, ExitUsage, err
	}
	sg.ephemeralKey = key.IsZero()
	if sg.ephemeralKey {
		if key, err = ephemeralKey(); err != nil {
			return nil, ExitInvalid, err
		}
	}
	cfg := gateway.Config{Transport: sb, AllowOrigins: g.origins, Rate: *g.rate, AuditKey: key, Now: env.Now,
		Logger: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if !g.sandboxed() {
		if cfg.Transport, err = g.transport(); err != nil {
			return nil, ExitUsage, err
		}
		cfg.Upstream, cfg.ASID = *g.upstream, g.conn.ASID
	}
	if !g.demo() {
		source := *g.jwks
		keys, err := idpKeys(env.Context, source)
		if err != nil {
			return nil, ExitInvalid, fmt.Errorf("--jwks %s: %v", source, err)
		}
		// The keys are read again from where they came (the provider's URL,
		// or the file) for a token of a key not among them, and hourly.
		refresh := func(ctx context.Context) (gateway.Keys, error) { return idpKeys(ctx, source) }
		cfg.Auth = &gateway.Auth{Keys: keys, Issuer: *g.issuer, Audience: *g.audience, Refresh: refresh}
	}
	cfg.Audit = &auditLines{w: env.Stdout}
	if *g.auditDB != "" {
		// The store is opened once the gateway is made, so that settings
		// it refuses leave no new file behind.
		cfg.Audit = audit.SinkFunc(func(ctx context.Context, r audit.Record) error { return sg.store.Write(ctx, r) })
	}
	if g.demo() {
		sg.handler, sg.signIn, err = demoGateway(cfg, env.Now)
	} else {
		sg.handler, err = gateway.New(cfg)
	}
	if err != nil {
		return nil, ExitUsage, flagError(err)
	}
	if *g.auditDB != "" {
		if sg.store, err = auditstore.Open(*g.auditDB); err != nil {
			return nil, ExitInvalid, fmt.Errorf("--audit-db %s: %v", *g.auditDB, err)
		}
	}
	return sg, ExitOK, nil
}

// demoGateway is the gateway in demo mode, in front of the sandbox: a
// request with a token must carry a good one of the demo portal's sign-in
// (signIn), which names its user in the record; one without is answered
// too, anonymously, as the sandbox's patients are synthetic.
func demoGateway(cfg gateway.Config, now func() time.Time) (http.Handler, *demoidp.Provider, error) {
	signIn, err := demoidp.New(now)
	if err != nil {
		return nil, nil, err
	}
	anonymous, err := gateway.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Auth, err = signIn.Auth(); err != nil {
		return nil, nil, err
	}
	signedIn, err := gateway.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			signedIn.ServeHTTP(w, r)
			return
		}
		anonymous.ServeHTTP(w, r)
	}), signIn, nil
}

// auditKey is the site's audit key from the environment: required with
// --audit-db; without it, the zero key when the variable is not set.
func (g *gatewayFlags) auditKey(env Env) (audit.Key, error) {
	if env.Getenv(auditKeyVariable) == "" && *g.auditDB == "" {
		return audit.Key{}, nil
	}
	key, err := auditKey(env)
	switch {
	case err == nil:
		return key, nil
	case env.Getenv(auditKeyVariable) == "":
		return key, fmt.Errorf("--audit-db keeps each patient's lookups under the site's audit key, read only from %s, which is not set. "+
			"Set it first (never as a flag, so that it stays out of the shell's history): read -rs %s && export %s "+
			"(a new site makes its key with: openssl rand -base64 48).", auditKeyVariable, auditKeyVariable, auditKeyVariable)
	}
	return key, err
}

// ephemeralKey is an audit key made for this run only, when the site gave
// none: the records' identifiers cannot be told from each other after the
// run, but no one can find a patient's lookups in them either.
func ephemeralKey() (audit.Key, error) {
	secret := make([]byte, 48)
	if _, err := rand.Read(secret); err != nil {
		return audit.Key{}, fmt.Errorf("cannot make an audit key for this run: %v", err)
	}
	return audit.NewKey(base64.StdEncoding.EncodeToString(secret))
}

// transport reaches --upstream: presenting the certificate when one is
// given (TLS mutual authentication, as Spine requires), never following a
// redirect.
func (g *gatewayFlags) transport() (transport.Transport, error) {
	if !g.conn.certified() {
		return nethttp.New(nil), nil
	}
	hc, err := g.conn.tlsClient()
	if err != nil {
		return nil, err
	}
	return nethttp.New(hc), nil
}

// flagError says a setting the gateway refuses under the flag that gave
// it.
func flagError(err error) error {
	var ce *gateway.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	flags := map[string]string{"Upstream": "--upstream", "ASID": "--asid", "AllowOrigins": "--allow-origin", "Rate": "--rate",
		"Auth.Keys": "--jwks", "Auth.Issuer": "--issuer", "Auth.Audience": "--audience"}
	if f, ok := flags[ce.Setting]; ok {
		return fmt.Errorf("%s: %s.", f, ce.Problem)
	}
	return err
}

// idpKeys reads the identity provider's public keys from source: a JWKS
// document in a file or at an https URL (plain http only on this
// machine's loopback), or PEM public keys in a file.
func idpKeys(ctx context.Context, source string) (gateway.Keys, error) {
	if u, err := url.Parse(source); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		if u.Scheme == "http" && !loopback(u.Hostname()) {
			return gateway.Keys{}, errors.New("the keys are fetched over https only (plain http only on this machine's loopback): give the provider's https jwks_uri")
		}
		return fetchJWKS(ctx, u)
	}
	data, err := os.ReadFile(source)
	if err != nil {
		return gateway.Keys{}, fmt.Errorf("cannot read the keys: %v", errors.Unwrap(err))
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN")) {
		return gateway.ParsePEMKeys(data)
	}
	return gateway.ParseJWKS(data)
}

// fetchJWKS fetches the JWKS document at u, and reads its keys.
func fetchJWKS(ctx context.Context, u *url.URL) (gateway.Keys, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return gateway.Keys{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return gateway.Keys{}, fmt.Errorf("cannot fetch the keys: %v", errors.Unwrap(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return gateway.Keys{}, fmt.Errorf("cannot fetch the keys: the provider answered HTTP %d", resp.StatusCode)
	}
	return gateway.ReadJWKS(resp.Body)
}

// loopback reports whether host is this machine's loopback interface.
func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// auditLines is an audit sink that writes each record to w as a line of
// JSON (audit.Line), for serve in front of the sandbox without an audit
// store: a record is kept once it is written.
type auditLines struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *auditLines) Write(_ context.Context, r audit.Record) error {
	b, err := audit.Line(r)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.w.Write(append(b, '\n'))
	return err
}
