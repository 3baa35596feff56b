package contract

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// testHead starts a test contract: a name, the year 2027 as its term and
// the zone of Paris. Each test adds the parts it is about.
const testHead = "contract: Test\nterm: {start: 2027-01-01, end: 2027-12-31}\ntimezone: Europe/Paris\n"

// mustLoad loads a contract that must load.
func mustLoad(t testing.TB, path string) *Contract {
	t.Helper()
	c, err := Load(path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return c
}

// mustParse parses a contract text that must load.
func mustParse(t testing.TB, text string) *Contract {
	t.Helper()
	c, err := Parse([]byte(text), "test.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// dec reads a decimal written in a test.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// mustRule returns a rule of a contract by id.
func mustRule(t testing.TB, c *Contract, id string) Rule {
	t.Helper()
	r, ok := c.Rule(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	return r
}

func equalDec(t testing.TB, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func equalText(t testing.TB, what string, e Expr, want string) {
	t.Helper()
	if e.Text != want {
		t.Errorf("%s = %q, want %q", what, e.Text, want)
	}
	if want != "" && e.IsZero() {
		t.Errorf("%s %q is not compiled", what, e.Text)
	}
}

func equalTime(t testing.TB, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
	if got.Location().String() != want.Location().String() {
		t.Errorf("%s is in %s, want %s", what, got.Location(), want.Location())
	}
}

// yearAt is an instant and the contract year it falls in.
type yearAt struct {
	at   time.Time
	year int
}

// checkContractYears checks the contract year of each instant.
func checkContractYears(t *testing.T, c *Contract, years []yearAt) {
	t.Helper()
	for _, y := range years {
		if got := c.ContractYear(y.at); got != y.year {
			t.Errorf("ContractYear(%s) = %d, want %d", y.at, got, y.year)
		}
	}
}
