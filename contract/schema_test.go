package contract

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/internal/schematest"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

const schemaFile = "../docs/contract.schema.json"

// schemaOfLoader maps each mapping the loader reads with fields (by the
// text it names the mapping with, or the variable holding its keys) to
// the definition of the schema that describes it, as a JSON pointer.
var schemaOfLoader = map[string]string{
	"topKeys":            "/$defs/contract",
	"parties":            "/$defs/parties",
	"term":               "/$defs/term",
	"work unit ":         "/$defs/work_unit",
	"band":               "/$defs/band",
	"revision":           "/$defs/revision",
	"defaults of ":       "/$defs/source_defaults",
	"componentKeys":      "/$defs/component",
	"a tier":             "/$defs/tier",
	"pipelineKeys":       "/$defs/penalties",
	"caps":               "/$defs/penalties/properties/caps",
	"bonus":              "/$defs/penalties/properties/bonus",
	"observation":        "/$defs/penalties/properties/observation",
	"franchise":          "/$defs/penalties/properties/franchise",
	"first_breach":       "/$defs/penalties/properties/franchise/properties/first_breach",
	"de_minimis":         "/$defs/penalties/properties/franchise/properties/de_minimis",
	"repeat":             "/$defs/penalties/properties/repeat",
	"rounding":           "/$defs/penalties/properties/rounding",
	"ruleKeys":           "/$defs/rule",
	"groupKeys":          "/$defs/group",
	"groupComponentKeys": "/$defs/group_component",
	"small_volume":       "/$defs/small_volume",
	"clock":              "/$defs/clock",
	"availability":       "/$defs/availability",
	"table ":             "/$defs/table",
	"a version of ":      "/$defs/price_version",
	"a version of rule ": "/$defs/rule_version",
}

// loaderKeys reads the package's sources for every call d.fields(n, what,
// keys...) and returns the keys of each, under the text that names the
// mapping (its literal, or the literal prefix of a concatenation) or the
// variable that holds the keys.
func loaderKeys(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	vars := map[string][]string{}
	type call struct {
		name string
		keys []string
		via  string // the variable of the keys
	}
	var calls []call
	lit := func(e ast.Expr) (string, bool) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		return "", false
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				if len(n.Names) == 1 && len(n.Values) == 1 {
					if cl, ok := n.Values[0].(*ast.CompositeLit); ok {
						var keys []string
						for _, e := range cl.Elts {
							if s, ok := lit(e); ok {
								keys = append(keys, s)
							}
						}
						vars[n.Names[0].Name] = keys
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "fields" || len(n.Args) < 2 {
					return true
				}
				c := call{}
				switch w := n.Args[1].(type) {
				case *ast.BinaryExpr:
					c.name, _ = lit(w.X)
				default:
					c.name, _ = lit(w)
				}
				for _, a := range n.Args[2:] {
					if s, ok := lit(a); ok {
						c.keys = append(c.keys, s)
					} else if id, ok := a.(*ast.Ident); ok && n.Ellipsis.IsValid() {
						c.via = id.Name
					}
				}
				calls = append(calls, c)
			}
			return true
		})
	}
	out := map[string][]string{}
	for _, c := range calls {
		if c.via != "" {
			out[c.via] = vars[c.via]
			continue
		}
		out[c.name] = c.keys
	}
	return out
}

// schemaDoc reads the schema as plain JSON.
func schemaDoc(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

// pointer follows a JSON pointer of the schema.
func pointer(doc map[string]any, p string) map[string]any {
	cur := doc
	for _, part := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		next, _ := cur[part].(map[string]any)
		cur = next
	}
	return cur
}

// TestSchemaKeysAreTheLoaders: every mapping the loader reads has its
// definition in the schema, with the same keys, and refuses others as the
// loader does; the defaults are by source.
func TestSchemaKeysAreTheLoaders(t *testing.T) {
	doc := schemaDoc(t)
	loader := loaderKeys(t)
	require.ElementsMatch(t, slices.Collect(maps.Keys(loader)), slices.Collect(maps.Keys(schemaOfLoader)),
		"every mapping the loader reads is in schemaOfLoader, and no other")
	for name, ptr := range schemaOfLoader {
		def := pointer(doc, ptr)
		require.NotNil(t, def, "%s: no %s in the schema", name, ptr)
		props, _ := def["properties"].(map[string]any)
		require.ElementsMatch(t, loader[name], slices.Collect(maps.Keys(props)), "%s (%s)", name, ptr)
		require.Equal(t, false, def["additionalProperties"], "%s refuses other keys", ptr)
	}
	sources := []string{string(Tickets), string(Calls), string(Outages), string(Samples)}
	props, _ := pointer(doc, "/$defs/defaults")["properties"].(map[string]any)
	require.ElementsMatch(t, sources, slices.Collect(maps.Keys(props)))
	enum, _ := pointer(doc, "/$defs/rule/properties/source")["enum"].([]any)
	require.ElementsMatch(t, sources, enum)
	order, _ := pointer(doc, "/$defs/penalties/properties/order/items")["enum"].([]any)
	var steps []any
	for _, s := range DefaultOrder {
		steps = append(steps, string(s))
	}
	require.ElementsMatch(t, steps, order)
}

// yamlValue turns a YAML document into the JSON value a YAML language
// server validates: numbers, booleans and null by their YAML tags, every
// other scalar (dates included) a string.
func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return yamlValue(n.Content[0])
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = yamlValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, yamlValue(c))
		}
		return l
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return json.Number(n.Value)
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

// validate validates a YAML file against the schema; ok is false when the
// file is no YAML the schema can see.
func validate(t *testing.T, s *jsonschema.Schema, path string) (err error, ok bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var n yaml.Node
	if yaml.Unmarshal(data, &n) != nil {
		return nil, false
	}
	b, err := json.Marshal(yamlValue(&n))
	require.NoError(t, err)
	return schematest.Validate(s, b), true
}

// schemaBeyond are the bad files whose schema errors a schema cannot
// see, and why.
var schemaBeyond = map[string]string{
	"testdata/availability-unknown-calendar.bad.yaml": "the availability settings a rule needs depend on its objective's text",
	"testdata/two-documents.bad.yaml":                 "a YAML language server validates each document of a file on its own",
}

// TestSchemaOnTestdata: every good contract file, and the shipped ones,
// are valid; every bad file that the loader refuses for its shape (a
// schema error: an unknown key, a key missing, a value of the wrong kind)
// is invalid too, but for those of schemaBeyond. The other bad files are
// validated as well: their faults (expressions, references, dates) are
// the loader's to find.
func TestSchemaOnTestdata(t *testing.T) {
	s := schematest.Compile(t, schemaFile)
	good, err := filepath.Glob("testdata/*.good.yaml")
	require.NoError(t, err)
	good = append(good, "../examples/contracts/acme.yaml")
	for _, f := range good {
		err, ok := validate(t, s, f)
		require.True(t, ok, f)
		require.NoError(t, err, f)
	}
	bad, err := filepath.Glob("testdata/*.bad.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, bad)
	refused := 0
	for _, f := range bad {
		verr, ok := validate(t, s, f)
		if !ok {
			continue // no YAML: the language server says so itself
		}
		_, lerr := Load(f)
		require.Error(t, lerr, f)
		var list ErrorList
		if !errors.As(lerr, &list) || schemaBeyond[f] != "" {
			continue
		}
		for _, e := range list {
			if errors.Is(e, ErrSchema) {
				require.Error(t, verr, "%s: the loader says %v", f, e)
				refused++
				break
			}
		}
	}
	require.GreaterOrEqual(t, refused, 10)
}

// TestShippedContractsNameTheSchema: the contracts of examples/contracts
// name the schema for YAML language servers, by a path that exists.
func TestShippedContractsNameTheSchema(t *testing.T) {
	files, err := filepath.Glob("../examples/contracts/*.yaml")
	require.NoError(t, err)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.yaml") {
			continue // a clause test file, not a contract
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		_, rest, ok := strings.Cut(string(data), "# yaml-language-server: $schema=")
		require.True(t, ok, "%s does not name the schema", f)
		ref, _, _ := strings.Cut(rest, "\n")
		_, err = os.Stat(filepath.Join(filepath.Dir(f), ref))
		require.NoError(t, err, f)
		n++
	}
	require.Positive(t, n)
}
