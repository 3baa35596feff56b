package dsl

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestConcurrentEvaluation evaluates one Program from 8 goroutines at once
// (run with -race): item expressions and period formulas on the VM, whose
// VMs come from a pool. Each goroutine checks its results against
// those computed beforehand on one goroutine.
func TestConcurrentEvaluation(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	tickets := make([]*Ticket, 200)
	for i := range tickets {
		tickets[i] = sampleTicket()
		tickets[i].Priority = []string{"P1", "P2", "P3"}[r.IntN(3)]
		tickets[i].Level = r.IntN(4)
		tickets[i].Resolved = tickets[i].Opened.Add(time.Duration(r.Int64N(int64(96 * time.Hour))))
		tickets[i].Elapsed = time.Duration(r.Int64N(int64(12 * time.Hour)))
		tickets[i].History[4].Status = []string{"resolved", "closed"}[r.IntN(2)]
	}
	srcs := []struct{ src string }{
		{`priority == "P1" && elapsed <= 4h`},
		{`elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0`},
		{`resolved <= end_of_open_day("HO", opened, 3)`},
		{`elapsed_between(opened, resolved)`},
		{`upper(priority) == "P1" && any(history, .status == "resolved")`},
		{`let d = resolved - opened; d > 24h ? d / 1h : 0`},
		{`len(map(1..100, # * level)) > 0`}, // uses the VM's memory budget
	}
	for _, s := range srcs {
		t.Run(s.src, func(t *testing.T) {
			p := compileT[Ticket](t, s.src, withCalendars()...)
			want := make([]any, len(tickets))
			wantErr := make([]bool, len(tickets))
			for i, env := range tickets {
				v, err := p.Eval(env)
				want[i], wantErr[i] = v, err != nil
			}
			onWorkers(t, 8, func(w int) error {
				for round := range 20 {
					for k := range tickets {
						i := (k + w*25 + round) % len(tickets)
						v, err := p.Eval(tickets[i])
						if (err != nil) != wantErr[i] || !reflect.DeepEqual(want[i], v) {
							return fmt.Errorf("a concurrent evaluation differs: %s", s.src)
						}
						if p.Type() == Bool && err == nil {
							b, err := EvalAs[bool](p, tickets[i])
							if err != nil || b != want[i].(bool) {
								return fmt.Errorf("a concurrent evaluation differs: %s (Bool)", s.src)
							}
						}
					}
				}
				return nil
			})
		})
	}

	t.Run("period on the VM", func(t *testing.T) {
		p := compileT[Period[decimal.Decimal]](t, `breached ? 10% * fee("FORFAIT-APP") + 150 * ceil(late / 1h) : 0`, WorkUnits("FORFAIT-APP"))
		onWorkers(t, 8, func(w int) error {
			for i := range 500 {
				hours := (w*500 + i) % 50
				pd := &Period[decimal.Decimal]{Breached: true, Late: time.Duration(hours) * time.Hour,
					Fees: map[string]decimal.Decimal{"FORFAIT-APP": dec("18000.00")}}
				d, err := EvalAs[decimal.Decimal](p, pd)
				if err != nil || !d.Equal(decimal.NewFromInt(1800+150*int64(hours))) {
					return fmt.Errorf("wrong penalty for %d hours late", hours)
				}
			}
			return nil
		})
	})

	t.Run("compile concurrently", func(t *testing.T) {
		onWorkers(t, 8, func(int) error {
			for range 20 {
				p, err := Compile[Ticket](`priority == "P1" && open_time("HO", opened, resolved) <= 4h`, withCalendars()...)
				if err != nil {
					return fmt.Errorf("compile failed: %w", err)
				}
				if _, err := EvalAs[bool](p, tickets[0]); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// onWorkers runs work on n goroutines at once, each given its number, and
// reports the error each returns.
func onWorkers(t *testing.T, n int, work func(w int) error) {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			if err := work(w); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
