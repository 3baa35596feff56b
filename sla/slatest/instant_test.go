package slatest

import (
	"errors"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/stretchr/testify/require"
)

func acmeClock(t testing.TB) *Clock {
	c, err := contract.Load("../../examples/contracts/acme.yaml")
	require.NoError(t, err)
	return NewClock(c)
}

func TestAbsoluteInstants(t *testing.T) {
	k := acmeClock(t)
	// Each instant is written in RFC 3339, its offset from UTC shown:
	// +01:00 in winter, +02:00 in summer.
	for _, tc := range []struct{ spec, want string }{
		{"2027-03-01 08:00", "2027-03-01T08:00:00+01:00"},
		{"2027-03-01 8:05", "2027-03-01T08:05:00+01:00"},
		{"2027-03-01 08:00:30", "2027-03-01T08:00:30+01:00"},
		{"2027-03-01", "2027-03-01T00:00:00+01:00"},
		{"Mon 2027-03-01 08:00", "2027-03-01T08:00:00+01:00"},
		{"monday 2027-03-01 08:00", "2027-03-01T08:00:00+01:00"},
		{"2027-03-01T08:00", "2027-03-01T08:00:00+01:00"},
		{"2027-03-01T08:00:00Z", "2027-03-01T08:00:00Z"},
		{"2027-03-01T08:00:00+01:00", "2027-03-01T08:00:00+01:00"},
		// Steps after an absolute instant.
		{"2027-03-01 08:00 +1h30min", "2027-03-01T09:30:00+01:00"},
		{"2027-03-01 08:00 -30min", "2027-03-01T07:30:00+01:00"},
		// HE is mon-sat 07:00-20:00: from Saturday 18:00, 4 h of HE time end
		// on Monday at 09:00; from Sunday, the count starts on Monday.
		{"Sat 2027-03-06 18:00 +4h HE", "2027-03-08T09:00:00+01:00"},
		{"Sun 2027-03-07 10:00 +4h of HE", "2027-03-08T11:00:00+01:00"},
		// A count that ends at a window's end stays there.
		{"Mon 2027-03-01 16:00 +4h HE", "2027-03-01T20:00:00+01:00"},
		// HO is mon-fri 08:00-12:30, 13:30-18:00; Easter Monday 2027 is 29 March.
		{"Fri 2027-03-26 17:00 +2h HO", "2027-03-30T09:00:00+02:00"},
		{"Mon 2027-03-01 10:00 end_of_open_day(3) HO", "2027-03-04T18:00:00+01:00"},
		{"Fri 2027-03-26 10:00 end_of_open_day(1) HO", "2027-03-30T18:00:00+02:00"},
		// Across the change to summer time (28 March 2027), 24x7 counts
		// the 23-hour day as it is.
		{"2027-03-27 12:00 +24h 24x7", "2027-03-28T13:00:00+02:00"},
		{"2027-03-27 12:00 +1h +2h HE", "2027-03-27T15:00:00+01:00"},
		// The hour repeated when clocks go back (31 October 2027) is read
		// as its first occurrence, as the readers of exports read it.
		{"2027-10-31 02:30", "2027-10-31T02:30:00+02:00"},
		{"2027-10-31T02:30", "2027-10-31T02:30:00+02:00"},
		{"2027-10-31T02:30:00+01:00", "2027-10-31T02:30:00+01:00"},
	} {
		want, err := time.Parse(time.RFC3339, tc.want)
		require.NoError(t, err, tc.want)
		got, err := k.At(tc.spec)
		require.NoError(t, err, tc.spec)
		require.True(t, want.Equal(got), "%s: want %s, got %s", tc.spec, want, got)
	}
}

func TestRelativeInstants(t *testing.T) {
	k := acmeClock(t)
	paris := k.Location()
	opened := time.Date(2027, 4, 5, 9, 0, 0, 0, paris)
	got, err := k.After(opened, "+4h HE")
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 4, 5, 13, 0, 0, 0, paris), got)
	got, err = k.After(opened, "2027-04-06 10:00")
	require.NoError(t, err)
	require.Equal(t, time.Date(2027, 4, 6, 10, 0, 0, 0, paris), got, "an absolute instant is read as such")
}

// The instants of a record may count from one another, in any order, but
// not in a circle.
func TestRecordInstants(t *testing.T) {
	k := acmeClock(t)
	var opened, resolved, closed, reopened time.Time
	rec := newRecord("opened")
	rec.add("closed", "resolved +2h", nil, &closed, true)
	rec.add("resolved", "+4h HE", nil, &resolved, true)
	rec.add("opened", "Mon 2027-04-05 09:00", nil, &opened, true)
	rec.add("reopened", "closed +72h", nil, &reopened, false)
	var errs []error
	k.resolve(rec, 0, nil, func(_ *slot, err error) { errs = append(errs, err) })
	require.Empty(t, errs)
	require.Equal(t, opened.Add(4*time.Hour), resolved)
	require.Equal(t, resolved.Add(2*time.Hour), closed)
	require.Equal(t, closed.Add(72*time.Hour), reopened)

	rec = newRecord("opened")
	rec.add("opened", "resolved -1h", nil, &opened, true)
	rec.add("resolved", "opened +1h", nil, &resolved, true)
	errs = nil
	k.resolve(rec, 0, nil, func(s *slot, err error) { errs = append(errs, err) })
	require.NotEmpty(t, errs)
	require.ErrorContains(t, errs[0], "counts from itself")

	// Copies move their absolute instants; relative ones follow.
	rec = newRecord("opened")
	rec.add("opened", "Mon 2027-04-05 19:00", nil, &opened, true)
	rec.add("resolved", "+2h HE", nil, &resolved, true)
	k.resolve(rec, 24*time.Hour, nil, func(_ *slot, err error) { t.Fatal(err) })
	require.Equal(t, time.Date(2027, 4, 6, 19, 0, 0, 0, k.Location()), opened)
	require.Equal(t, time.Date(2027, 4, 7, 8, 0, 0, 0, k.Location()), resolved)
}

func TestInstantErrors(t *testing.T) {
	k := acmeClock(t)
	for _, tc := range []struct {
		spec, msg, hint string
		offset          int
	}{
		{"", "empty instant", "write 2027-03-01 08:00", 0},
		{"Tue 2027-03-01 08:00", "2027-03-01 is a Monday, not a Tuesday", "", 0},
		{"2027-02-30 08:00", `"2027-02-30" is not a date and time`, "write 2027-03-01 08:00", 0},
		{"2027-03-01 25:00", `"25:00" is not a date and time`, "", 11},
		{"Mon", "a weekday without its date", "", 0},
		{"yesterday", `"yesterday" is not a date`, "only a record's instants", 0},
		{"+4h HE", `"+4h" is not a date`, "", 0},
		{"2027-03-01 08:00 +4h HX", `unexpected "HX"`, "steps are", 21},
		{"2027-03-01 08:00 +4h of HX", `unknown calendar "HX"`, `did you mean "HE"?`, 24},
		{"2027-03-01 08:00 +4 days", `"4" is not a duration`, "", 18},
		{"2027-03-01 08:00 +3d", `unknown duration unit "d"`, "day units are explicit", 18},
		{"2027-03-01 08:00 -4h HE", "open time is counted forwards only", "", 17},
		{"2027-03-01 08:00 end_of_open_day(0) HO", `bad "end_of_open_day(0)"`, "", 17},
		{"2027-03-01 08:00 end_of_open_day(3)", "the step needs a calendar", "", 17},
		{"2027-03-01 08:00 soon", `unexpected "soon"`, "", 17},
	} {
		_, err := k.At(tc.spec)
		var ne *notationError
		require.True(t, errors.As(err, &ne), "%q: %v", tc.spec, err)
		require.Contains(t, ne.msg, tc.msg, tc.spec)
		require.Contains(t, ne.hint, tc.hint, tc.spec)
		require.Equal(t, tc.offset, ne.offset, tc.spec)
	}
}

func TestDurationsAndDecimals(t *testing.T) {
	d, err := Duration("1h30min")
	require.NoError(t, err)
	require.Equal(t, 90*time.Minute, d)
	_, err = Duration("95%")
	require.ErrorContains(t, err, "not a duration")
	_, err = Duration("3 days")
	require.Error(t, err)
	x, err := Decimal("3% * 18017.50 + 300")
	require.NoError(t, err)
	require.Equal(t, "840.525", x.String())
	_, err = Decimal("4h")
	require.ErrorContains(t, err, "not a number")
}
