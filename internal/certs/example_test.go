package certs_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/eps-tracker/eps-tracker/internal/certs"
)

// A test server that requires a client certificate, and a client that has one.
func ExampleSet_ServerTLSConfig() {
	set, err := certs.Generate(time.Now())
	if err != nil {
		panic(err)
	}

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	if srv.TLS, err = set.ServerTLSConfig(true); err != nil {
		panic(err)
	}
	srv.StartTLS()
	defer srv.Close()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(set.CAPEM)
	cert, err := tls.X509KeyPair(set.ClientCertPEM, set.ClientKeyPEM)
	if err != nil {
		panic(err)
	}
	transport := &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs:      roots,
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
	}}
	defer transport.CloseIdleConnections()

	resp, err := (&http.Client{Transport: transport}).Get(srv.URL)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Status, string(body))
	// Output: 200 OK hello, EPS Tracker test client
}
