package adjust

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

// The kinds of errors of an adjustments file, for errors.Is.
var (
	ErrSchema    = errors.New("adjustments: schema") // a key or a column the file may not have, or one it lacks
	ErrInvalid   = errors.New("adjustments: invalid value")
	ErrDuplicate = errors.New("adjustments: duplicate")
)

// Limits of an adjustments file: a month's decisions are some dozens.
const (
	MaxFileSize    = 4 << 20
	MaxAdjustments = 100_000
)

// Error is an error of an adjustments file, placed in it.
type Error = diag.Error

// ErrorList is every error of a file, sorted by position.
type ErrorList = diag.List

// keys are the keys of an adjustment in YAML, and the columns of a CSV
// file.
var keys = []string{"item", "source", "decision", "reason", "agreed_by", "date"}

// required are the keys every adjustment gives: an agreement says what
// was decided, why, by whom and when.
var required = []string{"item", "decision", "reason", "agreed_by", "date"}

// Load reads an adjustments file, YAML or CSV (see [Parse]).
func Load(path string) (*Set, error) { return diag.Load(path, MaxFileSize, Parse) }

// Parse reads adjustments, YAML or CSV; filename names the file in
// errors, and its extension .csv says CSV. In YAML:
//
//	adjustments:
//	  - item: INC0012345
//	    decision: exclude
//	    reason: power cut on the client's site
//	    agreed_by: steering committee
//	    date: 2027-05-03
//	  - {item: INC0012399, decision: reclassify priority=P2, reason: …, agreed_by: …, date: …}
//
// In CSV, a header row names the columns item, decision, reason,
// agreed_by, date and, optionally, source; the separator is a comma or a
// semicolon. source is tickets (the default) or outages. A decision is
// exclude, or reclassify followed by field=value pairs separated by
// commas: the fields are kind, priority, service, category, group, level
// and status for tickets, service and planned for outages, and attrs.NAME
// for both. An item is adjusted once. Unknown keys and columns are
// errors; every error of the file is reported, each placed in it.
func Parse(data []byte, filename string) (*Set, error) {
	if filename == "" {
		filename = "adjustments"
	}
	if len(data) > MaxFileSize {
		return nil, &Error{Code: ErrInvalid, File: filename, Line: 1, Column: 1, Msg: fmt.Sprintf("file has more than %d bytes", MaxFileSize)}
	}
	r := &reader{file: filename, seen: map[key]int{}, lines: strings.Split(string(data), "\n")}
	if strings.EqualFold(extension(filename), ".csv") {
		r.csv(data)
	} else {
		r.yaml(data)
	}
	r.errs.Sort()
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	return newSet(filename, r.list), nil
}

func extension(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// reader reads the adjustments of a file into list, and its errors.
type reader struct {
	file   string
	list   []Adjustment
	seen   map[key]int // the line of each item's adjustment
	errs   ErrorList
	failed map[string]bool // the errors recorded, by place and message
	lines  []string        // for the snippets of errors
}

// fail records an error at line and col. The same error at the same
// place, an adjustment repeated by a YAML alias, is one mistake: it is
// recorded once.
func (r *reader) fail(line, col int, code error, hint, format string, args ...any) {
	e := &Error{Code: code, File: r.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Hint: hint}
	at := fmt.Sprintf("%d:%d:%s", line, col, e.Msg)
	if r.failed[at] {
		return
	}
	if r.failed == nil {
		r.failed = map[string]bool{}
	}
	r.failed[at] = true
	if line >= 1 && line <= len(r.lines) {
		e.Text = strings.TrimRight(r.lines[line-1], "\r")
	}
	r.errs = append(r.errs, e)
}

// field is a value of an adjustment and where it is.
type field struct {
	text      string
	line, col int
}

// add checks the fields of an adjustment given at line and adds it.
func (r *reader) add(line, col int, f map[string]field) {
	for _, k := range required {
		if strings.TrimSpace(f[k].text) == "" {
			r.fail(line, col, ErrSchema, "each adjustment gives item, decision, reason, agreed_by and date", "adjustment without %s", k)
		}
	}
	a := Adjustment{Item: strings.TrimSpace(f["item"].text), Source: contract.Tickets, Reason: strings.TrimSpace(f["reason"].text),
		AgreedBy: strings.TrimSpace(f["agreed_by"].text), Line: line}
	if s := strings.TrimSpace(f["source"].text); s != "" {
		a.Source = contract.Source(s)
		if a.Source != contract.Tickets && a.Source != contract.Outages {
			r.fail(f["source"].line, f["source"].col, ErrInvalid, "sources: tickets, outages", "unknown source %q", s)
			return
		}
	}
	if d := strings.TrimSpace(f["date"].text); d != "" {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			r.fail(f["date"].line, f["date"].col, ErrInvalid, "dates are written 2027-05-03", "date %q is not a date", d)
		}
		a.Date = d
	}
	if !r.decision(&a, f["decision"]) || a.Item == "" || a.Reason == "" || a.AgreedBy == "" || a.Date == "" {
		return
	}
	k := key{a.Source, a.Item}
	if prev, dup := r.seen[k]; dup {
		r.fail(f["item"].line, f["item"].col, ErrDuplicate, fmt.Sprintf("the first is at line %d: one decision per item, several fields in one reclassify", prev),
			"%s %s is adjusted twice", strings.TrimSuffix(string(a.Source), "s"), a.Item)
		return
	}
	if len(r.list) >= MaxAdjustments {
		r.fail(line, 1, ErrInvalid, "", "more than %d adjustments", MaxAdjustments)
		return
	}
	r.seen[k] = line
	r.list = append(r.list, a)
}

// decision reads exclude, or reclassify FIELD=VALUE, ….
func (r *reader) decision(a *Adjustment, f field) bool {
	text := strings.TrimSpace(f.text)
	if text == "" {
		return false
	}
	verb, rest, _ := strings.Cut(text, " ")
	switch Decision(verb) {
	case Exclude:
		if strings.TrimSpace(rest) != "" {
			r.fail(f.line, f.col, ErrInvalid, "exclude leaves the item out of every rule", "exclude takes nothing after it, found %q", rest)
			return false
		}
		a.Decision = Exclude
		return true
	case Reclassify:
		a.Decision = Reclassify
		if strings.TrimSpace(rest) == "" {
			r.fail(f.line, f.col, ErrInvalid, "reclassify priority=P2, service=ERP", "reclassify needs the fields it sets, as field=value")
			return false
		}
	default:
		r.fail(f.line, f.col, ErrInvalid, "decisions: exclude, reclassify priority=P2", "unknown decision %q", verb)
		return false
	}
	fields := ticketFields
	if a.Source == contract.Outages {
		fields = outageFields
	}
	ok := true
	offset := len(verb) + 1
	for part := range strings.SplitSeq(rest, ",") {
		col := f.col + utf8.RuneCountInString(text[:offset]) + len(part) - len(strings.TrimLeft(part, " "))
		offset += len(part) + 1
		name, value, found := strings.Cut(strings.TrimSpace(part), "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !found || name == "" || value == "":
			r.fail(f.line, col, ErrInvalid, "reclassify priority=P2, service=ERP", "reclassify sets fields as field=value, found %q", strings.TrimSpace(part))
			ok = false
			continue
		case strings.HasPrefix(name, "attrs.") && len(name) > len("attrs."):
		case !slices.Contains(fields, name):
			hint := "fields: " + strings.Join(fields, ", ") + ", attrs.NAME"
			if s := diag.Suggest(name, fields); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			r.fail(f.line, col, ErrInvalid, hint, "%s have no field %q to reclassify", a.Source, name)
			ok = false
			continue
		case name == "level":
			if _, err := strconv.Atoi(value); err != nil {
				r.fail(f.line, col, ErrInvalid, "", "level is a whole number, found %q", value)
				ok = false
			}
		case name == "planned":
			if _, err := strconv.ParseBool(value); err != nil {
				r.fail(f.line, col, ErrInvalid, "", "planned is true or false, found %q", value)
				ok = false
			}
		}
		if slices.ContainsFunc(a.Changes, func(c Change) bool { return c.Field == name }) {
			r.fail(f.line, col, ErrDuplicate, "", "%s is set twice", name)
			ok = false
		}
		a.Changes = append(a.Changes, Change{Field: name, Value: value})
	}
	return ok
}

// yaml reads the YAML form: adjustments, a list of mappings.
func (r *reader) yaml(data []byte) {
	d := diag.NewDecoder(r.file, "adjustments", diag.Sentences{Schema: ErrSchema, Invalid: ErrInvalid, Duplicate: ErrDuplicate}.Word)
	root := d.Parse(data)
	defer func() { r.errs = append(r.errs, d.Errs...) }()
	if root == nil || diag.IsNull(root) {
		if len(d.Errs) == 0 {
			r.fail(1, 1, ErrSchema, "adjustments: [{item: INC0012345, decision: exclude, reason: …, agreed_by: …, date: 2027-05-03}]", "empty adjustments file")
		}
		return
	}
	var list *yaml.Node
	for _, e := range d.Record(root, "the file", "a mapping", []string{"adjustments"}) {
		list = e.Value
	}
	if list == nil {
		if root.Kind == yaml.MappingNode {
			r.fail(root.Line, root.Column, ErrSchema, "", "the file needs the key adjustments")
		}
		return
	}
	if diag.IsNull(list) {
		return // no adjustment this month
	}
	for i, item := range d.List(list, "adjustments", "a list") {
		f := map[string]field{}
		for _, e := range d.Record(item, fmt.Sprintf("adjustments[%d]", i), "a mapping", keys) {
			if s, ok := d.Scalar(e.Value, diag.Join(fmt.Sprintf("adjustments[%d]", i), e.Key.Value), "a value"); ok {
				f[e.Key.Value] = field{text: s, line: e.Value.Line, col: e.Value.Column}
			}
		}
		if item.Kind == yaml.MappingNode {
			r.add(item.Line, item.Column, f)
		}
	}
}

// csv reads the CSV form: a header row, then one adjustment per row.
func (r *reader) csv(data []byte) {
	if !utf8.Valid(data) {
		r.fail(1, 1, ErrInvalid, "", "file is not UTF-8 text")
		return
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	header, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			r.fail(1, 1, ErrSchema, strings.Join(required, ","), "empty adjustments file: it starts with a header row")
		} else {
			r.csvError(err)
		}
		return
	}
	cols := r.header(head)
	if cols == nil {
		return
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			r.csvError(err)
			return
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(head) {
			r.fail(line, 1, ErrSchema, "", "%d cells, the header has %d", len(rec), len(head))
			continue
		}
		f := map[string]field{}
		for i, name := range cols {
			if name != "" {
				l, c := cr.FieldPos(i)
				f[name] = field{text: rec[i], line: l, col: c}
			}
		}
		r.add(line, 1, f)
	}
}

// header reads the header row: the column of each key; nil when it is
// wrong.
func (r *reader) header(head []string) []string {
	cols := make([]string, len(head))
	ok := true
	col := 1
	for i, h := range head {
		name := strings.TrimSpace(h)
		switch {
		case !slices.Contains(keys, name):
			hint := "columns: " + strings.Join(keys, ", ")
			if s := diag.Suggest(name, keys); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			r.fail(1, col, ErrSchema, hint, "unknown column %q", name)
			ok = false
		case slices.Contains(cols, name):
			r.fail(1, col, ErrDuplicate, "", "column %q given twice", name)
			ok = false
		default:
			cols[i] = name
		}
		col += utf8.RuneCountInString(h) + 1
	}
	for _, k := range required {
		if ok && !slices.Contains(cols, k) {
			r.fail(1, 1, ErrSchema, strings.Join(required, ","), "the header has no column %s", k)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return cols
}

func (r *reader) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.fail(pe.Line, pe.Column, ErrInvalid, "", "%v", pe.Err)
		return
	}
	r.fail(1, 1, ErrInvalid, "", "%v", err)
}
