package report

import (
	"bytes"
	"strings"
)

// document is what the text, Markdown and HTML renderers share: the same
// blocks in the same order, each renderer writing them its way. The HTML
// page adds charts, which the others skip.
type document struct {
	title  string
	blocks []block
}

type block interface{ isBlock() }

// heading: level 2 a section, level 3 a subsection.
type heading struct {
	level int
	text  string
	id    string // an anchor for HTML
}

// para is a paragraph of text.
type para struct{ text string }

// fields are key: value lines.
type fields struct{ keys, values []string }

// list is a bulleted list.
type list struct{ items []string }

// tableBlock is a table.
type tableBlock struct{ t *Table }

// chartBlock is a figure of the HTML page: its SVG, written by svg.
type chartBlock struct {
	class string // the CSS class of its container
	svg   func(*bytes.Buffer) error
}

// groupBlock starts (open) or ends a group of blocks the HTML page lays
// out together (a grid of charts, a section).
type groupBlock struct {
	open  bool
	class string
}

func (heading) isBlock()    {}
func (para) isBlock()       {}
func (fields) isBlock()     {}
func (list) isBlock()       {}
func (tableBlock) isBlock() {}
func (chartBlock) isBlock() {}
func (groupBlock) isBlock() {}

func (d *document) add(b ...block) { d.blocks = append(d.blocks, b...) }

// writeText writes the document for a terminal.
func (d *document) writeText(buf *bytes.Buffer) error {
	title := sanitizeText(d.title)
	buf.WriteString(title + "\n")
	buf.WriteString(strings.Repeat("=", max(textWidth(title), 3)) + "\n")
	for _, b := range d.blocks {
		switch b := b.(type) {
		case heading:
			text := sanitizeText(b.text)
			mark := "-"
			if b.level <= 2 {
				mark = "="
			}
			buf.WriteString("\n" + text + "\n" + strings.Repeat(mark, max(textWidth(text), 3)) + "\n")
		case para:
			buf.WriteString("\n")
			for _, l := range wrap(sanitizeText(b.text), textWidthLimit) {
				buf.WriteString(l + "\n")
			}
		case fields:
			buf.WriteString("\n")
			t := Table{MaxWidth: []int{0, textWidthLimit - 20}}
			for i, k := range b.keys {
				t.Rows = append(t.Rows, []string{k, b.values[i]})
			}
			if err := t.WriteText(buf, ""); err != nil {
				return err
			}
		case list:
			buf.WriteString("\n")
			for _, it := range b.items {
				for i, l := range wrap(sanitizeText(it), textWidthLimit-2) {
					if i == 0 {
						buf.WriteString("- " + l + "\n")
					} else {
						buf.WriteString("  " + l + "\n")
					}
				}
			}
		case tableBlock:
			buf.WriteString("\n")
			if err := b.t.WriteText(buf, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// textWidthLimit is the width the text report is laid out for.
const textWidthLimit = 100

// writeMarkdown writes the document as GitHub Markdown.
func (d *document) writeMarkdown(buf *bytes.Buffer) error {
	buf.WriteString("# " + escapeMarkdownText(d.title) + "\n")
	for _, b := range d.blocks {
		switch b := b.(type) {
		case heading:
			buf.WriteString("\n" + strings.Repeat("#", b.level) + " " + escapeMarkdownText(b.text) + "\n")
		case para:
			buf.WriteString("\n" + escapeMarkdownText(b.text) + "\n")
		case fields:
			buf.WriteString("\n")
			for i, k := range b.keys {
				buf.WriteString("- **" + escapeMarkdownText(k) + "**: " + escapeMarkdownText(b.values[i]) + "\n")
			}
		case list:
			buf.WriteString("\n")
			for _, it := range b.items {
				buf.WriteString("- " + escapeMarkdownText(it) + "\n")
			}
		case tableBlock:
			buf.WriteString("\n")
			if err := b.t.WriteMarkdown(buf); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeMarkdownText escapes running Markdown text (not a table cell):
// the same marks, on one line.
func escapeMarkdownText(s string) string { return escapeMarkdown(s) }
