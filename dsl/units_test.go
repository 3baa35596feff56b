package dsl

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// shareUnits are the units of a rule whose objective is a share, and of
// result("S").achieved, a share, and result("C").achieved, a count.
var shareUnits = Units{
	Names: map[string]Unit{"achieved": Share, "objective": Share, "shortfall": Share,
		"eligible": Count, "met": Count, "missed": Count, "excluded": Count, "consecutive": Count},
	Result: func(id, field string) Unit {
		switch {
		case field == "achieved" && id == "S":
			return Share
		case field == "achieved" && id == "C", field == "missed":
			return Count
		}
		return NoUnit
	},
}

// What a share, a count and a plain number may be compared with, added
// to and taken the least or the greatest of.
func TestCheckUnitsAccepts(t *testing.T) {
	for _, src := range []string{
		"achieved < 80%",
		"achieved >= 99.5% && achieved < 100%",
		"80% > achieved",
		"achieved - objective < 5%",
		"shortfall > 0",  // 0 is 0 in every unit
		"shortfall > 0%", // and so written
		"achieved == 0",
		"achieved * 100 < 80",        // points
		"100 * shortfall >= 2",       // points
		"shortfall / 1% > 2",         // points
		"ceil(shortfall / 1%) * 100", // an amount per started point
		"achieved / objective < 0.9", // a ratio of two shares
		"shortfall * invoice > 1000", // an amount
		"achieved < objective - 5%",  // a share less a percentage
		"min(achieved, 90%) < 85%",   // min of shares
		"round(achieved, 2) >= 95%",  // rounded, still a share
		"missed > 3 && consecutive >= 2",
		"missed + excluded > 10",
		"missed / eligible > 5%",      // a share of the items
		"missed > 5% * eligible",      // a count against a count's share
		"eligible * 5% < 3",           // a count's share is a number
		"invoice > 1000 && late > 4h", // no unit
		`result("S").achieved < 90%`,
		`result("C").achieved > 3`,
		`let r = result("S"); r.achieved >= 95% ? 1 : 0`,
		`result("X").achieved < 80`, // a rule that measures no share
		"let a = 80%; achieved < a",
		"(breached ? achieved : 0) < 80%",
		`$env.achieved < 80%`,
	} {
		p := compileT[Period[decimal.Decimal]](t, src)
		require.NoError(t, p.CheckUnits(shareUnits), src)
	}
}

// A share compared with or added to a number without its percent sign, a
// share with a count, a count with a percentage: refused at the number,
// saying what the value is and how to write the number.
func TestCheckUnitsRefuses(t *testing.T) {
	for _, tt := range []struct {
		src, msg, hint string
		col            int
	}{
		{"achieved < 80", "achieved is a share (80% is 0.8), and 80 a number without its percent sign: achieved < 80 always holds", "write 80%", 12},
		{"achieved >= 95", "achieved is a share (95% is 0.95), and 95 a number without its percent sign: achieved >= 95 never holds", "write 95%", 13},
		{"80 <= achieved", "achieved is a share (80% is 0.8), and 80 a number without its percent sign: 80 <= achieved never holds", "write 80%", 1},
		{"achieved != -5", "achieved is a share (-5% is -0.05), and -5 a number without its percent sign: achieved != -5 always holds", "write -5%", 13},
		{"shortfall > 2", "shortfall is a share (2% is 0.02), and 2 a number without its percent sign: shortfall > 2 never holds", "write 2%", 13},
		{"achieved < 1", "achieved is a share, and 1 a number without its percent sign: 100% or 1%?", "write the percentage meant: 100%, or 1% for one point", 12},
		{"shortfall >= 0.5", "shortfall is a share, and 0.5 a number without its percent sign: 50% or 0.5%?", "write the percentage meant: 50%, or 0.5% for 0.5 of a point", 14},
		{"achieved - objective < 5", "achieved - objective is a share (5% is 0.05), and 5 a number without its percent sign", "write 5%", 24},
		{"achieved + 5 > 90%", "achieved is a share (5% is 0.05), and 5 a number without its percent sign", "write 5%", 12},
		{"min(achieved, 90) < 85%", "achieved is a share (90% is 0.9), and 90 a number without its percent sign", "write 90%", 15},
		{"let a = achieved; a < 80", "a is a share (80% is 0.8), and 80 a number without its percent sign: a < 80 always holds", "write 80%", 23},
		{"let limit = 80; achieved < limit", "achieved is a share (80% is 0.8), and 80 a number without its percent sign: achieved < 80 always holds", "write 80%", 13},
		{`$env["shortfall"] > 3`, "shortfall is a share (3% is 0.03), and 3 a number without its percent sign: shortfall > 3 never holds", "write 3%", 21},
		{`result("S").achieved < 80`, `result("S").achieved is a share (80% is 0.8), and 80 a number without its percent sign: result("S").achieved < 80 always holds`, "write 80%", 24},
		{`let r = result("S"); r.achieved < 80 ? 1 : 0`, "r.achieved is a share (80% is 0.8), and 80 a number without its percent sign: r.achieved < 80 always holds", "write 80%", 35},
		{"missed > 5%", "missed is a count, a whole number, and 5% a percentage, the number 0.05", "write the number itself: 5; a share is a count divided by another: missed / eligible", 10},
		{`result("C").missed >= 10%`, `result("C").missed is a count, a whole number, and 10% a percentage, the number 0.1`, "write the number itself: 10; a share is a count divided by another: missed / eligible", 23},
		{"achieved > missed", "achieved is a share and missed a count", "a share is a count divided by another: missed / eligible", 12},
		{"achieved * 100 < 80%", "achieved * 100 is a number of points, and 80% a percentage, the number 0.8", "write the points without %: 80; or compare the share itself with 80%", 18},
		{"ceil(shortfall / 1%) >= 2%", "shortfall / 1% is a number of points, and 2% a percentage, the number 0.02", "write the points without %: 2; or compare the share itself with 2%", 25},
		{"breached &&\n  achieved < 90", "achieved is a share (90% is 0.9), and 90 a number without its percent sign: achieved < 90 always holds", "write 90%", 14},
	} {
		p := compileT[Period[decimal.Decimal]](t, tt.src)
		err := p.CheckUnits(shareUnits)
		e := asError(t, err)
		require.ErrorIs(t, err, ErrType, tt.src)
		require.Equal(t, tt.msg, e.Msg, tt.src)
		require.Equal(t, tt.hint, e.Hint, tt.src)
		require.Equal(t, tt.col, e.Column, tt.src)
	}
}

// Every mistake of an expression is reported, in the order of the source.
func TestCheckUnitsReportsEach(t *testing.T) {
	p := compileT[Period[decimal.Decimal]](t, "achieved < 80 || shortfall > 5 || missed > 5%")
	var list ErrorList
	require.ErrorAs(t, p.CheckUnits(shareUnits), &list)
	require.Len(t, list, 3)
	for i, col := range []int{12, 30, 44} {
		require.Equal(t, col, list[i].Column)
	}
}

// A number bound by let and used twice is one mistake, reported once.
func TestCheckUnitsLetReportedOnce(t *testing.T) {
	p := compileT[Period[decimal.Decimal]](t, "let limit = 80; breached && achieved < limit ? 1 : achieved < limit ? 2 : 0")
	err := p.CheckUnits(shareUnits)
	var list ErrorList
	require.False(t, errors.As(err, &list), "one error, not a list: %v", err)
	require.Equal(t, 13, asError(t, err).Column)
}

// Without units, nothing is checked: a score compared with a number is a
// score.
func TestCheckUnitsWithoutUnits(t *testing.T) {
	p := compileT[Period[decimal.Decimal]](t, `achieved >= 4.5 && result("S").achieved < 80`)
	require.NoError(t, p.CheckUnits(Units{}))
}
