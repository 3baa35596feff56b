package simulate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// deskModel is the phone desk ready to simulate: the calls expected and
// the agents on duty in every half hour of every month.
type deskModel struct {
	queue       string
	table       *slotTable
	rate        [][]float64 // expected calls, by month and slot
	agents      [][]int32   // agents on duty, by month and slot
	handling    sampler
	patience    sampler
	hasPatience bool
	fcr         float64
	ids         *idTable
}

func (sim *Simulation) deskModel(v *validator) *deskModel {
	c := sim.s.Calls
	d := &deskModel{queue: c.Queue, fcr: c.FirstContact, handling: newSampler(c.Handling, nil), ids: newIDTable("CALL-")}
	if d.handling.meanOf() <= 0 {
		v.fail("calls.handling", "the mean handling time must be longer than 0")
	}
	if !c.Patience.IsZero() {
		d.patience, d.hasPatience = newSampler(c.Patience, nil), true
	}
	d.table = sim.slotTable(v, "calls.arrivals", c.Arrivals)
	for mi, m := range sim.months {
		sm := &d.table.months[mi]
		rate := make([]float64, len(sm.weight))
		if sm.total > 0 {
			for k, w := range sm.weight {
				rate[k] = c.PerMonth * m.factor * w / sm.total
			}
		}
		d.rate = append(d.rate, rate)
	}
	return d
}

// MonthStaffing is the staffing of the phone desk over a month, and what
// the queueing formulas forecast for it.
type MonthStaffing struct {
	Month      string          `json:"month"`       // 2027-03
	Calls      float64         `json:"calls"`       // calls expected
	AgentHours decimal.Decimal `json:"agent_hours"` // agents on duty × hours
	// Cost is AgentHours × Costs.AgentHour + Costs.Monthly.
	Cost decimal.Decimal `json:"cost"`
	// The forecast of the queueing formulas (Erlang C, or Erlang A when
	// callers hang up), half hour by half hour, averaged over the calls
	// expected: the share answered within Within (the target's answer
	// time, or 60 s without a target), the share abandoned, the mean speed
	// of answer and the agents' occupancy. A half hour with calls and no
	// agent counts as answering none of them.
	Within       time.Duration `json:"within"`
	ServiceLevel float64       `json:"service_level"`
	Abandon      float64       `json:"abandon"`
	ASA          time.Duration `json:"asa"`
	Occupancy    float64       `json:"occupancy"`
}

// Staffing returns the desk's staffing and forecast, month by month;
// empty without calls (the fixed monthly costs are then in the result's
// costs only).
func (sim *Simulation) Staffing() []MonthStaffing {
	out := make([]MonthStaffing, len(sim.staffing))
	copy(out, sim.staffing)
	return out
}

// staff sets the agents of every half hour, and forecasts what they
// achieve.
func (sim *Simulation) staff() {
	d := sim.desk
	if d == nil {
		return
	}
	p := newStaffPlan(sim.s.Calls, d)
	for mi, m := range sim.months {
		agents, ms := p.month(&d.table.months[mi], d.rate[mi])
		d.agents = append(d.agents, agents)
		ms.Month = m.label
		ms.Cost = ms.AgentHours.Mul(sim.s.Costs.AgentHour).Add(sim.s.Costs.Monthly)
		sim.staffing = append(sim.staffing, ms)
	}
}

// staffPlan decides the agents of each half hour, and forecasts them by
// the queueing formulas, each load and staffing computed once.
type staffPlan struct {
	st     Staffing
	rota   []rotaEntry
	queue  CallQueue
	within time.Duration
	target StaffingTarget
	cache  map[[2]float64]forecast
}

type forecast struct {
	agents int
	m      QueueMetrics
	err    error
}

func newStaffPlan(c *Calls, d *deskModel) *staffPlan {
	p := &staffPlan{st: c.Staffing, within: 60 * time.Second, cache: map[[2]float64]forecast{},
		queue: CallQueue{Interval: slotLen, AHT: time.Duration(math.Round(d.handling.meanOf()))}}
	for _, k := range sortedKeys(p.st.Rota) {
		days, from, to, _ := parseRotaKey(k) // validated
		p.rota = append(p.rota, rotaEntry{days, from, to, p.st.Rota[k]})
	}
	if d.hasPatience {
		p.queue.Patience = time.Duration(math.Round(d.patience.meanOf()))
	}
	if p.st.Target != nil {
		p.target = p.st.Target.staffingTarget()
		if p.target.AnswerWithin > 0 {
			p.within = p.target.AnswerWithin
		}
	}
	return p
}

// agents returns the agents on duty in a half hour of that weekday and
// minute with rate calls expected, before the scale.
func (p *staffPlan) agents(rate float64, day uint8, minute int16) int {
	n := 0
	switch {
	case p.st.Target != nil:
		if rate > 0 {
			key := [2]float64{rate, -1}
			f, ok := p.cache[key]
			if !ok {
				p.queue.Calls = rate
				f.m, f.err = p.queue.Staff(p.target)
				f.agents = f.m.Agents
				if f.err != nil { // unreachable: staff what the load needs, and say so in the forecast
					f.agents = int(math.Ceil(rate*float64(p.queue.AHT)/float64(slotLen))) + 1
				}
				p.cache[key] = f
			}
			n = f.agents
		}
	case len(p.rota) > 0:
		for _, e := range p.rota {
			if e.days[day] && int(minute) >= e.from && int(minute) < e.to {
				n += e.agents
			}
		}
	default:
		if rate > 0 {
			n = p.st.Agents
		}
	}
	if p.st.Scale > 0 && p.st.Scale != 1 {
		n = int(math.Floor(p.st.Scale*float64(n) + 0.5))
	}
	return n
}

// forecastOf is what n agents achieve with rate calls expected.
func (p *staffPlan) forecastOf(rate float64, n int) forecast {
	key := [2]float64{rate, float64(n)}
	f, ok := p.cache[key]
	if !ok {
		p.queue.Calls = rate
		f.m, f.err = p.queue.Metrics(n, p.within)
		p.cache[key] = f
	}
	return f
}

// month staffs the half hours of a month and forecasts the month, its
// label and cost aside.
func (p *staffPlan) month(sm *slotMonth, rates []float64) ([]int32, MonthStaffing) {
	agents := make([]int32, len(sm.weight))
	var calls, sl, ab, asa, occ, answered float64
	halfHours := int64(0)
	for k, rate := range rates {
		n := p.agents(rate, sm.day[k], sm.minute[k])
		agents[k] = int32(n)
		halfHours += int64(n)
		if rate <= 0 {
			continue
		}
		f := p.forecastOf(rate, n)
		calls += rate
		if f.err != nil {
			continue // a queue too large to compute: counts as answering none
		}
		sl += rate * f.m.ServiceLevel
		ab += rate * f.m.AbandonProbability
		occ += rate * f.m.Occupancy
		if f.m.ASA != Unbounded && f.m.AbandonProbability < 1 {
			answered += rate * (1 - f.m.AbandonProbability)
			asa += rate * (1 - f.m.AbandonProbability) * float64(f.m.ASA)
		}
	}
	ms := MonthStaffing{Calls: calls, Within: p.within,
		AgentHours: decimal.NewFromInt(halfHours).Mul(decimal.NewFromFloat(slotLen.Hours()))}
	if calls > 0 {
		ms.ServiceLevel, ms.Abandon, ms.Occupancy = sl/calls, ab/calls, occ/calls
	}
	if answered > 0 {
		ms.ASA = time.Duration(math.Round(asa / answered))
	}
	return agents, ms
}

// monthCost is the cost of month mi: its agent hours and fixed cost.
func (sim *Simulation) monthCost(mi int) decimal.Decimal {
	if sim.desk != nil {
		return sim.staffing[mi].Cost
	}
	return sim.s.Costs.Monthly
}

type rotaEntry struct {
	days     [7]bool
	from, to int // minutes since midnight
	agents   int
}

// parseRotaKey reads "mon-fri 08:00-18:00", "sat,sun 09:00-12:30" or
// "every day 00:00-24:00"; times are on the half hour.
func parseRotaKey(k string) (days [7]bool, from, to int, err error) {
	fail := func() ([7]bool, int, int, error) {
		return [7]bool{}, 0, 0, fmt.Errorf("want days and hours such as \"mon-fri 08:00-18:00\", not %q", k)
	}
	f := strings.Fields(strings.ToLower(k))
	if len(f) == 3 && f[0] == "every" && f[1] == "day" {
		f = []string{"sun-sat", f[2]}
	}
	if len(f) != 2 {
		return fail()
	}
	for _, part := range strings.Split(f[0], ",") {
		a, b, isRange := strings.Cut(part, "-")
		i, j := dayIndex(a), dayIndex(b)
		if !isRange {
			j = i
		}
		if i < 0 || j < 0 {
			return fail()
		}
		for d := i; ; d = (d + 1) % 7 {
			days[d] = true
			if d == j {
				break
			}
		}
	}
	a, b, ok := strings.Cut(f[1], "-")
	if !ok {
		return fail()
	}
	from, ok1 := clockMinutes(a)
	to, ok2 := clockMinutes(b)
	if !ok1 || !ok2 || to <= from {
		return fail()
	}
	if from%30 != 0 || to%30 != 0 {
		return [7]bool{}, 0, 0, fmt.Errorf("a rota changes on the half hour: %q", k)
	}
	return days, from, to, nil
}

func dayIndex(s string) int {
	for i, n := range weekdayNames {
		if s == n {
			return i
		}
	}
	return -1
}

func clockMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}
