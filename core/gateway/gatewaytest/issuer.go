package gatewaytest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/eps-tracker/eps-tracker/core/gateway"
)

// Issuer is an identity provider for tests: it signs tokens as a portal's
// provider would, and gives its public key as a JWKS document for the
// gateway to trust. A second key of the same kind, under the same key id,
// signs tokens whose signature the gateway must refuse.
type Issuer struct {
	// Name is the provider's issuer identifier (the tokens' "iss"), and
	// Audience what its tokens are issued for ("aud").
	Name, Audience string

	alg      string
	kid      string
	key      crypto.Signer
	stranger crypto.Signer
}

// NewIssuer makes an issuer signing with alg: gateway.RS256 (as NHS CIS2
// does, with a 2048-bit key), gateway.ES256 or gateway.EdDSA.
func NewIssuer(alg string) (*Issuer, error) {
	i := &Issuer{Name: "https://idp.test.invalid/realms/portal", Audience: "eps-tracker-portal", alg: alg, kid: "test-key-1"}
	var err error
	if i.key, err = NewKey(alg); err == nil {
		i.stranger, err = NewKey(alg)
	}
	if err != nil {
		return nil, fmt.Errorf("gatewaytest: making %s keys: %w", alg, err)
	}
	return i, nil
}

// Rotated is the issuer after it rotates its key, as a provider does: the
// same issuer and audience, signing with a new key under the next key id
// (test-key-2 after test-key-1).
func (i *Issuer) Rotated() (*Issuer, error) {
	next, err := NewIssuer(i.alg)
	if err != nil {
		return nil, err
	}
	next.Name, next.Audience = i.Name, i.Audience
	var n int
	if _, err := fmt.Sscanf(i.kid, "test-key-%d", &n); err != nil {
		return nil, fmt.Errorf("gatewaytest: key id %q: %w", i.kid, err)
	}
	next.kid = fmt.Sprintf("test-key-%d", n+1)
	return next, nil
}

// NewKey makes a private key for signing with alg: gateway.RS256 (2048
// bits), gateway.ES256 or gateway.EdDSA.
func NewKey(alg string) (crypto.Signer, error) {
	switch alg {
	case gateway.RS256:
		return rsa.GenerateKey(rand.Reader, 2048)
	case gateway.ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case gateway.EdDSA:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	}
	return nil, fmt.Errorf("%q is not RS256, ES256 or EdDSA", alg)
}

// JWKS is the issuer's public key as a JWKS document, as the provider
// publishes it.
func (i *Issuer) JWKS() []byte {
	b, _ := json.Marshal(map[string]any{"keys": []any{JWK(i.alg, i.kid, i.key.Public())}})
	return b
}

// JWK is pub as a JSON Web Key for signatures with alg, under the key id
// kid: an RSA, P-256 or Ed25519 public key; nil for any other.
func JWK(alg, kid string, pub crypto.PublicKey) map[string]string {
	b64 := base64.RawURLEncoding.EncodeToString
	k := map[string]string{"kid": kid, "alg": alg, "use": "sig"}
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		k["kty"], k["n"], k["e"] = "RSA", b64(pub.N.Bytes()), b64(big.NewInt(int64(pub.E)).Bytes())
	case *ecdsa.PublicKey:
		point, _ := pub.Bytes() // 0x04, then X and Y, of a size each
		n := (len(point) - 1) / 2
		k["kty"], k["crv"], k["x"], k["y"] = "EC", "P-256", b64(point[1:1+n]), b64(point[1+n:])
	case ed25519.PublicKey:
		k["kty"], k["crv"], k["x"] = "OKP", "Ed25519", b64(pub)
	default:
		return nil
	}
	return k
}

// Claims are what a token says. The zero value is a good token: from the
// issuer, for its audience, expiring in an hour, for a user with a user
// id and a role profile id.
type Claims struct {
	// Subject is "sub"; empty means "test-user".
	Subject string
	// UserID and RoleProfileID go in the claims the gateway reads by
	// default (gateway.DefaultUserClaim, gateway.DefaultRoleClaim);
	// empty means 555000000001 and 555000000002.
	UserID, RoleProfileID string
	// Audience, when set, replaces the issuer's.
	Audience string
	// Expires, when set, replaces an hour from now.
	Expires time.Time
	// Stranger signs the token with a key the gateway was not given, under
	// the known key's id: a bad signature.
	Stranger bool
}

// Defaults of Claims.
const (
	DefaultSubject       = "test-user"
	DefaultUserID        = "555000000001"
	DefaultRoleProfileID = "555000000002"
)

// Token is a signed token saying c.
func (i *Issuer) Token(c Claims) string {
	or := func(s, dflt string) string {
		if s == "" {
			return dflt
		}
		return s
	}
	if c.Expires.IsZero() {
		c.Expires = time.Now().Add(time.Hour)
	}
	claims := jwt.MapClaims{
		"iss":                    i.Name,
		"sub":                    or(c.Subject, DefaultSubject),
		"aud":                    or(c.Audience, i.Audience),
		"iat":                    c.Expires.Add(-2 * time.Hour).Unix(),
		"exp":                    c.Expires.Unix(),
		gateway.DefaultUserClaim: or(c.UserID, DefaultUserID),
		gateway.DefaultRoleClaim: or(c.RoleProfileID, DefaultRoleProfileID),
	}
	method := map[string]jwt.SigningMethod{gateway.RS256: jwt.SigningMethodRS256, gateway.ES256: jwt.SigningMethodES256, gateway.EdDSA: jwt.SigningMethodEdDSA}[i.alg]
	t := jwt.NewWithClaims(method, claims)
	t.Header["kid"] = i.kid
	key := i.key
	if c.Stranger {
		key = i.stranger
	}
	s, err := t.SignedString(key)
	if err != nil {
		panic("gatewaytest: signing a token: " + err.Error()) // a key made here always signs
	}
	return s
}
