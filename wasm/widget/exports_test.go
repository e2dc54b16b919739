package main

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/service"
)

// call calls the export name of svc as JavaScript would, with arg.
func call(svc *service.Service, name string, arg *string) (string, bool) {
	return answer(context.Background(), svc, methods(svc)[name], arg, nil)
}

func text(s string) *string { return &s }

// TestMethods: each export answers the JSON of the service's own answer.
func TestMethods(t *testing.T) {
	t.Parallel()
	svc := newService(t, nil)
	ctx := context.Background()
	search, err := svc.Search(ctx, service.SearchQuery{NHSNumber: "999 257 4356"})
	if err != nil {
		t.Fatal(err)
	}
	retrieve, err := svc.Retrieve(ctx, service.RetrieveQuery{PrescriptionID: "3c970c0v0x2674e1bw", IssueNumber: "1"})
	if err != nil {
		t.Fatal(err)
	}
	patients, err := svc.Patients()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method string
		arg          *string
		want         any
	}{
		{"check an NHS number", "check", text(`"999 257 4356"`), svc.Check("999 257 4356")},
		{"check an id with O for 0", "check", text(`"3C97OC-0V0X26-74E1BW"`), svc.Check("3C97OC-0V0X26-74E1BW")},
		{"search", "search", text(`{"nhsNumber": "999 257 4356"}`), search},
		{"retrieve an issue", "retrieve", text(`{"prescriptionId": "3c970c0v0x2674e1bw", "issueNumber": "1"}`), retrieve},
		{"patients", "patients", nil, patients},
		{"settings", "settings", nil, svc.Settings()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := call(svc, tt.method, tt.arg)
			if !ok {
				t.Fatalf("rejected: %s", got)
			}
			if diff := cmp.Diff(comparable(t, jsonOf(t, tt.want)), comparable(t, got)); diff != "" {
				t.Errorf("%s (-service +export):\n%s", tt.method, diff)
			}
		})
	}
}

// TestConfigure: configure answers the settings in force, and later
// calls ask the tracker it chose.
func TestConfigure(t *testing.T) {
	t.Parallel()
	svc := newService(t, nil) // no transport: a gateway cannot be reached
	got, ok := call(svc, "configure", text(`{"gatewayUrl": ""}`))
	if want := jsonOf(t, svc.Settings()); !ok || got != want {
		t.Errorf("configure the sandbox: %s, %v; want %s", got, ok, want)
	}
	_, err := svc.Configure(service.Settings{GatewayURL: "https://gateway.example"})
	got, ok = call(svc, "configure", text(`{"gatewayUrl": "https://gateway.example"}`))
	if want := jsonOf(t, err); ok || got != want {
		t.Errorf("configure a gateway without a transport: %s, %v; want the rejection %s", got, ok, want)
	}
}

// TestRejections: a failure rejects with the service's error as JSON:
// the service's own, or one that names the argument's field at fault and
// how to give it.
func TestRejections(t *testing.T) {
	t.Parallel()
	svc := newService(t, nil)
	_, invalid := svc.Search(context.Background(), service.SearchQuery{NHSNumber: "999 257 4357"})
	_, gateway := svc.Configure(service.Settings{GatewayURL: "gateway.example"})
	argument := func(field, message string) *service.Error {
		fields := []service.FieldError{}
		if field != "" {
			fields = append(fields, service.FieldError{Field: field, Message: message})
		}
		return &service.Error{Kind: service.KindValidation, Field: field, Fields: fields, Reason: "invalid argument", Message: message}
	}
	const searchFields = "an object with the fields nhsNumber, earliestDate, latestDate, prescriptionStatus, prescriptionVersion, version"
	tests := []struct {
		name, method string
		arg          *string
		want         any
	}{
		{"the service's own", "search", text(`{"nhsNumber": "999 257 4357"}`), invalid},
		{"a bad gateway URL", "configure", text(`{"gatewayUrl": "gateway.example"}`), gateway},
		{"no argument", "search", nil, argument("", "The query is missing: give it as JSON text, "+searchFields+".")},
		{"not JSON", "search", text(`nhsNumber=9992574356`), argument("", "The query is not JSON text (invalid character 'h' in literal null (expecting 'u')): give it as "+searchFields+".")},
		{"a misspelt field", "search", text(`{"nhs_number": "999 257 4356"}`), argument("nhs_number", `The query has no field "nhs_number": `+searchFields+".")},
		{"a field's value of another type", "retrieve", text(`{"prescriptionId": "3C970C-0V0X26-74E1BW", "issueNumber": 2}`),
			argument("issueNumber", "The query's issueNumber must be a string, not a JSON number.")},
		{"of another type", "search", text(`["999 257 4356"]`), argument("", "The query must be "+searchFields+", not a JSON array.")},
		{"more after it", "search", text(`{"nhsNumber": "999 257 4356"} {}`), argument("", "The query is not JSON text (more after it): give it as "+searchFields+".")},
		{"check, not a string", "check", text(`9992574356`), argument("", "The input must be a string, not a JSON number.")},
		{"a field that names a patient is masked", "search", text(`{"9992574356": "x"}`),
			argument("*** *** 4356", `The query has no field "*** *** 4356": `+searchFields+".")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := call(svc, tt.method, tt.arg)
			if ok {
				t.Fatalf("resolved: %s", got)
			}
			if diff := cmp.Diff(comparable(t, jsonOf(t, tt.want)), comparable(t, got)); diff != "" {
				t.Errorf("rejection (-want +got):\n%s", diff)
			}
		})
	}
}

// TestToken: a token the page gives with a call must be a bearer token,
// which a header can carry; any other is refused, and nothing is sent.
func TestToken(t *testing.T) {
	t.Parallel()
	svc := newService(t, nil)
	search := text(`{"nhsNumber": "999 257 4356"}`)
	for _, token := range []string{"eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2ln-_~+/==", ""} {
		if got, ok := answer(context.Background(), svc, methods(svc)["search"], search, &token); !ok {
			t.Errorf("token %q: rejected: %.200s", token, got)
		}
	}
	want := &service.Error{Kind: service.KindConfig, Field: "token", Fields: []service.FieldError{}, Reason: "invalid token",
		Message: "The sign-in token the portal gave EPS Tracker cannot be sent (a bearer token has only letters, digits and -._~+/, and = at its end): tell the portal's administrators."}
	for _, token := range []string{"a token\r\nX-Evil: 1", "two words", "=start", "ünïcode"} {
		got, ok := answer(context.Background(), svc, methods(svc)["search"], search, &token)
		if ok {
			t.Fatalf("token %q: resolved", token)
		}
		if diff := cmp.Diff(comparable(t, jsonOf(t, want)), comparable(t, got)); diff != "" {
			t.Errorf("token %q (-want +got):\n%s", token, diff)
		}
	}
}
