//go:build js && wasm

// Command baseline is the floor the widget's start-up is measured against
// (make bench): the smallest Go WebAssembly that answers a check from
// JavaScript, built with the widget's flags and loaded by a page the same
// way the widget loads its core.
//
// It imports syscall/js alone. It registers globalThis.epsTrackerBaseline
// with one function, check, which takes text and returns a Promise that a
// goroutine resolves with the same text, as each of the widget's exports
// does; then it calls globalThis.epsTrackerBaselineReady, if the page set
// one, and keeps running. Whatever the widget takes longer than this to
// answer its first check is the cost of the core itself: its size, its
// set-up, and the service's work.
package main
