//go:build !race

package slatest_test

const raceEnabled = false
