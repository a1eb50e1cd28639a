package repotest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// undocumented walks the module at root and returns every package directory
// (relative, slash-separated) none of whose files carries a package doc
// comment. Test-only packages count too. testdata, hidden directories and
// nested modules are not part of the module and are skipped.
func undocumented(root string) (missing, seen []string, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != root && skipDir(path, d.Name()) {
			return filepath.SkipDir
		}
		documented, hasGo, err := packageDoc(path)
		if err != nil || !hasGo {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		seen = append(seen, filepath.ToSlash(rel))
		if !documented {
			missing = append(missing, filepath.ToSlash(rel))
		}
		return nil
	})
	return missing, seen, err
}

func skipDir(path, name string) bool {
	if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return true
	}
	_, err := os.Stat(filepath.Join(path, "go.mod"))
	return err == nil
}

// packageDoc reports whether the directory has Go files and whether one of
// them documents the package.
func packageDoc(dir string) (documented, hasGo bool, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		return false, false, err
	}
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return false, true, err
		}
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			return true, true, nil
		}
	}
	return false, true, nil
}

func TestEveryPackageHasADocComment(t *testing.T) {
	missing, seen, err := undocumented(testenv.RepoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range missing {
		t.Errorf("package %s has no doc comment (write one: // Package x ... or // Command x ...)", dir)
	}
	for _, must := range []string{"appliance/config", "cmd/psobox", "internal/repotest"} {
		if !slices.Contains(seen, must) {
			t.Errorf("the walk did not see %s; it saw %q", must, seen)
		}
	}
}

// The check itself must catch an undocumented package.
func TestUndocumentedPackageIsFound(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n")
	write("good/a.go", "// Package good is fine.\npackage good\n")
	write("good/b.go", "package good\n")
	write("bad/a.go", "// A comment that is not attached.\n\npackage bad\n")
	write("testonly/x_test.go", "package testonly\n")
	write("bad/testdata/c.go", "package ignored\n")
	write("nested/go.mod", "module example.com/nested\n")
	write("nested/n.go", "package nested\n")
	missing, _, err := undocumented(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"bad", "testonly"}; !slices.Equal(missing, want) {
		t.Errorf("undocumented = %q, want %q", missing, want)
	}
}
