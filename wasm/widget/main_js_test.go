package main

import (
	"context"
	"strings"
	"syscall/js"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/wasm/fetch"
	"github.com/eps-tracker/eps-tracker/wasm/internal/nodeserver"
	"github.com/eps-tracker/eps-tracker/wasm/internal/promise"
)

// These tests run under Node (the wasm lane): they call the exports as the
// frontend does, through JavaScript, and await their promises.

// exports registers the exports of svc on a new object, as the program
// does on globalThis, and returns them.
func exports(t *testing.T, svc *service.Service) js.Value {
	t.Helper()
	target := js.Global().Get("Object").New()
	register(target, svc)
	return target.Get("epsTrackerCore")
}

// settle calls the export name of core with args, checks that it returns a
// Promise, and awaits it: the JSON text it resolved with, or rejected with
// (ok false).
func settle(t *testing.T, core js.Value, name string, args ...any) (text string, ok bool) {
	t.Helper()
	p := core.Call(name, args...)
	if !p.InstanceOf(js.Global().Get("Promise")) {
		t.Fatalf("%s returned %s, not a Promise", name, p.Type())
	}
	v, ok := promise.Await(p)
	if v.Type() != js.TypeString {
		t.Fatalf("%s settled with a %s, not JSON text", name, v.Type())
	}
	return v.String(), ok
}

// TestExports: each export resolves with the JSON of the service's own
// answer, or rejects with the JSON of its error.
func TestExports(t *testing.T) {
	svc := newService(t, nil)
	core := exports(t, svc)
	ctx := context.Background()
	search, err := svc.Search(ctx, service.SearchQuery{NHSNumber: "999 257 4356"})
	if err != nil {
		t.Fatal(err)
	}
	retrieve, err := svc.Retrieve(ctx, service.RetrieveQuery{PrescriptionID: repeatID})
	if err != nil {
		t.Fatal(err)
	}
	patients, err := svc.Patients()
	if err != nil {
		t.Fatal(err)
	}
	_, invalid := svc.Search(ctx, service.SearchQuery{NHSNumber: "999 257 4357"})
	_, missing := svc.Retrieve(ctx, service.RetrieveQuery{PrescriptionID: "3C970C-0V0X26-74E1BX"})
	tests := []struct {
		name, method string
		args         []any
		want         any
		ok           bool
	}{
		{"check", "check", []any{`"999 257 4356"`}, svc.Check("999 257 4356"), true},
		{"search", "search", []any{`{"nhsNumber": "999 257 4356"}`}, search, true},
		{"retrieve", "retrieve", []any{`{"prescriptionId": "3C970C-0V0X26-74E1BW"}`}, retrieve, true},
		{"patients", "patients", nil, patients, true},
		{"settings", "settings", nil, svc.Settings(), true},
		{"configure", "configure", []any{`{"gatewayUrl": ""}`}, svc.Settings(), true},
		{"a search refused", "search", []any{`{"nhsNumber": "999 257 4357"}`}, invalid, false},
		{"a prescription not found", "retrieve", []any{`{"prescriptionId": "3C970C-0V0X26-74E1BX"}`}, missing, false},
		{"an object, not JSON text", "search", []any{map[string]any{"nhsNumber": nhsNumber}},
			argumentMissing(t, svc, "search"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := settle(t, core, tt.method, tt.args...)
			if ok != tt.ok {
				t.Fatalf("resolved %v, want %v: %s", ok, tt.ok, got)
			}
			if diff := cmp.Diff(comparable(t, jsonOf(t, tt.want)), comparable(t, got)); diff != "" {
				t.Errorf("%s (-service +export):\n%s", tt.method, diff)
			}
		})
	}
}

// argumentMissing is the rejection of the export name called without
// JSON text.
func argumentMissing(t *testing.T, svc *service.Service, name string) any {
	t.Helper()
	_, err := methods(svc)[name](context.Background(), nil)
	return err
}

// TestExportsConcurrent: calls made together each settle with their own
// answer.
func TestExportsConcurrent(t *testing.T) {
	svc := newService(t, nil)
	core := exports(t, svc)
	inputs := []string{"999 257 4356", "3C970C-0V0X26-74E1BW", "999 257 435", "hello"}
	promises := make([]js.Value, len(inputs))
	for i, in := range inputs {
		promises[i] = core.Call("check", jsonOf(t, in))
	}
	all, ok := promise.Await(js.Global().Get("Promise").Call("all", js.ValueOf(toAny(promises))))
	if !ok {
		t.Fatalf("rejected: %v", all)
	}
	for i, in := range inputs {
		if got, want := all.Index(i).String(), jsonOf(t, svc.Check(in)); got != want {
			t.Errorf("check(%q) = %s, want %s", in, got, want)
		}
	}
}

func toAny(vs []js.Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// TestReady: the page is told once the exports are there.
func TestReady(t *testing.T) {
	target := js.Global().Get("Object").New()
	var calls int
	var registered bool
	ready := js.FuncOf(func(js.Value, []js.Value) any {
		calls++
		registered = target.Get("epsTrackerCore").Type() == js.TypeObject
		return nil
	})
	defer ready.Release()
	target.Set("epsTrackerCoreReady", ready)
	register(target, newService(t, nil))
	if calls != 1 || !registered {
		t.Errorf("epsTrackerCoreReady called %d times, the exports registered first: %v", calls, registered)
	}
	for _, name := range []string{"check", "search", "retrieve", "patients", "settings", "configure"} {
		if target.Get("epsTrackerCore").Get(name).Type() != js.TypeFunction {
			t.Errorf("no export %s", name)
		}
	}
}

// TestGateway: configured with a gateway, the widget asks it with fetch,
// and shows what it answers as the sandbox in-process would, but for who
// answered.
func TestGateway(t *testing.T) {
	gateway := nodeserver.Start(t, sandbox.New(trainingSandbox()))
	svc := newService(t, fetch.New())
	core := exports(t, svc)
	settings, ok := settle(t, core, "configure", jsonOf(t, service.Settings{GatewayURL: gateway.String()}))
	if !ok {
		t.Fatalf("configure rejected: %s", settings)
	}
	if want := gateway.String() + "/mm/prescriptions"; svc.Settings().GatewayURL != want {
		t.Fatalf("settings %s, want the gateway at %s", settings, want)
	}

	inProcess := newService(t, nil)
	for _, tt := range []struct{ method, arg string }{
		{"search", `{"nhsNumber": "999 257 4356"}`},
		{"retrieve", `{"prescriptionId": "3C970C-0V0X26-74E1BW", "issueNumber": "1"}`},
	} {
		got, ok := settle(t, core, tt.method, tt.arg)
		if !ok {
			t.Fatalf("%s rejected: %s", tt.method, got)
		}
		want, _ := answer(context.Background(), inProcess, methods(inProcess)[tt.method], &tt.arg, nil)
		if diff := cmp.Diff(comparable(t, want, "source"), comparable(t, got, "source")); diff != "" {
			t.Errorf("%s through the gateway (-in-process +gateway):\n%s", tt.method, diff)
		}
		if source := comparable(t, got)["source"].(map[string]any); source["backend"] != "gateway" {
			t.Errorf("%s answered by %v", tt.method, source)
		}
	}
}

// TestGatewayToken: the token the page gives with a lookup goes to the
// gateway as "Authorization: Bearer"; a lookup without one sends none.
func TestGatewayToken(t *testing.T) {
	sb := sandbox.New(trainingSandbox())
	sent := make(chan string, 16)
	gateway := nodeserver.Start(t, transport.Func(func(ctx context.Context, req *transport.Request) (*transport.Response, error) {
		sent <- req.Header.Get("Authorization")
		return sb.Get(ctx, req)
	}))
	core := exports(t, newService(t, fetch.New()))
	if settings, ok := settle(t, core, "configure", jsonOf(t, service.Settings{GatewayURL: gateway.String()})); !ok {
		t.Fatalf("configure rejected: %s", settings)
	}
	for _, tt := range []struct {
		args []any
		want string
	}{
		{[]any{`{"nhsNumber": "999 257 4356"}`, "header.claims.signature"}, "Bearer header.claims.signature"},
		{[]any{`{"nhsNumber": "999 257 4356"}`}, ""},
		{[]any{`{"prescriptionId": "3C970C-0V0X26-74E1BW"}`, "another.token.signature"}, "Bearer another.token.signature"},
	} {
		method := "search"
		if strings.Contains(tt.args[0].(string), "prescriptionId") {
			method = "retrieve"
		}
		if got, ok := settle(t, core, method, tt.args...); !ok {
			t.Fatalf("%s rejected: %s", method, got)
		}
		if len(sent) == 0 {
			t.Errorf("%s: nothing reached the gateway", method)
		}
		for len(sent) > 0 {
			if got := <-sent; got != tt.want {
				t.Errorf("%s %v: Authorization %q, want %q", method, tt.args[1:], got, tt.want)
			}
		}
	}
}
