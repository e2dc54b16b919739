// Package demoidp is the identity provider of eps-tracker serve's demo
// portal, so that the demo shows the whole flow a clinical portal has:
// portal → widget → gateway → sandbox, every lookup recorded under the
// user who made it.
//
// It signs tokens for one synthetic user, shaped as the NHS CIS2 ID tokens
// the gateway reads by default (the user's id in nhsid_useruid, the role
// profile id in selected_roleid, both 12 digits), each valid for
// [Lifetime], with an Ed25519 key it makes when it is made and never
// stores: a token is good for one run of the server only. The demo
// portal's page asks for one (GET /demo/token, [Provider.ServeHTTP]) and
// hands it to the widget; the gateway checks it against [Provider.Auth].
//
// It is for the built-in sandbox only, whose patients are synthetic:
// anyone who can reach the server can get a token.
package demoidp
