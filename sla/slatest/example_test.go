package slatest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/slatest"
)

// Instants written on the contract's calendars.
func ExampleClock() {
	c, err := contract.Load("../../examples/contracts/acme.yaml")
	if err != nil {
		panic(err)
	}
	k := slatest.NewClock(c)
	opened, _ := k.At("Sat 2027-04-03 18:00")
	for _, spec := range []string{"+4h HE", "+4h HO", "+4h", "end_of_open_day(3) HO"} {
		t, _ := k.After(opened, spec)
		fmt.Printf("%-22s %s\n", spec, t.Format("Mon 2006-01-02 15:04"))
	}
	// Output:
	// +4h HE                 Mon 2027-04-05 09:00
	// +4h HO                 Mon 2027-04-05 12:00
	// +4h                    Sat 2027-04-03 22:00
	// end_of_open_day(3) HO  Wed 2027-04-07 18:00
}

// A clause test written in YAML, run from Go, against the reference
// contract: the expected penalty is wrong on purpose.
func ExampleParse() {
	c, err := contract.Load("../../examples/contracts/acme.yaml")
	if err != nil {
		panic(err)
	}
	file := []byte(`
cases:
  - name: one P1 restored after 8 h 30 of HE time
    as_of: 2027-05-01
    tickets:
      - {id: INC-3, kind: incident, priority: P1, opened: Wed 2027-04-07 08:00, acknowledged: +5min, resolved: +8h30min HE}
    expect:
      - period: 2027-04
        rules:
          INC-P1: {missed: 1, status: met, penalty: 300.00}
`)
	suite, err := slatest.Parse(file, "p1_test.yaml", slatest.WithContract(c))
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, res := range suite.Run(ctx) {
		for _, f := range res.Failures {
			fmt.Println(f.Error())
		}
	}
	// Output:
	// p1_test.yaml:10:53: 2027-04 INC-P1 penalty: want 300.00, got 150.00
	//     raw penalty 150.00
}
