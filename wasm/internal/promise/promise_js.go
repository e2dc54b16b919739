// Package promise waits for JavaScript promises from Go, in the wasm
// hosts.
package promise

import "syscall/js"

// Await waits for p to settle, and returns its value and true, or the
// reason it was rejected and false. It blocks only its goroutine: the
// page's event loop runs on meanwhile.
func Await(p js.Value) (js.Value, bool) {
	type settled struct {
		value js.Value
		ok    bool
	}
	done := make(chan settled, 1)
	fulfilled := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- settled{first(args), true}
		return nil
	})
	rejected := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- settled{first(args), false}
		return nil
	})
	defer fulfilled.Release()
	defer rejected.Release()
	p.Call("then", fulfilled, rejected)
	s := <-done
	return s.value, s.ok
}

// first is the first of a callback's arguments, or undefined.
func first(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
