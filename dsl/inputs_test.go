package dsl

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

func TestTextInputs(t *testing.T) {
	tests := []struct {
		src    string
		fields []string // nil: the program reads more than texts
	}{
		{`kind == "incident" && priority == "P1"`, []string{"kind", "priority"}},
		{`kind == "incident" && priority in ["P1", "P2"]`, []string{"kind", "priority"}},
		{`priority not in ["P1", "P2"] || !(category == "standard")`, []string{"priority", "category"}},
		{`kind == "request" ? category != "specific" : priority == "P1"`, []string{"kind", "category", "priority"}},
		{`service startsWith "ERP" and kind == "incident"`, []string{"service", "kind"}},
		{`priority == priority`, []string{"priority"}},
		{`status == "resolved"`, []string{"status"}},
		{`true`, nil},                            // no field: nothing to key on
		{`level == 1`, nil},                      // not a text
		{`kind == "incident" && level > 1`, nil}, // a text and a number
		{`lower(kind) == "incident"`, nil},       // a function
		{`attrs["site"] == "Lyon"`, nil},         // a map
		{`link("incident").priority == "P1"`, nil},
		{`$env.kind == "incident"`, nil},
		{`let k = kind; k == "incident"`, nil},
		{`opened < resolved`, nil},
		{`kind matches "^inc"`, nil},
		{`is_open("HO", opened)`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := Compile[Ticket](tt.src, withCalendars()...)
			require.NoError(t, err)
			fields, ok := p.TextInputs()
			require.Equal(t, tt.fields != nil, ok)
			var names []string
			for _, f := range fields {
				names = append(names, f.Name)
			}
			require.Equal(t, tt.fields, names)
		})
	}
}

// The value of a program made of text fields depends on their texts
// alone: the accessors read what the program reads.
func TestTextInputsRead(t *testing.T) {
	p, err := Compile[Ticket](`kind == "incident" && priority in ["P1", "P2"]`)
	require.NoError(t, err)
	fields, ok := p.TextInputs()
	require.True(t, ok)
	env := &Ticket{Ticket: &pacte.Ticket{Kind: "incident", Priority: "P2"}}
	var got []string
	for _, f := range fields {
		got = append(got, f.Get(env))
	}
	require.Equal(t, []string{"incident", "P2"}, got)
}

func TestOpenTest(t *testing.T) {
	offered := at(2027, 3, 1, 9, 30)
	tests := []struct {
		src string
		cal *calendar.Calendar // nil: not an open test
		at  time.Time          // the instant it tests, for offered at 09:30
	}{
		{`is_open("HO", offered)`, namedCalendars["HO"], offered},
		{`is_open(offered)`, calHE, offered}, // the rule's calendar
		{`is_open("HO", offered + 1h)`, namedCalendars["HO"], offered.Add(time.Hour)},
		{`!is_open("HO", offered)`, nil, time.Time{}},
		{`is_open("HO", offered) && answered`, nil, time.Time{}},
		{`answered`, nil, time.Time{}},
		{`is_open("HO", offered + talk / 2)`, nil, time.Time{}}, // the instant may fail (a division)
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := Compile[Call](tt.src, withCalendars()...)
			require.NoError(t, err)
			cal, instant, ok := p.OpenTest()
			require.Equal(t, tt.cal != nil, ok)
			if !ok {
				return
			}
			require.Same(t, tt.cal, cal)
			env := NewCall(&pacte.Call{ID: "C1", Offered: offered})
			require.True(t, tt.at.Equal(instant(&env)))
			v, err := p.Bool(&env)
			require.NoError(t, err)
			require.Equal(t, cal.IsOpen(tt.at), v)
		})
	}
}

// A call computed at compile time cannot fail at run time: the program is
// safe, and evaluating it needs no recovery. One that fails at compile
// time is left to fail at run time, with its message, not to panic.
func TestFoldedCallsAreSafe(t *testing.T) {
	env := &Ticket{Ticket: &pacte.Ticket{ID: "INC-1", Kind: "incident", Resolved: at(2027, 3, 1, 9, 0)}}
	p, err := Compile[Ticket](`reopened_within(calendar_days(10))`)
	require.NoError(t, err)
	require.NotNil(t, p.SafeBoolFunc())
	ok, err := p.Bool(env)
	require.NoError(t, err)
	require.False(t, ok)

	p, err = Compile[Ticket](`reopened_within(calendar_days(100000000))`)
	require.NoError(t, err)
	require.Nil(t, p.SafeBoolFunc())
	_, err = p.Bool(env)
	require.Error(t, err)

	p, err = Compile[Ticket](`elapsed <= calendar_days(level)`) // not a constant
	require.NoError(t, err)
	require.Nil(t, p.SafeBoolFunc())
}
