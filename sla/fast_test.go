package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
)

// TestCallRuleIsSimpleRule: the call rules callRule evaluates give the
// report that the general path gives, on calls of every kind, in and out
// of order, in and out of the term and of the reported range.
func TestCallRuleIsSimpleRule(t *testing.T) {
	extra := `
  - {id: COUNT-LONG, source: calls, scope: 'wait > 30s', objective: 'count(!answered) <= 3'}
  - id: SMALL-SL
    source: calls
    scope: is_open("HO", offered)
    objective: 'service_level(20s, "abandons_met") >= 80%'
    small_volume: {below: 400, objective: 'answer_rate >= 50%'}
  - {id: SHARE-FCR, source: calls, scope: answered, attribution: ended, objective: share(first_contact) >= 65%}
  - {id: BY-ANSWER, source: calls, attribution: answered_at, objective: answer_rate >= 90%}
  - {id: FAILING, source: calls, scope: 'is_open("HO", offered)', objective: 'share(60s / wait > 2) >= 50%'}
`
	text, err := os.ReadFile("../contract/testdata/measures.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	measures, err := contract.Parse(text, "measures.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withExtra, err := contract.Parse([]byte(string(text)+extra), "extra.yaml")
	if err != nil {
		t.Fatal(err)
	}
	acme, err := contract.Load("../examples/contracts/acme.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	loc := acme.Location()
	calls := make([]pacte.Call, 20000)
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	for i := range calls {
		at := start.Add(time.Duration(i)*47*time.Minute + time.Duration(r.IntN(3600))*time.Second)
		if r.IntN(20) == 0 { // out of order
			at = start.Add(time.Duration(r.Int64N(int64(3 * 366 * 24 * time.Hour))))
		}
		c := pacte.Call{ID: fmt.Sprintf("C%d", i), Queue: "desk", Offered: at}
		switch r.IntN(8) {
		case 0:
			c.Abandoned = true
			c.Ended = at.Add(time.Duration(r.IntN(90)) * time.Second)
		case 1:
			c.Ended = at.Add(time.Duration(r.IntN(90)) * time.Second) // neither answered nor abandoned
		case 2:
			c.Abandoned = true // no end
		default:
			c.Answered = at.Add(time.Duration(r.IntN(120)) * time.Second)
			if r.IntN(10) > 0 {
				c.Ended = c.Answered.Add(time.Duration(r.IntN(900)) * time.Second)
			}
			c.FirstContact = r.IntN(3) > 0
		}
		if r.IntN(500) == 0 {
			c.Answered = at.Add(-time.Second) // rejected
		}
		calls[i] = c
	}
	for _, c := range []*contract.Contract{measures, withExtra, acme} {
		for _, opts := range [][]Option{nil, {ListMissed(3)}, {Between(time.Date(2027, 3, 1, 0, 0, 0, 0, loc), time.Date(2027, 9, 1, 0, 0, 0, 0, loc))}} {
			var reports [2]string
			for k, fast := range []bool{true, false} {
				e, err := NewEvaluator(c, opts...)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, rule := range e.callRules {
					if rule.fastCall {
						n++
					}
					rule.fastCall = rule.fastCall && fast
				}
				if fast && n == 0 {
					t.Fatalf("%s: no call rule on the fast path", c.File())
				}
				for i := range calls {
					e.AddCall(&calls[i])
				}
				rep, err := e.Report(nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(rep)
				reports[k] = string(b)
			}
			if reports[0] != reports[1] {
				t.Errorf("%s %v: the reports differ", c.File(), opts)
			}
		}
	}
}

// TestCallEnvIsValidCallAndNewCall: the integer path of a call gives the
// environment dsl.NewCall gives, or leaves the call to pacte.CheckCall, on calls
// of every shape: instants zero, out of range, out of order, centuries
// apart, with monotonic clock readings.
func TestCallEnvIsValidCallAndNewCall(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	bases := []time.Time{
		time.Date(2027, 3, 28, 1, 59, 59, 999_999_999, loc),
		time.Date(1900, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(1900, 1, 1, 23, 59, 59, 0, time.UTC),
		time.Date(2199, 12, 30, 0, 0, 0, 0, time.UTC),
		time.Date(2199, 12, 30, 0, 0, 1, 0, time.UTC),
		now,
		now.Round(0),
	}
	offsets := []time.Duration{0, 1, -1, time.Second, -time.Second, 90 * time.Second, time.Hour, -time.Hour,
		150 * 365 * 24 * time.Hour, -150 * 365 * 24 * time.Hour, 280 * 365 * 24 * time.Hour}
	instant := func(base time.Time) time.Time {
		switch r.IntN(6) {
		case 0:
			return time.Time{}
		case 1:
			return pick(r, bases...)
		}
		t := base.Add(pick(r, offsets...) + time.Duration(r.IntN(2000))*time.Millisecond)
		if r.IntN(4) == 0 {
			t = t.In(time.UTC)
		}
		return t
	}
	checked := 0
	for range 200_000 {
		c := pacte.Call{ID: pick(r, "C1", "C2", ""), Offered: pick(r, bases...)}
		if r.IntN(10) == 0 {
			c.Offered = instant(c.Offered)
		}
		c.Answered, c.Ended = instant(c.Offered), instant(c.Offered)
		c.Abandoned = r.IntN(4) == 0
		var env dsl.Call
		if !callEnv(&c, &env) {
			near := func(t time.Time) bool {
				return t.IsZero() || t.Sub(c.Offered).Abs() < 200*365*24*time.Hour
			}
			if pacte.CheckCall(&c, nil) == nil && c.Offered == c.Offered.Round(0) && c.Answered == c.Answered.Round(0) && near(c.Answered) && near(c.Ended) {
				t.Fatalf("%+v: a valid call left to the general path", c)
			}
			continue
		}
		checked++
		if err := pacte.CheckCall(&c, nil); err != nil {
			t.Fatalf("%+v: callEnv accepts it, pacte.CheckCall says %v", c, err)
		}
		if want := dsl.NewCall(&c); !reflect.DeepEqual(env, want) {
			t.Fatalf("%+v: callEnv gives %+v, NewCall %+v", c, env, want)
		}
	}
	if checked < 10_000 {
		t.Fatalf("only %d calls on the integer path", checked)
	}
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }
