package sla_test

// The golden test of issue 4: the reference contract
// (examples/contracts/acme.yaml) over a hand-built first half of 2027
// (testdata/h1-2027), with every figure of the report computed by hand in
// the tables below, not copied from the program's output.
//
// The data (testdata/h1-2027/README.md lists every record and what it
// exercises) is small on purpose: about twenty calls a month, a few
// incidents, a few outages, three months of surveys, and two groups of
// identical records (17 P2 incidents on time in April, 51 late requests in
// May) whose figures are computed once for the group.
//
// A second check (TestGoldenH1JSON) compares the report marshalled to JSON
// with testdata/h1-2027/report.golden.json, so that any change of the
// output shows in review; run `go test ./sla -run GoldenH1JSON -update` to
// rewrite it. The hand-computed assertions of TestGoldenH1 are the
// authority; the JSON file only detects change.
//
// # Calendars, computed by hand
//
//	HO  Mon–Fri 08:00–12:30, 13:30–18:00 (9 h a day), French holidays
//	HE  Mon–Sat 07:00–20:00 (13 h a day), French holidays
//	French holidays of H1 2027: Fri 1 Jan; Easter Monday 29 Mar (Easter is
//	Sun 28 Mar); Sat 1 May; Thu 6 May (Ascension); Sat 8 May; Mon 17 May
//	(Whit Monday). Summer time starts on Sun 28 Mar 2027 at 02:00.
//
//	month  days  Sundays              Mon–Sat  holidays on Mon–Sat      HE days  HE time            24x7 time
//	Jan    31    3,10,17,24,31 (5)    26       1 Jan                    25       25×13 = 325 h      31×24 = 744 h
//	Feb    28    7,14,21,28 (4)       24       –                        24       24×13 = 312 h      28×24 = 672 h
//	Mar    31    7,14,21,28 (4)       27       29 Mar                   26       26×13 = 338 h      744 − 1 (DST) = 743 h
//	Apr    30    4,11,18,25 (4)       26       –                        26       26×13 = 338 h      30×24 = 720 h
//	May    31    2,9,16,23,30 (5)     26       1, 6, 8, 17 May          22       22×13 = 286 h      31×24 = 744 h
//	Jun    30    6,13,20,27 (4)       26       –                        26       26×13 = 338 h      30×24 = 720 h
//
// In seconds: 325 h = 1,170,000; 312 h = 1,123,200; 338 h = 1,216,800;
// 286 h = 1,029,600; 744 h = 2,678,400; 672 h = 2,419,200;
// 743 h = 2,674,800; 720 h = 2,592,000.
//
// # Invoices, computed by hand
//
// UO-TEL = 4.20 × calls answered (any hour; month of the offer).
// UO-TKT = 11.00 × tickets resolved at level 1 in the month (first band:
// fewer than 1,500). UO-POSTE = 17.50 × workstations, UO-SRV = 140.00 ×
// servers (volumes.json: the transition takes over a pilot site of 250
// workstations and 9 servers in Q1, the whole park of 1,201 workstations
// and 51 servers from April). FORFAIT-APP = 18,000.00. No price revision in
// 2027 (it starts on 1 January 2028), so no Syntec index is needed.
//
//	month  answered  UO-TEL   level-1 tickets resolved                               UO-TKT  desk (TEL+TKT)  UO-POSTE    UO-SRV     invoice
//	Jan    19+1=20   84.00    P3-0101, P3-0102                                        22.00   106.00          4,375.00    1,260.00   18,000+4,375+1,260+84.00+22.00 = 23,741.00
//	Feb    23        96.60    P3-0201                                                 11.00   107.60          4,375.00    1,260.00   23,635+107.60 = 23,742.60
//	Mar    19        79.80    P3-0301 (P3-0302 is resolved on 1 Apr)                  11.00    90.80          4,375.00    1,260.00   23,635+90.80 = 23,725.80
//	Apr    17+1=18   75.60    P3-0302, P3-0401, P3-0402, P4-0401, P4-0402, P4-0403     66.00   141.60          21,017.50   7,140.00   18,000+21,017.50+7,140+141.60 = 46,299.10
//	May    21        88.20    P3-0501, P3-0502, P3-0503                               33.00   121.20          21,017.50   7,140.00   46,157.50+121.20 = 46,278.70
//	Jun    18+2=20   84.00    P3-0601, P3-0603, P3-0604, P4-0601                      44.00   128.00          21,017.50   7,140.00   46,157.50+128.00 = 46,285.50
//	                                                                                                                                   H1 = 210,072.70
//
// # The penalty pipeline, in the contract's order
//
//  1. observation: Jan–Mar measured, every penalty and bonus set to 0.
//  2. franchise: the first breach of each rule in contract year 1 that
//     carries a penalty is waived, except INC-P1. The engine counts a
//     breach for the franchise only once it carries an amount (contract
//     Pipeline.FirstBreach doc), so an observation-period breach does not
//     use the franchise: the first breach after March is waived. The prose
//     ("the first breach of each indicator in each contract year") could
//     also be read as spent by a breach in the observation period; the
//     observation period being a grace period of its own, the engine's
//     reading is a legitimate one, and this test follows it.
//  3. repeat: × 2 from the second consecutive breached month; waived and
//     observation-period breaches count as breaches (§5.3).
//  4. rounding: to the cent, half up.
//  5. rule caps: TEL-ANSWER ≤ 5 % of the desk invoice, REQ ≤ 2,000.00.
//     They apply after the repeat doubling (DESIGN.md's order, and the
//     contract file's penalties.order); the prose writes "at most 5 %"
//     inside the clause, which could also mean a cap before doubling: the
//     two readings differ only in May for TEL-ANSWER (7.27 against 6.06).
//  6. monthly cap: 10 % of the month's invoice, rounded to the cent; the
//     rules' amounts are cut in proportion to the cent by largest
//     remainder: each floored to the cent, the cents left going one each
//     to the amounts whose floor cut the most, as the contract format's
//     pipeline says.
//  7. contract-year cap: 6 % of the invoices of contract year 1. The engine
//     takes the invoices of the months in the report's table (here
//     January–June: 6 % × 210,072.70 = 12,604.362 → 12,604.36), not the
//     twelve months of the contract year that the prose names: with a
//     full year of data both agree; over H1 alone the cap is provisional.
//     It binds in June.
//  8. bonus: a month's bonuses are capped at 2 % of its invoice, in
//     proportion as above, then set off against its penalties.
//
// # The proportional cuts, computed by hand
//
// May, monthly cap 10 % × 46,278.70 = 4,627.87 over a total of
// 6.06 + 1,000.00 + 300.00 + 1,851.15 + 2,000.00 + 1,800.00 + 720.00 = 7,677.21:
//
//	TEL-ANSWER     6.06 × 4,627.87 / 7,677.21 =     3.6530…  →     3.65
//	TEL-SL     1,000.00 × 4,627.87 / 7,677.21 =   602.8062…  →   602.80 + 0.01 = 602.81 (cut 0.62 ¢, the most)
//	INC-P1       300.00 × 4,627.87 / 7,677.21 =   180.8418…  →   180.84
//	INC-P2     1,851.15 × 4,627.87 / 7,677.21 = 1,115.8847…  → 1,115.88 + 0.01 = 1,115.89 (cut 0.47 ¢, next)
//	REQ        2,000.00 × 4,627.87 / 7,677.21 = 1,205.6124…  → 1,205.61
//	AVAIL-ERP  1,800.00 × 4,627.87 / 7,677.21 = 1,085.0512…  → 1,085.05
//	AVAIL-MAIL   720.00 × 4,627.87 / 7,677.21 =   434.0204…  →   434.02
//	floors: 4,627.85; 4,627.87 − 4,627.85 = 0.02, one cent each to the two largest cuts
//
// June, monthly cap 10 % × 46,285.50 = 4,628.55 over
// 300.00 + 2,438.57 + 800.00 + 250.00 + 1,000.00 = 4,788.57:
//
//	TEL-ABANDON   300.00 × 4,628.55 / 4,788.57 =   289.9748…  →   289.97
//	INC-P1      2,438.57 × 4,628.55 / 4,788.57 = 2,357.0801…  → 2,357.08
//	ACK           800.00 × 4,628.55 / 4,788.57 =   773.2663…  →   773.26 + 0.01 = 773.27 (cut 0.63 ¢)
//	REOPEN        250.00 × 4,628.55 / 4,788.57 =   241.6457…  →   241.64 + 0.01 = 241.65 (cut 0.57 ¢)
//	RCA         1,000.00 × 4,628.55 / 4,788.57 =   966.5829…  →   966.58
//	floors: 4,628.53; 4,628.55 − 4,628.53 = 0.02
//
// June, contract-year cap: 12,604.36 − 3,977.95 (April) − 4,627.87 (May)
// = 3,998.54 still allowed, over the 4,628.55 left by the monthly cap:
//
//	TEL-ABANDON   289.97 × 3,998.54 / 4,628.55 =   250.5010…  →   250.50
//	INC-P1      2,357.08 × 3,998.54 / 4,628.55 = 2,036.2486…  → 2,036.24 + 0.01 = 2,036.25 (cut 0.86 ¢)
//	ACK           773.27 × 3,998.54 / 4,628.55 =   668.0172…  →   668.01 + 0.01 = 668.02 (cut 0.72 ¢)
//	REOPEN        241.65 × 3,998.54 / 4,628.55 =   208.7580…  →   208.75 + 0.01 = 208.76 (cut 0.80 ¢)
//	RCA           966.58 × 3,998.54 / 4,628.55 =   835.0150…  →   835.01
//	floors: 3,998.51; 3,998.54 − 3,998.51 = 0.03
//
// June, bonus cap 2 % × 46,285.50 = 925.71 over 1.28 + 1,000.00 = 1,001.28:
//
//	FCR       1.28 × 925.71 / 1,001.28 =   1.1833…  →   1.18
//	CSAT  1,000.00 × 925.71 / 1,001.28 = 924.5266…  → 924.52 + 0.01 = 924.53 (cut 0.66 ¢)
//	net: 3,998.54 − 925.71 = 3,072.83 owed by the provider.
//
// Totals: penalties 3,977.95 + 4,627.87 + 3,998.54 = 12,604.36 (the
// contract-year cap, exactly); bonuses 925.71; net 11,678.65.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// h1Update rewrites report.golden.json. The flag is registered only if no
// other test file of the package has registered one of the same name.
var h1Update = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	p := flag.Bool("update", false, "rewrite the golden files of the tests")
	return func() bool { return *p }
}()

const h1Dir = "testdata/h1-2027"

// h1At is an instant of Paris wall-clock time, "2027-03-31 18:00".
func h1At(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

// h1JSONL reads a JSON Lines file: one record per line.
func h1JSONL[T any](t testing.TB, name string) []T {
	t.Helper()
	f, err := os.Open(filepath.Join(h1Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func h1Evaluate(t testing.TB) *sla.Report {
	t.Helper()
	c := loadACME(t)
	var vols map[string]map[string]decimal.Decimal
	b, err := os.ReadFile(filepath.Join(h1Dir, "volumes.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vols); err != nil {
		t.Fatal(err)
	}
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values(h1JSONL[pacte.Ticket](t, "tickets.jsonl")),
		Calls:   slices.Values(h1JSONL[pacte.Call](t, "calls.jsonl")),
		Outages: slices.Values(h1JSONL[pacte.Outage](t, "outages.jsonl")),
		Samples: slices.Values(h1JSONL[pacte.Sample](t, "samples.jsonl")),
		Volumes: vols,
		AsOf:    h1At("2027-07-01 00:00"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// q is the share n/d as the report writes it: 16 decimal places, half up,
// trailing zeros dropped.
func h1Q(n, d int64) string {
	return decimal.NewFromInt(n).DivRound(decimal.NewFromInt(d), 16).String()
}

// h1IDs is prefix+from … prefix+to, two digits: h1IDs("C01-", 14, 19).
func h1IDs(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s%02d", prefix, i))
	}
	return out
}

func h1Cat(lists ...[]string) []string { return slices.Concat(lists...) }

type h1Step struct {
	step          contract.Step
	kind          sla.AmountKind
	before, after string
}

type h1Item struct {
	id       string
	at       string // Paris wall clock
	measured string
	deadline string // "" when none
	late     string
	open     bool
	amount   string // "" when none
}

type h1Rule struct {
	id                    string
	eligible, met, missed int
	excluded              map[string]int
	achieved              string // "" when nothing is measured; "int:N" for a count
	small                 bool   // the minimum-volume objective applied
	status                sla.Status
	raw, penalty          string // "" is 0
	rawBonus, bonus       string
	steps                 []h1Step
	ids                   []string // the missed items, in report order (by instant, then id)
	items                 []h1Item // or the missed items in detail
	calls                 *sla.CallFigures
	avail                 *sla.AvailabilityFigures
}

type h1Line struct {
	unit     string
	quantity string
	amount   string
}

type h1Month struct {
	period                  string
	lines                   []h1Line
	invoice                 string
	rules                   []h1Rule
	steps                   []h1Step // steps of the period as a whole
	penalties, bonuses, net string
}

const (
	h1Met    = sla.StatusMet
	h1Breach = sla.StatusBreached
	h1NA     = sla.StatusNotApplicable
)

const (
	h1Short    = "short abandon"
	h1Client   = "caused by the client"
	h1TooShort = "shorter than the minimum outage (2min)"
	h1Maint    = "announced maintenance"
)

func h1Calls(offered, answered, abandoned, shortAb, within int, meanWait time.Duration) *sla.CallFigures {
	return &sla.CallFigures{Offered: offered, Answered: answered, Abandoned: abandoned, ShortAbandons: shortAb,
		AnsweredWithin: within, MeanWait: sla.Seconds(meanWait)}
}

func h1Avail(service, down time.Duration, outages int, mttr time.Duration) *sla.AvailabilityFigures {
	return &sla.AvailabilityFigures{ServiceTime: sla.Seconds(service), Downtime: sla.Seconds(down), Outages: outages, MTTR: sla.Seconds(mttr)}
}

const (
	h1Second = time.Second
	h1Hour   = time.Hour
	h1Min    = time.Minute
)

func h1Desk(answered, tkt int, tel, tktAmt, poste, srv, posteAmt, srvAmt string) []h1Line {
	return []h1Line{
		{"UO-TEL", strconv.Itoa(answered), tel},
		{"UO-TKT", strconv.Itoa(tkt), tktAmt},
		{"UO-POSTE", poste, posteAmt},
		{"UO-SRV", srv, srvAmt},
		{"FORFAIT-APP", "0", "18000"},
	}
}

// h1Want is the report, month by month and rule by rule, computed by hand.
//
// Calls. Every month's calls in office hours (HO) are offered on one
// weekday from 09:00, one every 5 minutes, numbered in this order: the
// calls answered within 60 s, those answered later, those abandoned after
// 10 s or more, those neither answered nor abandoned (overflowed), the
// short abandons (under 10 s), then the calls outside HO. The first calls
// answered in HO are resolved at first contact, as listed. For each rule:
// TEL-ANSWER counts answered / offered, short abandons excluded; TEL-SL
// answered within 60 s / answered; TEL-ABANDON abandoned after ≥ 10 s /
// offered; FCR first contact / answered at any hour. The call figures of
// a rule count the calls in its denominator: for TEL-SL and FCR only the
// answered ones, so their "offered" is the number answered. The mean wait
// is over the answered calls the rule counts; waits are chosen so that it
// is a whole number of seconds.
var h1Want = []h1Month{
	// ------------------------------------------------------------------
	// January 2027: observation period.
	//
	// Calls, Wed 13 Jan. C01-01…17 answered within 60 s (16 at 20 s, C01-17 at
	// exactly 60 s, which counts as within); C01-18, 19 answered at 95 s;
	// C01-20 abandoned after exactly 10 s (an offered call: only under 10 s
	// is short); C01-21 abandoned after 9 s (short, excluded); C01-22 at
	// 18:30, after HO, answered at 30 s, first contact. First contact:
	// C01-01…13 and C01-22.
	//   offered 20 (C01-01…20), answered 19, abandoned 1, short 1
	//   TEL-ANSWER 19/20 = 95 % ≥ 90 % met; TEL-ABANDON 1/20 = 5 % ≤ 8 % met
	//   TEL-SL 17/19 = 89.47 % ≥ 80 % met
	//   FCR 14/20 = 70 %: met, no bonus (< 75 %)
	//   mean wait HO: (16×20 + 60 + 2×95)/19 = 570/19 = 30 s; FCR: (570 + 30)/20 = 30 s
	//
	// Tickets.
	//   P1-0101 Tue 12 Jan 10:00 → 13:00: 3 h of HE ≤ 4 h, on time.
	//   P1-0102 Thu 14 Jan 15:00 → Fri 15 Jan 08:00: Thu 15:00–20:00 5 h + Fri
	//     07:00–08:00 1 h = 6 h > 4 h, missed; deadline Thu 15:00 + 4 h = 19:00,
	//     late 2 h; not beyond 8 h, so no per-item amount.
	//     INC-P1: 2 P1 < 20, the fallback "missed ≤ 1" applies: 1 missed, met.
	//   P2-0101 Mon 11 Jan 14:00 → Wed 13 Jan 12:00, "waiting for client" from
	//     Tue 09:00 to Wed 09:00: Mon 14:00–18:00 4 h + Tue 08:00–09:00 1 h +
	//     (paused) + Wed 09:00–12:00 3 h = 8 h ≤ 8 h, on time (17 h without
	//     the pause).
	//   P2-0102 Thu 21 Jan 09:00 → 11:00: 2 h, on time. INC-P2 2/2.
	//   P3-0101 Mon 18 Jan 09:00 → Tue 19 Jan 15:00, on time (deadline Thu 21 18:00).
	//   P3-0102 Fri 22 Jan 16:00 → Wed 27 Jan 18:00: the third open day after
	//     Fri 22 is Wed 27 (Mon 25, Tue 26, Wed 27), so the budget is Fri
	//     16:00–18:00 2 h + 3 × 9 h = 29 h, and the elapsed time is exactly
	//     29 h: on time. INC-P3 2/2.
	//   ACK: P1-0101 10 min, P1-0102 20 min, P2-0101 10 min, P2-0102 5 min: 4/4.
	//   R-0101 Mon 4 Jan 09:00 → Fri 8 Jan 17:00: 8 + 9 + 9 + 9 + 8 = 43 h ≤ 45 h. REQ 1/1.
	//   REOPEN: 6 incidents resolved, none reopened: 0/6 = 0 % ≤ 5 %.
	//
	// Surveys: 12 (CS01-01…12, scores 5 5 4 4 4 4 3 3 5 4 4 2) < 30: not
	// applicable. The three below 4.0 (CS01-07, 08, 12) are listed.
	//
	// Outages: O-0101 ERP 90 s < 2 min, dropped; O-0102 ERP Wed 20 Jan
	// 15:00–15:02, exactly 2 min, counted: (1,170,000 − 120)/1,170,000.
	{
		period: "2027-01",
		lines:  h1Desk(20, 2, "84.00", "22.00", "250", "9", "4375.00", "1260.00"),
		// 18,000 + 4,375 + 1,260 + 84.00 + 22.00
		invoice: "23741.00",
		rules: []h1Rule{
			{id: "TEL-ANSWER", eligible: 20, met: 19, missed: 1, excluded: map[string]int{h1Short: 1}, achieved: h1Q(19, 20), status: h1Met,
				ids: []string{"C01-20"}, calls: h1Calls(20, 19, 1, 1, 0, 30*h1Second)},
			{id: "TEL-SL", eligible: 19, met: 17, missed: 2, achieved: h1Q(17, 19), status: h1Met,
				ids: h1IDs("C01-", 18, 19), calls: h1Calls(19, 19, 0, 0, 17, 30*h1Second)},
			{id: "TEL-ABANDON", eligible: 20, met: 19, missed: 1, excluded: map[string]int{h1Short: 1}, achieved: h1Q(1, 20), status: h1Met,
				ids: []string{"C01-20"}, calls: h1Calls(20, 19, 1, 1, 0, 30*h1Second)},
			{id: "FCR", eligible: 20, met: 14, missed: 6, achieved: h1Q(14, 20), status: h1Met,
				ids: h1IDs("C01-", 14, 19), calls: h1Calls(20, 20, 0, 0, 0, 30*h1Second)},
			{id: "INC-P1", eligible: 2, met: 1, missed: 1, achieved: "int:1", small: true, status: h1Met,
				items: []h1Item{{id: "P1-0102", at: "2027-01-15 08:00", measured: "6h", deadline: "2027-01-14 19:00", late: "2h"}}},
			{id: "INC-P2", eligible: 2, met: 2, achieved: h1Q(2, 2), status: h1Met},
			{id: "INC-P3", eligible: 2, met: 2, achieved: h1Q(2, 2), status: h1Met},
			{id: "ACK", eligible: 4, met: 4, achieved: h1Q(4, 4), status: h1Met},
			{id: "REQ", eligible: 1, met: 1, achieved: h1Q(1, 1), status: h1Met},
			{id: "REOPEN", eligible: 6, met: 6, achieved: h1Q(0, 6), status: h1Met},
			// Not applicable below 30 surveys. Counted survey by survey as in
			// April: 9 scores ≥ 4.0 met, 3 below missed (see h1Bugs).
			{id: "CSAT", eligible: 12, met: 9, missed: 3, small: true, status: h1NA,
				ids: []string{"CS01-07", "CS01-08", "CS01-12"}},
			{id: "RCA", status: h1NA},
			{id: "AVAIL-ERP", eligible: 1, missed: 1, excluded: map[string]int{h1TooShort: 1}, achieved: h1Q(1169880, 1170000), status: h1Met,
				items: []h1Item{{id: "O-0102", at: "2027-01-20 15:00", measured: "2min"}},
				avail: h1Avail(325*h1Hour, 2*h1Min, 1, 2*h1Min)},
			{id: "AVAIL-MAIL", achieved: "1", status: h1Met, avail: h1Avail(744*h1Hour, 0, 0, 0)},
		},
		penalties: "0", bonuses: "0", net: "0",
	},

	// ------------------------------------------------------------------
	// February 2027: observation period.
	//
	// Calls, Tue 9 Feb. C02-01…20 answered at 20 s; C02-21…23 at 66 s;
	// C02-24, 25 abandoned after 30 s and 45 s. First contact: C02-01…18.
	//   TEL-ANSWER 23/25 = 92 % met; TEL-ABANDON 2/25 = 8 % ≤ 8 %: met at the
	//   boundary; TEL-SL 20/23 = 86.96 % met.
	//   FCR 18/23 = 78.26 % ≥ 75 %: bonus 1 % × 107.60 = 1.076, set to 0 by
	//   the observation period.
	//   mean wait (20×20 + 3×66)/23 = 598/23 = 26 s.
	// Tickets: P3-0201 Tue 2 Feb 10:00 → Wed 3 Feb 11:00, on time. No P1, P2,
	// request or problem: those rules are not applicable.
	// Outage: O-0201 ERP Thu 11 Feb 10:00–11:00: (1,123,200 − 3,600)/1,123,200.
	{
		period:  "2027-02",
		lines:   h1Desk(23, 1, "96.60", "11.00", "250", "9", "4375.00", "1260.00"),
		invoice: "23742.60", // 23,635 + 96.60 + 11.00
		rules: []h1Rule{
			{id: "TEL-ANSWER", eligible: 25, met: 23, missed: 2, achieved: h1Q(23, 25), status: h1Met,
				ids: h1IDs("C02-", 24, 25), calls: h1Calls(25, 23, 2, 0, 0, 26*h1Second)},
			{id: "TEL-SL", eligible: 23, met: 20, missed: 3, achieved: h1Q(20, 23), status: h1Met,
				ids: h1IDs("C02-", 21, 23), calls: h1Calls(23, 23, 0, 0, 20, 26*h1Second)},
			{id: "TEL-ABANDON", eligible: 25, met: 23, missed: 2, achieved: h1Q(2, 25), status: h1Met,
				ids: h1IDs("C02-", 24, 25), calls: h1Calls(25, 23, 2, 0, 0, 26*h1Second)},
			{id: "FCR", eligible: 23, met: 18, missed: 5, achieved: h1Q(18, 23), status: h1Met, rawBonus: "1.076",
				steps: []h1Step{{"observation", "bonus", "1.076", "0"}},
				ids:   h1IDs("C02-", 19, 23), calls: h1Calls(23, 23, 0, 0, 0, 26*h1Second)},
			{id: "INC-P1", small: true, status: h1NA},
			{id: "INC-P2", status: h1NA},
			{id: "INC-P3", eligible: 1, met: 1, achieved: h1Q(1, 1), status: h1Met},
			{id: "ACK", status: h1NA},
			{id: "REQ", status: h1NA},
			{id: "REOPEN", eligible: 1, met: 1, achieved: h1Q(0, 1), status: h1Met},
			{id: "CSAT", small: true, status: h1NA},
			{id: "RCA", status: h1NA},
			{id: "AVAIL-ERP", eligible: 1, missed: 1, achieved: h1Q(1119600, 1123200), status: h1Met,
				items: []h1Item{{id: "O-0201", at: "2027-02-11 10:00", measured: "1h"}},
				avail: h1Avail(312*h1Hour, h1Hour, 1, h1Hour)},
			{id: "AVAIL-MAIL", achieved: "1", status: h1Met, avail: h1Avail(672*h1Hour, 0, 0, 0)},
		},
		penalties: "0", bonuses: "0", net: "0",
	},

	// ------------------------------------------------------------------
	// March 2027: observation period; every breach counts for the repeat
	// step later, none is charged.
	//
	// Calls, Wed 10 Mar. C03-01…14 answered at 20 s; C03-15…19 at 77 s;
	// C03-20 abandoned after 40 s; C03-21 abandoned after 5 s (short);
	// C03-22 at 12:45, during the lunch break (HO closed), abandoned after
	// 40 s: in no rule's scope. First contact: C03-01…13.
	//   TEL-ANSWER 19/20 = 95 % met; TEL-ABANDON 1/20 = 5 % met.
	//   TEL-SL 14/19 = 73.68 % < 80 %: breached, 500.00 → 0 (observation).
	//   FCR 13/19 = 68.42 % met. Mean wait (14×20 + 5×77)/19 = 665/19 = 35 s.
	//
	// Tickets.
	//   P1-0301 Mon 8 Mar 09:00 → 18:15: 9 h 15 of HE, missed (deadline 13:00,
	//     late 5 h 15); per item 150 × ceil(1 h 15 / 1 h) = 150 × 2 = 300.00.
	//   P1-0302 Fri 19 Mar 16:00 → Sat 20 Mar 09:00: Fri 16:00–20:00 4 h + Sat
	//     07:00–09:00 2 h = 6 h, missed (deadline Fri 20:00, late 2 h).
	//     INC-P1: 2 missed > 1, the fallback is breached:
	//     3 % × 23,725.80 = 711.774, + 300.00 per item = 1,011.774 → 0.
	//   P2-0301, 0302, 0303: 2 h each, on time.
	//   P2-0304 Mon 15 Mar 09:00 → Tue 16 Mar 12:00: 8 h + 4 h = 12 h
	//     (deadline Mon 18:00, late 4 h).
	//   P2-0305 Thu 25 Mar 14:00 → Tue 30 Mar 10:00: Thu 4 h + Fri 9 h + Mon 29
	//     (Easter Monday) 0 + Tue 2 h = 15 h (deadline Fri 26 12:00, late 7 h).
	//   P2-0306 flagged "client": excluded from INC-P2, ACK and REOPEN.
	//     INC-P2 3/5 = 60 %: tier [0 %, 80 %) = 4 % × 23,725.80 = 949.032 → 0.
	//   P3-0301 Thu 25 Mar 10:00 → Wed 31 Mar 17:00: the third open day after
	//     Thu 25 is Wed 31 (Fri 26, [Easter Monday 29 closed], Tue 30, Wed 31);
	//     budget Thu 10:00–18:00 7 h + 3 × 9 h = 34 h; elapsed 7 + 9 + 9 + 8 =
	//     33 h: on time.
	//   P3-0302 Thu 25 Mar 11:00 → Thu 1 Apr 09:00: same deadline Wed 31 Mar
	//     18:00, budget 6 + 27 = 33 h; still open at the end of March, past
	//     its deadline: missed in March (and in no later month), elapsed 6 +
	//     27 + 1 = 34 h, late 1 h. INC-P3 1/2 = 50 %: 1,000.00 → 0.
	//   ACK: 2 P1 + 5 P2, all within 30 min: 7/7.
	//   REOPEN: 8 incidents resolved, none reopened.
	//
	// Outages. O-0301 ERP Tue 16 Mar 09:00–16:00, 7 h; O-0302 ERP Thu 18 Mar
	// 19:00–22:00, of which only 19:00–20:00 is HE time: 8 h down.
	// (1,216,800 − 28,800)/1,216,800 = 97.63 % < 98 %: tier 20 % × 18,000 =
	// 3,600.00 → 0. MTTR (7 h + 3 h)/2 = 5 h. V-0301 (VPN) is in no rule.
	// AVAIL-MAIL: the 24x7 month is 743 h long (summer time).
	{
		period:  "2027-03",
		lines:   h1Desk(19, 1, "79.80", "11.00", "250", "9", "4375.00", "1260.00"),
		invoice: "23725.80", // 23,635 + 79.80 + 11.00
		rules: []h1Rule{
			{id: "TEL-ANSWER", eligible: 20, met: 19, missed: 1, excluded: map[string]int{h1Short: 1}, achieved: h1Q(19, 20), status: h1Met,
				ids: []string{"C03-20"}, calls: h1Calls(20, 19, 1, 1, 0, 35*h1Second)},
			{id: "TEL-SL", eligible: 19, met: 14, missed: 5, achieved: h1Q(14, 19), status: h1Breach, raw: "500",
				steps: []h1Step{{"observation", "penalty", "500", "0"}},
				ids:   h1IDs("C03-", 15, 19), calls: h1Calls(19, 19, 0, 0, 14, 35*h1Second)},
			{id: "TEL-ABANDON", eligible: 20, met: 19, missed: 1, excluded: map[string]int{h1Short: 1}, achieved: h1Q(1, 20), status: h1Met,
				ids: []string{"C03-20"}, calls: h1Calls(20, 19, 1, 1, 0, 35*h1Second)},
			{id: "FCR", eligible: 19, met: 13, missed: 6, achieved: h1Q(13, 19), status: h1Met,
				ids: h1IDs("C03-", 14, 19), calls: h1Calls(19, 19, 0, 0, 0, 35*h1Second)},
			{id: "INC-P1", eligible: 2, missed: 2, achieved: "int:2", small: true, status: h1Breach, raw: "1011.774",
				steps: []h1Step{{"observation", "penalty", "1011.774", "0"}},
				items: []h1Item{
					{id: "P1-0301", at: "2027-03-08 18:15", measured: "9h15min", deadline: "2027-03-08 13:00", late: "5h15min", amount: "300"},
					{id: "P1-0302", at: "2027-03-20 09:00", measured: "6h", deadline: "2027-03-19 20:00", late: "2h"},
				}},
			{id: "INC-P2", eligible: 5, met: 3, missed: 2, excluded: map[string]int{h1Client: 1}, achieved: h1Q(3, 5), status: h1Breach, raw: "949.032",
				steps: []h1Step{{"observation", "penalty", "949.032", "0"}},
				items: []h1Item{
					{id: "P2-0304", at: "2027-03-16 12:00", measured: "12h", deadline: "2027-03-15 18:00", late: "4h"},
					{id: "P2-0305", at: "2027-03-30 10:00", measured: "15h", deadline: "2027-03-26 12:00", late: "7h"},
				}},
			{id: "INC-P3", eligible: 2, met: 1, missed: 1, achieved: h1Q(1, 2), status: h1Breach, raw: "1000",
				steps: []h1Step{{"observation", "penalty", "1000", "0"}},
				items: []h1Item{{id: "P3-0302", at: "2027-03-31 18:00", measured: "34h", deadline: "2027-03-31 18:00", late: "1h", open: true}}},
			{id: "ACK", eligible: 7, met: 7, excluded: map[string]int{h1Client: 1}, achieved: h1Q(7, 7), status: h1Met},
			{id: "REQ", status: h1NA},
			{id: "REOPEN", eligible: 8, met: 8, excluded: map[string]int{h1Client: 1}, achieved: h1Q(0, 8), status: h1Met},
			{id: "CSAT", small: true, status: h1NA},
			{id: "RCA", status: h1NA},
			{id: "AVAIL-ERP", eligible: 2, missed: 2, achieved: h1Q(1188000, 1216800), status: h1Breach, raw: "3600",
				steps: []h1Step{{"observation", "penalty", "3600", "0"}},
				items: []h1Item{{id: "O-0301", at: "2027-03-16 09:00", measured: "7h"}, {id: "O-0302", at: "2027-03-18 19:00", measured: "3h"}},
				avail: h1Avail(338*h1Hour, 8*h1Hour, 2, 5*h1Hour)},
			{id: "AVAIL-MAIL", achieved: "1", status: h1Met, avail: h1Avail(743*h1Hour, 0, 0, 0)},
		},
		penalties: "0", bonuses: "0", net: "0",
	},

	// ------------------------------------------------------------------
	// April 2027: the first month charged. Every rule's first breach of the
	// contract year is waived by the franchise, except INC-P1's.
	//
	// Calls, Wed 7 Apr. C04-01…12 answered at 20 s; C04-13…17 at 71 s;
	// C04-18, 19 abandoned after 25 s and 50 s; C04-20 overflowed (neither
	// answered nor abandoned: an offered, unanswered call); C04-21, 22
	// abandoned after 3 s and 7 s (short); C04-23 on Sat 10 Apr 10:00 (HO
	// closed), answered at 35 s, not first contact. First contact: C04-01…10.
	//   TEL-ANSWER 17/20 = 85 %: 5 points below 90 %, exactly 5 started
	//   points: 5 × 1 % × 141.60 = 7.08, waived (first breach).
	//   TEL-SL 12/17 = 70.59 %: 500.00, waived (first chargeable breach;
	//   2nd consecutive after March, but nothing is left to double).
	//   TEL-ABANDON 2/20 = 10 % > 8 %: 300.00, waived.
	//   FCR 10/18 = 55.56 % < 65 %: breached, the rule has no penalty.
	//   mean wait (12×20 + 5×71)/17 = 595/17 = 35 s; FCR (595 + 35)/18 = 35 s.
	//
	// Tickets.
	//   P1-0401 Tue 6 Apr 08:00 → 10:00: 2 h, on time.
	//   P1-0402 Thu 8 Apr 14:00 → Fri 9 Apr 13:00, "waiting for client" from
	//     Thu 16:00 to Fri 10:00: 2 h + 3 h = 5 h, missed (12 h without the
	//     pause); its deadline moves with the pause: 2 h used by 16:00, the
	//     other 2 h from Fri 10:00 → Fri 12:00; late 1 h; no per-item amount.
	//   P1-0403 Mon 12 Apr 09:00 → Tue 13 Apr 08:00: Mon 09:00–20:00 11 h +
	//     Tue 07:00–08:00 1 h = 12 h, missed (deadline Mon 13:00, late 8 h);
	//     per item: 12 h − 8 h = exactly 4 started hours, 4 × 150 = 600.00.
	//     INC-P1: 2 missed of 3 > 1: breached, 2nd consecutive month:
	//     3 % × 46,299.10 = 1,388.973 + 600.00 = 1,988.973; × 2 = 3,977.946;
	//     rounded 3,977.95.
	//   P2-0401…0416 Tue 20 Apr 09:00 → 11:00: 2 h each, on time.
	//   P2-0417 Wed 21 Apr 09:00 → Thu 22 Apr 17:00, explicit pause Wed 13:30 →
	//     Thu 13:30: Wed 09:00–12:30 3.5 h + Thu 13:30–17:00 3.5 h = 7 h, on time.
	//   P2-0418…0420 Thu 22 Apr 14:00 → Fri 23 Apr 16:00: 4 + 4.5 + 2.5 = 11 h
	//     (deadline Fri 12:00, late 3 h).
	//     INC-P2 17/20 = 85 %: the boundary lands in [85 %, 90 %): 1 % ×
	//     46,299.10 = 462.991, waived.
	//   P3-0401, P3-0402: on time. INC-P3 2/2. (P3-0302 counted in March.)
	//   ACK: 3 P1 + 20 P2, all within 30 min of HE: 23/23.
	//   R-0401…0404 Mon 12 Apr 09:00 → Wed 14 Apr 12:00: 8 + 9 + 4 = 21 h.
	//   R-0405 Mon 12 Apr 09:00 → Mon 19 Apr 10:00: 8 + 4 × 9 + 2 = 46 h > 45 h
	//     (deadline: 45 h = Mon 8, Tue…Fri 36, Mon 19 08:00 + 1 h = 09:00; late 1 h).
	//   R-0406 is "complex", out of scope; R-0407 "force majeure", excluded.
	//     REQ 4/5 = 80 %: 1 × 20.00 = 20.00, waived.
	//   REOPEN: 3 P1 + 20 P2 + P3-0302 + P3-0401 + P3-0402 + 3 P4 = 29
	//     incidents resolved. P4-0401 reopened 71 h after its resolution and
	//     P4-0402 9 days after: within 10 days; P4-0403 13 days after: not.
	//     2/29 = 6.897 %: (2 − 5 % × 29)/29 = 0.55/29 = 1.897 points above
	//     5 %, 2 started points × 250.00 = 500.00, waived.
	//   PB-0401, the problem of P1-0403 (restored Tue 13 Apr 08:00): known
	//     error on Tue 27 Apr 11:00. The 10th HO open day after Tue 13 is Tue
	//     27 (14, 15, 16, 19, 20, 21, 22, 23, 26, 27), budget 9 + 90 = 99 h;
	//     elapsed 9 + 9 × 9 + 3 = 93 h: on time. RCA 1/1.
	//
	// Surveys: 30 (CS04-01…30, 18 scores of 3 then 12 of 4): mean 102/30 =
	// 3.4 < 3.5: malus 1,000.00, waived. WS-04 (a workstation count) is in
	// no rule.
	//
	// Outages. ERP: O-0401 Tue 6 Apr 10:00–12:00 and O-0402 11:00–13:30
	// overlap: 10:00–13:30 = 3.5 h once; O-0403, planned Sat 17 Apr 07:00–08:00,
	// announced Wed 14 Apr: 2 open days between (Thu 15, Fri 16) < 5, counted,
	// 1 h; O-0404, planned Sat 24 Apr, announced Fri 9 Apr: 10 open days
	// between, excluded. Down 4.5 h: (1,216,800 − 16,200)/1,216,800 = 98.67 %:
	// tier [98 %, 99 %) = 10 % × 18,000 = 1,800.00, waived. MTTR (2 h + 2.5 h +
	// 1 h)/3 = 1 h 50 min.
	// E-mail: M-0401 Tue 13 Apr 10:00–10:30, and M-0402 Fri 30 Apr 23:30 →
	// Sat 1 May 00:30 cut at the month's end: 30 min in April. Down 1 h:
	// (2,592,000 − 3,600)/2,592,000 = 99.861 % < 99.9 %: 2 % × 18,000 =
	// 360.00, waived. MTTR (30 min + 1 h)/2 = 45 min (the whole outage).
	//
	// Month: 3,977.95 ≤ the monthly cap 10 % × 46,299.10 = 4,629.91; the
	// contract year's cap has 12,604.36 left.
	{
		period:  "2027-04",
		lines:   h1Desk(18, 6, "75.60", "66.00", "1201", "51", "21017.50", "7140.00"),
		invoice: "46299.10", // 18,000 + 21,017.50 + 7,140 + 75.60 + 66.00
		rules: []h1Rule{
			{id: "TEL-ANSWER", eligible: 20, met: 17, missed: 3, excluded: map[string]int{h1Short: 2}, achieved: h1Q(17, 20), status: h1Breach, raw: "7.08",
				steps: []h1Step{{"franchise", "penalty", "7.08", "0"}},
				ids:   h1IDs("C04-", 18, 20), calls: h1Calls(20, 17, 2, 2, 0, 35*h1Second)},
			{id: "TEL-SL", eligible: 17, met: 12, missed: 5, achieved: h1Q(12, 17), status: h1Breach, raw: "500",
				steps: []h1Step{{"franchise", "penalty", "500", "0"}},
				ids:   h1IDs("C04-", 13, 17), calls: h1Calls(17, 17, 0, 0, 12, 35*h1Second)},
			{id: "TEL-ABANDON", eligible: 20, met: 18, missed: 2, excluded: map[string]int{h1Short: 2}, achieved: h1Q(2, 20), status: h1Breach, raw: "300",
				steps: []h1Step{{"franchise", "penalty", "300", "0"}},
				ids:   h1IDs("C04-", 18, 19), calls: h1Calls(20, 17, 2, 2, 0, 35*h1Second)},
			{id: "FCR", eligible: 18, met: 10, missed: 8, achieved: h1Q(10, 18), status: h1Breach,
				ids: h1Cat(h1IDs("C04-", 11, 17), []string{"C04-23"}), calls: h1Calls(18, 18, 0, 0, 0, 35*h1Second)},
			{id: "INC-P1", eligible: 3, met: 1, missed: 2, achieved: "int:2", small: true, status: h1Breach, raw: "1988.973", penalty: "3977.95",
				steps: []h1Step{{"repeat", "penalty", "1988.973", "3977.946"}, {"rounding", "penalty", "3977.946", "3977.95"}},
				items: []h1Item{
					{id: "P1-0402", at: "2027-04-09 13:00", measured: "5h", deadline: "2027-04-09 12:00", late: "1h"},
					{id: "P1-0403", at: "2027-04-13 08:00", measured: "12h", deadline: "2027-04-12 13:00", late: "8h", amount: "600"},
				}},
			{id: "INC-P2", eligible: 20, met: 17, missed: 3, achieved: h1Q(17, 20), status: h1Breach, raw: "462.991",
				steps: []h1Step{{"franchise", "penalty", "462.991", "0"}},
				items: []h1Item{
					{id: "P2-0418", at: "2027-04-23 16:00", measured: "11h", deadline: "2027-04-23 12:00", late: "3h"},
					{id: "P2-0419", at: "2027-04-23 16:00", measured: "11h", deadline: "2027-04-23 12:00", late: "3h"},
					{id: "P2-0420", at: "2027-04-23 16:00", measured: "11h", deadline: "2027-04-23 12:00", late: "3h"},
				}},
			{id: "INC-P3", eligible: 2, met: 2, achieved: h1Q(2, 2), status: h1Met},
			{id: "ACK", eligible: 23, met: 23, achieved: h1Q(23, 23), status: h1Met},
			{id: "REQ", eligible: 5, met: 4, missed: 1, excluded: map[string]int{"force majeure": 1}, achieved: h1Q(4, 5), status: h1Breach, raw: "20",
				steps: []h1Step{{"franchise", "penalty", "20", "0"}},
				items: []h1Item{{id: "R-0405", at: "2027-04-19 10:00", measured: "46h", deadline: "2027-04-19 09:00", late: "1h"}}},
			{id: "REOPEN", eligible: 29, met: 27, missed: 2, achieved: h1Q(2, 29), status: h1Breach, raw: "500",
				steps: []h1Step{{"franchise", "penalty", "500", "0"}},
				// Nothing is measured on a reopened incident: no measured value.
				items: []h1Item{{id: "P4-0401", at: "2027-04-08 15:00"}, {id: "P4-0402", at: "2027-04-15 16:00"}}},
			{id: "CSAT", eligible: 30, met: 12, missed: 18, achieved: "3.4", status: h1Breach, raw: "1000",
				steps: []h1Step{{"franchise", "penalty", "1000", "0"}},
				ids:   h1IDs("CS04-", 1, 18)},
			{id: "RCA", eligible: 1, met: 1, achieved: h1Q(1, 1), status: h1Met},
			{id: "AVAIL-ERP", eligible: 3, missed: 3, excluded: map[string]int{h1Maint: 1}, achieved: h1Q(1200600, 1216800), status: h1Breach, raw: "1800",
				steps: []h1Step{{"franchise", "penalty", "1800", "0"}},
				items: []h1Item{
					{id: "O-0401", at: "2027-04-06 10:00", measured: "2h"},
					{id: "O-0402", at: "2027-04-06 11:00", measured: "2h30min"},
					{id: "O-0403", at: "2027-04-17 07:00", measured: "1h"},
				},
				avail: h1Avail(338*h1Hour, 4*h1Hour+30*h1Min, 3, h1Hour+50*h1Min)},
			{id: "AVAIL-MAIL", eligible: 2, missed: 2, achieved: h1Q(2588400, 2592000), status: h1Breach, raw: "360",
				steps: []h1Step{{"franchise", "penalty", "360", "0"}},
				items: []h1Item{{id: "M-0401", at: "2027-04-13 10:00", measured: "30min"}, {id: "M-0402", at: "2027-04-30 23:30", measured: "30min"}},
				avail: h1Avail(720*h1Hour, h1Hour, 2, 45*h1Min)},
		},
		steps: []h1Step{
			{"month_cap", "penalty", "3977.95", "3977.95"},
			{"year_cap", "penalty", "3977.95", "3977.95"},
		},
		penalties: "3977.95", bonuses: "0", net: "3977.95",
	},

	// ------------------------------------------------------------------
	// May 2027: repeat breaches doubled, two rule caps, the monthly cap.
	//
	// Calls, Wed 12 May. C05-01…15 answered at 20 s; C05-16…21 at 62 s;
	// C05-22 abandoned after 35 s; C05-23, 24 overflowed; C05-25 abandoned
	// after 4 s (short). First contact: C05-01…14.
	//   TEL-ANSWER 21/24 = 87.5 %: 2.5 points below, 3 started points:
	//   3 × 1 % × 121.20 = 3.636; 2nd consecutive breach: × 2 = 7.272;
	//   rounded 7.27; rule cap 5 % × 121.20 = 6.06.
	//   TEL-SL 15/21 = 71.43 %: 3rd consecutive breach (Mar, Apr waived,
	//   May): 500.00 × 2 = 1,000.00.
	//   TEL-ABANDON 1/24 = 4.17 % met. FCR 14/21 = 66.67 % met, no bonus.
	//   mean wait (15×20 + 6×62)/21 = 672/21 = 32 s.
	//
	// Tickets.
	//   P1-0501 Mon 3 May 10:00 → 13:00: 3 h, on time; acknowledged at 10:40,
	//     40 min > 30 min: missed for ACK (deadline 10:30, late 10 min).
	//   P1-0502 Wed 5 May 15:00 → Fri 7 May 11:30: Wed 15:00–20:00 5 h +
	//     Thu 6 (Ascension) 0 + Fri 07:00–11:30 4.5 h = 9.5 h, missed (deadline
	//     Wed 19:00, late 5.5 h); per item ceil(1.5) = 2 × 150 = 300.00.
	//     INC-P1: 1 missed of 2: the fallback is met, yet the per-item amount
	//     is due ("whether or not the month's objective is met"): 300.00.
	//   P2-0501…0504: 2 h each, on time.
	//   P2-0505 Mon 31 May 09:00 → Tue 1 Jun 10:00: deadline Mon 31 May 18:00
	//     (8 h), still open at the end of May: missed in May (not June),
	//     elapsed 8 + 2 = 10 h, late 2 h.
	//     INC-P2 4/5 = 80 %: tier [80 %, 85 %) (not below 80 %) = 2 % ×
	//     46,278.70 = 925.574; 3rd consecutive breach: × 2 = 1,851.148;
	//     rounded 1,851.15.
	//   P3-0501 Tue 4 May 15:00 → Mon 10 May 17:30. The third open day after
	//     Tue 4 is Mon 10 (Wed 5, [Ascension Thu 6], Fri 7, Mon 10): budget
	//     3 + 9 + 9 + 9 = 30 h; elapsed 29.5 h, on time.
	//   P3-0502 Tue 4 May 16:00 → Tue 11 May 08:30: budget 2 + 27 = 29 h,
	//     elapsed 29.5 h, late 30 min (deadline Mon 10 May 18:00).
	//   P3-0503 Fri 14 May 09:00 → Thu 20 May 16:00: the third open day after
	//     Fri 14 is Thu 20 ([Whit Monday 17], Tue 18, Wed 19, Thu 20): budget
	//     8 + 27 = 35 h; elapsed 8 + 9 + 9 + 7 = 33 h, on time.
	//     INC-P3 2/3 = 66.67 %: 1,000.00, waived (first chargeable breach).
	//   ACK: P1-0501, P1-0502, P2-0501…0504 (P2-0505, on time, counts in June
	//     when it is resolved): 5/6 = 83.33 %: 400.00, waived.
	//   R-0501…0551 Mon 3 May 09:00 → Tue 11 May 17:00: 8 + 9 + 9 + [Ascension]
	//     + 9 + 9 + 8 = 52 h (deadline Tue 11 May 09:00, late 7 h).
	//   R-0552…0554 Mon 3 May 09:00 → Fri 7 May 12:00: 8 + 9 + 9 + 4 = 30 h.
	//     REQ 3/54: 51 × 20.00 = 1,020.00; 2nd consecutive breach: × 2 =
	//     2,040.00; rule cap 2,000.00.
	//   REOPEN: 9 incidents, none reopened.
	//   PB-0501, the problem of P1-0502 (restored Fri 7 May 11:30): the 10th HO
	//     open day after Fri 7 is Mon 24 (10, 11, 12, 13, 14, [Whit Monday 17],
	//     18, 19, 20, 21, 24): budget 5.5 + 90 = 95.5 h; known error on Tue 25
	//     May 10:00: 97.5 h, late 2 h. RCA 0/1: 500.00, waived.
	//
	// Outages. ERP: O-0501 Wed 12 May 14:00–16:00, 2 h:
	// (1,029,600 − 7,200)/1,029,600 = 99.30 %: tier [99 %, 99.5 %) = 5 % ×
	// 18,000 = 900.00; 3rd consecutive breach: × 2 = 1,800.00.
	// E-mail: 30 min of M-0402 (00:00–00:30 on 1 May) + M-0501 Wed 19 May
	// 03:00–03:20: 50 min > 0.1 % × 744 h = 44.64 min: 360.00 × 2 = 720.00.
	// MTTR (1 h + 20 min)/2 = 40 min.
	//
	// Month: 6.06 + 1,000.00 + 300.00 + 1,851.15 + 2,000.00 + 1,800.00 +
	// 720.00 = 7,677.21 > 4,627.87: cut in proportion (see the top of the
	// file). The year has 12,604.36 − 3,977.95 = 8,626.41 left: within.
	{
		period:  "2027-05",
		lines:   h1Desk(21, 3, "88.20", "33.00", "1201", "51", "21017.50", "7140.00"),
		invoice: "46278.70", // 46,157.50 + 88.20 + 33.00
		rules: []h1Rule{
			{id: "TEL-ANSWER", eligible: 24, met: 21, missed: 3, excluded: map[string]int{h1Short: 1}, achieved: h1Q(21, 24), status: h1Breach, raw: "3.636", penalty: "3.65",
				steps: []h1Step{{"repeat", "penalty", "3.636", "7.272"}, {"rounding", "penalty", "7.272", "7.27"}, {"rule_caps", "penalty", "7.27", "6.06"}, {"month_cap", "penalty", "6.06", "3.65"}},
				ids:   h1IDs("C05-", 22, 24), calls: h1Calls(24, 21, 1, 1, 0, 32*h1Second)},
			{id: "TEL-SL", eligible: 21, met: 15, missed: 6, achieved: h1Q(15, 21), status: h1Breach, raw: "500", penalty: "602.81",
				steps: []h1Step{{"repeat", "penalty", "500", "1000"}, {"month_cap", "penalty", "1000", "602.81"}},
				ids:   h1IDs("C05-", 16, 21), calls: h1Calls(21, 21, 0, 0, 15, 32*h1Second)},
			{id: "TEL-ABANDON", eligible: 24, met: 23, missed: 1, excluded: map[string]int{h1Short: 1}, achieved: h1Q(1, 24), status: h1Met,
				ids: []string{"C05-22"}, calls: h1Calls(24, 21, 1, 1, 0, 32*h1Second)},
			{id: "FCR", eligible: 21, met: 14, missed: 7, achieved: h1Q(14, 21), status: h1Met,
				ids: h1IDs("C05-", 15, 21), calls: h1Calls(21, 21, 0, 0, 0, 32*h1Second)},
			{id: "INC-P1", eligible: 2, met: 1, missed: 1, achieved: "int:1", small: true, status: h1Met, raw: "300", penalty: "180.84",
				steps: []h1Step{{"month_cap", "penalty", "300", "180.84"}},
				items: []h1Item{{id: "P1-0502", at: "2027-05-07 11:30", measured: "9h30min", deadline: "2027-05-05 19:00", late: "5h30min", amount: "300"}}},
			{id: "INC-P2", eligible: 5, met: 4, missed: 1, achieved: h1Q(4, 5), status: h1Breach, raw: "925.574", penalty: "1115.89",
				steps: []h1Step{{"repeat", "penalty", "925.574", "1851.148"}, {"rounding", "penalty", "1851.148", "1851.15"}, {"month_cap", "penalty", "1851.15", "1115.89"}},
				items: []h1Item{{id: "P2-0505", at: "2027-05-31 18:00", measured: "10h", deadline: "2027-05-31 18:00", late: "2h", open: true}}},
			{id: "INC-P3", eligible: 3, met: 2, missed: 1, achieved: h1Q(2, 3), status: h1Breach, raw: "1000",
				steps: []h1Step{{"franchise", "penalty", "1000", "0"}},
				items: []h1Item{{id: "P3-0502", at: "2027-05-11 08:30", measured: "29h30min", deadline: "2027-05-10 18:00", late: "30min"}}},
			{id: "ACK", eligible: 6, met: 5, missed: 1, achieved: h1Q(5, 6), status: h1Breach, raw: "400",
				steps: []h1Step{{"franchise", "penalty", "400", "0"}},
				items: []h1Item{{id: "P1-0501", at: "2027-05-03 13:00", measured: "40min", deadline: "2027-05-03 10:30", late: "10min"}}},
			{id: "REQ", eligible: 54, met: 3, missed: 51, achieved: h1Q(3, 54), status: h1Breach, raw: "1020", penalty: "1205.61",
				steps: []h1Step{{"repeat", "penalty", "1020", "2040"}, {"rule_caps", "penalty", "2040", "2000"}, {"month_cap", "penalty", "2000", "1205.61"}},
				items: h1LateRequests()},
			{id: "REOPEN", eligible: 9, met: 9, achieved: h1Q(0, 9), status: h1Met},
			{id: "CSAT", small: true, status: h1NA},
			{id: "RCA", eligible: 1, missed: 1, achieved: h1Q(0, 1), status: h1Breach, raw: "500",
				steps: []h1Step{{"franchise", "penalty", "500", "0"}},
				items: []h1Item{{id: "PB-0501", at: "2027-05-25 10:00", measured: "97h30min", deadline: "2027-05-24 18:00", late: "2h"}}},
			{id: "AVAIL-ERP", eligible: 1, missed: 1, achieved: h1Q(1022400, 1029600), status: h1Breach, raw: "900", penalty: "1085.05",
				steps: []h1Step{{"repeat", "penalty", "900", "1800"}, {"month_cap", "penalty", "1800", "1085.05"}},
				items: []h1Item{{id: "O-0501", at: "2027-05-12 14:00", measured: "2h"}},
				avail: h1Avail(286*h1Hour, 2*h1Hour, 1, 2*h1Hour)},
			{id: "AVAIL-MAIL", eligible: 2, missed: 2, achieved: h1Q(2675400, 2678400), status: h1Breach, raw: "360", penalty: "434.02",
				steps: []h1Step{{"repeat", "penalty", "360", "720"}, {"month_cap", "penalty", "720", "434.02"}},
				items: []h1Item{{id: "M-0402", at: "2027-04-30 23:30", measured: "30min"}, {id: "M-0501", at: "2027-05-19 03:00", measured: "20min"}},
				avail: h1Avail(744*h1Hour, 50*h1Min, 2, 40*h1Min)},
		},
		steps: []h1Step{
			{"month_cap", "penalty", "7677.21", "4627.87"},
			{"year_cap", "penalty", "4627.87", "4627.87"},
		},
		penalties: "4627.87", bonuses: "0", net: "4627.87",
	},

	// ------------------------------------------------------------------
	// June 2027: the monthly cap, then the contract-year cap, then the bonus
	// cap and the netting.
	//
	// Calls, Wed 9 Jun. C06-01…15 answered at 20 s; C06-16…18 at 62 s;
	// C06-19, 20 abandoned after 20 s and 30 s; C06-21 at 07:45 and C06-22 at
	// 18:30 (HO closed), answered at 27 s, first contact. First contact also:
	// C06-01…13. C-BAD is both answered and abandoned: rejected.
	//   TEL-ANSWER 18/20 = 90 %: met at the boundary.
	//   TEL-SL 15/18 = 83.33 % met.
	//   TEL-ABANDON 2/20 = 10 %: breached, May was met, so not a repeat; the
	//   franchise was used in April: 300.00.
	//   FCR 15/20 = 75 %: the bonus boundary: 1 % × 128.00 = 1.28.
	//   mean wait (15×20 + 3×62)/18 = 486/18 = 27 s; FCR (486 + 27 + 27)/20 = 27 s.
	//
	// Tickets.
	//   P1-0601 Thu 3 Jun 09:00 → Fri 4 Jun 11:00: 11 h + 4 h = 15 h (deadline
	//     Thu 13:00, late 11 h); per item 7 started hours × 150 = 1,050.00.
	//   P1-0602 Mon 14 Jun 10:00 → 16:00 with an explicit pause 12:00–15:00:
	//     6 h − 3 h = 3 h, on time.
	//   P1-0603 Sat 19 Jun 18:00 → Mon 21 Jun 09:00: Sat 18:00–20:00 2 h +
	//     (Sunday closed) + Mon 07:00–09:00 2 h = exactly 4 h, on time.
	//   P1-0604 Tue 22 Jun 11:00 → 16:30: 5.5 h (deadline 15:00, late 1.5 h).
	//     INC-P1: 2 missed of 4 > 1: breached, 1st consecutive (May was met):
	//     3 % × 46,285.50 = 1,388.565 + 1,050.00 = 2,438.565, rounded half up
	//     to 2,438.57 (half even would give 2,438.56).
	//   P2-0601…0609 Tue 8 Jun 09:00 → 11:00: on time.
	//   P2-0610 Thu 24 Jun 09:00 → Fri 25 Jun 12:00: 8 + 4 = 12 h (deadline Thu
	//     18:00, late 4 h); acknowledged at 09:45, 45 min (ACK deadline 09:30,
	//     late 15 min). INC-P2 9/10 = 90 %: met at the boundary.
	//   P3-0601 Mon 7 Jun 10:00 → Fri 11 Jun 11:00, "waiting for client" Tue
	//     09:00 → Wed 09:00: budget to the end of Thu 10 = 7 + 27 = 34 h; elapsed
	//     7 + 1 + (paused) + 8 + 9 + 3 = 28 h, on time (the pause moves the
	//     deadline to Fri 11 18:00).
	//   P3-0602 Wed 30 Jun 16:00, still open on 1 Jul 00:00 and not yet due
	//     (end of Mon 5 Jul): pending, counted nowhere.
	//   P3-0603, P3-0604: on time. INC-P3 3/3.
	//   ACK: 4 P1 + P2-0505 (resolved 1 Jun) + 10 P2 = 15; 14/15 = 93.33 %:
	//     400.00, 2nd consecutive breach (May's was waived, still a breach):
	//     × 2 = 800.00.
	//   R-0601, R-0602: 8 + 8 = 16 h. REQ 2/2.
	//   REOPEN: 4 P1 + 11 P2 + 3 P3 + P4-0601 = 19; P4-0601 reopened 3 days
	//     after its resolution: 1/19 = 5.26 %: (1 − 0.95)/19 = 0.263 points
	//     above, 1 started point: 250.00 (the franchise was used in April).
	//   PB-0601, the problem of P1-0601 (restored Fri 4 Jun 11:00), has no root
	//     cause on 1 Jul: the 10th open day after Fri 4 is Fri 18 Jun (7–11,
	//     14–18): deadline Fri 18 Jun 18:00, budget 6 + 90 = 96 h; open at the
	//     end of June and past it: missed in June, elapsed to 1 Jul 00:00 =
	//     6 + 18 open days × 9 = 168 h, late 72 h. RCA 0/1: 500.00, 2nd
	//     consecutive breach: × 2 = 1,000.00.
	//   PB-0602 is linked to a P2: in no rule. T-BAD is resolved before it was
	//     opened: rejected.
	//
	// Surveys: 32 (16 of 5, 16 of 4): mean 144/32 = 4.5 ≥ 4.5: bonus 1,000.00.
	// S-BAD has no name: rejected.
	//
	// Outages. ERP: O-0601, planned Sat 12 Jun, announced Fri 4 Jun 16:00:
	// exactly 5 open days between (Mon 7 … Fri 11), excluded; O-0602 Tue 15 Jun
	// 10:00–10:30: (1,216,800 − 1,800)/1,216,800 = 99.85 %, met. O-BAD ends
	// before it starts: rejected.
	//
	// Month: 300.00 + 2,438.57 + 800.00 + 250.00 + 1,000.00 = 4,788.57 > the
	// monthly cap 4,628.55; then the contract year: 3,998.54 left; bonuses
	// 1,001.28 > 925.71; net 3,998.54 − 925.71 = 3,072.83 (see the top of the
	// file for the cuts).
	{
		period:  "2027-06",
		lines:   h1Desk(20, 4, "84.00", "44.00", "1201", "51", "21017.50", "7140.00"),
		invoice: "46285.50", // 46,157.50 + 84.00 + 44.00
		rules: []h1Rule{
			{id: "TEL-ANSWER", eligible: 20, met: 18, missed: 2, achieved: h1Q(18, 20), status: h1Met,
				ids: h1IDs("C06-", 19, 20), calls: h1Calls(20, 18, 2, 0, 0, 27*h1Second)},
			{id: "TEL-SL", eligible: 18, met: 15, missed: 3, achieved: h1Q(15, 18), status: h1Met,
				ids: h1IDs("C06-", 16, 18), calls: h1Calls(18, 18, 0, 0, 15, 27*h1Second)},
			{id: "TEL-ABANDON", eligible: 20, met: 18, missed: 2, achieved: h1Q(2, 20), status: h1Breach, raw: "300", penalty: "250.50",
				steps: []h1Step{{"month_cap", "penalty", "300", "289.97"}, {"year_cap", "penalty", "289.97", "250.50"}},
				ids:   h1IDs("C06-", 19, 20), calls: h1Calls(20, 18, 2, 0, 0, 27*h1Second)},
			{id: "FCR", eligible: 20, met: 15, missed: 5, achieved: h1Q(15, 20), status: h1Met, rawBonus: "1.28", bonus: "1.18",
				steps: []h1Step{{"bonus", "bonus", "1.28", "1.18"}},
				ids:   h1IDs("C06-", 14, 18), calls: h1Calls(20, 20, 0, 0, 0, 27*h1Second)},
			{id: "INC-P1", eligible: 4, met: 2, missed: 2, achieved: "int:2", small: true, status: h1Breach, raw: "2438.565", penalty: "2036.25",
				steps: []h1Step{{"rounding", "penalty", "2438.565", "2438.57"}, {"month_cap", "penalty", "2438.57", "2357.08"}, {"year_cap", "penalty", "2357.08", "2036.25"}},
				items: []h1Item{
					{id: "P1-0601", at: "2027-06-04 11:00", measured: "15h", deadline: "2027-06-03 13:00", late: "11h", amount: "1050"},
					{id: "P1-0604", at: "2027-06-22 16:30", measured: "5h30min", deadline: "2027-06-22 15:00", late: "1h30min"},
				}},
			{id: "INC-P2", eligible: 10, met: 9, missed: 1, achieved: h1Q(9, 10), status: h1Met,
				items: []h1Item{{id: "P2-0610", at: "2027-06-25 12:00", measured: "12h", deadline: "2027-06-24 18:00", late: "4h"}}},
			{id: "INC-P3", eligible: 3, met: 3, achieved: h1Q(3, 3), status: h1Met},
			{id: "ACK", eligible: 15, met: 14, missed: 1, achieved: h1Q(14, 15), status: h1Breach, raw: "400", penalty: "668.02",
				steps: []h1Step{{"repeat", "penalty", "400", "800"}, {"month_cap", "penalty", "800", "773.27"}, {"year_cap", "penalty", "773.27", "668.02"}},
				items: []h1Item{{id: "P2-0610", at: "2027-06-25 12:00", measured: "45min", deadline: "2027-06-24 09:30", late: "15min"}}},
			{id: "REQ", eligible: 2, met: 2, achieved: h1Q(2, 2), status: h1Met},
			{id: "REOPEN", eligible: 19, met: 18, missed: 1, achieved: h1Q(1, 19), status: h1Breach, raw: "250", penalty: "208.76",
				steps: []h1Step{{"month_cap", "penalty", "250", "241.65"}, {"year_cap", "penalty", "241.65", "208.76"}},
				items: []h1Item{{id: "P4-0601", at: "2027-06-04 11:00"}}},
			{id: "CSAT", eligible: 32, met: 32, achieved: "4.5", status: h1Met, rawBonus: "1000", bonus: "924.53",
				steps: []h1Step{{"bonus", "bonus", "1000", "924.53"}}},
			{id: "RCA", eligible: 1, missed: 1, achieved: h1Q(0, 1), status: h1Breach, raw: "500", penalty: "835.01",
				steps: []h1Step{{"repeat", "penalty", "500", "1000"}, {"month_cap", "penalty", "1000", "966.58"}, {"year_cap", "penalty", "966.58", "835.01"}},
				items: []h1Item{{id: "PB-0601", at: "2027-06-18 18:00", measured: "168h", deadline: "2027-06-18 18:00", late: "72h", open: true}}},
			{id: "AVAIL-ERP", eligible: 1, missed: 1, excluded: map[string]int{h1Maint: 1}, achieved: h1Q(1215000, 1216800), status: h1Met,
				items: []h1Item{{id: "O-0602", at: "2027-06-15 10:00", measured: "30min"}},
				avail: h1Avail(338*h1Hour, 30*h1Min, 1, 30*h1Min)},
			{id: "AVAIL-MAIL", achieved: "1", status: h1Met, avail: h1Avail(720*h1Hour, 0, 0, 0)},
		},
		steps: []h1Step{
			{"month_cap", "penalty", "4788.57", "4628.55"},
			{"year_cap", "penalty", "4628.55", "3998.54"},
			{"bonus", "bonus", "1001.28", "925.71"},
			{"bonus", "net", "3998.54", "3072.83"},
		},
		penalties: "3998.54", bonuses: "925.71", net: "3072.83",
	},
}

// h1LateRequests are R-0501…R-0551: opened Mon 3 May 09:00, fulfilled Tue
// 11 May 17:00 after 52 h of HO time, 7 h past their deadline.
func h1LateRequests() []h1Item {
	var out []h1Item
	for _, id := range h1IDs("R-05", 1, 51) {
		out = append(out, h1Item{id: id, at: "2027-05-11 17:00", measured: "52h", deadline: "2027-05-11 09:00", late: "7h"})
	}
	return out
}

// h1Records is the accounting of every record read, by hand:
//
//	tickets  143 read: 7 in January, 1 in February, 10 in March, 36 in April,
//	         65 in May, 24 in June (T-BAD included).
//	         rejected 1 (T-BAD); excluded 5: P2-0306 "caused by the client"
//	         (level 2, so not billed either), R-0407 "force majeure", R-0406
//	         and PB-0602 out of scope of every rule, P3-0602 open and not
//	         yet due; counted 137.
//	calls    140 read: 22 + 25 + 22 + 23 + 25 + 22, and C-BAD.
//	         rejected 1; excluded 6: the short abandons C01-21, C03-21,
//	         C04-21, C04-22, C05-25, and C03-22 (lunch break, unanswered) in
//	         no rule; counted 133.
//	outages  17 read: rejected 1 (O-BAD); excluded 4: O-0101 too short,
//	         O-0404 and O-0601 announced in time, V-0301 in no rule;
//	         counted 12.
//	samples  76 read: 12 + 30 + 32 surveys, WS-04, S-BAD. Rejected 1
//	         (S-BAD); excluded 1 (WS-04); counted 74.
var h1Records = map[string]sla.RecordCount{
	"tickets": {Read: 143, Counted: 137, Excluded: 5, Rejected: 1, Reasons: map[string]int{
		h1Client: 1, "force majeure": 1, "out of scope of every rule": 2, "open, not yet due": 1}},
	"calls": {Read: 140, Counted: 133, Excluded: 6, Rejected: 1, Reasons: map[string]int{
		h1Short: 5, "out of scope of every rule": 1}},
	"outages": {Read: 17, Counted: 12, Excluded: 4, Rejected: 1, Reasons: map[string]int{
		h1TooShort: 1, h1Maint: 2, "out of scope of every rule": 1}},
	"samples": {Read: 76, Counted: 74, Excluded: 1, Rejected: 1, Reasons: map[string]int{
		"out of scope of every rule": 1}},
}

// h1Rejected are the four bad records, one per source, sorted by source.
var h1Rejected = []sla.Rejection{
	{Source: "calls", ID: "C-BAD", Error: "both answered and abandoned"},
	{Source: "outages", ID: "O-BAD", Error: "ends before it starts"},
	{Source: "samples", ID: "S-BAD", Error: "sample without a name"},
	{Source: "tickets", ID: "T-BAD", Error: "resolved (2027-06-16T09:00:00+02:00) before opened (2027-06-16T10:00:00+02:00)"},
}

// h1Bugs are the subtests where the engine disagrees with the hand
// computation and the engine is wrong: each keeps the hand figure and is
// skipped until the engine is fixed.
//
// CSAT in January: 12 surveys, fewer than the 30 the rule needs, so the
// rule is not applicable (small_volume: {below: 30, objective: none}). The
// engine reports met 0 and missed 12, while it lists 3 missed surveys
// (the scores below 4.0) with missed_listed 3: sla.RuleReport documents
// missed_listed as equal to missed when the list is not limited, and in a
// month with 30 surveys (April) the same rule counts met and missed per
// survey (12 and 18). rulePeriod takes met from the objective that
// applied, here "none", whose met is always 0; the hand figures are those
// of the survey-by-survey count: 9 met, 3 missed.
//
// REOPEN in April and June: each missed (reopened) incident is listed with
// measured "0". Nothing is measured on an item of a share without a clock;
// missedItem prints the zero value of the objective's type (a decimal)
// when the item has no measure of its own. Expected: no measured value.
// h1Bugs names the subtests of engine bugs not fixed yet, with why; the
// two the golden test found (a "none" fallback's counts, and a measured
// value printed for share items without one) are fixed, and their
// subtests run as regression tests.
var h1Bugs = map[string]string{}

func h1Money(s string) decimal.Decimal {
	if s == "" {
		return decimal.Zero
	}
	return decimal.RequireFromString(s)
}

func h1EqMoney(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(h1Money(want)) {
		t.Errorf("%s = %s, want %s", what, got.String(), h1Money(want).String())
	}
}

func h1CheckSteps(t *testing.T, got []sla.TraceLine, want []h1Step) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d steps, want %d:\n got  %s\n want %v", len(got), len(want), h1FmtSteps(got), want)
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Step != w.step || g.Kind != w.kind || !g.Before.Equal(h1Money(w.before)) || !g.After.Equal(h1Money(w.after)) {
			t.Errorf("step %d = %s %s %s → %s (%s), want %s %s %s → %s", i, g.Step, g.Kind, g.Before.String(), g.After.String(), g.Note,
				w.step, w.kind, w.before, w.after)
		}
	}
}

// late is how the expected items write a lateness: "" for none.
func late(d sla.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func h1FmtSteps(steps []sla.TraceLine) string {
	var b bytes.Buffer
	for _, s := range steps {
		fmt.Fprintf(&b, "[%s %s %s → %s] ", s.Step, s.Kind, s.Before.String(), s.After.String())
	}
	return b.String()
}

// h1CheckRule checks one rule over one month, in four subtests so that a
// bug skips only what it affects: counts, measure, amounts, items.
func h1CheckRule(t *testing.T, got sla.RuleReport, w h1Rule) {
	h1Sub(t, "counts", func(t *testing.T) {
		if got.Eligible != w.eligible || got.Met != w.met || got.Missed != w.missed {
			t.Errorf("eligible/met/missed = %d/%d/%d, want %d/%d/%d", got.Eligible, got.Met, got.Missed, w.eligible, w.met, w.missed)
		}
		wantExcl := w.excluded
		if wantExcl == nil {
			wantExcl = map[string]int{}
		}
		if fmt.Sprint(got.Excluded) != fmt.Sprint(wantExcl) {
			t.Errorf("excluded = %v, want %v", got.Excluded, wantExcl)
		}
		if w.calls != nil {
			if got.Calls == nil {
				t.Errorf("no call figures, want %+v", *w.calls)
			} else if *got.Calls != *w.calls {
				t.Errorf("calls = %+v, want %+v", *got.Calls, *w.calls)
			}
		}
		if w.avail != nil {
			if got.Availability == nil {
				t.Errorf("no availability figures, want %+v", *w.avail)
			} else if *got.Availability != *w.avail {
				t.Errorf("availability = %+v, want %+v", *got.Availability, *w.avail)
			}
		}
	})
	h1Sub(t, "measure", func(t *testing.T) {
		switch {
		case w.achieved == "":
			if got.Achieved != nil {
				t.Errorf("achieved = %+v, want none", *got.Achieved)
			}
		case got.Achieved == nil:
			t.Errorf("achieved = none, want %s", w.achieved)
		default:
			typ, val := "decimal", w.achieved
			if n, ok := strings.CutPrefix(w.achieved, "int:"); ok {
				typ, val = "int", n
			}
			if got.Achieved.TypeName() != typ || got.Achieved.Text() != val {
				t.Errorf("achieved = %s %s, want %s %s", got.Achieved.TypeName(), got.Achieved.Text(), typ, val)
			}
		}
		if got.SmallVolume != w.small {
			t.Errorf("small_volume = %v, want %v", got.SmallVolume, w.small)
		}
		if got.Status != w.status {
			t.Errorf("status = %s, want %s", got.Status, w.status)
		}
	})
	h1Sub(t, "amounts", func(t *testing.T) {
		h1EqMoney(t, "raw penalty", got.RawPenalty.Decimal, w.raw)
		h1EqMoney(t, "penalty", got.Penalty.Decimal, w.penalty)
		h1EqMoney(t, "raw bonus", got.RawBonus.Decimal, w.rawBonus)
		h1EqMoney(t, "bonus", got.Bonus.Decimal, w.bonus)
		h1CheckSteps(t, got.Steps, w.steps)
	})
	h1Sub(t, "items", func(t *testing.T) {
		ids := w.ids
		if w.items != nil {
			ids = nil
			for _, it := range w.items {
				ids = append(ids, it.id)
			}
		}
		var gotIDs []string
		for _, m := range got.MissedItems {
			gotIDs = append(gotIDs, m.ID)
		}
		if !slices.Equal(gotIDs, ids) {
			t.Fatalf("missed items = %v, want %v", gotIDs, ids)
		}
		// Every missed item is listed (no ListMissed option): the list is
		// as long as the count of missed items computed by hand.
		if got.MissedListed != w.missed || len(got.MissedItems) != w.missed {
			t.Errorf("missed_listed = %d, %d listed, want %d", got.MissedListed, len(got.MissedItems), w.missed)
		}
		for i, it := range w.items {
			g := got.MissedItems[i]
			if !g.At.Equal(h1At(it.at)) || g.Measured != it.measured || late(g.Late) != it.late || g.Open != it.open {
				t.Errorf("missed %s: at %s measured %q late %q open %v, want at %s measured %q late %q open %v",
					it.id, g.At.Format(time.RFC3339), g.Measured, late(g.Late), g.Open, it.at, it.measured, it.late, it.open)
			}
			if (it.deadline == "") != g.Deadline.IsZero() || (it.deadline != "" && !g.Deadline.Equal(h1At(it.deadline))) {
				t.Errorf("missed %s: deadline %s, want %q", it.id, g.Deadline.Format(time.RFC3339), it.deadline)
			}
			var amount decimal.Decimal
			if g.Amount != nil {
				amount = g.Amount.Decimal
			}
			h1EqMoney(t, "missed "+it.id+" amount", amount, it.amount)
		}
	})
}

// h1Sub runs a subtest, skipped when h1Bugs names it.
func h1Sub(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		if why, ok := h1Bugs[t.Name()]; ok {
			t.Skip("BUG: " + why)
		}
		f(t)
	})
}

func TestGoldenH1(t *testing.T) {
	rep := h1Evaluate(t)

	t.Run("report", func(t *testing.T) {
		if rep.Currency != "EUR" {
			t.Errorf("currency = %q", rep.Currency)
		}
		if !rep.From.Equal(h1At("2027-01-01 00:00")) || !rep.To.Equal(h1At("2027-07-01 00:00")) || !rep.AsOf.Equal(h1At("2027-07-01 00:00")) {
			t.Errorf("from %s to %s as of %s", rep.From, rep.To, rep.AsOf)
		}
		var periods []string
		for _, p := range rep.Periods {
			periods = append(periods, p.Period)
		}
		want := []string{"2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"}
		if !slices.Equal(periods, want) {
			t.Errorf("periods = %v, want %v", periods, want)
		}
		if len(rep.Errors) > 0 || len(rep.Warnings) > 0 {
			t.Errorf("errors %v, warnings %v", rep.Errors, rep.Warnings)
		}
	})

	for _, mw := range h1Want {
		var pr *sla.PeriodReport
		for i := range rep.Periods {
			if rep.Periods[i].Period == mw.period {
				pr = &rep.Periods[i]
			}
		}
		if pr == nil {
			t.Errorf("no period %s", mw.period)
			continue
		}
		t.Run(mw.period+"/invoice", func(t *testing.T) {
			h1EqMoney(t, "invoice", pr.Invoice.Total.Decimal, mw.invoice)
			if len(pr.Invoice.Lines) != len(mw.lines) {
				t.Fatalf("%d invoice lines, want %d", len(pr.Invoice.Lines), len(mw.lines))
			}
			for i, l := range mw.lines {
				g := pr.Invoice.Lines[i]
				if g.Unit != l.unit || !g.Quantity.Equal(h1Money(l.quantity)) || !g.Amount.Equal(h1Money(l.amount)) {
					t.Errorf("line %d = %s %s %s, want %s %s %s", i, g.Unit, g.Quantity.String(), g.Amount.String(), l.unit, l.quantity, l.amount)
				}
			}
			if pr.ContractYear != 1 {
				t.Errorf("contract year %d", pr.ContractYear)
			}
		})
		var ruleIDs, wantIDs []string
		for _, r := range pr.Rules {
			ruleIDs = append(ruleIDs, r.ID)
		}
		for _, w := range mw.rules {
			wantIDs = append(wantIDs, w.id)
		}
		if !slices.Equal(ruleIDs, wantIDs) {
			t.Errorf("%s: rules %v, want %v", mw.period, ruleIDs, wantIDs)
			continue
		}
		for i, w := range mw.rules {
			name := mw.period + "/" + w.id
			t.Run(name, func(t *testing.T) { h1CheckRule(t, pr.Rules[i], w) })
		}
		t.Run(mw.period+"/pipeline", func(t *testing.T) {
			h1CheckSteps(t, pr.Steps, mw.steps)
			h1EqMoney(t, "penalties", pr.Penalties.Decimal, mw.penalties)
			h1EqMoney(t, "bonuses", pr.Bonuses.Decimal, mw.bonuses)
			h1EqMoney(t, "net", pr.Net.Decimal, mw.net)
		})
	}

	t.Run("totals", func(t *testing.T) {
		// Invoices 23,741.00 + 23,742.60 + 23,725.80 + 46,299.10 +
		// 46,278.70 + 46,285.50 = 210,072.70; penalties 0 + 0 + 0 +
		// 3,977.95 + 4,627.87 + 3,998.54 = 12,604.36; bonuses 925.71; net
		// 12,604.36 − 925.71 = 11,678.65. All in contract year 1.
		tot := rep.Totals
		h1EqMoney(t, "invoice", tot.Invoice.Decimal, "210072.70")
		h1EqMoney(t, "penalties", tot.Penalties.Decimal, "12604.36")
		h1EqMoney(t, "bonuses", tot.Bonuses.Decimal, "925.71")
		h1EqMoney(t, "net", tot.Net.Decimal, "11678.65")
		if len(tot.ContractYears) != 1 {
			t.Fatalf("contract years %v", tot.ContractYears)
		}
		y := tot.ContractYears["1"]
		h1EqMoney(t, "year 1 invoice", y.Invoice.Decimal, "210072.70")
		h1EqMoney(t, "year 1 penalties", y.Penalties.Decimal, "12604.36")
		h1EqMoney(t, "year 1 bonuses", y.Bonuses.Decimal, "925.71")
		h1EqMoney(t, "year 1 net", y.Net.Decimal, "11678.65")
	})

	t.Run("records", func(t *testing.T) {
		if len(rep.Records) != len(h1Records) {
			t.Errorf("sources %v", rep.Records)
		}
		for src, w := range h1Records {
			g := rep.Records[src]
			if g == nil {
				t.Errorf("%s: no accounting", src)
				continue
			}
			if g.Read != g.Counted+g.Excluded+g.Rejected {
				t.Errorf("%s: read %d ≠ counted %d + excluded %d + rejected %d", src, g.Read, g.Counted, g.Excluded, g.Rejected)
			}
			if g.Read != w.Read || g.Counted != w.Counted || g.Excluded != w.Excluded || g.Rejected != w.Rejected ||
				fmt.Sprint(g.Reasons) != fmt.Sprint(w.Reasons) {
				t.Errorf("%s = %+v, want %+v", src, *g, w)
			}
		}
	})

	t.Run("rejected", func(t *testing.T) {
		if len(rep.Rejected) != len(h1Rejected) {
			t.Fatalf("rejected %+v, want %+v", rep.Rejected, h1Rejected)
		}
		for i, w := range h1Rejected {
			if g := rep.Rejected[i]; g != w {
				t.Errorf("rejected %d = %+v, want %+v", i, g, w)
			}
		}
	})
}

// TestGoldenH1JSON compares the report, as JSON, with the golden file.
// The figures are checked by TestGoldenH1; this only makes any change of
// the output visible. Rewrite the file with -update.
func TestGoldenH1JSON(t *testing.T) {
	rep := h1Evaluate(t)
	got, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden.Check(t, filepath.Join(h1Dir, "report.golden.json"), got, h1Update())
}
