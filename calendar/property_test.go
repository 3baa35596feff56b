package calendar_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
	"github.com/stretchr/testify/require"
)

// calReference is rickar/cal's business calendar set up as Mon–Fri
// 09:00–17:00 with French holidays: the same calendar as referenceSpec.
func calReference() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(fr.Holidays...)
	return bc
}

const referenceSpec = "mon-fri 09:00-17:00; holidays FR; tz Europe/Paris"

// randomInstant returns an instant between 2020 and 2040, to the second:
// rickar/cal ignores nanoseconds when it decides whether an instant is
// inside working hours, so sub-second instants are compared elsewhere.
func randomInstant(r *rand.Rand) time.Time {
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	to := time.Date(2040, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	return time.Unix(from+r.Int64N(to-from), 0)
}

func randomSpan(r *rand.Rand) time.Duration {
	switch r.IntN(3) {
	case 0:
		return time.Duration(r.Int64N(int64(8 * time.Hour)))
	case 1:
		return time.Duration(r.Int64N(int64(10 * 24 * time.Hour)))
	default:
		return time.Duration(r.Int64N(int64(90 * 24 * time.Hour)))
	}
}

// TestAgreesWithRickarCal: Between and Add give what rickar/cal gives on
// the same calendar, from random instants.
func TestAgreesWithRickarCal(t *testing.T) {
	ours := calendar.MustParse(referenceSpec)
	theirs := calReference()
	paris := mustLoad(t, "Europe/Paris")
	t.Run("Between", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 20000 {
			from := randomInstant(r)
			to := from.Add(randomSpan(r)).Truncate(time.Second)
			want := theirs.WorkHoursInRange(from.In(paris), to.In(paris))
			require.Equal(t, want, ours.Between(from, to), "from %s to %s", from.In(paris), to.In(paris))
		}
	})
	t.Run("Add", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for range 20000 {
			from := randomInstant(r)
			d := time.Duration(1+r.Int64N(200*3600)) * time.Second
			want := theirs.AddWorkHours(from.In(paris), d)
			got := ours.Add(from, d)
			require.True(t, want.Equal(got), "from %s + %s: cal %s, pacte %s", from.In(paris), d, want, got)
		}
	})
}

// propertyCalendars are calendars of every shape the property tests run
// on: office hours, their complement, long days, windows across midnight
// in a zone behind UTC, always open, one minute a week ahead of UTC.
func propertyCalendars() map[string]*calendar.Calendar {
	return map[string]*calendar.Calendar{
		"HO":     calendar.MustParse(hoSpec),
		"HNO":    calendar.MustParse(hoSpec).Complement(),
		"HE":     calendar.MustParse("mon-sat 07:00-20:00; holidays FR; tz Europe/Paris"),
		"nyc":    calendar.MustParse("mon-fri 00:30-03:30,22:00-24:00; holidays US; tz America/New_York"),
		"24x7":   calendar.MustParse("24x7; tz Europe/Paris"),
		"sparse": calendar.MustParse("sat 10:00-10:01; tz Asia/Tokyo"),
	}
}

func TestBetweenProperties(t *testing.T) {
	cals := propertyCalendars()
	for name, c := range cals {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, 6))
			for range 5000 {
				// Nanosecond instants: exactness must not depend on whole seconds.
				a := randomInstant(r).Add(time.Duration(r.Int64N(int64(time.Second))))
				b := a.Add(randomSpan(r))
				c3 := b.Add(randomSpan(r))
				ab, bc, ac := c.Between(a, b), c.Between(b, c3), c.Between(a, c3)
				require.Equal(t, ac, ab+bc, "additivity at %s, %s, %s", a, b, c3)
				require.LessOrEqual(t, ab, b.Sub(a))
				require.GreaterOrEqual(t, ab, time.Duration(0))

				d := time.Duration(1 + r.Int64N(int64(100*time.Hour)))
				end := c.Add(a, d)
				require.Equal(t, d, c.Between(a, end), "Between(a, Add(a, %s)) at %s", d, a)
				// No earlier instant has that much open time.
				require.Less(t, c.Between(a, end.Add(-time.Nanosecond)), d)
			}
		})
	}
}

func TestComplementProperty(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	hno := ho.Complement()
	r := rand.New(rand.NewPCG(7, 8))
	for range 5000 {
		a := randomInstant(r)
		b := a.Add(randomSpan(r))
		require.Equal(t, b.Sub(a), ho.Between(a, b)+hno.Between(a, b))
		require.NotEqual(t, ho.IsOpen(a), hno.IsOpen(a))
	}
}

func TestEndOfOpenDayProperties(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	r := rand.New(rand.NewPCG(9, 10))
	for range 2000 {
		from := randomInstant(r)
		n := 1 + r.IntN(15)
		end := ho.EndOfOpenDay(from, n)
		// The end of an open day: open just before, closed at it.
		require.True(t, ho.IsOpen(end.Add(-time.Second)), "%s +%d: %s", from, n, end)
		require.False(t, ho.IsOpen(end))
		// Exactly n open days lie strictly after from's day, up to it.
		y, m, d := from.In(ho.Location()).Date()
		dayAfter := time.Date(y, m, d+1, 0, 0, 0, 0, ho.Location())
		open := 0
		for day := dayAfter; day.Before(end); day = day.AddDate(0, 0, 1) {
			if ho.Between(day, day.AddDate(0, 0, 1)) > 0 {
				open++
			}
		}
		require.Equal(t, n, open, "%s +%d: %s", from, n, end)
	}
}

// OpenDaysBudget is Between(from, EndOfOpenDay(from, n)) with one lookup:
// the two must agree on every calendar, near New Year, in zones either
// side of UTC, at the ends of the range, with n ≤ 0 and with nanoseconds.
func TestOpenDaysBudgetIsBetweenEndOfOpenDay(t *testing.T) {
	cals := propertyCalendars()
	cals["never"] = calendar.MustParse("24x7; tz UTC").Complement()
	cals["apia"] = calendar.MustParse("mon-fri 09:00-17:00; tz Pacific/Apia")
	cals["kiribati"] = calendar.MustParse("sun 23:00-24:00; tz Pacific/Kiritimati")
	edges := []time.Time{
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1899, 12, 31, 12, 0, 0, 0, time.UTC),
		time.Date(2199, 12, 20, 12, 0, 0, 0, time.UTC),
		time.Date(2199, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 19, 0, 0, 0, time.UTC),
		time.Date(2011, 12, 29, 12, 0, 0, 0, time.UTC), // Apia skipped 30 December
	}
	r := rand.New(rand.NewPCG(11, 12))
	for name, c := range cals {
		for k := range 3000 {
			from := randomInstant(r).Add(time.Duration(r.Int64N(int64(time.Second))))
			if k%10 == 0 { // a week around New Year
				y := 1990 + r.IntN(60)
				from = time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(7 * 24 * time.Hour))))
			}
			if k < len(edges) {
				from = edges[k]
			}
			n := r.IntN(15) - 2
			if k%100 == 1 {
				n = 200 + r.IntN(400) // over a year, or two
			}
			want := c.Between(from, c.EndOfOpenDay(from, n))
			require.Equal(t, want, c.OpenDaysBudget(from, n), "%s: %s, %d open days", name, from, n)
		}
	}
}
