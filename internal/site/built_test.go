package site

import (
	"io/fs"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/sandbox/sandboxhttp"
	"github.com/eps-tracker/eps-tracker/frontend"
	"github.com/eps-tracker/eps-tracker/internal/demoidp"
)

// TestBuiltFrontend: the frontend as built (make widget) works as served:
// the app's page and the demo portal have no inline script or style, and
// everything they load, and everything that loads in turn (the widget's
// chunks, the core's WebAssembly, images in style sheets), is served, of
// the right type, compressed where it should be.
func TestBuiltFrontend(t *testing.T) {
	t.Parallel()
	files := frontend.Dist()
	if !Built(files) {
		t.Skip("the frontend is not built: run make widget (make test does)")
	}
	signIn, err := demoidp.New(time.Now)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{Files: files, Tracker: sandboxhttp.Handler(sandbox.New(sandbox.Config{Now: time.Now})), DemoNHSNumber: demoPatient,
		DemoSignIn: signIn})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// What each kind of file names: a page its scripts, style sheets and
	// icon; a script the files it loads (by names relative to the entry,
	// at the root); a style sheet its images.
	refs := map[string]*regexp.Regexp{
		"text/html":       regexp.MustCompile(`(?:src|href)="([^"#]+)"`),
		"text/javascript": regexp.MustCompile(`(assets/[A-Za-z0-9._-]+\.[a-z0-9]+)`),
		"text/css":        regexp.MustCompile(`url\(["']?([^)"']+)`),
	}
	seen := map[string]bool{}
	queue := []string{"/", "/demo"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		resp, body := get(t, srv, p)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
			continue
		}
		ctype := resp.Header.Get("Content-Type")
		if want := contentType(p); p != "/" && p != "/demo" && ctype != want {
			t.Errorf("%s: Content-Type %q, want %q", p, ctype, want)
		}
		if strings.HasPrefix(ctype, "text/html") {
			if inline := inlineCode(body); inline != "" {
				t.Errorf("%s has inline script or style: %s", p, inline)
			}
		}
		if (strings.HasSuffix(p, ".wasm") || strings.HasSuffix(p, ".js")) && !strings.HasPrefix(p, "/demo/") { // the portal's own few lines are not the build's
			if br, _ := get(t, srv, p, "Accept-Encoding", "gzip, br"); br.Header.Get("Content-Encoding") != "br" {
				t.Errorf("%s is not sent compressed with brotli", p)
			}
		}
		kind, _, _ := strings.Cut(ctype, ";")
		re, ok := refs[kind]
		if !ok {
			continue
		}
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			ref := m[1]
			switch {
			case strings.Contains(ref, ":"): // another site, or data:
				t.Errorf("%s names %s, which a strict policy refuses", p, ref)
				continue
			case kind == "text/javascript":
				ref = "/" + ref
			case !strings.HasPrefix(ref, "/"):
				ref = path.Join(path.Dir(p), ref)
			}
			queue = append(queue, ref)
		}
	}
	wasm, _ := fs.Glob(files, "assets/*.wasm")
	if len(wasm) != 1 || !seen["/"+wasm[0]] {
		t.Errorf("the core's WebAssembly %v is not what the widget loads: %v", wasm, seen)
	}
	if resp, _ := get(t, srv, "/eps-tracker.js"); resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("the widget's entry is cached: %s", resp.Header.Get("Cache-Control"))
	}
}
