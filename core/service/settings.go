package service

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// Settings choose which tracker answers.
type Settings struct {
	// GatewayURL is the base URL of a gateway, such as
	// "https://gateway.example/mm/prescriptions" ("/mm/prescriptions" is
	// added when it is left out); "" for the built-in training sandbox.
	GatewayURL string `json:"gatewayUrl"`
}

// SettingsView is the settings in force and who answers because of them.
type SettingsView struct {
	GatewayURL string `json:"gatewayUrl"` // as it is used, "" for the built-in sandbox
	Source     Source `json:"source"`
}

// BackendKind is the kind of tracker that answers.
type BackendKind string

// The backends.
const (
	BackendSandbox BackendKind = "sandbox" // the built-in training sandbox, in-process
	BackendGateway BackendKind = "gateway" // a gateway, or any tracker named by its base URL alone
	BackendSpine   BackendKind = "spine"   // Spine itself, by its environment (int, dep, production)
)

// Source is who answers a view's lookups. Every view carries it, so that a
// host can show the training banner whenever the sandbox answers.
type Source struct {
	Backend BackendKind `json:"backend"`
	// Name is who answered, as a sentence names it: "the sandbox" or
	// "Spine" (a gateway relays Spine's answers).
	Name string `json:"name"`
	// Label names the tracker in a heading: "built-in sandbox", an
	// environment ("int", "production") or a base URL.
	Label string `json:"label"`
	// Training is true when the answers are synthetic: show Notice.
	Training bool `json:"training"`
	// Notice is "Synthetic patients — not real data" when training, else "".
	Notice string `json:"notice"`
}

// TrainingNotice is the banner shown whenever the sandbox answers.
const TrainingNotice = "Synthetic patients — not real data"

var sandboxSource = Source{Backend: BackendSandbox, Name: "the sandbox", Label: "built-in sandbox",
	Training: true, Notice: TrainingNotice}

// sourceOf says who c asks.
func sourceOf(c *client.Client) Source {
	switch env := c.Environment(); env {
	case client.Sandbox:
		return sandboxSource
	case "":
		if c.Training() { // a gateway or a server in front of a training sandbox
			return Source{Backend: BackendGateway, Name: "the sandbox", Label: c.BaseURL(), Training: true, Notice: TrainingNotice}
		}
		return Source{Backend: BackendGateway, Name: "Spine", Label: c.BaseURL()}
	default:
		return Source{Backend: BackendSpine, Name: "Spine", Label: string(env)}
	}
}

// Settings returns the settings in force and who answers. It connects to
// nothing.
func (s *Service) Settings() SettingsView {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made != nil {
		return SettingsView{Source: sourceOf(s.made)}
	}
	if s.set.GatewayURL == "" {
		return SettingsView{Source: sandboxSource}
	}
	return SettingsView{GatewayURL: s.set.GatewayURL, Source: Source{Backend: BackendGateway, Name: "Spine", Label: s.set.GatewayURL}}
}

// Configure chooses the tracker that answers from now on: a gateway, or
// the built-in training sandbox when set.GatewayURL is "". It fails with a
// config [*Error] naming the field "gatewayUrl" for a URL that cannot be
// one, and leaves the settings as they were.
func (s *Service) Configure(set Settings) (SettingsView, error) {
	norm, err := normalizeSettings(set)
	if err != nil {
		return SettingsView{}, err
	}
	conn, err := s.connect(norm)
	if err != nil {
		return SettingsView{}, err
	}
	s.mu.Lock()
	s.set, s.made, s.conn = norm, nil, conn
	s.mu.Unlock()
	return s.Settings(), nil
}

// normalizeSettings checks set and puts its URL in the form the client
// takes.
func normalizeSettings(set Settings) (Settings, error) {
	raw := strings.TrimSpace(set.GatewayURL)
	if raw == "" {
		return Settings{}, nil
	}
	u, err := url.Parse(raw)
	bad := func(why string) error {
		return &Error{Kind: KindConfig, Field: "gatewayUrl", Fields: []FieldError{}, Reason: "invalid gateway URL", Message: "Gateway URL " + why}
	}
	switch {
	case err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
		return Settings{}, bad("is not a web address — give it whole, such as https://gateway.example/mm/prescriptions.")
	case u.User != nil:
		return Settings{}, bad("must not hold a user name or password — the gateway knows who is asking from the portal's sign-in.")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return Settings{}, bad("must not have a query (?…) or a fragment (#…) — give the address up to /mm/prescriptions.")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(u.Path, "/mm/prescriptions") {
		u.Path += "/mm/prescriptions"
	}
	u.RawPath = ""
	return Settings{GatewayURL: u.String()}, nil
}

// connection is a client and what a view says about it.
type connection struct {
	client *client.Client
	// sandbox is the training sandbox's population, made on first use;
	// nil unless the built-in sandbox answers.
	sandbox func() *sandbox.Sandbox
}

// connection returns the connection in force, making it on first use.
func (s *Service) connection() (*connection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		return s.conn, nil
	}
	var conn *connection
	if s.made != nil {
		conn = &connection{client: s.made}
		if conn.source().Backend == BackendSandbox {
			conn.sandbox = lazySandbox(s.sandboxConfig())
		}
	} else {
		var err error
		if conn, err = s.connect(s.set); err != nil {
			return nil, err
		}
	}
	s.conn = conn
	return conn, nil
}

// connect makes the client for settings already normalised. It is the one
// place where a client is made: the host's options first (how requests
// travel: [WithTransport], [WithClientOptions]), then what the settings
// choose. The built-in sandbox is made on its first request, so that a
// host's first paint never waits for its population, and Patients shares
// it.
func (s *Service) connect(set Settings) (*connection, error) {
	opts := append(append([]client.Option{}, s.clientOpts...), client.WithClock(s.now))
	var sb func() *sandbox.Sandbox
	if set.GatewayURL == "" {
		sb = lazySandbox(s.sandboxConfig())
		opts = append(opts, client.WithTransport(transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
			return sb().Get(ctx, req)
		})))
	} else {
		if s.transport != nil {
			opts = append(opts, client.WithTransport(s.transport))
		}
		opts = append(opts, client.WithBaseURL(set.GatewayURL), client.WithASID(GatewayASID))
	}
	c, err := client.New(opts...)
	if err != nil {
		return nil, ErrorOf(err, sandboxSource)
	}
	return &connection{client: c, sandbox: sb}, nil
}

// source says who answers: asked after each lookup, since a tracker named
// by its URL alone says in its answers whether it is a training sandbox.
func (c *connection) source() Source { return sourceOf(c.client) }

// GatewayASID is the Spine-From-Asid a request to a gateway carries: the
// gateway replaces it with the organisation's own, as it replaces every
// Spine header.
const GatewayASID = "000000000000"

// sandboxConfig is the training sandbox's configuration, dated today by
// the service's clock, so that every sandbox made from it has the same
// population.
func (s *Service) sandboxConfig() sandbox.Config {
	cfg := s.sandboxCfg
	if cfg.Now == nil {
		cfg.Now = s.now
	}
	if cfg.Today.IsZero() {
		cfg.Today = tracker.LondonDate(cfg.Now())
	}
	return cfg
}

// lazySandbox returns the sandbox of cfg, made on first use.
func lazySandbox(cfg sandbox.Config) func() *sandbox.Sandbox {
	return sync.OnceValue(func() *sandbox.Sandbox { return sandbox.New(cfg) })
}
