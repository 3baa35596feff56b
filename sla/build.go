package sla

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/shopspring/decimal"
)

// Report computes the report from what the evaluator has read, with the
// volumes reported for the work units (by month, then unit) and the index
// values of the price revision. It does not change the evaluator: more
// records may be added and Report called again.
func (e *Evaluator) Report(volumes map[string]map[string]decimal.Decimal, indices contract.Indices) (*Report, error) {
	// Work on a copy: finalizing running tickets and ongoing outages
	// counts them, which must not happen twice.
	return e.report(volumes, indices, e.st.clone())
}

// report computes the report over st, which it changes: a copy of the
// evaluator's state, or the state itself when nothing will be added
// after (Evaluate).
func (e *Evaluator) report(volumes map[string]map[string]decimal.Decimal, indices contract.Indices, st *state) (*Report, error) {
	w := e.worker(st)
	asOf := w.cfg.asOf
	if asOf.IsZero() {
		asOf = w.st.maxSeen
	}
	if asOf.IsZero() {
		asOf = w.c.Start()
	}
	w.finalize(asOf)

	b := &builder{e: w, c: w.c, asOf: asOf, volumes: volumes, indices: indices, invoices: map[int]*contract.Invoice{}}
	b.unknownUnits()
	b.unusedIndices()
	if err := b.rows(); err != nil {
		return nil, err
	}
	b.evaluate()
	b.pipeline()
	return b.report(), nil
}

// finalize decides the tickets whose clock was running and the outages
// still going on, now that the extraction instant is known.
func (e *Evaluator) finalize(asOf time.Time) {
	running := e.st.running
	e.st.running = nil
	for _, r := range running {
		env := &e.tenv
		*env = dsl.Ticket{Ticket: r.t}
		e.pauseFrom = nil
		clear(e.scopes)
		tally := r.tally
		for _, idx := range r.rules {
			if rule := e.rules[idx]; inScope(e, rule, &rule.tickets.scope, env, r.t.ID, &tally) {
				e.ticketRule(rule, env, &tally, asOf)
			}
		}
		e.account(contract.Tickets, r.t.ID, &tally)
	}
	ongoing := e.st.ongoing
	e.st.ongoing = nil
	for _, o := range ongoing {
		end := asOf
		if end.Before(o.Start) {
			end = o.Start
		}
		e.outage(o, end)
	}
}

func (s *state) clone() *state {
	c := newState()
	c.merge(&state{
		records:  s.records,
		rejected: s.rejected,
		errors:   s.errors,
		volumes:  s.volumes,
		maxSeen:  s.maxSeen,
		running:  s.running,
		ongoing:  s.ongoing,
	})
	c.rejected = slices.Clone(s.rejected)
	c.errors = slices.Clone(s.errors)
	c.running = slices.Clone(s.running)
	c.ongoing = slices.Clone(s.ongoing)
	s.each(func(k accKey, a *acc) {
		n := &acc{objs: make([]objAcc, len(a.objs)), perItem: make([]decimal.Decimal, len(a.perItem))}
		n.merge(a)
		c.put(k, n)
	})
	return c
}

// builder assembles a report.
type builder struct {
	e        *Evaluator
	c        *contract.Contract
	asOf     time.Time
	volumes  map[string]map[string]decimal.Decimal
	indices  contract.Indices
	invoices map[int]*contract.Invoice // by month index from the term's start

	months    []contract.Period        // every month of the term
	rowsAll   []contract.Period        // the periods of the table, from the first with data to the end of the range
	first     int                      // index in rowsAll of the first period reported
	end       int                      // index in rowsAll after the last period reported: later rows decide franchises only
	cells     [][]*cell                // by row, the rules that land in it, then the groups
	byNode    map[string]map[int]*cell // the cells of each rule and group, by period index
	rowStates []rowState
	warnings  []string
	errors    []RuleError
}

func (b *builder) rows() error {
	c := b.c
	b.months = c.Periods(contract.Month, c.Start(), c.End())
	kind := c.Period()
	from, to := b.e.cfg.from, b.e.cfg.to
	// The span the data touches, within the term.
	var lo, hi time.Time
	touch := func(p contract.Period) {
		if lo.IsZero() || p.Start.Before(lo) {
			lo = p.Start
		}
		if hi.IsZero() || p.End.After(hi) {
			hi = p.End
		}
	}
	b.e.st.each(func(k accKey, _ *acc) { touch(b.e.rules[k.rule].periods.periods[k.period]) })
	for _, months := range b.e.st.volumes {
		for m, n := range months {
			if n > 0 {
				touch(b.months[m])
			}
		}
	}
	if from.IsZero() {
		from, to = lo, hi
		if lo.IsZero() {
			return nil // no data and no range: an empty report
		}
	}
	if from.Before(c.Start()) {
		from = c.Start()
	}
	if to.After(c.End()) {
		to = c.End()
	}
	if !to.After(from) {
		b.warnings = append(b.warnings, "the range reported is outside the term")
		return nil
	}
	start := from
	if !lo.IsZero() && lo.Before(start) {
		start = lo // earlier periods decide franchises, repeats and yearly caps
	}
	end := to
	if dm := c.Pipeline().DeMinimis; dm != nil && dm.Per != contract.Month && hi.After(end) {
		end = hi // a franchise over a longer span is decided on all its data
	}
	b.rowsAll = c.Periods(kind, start, end)
	b.first, b.end = len(b.rowsAll), len(b.rowsAll)
	for i, p := range b.rowsAll {
		if p.End.After(from) && b.first == len(b.rowsAll) {
			b.first = i
		}
		if p.End.After(to) && !p.Start.Before(to) {
			b.end = i
			break
		}
	}
	return nil
}

// unknownUnits warns of the volumes given for work units the contract
// does not have, or under a key that is no month, which no invoice can
// bill: a typing error, most often.
func (b *builder) unknownUnits() {
	var known []string
	for _, u := range b.c.WorkUnits() {
		known = append(known, u.ID)
	}
	months := map[string][]string{}
	for _, month := range slices.Sorted(maps.Keys(b.volumes)) {
		if _, err := time.Parse("2006-01", month); err != nil {
			// The invoices look volumes up by their month as 2027-01.
			b.warnings = append(b.warnings, fmt.Sprintf("volumes are given for %q, which is not a month written as 2027-01: they are ignored", month))
		}
	}
	for month, vols := range b.volumes {
		for id := range vols {
			if !slices.Contains(known, id) {
				months[id] = append(months[id], month)
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(months)) {
		ms := slices.Sorted(slices.Values(months[id]))
		w := fmt.Sprintf("a volume is given for %q (%s), which is no work unit of the contract: it is ignored", id, strings.Join(ms, ", "))
		if hint := diag.Suggest(id, known); hint != "" {
			w += fmt.Sprintf(" (did you mean %q?)", hint)
		}
		b.warnings = append(b.warnings, w)
	}
}

// unusedIndices warns of the index values given that the price revision
// cannot read: those of another index than the revision's, or under a key
// that is no month (the revision looks them up by their month as 2027-09).
func (b *builder) unusedIndices() {
	rev, revised := b.c.Revision()
	for _, name := range slices.Sorted(maps.Keys(b.indices)) {
		if !revised || name != rev.Index {
			uses := "the contract has no price revision"
			if revised {
				uses = fmt.Sprintf("it uses %q", rev.Index)
			}
			b.warnings = append(b.warnings, fmt.Sprintf("index values are given for %q, which the contract's revision does not use (%s): they are ignored", name, uses))
			continue
		}
		for _, month := range slices.Sorted(maps.Keys(b.indices[name])) {
			if _, err := time.Parse("2006-01", month); err != nil {
				b.warnings = append(b.warnings, fmt.Sprintf("index values of %s are given for %q, which is not a month written as 2027-01: they are ignored", name, month))
			}
		}
	}
}

// row returns the index of the table row a rule period lands in: the
// row that contains its last instant.
func (b *builder) row(p contract.Period) int {
	last := p.End.Add(-time.Nanosecond)
	for i, r := range b.rowsAll {
		if r.Contains(last) {
			return i
		}
	}
	return -1
}

// invoice returns the bill of a month, counted volumes and reported ones.
func (b *builder) invoice(mi int) *contract.Invoice {
	if inv, ok := b.invoices[mi]; ok {
		return inv
	}
	month := b.months[mi]
	vols := map[string]decimal.Decimal{}
	for _, u := range b.e.units {
		if n := b.e.st.volume(u.idx, mi); n > 0 {
			vols[u.u.ID] = decimal.NewFromInt(int64(n))
		}
	}
	maps.Copy(vols, b.volumes[month.String()])
	inv, err := b.c.Invoice(month, vols, b.indices)
	if err != nil {
		b.warnings = append(b.warnings, err.Error())
		inv = contract.Invoice{Period: month}
	}
	b.invoices[mi] = &inv
	return &inv
}

// bill sums the invoices of the months of a period.
func (b *builder) bill(p contract.Period) (decimal.Decimal, map[string]decimal.Decimal) {
	total := decimal.Decimal{}
	fees := map[string]decimal.Decimal{}
	for mi, m := range b.months {
		if !m.Start.Before(p.End) || !m.End.After(p.Start) {
			continue
		}
		inv := b.invoice(mi)
		total = total.Add(inv.Total)
		for _, l := range inv.Lines {
			fees[l.Unit] = fees[l.Unit].Add(l.Amount)
		}
	}
	return total, fees
}

// evaluate computes every rule over every period of the table.
func (b *builder) evaluate() {
	b.cells = make([][]*cell, len(b.rowsAll))
	if len(b.rowsAll) == 0 {
		return
	}
	tableStart, tableEnd := b.rowsAll[0].Start, b.rowsAll[len(b.rowsAll)-1].End
	for _, own := range b.e.rules {
		if own.isVersion() {
			continue
		}
		consecutive := 0
		for pi, p := range own.periods.periods {
			if !p.End.After(tableStart) || p.End.After(tableEnd) {
				continue
			}
			ri := b.row(p)
			if ri < 0 {
				continue
			}
			rule := own.at(pi)
			a := b.e.st.peek(accKey{rule.idx, pi})
			if a == nil {
				a = newAcc(rule)
			}
			cl := b.rulePeriod(rule, pi, p, a, &consecutive)
			b.cells[ri] = append(b.cells[ri], cl)
		}
	}
	b.groupCells()
}

// report assembles the report from the rows in range.
func (b *builder) report() *Report {
	c := b.c
	rep := &Report{
		FormatVersion: FormatVersion, Contract: c.Name(), File: c.File(), Currency: c.Currency(), Locale: c.Locale(), AsOf: b.asOf.In(c.Location()),
		Netting: c.Pipeline().Netting, Rules: ruleInfos(c), Groups: groupInfos(c),
		Periods: []PeriodReport{}, Records: map[string]*RecordCount{}, Rejected: []Rejection{}, Errors: []RuleError{}, Warnings: []string{},
		Totals: Totals{ContractYears: map[string]YearTotals{}},
	}
	warned := map[string]bool{}
	warn := func(w string) {
		if !warned[w] {
			warned[w] = true
			rep.Warnings = append(rep.Warnings, w)
		}
	}
	for _, w := range b.warnings {
		warn(w)
	}
	for ri := b.first; ri < b.end; ri++ {
		p := b.rowsAll[ri]
		if rep.From.IsZero() {
			rep.From = p.Start
		}
		rep.To = p.End
		pr := PeriodReport{Period: p.String(), Start: p.Start, End: p.End, ContractYear: c.ContractYear(p.Start),
			Provisional: p.End.After(b.asOf), Rules: []RuleReport{}, Steps: []TraceLine{}}
		pr.Invoice = b.invoiceReport(p, warn)
		for _, cl := range b.cells[ri] {
			r := cl.rep
			r.Penalty, r.Bonus = Money{cl.penalty}, Money{cl.bonus}
			if r.Steps == nil {
				r.Steps = []TraceLine{}
			}
			pr.Rules = append(pr.Rules, r)
		}
		rs := b.rowStates[ri]
		if rs.steps != nil {
			pr.Steps = rs.steps
		}
		pr.Penalties, pr.Bonuses, pr.Net = Money{rs.penalties}, Money{rs.bonuses}, Money{rs.net}
		rep.Periods = append(rep.Periods, pr)

		t := &rep.Totals
		t.Invoice.Decimal = t.Invoice.Add(pr.Invoice.Total.Decimal)
		t.Penalties.Decimal = t.Penalties.Add(rs.penalties)
		t.Bonuses.Decimal = t.Bonuses.Add(rs.bonuses)
		t.Net.Decimal = t.Net.Add(rs.net)
		key := strconv.Itoa(pr.ContractYear)
		y := t.ContractYears[key]
		y.Invoice.Decimal = y.Invoice.Add(pr.Invoice.Total.Decimal)
		y.Penalties.Decimal = y.Penalties.Add(rs.penalties)
		y.Bonuses.Decimal = y.Bonuses.Add(rs.bonuses)
		y.Net.Decimal = y.Net.Add(rs.net)
		t.ContractYears[key] = y
	}
	b.e.st.records.each(func(src contract.Source, t *tallies) { rep.Records[string(src)] = t.report() })
	rep.Rejected = append(rep.Rejected, b.e.st.rejected...)
	slices.SortFunc(rep.Rejected, func(x, y Rejection) int {
		return strings.Compare(fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", x.Source, x.Line, x.ID, x.Column, x.Error),
			fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", y.Source, y.Line, y.ID, y.Column, y.Error))
	})
	rep.Errors = append(append(rep.Errors, b.e.st.errors...), b.errors...)
	slices.SortFunc(rep.Errors, func(x, y RuleError) int {
		return strings.Compare(x.Rule+"\x00"+x.Period+"\x00"+x.Item+"\x00"+x.Error, y.Rule+"\x00"+y.Period+"\x00"+y.Item+"\x00"+y.Error)
	})
	rep.Errors = slices.Compact(rep.Errors)
	return rep
}

func ruleInfos(c *contract.Contract) []RuleInfo {
	var out []RuleInfo
	for _, r := range c.Rules() {
		out = append(out, RuleInfo{ID: r.ID, Name: r.Name, Clause: r.Clause, Source: string(r.Source), Period: string(r.Period),
			Measure: r.Objective.Measure, Unit: r.Objective.Unit(), Op: r.Objective.Op, Objective: quantityOf(r.Objective.Threshold), ObjectiveText: r.Objective.Text})
	}
	return out
}

// invoiceReport is the bill of a row, month by month added up. A unit
// that counts the records of a source not given bills 0, and says so: the
// invoice, and the caps computed on it, are then below the contract's.
func (b *builder) invoiceReport(p contract.Period, warn func(string)) InvoiceReport {
	ir := InvoiceReport{Lines: []InvoiceLine{}}
	idx := map[string]int{}
	for mi, m := range b.months {
		if !m.Start.Before(p.End) || !m.End.After(p.Start) {
			continue
		}
		inv := b.invoice(mi)
		for _, w := range inv.Warnings {
			ir.Warnings = append(ir.Warnings, w)
			warn(w)
		}
		ir.Total.Decimal = ir.Total.Add(inv.Total)
		for _, l := range inv.Lines {
			i, ok := idx[l.Unit]
			if !ok {
				i = len(ir.Lines)
				idx[l.Unit] = i
				ir.Lines = append(ir.Lines, InvoiceLine{Unit: l.Unit, Name: l.Name, Revision: Number{l.Revision}, Fixed: l.Fixed})
				if !l.Fixed && len(l.Bands) == 0 {
					ir.Lines[i].UnitPrice = &Money{l.UnitPrice}
				}
			}
			line := &ir.Lines[i]
			if !l.PriceFrom.IsZero() {
				line.PriceFrom = l.PriceFrom.Format(time.DateOnly)
			}
			line.Quantity.Decimal = line.Quantity.Add(l.Quantity)
			line.Amount.Decimal = line.Amount.Add(l.Amount)
			for _, bl := range l.Bands {
				line.Bands = append(line.Bands, BandLine{From: Number{bl.From}, To: Number{bl.To}, Quantity: Number{bl.Quantity},
					UnitPrice: Money{bl.UnitPrice}, Amount: Money{bl.Amount}})
			}
		}
	}
	for _, u := range b.c.WorkUnits() {
		if _, billed := idx[u.ID]; billed && !u.Volume.Given && u.Volume.Source != "" && !b.e.cfg.givenSource(u.Volume.Source) {
			w := fmt.Sprintf("work unit %s counts %s, which were not given: billed 0", u.ID, u.Volume.Source)
			ir.Warnings = append(ir.Warnings, w)
			warn(w)
		}
	}
	return ir
}
