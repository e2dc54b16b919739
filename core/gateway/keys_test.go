package gateway_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
)

func TestParseJWKS(t *testing.T) {
	t.Parallel()
	rsaJWK := gatewaytest.JWK(gateway.RS256, "rsa-1", signers()[gateway.RS256].Public())
	ecJWK := gatewaytest.JWK(gateway.ES256, "ec-1", signers()[gateway.ES256].Public())
	edJWK := gatewaytest.JWK(gateway.EdDSA, "ed-1", signers()[gateway.EdDSA].Public())
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edit := func(k map[string]string, kv ...string) map[string]string {
		c := map[string]string{}
		for n, v := range k {
			c[n] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(c, kv[i])
			} else {
				c[kv[i]] = kv[i+1]
			}
		}
		return c
	}
	doc := func(keys ...map[string]string) string {
		b, _ := json.Marshal(map[string]any{"keys": keys})
		return string(b)
	}
	tests := []struct {
		name string
		doc  string
		ids  []string
		says string // of the error; "" for none
	}{
		{"the three kinds", doc(rsaJWK, ecJWK, edJWK), []string{"rsa-1", "ec-1", "ed-1"}, ""},
		{"padded base64", doc(edit(edJWK, "x", edJWK["x"]+"=")), []string{"ed-1"}, ""},
		{"unused keys left out", doc(edit(rsaJWK, "use", "enc"), edit(rsaJWK, "alg", "RS512"), edit(ecJWK, "crv", "P-384"),
			map[string]string{"kty": "oct", "k": "c2VjcmV0"}, edit(edJWK, "crv", "X25519"), edJWK), []string{"ed-1"}, ""},
		{"no key the gateway can use", doc(edit(rsaJWK, "use", "enc")), nil, "holds no key the gateway can use"},
		{"no keys", `{"keys": []}`, nil, "holds no key"},
		{"not JSON", `<html>`, nil, "not JSON"},
		{"keys not a list", `{"keys": {"a": 1}}`, nil, "not JSON"},
		{"a key not an object", `{"keys": [1]}`, nil, "key 1 of the JWKS document is not a JSON Web Key"},
		{"an RSA key too small", doc(gatewaytest.JWK(gateway.RS256, "small", &small.PublicKey)), nil, `key "small" of the JWKS document: its RSA key has 1024 bits`},
		{"an RSA key without n", doc(edit(rsaJWK, "n", "")), nil, `its "n" member is missing`},
		{"an even RSA exponent", doc(edit(rsaJWK, "e", "Ag")), nil, "exponent"},
		{"a P-256 point off the curve", doc(edit(ecJWK, "y", ecJWK["x"])), nil, "not a point on the curve"},
		{"a P-384 key claiming P-256", doc(edit(ecJWK, "x", gatewaytest.JWK("", "", &p384.PublicKey)["x"])), nil, "not 32 bytes"},
		{"an Ed25519 key too short", doc(edit(edJWK, "x", "AAAA")), nil, "is 3 bytes, not 32"},
		{"not base64", doc(edit(edJWK, "x", "!!!")), nil, `its "x" member is missing or not base64url`},
		{"a key id that is not text is not quoted", doc(edit(edJWK, "kid", "a\nb", "x", "!!!")), nil, "key 1 of the JWKS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keys, err := gateway.ParseJWKS([]byte(tt.doc))
			if tt.says != "" {
				if err == nil || !strings.Contains(err.Error(), tt.says) {
					t.Fatalf("error %v, want one saying %q", err, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.ids, keys.IDs()); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePEMKeys(t *testing.T) {
	t.Parallel()
	rsaKey := signers()[gateway.RS256].(*rsa.PrivateKey)
	block := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	pkix := func(pub any) string {
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return block("PUBLIC KEY", der)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkixName("idp"), NotBefore: now, NotAfter: now.Add(time.Hour)}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &rsaKey.PublicKey, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	privDER, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	tests := []struct {
		name string
		pem  string
		n    int
		says string
	}{
		{"PKIX keys of each kind, with text around", "the provider's keys:\n" + pkix(&rsaKey.PublicKey) + pkix(signers()[gateway.ES256].Public()) + pkix(signers()[gateway.EdDSA].Public()), 3, ""},
		{"PKCS #1", block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)), 1, ""},
		{"a certificate", block("CERTIFICATE", certDER), 1, ""},
		{"a private key", block("PRIVATE KEY", privDER), 0, "PEM block 1 (PRIVATE KEY): not a public key"},
		{"a P-384 key", pkix(&p384.PublicKey), 0, "P-384"},
		{"a small RSA key", pkix(&small.PublicKey), 0, "1024 bits"},
		{"a broken block", block("PUBLIC KEY", []byte("nonsense")), 0, "cannot be read as a public key"},
		{"no PEM", "MIIBIjANBg", 0, "holds no public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keys, err := gateway.ParsePEMKeys([]byte(tt.pem))
			if tt.says != "" {
				if err == nil || !strings.Contains(err.Error(), tt.says) {
					t.Fatalf("error %v, want one saying %q", err, tt.says)
				}
				return
			}
			if err != nil || keys.Len() != tt.n {
				t.Fatalf("%d keys, %v; want %d", keys.Len(), err, tt.n)
			}
		})
	}
}

func pkixName(cn string) pkix.Name { return pkix.Name{CommonName: cn} }

// TestReadJWKS: a document as a provider serves it is read for its keys;
// one larger than MaxJWKS is refused, saying so.
func TestReadJWKS(t *testing.T) {
	t.Parallel()
	keys, err := gateway.ReadJWKS(bytes.NewReader(jwks(t)))
	if err != nil || keys.Len() != 3 {
		t.Errorf("ReadJWKS = %d keys, %v; want 3", keys.Len(), err)
	}
	padded := append(jwks(t), bytes.Repeat([]byte(" "), gateway.MaxJWKS)...)
	if _, err := gateway.ReadJWKS(bytes.NewReader(padded)); err == nil || !strings.Contains(err.Error(), "larger than 1024 KB") {
		t.Errorf("a document over the bound: %v", err)
	}
}
