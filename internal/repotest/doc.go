// Package repotest holds tests about the repository as a whole rather than
// one package: every package has a doc comment, the GitHub workflows pass
// actionlint (and a broken one fails it), and .ci/run passes shellcheck and
// lists one Debian package per line. It has no code of its own.
package repotest
