package repotest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/psobox/psobox/internal/testenv"
)

// actionlint runs the pinned actionlint (tools/go.mod) with shellcheck on
// the given workflow files. It runs in the repository, since go tool
// -modfile needs a main module.
func actionlint(t *testing.T, files ...string) (string, int) {
	t.Helper()
	shellcheck := testenv.RequireTool(t, "shellcheck")
	args := append([]string{"tool", "-modfile=tools/go.mod", "actionlint", "-no-color", "-oneline", "-shellcheck=" + shellcheck}, files...)
	return testenv.Run(t, testenv.RepoRoot(t), "go", args...)
}

func TestWorkflowsPassActionlint(t *testing.T) {
	root := testenv.RepoRoot(t)
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows found: %v", err)
	}
	if out, code := actionlint(t, files...); code != 0 {
		t.Errorf("actionlint exit %d:\n%s", code, out)
	}
}

// A typo in a workflow must fail: the check above is only worth something
// if actionlint really reads the files.
func TestActionlintCatchesABrokenWorkflow(t *testing.T) {
	ci, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), ".github", "workflows", "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(ci), "runs-on: ubuntu-latest", "runs-on: ubuntu-latst", 1)
	broken = strings.Replace(broken, "runs-on: ${{ matrix.runner }}", "runs-on: ${{ matrix.sufix }}", 1)
	broken = strings.Replace(broken, "run: make lint", "run: make lint $LINT_ARGS", 1) // unquoted: shellcheck SC2086
	if strings.Count(broken, "ubuntu-latst")+strings.Count(broken, "matrix.sufix")+strings.Count(broken, "$LINT_ARGS") != 3 {
		t.Fatal("ci.yml no longer has the lines this test breaks; update the test")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, ".github", "workflows", "x.yml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := actionlint(t, path)
	if code == 0 {
		t.Fatalf("actionlint passed a broken workflow:\n%s", out)
	}
	for _, want := range []string{`label "ubuntu-latst" is unknown`, `property "sufix" is not defined`, "SC2086"} {
		if !strings.Contains(out, want) {
			t.Errorf("actionlint output does not say %q:\n%s", want, out)
		}
	}
}

func TestCIRunPassesShellcheck(t *testing.T) {
	shellcheck := testenv.RequireTool(t, "shellcheck")
	if out, code := testenv.Run(t, testenv.RepoRoot(t), shellcheck, ".ci/run"); code != 0 {
		t.Errorf("shellcheck .ci/run exit %d:\n%s", code, out)
	}
}

// Other issues append to the package list of .ci/run; one package per line
// keeps those changes from colliding.
func TestCIRunListsOnePackagePerLine(t *testing.T) {
	script, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	list := regexp.MustCompile(`(?s)\npackages=\(\n(.*?)\n\)\n`).FindSubmatch(script)
	if list == nil {
		t.Fatal(".ci/run has no packages=( ... ) list")
	}
	for _, line := range strings.Split(string(list[1]), "\n") {
		words := strings.Fields(strings.SplitN(line, "#", 2)[0])
		if len(words) != 1 || !regexp.MustCompile(`^[a-z0-9][a-z0-9.+-]+$`).MatchString(words[0]) {
			t.Errorf(".ci/run package line %q: want exactly one Debian package name (and an optional # comment)", line)
		}
	}
}
