package sla_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/shopspring/decimal"
)

// dataset is a random but reproducible set of records for the reference
// contract: every kind of record, every rule's scope, some bad records.
type dataset struct {
	tickets []pacte.Ticket
	calls   []pacte.Call
	outages []pacte.Outage
	samples []pacte.Sample
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// genData draws n tickets, 4n calls, n/50 outages and n/5 samples over the
// months [from, to) of 2027.
func genData(seed uint64, n int, from, to time.Month) dataset {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	start := time.Date(2027, from, 1, 0, 0, 0, 0, paris)
	end := time.Date(2027, to, 1, 0, 0, 0, 0, paris)
	instant := func() time.Time { return instantIn(r, start, end) }
	var d dataset
	for i := range n {
		d.tickets = append(d.tickets, genTicket(r, i, instant()))
	}
	for i := range 4 * n {
		d.calls = append(d.calls, genCall(r, i, instant()))
	}
	for i := range max(n/50, 1) {
		d.outages = append(d.outages, genOutage(r, i, instant()))
	}
	for i := range max(n/5, 1) {
		d.samples = append(d.samples, pacte.Sample{ID: fmt.Sprintf("S%d", i), Name: pick(r, "csat", "csat", "csat", "workstations"),
			At: instant(), Value: decimal.NewFromInt(int64(1 + r.IntN(5)))})
	}
	return d
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func minutes(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+r.IntN(hi-lo+1)) * time.Minute
}

// instantIn draws an instant of [from, to), to the second.
func instantIn(r *rand.Rand, from, to time.Time) time.Time {
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from))))).Truncate(time.Second)
}

func genTicket(r *rand.Rand, i int, opened time.Time) pacte.Ticket {
	t := pacte.Ticket{
		ID:       fmt.Sprintf("T%06d", i),
		Kind:     pick(r, "incident", "incident", "incident", "request", "problem"),
		Priority: pick(r, "P1", "P2", "P2", "P3", "P3", "P3", "P4"),
		Level:    1 + r.IntN(3),
		Category: pick(r, "standard", "standard", "other"),
		Opened:   opened,
	}
	switch r.IntN(20) {
	case 0:
		t.Exclusion = pick(r, "client", "force majeure", "out of scope")
	case 1:
		t.Resolved = opened.Add(-time.Hour) // resolved before opened: rejected
		return t
	case 2:
		t.ID = "" // no id: rejected
		return t
	}
	if r.IntN(10) > 0 {
		t.Acknowledged = opened.Add(minutes(r, 1, 90))
	}
	t.History = []pacte.StatusChange{{At: opened, Status: "new"}}
	at := opened.Add(minutes(r, 5, 120))
	if r.IntN(4) == 0 {
		t.History = append(t.History, pacte.StatusChange{At: at, Status: "waiting for client"})
		at = at.Add(minutes(r, 30, 3000))
		t.History = append(t.History, pacte.StatusChange{At: at, Status: "in progress"})
	}
	if r.IntN(8) == 0 {
		p := at.Add(minutes(r, 1, 60))
		t.Pauses = []pacte.Interval{{Start: p, End: p.Add(minutes(r, 10, 600))}}
	}
	if r.IntN(12) > 0 { // most are resolved
		t.Resolved = at.Add(minutes(r, 10, 5000))
		t.History = append(t.History, pacte.StatusChange{At: t.Resolved, Status: "resolved"})
		if r.IntN(15) == 0 {
			reopen := t.Resolved.Add(minutes(r, 60, 20000))
			t.Reopened = []time.Time{reopen}
			t.History = append(t.History, pacte.StatusChange{At: reopen, Status: "in progress"})
			t.Resolved = reopen.Add(minutes(r, 30, 600))
			t.History = append(t.History, pacte.StatusChange{At: t.Resolved, Status: "resolved"})
		}
	}
	if t.Kind == "problem" {
		restored := opened.Add(-minutes(r, 60, 600))
		t.Links = []pacte.Link{{ID: fmt.Sprintf("I%d", i), Kind: "incident", Priority: pick(r, "P1", "P2"), Resolved: restored}}
		if r.IntN(3) > 0 {
			ke := opened.Add(minutes(r, 60, 30000))
			if t.Resolved.IsZero() || ke.Before(t.Resolved) {
				t.History = append(t.History, pacte.StatusChange{At: ke, Status: "known error"})
				sortHistory(t.History)
			}
		}
	}
	if r.IntN(5) == 0 {
		t.Attrs = map[string]string{"cause": pick(r, "hardware", "software")}
	}
	return t
}

func sortHistory(h []pacte.StatusChange) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j].At.Before(h[j-1].At); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

func genCall(r *rand.Rand, i int, offered time.Time) pacte.Call {
	c := pacte.Call{ID: fmt.Sprintf("C%06d", i), Queue: "desk", Offered: offered}
	switch r.IntN(10) {
	case 0, 1:
		c.Abandoned = true
		c.Ended = offered.Add(time.Duration(1+r.IntN(120)) * time.Second)
	case 2:
		c.Ended = offered.Add(30 * time.Second) // transferred: neither answered nor abandoned
	case 3:
		c.Answered = offered.Add(-time.Second) // answered before offered: rejected
	default:
		c.Answered = offered.Add(time.Duration(r.IntN(150)) * time.Second)
		c.Ended = c.Answered.Add(minutes(r, 1, 15))
		c.FirstContact = r.IntN(10) < 7
	}
	return c
}

func genOutage(r *rand.Rand, i int, start time.Time) pacte.Outage {
	o := pacte.Outage{ID: fmt.Sprintf("O%04d", i), Service: pick(r, "ERP", "e-mail"), Start: start}
	o.End = start.Add(time.Duration(30+r.IntN(4*3600)) * time.Second)
	if r.IntN(3) == 0 {
		o.Planned = true
		o.Announced = start.Add(-time.Duration(r.IntN(15*24)) * time.Hour)
	}
	return o
}

func mustRead(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
