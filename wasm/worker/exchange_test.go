package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echo answers with what it was asked, a header field at a time.
func echo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Add("Vary", "Origin")
	w.Header().Add("Vary", "Authorization")
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "%s %s %s\n", r.Method, r.URL.Path, r.URL.RawQuery)
	fmt.Fprintf(w, "origin=%s accept=%q remote=%s\n", r.Header.Get("Origin"), r.Header.Values("Accept"), r.RemoteAddr)
}

func TestServe(t *testing.T) {
	t.Parallel()
	a := serve(context.Background(), echo, "GET", "https://gateway.example/spine/mm/prescriptions?format=trace-summary",
		[][2]string{{"origin", "https://portal.example"}, {"accept", "application/json"}, {"accept", "text/plain"}, {"cf-connecting-ip", "192.0.2.7"}})
	want := "GET /spine/mm/prescriptions format=trace-summary\norigin=https://portal.example accept=[\"application/json\" \"text/plain\"] remote=192.0.2.7\n"
	if a.Status() != http.StatusAccepted || a.body.String() != want {
		t.Errorf("answer %d %q, want 202 %q", a.Status(), a.body.String(), want)
	}
	if diff := cmp.Diff(http.Header{"Content-Type": {"text/plain"}, "Vary": {"Origin", "Authorization"}}, a.header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

func TestServeFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		method  string
		status  int
		says    string
	}{
		{"a request it cannot read", echo, "GET OR PUT", 400, "The Worker was given a request it cannot read"},
		{"a handler that panics", func(http.ResponseWriter, *http.Request) { panic("9434765919") }, "GET", 500, "The gateway failed while answering"},
		{"a Worker not configured", misconfigured(fmt.Errorf("ASID: it is missing")), "GET", 500, "The gateway is not configured: ASID: it is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := serve(context.Background(), tt.handler, tt.method, "https://gateway.example/mm/prescriptions", nil)
			if a.Status() != tt.status || !strings.HasPrefix(a.body.String(), tt.says) {
				t.Errorf("answer %d %q, want %d %q", a.Status(), a.body.String(), tt.status, tt.says)
			}
			if got := a.header.Get("Content-Type"); got != "text/plain; charset=utf-8" || a.header.Get("Cache-Control") != "no-store" {
				t.Errorf("header %v", a.header)
			}
		})
	}
}

// TestAnswer: an answer's status is the first one written, 200 when the
// body came first or nothing did.
func TestAnswer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		write func(a *answer)
		want  int
	}{
		{"nothing", func(*answer) {}, 200},
		{"a body", func(a *answer) { a.Write([]byte("{}")); a.WriteHeader(404) }, 200},
		{"twice", func(a *answer) { a.WriteHeader(204); a.WriteHeader(500) }, 204},
	} {
		a := newAnswer()
		tt.write(a)
		if a.Status() != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, a.Status(), tt.want)
		}
	}
}
