package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct {
		spec, canonical string
	}{
		{"mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris",
			"mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris"},
		{"mon-sat 07:00-20:00; holidays FR; tz Europe/Paris",
			"mon-sat 07:00-20:00; holidays FR; tz Europe/Paris"},
		{"mon-fri 08:00-12:30,13:30-18:00; holidays FR FR-67; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00; tz Europe/Paris",
			"mon-fri 08:00-12:30,13:30-18:00; holidays FR FR-67; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00; tz Europe/Paris"},
		{"mon-fri 09:00-17:00; holidays FR; tz Europe/Paris",
			"mon-fri 09:00-17:00; holidays FR; tz Europe/Paris"},
		{"24x7; tz UTC", "24x7; tz UTC"},
		{"24x7", "24x7; tz UTC"},
		{"mon-sun 00:00-24:00", "24x7; tz UTC"},
		{"mon-fri 00:00-24:00; sat-sun", "24x7; tz UTC"},
		{"not mon-fri 08:00-18:00; tz Europe/Paris", "not mon-fri 08:00-18:00; tz Europe/Paris"},
		{"not not mon-fri 08:00-18:00", "mon-fri 08:00-18:00; tz UTC"},
		{"NOT Mon-Fri 08:00-18:00; HOLIDAYS fr; TZ UTC", "not mon-fri 08:00-18:00; holidays FR; tz UTC"},
		// Days in any order and overlapping windows come out sorted and merged.
		{"fri 13:00-18:00; mon-thu 08:00-12:00; fri 08:00-12:00,11:00-13:00", "mon-thu 08:00-12:00; fri 08:00-18:00; tz UTC"},
		{"mon,wed,fri 09:00-12:00; tue,thu 14:00-17:00", "mon,wed,fri 09:00-12:00; tue,thu 14:00-17:00; tz UTC"},
		{"sat-mon 10:00-11:00", "mon,sat-sun 10:00-11:00; tz UTC"},
		{"mon-fri 08:00:30-17:59:59", "mon-fri 08:00:30-17:59:59; tz UTC"},
		{"mon-fri 8:00-17:00", "mon-fri 08:00-17:00; tz UTC"},
		{"holidays FR-67 FR fr-67", "holidays FR FR-67; tz UTC"},
		{"holidays FR, FR-57", "holidays FR FR-57; tz UTC"},
		{"mon 09:00-17:00; open 2027-05-17; closed 2027-12-24 14:00-24:00, every 12-31 14:00-24:00, 2028-01-02",
			"mon 09:00-17:00; closed every 12-31 14:00-24:00, 2027-12-24 14:00-24:00, 2028-01-02; open 2027-05-17; tz UTC"},
		{"mon 09:00-10:00; open every 05-15", "mon 09:00-10:00; open every 05-15; tz UTC"}, // a Saturday in 2027, a Monday in 2028: not refused
		{"open every 02-29 09:00-10:00,10:00-11:00", "open every 02-29 09:00-11:00; tz UTC"},
		{"tz America/New_York", "tz America/New_York"},
		{"mon-fri 08:00-18:00;", "mon-fri 08:00-18:00; tz UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			c, err := calendar.Parse(tt.spec)
			require.NoError(t, err)
			require.Equal(t, tt.canonical, c.String())
			back, err := calendar.Parse(c.String())
			require.NoError(t, err)
			require.True(t, c.Equal(back))
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		spec   string
		column int
		msg    string
	}{
		{"", 1, `expected a clause (a weekday, 24x7, holidays, closed, open or tz), found the end of the spec`},
		{"monday-friday 08:00-18:00", 1, `expected a weekday (mon…sun), "24x7", "holidays", "closed", "open" or "tz", found "monday-friday"`},
		{"mon-fry 08:00-18:00", 5, `expected a weekday (mon…sun) after "mon-", found "fry"`},
		{"mon-fri 8h-18h", 9, `expected a window "hh:mm-hh:mm" or ";"`},
		{"mon-fri 08:00", 9, `expected a window "hh:mm-hh:mm", found "08:00"`},
		{"mon-fri 08:00-25:00", 15, `expected a time of day "hh:mm" between 00:00 and 24:00, found "25:00"`},
		{"mon-fri 08:60-12:00", 9, `expected a time of day "hh:mm" between 00:00 and 24:00, found "08:60"`},
		{"mon-fri 24:00-24:00", 9, `a window cannot start at 24:00`},
		// A window across midnight is two windows, one on each day.
		{"mon-fri 18:00-08:00", 15, `a window ends on the day it starts: write 18:00-24:00 on its days and 00:00-08:00 on the days after`},
		{"mon-fri 18:00-18:00", 15, `expected the end of the window after 18:00, found "18:00"`},
		// An open exception of a date without windows opens the weekday's
		// windows: on a weekday without any, it would open nothing.
		{"mon-fri 08:00-18:00; holidays FR; open 2027-05-15", 40, `open 2027-05-15: a Saturday has no windows to open; give them (open 2027-05-15 08:00-12:00)`},
		{"not mon-fri 08:00-18:00; closed 2027-05-14, 2027-05-08; open 2027-05-17, 2027-05-08", 74, `open 2027-05-08: a Saturday has no windows`},
		{"mon-fri 08:00-18:00; open 2027-05-15 09:00-12:00, 2027-05-17", 0, ""},
		{"holidays FR; open every 05-08", 19, `open every 05-08: no weekday has windows to open; give them (open every 05-08 08:00-12:00)`},
		{"mon-fri 08:00-12:00,", 20, `expected ";" between clauses, found ","`},
		{"mon-fri 08:00-18:00 holidays FR", 21, `expected ";" between clauses, found "holidays"`},
		{"mon-fri 08:00-18:00; holidays", 30, `expected a holiday code such as FR, found the end of the spec`},
		{"mon-fri 08:00-18:00; holidays XX", 31, `expected a holiday code such as FR or FR-67, found "XX"`},
		{"24x7; tz Mars/Olympus", 10, `expected an IANA time zone such as Europe/Paris, found "Mars/Olympus"`},
		{"24x7; tz Local", 10, `expected an IANA time zone such as Europe/Paris, found "Local"`},
		{"24x7; tz", 9, `expected an IANA time zone such as Europe/Paris, found the end of the spec`},
		// The second zone took the first one's place without a word.
		{"mon-fri 08:00-18:00; tz Europe/Paris; holidays FR; tz UTC", 52, `a second tz clause: a calendar has one time zone`},
		{"24x7; closed 2027-02-30", 14, `expected a date "yyyy-mm-dd" (1900 to 2199) or "every mm-dd", found "2027-02-30"`},
		{"24x7; closed every 13-01", 20, `expected a date "mm-dd" after "every", found "13-01"`},
		{"24x7; closed every", 19, `expected a date "mm-dd" after "every", found the end of the spec`},
		{"24x7; open", 11, `expected a date "yyyy-mm-dd" or "every mm-dd", found the end of the spec`},
		{"24x7; sometimes", 7, `expected a weekday (mon…sun), "24x7", "holidays", "closed", "open" or "tz", found "sometimes"`},
		{"24x7;; tz UTC", 7, ""}, // empty clauses are allowed: checked below
		{"lun-ven 08:00-18:00", 1, `expected a weekday (mon…sun), "24x7", "holidays", "closed", "open" or "tz", found "lun-ven"`},
		{"é; mon", 1, `expected a weekday (mon…sun), "24x7", "holidays", "closed", "open" or "tz", found "é"`},
		{"24x7; tz Europe/Paris; é", 24, `expected a weekday (mon…sun), "24x7", "holidays", "closed", "open" or "tz", found "é"`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := calendar.Parse(tt.spec)
			if tt.msg == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var se *calendar.SpecError
			require.True(t, errors.As(err, &se))
			require.ErrorIs(t, err, calendar.ErrInvalid)
			require.Equal(t, tt.column, se.Column, err.Error())
			require.Contains(t, se.Msg, tt.msg)
		})
	}
}

func TestParseInDefaultZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	c, err := calendar.ParseIn("mon-fri 08:00-18:00", paris)
	require.NoError(t, err)
	require.Equal(t, "mon-fri 08:00-18:00; tz Europe/Paris", c.String())
	c, err = calendar.ParseIn("mon-fri 08:00-18:00; tz UTC", paris)
	require.NoError(t, err)
	require.Equal(t, time.UTC, c.Location())
}

func TestNewValidatesOptions(t *testing.T) {
	_, err := calendar.New(calendar.Weekly(calendar.Weekdays, calendar.Window{Start: calendar.Clock(18, 0), End: calendar.Clock(8, 0)}))
	require.ErrorIs(t, err, calendar.ErrInvalid)
	_, err = calendar.New(calendar.WithHolidays("ATLANTIS"))
	require.ErrorIs(t, err, calendar.ErrInvalid)
	_, err = calendar.New(calendar.In(nil))
	require.ErrorIs(t, err, calendar.ErrInvalid)
	_, err = calendar.New(calendar.WithExceptions(calendar.Exception{Date: calendar.Date{Year: 2027, Month: time.February, Day: 29}}))
	require.ErrorIs(t, err, calendar.ErrInvalid)
	_, err = calendar.New(calendar.Weekly([]time.Weekday{7}, calendar.WholeDay))
	require.ErrorIs(t, err, calendar.ErrInvalid)
	_, err = calendar.New(calendar.Weekly(calendar.Weekdays, calendar.WholeDay),
		calendar.WithExceptions(calendar.Exception{Open: true, Date: calendar.Date{Year: 2027, Month: time.May, Day: 16}}))
	require.ErrorIs(t, err, calendar.ErrInvalid)
	require.ErrorContains(t, err, "a Sunday has no windows to open")

	// Built in Go or parsed, the same calendar.
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	built, err := calendar.New(
		calendar.In(paris),
		calendar.Weekly(calendar.Weekdays,
			calendar.Window{Start: calendar.Clock(8, 0), End: calendar.Clock(12, 30)},
			calendar.Window{Start: calendar.Clock(13, 30), End: calendar.Clock(18, 0)}),
		calendar.WithHolidays("FR"),
		calendar.WithExceptions(
			calendar.Exception{Every: true, Date: calendar.Date{Month: time.December, Day: 24}, Windows: []calendar.Window{{Start: calendar.Clock(14, 0), End: calendar.EndOfDay}}},
			calendar.Exception{Every: true, Date: calendar.Date{Month: time.December, Day: 31}, Windows: []calendar.Window{{Start: calendar.Clock(14, 0), End: calendar.EndOfDay}}},
		),
	)
	require.NoError(t, err)
	parsed := calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00; tz Europe/Paris")
	require.True(t, built.Equal(parsed), built.String())
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris",
		"mon-sat 07:00-20:00; holidays FR; tz Europe/Paris",
		"mon-fri 08:00-12:30,13:30-18:00; holidays FR FR-67; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00; tz Europe/Paris",
		"24x7; tz UTC",
		"not mon,wed 09:00-10:00; open 2027-05-17; closed 2027-05-18 10:00-11:00",
		"sat-mon; holidays US",
		"mon-fri 8:00-24:00;;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if len(spec) > 512 { // a spec is a line
			return
		}
		c, err := calendar.Parse(spec)
		if err != nil {
			var se *calendar.SpecError
			if !errors.As(err, &se) || se.Column < 1 || se.Offset > len(spec) {
				t.Fatalf("bad error for %q: %v", spec, err)
			}
			return
		}
		back, err := calendar.Parse(c.String())
		if err != nil {
			t.Fatalf("%q printed %q which does not parse: %v", spec, c.String(), err)
		}
		if !back.Equal(c) || back.String() != c.String() {
			t.Fatalf("%q printed %q which parses to %q", spec, c.String(), back.String())
		}
		// Any calendar that parses answers without panicking.
		from := time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC)
		_ = c.Between(from, from.Add(72*time.Hour))
		_ = c.Add(from, time.Hour)
	})
}
