// Package records holds what the readers and the builders of records
// share about the four kinds of record.
package records

import "github.com/pacte-sla/pacte"

// ID returns the ID of a ticket, call, outage or sample given by pointer,
// so that an error about a record of any kind can name it; "" for
// anything else.
func ID(rec any) string {
	switch r := rec.(type) {
	case *pacte.Ticket:
		return r.ID
	case *pacte.Call:
		return r.ID
	case *pacte.Outage:
		return r.ID
	case *pacte.Sample:
		return r.ID
	}
	return ""
}
