package gateway

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// Config configures a gateway. Transport, ASID (but for the sandbox),
// Audit and AuditKey are required; so is Auth, but for the sandbox.
type Config struct {
	// Prefix is put before /mm/prescriptions in the paths the gateway
	// answers, e.g. "/spine"; "" for none.
	Prefix string

	// Upstream is the tracker's base URL, ending in /mm/prescriptions:
	// live Spine's (https://mm-sync.national.ncrs.nhs.uk/mm/prescriptions)
	// or a Path-to-Live environment's. It must be https, but on the
	// loopback interface. For the in-process sandbox it may be left empty.
	Upstream string
	// Transport is how requests reach Upstream: natively an *http.Client
	// presenting the organisation's certificate (TLS mutual
	// authentication), on Cloudflare Workers the mTLS certificate binding;
	// or the in-process training sandbox itself (a *sandbox.Sandbox). It
	// must not follow redirects: a redirect is answered to the caller as an
	// error, never followed.
	Transport transport.Transport
	// ASID is the gateway's own Accredited System id, sent to Spine as
	// Spine-From-Asid with every request: 12 digits, the one Spine issued
	// with the certificate. For the sandbox it may be left empty.
	ASID string

	// Auth is how callers are authenticated. Nil means they are not, which
	// is allowed only while Transport is the in-process sandbox, whose
	// patients are synthetic: New refuses it for any other upstream.
	Auth *Auth

	// AllowOrigins are the origins of the web pages allowed to call the
	// gateway from a browser, each exactly as a browser sends it:
	// "https://portal.example.nhs.uk", scheme, host and any port, no path.
	// A request from any other origin is refused; a request with no Origin
	// (a server, a command line, a page on the gateway's own origin) is
	// not.
	AllowOrigins []string

	// Rate is how many requests a second each user may make, and Burst how
	// many at once. Zero means DefaultRate and DefaultBurst; math.Inf(1)
	// means no limit. A user is the token's issuer and subject; without
	// authentication, the address a request came from.
	Rate  float64
	Burst int

	// Audit keeps a record of every request, written before the answer is
	// given; AuditKey is the site's key under which identifiers are kept.
	Audit    audit.Sink
	AuditKey audit.Key

	// Timeout bounds each request to the upstream (DefaultTimeout).
	Timeout time.Duration
	// Now is the gateway's clock (time.Now): the records' times, tokens'
	// expiry, the rate limit, the upstream's latency.
	Now func() time.Time
	// Logger, when set, gets a line per request and the gateway's own
	// failures. No line holds an NHS number or a prescription id in clear:
	// a request's line holds neither, and a failure's error is masked.
	Logger *slog.Logger
}

// Defaults.
const (
	DefaultRate    = 5  // requests a second per user
	DefaultBurst   = 20 // requests at once per user
	DefaultTimeout = 20 * time.Second
)

// sandboxUpstream is the base URL of the in-process sandbox, when none is
// given.
const sandboxUpstream = "http://sandbox.invalid/mm/prescriptions"

// sandboxASID is the ASID sent to the in-process sandbox when none is
// given: the one core/client sends it.
const sandboxASID = "200000001234"

// base is the tracker's path, below any prefix.
const base = "/mm/prescriptions"

// ConfigError is a Config that New refuses, naming the setting.
type ConfigError struct {
	Setting string // the Config field, as "Auth.Issuer"
	Problem string // what is wrong, and how to put it right
}

func (e *ConfigError) Error() string { return "gateway: " + e.Setting + ": " + e.Problem }

// Handler is the gateway: an http.Handler that answers the tracker's two
// queries as Spine does, for authenticated callers, by asking the
// upstream. Make one with New. It is safe for concurrent use.
type Handler struct {
	prefix    string
	upstream  *url.URL
	transport transport.Transport
	asid      string
	auth      *authenticator // nil: unauthenticated (sandbox only)
	origins   origins
	limits    *limiter // nil: no limit
	sink      audit.Sink
	key       audit.Key
	timeout   time.Duration
	now       func() time.Time
	log       *slog.Logger // nil: no log
}

// New makes a gateway of cfg. A setting it refuses is a *ConfigError.
func New(cfg Config) (*Handler, error) {
	h := &Handler{transport: cfg.Transport, asid: cfg.ASID, sink: cfg.Audit, key: cfg.AuditKey,
		timeout: cfg.Timeout, now: cfg.Now, log: cfg.Logger}
	_, isSandbox := cfg.Transport.(*sandbox.Sandbox)
	if h.now == nil {
		h.now = time.Now
	}
	if h.timeout == 0 {
		h.timeout = DefaultTimeout
	}
	var err error
	if h.prefix, err = prefix(cfg.Prefix); err != nil {
		return nil, err
	}
	if cfg.Upstream == "" && isSandbox {
		cfg.Upstream = sandboxUpstream
	}
	if h.upstream, err = upstream(cfg.Upstream, isSandbox); err != nil {
		return nil, err
	}
	if h.asid == "" && isSandbox {
		h.asid = sandboxASID
	}
	switch {
	case cfg.Transport == nil:
		return nil, &ConfigError{"Transport", "give the transport that reaches the upstream: natively an HTTP client with the organisation's certificate, on Workers its mTLS binding"}
	case !twelveDigits(h.asid):
		return nil, &ConfigError{"ASID", "give the gateway's ASID, the 12 digits Spine issued with its certificate"}
	case cfg.Auth == nil && !isSandbox:
		return nil, &ConfigError{"Auth", "callers must be authenticated unless the upstream is the built-in training sandbox: give the identity provider's keys, issuer and audience"}
	case cfg.Audit == nil:
		return nil, &ConfigError{"Audit", "give the audit sink that keeps a record of every request"}
	case cfg.AuditKey.IsZero():
		return nil, &ConfigError{"AuditKey", "give the site's audit key (audit.NewKey), under which identifiers are kept"}
	case h.timeout < 0:
		return nil, &ConfigError{"Timeout", fmt.Sprintf("%v is negative: give how long to wait for the upstream, such as 20s", cfg.Timeout)}
	}
	if cfg.Auth != nil {
		if h.auth, err = newAuthenticator(*cfg.Auth, h.now, h.log); err != nil {
			return nil, err
		}
	}
	if h.origins, err = parseOrigins(cfg.AllowOrigins); err != nil {
		return nil, err
	}
	if h.limits, err = newLimiter(cfg.Rate, cfg.Burst); err != nil {
		return nil, err
	}
	return h, nil
}

// prefix checks and tidies Config.Prefix.
func prefix(p string) (string, error) {
	p = strings.TrimRight(p, "/")
	if p != "" && (p[0] != '/' || strings.ContainsAny(p, "?#% ") || strings.Contains(p, "//") || !printable(p)) {
		return "", &ConfigError{"Prefix", fmt.Sprintf("%q is not a path: give one such as /spine, or nothing", p)}
	}
	return p, nil
}

// upstream checks Config.Upstream: an https URL (or http on loopback, or
// for the in-process sandbox) ending in /mm/prescriptions, with no query,
// fragment or credentials.
func upstream(raw string, inProcess bool) (*url.URL, error) {
	fail := func(problem string) error {
		return &ConfigError{"Upstream", problem + ": give the tracker's base URL, such as https://mm-sync.national.ncrs.nhs.uk/mm/prescriptions"}
	}
	if raw == "" {
		return nil, fail("it is missing")
	}
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return nil, fail(fmt.Sprintf("%q is not an absolute URL", raw))
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fail("it must have no credentials, query or fragment")
	case u.Scheme != "https" && !(u.Scheme == "http" && (loopback(u.Hostname()) || inProcess)):
		return nil, fail("it must be https (plain http only on this machine's loopback)")
	case !strings.HasSuffix(u.Path, base):
		return nil, fail(fmt.Sprintf("its path %q does not end in %s", u.Path, base))
	}
	return u, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newLimiter makes the per-user rate limit of Config.Rate and Burst; nil
// for no limit.
func newLimiter(r float64, burst int) (*limiter, error) {
	switch {
	case math.IsNaN(r) || r < 0:
		return nil, &ConfigError{"Rate", fmt.Sprintf("%v is not a rate: give requests a second per user, such as %d", r, DefaultRate)}
	case burst < 0:
		return nil, &ConfigError{"Burst", fmt.Sprintf("%d is negative: give how many requests a user may make at once, such as %d", burst, DefaultBurst)}
	case math.IsInf(r, 1):
		return nil, nil
	}
	if r == 0 {
		r = DefaultRate
	}
	if burst == 0 {
		burst = max(DefaultBurst, int(math.Ceil(r)))
	}
	return newUserLimiter(r, burst), nil
}

// twelveDigits reports whether s is exactly 12 ASCII digits, as Spine's
// ASID, user id and role profile id are.
func twelveDigits(s string) bool { return len(s) == 12 && ascii.Digits(s) }

// spineTraceID reports whether s is an Eps-TraceId Spine accepts as it is.
func spineTraceID(s string) bool { return spineForm("traceId", s) }

// spineForm reports whether v is the named field of a request (by its
// name in validate.Input) exactly as Spine accepts it: validate.Check
// accepts it with nothing to normalise.
func spineForm(name, v string) bool {
	var in validate.Input
	field := in.Field(name)
	if field == nil || v == "" {
		return false
	}
	*field = v
	return validate.Check(in, time.Time{}).Normalized[name] == v
}
