package gateway

import (
	"log/slog"
	"net/http"

	"github.com/eps-tracker/eps-tracker/core/redact"
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

// logFailure logs a failure, its error masked: a transport's or a sink's
// errors should hold no identifier, but they are text the gateway did not
// write.
func (h *Handler) logFailure(msg string, x *exchange, err error) {
	if h.log == nil {
		return
	}
	h.log.Error(msg, slog.String("traceId", x.trace), slog.String("error", redact.Text(err.Error())))
}
