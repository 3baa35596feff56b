package diag

import "strings"

// Suggest returns the candidate nearest to name when it is near enough to
// be a typing error, or "": the source of every "did you mean" hint.
//
// Nearness is the optimal string alignment distance, letter case aside:
// an insertion, a deletion, a substitution or a swap of two neighbouring
// letters counts one. A typo changes about one letter in three, and never
// more than three: "priorty" is "priority" and "medain" is "median", but
// "P1" is not "id". Of candidates equally near, the first in alphabetical
// order wins, so that the hint does not depend on the order of the list.
func Suggest(name string, candidates []string) string {
	lower := []rune(strings.ToLower(name))
	limit := min(3, len(lower)/3+1)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := distance(lower, []rune(strings.ToLower(c)))
		if d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b: the
// Levenshtein distance with swaps of neighbours counting one.
func distance(a, b []rune) int {
	// Three rows of the table: i-2, i-1 and i.
	rows := make([]int, 3*(len(b)+1))
	prev2, prev, cur := rows[:len(b)+1], rows[len(b)+1:2*(len(b)+1)], rows[2*(len(b)+1):]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
