// Package validate checks what people type, offline and exactly as Spine
// checks it, so that no request Spine would refuse ever leaves the machine.
//
// # Checking an input
//
// [Check] normalises an [Input] (spaces and hyphens out of NHS numbers, the
// full-width digits and letters of East Asian input methods made ASCII, ids
// upper-cased and regrouped, dates as yyyymmdd, a status filter given by
// its code, Spine's text or the tracker's label as its code) and returns a
// [Report]: [FieldError] values for what Spine would refuse, each with the
// statusCode Spine would answer and a message a person can act on; [Warning]
// values for what is probably a mistake but may be sent; and the normalised
// value of every valid field. Messages never repeat an NHS number or a prescription id
// in clear.
//
// The rules are registered once on a single go-playground validator, built on
// first use; its errors never leave this package. [CheckNHSNumber] and
// [CheckPrescriptionID], which a search box calls on every keystroke, apply
// an identifier's own rule without it, and report as Check does.
//
// # Identifiers
//
// [ValidNHSNumber] and [NHSCheckDigit] apply the modulus 11 check of NHS
// numbers; [LooksLikeNHSNumber] spots one typed where a prescription id
// belongs. A number of one digit ten times passes the check but is never
// issued: [Check] warns about it ([WarnUnissued]). [NormalizePrescriptionID], [SpineAcceptsPrescriptionID],
// [CheckCharacter] and [Suggest] deal with prescription ids, whose last
// character is an ISO/IEC 7064 MOD 37-2 check character.
package validate
