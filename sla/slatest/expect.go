package slatest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Failure is an expectation that the report does not meet: what was
// expected and what came out, where the expectation is written, and the
// report's trace of that figure.
type Failure struct {
	File         string // the test file; empty for an assertion in Go
	Line, Column int
	Case         string
	Period       string
	Rule         string // empty for a figure of the whole period
	Field        string // eligible, penalty, net…
	Want, Got    string
	Trace        []string // the report's lines behind the figure
}

// Error formats the failure as file:line:col: period rule field: want …,
// got …, followed by the trace, indented.
func (f Failure) Error() string {
	var b strings.Builder
	if f.File != "" {
		fmt.Fprintf(&b, "%s:%d:%d: ", f.File, f.Line, f.Column)
	}
	for _, s := range []string{f.Period, f.Rule} {
		if s != "" {
			b.WriteString(s + " ")
		}
	}
	fmt.Fprintf(&b, "%s: want %s, got %s", f.Field, f.Want, f.Got)
	for _, line := range f.Trace {
		b.WriteString("\n    " + line)
	}
	return b.String()
}

// fieldKind is how an expected figure is written and compared.
type fieldKind int

const (
	kindInt      fieldKind = iota // a count
	kindMoney                     // an amount, compared exactly
	kindValue                     // an achieved value, compared to the precision written
	kindStatus                    // met, breached, not_applicable, no_data
	kindBool                      // true or false
	kindIDs                       // a list of item IDs, in any order
	kindExcluded                  // a count, or counts per reason
)

// The figures a test may expect of a rule in a period, and of a period.
var (
	ruleFields = map[string]fieldKind{
		"eligible": kindInt, "met": kindInt, "missed": kindInt, "excluded": kindExcluded,
		"achieved": kindValue, "status": kindStatus, "small_volume": kindBool,
		"penalty": kindMoney, "bonus": kindMoney, "raw_penalty": kindMoney, "raw_bonus": kindMoney,
		"capped": kindBool, "missed_items": kindIDs, "excluded_items": kindIDs, "penalised": kindIDs,
	}
	periodFields = map[string]fieldKind{
		"invoice": kindMoney, "penalties": kindMoney, "bonuses": kindMoney, "net": kindMoney,
		"capped": kindBool, "bonus_capped": kindBool,
	}
)

// want is one expected figure.
type want struct {
	field string
	text  string     // as written
	node  *yaml.Node // where; nil for an assertion in Go
	kind  fieldKind
	n     int
	dec   decimal.Decimal
	dur   time.Duration
	isDur bool
	// places is the precision an achieved value is compared to: the
	// decimals written ("94.74%" compares to 4 places of the ratio), −1
	// for an exact comparison.
	places  int32
	percent bool // written as a percentage: show what came out so too
	b       bool
	ids     []string
	reasons map[string]int // excluded per reason; nil for a total
}

var plainNumber = regexp.MustCompile(`^-?[0-9][0-9_]*(\.[0-9]+)?%?$`)

// parseWant reads the expected figure of a field from its text.
func parseWant(field string, kind fieldKind, text string, consts constants) (want, error) {
	w := want{field: field, text: text, kind: kind, places: -1}
	var err error
	switch kind {
	case kindInt, kindExcluded:
		w.n, err = strconv.Atoi(strings.ReplaceAll(text, "_", ""))
		if err != nil || w.n < 0 {
			return w, fmt.Errorf("want a whole number ≥ 0, found %q", text)
		}
	case kindMoney:
		if w.dec, err = consts.decimal(text); err == nil && !plainNumber.MatchString(text) {
			w.text = sla.Money{Decimal: w.dec}.Text() + " (" + text + ")"
		}
	case kindValue:
		err = w.parseValue(text, consts)
	case kindStatus:
		switch sla.Status(text) {
		case sla.StatusMet, sla.StatusBreached, sla.StatusNotApplicable, sla.StatusNoData:
		default:
			return w, fmt.Errorf("want met, breached, not_applicable or no_data, found %q", text)
		}
	case kindBool:
		switch text {
		case "true", "yes":
			w.b = true
		case "false", "no":
		default:
			return w, fmt.Errorf("want true or false, found %q", text)
		}
	}
	return w, err
}

func (w *want) parseValue(text string, consts constants) error {
	v, err := consts.value(text)
	if err != nil {
		return literalError(text, err)
	}
	w.percent = strings.HasSuffix(text, "%")
	switch x := v.(type) {
	case time.Duration:
		w.dur, w.isDur = x, true
	case int:
		w.dec = decimal.NewFromInt(int64(x))
	case decimal.Decimal:
		w.dec = x
		if plainNumber.MatchString(text) {
			w.places = writtenPlaces(text)
		} else {
			w.text = x.String() + " (" + text + ")"
		}
	default:
		return fmt.Errorf("want a number, a percentage or a duration, found %q", text)
	}
	return nil
}

// writtenPlaces is the decimal places of the ratio a plain number
// writes: 2 for 0.95, 4 for 99.50%, 2 for 100%. It is read from the text,
// since a value may drop its trailing zeros (100% is 1).
func writtenPlaces(text string) int32 {
	places := int32(0)
	if _, frac, ok := strings.Cut(strings.TrimSuffix(text, "%"), "."); ok {
		places = int32(len(frac))
	}
	if strings.HasSuffix(text, "%") {
		places += 2
	}
	return places
}

// report finds the period and rule a check is about.
func findPeriod(rep *sla.Report, period string) (*sla.PeriodReport, string) {
	var names []string
	for i := range rep.Periods {
		if rep.Periods[i].Period == period {
			return &rep.Periods[i], ""
		}
		names = append(names, rep.Periods[i].Period)
	}
	if len(names) == 0 {
		return nil, "no period in the report"
	}
	return nil, "not in the report, whose periods are " + strings.Join(names, ", ")
}

func findRule(p *sla.PeriodReport, id string) (*sla.RuleReport, string) {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			return &p.Rules[i], ""
		}
	}
	return nil, "no such rule in the period"
}

// onRule compares the figure with a rule's report: what came out, whether
// it matches, and the trace behind it.
func (w want) onRule(r *sla.RuleReport) (got string, ok bool, trace []string) {
	switch w.field {
	case "eligible":
		return w.compareInt(r.Eligible, ruleTrace(r))
	case "met":
		return w.compareInt(r.Met, ruleTrace(r))
	case "missed":
		got, ok, trace = w.compareInt(r.Missed, ruleTrace(r))
		return got, ok, append(trace, missedTrace(r)...)
	case "excluded":
		return w.compareExcluded(r.Excluded)
	case "achieved":
		return w.compareValue(r.Achieved, ruleTrace(r))
	case "status":
		return string(r.Status), string(r.Status) == w.text, ruleTrace(r)
	case "small_volume":
		return strconv.FormatBool(r.SmallVolume), r.SmallVolume == w.b, ruleTrace(r)
	case "penalty":
		return w.compareMoney(r.Penalty, stepTrace("raw penalty", r.RawPenalty, r.Steps, sla.PenaltyAmount))
	case "raw_penalty":
		return w.compareMoney(r.RawPenalty, append(ruleTrace(r), missedTrace(r)...))
	case "bonus":
		return w.compareMoney(r.Bonus, stepTrace("raw bonus", r.RawBonus, r.Steps, sla.BonusAmount))
	case "raw_bonus":
		return w.compareMoney(r.RawBonus, ruleTrace(r))
	case "capped":
		capped := false
		for _, s := range r.Steps {
			capped = capped || (isCap(s.Step) && s.After.LessThan(s.Before.Decimal))
		}
		return strconv.FormatBool(capped), capped == w.b, stepTrace("raw penalty", r.RawPenalty, r.Steps, "")
	case "missed_items":
		return sameIDs(w.ids, r.MissedItems, func(it sla.MissedItem) string { return it.ID }, missedTrace(r))
	case "excluded_items":
		return sameIDs(w.ids, r.ExcludedItems, func(it sla.ExcludedItem) string { return it.ID }, excludedTrace(r))
	case "penalised":
		return penalisedMembers(r, w.ids)
	}
	return "", false, nil
}

// sameIDs compares the IDs of items with those expected, in any order;
// got is the items' IDs, sorted, and trace the items' own trace.
func sameIDs[T any](want []string, items []T, id func(T) string, trace []string) (got string, ok bool, _ []string) {
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, id(it))
	}
	slices.Sort(ids)
	return "[" + strings.Join(ids, ", ") + "]", slices.Equal(ids, slices.Sorted(slices.Values(want))), trace
}

// excludedTrace says the items an exclusion left out, each with its
// reason, and the exclusions counted but not listed (short abandons).
func excludedTrace(r *sla.RuleReport) []string {
	var out []string
	for _, it := range r.ExcludedItems {
		out = append(out, "excluded "+it.ID+": "+it.Reason)
	}
	listed := map[string]int{}
	for _, it := range r.ExcludedItems {
		listed[it.Reason]++
	}
	for _, reason := range slices.Sorted(maps.Keys(r.Excluded)) {
		if n := r.Excluded[reason] - listed[reason]; n > 0 {
			out = append(out, fmt.Sprintf("%d more excluded (%s), counted but not listed", n, reason))
		}
	}
	return out
}

// onPeriod compares the figure with a period's report.
func (w want) onPeriod(p *sla.PeriodReport) (got string, ok bool, trace []string) {
	switch w.field {
	case "invoice":
		var trace []string
		for _, l := range p.Invoice.Lines {
			trace = append(trace, fmt.Sprintf("%-12s quantity %s  %s", l.Unit, l.Quantity, l.Amount.Text()))
		}
		return w.compareMoney(p.Invoice.Total, append(trace, p.Invoice.Warnings...))
	case "penalties":
		return w.compareMoney(p.Penalties, periodTrace(p, sla.PenaltyAmount))
	case "bonuses":
		return w.compareMoney(p.Bonuses, periodTrace(p, sla.BonusAmount))
	case "net":
		return w.compareMoney(p.Net, periodTrace(p, ""))
	case "capped", "bonus_capped":
		kind := sla.PenaltyAmount
		if w.field == "bonus_capped" {
			kind = sla.BonusAmount
		}
		capped := false
		for _, s := range p.Steps {
			capped = capped || (s.Kind == kind && isCap(s.Step) && s.After.LessThan(s.Before.Decimal))
		}
		return strconv.FormatBool(capped), capped == w.b, periodTrace(p, kind)
	}
	return "", false, nil
}

func isCap(step contract.Step) bool {
	return step == contract.StepRuleCaps || step == contract.StepMonthCap || step == contract.StepYearCap || step == contract.StepBonus
}

func (w want) compareInt(got int, trace []string) (string, bool, []string) {
	return strconv.Itoa(got), got == w.n, trace
}

func (w want) compareMoney(got sla.Money, trace []string) (string, bool, []string) {
	return got.Text(), got.Equal(w.dec), trace
}

func (w want) compareExcluded(got map[string]int) (string, bool, []string) {
	total := 0
	var parts []string
	for _, reason := range slices.Sorted(maps.Keys(got)) {
		total += got[reason]
		parts = append(parts, fmt.Sprintf("%s: %d", reason, got[reason]))
	}
	desc := strconv.Itoa(total)
	if len(parts) > 0 {
		desc += " (" + strings.Join(parts, ", ") + ")"
	}
	if w.reasons == nil {
		return desc, total == w.n, nil
	}
	// Every reason counts, those written and those that came out: a
	// reason written with 0 is one that excluded nothing.
	ok := true
	for reason, n := range w.reasons {
		ok = ok && got[reason] == n
	}
	for reason, n := range got {
		ok = ok && w.reasons[reason] == n
	}
	return desc, ok, nil
}

func (w want) compareValue(got *sla.Quantity, trace []string) (string, bool, []string) {
	if got == nil {
		return "nothing measured", false, trace
	}
	v := got.Number()
	if got.Type == dsl.Duration {
		d := got.Duration
		if w.isDur && w.dur%time.Second == 0 {
			d = d.Round(time.Second)
		}
		// A number is no duration: 3600 is not 1h.
		return exact.FormatDuration(d), w.isDur && d == w.dur, trace
	}
	shown := v.String()
	if w.percent && got.Type == dsl.Decimal {
		shown = v.Shift(2).String() + "%"
	}
	if w.isDur || (w.percent && got.Type == dsl.Int) {
		return shown, false, trace // a count is no percentage
	}
	if w.places >= 0 {
		return shown, v.Round(w.places).Equal(w.dec), trace
	}
	return shown, v.Equal(w.dec), trace
}

// ruleTrace is how a rule's status came about.
func ruleTrace(r *sla.RuleReport) []string {
	achieved := "nothing measured"
	if r.Achieved != nil {
		achieved = r.Achieved.Text()
	}
	line := fmt.Sprintf("%d eligible, %d met, %d missed; achieved %s against %s %s (%s): %s",
		r.Eligible, r.Met, r.Missed, achieved, r.Op, r.Objective.Text(), r.ObjectiveText, r.Status)
	if r.Note != "" {
		return []string{line, r.Note}
	}
	return []string{line}
}

func missedTrace(r *sla.RuleReport) []string {
	var out []string
	for _, it := range r.MissedItems {
		line := "missed " + it.ID
		if it.Measured != "" {
			line += ": measured " + it.Measured
		}
		if it.Late != 0 {
			line += ", late " + it.Late.String()
		}
		if it.Amount != nil {
			line += ", " + it.Amount.Text()
		}
		if it.Open {
			line += ", still open"
		}
		out = append(out, line)
	}
	return out
}

// stepTrace is an amount as the rule's formulas give it, then every step
// of the pipeline that acted on it (kind "" for both kinds).
func stepTrace(label string, raw sla.Money, steps []sla.TraceLine, kind sla.AmountKind) []string {
	out := []string{fmt.Sprintf("%s %s", label, raw.Text())}
	for _, s := range steps {
		if kind == "" || s.Kind == kind {
			out = append(out, fmt.Sprintf("%s %s: %s → %s (%s)", s.Step, s.Kind, s.Before.Text(), s.After.Text(), s.Note))
		}
	}
	return out
}

// periodTrace is the rules' amounts in a period, then the period's steps.
func periodTrace(p *sla.PeriodReport, kind sla.AmountKind) []string {
	var out []string
	for _, r := range p.Rules {
		if (kind != sla.BonusAmount && !r.Penalty.IsZero()) || (kind != sla.PenaltyAmount && !r.Bonus.IsZero()) {
			out = append(out, fmt.Sprintf("%s: penalty %s, bonus %s", r.ID, r.Penalty.Text(), r.Bonus.Text()))
		}
	}
	for _, s := range p.Steps {
		if kind == "" || s.Kind == kind {
			out = append(out, fmt.Sprintf("%s %s: %s → %s (%s)", s.Step, s.Kind, s.Before.Text(), s.After.Text(), s.Note))
		}
	}
	return out
}

// penalisedMembers compares the members of a group that carried a
// penalty, in any order, with ids; a rule carries none of its own.
func penalisedMembers(r *sla.RuleReport, ids []string) (got string, ok bool, trace []string) {
	var members []string
	if r.Group != nil {
		members = slices.Sorted(slices.Values(r.Group.Penalised))
		trace = stepTrace("raw penalty", r.RawPenalty, r.Steps, sla.PenaltyAmount)
	} else {
		trace = []string{r.ID + " is a rule, not a group: penalised lists a group's members"}
	}
	want := slices.Sorted(slices.Values(ids))
	return "[" + strings.Join(members, ", ") + "]", r.Group != nil && slices.Equal(members, want), trace
}
