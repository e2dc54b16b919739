package service

import (
	"errors"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// Service is what every host offers a person: check what was typed, search a
// patient's prescriptions, open one, and choose which tracker answers. It is
// safe for concurrent use; a host makes one and shares it.
type Service struct {
	now        func() time.Time
	transport  transport.Transport // how requests reach a gateway
	clientOpts []client.Option
	sandboxCfg sandbox.Config

	mu   sync.Mutex
	conn *connection // nil until first used, or after Configure
	set  Settings    // normalised; what conn is made from, unless given by WithClient
	made *client.Client
}

// Option configures a Service. Each option checks its input.
type Option func(*Service) error

// New makes a Service. With no options it answers from the built-in
// training sandbox, built on first use, so that making a Service costs
// nothing a host would notice before its first search.
func New(opts ...Option) (*Service, error) {
	s := &Service{now: time.Now}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// WithClock sets the clock the service reads for today's date (the default
// search window, the date warnings, what is in the future), and gives it to
// the clients and the sandbox it makes.
func WithClock(now func() time.Time) Option {
	return func(s *Service) error {
		if now == nil {
			return errors.New("service: WithClock needs a function")
		}
		s.now = now
		return nil
	}
}

// WithTransport is how requests travel to a gateway: the host's adapter of
// its HTTP client (natively an *http.Client, in a browser the fetch API).
// Without one, a gateway cannot be configured; the built-in sandbox needs
// none.
func WithTransport(t transport.Transport) Option {
	return func(s *Service) error {
		if t == nil {
			return errors.New("service: WithTransport needs a transport")
		}
		s.transport = t
		return nil
	}
}

// WithClientOptions gives more options of every client the service makes,
// such as its user agent, timeouts and retry policy. The service adds the
// transport, the base URL and the clock.
func WithClientOptions(opts ...client.Option) Option {
	return func(s *Service) error {
		s.clientOpts = append(s.clientOpts, opts...)
		return nil
	}
}

// WithClient makes the service ask c, a client the host has built itself
// (the command line does, from its connection settings and certificates),
// until [Service.Configure] chooses another tracker.
func WithClient(c *client.Client) Option {
	return func(s *Service) error {
		if c == nil {
			return errors.New("service: WithClient needs a client")
		}
		s.made = c
		return nil
	}
}

// WithSandbox configures the built-in training sandbox: its seed, its date
// and any faults to inject, for tests and demonstrations.
func WithSandbox(cfg sandbox.Config) Option {
	return func(s *Service) error {
		s.sandboxCfg = cfg
		return nil
	}
}

// WithSettings chooses the tracker that answers at first, as
// [Service.Configure] would.
func WithSettings(set Settings) Option {
	return func(s *Service) error {
		norm, err := normalizeSettings(set)
		s.set = norm
		return err
	}
}
