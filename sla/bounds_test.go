package sla_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// boundsTickets are three tickets of March 2027, of levels 0, 1 and 2,
// the last two late.
func boundsTickets() []pacte.Ticket {
	opened := time.Date(2027, 3, 2, 9, 0, 0, 0, paris)
	out := make([]pacte.Ticket, 3)
	for i := range out {
		out[i] = pacte.Ticket{ID: fmt.Sprintf("INC-%d", i+1), Kind: "incident", Priority: "P2", Level: i,
			Opened: opened, Resolved: opened.Add(time.Duration(1+5*i) * time.Hour)}
	}
	return out
}

// TestHostileContracts evaluates the contracts of testdata/bounds, whose
// expressions compile but would run for minutes, build texts or numbers
// of gigabytes, or wrap around, on three tickets: each evaluation ends,
// and the report lists the errors, with their rule and item or period,
// that testdata/bounds/*.yaml.err hold (go test -update rewrites them).
func TestHostileContracts(t *testing.T) {
	files, err := filepath.Glob("testdata/bounds/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 4)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c, err := contract.Load(path)
			require.NoError(t, err)
			rep, err := sla.Evaluate(context.Background(), c, sla.Input{Tickets: slices.Values(boundsTickets())},
				sla.AsOf(time.Date(2027, 4, 1, 0, 0, 0, 0, paris)))
			require.NoError(t, err)
			var b strings.Builder
			for _, e := range rep.Errors {
				fmt.Fprintf(&b, "%s\t%s%s\t%s\n", e.Rule, e.Item, e.Period, e.Error)
			}
			require.NotEmpty(t, rep.Errors)
			golden.Check(t, path+".err", []byte(b.String()), h1Update())
		})
	}
}

// TestEvaluateCancelledInAnEvaluation: cancellation reaches the middle
// of an expression. Each ticket costs each rule the whole budget (about
// 20 ms); without the budget a ticket would take minutes, and without the
// context reaching the evaluations, the 1,024 tickets before the engine
// asks its context would take more than a minute with eight rules. A
// cancelled context stops Evaluate before any work, and one cancelled
// while it runs stops it at once.
func TestEvaluateCancelledInAnEvaluation(t *testing.T) {
	var rules strings.Builder
	for i := range 8 {
		fmt.Fprintf(&rules, `
  - id: R%d
    source: tickets
    scope: 'let r = 1..(level + 40000); all(r, all(r, true))'
    objective: count(true) >= 0`, i)
	}
	c := contractOf2027(t, "slow", "rules:"+rules.String()+"\n")
	tickets := make([]pacte.Ticket, 2000)
	for i := range tickets {
		tickets[i] = pacte.Ticket{ID: fmt.Sprint(i), Opened: time.Date(2027, 3, 2, 9, 0, 0, 0, paris)}
	}
	in := sla.Input{Tickets: slices.Values(tickets)}

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sla.Evaluate(cancelled, c, in)
	require.ErrorIs(t, err, context.Canceled)

	ctx, stop := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer stop()
	done := make(chan error, 1)
	go func() {
		_, err := sla.Evaluate(ctx, c, in)
		done <- err
	}()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.DeadlineExceeded)
	case <-time.After(time.Minute): // a margin for slow machines: it takes milliseconds
		t.Fatal("Evaluate did not stop within a minute of its deadline")
	}
}
