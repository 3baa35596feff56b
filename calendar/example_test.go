package calendar_test

import (
	"fmt"
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

func ExampleParse() {
	ho, err := calendar.Parse("mon-fri 08:00-12:30,13:30-18:00; holidays FR FR-67; closed every 12-24 14:00-24:00; tz Europe/Paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ho)

	_, err = calendar.Parse("mon-fri 08:00-12:30,13:30-18:00; tz Europe/Pariss")
	fmt.Println(err)
	// Output:
	// mon-fri 08:00-12:30,13:30-18:00; holidays FR FR-67; closed every 12-24 14:00-24:00; tz Europe/Paris
	// calendar spec, column 37: expected an IANA time zone such as Europe/Paris, found "Europe/Pariss"
}

func ExampleCalendar_Between() {
	ho := calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris")
	paris := ho.Location()
	opened := time.Date(2027, time.May, 14, 16, 0, 0, 0, paris)   // Friday
	resolved := time.Date(2027, time.May, 18, 9, 30, 0, 0, paris) // Tuesday, after Whit Monday
	fmt.Println(ho.Between(opened, resolved))
	// Output: 3h30m0s
}

func ExampleCalendar_Add() {
	he := calendar.MustParse("mon-sat 07:00-20:00; holidays FR; tz Europe/Paris")
	opened := time.Date(2027, time.March, 6, 18, 0, 0, 0, he.Location()) // Saturday evening
	deadline := he.Add(opened, 4*time.Hour)                              // "restored within 4 HE hours"
	fmt.Println(deadline.Format("Mon 2006-01-02 15:04"))
	// Output: Mon 2027-03-08 09:00
}

func ExampleCalendar_EndOfOpenDay() {
	ho := calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris")
	opened := time.Date(2027, time.May, 13, 10, 0, 0, 0, ho.Location()) // Thursday before Whit Monday
	// "Resolved by the end of the third open day after the day it was opened."
	fmt.Println(ho.EndOfOpenDay(opened, 3).Format("Mon 2006-01-02 15:04"))
	// Output: Wed 2027-05-19 18:00
}

func ExampleCalendar_OpenDaysBudget() {
	ho := calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris")
	opened := time.Date(2027, time.May, 13, 10, 0, 0, 0, ho.Location()) // Thursday before Whit Monday
	// The open time "by the end of the third open day" allows: what is
	// left of Thursday, then Friday, Tuesday and Wednesday.
	fmt.Println(ho.OpenDaysBudget(opened, 3))
	// Output: 34h0m0s
}

func ExampleCalendar_Complement() {
	ho := calendar.MustParse("mon-fri 08:00-18:00; holidays FR; tz Europe/Paris")
	hno := ho.Complement()
	saturday := time.Date(2027, time.March, 6, 10, 0, 0, 0, ho.Location())
	fmt.Println(hno.IsOpen(saturday), hno)
	// Output: true not mon-fri 08:00-18:00; holidays FR; tz Europe/Paris
}

func ExampleCalendar_Windows() {
	ho := calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; closed every 12-24 14:00-24:00; tz Europe/Paris")
	from := time.Date(2027, time.December, 24, 9, 0, 0, 0, ho.Location())
	for w := range ho.Windows(from, from.Add(72*time.Hour)) {
		fmt.Println(w.Start.Format("Mon 15:04"), "-", w.End.Format("Mon 15:04"))
	}
	// Output:
	// Fri 09:00 - Fri 12:30
	// Fri 13:30 - Fri 14:00
	// Mon 08:00 - Mon 09:00
}

func ExampleNew() {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := calendar.New(
		calendar.In(paris),
		calendar.Weekly(calendar.Weekdays, calendar.Window{Start: calendar.Clock(9, 0), End: calendar.Clock(17, 0)}),
		calendar.WithHolidays("FR-57"),
		calendar.WithExceptions(calendar.Exception{Open: true, Date: calendar.Date{Year: 2027, Month: time.May, Day: 17}}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c)
	// Output: mon-fri 09:00-17:00; holidays FR-57; open 2027-05-17; tz Europe/Paris
}
