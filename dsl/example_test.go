package dsl_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

func ExampleCompile() {
	p, err := dsl.Compile[dsl.Ticket](`kind == "incident" && priority in ["P1", "P2"]`, dsl.Expect(dsl.Bool))
	if err != nil {
		fmt.Println(err)
		return
	}
	ticket := &pacte.Ticket{ID: "INC-42", Kind: "incident", Priority: "P2"}
	ok, err := dsl.EvalAs[bool](p, &dsl.Ticket{Ticket: ticket})
	fmt.Println(p.Type(), ok, err)
	// Output: bool true <nil>
}

func ExampleEvalAs() {
	// "P1 incidents restored within 4 hours of HE time".
	p, err := dsl.Compile[dsl.Ticket](`priority == "P1" && elapsed <= 4h`, dsl.Expect(dsl.Bool))
	if err != nil {
		fmt.Println(err)
		return
	}
	ticket := &pacte.Ticket{ID: "INC-1", Kind: "incident", Priority: "P1"}
	env := &dsl.Ticket{Ticket: ticket} // reused from item to item: no allocation
	for _, elapsed := range []time.Duration{3 * time.Hour, 4 * time.Hour, 4*time.Hour + time.Second} {
		env.Elapsed = elapsed
		ok, _ := dsl.EvalAs[bool](p, env)
		fmt.Println(elapsed, ok)
	}
	// Output:
	// 3h0m0s true
	// 4h0m0s true
	// 4h0m1s false
}

func ExampleEvalAs_amount() {
	// A penalty: 5 % of the application fee when the objective is missed,
	// plus 150 per started hour of lateness.
	p, err := dsl.Compile[dsl.Period[decimal.Decimal]](
		`breached ? 5% * fee("FORFAIT-APP") + 150 * ceil(late / 1h) : 0`,
		dsl.WorkUnits("FORFAIT-APP", "UO-TKT"), dsl.Expect(dsl.Decimal))
	if err != nil {
		fmt.Println(err)
		return
	}
	period := &dsl.Period[decimal.Decimal]{
		Eligible: 20, Met: 18, Missed: 2,
		Achieved:  decimal.RequireFromString("0.9"),
		Objective: decimal.RequireFromString("0.95"),
		Breached:  true,
		Late:      2*time.Hour + 10*time.Minute,
		Fees:      map[string]decimal.Decimal{"FORFAIT-APP": decimal.RequireFromString("18000.00")},
	}
	amount, err := dsl.EvalAs[decimal.Decimal](p, period)
	fmt.Println(amount.StringFixed(2), err)

	// 19 met of 20 is 95 %, and meets "≥ 95 %" exactly.
	met, _ := dsl.Compile[dsl.Period[decimal.Decimal]](`met / eligible >= 95%`)
	ok, _ := dsl.EvalAs[bool](met, &dsl.Period[decimal.Decimal]{Eligible: 20, Met: 19})
	fmt.Println(ok)
	// Output:
	// 1350.00 <nil>
	// true
}

func Example_durations() {
	ho := calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris")
	opened := time.Date(2027, time.May, 5, 16, 0, 0, 0, ho.Location()) // a Wednesday, before Ascension
	for _, src := range []string{`1h30min`, `90min == 1.5h`, `150 * ceil(2h10min / 1h)`, `add_open_time("HO", opened, 4h)`} {
		p, err := dsl.Compile[dsl.Ticket](src, dsl.Calendars(map[string]*calendar.Calendar{"HO": ho}))
		if err != nil {
			fmt.Println(err)
			continue
		}
		v, err := p.Eval(&dsl.Ticket{Ticket: &pacte.Ticket{Opened: opened}})
		if t, ok := v.(time.Time); ok {
			v = t.Format("Mon 2 Jan 15:04")
		}
		fmt.Println(src, "=", v, err)
	}
	// Output:
	// 1h30min = 1h30m0s <nil>
	// 90min == 1.5h = true <nil>
	// 150 * ceil(2h10min / 1h) = 450 <nil>
	// add_open_time("HO", opened, 4h) = Fri 7 May 10:00 <nil>
}

func ExampleError() {
	_, err := dsl.Compile[dsl.Ticket]("kind == \"incident\" &&\n  priorty == \"P1\"")
	fmt.Println(err)

	_, err = dsl.Compile[dsl.Ticket](`elapsed <= 3d`)
	fmt.Println(err)
	// Output:
	// 2:3: unknown name priorty
	//       priorty == "P1"
	//       ^
	//     did you mean "priority"?
	// 1:12: unknown duration unit "d" in "3d"
	//     elapsed <= 3d
	//                ^
	//     day units are explicit: calendar_days(3) is 72 hours, end_of_open_day(3) the end of the third open day, 27h is 27 hours of open time
}

func ExampleQuotientPlaces() {
	p, _ := dsl.Compile[dsl.Ticket](`2 / 3`)
	v, _ := dsl.EvalAs[decimal.Decimal](p, &dsl.Ticket{})
	fmt.Println(v, v.Exponent() == -dsl.QuotientPlaces)
	// Output: 0.6666666666666667 true
}

func ExampleCostLimit() {
	// Predicates over ranges whose lengths are constants are costed when
	// the expression compiles: 40,000 × 40,000 visits are refused.
	_, err := dsl.Compile[dsl.Ticket](`let r = 1..40000; all(r, all(r, true))`)
	fmt.Println(err != nil)
	// A larger budget lets it through, for the VM to run it.
	_, err = dsl.Compile[dsl.Ticket](`let r = 1..40000; all(r, all(r, true))`, dsl.CostLimit(2_000_000_000))
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}

func ExampleProgram_EvalContext() {
	// The length of the ranges comes from the record: the cost is charged
	// as the evaluation runs, and a cancelled context stops it.
	p, err := dsl.Compile[dsl.Ticket](`let r = 1..(level + 40000); all(r, all(r, true))`, dsl.CostLimit(1<<62))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = p.EvalContext(ctx, &dsl.Ticket{Ticket: &pacte.Ticket{Level: 1}})
	fmt.Println(err)
	// Output: context deadline exceeded
}

func ExampleConstant() {
	for _, threshold := range []string{"95%", "4h", "-20", "calendar_days(3)"} {
		v, err := dsl.Constant(threshold)
		fmt.Printf("%v %T %v\n", v, v, err)
	}
	// Output:
	// 0.95 decimal.Decimal <nil>
	// 4h0m0s time.Duration <nil>
	// -20 int <nil>
	// 72h0m0s time.Duration <nil>
}
