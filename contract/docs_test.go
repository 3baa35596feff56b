package contract

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const formatDoc = "../docs/contract-format.md"

// docBlock is a ```yaml block of the format's documentation.
type docBlock struct {
	line int // of the block's first line of YAML in the document
	text string
}

func docBlocks(t *testing.T) []docBlock {
	t.Helper()
	data, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []docBlock
	var cur *docBlock
	for i, line := range strings.Split(string(data), "\n") {
		switch {
		case cur == nil && strings.TrimSpace(line) == "```yaml":
			cur = &docBlock{line: i + 2}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	if cur != nil {
		t.Fatalf("%s: the yaml block at line %d is not closed", formatDoc, cur.line-1)
	}
	return blocks
}

// docContext completes the snippets of the documentation into contracts:
// each key a snippet does not give is taken from here, after the snippet,
// so that the lines of an error are the snippet's own.
var docContext = []struct{ key, text string }{
	{"contract", "contract: Documentation example\n"},
	{"term", "term: {start: 2027-01-01, end: 2029-12-31}\n"},
	{"timezone", "timezone: Europe/Paris\n"},
	{"calendars", `calendars:
  HO: mon-fri 08:00-12:30,13:30-18:00; holidays FR; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00
  HO-Strasbourg: mon-fri 08:00-12:30,13:30-18:00; holidays FR-67
  HE: mon-sat 07:00-20:00; holidays FR
  HNO: not HO
  24x7: 24x7
`},
	{"work_units", `work_units:
  UO-TEL: {price: 4.20, volume: "count(calls, answered)"}
  UO-TKT: {price: 11.00, volume: "count(tickets, level == 1)"}
  UO-POSTE: {price: 17.50, volume: given}
  FORFAIT-APP: {fixed: 18000.00}
`},
	{"rules", `rules:
  - {id: INC-P1, source: tickets, objective: share(level == 1) >= 90%}
  - {id: TEL-ANSWER, source: calls, objective: answer_rate >= 90%}
`},
}

// TestDocExamplesLoad loads every YAML example of docs/contract-format.md:
// complete contracts as they are, snippets completed with docContext.
func TestDocExamplesLoad(t *testing.T) {
	blocks := docBlocks(t)
	if len(blocks) < 25 {
		t.Fatalf("%d yaml blocks in %s, want at least 25", len(blocks), formatDoc)
	}
	complete := 0
	for _, b := range blocks {
		t.Run(fmt.Sprintf("line %d", b.line), func(t *testing.T) {
			var top map[string]any
			if err := yaml.Unmarshal([]byte(b.text), &top); err != nil {
				t.Fatalf("%s:%d: not YAML: %v\n%s", formatDoc, b.line, err, b.text)
			}
			if len(top) == 0 {
				t.Fatalf("%s:%d: an empty example", formatDoc, b.line)
			}
			text := b.text
			if _, ok := top["contract"]; ok {
				complete++
			} else {
				for _, c := range docContext {
					if _, given := top[c.key]; !given {
						text += c.text
					}
				}
			}
			if _, err := Parse([]byte(text), fmt.Sprintf("contract-format.md block at line %d", b.line)); err != nil {
				t.Errorf("%v\n(the block's line n is line %d+n-1 of %s)\n%s", err, b.line, formatDoc, text)
			}
		})
	}
	if complete < 2 {
		t.Errorf("%d complete contracts in %s, want at least 2", complete, formatDoc)
	}
}

// TestDocMentionsEveryKey checks that the documentation names every key,
// measure, form, step and variant that the loader knows.
func TestDocMentionsEveryKey(t *testing.T) {
	data, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	var names []string
	names = append(names, topKeys...)
	names = append(names, ruleKeys...)
	names = append(names, componentKeys...)
	names = append(names, pipelineKeys...)
	for _, s := range DefaultOrder {
		names = append(names, string(s))
	}
	for _, m := range Measures {
		names = append(names, string(m.Name))
	}
	names = append(names, SLAnswered, SLOffered, SLAbandonsIgnored, SLAbandonsMet)
	for _, m := range []RoundingMode{HalfUp, HalfEven, Down, Up} {
		names = append(names, string(m))
	}
	names = append(names, "first_breach", "de_minimis", "per", "except", "below", "until", "consecutive", "factor", "to", "mode",
		"netting", "cap", "up_to", "price", "bands", "fixed", "volume", "given", "index", "indexed", "base", "reference_month",
		"from", "rounding", "units", "calendar", "pause_when", "min_outage", "start", "stop", "client", "provider", "range", "end_of_open_day")
	for _, n := range names {
		if !regexp.MustCompile("`[^`]*\\b" + regexp.QuoteMeta(n) + "\\b[^`]*`").MatchString(doc) {
			t.Errorf("%s does not mention `%s`", formatDoc, n)
		}
	}
}

// TestDocErrorExample checks the error shown in the documentation's
// Errors section: the reference contract with "priority" misspelt in
// INC-P1's scope.
func TestDocErrorExample(t *testing.T) {
	data, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Errors\n")
	if !ok {
		t.Fatal("no Errors section")
	}
	_, block, ok := strings.Cut(section, "```text\n")
	if !ok {
		t.Fatal("no text block in the Errors section")
	}
	want, _, _ := strings.Cut(block, "```")

	acme, err := os.ReadFile(acmeFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(acme), "\n")
	const line = 119
	if lines[line-1] != `    scope: kind == "incident" && priority == "P1"` {
		t.Fatalf("line %d of %s is %q: update the example of %s", line, acmeFile, lines[line-1], formatDoc)
	}
	lines[line-1] = strings.Replace(lines[line-1], "priority", "priorty", 1)
	_, err = Parse([]byte(strings.Join(lines, "\n")), "acme.yaml")
	if err == nil {
		t.Fatal("the misspelt contract loads")
	}
	if got := err.Error() + "\n"; got != want {
		t.Errorf("the example of %s:\n%s\nis not what Parse says:\n%s", formatDoc, want, got)
	}
}
