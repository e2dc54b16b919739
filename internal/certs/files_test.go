package certs_test

import (
	"crypto/tls"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eps-tracker/eps-tracker/internal/certs"
)

func TestWriteFiles(t *testing.T) {
	t.Parallel()
	set := setup(t)
	dir := filepath.Join(t.TempDir(), "pki", "test")

	paths, err := set.WriteFiles(dir)
	if err != nil {
		t.Fatalf("WriteFiles: %v", err)
	}

	want := map[string]struct {
		data []byte
		perm os.FileMode
	}{
		"ca.pem":                 {set.CAPEM, 0o644},
		"ca-key.pem":             {set.CAKeyPEM, 0o600},
		"server.pem":             {set.ServerCertPEM, 0o644},
		"server-key.pem":         {set.ServerKeyPEM, 0o600},
		"client.pem":             {set.ClientCertPEM, 0o644},
		"client-key.pem":         {set.ClientKeyPEM, 0o600},
		"client-expired.pem":     {set.ExpiredClientCertPEM, 0o644},
		"client-expired-key.pem": {set.ExpiredClientKeyPEM, 0o600},
		"other-ca.pem":           {set.OtherCAPEM, 0o644},
		"other-client.pem":       {set.OtherClientCertPEM, 0o644},
		"other-client-key.pem":   {set.OtherClientKeyPEM, 0o600},
	}
	if got, wantNames := slices.Sorted(maps.Keys(paths)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantNames) {
		t.Fatalf("WriteFiles returned %v, want %v", got, wantNames)
	}
	for name, w := range want {
		path := paths[name]
		if path != filepath.Join(dir, name) {
			t.Errorf("paths[%q] = %q, want it in %q", name, path, dir)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("ReadFile: %v", err)
			continue
		}
		if string(data) != string(w.data) {
			t.Errorf("%s does not hold the set's PEM", name)
		}
		checkMode(t, path, w.perm)
	}

	for _, pair := range [][2]string{
		{"ca.pem", "ca-key.pem"},
		{"server.pem", "server-key.pem"},
		{"client.pem", "client-key.pem"},
		{"client-expired.pem", "client-expired-key.pem"},
		{"other-client.pem", "other-client-key.pem"},
	} {
		if _, err := tls.LoadX509KeyPair(paths[pair[0]], paths[pair[1]]); err != nil {
			t.Errorf("LoadX509KeyPair(%s, %s): %v", pair[0], pair[1], err)
		}
	}
	otherCA, err := os.ReadFile(paths["other-ca.pem"])
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	if cert := parseCert(t, otherCA); !cert.IsCA {
		t.Error("other-ca.pem is not a CA certificate")
	}
}

// TestWriteFilesKeepsWhatIsThere: a folder that already holds any of the
// files is left exactly as it was: nothing is written, not even the files
// that were missing.
func TestWriteFilesKeepsWhatIsThere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := filepath.Join(dir, "client-key.pem")
	if err := os.WriteFile(key, []byte("someone's own key"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := setup(t).WriteFiles(dir)
	var exist *certs.ExistError
	if !errors.As(err, &exist) || !errors.Is(err, fs.ErrExist) {
		t.Fatalf("WriteFiles over a key: %v, want an *ExistError", err)
	}
	if diff := cmp.Diff([]string{"client-key.pem"}, exist.Names); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	if data, _ := os.ReadFile(key); string(data) != "someone's own key" {
		t.Errorf("client-key.pem = %q: overwritten", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the one that was there", len(entries))
	}
}

// TestOverwriteFiles replaces what is there, and leaves keys readable only
// by their owner whatever their mode was.
func TestOverwriteFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := filepath.Join(dir, "client-key.pem")
	if err := os.WriteFile(key, []byte("stale, and readable by all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(key, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}

	set := setup(t)
	if _, err := set.OverwriteFiles(dir); err != nil {
		t.Fatalf("OverwriteFiles: %v", err)
	}
	data, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(set.ClientKeyPEM) {
		t.Errorf("client-key.pem = %q, want the set's client key", data)
	}
	checkMode(t, key, 0o600)
}

func TestWriteFilesIncompleteSet(t *testing.T) {
	t.Parallel()
	set := *setup(t)
	set.OtherClientKeyPEM = nil
	dir := filepath.Join(t.TempDir(), "pki")
	if _, err := set.WriteFiles(dir); err == nil {
		t.Fatal("WriteFiles of a set without the other client's key: no error")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("WriteFiles of an incomplete set made %s (Stat: %v)", dir, err)
	}
}

// checkMode fails t unless the file at path has permissions perm. Windows
// keeps no such permissions, so there it checks nothing.
func checkMode(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Errorf("Stat: %v", err)
		return
	}
	if got := info.Mode().Perm(); got != perm {
		t.Errorf("%s has mode %v, want %v", filepath.Base(path), got, perm)
	}
}
