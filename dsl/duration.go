package dsl

import (
	"errors"
	"fmt"
	"time"
)

// ParseDuration reads a duration literal of the language: 4h, 30s, 15min,
// 1h30min, 250ms, 1.5h. The error of a text that is not one is an [*Error]
// of code [ErrLiteral], placed at its fault (Offset, Line, Column), with
// a hint where the language has one ("write min for minutes: 15min").
func ParseDuration(s string) (time.Duration, error) {
	rs := []rune(s)
	end := 0
	var d time.Duration
	if len(rs) > 0 && isDigit(rs[0]) {
		var err error
		end, err = scanDuration(rs, 0, func(_, _ int, v any) { d = v.(time.Duration) })
		if le := (*literalError)(nil); errors.As(err, &le) {
			return 0, positioned(s, le.from, &Error{Code: ErrLiteral, Msg: le.msg, Hint: le.hint})
		}
	}
	if end == 0 || end < len(rs) {
		return 0, positioned(s, end, &Error{Code: ErrLiteral, Msg: fmt.Sprintf("bad duration %q", s),
			Hint: "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s"})
	}
	return d, nil
}
