package report_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

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
			checkGolden(t, g.file, buf.Bytes())
		})
	}
}

func checkGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the renderer writes now (go test -update rewrites it):\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first line that differs.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return "(same lines)"
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
