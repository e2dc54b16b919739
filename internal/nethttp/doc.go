// Package nethttp is how a native host reaches a tracker: it adapts an
// *http.Client to core/transport ([New]), and builds the *http.Client that
// presents the organisation's certificate to Spine (TLS mutual
// authentication, [NewTLSClient]), from PEM files or a PKCS#12 file.
//
// Only native hosts import it (the command line, and later the desktop app
// and the gateway's server): a browser cannot hold the certificate, and its
// host adapts fetch instead, so the browser build links none of net/http,
// crypto/tls or PKCS#12.
package nethttp
