package contract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/dsl"
)

// maxLoadAllocation is the bound the package documentation gives on what
// loading a contract allocates, within the limits.
const maxLoadAllocation = 512 << 20

// allocated returns what f allocates, in bytes.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLoadReadsAtMostTheLimit: Load reads MaxFileSize bytes of a file,
// and one more, not the whole file: /dev/zero, which never ends, is
// refused for its size.
func TestLoadReadsAtMostTheLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	data := []byte("contract: x\n" + strings.Repeat("# padding\n", 2_000_000))
	if err := os.WriteFile(big, data, 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	for _, path := range paths {
		var err error
		n := allocated(func() { _, err = Load(path) })
		want := path + ":1:1: file has more than 4194304 bytes, the most a contract may have"
		if err == nil || err.Error() != want || !errors.Is(err, ErrInvalid) {
			t.Errorf("Load(%s) = %v, want %s", path, err, want)
		}
		// io.ReadAll's buffer grows by copies: about twice what it reads,
		// and more under the race detector; reading /dev/zero whole took
		// a gigabyte.
		if n > 8*MaxFileSize {
			t.Errorf("Load(%s) allocated %d bytes, more than 8 × %d", path, n, MaxFileSize)
		}
	}
}

// hostileContract writes a contract of its header and rules, the rules
// written by rule(i) until the text reaches size bytes or n rules.
func hostileContract(n, size int, rule func(i int) string) []byte {
	var b strings.Builder
	b.WriteString(testHead + "calendars: {HO: mon-fri 08:00-18:00}\nrules:\n")
	for i := 0; i < n && b.Len() < size; i++ {
		b.WriteString(rule(i))
	}
	return []byte(b.String())
}

// TestLoadCostBounded loads contracts of up to MaxFileSize bytes built to
// cost the most (4 MB of trivial rules took 16 s and 621 MB; 5,000 YAML
// aliases of one rule, in 36 KB, 9 s): each allocates less than the
// bound the package documentation gives, and those beyond the limits are
// refused with the limit they exceed. Time is not measured: the machines
// are noisy, and allocation follows the work.
func TestLoadCostBounded(t *testing.T) {
	const size = MaxFileSize - 64<<10 // room for the last rule
	long := strings.Repeat("level * 2 + 1 > 4 || ", 50)
	for _, tt := range []struct {
		name string
		data []byte
		err  string // "" when it loads
	}{
		{"4 MB of trivial rules", hostileContract(1<<30, size, func(i int) string {
			return fmt.Sprintf("  - {id: R%d, source: tickets, scope: kind == \"incident\", objective: count(true) >= 0}\n", i)
		}), "rules, more than the 300 a contract may have"},
		{"5,000 aliases of a rule", hostileContract(5001, size, func(i int) string {
			if i == 0 {
				return "  - &r {id: A, source: tickets, scope: kind == \"incident\", objective: count(true) >= 0}\n"
			}
			return "  - *r\n"
		}), "5001 rules, more than the 300 a contract may have"},
		{"the most rules, distinct, padded to 4 MB", padded(hostileContract(MaxRules, size, func(i int) string {
			return fmt.Sprintf("  - id: R%d\n    source: tickets\n    scope: kind == \"incident\" && id != \"I%d\"\n"+
				"    clock: {start: opened, stop: resolved, calendar: HO}\n    deadline: %dh\n"+
				"    exclude: {client: 'attrs[\"c\"] == \"%d\"'}\n    objective: share(on_time) >= %d%%\n"+
				"    penalty: [{per_item: 'elapsed > %dh ? %d * ceil((elapsed - %dh) / 1h) : 0'}, {amount: 'missed * %d.5'}]\n",
				i, i, i%50+1, i, 50+i%50, i%10+1, i, i%10+1, i)
		}), size), ""},
		{"short distinct expressions", hostileContract(MaxRules, size, func(i int) string {
			var b strings.Builder
			fmt.Fprintf(&b, "  - id: R%d\n    source: tickets\n    objective: count(true) >= 0\n    exclude:\n", i)
			for j := range 12 {
				fmt.Fprintf(&b, "      x%d: 'level > %d'\n", j, i*100+j)
			}
			return b.String()
		}), "more than 3000 distinct expressions: a contract may have at most 3000"},
		{"long distinct expressions", hostileContract(MaxRules, size, func(i int) string {
			var b strings.Builder
			fmt.Fprintf(&b, "  - id: R%d\n    source: tickets\n    objective: count(true) >= 0\n    exclude:\n", i)
			for j := range 20 {
				fmt.Fprintf(&b, "      x%d: '%s level > %d'\n", j, long, i*100+j)
			}
			return b.String()
		}), "expressions of more than 262144 characters in all: a contract may have at most 262144"},
		{"3,000 aliases of a table of the most rows", aliasedTables(3000), "hostile.yaml:15:3: table T10 brings the rows in its tables to 110000, more than the 100000 a contract may have"},
		{"tables of the most rows in all", aliasedTables(MaxRowsInTables / MaxTableRows), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) > MaxFileSize {
				t.Fatalf("the contract has %d bytes", len(tt.data))
			}
			var err error
			n := allocated(func() { _, err = Parse(tt.data, "hostile.yaml") })
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("Parse: %.300v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("Parse = %.300v, want an error with %q", err, tt.err)
			}
			t.Logf("%d bytes of contract, %d MB allocated", len(tt.data), n>>20)
			if n > maxLoadAllocation {
				t.Errorf("Parse allocated %d MB, more than %d MB", n>>20, maxLoadAllocation>>20)
			}
		})
	}
}

// aliasedTables is a contract of n tables, each an alias of one of
// MaxTableRows rows (3,000 of them, 144 KB, took 30 s and 4.5 GB).
func aliasedTables(n int) []byte {
	var b strings.Builder
	b.WriteString(testHead + "tables:\n  T0: &t {values: {")
	for i := range MaxTableRows {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "k%d: %dh", i, i%48+1)
	}
	b.WriteString("}}\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  T%d: *t\n", i)
	}
	b.WriteString("rules:\n  - {id: A, source: tickets, objective: count(true) >= 0}\n")
	return []byte(b.String())
}

// padded fills a contract with comments up to size bytes.
func padded(data []byte, size int) []byte {
	const line = "# a comment of padding, as long as a line of a contract may be\n"
	if n := (size - len(data)) / len(line); n > 0 {
		data = append(data, strings.Repeat(line, n)...)
	}
	return data
}

// TestExpressionsCompiledOnce: an expression written in several rules,
// or shared by an alias, is compiled once, and its program shared; rules
// repeated by an alias are duplicates, refused before their expressions
// are compiled.
func TestExpressionsCompiledOnce(t *testing.T) {
	c := mustParse(t, testHead+`rules:
  - {id: A, source: tickets, scope: &p1 kind == "incident" && priority == "P1", objective: count(true) >= 0}
  - {id: B, source: tickets, scope: *p1, objective: count(true) >= 0}
  - {id: C, source: tickets, scope: kind == "incident" && priority == "P1", objective: count(true) >= 0}
  - {id: D, source: calls, scope: answered, objective: count(true) >= 0}
`)
	rules := c.Rules()
	a, b, cc := Program[dsl.Ticket](rules[0].Scope), Program[dsl.Ticket](rules[1].Scope), Program[dsl.Ticket](rules[2].Scope)
	if a == nil || a != b || a != cc {
		t.Errorf("the scopes of A, B and C are %p, %p and %p: one program", a, b, cc)
	}

	var b2 strings.Builder
	b2.WriteString(testHead + "rules:\n")
	b2.WriteString("  - &r {id: A, source: tickets, scope: 'let r = 1..300; all(r, all(r, # > 0))', objective: count(true) >= 0}\n")
	for range MaxRules - 1 {
		b2.WriteString("  - *r\n")
	}
	var err error
	n := allocated(func() { _, err = Parse([]byte(b2.String()), "aliases.yaml") })
	var list ErrorList
	if !errors.As(err, &list) || len(list) != MaxRules-1 || !errors.Is(list[0], ErrDuplicate) {
		t.Fatalf("Parse = %.300v, want %d duplicates", err, MaxRules-1)
	}
	if n > 16<<20 {
		t.Errorf("%d aliases of a rule allocated %d MB: compiled again?", MaxRules-1, n>>20)
	}
}
