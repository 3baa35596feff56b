// Command live replays May 2027 of the sample data (examples/data) as if
// it were happening: the tickets' changes come in time order, each
// ticket as its tool knew it then, a clock ticks every quarter of an
// hour, and the watch prints the events a ticketing tool acts on (alert
// thresholds, breaches, pauses, stops) at the instants they happen. The
// calls, outages and surveys are counted as their days end, and every
// Monday morning the margin of the month shows what it can still take:
// misses left, penalty at stake and due.
//
//	go run ./examples/live              # as fast as it goes
//	go run ./examples/live -day 1s      # a day of the month in a second
//
// The command-line tool does the same for any contract and export:
// go run ./cmd/pacte help watch, go run ./cmd/pacte help timers.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/examples/internal/exampledir"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/shopspring/decimal"
)

func main() {
	day := flag.Duration("day", 0, "how long a day of the month lasts on screen (0: as fast as it goes)")
	flag.Parse()
	if err := run(exampledir.Dir(), os.Stdout, *day); err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		os.Exit(1)
	}
}

// records are the sample data, read once.
type records struct {
	tickets []pacte.Ticket
	calls   []pacte.Call
	outages []pacte.Outage
	samples []pacte.Sample
	volumes map[string]map[string]decimal.Decimal
}

func run(dir string, w io.Writer, day time.Duration) error {
	c, err := contract.Load(filepath.Join(dir, "contracts", "acme.yaml"))
	if err != nil {
		return err
	}
	rs, err := read(dir, c.Location())
	if err != nil {
		return err
	}
	l, err := sla.NewLive(c, sla.LiveVolumes(rs.volumes))
	if err != nil {
		return err
	}
	from := time.Date(2027, time.May, 1, 0, 0, 0, 0, c.Location())
	to := from.AddDate(0, 1, 0)
	in := paced(sla.Replay(slices.Values(rs.tickets), from, to, 15*time.Minute), day, from, func(midnight time.Time) {
		rs.countDay(w, l, midnight)
		if midnight.Weekday() == time.Monday {
			printMargin(w, l, midnight)
		}
	})
	events, err := l.Watch(in)
	if err != nil {
		return err
	}
	for ev := range events {
		if ev.At.Before(from) {
			continue // crossings of the tickets open on 1 May, before it
		}
		line := fmt.Sprintf("%s  %-9s  %-7s %s", ev.At.In(c.Location()).Format("Mon 01-02 15:04"), ev.Kind, ev.Rule, ev.Ticket)
		if ev.Threshold != nil {
			line += fmt.Sprintf("  %s %% used", ev.Threshold.Shift(2))
		}
		fmt.Fprintln(w, line)
	}
	rs.countDay(w, l, to)
	printMargin(w, l, to.Add(-time.Second))
	return nil
}

// paced yields the inputs, waiting so that a day of the month lasts day
// on screen, and calls midnight at each day's end the inputs cross.
func paced(in iter.Seq[sla.WatchInput], day time.Duration, from time.Time, midnight func(time.Time)) iter.Seq[sla.WatchInput] {
	return func(yield func(sla.WatchInput) bool) {
		next := from.AddDate(0, 0, 1)
		last := from
		for x := range in {
			for !x.At.Before(next) {
				midnight(next)
				next = next.AddDate(0, 0, 1)
			}
			if day > 0 && x.At.After(last) {
				time.Sleep(time.Duration(float64(day) * float64(x.At.Sub(last)) / float64(24*time.Hour)))
			}
			last = x.At
			if !yield(x) {
				return
			}
		}
	}
}

// countDay counts the calls, outages and samples of the day that ends at
// midnight; a record the engine refuses is said, not dropped.
func (rs *records) countDay(w io.Writer, l *sla.Live, midnight time.Time) {
	start := midnight.AddDate(0, 0, -1)
	in := func(t time.Time) bool { return !t.Before(start) && t.Before(midnight) }
	refused := func(kind, id string, err error) {
		if err != nil {
			fmt.Fprintf(w, "%s %s refused: %v\n", kind, id, err)
		}
	}
	for _, c := range rs.calls {
		if in(c.Offered) {
			refused("call", c.ID, l.AddCall(c))
		}
	}
	for _, o := range rs.outages {
		if in(o.Start) {
			refused("outage", o.ID, l.AddOutage(o))
		}
	}
	for _, s := range rs.samples {
		if in(s.At) {
			refused("sample", s.ID, l.AddSample(s))
		}
	}
}

// printMargin prints the margin of the month at an instant.
func printMargin(w io.Writer, l *sla.Live, at time.Time) {
	m, err := l.Margin(at)
	if err != nil {
		fmt.Fprintln(w, "margin:", err)
		return
	}
	fmt.Fprintf(w, "\n== margin of %s at %s, invoice so far %s EUR ==\n", m.Period, at.Format("Mon 01-02 15:04"), m.Invoice.Text())
	fmt.Fprintf(w, "%-11s %8s %6s %7s  %-14s %11s %10s %9s\n", "rule", "eligible", "missed", "running", "status", "misses left", "at stake", "due")
	for _, r := range m.Rules {
		left := "-"
		switch {
		case r.MissesLeft != nil:
			left = fmt.Sprint(*r.MissesLeft)
		case r.Slack != nil: // a mean or a sum: what the next item may take
			bound := "≤ "
			if strings.HasPrefix(r.Op, ">") {
				bound = "≥ "
			}
			left = "next " + bound + r.Slack.Text()
			if r.Slack.Type == dsl.Duration {
				left = "next " + bound + r.Slack.Duration.String()
			}
		case r.DowntimeLeft != nil: // an availability: the downtime it can take
			left = r.DowntimeLeft.Duration().Round(time.Second).String() + " down"
		}
		fmt.Fprintf(w, "%-11s %8d %6d %7d  %-14s %11s %10s %9s\n", r.Rule, r.Eligible, r.Missed, r.Running, r.Status, left, r.AtStake.Text(), r.Due.Text())
	}
	fmt.Fprintln(w)
}

// read reads the sample data: the ServiceNow export through its mapping,
// the rest in pacte's own format.
func read(dir string, loc *time.Location) (*records, error) {
	rs := &records{}
	mapping, err := ingest.LoadMapping(filepath.Join(dir, "data", "servicenow.yaml"))
	if err != nil {
		return nil, err
	}
	opts := ingest.Options{Location: loc}
	if rs.tickets, err = readAll(filepath.Join(dir, "data", "incidents.csv"), mapping, opts, ingest.ReadTickets); err != nil {
		return nil, err
	}
	if rs.calls, err = readAll(filepath.Join(dir, "data", "calls.csv"), nil, opts, ingest.ReadCalls); err != nil {
		return nil, err
	}
	if rs.outages, err = readAll(filepath.Join(dir, "data", "outages.csv"), nil, opts, ingest.ReadOutages); err != nil {
		return nil, err
	}
	if rs.samples, err = readAll(filepath.Join(dir, "data", "samples.csv"), nil, opts, ingest.ReadSamples); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "data", "volumes.json"))
	if err != nil {
		return nil, err
	}
	return rs, json.Unmarshal(data, &rs.volumes)
}

func readAll[T any](path string, m *ingest.Mapping, opts ingest.Options, read func(io.Reader, *ingest.Mapping, ingest.Options) (*ingest.Reader[T], error)) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opts.Name = filepath.Base(path)
	r, err := read(f, m, opts)
	if err != nil {
		return nil, err
	}
	out := slices.Collect(r.Records())
	return out, r.Err()
}
