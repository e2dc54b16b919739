// Package frontend is the user interface of the widget and the full-page
// app (TypeScript, built by make widget), and embeds what that build makes
// for the Go programs that serve it.
package frontend

import (
	"embed"
	"io/fs"
)

// dist is what the frontend's build makes: the full-page app
// (index.html), the widget's entry (eps-tracker.js), everything they load
// under content-hashed names in assets/, the core's WebAssembly among them,
// and beside each text or WebAssembly file its .br and .gz forms. Before
// that build it holds only .gitkeep, so that Go builds without Node.
//
//go:embed all:dist
var dist embed.FS

// Dist returns the files of the frontend's build, as they are laid out in
// dist/.
func Dist() fs.FS {
	sub, _ := fs.Sub(dist, "dist") // a valid name: it never fails
	return sub
}
