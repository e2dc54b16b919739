package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTypesUpToDate: the committed types.ts is what the generator makes
// from the service's types now. UPDATE_GOLDEN=1 rewrites it.
func TestTypesUpToDate(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, output)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s is out of date: run go generate ./core/service (-committed +generated):\n%s", output, diff)
	}
}

// TestGenerateIsDeterministic: two runs write the same bytes.
func TestGenerateIsDeterministic(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	a, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	b, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("two runs differ")
	}
}

// Types that a bindings generator would get wrong.
type (
	untagged struct {
		Name string
	}
	embedded struct {
		inner `json:"inner"`
	}
	inner   struct{}
	ownJSON struct{}
	withOwn struct {
		V ownJSON `json:"v"`
	}
	intKeyed struct {
		M map[int]string `json:"m"`
	}
	noValues string
	withEnum struct {
		E noValues `json:"e"`
	}
	withFunc struct {
		F func() `json:"f"`
	}
	fine struct {
		Name   string   `json:"name"`
		Opt    string   `json:"opt,omitempty"`
		Skip   string   `json:"-"`
		Ptr    *inner   `json:"ptr"`
		List   []*inner `json:"list"`
		hidden string
	}
)

func (ownJSON) MarshalJSON() ([]byte, error) { return []byte("{}"), nil }

// TestRefused: each is refused, naming the field.
func TestRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		root reflect.Type
		want string
	}{
		{reflect.TypeFor[untagged](), "untagged.Name has no json tag"},
		{reflect.TypeFor[embedded](), "embedded.inner is embedded"},
		{reflect.TypeFor[withOwn](), "withOwn.V: main.ownJSON has its own JSON form"},
		{reflect.TypeFor[intKeyed](), "intKeyed.M: a map keyed by int"},
		{reflect.TypeFor[withEnum](), "withEnum.E: noValues has no constants"},
		{reflect.TypeFor[withFunc](), "withFunc.F: func() has no TypeScript form"},
	}
	for _, tt := range tests {
		t.Run(tt.root.Name(), func(t *testing.T) {
			t.Parallel()
			g := &generator{pkg: tt.root.PkgPath(), docs: &docs{enums: map[string][]enumValue{}}}
			_, err := g.write([]reflect.Type{tt.root})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// TestShapes: each Go shape has the TypeScript type of its JSON.
func TestShapes(t *testing.T) {
	t.Parallel()
	g := &generator{pkg: reflect.TypeFor[fine]().PkgPath(), docs: &docs{
		types:  map[string]string{"fine": "fine is a test type.\nIt has two lines.", "inner": "inner is empty."},
		fields: map[string]map[string]string{"fine": {"Name": "the name"}},
		enums:  map[string][]enumValue{},
	}}
	got, err := g.write([]reflect.Type{reflect.TypeFor[fine]()})
	if err != nil {
		t.Fatal(err)
	}
	want := header + `
/**
 * fine is a test type.
 * It has two lines.
 */
export interface fine {
	/** the name */
	name: string;
	opt?: string;
	ptr: inner | null;
	list: (inner | null)[];
}

/** inner is empty. */
export interface inner {
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
