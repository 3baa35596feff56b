package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// maxFeedLine is the longest line of a change feed: a ticket with a long
// history, as the ingest limits allow a JSON Lines row.
const maxFeedLine = 16 << 20

// follow watches a change feed (-feed): the tickets' updates and the
// clock's ticks, read as the events are written.
func (o *watchOptions) follow(ctx context.Context, e *env, args []string) error {
	o.fed = true
	if err := o.check(args); err != nil {
		return err
	}
	if o.from != "" || o.to != "" || o.tickSet {
		return usagef("-from, -to and -tick are the replay's: a feed brings its own instants and ticks")
	}
	if o.lateness < 0 {
		return usagef("-lateness must not be negative")
	}
	r, err := openFeed(o.feed)
	if err != nil {
		return inputError{err}
	}
	defer r.Close()
	stop := context.AfterFunc(ctx, func() { r.Close() }) // a read waiting for the next line ends
	defer stop()
	c, err := contract.Load(args[0])
	if err != nil {
		return inputError{err}
	}
	var opts []sla.LiveOption
	if !o.margin {
		opts = append(opts, sla.TimersOnly()) // memory follows the open tickets
	}
	// The calls, outages and samples given beside a feed are all known.
	li, err := o.load(c, calendar.Never, opts, func(*sla.Live, pacte.Ticket) error { return nil })
	if err != nil {
		return err
	}
	f := &feed{r: r, stderr: e.stderr}
	fields := o.filterFields()
	err = writeOutput(o.out, e.stdout, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		f.flush = bw.Flush
		filter := o.eventFilter(li.live)
		filter.seen = fields.see
		events, err := li.live.Watch(filter.inputs(f.inputs()), sla.Lateness(o.lateness))
		if err != nil {
			return usageError{err}
		}
		if err := o.write(ctx, bw, c, li.live, filter.events(events), time.Time{}, func() time.Time { return f.last }); err != nil {
			return err
		}
		return bw.Flush()
	})
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, errNoMarginInstant):
		fmt.Fprintln(e.stderr, err)
		return errFailed
	case err != nil:
		return err
	case f.err != nil:
		return inputError{f.err}
	case f.bad > 0:
		return errFailed
	}
	if err := fields.err(); err != nil {
		// Said once the feed has ended: an attribute may come with any line.
		fmt.Fprintf(e.stderr, "%v\n", err)
		return errFailed
	}
	return li.reportRejected(e)
}

func openFeed(path string) (io.ReadCloser, error) {
	if path == "-" {
		return os.Stdin, nil
	}
	return os.Open(path)
}

// feed reads a change feed, one input a line.
type feed struct {
	r      io.Reader
	stderr io.Writer
	// flush writes out what was written, before the feed waits for a
	// line; its error is the writer's, which keeps it.
	flush func() error
	last  time.Time // the latest instant read
	bad   int       // lines that could not be read
	err   error     // the error that ended the reading, but its end
}

// feedLine is a line of a change feed: an update, or a tick without a
// ticket.
type feedLine struct {
	At     time.Time     `json:"at"`
	Ticket *pacte.Ticket `json:"ticket"`
}

// inputs are the feed's inputs. A line that cannot be read is said on
// standard error with its number, and skipped.
func (f *feed) inputs() iter.Seq[sla.WatchInput] {
	return func(yield func(sla.WatchInput) bool) {
		sc := bufio.NewScanner(f.r)
		sc.Buffer(make([]byte, 0, 64<<10), maxFeedLine)
		for n := 1; ; n++ {
			if f.flush != nil && f.flush() != nil {
				return
			}
			if !sc.Scan() {
				if err := sc.Err(); err != nil && !errors.Is(err, os.ErrClosed) {
					f.err = fmt.Errorf("feed line %d: %w", n, err)
				}
				return
			}
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			x, err := readFeedLine(sc.Bytes())
			if err != nil {
				f.bad++
				fmt.Fprintf(f.stderr, "feed line %d: %v\n", n, err)
				continue
			}
			if x.At.After(f.last) {
				f.last = x.At
			}
			if !yield(sla.WatchInput{At: x.At, Ticket: x.Ticket}) {
				return
			}
		}
	}
}

// readFeedLine reads a line of a feed; unknown keys are refused, as in
// pacte's JSON records: they are typos.
func readFeedLine(data []byte) (feedLine, error) {
	var x feedLine
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&x); err != nil {
		return x, err
	}
	if dec.More() {
		return x, fmt.Errorf("text after the object at column %d", dec.InputOffset()+1)
	}
	if x.At.IsZero() {
		return x, errors.New(`no "at": the instant of the update or the tick`)
	}
	return x, nil
}
