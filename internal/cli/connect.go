package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
)

// connection is where and how to reach the tracker: Spine, a gateway, or
// the built-in sandbox. Flags win over environment variables, which win
// over the config file.
type connection struct {
	Env           string `json:"env"`
	BaseURL       string `json:"baseUrl"`
	ASID          string `json:"asid"`
	UserID        string `json:"userId"`
	RoleProfileID string `json:"roleProfileId"`
	Cert          string `json:"cert"`
	Key           string `json:"key"`
	CA            string `json:"ca"`
	P12           string `json:"p12"`
	P12Password   string `json:"-"` // from the environment only: never a flag or a file in clear
	Timeout       string `json:"timeout"`
}

const connectionHelp = `Connection (flags, else environment variables, else the config file):
  --env NAME               sandbox, int, dep or production         EPS_TRACKER_ENV
  --base-url URL           the tracker's URL, ending /mm/prescriptions  EPS_TRACKER_BASE_URL
                           (Spine, a gateway, or a sandbox elsewhere)
  --asid ASID              12 digits, issued with the certificate  EPS_TRACKER_ASID
  --user-id ID             12 digits (optional)                     EPS_TRACKER_USER_ID
  --role-profile-id ID     12 digits (optional)                     EPS_TRACKER_ROLE_PROFILE_ID
  --cert FILE --key FILE   the organisation's client certificate    EPS_TRACKER_CERT, EPS_TRACKER_KEY
                           and key, PEM (TLS-MA)
  --p12 FILE               or a PKCS#12 file; its password only     EPS_TRACKER_P12,
                           from EPS_TRACKER_P12_PASSWORD            EPS_TRACKER_P12_PASSWORD
  --ca FILE                the CAs that sign Spine's certificate    EPS_TRACKER_CA
  --timeout DURATION       for each lookup, retries included (30s)  EPS_TRACKER_TIMEOUT
  --config FILE            a JSON file with any of env, baseUrl, asid, userId,
                           roleProfileId, cert, key, p12, ca, timeout
                           (default $XDG_CONFIG_HOME/eps-tracker/config.json)
                                                                    EPS_TRACKER_CONFIG
With nothing configured, the built-in sandbox (synthetic patients) answers,
and eps-tracker says so.
`

// connectionFlags registers the connection flags.
func connectionFlags(fs *flag.FlagSet) (*connection, *string) {
	c := &connection{}
	fs.StringVar(&c.Env, "env", "", "")
	fs.StringVar(&c.BaseURL, "base-url", "", "")
	fs.StringVar(&c.ASID, "asid", "", "")
	fs.StringVar(&c.UserID, "user-id", "", "")
	fs.StringVar(&c.RoleProfileID, "role-profile-id", "", "")
	fs.StringVar(&c.Cert, "cert", "", "")
	fs.StringVar(&c.Key, "key", "", "")
	fs.StringVar(&c.CA, "ca", "", "")
	fs.StringVar(&c.P12, "p12", "", "")
	fs.StringVar(&c.Timeout, "timeout", "", "")
	return c, fs.String("config", "", "")
}

// resolve completes the flags from the environment and the config file.
func (c *connection) resolve(env Env, configFile string) error {
	fields := []struct {
		dst *string
		env string
		get func(*connection) string
	}{
		{&c.Env, "EPS_TRACKER_ENV", func(f *connection) string { return f.Env }},
		{&c.BaseURL, "EPS_TRACKER_BASE_URL", func(f *connection) string { return f.BaseURL }},
		{&c.ASID, "EPS_TRACKER_ASID", func(f *connection) string { return f.ASID }},
		{&c.UserID, "EPS_TRACKER_USER_ID", func(f *connection) string { return f.UserID }},
		{&c.RoleProfileID, "EPS_TRACKER_ROLE_PROFILE_ID", func(f *connection) string { return f.RoleProfileID }},
		{&c.Cert, "EPS_TRACKER_CERT", func(f *connection) string { return f.Cert }},
		{&c.Key, "EPS_TRACKER_KEY", func(f *connection) string { return f.Key }},
		{&c.CA, "EPS_TRACKER_CA", func(f *connection) string { return f.CA }},
		{&c.P12, "EPS_TRACKER_P12", func(f *connection) string { return f.P12 }},
		{&c.P12Password, "EPS_TRACKER_P12_PASSWORD", func(*connection) string { return "" }},
		{&c.Timeout, "EPS_TRACKER_TIMEOUT", func(f *connection) string { return f.Timeout }},
	}
	file, err := readConfig(env, configFile)
	if err != nil {
		return err
	}
	for _, f := range fields {
		if *f.dst == "" {
			*f.dst = env.Getenv(f.env)
		}
		if *f.dst == "" && file != nil {
			*f.dst = f.get(file)
		}
	}
	return nil
}

func readConfig(env Env, path string) (*connection, error) {
	explicit := path != ""
	if path == "" {
		path = env.Getenv("EPS_TRACKER_CONFIG")
		explicit = path != ""
	}
	if path == "" {
		dir := env.Getenv("XDG_CONFIG_HOME")
		if dir == "" {
			if home := env.Getenv("HOME"); home != "" {
				dir = filepath.Join(home, ".config")
			}
		}
		if dir == "" {
			return nil, nil
		}
		path = filepath.Join(dir, "eps-tracker", "config.json")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the config file: %w", err)
	}
	var file connection
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("the config file %s is not valid: %v — it is a JSON object with any of env, baseUrl, asid, userId, roleProfileId, cert, key, p12, ca, timeout", path, err)
	}
	return &file, nil
}

// sandboxed reports whether nothing points at a real tracker.
func (c *connection) sandboxed() bool {
	return c.BaseURL == "" && (c.Env == "" || strings.EqualFold(c.Env, "sandbox"))
}

// client builds the tracker client for the connection.
func (c *connection) client(env Env) (*client.Client, error) {
	opts := []client.Option{
		client.WithEnvironment(c.Env), client.WithBaseURL(c.BaseURL), client.WithASID(c.ASID),
		client.WithUserID(c.UserID), client.WithRoleProfileID(c.RoleProfileID), client.WithClock(env.Now),
		client.WithUserAgent("eps-tracker/" + versionOf(env)),
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		if err != nil {
			return nil, fmt.Errorf("timeout %q is not a duration such as 30s or 1m", c.Timeout)
		}
		opts = append(opts, client.WithTimeout(d))
	}
	if c.Cert != "" || c.Key != "" || c.P12 != "" || c.CA != "" {
		hc, err := client.NewTLSClient(client.TLSConfig{CertFile: c.Cert, KeyFile: c.Key, PKCS12File: c.P12,
			PKCS12Password: c.P12Password, CAFile: c.CA})
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithHTTPClient(hc))
	} else if strings.EqualFold(c.Env, "production") || strings.EqualFold(c.Env, "int") || strings.EqualFold(c.Env, "dep") {
		return nil, fmt.Errorf("the %s environment is Spine itself, which needs the organisation's certificate: give --cert and --key (or --p12) and --ca", c.Env)
	} else if !c.sandboxed() {
		opts = append(opts, client.WithHTTPClient(&http.Client{}))
	}
	return client.New(opts...)
}
