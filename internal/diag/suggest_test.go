package diag

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSuggest(t *testing.T) {
	keys := []string{"priority", "kind", "elapsed", "open_time", "HO", "HE", "id", "scope", "median", "p90", "acknowledge_calendar"}
	for name, want := range map[string]string{
		"priorty":              "priority", // a letter left out
		"prioirty":             "priority", // two letters swapped
		"PRIORITY":             "priority", // case aside
		"kindd":                "kind",
		"iknd":                 "kind", // a swap counts one: "id" is two edits away
		"medain":               "median",
		"ho":                   "HO",
		"OH":                   "HO", // a swap in a short name
		"HQ":                   "HE", // a tie goes to the first in alphabetical order
		"di":                   "id",
		"P1":                   "", // two edits in two letters is not a typo
		"sope":                 "scope",
		"zzzzzzzz":             "",
		"":                     "",
		"acknowledge_calendra": "acknowledge_calendar",
		"acknowledge":          "", // a prefix is no typo: 9 letters missing
	} {
		require.Equal(t, want, Suggest(name, keys), name)
	}
	require.Equal(t, "", Suggest("x", nil))
	// The order of the candidates does not matter.
	require.Equal(t, "HE", Suggest("HQ", []string{"HO", "HE"}))
	require.Equal(t, "HE", Suggest("HQ", []string{"HE", "HO"}))
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"kitten", "sitting", 3},
		{"ab", "ba", 1},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a swapped pair
		{"été", "et", 2},
		{"abc", "", 3},
	} {
		require.Equal(t, tt.want, distance([]rune(tt.a), []rune(tt.b)), "%q %q", tt.a, tt.b)
		require.Equal(t, tt.want, distance([]rune(tt.b), []rune(tt.a)), "%q %q", tt.b, tt.a)
	}
}
