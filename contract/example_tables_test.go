package contract_test

import (
	"fmt"
	"log"

	"github.com/pacte-sla/pacte/contract"
)

// A rule's deadline and its clock's calendar looked up per ticket in the
// contract's tables: the lookups hold every value a ticket can get,
// checked when the contract loaded.
func ExampleLookup_Find() {
	c, err := contract.Load("../examples/contracts/catalogue.yaml")
	if err != nil {
		log.Fatal(err)
	}
	r, _ := c.Rule("REQ-CATALOGUE")
	for _, site := range []string{"STRASBOURG", "SAINT-DENIS", "LYON"} {
		cal, _ := r.Clock.ByItem.Find(site)
		fmt.Printf("%s: %s\n", site, cal.Name)
	}
	for _, category := range []string{"PC", "PRINTER", "SERVER"} {
		d, _ := r.Deadline.ByItem.Find(category)
		fmt.Printf("%s: %s\n", category, d.Text)
	}
	fmt.Println("key:", r.Deadline.ByItem.Key.Text)
	// Output:
	// STRASBOURG: HO-ALSACE
	// SAINT-DENIS: HO-REUNION
	// LYON: HO
	// PC: 8h
	// PRINTER: end_of_open_day(2)
	// SERVER: 24h
	// key: category
}
