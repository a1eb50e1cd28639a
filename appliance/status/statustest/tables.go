package statustest

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Table is the first table of a page section, as text: cells keep their
// line breaks (<br>) as "\n" and lose other markup.
type Table struct {
	Header []string
	Rows   [][]string
}

// PlayersOnPage loads the status page in the browser and returns the
// rows of its Players table (name, version, guild card, where, connected,
// from). A page without the table (no players, game server not running)
// gives no rows.
func PlayersOnPage(t testing.TB, b Chromium, page string) [][]string {
	t.Helper()
	tab, err := SectionTable(b.DumpDOM(t, page), "players")
	if err != nil {
		t.Fatal(err)
	}
	return tab.Rows
}

// SectionTable parses doc and returns the first table inside the element
// with the given id; an empty Table when the section has none.
func SectionTable(doc, id string) (Table, error) {
	sec, err := section(doc, id)
	if err != nil {
		return Table{}, err
	}
	var tab Table
	table := find(sec, func(n *html.Node) bool { return n.DataAtom == atom.Table })
	if table == nil {
		return tab, nil
	}
	for _, tr := range findAll(table, func(n *html.Node) bool { return n.DataAtom == atom.Tr }) {
		var cells []string
		for _, c := range findAll(tr, func(n *html.Node) bool { return n.DataAtom == atom.Td || n.DataAtom == atom.Th }) {
			cells = append(cells, Text(c))
		}
		if find(tr, func(n *html.Node) bool { return n.DataAtom == atom.Th }) != nil {
			tab.Header = cells
			continue
		}
		tab.Rows = append(tab.Rows, cells)
	}
	return tab, nil
}

// SectionText is the text of the element with the given id.
func SectionText(doc, id string) (string, error) {
	sec, err := section(doc, id)
	if err != nil {
		return "", err
	}
	return Text(sec), nil
}

func section(doc, id string) (*html.Node, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("parse the page: %w", err)
	}
	sec := find(root, func(n *html.Node) bool { return attr(n, "id") == id })
	if sec == nil {
		return nil, fmt.Errorf("the page has no element with id %q", id)
	}
	return sec, nil
}

// Text is n's text content with whitespace collapsed per line; <br> and
// block elements (paragraphs, list items, headings, rows...) break lines,
// table cells are separated by a space.
func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		sep := separator(n)
		b.WriteString(sep)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		b.WriteString(sep)
	}
	walk(n)
	var lines []string
	for _, line := range strings.Split(b.String(), "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// separator is what stands for an element's edges in its text.
func separator(n *html.Node) string {
	if n.Type != html.ElementNode {
		return ""
	}
	switch n.DataAtom {
	case atom.Br, atom.P, atom.Div, atom.Li, atom.Dt, atom.Dd, atom.H1, atom.H2, atom.H3,
		atom.Tr, atom.Table, atom.Ul, atom.Dl, atom.Section, atom.Header, atom.Footer:
		return "\n"
	case atom.Td, atom.Th:
		return " "
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if all := findAll(n, match); len(all) > 0 {
		return all[0]
	}
	return nil
}

// findAll returns the matching nodes under n (n included) in document
// order, without descending into matches.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	if n.Type == html.ElementNode && match(n) {
		return []*html.Node{n}
	}
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, findAll(c, match)...)
	}
	return out
}
