package simulate

import (
	"fmt"
	"strconv"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// RunFigures is what one run's report says, reduced to what a [Result]
// summarises: the money per contract year and over the span, each rule's
// and each cap's figures, and the accounting of the records. A Result
// keeps the figures of its runs ([Result.Figures]), which is what lets
// two results merge exactly ([Result.Merge]). Amounts are exact decimals.
type RunFigures struct {
	Run   int           `json:"run"`   // the run's index
	Years []YearFigures `json:"years"` // by contract year, in order
	Term  Money         `json:"term"`
	Rules []RuleFigures `json:"rules"` // in the contract's order, as Result.Rules
	Caps  []CapFigures  `json:"caps"`  // as Result.Caps
	// Records counts the records read, by source.
	Records  map[string]int `json:"records"`
	Rejected int            `json:"rejected,omitempty"`
	Errors   int            `json:"errors,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
	// Messages quotes the first rejections and rule errors.
	Messages []string `json:"messages,omitempty"`
	// Controls are the run's control counts, as Result.Controls, when
	// the simulation used control variates (Options.Controls).
	Controls []int `json:"controls,omitempty"`
}

// Money is what a span of one run invoices and costs in penalties and
// bonuses, after every step of the pipeline, and the net the provider
// owes.
type Money struct {
	Invoice   decimal.Decimal `json:"invoice"`
	Penalties decimal.Decimal `json:"penalties"`
	Bonuses   decimal.Decimal `json:"bonuses"`
	Net       decimal.Decimal `json:"net"`
}

// YearFigures is the money of one contract year of a run.
type YearFigures struct {
	Year int `json:"year"`
	Money
}

// RuleFigures is what one rule costs in a run over the span, and the
// periods it is breached in.
type RuleFigures struct {
	Penalty  decimal.Decimal `json:"penalty"`
	Bonus    decimal.Decimal `json:"bonus"`
	Breached int             `json:"breached,omitempty"`
}

// CapFigures is how often a cap cut an amount in a run, and by how much.
type CapFigures struct {
	Hits int             `json:"hits,omitempty"`
	Cut  decimal.Decimal `json:"cut"`
}

// capKey names a cap of the contract: a pipeline step, and the rule for
// the per-rule caps.
type capKey struct {
	step, rule string
}

// capList lists a contract's caps, rule caps first in rule order.
func capList(c *contract.Contract) []capKey {
	var out []capKey
	for _, r := range c.Rules() {
		if !r.Cap.IsZero() {
			out = append(out, capKey{string(contract.StepRuleCaps), r.ID})
		}
	}
	pl := c.Pipeline()
	if !pl.MonthCap.IsZero() {
		out = append(out, capKey{string(contract.StepMonthCap), ""})
	}
	if !pl.YearCap.IsZero() {
		out = append(out, capKey{string(contract.StepYearCap), ""})
	}
	if !pl.BonusCap.IsZero() {
		out = append(out, capKey{string(contract.StepBonus), ""})
	}
	return out
}

// maxMessages bounds the rejections and rule errors a run keeps.
const maxMessages = 5

// runFiguresOf reduces the report of run under contract c to what a result
// needs; years are the contract years of the span, in order.
func runFiguresOf(c *contract.Contract, years []int, run int, rep *sla.Report) RunFigures {
	f := RunFigures{Run: run, Records: map[string]int{}}
	rules := c.Rules()
	ruleIdx := make(map[string]int, len(rules))
	for i, r := range rules {
		ruleIdx[r.ID] = i
	}
	f.Rules = make([]RuleFigures, len(rules))
	caps := capList(c)
	capIdx := make(map[capKey]int, len(caps))
	for i, k := range caps {
		capIdx[k] = i
	}
	f.Caps = make([]CapFigures, len(caps))
	hit := func(k capKey, s sla.TraceLine) {
		if i, ok := capIdx[k]; ok && s.After.LessThan(s.Before.Decimal) {
			f.Caps[i].Hits++
			f.Caps[i].Cut = f.Caps[i].Cut.Add(s.Before.Sub(s.After.Decimal))
		}
	}
	for _, p := range rep.Periods {
		for _, rr := range p.Rules {
			i, ok := ruleIdx[rr.ID]
			if !ok {
				continue
			}
			f.Rules[i].Penalty = f.Rules[i].Penalty.Add(rr.Penalty.Decimal)
			f.Rules[i].Bonus = f.Rules[i].Bonus.Add(rr.Bonus.Decimal)
			if rr.Status == sla.StatusBreached {
				f.Rules[i].Breached++
			}
			for _, s := range rr.Steps {
				if s.Step == contract.StepRuleCaps && s.Kind == sla.PenaltyAmount {
					hit(capKey{string(s.Step), rr.ID}, s)
				}
			}
		}
		for _, s := range p.Steps {
			switch {
			case (s.Step == contract.StepMonthCap || s.Step == contract.StepYearCap) && s.Kind == sla.PenaltyAmount,
				s.Step == contract.StepBonus && s.Kind == sla.BonusAmount:
				hit(capKey{string(s.Step), ""}, s)
			}
		}
	}
	for _, y := range years {
		yf := YearFigures{Year: y}
		if yt, ok := rep.Totals.ContractYears[strconv.Itoa(y)]; ok {
			yf.Money = Money{Invoice: yt.Invoice.Decimal, Penalties: yt.Penalties.Decimal, Bonuses: yt.Bonuses.Decimal, Net: yt.Net.Decimal}
		}
		f.Years = append(f.Years, yf)
	}
	t := rep.Totals
	f.Term = Money{Invoice: t.Invoice.Decimal, Penalties: t.Penalties.Decimal, Bonuses: t.Bonuses.Decimal, Net: t.Net.Decimal}
	for src, rc := range rep.Records {
		f.Records[src] = rc.Read
		f.Rejected += rc.Rejected
	}
	f.Errors = len(rep.Errors)
	f.Warnings = rep.Warnings
	for _, r := range rep.Rejected {
		if len(f.Messages) == maxMessages {
			break
		}
		f.Messages = append(f.Messages, fmt.Sprintf("record %s %s rejected: %s", r.Source, r.ID, r.Error))
	}
	for _, e := range rep.Errors {
		if len(f.Messages) == maxMessages {
			break
		}
		f.Messages = append(f.Messages, fmt.Sprintf("rule %s failed on %s: %s", e.Rule, e.Item, e.Error))
	}
	return f
}
