package adjust

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/records"
	"github.com/pacte-sla/pacte/sla"
)

// Decision is what a steering committee decided about an item.
type Decision string

// The decisions.
const (
	// Exclude leaves the item out of every rule: each rule whose scope
	// takes it counts it excluded, for "agreed: " and the reason.
	Exclude Decision = "exclude"
	// Reclassify sets fields of the item (its priority, its service…)
	// before any rule reads it.
	Reclassify Decision = "reclassify"
)

// Change is a field of a record and the value a reclassification gives
// it. Field is a record field's JSON name (priority, kind, service…) or
// attrs.NAME for an attribute.
type Change struct {
	Field string
	Value string
}

// Adjustment is an item-level decision agreed between the parties.
type Adjustment struct {
	Item     string
	Source   contract.Source // tickets or outages
	Decision Decision
	Changes  []Change // what Reclassify sets, in the order written
	Reason   string
	AgreedBy string
	Date     string // the day it was agreed, yyyy-mm-dd
	Line     int    // where the file gives it
}

// DecisionText is the decision as written: "exclude", or "reclassify
// priority=P2, service=ERP".
func (a Adjustment) DecisionText() string {
	if a.Decision != Reclassify {
		return string(a.Decision)
	}
	parts := make([]string, len(a.Changes))
	for i, c := range a.Changes {
		parts[i] = c.Field + "=" + c.Value
	}
	return string(a.Decision) + " " + strings.Join(parts, ", ")
}

// Note is the adjustment as the report shows it with its item:
// "reclassify priority=P2: wrong category at opening (agreed by COPIL,
// 2027-05-03)".
func (a Adjustment) Note() string {
	return fmt.Sprintf("%s: %s (agreed by %s, %s)", a.DecisionText(), a.Reason, a.AgreedBy, a.Date)
}

// Set is the adjustments of a file, one per item and source. It is
// immutable and safe for concurrent use.
type Set struct {
	file  string
	list  []Adjustment
	index map[key]int // by item and source, into list
}

type key struct {
	source contract.Source
	item   string
}

func newSet(file string, list []Adjustment) *Set {
	s := &Set{file: file, list: list, index: make(map[key]int, len(list))}
	for i, a := range list {
		s.index[key{a.Source, a.Item}] = i
	}
	return s
}

// File returns the name of the file the adjustments were read from.
func (s *Set) File() string { return s.file }

// Adjustments returns the adjustments, in file order.
func (s *Set) Adjustments() []Adjustment {
	out := slices.Clone(s.list)
	for i := range out {
		out[i].Changes = slices.Clone(out[i].Changes)
	}
	return out
}

// Applied is what a set of adjustments did to an input: how many records
// each matched. It is filled as the evaluation reads the input, and read
// once the evaluation is done; it is not safe for concurrent use.
type Applied struct {
	set     *Set
	matched []int
}

// Apply returns in with the adjustments applied to its tickets and
// outages as they stream, and what they matched, to be read once the
// input has been evaluated. A record an adjustment names is changed on a
// copy: its attributes say what was decided (pacte.AttrAdjustment), and
// an exclusion why (pacte.AttrAgreedExclusion).
func (s *Set) Apply(in sla.Input) (sla.Input, *Applied) {
	ap := &Applied{set: s, matched: make([]int, len(s.list))}
	if in.Tickets != nil {
		in.Tickets = applyEach(ap, contract.Tickets, in.Tickets, ap.ticket)
	}
	if in.Outages != nil {
		in.Outages = applyEach(ap, contract.Outages, in.Outages, ap.outage)
	}
	return in, ap
}

// applyEach applies the adjustments of a source to each record of seq.
func applyEach[R pacte.Ticket | pacte.Outage](ap *Applied, src contract.Source, seq iter.Seq[R], apply func(*R, *Adjustment)) iter.Seq[R] {
	return func(yield func(R) bool) {
		for r := range seq {
			if i, ok := ap.set.index[key{src, records.ID(&r)}]; ok {
				ap.matched[i]++
				apply(&r, &ap.set.list[i])
			}
			if !yield(r) {
				return
			}
		}
	}
}

// marked returns a copy of attrs with the adjustment's marks and the
// attributes it sets, and calls set with each other field it changes.
func marked(attrs map[string]string, a *Adjustment, set func(field, value string)) map[string]string {
	attrs = maps.Clone(attrs)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs[pacte.AttrAdjustment] = a.Note()
	if a.Decision == Exclude {
		attrs[pacte.AttrAgreedExclusion] = a.Reason
	}
	for _, c := range a.Changes {
		if name, ok := strings.CutPrefix(c.Field, "attrs."); ok {
			attrs[name] = c.Value
		} else {
			set(c.Field, c.Value)
		}
	}
	return attrs
}

func (ap *Applied) ticket(t *pacte.Ticket, a *Adjustment) {
	t.Attrs = marked(t.Attrs, a, func(field, value string) {
		if field == "level" {
			t.Level, _ = strconv.Atoi(value) // checked when read
		} else {
			*ticketText(t, field) = value
		}
	})
}

func (ap *Applied) outage(o *pacte.Outage, a *Adjustment) {
	o.Attrs = marked(o.Attrs, a, func(field, value string) {
		if field == "planned" {
			o.Planned, _ = strconv.ParseBool(value) // checked when read
		} else {
			o.Service = value
		}
	})
}

// ticketFields and outageFields are the fields a reclassification may
// set, besides attrs.NAME.
var (
	ticketFields = []string{"kind", "priority", "service", "category", "group", "level", "status"}
	outageFields = []string{"service", "planned"}
)

// ticketText is the text field of a ticket that ticketFields names.
func ticketText(t *pacte.Ticket, field string) *string {
	switch field {
	case "kind":
		return &t.Kind
	case "priority":
		return &t.Priority
	case "service":
		return &t.Service
	case "category":
		return &t.Category
	case "group":
		return &t.Group
	}
	return &t.Status
}

// Results are the adjustments as a report's provenance lists them, each
// with the number of records it matched.
func (ap *Applied) Results() []sla.Adjustment {
	out := make([]sla.Adjustment, len(ap.set.list))
	for i, a := range ap.set.list {
		out[i] = sla.Adjustment{Item: a.Item, Source: string(a.Source), Decision: a.DecisionText(), Reason: a.Reason,
			AgreedBy: a.AgreedBy, Date: a.Date, Matched: ap.matched[i]}
	}
	return out
}

// Unknown returns the adjustments that matched no record of the input:
// an item misspelt, or not in the extract evaluated.
func (ap *Applied) Unknown() []Adjustment {
	var out []Adjustment
	for i, a := range ap.set.list {
		if ap.matched[i] == 0 {
			out = append(out, a)
		}
	}
	return out
}

// Annotate adds to a report what the adjustments did: a warning for each
// one that matched no record, and, when the report has a provenance, the
// list of them.
func (ap *Applied) Annotate(rep *sla.Report) {
	for _, a := range ap.Unknown() {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s:%d: adjustment of %s %s: no such %s in the input, nothing adjusted",
			ap.set.file, a.Line, strings.TrimSuffix(string(a.Source), "s"), a.Item, strings.TrimSuffix(string(a.Source), "s")))
	}
	if rep.Provenance != nil {
		rep.Provenance.Adjustments = ap.Results()
	}
}
