package contract

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// TestGoodContractsLoad loads every contract of testdata that must load;
// the tests below check what each one loaded.
func TestGoodContractsLoad(t *testing.T) {
	files := goodFiles(t)
	if len(files) < 6 {
		t.Fatalf("%d good contracts in testdata, want at least 6", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c := mustLoad(t, path)
			if c.File() != path {
				t.Errorf("File() = %q, want %q", c.File(), path)
			}
			for _, r := range c.Rules() {
				if r.Objective.Measure == "" {
					t.Errorf("rule %s has no measure", r.ID)
				}
				if r.Pos.File != path || r.Pos.Line < 1 || r.Pos.Column < 1 {
					t.Errorf("rule %s at %s", r.ID, r.Pos)
				}
			}
		})
	}
}

func TestMinimalContract(t *testing.T) {
	c := mustLoad(t, "testdata/minimal.good.yaml")
	paris := mustZone(t, "Europe/Paris")
	if c.Name() != "Minimal" {
		t.Errorf("Name() = %q", c.Name())
	}
	if c.Parties() != (Parties{}) {
		t.Errorf("Parties() = %+v, want none", c.Parties())
	}
	equalTime(t, "Start()", c.Start(), time.Date(2027, 1, 1, 0, 0, 0, 0, paris))
	equalTime(t, "End()", c.End(), time.Date(2028, 1, 1, 0, 0, 0, 0, paris))
	if c.Currency() != "EUR" || c.Location().String() != "Europe/Paris" || c.Locale() != "" || c.Period() != Month {
		t.Errorf("currency %q, zone %s, locale %q, period %s; want the defaults EUR, Europe/Paris, \"\", month",
			c.Currency(), c.Location(), c.Locale(), c.Period())
	}
	if len(c.Rules()) != 0 || len(c.WorkUnits()) != 0 || len(c.CalendarNames()) != 0 || len(c.Indices()) != 0 {
		t.Errorf("rules %d, work units %d, calendars %d, indices %d; want none",
			len(c.Rules()), len(c.WorkUnits()), len(c.CalendarNames()), len(c.Indices()))
	}
	if _, ok := c.Revision(); ok {
		t.Error("a revision without a revision key")
	}
	p := c.Pipeline()
	if !slices.Equal(p.Order, DefaultOrder) {
		t.Errorf("order %v, want %v", p.Order, DefaultOrder)
	}
	equalDec(t, "rounding to", p.Rounding.To, dec("0.01"))
	if p.Rounding.Mode != HalfUp || !p.Netting {
		t.Errorf("rounding mode %q, netting %v; want half_up and netting", p.Rounding.Mode, p.Netting)
	}
	if p.Observation != nil || p.FirstBreach != nil || p.DeMinimis != nil || p.Repeat != nil {
		t.Errorf("pipeline %+v, want no observation, franchise or repeat", p)
	}
	if !p.MonthCap.IsZero() || !p.YearCap.IsZero() || !p.BonusCap.IsZero() {
		t.Error("caps without a caps key")
	}
	// The default rounding is to the cent, half away from zero.
	equalDec(t, "round 0.125", p.Rounding.Round(dec("0.125")), dec("0.13"))
	equalDec(t, "round -0.125", p.Rounding.Round(dec("-0.125")), dec("-0.13"))
}

func TestJSONContract(t *testing.T) {
	c := mustLoad(t, "testdata/json.good.json")
	zurich := mustZone(t, "Europe/Zurich")
	if c.Name() != "JSON form" || c.Parties() != (Parties{Client: "Client SA", Provider: "Provider SAS"}) {
		t.Errorf("name %q, parties %+v", c.Name(), c.Parties())
	}
	equalTime(t, "Start()", c.Start(), time.Date(2027, 1, 1, 0, 0, 0, 0, zurich))
	equalTime(t, "End()", c.End(), time.Date(2029, 1, 1, 0, 0, 0, 0, zurich))
	if c.Currency() != "CHF" {
		t.Errorf("currency %q", c.Currency())
	}
	ho, ok := c.Calendar("HO")
	if !ok {
		t.Fatal("no calendar HO")
	}
	// The calendar takes the contract's zone: 08:00 in Zurich.
	if !ho.IsOpen(time.Date(2027, 3, 2, 8, 0, 0, 0, zurich)) || ho.IsOpen(time.Date(2027, 3, 2, 7, 59, 0, 0, zurich)) {
		t.Error("HO is not open from 08:00 Zurich time")
	}
	// Holidays apply: Christmas 2028 is a Monday.
	if ho.IsOpen(time.Date(2028, 12, 25, 10, 0, 0, 0, zurich)) {
		t.Error("HO is open on Christmas day")
	}
	tkt, ok := c.WorkUnit("UO-TKT")
	if !ok {
		t.Fatal("no work unit UO-TKT")
	}
	equalDec(t, "UO-TKT price", tkt.Price, dec("12.5"))
	if tkt.Name != "Ticket" || tkt.IsFixed() || tkt.Volume.Given || tkt.Volume.Source != Tickets {
		t.Errorf("UO-TKT = %+v, want a counted volume of tickets", tkt)
	}
	equalText(t, "UO-TKT volume condition", tkt.Volume.Where, "level == 1")
	equalText(t, "UO-TKT volume attribution", tkt.Volume.By, "resolved")
	fixed, _ := c.WorkUnit("FORFAIT")
	if !fixed.IsFixed() {
		t.Errorf("FORFAIT = %+v, want a fixed fee", fixed)
	}
	equalDec(t, "FORFAIT fixed", fixed.Fixed, dec("9000"))

	r := mustRule(t, c, "INC-P1")
	equalText(t, "scope", r.Scope, `kind == "incident" && priority == "P1"`)
	if r.Clock == nil || r.Clock.Calendar != "HO" || r.Clock.Cal != ho || r.Deadline == nil || r.Deadline.Open != 4*time.Hour {
		t.Errorf("clock %+v, deadline %+v", r.Clock, r.Deadline)
	}
	if r.Objective.Measure != MeasureShare || r.Objective.Op != ">=" || !r.Objective.Threshold.Decimal.Equal(dec("0.95")) {
		t.Errorf("objective %+v", r.Objective)
	}
	if len(r.Penalty) != 1 || r.Penalty[0].Form != FormAmount {
		t.Fatalf("penalty %+v", r.Penalty)
	}
	equalText(t, "penalty", r.Penalty[0].Amount, "2% * invoice")
	// Positions of a JSON file are its lines too.
	if r.Objective.Pos.Line != 21 || r.Objective.Pos.Column != 20 {
		t.Errorf("objective at %s, want line 21, column 20", r.Objective.Pos)
	}

	p := c.Pipeline()
	if !p.Rounding.To.Equal(dec("0.05")) || p.Rounding.Mode != HalfEven {
		t.Errorf("rounding %+v", p.Rounding)
	}
	// To the nearest 0.05, ties to even: 0.125 is 2.5 steps, 0.175 is 3.5.
	equalDec(t, "round 0.125", p.Rounding.Round(dec("0.125")), dec("0.10"))
	equalDec(t, "round 0.175", p.Rounding.Round(dec("0.175")), dec("0.20"))
	equalDec(t, "round 0.17", p.Rounding.Round(dec("0.17")), dec("0.15"))
}

// TestPenaltyForms checks every form of penalty and bonus, and runs a
// few of their formulas.
func TestPenaltyForms(t *testing.T) {
	c := mustLoad(t, "testdata/penalties.good.yaml")
	type comp struct {
		form              Form
		when, amount, max string
		item              string
		tiers             int
	}
	tests := []struct {
		id      string
		penalty []comp
		bonus   []comp
		cap     string
	}{
		{id: "AMOUNT", penalty: []comp{{form: FormAmount, amount: "3% * invoice"}}},
		{id: "PER-POINT", penalty: []comp{{form: FormPerPoint, amount: `1% * fee("UO-TEL")`, max: `5% * fee("UO-TEL")`}}},
		{id: "PER-MISSED", penalty: []comp{{form: FormPerMissed, amount: "20.00"}}, cap: "2000.00"},
		{id: "PER-ITEM", penalty: []comp{
			{form: FormAmount, amount: "3% * invoice"},
			{form: FormPerItem, when: "true", item: "elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0"},
			{form: FormAmount, when: "consecutive >= 3", amount: "500.00"},
		}},
		{id: "TIERS", penalty: []comp{{form: FormTiers, tiers: 3}}},
		{id: "TIERS-HIGH-SIDE", penalty: []comp{{form: FormTiers, tiers: 3}}},
		{id: "COUNT-TIERS", penalty: []comp{{form: FormTiers, tiers: 2}}},
		{id: "DURATION-TIERS", penalty: []comp{{form: FormTiers, tiers: 2}}},
		{id: "BONUS-MALUS",
			penalty: []comp{{form: FormAmount, when: "achieved < 3.5", amount: "1000.00"}},
			bonus:   []comp{{form: FormAmount, when: "achieved >= 4.5", amount: "1000.00"}}},
	}
	check := func(t *testing.T, what string, got []Component, want []comp) {
		if len(got) != len(want) {
			t.Fatalf("%s: %d components, want %d", what, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Form != w.form || g.When.Text != w.when || g.Amount.Text != w.amount || g.Max.Text != w.max || g.Item.Text != w.item || len(g.Tiers) != w.tiers {
				t.Errorf("%s %d = form %s, when %q, amount %q, max %q, item %q, %d tiers; want %+v",
					what, i, g.Form, g.When.Text, g.Amount.Text, g.Max.Text, g.Item.Text, len(g.Tiers), w)
			}
			for _, e := range []Expr{g.When, g.Amount, g.Max, g.Item} {
				if e.Text != "" && e.IsZero() {
					t.Errorf("%s %d: %q is not compiled", what, i, e.Text)
				}
			}
			for j, tier := range g.Tiers {
				if tier.Amount.IsZero() {
					t.Errorf("%s %d, tier %d: amount %q not compiled", what, i, j, tier.Amount.Text)
				}
			}
			if g.Pos.Line < 1 {
				t.Errorf("%s %d has no position", what, i)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r := mustRule(t, c, tt.id)
			check(t, "penalty", r.Penalty, tt.penalty)
			check(t, "bonus", r.Bonus, tt.bonus)
			if r.Cap.Text != tt.cap {
				t.Errorf("cap %q, want %q", r.Cap.Text, tt.cap)
			}
		})
	}

	t.Run("tier ranges", func(t *testing.T) {
		pct := func(s string) Value { return Value{Type: dsl.Decimal, Decimal: dec(s)} }
		avail := mustRule(t, c, "TIERS").Penalty[0].Tiers
		high := mustRule(t, c, "TIERS-HIGH-SIDE").Penalty[0].Tiers
		counts := mustRule(t, c, "COUNT-TIERS").Penalty[0].Tiers
		durations := mustRule(t, c, "DURATION-TIERS").Penalty[0].Tiers
		tests := []struct {
			tier Tier
			v    Value
			in   bool
		}{
			{avail[0], pct("0.99"), true}, // [99.0%, 99.5%)
			{avail[0], pct("0.995"), false},
			{avail[0], pct("0.9949999"), true},
			{avail[1], pct("0.99"), false}, // [98.0%, 99.0%)
			{avail[1], pct("0.98"), true},
			{avail[2], pct("0"), true}, // (-inf, 98.0%)
			{avail[2], pct("-1"), true},
			{avail[2], pct("0.98"), false},
			{high[0], pct("0.01"), false}, // (1%, 2%]
			{high[0], pct("0.02"), true},
			{high[1], pct("0.02"), false}, // (2%, 5%]
			{high[2], pct("0.05"), false}, // (5%, inf)
			{high[2], pct("1"), true},
			{counts[0], Value{Type: dsl.Int, Int: 3}, false}, // [4, 6)
			{counts[0], Value{Type: dsl.Int, Int: 4}, true},
			{counts[0], Value{Type: dsl.Int, Int: 6}, false},
			{counts[1], Value{Type: dsl.Int, Int: 600}, true},                            // [6, inf)
			{durations[0], Value{Type: dsl.Duration, Duration: 30 * time.Second}, false}, // (30s, 1min]
			{durations[0], Value{Type: dsl.Duration, Duration: time.Minute}, true},
			{durations[1], Value{Type: dsl.Duration, Duration: time.Minute}, false}, // (1min, inf)
		}
		for _, tt := range tests {
			if got := tt.tier.Range.Contains(tt.v); got != tt.in {
				t.Errorf("%s contains %s = %v, want %v", tt.tier.Range.Text, tt.v, got, tt.in)
			}
		}
		r := avail[2].Range
		if !r.LowUnbounded || r.HighUnbounded || r.LowInclusive || r.HighInclusive || !r.High.Decimal.Equal(dec("0.98")) {
			t.Errorf("(-inf, 98.0%%) = %+v", r)
		}
	})

	t.Run("formulas run", func(t *testing.T) {
		// 150 per started hour beyond 8 h: 9 h 30 min late by 1 h 30 min is 2 started hours.
		item := Program[dsl.Ticket](mustRule(t, c, "PER-ITEM").Penalty[1].Item)
		for _, tt := range []struct {
			elapsed time.Duration
			want    string
		}{{8 * time.Hour, "0"}, {8*time.Hour + time.Second, "150"}, {9*time.Hour + 30*time.Minute, "300"}} {
			got, err := dsl.EvalAs[decimal.Decimal](item, &dsl.Ticket{Ticket: &pacte.Ticket{ID: "T1"}, Clock: dsl.Clock{Elapsed: tt.elapsed}})
			if err != nil {
				t.Fatal(err)
			}
			equalDec(t, "per item at "+tt.elapsed.String(), got, dec(tt.want))
		}
		// A tier of a duration measure sees a duration shortfall: 10 per started second.
		tier := Program[dsl.Period[time.Duration]](mustRule(t, c, "DURATION-TIERS").Penalty[0].Tiers[0].Amount)
		got, err := dsl.EvalAs[decimal.Decimal](tier, &dsl.Period[time.Duration]{Achieved: 42500 * time.Millisecond, Objective: 30 * time.Second, Shortfall: 12500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		equalDec(t, "duration tier", got, dec("130"))
		// A tier of a count sees integers.
		count := Program[dsl.Period[int]](mustRule(t, c, "COUNT-TIERS").Penalty[0].Tiers[0].Amount)
		got, err = dsl.EvalAs[decimal.Decimal](count, &dsl.Period[int]{Achieved: 5, Objective: 3})
		if err != nil {
			t.Fatal(err)
		}
		equalDec(t, "count tier", got, dec("200"))
		// fee() reads the period's fees.
		perPoint := mustRule(t, c, "PER-POINT").Penalty[0]
		env := &dsl.Period[decimal.Decimal]{Fees: map[string]decimal.Decimal{"UO-TEL": dec("8400.00"), "FORFAIT-APP": dec("18000")}}
		for _, tt := range []struct {
			e    Expr
			want string
		}{{perPoint.Amount, "84.0000"}, {perPoint.Max, "420.0000"}} {
			got, err := dsl.EvalAs[decimal.Decimal](Program[dsl.Period[decimal.Decimal]](tt.e), env)
			if err != nil {
				t.Fatal(err)
			}
			equalDec(t, tt.e.Text, got, dec(tt.want))
		}
	})
}

// TestObjectiveMeasures checks every measure of objectives.
func TestObjectiveMeasures(t *testing.T) {
	c := mustLoad(t, "testdata/measures.good.yaml")
	tests := []struct {
		id         string
		measure    MeasureKind
		op         string
		typ        dsl.Type
		threshold  string
		arg        string
		percentile int
		within     time.Duration
		variant    string
		unit       Unit
	}{
		{"SHARE", MeasureShare, ">=", dsl.Decimal, "0.9", "on_time", 0, 0, "", UnitRatio},
		{"COUNT", MeasureCount, "<=", dsl.Int, "3", `priority == "P1"`, 0, 0, "", UnitInteger},
		{"MET", MeasureMet, ">=", dsl.Int, "10", "", 0, 0, "", UnitInteger},
		{"MISSED", MeasureMissed, "<=", dsl.Int, "1", "", 0, 0, "", UnitInteger},
		{"MEAN", MeasureMean, "<=", dsl.Duration, "4h0m0s", "elapsed", 0, 0, "", UnitDuration},
		{"MEAN-INT", MeasureMean, "<=", dsl.Decimal, "1.5", "level", 0, 0, "", UnitNumber},
		{"MEDIAN", MeasureMedian, "<=", dsl.Duration, "20s", "wait", 50, 0, "", UnitDuration},
		{"P90", MeasurePercentile, "<=", dsl.Duration, "1m0s", "wait", 90, 0, "", UnitDuration},
		{"PERCENTILE", MeasurePercentile, "<=", dsl.Duration, "10m0s", "talk", 95, 0, "", UnitDuration},
		{"SUM", MeasureSum, "<=", dsl.Duration, "2h0m0s", "duration", 0, 0, "", UnitDuration},
		{"MIN", MeasureMin, ">=", dsl.Decimal, "2", "value", 0, 0, "", UnitNumber},
		{"MAX", MeasureMax, "<=", dsl.Decimal, "100", "value", 0, 0, "", UnitNumber},
		{"AVAILABILITY", MeasureAvailability, ">=", dsl.Decimal, "0.995", "", 0, 0, "", UnitRatio},
		{"ANSWER-RATE", MeasureAnswerRate, ">=", dsl.Decimal, "0.9", "", 0, 0, "", UnitRatio},
		{"ABANDON-RATE", MeasureAbandonRate, "<=", dsl.Decimal, "0.08", "", 0, 0, "", UnitRatio},
		{"SL-ANSWERED", MeasureServiceLevel, ">=", dsl.Decimal, "0.8", "", 0, 60 * time.Second, SLAnswered, UnitRatio},
		{"SL-OFFERED", MeasureServiceLevel, ">=", dsl.Decimal, "0.8", "", 0, 20 * time.Second, SLOffered, UnitRatio},
		{"SL-ABANDONS-IGNORED", MeasureServiceLevel, ">=", dsl.Decimal, "0.8", "", 0, 30 * time.Second, SLAbandonsIgnored, UnitRatio},
		{"SL-ABANDONS-MET", MeasureServiceLevel, ">", dsl.Decimal, "0.75", "", 0, time.Minute, SLAbandonsMet, UnitRatio},
		{"ASA", MeasureASA, "<=", dsl.Duration, "30s", "", 0, 0, "", UnitDuration},
		{"FCR", MeasureFCR, ">=", dsl.Decimal, "0.65", "", 0, 0, "", UnitRatio},
		{"SMALL", MeasureMean, ">=", dsl.Decimal, "4", "value", 0, 0, "", UnitNumber},
		{"NONE", MeasureNone, "", dsl.Decimal, "0", "", 0, 0, "", UnitNone},
	}
	if len(c.Rules()) != len(tests) {
		t.Errorf("%d rules, want %d", len(c.Rules()), len(tests))
	}
	measured := map[MeasureKind]bool{}
	for _, tt := range tests {
		measured[tt.measure] = true
	}
	for _, m := range Measures {
		if !measured[m.Name] {
			t.Errorf("no rule of testdata/measures.good.yaml measures %s", m.Name)
		}
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			o := mustRule(t, c, tt.id).Objective
			if o.Measure != tt.measure || o.Op != tt.op || o.Type() != tt.typ || o.Threshold.String() != tt.threshold ||
				o.Arg.Text != tt.arg || o.Percentile != tt.percentile || o.Within != tt.within || o.Variant != tt.variant {
				t.Errorf("objective %q = measure %s, op %q, type %s, threshold %s, arg %q, percentile %d, within %s, variant %q; want %+v",
					o.Text, o.Measure, o.Op, o.Type(), o.Threshold, o.Arg.Text, o.Percentile, o.Within, o.Variant, tt)
			}
			if tt.arg != "" && o.Arg.IsZero() {
				t.Errorf("argument %q is not compiled", tt.arg)
			}
			if o.Unit() != tt.unit {
				t.Errorf("unit %q, want %q", o.Unit(), tt.unit)
			}
			if want := tt.op == ">=" || tt.op == ">"; o.HigherIsBetter() != want {
				t.Errorf("HigherIsBetter() = %v", o.HigherIsBetter())
			}
		})
	}
	if d := mustRule(t, c, "MISSED").Deadline; d == nil || d.OpenDays != 3 || d.Open != 0 || d.Text != "end_of_open_day(3)" {
		t.Errorf("MISSED deadline %+v, want the end of the third open day", d)
	}
	if a := mustRule(t, c, "AVAILABILITY").Availability; a == nil || a.Calendar != "HO" || a.Cal == nil || a.MinOutage != 2*time.Minute {
		t.Errorf("availability %+v", a)
	}
	if got := mustRule(t, c, "ANSWER-RATE").ShortAbandon; got != 10*time.Second {
		t.Errorf("short_abandon %s", got)
	}
	small := mustRule(t, c, "SMALL").SmallVolume
	if small == nil || small.Below != 30 || small.Objective.Measure != MeasureNone {
		t.Errorf("small volume %+v, want below 30 not applicable", small)
	}
}

// TestPipelineSettings checks every setting of the penalty pipeline.
func TestPipelineSettings(t *testing.T) {
	c := mustLoad(t, "testdata/pipeline.good.yaml")
	paris := mustZone(t, "Europe/Paris")
	p := c.Pipeline()
	checkPipeline(t, p, pipelineWant{
		order:            []Step{StepObservation, StepFranchise, StepRounding, StepRepeat, StepMonthCap, StepRuleCaps, StepYearCap, StepBonus},
		observationUntil: time.Date(2027, 6, 30, 0, 0, 0, 0, paris),
		firstBreach:      &FirstBreach{Per: Year, Except: []string{"R2"}},
		deMinimis:        &DeMinimis{Per: Term, Below: dec("150")},
		repeat:           &Repeat{Consecutive: 3, Factor: dec("1.5")},
		rounding:         Rounding{To: dec("1"), Mode: HalfEven},
		monthCap:         "10% * invoice",
		yearCap:          "6% * invoice + 1000",
		bonusCap:         "2% * invoice",
		netting:          false,
	})
	for in, out := range map[string]string{"2.5": "2", "3.5": "4", "-2.5": "-2", "2.51": "3"} {
		equalDec(t, "round "+in, p.Rounding.Round(dec(in)), dec(out))
	}
	// The contract years of a term that starts on 1 April.
	checkContractYears(t, c, []yearAt{
		{time.Date(2027, 3, 31, 23, 59, 59, 0, paris), 0},
		{time.Date(2027, 4, 1, 0, 0, 0, 0, paris), 1},
		{time.Date(2028, 3, 31, 23, 59, 59, 0, paris), 1},
		{time.Date(2028, 4, 1, 0, 0, 0, 0, paris), 2},
		{time.Date(2030, 3, 31, 12, 0, 0, 0, paris), 3},
	})
}

// TestRoundingModes checks each rounding mode on ties and negatives.
func TestRoundingModes(t *testing.T) {
	tests := []struct {
		mode RoundingMode
		in   []string
		out  []string
	}{
		{HalfUp, []string{"0.125", "0.135", "-0.125", "0.1249"}, []string{"0.13", "0.14", "-0.13", "0.12"}},
		{HalfEven, []string{"0.125", "0.135", "-0.125", "0.1251"}, []string{"0.12", "0.14", "-0.12", "0.13"}},
		{Down, []string{"0.129", "-0.129", "0.12"}, []string{"0.12", "-0.12", "0.12"}},
		{Up, []string{"0.121", "-0.121", "0.12"}, []string{"0.13", "-0.13", "0.12"}},
	}
	for _, tt := range tests {
		r := Rounding{To: dec("0.01"), Mode: tt.mode}
		for i, in := range tt.in {
			equalDec(t, string(tt.mode)+" "+in, r.Round(dec(in)), dec(tt.out[i]))
		}
	}
	equalDec(t, "no rounding", Rounding{}.Round(dec("0.123456")), dec("0.123456"))
	equalDec(t, "to 0.05", Rounding{To: dec("0.05"), Mode: HalfUp}.Round(dec("1.025")), dec("1.05"))
}

// TestCalendarReferences checks calendars that refer to each other.
func TestCalendarReferences(t *testing.T) {
	c := mustLoad(t, "testdata/calendars.good.yaml")
	paris := mustZone(t, "Europe/Paris")
	toronto := mustZone(t, "America/Toronto")
	want := []string{"ALWAYS", "HNO", "HO", "HO-AGAIN", "MONTREAL", "NIGHT", "STRASBOURG", "SUMMER-SHUTDOWN"}
	if got := c.CalendarNames(); !slices.Equal(got, want) {
		t.Fatalf("CalendarNames() = %v, want %v", got, want)
	}
	cal := func(name string) interface{ IsOpen(time.Time) bool } {
		cl, _ := c.Calendar(name)
		return cl
	}
	ho, hno, again := cal("HO"), cal("HNO"), cal("HO-AGAIN")
	// Every quarter of an hour of a year: HNO is the complement of HO, and
	// the complement of HNO is HO.
	for at := time.Date(2027, 1, 1, 0, 0, 0, 0, paris); at.Year() == 2027; at = at.Add(15 * time.Minute) {
		if ho.IsOpen(at) == hno.IsOpen(at) || again.IsOpen(at) != ho.IsOpen(at) {
			t.Fatalf("at %s: HO %v, HNO %v, not HNO %v", at, ho.IsOpen(at), hno.IsOpen(at), again.IsOpen(at))
		}
	}
	tests := []struct {
		cal  string
		at   time.Time
		open bool
	}{
		{"HO", time.Date(2027, 12, 24, 13, 59, 0, 0, paris), true},
		{"HO", time.Date(2027, 12, 24, 14, 0, 0, 0, paris), false},
		{"HNO", time.Date(2027, 12, 24, 14, 0, 0, 0, paris), true},
		{"HO", time.Date(2027, 3, 26, 10, 0, 0, 0, paris), true},          // Good Friday is worked in Paris
		{"STRASBOURG", time.Date(2027, 3, 26, 10, 0, 0, 0, paris), false}, // but not in Alsace
		{"NIGHT", time.Date(2027, 6, 1, 23, 0, 0, 0, paris), true},
		{"NIGHT", time.Date(2027, 6, 1, 12, 0, 0, 0, paris), false},
		{"MONTREAL", time.Date(2027, 7, 2, 9, 0, 0, 0, toronto), true},
		{"MONTREAL", time.Date(2027, 7, 2, 8, 59, 0, 0, toronto), false},
		{"MONTREAL", time.Date(2027, 7, 1, 10, 0, 0, 0, toronto), false}, // Canada Day
		{"SUMMER-SHUTDOWN", time.Date(2027, 8, 9, 10, 0, 0, 0, paris), false},
		{"SUMMER-SHUTDOWN", time.Date(2027, 8, 11, 10, 0, 0, 0, paris), true},
		{"SUMMER-SHUTDOWN", time.Date(2027, 5, 8, 10, 0, 0, 0, paris), true}, // a Saturday opened by exception
		{"SUMMER-SHUTDOWN", time.Date(2027, 5, 8, 12, 0, 0, 0, paris), false},
		{"ALWAYS", time.Date(2027, 3, 28, 2, 30, 0, 0, paris), true},
	}
	for _, tt := range tests {
		if got := cal(tt.cal).IsOpen(tt.at); got != tt.open {
			t.Errorf("%s open at %s = %v, want %v", tt.cal, tt.at, got, tt.open)
		}
	}
	r := mustRule(t, c, "HNO-ACK")
	hnoCal, _ := c.Calendar("HNO")
	if r.Clock == nil || r.Clock.Calendar != "HNO" || r.Clock.Cal != hnoCal {
		t.Errorf("HNO-ACK clock %+v, want the HNO calendar", r.Clock)
	}
	if r := mustRule(t, c, "OPEN-DAYS"); r.Clock == nil || r.Clock.Calendar != "HO-AGAIN" || r.Objective.Arg.IsZero() {
		t.Errorf("OPEN-DAYS = %+v", r)
	}
}

// TestDefaults checks the settings rules inherit from defaults and the
// ones they override.
func TestDefaults(t *testing.T) {
	c := mustLoad(t, "testdata/defaults.good.yaml")
	if c.Period() != Quarter {
		t.Errorf("contract period %s, want quarter", c.Period())
	}
	reasons := func(r Rule) []string {
		var out []string
		for _, e := range r.Exclusions {
			if e.When.IsZero() {
				t.Errorf("rule %s, exclusion %q not compiled", r.ID, e.Reason)
			}
			out = append(out, e.Reason+": "+e.When.Text)
		}
		return out
	}
	inherits := mustRule(t, c, "INHERITS")
	equalText(t, "INHERITS attribution", inherits.Attribution, "closed")
	equalText(t, "INHERITS pause_when", inherits.Clock.PauseWhen, `status == "waiting for client"`)
	if inherits.Period != Month {
		t.Errorf("INHERITS period %s, want the tickets' default, month", inherits.Period)
	}
	defaultExclusions := []string{`caused by the client: exclusion == "client"`, `force majeure: exclusion == "force majeure"`}
	if got := reasons(inherits); !slices.Equal(got, defaultExclusions) {
		t.Errorf("INHERITS exclusions %q, want %q", got, defaultExclusions)
	}

	overrides := mustRule(t, c, "OVERRIDES")
	equalText(t, "OVERRIDES attribution", overrides.Attribution, "resolved")
	equalText(t, "OVERRIDES pause_when", overrides.Clock.PauseWhen, `status in ["pending", "on hold"]`)
	if overrides.Period != ContractYear {
		t.Errorf("OVERRIDES period %s, want contract_year", overrides.Period)
	}
	// A rule's exclusions add to the defaults', after them.
	if got, want := reasons(overrides), append(slices.Clone(defaultExclusions), `duplicate: attrs["duplicate"] == "yes"`); !slices.Equal(got, want) {
		t.Errorf("OVERRIDES exclusions %q, want %q", got, want)
	}

	callsIn, callsOver := mustRule(t, c, "CALLS-INHERIT"), mustRule(t, c, "CALLS-OVERRIDE")
	if callsIn.ShortAbandon != 10*time.Second || callsIn.Period != Year {
		t.Errorf("CALLS-INHERIT short_abandon %s, period %s; want 10s, year", callsIn.ShortAbandon, callsIn.Period)
	}
	if callsOver.ShortAbandon != 5*time.Second || callsOver.Period != Month {
		t.Errorf("CALLS-OVERRIDE short_abandon %s, period %s; want 5s, month", callsOver.ShortAbandon, callsOver.Period)
	}
	equalText(t, "calls attribution", callsIn.Attribution, "offered")
	if len(callsIn.Exclusions) != 0 {
		t.Errorf("calls inherit the tickets' exclusions: %+v", callsIn.Exclusions)
	}
	outages := mustRule(t, c, "OUTAGES-CONTRACT-PERIOD")
	if outages.Period != Quarter {
		t.Errorf("outages period %s, want the contract's, quarter", outages.Period)
	}
}

// TestAccessorsReturnCopies changes what the accessors return and checks
// that the contract did not change.
func TestAccessorsReturnCopies(t *testing.T) {
	c := mustLoad(t, "../examples/contracts/acme.yaml")
	rules := c.Rules()
	rules[0].ID = "CHANGED"
	rules[0].Penalty[0].Form = FormTiers
	p2 := mustRule(t, c, "INC-P2")
	p2.Penalty[0].Tiers[0].Range.Text = "CHANGED"
	p2.Clock.Calendar = "CHANGED"
	p2.Exclusions[0].Reason = "CHANGED"
	p1 := mustRule(t, c, "INC-P1")
	p1.SmallVolume.Below = 1
	p1.Deadline.Open = 0
	units := c.WorkUnits()
	units[1].Bands[0].Price = dec("0")
	tkt, _ := c.WorkUnit("UO-TKT")
	tkt.Bands[1].Price = dec("0")
	rev, _ := c.Revision()
	rev.Units = append(rev.Units, "CHANGED")
	p := c.Pipeline()
	p.Order[0] = "CHANGED"
	p.FirstBreach.Except[0] = "CHANGED"
	idx := c.Indices()
	idx["Syntec"] = nil

	if c.Rules()[0].ID != "TEL-ANSWER" || c.Rules()[0].Penalty[0].Form != FormPerPoint {
		t.Error("Rules() shares its slice")
	}
	p2 = mustRule(t, c, "INC-P2")
	if p2.Penalty[0].Tiers[0].Range.Text != "[85%, 90%)" || p2.Clock.Calendar != "HO" || p2.Exclusions[0].Reason != "caused by the client" {
		t.Error("Rule() shares its tiers, clock or exclusions")
	}
	p1 = mustRule(t, c, "INC-P1")
	if p1.SmallVolume.Below != 20 || p1.Deadline.Open != 4*time.Hour {
		t.Error("Rule() shares its small volume or deadline")
	}
	if tkt, _ := c.WorkUnit("UO-TKT"); !tkt.Bands[0].Price.Equal(dec("11")) || !tkt.Bands[1].Price.Equal(dec("9.5")) {
		t.Error("WorkUnits() or WorkUnit() share their bands")
	}
	if rev, _ := c.Revision(); len(rev.Units) != 0 {
		t.Error("Revision() shares its units")
	}
	if p := c.Pipeline(); p.Order[0] != StepObservation || p.FirstBreach.Except[0] != "INC-P1" {
		t.Error("Pipeline() shares its order or its franchise exceptions")
	}
	if DefaultOrder[0] != StepObservation {
		t.Error("Pipeline() shares DefaultOrder")
	}
}

// TestParseDefaultsFileName checks that Parse names a nameless source.
func TestParseDefaultsFileName(t *testing.T) {
	_, err := Parse([]byte("contract: x\n"), "")
	if err == nil || !strings.HasPrefix(err.Error(), "2 errors:\ncontract:1:1: ") {
		t.Errorf("Parse without a file name: %v", err)
	}
}

// TestLateOpen checks where a rule counts a ticket still running past its
// deadline: its own choice, else the defaults', else the deadline's period.
func TestLateOpen(t *testing.T) {
	c := mustLoad(t, "testdata/late-open.good.yaml")
	for id, want := range map[string]LateOpen{"BY-RESOLUTION": LateOpenAttribution, "BY-DEADLINE": LateOpenDeadlinePeriod, "NO-DEADLINE": ""} {
		if got := mustRule(t, c, id).LateOpen; got != want {
			t.Errorf("%s late_open %q, want %q", id, got, want)
		}
	}
	c = mustLoad(t, "testdata/minimal.good.yaml")
	for _, r := range c.Rules() {
		if r.Deadline != nil && r.LateOpen != LateOpenDeadlinePeriod {
			t.Errorf("%s late_open %q, want deadline_period by default", r.ID, r.LateOpen)
		}
	}
}
