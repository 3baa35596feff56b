package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/pacte-sla/pacte/sla/slatest"
)

var calendarCommand = &command{
	name:    "calendar",
	summary: "open time between two instants, or the deadline from one",
	usage: `pacte calendar [flags] CALENDAR FROM [TO | +DURATION | end_of_open_day(N)]

Calendar answers the questions a clock of the contract asks. CALENDAR is a
calendar of the -contract file (HO, HE…) or a spec such as
"mon-fri 08:00-18:00; holidays FR; tz Europe/Paris". Instants are written
2027-03-01 08:00 (a weekday may come first and is checked: Mon 2027-03-01
08:00) in the calendar's zone.

  FROM TO                  the open time between the two instants
  FROM +4h30min            the deadline: the instant 4 h 30 of open time later
  FROM end_of_open_day(3)  the end of the third open day after FROM's day
  FROM                     whether the calendar is open then, and when it
                           next opens or closes

With -contract and no other argument, it lists the contract's calendars.

Examples:

  pacte calendar -contract examples/contracts/acme.yaml
  pacte calendar -contract examples/contracts/acme.yaml HE "Mon 2027-03-01 08:00" "Wed 2027-03-03 10:00"
  pacte calendar -contract examples/contracts/acme.yaml HO "Fri 2027-04-30 16:00" +8h
  pacte calendar -contract examples/contracts/acme.yaml HO "2027-04-30 16:00" "end_of_open_day(3)"
  pacte calendar "mon-fri 09:00-17:00; holidays FR; tz Europe/Paris" "2027-12-24 15:00" +4h -format json
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		var o calendarOptions
		fs.StringVar(&o.contract, "contract", "", "the contract whose calendars are named")
		fs.StringVar(&o.format, "format", "text", "text or json")
		return func(ctx context.Context, args []string) error { return o.exec(e, args) }
	},
}

type calendarOptions struct{ contract, format string }

// calendarAnswer is what calendar prints, in JSON with these names.
type calendarAnswer struct {
	Calendar    string     `json:"calendar,omitempty"`
	Spec        string     `json:"spec"`
	From        *time.Time `json:"from,omitempty"`
	To          *time.Time `json:"to,omitempty"`
	OpenTime    string     `json:"open_time,omitempty"`
	OpenSeconds *int64     `json:"open_seconds,omitempty"`
	Deadline    *time.Time `json:"deadline,omitempty"`
	Open        *bool      `json:"open,omitempty"`
	NextOpening *time.Time `json:"next_opening,omitempty"`
	NextClosing *time.Time `json:"next_closing,omitempty"`
}

func (o calendarOptions) exec(e *env, args []string) error {
	if err := checkFormat(o.format, []string{"text", "json"}); err != nil {
		return err
	}
	if len(args) > 3 || (len(args) == 0 && o.contract == "") {
		return usagef("want CALENDAR FROM [TO | +DURATION | end_of_open_day(N)]")
	}
	var c *contract.Contract
	if o.contract != "" {
		if err := readable(o.contract); err != nil {
			return err
		}
		var err error
		if c, err = contract.Load(o.contract); err != nil {
			return inputError{err}
		}
		if len(args) == 0 {
			for _, name := range c.CalendarNames() {
				cal, _ := c.Calendar(name)
				fmt.Fprintf(e.stdout, "%-14s %s\n", name, cal)
			}
			return nil
		}
	}
	name, cal, err := lookupCalendar(c, args[0])
	if err != nil {
		return err
	}
	if len(args) == 1 {
		return usagef("FROM is missing: write an instant such as \"2027-03-01 08:00\"")
	}
	ans, err := answer(name, cal, args[1:])
	if err != nil {
		return err
	}
	if o.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ans)
	}
	return ans.writeText(e.stdout)
}

// lookupCalendar finds a calendar of the contract by name, or reads a spec.
func lookupCalendar(c *contract.Contract, arg string) (string, *calendar.Calendar, error) {
	if c != nil {
		if cal, ok := c.Calendar(arg); ok {
			return arg, cal, nil
		}
		if !strings.ContainsAny(arg, " ;") {
			hint := ""
			if s := diag.Suggest(arg, c.CalendarNames()); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return "", nil, usagef("the contract has no calendar %q%s: its calendars are %s", arg, hint, strings.Join(c.CalendarNames(), ", "))
		}
	}
	loc := time.UTC
	if c != nil {
		loc = c.Location()
	}
	cal, err := calendar.ParseIn(arg, loc)
	if err != nil {
		return "", nil, usagef("calendar %q: %v", arg, err)
	}
	return "", cal, nil
}

// answer computes what the arguments after the calendar ask.
func answer(name string, cal *calendar.Calendar, args []string) (calendarAnswer, error) {
	ans := calendarAnswer{Calendar: name, Spec: cal.String()}
	clock := slatest.NewClockIn(cal.Location(), nil)
	from, err := clock.At(args[0])
	if err != nil {
		return ans, usagef("FROM %q: %v", args[0], err)
	}
	ans.From = &from
	if len(args) == 1 {
		open := cal.IsOpen(from)
		ans.Open = &open
		if open {
			closing := cal.NextClosing(from)
			ans.NextClosing = &closing
		} else {
			next := cal.NextOpening(from)
			ans.NextOpening = &next
		}
		return ans, nil
	}
	arg := args[1]
	switch {
	case strings.HasPrefix(arg, "+"):
		d, err := slatest.Duration(arg[1:])
		if err != nil || d <= 0 {
			return ans, usagef("%q: write a duration of open time such as +4h or +1h30min", arg)
		}
		deadline := cal.Add(from, d)
		ans.setOpenTime(d)
		ans.Deadline = &deadline
	case strings.HasPrefix(arg, "end_of_open_day("):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(arg, "end_of_open_day("), ")"))
		if err != nil || n < 1 || !strings.HasSuffix(arg, ")") {
			return ans, usagef("%q: write end_of_open_day(3)", arg)
		}
		deadline := cal.EndOfOpenDay(from, n)
		ans.setOpenTime(cal.Between(from, deadline))
		ans.Deadline = &deadline
	default:
		to, err := clock.At(arg)
		if err != nil {
			return ans, usagef("TO %q: %v", arg, err)
		}
		if to.Before(from) {
			return ans, usagef("TO %s comes before FROM %s", arg, args[0])
		}
		ans.To = &to
		ans.setOpenTime(cal.Between(from, to))
	}
	if ans.Deadline != nil && ans.Deadline.Equal(calendar.Never) {
		return ans, inputError{fmt.Errorf("the calendar has not that much open time before %d", calendar.MaxYear+1)}
	}
	return ans, nil
}

func (a *calendarAnswer) setOpenTime(d time.Duration) {
	s := int64(d / time.Second)
	a.OpenTime, a.OpenSeconds = exact.FormatDuration(d), &s
}

func (a calendarAnswer) writeText(w io.Writer) error {
	var b strings.Builder
	line := func(label, value string) { fmt.Fprintf(&b, "%-13s %s\n", label, value) }
	cal := a.Spec
	if a.Calendar != "" {
		cal = a.Calendar + ": " + a.Spec
	}
	line("calendar", cal)
	line("from", formatInstant(*a.From))
	if a.To != nil {
		line("to", formatInstant(*a.To))
	}
	if a.OpenTime != "" {
		line("open time", a.OpenTime)
	}
	if a.Deadline != nil {
		line("deadline", formatInstant(*a.Deadline))
	}
	if a.Open != nil {
		state := "closed"
		if *a.Open {
			state = "open"
		}
		line("state", state)
		if a.NextOpening != nil {
			line("opens", formatInstant(*a.NextOpening))
		}
		if a.NextClosing != nil {
			line("closes", formatInstant(*a.NextClosing))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatInstant(t time.Time) string {
	if t.Equal(calendar.Never) {
		return "never"
	}
	if t.Second() != 0 {
		return t.Format("Mon 2006-01-02 15:04:05 MST")
	}
	return t.Format("Mon 2006-01-02 15:04 MST")
}
