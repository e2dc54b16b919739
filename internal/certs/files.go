package certs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ExistError is returned when the folder already holds some of the files:
// nothing was written.
type ExistError struct {
	Dir   string
	Names []string // the files already there, in the order WriteFiles writes them
}

func (e *ExistError) Error() string {
	return fmt.Sprintf("certs: %s already holds %s", e.Dir, strings.Join(e.Names, ", "))
}

// Is makes errors.Is(err, fs.ErrExist) true.
func (e *ExistError) Is(target error) bool { return target == fs.ErrExist }

// WriteFiles writes the set into dir as ca.pem, ca-key.pem, server.pem,
// server-key.pem, client.pem, client-key.pem, client-expired.pem,
// client-expired-key.pem, other-ca.pem, other-client.pem and
// other-client-key.pem (keys with mode 0600, the rest 0644), creating dir if
// needed, and returns the paths keyed by file name ("ca.pem" and so on).
// It never overwrites: if any of the files is already there it writes
// nothing and returns an *ExistError naming them.
func (s *Set) WriteFiles(dir string) (map[string]string, error) {
	return s.writeFiles(dir, false)
}

// OverwriteFiles is WriteFiles, but replaces files already there and gives
// them WriteFiles' modes.
func (s *Set) OverwriteFiles(dir string) (map[string]string, error) {
	return s.writeFiles(dir, true)
}

func (s *Set) writeFiles(dir string, overwrite bool) (map[string]string, error) {
	files := []struct {
		name string
		data []byte
		perm os.FileMode
	}{
		{"ca.pem", s.CAPEM, 0o644},
		{"ca-key.pem", s.CAKeyPEM, 0o600},
		{"server.pem", s.ServerCertPEM, 0o644},
		{"server-key.pem", s.ServerKeyPEM, 0o600},
		{"client.pem", s.ClientCertPEM, 0o644},
		{"client-key.pem", s.ClientKeyPEM, 0o600},
		{"client-expired.pem", s.ExpiredClientCertPEM, 0o644},
		{"client-expired-key.pem", s.ExpiredClientKeyPEM, 0o600},
		{"other-ca.pem", s.OtherCAPEM, 0o644},
		{"other-client.pem", s.OtherClientCertPEM, 0o644},
		{"other-client-key.pem", s.OtherClientKeyPEM, 0o600},
	}
	exist := &ExistError{Dir: dir}
	for _, f := range files {
		if len(f.data) == 0 {
			return nil, fmt.Errorf("certs: set has nothing for %s", f.name)
		}
		if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil && !overwrite {
			exist.Names = append(exist.Names, f.name)
		}
	}
	if len(exist.Names) > 0 {
		return nil, exist
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("certs: %w", err)
	}
	paths := make(map[string]string, len(files))
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := writeFile(path, f.data, f.perm, overwrite); err != nil {
			return nil, fmt.Errorf("certs: %w", err)
		}
		paths[f.name] = path
	}
	return paths, nil
}

// writeFile writes data to the named file and leaves it with mode perm,
// whatever the umask or the mode of a file already there. The mode is set
// before anything is written, so a key is never readable by others. Unless
// told to overwrite, it fails on a file that is already there.
func writeFile(name string, data []byte, perm os.FileMode, overwrite bool) (err error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if overwrite {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(name, flags, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}
