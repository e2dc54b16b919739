package gateway

import (
	"log/slog"
	"net/http"
	"strings"
)

// logRequest logs a line for a request: what kind, how it ended, its trace
// id and how long the upstream took. Never its path or query, which hold
// the patient's identifiers.
func (h *Handler) logRequest(r *http.Request, x *exchange, a answer) {
	if h.log == nil {
		return
	}
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", clip(r.Method, 16)),
		slog.String("kind", string(x.rec.Kind)),
		slog.Int("status", a.status),
		slog.String("outcome", a.outcome),
		slog.String("traceId", x.trace),
		slog.String("origin", x.rec.Origin),
		slog.Duration("upstream", x.rec.UpstreamLatency))
}

// logFailure logs a failure of the gateway's own, its error scrubbed of
// the request's identifiers (a transport's errors should hold none, but
// an error is text the gateway did not write).
func (h *Handler) logFailure(msg string, x *exchange, err error) {
	if h.log == nil {
		return
	}
	text := err.Error()
	if len(x.masks) > 0 {
		text = strings.NewReplacer(x.masks...).Replace(text)
	}
	h.log.Error(msg, slog.String("traceId", x.trace), slog.String("error", text))
}
