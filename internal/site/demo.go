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

// demoFiles are the demo portal's page, a template, and its style sheet.
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

// demoPages are the demo portal's page, with the patient of nhsNumber (ten
// digits) in context, and its style sheet; favicon is the name of the
// app's icon in files, "" when it has none.
func demoPages(nhsNumber, favicon string) (html, css *page, err error) {
	var b bytes.Buffer
	err = portal.Execute(&b, struct{ NHSNumber, Display, Favicon string }{nhsNumber, spaced(nhsNumber), favicon})
	if err != nil {
		return nil, nil, err
	}
	sheet, err := fs.ReadFile(demoFiles, "demo/portal.css")
	if err != nil {
		return nil, nil, err
	}
	return newPage(contentTypes[".html"], b.Bytes()), newPage(contentTypes[".css"], sheet), nil
}

// spaced is an NHS number as people read it, "999 257 4356".
func spaced(n string) string {
	if len(n) != 10 {
		return n
	}
	return n[:3] + " " + n[3:6] + " " + n[6:]
}
