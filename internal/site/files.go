package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// The caching of what is served.
const (
	// cacheImmutable is for files whose names hold a hash of their
	// content: a new content is a new name.
	cacheImmutable = "public, max-age=31536000, immutable"
	// cacheRevalidate is for pages and the widget's entry script: a browser
	// may keep them, but asks every time whether they changed (cheaply:
	// an unchanged file is a 304).
	cacheRevalidate = "no-cache"
	// cacheNever is for the sandbox's answers, which hold (synthetic)
	// patient data.
	cacheNever = "no-store"
)

// contentTypes are the types of the files served, by extension: written
// out, rather than read from the system's tables, so that every machine
// sends the same.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".wasm":  "application/wasm",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// file is a file to serve, and the files that hold it compressed.
type file struct {
	name  string            // in the file system
	ctype string            // its Content-Type
	etag  string            // a hash of its content, unquoted
	cache string            // its Cache-Control
	coded map[string]string // coding ("br", "gzip") → name of the file holding it so
}

// files are the files of a file system by their URL paths ("/eps-tracker.js").
type files struct {
	fsys   fs.FS
	byPath map[string]*file
}

// loadFiles indexes the files of fsys, hashing each for its ETag. Names
// that begin with a dot are left out, and so are the compressed forms
// (FILE.br, FILE.gz), served only in FILE's place.
func loadFiles(fsys fs.FS) (*files, error) {
	fl := &files{fsys: fsys, byPath: map[string]*file{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case name != "." && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir() || compressed(name):
			return nil
		}
		f := &file{name: name, ctype: contentType(name), cache: cacheRevalidate, coded: map[string]string{}}
		if strings.HasPrefix(name, "assets/") {
			f.cache = cacheImmutable
		}
		if f.etag, err = hashOf(fsys, name); err != nil {
			return err
		}
		for _, c := range codings {
			if _, err := fs.Stat(fsys, name+c.suffix); err == nil {
				f.coded[c.name] = name + c.suffix
			}
		}
		fl.byPath["/"+name] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the frontend's files: %w", err)
	}
	return fl, nil
}

// compressed reports whether name is the compressed form of another file.
func compressed(name string) bool {
	for _, c := range codings {
		if strings.HasSuffix(name, c.suffix) {
			return true
		}
	}
	return false
}

func contentType(name string) string {
	if t, ok := contentTypes[path.Ext(name)]; ok {
		return t
	}
	return "application/octet-stream"
}

// hashOf is a hash of the content of the file name, for its ETag.
func hashOf(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

// serve sends f, in the coding r takes. Conditional requests (ETag),
// HEAD and ranges are answered by http.ServeContent.
func (fl *files) serve(w http.ResponseWriter, r *http.Request, f *file) {
	name, etag := f.name, f.etag
	h := w.Header()
	if len(f.coded) > 0 {
		h.Add("Vary", "Accept-Encoding")
		if coding := negotiate(r.Header.Get("Accept-Encoding"), f.coded); coding != "" {
			name, etag = f.coded[coding], etag+"-"+coding
			h.Set("Content-Encoding", coding)
		}
	}
	content, err := fl.open(name)
	if err != nil {
		h.Del("Content-Encoding")
		http.Error(w, "500 the file could not be read", http.StatusInternalServerError)
		return
	}
	defer content.Close()
	serveContent(w, r, f.ctype, etag, f.cache, content)
}

// open opens the file name to be read from anywhere: in place when the
// file system allows it (an embedded one does), else from a copy.
func (fl *files) open(name string) (readSeekCloser, error) {
	f, err := fl.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	if rs, ok := f.(readSeekCloser); ok {
		return rs, nil
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return nopCloser{bytes.NewReader(b)}, nil
}

type readSeekCloser interface {
	io.ReadSeeker
	io.Closer
}

type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }

// serveContent sends content with its type, ETag and caching.
func serveContent(w http.ResponseWriter, r *http.Request, ctype, etag, cache string, content io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", `"`+etag+`"`)
	h.Set("Cache-Control", cache)
	http.ServeContent(w, r, "", time.Time{}, content)
}
