package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// Common names of the generated certificates.
const (
	caName          = "EPS Tracker test CA"
	otherCAName     = "EPS Tracker other test CA"
	serverName      = "localhost"
	clientName      = "EPS Tracker test client"
	expiredName     = "EPS Tracker expired test client"
	otherClientName = "EPS Tracker other test client"
)

// Set is a throwaway PKI for tests: a CA, a server certificate for localhost
// (DNS localhost, IP 127.0.0.1 and ::1) signed by the CA, a client certificate
// signed by the CA, an expired client certificate signed by the CA, and a
// second, unrelated CA with a client certificate signed by it ("wrong CA"
// cases). Certificates are PEM "CERTIFICATE" blocks; keys are ECDSA P-256 in
// PEM "PRIVATE KEY" (PKCS #8) blocks.
type Set struct {
	// CAPEM and CAKeyPEM are the CA's certificate and key.
	CAPEM, CAKeyPEM []byte
	// ServerCertPEM and ServerKeyPEM are the server's certificate, for
	// localhost, and key.
	ServerCertPEM, ServerKeyPEM []byte
	// ClientCertPEM and ClientKeyPEM are the client's certificate and key.
	ClientCertPEM, ClientKeyPEM []byte
	// ExpiredClientCertPEM and ExpiredClientKeyPEM are a client certificate
	// that expired a day before the set was made, and its key.
	ExpiredClientCertPEM, ExpiredClientKeyPEM []byte
	// OtherCAPEM is the certificate of a CA unrelated to the set's CA.
	OtherCAPEM []byte
	// OtherClientCertPEM and OtherClientKeyPEM are a client certificate
	// signed by the other CA, and its key.
	OtherClientCertPEM, OtherClientKeyPEM []byte
}

// Generate makes a new Set valid from now-1h to now+24h (the expired client
// certificate: from now-48h to now-24h). Every call makes new keys.
func Generate(now time.Time) (*Set, error) {
	from, until := now.Add(-time.Hour), now.Add(24*time.Hour)

	ca, err := newPair(caTemplate(caName, from, until), nil)
	if err != nil {
		return nil, fmt.Errorf("certs: make CA: %w", err)
	}
	otherCA, err := newPair(caTemplate(otherCAName, from, until), nil)
	if err != nil {
		return nil, fmt.Errorf("certs: make other CA: %w", err)
	}

	serverTemplate := leafTemplate(serverName, x509.ExtKeyUsageServerAuth, from, until)
	serverTemplate.DNSNames = []string{serverName}
	serverTemplate.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	server, err := newPair(serverTemplate, ca)
	if err != nil {
		return nil, fmt.Errorf("certs: make server certificate: %w", err)
	}
	client, err := newPair(leafTemplate(clientName, x509.ExtKeyUsageClientAuth, from, until), ca)
	if err != nil {
		return nil, fmt.Errorf("certs: make client certificate: %w", err)
	}
	expiredTemplate := leafTemplate(expiredName, x509.ExtKeyUsageClientAuth, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	expired, err := newPair(expiredTemplate, ca)
	if err != nil {
		return nil, fmt.Errorf("certs: make expired client certificate: %w", err)
	}
	otherClient, err := newPair(leafTemplate(otherClientName, x509.ExtKeyUsageClientAuth, from, until), otherCA)
	if err != nil {
		return nil, fmt.Errorf("certs: make other client certificate: %w", err)
	}

	return &Set{
		CAPEM:                ca.certPEM(),
		CAKeyPEM:             ca.keyPEM,
		ServerCertPEM:        server.certPEM(),
		ServerKeyPEM:         server.keyPEM,
		ClientCertPEM:        client.certPEM(),
		ClientKeyPEM:         client.keyPEM,
		ExpiredClientCertPEM: expired.certPEM(),
		ExpiredClientKeyPEM:  expired.keyPEM,
		OtherCAPEM:           otherCA.certPEM(),
		OtherClientCertPEM:   otherClient.certPEM(),
		OtherClientKeyPEM:    otherClient.keyPEM,
	}, nil
}

// ServerTLSConfig returns a tls.Config for a server that presents the server
// certificate and, when requireClient is true, requires and verifies a client
// certificate chaining to the set's CA. MinVersion is TLS 1.2.
//
// The server checks validity against its own clock (the config's Time, the
// current time when nil), so a set that a handshake is to accept must be
// generated with the current time.
func (s *Set) ServerTLSConfig(requireClient bool) (*tls.Config, error) {
	cert, err := tls.X509KeyPair(s.ServerCertPEM, s.ServerKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("certs: server key pair: %w", err)
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
	}
	if requireClient {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(s.CAPEM) {
			return nil, errors.New("certs: no CA certificate in the set")
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// pair is a certificate and its private key.
type pair struct {
	cert   *x509.Certificate
	key    *ecdsa.PrivateKey
	keyPEM []byte
}

// newPair makes a new key and a certificate for it from template, signed by
// parent, or self-signed when parent is nil. It sets the template's serial
// number.
func newPair(template *x509.Certificate, parent *pair) (*pair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if template.SerialNumber, err = serialNumber(); err != nil {
		return nil, err
	}
	issuer, issuerKey := template, key
	if parent != nil {
		issuer, issuerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, template, issuer, &key.PublicKey, issuerKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &pair{
		cert:   cert,
		key:    key,
		keyPEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

// certPEM returns the certificate as a PEM block.
func (p *pair) certPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.cert.Raw})
}

// caTemplate is a CA that signs end-entity certificates only.
func caTemplate(name string, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
}

// leafTemplate is an end-entity certificate for one purpose, server or client
// authentication.
func leafTemplate(name string, usage x509.ExtKeyUsage, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		BasicConstraintsValid: true,
	}
}

// serialNumber returns a random serial number of at most 128 bits. Serial
// numbers must be positive, so it draws from [1, 2^128).
func serialNumber() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 128)
	n, err := rand.Int(rand.Reader, limit.Sub(limit, big.NewInt(1)))
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil
}
