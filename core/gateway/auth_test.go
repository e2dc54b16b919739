package gateway_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
)

// TestTokens: a token is accepted only when signed with an accepted
// algorithm by a configured key, from the issuer, for the audience, in
// time, naming a 12-digit user and role; every other token is refused
// with a plain reason, and nothing is forwarded.
func TestTokens(t *testing.T) {
	t.Parallel()
	with := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := claims()
		edit(c)
		return c
	}
	rsaKey := signers()[gateway.RS256].(*rsa.PrivateKey)
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signed := func(method jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(method, c)
		if kid != "" {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := sign(t, gateway.RS256, claims())
	parts := strings.Split(good, ".")
	tests := []struct {
		name  string
		token string
		says  string // "" for accepted
		user  string
	}{
		{"RS256", good, "", userID},
		{"ES256", sign(t, gateway.ES256, claims()), "", userID},
		{"EdDSA", sign(t, gateway.EdDSA, claims()), "", userID},
		{"without a key id", signed(jwt.SigningMethodES256, "", signers()[gateway.ES256], claims()), "", userID},
		{"expired within the leeway", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-20 * time.Second).Unix() })), "", userID},
		{"the user from sub", sign(t, gateway.ES256, with(func(c jwt.MapClaims) { delete(c, "nhsid_useruid"); c["sub"] = "555000000001" })), "", "555000000001"},
		{"ids as numbers", sign(t, gateway.ES256, with(func(c jwt.MapClaims) { c["nhsid_useruid"] = 555021935107; c["selected_roleid"] = 555254242106 })), "", userID},
		{"an audience among several", sign(t, gateway.ES256, with(func(c jwt.MapClaims) { c["aud"] = []string{"other", audience} })), "", userID},

		{"alg none", signed(jwt.SigningMethodNone, kids[gateway.RS256], jwt.UnsafeAllowNoneSignatureType, claims()), "algorithm the gateway accepts (none)", ""},
		{"HMAC with the public key as its secret", signed(jwt.SigningMethodHS256, kids[gateway.RS256], pubPEM, claims()), "algorithm the gateway accepts (HS256)", ""},
		{"RS512", signed(jwt.SigningMethodRS512, kids[gateway.RS256], rsaKey, claims()), "algorithm the gateway accepts (RS512)", ""},
		{"PS256", signed(jwt.SigningMethodPS256, kids[gateway.RS256], rsaKey, claims()), "algorithm the gateway accepts (PS256)", ""},
		{"an unknown algorithm", b64json(t, map[string]string{"alg": "XY999", "kid": "rsa-1"}) + "." + parts[1] + "." + parts[2], "algorithm the gateway accepts (XY999)", ""},
		{"another key", signed(jwt.SigningMethodES256, "", otherKey, claims()), "signature does not match", ""},
		{"another key with an unknown id", signed(jwt.SigningMethodES256, "new-key-2", otherKey, claims()), "key new-key-2, which is not among", ""},
		{"a key id of another algorithm", signed(jwt.SigningMethodES256, kids[gateway.RS256], otherKey, claims()), "not among the gateway's keys", ""},
		{"claims changed after signing", parts[0] + "." + b64json(t, with(func(c jwt.MapClaims) { c["selected_roleid"] = "999999999999" })) + "." + parts[2], "signature does not match", ""},
		{"expired", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() })), "expired", ""},
		{"no expiry", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { delete(c, "exp") })), "no expiry", ""},
		{"not yet valid", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })), "not valid yet", ""},
		{"issued in the future", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() })), "not valid yet", ""},
		{"another issuer", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" })), "another identity provider", ""},
		{"no issuer", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { delete(c, "iss") })), "no issuer", ""},
		{"no audience", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { delete(c, "aud") })), "no audience", ""},
		{"another audience", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["aud"] = "other-client" })), "another service", ""},
		{"no subject", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { delete(c, "sub") })), "no subject", ""},
		{"no role", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { delete(c, "selected_roleid") })), "no selected_roleid claim", ""},
		{"a role of 11 digits", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["selected_roleid"] = "55525424210" })), "selected_roleid claim is not a 12-digit role profile id", ""},
		{"a user id of letters", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["nhsid_useruid"] = "abcdefabcdef" })), "nhsid_useruid claim is not a 12-digit user id", ""},
		{"no user id, and sub not one", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { delete(c, "nhsid_useruid") })), "no nhsid_useruid claim", ""},
		{"exp as text", sign(t, gateway.RS256, with(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })), "cannot be read", ""},
		{"not a token", "not-a-token", "not a signed JSON Web Token", ""},
		{"two parts", parts[0] + "." + parts[1], "not a signed JSON Web Token", ""},
		{"far too long", strings.Repeat("a", 17<<10), "longer than 16 KB", ""},
		{"empty", " ", "not a signed JSON Web Token", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + tt.token})
			checkSecure(t, w)
			if tt.says == "" {
				if w.Code != 200 || len(e.up.forwarded()) != 1 || e.up.forwarded()[0].Header.Get("Spine-UserId") != tt.user {
					t.Fatalf("refused: HTTP %d %s", w.Code, w.Body)
				}
				return
			}
			if w.Code != 401 || len(e.up.forwarded()) != 0 {
				t.Fatalf("HTTP %d, forwarded %d: %s", w.Code, len(e.up.forwarded()), w.Body)
			}
			kind, msg := errorOf(t, w)
			challenge := w.Header().Get("WWW-Authenticate")
			if kind != gateway.OutcomeUnauthenticated || !strings.Contains(msg, tt.says) {
				t.Errorf("error %q %q, want it to say %q", kind, msg, tt.says)
			}
			if !strings.HasPrefix(challenge, `Bearer realm="eps-tracker", error="invalid_token", error_description="`) ||
				!strings.Contains(challenge, strings.ReplaceAll(tt.says, `"`, `'`)) || strings.Count(challenge, `"`) != 6 {
				t.Errorf("WWW-Authenticate: %s", challenge)
			}
		})
	}
}

func b64json(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// TestPEMKeys: a gateway given PEM keys (no ids) checks a token against
// each key of its algorithm.
func TestPEMKeys(t *testing.T) {
	t.Parallel()
	var blocks []byte
	for _, alg := range []string{gateway.RS256, gateway.ES256, gateway.EdDSA} {
		der, err := x509.MarshalPKIXPublicKey(signers()[alg].Public())
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})...)
	}
	keys, err := gateway.ParsePEMKeys(blocks)
	if err != nil || keys.Len() != 3 {
		t.Fatalf("ParsePEMKeys: %d keys, %v", keys.Len(), err)
	}
	e := setup(t, func(c *gateway.Config) { c.Auth.Keys = keys })
	for _, alg := range []string{gateway.RS256, gateway.ES256, gateway.EdDSA} {
		if w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + sign(t, alg, claims())}); w.Code != 200 {
			t.Errorf("%s: HTTP %d %s", alg, w.Code, w.Body)
		}
	}
}

// TestOtherClaimNames: the claims the user and role are read from are
// configuration.
func TestOtherClaimNames(t *testing.T) {
	t.Parallel()
	e := setup(t, func(c *gateway.Config) { c.Auth.UserClaim, c.Auth.RoleClaim = "uid", "role" })
	c := claims()
	c["uid"], c["role"] = "111122223333", "444455556666"
	w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, c)})
	up := e.up.forwarded()
	if w.Code != 200 || len(up) != 1 || up[0].Header.Get("Spine-UserId") != "111122223333" || up[0].Header.Get("Spine-RoleProfileId") != "444455556666" {
		t.Errorf("HTTP %d, forwarded %+v", w.Code, up)
	}
	delete(c, "role")
	w = e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, c)})
	if _, msg := errorOf(t, w); w.Code != 401 || !strings.Contains(msg, "no role claim") || strings.Contains(msg, "choose a role") {
		t.Errorf("HTTP %d: %s", w.Code, msg)
	}
}

// TestSetKeys: when the identity provider publishes new keys, the gateway
// given them accepts tokens signed with them, and no longer the old ones.
func TestSetKeys(t *testing.T) {
	t.Parallel()
	e := setup(t)
	newKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims())
	tok.Header["kid"] = "ec-2"
	newToken, err := tok.SignedString(newKey)
	if err != nil {
		t.Fatal(err)
	}
	bearer := map[string]string{"Authorization": "Bearer " + newToken}
	if w := e.do(t, "GET", e.search(), bearer); w.Code != 401 {
		t.Fatalf("a token of a key not yet given: HTTP %d", w.Code)
	}
	if w := e.do(t, "GET", e.search(), nil); w.Code != 200 {
		t.Fatalf("a token of an old key, before the new keys: HTTP %d %s", w.Code, w.Body)
	}
	doc, _ := json.Marshal(map[string]any{"keys": []map[string]string{gatewaytest.JWK(gateway.ES256, "ec-2", &newKey.PublicKey)}})
	keys, err := gateway.ParseJWKS(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.h.SetKeys(keys); err != nil {
		t.Fatal(err)
	}
	if w := e.do(t, "GET", e.search(), bearer); w.Code != 200 {
		t.Errorf("a token of the new key: HTTP %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "GET", e.search(), nil); w.Code != 401 {
		t.Errorf("a token of an old key, accepted before the new keys: HTTP %d", w.Code)
	}
	if err := e.h.SetKeys(gateway.Keys{}); err == nil {
		t.Error("no keys were accepted")
	}
	anonymous := setup(t, func(c *gateway.Config) { c.Auth, c.Transport, c.Upstream, c.ASID = nil, sharedSandbox(), "", "" })
	if err := anonymous.h.SetKeys(keys); err == nil || !strings.Contains(err.Error(), "without authentication") {
		t.Errorf("keys for a gateway without authentication: %v", err)
	}
}

// provider is an identity provider whose published keys a test changes:
// its Refresh counts the fetches and answers with what is published now.
type provider struct {
	mu        sync.Mutex
	published gateway.Keys
	fails     error
	fetches   int
	release   chan struct{} // when set, a fetch waits for it
}

func (p *provider) refresh(ctx context.Context) (gateway.Keys, error) {
	p.mu.Lock()
	p.fetches++
	release := p.release
	p.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
		}
	}
	if err := ctx.Err(); err != nil { // as a fetch over the network would
		return gateway.Keys{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.published, p.fails
}

func (p *provider) fetched() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fetches
}

// rotated is the provider's keys after a rotation: its RSA key, and a new
// EC key (ec-2) in place of ec-1; and a token signed with the new key.
func rotated(t *testing.T) (gateway.Keys, string) {
	t.Helper()
	newKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{"keys": []map[string]string{
		gatewaytest.JWK(gateway.RS256, kids[gateway.RS256], signers()[gateway.RS256].Public()),
		gatewaytest.JWK(gateway.ES256, "ec-2", &newKey.PublicKey),
	}})
	keys, err := gateway.ParseJWKS(doc)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims())
	tok.Header["kid"] = "ec-2"
	signed, err := tok.SignedString(newKey)
	if err != nil {
		t.Fatal(err)
	}
	return keys, signed
}

// TestKeysRefreshed: the identity provider rotates its keys. The first
// token signed with the new one has the gateway fetch the keys again, and
// is accepted; so are the tokens after it, without another fetch. The key
// the provider no longer publishes is no longer accepted.
func TestKeysRefreshed(t *testing.T) {
	t.Parallel()
	idp := &provider{}
	e := setup(t, func(c *gateway.Config) { c.Auth.Refresh = idp.refresh })
	if w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, claims())}); w.Code != 200 {
		t.Fatalf("a token of the provider's first EC key: HTTP %d %s", w.Code, w.Body)
	}
	if idp.fetched() != 0 {
		t.Fatalf("the keys were fetched %d times for a token of a known key", idp.fetched())
	}
	var newToken string
	idp.published, newToken = rotated(t)
	bearer := map[string]string{"Authorization": "Bearer " + newToken}
	for i := range 3 {
		if w := e.do(t, "GET", e.search(), bearer); w.Code != 200 {
			t.Fatalf("request %d with a token of the new key: HTTP %d %s", i+1, w.Code, w.Body)
		}
	}
	if idp.fetched() != 1 {
		t.Errorf("the keys were fetched %d times, want once", idp.fetched())
	}
	if !strings.Contains(e.log.String(), "fetched the identity provider's keys again") {
		t.Errorf("the refresh is not in the log:\n%s", e.log)
	}
	w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, claims())})
	if _, reason := errorOf(t, w); w.Code != 401 || !strings.Contains(reason, "key ec-1, which is not among the identity provider's published keys") {
		t.Errorf("a token of the key no longer published: HTTP %d %q", w.Code, reason)
	}
	if w := e.do(t, "GET", e.search(), nil); w.Code != 200 {
		t.Errorf("a token of the RSA key, still published: HTTP %d %s", w.Code, w.Body)
	}
}

// TestKeysRefreshedAtMostOnceAMinute: tokens naming keys the provider does
// not publish are refused, and have the gateway fetch the keys at most
// once every MinRefreshInterval; a fetch that fails keeps the keys there
// were, and says so in the log.
func TestKeysRefreshedAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	keys, err := gateway.ParseJWKS(jwks(t))
	if err != nil {
		t.Fatal(err)
	}
	idp := &provider{published: keys}
	e := setup(t, func(c *gateway.Config) { c.Auth.Refresh = idp.refresh })
	madeUp := func(i int) map[string]string {
		otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims())
		tok.Header["kid"] = fmt.Sprintf("made-up-%d", i)
		s, err := tok.SignedString(otherKey)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"Authorization": "Bearer " + s}
	}
	for i := range 5 {
		if w := e.do(t, "GET", e.search(), madeUp(i)); w.Code != 401 {
			t.Fatalf("a token of a made-up key: HTTP %d", w.Code)
		}
	}
	if idp.fetched() != 1 {
		t.Errorf("5 tokens of made-up keys within a minute: %d fetches, want 1", idp.fetched())
	}
	e.clock.add(gateway.MinRefreshInterval - time.Second)
	e.do(t, "GET", e.search(), madeUp(5))
	if idp.fetched() != 1 {
		t.Errorf("a second before the minute is up: %d fetches, want 1", idp.fetched())
	}
	e.clock.add(time.Second)
	idp.fails = errors.New("the provider answered HTTP 503")
	if w := e.do(t, "GET", e.search(), madeUp(6)); w.Code != 401 {
		t.Errorf("a token of a made-up key, the fetch failing: HTTP %d", w.Code)
	}
	if idp.fetched() != 2 {
		t.Errorf("once the minute is up: %d fetches, want 2", idp.fetched())
	}
	if !strings.Contains(e.log.String(), "the keys it had are kept") || !strings.Contains(e.log.String(), "HTTP 503") {
		t.Errorf("the failed fetch is not in the log:\n%s", e.log)
	}
	if w := e.do(t, "GET", e.search(), nil); w.Code != 200 {
		t.Errorf("a good token after a failed fetch: HTTP %d %s", w.Code, w.Body)
	}
}

// TestKeysRefreshedHourly: a key the provider withdraws is accepted until
// the gateway's keys are KeysMaxAge old; the next request has them fetched
// again, and the key refused. A fetch that fails keeps the keys.
func TestKeysRefreshedHourly(t *testing.T) {
	t.Parallel()
	keys, err := gateway.ParseJWKS(jwks(t))
	if err != nil {
		t.Fatal(err)
	}
	idp := &provider{published: keys, fails: errors.New("the provider answered HTTP 503")}
	e := setup(t, func(c *gateway.Config) { c.Auth.Refresh = idp.refresh })
	withdrawn := map[string]string{"Authorization": "Bearer " + sign(t, gateway.ES256, claims())}
	e.clock.add(gateway.KeysMaxAge - time.Second)
	if w := e.do(t, "GET", e.search(), withdrawn); w.Code != 200 || idp.fetched() != 0 {
		t.Fatalf("keys a second short of their age: HTTP %d, %d fetches", w.Code, idp.fetched())
	}
	e.clock.add(time.Second)
	if w := e.do(t, "GET", e.search(), withdrawn); w.Code != 200 || idp.fetched() != 1 {
		t.Errorf("keys of age, the fetch failing: HTTP %d, %d fetches; want 200 and 1", w.Code, idp.fetched())
	}
	e.clock.add(gateway.MinRefreshInterval)
	idp.mu.Lock()
	idp.published, _ = rotated(t)
	idp.fails = nil
	idp.mu.Unlock()
	w := e.do(t, "GET", e.search(), withdrawn)
	if _, reason := errorOf(t, w); w.Code != 401 || idp.fetched() != 2 || !strings.Contains(reason, "key ec-1, which is not among the identity provider's published keys") {
		t.Errorf("a key withdrawn, once the keys are fetched again: HTTP %d %q, %d fetches", w.Code, reason, idp.fetched())
	}
	if !strings.Contains(e.log.String(), "its keys were an hour old") {
		t.Errorf("the refresh is not in the log:\n%s", e.log)
	}
}

// TestKeysRefreshedOnceForMany: many requests at once with tokens of a new
// key share one fetch of the keys, and are all accepted.
func TestKeysRefreshedOnceForMany(t *testing.T) {
	t.Parallel()
	idp := &provider{release: make(chan struct{})}
	e := setup(t, func(c *gateway.Config) { c.Auth.Refresh = idp.refresh })
	var newToken string
	idp.published, newToken = rotated(t)
	const requests = 8
	codes := make(chan int, requests)
	for range requests {
		go func() {
			codes <- e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + newToken}).Code
		}()
	}
	close(idp.release)
	for range requests {
		if code := <-codes; code != 200 {
			t.Errorf("a request with a token of the new key: HTTP %d", code)
		}
	}
	if idp.fetched() != 1 {
		t.Errorf("%d requests at once: %d fetches, want 1", requests, idp.fetched())
	}
}

// TestKeysRefreshedForOthers: the caller whose token had the keys fetched
// gives up before the fetch ends; the fetch goes on, and the next token of
// the new key is accepted without another.
func TestKeysRefreshedForOthers(t *testing.T) {
	t.Parallel()
	idp := &provider{}
	e := setup(t, func(c *gateway.Config) { c.Auth.Refresh = idp.refresh })
	var newToken string
	idp.published, newToken = rotated(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, "GET", "https://gateway.example"+e.search(), nil)
	r.Header.Set("Authorization", "Bearer "+newToken)
	e.h.ServeHTTP(httptest.NewRecorder(), r)
	if w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + newToken}); w.Code != 200 {
		t.Errorf("the next token of the new key: HTTP %d %s", w.Code, w.Body)
	}
	if idp.fetched() != 1 {
		t.Errorf("%d fetches, want 1", idp.fetched())
	}
}

// TestTokenSentAgain: a portal sends the same token with every request
// until it expires. Each time it is accepted as it was the first, naming
// the same caller; once it expires it is refused as expired.
func TestTokenSentAgain(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bearer := map[string]string{"Authorization": "Bearer " + sign(t, gateway.EdDSA, claims())}
	for i := range 3 {
		if w := e.do(t, "GET", e.search(), bearer); w.Code != 200 {
			t.Fatalf("request %d: HTTP %d %s", i+1, w.Code, w.Body)
		}
	}
	records := e.audit.all()
	for _, r := range records {
		if r.Subject != "user-subject-1" || r.UserID != userID || r.RoleProfileID != roleID {
			t.Errorf("record of %q: user %q, role %q", r.Subject, r.UserID, r.RoleProfileID)
		}
	}
	e.clock.add(time.Hour + gateway.DefaultLeeway - time.Second)
	if w := e.do(t, "GET", e.search(), bearer); w.Code != 200 {
		t.Errorf("within the leeway after its expiry: HTTP %d %s", w.Code, w.Body)
	}
	e.clock.add(time.Second)
	if w := e.do(t, "GET", e.search(), bearer); w.Code != 401 || !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("past its expiry and the leeway: HTTP %d %s", w.Code, w.Body)
	}
}

// TestTokenForgedFromOneAccepted: once a token is accepted, another with
// the same header and claims is still checked whole: one whose signature
// was changed, or made with another key under the same key id, is
// refused, however often the good one was sent.
func TestTokenForgedFromOneAccepted(t *testing.T) {
	t.Parallel()
	good := sign(t, gateway.ES256, claims())
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims())
	tok.Header["kid"] = kids[gateway.ES256]
	otherSigned, err := tok.SignedString(otherKey)
	if err != nil {
		t.Fatal(err)
	}
	cut := strings.LastIndexByte(good, '.') + 10
	flipped := good[:cut] + map[bool]string{true: "B", false: "A"}[good[cut] == 'A'] + good[cut+1:]
	for name, forged := range map[string]string{
		"the signature changed":         flipped,
		"signed with another key":       otherSigned,
		"the good one's signature, cut": good[:len(good)-4],
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			for range 2 {
				if w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + good}); w.Code != 200 {
					t.Fatalf("the good token: HTTP %d %s", w.Code, w.Body)
				}
			}
			w := e.do(t, "GET", e.search(), map[string]string{"Authorization": "Bearer " + forged})
			if _, msg := errorOf(t, w); w.Code != 401 || !strings.Contains(msg, "signature") {
				t.Errorf("HTTP %d: %s", w.Code, msg)
			}
			if n := len(e.up.forwarded()); n != 2 {
				t.Errorf("forwarded %d requests, want the good token's 2", n)
			}
		})
	}
}

// BenchmarkSearch is one authenticated search through the gateway to the
// sandbox, recorded: with a token seen for the first time, whose signature
// is checked (first), and with a token sent again, as a portal sends the
// same one with every request (again).
func BenchmarkSearch(b *testing.B) {
	e := setup(b, func(c *gateway.Config) { c.Rate, c.Logger = math.Inf(1), nil })
	keys, err := gateway.ParseJWKS(jwks(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, alg := range []string{gateway.RS256, gateway.ES256, gateway.EdDSA} {
		token := map[string]string{"Authorization": "Bearer " + sign(b, alg, claims())}
		for _, first := range []bool{true, false} {
			name := alg + "/again"
			if first {
				name = alg + "/first"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if first {
						if err := e.h.SetKeys(keys); err != nil { // the tokens accepted are forgotten
							b.Fatal(err)
						}
					}
					if w := e.do(b, "GET", e.search(), token); w.Code != 200 {
						b.Fatal(w.Code)
					}
				}
			})
		}
	}
}
