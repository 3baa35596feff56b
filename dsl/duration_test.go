package dsl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	for s, want := range map[string]time.Duration{
		"4h":      4 * time.Hour,
		"30s":     30 * time.Second,
		"15min":   15 * time.Minute,
		"1h30min": 90 * time.Minute,
		"1.5h":    90 * time.Minute,
		"250ms":   250 * time.Millisecond,
		"1_000ms": time.Second,
		"0s":      0,
	} {
		got, err := ParseDuration(s)
		require.NoError(t, err, s)
		require.Equal(t, want, got, s)
	}
	for _, tt := range []struct {
		src, msg, hint string
		col            int
	}{
		{"30m", `unknown duration unit "m" in "30m"`, `"m" could be minutes or months: write min for minutes`, 1},
		{"1h30mn", `unknown duration unit "mn" in "1h30mn"`, "write min for minutes: 15min", 1},
		{"3d", `unknown duration unit "d" in "3d"`, "day units are explicit: calendar_days(3) is 72 hours, end_of_open_day(3) the end of the third open day, 27h is 27 hours of open time", 1},
		{"4h ", `bad duration "4h "`, "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s", 3},
		{"4h+1h", `bad duration "4h+1h"`, "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s", 3},
		{"-4h", `bad duration "-4h"`, "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s", 1},
		{"", `bad duration ""`, "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s", 1},
		{"4", `a number without its unit in "4"`, "give each number its unit: 1h30min", 1},
		{"0.5ns", `duration "0.5ns" is not a whole number of nanoseconds`, "", 1},
	} {
		_, err := ParseDuration(tt.src)
		require.ErrorIs(t, err, ErrLiteral, tt.src)
		e := asError(t, err)
		require.Equal(t, tt.msg, e.Msg, tt.src)
		require.Equal(t, tt.hint, e.Hint, tt.src)
		require.Equal(t, 1, e.Line, tt.src)
		require.Equal(t, tt.col, e.Column, tt.src)
	}
}

// A duration written the same way means the same in a contract's
// expression and read alone.
func TestParseDurationAgreesWithExpressions(t *testing.T) {
	for _, s := range []string{"4h", "15min", "1h30min", "90s", "1.25h", "2h0min30s"} {
		got, err := ParseDuration(s)
		require.NoError(t, err, s)
		p, err := Compile[Ticket](s, Expect(Duration))
		require.NoError(t, err, s)
		want, err := EvalAs[time.Duration](p, &Ticket{})
		require.NoError(t, err, s)
		require.Equal(t, want, got, s)
	}
}

// FuzzParseDuration: no text makes ParseDuration panic; what it reads,
// an expression reads the same; what it refuses is an *Error placed in
// the text.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"4h", "1h30min", "1.5h", "30m", "3d", "1_0s", "9999999999h", "1h 30min", "µs", "1µs"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDuration(s)
		if err != nil {
			e := asError(t, err)
			if e.Line < 1 || e.Column < 1 || e.Offset > len([]rune(s)) {
				t.Fatalf("%q: error at %d:%d (offset %d): %v", s, e.Line, e.Column, e.Offset, err)
			}
			return
		}
		if got < 0 {
			t.Fatalf("%q: negative duration %v", s, got)
		}
		p, err := Compile[Ticket](s, Expect(Duration))
		if err != nil {
			t.Fatalf("%q read alone but not as an expression: %v", s, err)
		}
		want, err := EvalAs[time.Duration](p, &Ticket{})
		if err != nil || want != got {
			t.Fatalf("%q: %v alone, %v (%v) as an expression", s, got, want, err)
		}
	})
}
