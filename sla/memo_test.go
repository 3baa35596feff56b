package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// The open memo answers what the calendar answers, for instants in time
// order (mostly hits), out of order, on window bounds to the nanosecond,
// across the DST changes and the holidays, and on calendars that never
// close or never open.
func TestOpenMemoIsCalendar(t *testing.T) {
	for _, spec := range []string{
		"mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris",
		"mon-sun 00:30-03:30; tz Europe/Paris", // windows across the DST changes
		"24x7; tz Europe/Paris",
		"mon-fri 23:00-24:00; tue-sat 00:00-01:00; tz America/New_York", // touching windows
	} {
		t.Run(spec, func(t *testing.T) {
			cal, err := calendar.Parse(spec)
			require.NoError(t, err)
			p, err := dsl.Compile[dsl.Call](`is_open("X", offered)`, dsl.Calendars(map[string]*calendar.Calendar{"X": cal}))
			require.NoError(t, err)
			c, at, ok := p.OpenTest()
			require.True(t, ok)
			m := openMemo[dsl.Call]{cal: c, at: at, from: 1}
			r := rand.New(rand.NewPCG(1, 2))
			base := time.Date(2027, 1, 1, 0, 0, 0, 0, cal.Location())
			instant := base
			for i := range 30000 {
				switch r.IntN(10) {
				case 0: // out of order
					instant = base.Add(time.Duration(r.Int64N(int64(3 * 366 * 24 * time.Hour))))
				case 1: // on a bound, or a nanosecond before it
					next := cal.NextClosing(instant)
					if r.IntN(2) == 0 {
						next = cal.NextOpening(instant)
					}
					if next.Before(calendar.Never) {
						instant = next.Add(-time.Duration(r.IntN(2)))
					}
				default:
					instant = instant.Add(time.Duration(r.Int64N(int64(40 * time.Minute))))
				}
				env := dsl.NewCall(&pacte.Call{ID: "C", Offered: instant})
				require.Equal(t, cal.IsOpen(instant), m.isOpen(&env), "call %d at %s", i, instant)
			}
		})
	}
}
