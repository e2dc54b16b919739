package nethttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/internal/nethttp"
)

// A native host adapts its *http.Client to core/transport, and gives the
// result to core/client with client.WithTransport. A redirect is an
// answer, never followed.
func ExampleNew() {
	srv := httptest.NewServer(http.RedirectHandler("/elsewhere", http.StatusFound))
	defer srv.Close()
	t := nethttp.New(srv.Client())
	u, _ := url.Parse(srv.URL + "/mm/prescriptions")
	resp, err := t.Get(context.Background(), &transport.Request{URL: u, Header: transport.Header{"Accept": "application/json"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Location"))
	// Output: 302 /elsewhere
}
