package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// dataset is six months of a service desk's records.
type dataset struct {
	tickets []pacte.Ticket
	calls   []pacte.Call
	outages []pacte.Outage
	samples []pacte.Sample
	volumes map[string]map[string]decimal.Decimal
	asOf    time.Time
}

func (d dataset) input() sla.Input {
	return sla.Input{
		Tickets: slices.Values(d.tickets), Calls: slices.Values(d.calls),
		Outages: slices.Values(d.outages), Samples: slices.Values(d.samples),
		Volumes: d.volumes, AsOf: d.asOf,
		From: time.Date(2027, time.January, 1, 0, 0, 0, 0, d.asOf.Location()),
		To:   time.Date(2027, time.July, 1, 0, 0, 0, 0, d.asOf.Location()),
	}
}

// quality is how well the desk does each month, from 0 (badly) to 1: the
// first months are the ramp-up, April is rough, then it settles.
var quality = map[time.Month]float64{1: 0.6, 2: 0.7, 3: 0.8, 4: 0.55, 5: 0.85, 6: 0.95}

// generate draws the first half of 2027, the same every time.
func generate(loc *time.Location) dataset {
	r := rand.New(rand.NewPCG(2027, 1))
	d := dataset{volumes: map[string]map[string]decimal.Decimal{}, asOf: asOfIn(loc)}
	n := 0
	for m := time.January; m <= time.June; m++ {
		q := quality[m]
		first := time.Date(2027, m, 1, 0, 0, 0, 0, loc)
		days := first.AddDate(0, 1, 0).Sub(first).Hours() / 24
		// An instant during the working day, mostly on weekdays.
		working := func() time.Time {
			for {
				day := first.AddDate(0, 0, r.IntN(int(days)))
				if day.Weekday() == time.Sunday || (day.Weekday() == time.Saturday && r.IntN(4) > 0) {
					continue
				}
				return day.Add(time.Duration(8*60+r.IntN(10*60)) * time.Minute)
			}
		}
		for range 300 {
			n++
			d.tickets = append(d.tickets, ticket(r, n, working(), q))
		}
		for range 1200 {
			n++
			d.calls = append(d.calls, call(r, n, working(), q))
		}
		for range 40 {
			n++
			score := 3 + r.IntN(3)
			if r.Float64() > q {
				score = 1 + r.IntN(3)
			}
			d.samples = append(d.samples, pacte.Sample{ID: fmt.Sprintf("CSAT-%05d", n), Name: "csat", At: working(), Value: decimal.NewFromInt(int64(score))})
		}
		for k := range 1 + int((1-q)*6) {
			d.outages = append(d.outages, outage(r, fmt.Sprintf("OUT-%d-%d", m, k), working(), q))
		}
		// Planned maintenance, announced a week ahead: excluded.
		mnt := time.Date(2027, m, 12, 21, 0, 0, 0, loc)
		d.outages = append(d.outages, pacte.Outage{ID: fmt.Sprintf("MNT-%d", m), Service: "ERP", Start: mnt, End: mnt.Add(2 * time.Hour),
			Planned: true, Announced: mnt.AddDate(0, 0, -8)})
		d.volumes[first.Format("2006-01")] = map[string]decimal.Decimal{
			"UO-POSTE": decimal.NewFromInt(int64(820 + 5*int(m))),
			"UO-SRV":   decimal.NewFromInt(64),
		}
	}
	return d
}

// hoursIn draws a duration: mostly around typical, sometimes up to slow
// times longer, more often when the month goes badly.
func hoursIn(r *rand.Rand, typical, slow, q float64) time.Duration {
	h := typical * (0.3 + r.Float64())
	if r.Float64() > q+0.05 {
		h *= slow
	}
	return time.Duration(h * float64(time.Hour))
}

func ticket(r *rand.Rand, n int, opened time.Time, q float64) pacte.Ticket {
	t := pacte.Ticket{ID: fmt.Sprintf("INC%06d", n), Kind: "incident", Opened: opened, Level: 1 + r.IntN(2), Service: "workplace"}
	var restore time.Duration
	switch x := r.IntN(100); {
	case x < 3:
		t.Priority, restore = "P1", hoursIn(r, 2.5, 3.5, q)
	case x < 20:
		t.Priority, restore = "P2", hoursIn(r, 5, 2.5, q)
	case x < 65:
		t.Priority, restore = "P3", hoursIn(r, 14, 4, q)
	case x < 70:
		t.Kind, t.Priority, restore = "problem", "P3", hoursIn(r, 60, 3, q)
		t.Links = []pacte.Link{{ID: fmt.Sprintf("INC%06d", n-1), Kind: "incident", Priority: "P1", Resolved: opened.Add(-2 * time.Hour)}}
	default:
		t.Kind, t.Category, t.Priority, restore = "request", "standard", "P4", hoursIn(r, 20, 3, q)
	}
	t.Acknowledged = opened.Add(time.Duration(2+r.IntN(40)) * time.Minute)
	t.History = []pacte.StatusChange{{At: opened, Status: "new"}}
	at := opened
	if r.IntN(5) == 0 { // waiting for the client a while: the clocks stop
		at = at.Add(time.Duration(10+r.IntN(50)) * time.Minute)
		t.History = append(t.History, pacte.StatusChange{At: at, Status: "waiting for client"})
		at = at.Add(time.Duration(30+r.IntN(600)) * time.Minute)
		t.History = append(t.History, pacte.StatusChange{At: at, Status: "in progress"})
	}
	if t.Kind == "problem" && r.IntN(3) > 0 {
		t.History = append(t.History, pacte.StatusChange{At: at.Add(restore / 2), Status: "known error"})
	}
	t.Resolved = at.Add(restore)
	t.History = append(t.History, pacte.StatusChange{At: t.Resolved, Status: "resolved"})
	if t.Kind == "incident" && r.IntN(40) == 0 { // reopened a few days later
		reopen := t.Resolved.Add(time.Duration(24+r.IntN(200)) * time.Hour)
		t.Reopened = []time.Time{reopen}
		t.History = append(t.History, pacte.StatusChange{At: reopen, Status: "in progress"})
		t.Resolved = reopen.Add(2 * time.Hour)
		t.History = append(t.History, pacte.StatusChange{At: t.Resolved, Status: "resolved"})
	}
	if r.IntN(50) == 0 {
		t.Exclusion = "client"
	}
	return t
}

func call(r *rand.Rand, n int, offered time.Time, q float64) pacte.Call {
	c := pacte.Call{ID: fmt.Sprintf("CALL%06d", n), Queue: "service desk", Offered: offered}
	wait := time.Duration(5+r.IntN(50)) * time.Second
	if r.Float64() > q+0.1 {
		wait *= 3
	}
	if r.Float64() > 0.9+q/12 { // the caller hangs up
		c.Abandoned, c.Ended = true, offered.Add(wait/2)
		return c
	}
	c.Answered = offered.Add(wait)
	c.Ended = c.Answered.Add(time.Duration(2+r.IntN(10)) * time.Minute)
	c.FirstContact = r.Float64() < 0.55+q/4
	return c
}

func outage(r *rand.Rand, id string, start time.Time, q float64) pacte.Outage {
	service := "ERP"
	if r.IntN(3) == 0 {
		service = "e-mail"
	}
	length := time.Duration(float64(20+r.IntN(60)) * (1.6 - q) * float64(time.Minute))
	return pacte.Outage{ID: id, Service: service, Start: start, End: start.Add(length)}
}
