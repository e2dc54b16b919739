package gateway

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// The signing algorithms the gateway accepts, and nothing else: no "none",
// no HMAC (a shared secret would let the gateway forge its callers' tokens).
const (
	RS256 = "RS256" // RSA PKCS#1 v1.5 with SHA-256, the default of NHS CIS2
	ES256 = "ES256" // ECDSA on P-256 with SHA-256
	EdDSA = "EdDSA" // Ed25519
)

// MinRSABits is the smallest RSA key accepted.
const MinRSABits = 2048

// Keys are the public keys of the identity provider that signs the callers'
// tokens: from its JWKS document ([ParseJWKS]) or from PEM ([ParsePEMKeys]).
// A token is checked against the keys of its algorithm; a token that names
// its key ("kid") only against that key and any key that has no id (a PEM
// key). The zero Keys holds none.
type Keys struct {
	keys []publicKey
}

// publicKey is one key: its id ("" for none), the algorithm it verifies,
// and the key as crypto/… gives it.
type publicKey struct {
	id  string
	alg string
	key crypto.PublicKey
}

// Len returns how many keys k holds.
func (k Keys) Len() int { return len(k.keys) }

// IDs returns the ids of the keys, in order; a key without one is "".
func (k Keys) IDs() []string {
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.id
	}
	return ids
}

// jwk is the members of a JSON Web Key that the gateway reads.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// MaxJWKS bounds a JWKS document read from an identity provider: far above
// any.
const MaxJWKS = 1 << 20

// ReadJWKS reads a JWKS document from r, as a provider's jwks_uri serves
// it, and its keys (ParseJWKS); a document larger than MaxJWKS is refused
// without being read further.
func ReadJWKS(r io.Reader) (Keys, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJWKS+1))
	switch {
	case err != nil:
		return Keys{}, fmt.Errorf("cannot read the keys: %v", err)
	case len(data) > MaxJWKS:
		return Keys{}, fmt.Errorf("the document is larger than %d KB, far larger than any JWKS document", MaxJWKS>>10)
	}
	return ParseJWKS(data)
}

// ParseJWKS reads a JSON Web Key Set, as an identity provider publishes it
// at its jwks_uri: {"keys": [...]}. It keeps the signing keys the gateway
// can use (RSA of at least [MinRSABits] bits for RS256, EC P-256 for ES256,
// OKP Ed25519 for EdDSA) and leaves out the others: encryption keys ("use":
// "enc"), other key types and curves, and keys marked for another
// algorithm. A key it would keep but cannot read is an error that names
// it, as is a document with no key it can use.
func ParseJWKS(data []byte) (Keys, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return Keys{}, errors.New("the JWKS document is not JSON of the form {\"keys\": [...]}: give the document the identity provider publishes at its jwks_uri")
	}
	var ks Keys
	for i, raw := range doc.Keys {
		var j jwk
		if err := json.Unmarshal(raw, &j); err != nil {
			return Keys{}, fmt.Errorf("key %d of the JWKS document is not a JSON Web Key", i+1)
		}
		k, err := j.publicKey()
		if err != nil {
			return Keys{}, fmt.Errorf("key %s of the JWKS document: %w", j.name(i), err)
		}
		if k != nil {
			ks.keys = append(ks.keys, *k)
		}
	}
	if len(ks.keys) == 0 {
		return Keys{}, errors.New("the JWKS document holds no key the gateway can use: it needs an RSA (RS256), EC P-256 (ES256) or Ed25519 (EdDSA) signing key")
	}
	return ks, nil
}

// name names the key for a message: its id, or its place in the document.
func (j *jwk) name(i int) string {
	if j.Kid != "" && len(j.Kid) <= 64 && printable(j.Kid) {
		return fmt.Sprintf("%q", j.Kid)
	}
	return fmt.Sprintf("%d", i+1)
}

// publicKey reads j, or returns nil for a key the gateway does not use.
func (j *jwk) publicKey() (*publicKey, error) {
	if j.Use != "" && j.Use != "sig" {
		return nil, nil
	}
	var alg string
	var key crypto.PublicKey
	var err error
	switch {
	case j.Kty == "RSA":
		alg = RS256
		key, err = j.rsa()
	case j.Kty == "EC" && j.Crv == "P-256":
		alg = ES256
		key, err = j.ec()
	case j.Kty == "OKP" && j.Crv == "Ed25519":
		alg = EdDSA
		key, err = j.ed25519()
	default:
		return nil, nil
	}
	if j.Alg != "" && j.Alg != alg {
		return nil, nil // a key for another algorithm: tokens the gateway would refuse anyway
	}
	if err != nil {
		return nil, err
	}
	return &publicKey{id: j.Kid, alg: alg, key: key}, nil
}

func (j *jwk) rsa() (*rsa.PublicKey, error) {
	n, err := base64URL("n", j.N)
	if err != nil {
		return nil, err
	}
	e, err := base64URL("e", j.E)
	if err != nil {
		return nil, err
	}
	exp := new(big.Int).SetBytes(e)
	if !exp.IsInt64() || exp.Int64() < 3 || exp.Int64() > 1<<31-1 || exp.Bit(0) == 0 {
		return nil, errors.New("its RSA exponent (e) is not an odd number from 3 to 2^31")
	}
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}
	return key, checkRSA(key)
}

func checkRSA(key *rsa.PublicKey) error {
	if bits := key.N.BitLen(); bits < MinRSABits {
		return fmt.Errorf("its RSA key has %d bits, fewer than the %d the gateway accepts", bits, MinRSABits)
	}
	return nil
}

func (j *jwk) ec() (*ecdsa.PublicKey, error) {
	x, err := base64URL("x", j.X)
	if err != nil {
		return nil, err
	}
	y, err := base64URL("y", j.Y)
	if err != nil {
		return nil, err
	}
	if len(x) != 32 || len(y) != 32 {
		return nil, errors.New("its P-256 coordinates (x, y) are not 32 bytes each")
	}
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, errors.New("its P-256 coordinates (x, y) are not a point on the curve")
	}
	return key, nil
}

func (j *jwk) ed25519() (ed25519.PublicKey, error) {
	x, err := base64URL("x", j.X)
	if err != nil {
		return nil, err
	}
	if len(x) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("its Ed25519 key (x) is %d bytes, not %d", len(x), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(x), nil
}

// base64URL decodes a member of a JWK: base64url, without padding as the
// standard asks, or with it as some providers send it.
func base64URL(member, s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("its %q member is missing or not base64url", member)
	}
	return b, nil
}

// ParsePEMKeys reads public keys from PEM: "PUBLIC KEY" blocks (PKIX),
// "RSA PUBLIC KEY" blocks (PKCS #1), or "CERTIFICATE" blocks, whose public
// key is used (the certificate's dates and issuer are not checked: the key
// is trusted because it is configured). RSA keys need at least
// [MinRSABits] bits; EC keys must be on P-256. The keys have no id: a
// token's signature is checked against each key of its algorithm.
func ParsePEMKeys(data []byte) (Keys, error) {
	var ks Keys
	for i := 1; ; i++ {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		key, err := pemKey(block)
		if err != nil {
			return Keys{}, fmt.Errorf("PEM block %d (%s): %w", i, block.Type, err)
		}
		ks.keys = append(ks.keys, key)
	}
	if len(ks.keys) == 0 {
		return Keys{}, errors.New("the PEM holds no public key: give the identity provider's public keys as PUBLIC KEY or CERTIFICATE blocks")
	}
	return ks, nil
}

func pemKey(block *pem.Block) (publicKey, error) {
	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var c *x509.Certificate
		if c, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = c.PublicKey
		}
	default:
		return publicKey{}, errors.New("not a public key: give PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE blocks (never a private key)")
	}
	if err != nil {
		return publicKey{}, errors.New("it cannot be read as a " + strings.ToLower(block.Type))
	}
	switch k := key.(type) {
	case *rsa.PublicKey:
		return publicKey{alg: RS256, key: k}, checkRSA(k)
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return publicKey{}, fmt.Errorf("its EC key is on %s: ES256 needs P-256", k.Curve.Params().Name)
		}
		return publicKey{alg: ES256, key: k}, nil
	case ed25519.PublicKey:
		return publicKey{alg: EdDSA, key: k}, nil
	}
	return publicKey{}, errors.New("its key is not RSA, EC P-256 or Ed25519")
}

// forToken returns the keys that may have signed a token of alg that names
// the key kid ("" for none).
func (k Keys) forToken(alg, kid string) []jwt.VerificationKey {
	var out []jwt.VerificationKey
	for _, key := range k.keys {
		if key.alg == alg && (kid == "" || key.id == "" || key.id == kid) {
			out = append(out, key.key)
		}
	}
	return out
}

// printable reports whether s is printable ASCII, safe to quote in a
// message or a header.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
