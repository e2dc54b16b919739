package nethttp

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// TLSConfig is what a native host needs for TLS mutual authentication with
// Spine: the organisation's client certificate and key, and the CAs that
// sign Spine's server certificate. Give files, or the PEM itself.
type TLSConfig struct {
	CertFile, KeyFile string // PEM client certificate (with its chain) and key
	PKCS12File        string // or a PKCS#12 (.p12/.pfx) file holding both
	PKCS12Password    string
	CAFile            string // PEM bundle of the CAs to trust for the server

	CertPEM, KeyPEM, CAPEM []byte // the same, in memory
}

// NewTLSClient makes an *http.Client for Spine: TLS 1.2 or later, presenting
// the client certificate, and trusting only the configured CAs, so a server
// whose certificate does not chain to them is refused. Give it to [New] to
// send with it.
func NewTLSClient(cfg TLSConfig) (*http.Client, error) {
	cert, err := loadClientCert(cfg)
	if err != nil {
		return nil, err
	}
	caPEM := cfg.CAPEM
	if cfg.CAFile != "" {
		if caPEM, err = os.ReadFile(cfg.CAFile); err != nil {
			return nil, fmt.Errorf("nethttp: reading the CA bundle: %w", err)
		}
	}
	if len(caPEM) == 0 {
		return nil, errors.New("nethttp: a CA bundle is required to check Spine's certificate")
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("nethttp: the CA bundle holds no PEM certificate")
	}
	tlsConfig := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		RootCAs:      roots,
		Certificates: []tls.Certificate{cert},
	}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		TLSClientConfig:       tlsConfig,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}, nil
}

// Mistakes with the certificate files that NewTLSClient tells apart, so
// that a host can say how to put each right. Test with errors.Is.
var (
	ErrTwoCertificates = errors.New("nethttp: give the client certificate once: as a certificate and key, or as a PKCS#12 file, not both")
	ErrPKCS12Password  = errors.New("nethttp: the PKCS#12 file's password is missing or wrong")
	ErrPKCS12IsPEM     = errors.New("nethttp: the PKCS#12 file holds PEM text: give it as the certificate and key instead")
	ErrNotPKCS12       = errors.New("nethttp: the PKCS#12 file is not PKCS#12 (.p12 or .pfx)")
)

func loadClientCert(cfg TLSConfig) (tls.Certificate, error) {
	switch {
	case cfg.PKCS12File != "" && (cfg.CertFile != "" || cfg.KeyFile != "" || len(cfg.CertPEM) > 0 || len(cfg.KeyPEM) > 0):
		return tls.Certificate{}, ErrTwoCertificates
	case cfg.PKCS12File != "":
		data, err := os.ReadFile(cfg.PKCS12File)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("nethttp: reading the PKCS#12 file: %w", err)
		}
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN")) {
			return tls.Certificate{}, ErrPKCS12IsPEM
		}
		key, leaf, chain, err := pkcs12.DecodeChain(data, cfg.PKCS12Password)
		switch {
		case errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption):
			return tls.Certificate{}, ErrPKCS12Password
		case err != nil: // the decoder's words (ASN.1 structures) would help nobody
			return tls.Certificate{}, ErrNotPKCS12
		}
		c := tls.Certificate{PrivateKey: key, Leaf: leaf, Certificate: [][]byte{leaf.Raw}}
		for _, ca := range chain {
			c.Certificate = append(c.Certificate, ca.Raw)
		}
		return c, nil
	case cfg.CertFile != "" || cfg.KeyFile != "":
		if cfg.CertFile == "" || cfg.KeyFile == "" {
			return tls.Certificate{}, errors.New("nethttp: the client certificate needs both a certificate and a key file")
		}
		c, err := tls.LoadX509KeyPair(cfg.CertFile, cfg.KeyFile)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("nethttp: loading the client certificate: %w", err)
		}
		return c, nil
	case len(cfg.CertPEM) > 0:
		c, err := tls.X509KeyPair(cfg.CertPEM, cfg.KeyPEM)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("nethttp: reading the client certificate: %w", err)
		}
		return c, nil
	}
	return tls.Certificate{}, errors.New("nethttp: Spine needs a client certificate (TLS-MA): give a certificate and key, or a PKCS#12 file")
}
