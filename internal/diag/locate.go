package diag

import (
	"errors"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Locate maps a rune offset of a scalar's value to a line and column of
// the file. YAML may quote, escape, fold or indent a value, so the value's
// runes are matched against the file's from the node's position on,
// whitespace matching whitespace (a folded line break is a space).
func (d *Decoder) Locate(n *yaml.Node, offset int) (int, int) {
	value := []rune(n.Value)
	k := 0
	lastLine, lastCol := n.Line, n.Column
	for line := n.Line; line <= len(d.lines); line++ {
		text := []rune(strings.TrimRight(d.lines[line-1], "\r"))
		start := 0
		if line == n.Line {
			start = n.Column - 1
		}
		for col := start; col <= len(text); col++ {
			if k >= len(value) {
				return lastLine, lastCol + 1
			}
			var r rune = '\n'
			if col < len(text) {
				r = text[col]
			}
			if r == value[k] || (unicode.IsSpace(r) && unicode.IsSpace(value[k])) {
				if k == offset {
					return line, col + 1
				}
				lastLine, lastCol = line, col+1
				k++
			}
		}
	}
	return n.Line, n.Column
}

// Place records the errors of an expression that scalar n holds, placed in
// the file and given the rule and the field they belong to. It reports
// false, recording nothing, when err is neither an *Error nor a List.
func (d *Decoder) Place(err error, n *yaml.Node, rule, field string) bool {
	var list List
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = List{one}
	default:
		return false
	}
	for _, e := range list {
		c := *e
		c.Line, c.Column = d.Locate(n, e.Offset)
		c.Text = ""
		c.Rule, c.Field = rule, field
		d.add(&c)
	}
	return true
}
