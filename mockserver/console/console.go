// Package console holds the web console's files: one HTML shell, small JavaScript modules, one
// style sheet and a vendored graph-layout library, embedded in the binary. The pages speak only
// HTTP to the control plane and the emulated APIs, like any client; the control plane serves
// the files under /_mock/console/.
package console

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// files is the assets directory as the console's root.
var files, _ = fs.Sub(assets, "assets")

// types are the content types of the console's files, by extension.
var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
}

// File returns a console file by its path under the console ("" is the shell) and its content
// type; ok is false for a path that names no file.
func File(name string) (content []byte, contentType string, ok bool) {
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if !fs.ValidPath(name) {
		return nil, "", false
	}
	ct, known := types[path.Ext(name)]
	if !known {
		return nil, "", false
	}
	b, err := fs.ReadFile(files, name)
	if err != nil {
		return nil, "", false
	}
	return b, ct, true
}

// Policy is the Content-Security-Policy of every console file: its own scripts, styles and
// fetches only, no inline script, and no framing by another page (which could click its
// buttons).
const Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
