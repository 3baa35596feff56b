package slabeam

import (
	"bytes"
	"context"
	"io"
	"path"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
)

// Document is one file of the pipeline's output: its name and content.
type Document struct {
	Name string // report.txt, report.json…
	Data []byte
}

// formats are the renderers of sla/report, with the names of their files.
var formats = []struct {
	name   string
	render func(io.Writer, *sla.Report, report.Options) error
}{
	{"report.txt", report.Text},
	{"report.md", report.Markdown},
	{"report.csv", report.CSV},
	{"report.json", report.JSON},
	{"report.html", report.HTML},
}

// Render renders the report in every format of sla/report.
func Render(rep *sla.Report, opts report.Options) ([]Document, error) {
	docs := make([]Document, 0, len(formats))
	for _, f := range formats {
		var b bytes.Buffer
		if err := f.render(&b, rep, opts); err != nil {
			return nil, err
		}
		docs = append(docs, Document{Name: f.name, Data: b.Bytes()})
	}
	return docs, nil
}

// WriteDocuments writes the documents of each element of docs (a
// PCollection of []Document) into the folder dir of a Beam file system
// ("out", "gs://bucket/reports/2027-06"). A file of the same name is
// replaced. A folder on a file system not registered is an error.
func WriteDocuments(s beam.Scope, dir string, docs beam.PCollection) error {
	if err := fileSystem(dir); err != nil {
		return err
	}
	beam.ParDo0(s.Scope("pacte.WriteDocuments"), &writeFn{Dir: dir}, docs)
	return nil
}

type writeFn struct{ Dir string }

func (fn *writeFn) ProcessElement(ctx context.Context, docs []Document) error {
	for _, d := range docs {
		if err := writeFile(ctx, join(fn.Dir, d.Name), d.Data); err != nil {
			return err
		}
	}
	return nil
}

// join joins a folder of a Beam file system and a file name: a URL's
// path or a local one.
func join(dir, name string) string {
	if strings.Contains(dir, "://") {
		return strings.TrimSuffix(dir, "/") + "/" + name
	}
	return path.Join(dir, name)
}

func writeFile(ctx context.Context, name string, data []byte) error {
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return err
	}
	defer fs.Close()
	return filesystem.Write(ctx, fs, name, data)
}
