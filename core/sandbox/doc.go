// Package sandbox is a faithful simulator of the Spine EPS Prescription
// Tracker REST API, over synthetic patients. It is EPS Tracker's embedded
// default: with no Spine configured, every host runs against it, so the
// product is fully usable for demos, training and tests on any machine.
//
// # Serving
//
// [New] makes a [Sandbox], a transport.Transport that answers
// GET {prefix}/mm/prescriptions (search) and GET {prefix}/mm/prescriptions/{id}
// (retrieve) as Spine does: every refusal with its statusCode (50–61), an
// unknown id with 1, an issue that does not exist with 3, Spine's date
// defaults and filters for searches. It refuses exactly what core/validate
// refuses, and also what only normalising would have mended, as Spine never
// normalises. It answers in-process, with no network at all and without
// net/http, so a browser build links none; the package sandboxhttp serves
// it over HTTP for native hosts. [Refused] and [Refusal] are its check of a
// request and its answer to one it refuses, by themselves: a gateway asks
// them before it sends anything to Spine.
//
// # Synthetic patients
//
// The population is deterministic from [Config.Seed] and [Config.Today]:
// patients with NHS numbers from the 999 test range and prescriptions in
// every status and treatment type, spread over the last two years, the last
// 28 days and the future, with repeat dispensing courses, pending
// cancellations, short (R2) and long (R1) ids with correct check characters,
// and line item states always valid for their prescription's state.
// [Sandbox.Patients] lists them. It is made on first use, not by New, so
// that a host starting with the sandbox does not wait for it.
//
// # Faults
//
// For testing clients, [Config.Faults] injects failures (latency, slow
// bodies, HTTP errors, Retry-After, resets, truncated and oversized bodies,
// HTML pages, wrong content types), chosen per request with the
// [FaultHeader] header or at random. Nothing is injected unless configured.
// [WithFaults] puts them in front of any transport.
package sandbox
