package statustest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const page = `<!DOCTYPE html><html><body>
<section id="players"><h2>Players</h2>
<table>
<tr class="head"><th>name</th><th>where</th></tr>
<tr><td><b>Alice</b></td><td>lobby   1</td></tr>
<tr><td>&lt;script&gt;</td><td>a<br>b</td></tr>
</table></section>
<section id="empty"><p>Nothing</p><p>here.</p></section>
</body></html>`

func TestSectionTable(t *testing.T) {
	got, err := SectionTable(page, "players")
	if err != nil {
		t.Fatal(err)
	}
	want := Table{Header: []string{"name", "where"}, Rows: [][]string{{"Alice", "lobby 1"}, {"<script>", "a\nb"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SectionTable (-want +got):\n%s", diff)
	}
	if got, err := SectionTable(page, "empty"); err != nil || got.Rows != nil || got.Header != nil {
		t.Errorf("SectionTable of a section without a table = %v, %v", got, err)
	}
	if _, err := SectionTable(page, "missing"); err == nil {
		t.Error("SectionTable of a missing section: no error")
	}
}

func TestSectionText(t *testing.T) {
	got, err := SectionText(page, "empty")
	if err != nil || got != "Nothing\nhere." {
		t.Errorf("SectionText = %q, %v", got, err)
	}
}
