package main

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/wasm/fetch"
)

func main() {
	svc, err := service.New(service.WithTransport(fetch.New()))
	if err != nil {
		js.Global().Get("console").Call("error", fmt.Sprintf("EPS Tracker: %v", err))
		return // the page sees the core stop before it was ready
	}
	register(js.Global(), svc)
	select {} // the exports answer for as long as the page lives
}

// register sets target.epsTrackerCore to the exports of svc, then calls
// target.epsTrackerCoreReady if it is a function. The exports live as
// long as the program: their js.Funcs are never released.
func register(target js.Value, svc *service.Service) {
	core := js.Global().Get("Object").New()
	for name, m := range methods(svc) {
		core.Set(name, export(svc, m))
	}
	target.Set("epsTrackerCore", core)
	if ready := target.Get("epsTrackerCoreReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
}

// export is m as a JavaScript function returning a Promise: its executor
// starts a goroutine that calls m and settles the promise, and is released
// once the Promise constructor has called it. Its first argument is the
// JSON text of m's argument, its second, if any, the caller's token for
// the gateway.
func export(svc *service.Service, m method) js.Func {
	promise := js.Global().Get("Promise")
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		arg, token := stringArg(args, 0), stringArg(args, 1)
		executor := js.FuncOf(func(_ js.Value, settle []js.Value) any {
			resolve, reject := settle[0], settle[1]
			go func() {
				if text, ok := answer(context.Background(), svc, m, arg, token); ok {
					resolve.Invoke(text)
				} else {
					reject.Invoke(text)
				}
			}()
			return nil
		})
		defer executor.Release()
		return promise.New(executor)
	})
}

// stringArg is the text of args[i], nil when there is none or it is not a
// string.
func stringArg(args []js.Value, i int) *string {
	if len(args) <= i || args[i].Type() != js.TypeString {
		return nil
	}
	text := args[i].String()
	return &text
}
