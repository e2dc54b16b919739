package client

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// Environment names a Spine environment.
type Environment string

// The environments a client can talk to.
const (
	Sandbox    Environment = "sandbox"    // the in-process simulator, with synthetic patients
	INT        Environment = "int"        // Path-to-Live integration
	DEP        Environment = "dep"        // Path-to-Live deployment (ref)
	Production Environment = "production" // live Spine
)

// ProductionURL is the base URL of live Spine's tracker. The Path-to-Live
// hosts are issued with each organisation's onboarding and are configuration.
const ProductionURL = "https://mm-sync.national.ncrs.nhs.uk/mm/prescriptions"

// Client asks Spine's tracker (or a gateway, or the sandbox) the two
// tracker questions. It checks every query offline first and sends nothing
// Spine would refuse. A Client is safe for concurrent use by many
// goroutines; make one and share it.
type Client struct {
	env            Environment
	base           *url.URL
	asid           string
	userID         string
	roleProfileID  string
	transport      transport.Transport
	timeout        time.Duration
	attemptTimeout time.Duration
	retry          RetryPolicy
	userAgent      string
	now            func() time.Time
	maxBody        int64
	sandboxCfg     sandbox.Config
	headers        transport.Header // the headers every request sends, shared read-only
	training       atomic.Bool      // an answer carried sandbox.TrainingHeader
}

// Option configures a Client. Each option checks its input.
type Option func(*Client) error

// Defaults.
const (
	DefaultTimeout        = 30 * time.Second // the whole call, retries included
	DefaultAttemptTimeout = 10 * time.Second // one attempt
	DefaultMaxBody        = 10 << 20         // 10 MiB, far above any real answer
	DefaultUserAgent      = "eps-tracker"
)

// SandboxASID is the ASID a sandbox client uses when none is given.
const SandboxASID = "200000001234"

// New makes a Client. With no environment or base URL it uses the
// in-process sandbox; any other tracker needs an ASID and a transport
// ([WithTransport]): for Spine itself, natively, one that presents the
// organisation's certificate. An environment with a base URL that is not
// its address is a *ConflictError.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		timeout:        DefaultTimeout,
		attemptTimeout: DefaultAttemptTimeout,
		retry:          DefaultRetryPolicy(),
		userAgent:      DefaultUserAgent,
		now:            time.Now,
		maxBody:        DefaultMaxBody,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	switch {
	case c.base != nil && (c.env == Sandbox || c.env == Production && c.base.String() != ProductionURL):
		return nil, &ConflictError{Environment: c.env, BaseURL: c.base.Redacted()}
	case c.base == nil && (c.env == "" || c.env == Sandbox):
		c.env = Sandbox
		c.base, _ = url.Parse("http://sandbox.invalid" + "/mm/prescriptions")
		if c.asid == "" {
			c.asid = SandboxASID
		}
		if c.transport == nil {
			cfg := c.sandboxCfg
			if cfg.Now == nil {
				cfg.Now = c.now
			}
			c.transport = sandbox.New(cfg)
		}
	case c.base == nil && c.env == Production:
		c.base, _ = url.Parse(ProductionURL)
	case c.base == nil:
		return nil, fmt.Errorf("client: the %s environment has no built-in address — set its base URL (from your Path-to-Live onboarding)", c.env)
	}
	if c.asid == "" {
		return nil, ErrNoASID
	}
	if c.transport == nil {
		return nil, fmt.Errorf("client: nothing to send with to %s — give a transport with WithTransport", c.base.Redacted())
	}
	c.headers = transport.Header{ // keys in canonical form
		"Accept":          "application/json",
		"Spine-From-Asid": c.asid,
		"User-Agent":      c.userAgent,
	}
	if c.userID != "" {
		c.headers["Spine-Userid"] = c.userID
	}
	if c.roleProfileID != "" {
		c.headers["Spine-Roleprofileid"] = c.roleProfileID
	}
	return c, nil
}

// WithEnvironment picks a named environment: "sandbox" (built in),
// "production" (at ProductionURL), or "int" or "dep" (each at the base URL
// given with WithBaseURL).
func WithEnvironment(name string) Option {
	return func(c *Client) error {
		switch e := Environment(strings.ToLower(strings.TrimSpace(name))); e {
		case Sandbox, INT, DEP, Production:
			c.env = e
			return nil
		case "":
			return nil
		}
		return fmt.Errorf("client: unknown environment %q — use sandbox, int, dep or production", name)
	}
}

// WithBaseURL sets the tracker's base URL, ending in /mm/prescriptions
// (Spine, a gateway or a sandbox elsewhere).
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		if raw == "" {
			return nil
		}
		u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("client: base URL %q is not an http or https URL", raw)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("client: base URL %q must not have a query or fragment", raw)
		}
		c.base = u
		return nil
	}
}

// WithASID sets the Spine-From-Asid header: 12 digits.
func WithASID(asid string) Option {
	return func(c *Client) error { return setHeader(&c.asid, "asid", asid) }
}

// WithUserID sets the optional Spine-UserId header: 12 digits.
func WithUserID(id string) Option {
	return func(c *Client) error { return setHeader(&c.userID, "userId", id) }
}

// WithRoleProfileID sets the optional Spine-RoleProfileId header: 12 digits.
func WithRoleProfileID(id string) Option {
	return func(c *Client) error { return setHeader(&c.roleProfileID, "roleProfileId", id) }
}

func setHeader(dst *string, field, value string) error {
	if value == "" {
		return nil
	}
	in := validate.Input{}
	*in.Field(field) = value
	r := validate.Check(in, time.Time{})
	for _, e := range r.Errors {
		if e.Field == field {
			return &validate.Error{Fields: []validate.FieldError{e}}
		}
	}
	*dst = r.Normalized[field]
	return nil
}

// WithTransport sets what the client sends with: the host's adapter of its
// HTTP client (natively an *http.Client, for Spine one that presents the
// organisation's certificate; in a browser, fetch), or a sandbox of its own.
func WithTransport(t transport.Transport) Option {
	return func(c *Client) error {
		if t == nil {
			return errors.New("client: WithTransport needs a transport")
		}
		c.transport = t
		return nil
	}
}

// WithTimeout bounds a whole call, retries included (default 30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("client: timeout %v must be positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithAttemptTimeout bounds one attempt (default 10 s).
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("client: attempt timeout %v must be positive", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithRetryPolicy sets when failed calls are retried.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 1 || p.MaxAttempts > 10 || p.BaseDelay < 0 || p.MaxDelay < p.BaseDelay {
			return fmt.Errorf("client: retry policy %+v: want 1–10 attempts and 0 <= base delay <= max delay", p)
		}
		c.retry = p
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("client: user agent %q is not a header value", ua)
		}
		c.userAgent = ua
		return nil
	}
}

// WithClock sets the clock the client reads (default time.Now): for today's
// date, which ends the default search window; for a Retry-After given as a
// date; and to measure each call against its deadline — how long an attempt
// may take, and whether a retry's wait still fits before the deadline. The
// waiting itself is done by the runtime's timers, and the deadline of a
// caller's context, an instant of the real clock, is read as the time left
// before it when a call starts.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("client: WithClock needs a function")
		}
		c.now = now
		return nil
	}
}

// WithMaxBodySize bounds the answer read (default 10 MiB).
func WithMaxBodySize(n int64) Option {
	return func(c *Client) error {
		if n < 1024 {
			return fmt.Errorf("client: body limit %d is too small for a tracker answer", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithSandbox configures the in-process sandbox the client uses when no
// Spine is configured (seed, date, quirks, faults).
func WithSandbox(cfg sandbox.Config) Option {
	return func(c *Client) error {
		c.sandboxCfg = cfg
		return nil
	}
}

// Environment reports which environment the client talks to: one of the
// names, or "" for a base URL of its own.
func (c *Client) Environment() Environment { return c.env }

// BaseURL returns the base URL the client sends to.
func (c *Client) BaseURL() string { return c.base.String() }

// Training reports whether the tracker has said, in an answer, that it is
// a training sandbox (the sandbox's [sandbox.TrainingHeader]): true for
// the built-in sandbox, and for a server or gateway in front of one once
// it has answered.
func (c *Client) Training() bool { return c.env == Sandbox || c.training.Load() }

// newTraceID makes an Eps-TraceId: "ept-" and 24 hexadecimal digits, within
// Spine's 1–30 characters of A-Z a-z 0-9 -. It only has to be unique, not
// secret, so it comes from the runtime's fast random source.
func newTraceID() string {
	const digits = "0123456789abcdef"
	var b [28]byte
	copy(b[:], "ept-")
	for i, r := 4, rand.Uint64(); i < len(b); i++ {
		if i == 20 {
			r = rand.Uint64()
		}
		b[i] = digits[r&0xf]
		r >>= 4
	}
	return string(b[:])
}
