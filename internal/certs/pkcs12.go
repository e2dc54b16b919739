package certs

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// ClientPKCS12 returns the client certificate and key as a PKCS#12 file
// protected by password, the form in which organisations are often issued
// theirs.
func (s *Set) ClientPKCS12(password string) ([]byte, error) {
	keyBlock, _ := pem.Decode(s.ClientKeyPEM)
	certBlock, _ := pem.Decode(s.ClientCertPEM)
	if keyBlock == nil || certBlock == nil {
		return nil, fmt.Errorf("certs: the set has no client certificate and key")
	}
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certs: client key: %w", err)
	}
	leaf, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certs: client certificate: %w", err)
	}
	return pkcs12.Modern.Encode(key, leaf, nil, password)
}

// WriteClientPKCS12 writes ClientPKCS12 to path with mode 0600. It never
// overwrites: a file already at path is an error wrapping fs.ErrExist.
func (s *Set) WriteClientPKCS12(path, password string) error {
	data, err := s.ClientPKCS12(password)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("certs: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("certs: %w", err)
	}
	return f.Close()
}
