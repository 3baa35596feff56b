package sla

import (
	"math/rand/v2"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func penaltyCells(amounts ...string) []*cell {
	out := make([]*cell, len(amounts))
	for i, a := range amounts {
		out[i] = &cell{penalty: decimal.RequireFromString(a)}
	}
	return out
}

func TestReduceByLargestRemainder(t *testing.T) {
	cent := contract.Rounding{To: decimal.New(1, -2), Mode: contract.HalfUp}
	tests := []struct {
		name    string
		amounts []string
		limit   string
		want    []string
	}{
		// The May of the H1 golden test: the cents go to the largest cuts.
		{"two cents to the largest cuts", []string{"6.06", "1000", "300", "1851.15", "2000", "1800", "720"}, "4627.87",
			[]string{"3.65", "602.81", "180.84", "1115.89", "1205.61", "1085.05", "434.02"}},
		{"a third each: the first of equal amounts takes the cent", []string{"10", "10", "10"}, "10", []string{"3.34", "3.33", "3.33"}},
		{"equal cuts: the larger amount first", []string{"1", "2"}, "0.01", []string{"0.00", "0.01"}},
		{"nothing to share", []string{"0", "0"}, "5", []string{"0", "0"}},
		{"a limit of zero", []string{"7", "3"}, "0", []string{"0", "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reduce(penaltyCells(tt.amounts...), decimal.RequireFromString(tt.limit), false, cent)
			for i, w := range tt.want {
				require.True(t, decimal.RequireFromString(w).Equal(got[i]), "share %d: want %s, got %s", i, w, got[i])
			}
		})
	}
}

// Whatever the amounts, the shares add up to the limit and each is its
// exact proportion rounded down or up to the cent.
func TestReduceSharesAddUpWithinACent(t *testing.T) {
	cent := decimal.New(1, -2)
	r := rand.New(rand.NewPCG(16, 7))
	for range 500 {
		n := 1 + r.IntN(8)
		amounts := make([]string, n)
		total := decimal.Zero
		for i := range amounts {
			v := decimal.New(r.Int64N(500000), -2)
			amounts[i] = v.String()
			total = total.Add(v)
		}
		if !total.IsPositive() {
			continue
		}
		limit := decimal.New(r.Int64N(total.Shift(2).IntPart()+1), -2)
		cells := penaltyCells(amounts...)
		got := reduce(cells, limit, false, contract.Rounding{To: cent, Mode: contract.HalfUp})
		sum := decimal.Zero
		for i, g := range got {
			sum = sum.Add(g)
			exact := cells[i].penalty.Mul(limit).DivRound(total, 20)
			require.True(t, g.Sub(exact).Abs().LessThan(cent), "share %s of %s: %s for exactly %s", amounts[i], limit, g, exact)
		}
		require.True(t, sum.Equal(limit), "%v under %s: shares add up to %s", amounts, limit, sum)
	}
}
