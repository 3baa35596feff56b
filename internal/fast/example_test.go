package fast_test

import (
	"fmt"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/fast"
)

// A rule's condition, compiled against the ticket environment, then into
// closures: evaluating it allocates nothing when the environment is reused.
func ExampleCompile() {
	he := calendar.MustParse("mon-sat 07:00-20:00; holidays FR; tz Europe/Paris")
	p, err := dsl.Compile[dsl.Ticket](`priority == "P1" && elapsed_between(opened, resolved) <= 4h`, dsl.RuleCalendar(he))
	if err != nil {
		fmt.Println(err)
		return
	}
	f := fast.Compile(p, fast.Calendars{Rule: he})
	opened := time.Date(2027, time.May, 5, 16, 0, 0, 0, he.Location()) // Wednesday, before Ascension
	env := &dsl.Ticket{Ticket: &pacte.Ticket{Priority: "P1", Opened: opened, Resolved: opened.Add(39 * time.Hour)}}
	ok, err := f.Bool(env)
	fmt.Println(f.Compiled(), ok, err)
	// Output: true true <nil>
}

// A scope that reads texts alone has the same value for every ticket with
// the same texts: an engine may keep it from one ticket to the next.
func ExampleProgram_TextInputs() {
	p, err := dsl.Compile[dsl.Ticket](`kind == "incident" && priority in ["P1", "P2"]`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fields, ok := fast.Compile(p, fast.Calendars{}).TextInputs()
	env := &dsl.Ticket{Ticket: &pacte.Ticket{Kind: "incident", Priority: "P2"}}
	for _, f := range fields {
		fmt.Printf("%s=%s ", f.Name, f.Get(env))
	}
	fmt.Println(ok)
	// Output: kind=incident priority=P2 true
}

// A scope is_open(cal, t) keeps its value while t stays in one opening or
// one closing of the calendar.
func ExampleProgram_OpenTest() {
	ho := calendar.MustParse("mon-fri 08:00-18:00; tz Europe/Paris")
	named := map[string]*calendar.Calendar{"HO": ho}
	p, err := dsl.Compile[dsl.Call](`is_open("HO", offered)`, dsl.Calendars(named))
	if err != nil {
		fmt.Println(err)
		return
	}
	cal, at, ok := fast.Compile(p, fast.Calendars{Named: named}).OpenTest()
	env := dsl.NewCall(&pacte.Call{ID: "C1", Offered: time.Date(2027, 3, 1, 9, 30, 0, 0, ho.Location())})
	t := at(&env)
	fmt.Println(ok, cal.IsOpen(t), "until", cal.NextClosing(t).Format("Mon 15:04"))
	// Output: true true until Mon 18:00
}
