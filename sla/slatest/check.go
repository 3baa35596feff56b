package slatest

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pacte-sla/pacte/sla"
)

// RuleCheck asserts the figures of one rule in one period of a report.
// Each method checks one figure and reports a mismatch with t.Errorf,
// with what was expected, what came out and the report's trace of it.
type RuleCheck struct {
	t      TB
	period string
	r      *sla.RuleReport
}

// Rule returns the checks of a rule in a period ("2027-04"); the test
// fails at once when the report has no such rule or period.
func Rule(t TB, rep *sla.Report, period, rule string) *RuleCheck {
	t.Helper()
	p, why := findPeriod(rep, period)
	if p == nil {
		t.Fatalf("period %s: %s", period, why)
	}
	r, why := findRule(p, rule)
	if r == nil {
		t.Fatalf("%s %s: %s", period, rule, why)
	}
	return &RuleCheck{t: t, period: period, r: r}
}

func (c *RuleCheck) check(field string, kind fieldKind, text string, edit func(*want)) *RuleCheck {
	c.t.Helper()
	w, err := parseWant(field, kind, text, nil)
	if err != nil {
		c.t.Errorf("%s %s %s: %v", c.period, c.r.ID, field, err)
		return c
	}
	if edit != nil {
		edit(&w)
	}
	if got, ok, trace := w.onRule(c.r); !ok {
		c.t.Errorf("%s", Failure{Period: c.period, Rule: c.r.ID, Field: field, Want: w.text, Got: got, Trace: trace}.Error())
	}
	return c
}

// Eligible checks the number of items counted.
func (c *RuleCheck) Eligible(n int) *RuleCheck {
	c.t.Helper()
	return c.check("eligible", kindInt, strconv.Itoa(n), nil)
}

// Met checks the number of items that met the rule's condition.
func (c *RuleCheck) Met(n int) *RuleCheck {
	c.t.Helper()
	return c.check("met", kindInt, strconv.Itoa(n), nil)
}

// Missed checks the number of items that missed it.
func (c *RuleCheck) Missed(n int) *RuleCheck {
	c.t.Helper()
	return c.check("missed", kindInt, strconv.Itoa(n), nil)
}

// Excluded checks the number of items left out, for any reason.
func (c *RuleCheck) Excluded(n int) *RuleCheck {
	c.t.Helper()
	return c.check("excluded", kindExcluded, strconv.Itoa(n), nil)
}

// ExcludedFor checks the items left out, per reason.
func (c *RuleCheck) ExcludedFor(reasons map[string]int) *RuleCheck {
	c.t.Helper()
	return c.check("excluded", kindExcluded, "0", func(w *want) {
		w.reasons, w.text = reasons, fmt.Sprint(reasons)
	})
}

// Achieved checks the achieved value, written as the contract writes it
// (94.74%, 4.5, 2h30min) and compared to the precision written.
func (c *RuleCheck) Achieved(v string) *RuleCheck {
	c.t.Helper()
	return c.check("achieved", kindValue, v, nil)
}

// Status checks the outcome.
func (c *RuleCheck) Status(s sla.Status) *RuleCheck {
	c.t.Helper()
	return c.check("status", kindStatus, string(s), nil)
}

// SmallVolume checks whether the objective below the minimum volume applied.
func (c *RuleCheck) SmallVolume(b bool) *RuleCheck {
	c.t.Helper()
	return c.check("small_volume", kindBool, strconv.FormatBool(b), nil)
}

// Penalty checks the penalty due after every step of the pipeline, exactly:
// "150.00", or "3% * 18000".
func (c *RuleCheck) Penalty(amount string) *RuleCheck {
	c.t.Helper()
	return c.check("penalty", kindMoney, amount, nil)
}

// Bonus checks the bonus due after every step.
func (c *RuleCheck) Bonus(amount string) *RuleCheck {
	c.t.Helper()
	return c.check("bonus", kindMoney, amount, nil)
}

// RawPenalty checks the penalty as the rule's formulas give it.
func (c *RuleCheck) RawPenalty(amount string) *RuleCheck {
	c.t.Helper()
	return c.check("raw_penalty", kindMoney, amount, nil)
}

// RawBonus checks the bonus as the rule's formulas give it.
func (c *RuleCheck) RawBonus(amount string) *RuleCheck {
	c.t.Helper()
	return c.check("raw_bonus", kindMoney, amount, nil)
}

// Capped checks whether a cap cut the rule's amounts.
func (c *RuleCheck) Capped(b bool) *RuleCheck {
	c.t.Helper()
	return c.check("capped", kindBool, strconv.FormatBool(b), nil)
}

// MissedItems checks the IDs of the missed items, in any order.
func (c *RuleCheck) MissedItems(ids ...string) *RuleCheck {
	c.t.Helper()
	return c.check("missed_items", kindIDs, "", func(w *want) {
		w.ids, w.text = ids, fmt.Sprint(ids)
	})
}

// ExcludedItems checks the IDs of the items an exclusion left out, in
// any order: the rule's exclusions, the agreed ones and the outages too
// short to count (short abandons are counted, not listed; Excluded
// checks them).
func (c *RuleCheck) ExcludedItems(ids ...string) *RuleCheck {
	c.t.Helper()
	return c.check("excluded_items", kindIDs, "", func(w *want) {
		w.ids, w.text = ids, fmt.Sprint(ids)
	})
}

// PeriodCheck asserts the figures of a period as a whole.
type PeriodCheck struct {
	t TB
	p *sla.PeriodReport
}

// Period returns the checks of a period ("2027-04"); the test fails at
// once when the report has no such period.
func Period(t TB, rep *sla.Report, period string) *PeriodCheck {
	t.Helper()
	p, why := findPeriod(rep, period)
	if p == nil {
		t.Fatalf("period %s: %s", period, why)
	}
	return &PeriodCheck{t: t, p: p}
}

func (c *PeriodCheck) check(field string, kind fieldKind, text string) *PeriodCheck {
	c.t.Helper()
	w, err := parseWant(field, kind, text, nil)
	if err != nil {
		c.t.Errorf("%s %s: %v", c.p.Period, field, err)
		return c
	}
	if got, ok, trace := w.onPeriod(c.p); !ok {
		c.t.Errorf("%s", Failure{Period: c.p.Period, Field: field, Want: w.text, Got: got, Trace: trace}.Error())
	}
	return c
}

// Invoice checks the period's invoice total.
func (c *PeriodCheck) Invoice(amount string) *PeriodCheck {
	c.t.Helper()
	return c.check("invoice", kindMoney, amount)
}

// Penalties checks the penalties due for the period.
func (c *PeriodCheck) Penalties(amount string) *PeriodCheck {
	c.t.Helper()
	return c.check("penalties", kindMoney, amount)
}

// Bonuses checks the bonuses due for the period.
func (c *PeriodCheck) Bonuses(amount string) *PeriodCheck {
	c.t.Helper()
	return c.check("bonuses", kindMoney, amount)
}

// Net checks what the provider owes for the period.
func (c *PeriodCheck) Net(amount string) *PeriodCheck {
	c.t.Helper()
	return c.check("net", kindMoney, amount)
}

// Capped checks whether the monthly or the yearly cap cut the penalties.
func (c *PeriodCheck) Capped(b bool) *PeriodCheck {
	c.t.Helper()
	return c.check("capped", kindBool, strconv.FormatBool(b))
}

// BonusCapped checks whether the bonus cap cut the bonuses.
func (c *PeriodCheck) BonusCapped(b bool) *PeriodCheck {
	c.t.Helper()
	return c.check("bonus_capped", kindBool, strconv.FormatBool(b))
}

// T is what RunFile needs of a test: *testing.T satisfies T[*testing.T].
type T[Sub any] interface {
	TB
	Run(name string, f func(Sub)) bool
}

// RunFile runs a clause test file from a Go test, each case as a subtest
// named after it: a failing expectation fails its subtest with the
// file's line, what was expected, what came out and the report's trace.
//
//	func TestClauses(t *testing.T) { slatest.RunFile(t, "acme_test.yaml") }
func RunFile[Sub T[Sub]](t Sub, path string, opts ...Option) {
	t.Helper()
	s, err := Load(path, opts...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	for _, c := range s.Cases {
		t.Run(c.Name, func(t Sub) {
			t.Helper()
			res := c.Run(context.Background())
			if res.Err != nil {
				t.Fatalf("%s:%d: %v", c.File, c.Line, res.Err)
			}
			for _, f := range res.Failures {
				t.Errorf("%s", f.Error())
			}
		})
	}
}
