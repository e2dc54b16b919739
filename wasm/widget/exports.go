package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/wasm/fetch"
)

// method is one of the service's methods as JavaScript calls it: given the
// JSON text of its argument (nil when none was given as text), it returns
// its result, or fails with a *service.Error.
type method func(ctx context.Context, arg *string) (any, error)

// methods are the service's methods by their names in the exports.
func methods(svc *service.Service) map[string]method {
	return map[string]method{
		"check": withArg("input", func(_ context.Context, input string) (service.CheckResult, error) {
			return svc.Check(input), nil
		}),
		"search":   withArg("query", svc.Search),
		"retrieve": withArg("query", svc.Retrieve),
		"patients": func(context.Context, *string) (any, error) { return svc.Patients() },
		"settings": func(context.Context, *string) (any, error) { return svc.Settings(), nil },
		"configure": withArg("settings", func(_ context.Context, set service.Settings) (service.SettingsView, error) {
			return svc.Configure(set)
		}),
	}
}

// answer calls m and returns the JSON text to resolve its promise with, or,
// when ok is false, the JSON text of the service's error to reject it with.
// token is the caller's token for the gateway, which the page may give with
// a lookup (nil or "" for none).
func answer(ctx context.Context, svc *service.Service, m method, arg, token *string) (text string, ok bool) {
	var v any
	ctx, err := signedIn(ctx, token)
	if err == nil {
		v, err = m(ctx, arg)
	}
	if err == nil {
		var b []byte
		if b, err = json.Marshal(v); err == nil {
			return string(b), true
		}
	}
	b, _ := json.Marshal(service.ErrorOf(err, svc.Settings().Source)) // an Error always marshals
	return string(b), false
}

// signedIn is ctx carrying the caller's token, which the fetch of each
// request to the gateway sends as "Authorization: Bearer"; a token that no
// header can carry is refused.
func signedIn(ctx context.Context, token *string) (context.Context, error) {
	switch {
	case token == nil || *token == "":
		return ctx, nil
	case !bearerToken(*token):
		return ctx, &service.Error{Kind: service.KindConfig, Field: "token", Fields: []service.FieldError{}, Reason: "invalid token",
			Message: "The sign-in token the portal gave EPS Tracker cannot be sent (a bearer token has only letters, digits and -._~+/, and = at its end): tell the portal's administrators."}
	}
	return fetch.WithToken(ctx, *token), nil
}

// bearerToken reports whether s is a bearer token as RFC 6750 has it:
// letters, digits and -._~+/, then any = for padding.
func bearerToken(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, c := range []byte(body) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}

// withArg is f taking the JSON text of its argument, which it calls what
// in its errors.
func withArg[A, R any](what string, f func(context.Context, A) (R, error)) method {
	return func(ctx context.Context, arg *string) (any, error) {
		a, err := decode[A](what, arg)
		if err != nil {
			return nil, err
		}
		return f(ctx, a)
	}
}

// decode reads arg, the JSON text of what, into an A: JSON with a field an
// A does not have is refused, so that a misspelt field is not quietly
// left out of a search.
func decode[A any](what string, arg *string) (A, error) {
	var a A
	if arg == nil {
		return a, argumentError("", fmt.Sprintf("The %s is missing: give it as JSON text, %s.", what, shape[A]()))
	}
	dec := json.NewDecoder(strings.NewReader(*arg))
	dec.DisallowUnknownFields()
	err := dec.Decode(&a)
	if err == nil && dec.More() {
		err = errors.New("more after it")
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return a, nil
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return a, argumentError(typeErr.Field, fmt.Sprintf("The %s's %s must be %s, not a JSON %s.", what, typeErr.Field, kindOf(typeErr.Type), typeErr.Value))
	case errors.As(err, &typeErr):
		return a, argumentError("", fmt.Sprintf("The %s must be %s, not a JSON %s.", what, shape[A](), typeErr.Value))
	}
	if field, unknown := strings.CutPrefix(err.Error(), "json: unknown field "); unknown {
		field = redact.Argument(strings.Trim(field, `"`))
		return a, argumentError(field, fmt.Sprintf("The %s has no field %q: %s.", what, field, shape[A]()))
	}
	return a, argumentError("", fmt.Sprintf("The %s is not JSON text (%s): give it as %s.", what, strings.TrimPrefix(err.Error(), "json: "), shape[A]()))
}

// argumentError is the validation error of an argument that is not the
// JSON of its type; field is the JSON name of the field at fault, if any.
func argumentError(field, message string) *service.Error {
	fields := []service.FieldError{}
	if field != "" {
		fields = append(fields, service.FieldError{Field: field, Message: message})
	}
	return &service.Error{Kind: service.KindValidation, Field: field, Fields: fields, Reason: "invalid argument", Message: message}
}

// shape says what JSON an A is: "a JSON string", or an object and its
// fields.
func shape[A any]() string {
	t := reflect.TypeFor[A]()
	if t.Kind() != reflect.Struct {
		return kindOf(t)
	}
	var names []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return "an object with the fields " + strings.Join(names, ", ")
}

// kindOf names the JSON kind of t.
func kindOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}
