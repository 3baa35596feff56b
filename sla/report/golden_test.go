package report_test

import (
	"bytes"
	"flag"
	"io"
	"path/filepath"
	"testing"

	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata with what the renderers write")

type renderer func(io.Writer, *sla.Report, report.Options) error

// goldens are the renderings compared with testdata/*.golden.
var goldens = []struct {
	file   string
	render renderer
	opts   report.Options
}{
	{"report.fr.txt.golden", report.Text, report.Options{Locale: report.FromReport}},
	{"report.plain.txt.golden", report.Text, report.Options{HideTrace: true, MaxMissed: 2}},
	{"report.en.md.golden", report.Markdown, report.Options{Locale: report.English}},
	{"report.fr.md.golden", report.Markdown, report.Options{Locale: report.French}},
	{"report.csv.golden", report.CSV, report.Options{Locale: report.French}},
	{"report.json.golden", report.JSON, report.Options{}},
	{"report.fr.html.golden", report.HTML, report.Options{Locale: report.French}},
	{"report.en.html.golden", report.HTML, report.Options{Locale: report.English}},
}

func TestGolden(t *testing.T) {
	rep := fixture(t)
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := g.render(&buf, rep, g.opts); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", g.file), buf.Bytes(), *update)
		})
	}
}

// The same report renders the same bytes every time.
func TestDeterministic(t *testing.T) {
	rep := fixture(t)
	for _, g := range goldens {
		var a, b bytes.Buffer
		if err := g.render(&a, rep, g.opts); err != nil {
			t.Fatal(err)
		}
		if err := g.render(&b, rep, g.opts); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renderings differ", g.file)
		}
	}
}
