package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

var watchCommand = &command{
	name:    "watch",
	summary: "the events of the tickets' timers over a span, replayed from their records",
	usage: `pacte watch [flags] CONTRACT -tickets FILE -from DAY -to DAY
       pacte watch [flags] CONTRACT -feed FILE|-

Watch replays the tickets' changes within [-from, -to) in time order, each
ticket as its tool knew it at each change, with a clock tick every -tick,
and writes the events a tool acts on, at the instants they happened on the
rules' calendars: threshold (a share of the allowance used), target (an
internal target reached), breached, paused, resumed, stopped, reopened,
cancelled. A crossing at 03:00 is written at 03:00, found by the tick that
follows it rather than by the next update. -lateness lets updates come out
of order by up to that much. With -margin, the margin of the period at the
end of the span follows the events.

The format json writes one event a line (kind, rule, ticket, at,
threshold), and with -margin a last line {"margin": …}.

With -feed, the tickets come from a change feed instead, in JSON Lines
(- for standard input): {"at": "2027-05-17T09:00:00+02:00", "ticket":
{…}} is an update, the ticket's latest version in pacte's JSON, and
{"at": …} a clock tick. The instants are the feed's, never the clock's.
Events are written as they come, each input's before the next is read,
and memory follows the open tickets. A line that cannot be read is said
on standard error with its number, and the watch goes on (exit status 1).
-from, -to and -tick are the replay's and are refused.

Examples:

  pacte watch examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -from 2027-05-17 -to 2027-05-19
  pacte watch examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -calls examples/data/calls.csv -from 2027-06-01 -to 2027-06-08 -tick 1h -thresholds 75%,90% -margin -format json
  my-tool-changes | pacte watch examples/contracts/acme.yaml -feed - -format json
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		var o watchOptions
		o.register(fs)
		fs.StringVar(&o.from, "from", "", "start of the span: 2027-06 or 2027-06-01, in the contract's zone (required)")
		fs.StringVar(&o.to, "to", "", "end of the span, exclusive (required)")
		fs.DurationVar(&o.tick, "tick", 15*time.Minute, "a clock tick every so often; 0 for none")
		fs.DurationVar(&o.lateness, "lateness", 0, "how late an update may come out of order")
		fs.BoolVar(&o.margin, "margin", false, "write the margin of the period at the end of the span")
		fs.StringVar(&o.feed, "feed", "", "a change feed in JSON Lines, - for standard input: the tickets' updates and the clock's ticks")
		return func(ctx context.Context, args []string) error {
			fs.Visit(func(f *flag.Flag) { o.tickSet = o.tickSet || f.Name == "tick" })
			return o.exec(ctx, e, args)
		}
	},
}

type watchOptions struct {
	liveOptions
	from, to       string
	tick, lateness time.Duration
	tickSet        bool // -tick was given
	margin         bool
	feed           string
}

func (o *watchOptions) exec(ctx context.Context, e *env, args []string) error {
	if o.feed != "" {
		return o.follow(ctx, e, args)
	}
	if err := o.check(args); err != nil {
		return err
	}
	if o.from == "" || o.to == "" {
		return usagef("-from and -to are needed: the span to replay")
	}
	if err := (bounds{from: o.from, to: o.to}).check(); err != nil {
		return err
	}
	if o.tick < 0 || o.lateness < 0 {
		return usagef("-tick and -lateness must not be negative")
	}
	c, err := contract.Load(args[0])
	if err != nil {
		return inputError{err}
	}
	from, to, _ := bounds{from: o.from, to: o.to}.in(c.Location())
	var records []pacte.Ticket
	fields := o.filterFields()
	li, err := o.load(c, to, nil, func(_ *sla.Live, t pacte.Ticket) error {
		fields.see(&t)
		records = append(records, t)
		return nil
	})
	if err != nil {
		return err
	}
	if err := fields.err(); err != nil {
		return usageError{err}
	}
	filter := o.eventFilter(li.live)
	events, err := li.live.Watch(filter.inputs(sla.Replay(slices.Values(records), from, to, o.tick)), sla.Lateness(o.lateness))
	if err != nil {
		return usageError{err}
	}
	err = writeOutput(o.out, e.stdout, func(w io.Writer) error {
		return o.write(ctx, w, c, li.live, filter.events(events), from, func() time.Time { return to.Add(-time.Second) })
	})
	if err != nil {
		return err
	}
	return li.reportRejected(e)
}

// write writes the events as they come, then the margin when asked, at
// the instant marginAt gives once the events are written.
func (o *watchOptions) write(ctx context.Context, w io.Writer, c *contract.Contract, l *sla.Live, events func(func(sla.Event) bool), from time.Time, marginAt func() time.Time) error {
	enc := json.NewEncoder(w)
	loc := c.Location()
	for ev := range events {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ev.At.Before(from) {
			continue // the state of the tickets at the start of the span
		}
		if o.format == "json" {
			ev.At = ev.At.In(loc)
			if err := enc.Encode(ev); err != nil {
				return err
			}
			continue
		}
		line := fmt.Sprintf("%s  %-9s  %-11s  %s", ev.At.In(loc).Format("2006-01-02 15:04"), ev.Kind, ev.Rule, ev.Ticket)
		if ev.Threshold != nil {
			line += "  " + ev.Threshold.Shift(2).String() + " %"
		}
		if ev.Error != "" {
			line += "  " + ev.Error
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	if !o.margin {
		return nil
	}
	at := marginAt()
	if at.IsZero() {
		return errNoMarginInstant
	}
	m, err := l.Margin(at)
	if err != nil {
		return err
	}
	if o.format == "json" {
		return enc.Encode(map[string]*sla.MarginReport{"margin": m})
	}
	fmt.Fprintln(w)
	return (&timersOutput{AsOf: m.AsOf, Margin: m}).writeMargin(w, c)
}

// errNoMarginInstant says that -margin has no instant to answer at: a
// feed that brought no input.
var errNoMarginInstant = errors.New("-margin: the feed brought no input, so no instant to give the margin at")

// eventFilter is -filter on a watch: the events of a ticket are kept when
// the latest version of it the watch has read has the values (with a
// lateness, an update held is read before the events due ahead of it).
type eventFilter struct {
	keep     func(*pacte.Ticket) bool
	live     *sla.Live
	lateness time.Duration
	read     map[string]filterRead // by ticket
	latest   time.Time             // the latest instant read
	seen     func(*pacte.Ticket)   // is given each ticket read, when not nil
	limit    int                   // the size of read at which forget looks again
	timers   []sla.Timer
}

// filterRead is what the filter read of a ticket: whether its latest
// version has the values, and the instant of that version.
type filterRead struct {
	kept bool
	at   time.Time
}

func (o *watchOptions) eventFilter(l *sla.Live) *eventFilter {
	return &eventFilter{keep: o.keep(), live: l, lateness: o.lateness, read: map[string]filterRead{}}
}

// inputs reads the input on its way to the watch.
func (f *eventFilter) inputs(in iter.Seq[sla.WatchInput]) iter.Seq[sla.WatchInput] {
	if f.keep == nil {
		return in
	}
	return func(yield func(sla.WatchInput) bool) {
		for x := range in {
			if x.At.After(f.latest) {
				f.latest = x.At
			}
			if x.Ticket != nil {
				if f.seen != nil {
					f.seen(x.Ticket)
				}
				f.read[x.Ticket.ID] = filterRead{f.keep(x.Ticket), x.At}
				f.forget()
			}
			if !yield(x) {
				return
			}
		}
	}
}

// forget drops, now and then, what the filter read of the tickets the
// table no longer holds and that no update held for the lateness may
// bring back: its memory follows the watch's. It looks again once what it
// keeps has doubled.
func (f *eventFilter) forget() {
	if len(f.read) < max(f.limit, 1024) {
		return
	}
	defer func() { f.limit = 2 * len(f.read) }()
	for id, r := range f.read {
		if !r.at.Before(f.latest.Add(-f.lateness)) {
			continue
		}
		var err error
		if f.timers, err = f.live.AppendTimers(f.timers[:0], id, time.Time{}); err != nil { // not in the table
			delete(f.read, id)
		}
	}
}

// events are the watch's events the filter keeps.
func (f *eventFilter) events(in iter.Seq[sla.Event]) iter.Seq[sla.Event] {
	if f.keep == nil {
		return in
	}
	return func(yield func(sla.Event) bool) {
		for ev := range in {
			if f.read[ev.Ticket].kept && !yield(ev) {
				return
			}
		}
	}
}
