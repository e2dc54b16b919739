package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/core/validate"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
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

	origins    map[string]string // where each setting came from, by flag name: "flag", "env" or "file"
	configPath string            // the config file read, if any
}

// settings are the connection settings: each one's flag, environment
// variable and config file member, and where a connection keeps it.
var settings = []struct {
	flag, envVar, member string
	field                func(*connection) *string
}{
	{"env", "EPS_TRACKER_ENV", "env", func(c *connection) *string { return &c.Env }},
	{"base-url", "EPS_TRACKER_BASE_URL", "baseUrl", func(c *connection) *string { return &c.BaseURL }},
	{"asid", "EPS_TRACKER_ASID", "asid", func(c *connection) *string { return &c.ASID }},
	{"user-id", "EPS_TRACKER_USER_ID", "userId", func(c *connection) *string { return &c.UserID }},
	{"role-profile-id", "EPS_TRACKER_ROLE_PROFILE_ID", "roleProfileId", func(c *connection) *string { return &c.RoleProfileID }},
	{"cert", "EPS_TRACKER_CERT", "cert", func(c *connection) *string { return &c.Cert }},
	{"key", "EPS_TRACKER_KEY", "key", func(c *connection) *string { return &c.Key }},
	{"ca", "EPS_TRACKER_CA", "ca", func(c *connection) *string { return &c.CA }},
	{"p12", "EPS_TRACKER_P12", "p12", func(c *connection) *string { return &c.P12 }},
	{"", "EPS_TRACKER_P12_PASSWORD", "", func(c *connection) *string { return &c.P12Password }},
	{"timeout", "EPS_TRACKER_TIMEOUT", "timeout", func(c *connection) *string { return &c.Timeout }},
}

// connectionHelp explains the connection settings; the table of their
// environment variables and config file members is made from settings.
var connectionHelp = `Connection:
  --env NAME              sandbox, int, dep or production
  --base-url URL          the tracker's URL, ending /mm/prescriptions: Spine,
                          a gateway, or a sandbox elsewhere
  --asid ASID             12 digits, issued with the certificate
  --user-id ID            12 digits (optional)
  --role-profile-id ID    12 digits (optional)
  --cert FILE --key FILE  the organisation's client certificate and its key,
                          PEM files (TLS-MA)
  --p12 FILE              or both in one PKCS#12 file; its password is read
                          only from EPS_TRACKER_P12_PASSWORD
  --ca FILE               the CAs that sign Spine's certificate
  --timeout DURATION      for each lookup, retries included (default 30s)
  --config FILE           a JSON file of settings (default
                          $XDG_CONFIG_HOME/eps-tracker/config.json)
Each setting may be given as a flag, an environment variable, or a member of
the config file (a JSON object of strings, e.g. {"env": "int"}). A flag
wins over a variable, and a variable over the file:
` + settingsTable() + `With nothing configured, the built-in sandbox (synthetic patients) answers,
and eps-tracker says so. Settings that contradict each other, wherever each
was given, are refused: an environment with a base URL not its own (the
sandbox has none), a certificate for the sandbox, --p12 with --cert or --key.
`

// settingsTable lists each connection setting's flag, environment variable
// and config file member, for the help.
func settingsTable() string {
	rows := [][]string{{"Flag", "Environment variable", "Config file"}}
	for _, st := range settings {
		flag := ""
		if st.flag != "" {
			flag = "--" + st.flag
		}
		rows = append(rows, []string{flag, st.envVar, st.member})
	}
	rows = append(rows, []string{"--config", "EPS_TRACKER_CONFIG", ""})
	var b strings.Builder
	for _, line := range columns(rows) {
		b.WriteString("  " + strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// connectionFlags registers the connection flags.
func connectionFlags(fs *flag.FlagSet) (*connection, *string) {
	c := &connection{}
	for _, st := range settings {
		if st.flag != "" {
			fs.StringVar(st.field(c), st.flag, "", "")
		}
	}
	return c, fs.String("config", "", "")
}

// certificateFlags registers the flags of a server that reaches a tracker
// as the organisation (serve's gateway): --asid and the certificate's.
// Unlike a command's connection, they are taken from flags only (the
// PKCS#12 password from its environment variable; see fromFlags).
func certificateFlags(fs *flag.FlagSet) *connection {
	c := &connection{}
	for _, st := range settings {
		switch st.flag {
		case "asid", "cert", "key", "p12", "ca":
			fs.StringVar(st.field(c), st.flag, "", "")
		}
	}
	return c
}

// fromFlags completes the settings certificateFlags registered, once
// parsed: each is said to come from its flag, and the PKCS#12 password is
// read from the environment. It refuses a certificate given twice.
func (c *connection) fromFlags(env Env, fs *flag.FlagSet) error {
	c.origins = map[string]string{}
	fs.Visit(func(f *flag.Flag) { c.origins[f.Name] = "flag" })
	c.P12Password = env.Getenv("EPS_TRACKER_P12_PASSWORD")
	return c.certificateTwice()
}

// resolve completes the flags from the environment and the config file,
// and refuses settings that contradict each other.
func (c *connection) resolve(env Env, configFile string) error {
	file, err := readConfig(env, configFile)
	if err != nil {
		return err
	}
	c.origins = map[string]string{}
	for _, st := range settings {
		dst := st.field(c)
		switch {
		case *dst != "":
			c.origins[st.flag] = "flag"
		case env.Getenv(st.envVar) != "":
			*dst, c.origins[st.flag] = env.Getenv(st.envVar), "env"
		case file != nil && st.member != "" && *st.field(file) != "":
			*dst, c.origins[st.flag], c.configPath = *st.field(file), "file", file.configPath
		}
	}
	return c.check()
}

// check refuses settings that contradict each other, rather than silently
// preferring one. An environment with a base URL not its own is refused by
// the client, and explained by explainConflict.
func (c *connection) check() error {
	if err := c.certificateTwice(); err != nil {
		return err
	}
	certificate := c.given("cert", "key", "p12", "ca")
	switch {
	case c.sandboxed() && c.Env != "" && len(certificate) > 0:
		return fmt.Errorf("the built-in sandbox (%s) takes no certificate, but one is set (%s). "+
			"Leave out the certificate settings to use the built-in sandbox, or give --base-url for the tracker the certificate is for.",
			c.origin("env"), strings.Join(certificate, ", "))
	case c.sandboxed() && len(certificate) > 0:
		return fmt.Errorf("a certificate is set (%s) but not which tracker it is for: give --env or --base-url as well. "+
			"With neither, the built-in sandbox answers, and it takes no certificate.", strings.Join(certificate, ", "))
	}
	return nil
}

// certificateTwice refuses a certificate given both as a PKCS#12 file and
// as PEM files.
func (c *connection) certificateTwice() error {
	if c.P12 != "" && (c.Cert != "" || c.Key != "") {
		return fmt.Errorf("the client certificate is given twice, as a PKCS#12 file (%s) and as PEM files (%s): "+
			"give one, not both — --cert and --key, or --p12.", c.origin("p12"), strings.Join(c.given("cert", "key"), ", "))
	}
	return nil
}

// given describes where each of the named settings that have a value came
// from.
func (c *connection) given(flags ...string) []string {
	var out []string
	for _, f := range flags {
		if c.origins[f] != "" {
			out = append(out, c.origin(f))
		}
	}
	return out
}

// origin names a setting as it was given: "--base-url",
// "EPS_TRACKER_BASE_URL" or "\"baseUrl\" in the config file …"; the
// environment's name comes with its value ("--env sandbox").
func (c *connection) origin(flag string) string {
	for _, st := range settings {
		if st.flag != flag {
			continue
		}
		value := *st.field(c)
		switch c.origins[flag] {
		case "flag":
			if flag == "env" {
				return "--env " + value
			}
			return "--" + flag
		case "env":
			if flag == "env" {
				return st.envVar + "=" + value
			}
			return st.envVar
		case "file":
			if flag == "env" {
				return fmt.Sprintf("%q: %q in the config file %s", st.member, value, c.configPath)
			}
			return fmt.Sprintf("%q in the config file %s", st.member, c.configPath)
		}
	}
	return "--" + flag
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
	file := connection{configPath: path}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, configError(path, data, err)
	}
	return &file, nil
}

// configError says what is wrong with the config file, and how to put it
// right.
func configError(path string, data []byte, err error) error {
	var members []string
	for _, st := range settings {
		if st.member != "" {
			members = append(members, st.member)
		}
	}
	shape := "it is a JSON object with any of " + strings.Join(members, ", ") + `, each a string, e.g. {"env": "int", "asid": "200000001234"}`
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		example := map[string]string{"env": "int", "asid": "200000001234", "userId": "555000000001",
			"roleProfileId": "555000000002", "timeout": "30s"}[typeErr.Field]
		if example == "" {
			example = "…"
		}
		return fmt.Errorf("%s in the config file %s must be a string, in quotes: %q: %q", typeErr.Field, path, typeErr.Field, example)
	case errors.As(err, &syntaxErr):
		line := 1 + bytes.Count(data[:min(int(syntaxErr.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("the config file %s is not valid JSON: at line %d, %s — %s", path, line, strings.TrimPrefix(err.Error(), "json: "), shape)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("the config file %s is empty — %s", path, shape)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		if strings.EqualFold(name, "p12Password") {
			return fmt.Errorf("the config file %s holds a password: the PKCS#12 password is read only from the environment variable EPS_TRACKER_P12_PASSWORD — take it out of the file", path)
		}
		fold := func(s string) string { return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s)) }
		for _, m := range members {
			if fold(m) == fold(name) {
				return fmt.Errorf("the config file %s is not valid: %q is not a setting — did you mean %q?", path, name, m)
			}
		}
		return fmt.Errorf("the config file %s is not valid: %q is not a setting — %s", path, name, shape)
	}
	return fmt.Errorf("the config file %s is not valid — %s", path, shape)
}

// sandboxed reports whether nothing points at a real tracker.
func (c *connection) sandboxed() bool {
	return c.BaseURL == "" && (c.Env == "" || strings.EqualFold(c.Env, "sandbox"))
}

// connect builds the service for a command, over the client its
// connection settings make. Which tracker answers is said by the
// answerer's announce, once the command has asked it.
func connect(env Env, conn *connection, configFile, command string) (*service.Service, answerer, int) {
	if err := conn.resolve(env, configFile); err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %v\n", command, err)
		return nil, answerer{}, ExitUsage
	}
	c, err := conn.client(env)
	var refused *validate.Error
	switch {
	case errors.As(err, &refused):
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %s\n", command, explain(service.ErrorOf(err, service.Source{})))
		return nil, answerer{}, ExitUsage
	case err != nil:
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %s\n", command, strings.TrimPrefix(err.Error(), "client: "))
		return nil, answerer{}, ExitUsage
	}
	svc, err := service.New(service.WithClient(c), service.WithClock(env.Now))
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker %s: %v\n", command, err)
		return nil, answerer{}, ExitUsage
	}
	return svc, answerer{unasked: c.Environment() == client.Sandbox && conn.Env == ""}, ExitOK
}

// answerer says, when no tracker was configured, that the built-in sandbox
// answers.
type answerer struct {
	unasked bool // the built-in sandbox answers because no tracker was configured
}

// announce says that the built-in sandbox answers when no one asked for it,
// so that no one takes its synthetic patients for real ones. Commands call
// it with what their lookup ended with, or with nil as a batch's lookups
// start: a lookup refused before anything was sent (a validation error)
// was answered by no one, so nothing is said.
func (a answerer) announce(w io.Writer, lookup error) {
	var e *service.Error
	if a.unasked && !(errors.As(lookup, &e) && e.Kind == service.KindValidation) {
		fmt.Fprintln(w, "Using the built-in sandbox: synthetic patients, not real Spine.\n"+
			"Configure Spine with --env or --base-url (see --help).")
	}
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
	if c.certified() {
		hc, err := c.tlsClient()
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithTransport(nethttp.New(hc)))
	} else if strings.EqualFold(c.Env, "production") || strings.EqualFold(c.Env, "int") || strings.EqualFold(c.Env, "dep") {
		return nil, fmt.Errorf("the %s environment is Spine itself, which needs the organisation's certificate: give --cert and --key (or --p12) and --ca", c.Env)
	} else if !c.sandboxed() {
		opts = append(opts, client.WithTransport(nethttp.New(nil)))
	}
	cl, err := client.New(opts...)
	var conflict *client.ConflictError
	switch {
	case errors.As(err, &conflict):
		return nil, c.explainConflict(conflict)
	case errors.Is(err, client.ErrNoASID):
		return nil, fmt.Errorf(`%w. Give it with --asid, the environment variable EPS_TRACKER_ASID, or "asid" in the config file.`, err)
	}
	return cl, err
}

// certified reports whether any certificate setting is given.
func (c *connection) certified() bool {
	return c.Cert != "" || c.Key != "" || c.P12 != "" || c.CA != ""
}

// tlsClient is the HTTP client that presents the connection's certificate
// to the tracker (TLS mutual authentication) and trusts its CAs.
func (c *connection) tlsClient() (*http.Client, error) {
	hc, err := nethttp.NewTLSClient(nethttp.TLSConfig{CertFile: c.Cert, KeyFile: c.Key, PKCS12File: c.P12,
		PKCS12Password: c.P12Password, CAFile: c.CA})
	if err != nil {
		return nil, c.explainTLS(err)
	}
	return hc, nil
}

// explainConflict names the environment and the base URL that contradict
// each other, each where it was given.
func (c *connection) explainConflict(e *client.ConflictError) error {
	if e.Environment == client.Sandbox {
		return fmt.Errorf("the built-in sandbox (%s) runs inside eps-tracker and has no URL, but a base URL is set too (%s). "+
			"Leave out the base URL to use the built-in sandbox, or leave out the sandbox environment to use the tracker at the base URL.",
			c.origin("env"), c.origin("base-url"))
	}
	return fmt.Errorf("the %s environment (%s) is live Spine at %s, but a different base URL is set too (%s). "+
		"Leave out the base URL to use live Spine, or leave out the environment to use the tracker at the base URL (a gateway, say).",
		e.Environment, c.origin("env"), client.ProductionURL, c.origin("base-url"))
}

// explainTLS says how to put right a certificate file that cannot be used.
func (c *connection) explainTLS(err error) error {
	p12 := c.origin("p12")
	if c.origins["p12"] == "flag" {
		p12 += " " + c.P12
	}
	switch {
	case errors.Is(err, nethttp.ErrPKCS12Password) && c.P12Password == "":
		return fmt.Errorf("the PKCS#12 file (%s) needs its password: set EPS_TRACKER_P12_PASSWORD to it. "+
			"The password is read only from that environment variable, never from a flag or a file.", p12)
	case errors.Is(err, nethttp.ErrPKCS12Password):
		return fmt.Errorf("the password in EPS_TRACKER_P12_PASSWORD does not open the PKCS#12 file (%s) — check the password, and that the file is the one it belongs to", p12)
	case errors.Is(err, nethttp.ErrPKCS12IsPEM):
		return fmt.Errorf("%s is a PEM file, not PKCS#12 — give the certificate with --cert and its key with --key instead", p12)
	case errors.Is(err, nethttp.ErrNotPKCS12):
		return fmt.Errorf("%s is not a PKCS#12 file (.p12 or .pfx) — check it is the file your certificate came in; PEM files go with --cert and --key", p12)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "nethttp: ")) // its own words, without the package's name
}
