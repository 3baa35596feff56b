package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/pacte-sla/pacte/sla"
)

var timersCommand = &command{
	name:    "timers",
	summary: "the timers of the open tickets and the margin left in the month, at an instant",
	usage: `pacte timers [flags] CONTRACT -tickets FILE -at INSTANT

Timers reads the latest known version of each ticket (and the calls,
outages and samples of the period) and answers at the instant -at, in the
contract's zone, each record taken as it was known then (the changes after
-at left out, the records that came after it too): for each open ticket and each rule with a clock whose
scope takes it, the timer (stage, breached, start, breach_at, elapsed,
remaining, used); then, for each rule, the margin left in its running
period (eligible, met, missed, running, achieved, objective, misses_left,
met_needed, at_stake, due); then the items at risk, by the euros a miss
would add. Tickets still running within their deadline count as met, as
if they stopped at -at.

Alert thresholds and internal targets (OLAs) are the provider's operating
settings, not clauses: give them with -thresholds and -target, or in an
-options file ({thresholds: [50%, 75%, 90%], targets: {INC-P1: 3h}}), never
in the contract.

Examples:

  pacte timers examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -calls examples/data/calls.csv -outages examples/data/outages.csv -samples examples/data/samples.csv -volumes examples/data/volumes.json -at 2027-06-17T15:30
  pacte timers examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -at 2027-06-17T15:30 -filter group=Network -target INC-P1=3h -format json
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		var o timersOptions
		o.register(fs)
		fs.StringVar(&o.at, "at", "", "the instant to answer at: 2027-06-17T15:30, in the contract's zone (required)")
		fs.StringVar(&o.ticket, "ticket", "", "only this ticket's timers")
		return func(ctx context.Context, args []string) error { return o.exec(e, args) }
	},
}

type timersOptions struct {
	liveOptions
	at, ticket string
}

// timersOutput is what timers writes, in JSON with these names.
type timersOutput struct {
	AsOf   time.Time         `json:"as_of"`
	Timers []sla.Timer       `json:"timers"`
	Margin *sla.MarginReport `json:"margin"`
	AtRisk *sla.RiskReport   `json:"at_risk"`
}

func (o *timersOptions) exec(e *env, args []string) error {
	if err := o.check(args); err != nil {
		return err
	}
	if o.at == "" {
		return usagef("-at is missing: the instant to answer at")
	}
	if _, err := instant(o.at, time.UTC); err != nil {
		return usagef("-at: %v", err)
	}
	c, err := contract.Load(args[0])
	if err != nil {
		return inputError{err}
	}
	now, _ := instant(o.at, c.Location())
	// The records are the tickets' latest versions: each is taken as it
	// was known at -at, and those opened after it are left out. -filter
	// reads the version known then.
	keep, kept, fields := o.keep(), map[string]bool{}, o.filterFields()
	var asked *pacte.Ticket // the ticket of -ticket, as read
	li, err := o.load(c, now, nil, func(l *sla.Live, t pacte.Ticket) error {
		fields.see(&t)
		if t.ID == o.ticket && o.ticket != "" {
			asked = &t
		}
		if t.Opened.After(now) {
			return nil
		}
		known := sla.KnownAt(t, now)
		if keep != nil {
			kept[known.ID] = keep(&known)
		}
		return l.Update(known)
	})
	if err != nil {
		return err
	}
	if err := fields.err(); err != nil {
		return usageError{err}
	}
	switch {
	case o.ticket != "" && asked == nil:
		return inputError{fmt.Errorf("-ticket %s: no ticket of %s has this ID", o.ticket, o.tickets)}
	case o.ticket != "" && asked.Opened.After(now):
		return inputError{fmt.Errorf("-ticket %s: it was opened at %s, after -at %s", o.ticket,
			asked.Opened.In(c.Location()).Format("2006-01-02 15:04"), now.Format("2006-01-02 15:04"))}
	}
	out, err := o.answer(li.live, now, kept)
	if err != nil {
		return err
	}
	err = writeOutput(o.out, e.stdout, func(w io.Writer) error {
		if o.format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		return out.writeText(w, c)
	})
	if err != nil {
		return err
	}
	return li.reportRejected(e)
}

// answer computes what timers writes; with -filter, kept says which
// tickets it keeps, whatever the stage of their timers.
func (o *timersOptions) answer(l *sla.Live, now time.Time, kept map[string]bool) (*timersOutput, error) {
	out := &timersOutput{AsOf: now, Timers: []sla.Timer{}}
	keep := o.keep()
	if o.ticket != "" {
		ts, err := l.Timers(o.ticket, now)
		if err != nil {
			return nil, inputError{err}
		}
		out.Timers = ts
	} else {
		out.Timers = l.AppendOpenTimers(out.Timers, now)
		if keep != nil {
			out.Timers = slices.DeleteFunc(out.Timers, func(tm sla.Timer) bool { return !kept[tm.Ticket] })
		}
	}
	sortTimers(out.Timers)
	var err error
	if out.Margin, err = l.Margin(now); err != nil {
		return nil, err
	}
	if out.AtRisk, err = l.AtRisk(now, keep); err != nil {
		return nil, err
	}
	return out, nil
}

// writeMargin writes the margin table and how it counts.
func (out *timersOutput) writeMargin(w io.Writer, c *contract.Contract) error {
	m := out.Margin
	fmt.Fprintf(w, "Margin of %s, invoice %s %s (%s)\n\n", m.Period, m.Invoice.Text(), c.Currency(), m.InvoiceBasis)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rule\tperiod\teligible\tmet\tmissed\trunning\tachieved\tobjective\tmisses_left\tmet_needed\tat_stake\tdue\t")
	for _, r := range m.Rules {
		achieved := "-"
		if r.Achieved != nil {
			achieved = quantityText(*r.Achieved, r.Unit)
		}
		objective := "-"
		if r.Op != "" {
			objective = r.Op + " " + quantityText(r.Objective, r.Unit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Rule, r.Period, r.Eligible, r.Met, r.Missed, r.Running,
			achieved, objective, marginLeft(r), intText(r.MetNeeded), r.AtStake.Text(), r.Due.Text())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if m.Note != "" {
		fmt.Fprintf(w, "\nNote: %s.\n", m.Note)
	}
	fmt.Fprintf(w, "\nCounting: %s.\n", m.Counting)
	writeNotGiven(w, m.Rules)
	return nil
}

// writeNotGiven says which rules were not evaluated, their records not
// given, by source in the order the rules come.
func writeNotGiven(w io.Writer, rules []sla.Margin) {
	var sources []string
	bySource := map[string][]string{}
	for _, r := range rules {
		if r.Status != sla.StatusNoData {
			continue
		}
		if bySource[r.Source] == nil {
			sources = append(sources, r.Source)
		}
		bySource[r.Source] = append(bySource[r.Source], r.Rule)
	}
	if len(sources) == 0 {
		return
	}
	parts := make([]string, len(sources))
	for i, src := range sources {
		parts[i] = fmt.Sprintf("%s (no %s given)", strings.Join(bySource[src], ", "), src)
	}
	fmt.Fprintf(w, "Not evaluated: %s.\n", strings.Join(parts, "; "))
}

// sortTimers orders timers by breach instant (none last), then ticket and
// rule.
func sortTimers(ts []sla.Timer) {
	slices.SortStableFunc(ts, func(a, b sla.Timer) int {
		if a.BreachAt.IsZero() != b.BreachAt.IsZero() {
			if a.BreachAt.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.BreachAt.Compare(b.BreachAt), strings.Compare(a.Ticket, b.Ticket), strings.Compare(a.Rule, b.Rule))
	})
}

// writeText writes the timers, the margin and the items at risk as tables.
func (out *timersOutput) writeText(w io.Writer, c *contract.Contract) error {
	loc := c.Location()
	fmt.Fprintf(w, "Timers at %s: %d\n\n", out.AsOf.In(loc).Format("2006-01-02 15:04 MST"), len(out.Timers))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rule\tticket\tstage\tbreached\tstart\tbreach_at\telapsed\tremaining\tused\t")
	for _, tm := range out.Timers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", tm.Rule, tm.Ticket, stageText(tm), yesNo(tm.Breached),
			instantText(tm.Start, loc), instantText(tm.BreachAt, loc), exact.FormatDuration(tm.Elapsed), remainingText(tm), usedText(tm))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if err := out.writeMargin(w, c); err != nil {
		return err
	}
	risk := out.AtRisk.ByCost()
	fmt.Fprintf(w, "\nAt risk, by what a miss would add: %d\n\n", len(risk))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rule\tticket\tbreach_at\tcost\taccrued\ttarget_at\t")
	for _, it := range risk {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", it.Rule, it.Ticket, instantText(it.BreachAt, loc), it.Cost.Text(), it.Accrued.Text(), instantText(it.TargetAt, loc))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(out.AtRisk.Projections) > 0 {
		fmt.Fprint(w, "\nEnd of period at the rates so far\n\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "rule\tperiod\teligible\tmissed\tstatus\tdue\t")
		for _, p := range out.AtRisk.Projections {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t\n", p.Rule, p.Period, p.Eligible, p.Missed, p.Status, p.Due.Text())
		}
		return tw.Flush()
	}
	return nil
}

func stageText(tm sla.Timer) string {
	if tm.Excluded != "" {
		return string(tm.Stage) + " (" + tm.Excluded + ")"
	}
	return string(tm.Stage)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func instantText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// remainingText is the open time left, and for a paused timer that it
// waits.
func remainingText(tm sla.Timer) string {
	if tm.Budget == 0 {
		return "-"
	}
	return exact.FormatDuration(tm.Remaining)
}

func usedText(tm sla.Timer) string {
	if tm.Budget == 0 {
		return "-"
	}
	return tm.Used().Shift(2).Round(1).String() + " %"
}

// marginLeft is the margin of a rule in its own terms: misses left, the
// slack of a mean or a sum, or the downtime left.
func marginLeft(r sla.Margin) string {
	switch {
	case r.MissesLeft != nil:
		return fmt.Sprint(*r.MissesLeft)
	case r.Slack != nil:
		if strings.HasPrefix(r.Op, ">") {
			return "next ≥ " + quantityText(*r.Slack, r.Unit)
		}
		return "next ≤ " + quantityText(*r.Slack, r.Unit)
	case r.DowntimeLeft != nil:
		return exact.FormatDuration(r.DowntimeLeft.Duration()) + " down"
	}
	return "-"
}

// quantityText writes a value of a measure: a ratio in percent, a
// duration in its units.
func quantityText(q sla.Quantity, unit contract.Unit) string {
	switch {
	case q.Type == dsl.Duration:
		return exact.FormatDuration(q.Duration)
	case unit == contract.UnitRatio:
		return q.Number().Shift(2).Round(2).String() + " %"
	}
	return q.Text()
}

func intText(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}
