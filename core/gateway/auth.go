package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/eps-tracker/eps-tracker/core/redact"
)

// Auth is how the gateway authenticates its callers: each request carries
// "Authorization: Bearer <token>", a JSON Web Token signed by the portal's
// identity provider (such as an NHS CIS2 ID token), which the gateway
// checks against the provider's Keys: signed with RS256, ES256 or EdDSA
// (never "none" or an HMAC), from Issuer, for Audience, and not expired.
// Its claims name the user and the role they act in, which the gateway
// sends to Spine as Spine-UserId and Spine-RoleProfileId.
type Auth struct {
	// Keys are the identity provider's public keys (ParseJWKS,
	// ParsePEMKeys).
	Keys Keys
	// Issuer is the provider's issuer identifier, exactly as its tokens'
	// "iss" claim gives it.
	Issuer string
	// Audience is what the tokens' "aud" claim must hold: for an ID token,
	// the portal's client id.
	Audience string
	// UserClaim names the claim that holds the user's 12-digit id
	// (DefaultUserClaim); a token without it is read for "sub" instead.
	UserClaim string
	// RoleClaim names the claim that holds the 12-digit role profile id of
	// the role the user chose (DefaultRoleClaim).
	RoleClaim string
	// Leeway is how far the provider's clock and the gateway's may differ
	// (DefaultLeeway; at most MaxLeeway).
	Leeway time.Duration
	// Refresh, when set, fetches the provider's keys again (its JWKS
	// document, from where Keys came), and the gateway takes the keys it
	// returns in place of its own:
	//   - when a token names a key the gateway does not have (a provider
	//     publishes a new key before it signs with it), and then checks
	//     the token again; requests waiting for that refresh share it;
	//   - on the first request once its keys are KeysMaxAge old, so that
	//     a key the provider withdraws is refused within that time.
	// It refreshes at most once every MinRefreshInterval, so that tokens
	// naming made-up keys cannot have the gateway hammer the provider. A
	// refresh that fails keeps the keys there were, and is logged.
	Refresh func(context.Context) (Keys, error)
}

// The defaults of Auth, which fit NHS CIS2 ID tokens.
const (
	DefaultUserClaim = "nhsid_useruid"   // the user's NHS user id (UUID)
	DefaultRoleClaim = "selected_roleid" // the role profile id of the role chosen at sign-in
	DefaultLeeway    = 30 * time.Second
	MaxLeeway        = 5 * time.Minute
	// MinRefreshInterval is the least time between two refreshes of the
	// keys (Auth.Refresh); KeysMaxAge is how long keys are used before
	// they are fetched again.
	MinRefreshInterval = time.Minute
	KeysMaxAge         = time.Hour
)

// maxToken is the longest token read: far above any ID token, small
// enough that no header wastes the gateway's time.
const maxToken = 16 << 10

// authenticator checks tokens for one Auth.
type authenticator struct {
	ring      atomic.Pointer[keyring] // replaced whole by SetKeys
	userClaim string
	roleClaim string
	leeway    time.Duration
	now       func() time.Time
	parser    *jwt.Parser

	refresh   func(context.Context) (Keys, error) // nil: the keys are fixed
	refreshMu sync.Mutex                          // held while one refresh runs
	refreshed time.Time                           // when the last one started
	log       *slog.Logger                        // nil: no log
}

// keyring is the identity provider's keys and the tokens accepted under
// them.
type keyring struct {
	keys   Keys
	since  time.Time // when the keys were given or fetched
	tokens tokenCache
}

// caller is who a request came from, as its token says.
type caller struct {
	issuer, subject       string
	userID, roleProfileID string
}

func newAuthenticator(a Auth, now func() time.Time, log *slog.Logger) (*authenticator, error) {
	if a.UserClaim == "" {
		a.UserClaim = DefaultUserClaim
	}
	if a.RoleClaim == "" {
		a.RoleClaim = DefaultRoleClaim
	}
	if a.Leeway == 0 {
		a.Leeway = DefaultLeeway
	}
	switch {
	case a.Keys.Len() == 0:
		return nil, &ConfigError{"Auth.Keys", "give the identity provider's public keys: its JWKS document (ParseJWKS) or PEM keys (ParsePEMKeys)"}
	case strings.TrimSpace(a.Issuer) == "":
		return nil, &ConfigError{"Auth.Issuer", "give the identity provider's issuer, exactly as its tokens' iss claim has it"}
	case strings.TrimSpace(a.Audience) == "":
		return nil, &ConfigError{"Auth.Audience", "give the audience the tokens are issued for (for an ID token, the portal's client id)"}
	case a.Leeway < 0 || a.Leeway > MaxLeeway:
		return nil, &ConfigError{"Auth.Leeway", fmt.Sprintf("%v is not from 0 to %v: give how far the clocks may differ, such as 30s", a.Leeway, MaxLeeway)}
	}
	auth := &authenticator{userClaim: a.UserClaim, roleClaim: a.RoleClaim, leeway: a.Leeway, now: now,
		refresh: a.Refresh, log: log,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{RS256, ES256, EdDSA}),
			jwt.WithIssuer(a.Issuer),
			jwt.WithAudience(a.Audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(a.Leeway),
			jwt.WithTimeFunc(now),
			jwt.WithJSONNumber(),
		)}
	auth.ring.Store(&keyring{keys: a.Keys, since: now()})
	return auth, nil
}

// SetKeys replaces the identity provider's keys, as when it publishes new
// ones (for a host that is told of them; Auth.Refresh has the gateway
// fetch them itself); requests being checked finish with the keys they
// started with. A token accepted before is checked again under the new
// keys. It is an error for a gateway that runs without authentication, or
// for no keys.
func (h *Handler) SetKeys(k Keys) error {
	switch {
	case h.auth == nil:
		return &ConfigError{"Auth.Keys", "the gateway runs without authentication: give Auth when making it"}
	case k.Len() == 0:
		return &ConfigError{"Auth.Keys", "give the identity provider's public keys: its JWKS document (ParseJWKS) or PEM keys (ParsePEMKeys)"}
	}
	h.auth.ring.Store(&keyring{keys: k, since: h.auth.now()})
	return nil
}

// authError is a request the gateway does not accept the credentials of.
// missing is a request with none at all, to which RFC 6750 gives no error
// code.
type authError struct {
	reason  string // plain English, ASCII, without quotes
	missing bool
}

// authenticate checks the request's token and returns its caller.
func (a *authenticator) authenticate(r *http.Request) (caller, *authError) {
	header := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	switch {
	case header == "":
		return caller{}, &authError{reason: "No token was sent: sign in to the portal, which sends an Authorization: Bearer token with each request.", missing: true}
	case !strings.EqualFold(scheme, "Bearer"):
		return caller{}, &authError{reason: "The Authorization header is not a Bearer token: send Authorization: Bearer and the token from the portal's sign-in."}
	case len(token) > maxToken:
		return caller{}, &authError{reason: fmt.Sprintf("The token is longer than %d KB, far longer than any sign-in token.", maxToken>>10)}
	}
	ring, now := a.ring.Load(), a.now()
	if a.refresh != nil && now.Sub(ring.since) >= KeysMaxAge {
		if fresh := a.refreshKeys(r.Context(), ring, false); fresh != nil {
			ring = fresh
		}
	}
	if c, ok := ring.tokens.get(token, now); ok {
		return c, nil
	}
	claims := jwt.MapClaims{}
	t, err := a.parser.ParseWithClaims(token, claims, ring.key)
	if errors.Is(err, errUnknownKey) {
		if fresh := a.refreshKeys(r.Context(), ring, true); fresh != nil {
			ring, claims = fresh, jwt.MapClaims{}
			t, err = a.parser.ParseWithClaims(token, claims, ring.key)
		}
	}
	if err != nil {
		return caller{}, &authError{reason: tokenReason(t, err, a.refresh != nil)}
	}
	c := caller{}
	c.issuer, _ = claims.GetIssuer()
	c.subject, _ = claims.GetSubject()
	if c.subject == "" {
		return caller{}, &authError{reason: "The token names no subject (sub): the identity provider must say who the user is."}
	}
	var problem string
	if c.userID, problem = a.userID(claims); problem != "" {
		return caller{}, &authError{reason: problem}
	}
	if c.roleProfileID, problem = idClaim(claims, a.roleClaim, "role profile id"); problem != "" {
		if _, present := claims[a.roleClaim]; !present && a.roleClaim == DefaultRoleClaim {
			problem += " The user must choose a role when signing in."
		}
		return caller{}, &authError{reason: problem}
	}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil { // the parser requires it
		ring.tokens.put(token, c, exp.Add(a.leeway), now)
	}
	return c, nil
}

// refreshKeys fetches the provider's keys again, in place of seen, the
// keyring a request was about to use, and returns the keyring it should
// use instead; or nil, when there is none other than seen: no Refresh,
// one too recently, or one that failed. A request that needs the new keys
// (unknown) waits for a refresh under way; one that does not goes on with
// seen.
func (a *authenticator) refreshKeys(ctx context.Context, seen *keyring, unknown bool) *keyring {
	if a.refresh == nil {
		return nil
	}
	if unknown {
		a.refreshMu.Lock()
	} else if !a.refreshMu.TryLock() {
		return nil
	}
	defer a.refreshMu.Unlock()
	if current := a.ring.Load(); current != seen {
		return current // refreshed (or set) while this request waited
	}
	now := a.now()
	if !a.refreshed.IsZero() && now.Sub(a.refreshed) < MinRefreshInterval {
		return nil
	}
	a.refreshed = now
	// The fetch is for every request waiting, not only this one: it goes
	// on if this one's caller gives up, for at most refreshTimeout.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
	defer cancel()
	keys, err := a.refresh(ctx)
	if err == nil && keys.Len() == 0 {
		err = errors.New("the provider published no key the gateway can use")
	}
	if err != nil {
		if a.log != nil {
			a.log.Warn("gateway: fetching the identity provider's keys again failed: the keys it had are kept", "error", redact.Text(err.Error()))
		}
		return nil
	}
	fresh := &keyring{keys: keys, since: now}
	a.ring.Store(fresh)
	if a.log != nil {
		why := "its keys were an hour old"
		if unknown {
			why = "a token names a key it did not have"
		}
		a.log.Info("gateway: fetched the identity provider's keys again: "+why, "keys", keys.Len())
	}
	return fresh
}

// key gives the parser the keys that may have signed t.
func (k *keyring) key(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	keys := k.keys.forToken(t.Method.Alg(), kid)
	if len(keys) == 0 {
		return nil, errUnknownKey
	}
	return jwt.VerificationKeySet{Keys: keys}, nil
}

var errUnknownKey = errors.New("no configured key matches the token")

// refreshTimeout bounds a fetch of the provider's keys (Auth.Refresh).
const refreshTimeout = 10 * time.Second

// userID reads the user's id: the user claim, or else "sub".
func (a *authenticator) userID(claims jwt.MapClaims) (string, string) {
	if _, ok := claims[a.userClaim]; ok {
		return idClaim(claims, a.userClaim, "user id")
	}
	id, problem := idClaim(claims, "sub", "user id")
	if problem != "" {
		return "", fmt.Sprintf("The token has no %s claim, and its sub is not a 12-digit user id either.", a.userClaim)
	}
	return id, ""
}

// idClaim reads a claim that must hold a 12-digit id, as a string or a
// number; problem says what is wrong with it.
func idClaim(claims jwt.MapClaims, name, what string) (id, problem string) {
	switch v := claims[name].(type) {
	case nil:
		return "", fmt.Sprintf("The token has no %s claim, which holds the %s sent to Spine.", name, what)
	case string:
		id = v
	case json.Number:
		id = v.String()
	}
	if !twelveDigits(id) {
		return "", fmt.Sprintf("The token's %s claim is not a 12-digit %s, as Spine needs.", name, what)
	}
	return id, ""
}

// tokenReason says in plain words why a token was refused; refreshes says
// whether the gateway fetches the provider's keys again for an unknown one.
func tokenReason(t *jwt.Token, err error, refreshes bool) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "The token is not a signed JSON Web Token."
	case errors.Is(err, errUnknownKey):
		kid, _ := t.Header["kid"].(string)
		named := "a key that"
		if kid != "" && len(kid) <= 64 && printable(kid) && !strings.ContainsAny(kid, `"\`) {
			named = "key " + kid + ", which"
		}
		if refreshes {
			return fmt.Sprintf("The token was signed with %s is not among the identity provider's published keys.", named)
		}
		return fmt.Sprintf("The token was signed with %s is not among the gateway's keys: the identity provider may have new keys, which the gateway must be given.", named)
	case errors.Is(err, jwt.ErrTokenUnverifiable) || errors.Is(err, jwt.ErrTokenSignatureInvalid) && !allowedAlg(t):
		return "The token is not signed with an algorithm the gateway accepts (" + algName(t) + "): it accepts " + RS256 + ", " + ES256 + " and " + EdDSA + "."
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "The token's signature does not match the identity provider's keys."
	case errors.Is(err, jwt.ErrTokenExpired):
		return "The token has expired: sign in again."
	case errors.Is(err, jwt.ErrTokenNotValidYet) || errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "The token is not valid yet: the clocks of the identity provider and of the gateway differ."
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "The token was issued by another identity provider than the one the gateway trusts."
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "The token was issued for another service than this gateway."
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return missingClaim(t)
	}
	return "The token's claims cannot be read."
}

// missingClaim says which claim the gateway requires a token lacks.
func missingClaim(t *jwt.Token) string {
	c, _ := t.Claims.(jwt.MapClaims)
	switch {
	case c["iss"] == nil:
		return "The token names no issuer (iss)."
	case c["aud"] == nil:
		return "The token names no audience (aud)."
	}
	return "The token has no expiry time (exp)."
}

// allowedAlg reports whether t is signed with an algorithm the gateway
// accepts.
func allowedAlg(t *jwt.Token) bool {
	switch algName(t) {
	case RS256, ES256, EdDSA:
		return true
	}
	return false
}

// algName is the algorithm a token names, when it is a short printable
// name; "" otherwise.
func algName(t *jwt.Token) string {
	if t == nil {
		return ""
	}
	alg, _ := t.Header["alg"].(string)
	if len(alg) > 16 || !printable(alg) || strings.ContainsAny(alg, `"\`) {
		return "an unknown algorithm"
	}
	return alg
}
