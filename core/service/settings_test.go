package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/transport"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	s := setup(t)
	want := SettingsView{Source: Source{Backend: BackendSandbox, Name: "the sandbox", Label: "built-in sandbox", Training: true,
		Notice: "Synthetic patients — not real data"}}
	if diff := cmp.Diff(want, s.Settings()); diff != "" {
		t.Errorf("default settings (-want +got):\n%s", diff)
	}
}

// TestConfigure: a gateway by its base URL, with /mm/prescriptions added
// when left out; and back to the sandbox.
func TestConfigure(t *testing.T) {
	t.Parallel()
	tests := []struct{ given, want string }{
		{"https://gateway.example", "https://gateway.example/mm/prescriptions"},
		{" https://gateway.example/ ", "https://gateway.example/mm/prescriptions"},
		{"https://gateway.example/eps/mm/prescriptions/", "https://gateway.example/eps/mm/prescriptions"},
		{"http://127.0.0.1:8080/spine", "http://127.0.0.1:8080/spine/mm/prescriptions"},
	}
	for _, tt := range tests {
		t.Run(tt.given, func(t *testing.T) {
			t.Parallel()
			s := setup(t, WithTransport(sandbox.New(sandbox.Config{Now: clock})))
			got, err := s.Configure(Settings{GatewayURL: tt.given})
			if err != nil {
				t.Fatal(err)
			}
			want := SettingsView{GatewayURL: tt.want, Source: Source{Backend: BackendGateway, Name: "Spine", Label: tt.want}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, s.Settings()); diff != "" {
				t.Errorf("Settings after (-want +got):\n%s", diff)
			}
			back, err := s.Configure(Settings{})
			if err != nil || !back.Source.Training {
				t.Errorf("back to the sandbox: %+v, %v", back, err)
			}
			if _, err := s.Patients(); err != nil {
				t.Errorf("Patients of the sandbox again: %v", err)
			}
		})
	}
}

// TestConfigureRefused: a URL that cannot be a gateway's is refused on its
// field, and the settings stay as they were.
func TestConfigureRefused(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"gateway.example", "ftp://gateway.example", "https://", "https://nurse:secret@gateway.example",
		"https://gateway.example/mm/prescriptions?nhsNumber=9992574356", "https://gateway.example/#x", "https://gateway.example/%zz"} {
		t.Run(url, func(t *testing.T) {
			t.Parallel()
			s := setup(t)
			_, err := s.Configure(Settings{GatewayURL: url})
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindConfig || e.Field != "gatewayUrl" || e.Message == "" {
				t.Fatalf("err = %#v", err)
			}
			wantMasked(t, e.Message, "secret", "9992574356")
			if got := s.Settings(); got.Source.Backend != BackendSandbox {
				t.Errorf("settings changed to %+v", got)
			}
		})
	}
	if _, err := New(WithSettings(Settings{GatewayURL: "gateway.example"})); err == nil {
		t.Error("WithSettings took a URL that is not one")
	}
}

// TestGateway: a gateway answers through the host's transport; its answers
// are training only when they say the sandbox gave them, and a search that
// found nothing says so too.
func TestGateway(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.Config{Now: clock, Prefix: "/eps"})
	tests := []struct {
		name   string
		strip  bool // the relay drops the sandbox's TrainingHeader, as Spine never sends it
		source Source
	}{
		{"in front of Spine", true, Source{Backend: BackendGateway, Name: "Spine", Label: "https://gateway.example/eps/mm/prescriptions"}},
		{"in front of the sandbox", false, Source{Backend: BackendGateway, Name: "the sandbox", Label: "https://gateway.example/eps/mm/prescriptions",
			Training: true, Notice: TrainingNotice}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var asked []string
			relay := transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
				asked = append(asked, req.URL.Host+req.URL.EscapedPath())
				resp, err := sb.Get(ctx, req)
				if err == nil && tt.strip {
					delete(resp.Header, sandbox.TrainingHeader)
				}
				return resp, err
			})
			s := setup(t, WithTransport(relay), WithSettings(Settings{GatewayURL: "https://gateway.example/eps"}))
			v := search(t, s, SearchQuery{NHSNumber: examplePatient})
			if diff := cmp.Diff(tt.source, v.Source); diff != "" || v.Rows == 0 {
				t.Errorf("source (-want +got):\n%s%d rows", diff, v.Rows)
			}
			if len(asked) != 1 || asked[0] != "gateway.example/eps/mm/prescriptions" {
				t.Errorf("asked %q", asked)
			}
			_, err := s.Retrieve(context.Background(), RetrieveQuery{PrescriptionID: unknownID(t)})
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(e.Message, capital(tt.source.Name)) {
				t.Errorf("not found: %v, want a message from %s", err, tt.source.Name)
			}
		})
	}
}

// TestGatewayWithoutTransport: a host that gave no transport cannot
// configure a gateway, and is told so.
func TestGatewayWithoutTransport(t *testing.T) {
	t.Parallel()
	s := setup(t)
	_, err := s.Configure(Settings{GatewayURL: "https://gateway.example"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindConfig || !strings.Contains(e.Message, "transport") {
		t.Errorf("err = %v", err)
	}
	if s.Settings().Source.Backend != BackendSandbox {
		t.Error("settings changed")
	}
}
