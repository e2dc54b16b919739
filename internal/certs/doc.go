// Package certs makes throwaway certificates for tests and demos of TLS mutual
// authentication (TLS-MA) between a client and a local test server.
//
// It is for tests and demos only. The certificates that identify a client to
// Spine are issued to the organisation and are configuration: they are never
// generated, and nothing in this package is fit to stand in for them.
//
// # The set
//
// [Generate] makes a [Set] in memory: a CA, a server certificate for
// localhost signed by it, a client certificate, an expired client certificate
// and, for "wrong CA" cases, a second, unrelated CA with a client certificate
// of its own. Keys are ECDSA P-256 and everything is PEM-encoded, so a set can
// be handed to [crypto/tls.X509KeyPair] and [crypto/x509.CertPool.AppendCertsFromPEM]
// or written to disk with [Set.WriteFiles] for a program that reads files.
//
// # A test server
//
// [Set.ServerTLSConfig] configures a server that presents the server
// certificate and, on request, requires a client certificate that chains to
// the set's CA:
//
//	set, err := certs.Generate(time.Now())
//	…
//	srv := httptest.NewUnstartedServer(handler)
//	srv.TLS, err = set.ServerTLSConfig(true)
//	…
//	srv.StartTLS()
//	defer srv.Close()
//
// A client trusts the server by adding [Set.CAPEM] to its RootCAs and proves
// itself with the pair [Set.ClientCertPEM] and [Set.ClientKeyPEM].
package certs
