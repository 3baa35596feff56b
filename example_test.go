package pacte_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/pacte-sla/pacte"
)

// A record is a plain struct; CheckTicket says what the engine and the
// readers would refuse in it, and why.
func ExampleCheckTicket() {
	paris, _ := time.LoadLocation("Europe/Paris")
	opened := time.Date(2027, 3, 1, 9, 0, 0, 0, paris)
	good := pacte.Ticket{ID: "INC-1", Kind: "incident", Priority: "P1", Opened: opened, Resolved: opened.Add(3 * time.Hour)}
	fmt.Println(pacte.CheckTicket(&good, paris))

	bad := good
	bad.Resolved = opened.Add(-time.Hour) // restored before it was opened
	err := pacte.CheckTicket(&bad, paris)
	fmt.Println(err)
	fmt.Println(errors.Is(err, pacte.ErrOrder))
	// Output:
	// <nil>
	// resolved (2027-03-01T08:00:00+01:00) before opened (2027-03-01T09:00:00+01:00)
	// true
}
