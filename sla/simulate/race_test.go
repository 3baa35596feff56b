//go:build race

package simulate

// raceEnabled is true when the tests run under the race detector, which
// makes the statistical tests' thousands of runs ten times slower.
const raceEnabled = true
