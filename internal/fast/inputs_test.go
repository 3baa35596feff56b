package fast

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
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
			fields, ok := compileT[dsl.Ticket](t, tt.src).TextInputs()
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
	fields, ok := compileT[dsl.Ticket](t, `kind == "incident" && priority in ["P1", "P2"]`).TextInputs()
	require.True(t, ok)
	env := &dsl.Ticket{Ticket: &pacte.Ticket{Kind: "incident", Priority: "P2"}}
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
			p := compileT[dsl.Call](t, tt.src)
			cal, instant, ok := p.OpenTest()
			require.Equal(t, tt.cal != nil, ok)
			if !ok {
				return
			}
			require.Same(t, tt.cal, cal)
			env := dsl.NewCall(&pacte.Call{ID: "C1", Offered: offered})
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
	env := &dsl.Ticket{Ticket: &pacte.Ticket{ID: "INC-1", Kind: "incident", Resolved: at(2027, 3, 1, 9, 0)}}
	p := compileT[dsl.Ticket](t, `reopened_within(calendar_days(10))`)
	require.NotNil(t, p.SafeBoolFunc())
	ok, err := p.Bool(env)
	require.NoError(t, err)
	require.False(t, ok)

	p = compileT[dsl.Ticket](t, `reopened_within(calendar_days(100000000))`)
	require.Nil(t, p.SafeBoolFunc())
	_, err = p.Bool(env)
	require.Error(t, err)

	p = compileT[dsl.Ticket](t, `elapsed <= calendar_days(level)`) // not a constant
	require.Nil(t, p.SafeBoolFunc())
}

func TestSafeFuncs(t *testing.T) {
	compile := func(src string) *Program[dsl.Ticket] { return compileT[dsl.Ticket](t, src) }
	tk := &pacte.Ticket{ID: "T1", Priority: "P1", Kind: "incident", Level: 2, Opened: at(2027, 5, 3, 9, 0)}
	env := &dsl.Ticket{Ticket: tk}

	safe := compile(`priority == "P1" && is_open(opened)`)
	f := safe.SafeBoolFunc()
	require.NotNil(t, f)
	want, err := safe.Bool(env)
	require.NoError(t, err)
	require.Equal(t, want, f(env))
	require.Nil(t, safe.SafeTimeFunc(), "a condition is no instant")

	opened := compile(`opened`)
	g := opened.SafeTimeFunc()
	require.NotNil(t, g)
	require.True(t, g(env).Equal(tk.Opened))
	require.Nil(t, opened.SafeBoolFunc(), "an instant is no condition")

	// A division may fail: its closure is not handed out.
	require.Nil(t, compile(`10 / level > 1`).SafeBoolFunc())
}

// TestRuntimeErrorMessagesAgree: both backends report the same message.
func TestRuntimeErrorMessagesAgree(t *testing.T) {
	p := compileT[dsl.Ticket](t, "level % (level - level)")
	_, err1 := p.Eval(sampleTicket())
	_, err2 := p.p.Eval(sampleTicket())
	require.Equal(t, err2.Error(), err1.Error())
}
