package contract

import (
	"testing"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// TestMeasureTable checks that the entries of the table of measures hold
// together: one entry a name, a hint for each objective may write, a
// ratio only of decimals, and an aggregate for what is taken of items.
func TestMeasureTable(t *testing.T) {
	require.Equal(t, MeasureNone, Measures[0].Name, "the first entry is none: error messages list the others")
	seen := map[MeasureKind]bool{}
	for _, m := range Measures {
		require.False(t, seen[m.Name], "%s is in the table twice", m.Name)
		seen[m.Name] = true
		got, ok := MeasureOf(m.Name)
		require.True(t, ok)
		require.Equal(t, m.Name, got.Name)
		if m.Name == MeasureNone {
			require.Equal(t, OfNothing, m.Of)
			continue
		}
		require.Equal(t, m.Args != NoArgs, m.ArgsHint != "", "%s: arguments and their hint", m.Name)
		require.NotEqual(t, ItemNothing, m.Item, "%s takes nothing of items", m.Name)
		require.NotEqual(t, OfNothing, m.Of, "%s makes no value", m.Name)
		if m.Unit == UnitRatio {
			require.Equal(t, dsl.Decimal, m.Result, "%s is a ratio of another type", m.Name)
		}
		if m.Result == dsl.Unknown {
			require.True(t, m.Of.IsStatistic(), "%s takes its type from its argument but is no statistic", m.Name)
		}
	}
	_, ok := MeasureOf("p90")
	require.False(t, ok, "p90 is written, not named in the table")
}

// TestMeasureWritten checks the names an objective may write.
func TestMeasureWritten(t *testing.T) {
	tests := []struct {
		name    string
		measure MeasureKind
		rank    int
		args    MeasureArgs
		ok      bool
	}{
		{"share", MeasureShare, 0, ArgCondition, true},
		{"percentile", MeasurePercentile, 0, ArgValueRank, true},
		{"p90", MeasurePercentile, 90, ArgValue, true},
		{"p0", MeasurePercentile, 0, ArgValue, true},
		{"p05", MeasurePercentile, 5, ArgValue, true},
		{"p100", MeasurePercentile, 100, ArgValue, true},
		{"p101", "", 0, 0, false},
		{"p", "", 0, 0, false},
		{"p9a", "", 0, 0, false},
		{"P90", "", 0, 0, false},
		{"none", "", 0, 0, false},
		{"shares", "", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, rank, ok := measureWritten(tt.name)
			require.Equal(t, tt.ok, ok)
			if ok {
				require.Equal(t, tt.measure, m.Name)
				require.Equal(t, tt.rank, rank)
				require.Equal(t, tt.args, m.Args)
			}
		})
	}
}
