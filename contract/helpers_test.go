package contract

import (
	"slices"
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

// pipelineWant is what a test expects of the settings of a contract's
// penalty pipeline; a nil franchise or repeat, or a zero observation
// day, is one the contract must not have.
type pipelineWant struct {
	order                       []Step
	observationUntil            time.Time
	firstBreach                 *FirstBreach
	deMinimis                   *DeMinimis
	repeat                      *Repeat
	rounding                    Rounding
	monthCap, yearCap, bonusCap string
	netting                     bool
}

// checkPipeline checks each setting of a pipeline, positions aside.
func checkPipeline(t *testing.T, p Pipeline, want pipelineWant) {
	t.Helper()
	if !slices.Equal(p.Order, want.order) {
		t.Errorf("order %v, want %v", p.Order, want.order)
	}
	switch {
	case want.observationUntil.IsZero() != (p.Observation == nil):
		t.Errorf("observation %+v, want until %s", p.Observation, want.observationUntil)
	case p.Observation != nil:
		equalTime(t, "observation until", p.Observation.Until, want.observationUntil)
	}
	if fb, w := p.FirstBreach, want.firstBreach; (fb == nil) != (w == nil) || fb != nil && (fb.Per != w.Per || !slices.Equal(fb.Except, w.Except)) {
		t.Errorf("first breach %+v, want %+v", fb, w)
	}
	if dm, w := p.DeMinimis, want.deMinimis; (dm == nil) != (w == nil) || dm != nil && (dm.Per != w.Per || !dm.Below.Equal(w.Below)) {
		t.Errorf("de minimis %+v, want %+v", dm, w)
	}
	if rp, w := p.Repeat, want.repeat; (rp == nil) != (w == nil) || rp != nil && (rp.Consecutive != w.Consecutive || !rp.Factor.Equal(w.Factor)) {
		t.Errorf("repeat %+v, want %+v", rp, w)
	}
	if !p.Rounding.To.Equal(want.rounding.To) || p.Rounding.Mode != want.rounding.Mode {
		t.Errorf("rounding %+v, want %+v", p.Rounding, want.rounding)
	}
	equalText(t, "month cap", p.MonthCap, want.monthCap)
	equalText(t, "contract year cap", p.YearCap, want.yearCap)
	equalText(t, "bonus cap", p.BonusCap, want.bonusCap)
	if p.Netting != want.netting {
		t.Errorf("netting %v, want %v", p.Netting, want.netting)
	}
}
