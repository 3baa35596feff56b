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

// TestMeasureWritten checks the names an objective may write: a measure
// of the table (none aside), or a percentile with its rank in its name.
func TestMeasureWritten(t *testing.T) {
	type written struct {
		measure MeasureKind // "" for no measure
		rank    int
		args    MeasureArgs
	}
	for name, want := range map[string]written{
		"share": {MeasureShare, 0, ArgCondition}, "percentile": {MeasurePercentile, 0, ArgValueRank},
		"p90": {MeasurePercentile, 90, ArgValue}, "p0": {MeasurePercentile, 0, ArgValue},
		"p05": {MeasurePercentile, 5, ArgValue}, "p100": {MeasurePercentile, 100, ArgValue},
		"p101": {}, "p": {}, "p9a": {}, "P90": {}, "none": {}, "shares": {},
	} {
		m, rank, ok := measureWritten(name)
		require.Equal(t, want.measure != "", ok, name)
		if ok {
			require.Equal(t, want, written{m.Name, rank, m.Args}, name)
		}
	}
}
