package simulate

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// decoder fills a Scenario from a YAML tree by reflection over the yaml
// tags, so that every unknown key, every value of the wrong type and
// every duplicate is reported with its line and column, and the Go struct
// stays the one definition of the format.
type decoder struct {
	*diag.Decoder
	pos   map[string]position
	nodes int // nodes visited, bounded against alias bombs
}

// maxNodes bounds the nodes a scenario may expand to, aliases included.
const maxNodes = 200000

var (
	typeDuration = reflect.TypeFor[time.Duration]()
	typeDecimal  = reflect.TypeFor[decimal.Decimal]()
	typeDate     = reflect.TypeFor[calendar.Date]()
	typeDist     = reflect.TypeFor[Dist]()
)

func newDecoder(file string, pos map[string]position) *decoder {
	return &decoder{Decoder: diag.NewDecoder(file, "scenario", word), pos: pos}
}

// word says what the decoder found wrong in the words of a scenario: the
// key path, then what was wanted and what was found.
func word(f diag.Fault) *diag.Error {
	e := &diag.Error{Field: f.What, Msg: f.Msg}
	switch f.Kind {
	case diag.KeyNotName:
		e.Msg = "want a key, not " + f.Found
	case diag.UnknownKey:
		e.Msg = fmt.Sprintf("unknown key %q", f.Key)
		e.Hint = "known: " + strings.Join(sorted(f.Known), ", ")
		if f.Near != "" {
			e.Hint = fmt.Sprintf("did you mean %q?", f.Near)
		}
	case diag.DuplicateKey, diag.DuplicateName:
		e.Field, e.Msg = diag.Join(f.What, f.Key), fmt.Sprintf("duplicate key %q", f.Key)
	case diag.WrongKind, diag.NotValue, diag.BadValue:
		e.Msg = fmt.Sprintf("want %s, not %s", f.Want, f.Found)
	}
	return e
}

// errorList turns the decoder's errors into the scenario's, sorted.
func errorList(l diag.List) ErrorList {
	l.Sort()
	out := make(ErrorList, len(l))
	for i, e := range l {
		msg := e.Msg
		if e.Hint != "" {
			msg += " (" + e.Hint + ")"
		}
		out[i] = &Error{File: e.File, Line: e.Line, Column: e.Column, Path: e.Field, Msg: msg}
	}
	return out
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.Report(n, &diag.Error{Field: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) document(data []byte, s *Scenario) {
	root := d.Parse(data)
	switch {
	case root == nil && len(d.Errs) > 0: // not text, or not YAML
	case root == nil || diag.IsNull(root):
		d.fail(nil, "", "empty scenario")
	case root.Kind != yaml.MappingNode:
		d.fail(root, "", "a scenario is a mapping of keys (scenario, tickets, calls…), not %s", diag.KindName(root))
	default:
		d.value(root, "", reflect.ValueOf(s).Elem(), "")
	}
}

// value decodes n into v; unit is the unit tag of the field ("share").
func (d *decoder) value(n *yaml.Node, path string, v reflect.Value, unit string) {
	n = diag.Resolve(n)
	if d.nodes++; d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.fail(n, path, "the file expands to more than %d values (aliases?)", maxNodes)
		}
		return
	}
	if _, ok := d.pos[path]; !ok {
		d.pos[path] = position{n.Line, n.Column}
	}
	if diag.IsNull(n) {
		return // an empty key: the default
	}
	switch v.Type() {
	case typeDuration:
		if s, ok := d.Scalar(n, path, "a duration such as 90s, 45m or 4h"); ok {
			x, err := parseDuration(s)
			if err != nil {
				d.fail(n, path, "%v", err)
				return
			}
			v.SetInt(int64(x))
		}
	case typeDecimal:
		if x, ok := d.Decimal(n, path, "an amount such as 31.50"); ok {
			v.Set(reflect.ValueOf(x))
		}
	case typeDate:
		if t, ok := d.Date(n, path, "a date such as 2027-01-01", time.UTC); ok {
			v.Set(reflect.ValueOf(calendar.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}))
		}
	case typeDist:
		d.dist(n, path, v.Addr().Interface().(*Dist))
	default:
		d.kind(n, path, v, unit)
	}
}

// kind decodes n into v by v's kind: a text, a number, a list, a mapping,
// a structure.
func (d *decoder) kind(n *yaml.Node, path string, v reflect.Value, unit string) {
	switch v.Kind() {
	case reflect.String:
		if s, ok := d.Scalar(n, path, "a text"); ok {
			v.SetString(s)
		}
	case reflect.Int:
		if x, ok := d.Int(n, path, "a whole number"); ok {
			v.SetInt(int64(x))
		}
	case reflect.Float64:
		want := "a number"
		if unit == "share" {
			want = "a share such as 15% or 0.15"
		}
		if s, ok := d.Scalar(n, path, want); ok {
			x, err := parseNumber(s, unit == "share")
			if err != nil {
				d.Mismatch(n, path, want)
				return
			}
			v.SetFloat(x)
		}
	case reflect.Slice:
		items := d.List(n, path, "a list")
		if items == nil {
			return // not a list
		}
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, item := range items {
			d.value(item, fmt.Sprintf("%s[%d]", path, i), s.Index(i), unit)
		}
		v.Set(s)
	case reflect.Map:
		d.dictionary(n, path, v, unit)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.value(n, path, p.Elem(), unit)
		v.Set(p)
	case reflect.Struct:
		d.structure(n, path, v)
	default:
		d.fail(n, path, "cannot read a value of type %s", v.Type())
	}
}

// dictionary decodes a mapping of names the file chooses into map v.
func (d *decoder) dictionary(n *yaml.Node, path string, v reflect.Value, unit string) {
	entries := d.Dictionary(n, path, "a mapping")
	if entries == nil {
		return // not a mapping
	}
	m := reflect.MakeMapWithSize(v.Type(), len(entries))
	for _, e := range entries {
		val := reflect.New(v.Type().Elem()).Elem()
		d.value(e.Value, diag.Join(path, e.Key.Value), val, unit)
		m.SetMapIndex(reflect.ValueOf(e.Key.Value), val)
	}
	v.Set(m)
}

// structFields lists the yaml keys of a struct type with their field
// index and unit.
func structFields(t reflect.Type) (keys []string, index map[string]int, units map[string]string) {
	index, units = map[string]int{}, map[string]string{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		keys = append(keys, tag)
		index[tag] = i
		units[tag] = f.Tag.Get("unit")
	}
	return keys, index, units
}

func (d *decoder) structure(n *yaml.Node, path string, v reflect.Value) {
	keys, index, units := structFields(v.Type())
	for _, e := range d.Record(n, path, "a mapping", keys) {
		key := e.Key.Value
		d.value(e.Value, diag.Join(path, key), v.Field(index[key]), units[key])
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// dist reads a distribution: a duration (fixed), the word history, or a
// mapping with median and p90 (lognormal), mean (exponential) or values
// (empirical).
func (d *decoder) dist(n *yaml.Node, path string, out *Dist) {
	switch n.Kind {
	case yaml.ScalarNode:
		s := strings.TrimSpace(n.Value)
		if s == "history" {
			out.History = true
			return
		}
		x, err := parseDuration(s)
		switch {
		case err != nil && strings.ContainsAny(s, "0123456789"):
			d.fail(n, path, "%v", err)
		case err != nil:
			d.fail(n, path, "want a duration (4h), the word history, or a mapping such as {median: 2h, p90: 6h} or {mean: 5m}, not %q", n.Value)
		default:
			out.Fixed = x
		}
	case yaml.MappingNode:
		type distFile struct {
			Median time.Duration   `yaml:"median"`
			P90    time.Duration   `yaml:"p90"`
			Mean   time.Duration   `yaml:"mean"`
			Values []time.Duration `yaml:"values"`
		}
		var f distFile
		d.structure(n, path, reflect.ValueOf(&f).Elem())
		out.Median, out.P90, out.Mean, out.Values = f.Median, f.P90, f.Mean, f.Values
	default:
		d.fail(n, path, "want a duration or a mapping such as {median: 2h, p90: 6h}, not %s", diag.KindName(n))
	}
}

// parseDuration reads a duration as Go writes it (45m, 4h30m) or as the
// contract language does (45min, 4h30min), refusing days (whose length
// depends on the calendar) and negative values.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	if strings.ContainsAny(s, "dDwWyY") {
		return 0, fmt.Errorf("want a duration in h, m or s, not %q: a day is 24h of wall-clock time but 9h of HO time, so write the hours", s)
	}
	x, err := time.ParseDuration(s)
	if err != nil {
		if x, err = dsl.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("want a duration such as 90s, 45m or 4h30m, not %q", s)
		}
	}
	if x < 0 {
		return 0, fmt.Errorf("want a duration ≥ 0, not %s", s)
	}
	return x, nil
}

// parseNumber reads a number, or a percentage when share is set ("15%",
// "2.5 %").
func parseNumber(s string, share bool) (float64, error) {
	s = strings.TrimSpace(s)
	div := 1.0
	if share {
		if t, ok := strings.CutSuffix(s, "%"); ok {
			s, div = strings.TrimSpace(t), 100
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.Abs(x) > 1e15 {
		return 0, errors.New("not a number")
	}
	return x / div, nil
}
