package certs_test

import (
	"cmp"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/internal/certs"
)

// setup generates a set valid now, as a handshake needs.
func setup(t *testing.T) *certs.Set {
	t.Helper()
	set, err := certs.Generate(time.Now())
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return set
}

// parseCert parses the single certificate in a PEM block.
func parseCert(t *testing.T, certPEM []byte) *x509.Certificate {
	t.Helper()
	block, rest := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" || len(rest) != 0 {
		t.Fatalf("not a single CERTIFICATE block: %q", certPEM)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("ParseCertificate: %v", err)
	}
	return cert
}

// pool makes a certificate pool from PEM certificates.
func pool(t *testing.T, certPEM []byte) *x509.CertPool {
	t.Helper()
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(certPEM) {
		t.Fatalf("no certificate in %q", certPEM)
	}
	return p
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.March, 29, 0, 30, 0, 0, time.UTC)
	set, err := certs.Generate(now)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	from, until := now.Add(-time.Hour), now.Add(24*time.Hour)

	tests := []struct {
		name      string
		certPEM   []byte
		keyPEM    []byte // nil for the other CA, whose key the set does not keep
		issuerPEM []byte
		isCA      bool
		usage     x509.ExtKeyUsage
		cn        string
		notBefore time.Time
		notAfter  time.Time
	}{
		{"CA", set.CAPEM, set.CAKeyPEM, set.CAPEM, true, 0, "EPS Tracker test CA", from, until},
		{"server", set.ServerCertPEM, set.ServerKeyPEM, set.CAPEM, false, x509.ExtKeyUsageServerAuth, "localhost", from, until},
		{"client", set.ClientCertPEM, set.ClientKeyPEM, set.CAPEM, false, x509.ExtKeyUsageClientAuth, "EPS Tracker test client", from, until},
		{"expired client", set.ExpiredClientCertPEM, set.ExpiredClientKeyPEM, set.CAPEM, false, x509.ExtKeyUsageClientAuth, "EPS Tracker expired test client", now.Add(-48 * time.Hour), now.Add(-24 * time.Hour)},
		{"other CA", set.OtherCAPEM, nil, set.OtherCAPEM, true, 0, "EPS Tracker other test CA", from, until},
		{"other client", set.OtherClientCertPEM, set.OtherClientKeyPEM, set.OtherCAPEM, false, x509.ExtKeyUsageClientAuth, "EPS Tracker other test client", from, until},
	}
	serials := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert := parseCert(t, tt.certPEM)
			if got := cert.Subject.CommonName; got != tt.cn {
				t.Errorf("common name = %q, want %q", got, tt.cn)
			}
			if !cert.NotBefore.Equal(tt.notBefore) || !cert.NotAfter.Equal(tt.notAfter) {
				t.Errorf("valid %v to %v, want %v to %v", cert.NotBefore, cert.NotAfter, tt.notBefore, tt.notAfter)
			}
			if pub, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || pub.Curve != elliptic.P256() {
				t.Errorf("public key is %T, want ECDSA P-256", cert.PublicKey)
			}
			if n := cert.SerialNumber; n.Sign() <= 0 || n.BitLen() > 128 {
				t.Errorf("serial number %v is not positive and at most 128 bits", n)
			}
			serials[cert.SerialNumber.String()] = tt.name
			if tt.keyPEM != nil {
				if _, err := tls.X509KeyPair(tt.certPEM, tt.keyPEM); err != nil {
					t.Errorf("certificate and key do not pair: %v", err)
				}
			}

			if tt.isCA {
				if !cert.IsCA || cert.KeyUsage&x509.KeyUsageCertSign == 0 {
					t.Errorf("IsCA %v, key usage %b: not a CA", cert.IsCA, cert.KeyUsage)
				}
				if cert.MaxPathLen != 0 || !cert.MaxPathLenZero {
					t.Errorf("MaxPathLen = %d, want 0", cert.MaxPathLen)
				}
				return
			}
			if cert.IsCA {
				t.Error("end-entity certificate is a CA")
			}
			if !slices.Equal(cert.ExtKeyUsage, []x509.ExtKeyUsage{tt.usage}) {
				t.Errorf("ExtKeyUsage = %v, want [%v]", cert.ExtKeyUsage, tt.usage)
			}
			opts := x509.VerifyOptions{
				Roots:       pool(t, tt.issuerPEM),
				CurrentTime: now,
				KeyUsages:   []x509.ExtKeyUsage{tt.usage},
			}
			_, err := cert.Verify(opts)
			if tt.notAfter.After(now) {
				if err != nil {
					t.Errorf("Verify: %v", err)
				}
				return
			}
			if invalid, ok := errors.AsType[x509.CertificateInvalidError](err); !ok || invalid.Reason != x509.Expired {
				t.Errorf("Verify = %v, want the certificate expired", err)
			}
			// The CA was not yet valid while this certificate was, so no
			// chain verifies at any time; check the signature alone.
			if err := cert.CheckSignatureFrom(parseCert(t, tt.issuerPEM)); err != nil {
				t.Errorf("CheckSignatureFrom: %v", err)
			}
		})
	}
	if len(serials) != len(tests) {
		t.Errorf("serial numbers repeat: %v", serials)
	}

	server := parseCert(t, set.ServerCertPEM)
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := server.VerifyHostname(host); err != nil {
			t.Errorf("server certificate: %v", err)
		}
	}
	if other := parseCert(t, set.OtherClientCertPEM); other.CheckSignatureFrom(parseCert(t, set.CAPEM)) == nil {
		t.Error("other client certificate is signed by the set's CA")
	}
}

func TestGenerateMakesNewKeys(t *testing.T) {
	t.Parallel()
	now := time.Now()
	a, err := certs.Generate(now)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	b, err := certs.Generate(now)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if string(a.CAKeyPEM) == string(b.CAKeyPEM) || string(a.ClientKeyPEM) == string(b.ClientKeyPEM) {
		t.Error("two sets share a key")
	}
}

func TestServerTLSConfig(t *testing.T) {
	t.Parallel()
	set := setup(t)
	for _, requireClient := range []bool{false, true} {
		cfg, err := set.ServerTLSConfig(requireClient)
		if err != nil {
			t.Fatalf("ServerTLSConfig(%v): %v", requireClient, err)
		}
		if cfg.MinVersion != tls.VersionTLS12 {
			t.Errorf("ServerTLSConfig(%v).MinVersion = %#x, want TLS 1.2", requireClient, cfg.MinVersion)
		}
		if len(cfg.Certificates) != 1 {
			t.Errorf("ServerTLSConfig(%v) has %d certificates, want 1", requireClient, len(cfg.Certificates))
		}
		wantAuth, wantCAs := tls.NoClientCert, false
		if requireClient {
			wantAuth, wantCAs = tls.RequireAndVerifyClientCert, true
		}
		if cfg.ClientAuth != wantAuth || (cfg.ClientCAs != nil) != wantCAs {
			t.Errorf("ServerTLSConfig(%v): ClientAuth %v, ClientCAs set %v; want %v, %v",
				requireClient, cfg.ClientAuth, cfg.ClientCAs != nil, wantAuth, wantCAs)
		}
	}

	if _, err := (&certs.Set{}).ServerTLSConfig(false); err == nil {
		t.Error("ServerTLSConfig on an empty set: no error")
	}
	noCA := *set
	noCA.CAPEM = nil
	if _, err := noCA.ServerTLSConfig(true); err == nil {
		t.Error("ServerTLSConfig(true) without a CA: no error")
	}
}

// startServer starts a TLS test server with set.ServerTLSConfig(requireClient)
// whose handler answers with the common name of the client's certificate.
func startServer(t *testing.T, set *certs.Set, requireClient bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if certs := r.TLS.PeerCertificates; len(certs) > 0 {
			fmt.Fprint(w, certs[0].Subject.CommonName)
		}
	}))
	cfg, err := set.ServerTLSConfig(requireClient)
	if err != nil {
		t.Fatalf("ServerTLSConfig: %v", err)
	}
	srv.TLS = cfg
	// Failed handshakes are what these tests make; keep them out of the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// client says what a test client trusts and what it presents.
type client struct {
	roots           []byte // PEM certificates of the CAs the client trusts
	certPEM, keyPEM []byte // the client certificate and key; none if nil
	// force presents the certificate even when the server does not list its
	// issuer among the CAs it accepts, which would make a client withhold it.
	force      bool
	serverName string // the name to verify the server by; the URL's host if empty
	// minVersion and maxVersion bound the TLS versions the client offers;
	// zero means TLS 1.2 and the highest Go supports.
	minVersion, maxVersion uint16
}

// get makes one request to srv as c describes and returns the status and body.
// It closes the client's idle connections before returning.
func (c client) get(t *testing.T, srv *httptest.Server) (int, string, error) {
	t.Helper()
	cfg := &tls.Config{
		RootCAs:    pool(t, c.roots),
		ServerName: c.serverName,
		MinVersion: cmp.Or(c.minVersion, tls.VersionTLS12),
		MaxVersion: c.maxVersion,
	}
	if c.certPEM != nil {
		cert, err := tls.X509KeyPair(c.certPEM, c.keyPEM)
		if err != nil {
			t.Fatalf("X509KeyPair: %v", err)
		}
		if c.force {
			cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
				return &cert, nil
			}
		} else {
			cfg.Certificates = []tls.Certificate{cert}
		}
	}
	transport := &http.Transport{TLSClientConfig: cfg}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport} // no clock: a server that never answers hangs the test until go test gives up

	resp, err := hc.Get(srv.URL)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// remoteAlert returns the TLS alert the peer sent, as in "certificate
// required", if err carries one.
func remoteAlert(err error) (string, bool) {
	op, ok := errors.AsType[*net.OpError](err)
	if !ok || op.Op != "remote error" {
		return "", false
	}
	alert, _ := strings.CutPrefix(op.Err.Error(), "tls: ")
	return alert, true
}

func TestMutualTLS(t *testing.T) {
	t.Parallel()
	set := setup(t)
	srv := startServer(t, set, true)

	tests := []struct {
		name   string
		client client
		// wantBody is the common name the server saw, when the request succeeds.
		wantBody string
		// wantAlert is the alert the server sends when it refuses the client.
		wantAlert string
		// wantUnknownAuthority is set when the client refuses the server.
		wantUnknownAuthority bool
	}{
		{
			name:     "client certificate from the CA",
			client:   client{roots: set.CAPEM, certPEM: set.ClientCertPEM, keyPEM: set.ClientKeyPEM},
			wantBody: "EPS Tracker test client",
		},
		{
			name:     "server verified as localhost",
			client:   client{roots: set.CAPEM, certPEM: set.ClientCertPEM, keyPEM: set.ClientKeyPEM, serverName: "localhost"},
			wantBody: "EPS Tracker test client",
		},
		{
			name:      "no client certificate",
			client:    client{roots: set.CAPEM},
			wantAlert: "certificate required",
		},
		{
			// The server lists the CAs it accepts; a client withholds a
			// certificate from any other.
			name:      "client certificate from the other CA, withheld",
			client:    client{roots: set.CAPEM, certPEM: set.OtherClientCertPEM, keyPEM: set.OtherClientKeyPEM},
			wantAlert: "certificate required",
		},
		{
			name:      "client certificate from the other CA, presented",
			client:    client{roots: set.CAPEM, certPEM: set.OtherClientCertPEM, keyPEM: set.OtherClientKeyPEM, force: true},
			wantAlert: "unknown certificate authority",
		},
		{
			name:      "expired client certificate",
			client:    client{roots: set.CAPEM, certPEM: set.ExpiredClientCertPEM, keyPEM: set.ExpiredClientKeyPEM},
			wantAlert: "expired certificate",
		},
		{
			name:                 "client does not trust the CA",
			client:               client{roots: set.OtherCAPEM, certPEM: set.ClientCertPEM, keyPEM: set.ClientKeyPEM},
			wantUnknownAuthority: true,
		},
	}
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		for _, tt := range tests {
			t.Run(tls.VersionName(version)+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				c := tt.client
				c.maxVersion = version
				status, body, err := c.get(t, srv)

				wantAlert := tt.wantAlert
				if version == tls.VersionTLS12 && wantAlert == "certificate required" {
					wantAlert = "handshake failure" // TLS 1.2 has no certificate_required alert
				}
				switch {
				case wantAlert != "":
					if alert, ok := remoteAlert(err); !ok || alert != wantAlert {
						t.Errorf("GET = %d %q, %v; want the server's alert %q", status, body, err, wantAlert)
					}
				case tt.wantUnknownAuthority:
					if _, ok := errors.AsType[x509.UnknownAuthorityError](err); !ok {
						t.Errorf("GET = %d %q, %v; want x509.UnknownAuthorityError", status, body, err)
					}
				default:
					if err != nil || status != http.StatusOK || body != tt.wantBody {
						t.Errorf("GET = %d %q, %v; want 200 %q", status, body, err, tt.wantBody)
					}
				}
			})
		}
	}
}

func TestServerWithoutClientAuth(t *testing.T) {
	t.Parallel()
	set := setup(t)
	srv := startServer(t, set, false)

	status, body, err := client{roots: set.CAPEM}.get(t, srv)
	if err != nil || status != http.StatusOK || body != "" {
		t.Errorf("GET without a client certificate = %d %q, %v; want 200", status, body, err)
	}
	_, _, err = client{roots: set.OtherCAPEM}.get(t, srv)
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); !ok {
		t.Errorf("GET trusting the other CA: %v, want x509.UnknownAuthorityError", err)
	}
}

func TestServerRefusesTLS11(t *testing.T) {
	t.Parallel()
	set := setup(t)
	srv := startServer(t, set, false)

	c := client{roots: set.CAPEM, minVersion: tls.VersionTLS10, maxVersion: tls.VersionTLS11}
	status, body, err := c.get(t, srv)
	if alert, ok := remoteAlert(err); !ok || alert != "protocol version not supported" {
		t.Errorf("GET over TLS 1.1 = %d %q, %v; want the server's alert %q", status, body, err, "protocol version not supported")
	}
}
