package simulate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
)

// weekdayNames are the keys of Profile.Weekdays, Sunday first as in
// time.Weekday.
var weekdayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// maxMonths bounds a scenario's length (a century).
const maxMonths = 1200

// maxPerMonth bounds any monthly volume: a billion records a month.
const maxPerMonth = 1e9

// shareSlack absorbs the rounding of shares written as decimals that
// should add up to 100 %.
const shareSlack = 1e-9

type validator struct {
	s    *Scenario
	errs ErrorList
}

func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, v.s.errorAt(path, format, args...))
}

// Validate checks what can be checked without the contract: ranges,
// required keys, shares, distributions. [New] checks the rest (calendar
// names, the term). The errors are an [ErrorList].
func (s *Scenario) Validate() error {
	v := &validator{s: s}
	v.scenario()
	if len(v.errs) > 0 {
		return v.errs.sorted()
	}
	return nil
}

func (v *validator) scenario() {
	s := v.s
	if s.Start != (calendar.Date{}) {
		t := time.Date(s.Start.Year, s.Start.Month, s.Start.Day, 12, 0, 0, 0, time.UTC)
		if t.Year() != s.Start.Year || t.Month() != s.Start.Month || t.Day() != s.Start.Day || s.Start.Year < 1900 || s.Start.Year > 2200 {
			v.fail("start", "%s is not a date between 1900 and 2200", s.Start)
		} else if s.Start.Day != 1 {
			v.fail("start", "the scenario starts on the first day of a month, not on %s", s.Start)
		}
	}
	if s.Months < 0 || s.Months > maxMonths {
		v.fail("months", "want 1 to %d months, or 0 for the contract's term; not %d", maxMonths, s.Months)
	}
	if !(s.Growth > -1 && s.Growth <= 10) {
		v.fail("growth", "want a yearly growth above -100%% and at most 1000%%, not %s", pct(s.Growth))
	}
	if len(s.Seasonality) != 0 && len(s.Seasonality) != 12 {
		v.fail("seasonality", "want 12 factors, January to December, not %d", len(s.Seasonality))
	}
	for i, f := range s.Seasonality {
		v.weight(fmt.Sprintf("seasonality[%d]", i), f)
	}
	v.profile("arrivals", s.Arrivals)
	if h := s.History; h != nil {
		if h.File == "" {
			v.fail("history", "the history needs a file")
		}
		if h.Preset != "" && h.Mapping != "" {
			v.fail("history", "give a preset or a mapping, not both")
		}
	}
	for i, t := range s.Tickets {
		v.ticketClass(fmt.Sprintf("tickets[%d]", i), t)
	}
	if c := s.Calls; c != nil {
		v.calls(c)
	}
	for i, o := range s.Outages {
		p := fmt.Sprintf("outages[%d]", i)
		if o.Service == "" {
			v.fail(p, "an outage class needs a service")
		}
		v.volume(p+".per_month", o.PerMonth)
		v.dist(p+".duration", o.Duration, true)
		v.share(p+".planned", o.Planned)
		v.dist(p+".notice", o.Notice, false)
	}
	if sv := s.Surveys; sv != nil {
		v.share("surveys.per_ticket", sv.PerTicket)
		if len(sv.Scores) == 0 {
			v.fail("surveys", "surveys need scores, such as {5: 40%%, 4: 40%%, 3: 20%%}")
		}
		total := 0.0
		for _, k := range sortedKeys(sv.Scores) {
			if _, err := decimal.NewFromString(k); err != nil {
				v.fail("surveys.scores."+k, "a score is a number, not %q", k)
			}
			v.share("surveys.scores."+k, sv.Scores[k])
			total += sv.Scores[k]
		}
		if len(sv.Scores) > 0 && math.Abs(total-1) > shareSlack {
			v.fail("surveys.scores", "the shares of the scores add up to %s, not 100%%", pct(total))
		}
	}
	for _, k := range sortedKeys(s.Reported) {
		if s.Reported[k].IsNegative() {
			v.fail("reported."+k, "a volume is ≥ 0, not %s", s.Reported[k])
		}
	}
	if s.Costs.AgentHour.IsNegative() {
		v.fail("costs.agent_hour", "a cost is ≥ 0, not %s", s.Costs.AgentHour)
	}
	if s.Costs.Monthly.IsNegative() {
		v.fail("costs.monthly", "a cost is ≥ 0, not %s", s.Costs.Monthly)
	}
}

func (v *validator) ticketClass(p string, t TicketClass) {
	if t.Kind == "" {
		v.fail(p, "a ticket class needs a kind (incident, request…)")
	}
	v.volume(p+".per_month", t.PerMonth)
	v.shares(p+".services", t.Services)
	total := 0.0
	for i, x := range t.Levels {
		v.share(fmt.Sprintf("%s.levels[%d]", p, i), x)
		total += x
	}
	if total > 1+shareSlack {
		v.fail(p+".levels", "the shares of the levels add up to %s, more than 100%%", pct(total))
	}
	v.dist(p+".acknowledge", t.Acknowledge, false)
	v.dist(p+".restore", t.Restore, true)
	if pa := t.Pauses; pa != nil {
		v.share(p+".pauses.probability", pa.Probability)
		v.dist(p+".pauses.length", pa.Length, pa.Probability > 0)
	}
	if r := t.Reopen; r != nil {
		v.share(p+".reopen.rate", r.Rate)
		v.dist(p+".reopen.after", r.After, false)
	}
	v.shares(p+".excluded", t.Excluded)
	if pr := t.Problems; pr != nil {
		v.share(p+".problems.probability", pr.Probability)
		v.dist(p+".problems.root_cause", pr.RootCause, pr.Probability > 0)
	}
	for i, c := range t.Controls {
		cp := fmt.Sprintf("%s.controls[%d]", p, i)
		if c.LongerThan <= 0 {
			v.fail(cp+".longer_than", "a control counts the tickets longer than a time to restore > 0, not %s", c.LongerThan)
		}
		if c.AtLeast < 0 {
			v.fail(cp+".at_least", "a control counts the months with at least 1 or more such tickets, not %d", c.AtLeast)
		}
	}
}

func (v *validator) calls(c *Calls) {
	v.volume("calls.per_month", c.PerMonth)
	v.profile("calls.arrivals", c.Arrivals)
	v.dist("calls.handling", c.Handling, true)
	if c.Handling.History {
		v.fail("calls.handling", "the history file holds tickets, not calls: give a distribution")
	}
	if c.Patience.History {
		v.fail("calls.patience", "the history file holds tickets, not calls: give a distribution")
	}
	v.dist("calls.patience", c.Patience, false)
	v.share("calls.first_contact", c.FirstContact)
	st := c.Staffing
	n := 0
	if st.Agents != 0 {
		n++
		if st.Agents < 0 || st.Agents > maxStaffAgents {
			v.fail("calls.staffing.agents", "want 1 to %d agents, not %d", maxStaffAgents, st.Agents)
		}
	}
	if len(st.Rota) > 0 {
		n++
		for _, k := range sortedKeys(st.Rota) {
			if _, _, _, err := parseRotaKey(k); err != nil {
				v.fail("calls.staffing.rota."+k, "%v", err)
			}
			if a := st.Rota[k]; a < 0 || a > maxStaffAgents {
				v.fail("calls.staffing.rota."+k, "want 0 to %d agents, not %d", maxStaffAgents, a)
			}
		}
	}
	if t := st.Target; t != nil {
		n++
		st := t.staffingTarget()
		if err := st.validate(); err != nil {
			v.fail("calls.staffing.target", "%s", strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrInvalidTarget.Error()+": "), ErrUnreachableTarget.Error()+": "))
		} else if st == (StaffingTarget{}) {
			v.fail("calls.staffing.target", "the target sets no objective: give a service_level and within, a max_asa, a max_abandon or a max_occupancy")
		} else if t.ServiceLevel > 0 && t.Within == 0 {
			v.fail("calls.staffing.target", "a service level needs the answer time it is measured against (within: 60s)")
		}
	}
	if !(st.Scale >= 0) || st.Scale > maxStaffScale {
		v.fail("calls.staffing.scale", "want a factor from 0 to %d (1.2 staffs a fifth more), not %v", maxStaffScale, st.Scale)
	}
	switch {
	case n == 0 && c.PerMonth > 0:
		v.fail("calls.staffing", "say how the desk is staffed: agents, a rota or a target")
	case n > 1:
		v.fail("calls.staffing", "give one of agents, rota and target, not %d", n)
	}
}

// maxStaffAgents bounds the agents of one half hour.
const maxStaffAgents = 100000

// maxStaffScale bounds the factor on the staffing.
const maxStaffScale = 100

func (t Target) staffingTarget() StaffingTarget {
	return StaffingTarget{ServiceLevel: t.ServiceLevel, AnswerWithin: t.Within, MaxASA: t.MaxASA, MaxAbandon: t.MaxAbandon, MaxOccupancy: t.MaxOccupancy}
}

func (v *validator) profile(p string, pr Profile) {
	for _, k := range sortedKeys(pr.Weekdays) {
		if !slices.Contains(weekdayNames, k) {
			v.fail(p+".weekdays."+k, "unknown day %q: want mon, tue, wed, thu, fri, sat or sun", k)
			continue
		}
		v.weight(p+".weekdays."+k, pr.Weekdays[k])
	}
	if n := len(pr.Hours); n != 0 && n != 24 && n != 48 {
		v.fail(p+".hours", "want 24 hourly or 48 half-hourly weights, not %d", n)
	}
	for i, w := range pr.Hours {
		v.weight(fmt.Sprintf("%s.hours[%d]", p, i), w)
	}
	sum := func(ws []float64) float64 {
		t := 0.0
		for _, w := range ws {
			t += w
		}
		return t
	}
	days := 0.0
	for _, w := range pr.Weekdays {
		days += w
	}
	if (len(pr.Weekdays) > 0 && days == 0) || (len(pr.Hours) > 0 && sum(pr.Hours) == 0) {
		v.fail(p, "every weight is 0: nothing could arrive")
	}
}

func (v *validator) weight(p string, w float64) {
	if !(w >= 0 && w <= 1e9) {
		v.fail(p, "a weight is a number ≥ 0, not %v", w)
	}
}

func (v *validator) volume(p string, x float64) {
	if !(x >= 0 && x <= maxPerMonth) {
		v.fail(p, "want a volume between 0 and %g a month, not %v", float64(maxPerMonth), x)
	}
}

func (v *validator) share(p string, x float64) {
	if !(x >= 0 && x <= 1) {
		v.fail(p, "want a share between 0%% and 100%%, not %s", pct(x))
	}
}

func (v *validator) shares(p string, m map[string]float64) {
	total := 0.0
	for _, k := range sortedKeys(m) {
		v.share(p+"."+k, m[k])
		total += m[k]
	}
	if total > 1+shareSlack {
		v.fail(p, "the shares add up to %s, more than 100%%", pct(total))
	}
}

func (v *validator) dist(p string, d Dist, required bool) {
	if d.IsZero() {
		if required {
			v.fail(p, "required: a duration, history, {median, p90}, {mean} or {values}")
		}
		return
	}
	if msg := d.check(); msg != "" {
		v.fail(p, "%s", msg)
	}
	if d.History && v.s.History == nil {
		v.fail(p, "history needs the scenario's history file (key history)")
	}
}

func pct(x float64) string {
	return fmt.Sprintf("%.6g%%", 100*x)
}
