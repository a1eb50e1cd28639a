package dhcp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/insomniacslk/dhcp/dhcpv4"
)

// TestNoBlockingRandomInServerCode keeps the server away from the library's
// transaction-ID generator: dhcpv4.New and every constructor built on it
// (NewReplyFromRequest, NewDiscovery, ...) spin until the kernel's random
// pool is ready, which delayed the first reply by up to a minute on a fresh
// VM. Tests may use them to build client packets; server code may not.
func TestNoBlockingRandomInServerCode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImport(path) {
				t.Errorf("%s imports %s, which generates transaction IDs with the blocking generator", fset.Position(imp.Pos()), path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && isPkg(sel.X, "dhcpv4") && forbiddenFunc(sel.Sel.Name) {
				t.Errorf("%s: dhcpv4.%s draws from the blocking random generator; build the message by hand", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("only %d source files checked: is the test running in the package directory?", checked)
	}
}

func forbiddenImport(path string) bool {
	return strings.HasSuffix(path, "/dhcpv4/nclient4") || strings.HasSuffix(path, "/dhcpv4/client4") ||
		path == "github.com/u-root/uio/rand"
}

func forbiddenFunc(name string) bool {
	return strings.HasPrefix(name, "New") || strings.HasPrefix(name, "GenerateTransactionID")
}

func isPkg(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}

// TestRepliesCopyTheTransactionID is the other half: a reply built by hand
// must still carry the request's ID, for every message type answered.
func TestRepliesCopyTheTransactionID(t *testing.T) {
	s, _, _ := newTestServer(t, nil)
	reqs := []*dhcpv4.DHCPv4{
		discover(t, macPC),
		requestMsg(t, macPC2, withRequested(ip("10.55.0.105"))),
		requestMsg(t, macPC3, withRequested(ip("192.168.0.9"))), // NAK
		message(t, macPC, dhcpv4.MessageTypeInform, withCiaddr(ip("10.55.0.9"))),
	}
	for i, req := range reqs {
		req.TransactionID = dhcpv4.TransactionID{0x50, 0x53, 0x4f, byte(i)}
		resp := exchange(t, s, req)
		if resp == nil || resp.TransactionID != req.TransactionID || resp.OpCode != dhcpv4.OpcodeBootReply {
			t.Errorf("%v: reply %v does not answer transaction %v", req.MessageType(), resp, req.TransactionID)
		}
	}
}
