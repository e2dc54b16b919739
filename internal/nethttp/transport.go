package nethttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// Transport sends the tracker's GETs with an *http.Client. It never follows
// a redirect: a 3xx is an answer like any other. It is safe for concurrent
// use.
type Transport struct {
	client *http.Client
}

// New adapts hc to core/transport. It keeps a copy of hc whose redirects
// are not followed, whatever hc's CheckRedirect; hc's transport (its
// connections, its TLS) is shared. A nil hc is a client with the default
// transport.
func New(hc *http.Client) *Transport {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Transport{client: c}
}

// Get sends req. Its error never holds the URL (net/http's do), and one
// that no retry can mend, a certificate refused by either side, is marked
// with transport.Permanent.
func (t *Transport) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	h := make(http.Header, len(req.Header))
	for k, v := range req.Header {
		h[http.CanonicalHeaderKey(k)] = []string{v}
	}
	// Built from the URL as it stands, rather than by formatting and parsing
	// it again.
	r := (&http.Request{Method: http.MethodGet, URL: req.URL, Host: req.URL.Host, Header: h,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}).WithContext(ctx)
	resp, err := t.client.Do(r)
	if err != nil {
		return nil, failure(err)
	}
	header := make(transport.Header, len(resp.Header))
	for k, v := range resp.Header {
		header[k] = strings.Join(v, ", ")
	}
	return &transport.Response{StatusCode: resp.StatusCode, Header: header, ContentLength: resp.ContentLength, Body: resp.Body}, nil
}

// failure is err without the URL that net/http wraps it in, which holds
// patient identifiers, marked permanent when no retry can mend it.
func failure(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if certificateProblem(err) {
		return transport.Permanent(err)
	}
	return err
}

// certificateProblem reports whether err is a TLS failure that no retry can
// mend: a certificate refused on either side.
func certificateProblem(err error) bool {
	var (
		verify  *tls.CertificateVerificationError
		alert   tls.AlertError
		unknown x509.UnknownAuthorityError
		invalid x509.CertificateInvalidError
		host    x509.HostnameError
		record  tls.RecordHeaderError
	)
	return errors.As(err, &verify) || errors.As(err, &alert) || errors.As(err, &unknown) ||
		errors.As(err, &invalid) || errors.As(err, &host) || errors.As(err, &record) ||
		strings.Contains(err.Error(), "remote error: tls:")
}
