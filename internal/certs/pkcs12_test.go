package certs_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

// TestClientPKCS12: the file opens with its password, and only with it,
// holding the set's client certificate; it is written 0600 and never over
// another file.
func TestClientPKCS12(t *testing.T) {
	t.Parallel()
	set := setup(t)
	path := filepath.Join(t.TempDir(), "client.p12")
	if err := set.WriteClientPKCS12(path, "secret"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, leaf, err := pkcs12.Decode(data, "secret")
	if err != nil {
		t.Fatal(err)
	}
	if want := parseCert(t, set.ClientCertPEM); !bytes.Equal(leaf.Raw, want.Raw) {
		t.Error("the file holds another certificate than the set's client certificate")
	}
	if _, _, err := pkcs12.Decode(data, "guess"); err == nil {
		t.Error("the file opens with the wrong password")
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 (%v)", info.Mode().Perm(), err)
	}
	if err := set.WriteClientPKCS12(path, "secret"); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a second write: %v, want fs.ErrExist", err)
	}
}
