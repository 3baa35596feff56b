// Command calendar prints open time and deadlines on the HO calendar of
// the reference contract (business hours in Paris, French holidays, early
// closing on 24 and 31 December) for a few instants.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

const ho = "mon-fri 08:00-12:30,13:30-18:00; holidays FR; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00; tz Europe/Paris"

func main() {
	c, err := calendar.Parse(ho)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	paris := c.Location()
	fmt.Println("HO:", c)
	fmt.Println()
	fmt.Printf("%-22s %-5s %-22s %-22s %s\n", "opened", "open", "+8 h HO (P2 restore)", "end of 3rd open day", "HO until +7 days")
	for _, opened := range []time.Time{
		time.Date(2027, time.March, 1, 9, 15, 0, 0, paris),     // a Monday morning
		time.Date(2027, time.March, 5, 17, 30, 0, 0, paris),    // Friday, half an hour before closing
		time.Date(2027, time.May, 14, 16, 0, 0, 0, paris),      // Friday before Whit Monday
		time.Date(2027, time.March, 27, 23, 0, 0, 0, paris),    // the night clocks go forward
		time.Date(2027, time.December, 24, 11, 0, 0, 0, paris), // Christmas Eve, closing at 14:00
	} {
		fmt.Printf("%-22s %-5v %-22s %-22s %s\n",
			opened.Format("Mon 2006-01-02 15:04"),
			c.IsOpen(opened),
			c.Add(opened, 8*time.Hour).Format("Mon 2006-01-02 15:04"),
			c.EndOfOpenDay(opened, 3).Format("Mon 2006-01-02 15:04"),
			c.Between(opened, opened.AddDate(0, 0, 7)))
	}
}
