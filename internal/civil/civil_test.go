package civil

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

func TestBetween(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	fr, ok := calendar.Holidays("FR")
	require.True(t, ok)
	day := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name     string
		a, b     string
		week     Week
		holidays bool
		want     int
	}{
		{"same day", "2027-05-03 08:00", "2027-05-03 23:59", AllDays, false, 0},
		{"the day after", "2027-05-03 23:59", "2027-05-04 00:00", AllDays, false, 1},
		{"backwards", "2027-05-04 00:00", "2027-05-03 23:59", AllDays, false, -1},
		{"a year", "2027-01-01 12:00", "2028-01-01 12:00", AllDays, false, 365},
		{"over the change to summer time", "2027-03-27 12:00", "2027-03-29 12:00", AllDays, false, 2},
		// Fri 30 April → Mon 10 May 2027: Sat 1 May (holiday), Sun 2,
		// Mon 3 … Wed 5, Thu 6 (Ascension, Easter being 28 March), Fri 7,
		// Sat 8 (holiday), Sun 9, Mon 10.
		{"ouvrés", "2027-04-30 10:00", "2027-05-10 10:00", MondayFriday, true, 5},
		{"ouvrables", "2027-04-30 10:00", "2027-05-10 10:00", MondaySat, true, 5},
		{"ouvrables without holidays", "2027-04-30 10:00", "2027-05-10 10:00", MondaySat, false, 8},
		// Wed 12 May → Mon 17 May 2027: Thu 13, Fri 14, Mon 17 (Whit
		// Monday, a holiday in the FR list).
		{"ouvrés to Whit Monday", "2027-05-12 10:00", "2027-05-17 10:00", MondayFriday, true, 2},
		{"ouvrés backwards", "2027-05-17 10:00", "2027-05-12 10:00", MondayFriday, true, -2},
		{"a week of ouvrés", "2027-06-07 10:00", "2027-06-14 10:00", MondayFriday, true, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hs = fr
			if !tt.holidays {
				hs = nil
			}
			got, err := Between(day(tt.a), day(tt.b), paris, tt.week, hs)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	_, err = Between(time.Time{}, day("2027-05-03 08:00"), paris, AllDays, nil)
	require.ErrorIs(t, err, ErrNoInstant)
	_, err = Between(day("1600-01-01 00:00"), day("2027-05-03 08:00"), paris, AllDays, nil)
	require.Error(t, err)
}

// Counting by days one at a time gives the same as the count by weeks.
func TestBetweenCountsAsDayByDay(t *testing.T) {
	for _, week := range []Week{AllDays, MondayFriday, MondaySat, 0b0000001, 0} {
		start := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
		for n := range 30 {
			end := start.AddDate(0, 0, n)
			want := 0
			for d := start.AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
				if week.has(d.Weekday()) {
					want++
				}
			}
			got, err := Between(start, end, time.UTC, week, nil)
			require.NoError(t, err)
			require.Equal(t, want, got, "week %07b, %d days", week, n)
		}
	}
}

func TestDateAndWeekday(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	utc := time.Date(2027, 5, 2, 22, 30, 0, 0, time.UTC) // Monday 3 May 00:30 in Paris
	require.Equal(t, time.Date(2027, 5, 3, 0, 0, 0, 0, paris), Date(utc, paris))
	require.Equal(t, 1, Weekday(utc, paris))
	require.Equal(t, 7, Weekday(utc, time.UTC))
}
