package dsl

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"
)

// RuleResult is what a formula reads of another rule's (or group's)
// period with result("ID") or result("ID", -1): the period's status and
// figures, and the amounts it carried before the caps.
type RuleResult struct {
	// Measured: the rule was evaluated in that period and its objective
	// applied (met or breached). A period before the data, or one where
	// nothing was measured, reads as not measured, every figure zero.
	Measured    bool `expr:"measured"`
	Breached    bool `expr:"breached"`
	Consecutive int  `expr:"consecutive"` // breached periods in a row, that one included
	// Penalised: the rule carried a penalty in that period, its amount
	// after observation, franchise, repeat and rounding, before the caps,
	// above zero. A breach the franchise waived carried none.
	Penalised bool `expr:"penalised"`
	Eligible  int  `expr:"eligible"`
	Met       int  `expr:"met"`
	Missed    int  `expr:"missed"`
	// Achieved is the measured value of a rule whose measure is a share,
	// a rate, a score or a count (a count as a decimal);
	// AchievedDuration that of a rule whose measure is a duration.
	Achieved         decimal.Decimal `expr:"achieved"`
	AchievedDuration time.Duration   `expr:"achieved_duration"`
	Penalty          decimal.Decimal `expr:"penalty"` // the amount carried, before the caps
	Bonus            decimal.Decimal `expr:"bonus"`   // the bonus, before the bonus cap
}

// RuleResults gives the results of the rules and groups to the formulas
// that read them: the engine sets it in their environment. offset is 0
// for the period being evaluated, -1 for the one before, and so on.
type RuleResults interface {
	RuleResult(id string, offset int) RuleResult
}

// resultSource is an environment that reads results.
type resultSource interface {
	ruleResult(id string, offset int) (RuleResult, error)
}

var errNoResults = errors.New("result() is only available in the penalty, bonus and cap formulas of a rule or a group")

func readResult(r RuleResults, id string, offset int) (RuleResult, error) {
	if r == nil {
		return RuleResult{}, errNoResults
	}
	return r.RuleResult(id, offset), nil
}

func (p Period[M]) ruleResult(id string, offset int) (RuleResult, error) {
	return readResult(p.Results, id, offset)
}

func (g Group) ruleResult(id string, offset int) (RuleResult, error) {
	return readResult(g.Results, id, offset)
}

// Group is the environment of a rule group's penalty, bonus and cap
// formulas: the group's measures over one period, taken from its
// members' results in that period.
type Group struct {
	Start        time.Time `expr:"start"`
	End          time.Time `expr:"end"`
	Month        int       `expr:"month"`
	Year         int       `expr:"year"`
	ContractYear int       `expr:"contract_year"`

	Members  int `expr:"members"`  // the members of the group
	Measured int `expr:"measured"` // the members whose objective applied (met or breached)

	Breached      bool `expr:"breached"`       // a member was breached
	BreachedCount int  `expr:"breached_count"` // the members breached
	Consecutive   int  `expr:"consecutive"`    // periods in a row with a member breached, this one included

	// Penalised: a member carried a penalty (see RuleResult.Penalised).
	Penalised       bool            `expr:"penalised"`
	PenalisedCount  int             `expr:"penalised_count"`    // the members that carried a penalty
	PenalisedInARow int             `expr:"penalised_in_a_row"` // periods in a row with a member penalised, this one included
	MembersPenalty  decimal.Decimal `expr:"members_penalty"`    // the members' penalties carried, added up
	Invoice         decimal.Decimal `expr:"invoice"`

	Fees    map[string]decimal.Decimal `expr:"-"` // read by fee()
	Results RuleResults                `expr:"-"` // read by result()
	metered
}

func (g Group) fee(units ...string) decimal.Decimal { return sumFees(g.Fees, units) }

// resultFunctions are the functions that read other rules' results.
func resultFunctions() []funcDef {
	read := func(_ *config, a []any) (any, error) {
		src, ok := a[0].(resultSource)
		if !ok {
			return nil, errNoResults
		}
		offset := 0
		if len(a) > 2 {
			offset = a[2].(int)
		}
		return src.ruleResult(a[1].(string), offset)
	}
	return []funcDef{
		{name: "result", env: true,
			doc:   `result("P1-RESTORE"), result("P1-RESTORE", -1): another rule's or group's result in this period, or in one before`,
			types: []any{new(func(any, string) RuleResult), new(func(any, string, int) RuleResult)},
			impl:  read},
	}
}
