package diag

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

var kindNames = map[FaultKind]string{
	NotText: "NotText", Syntax: "Syntax", SecondDocument: "SecondDocument", WrongKind: "WrongKind",
	NotValue: "NotValue", BadValue: "BadValue", KeyNotName: "KeyNotName", UnknownKey: "UnknownKey",
	DuplicateKey: "DuplicateKey", DuplicateName: "DuplicateName",
}

// plain words every fault with all it says, for tests.
func plain(f Fault) *Error {
	var b strings.Builder
	b.WriteString(kindNames[f.Kind])
	for _, kv := range [][2]string{{"what", f.What}, {"want", f.Want}, {"found", f.Found}, {"key", f.Key}, {"near", f.Near}, {"hint", f.Hint}, {"msg", f.Msg}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " %s=%s", kv[0], kv[1])
		}
	}
	if f.Kind == UnknownKey {
		fmt.Fprintf(&b, " known=%s", strings.Join(f.Known, ","))
	}
	return &Error{Msg: b.String()}
}

// messages returns the errors as file:line:col: message lines.
func messages(d *Decoder) []string {
	var out []string
	for _, e := range d.Errs {
		out = append(out, fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg))
	}
	return out
}

func parse(t *testing.T, text string) (*Decoder, *yaml.Node) {
	t.Helper()
	d := NewDecoder("f.yaml", "test", plain)
	root := d.Parse([]byte(text))
	require.Empty(t, d.Errs, "%q", text)
	require.NotNil(t, root, "%q", text)
	return d, root
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		root       bool // a root is returned
		want       []string
	}{
		{"empty", "", false, nil},
		{"comments", "# nothing\n", false, nil},
		{"null", "~\n", true, nil},
		{"not text", "a: \xff\n", false, []string{"1:1: NotText msg=file is not UTF-8 text"}},
		{"a scanner error", "a: 1\n\tb: 2\n", false, []string{"2:1: Syntax msg=YAML: found a tab character that violates indentation"}},
		{"a parser error", "a: 1\nb: [x\nc: 2\n", false, []string{"2:1: Syntax msg=YAML: did not find expected ',' or ']'"}},
		{"a parser error at the end", "a: [x\n", false, []string{"1:1: Syntax msg=YAML: did not find expected ',' or ']'"}},
		{"on the first line", "\ta: 1\n", false, []string{"1:1: Syntax msg=YAML: found character that cannot start any token"}},
		{"second document", "a: 1\n---\nb: 2\n", true, []string{"2:1: SecondDocument msg=a test file holds one document; this is a second one"}},
	} {
		d := NewDecoder("f.yaml", "test", plain)
		root := d.Parse([]byte(tt.text))
		require.Equal(t, tt.root, root != nil, tt.name)
		require.Equal(t, tt.want, messages(d), tt.name)
		for _, e := range d.Errs {
			require.Equal(t, "f.yaml", e.File, tt.name)
		}
	}
	d := NewDecoder("f.yaml", "test", plain)
	d.Parse([]byte("a: 1\nb: [x\nc: 2\n"))
	require.Equal(t, "b: [x", d.Errs[0].Text, "the snippet of a YAML error")
}

func TestRecordAndDictionary(t *testing.T) {
	d, root := parse(t, `
name: &n x
name: y
*n : 1
nmae: 2
[a]: 3
size: *n
`)
	entries := d.Record(root, "the thing", "a mapping of keys", []string{"name", "size", "x"})
	var got []string
	for _, e := range entries {
		got = append(got, e.Key.Value+"="+e.Value.Value)
	}
	require.Equal(t, []string{"name=x", "x=1", "size=x"}, got, "aliases resolved, keys as values")
	require.Equal(t, []string{
		`3:1: DuplicateKey what=the thing key=name`,
		`5:1: UnknownKey what=the thing key=nmae near=name known=name,size,x`,
		`6:1: KeyNotName what=the thing found=a list`,
	}, messages(d))

	d, root = parse(t, "HO: a\nHE: b\nHO: c\n")
	entries = d.Dictionary(root, "calendars", "a mapping")
	require.Len(t, entries, 2)
	require.Equal(t, []string{`3:1: DuplicateName what=calendars key=HO`}, messages(d))

	d, root = parse(t, "a: [1, 2]\n")
	require.Nil(t, d.Record(root.Content[1], "a", "a mapping", nil))
	require.Nil(t, d.Dictionary(nil, "b", "a mapping"))
	require.NotNil(t, d.Dictionary(parseNode(t, "{}"), "c", "a mapping"), "an empty mapping is no fault")
	require.Equal(t, []string{
		`1:4: WrongKind what=a want=a mapping found=a list`,
		`1:1: WrongKind what=b want=a mapping found=nothing`,
	}, messages(d))
}

func parseNode(t *testing.T, text string) *yaml.Node {
	_, n := parse(t, text)
	return n
}

func TestListAndScalars(t *testing.T) {
	d, root := parse(t, `
list: [a, &b b, *b]
notlist: x
text: hello
null: ~
map: {a: 1}
int: 1_000
badint: 1.5
dec: 11.50
comma: "11,50"
yes: on
maybe: perhaps
date: 2027-03-01
baddate: 2027-02-30
`)
	f := map[string]*yaml.Node{}
	for _, e := range d.Dictionary(root, "", "a mapping") {
		f[e.Key.Value] = e.Value
	}
	var items []string
	for _, n := range d.List(f["list"], "list", "a list") {
		items = append(items, n.Value)
	}
	require.Equal(t, []string{"a", "b", "b"}, items)
	require.Nil(t, d.List(f["notlist"], "notlist", "a list"))

	s, ok := d.Scalar(f["text"], "text", "a text")
	require.True(t, ok)
	require.Equal(t, "hello", s)
	_, ok = d.Scalar(f["null"], "null", "a text")
	require.False(t, ok)
	_, ok = d.Scalar(f["map"], "map", "a text")
	require.False(t, ok)

	i, ok := d.Int(f["int"], "int", "a whole number")
	require.True(t, ok)
	require.Equal(t, 1000, i)
	_, ok = d.Int(f["badint"], "badint", "a whole number")
	require.False(t, ok)

	x, ok := d.Decimal(f["dec"], "dec", "an amount")
	require.True(t, ok)
	require.True(t, decimal.RequireFromString("11.5").Equal(x))
	_, ok = d.Decimal(f["comma"], "comma", "an amount")
	require.False(t, ok)

	b, ok := d.Bool(f["yes"], "yes", "true or false")
	require.True(t, ok)
	require.True(t, b)
	_, ok = d.Bool(f["maybe"], "maybe", "true or false")
	require.False(t, ok)

	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	day, ok := d.Date(f["date"], "date", "a date", paris)
	require.True(t, ok)
	require.Equal(t, time.Date(2027, 3, 1, 0, 0, 0, 0, paris), day)
	_, ok = d.Date(f["baddate"], "baddate", "a date", paris)
	require.False(t, ok)

	require.Equal(t, []string{
		`3:10: WrongKind what=notlist want=a list found="x"`,
		`5:7: NotValue what=null want=a text found=an empty value`,
		`6:6: NotValue what=map want=a text found=a mapping`,
		`8:9: BadValue what=badint want=a whole number found="1.5"`,
		`10:8: BadValue what=comma want=an amount found="11,50" hint=write decimals with a dot: 11.50`,
		`12:8: BadValue what=maybe want=true or false found="perhaps"`,
		`14:10: BadValue what=baddate want=a date found="2027-02-30"`,
	}, messages(d))
}

func TestLocate(t *testing.T) {
	text := "a: plain value\n" +
		"b: \"quoted\\tvalue\"\n" +
		"c: >\n  folded\n  text\n" +
		"d: |\n  block\n  text\n"
	d, root := parse(t, text)
	f := map[string]*yaml.Node{}
	for _, e := range d.Dictionary(root, "", "a mapping") {
		f[e.Key.Value] = e.Value
	}
	for _, tt := range []struct {
		key       string
		offset    int
		line, col int
	}{
		{"a", 0, 1, 4},
		{"a", 6, 1, 10},
		{"b", 0, 2, 5},
		{"c", 0, 4, 3},
		{"c", 7, 5, 3}, // after the folded line break
		{"d", 6, 8, 3},
		{"d", 99, 8, 8}, // past the end: after the last rune, its final line break
	} {
		line, col := d.Locate(f[tt.key], tt.offset)
		require.Equal(t, [2]int{tt.line, tt.col}, [2]int{line, col}, "%s at %d", tt.key, tt.offset)
	}
}

func TestReportAndPlace(t *testing.T) {
	d, root := parse(t, "rule:\n  scope: kind == \"x\" && priorty == 1\n")
	scope := root.Content[1].Content[1]
	d.Report(nil, &Error{Msg: "at the start"})
	d.ReportAt(scope, 15, &Error{Code: errCode, Msg: "at an offset"})
	require.True(t, d.Place(List{{Msg: "unknown name priorty", Offset: 15, Hint: "did you mean?"}}, scope, "rule R1", "scope"))
	require.True(t, d.Place(&Error{Msg: "one", Offset: 0}, scope, "rule R1", "scope"))
	require.False(t, d.Place(fmt.Errorf("no place"), scope, "rule R1", "scope"))
	require.Equal(t, []string{"1:1: at the start", "2:25: at an offset", "2:25: unknown name priorty", "2:10: one"}, messages(d))
	require.Equal(t, "  scope: kind == \"x\" && priorty == 1", d.Errs[2].Text)
	require.Equal(t, "rule R1", d.Errs[2].Rule)
	require.Equal(t, "f.yaml:2:25: rule R1, scope: unknown name priorty\n      scope: kind == \"x\" && priorty == 1\n                            ^\n    did you mean?", d.Errs[2].Error())
}

func TestVoicePlacesItsErrors(t *testing.T) {
	d := NewDecoder("f.yaml", "test", func(f Fault) *Error { return &Error{Line: f.Line, Msg: f.Msg} })
	d.Parse([]byte("a: [x\nb: 1\n"))
	require.Equal(t, []string{"2:0: YAML: did not find expected ',' or ']'"}, messages(d))
}

func TestSentences(t *testing.T) {
	errSchema, errInvalid, errDuplicate := fmt.Errorf("schema"), fmt.Errorf("invalid"), fmt.Errorf("duplicate")
	voice := Sentences{Schema: errSchema, Invalid: errInvalid, Duplicate: errDuplicate}
	d := NewDecoder("c.yaml", "contract", voice.Word)
	root := d.Parse([]byte("term: [1]\nname: {a: 1}\nsize: 1,5\nnmae: x\nterm: 2\n[k]: 1\nunits: {A: 1, A: 2}\n"))
	f := map[string]*yaml.Node{}
	for _, e := range d.Record(root, "the contract", "a mapping of keys to values", []string{"term", "name", "size", "units"}) {
		f[e.Key.Value] = e.Value
	}
	d.Record(f["term"], "term", "a mapping of keys to values", nil)
	require.Equal(t, "", d.Text(f["name"], "name", "a value"))
	d.Decimal(f["size"], "size", "a decimal number such as 11.00")
	require.Len(t, d.Pairs(f["units"], "units", "a mapping"), 1)
	require.Nil(t, d.Pairs(f["name"].Content[1], "a", "a mapping"))
	var got []string
	for _, e := range d.Errs.Err().(List) {
		code := map[error]string{errSchema: "schema", errInvalid: "invalid", errDuplicate: "duplicate"}[e.Code]
		got = append(got, fmt.Sprintf("%d:%d %s: %s | %s", e.Line, e.Column, code, e.Msg, e.Hint))
	}
	require.Equal(t, []string{
		`1:7 schema: term must be a mapping of keys to values, found a list | `,
		`2:7 schema: name must be a value, found a mapping | `,
		`2:11 schema: a must be a mapping, found "1" | `,
		`3:7 invalid: size must be a decimal number such as 11.00, found "1,5" | write decimals with a dot: 1.5`,
		`4:1 schema: unknown key "nmae" in the contract | did you mean "name"?`,
		`5:1 duplicate: key "term" given twice in the contract | `,
		`6:1 schema: the contract: keys must be names | `,
		`7:15 duplicate: "A" is defined twice in units | `,
	}, got)
}

// Regression test of a bug: the empty value of a complex key that ends the
// file was placed on the line after the file's last.
func TestEmptyValueAtTheEnd(t *testing.T) {
	d, root := parse(t, "a: 1\n? b")
	entries := d.Record(root, "the file", "a mapping", []string{"a", "b"})
	require.Len(t, entries, 2)
	d.Scalar(entries[1].Value, "b", "a value")
	require.Equal(t, []string{"2:4: NotValue what=b want=a value found=an empty value"}, messages(d))
	require.Equal(t, "? b", d.Errs[0].Text)
}
