// Package service is EPS Tracker's one contract: what every host (the
// browser widget, the desktop app, the command line) offers a person, with
// the same method names, arguments and JSON everywhere.
//
// # Methods
//
// A [Service] is made by a host with [New] and its options, among them
// how requests travel ([WithTransport], or a whole client, [WithClient]) and the clock
// ([WithClock]). Its methods:
//
//   - [Service.Check]: what was typed in the search box — an NHS number, a
//     prescription id (short or long form), or neither — normalised, with
//     errors and warnings and "did you mean" suggestions. Offline and fast
//     enough for every keystroke.
//   - [Service.Search]: a patient's prescriptions as a [SearchView], one row
//     per prescription issue, grouped current, future and past, with
//     "why isn't it here?" [Guidance].
//   - [Service.Retrieve]: one prescription as a [PrescriptionView], with
//     the issue picker and, for repeat dispensing, the course.
//   - [Service.Patients]: the training sandbox's synthetic patients.
//   - [Service.Settings] and [Service.Configure]: which tracker answers,
//     the built-in training sandbox or a gateway.
//
// # Views
//
// Views are already shaped for people: the service decides every label,
// group, explanation and order, and hosts only lay them out. Every field
// has a JSON tag; dates are strings ([DateText]: ISO 8601 to sort and export,
// and "10-Jun-2025" to read, in UK time); an absent date or organisation is
// null; lists are never null. No view type embeds another or has its own
// MarshalJSON, so that bindings generators (Wails, the TypeScript types of
// the frontend) see exactly what is sent.
//
// # Errors
//
// Every method fails with an [*Error] only: one shape for every host, with
// the kind of failure, the field, Spine's code, a message for people, the
// trace id and whether retrying may help. [ErrorOf] makes one from any error
// of core/validate, core/client or core/tracker. Messages never hold an NHS
// number or a prescription id in clear.
//
// The TypeScript types of the frontend, frontend/src/backend/types.ts, are
// generated from this package by internal/tsgen:
//
//go:generate go run ../../internal/tsgen
package service
