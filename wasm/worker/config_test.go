package main

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

// spineStub stands for the mTLS binding: configure only holds it.
var spineStub = transport.Func(func(context.Context, *transport.Request) (*transport.Response, error) {
	return nil, ErrNoAnswer
})

var discard = audit.SinkFunc(func(context.Context, audit.Record) error { return nil })

// completeEnv is a Worker's settings with nothing missing.
func completeEnv(t *testing.T) map[string]string {
	t.Helper()
	issuer, err := gatewaytest.NewIssuer(gateway.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"UPSTREAM_URL":     "https://spine.example/mm/prescriptions",
		"ASID":             "200000001234",
		"JWKS":             string(issuer.JWKS()),
		"ISSUER":           issuer.Name,
		"AUDIENCE":         issuer.Audience,
		"ALLOWED_ORIGINS":  " https://portal.example, https://other.example\n",
		"RATE":             "2.5",
		"BURST":            "8",
		"AUDIT_KEY":        "a site's audit key, for the tests only, long enough\n",
		"PREFIX":           "/spine",
		"USER_CLAIM":       "uid",
		"UPSTREAM_TIMEOUT": "7.5s",
	}
}

// configured is the gateway of env, as the Worker makes it.
func configured(env map[string]string, spine transport.Transport) (gateway.Config, *gateway.Handler, error) {
	cfg, err := configure(func(name string) (string, bool) { v, ok := env[name]; return v, ok }, spine, spineStub, discard)
	if err != nil {
		return cfg, nil, err
	}
	h, err := newGateway(cfg)
	return cfg, h, err
}

func TestConfigure(t *testing.T) {
	t.Parallel()
	cfg, h, err := configured(completeEnv(t), spineStub)
	if err != nil || h == nil {
		t.Fatalf("configure: %v", err)
	}
	got := map[string]any{"Prefix": cfg.Prefix, "Upstream": cfg.Upstream, "ASID": cfg.ASID, "AllowOrigins": cfg.AllowOrigins,
		"Rate": cfg.Rate, "Burst": cfg.Burst, "Issuer": cfg.Auth.Issuer, "UserClaim": cfg.Auth.UserClaim, "RoleClaim": cfg.Auth.RoleClaim,
		"Keys": cfg.Auth.Keys.Len(), "AuditKey": !cfg.AuditKey.IsZero(), "Timeout": cfg.Timeout}
	want := map[string]any{"Prefix": "/spine", "Upstream": "https://spine.example/mm/prescriptions", "ASID": "200000001234",
		"AllowOrigins": []string{"https://portal.example", "https://other.example"}, "Rate": 2.5, "Burst": 8,
		"Issuer": "https://idp.test.invalid/realms/portal", "UserClaim": "uid", "RoleClaim": "", "Keys": 1, "AuditKey": true, "Timeout": 7500 * time.Millisecond}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("configuration (-want +got):\n%s", diff)
	}
}

// TestConfigureRefuses: every setting missing or wrong is named, with
// what to give, whether the Worker or the gateway finds it wrong.
func TestConfigureRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  map[string]string // "" deletes the setting
		noSpine bool
		want    []string
	}{
		{"nothing at all", map[string]string{"UPSTREAM_URL": "", "ASID": "", "JWKS": "", "ISSUER": "", "AUDIENCE": "", "AUDIT_KEY": ""}, true,
			[]string{"UPSTREAM_URL: it is missing", "ASID: it is missing", "SPINE: it is missing", "JWKS: it is missing",
				"ISSUER: it is missing", "AUDIENCE: it is missing", "AUDIT_KEY: it is missing: give the site's audit key, as a secret"}},
		{"no mTLS binding", nil, true, []string{"SPINE: it is missing: give the Worker the mTLS certificate binding SPINE"}},
		{"settings of blanks", map[string]string{"ASID": "  ", "ISSUER": "\n"}, false, []string{"ASID: it is missing", "ISSUER: it is missing"}},
		{"a JWKS that is not one", map[string]string{"JWKS": "{not json"}, false, []string{"JWKS: it is not a JWKS document the gateway can use"}},
		{"a short audit key", map[string]string{"AUDIT_KEY": "short"}, false, []string{"AUDIT_KEY: the audit key is too short"}},
		{"a rate that is not a number", map[string]string{"RATE": "fast"}, false, []string{`RATE: "fast" is not a number: give requests a second per user, such as 5`}},
		{"a burst that is not a whole number", map[string]string{"BURST": "2.5"}, false, []string{`BURST: "2.5" is not a whole number`}},
		{"a negative rate", map[string]string{"RATE": "-1"}, false, []string{"RATE: -1 is not a rate"}},
		{"an upstream over plain http", map[string]string{"UPSTREAM_URL": "http://spine.example/mm/prescriptions"}, false, []string{"UPSTREAM_URL: it must be https"}},
		{"an ASID of letters", map[string]string{"ASID": "ASID12345678"}, false, []string{"ASID: give the gateway's ASID"}},
		{"any origin", map[string]string{"ALLOWED_ORIGINS": "*"}, false, []string{`ALLOWED_ORIGINS: "*" would let any page call the gateway`}},
		{"a timeout that is no duration", map[string]string{"UPSTREAM_TIMEOUT": "20"}, false, []string{`UPSTREAM_TIMEOUT: "20" is not a duration: give how long to wait for Spine, such as 20s`}},
		{"a negative timeout", map[string]string{"UPSTREAM_TIMEOUT": "-1s"}, false, []string{"UPSTREAM_TIMEOUT: -1s is negative"}},
		{"a prefix that is no path", map[string]string{"PREFIX": "spine"}, false, []string{`PREFIX: "spine" is not a path`}},
		{"keys' URL over plain http", map[string]string{"JWKS_URL": "http://idp.example/jwks"}, false, []string{`JWKS_URL: "http://idp.example/jwks" is not an https URL: give the identity provider's jwks_uri`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := completeEnv(t)
			for k, v := range tt.change {
				if v == "" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			var spine transport.Transport = spineStub
			if tt.noSpine {
				spine = nil
			}
			_, h, err := configured(env, spine)
			if err == nil || h != nil {
				t.Fatalf("configured, want %q", tt.want)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not say %q:\n%v", want, err)
				}
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != len(tt.want) {
				t.Errorf("%d problems, want %d:\n%v", n, len(tt.want), err)
			}
		})
	}
}

// TestConfigureKeysURL: with JWKS_URL, the gateway fetches the provider's
// keys again from there, through the Worker's own fetch; what the provider
// answers that is not a JWKS document is an error saying so.
func TestConfigureKeysURL(t *testing.T) {
	t.Parallel()
	issuer, err := gatewaytest.NewIssuer(gateway.ES256)
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := issuer.Rotated()
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	status, body := 200, string(rotated.JWKS())
	var down bool
	web := transport.Func(func(_ context.Context, req *transport.Request) (*transport.Response, error) {
		if down {
			return nil, ErrNoAnswer
		}
		asked = append(asked, req.URL.String()+" "+req.Header["Accept"])
		return &transport.Response{StatusCode: status, Header: transport.Header{}, ContentLength: -1, Body: io.NopCloser(strings.NewReader(body))}, nil
	})
	env := completeEnv(t)
	env["JWKS_URL"] = "https://idp.example/realms/portal/protocol/openid-connect/certs"
	cfg, err := configure(func(name string) (string, bool) { v, ok := env[name]; return v, ok }, spineStub, web, discard)
	if err != nil || cfg.Auth.Refresh == nil {
		t.Fatalf("configure: %v; Refresh set: %v", err, cfg.Auth.Refresh != nil)
	}
	keys, err := cfg.Auth.Refresh(context.Background())
	if err != nil || keys.Len() != 1 {
		t.Errorf("Refresh = %d keys, %v; want 1", keys.Len(), err)
	}
	if want := []string{env["JWKS_URL"] + " application/json"}; !slices.Equal(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
	for _, tt := range []struct {
		status int
		body   string
		says   string
	}{
		{503, "", "cannot fetch the keys from JWKS_URL: the provider answered HTTP 503"},
		{200, "<html>sign in</html>", "JWKS document is not JSON"},
		{200, strings.Repeat(" ", 1<<20+1), "larger than 1024 KB"},
	} {
		status, body = tt.status, tt.body
		if _, err := cfg.Auth.Refresh(context.Background()); err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("HTTP %d %.20q: %v, want it to say %q", tt.status, tt.body, err, tt.says)
		}
	}
	down = true
	if _, err := cfg.Auth.Refresh(context.Background()); err == nil || err.Error() != "cannot fetch the keys from JWKS_URL: no answer came from the identity provider" {
		t.Errorf("the provider not answering: %v", err)
	}
	delete(env, "JWKS_URL")
	if cfg, err := configure(func(name string) (string, bool) { v, ok := env[name]; return v, ok }, spineStub, web, discard); err != nil || cfg.Auth.Refresh != nil {
		t.Errorf("without JWKS_URL: %v; Refresh set: %v", err, cfg.Auth.Refresh != nil)
	}
}
