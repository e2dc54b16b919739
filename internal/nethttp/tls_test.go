package nethttp

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/internal/certs"
)

// tlsSandbox serves the sandbox over real TLS, requiring client
// certificates signed by the set's CA, as Spine does.
func tlsSandbox(t *testing.T) (*certs.Set, string, *sandbox.Sandbox) {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("TLS-MA is for native hosts; a browser cannot hold the certificate")
	}
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := set.ServerTLSConfig(true)
	if err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Config{Seed: 1, Now: clock})
	srv := httptest.NewUnstartedServer(sandboxhttp.Handler(sb))
	srv.TLS = cfg
	srv.Config.ErrorLog = quiet()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return set, srv.URL + "/mm/prescriptions", sb
}

func TestTLSMutualAuthentication(t *testing.T) {
	t.Parallel()
	set, base, sb := tlsSandbox(t)
	nhs := sb.Patients()[0].NHSNumber
	tests := []struct {
		name string
		cfg  TLSConfig
		ok   bool
		says string
	}{
		{"right certificate", TLSConfig{CertPEM: set.ClientCertPEM, KeyPEM: set.ClientKeyPEM, CAPEM: set.CAPEM}, true, ""},
		{"no certificate presented", TLSConfig{CertPEM: set.OtherClientCertPEM, KeyPEM: set.OtherClientKeyPEM, CAPEM: set.CAPEM}, false, "certificate"},
		{"expired certificate", TLSConfig{CertPEM: set.ExpiredClientCertPEM, KeyPEM: set.ExpiredClientKeyPEM, CAPEM: set.CAPEM}, false, "expired"},
		{"server outside the trusted CAs", TLSConfig{CertPEM: set.ClientCertPEM, KeyPEM: set.ClientKeyPEM, CAPEM: set.OtherCAPEM}, false, "unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hc, err := NewTLSClient(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer hc.CloseIdleConnections()
			c, err := client.New(client.WithBaseURL(base), client.WithASID("200000001234"), client.WithTransport(New(hc)),
				client.WithClock(clock), client.WithRetryPolicy(fast))
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Search(context.Background(), client.SearchQuery{NHSNumber: nhs})
			if tt.ok {
				if err != nil || len(res.Prescriptions) == 0 {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var te *client.TransportError
			if !errors.As(err, &te) || te.Attempts != 1 || !transport.IsPermanent(err) {
				t.Fatalf("err = %v, want a transport error after one attempt (a certificate problem is not retried)", err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestNewTLSClientFromFiles(t *testing.T) {
	t.Parallel()
	set, base, sb := tlsSandbox(t)
	dir := t.TempDir()
	paths, err := set.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	p12File := filepath.Join(dir, "client.p12")
	if err := set.WriteClientPKCS12(p12File, "secret"); err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]TLSConfig{
		"PEM files": {CertFile: paths["client.pem"], KeyFile: paths["client-key.pem"], CAFile: paths["ca.pem"]},
		"PKCS#12":   {PKCS12File: p12File, PKCS12Password: "secret", CAFile: paths["ca.pem"]},
	} {
		hc, err := NewTLSClient(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c, _ := client.New(client.WithBaseURL(base), client.WithASID("200000001234"), client.WithTransport(New(hc)), client.WithClock(clock))
		if _, err := c.Search(context.Background(), client.SearchQuery{NHSNumber: sb.Patients()[0].NHSNumber}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		hc.CloseIdleConnections()
	}
	for name, cfg := range map[string]TLSConfig{
		"no certificate":      {CAFile: paths["ca.pem"]},
		"no key":              {CertFile: paths["client.pem"], CAFile: paths["ca.pem"]},
		"no CA":               {CertFile: paths["client.pem"], KeyFile: paths["client-key.pem"]},
		"missing file":        {CertFile: filepath.Join(dir, "nope.pem"), KeyFile: paths["client-key.pem"], CAFile: paths["ca.pem"]},
		"wrong password":      {PKCS12File: p12File, PKCS12Password: "guess", CAFile: paths["ca.pem"]},
		"CA file not PEM":     {CertFile: paths["client.pem"], KeyFile: paths["client-key.pem"], CAFile: p12File},
		"key of another cert": {CertFile: paths["client.pem"], KeyFile: paths["other-client-key.pem"], CAFile: paths["ca.pem"]},
	} {
		if _, err := NewTLSClient(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if tls.VersionTLS12 == 0 { // keep the tls import honest
		t.Fatal()
	}
}

// TestNewTLSClientMistakes: the mistakes people make with their
// certificate files are errors a host can tell apart and explain.
func TestNewTLSClientMistakes(t *testing.T) {
	t.Parallel()
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := set.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	p12File := filepath.Join(dir, "client.p12")
	if err := set.WriteClientPKCS12(p12File, "secret"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  TLSConfig
		want error
	}{
		{"PKCS#12 without its password", TLSConfig{PKCS12File: p12File, CAFile: paths["ca.pem"]}, ErrPKCS12Password},
		{"PKCS#12 with a wrong password", TLSConfig{PKCS12File: p12File, PKCS12Password: "guess", CAFile: paths["ca.pem"]}, ErrPKCS12Password},
		{"a PEM certificate as PKCS#12", TLSConfig{PKCS12File: paths["client.pem"], PKCS12Password: "secret", CAFile: paths["ca.pem"]}, ErrPKCS12IsPEM},
		{"a key as PKCS#12", TLSConfig{PKCS12File: paths["client-key.pem"], CAFile: paths["ca.pem"]}, ErrPKCS12IsPEM},
		{"something else as PKCS#12", TLSConfig{PKCS12File: writeFile(t, dir, "junk.p12", "\x30\x03\x02\x01\x07"), CAFile: paths["ca.pem"]}, ErrNotPKCS12},
		{"PKCS#12 and PEM files both", TLSConfig{PKCS12File: p12File, PKCS12Password: "secret", CertFile: paths["client.pem"],
			KeyFile: paths["client-key.pem"], CAFile: paths["ca.pem"]}, ErrTwoCertificates},
		{"PKCS#12 and a key file", TLSConfig{PKCS12File: p12File, PKCS12Password: "secret", KeyFile: paths["client-key.pem"], CAFile: paths["ca.pem"]}, ErrTwoCertificates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewTLSClient(tt.cfg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("NewTLSClient: %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), "asn1") {
				t.Errorf("the error quotes the decoder: %v", err)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
