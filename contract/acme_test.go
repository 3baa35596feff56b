package contract

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// The tests of this file check examples/contracts/acme.yaml clause by
// clause against the reference contract
// (../shared/contracts/reference-contract.md, §1 to §5).

const acmeFile = "../examples/contracts/acme.yaml"

func loadAcme(t testing.TB) (*Contract, *time.Location) {
	t.Helper()
	return mustLoad(t, acmeFile), mustZone(t, "Europe/Paris")
}

// §1. Parties and term: 2027-01-01 to 2029-12-31, in Europe/Paris, in
// euros, measured by calendar month.
func TestAcmePartiesAndTerm(t *testing.T) {
	c, paris := loadAcme(t)
	if c.Name() != "ACME Industrie — managed services 2027-2029" {
		t.Errorf("name %q", c.Name())
	}
	if c.Parties() != (Parties{Client: "ACME Industrie SA", Provider: "the ESN"}) {
		t.Errorf("parties %+v", c.Parties())
	}
	equalTime(t, "start", c.Start(), time.Date(2027, 1, 1, 0, 0, 0, 0, paris))
	equalTime(t, "end", c.End(), time.Date(2030, 1, 1, 0, 0, 0, 0, paris))
	// Midnight in Paris, not in UTC: 23:00 UTC the day before.
	if got := c.Start().UTC(); got != time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC) {
		t.Errorf("start in UTC %s", got)
	}
	if c.Currency() != "EUR" || c.Location().String() != "Europe/Paris" || c.Locale() != "fr" || c.Period() != Month {
		t.Errorf("currency %q, zone %s, locale %q, period %s", c.Currency(), c.Location(), c.Locale(), c.Period())
	}
	// Three contract years.
	checkContractYears(t, c, []yearAt{
		{time.Date(2027, 1, 1, 0, 0, 0, 0, paris), 1},
		{time.Date(2027, 12, 31, 23, 59, 59, 0, paris), 1},
		{time.Date(2028, 1, 1, 0, 0, 0, 0, paris), 2},
		{time.Date(2029, 12, 31, 23, 59, 59, 0, paris), 3},
		{time.Date(2030, 1, 1, 0, 0, 0, 0, paris), 4},
		{time.Date(2026, 12, 31, 23, 59, 59, 0, paris), 0},
	})
	if n := len(c.Periods(Month, c.Start(), c.End())); n != 36 {
		t.Errorf("%d months in the term, want 36", n)
	}
}

// §2. Service calendars.
func TestAcmeCalendars(t *testing.T) {
	c, paris := loadAcme(t)
	want := []string{"24x7", "HE", "HNO", "HO", "HO-Strasbourg"}
	if got := c.CalendarNames(); !slices.Equal(got, want) {
		t.Fatalf("calendars %v, want %v", got, want)
	}
	cals := map[string]*calendar.Calendar{}
	for _, name := range want {
		cals[name], _ = c.Calendar(name)
		if cals[name].Location().String() != "Europe/Paris" {
			t.Errorf("%s is in %s, want Europe/Paris", name, cals[name].Location())
		}
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, paris) }
	tests := []struct {
		what string
		at   time.Time
		open map[string]bool // by calendar; calendars not named are not checked
	}{
		{"Tuesday 08:00", at(2027, 3, 2, 8, 0), map[string]bool{"HO": true, "HO-Strasbourg": true, "HE": true, "24x7": true}},
		{"Tuesday 07:59", at(2027, 3, 2, 7, 59), map[string]bool{"HO": false, "HE": true}},
		{"Tuesday 07:00", at(2027, 3, 2, 7, 0), map[string]bool{"HE": true}},
		{"Tuesday 06:59", at(2027, 3, 2, 6, 59), map[string]bool{"HE": false, "24x7": true}},
		{"Tuesday 12:30, lunch", at(2027, 3, 2, 12, 30), map[string]bool{"HO": false, "HO-Strasbourg": false, "HE": true}},
		{"Tuesday 13:30", at(2027, 3, 2, 13, 30), map[string]bool{"HO": true}},
		{"Tuesday 18:00", at(2027, 3, 2, 18, 0), map[string]bool{"HO": false, "HE": true}},
		{"Tuesday 20:00", at(2027, 3, 2, 20, 0), map[string]bool{"HE": false}},
		{"Saturday 10:00", at(2027, 3, 6, 10, 0), map[string]bool{"HO": false, "HE": true, "24x7": true}},
		{"Sunday 10:00", at(2027, 3, 7, 10, 0), map[string]bool{"HO": false, "HE": false, "24x7": true}},
		{"24 December 13:59", at(2027, 12, 24, 13, 59), map[string]bool{"HO": true, "HO-Strasbourg": true}},
		{"24 December 14:00", at(2027, 12, 24, 14, 0), map[string]bool{"HO": false, "HO-Strasbourg": false, "HE": true}},
		{"31 December 14:00", at(2027, 12, 31, 14, 0), map[string]bool{"HO": false, "HO-Strasbourg": false, "HE": true}},
		{"31 December 2029 10:00", at(2029, 12, 31, 10, 0), map[string]bool{"HO": true}},
		{"Good Friday 2027", at(2027, 3, 26, 10, 0), map[string]bool{"HO": true, "HO-Strasbourg": false, "HE": true}},
		{"Good Friday 2028", at(2028, 4, 14, 10, 0), map[string]bool{"HO": true, "HO-Strasbourg": false}},
		{"26 December 2028, a Tuesday", at(2028, 12, 26, 10, 0), map[string]bool{"HO": true, "HO-Strasbourg": false, "HE": true}},
		{"14 July 2027, a Wednesday", at(2027, 7, 14, 10, 0), map[string]bool{"HO": false, "HO-Strasbourg": false, "HE": false, "24x7": true}},
		{"1 May 2027, a Saturday", at(2027, 5, 1, 10, 0), map[string]bool{"HE": false}},
		{"Ascension 2027", at(2027, 5, 6, 10, 0), map[string]bool{"HO": false, "HE": false}},
		{"Easter Monday 2028", at(2028, 4, 17, 10, 0), map[string]bool{"HO": false, "HO-Strasbourg": false}},
		{"the hour skipped by DST", at(2027, 3, 28, 2, 30), map[string]bool{"24x7": true, "HE": false}},
	}
	for _, tt := range tests {
		for name, want := range tt.open {
			if got := cals[name].IsOpen(tt.at); got != want {
				t.Errorf("%s: %s open = %v, want %v", tt.what, name, got, want)
			}
		}
	}
	// HNO is the complement of HO, every quarter of an hour of the term.
	for t0 := c.Start(); t0.Before(c.End()); t0 = t0.Add(15 * time.Minute) {
		if cals["HO"].IsOpen(t0) == cals["HNO"].IsOpen(t0) {
			t.Fatalf("at %s HO and HNO are both %v", t0, cals["HO"].IsOpen(t0))
		}
	}
	// Open time.
	between := []struct {
		cal      string
		from, to time.Time
		want     time.Duration
	}{
		{"HO", at(2027, 3, 1, 0, 0), at(2027, 3, 8, 0, 0), 45 * time.Hour},    // a plain week: 5 × 9 h
		{"HE", at(2027, 3, 1, 0, 0), at(2027, 3, 8, 0, 0), 78 * time.Hour},    // 6 × 13 h
		{"HO", at(2027, 12, 24, 0, 0), at(2027, 12, 25, 0, 0), 5 * time.Hour}, // 08:00-12:30 and 13:30-14:00
		{"HNO", at(2027, 3, 1, 0, 0), at(2027, 3, 8, 0, 0), 168*time.Hour - 45*time.Hour},
		{"24x7", at(2027, 3, 28, 0, 0), at(2027, 3, 29, 0, 0), 23 * time.Hour}, // the spring DST day
		{"24x7", at(2027, 10, 31, 0, 0), at(2027, 11, 1, 0, 0), 25 * time.Hour},
		{"HO-Strasbourg", at(2027, 3, 22, 0, 0), at(2027, 3, 29, 0, 0), 36 * time.Hour}, // the week of Good Friday
		{"HO", at(2027, 3, 22, 0, 0), at(2027, 3, 29, 0, 0), 45 * time.Hour},
	}
	for _, tt := range between {
		if got := cals[tt.cal].Between(tt.from, tt.to); got != tt.want {
			t.Errorf("%s.Between(%s, %s) = %s, want %s", tt.cal, tt.from, tt.to, got, tt.want)
		}
	}
}

// §3. Work units and prices.
func TestAcmeWorkUnits(t *testing.T) {
	c, paris := loadAcme(t)
	type band struct{ upTo, price string }
	tests := []struct {
		id, name     string
		price, fixed string
		bands        []band
		given        bool
		source       Source
		where        string
	}{
		{id: "UO-TEL", name: "Call answered at the service desk", price: "4.20", source: Calls, where: "answered"},
		{id: "UO-TKT", name: "Ticket resolved at level 1", bands: []band{{"1500", "11.00"}, {"3000", "9.50"}, {"0", "8.20"}}, source: Tickets, where: "level == 1"},
		{id: "UO-POSTE", name: "Managed workstation (count reported monthly)", price: "17.50", given: true},
		{id: "UO-SRV", name: "Managed server (count reported monthly)", price: "140.00", given: true},
		{id: "FORFAIT-APP", name: "Application operations (ERP and e-mail)", fixed: "18000.00"},
	}
	units := c.WorkUnits()
	if len(units) != len(tests) {
		t.Fatalf("%d work units, want %d", len(units), len(tests))
	}
	for i, tt := range tests {
		u := units[i]
		if u.ID != tt.id || u.Name != tt.name {
			t.Errorf("work unit %d = %s %q, want %s %q", i, u.ID, u.Name, tt.id, tt.name)
			continue
		}
		if tt.price != "" {
			equalDec(t, u.ID+" price", u.Price, dec(tt.price))
		}
		if tt.fixed != "" {
			equalDec(t, u.ID+" fixed", u.Fixed, dec(tt.fixed))
			if !u.IsFixed() {
				t.Errorf("%s is not a fixed fee", u.ID)
			}
		} else if u.IsFixed() || !u.Fixed.IsZero() {
			t.Errorf("%s is a fixed fee", u.ID)
		}
		if len(u.Bands) != len(tt.bands) {
			t.Errorf("%s has %d bands, want %d", u.ID, len(u.Bands), len(tt.bands))
		}
		for j, b := range tt.bands {
			if j < len(u.Bands) && (!u.Bands[j].UpTo.Equal(dec(b.upTo)) || !u.Bands[j].Price.Equal(dec(b.price))) {
				t.Errorf("%s band %d = %+v, want %+v", u.ID, j, u.Bands[j], b)
			}
		}
		if u.Volume.Given != tt.given || u.Volume.Source != tt.source || u.Volume.Where.Text != tt.where {
			t.Errorf("%s volume = %+v, want given %v, source %q, where %q", u.ID, u.Volume, tt.given, tt.source, tt.where)
		}
		if tt.source != "" && (u.Volume.Where.IsZero() || u.Volume.By.IsZero()) {
			t.Errorf("%s volume is not compiled", u.ID)
		}
	}
	// Counted volumes: a call counts when answered, a ticket when resolved at level 1.
	tkt, _ := c.WorkUnit("UO-TKT")
	where := Program[dsl.Ticket](tkt.Volume.Where)
	for level, want := range map[int]bool{1: true, 2: false} {
		got, err := dsl.EvalAs[bool](where, &dsl.Ticket{Ticket: &pacte.Ticket{Level: level}})
		if err != nil || got != want {
			t.Errorf("UO-TKT counts a level %d ticket: %v, %v", level, got, err)
		}
	}
	equalText(t, "UO-TKT counted by", tkt.Volume.By, "resolved")
	tel, _ := c.WorkUnit("UO-TEL")
	answered := Program[dsl.Call](tel.Volume.Where)
	offered := time.Date(2027, 3, 2, 10, 0, 0, 0, paris)
	for _, call := range []struct {
		c    pacte.Call
		want bool
	}{{pacte.Call{Offered: offered, Answered: offered.Add(20 * time.Second)}, true}, {pacte.Call{Offered: offered, Abandoned: true}, false}} {
		env := dsl.NewCall(&call.c)
		if got, err := dsl.EvalAs[bool](answered, &env); err != nil || got != call.want {
			t.Errorf("UO-TEL counts %+v: %v, %v", call.c, got, err)
		}
	}

	// Revision: P = P0 × (0.15 + 0.85 × S / S0), S0 = Syntec of
	// September 2026, S = the September before each 1 January from 2028,
	// rounded to the cent; every work unit.
	r, ok := c.Revision()
	if !ok {
		t.Fatal("no revision")
	}
	if r.Index != "Syntec" || r.Base != "2026-09" || r.ReferenceMonth != time.September || len(r.Units) != 0 {
		t.Errorf("revision %+v", r)
	}
	equalDec(t, "fixed part", r.Fixed, dec("0.15"))
	equalDec(t, "indexed part", r.Indexed, dec("0.85"))
	equalDec(t, "rounding", r.Rounding, dec("0.01"))
	equalTime(t, "from", r.From, time.Date(2028, 1, 1, 0, 0, 0, 0, paris))
}

// §4. Service levels: every rule.
func TestAcmeRules(t *testing.T) {
	c, _ := loadAcme(t)
	type comp struct {
		form               Form
		when, amount, item string
		tiers              []string // range: amount
	}
	type want struct {
		id, name    string
		source      Source
		scope       string
		attribution string
		clock       string // calendar: start → stop
		deadline    string
		measure     MeasureKind
		op          string
		threshold   string
		small       string // below: measure op threshold
		penalty     []comp
		bonus       []comp
		cap         string
		exclusions  []string
		short       time.Duration
	}
	ticketExclusions := []string{"caused by the client", "force majeure", "out of scope"}
	serviceDesk := `fee("UO-TEL", "UO-TKT")`
	rules := []want{
		{id: "TEL-ANSWER", name: "Answer rate (taux de décroché)", source: Calls, scope: `is_open("HO", offered)`, attribution: "offered",
			measure: MeasureAnswerRate, op: ">=", threshold: "0.9", short: 10 * time.Second,
			penalty: []comp{{form: FormPerPoint, amount: "1% * " + serviceDesk}}, cap: "5% * " + serviceDesk},
		{id: "TEL-SL", name: "Service level, calls answered within 60 s", source: Calls, scope: `is_open("HO", offered)`, attribution: "offered",
			measure: MeasureServiceLevel, op: ">=", threshold: "0.8",
			penalty: []comp{{form: FormAmount, amount: "500.00"}}},
		{id: "TEL-ABANDON", name: "Abandon rate", source: Calls, scope: `is_open("HO", offered)`, attribution: "offered",
			measure: MeasureAbandonRate, op: "<=", threshold: "0.08", short: 10 * time.Second,
			penalty: []comp{{form: FormAmount, amount: "300.00"}}},
		{id: "FCR", name: "First-contact resolution", source: Calls, scope: "answered", attribution: "offered",
			measure: MeasureShare, op: ">=", threshold: "0.65",
			bonus: []comp{{form: FormAmount, when: "achieved >= 75%", amount: "1% * " + serviceDesk}}},
		{id: "INC-P1", name: "P1 incidents restored within 4 hours of HE time", source: Tickets, scope: `kind == "incident" && priority == "P1"`,
			attribution: "resolved", clock: "HE: opened → resolved", deadline: "4h", measure: MeasureShare, op: ">=", threshold: "0.95",
			small: "20: missed <= 1", exclusions: ticketExclusions,
			penalty: []comp{{form: FormAmount, amount: "3% * invoice"},
				{form: FormPerItem, when: "true", item: "elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0"}}},
		{id: "INC-P2", name: "P2 incidents restored within 8 hours of HO time", source: Tickets, scope: `kind == "incident" && priority == "P2"`,
			attribution: "resolved", clock: "HO: opened → resolved", deadline: "8h", measure: MeasureShare, op: ">=", threshold: "0.9",
			exclusions: ticketExclusions,
			penalty:    []comp{{form: FormTiers, tiers: []string{"[85%, 90%): 1% * invoice", "[80%, 85%): 2% * invoice", "[0%, 80%): 4% * invoice"}}}},
		{id: "INC-P3", name: "P3 incidents resolved by the end of the third HO open day", source: Tickets, scope: `kind == "incident" && priority == "P3"`,
			attribution: "resolved", clock: "HO: opened → resolved", deadline: "end_of_open_day(3)", measure: MeasureShare, op: ">=", threshold: "0.9",
			exclusions: ticketExclusions, penalty: []comp{{form: FormAmount, amount: "1000.00"}}},
		{id: "ACK", name: "P1 and P2 incidents acknowledged within 30 minutes of HE time", source: Tickets, scope: `kind == "incident" && priority in ["P1", "P2"]`,
			attribution: "resolved", clock: "HE: opened → acknowledged", deadline: "30min", measure: MeasureShare, op: ">=", threshold: "0.98",
			exclusions: ticketExclusions, penalty: []comp{{form: FormAmount, amount: "400.00"}}},
		{id: "REQ", name: "Standard requests fulfilled within 45 hours of HO time", source: Tickets, scope: `kind == "request" && category == "standard"`,
			attribution: "resolved", clock: "HO: opened → resolved", deadline: "45h", measure: MeasureShare, op: ">=", threshold: "0.9",
			exclusions: ticketExclusions, penalty: []comp{{form: FormPerMissed, amount: "20.00"}}, cap: "2000.00"},
		{id: "REOPEN", name: "Incidents reopened within 10 calendar days of resolution", source: Tickets, scope: `kind == "incident"`,
			attribution: "resolved", measure: MeasureShare, op: "<=", threshold: "0.05",
			exclusions: ticketExclusions, penalty: []comp{{form: FormPerPoint, amount: "250.00"}}},
		{id: "CSAT", name: "Mean satisfaction score of the surveys returned in the month", source: Samples, scope: `name == "csat"`,
			attribution: "at", measure: MeasureMean, op: ">=", threshold: "4", small: "30: none",
			penalty: []comp{{form: FormAmount, when: "achieved < 3.5", amount: "1000.00"}},
			bonus:   []comp{{form: FormAmount, when: "achieved >= 4.5", amount: "1000.00"}}},
		{id: "RCA", name: "Root-cause report within 10 HO open days of the P1 incident's restoration", source: Tickets,
			scope: `kind == "problem" && link("incident").priority == "P1"`, attribution: "stop",
			clock: `HO: link("incident").resolved → entered("known error")`, deadline: "end_of_open_day(10)",
			measure: MeasureShare, op: ">=", threshold: "1", exclusions: ticketExclusions,
			penalty: []comp{{form: FormPerMissed, amount: "500.00"}}},
		{id: "AVAIL-ERP", name: "ERP availability during HE", source: Outages, scope: `service == "ERP"`, attribution: "start",
			measure: MeasureAvailability, op: ">=", threshold: "0.995", exclusions: []string{"announced maintenance"},
			penalty: []comp{{form: FormTiers, tiers: []string{
				`[99.0%, 99.5%): 5% * fee("FORFAIT-APP")`, `[98.0%, 99.0%): 10% * fee("FORFAIT-APP")`, `[0%, 98.0%): 20% * fee("FORFAIT-APP")`}}}},
		{id: "AVAIL-MAIL", name: "E-mail availability, 24x7", source: Outages, scope: `service == "e-mail"`, attribution: "start",
			measure: MeasureAvailability, op: ">=", threshold: "0.999", exclusions: []string{"announced maintenance"},
			penalty: []comp{{form: FormAmount, amount: `2% * fee("FORFAIT-APP")`}}},
	}
	got := c.Rules()
	if len(got) != len(rules) {
		t.Fatalf("%d rules, want %d", len(got), len(rules))
	}
	comps := func(t *testing.T, what string, got []Component, want []comp) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d components, want %d", what, len(got), len(want))
			return
		}
		for i, w := range want {
			g := got[i]
			var tiers []string
			for _, tr := range g.Tiers {
				tiers = append(tiers, tr.Range.Text+": "+tr.Amount.Text)
				if tr.Amount.IsZero() {
					t.Errorf("%s: tier %s not compiled", what, tr.Range.Text)
				}
			}
			if g.Form != w.form || g.When.Text != w.when || g.Amount.Text != w.amount || g.Item.Text != w.item || !slices.Equal(tiers, w.tiers) || !g.Max.IsZero() {
				t.Errorf("%s %d = %s when %q amount %q item %q tiers %q max %q; want %+v", what, i, g.Form, g.When.Text, g.Amount.Text, g.Item.Text, tiers, g.Max.Text, w)
			}
		}
	}
	for i, w := range rules {
		r := got[i]
		t.Run(w.id, func(t *testing.T) {
			if r.ID != w.id || r.Name != w.name || r.Clause != "§4 "+w.id || r.Source != w.source || r.Period != Month {
				t.Fatalf("rule %d = %s %q (%s), %s, %s; want %s %q, %s, month", i, r.ID, r.Name, r.Clause, r.Source, r.Period, w.id, w.name, w.source)
			}
			equalText(t, "scope", r.Scope, w.scope)
			equalText(t, "attribution", r.Attribution, w.attribution)
			clock := ""
			if r.Clock != nil {
				clock = r.Clock.Calendar + ": " + r.Clock.Start.Text + " → " + r.Clock.Stop.Text
				if r.Clock.Cal == nil || r.Clock.Start.IsZero() || r.Clock.Stop.IsZero() {
					t.Errorf("clock %s not compiled", clock)
				}
				// Time in "waiting for client" does not count (§4).
				equalText(t, "pause_when", r.Clock.PauseWhen, `status == "waiting for client"`)
			}
			if clock != w.clock {
				t.Errorf("clock %q, want %q", clock, w.clock)
			}
			deadline := ""
			if r.Deadline != nil {
				deadline = r.Deadline.Text
			}
			if deadline != w.deadline {
				t.Errorf("deadline %q, want %q", deadline, w.deadline)
			}
			o := r.Objective
			if o.Measure != w.measure || o.Op != w.op || o.Threshold.String() != w.threshold {
				t.Errorf("objective %q = %s %s %s, want %s %s %s", o.Text, o.Measure, o.Op, o.Threshold, w.measure, w.op, w.threshold)
			}
			small := ""
			if sv := r.SmallVolume; sv != nil {
				small = sv.Objective.Text
				if sv.Objective.Measure != MeasureNone {
					small = string(sv.Objective.Measure) + " " + sv.Objective.Op + " " + sv.Objective.Threshold.String()
				}
				small = strconv.Itoa(sv.Below) + ": " + small
			}
			if small != w.small {
				t.Errorf("small volume %q, want %q", small, w.small)
			}
			comps(t, "penalty", r.Penalty, w.penalty)
			comps(t, "bonus", r.Bonus, w.bonus)
			if r.Cap.Text != w.cap {
				t.Errorf("cap %q, want %q", r.Cap.Text, w.cap)
			}
			var reasons []string
			for _, e := range r.Exclusions {
				reasons = append(reasons, e.Reason)
			}
			if !slices.Equal(reasons, w.exclusions) {
				t.Errorf("exclusions %q, want %q", reasons, w.exclusions)
			}
			if r.ShortAbandon != w.short {
				t.Errorf("short_abandon %s, want %s", r.ShortAbandon, w.short)
			}
		})
	}

	// The details the table above does not show.
	if o := mustRule(t, c, "TEL-SL").Objective; o.Within != 60*time.Second || o.Variant != SLAnswered {
		t.Errorf("TEL-SL: within %s of variant %q, want 60s of answered calls", o.Within, o.Variant)
	}
	if d := mustRule(t, c, "INC-P1").Deadline; d.Open != 4*time.Hour {
		t.Errorf("INC-P1 deadline %s of open time", d.Open)
	}
	if d := mustRule(t, c, "INC-P3").Deadline; d.OpenDays != 3 || d.Open != 0 {
		t.Errorf("INC-P3 deadline %+v, want the end of the third open day", d)
	}
	if d := mustRule(t, c, "RCA").Deadline; d.OpenDays != 10 {
		t.Errorf("RCA deadline %+v, want the end of the tenth open day", d)
	}
	if d := mustRule(t, c, "REQ").Deadline; d.Open != 45*time.Hour {
		t.Errorf("REQ deadline %+v, want 45 h of open time", d)
	}
	for id, cal := range map[string]string{"AVAIL-ERP": "HE", "AVAIL-MAIL": "24x7"} {
		a := mustRule(t, c, id).Availability
		if a == nil || a.Calendar != cal || a.Cal == nil || a.MinOutage != 2*time.Minute {
			t.Errorf("%s availability %+v, want %s, outages of 2 min or more", id, a, cal)
		}
	}
}

// The rules' expressions run as the contract says.
func TestAcmeRuleExpressions(t *testing.T) {
	c, paris := loadAcme(t)
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2027, m, d, h, min, 0, 0, paris) }

	// TEL-*: calls offered during HO.
	scope := Program[dsl.Call](mustRule(t, c, "TEL-ANSWER").Scope)
	for _, tt := range []struct {
		offered time.Time
		want    bool
	}{{at(3, 2, 10, 0), true}, {at(3, 2, 12, 45), false}, {at(3, 6, 10, 0), false}, {at(12, 24, 15, 0), false}} {
		env := dsl.NewCall(&pacte.Call{ID: "C1", Offered: tt.offered})
		if got, err := dsl.EvalAs[bool](scope, &env); err != nil || got != tt.want {
			t.Errorf("TEL-ANSWER counts a call offered %s: %v, %v; want %v", tt.offered, got, err, tt.want)
		}
	}

	// INC-P1: 150.00 per started HE hour beyond 8.
	perItem := Program[dsl.Ticket](mustRule(t, c, "INC-P1").Penalty[1].Item)
	for elapsed, want := range map[time.Duration]string{8 * time.Hour: "0", 8*time.Hour + time.Minute: "150", 10 * time.Hour: "300", 10*time.Hour + time.Second: "450"} {
		got, err := dsl.EvalAs[decimal.Decimal](perItem, &dsl.Ticket{Ticket: &pacte.Ticket{ID: "T1"}, Clock: dsl.Clock{Elapsed: elapsed}})
		if err != nil {
			t.Fatal(err)
		}
		equalDec(t, "INC-P1 per item after "+elapsed.String(), got, dec(want))
	}

	// INC-P1, INC-P2: scopes.
	for id, want := range map[string]string{"INC-P1": "P1", "INC-P2": "P2", "INC-P3": "P3"} {
		p := Program[dsl.Ticket](mustRule(t, c, id).Scope)
		for _, prio := range []string{"P1", "P2", "P3"} {
			for _, kind := range []string{"incident", "request"} {
				got, err := dsl.EvalAs[bool](p, &dsl.Ticket{Ticket: &pacte.Ticket{Kind: kind, Priority: prio}})
				if err != nil || got != (prio == want && kind == "incident") {
					t.Errorf("%s counts a %s %s: %v, %v", id, prio, kind, got, err)
				}
			}
		}
	}

	// Exclusions of tickets: by the tool's exclusion flag.
	excl := mustRule(t, c, "INC-P2").Exclusions
	for i, flag := range []string{"client", "force majeure", "out of scope"} {
		p := Program[dsl.Ticket](excl[i].When)
		for _, other := range []string{"client", "force majeure", "out of scope", ""} {
			got, err := dsl.EvalAs[bool](p, &dsl.Ticket{Ticket: &pacte.Ticket{Exclusion: other}})
			if err != nil || got != (other == flag) {
				t.Errorf("exclusion %q of a ticket flagged %q: %v, %v", excl[i].Reason, other, got, err)
			}
		}
	}

	// Pauses: the status "waiting for client".
	pause := Program[dsl.StatusChange](mustRule(t, c, "INC-P1").Clock.PauseWhen)
	for status, want := range map[string]bool{"waiting for client": true, "in progress": false} {
		got, err := dsl.EvalAs[bool](pause, &dsl.StatusChange{StatusChange: &pacte.StatusChange{Status: status}})
		if err != nil || got != want {
			t.Errorf("pause in %q: %v, %v", status, got, err)
		}
	}

	// AVAIL-*: planned outages announced at least 5 HO open days ahead
	// (open days strictly between the day of the announcement and the day
	// of the outage) are excluded.
	maint := Program[dsl.Outage](mustRule(t, c, "AVAIL-ERP").Exclusions[0].When)
	for _, tt := range []struct {
		planned         bool
		announced, from time.Time
		want            bool
	}{
		{true, at(3, 1, 9, 0), at(3, 8, 22, 0), false}, // Monday to Monday: 4 open days between
		{true, at(3, 1, 9, 0), at(3, 9, 22, 0), true},  // Monday to Tuesday: 5
		{false, at(3, 1, 9, 0), at(3, 9, 22, 0), false},
		{true, at(5, 3, 9, 0), at(5, 11, 22, 0), false}, // Ascension Thursday is not an HO day: 4
	} {
		env := dsl.NewOutage(&pacte.Outage{ID: "O1", Service: "ERP", Planned: tt.planned, Announced: tt.announced, Start: tt.from, End: tt.from.Add(time.Hour)})
		if got, err := dsl.EvalAs[bool](maint, &env); err != nil || got != tt.want {
			t.Errorf("maintenance announced %s for %s (planned %v) excluded: %v, %v; want %v", tt.announced, tt.from, tt.planned, got, err, tt.want)
		}
	}

	// AVAIL-ERP: tiers as a share of FORFAIT-APP.
	fees := &dsl.Period[decimal.Decimal]{Fees: map[string]decimal.Decimal{"FORFAIT-APP": dec("18000.00"), "UO-TEL": dec("8400.00"), "UO-TKT": dec("32390.00")}, Invoice: dec("79265.00")}
	tiers := mustRule(t, c, "AVAIL-ERP").Penalty[0].Tiers
	for i, want := range []string{"900", "1800", "3600"} {
		got, err := dsl.EvalAs[decimal.Decimal](Program[dsl.Period[decimal.Decimal]](tiers[i].Amount), fees)
		if err != nil {
			t.Fatal(err)
		}
		equalDec(t, "AVAIL-ERP tier "+tiers[i].Range.Text, got, dec(want))
	}
	for v, tier := range map[string]int{"0.9949": 0, "0.99": 0, "0.9899": 1, "0.98": 1, "0.9799": 2, "0": 2} {
		val := Value{Type: dsl.Decimal, Decimal: dec(v)}
		for i, tr := range tiers {
			if tr.Range.Contains(val) != (i == tier) {
				t.Errorf("availability %s in tier %s: %v", v, tr.Range.Text, tr.Range.Contains(val))
			}
		}
	}
	// TEL-ANSWER: 1 % of the service desk invoice per point, at most 5 %.
	for _, tt := range []struct {
		e    Expr
		want string
	}{
		{mustRule(t, c, "TEL-ANSWER").Penalty[0].Amount, "407.9"},
		{mustRule(t, c, "TEL-ANSWER").Cap, "2039.5"},
		{mustRule(t, c, "INC-P1").Penalty[0].Amount, "2377.95"},
		{mustRule(t, c, "AVAIL-MAIL").Penalty[0].Amount, "360"},
	} {
		got, err := dsl.EvalAs[decimal.Decimal](Program[dsl.Period[decimal.Decimal]](tt.e), fees)
		if err != nil {
			t.Fatal(err)
		}
		equalDec(t, tt.e.Text, got, dec(tt.want))
	}
}

// §5. How penalties combine, in this order.
func TestAcmePipeline(t *testing.T) {
	c, paris := loadAcme(t)
	p := c.Pipeline()
	checkPipeline(t, p, pipelineWant{
		order: DefaultOrder,
		// 1. January to March 2027.
		observationUntil: time.Date(2027, 3, 31, 0, 0, 0, 0, paris),
		// 2. The first breach of each indicator in each contract year, except INC-P1.
		firstBreach: &FirstBreach{Per: ContractYear, Except: []string{"INC-P1"}},
		deMinimis:   nil,
		// 3. Doubled from the second consecutive month.
		repeat: &Repeat{Consecutive: 2, Factor: dec("2")},
		// 4. To the cent, half up.
		rounding: Rounding{To: dec("0.01"), Mode: HalfUp},
		// 5 to 7: caps and bonus netting, formulas over the invoice.
		monthCap: "10% * invoice",
		yearCap:  "6% * invoice",
		bonusCap: "2% * invoice",
		netting:  true,
	})
	equalDec(t, "rounded 2377.945", p.Rounding.Round(dec("2377.945")), dec("2377.95"))
	// The caps of a month invoiced 79,265.00.
	env := &dsl.Period[decimal.Decimal]{Invoice: dec("79265.00")}
	for _, tt := range []struct {
		what string
		e    Expr
		want string
	}{
		{"month cap", p.MonthCap, "7926.5"},
		{"contract year cap", p.YearCap, "4755.9"},
		{"bonus cap", p.BonusCap, "1585.3"},
	} {
		got, err := dsl.EvalAs[decimal.Decimal](Program[dsl.Period[decimal.Decimal]](tt.e), env)
		if err != nil {
			t.Fatal(err)
		}
		equalDec(t, tt.what, got, dec(tt.want))
	}
	// Rule caps (the rule_caps step): TEL-ANSWER and REQ.
	var capped []string
	for _, r := range c.Rules() {
		if !r.Cap.IsZero() {
			capped = append(capped, r.ID)
		}
	}
	if !slices.Equal(capped, []string{"TEL-ANSWER", "REQ"}) {
		t.Errorf("rules with a cap %v", capped)
	}
}
