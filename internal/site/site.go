package site

import (
	"errors"
	"io/fs"
	"net/http"
)

// Config is what the site serves.
type Config struct {
	// Files are the frontend's build (frontend.Dist()): index.html,
	// eps-tracker.js, assets/, and their compressed forms.
	Files fs.FS
	// Tracker answers /mm/prescriptions, as Spine would, and every other
	// path under /mm/: the gateway, in front of the sandbox or Spine.
	Tracker http.Handler
	// DemoNHSNumber is the synthetic patient the demo portal opens, ten
	// digits.
	DemoNHSNumber string
	// DemoSignIn, when set, is the demo portal's identity provider, which
	// answers GET /demo/token with a token for the page to hand the
	// widget; the portal's widget then asks Tracker, with the token. Nil
	// leaves the portal's widget on its built-in training sandbox.
	DemoSignIn http.Handler
}

// Built reports whether files hold a built frontend: the widget's entry
// script and the full-page app.
func Built(files fs.FS) bool {
	for _, name := range []string{"eps-tracker.js", "index.html"} {
		if _, err := fs.Stat(files, name); err != nil {
			return false
		}
	}
	return true
}

// notBuilt is the answer for a page of a program built without the
// frontend.
const notBuilt = "503 this eps-tracker was built without its web interface — build it with make build, which builds the widget first\n"

// New returns the site's handler. It reads every file once, to hash it.
func New(cfg Config) (http.Handler, error) {
	if cfg.Files == nil || cfg.Tracker == nil {
		return nil, errors.New("site: a Config needs its Files and its Tracker")
	}
	fl, err := loadFiles(cfg.Files)
	if err != nil {
		return nil, err
	}
	demo, err := demoPages(cfg.DemoNHSNumber, favicon(cfg.Files), cfg.DemoSignIn != nil)
	if err != nil {
		return nil, err
	}
	built := Built(cfg.Files)
	mux := http.NewServeMux()
	mux.Handle("/mm/", noStore(cfg.Tracker))
	mux.Handle("GET /demo/portal.css", demo.css)
	mux.Handle("GET /demo", whenBuilt(built, demo.html))
	if cfg.DemoSignIn != nil {
		mux.Handle("GET /demo/portal.js", demo.script)
		mux.Handle("GET /demo/token", noStore(cfg.DemoSignIn))
	}
	mux.Handle("GET /{$}", whenBuilt(built, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fl.serve(w, r, fl.byPath["/index.html"])
	})))
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := fl.byPath[r.URL.Path]
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed: the files are only read", http.StatusMethodNotAllowed)
			return
		case !ok:
			w.Header().Set("Cache-Control", cacheNever)
			http.Error(w, "404 not found — EPS Tracker serves the app at /, a demo portal at /demo and the tracker at /mm/prescriptions", http.StatusNotFound)
			return
		}
		fl.serve(w, r, f)
	})
	mux.Handle("/", files)
	mux.Handle("/mm", files) // not found, rather than redirected to the tracker's /mm/
	return secure(mux), nil
}

// whenBuilt is h, or, when the frontend was not built, a page that says
// so.
func whenBuilt(built bool, h http.Handler) http.Handler {
	if built {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", cacheNever)
		http.Error(w, notBuilt, http.StatusServiceUnavailable)
	})
}

// noStore keeps h's answers out of every cache.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", cacheNever)
		h.ServeHTTP(w, r)
	})
}

// favicon is the name of the app's icon in files, "" when there is none.
func favicon(files fs.FS) string {
	names, _ := fs.Glob(files, "assets/favicon-*.svg")
	if len(names) == 0 {
		return ""
	}
	return names[0]
}
