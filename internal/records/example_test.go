package records_test

import (
	"fmt"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/records"
)

// A record of any kind is named by its ID; a record given by value, or
// anything else, has none.
func ExampleID() {
	for _, rec := range []any{
		&pacte.Ticket{ID: "INC-1"}, &pacte.Call{ID: "C-1"}, &pacte.Outage{ID: "O-1"}, &pacte.Sample{ID: "S-1"},
		pacte.Ticket{ID: "INC-2"}, nil,
	} {
		fmt.Printf("%q ", records.ID(rec))
	}
	fmt.Println()
	// Output: "INC-1" "C-1" "O-1" "S-1" "" ""
}
