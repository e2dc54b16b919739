// Package tracker is EPS Tracker's model of NHS electronic prescriptions as
// the Spine EPS Prescription Tracker REST API reports them: the code tables,
// tolerant parsing of Spine's responses, and the errors they carry.
//
// # Parsing
//
// [ParseSearch] and [ParseRetrieve] read a response body into a
// [SearchResponse] or a [RetrieveResponse]. They absorb the quirks of real
// responses (member names with stray spaces, "True"/"False" strings, "False"
// in any member that has no value, numbers as strings, maps keyed "1", "2",
// "10" where lists are meant, truncated timestamps, unknown members) and fill
// in texts from the code tables where Spine sends none. Timestamps, which Spine writes in UK local time, become
// instants ([Timestamp]) with the UK offset of the moment, worked out without a
// time zone database so that the same code runs in a browser.
//
// A body that is not a tracker response at all (an HTML error page, an XML
// document from another interface, truncated JSON, JSON of another shape, such
// as a member holding a text where the tracker sends an object) is a
// [*ParseError], which names the member but never quotes the body. Values of
// the right type that cannot be read or that break Spine's own rules, such as
// a date that does not exist or a line item state not allowed for its
// prescription's state, are reported as [Inconsistency] values on the
// prescription and never stop parsing.
//
// # Errors
//
// A response whose statusCode is not 0 parses without error; its Err method
// returns a [*StatusError] with Spine's code and reason, which matches the
// sentinels with errors.Is:
//
//	if errors.Is(resp.Err(), tracker.ErrNotFound) { … }
//
// # The current issue
//
// A prescription's issues (one, or one per repeat) each have a status;
// [Summary.CurrentIssue] is the one it is at now and [Summary.Group] tabs the
// prescription as current, future or past by that status. The rules
// themselves, [CurrentIssueIndex] and [CurrentGroup], take any list of issues,
// so that the sandbox and every host tab a prescription alike.
//
// # Code tables
//
// [PrescriptionStatuses], [LineItemStatuses], [TreatmentTypes] and
// [PrescriptionTypes] return Spine's codes, each a copy the caller may change;
// [LookupPrescriptionStatus], [LookupLineItemStatus], [LookupTreatmentType]
// and [LookupPrescriptionType] find one by its code, and [StatusReason] gives
// the reason text of a status code. [ItemStatusAllowed] is Spine's table of
// the line item states allowed for each prescription state.
package tracker
