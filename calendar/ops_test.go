package calendar_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

const hoSpec = "mon-fri 08:00-12:30,13:30-18:00; holidays FR; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00; tz Europe/Paris"

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// at reads "2006-01-02 15:04" in Europe/Paris.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, mustLoad(t, "Europe/Paris"))
	require.NoError(t, err)
	return v
}

func TestIsOpen(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	tests := []struct {
		at   string
		open bool
	}{
		{"2027-03-01 07:59", false},
		{"2027-03-01 08:00", true}, // windows open at their start
		{"2027-03-01 12:29", true},
		{"2027-03-01 12:30", false}, // and are closed at their end
		{"2027-03-01 13:30", true},
		{"2027-03-01 18:00", false},
		{"2027-03-06 10:00", false}, // Saturday
		{"2027-05-17 10:00", false}, // Whit Monday
		{"2027-12-24 13:59", true},
		{"2027-12-24 14:00", false}, // closes at 14:00 on 24 December
		{"2027-12-31 13:45", true},
		{"2027-12-31 15:00", false},
		{"2027-12-27 15:00", true}, // 26 December is not a holiday outside Alsace-Moselle
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			require.Equal(t, tt.open, ho.IsOpen(at(t, tt.at)))
		})
	}
}

func TestBetweenAddEndOfOpenDay(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	he := calendar.MustParse("mon-sat 07:00-20:00; holidays FR; tz Europe/Paris")
	tests := []struct {
		name     string
		cal      *calendar.Calendar
		from, to string
		between  time.Duration
	}{
		{"within a window", ho, "2027-03-01 09:00", "2027-03-01 10:15", 75 * time.Minute},
		{"over lunch", ho, "2027-03-01 12:00", "2027-03-01 14:00", time.Hour},
		{"a whole day", ho, "2027-03-01 00:00", "2027-03-02 00:00", 9 * time.Hour},
		{"over a weekend", ho, "2027-03-05 17:00", "2027-03-08 09:00", 2 * time.Hour},
		{"over Whit Monday", ho, "2027-05-14 17:00", "2027-05-18 09:00", 2 * time.Hour},
		{"Christmas week", ho, "2027-12-23 10:00", "2027-12-28 10:00", 7*time.Hour + 5*time.Hour + 9*time.Hour + 2*time.Hour},
		{"reversed", ho, "2027-03-01 10:00", "2027-03-01 09:00", 0},
		{"empty", ho, "2027-03-01 10:00", "2027-03-01 10:00", 0},
		{"HE Saturday", he, "2027-03-06 06:00", "2027-03-06 21:00", 13 * time.Hour},
		{"HE over New Year", he, "2027-12-31 19:00", "2028-01-03 08:00", 2 * time.Hour}, // 1 January is a Saturday and a holiday
		{"a year of HO", ho, "2027-01-01 00:00", "2028-01-01 00:00", 2278 * time.Hour},  // see TestYearOfHO
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := at(t, tt.from), at(t, tt.to)
			got := tt.cal.Between(from, to)
			require.Equal(t, tt.between, got)
			if got > 0 {
				end := tt.cal.Add(from, got)
				require.False(t, end.After(to))
				require.Equal(t, got, tt.cal.Between(from, end))
			}
		})
	}
}

// A year of HO, counted by hand. 2027 starts on a Friday and has 261
// weekdays. Seven holidays fall on a weekday: 1 January (Fri), Easter
// Monday 29 March, Ascension 6 May (Thu), Whit Monday 17 May, 14 July
// (Wed), 1 November (Mon), 11 November (Thu); 1 and 8 May, 15 August and
// 25 December fall on a weekend. 254 open days of 9 h, less 4 h on 24 and
// 31 December (Fridays, closing at 14:00): 2286 − 8 = 2278 h.
func TestYearOfHO(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	days := 0
	for d := at(t, "2027-01-01 12:00"); d.Year() == 2027; d = d.AddDate(0, 0, 1) {
		if ho.Between(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, d.Location()), time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, d.Location())) > 0 {
			days++
		}
	}
	require.Equal(t, 254, days)
	require.Equal(t, 2278*time.Hour, ho.Between(at(t, "2027-01-01 00:00"), at(t, "2028-01-01 00:00")))
}

func TestAdd(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	tests := []struct {
		from string
		d    time.Duration
		want string
	}{
		{"2027-03-01 09:00", 2 * time.Hour, "2027-03-01 11:00"},
		{"2027-03-01 11:00", 2 * time.Hour, "2027-03-01 14:00"},                // 1 h 30 before lunch, 30 min after
		{"2027-03-01 07:00", time.Hour, "2027-03-01 09:00"},                    // counts from the opening
		{"2027-03-01 08:00", 4*time.Hour + 30*time.Minute, "2027-03-01 12:30"}, // the end of a window, not the next opening
		{"2027-03-05 17:00", 4 * time.Hour, "2027-03-08 11:00"},
		{"2027-05-14 17:00", 2 * time.Hour, "2027-05-18 09:00"},  // over Whit Monday
		{"2027-12-24 13:00", 2 * time.Hour, "2027-12-27 09:30"},  // 30 min before the 14:00 closing, then 1 h 30
		{"2027-12-31 13:30", 45 * time.Hour, "2028-01-07 17:30"}, // 30 min, then 44 h 30 from Monday 3 January
		{"2027-03-01 09:00", 0, "2027-03-01 09:00"},
		{"2027-03-01 09:00", -time.Hour, "2027-03-01 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.from+"+"+tt.d.String(), func(t *testing.T) {
			got := ho.Add(at(t, tt.from), tt.d)
			require.True(t, at(t, tt.want).Equal(got), "got %s", got)
			require.Equal(t, ho.Location(), got.Location())
		})
	}
}

func TestEndOfOpenDay(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2027-03-01 10:00", 1, "2027-03-02 18:00"},
		{"2027-03-01 10:00", 3, "2027-03-04 18:00"},
		{"2027-03-04 10:00", 3, "2027-03-09 18:00"}, // over a weekend
		{"2027-03-06 10:00", 1, "2027-03-08 18:00"}, // from a Saturday
		{"2027-05-13 10:00", 3, "2027-05-19 18:00"}, // over the weekend and Whit Monday
		{"2027-12-22 10:00", 2, "2027-12-24 14:00"}, // a short day ends at its closing
		{"2027-12-30 23:00", 1, "2027-12-31 14:00"},
		{"2027-03-01 10:00", 0, "2027-03-01 18:00"},
		{"2027-03-06 10:00", 0, "2027-03-08 18:00"},
		{"2027-12-31 10:00", 10, "2028-01-14 18:00"},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			got := ho.EndOfOpenDay(at(t, tt.from), tt.n)
			require.True(t, at(t, tt.want).Equal(got), "got %s", got)
		})
	}
}

func TestNextOpeningClosing(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	require.True(t, at(t, "2027-03-01 13:30").Equal(ho.NextOpening(at(t, "2027-03-01 12:30"))))
	require.True(t, at(t, "2027-03-01 10:00").Equal(ho.NextOpening(at(t, "2027-03-01 10:00"))))
	require.True(t, at(t, "2027-03-08 08:00").Equal(ho.NextOpening(at(t, "2027-03-05 18:00"))))
	require.True(t, at(t, "2027-03-01 12:30").Equal(ho.NextClosing(at(t, "2027-03-01 10:00"))))
	require.True(t, at(t, "2027-03-06 10:00").Equal(ho.NextClosing(at(t, "2027-03-06 10:00"))))

	// Windows that touch across midnight are one opening.
	nights := calendar.MustParse("mon-fri 20:00-24:00; tue-sat 00:00-06:00; tz Europe/Paris")
	require.True(t, at(t, "2027-03-02 06:00").Equal(nights.NextClosing(at(t, "2027-03-01 21:00"))))

	always := calendar.MustParse("24x7; tz UTC")
	require.Equal(t, calendar.Never, always.NextClosing(at(t, "2027-03-01 10:00")))
	never := always.Complement()
	require.Equal(t, calendar.Never, never.NextOpening(at(t, "2027-03-01 10:00")))
	require.Equal(t, calendar.Never, never.Add(at(t, "2027-03-01 10:00"), time.Second))
	require.Equal(t, calendar.Never, never.EndOfOpenDay(at(t, "2027-03-01 10:00"), 1))
	require.Zero(t, never.Between(at(t, "2027-03-01 10:00"), at(t, "2029-03-01 10:00")))
}

func TestWindows(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	var got []string
	for w := range ho.Windows(at(t, "2027-12-23 10:00"), at(t, "2027-12-27 09:00")) {
		got = append(got, w.Start.Format("02 15:04")+"-"+w.End.Format("02 15:04"))
	}
	require.Equal(t, []string{"23 10:00-23 12:30", "23 13:30-23 18:00", "24 08:00-24 12:30", "24 13:30-24 14:00", "27 08:00-27 09:00"}, got)

	always := calendar.MustParse("24x7; tz Europe/Paris")
	all := slices.Collect(always.Windows(at(t, "2027-03-01 10:00"), at(t, "2027-04-01 10:00")))
	require.Len(t, all, 1)
	require.Equal(t, 31*24*time.Hour-time.Hour, all[0].Duration()) // the spring-forward day is 23 h

	// Stopping early is allowed.
	for range ho.Windows(at(t, "2027-03-01 00:00"), at(t, "2027-04-01 00:00")) {
		break
	}
}

func TestHolidaySets(t *testing.T) {
	tests := []struct {
		spec string
		day  string
		open time.Duration // on that weekday, of 10 h
	}{
		{"mon-fri 08:00-18:00; holidays FR-67; tz Europe/Paris", "2027-03-26", 0}, // Good Friday
		{"mon-fri 08:00-18:00; holidays FR-57; tz Europe/Paris", "2028-12-26", 0}, // Saint-Étienne
		{"mon-fri 08:00-18:00; holidays FR-68; tz Europe/Paris", "2027-01-01", 0}, // and the national days
		{"mon-fri 08:00-18:00; holidays FR-971; tz America/Guadeloupe", "2027-05-27", 0},
		{"mon-fri 08:00-18:00; holidays FR-972; tz America/Martinique", "2028-05-22", 0},
		{"mon-fri 08:00-18:00; holidays FR-973; tz America/Cayenne", "2027-06-10", 0},
		{"mon-fri 08:00-18:00; holidays FR-974; tz Indian/Reunion", "2027-12-20", 0},
		{"mon-fri 08:00-18:00; holidays FR-976; tz Indian/Mayotte", "2027-04-27", 0},
		{"mon-fri 08:00-18:00; holidays FR; tz Europe/Paris", "2027-05-27", 10 * time.Hour},  // 27 May is Guadeloupe's only
		{"mon-fri 08:00-18:00; holidays DE; tz Europe/Berlin", "2027-10-04", 10 * time.Hour}, // 3 October on a Sunday is not moved
		{"mon-fri 08:00-18:00; holidays US; tz America/New_York", "2027-07-05", 0},           // 4 July on a Sunday, observed Monday
		{"mon-fri 08:00-18:00; holidays GB; tz Europe/London", "2027-12-28", 0},              // Boxing Day on a Sunday, observed Tuesday
		{"mon-fri 08:00-18:00; holidays US; tz America/New_York", "2021-12-31", 0},           // 1 January 2022 observed the year before
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.day, func(t *testing.T) {
			c := calendar.MustParse(tt.spec)
			day, err := time.ParseInLocation("2006-01-02", tt.day, c.Location())
			require.NoError(t, err)
			require.Equal(t, tt.open, c.Between(day, day.AddDate(0, 0, 1)))
		})
	}
	// Alsace-Moselle days are not national ones.
	fr := calendar.MustParse("mon-fri 08:00-18:00; holidays FR; tz Europe/Paris")
	require.True(t, fr.IsOpen(at(t, "2027-03-26 10:00")))

	codes := calendar.HolidayCodes()
	require.True(t, slices.IsSorted(codes))
	for _, code := range []string{"FR", "FR-57", "FR-67", "FR-68", "FR-971", "FR-972", "FR-973", "FR-974", "FR-976", "DE", "US", "GB", "ES", "IT", "BE", "CH", "JP"} {
		require.Contains(t, codes, code)
		hs, ok := calendar.Holidays(code)
		require.True(t, ok)
		require.NotEmpty(t, hs)
	}
	// Holidays returns copies: changing one leaves the calendars alone.
	hs, _ := calendar.Holidays("FR")
	hs[0].Month = time.June
	again, _ := calendar.Holidays("fr")
	require.Equal(t, time.January, again[0].Month)
}

func TestExceptions(t *testing.T) {
	base := "mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris"
	tests := []struct {
		name, extra, from, to string
		want                  time.Duration
	}{
		{"worked Whit Monday", "open 2027-05-17", "2027-05-17 00:00", "2027-05-18 00:00", 9 * time.Hour},
		{"only that year", "open 2027-05-17", "2028-06-05 00:00", "2028-06-06 00:00", 0},
		{"extra Saturday morning", "open 2027-03-06 09:00-12:00", "2027-03-06 00:00", "2027-03-07 00:00", 3 * time.Hour},
		{"holiday morning on call", "open 2027-07-14 09:00-12:00", "2027-07-14 00:00", "2027-07-15 00:00", 3 * time.Hour},
		{"closed day", "closed 2027-03-02", "2027-03-02 00:00", "2027-03-03 00:00", 0},
		{"closed every year", "closed every 08-14", "2028-08-14 00:00", "2028-08-15 00:00", 0},
		{"half day", "closed every 12-24 12:30-24:00", "2027-12-24 00:00", "2027-12-25 00:00", 4*time.Hour + 30*time.Minute},
		{"closed wins over open", "open 2027-03-02 18:00-20:00; closed 2027-03-02 17:00-19:00", "2027-03-02 00:00", "2027-03-03 00:00", 8*time.Hour + time.Hour},
		{"every 29 February", "closed every 02-29", "2028-02-29 00:00", "2028-03-01 00:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calendar.MustParse(base + "; " + tt.extra)
			require.Equal(t, tt.want, c.Between(at(t, tt.from), at(t, tt.to)))
		})
	}
}

func TestComplement(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	hno := ho.Complement()
	require.Equal(t, "not "+hoSpec, hno.String())
	require.True(t, hno.Complement().Equal(ho))
	require.True(t, calendar.MustParse(hno.String()).Equal(hno))
	from, to := at(t, "2027-01-01 00:00"), at(t, "2028-01-01 00:00")
	require.Equal(t, to.Sub(from), ho.Between(from, to)+hno.Between(from, to))
	require.True(t, hno.IsOpen(at(t, "2027-05-17 10:00"))) // a holiday is HNO
	require.True(t, hno.IsOpen(at(t, "2027-03-01 12:30")))
	require.False(t, hno.IsOpen(at(t, "2027-03-01 12:29")))
}

func TestInputLocationDoesNotMatter(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	from, to := at(t, "2027-03-01 07:00"), at(t, "2027-03-03 15:00")
	want := ho.Between(from, to)
	for _, name := range []string{"UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"} {
		loc := mustLoad(t, name)
		require.Equal(t, want, ho.Between(from.In(loc), to.In(loc)), name)
		require.True(t, ho.Add(from, 5*time.Hour).Equal(ho.Add(from.In(loc), 5*time.Hour)), name)
		require.True(t, ho.EndOfOpenDay(from, 2).Equal(ho.EndOfOpenDay(from.In(loc), 2)), name)
		require.Equal(t, ho.IsOpen(from), ho.IsOpen(from.In(loc)))
	}
}

func TestOutOfRangeInstants(t *testing.T) {
	always := calendar.MustParse("24x7; tz UTC")
	require.Zero(t, always.Between(time.Time{}, time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, 24*time.Hour, always.Between(time.Time{}, time.Date(1900, 1, 2, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, 24*time.Hour, always.Between(time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.False(t, always.IsOpen(time.Time{}))
	require.Equal(t, calendar.Never, always.Add(time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC), 48*time.Hour))
	// The whole range does not overflow a Duration: it saturates.
	require.Positive(t, always.Between(time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)))
}

func TestConcurrentUse(t *testing.T) {
	ho := calendar.MustParse(hoSpec)
	ref := calendar.MustParse(hoSpec)
	from := at(t, "2021-01-01 00:00")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				f := from.AddDate(0, 0, (g*97+i*31)%3650)
				to := f.Add(time.Duration(i%50) * 24 * time.Hour)
				if ho.Between(f, to) != ref.Between(f, to) {
					t.Errorf("concurrent Between differs at %s", f)
				}
				_ = ho.Add(f, 40*time.Hour)
			}
		})
	}
	wg.Wait()
}

// The estimate of the year that locate starts from is within one year of
// the civil year in any zone, which is what its corrections assume.
func TestYearEstimateIsWithinAYear(t *testing.T) {
	for u := int64(-2.3e9); u < 7.3e9; u += 86400*3 + 3607 {
		got := calendar.YearEstimateForTest(u)
		for _, off := range []int64{-14 * 3600, 0, 14 * 3600} {
			y := time.Unix(u+off, 0).UTC().Year()
			require.LessOrEqual(t, abs(got-y), 1, "unix %d", u)
		}
	}
}

func abs(x int) int { return max(x, -x) }
