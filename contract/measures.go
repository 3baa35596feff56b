package contract

import (
	"strconv"
	"strings"

	"github.com/pacte-sla/pacte/dsl"
)

// MeasureKind is the name of a measure, as an objective writes it.
type MeasureKind string

// The measures of objectives; [Measures] describes each.
const (
	MeasureNone         MeasureKind = "none"
	MeasureShare        MeasureKind = "share"
	MeasureCount        MeasureKind = "count"
	MeasureMet          MeasureKind = "met"
	MeasureMissed       MeasureKind = "missed"
	MeasureMean         MeasureKind = "mean"
	MeasureMedian       MeasureKind = "median"
	MeasurePercentile   MeasureKind = "percentile"
	MeasureSum          MeasureKind = "sum"
	MeasureMin          MeasureKind = "min"
	MeasureMax          MeasureKind = "max"
	MeasureAvailability MeasureKind = "availability"
	MeasureAnswerRate   MeasureKind = "answer_rate"
	MeasureAbandonRate  MeasureKind = "abandon_rate"
	MeasureServiceLevel MeasureKind = "service_level"
	MeasureASA          MeasureKind = "asa"
	MeasureFCR          MeasureKind = "fcr"
)

// Measure is an entry of the table of measures: what an objective may
// compare with its threshold, what it takes, from which records, what
// it needs of its rule, how its values read, and how it is made of the
// items of a period.
type Measure struct {
	Name MeasureKind
	// Args is what the measure takes between parentheses.
	Args MeasureArgs
	// Sources are the sources of the rules that may use the measure; nil
	// for every source.
	Sources []Source
	// Needs is a setting of its rule that the measure reads.
	Needs Requirement
	// Result is the type of the measure's values; dsl.Unknown for the
	// type of its per-item measure (a mean of whole numbers being a
	// decimal).
	Result dsl.Type
	// Unit is how its values read; "" for as their type reads (see
	// [Objective.Unit]).
	Unit Unit
	// Rank is the percentile the measure is (50 for the median); 0 when
	// it has none, or when the objective gives it.
	Rank int
	// RankInName: the name may carry the rank, "p" then the rank, as
	// p90(m) for percentile(m, 90).
	RankInName bool
	// Item is what the measure takes of each item, and Of how it makes
	// the period's value of what it took.
	Item ItemMeasure
	Of   Aggregate
	// ArgsHint is how error messages write its arguments after its name:
	// "(cond)".
	ArgsHint string
}

// Measures is the table of measures, in the order error messages list
// them. The loader reads the objectives of a contract with it, package
// sla evaluates each entry's Item and Of, and reports carry its Unit.
// A new measure is its name among the constants above, an entry here
// and, when it takes of items or makes of them what no entry does yet,
// that evaluation in package sla (the switches on ItemMeasure and
// Aggregate).
var Measures = []Measure{
	{Name: MeasureNone, Result: dsl.Decimal},
	{Name: MeasureShare, Args: ArgCondition, Result: dsl.Decimal, Unit: UnitRatio, Item: ItemCondition, Of: OfRatio, ArgsHint: "(cond)"},
	{Name: MeasureCount, Args: ArgCondition, Result: dsl.Int, Unit: UnitInteger, Item: ItemCondition, Of: OfCount, ArgsHint: "(cond)"},
	{Name: MeasureMet, Needs: NeedsDeadline, Result: dsl.Int, Unit: UnitInteger, Item: ItemOnTime, Of: OfCount},
	{Name: MeasureMissed, Needs: NeedsDeadline, Result: dsl.Int, Unit: UnitInteger, Item: ItemOnTime, Of: OfCountNot},
	{Name: MeasureMean, Args: ArgValue, Item: ItemValue, Of: OfMean, ArgsHint: "(m)"},
	{Name: MeasureMedian, Args: ArgValue, Rank: 50, Item: ItemValue, Of: OfPercentile, ArgsHint: "(m)"},
	{Name: MeasurePercentile, Args: ArgValueRank, RankInName: true, Item: ItemValue, Of: OfPercentile, ArgsHint: "(m)"},
	{Name: MeasureSum, Args: ArgValue, Item: ItemValue, Of: OfSum, ArgsHint: "(m)"},
	{Name: MeasureMin, Args: ArgValue, Item: ItemValue, Of: OfMin, ArgsHint: "(m)"},
	{Name: MeasureMax, Args: ArgValue, Item: ItemValue, Of: OfMax, ArgsHint: "(m)"},
	{Name: MeasureAvailability, Sources: []Source{Outages}, Needs: NeedsAvailability, Result: dsl.Decimal, Unit: UnitRatio,
		Item: ItemOutage, Of: OfUptime},
	{Name: MeasureAnswerRate, Sources: []Source{Calls}, Result: dsl.Decimal, Unit: UnitRatio, Item: ItemAnswered, Of: OfRatio},
	{Name: MeasureAbandonRate, Sources: []Source{Calls}, Result: dsl.Decimal, Unit: UnitRatio, Item: ItemAbandoned, Of: OfRatio},
	{Name: MeasureServiceLevel, Args: ArgTimeVariant, Sources: []Source{Calls}, Result: dsl.Decimal, Unit: UnitRatio,
		Item: ItemAnsweredWithin, Of: OfRatio, ArgsHint: `(60s, "answered")`},
	{Name: MeasureASA, Sources: []Source{Calls}, Result: dsl.Duration, Unit: UnitDuration, Item: ItemWait, Of: OfMean},
	{Name: MeasureFCR, Sources: []Source{Calls}, Result: dsl.Decimal, Unit: UnitRatio, Item: ItemFirstContact, Of: OfRatio},
}

// MeasureArgs is what a measure takes between parentheses.
type MeasureArgs uint8

// The arguments of measures.
const (
	NoArgs         MeasureArgs = iota // none: answer_rate
	ArgCondition                      // a condition over the item: share(on_time)
	ArgValue                          // a per-item measure: mean(wait)
	ArgValueRank                      // a per-item measure and a rank: percentile(wait, 90)
	ArgTimeVariant                    // an answer time and a variant: service_level(60s, "answered")
)

// Requirement is a setting of its rule that a measure reads.
type Requirement uint8

// The requirements of measures.
const (
	NeedsNothing      Requirement = iota
	NeedsDeadline                 // the rule's deadline, against which items are met or missed
	NeedsAvailability             // the rule's availability settings: its service calendar
)

// Unit is how the values of a measure read.
type Unit string

// The units of measures.
const (
	UnitNone     Unit = ""         // nothing is measured
	UnitRatio    Unit = "ratio"    // a fraction of 1 that reads as a percentage: 0.95 is 95 %
	UnitDuration Unit = "duration" // a duration; reports hold it in seconds
	UnitInteger  Unit = "integer"  // a whole number: a count of items
	UnitNumber   Unit = "number"   // a decimal number: a mean score
)

// ItemMeasure is what a measure takes of each item of its rule.
type ItemMeasure uint8

// What measures take of items.
const (
	ItemNothing        ItemMeasure = iota // nothing: no item is measured
	ItemCondition                         // whether the objective's condition holds
	ItemOnTime                            // whether the ticket's clock stopped within the deadline
	ItemOutage                            // the outage: its downtime within the service time
	ItemValue                             // the objective's per-item measure
	ItemAnswered                          // whether the call was answered
	ItemAbandoned                         // whether the call was abandoned unanswered
	ItemFirstContact                      // of answered calls: whether resolved at the first contact
	ItemWait                              // of answered calls: the wait
	ItemAnsweredWithin                    // whether answered within the service level's time, of the calls its variant counts
)

// Aggregate is how a measure makes the value of a period from what it
// took of the period's items.
type Aggregate uint8

// The aggregates of measures.
const (
	OfNothing    Aggregate = iota // no value: not applicable
	OfRatio                       // the items for which the item measure holds / the items measured
	OfCount                       // the items for which it holds
	OfCountNot                    // the items for which it does not hold
	OfUptime                      // (service time − downtime) / service time, overlaps counted once
	OfMean                        // the mean of the items' values
	OfSum                         // their sum
	OfMin                         // the least
	OfMax                         // the greatest
	OfPercentile                  // the value at the rank (nearest rank)
)

// IsStatistic reports whether the aggregate is a statistic of the
// items' values.
func (a Aggregate) IsStatistic() bool { return a >= OfMean }

// MeasureOf returns the entry of the table of the measure named name;
// false when there is none.
func MeasureOf(name MeasureKind) (Measure, bool) {
	for _, m := range Measures {
		if m.Name == name {
			return m, true
		}
	}
	return Measure{}, false
}

// measureWritten returns the measure an objective names, and the rank
// its name carries (p90: percentile, 90).
func measureWritten(name string) (m Measure, rank int, ok bool) {
	if m, ok := MeasureOf(MeasureKind(name)); ok && m.Name != MeasureNone {
		return m, 0, true
	}
	if rank, ok := rankIn(name); ok {
		for _, m := range Measures {
			if m.RankInName {
				m.Args = ArgValue // the rank is in the name
				return m, rank, true
			}
		}
	}
	return Measure{}, 0, false
}

// rankIn reads a name that carries a rank: "p" then 0 to 100, in one or
// two digits or 100.
func rankIn(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "p")
	if !ok || len(digits) == 0 || len(digits) > 3 || len(digits) == 3 && digits != "100" {
		return 0, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	rank, _ := strconv.Atoi(digits)
	return rank, true
}

// rankedName is how hints write a name that carries its rank.
const rankedName = "p90"

// measureNames are the names an objective may write, for a suggestion:
// each measure's, and p90 for a rank in the name.
func measureNames() []string {
	var names []string
	for _, m := range Measures[1:] {
		names = append(names, string(m.Name))
		if m.RankInName {
			names = append(names, rankedName)
		}
	}
	return names
}

// measureHints lists the measures as error messages show them: with
// their arguments, and a rank in the name rather than the name when it
// may carry one (p90(m)).
func measureHints() string {
	hints := make([]string, 0, len(Measures))
	for _, m := range Measures[1:] {
		name := string(m.Name)
		if m.RankInName {
			name = rankedName
		}
		hints = append(hints, name+m.ArgsHint)
	}
	return strings.Join(hints, ", ")
}

// Unit is how the objective's values read: its measure's unit or, for a
// statistic of a per-item measure, its type's.
func (o Objective) Unit() Unit {
	m, _ := MeasureOf(o.Measure)
	if m.Unit != "" || m.Of == OfNothing {
		return m.Unit
	}
	switch o.Type() {
	case dsl.Duration:
		return UnitDuration
	case dsl.Int:
		return UnitInteger
	}
	return UnitNumber
}
