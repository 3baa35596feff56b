package ingest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	loc := paris(t)
	local := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, loc)
	}
	utc := func(y, mo, d, h, mi, s int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
	}
	for _, tc := range []struct {
		dates []string
		in    string
		want  time.Time // zero: refused
	}{
		// ISO 8601 / RFC 3339, with and without zone.
		{nil, "2027-03-01T09:30:00+01:00", local(2027, 3, 1, 9, 30, 0, 0)},
		{nil, "2027-03-01T08:30:00Z", local(2027, 3, 1, 9, 30, 0, 0)},
		{nil, "2027-03-01T08:30:00z", utc(2027, 3, 1, 8, 30, 0)},
		{nil, "2027-03-01 09:30:00", local(2027, 3, 1, 9, 30, 0, 0)},
		{nil, "2027-03-01 09:30", local(2027, 3, 1, 9, 30, 0, 0)},
		{nil, "2027-03-01T09:30:00.123456789", local(2027, 3, 1, 9, 30, 0, 123456789)},
		{nil, "2027-03-01T09:30:00,5", local(2027, 3, 1, 9, 30, 0, 500000000)},
		{nil, "2027-03-01 09:30:00 +0530", utc(2027, 3, 1, 4, 0, 0)},
		{nil, "2027-03-01 09:30:00 -05", utc(2027, 3, 1, 14, 30, 0)},
		{nil, "2027-03-01 09:30:00 UTC", utc(2027, 3, 1, 9, 30, 0)},
		{nil, "2027-03-01", local(2027, 3, 1, 0, 0, 0, 0)},
		{nil, "2027-03-01T9:05", local(2027, 3, 1, 9, 5, 0, 0)},
		// Day first: dd/mm/yyyy hh:mm[:ss], dd-mm-yyyy hh:mm, one-digit parts.
		{nil, "01/03/2027 09:30", local(2027, 3, 1, 9, 30, 0, 0)},
		{nil, "01/03/2027 09:30:15", local(2027, 3, 1, 9, 30, 15, 0)},
		{nil, "01-03-2027 09:30", local(2027, 3, 1, 9, 30, 0, 0)},
		{nil, "29/2/2016 01:16", local(2016, 2, 29, 1, 16, 0, 0)},
		{nil, "5/3/2016 9:00", local(2016, 3, 5, 9, 0, 0, 0)},
		{nil, "05.03.2016", local(2016, 3, 5, 0, 0, 0, 0)},
		{[]string{"mdy"}, "03/05/2016 09:00", local(2016, 3, 5, 9, 0, 0, 0)},
		// Go layouts, such as Jira's.
		{[]string{"2/Jan/06 3:04 PM"}, "25/Feb/26 10:17 PM", local(2026, 2, 25, 22, 17, 0, 0)},
		{[]string{"2/Jan/06 3:04 PM"}, "2026-02-25 22:17", time.Time{}},
		{[]string{"2/Jan/06 3:04 PM", "iso"}, "2026-02-25 22:17", local(2026, 2, 25, 22, 17, 0, 0)},
		// Refused rather than normalised into another day.
		{nil, "2027-02-29 10:00", time.Time{}},
		{nil, "2028-02-29 10:00", local(2028, 2, 29, 10, 0, 0, 0)},
		{nil, "31/04/2027", time.Time{}},
		{nil, "2027-03-01 24:00", time.Time{}},
		{nil, "2027-03-01 23:60", time.Time{}},
		{nil, "2027-03-01 23:59:60", time.Time{}},
		{nil, "2027-13-01", time.Time{}},
		{nil, "2027-00-10", time.Time{}},
		{nil, "00/03/2027", time.Time{}},
		{nil, "13/13/2027", time.Time{}},
		{nil, "123/03/2027", time.Time{}},
		{nil, "01/03/20271", time.Time{}},
		{nil, "01/03-2027", time.Time{}},
		{nil, "2027-03-01T", time.Time{}},
		{nil, "2027-03-01 09", time.Time{}},
		{nil, "2027-03-01 09:3", time.Time{}},
		{nil, "2027-03-01 09:30:00+25:00", time.Time{}},
		{nil, "2027-03-01 09:30:00+01:0", time.Time{}},
		{nil, "2027-03-01 09:30:00.", time.Time{}},
		{nil, "2027-03-01 09:30:00.1234567890", time.Time{}},
		{nil, "2027-03-01x", time.Time{}},
		{nil, "yesterday", time.Time{}},
		{nil, "1709280000", time.Time{}},
		{[]string{"dmy"}, "2027-03-01", time.Time{}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			c, err := (&Mapping{Dates: tc.dates, Record: SampleRecords, Columns: Columns{Name: "n", At: "a", Value: "v"}}).compile(SampleRecords)
			require.NoError(t, err)
			got, err := c.parseTime(tc.in, loc)
			if tc.want.IsZero() {
				require.ErrorIs(t, err, ErrDate)
				return
			}
			require.NoError(t, err)
			require.True(t, tc.want.Equal(got), "got %s, want %s", got, tc.want)
			require.Equal(t, loc, got.Location(), "instants come back in Options.Location")
		})
	}
}

// Naive instants in a daylight-saving change follow time.Date: a skipped
// hour moves forward, a repeated one takes the first occurrence.
func TestParseTimeDST(t *testing.T) {
	loc := paris(t)
	c := &compiled{dates: []dateFormat{{builtin: isoDate}}}
	gap, err := c.parseTime("2027-03-28 02:30", loc)
	require.NoError(t, err)
	require.Equal(t, "2027-03-28T03:30:00+02:00", gap.Format(time.RFC3339))
	repeated, err := c.parseTime("2027-10-31 02:30", loc)
	require.NoError(t, err)
	require.Equal(t, "2027-10-31T02:30:00+02:00", repeated.Format(time.RFC3339))
}

// A Go layout reads the repeated hour as the built-in formats do: the
// first occurrence, as Mapping.Dates promises; a layout with a zone keeps
// the instant its offset names. A zone abbreviation is one of
// Options.Location's, UTC or GMT; another has no known offset and refuses
// the value, where time.ParseInLocation would read it as UTC.
func TestParseTimeLayoutZones(t *testing.T) {
	loc := paris(t)
	for _, tc := range []struct {
		layout, in, want string // want "": refused
	}{
		{"02/01/2006 15:04", "31/10/2027 02:30", "2027-10-31T02:30:00+02:00"},
		{"02/01/2006 15:04", "28/03/2027 02:30", "2027-03-28T03:30:00+02:00"},
		{"02/01/2006 15:04", "30/10/2027 02:30", "2027-10-30T02:30:00+02:00"},
		{"02/01/2006 15:04 -07:00", "31/10/2027 02:30 +01:00", "2027-10-31T02:30:00+01:00"},
		{"02/01/2006 15:04 -07:00", "31/10/2027 02:30 +02:00", "2027-10-31T02:30:00+02:00"},
		{"2006-01-02 15:04 MST", "2027-03-01 09:30 CET", "2027-03-01T09:30:00+01:00"},
		{"2006-01-02 15:04 MST", "2027-07-01 09:30 CEST", "2027-07-01T09:30:00+02:00"},
		{"2006-01-02 15:04 MST", "2027-07-01 09:30 CET", "2027-07-01T10:30:00+02:00"},
		{"2006-01-02 15:04 MST", "2027-03-01 09:30 UTC", "2027-03-01T10:30:00+01:00"},
		{"2006-01-02 15:04 MST", "2027-03-01 09:30 GMT", "2027-03-01T10:30:00+01:00"},
		{"2006-01-02 15:04 MST", "2027-03-01 09:30 EST", ""},
		{"Jan 2, 2006 at 3:04pm (MST)", "Mar 1, 2027 at 9:30am (PDT)", ""},
		{"2006-01-02 15:04 -0700", "2027-03-01 09:30 +0000", "2027-03-01T10:30:00+01:00"},
	} {
		df, err := parseDateFormat(tc.layout)
		require.NoError(t, err)
		c := &compiled{dates: []dateFormat{df}}
		got, err := c.parseTime(tc.in, loc)
		if tc.want == "" {
			require.ErrorIs(t, err, ErrDate, tc.in)
			require.ErrorContains(t, err, "offset is unknown")
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got.Format(time.RFC3339), "%s read with %q", tc.in, tc.layout)
		require.Equal(t, loc, got.Location())
	}
}

func TestDateFormats(t *testing.T) {
	for _, ok := range []string{"iso", "ISO", "rfc3339", "dmy", "mdy", "02/01/2006 15:04", "2006-01-02", "Jan 2, 2006 at 3:04pm (MST)"} {
		_, err := parseDateFormat(ok)
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"", "dd/mm/yyyy", "15:04", "2006", "Jan 2006"} {
		_, err := parseDateFormat(bad)
		require.Error(t, err, bad)
	}
}
