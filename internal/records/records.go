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

// Identity returns what tells a record from the others of its input: its
// ID, and for a call its queue, for an outage its service, for a sample
// its name (what names the fields in a message: "id and queue"). Two
// records of an input with the same identity are one record given twice.
func Identity(rec any) (id, qualifier, what string) {
	switch r := rec.(type) {
	case *pacte.Ticket:
		return r.ID, "", "id"
	case *pacte.Call:
		return r.ID, r.Queue, "id and queue"
	case *pacte.Outage:
		return r.ID, r.Service, "id and service"
	case *pacte.Sample:
		return r.ID, r.Name, "id and name"
	}
	return "", "", "id"
}
