package diag

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Decoder reads the YAML tree of one file, collecting every fault with its
// position rather than stopping at the first. The methods that read a
// node resolve aliases, report what is wrong through the Voice, and return
// what could be read.
type Decoder struct {
	File   string // the file's name, for errors
	Format string // what the file is: "contract", "scenario"
	Voice  Voice
	Errs   List // the errors found, in the order found
	lines  []string
	seen   map[string]bool // the errors found, by place and message
}

// NewDecoder returns a decoder of file, a file of the format named (a
// "contract"), whose faults voice words.
func NewDecoder(file, format string, voice Voice) *Decoder {
	return &Decoder{File: file, Format: format, Voice: voice}
}

// Parse reads the one YAML document of data and returns its root, with
// aliases resolved. It returns nil when data is not UTF-8 text or not YAML
// (the fault reported), or when it holds no document: what an empty file
// means is the format's to say. A second document is reported.
func (d *Decoder) Parse(data []byte) *yaml.Node {
	if !utf8.Valid(data) {
		d.fault(Fault{Kind: NotText, Line: 1, Column: 1, Msg: "file is not UTF-8 text"})
		return nil
	}
	d.lines = strings.Split(string(data), "\n")
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decodeRecovered(dec, &doc); err != nil {
		if !errors.Is(err, io.EOF) {
			d.syntax(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := decodeRecovered(dec, &extra); err == nil {
		d.fault(Fault{Kind: SecondDocument, Line: extra.Line, Column: extra.Column,
			Msg: fmt.Sprintf("a %s file holds one document; this is a second one", d.Format)})
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return Resolve(doc.Content[0])
}

// decodeRecovered decodes a YAML document; the YAML library must not panic
// on any input, but fuzzers found that it does, so a panic becomes an
// error.
func decodeRecovered(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable YAML: %v", r)
		}
	}()
	return dec.Decode(n)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// syntax reports an error of the YAML library on the line it names.
func (d *Decoder) syntax(err error) {
	// yaml.v3 names no line for a fault on the first line.
	line := 1
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimLeft(yamlLine.ReplaceAllString(msg, ""), " :")
		// It numbers the lines of its parser's errors from 0 and those
		// of its scanner from 1; the parser's all say "did not find
		// expected".
		if strings.HasPrefix(msg, "did not find expected") {
			line++
		}
	}
	// An error at the end of the file is on its last line, not on the
	// empty one after its final line break.
	last := len(d.lines)
	if last > 1 && d.lines[last-1] == "" {
		last--
	}
	line = min(max(line, 1), max(last, 1))
	d.fault(Fault{Kind: Syntax, Line: line, Column: 1, Msg: "YAML: " + msg, Reason: msg})
}

// Report records e, placed at node n (at the start of the file when n is
// nil).
func (d *Decoder) Report(n *yaml.Node, e *Error) {
	e.Line, e.Column = 1, 1
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.add(e)
}

// ReportAt records e, placed at the rune offset of scalar n's value.
func (d *Decoder) ReportAt(n *yaml.Node, offset int, e *Error) {
	e.Line, e.Column = d.Locate(n, offset)
	d.add(e)
}

func (d *Decoder) add(e *Error) {
	e.File = d.File
	if last := len(d.lines); e.Line > last && last > 0 {
		// yaml.v3 places the empty value of a key that ends the file on
		// the line after it: the end of the last line is where it is.
		e.Line, e.Column = last, utf8.RuneCountInString(d.LineText(last))+1
	}
	if e.Text == "" {
		e.Text = d.LineText(e.Line)
	}
	// The same fault found again, as a default every rule inherits is,
	// is one mistake: it is reported once.
	key := fmt.Sprintf("%d:%d:%s:%s:%s", e.Line, e.Column, e.Rule, e.Field, e.Msg)
	if d.seen[key] {
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[key] = true
	d.Errs = append(d.Errs, e)
}

// fault has the voice word f and records it, where f is unless the voice
// placed it.
func (d *Decoder) fault(f Fault) {
	e := d.Voice(f)
	if e.Line == 0 && e.Column == 0 {
		e.Line, e.Column = f.Line, f.Column
	}
	d.add(e)
}

// faultAt records fault f at node n.
func (d *Decoder) faultAt(n *yaml.Node, f Fault) {
	f.Line, f.Column = 1, 1
	if n != nil {
		f.Line, f.Column = n.Line, n.Column
	}
	d.fault(f)
}

// LineText returns the text of a line of the file, for snippets.
func (d *Decoder) LineText(line int) string {
	if line >= 1 && line <= len(d.lines) {
		return strings.TrimRight(d.lines[line-1], "\r")
	}
	return ""
}

// Load reads the file at path and parses it, the path naming the file in
// errors. It reads at most limit bytes, and one more: parse, which refuses
// more than limit bytes, receives limit+1 of a larger file (a device such
// as /dev/zero is one), not all of it.
func Load[T any](path string, limit int, parse func(data []byte, file string) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return zero, err
	}
	return parse(data, path)
}
