package exact

import (
	"strconv"
	"strings"
	"time"
)

// FormatDuration writes a duration exactly, the way the language writes
// its literals: 4h, 1h30min, 45s, 1us500ns.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	for _, u := range []struct {
		name string
		size time.Duration
	}{{"h", time.Hour}, {"min", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", time.Nanosecond}} {
		if d >= u.size {
			b.WriteString(strconv.FormatInt(int64(d/u.size), 10))
			b.WriteString(u.name)
			d %= u.size
		}
	}
	return b.String()
}
