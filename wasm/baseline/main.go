//go:build js && wasm

package main

import "syscall/js"

func main() {
	promise := js.Global().Get("Promise")
	check := js.FuncOf(func(_ js.Value, args []js.Value) any {
		input := js.Undefined()
		if len(args) > 0 {
			input = args[0]
		}
		executor := js.FuncOf(func(_ js.Value, settle []js.Value) any {
			go settle[0].Invoke(input)
			return nil
		})
		defer executor.Release()
		return promise.New(executor)
	})
	exports := js.Global().Get("Object").New()
	exports.Set("check", check)
	js.Global().Set("epsTrackerBaseline", exports)
	if ready := js.Global().Get("epsTrackerBaselineReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // the export answers for as long as the page lives
}
