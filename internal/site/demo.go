package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
)

// demoFiles are the demo portal's page, a template, its style sheet and
// its script.
//
//go:embed demo
var demoFiles embed.FS

var portal = template.Must(template.ParseFS(demoFiles, "demo/portal.html"))

// page is a page made once, served as it is.
type page struct {
	ctype   string
	etag    string
	content []byte
}

func newPage(ctype string, content []byte) *page {
	sum := sha256.Sum256(content)
	return &page{ctype: ctype, etag: hex.EncodeToString(sum[:12]), content: content}
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	serveContent(w, r, p.ctype, p.etag, cacheRevalidate, bytes.NewReader(p.content))
}

// demo is the demo portal's files: its page, its style sheet and, when it
// signs in, its script.
type demo struct {
	html, css, script *page
}

// demoPages makes the demo portal's files, with the patient of nhsNumber
// (ten digits) in context; favicon is the name of the app's icon in files,
// "" when it has none. A portal that signs in (signIn) points its widget
// at the server's gateway and gives it a token from the demo sign-in for
// each lookup (its script, portal.js); one that does not leaves its widget
// on the built-in training sandbox.
func demoPages(nhsNumber, favicon string, signIn bool) (demo, error) {
	var b bytes.Buffer
	err := portal.Execute(&b, struct {
		NHSNumber, Display, Favicon string
		SignIn                      bool
	}{nhsNumber, spaced(nhsNumber), favicon, signIn})
	if err != nil {
		return demo{}, err
	}
	sheet, err := fs.ReadFile(demoFiles, "demo/portal.css")
	if err != nil {
		return demo{}, err
	}
	script, err := fs.ReadFile(demoFiles, "demo/portal.js")
	if err != nil {
		return demo{}, err
	}
	return demo{html: newPage(contentTypes[".html"], b.Bytes()), css: newPage(contentTypes[".css"], sheet),
		script: newPage(contentTypes[".js"], script)}, nil
}

// spaced is an NHS number as people read it, "999 257 4356".
func spaced(n string) string {
	if len(n) != 10 {
		return n
	}
	return n[:3] + " " + n[3:6] + " " + n[6:]
}
