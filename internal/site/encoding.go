package site

import (
	"strconv"
	"strings"
)

// The content codings files are precompressed in, in the order they are
// preferred when a browser takes both equally: brotli is smaller.
var codings = []struct {
	name   string // in Accept-Encoding and Content-Encoding
	suffix string // of the file that holds it
}{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// negotiate returns the coding to send of those a file has (by name),
// as acceptEncoding, a request's Accept-Encoding, takes them: the one it
// takes with the highest weight, brotli before gzip for equal weights; ""
// for none (the file as it is).
func negotiate(acceptEncoding string, has map[string]string) string {
	weights := map[string]float64{}
	for _, part := range strings.Split(acceptEncoding, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		weight := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if q, err := strconv.ParseFloat(v, 64); err == nil {
					weight = q
				}
			}
		}
		if name != "" {
			weights[name] = weight
		}
	}
	best, bestWeight := "", 0.0
	for _, c := range codings {
		if _, ok := has[c.name]; !ok {
			continue
		}
		w, ok := weights[c.name]
		if !ok {
			w = weights["*"] // 0 when absent: not taken
		}
		if w > bestWeight {
			best, bestWeight = c.name, w
		}
	}
	return best
}
