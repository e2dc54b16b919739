package site

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/internal/demoidp"
)

// The tests' frontend build: small files laid out as the real one.
var testFiles = fstest.MapFS{
	".gitkeep":                        {},
	"index.html":                      {Data: []byte(`<!doctype html><script type="module" src="./eps-tracker.js"></script><eps-tracker></eps-tracker>`)},
	"eps-tracker.js":                  {Data: []byte(`import("./assets/wasm_exec-AbCd1234.js")`)},
	"eps-tracker.js.br":               {Data: []byte("brotli of eps-tracker.js")},
	"eps-tracker.js.gz":               {Data: []byte("gzip of eps-tracker.js")},
	"assets/wasm_exec-AbCd1234.js":    {Data: []byte(`globalThis.Go = class {}`)},
	"assets/eps-tracker-Xy12.wasm":    {Data: []byte("\x00asm the core")},
	"assets/eps-tracker-Xy12.wasm.br": {Data: []byte("brotli of the core")},
	"assets/eps-tracker-Xy12.wasm.gz": {Data: []byte("gzip of the core")},
	"assets/app-Qr56.css":             {Data: []byte(`html{font-family:arial}`)},
	"assets/favicon-Zz99.svg":         {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
}

const demoPatient = "9992574356"

// day is the sandbox's day.
var day = time.Date(2025, 6, 10, 10, 0, 0, 0, time.UTC)

// setup serves the site over files from a real server until the test
// ends, with the sandbox as its tracker; edit changes its Config first.
func setup(t *testing.T, files fstest.MapFS, edit ...func(*Config)) *httptest.Server {
	t.Helper()
	cfg := Config{Files: files, Tracker: sandboxhttp.Handler(sandbox.New(sandbox.Config{Now: func() time.Time { return day }})),
		DemoNHSNumber: demoPatient}
	for _, f := range edit {
		f(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// get sends a GET of path with headers (name, value, …) and returns the
// answer and its body, as sent: never decompressed on the way.
func get(t *testing.T, srv *httptest.Server, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestContentTypes(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	for path, want := range map[string]string{
		"/":                             "text/html; charset=utf-8",
		"/demo":                         "text/html; charset=utf-8",
		"/demo/portal.css":              "text/css; charset=utf-8",
		"/eps-tracker.js":               "text/javascript; charset=utf-8",
		"/assets/wasm_exec-AbCd1234.js": "text/javascript; charset=utf-8",
		"/assets/eps-tracker-Xy12.wasm": "application/wasm",
		"/assets/app-Qr56.css":          "text/css; charset=utf-8",
		"/assets/favicon-Zz99.svg":      "image/svg+xml",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			resp, _ := get(t, srv, path, "Accept-Encoding", "br")
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want {
				t.Errorf("%s: %d %q, want 200 %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), want)
			}
		})
	}
}

// TestEncodings: a file is sent in the coding the browser takes, as it
// was compressed at build time, with Vary: Accept-Encoding.
func TestEncodings(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	tests := []struct {
		name, path, accept string
		coding, body       string
	}{
		{"brotli and gzip", "/assets/eps-tracker-Xy12.wasm", "gzip, deflate, br, zstd", "br", "brotli of the core"},
		{"gzip alone", "/assets/eps-tracker-Xy12.wasm", "gzip", "gzip", "gzip of the core"},
		{"brotli refused", "/eps-tracker.js", "br;q=0, gzip", "gzip", "gzip of eps-tracker.js"},
		{"gzip preferred", "/eps-tracker.js", "br;q=0.5, gzip;q=1.0", "gzip", "gzip of eps-tracker.js"},
		{"any", "/eps-tracker.js", "*", "br", "brotli of eps-tracker.js"},
		{"none", "/eps-tracker.js", "", "", `import("./assets/wasm_exec-AbCd1234.js")`},
		{"identity only", "/eps-tracker.js", "identity", "", `import("./assets/wasm_exec-AbCd1234.js")`},
		{"no compressed form", "/assets/wasm_exec-AbCd1234.js", "br", "", "globalThis.Go = class {}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := get(t, srv, tt.path, "Accept-Encoding", tt.accept)
			if got := resp.Header.Get("Content-Encoding"); got != tt.coding || body != tt.body {
				t.Errorf("Content-Encoding %q, body %q; want %q, %q", got, body, tt.coding, tt.body)
			}
			wantVary := "Accept-Encoding"
			if tt.name == "no compressed form" {
				wantVary = ""
			}
			if got := resp.Header.Get("Vary"); got != wantVary {
				t.Errorf("Vary %q, want %q", got, wantVary)
			}
		})
	}
}

// TestCaching: hashed names are kept for a year; pages and the widget's
// entry are revalidated, an unchanged one answered 304; the sandbox is
// never stored.
func TestCaching(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	for path, want := range map[string]string{
		"/":                             "no-cache",
		"/demo":                         "no-cache",
		"/demo/portal.css":              "no-cache",
		"/eps-tracker.js":               "no-cache",
		"/assets/eps-tracker-Xy12.wasm": "public, max-age=31536000, immutable",
		"/assets/wasm_exec-AbCd1234.js": "public, max-age=31536000, immutable",
		"/mm/prescriptions":             "no-store",
		"/nothing-here":                 "no-store",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			resp, _ := get(t, srv, path, "Accept-Encoding", "br")
			if got := resp.Header.Get("Cache-Control"); got != want {
				t.Errorf("Cache-Control %q, want %q", got, want)
			}
			etag := resp.Header.Get("ETag")
			if want == "no-store" {
				return
			}
			if etag == "" {
				t.Fatal("no ETag")
			}
			again, body := get(t, srv, path, "Accept-Encoding", "br", "If-None-Match", etag)
			if again.StatusCode != http.StatusNotModified || body != "" {
				t.Errorf("revalidated: %d with %d bytes, want 304 and nothing", again.StatusCode, len(body))
			}
		})
	}
	br, _ := get(t, srv, "/eps-tracker.js", "Accept-Encoding", "br")
	gz, _ := get(t, srv, "/eps-tracker.js", "Accept-Encoding", "gzip")
	plain, _ := get(t, srv, "/eps-tracker.js")
	if tags := []string{br.Header.Get("ETag"), gz.Header.Get("ETag"), plain.Header.Get("ETag")}; tags[0] == tags[1] || tags[1] == tags[2] || tags[0] == tags[2] {
		t.Errorf("one ETag for different bytes: %q", tags)
	}
}

// TestHeaders: every answer carries the security headers, and the pages
// the strict policy a portal sets for the widget.
func TestHeaders(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
			"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
		"X-Content-Type-Options":       "nosniff",
		"Referrer-Policy":              "no-referrer",
		"X-Frame-Options":              "DENY",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
	}
	for _, path := range []string{"/", "/demo", "/demo/portal.css", "/eps-tracker.js", "/assets/eps-tracker-Xy12.wasm",
		"/mm/prescriptions?nhsNumber=" + demoPatient, "/nothing-here"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			resp, _ := get(t, srv, path)
			got := map[string]string{}
			for name := range want {
				got[name] = resp.Header.Get(name)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPolicyStrict: nothing in the policy lets text run as script or
// style, or the page connect anywhere but its origin.
func TestPolicyStrict(t *testing.T) {
	t.Parallel()
	for _, loose := range []string{"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "blob:", "*", "http:", "https:"} {
		for _, directive := range strings.Split(Policy, "; ") {
			for _, source := range strings.Fields(directive)[1:] {
				if source == loose {
					t.Errorf("%q allows %s", directive, loose)
				}
			}
		}
	}
}

// TestDemo: the demo portal embeds the widget as a portal would: the one
// module script, the element with the patient in context, nothing inline;
// and everything it names is served.
func TestDemo(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	_, page := get(t, srv, "/demo")
	for _, want := range []string{
		`<script type="module" src="/eps-tracker.js"></script>`,
		`<eps-tracker nhs-number="9992574356"></eps-tracker>`,
		`<link rel="stylesheet" href="/demo/portal.css">`,
		`<link rel="icon" href="/assets/favicon-Zz99.svg" type="image/svg+xml">`,
		"999 257 4356",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the demo page has no %s", want)
		}
	}
	if inline := inlineCode(page); inline != "" {
		t.Errorf("the demo page has inline script or style: %s", inline)
	}
	for _, ref := range regexp.MustCompile(`(?:src|href)="(/[^"]*)"`).FindAllStringSubmatch(page, -1) {
		if resp, _ := get(t, srv, ref[1]); resp.StatusCode != 200 {
			t.Errorf("the demo page names %s, which answers %d", ref[1], resp.StatusCode)
		}
	}
}

// TestDemoSignIn: with a sign-in, the demo portal signs in as a portal
// does: its own script, before the widget's, gives the widget a token from
// /demo/token for each lookup, and the widget asks the server's tracker;
// the token goes to a page of the server's own origin only, never stored.
// Without one, the portal's widget answers from its built-in sandbox.
func TestDemoSignIn(t *testing.T) {
	t.Parallel()
	signIn, err := demoidp.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := setup(t, testFiles, func(c *Config) { c.DemoSignIn = signIn })
	_, page := get(t, srv, "/demo")
	scripts := regexp.MustCompile(`<script type="module" src="([^"]+)"></script>`).FindAllStringSubmatch(page, -1)
	if len(scripts) != 2 || scripts[0][1] != "/demo/portal.js" || scripts[1][1] != "/eps-tracker.js" {
		t.Errorf("the demo page's scripts, in order: %q; want the portal's, then the widget's", scripts)
	}
	if want := `<eps-tracker nhs-number="9992574356" gateway="/mm/prescriptions"></eps-tracker>`; !strings.Contains(page, want) {
		t.Errorf("the demo page has no %s", want)
	}
	if inline := inlineCode(page); inline != "" {
		t.Errorf("the demo page has inline script or style: %s", inline)
	}
	if resp, body := get(t, srv, "/demo/portal.js"); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" ||
		!strings.Contains(body, "getToken") || !strings.Contains(body, "/demo/token") {
		t.Errorf("/demo/portal.js: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, body := get(t, srv, "/demo/token", "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(body, `"token":`) {
		t.Errorf("/demo/token: %d, Cache-Control %q: %s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
	}
	if resp.Header.Get("Content-Security-Policy") != Policy {
		t.Errorf("/demo/token without the security headers")
	}
	if resp, _ := get(t, srv, "/demo/token", "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("/demo/token for another site's page: %d", resp.StatusCode)
	}

	plain := setup(t, testFiles)
	if _, page := get(t, plain, "/demo"); strings.Contains(page, "gateway=") || strings.Contains(page, "portal.js") {
		t.Errorf("without a sign-in, the demo page still points the widget at the server")
	}
	for _, path := range []string{"/demo/portal.js", "/demo/token"} {
		if resp, _ := get(t, plain, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("without a sign-in, %s: %d", path, resp.StatusCode)
		}
	}
}

// inlineCode returns the first script or style written in page itself,
// which a strict policy refuses: a script element with content or without
// a src, a style element or attribute, an event handler attribute; "" when
// there is none.
func inlineCode(page string) string {
	for _, m := range regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
			return m[0]
		}
	}
	return regexp.MustCompile(`(?i)<style|\sstyle=|\son[a-z]+=`).FindString(page)
}

// TestSandbox: /mm/prescriptions answers as Spine would.
func TestSandbox(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	resp, body := get(t, srv, "/mm/prescriptions?format=trace-summary&nhsNumber="+demoPatient+"&earliestDate=20230610&latestDate=20250610",
		"Spine-From-Asid", "200000001234")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("search: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	search, err := tracker.ParseSearch([]byte(body))
	if err != nil || search.Err() != nil || len(search.Prescriptions) == 0 {
		t.Errorf("search: %v %v, %d prescriptions", err, search.Err(), len(search.Prescriptions))
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/mm/prescriptions", nil)
	post, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", post.StatusCode)
	}
}

// TestNotFound: what is not a file of the build is not found: dot files,
// the compressed forms by their own names, folders.
func TestNotFound(t *testing.T) {
	t.Parallel()
	srv := setup(t, testFiles)
	for _, path := range []string{"/nothing-here", "/.gitkeep", "/eps-tracker.js.br", "/assets/eps-tracker-Xy12.wasm.gz", "/assets/", "/index.htm", "/mm", "/demo/token", "/demo/portal.js"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			if resp, body := get(t, srv, path); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "/demo") {
				t.Errorf("%d %q, want 404 saying what is served", resp.StatusCode, body)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/eps-tracker.js", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST of a file: %d, want 405", resp.StatusCode)
	}
}

// TestNotBuilt: a program built without the frontend says so on its
// pages, and still serves the sandbox.
func TestNotBuilt(t *testing.T) {
	t.Parallel()
	srv := setup(t, fstest.MapFS{".gitkeep": {}})
	for _, path := range []string{"/", "/demo"} {
		if resp, body := get(t, srv, path); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "make build") {
			t.Errorf("%s: %d %q, want 503 saying how to build it", path, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, srv, "/mm/prescriptions?nhsNumber="+demoPatient, "Spine-From-Asid", "200000001234"); resp.StatusCode != 200 {
		t.Errorf("sandbox: %d", resp.StatusCode)
	}
	if Built(fstest.MapFS{".gitkeep": {}}) || !Built(testFiles) {
		t.Error("Built is wrong")
	}
}

func TestInlineCode(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, page, want string }{
		{"a module script", `<script type="module" src="/eps-tracker.js"></script>`, ""},
		{"a style sheet", `<link rel="stylesheet" href="/demo/portal.css">`, ""},
		{"an inline script", `<script>alert(1)</script>`, `<script>alert(1)</script>`},
		{"a script with a src and content", `<script src="/a.js">alert(1)</script>`, `<script src="/a.js">alert(1)</script>`},
		{"a style element", `<style>p{}</style>`, `<style`},
		{"a style attribute", `<p style="color:red">`, ` style=`},
		{"an event handler", `<body onload="go()">`, ` onload=`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := inlineCode(tt.page); got != tt.want {
				t.Errorf("inlineCode = %q, want %q", got, tt.want)
			}
		})
	}
}
