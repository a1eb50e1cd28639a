// Package repotest holds tests about the repository as a whole rather than
// one package: every package has a doc comment, the GitHub workflows pass
// actionlint, .ci/run passes shellcheck, and the Makefile's placeholder
// targets fail. It has no code of its own.
package repotest
