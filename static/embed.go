// Package static holds the console's front-end files (htmx from its npm package,
// CSS, script), embedded in the binary and served under content-hashed names so
// browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed app.css app.js favicon.svg vendor/*.js
var files embed.FS

// Prefix is where the files are served.
const Prefix = "/static/"

var (
	hashed   = map[string]string{} // "app.css" -> "app.1a2b3c4d5e.css"
	unhashed = map[string]string{} // the reverse
)

func init() {
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		name := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		hashed[p] = name
		unhashed[name] = p
		return nil
	})
	if err != nil {
		panic(err)
	}
}

// Path returns the URL of a static file, with its content hash in the name.
func Path(name string) string {
	if h, ok := hashed[name]; ok {
		return Prefix + h
	}
	panic("static: no file " + name)
}

// Handler serves the hashed files with a long cache lifetime; anything else is 404.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		orig, ok := unhashed[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeFileFS(w, r, files, orig)
	})
}
