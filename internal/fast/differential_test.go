package fast

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The differential test: every expression of the corpus is evaluated on
// random records by the closures (Program.Eval when the program is
// compiled) and by expr's VM (dsl.Program.Eval); the values must be the
// same exactly, and so must the errors.

// diffCase is an expression of the corpus. compiled says the expression is
// expected to run as closures: a regression to the VM fails the test.
// (Expressions expected on the VM are not checked, so that the closures
// may grow.)
type diffCase struct {
	src      string
	compiled bool
}

var ticketCorpus = []diffCase{
	// scopes
	{`kind == "incident" && priority == "P1"`, true},
	{`kind == "incident" && priority in ["P1", "P2"]`, true},
	{`kind == "request" && category == "standard"`, true},
	{`service == "ERP" && !(priority in ["P3", "P4"])`, true},
	{`kind != "change" and level not in [0, 3]`, true},
	{`exclusion == "" || exclusion == "client"`, true},
	{`status == "closed" && group startsWith "N"`, true},
	{`service contains "R" or id endsWith "7"`, true},
	{`priority matches "^P[12]$"`, true},
	{`len(id) > 7`, true},
	// conditions
	{`priority == "P1" && elapsed <= 4h`, true},
	{`elapsed <= budget`, true},
	{`on_time || late < 15min`, true},
	{`!on_time && priority != "P4"`, true},
	{`resolved <= deadline`, true},
	{`acknowledged - opened <= 30min`, true},
	{`opened + 1h30min > resolved`, true},
	{`resolved == closed`, true},
	{`opened != acknowledged`, true},
	{`elapsed * 2 > 8h`, true},
	{`elapsed / 2 < 1h`, true},
	{`elapsed * 1.5 >= budget`, true},
	{`elapsed / budget >= 80%`, true},
	{`calendar_days(2) + elapsed > 50h`, true},
	{`level % 2 == 0`, true},
	// per-item formulas
	{`elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0`, true},
	{`late > 0s ? 150 * ceil(late / 1h) : 0`, true},
	{`late > 0s ? late / 1h * 150 : 0`, true},
	{`priority == "P1" ? 4h : priority == "P2" ? 8h : 24h`, true},
	{`kind == "incident" ? "INC" : "OTHER"`, true},
	{`min(elapsed, budget)`, true},
	{`max(late, 30min)`, true},
	{`ceil(elapsed, 1h)`, true},
	{`floor(elapsed, 15min)`, true},
	{`round(elapsed, budget)`, false}, // a zero budget: a runtime error on both sides
	{`resolved - opened`, true},
	{`max(opened, acknowledged)`, true},
	{`min(resolved, closed)`, true},
	// decimals
	{`satisfaction >= 4`, true},
	{`satisfaction * 20 / 3`, true},
	{`round(satisfaction / 3, 2)`, true},
	{`-satisfaction + 5`, true},
	{`level * 1.5 + 1`, true},
	{`level / 2`, true},
	{`level / (level - 1) > 1`, true},
	{`satisfaction == 4.50`, true},
	{`satisfaction != 0 && satisfaction <= 2.5`, true},
	{`3% * 1200.00 * level`, true},
	{`max(satisfaction, level)`, true},
	{`decimal(attrs["amount"]) * 2`, true},
	// clock functions, on the rule's calendar (HE) and named ones
	{`open_time(opened, resolved) <= 4h`, true},
	{`open_time("HO", opened, resolved)`, true},
	{`open_time("H24", opened, resolved) / 1h`, true},
	{`add_open_time(opened, 4h)`, true},
	{`resolved <= add_open_time("HO", opened, 8h)`, true},
	{`end_of_open_day(opened, 3)`, true},
	{`resolved <= end_of_open_day("HO", opened, 3)`, true},
	{`is_open(opened)`, true},
	{`is_open("HO", opened) && !is_open("HO", resolved)`, true},
	{`open_days_between(opened, resolved)`, true},
	{`open_days_between("HO", opened, resolved) > 2`, true},
	{`elapsed_between(opened, resolved)`, true},
	{`elapsed_between(acknowledged, resolved) <= 2h`, true},
	// ticket functions
	{`entered("waiting for client")`, true},
	{`entered("known error") > opened`, true},
	{`link("problem").priority == "P1"`, true},
	{`link("incident").resolved`, true},
	{`open_time("HO", resolved, link("problem").resolved) <= 90h`, true},
	{`reopened_within(calendar_days(10))`, true},
	// attributes
	{`attrs["cause"] == "client"`, true},
	{`attrs.site in ["Paris", "Lyon"]`, true},
	{`len(attrs["cause"]) > 3`, true},
	// on the VM: string builtins, list predicates, abs
	{`upper(priority) == "P1"`, false},
	{`trim(" " + kind + " ") == "incident"`, false},
	{`lower(attrs.site) == "lyon"`, false},
	{`any(history, .status == "resolved")`, false},
	{`len(pauses) > 0 && all(pauses, .End > .Start)`, false}, // Interval has no expr tags
	{`count(history, .status == "in progress")`, false},
	{`abs(satisfaction - 3)`, false},
	{`"cause" in attrs`, false},
	{`budget in [4h, 8h]`, false},
	{`let d = resolved - opened; d > 24h ? d / 1h : 0`, false},
	{`string(level) + priority`, false},
}

// boundsCorpus are ticket expressions that fail on some records, both
// ways alike: integers and durations that overflow, decimals beyond their
// digits, texts beyond their length.
var boundsCorpus = []struct{ src, err string }{
	{`level * 4611686018427387904 > 0`, "* 4611686018427387904"},
	{`-level - 9223372036854775807 == -9223372036854775807`, " - 9223372036854775807"},
	{`elapsed * 100000 > 0s`, "duration overflow: "},
	{`100000 * late > 1h`, "duration overflow: "},
	{`-2562047h - late < -2562047h`, "duration overflow: -2562047h - "},
	{`elapsed + 2562046h > 2562047h`, "duration overflow: "},
	{`satisfaction >= 4 ? satisfaction * 1e999 * 10 > 0 : satisfaction > 1`, "a decimal of more than 1000 digits"},
	{`satisfaction / 1e-984 > 0`, "a decimal of more than 1000 digits"},
	{`round(satisfaction * 1e998, 2) > 0`, "a decimal of more than 1000 digits"},
	{`attrs["note"] + attrs["note"] != ""`, "a text of 1048578 bytes, more than the 1048576 an expression may build"},
	{`len(attrs["note"] + kind + attrs["note"]) > 10`, "more than the 1048576 an expression may build"},
}

// TestBoundsAgree: each expression of boundsCorpus runs as closures,
// agrees with the VM, and fails with its error on some records.
func TestBoundsAgree(t *testing.T) {
	g := recordGen{rand.New(rand.NewPCG(2027, 11))}
	tickets := make([]*dsl.Ticket, 300)
	for i := range tickets {
		tickets[i] = g.ticket()
	}
	for _, c := range boundsCorpus {
		t.Run(c.src, func(t *testing.T) {
			vm, err := dsl.Compile[dsl.Ticket](c.src, withCalendars()...)
			require.NoError(t, err)
			p := Compile(vm, testCalendars)
			require.True(t, p.Compiled())
			requireAgreement(t, p, vm, tickets)
			failed := 0
			for _, env := range tickets {
				if _, err := p.Eval(env); err != nil {
					require.ErrorContains(t, err, c.err)
					failed++
				}
			}
			require.Positive(t, failed, "%q never fails", c.src)
		})
	}
}

var callCorpus = []diffCase{
	{`answered && wait <= 20s`, true},
	{`abandoned && wait < 5s`, true},
	{`!answered && !abandoned`, true},
	{`queue == "N1" && talk > 10min`, true},
	{`first_contact`, true},
	{`wait + talk`, true},
	{`answered ? wait / 1s : 0`, true},
	{`is_open("HO", offered)`, true},
	{`answered_at - offered`, true},
	{`ended > offered`, true},
	{`attrs["lang"] == "fr"`, true},
	{`agent in ["alice", "bob"]`, true},
	{`queue in ["N1", "N2"] && (answered || wait >= 5s)`, true},
	{`open_time("HO", offered, ended)`, true},
	{`upper(queue) == "N1"`, false},
}

var outageCorpus = []diffCase{
	{`service == "ERP" && !planned`, true},
	{`duration >= 2min`, true},
	{`open_time("HO", start, end)`, true},
	{`planned && open_days_between("HO", announced, start) >= 5`, true},
	{`open_time(start, end) / 1h`, true},
	{`round(duration / 1h * 100, 2)`, true},
	{`attrs.cause == "network"`, true},
	{`end == start || end - start > 1h`, true},
	{`planned ? 0s : duration`, true},
	{`min(end, start + 4h)`, true},
	{`service startsWith "E" and duration > 0s`, true},
	{`lower(service) == "erp"`, false},
}

// longNote is an attribute longer than half the text an expression may
// build: twice it is too long.
var longNote = strings.Repeat("n", exact.MaxText/2+1)

// recordGen draws random records. Instants spread over 2027 in Paris time
// (both changes of time included), some in UTC, some zero.
type recordGen struct{ r *rand.Rand }

func (g recordGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g recordGen) instant() time.Time {
	t := time.Date(2027, time.January, 1, 0, 0, 0, 0, paris).Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
	switch g.r.IntN(4) {
	case 0:
		t = t.UTC()
	case 1:
		t = t.Truncate(time.Hour) // on window bounds more often
	}
	return t
}

func (g recordGen) after(t time.Time, maxSpan time.Duration) time.Time {
	if g.r.IntN(10) == 0 {
		return time.Time{}
	}
	return t.Add(time.Duration(g.r.Int64N(int64(maxSpan))))
}

func (g recordGen) attrs() map[string]string {
	if g.r.IntN(5) == 0 {
		return nil
	}
	m := map[string]string{}
	if g.r.IntN(3) > 0 {
		m["cause"] = g.pick("client", "network", "hw", "")
	}
	if g.r.IntN(3) > 0 {
		m["site"] = g.pick("Paris", "Lyon", "LYON", "Nantes")
	}
	if g.r.IntN(3) > 0 {
		m["lang"] = g.pick("fr", "en")
	}
	if g.r.IntN(3) > 0 {
		m["amount"] = g.pick("12,50", "3", "1 000,25", "n/a", "-4.5")
	}
	if g.r.IntN(4) == 0 {
		m["note"] = g.pick(longNote, "short")
	}
	return m
}

func (g recordGen) ticket() *dsl.Ticket {
	opened := g.instant()
	t := &pacte.Ticket{
		ID:       fmt.Sprintf("INC-%d", g.r.IntN(100000)),
		Kind:     g.pick("incident", "request", "problem", "change"),
		Priority: g.pick("P1", "P2", "P3", "P4", ""),
		Service:  g.pick("ERP", "Mail", "CRM"),
		Category: g.pick("standard", "software", ""),
		Group:    g.pick("N1", "N2", "Dev"),
		Level:    g.r.IntN(4),
		Opened:   opened,
		Status:   g.pick("closed", "resolved", "in progress"),
		Attrs:    g.attrs(),
	}
	t.Acknowledged = g.after(opened, 2*time.Hour)
	if g.r.IntN(10) == 0 {
		t.Acknowledged = opened
	}
	t.Resolved = g.after(opened, 10*24*time.Hour)
	if !t.Resolved.IsZero() && g.r.IntN(2) == 0 {
		t.Closed = t.Resolved.Add(time.Duration(g.r.IntN(72)) * time.Hour)
	}
	if g.r.IntN(4) > 0 {
		t.Satisfaction = decimal.New(int64(g.r.IntN(51)), -1) // 0.0 to 5.0
		if g.r.IntN(3) == 0 {
			t.Satisfaction = decimal.NewFromInt(int64(g.r.IntN(6)))
		}
	}
	if g.r.IntN(5) == 0 {
		t.Exclusion = g.pick("client", "force majeure")
	}
	at := opened
	for range g.r.IntN(5) {
		at = at.Add(time.Duration(g.r.Int64N(int64(24 * time.Hour))))
		t.History = append(t.History, pacte.StatusChange{At: at, Status: g.pick("in progress", "Waiting for client", "resolved", "known error", "closed")})
	}
	for range g.r.IntN(3) {
		s := opened.Add(time.Duration(g.r.Int64N(int64(5 * 24 * time.Hour))))
		t.Pauses = append(t.Pauses, pacte.Interval{Start: s, End: s.Add(time.Duration(g.r.Int64N(int64(30 * time.Hour))))})
	}
	for range g.r.IntN(2) {
		t.Reopened = append(t.Reopened, opened.Add(time.Duration(g.r.Int64N(int64(20*24*time.Hour)))))
	}
	for range g.r.IntN(3) {
		t.Links = append(t.Links, pacte.Link{ID: fmt.Sprintf("L-%d", g.r.IntN(100)), Kind: g.pick("problem", "incident", "Problem"),
			Priority: g.pick("P1", "P2", ""), Resolved: g.after(opened, 30*24*time.Hour)})
	}
	env := &dsl.Ticket{Ticket: t, Paused: clock.Merge(t.Pauses)}
	stop := t.Resolved
	if stop.IsZero() {
		stop = opened.Add(15 * 24 * time.Hour)
	}
	env.Start, env.Stop = opened, t.Resolved
	env.Elapsed = clock.Elapsed(calHE, env.Paused, opened, stop)
	env.Budget = time.Duration(g.r.IntN(3)) * 4 * time.Hour // 0, 4h or 8h
	env.Deadline = calHE.Add(opened, env.Budget)
	env.Late = max(env.Elapsed-env.Budget, 0)
	env.OnTime = env.Late == 0 && !t.Resolved.IsZero()
	return env
}

func (g recordGen) call() *dsl.Call {
	offered := g.instant()
	c := &pacte.Call{ID: fmt.Sprintf("C-%d", g.r.IntN(100000)), Queue: g.pick("N1", "N2", "VIP"), Offered: offered,
		Agent: g.pick("alice", "bob", "carol", ""), Attrs: g.attrs()}
	switch g.r.IntN(3) {
	case 0: // answered
		c.Answered = offered.Add(time.Duration(g.r.Int64N(int64(90 * time.Second))))
		c.Ended = g.after(c.Answered, 30*time.Minute)
		c.FirstContact = g.r.IntN(2) == 0
	case 1: // abandoned
		c.Ended = offered.Add(time.Duration(g.r.Int64N(int64(2 * time.Minute))))
		c.Abandoned = true
	}
	e := dsl.NewCall(c)
	return &e
}

func (g recordGen) outage() *dsl.Outage {
	start := g.instant()
	o := &pacte.Outage{ID: fmt.Sprintf("O-%d", g.r.IntN(1000)), Service: g.pick("ERP", "Mail", "CRM"), Start: start,
		End: g.after(start, 10*time.Hour), Planned: g.r.IntN(3) == 0, Attrs: g.attrs()}
	if o.Planned {
		o.Announced = start.Add(-time.Duration(g.r.Int64N(int64(20 * 24 * time.Hour))))
	}
	e := dsl.NewOutage(o)
	return &e
}

// runDifferential evaluates every expression on every record both ways.
func runDifferential[E dsl.Env](t *testing.T, corpus []diffCase, records []*E) {
	t.Helper()
	for _, c := range corpus {
		t.Run(c.src, func(t *testing.T) {
			vm, err := dsl.Compile[E](c.src, withCalendars()...)
			require.NoError(t, err)
			p := Compile(vm, testCalendars)
			if c.compiled {
				require.True(t, p.Compiled(), "%q should run as closures", c.src)
			}
			requireAgreement(t, p, vm, records)
		})
	}
}

// requireAgreement requires the closures and the VM to give the same
// values and the same errors on every record, and the expression not to
// fail on every record.
func requireAgreement[E dsl.Env](t *testing.T, p *Program[E], vm *dsl.Program[E], records []*E) {
	t.Helper()
	errs := 0
	for i, env := range records {
		v, err := p.Eval(env)
		w, werr := vm.Eval(env)
		if werr != nil || err != nil {
			require.Error(t, err, "record %d: the VM failed (%v), Eval gave %v", i, werr, v)
			require.Error(t, werr, "record %d: Eval failed (%v), the VM gave %v", i, err, w)
			var ve, ce *dsl.Error
			require.ErrorAs(t, werr, &ve)
			require.ErrorAs(t, err, &ce)
			require.True(t, ve.Code == dsl.ErrRuntime || ve.Code == dsl.ErrLimit, "%v", werr)
			require.Equal(t, ve.Code, ce.Code, "record %d: the same code", i)
			require.Equal(t, werr.Error(), err.Error(), "record %d", i)
			errs++
			continue
		}
		requireSameValue(t, w, v, fmt.Sprintf("record %d: %q", i, p.Source()))
		if typ := p.Type(); typ != dsl.Other && typ != dsl.Unknown {
			require.Equal(t, typ.String(), typeName(v), "record %d: the value's type is the program's", i)
		}
	}
	require.Less(t, errs, len(records), "%q fails on every record", p.Source())
}

// typeName is the name of the language's type of a value.
func typeName(v any) string {
	switch v.(type) {
	case bool:
		return "bool"
	case int:
		return "int"
	case string:
		return "string"
	case decimal.Decimal:
		return "decimal"
	case time.Duration:
		return "duration"
	case time.Time:
		return "time"
	}
	return "other"
}

func TestDifferential(t *testing.T) {
	g := recordGen{rand.New(rand.NewPCG(2027, 5))}
	const n = 300
	tickets := make([]*dsl.Ticket, n)
	calls := make([]*dsl.Call, n)
	outages := make([]*dsl.Outage, n)
	for i := range n {
		tickets[i], calls[i], outages[i] = g.ticket(), g.call(), g.outage()
	}
	require.GreaterOrEqual(t, len(ticketCorpus)+len(callCorpus)+len(outageCorpus), 40)
	t.Run("ticket", func(t *testing.T) { runDifferential(t, ticketCorpus, tickets) })
	t.Run("call", func(t *testing.T) { runDifferential(t, callCorpus, calls) })
	t.Run("outage", func(t *testing.T) { runDifferential(t, outageCorpus, outages) })
}

// TestTypicalRulesAreCompiled: the scopes and conditions of the reference
// contract run as closures, and allocate nothing once the environment is
// reused.
func TestTypicalRulesAreCompiled(t *testing.T) {
	env := sampleTicket()
	for _, src := range []string{
		`kind == "incident" && priority == "P1"`,
		`priority == "P1" && elapsed <= 4h`,
		`elapsed <= 4h`,
		`kind == "incident" && level == 1`,
		`elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0`,
		`priority in ["P1", "P2"] && resolved <= end_of_open_day("HO", opened, 3)`,
		`attrs["cause"] != "client"`,
	} {
		p := compileT[dsl.Ticket](t, src)
		require.True(t, p.Compiled(), src)
		if p.Type() == dsl.Bool {
			allocs := testing.AllocsPerRun(100, func() { _, _ = p.Bool(env) })
			require.Zero(t, allocs, "%q allocates", src)
		}
	}
	for _, src := range []string{`answered && wait <= 20s`, `abandoned && wait < 5s`} {
		require.True(t, compileT[dsl.Call](t, src).Compiled(), src)
	}
	for _, src := range []string{`service == "ERP" && !planned`, `duration >= 2min`} {
		require.True(t, compileT[dsl.Outage](t, src).Compiled(), src)
	}
	// Period formulas run on the VM.
	require.False(t, compileT[dsl.Period[decimal.Decimal]](t, `3% * invoice`).Compiled())
}

// TestDifferentialCorpusIsVaried guards the generator: each ticket
// expression that is a condition is true for some records and false for
// others, so that both branches are compared.
func TestDifferentialCorpusIsVaried(t *testing.T) {
	g := recordGen{rand.New(rand.NewPCG(2027, 5))}
	tickets := make([]*dsl.Ticket, 300)
	for i := range tickets {
		tickets[i] = g.ticket()
	}
	var constant []string
	for _, c := range ticketCorpus {
		p := compileT[dsl.Ticket](t, c.src)
		if p.Type() != dsl.Bool {
			continue
		}
		seen := map[bool]bool{}
		for _, env := range tickets {
			if v, err := p.Eval(env); err == nil {
				seen[v.(bool)] = true
			}
		}
		if len(seen) < 2 {
			constant = append(constant, c.src)
		}
	}
	require.Empty(t, constant, "conditions with a single outcome:\n%s", strings.Join(constant, "\n"))
}
