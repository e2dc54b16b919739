package demoidp

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/eps-tracker/eps-tracker/core/gateway"
)

// What the demo's tokens say: who signs them, for whom, the synthetic
// user they name and how long each is good for.
const (
	Issuer        = "urn:eps-tracker:demo-sign-in"
	Audience      = "eps-tracker-demo-portal"
	UserID        = "900000000001" // a made-up 12-digit user id
	RoleProfileID = "900000000002" // a made-up 12-digit role profile id
	Lifetime      = 5 * time.Minute
)

// Provider signs the demo portal's tokens. It is safe for concurrent use.
type Provider struct {
	key ed25519.PrivateKey
	kid string
	now func() time.Time
}

// New makes a provider with a signing key of its own; now is its clock
// (time.Now when nil).
func New(now func() time.Time) (*Provider, error) {
	if now == nil {
		now = time.Now
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("demoidp: making the signing key: %w", err)
	}
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("demoidp: making the key's id: %w", err)
	}
	return &Provider{key: key, kid: "demo-" + hex.EncodeToString(id), now: now}, nil
}

// JWKS is the provider's public key as a JWKS document.
func (p *Provider) JWKS() []byte {
	b, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": gateway.EdDSA, "kid": p.kid,
		"x": base64.RawURLEncoding.EncodeToString(p.key.Public().(ed25519.PublicKey)),
	}}})
	return b
}

// Auth is how a gateway checks the provider's tokens.
func (p *Provider) Auth() (*gateway.Auth, error) {
	keys, err := gateway.ParseJWKS(p.JWKS())
	if err != nil {
		return nil, fmt.Errorf("demoidp: %w", err)
	}
	return &gateway.Auth{Keys: keys, Issuer: Issuer, Audience: Audience}, nil
}

// Token is a signed token and when it expires, as the demo portal's page
// is given it.
type Token struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Token signs a new token for the synthetic user, good for [Lifetime].
func (p *Provider) Token() (Token, error) {
	now := p.now()
	expires := now.Add(Lifetime).Truncate(time.Second)
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{
		"iss":                    Issuer,
		"aud":                    Audience,
		"sub":                    UserID,
		"iat":                    now.Unix(),
		"exp":                    expires.Unix(),
		gateway.DefaultUserClaim: UserID,
		gateway.DefaultRoleClaim: RoleProfileID,
	})
	t.Header["kid"] = p.kid
	s, err := t.SignedString(p.key)
	if err != nil {
		return Token{}, fmt.Errorf("demoidp: signing a token: %w", err)
	}
	return Token{Token: s, ExpiresAt: expires.UTC()}, nil
}

// ServeHTTP answers a page of the server's own with a new token, as JSON
// ([Token]), never stored by any cache. A request a browser says came from
// a page of another site, or another origin, is refused (403): the token
// is the demo portal's only.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !sameOrigin(r) {
		http.Error(w, "403 the demo sign-in gives tokens to the demo portal's own pages only", http.StatusForbidden)
		return
	}
	t, err := p.Token()
	if err != nil {
		http.Error(w, "500 the demo sign-in could not sign a token: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(t)
}

// sameOrigin reports whether r came from a page of the server's own
// origin, as far as its browser says. A request without a browser's
// headers (a command line) is let through: the token is no secret from
// whoever can reach the server, only from the pages of other sites.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	origin := r.Header.Get("Origin")
	return origin == "" || origin == "http://"+r.Host || origin == "https://"+r.Host
}
