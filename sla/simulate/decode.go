package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// decoder fills a Scenario from a YAML tree by reflection over the yaml
// tags, so that every unknown key, every value of the wrong type and
// every duplicate is reported with its line and column, and the Go struct
// stays the one definition of the format.
type decoder struct {
	file  string
	pos   map[string]position
	errs  ErrorList
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

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	e := &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

func (d *decoder) document(data []byte, s *Scenario) {
	if !utf8.Valid(data) {
		d.fail(&yaml.Node{Line: 1, Column: 1}, "", "file is not UTF-8 text")
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decodeNode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.fail(&yaml.Node{Line: 1, Column: 1}, "", "empty scenario")
			return
		}
		d.yamlError(err)
		return
	}
	var extra yaml.Node
	if err := decodeNode(dec, &extra); err == nil {
		d.fail(&extra, "", "a scenario file holds one document; this is a second one")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		d.fail(&yaml.Node{Line: 1, Column: 1}, "", "empty scenario")
		return
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		d.fail(root, "", "a scenario is a mapping of keys (scenario, tickets, calls…), not %s", kindName(root))
		return
	}
	d.value(root, "", reflect.ValueOf(s).Elem(), "")
}

// decodeNode decodes one document; a panic of the YAML library (fuzzers
// have found some) becomes an error.
func decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable YAML: %v", r)
		}
	}()
	return dec.Decode(n)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func (d *decoder) yamlError(err error) {
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil {
			line = n
		}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimLeft(yamlLine.ReplaceAllString(msg, ""), " :")
	d.fail(&yaml.Node{Line: line, Column: 1}, "", "YAML: %s", msg)
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// value decodes n into v; unit is the unit tag of the field ("share").
func (d *decoder) value(n *yaml.Node, path string, v reflect.Value, unit string) {
	n = resolve(n)
	if d.nodes++; d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.fail(n, path, "the file expands to more than %d values (aliases?)", maxNodes)
		}
		return
	}
	if _, ok := d.pos[path]; !ok {
		d.pos[path] = position{n.Line, n.Column}
	}
	if isNull(n) {
		return // an empty key: the default
	}
	switch v.Type() {
	case typeDuration:
		if s, ok := d.scalar(n, path, "a duration such as 90s, 45m or 4h"); ok {
			x, err := parseDuration(s)
			if err != nil {
				d.fail(n, path, "%v", err)
				return
			}
			v.SetInt(int64(x))
		}
		return
	case typeDecimal:
		if s, ok := d.scalar(n, path, "an amount such as 31.50"); ok {
			x, err := decimal.NewFromString(strings.TrimSpace(s))
			if err != nil {
				d.fail(n, path, "want an amount such as 31.50, not %q", s)
				return
			}
			v.Set(reflect.ValueOf(x))
		}
		return
	case typeDate:
		if s, ok := d.scalar(n, path, "a date such as 2027-01-01"); ok {
			t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
			if err != nil {
				d.fail(n, path, "want a date such as 2027-01-01, not %q", s)
				return
			}
			v.Set(reflect.ValueOf(calendar.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}))
		}
		return
	case typeDist:
		d.dist(n, path, v.Addr().Interface().(*Dist))
		return
	}
	switch v.Kind() {
	case reflect.String:
		if s, ok := d.scalar(n, path, "a text"); ok {
			v.SetString(s)
		}
	case reflect.Int:
		if s, ok := d.scalar(n, path, "a whole number"); ok {
			x, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				d.fail(n, path, "want a whole number, not %q", s)
				return
			}
			v.SetInt(int64(x))
		}
	case reflect.Float64:
		hint := "a number"
		if unit == "share" {
			hint = "a share such as 15% or 0.15"
		}
		if s, ok := d.scalar(n, path, hint); ok {
			x, err := parseNumber(s, unit == "share")
			if err != nil {
				d.fail(n, path, "want %s, not %q", hint, s)
				return
			}
			v.SetFloat(x)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, not %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(item, fmt.Sprintf("%s[%d]", path, i), s.Index(i), unit)
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "want a mapping, not %s", kindName(n))
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := resolve(n.Content[i]), n.Content[i+1]
			key, ok := d.scalar(k, path, "a key")
			if !ok {
				continue
			}
			if seen[key] {
				d.fail(k, join(path, key), "duplicate key %q", key)
				continue
			}
			seen[key] = true
			e := reflect.New(v.Type().Elem()).Elem()
			d.value(val, join(path, key), e, unit)
			m.SetMapIndex(reflect.ValueOf(key), e)
		}
		v.Set(m)
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

func (d *decoder) scalar(n *yaml.Node, path, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want %s, not %s", want, kindName(n))
		return "", false
	}
	return n.Value, true
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
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, not %s", kindName(n))
		return
	}
	keys, index, units := structFields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		key, ok := d.scalar(k, path, "a key")
		if !ok {
			continue
		}
		fi, known := index[key]
		if !known {
			msg := fmt.Sprintf("unknown key %q", key)
			if s := suggest(key, keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (known: " + strings.Join(sorted(keys), ", ") + ")"
			}
			d.fail(k, path, "%s", msg)
			continue
		}
		if seen[key] {
			d.fail(k, join(path, key), "duplicate key %q", key)
			continue
		}
		seen[key] = true
		d.value(val, join(path, key), v.Field(fi), units[key])
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
		d.fail(n, path, "want a duration or a mapping such as {median: 2h, p90: 6h}, not %s", kindName(n))
	}
}

// parseDuration reads a Go duration, refusing days (whose length depends
// on the calendar) and negative values.
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
		return 0, fmt.Errorf("want a duration such as 90s, 45m or 4h30m, not %q", s)
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

// suggest returns the candidate closest to name, by the optimal string
// alignment distance (a swap of two letters counts one), when it is close
// enough to be a typing error; the first in order on a tie.
func suggest(name string, candidates []string) string {
	best, bestD := "", max(2, len(name)/3)+1
	for _, c := range candidates {
		if d := osaDistance(strings.ToLower(name), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func osaDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
