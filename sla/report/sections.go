package report

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// builder turns a report into a document.
type builder struct {
	r    *sla.Report
	o    Options
	f    Format
	html bool // add the charts of the HTML page
	doc  *document
}

func buildDocument(r *sla.Report, o Options, html bool) *document {
	f := NewFormat(r, o)
	b := &builder{r: r, o: o, f: f, html: html, doc: &document{title: f.tr(o.title(r))}}
	b.header()
	b.summary()
	if html {
		b.charts()
	}
	b.rules()
	for i := range r.Periods {
		b.period(i, &r.Periods[i])
	}
	b.totals()
	b.records()
	b.problems()
	return b.doc
}

// cur is the currency suffix of amount column headers: "penalty €".
func (b *builder) cur(h string) string {
	h = b.f.tr(h)
	if s := b.f.symbol(); s != "" {
		return h + " " + s
	}
	return h
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Second() != 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

func (b *builder) header() {
	r := b.r
	var fl fields
	addField := func(k, v string) {
		if v != "" {
			fl.keys = append(fl.keys, k)
			fl.values = append(fl.values, v)
		}
	}
	if b.o.Title != "" {
		addField(b.f.tr("Contract"), r.Contract)
	}
	addField(b.f.tr("File"), r.File)
	if n := len(r.Periods); n > 0 {
		span := r.Periods[0].Period
		if n > 1 {
			span += b.f.tr(" to ") + r.Periods[n-1].Period
		}
		addField(b.f.tr("Periods"), fmt.Sprintf("%s (%d)", span, n))
	} else {
		addField(b.f.tr("Periods"), b.f.tr("none"))
	}
	if !r.AsOf.IsZero() {
		addField(b.f.tr("As of"), formatTime(r.AsOf)+" "+zoneName(r.AsOf))
	}
	addField(b.f.tr("Currency"), r.Currency)
	if len(fl.keys) > 0 {
		b.doc.add(fl)
	}
}

func zoneName(t time.Time) string {
	name, _ := t.Zone()
	if name == "" {
		return t.Format("-07:00")
	}
	return name
}

func (b *builder) summary() {
	r, f := b.r, b.f
	if !b.section(b.f.tr("Summary"), "summary", len(r.Periods), b.f.tr("No period was evaluated.")) {
		return
	}
	t := &Table{
		Header: []string{b.f.tr("period"), b.f.tr("contract year"), b.cur("invoice"), b.cur("penalties"), b.cur("bonuses"), b.cur("net")},
		Align:  []Align{Left, Right, Right, Right, Right, Right},
	}
	provisional := false
	for _, p := range r.Periods {
		name := p.Period
		if p.Provisional {
			name += b.f.tr(" (provisional)")
			provisional = true
		}
		t.Rows = append(t.Rows, []string{name, strconv.Itoa(p.ContractYear), f.Amount(p.Invoice.Total.Decimal),
			f.Amount(p.Penalties.Decimal), f.Amount(p.Bonuses.Decimal), f.Amount(p.Net.Decimal)})
	}
	tt := r.Totals
	t.Footer = [][]string{{b.f.tr("total"), "", f.Amount(tt.Invoice.Decimal), f.Amount(tt.Penalties.Decimal), f.Amount(tt.Bonuses.Decimal), f.Amount(tt.Net.Decimal)}}
	b.doc.add(tableBlock{t})
	legend := b.f.tr("Penalties and bonuses are due after every step of the contract's pipeline; net is what the provider owes (negative: a bonus paid).")
	if provisional {
		legend += b.f.tr(" A provisional period had not ended at the instant the data describes: its figures may still change.")
	}
	b.doc.add(para{legend})
}

// ruleInfo is a rule as the report names it across periods.
type ruleInfo struct {
	id, name, objective string
}

// ruleList returns the rules of the report in the order they first
// appear, with the objective text of their first period measured at full
// volume.
func ruleList(r *sla.Report) []ruleInfo {
	var out []ruleInfo
	small := map[string]string{}
	idx := map[string]int{}
	for _, p := range r.Periods {
		for _, rr := range p.Rules {
			i, ok := idx[rr.ID]
			if !ok {
				i = len(out)
				idx[rr.ID] = i
				out = append(out, ruleInfo{id: rr.ID, name: rr.Name})
			}
			if out[i].objective == "" && !rr.SmallVolume {
				out[i].objective = rr.ObjectiveText
			}
			if rr.SmallVolume && small[rr.ID] == "" && rr.Measure != contract.MeasureNone {
				small[rr.ID] = rr.ObjectiveText
			}
			if out[i].name == "" {
				out[i].name = rr.Name
			}
		}
	}
	main := map[string]string{}
	for _, ri := range r.Rules {
		main[ri.ID] = ri.ObjectiveText
	}
	for i := range out {
		if out[i].objective == "" {
			// Only ever measured below its minimum volume: the contract's
			// objective, else the one that applied there.
			out[i].objective = cmp.Or(main[out[i].id], small[out[i].id])
		}
	}
	return out
}

func (b *builder) rules() {
	rules := ruleList(b.r)
	if len(rules) == 0 {
		return
	}
	b.doc.add(heading{level: 2, text: b.f.tr("Rules"), id: "rules"})
	t := &Table{Header: []string{b.f.tr("rule"), b.f.tr("objective"), b.f.tr("name")}, MaxWidth: []int{0, 42, 43}}
	for _, ri := range rules {
		t.Rows = append(t.Rows, []string{ri.id, ri.objective, ri.name})
	}
	b.doc.add(tableBlock{t})
}

func (f Format) statusText(s sla.Status) string {
	switch s {
	case sla.StatusMet:
		return f.tr("met")
	case sla.StatusBreached:
		return f.tr("BREACHED")
	case sla.StatusNotApplicable:
		return f.tr("n/a")
	case sla.StatusNoData:
		return f.tr("no data")
	}
	return string(s)
}

func statusClass(s sla.Status) string {
	switch s {
	case sla.StatusMet:
		return "met"
	case sla.StatusBreached:
		return "breached"
	case sla.StatusNotApplicable:
		return "na"
	case sla.StatusNoData:
		return "nodata"
	}
	return ""
}

// nonZero formats an amount, or "" when it is zero.
func (b *builder) nonZero(m sla.Money) string {
	if m.IsZero() {
		return ""
	}
	return b.f.Amount(m.Decimal)
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// reasons lists counts per reason, the largest first: "short abandon 5,
// out of scope 1".
func reasons(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func periodID(p *sla.PeriodReport) string { return "period-" + p.Period }

func (b *builder) period(i int, p *sla.PeriodReport) {
	f := b.f
	title := p.Period
	if p.ContractYear > 0 {
		title += b.f.tr(", contract year ") + strconv.Itoa(p.ContractYear)
	}
	if p.Provisional {
		title += b.f.tr(" (provisional)")
	}
	b.doc.add(groupBlock{open: true, class: "period"})
	defer b.doc.add(groupBlock{open: false})
	b.doc.add(heading{level: 2, text: title, id: periodID(p)})
	if p.Provisional {
		b.doc.add(para{b.f.trf("Provisional: the period ends on %s, after the instant the data describes (%s). Its figures may still change.",
			formatTime(p.End), formatTime(b.r.AsOf))})
	}
	b.invoice(&p.Invoice)
	b.serviceLevels(p)
	if b.html && hasFlows(p) {
		b.doc.add(chartBlock{class: "waterfall", svg: func(buf *bytes.Buffer) error { return b.waterfall(buf, i, p) }})
	}
	if !b.o.HideTrace {
		b.trace(p)
	}
	if !b.o.HideMissed {
		b.missed(p)
		b.excluded(p)
	}
	b.doc.add(heading{level: 3, text: b.f.trf("Due for %s", p.Period)})
	b.doc.add(fields{
		keys:   []string{b.f.tr("Penalties"), b.f.tr("Bonuses"), b.f.tr("Net")},
		values: []string{f.Money(p.Penalties.Decimal), f.Money(p.Bonuses.Decimal), f.Money(p.Net.Decimal)},
	})
}

// invoice is the period's bill: a line per work unit, and a line per
// volume band it used; the revision coefficient when prices are revised.
func (b *builder) invoice(inv *sla.InvoiceReport) {
	f := b.f
	b.doc.add(heading{level: 3, text: f.trf("Invoice: %s", f.Money(inv.Total.Decimal))})
	if len(inv.Lines) > 0 {
		revised := false
		for _, l := range inv.Lines {
			if !l.Revision.IsZero() && !l.Revision.Equal(decimal.NewFromInt(1)) {
				revised = true
			}
		}
		t := &Table{Header: []string{b.f.tr("unit"), b.f.tr("name"), b.f.tr("quantity"), b.cur("unit price"), b.cur("amount")},
			Align: []Align{Left, Left, Right, Right, Right}, MaxWidth: []int{0, 46}}
		if revised {
			t.Header = append(t.Header[:4:4], b.f.tr("revision"), b.cur("amount"))
			t.Align = append(t.Align[:4:4], Right, Right)
		}
		for _, l := range inv.Lines {
			t.Rows = append(t.Rows, b.invoiceLine(l, revised)...)
		}
		b.doc.add(tableBlock{t})
	}
	for _, w := range inv.Warnings {
		b.doc.add(para{f.trf("Warning: %s", w)})
	}
}

// invoiceLine is the rows of a line of the bill: the line, then its bands.
func (b *builder) invoiceLine(l sla.InvoiceLine, revised bool) [][]string {
	f := b.f
	price, qty := "", f.Number(l.Quantity.Decimal)
	switch {
	case l.UnitPrice != nil:
		price = f.ExactAmount(l.UnitPrice.Decimal)
	case len(l.Bands) > 0:
		price = f.tr("bands")
	default:
		price = f.tr("fixed")
		if l.Quantity.IsZero() {
			qty = ""
		}
	}
	name := l.Name
	if l.PriceFrom != "" {
		name += f.trf(" (price from %s)", l.PriceFrom)
	}
	row := []string{l.Unit, name, qty, price}
	if revised {
		row = append(row, f.Number(l.Revision.Decimal))
	}
	rows := [][]string{append(row, f.Amount(l.Amount.Decimal))}
	for k, bl := range l.Bands {
		if bl.Quantity.IsZero() {
			continue
		}
		span := f.Number(bl.From.Decimal) + "–"
		if !bl.To.IsZero() || k < len(l.Bands)-1 {
			span += f.Number(bl.To.Decimal)
		} else {
			span = f.trf("from %s", f.Number(bl.From.Decimal))
		}
		row := []string{"", nbsp + nbsp + f.trf("band %s", span), f.Number(bl.Quantity.Decimal), f.ExactAmount(bl.UnitPrice.Decimal)}
		if revised {
			row = append(row, "")
		}
		rows = append(rows, append(row, f.Amount(bl.Amount.Decimal)))
	}
	return rows
}

// serviceLevels is the table of the period's rules, its legend and the
// reasons of exclusions.
func (b *builder) serviceLevels(p *sla.PeriodReport) {
	f := b.f
	b.doc.add(heading{level: 3, text: b.f.tr("Service levels")})
	if len(p.Rules) == 0 {
		b.doc.add(para{b.f.tr("No rule was evaluated in this period.")})
		return
	}
	t := &Table{
		Header: []string{b.f.tr("rule"), b.f.tr("elig"), b.f.tr("met"), b.f.tr("miss"), b.f.tr("excl"), b.f.tr("achieved"), b.f.tr("objective"), b.f.tr("status"), b.cur("raw"), b.cur("penalty"), b.cur("bonus")},
		Align:  []Align{Left, Right, Right, Right, Right, Right, Left, Left, Right, Right, Right},
	}
	small, nodata, excluded := false, false, []string{}
	for k := range p.Rules {
		rr := &p.Rules[k]
		nodata = nodata || rr.Status == sla.StatusNoData
		id := rr.ID
		if rr.Period != "" && rr.Period != p.Period {
			// A rule measured over a longer period, ending in this one.
			id += " (" + rr.Period + ")"
		}
		if rr.VersionFrom != "" {
			// The rule as an amendment set it from that day.
			id += f.trf(" (version from %s)", rr.VersionFrom)
		}
		t.Rows = append(t.Rows, []string{id, f.Number(decimal.NewFromInt(int64(rr.Eligible))), f.Number(decimal.NewFromInt(int64(rr.Met))),
			f.Number(decimal.NewFromInt(int64(rr.Missed))), f.Number(decimal.NewFromInt(int64(sumCounts(rr.Excluded)))),
			f.achieved(rr), f.objective(rr), f.statusText(rr.Status), b.nonZero(rr.RawPenalty), b.nonZero(rr.Penalty), b.nonZero(rr.Bonus)})
		t.RowClass = append(t.RowClass, statusClass(rr.Status))
		small = small || rr.SmallVolume
		if len(rr.Excluded) > 0 {
			excluded = append(excluded, rr.ID+f.colon()+reasons(rr.Excluded))
		}
	}
	b.doc.add(tableBlock{t})
	legend := f.tr("elig: items counted; miss: items that missed; excl: items excluded; raw: the penalty as the rule's formulas give it, before the pipeline; amounts to the cent (the pipeline's trace and the JSON report keep them exact); blank amounts are zero; n/a: not applicable (nothing measured, or too few items).")
	if small {
		legend += f.tr(" An objective that names its measure (missed ≤ 1) is the one that applies below the rule's minimum volume.")
	}
	if nodata {
		legend += f.tr(" no data: the records of the rule's source were not given, so the rule was not evaluated and carries no penalty and no bonus.")
	}
	b.doc.add(para{legend})
	if len(excluded) > 0 {
		b.doc.add(para{f.trf("Excluded: %s.", strings.Join(excluded, f.semicolon()))})
	}
}

// stepName names a step of the pipeline for a reader.
func (f Format) stepName(s sla.TraceLine) string {
	name := f.stepLabel(s.Step)
	switch s.Step {
	case contract.StepRuleCaps:
		name = f.tr("rule cap")
	case contract.StepBonus:
		switch s.Kind {
		case sla.NetAmount:
			return f.tr("netting")
		case sla.BonusAmount:
			return f.tr("bonus cap")
		}
	}
	if s.Kind == sla.BonusAmount {
		name += f.tr(" (bonus)")
	}
	return name
}

// stepLabel is a step as a reader reads it: "month cap".
func (f Format) stepLabel(s contract.Step) string { return f.tr(stepLabel(s)) }

func (b *builder) trace(p *sla.PeriodReport) {
	f := b.f
	t := &Table{Header: []string{b.f.tr("rule"), b.f.tr("step"), b.cur("before"), b.cur("after"), b.f.tr("note")},
		Align: []Align{Left, Left, Right, Right, Left}, MaxWidth: []int{0, 0, 0, 0, 46}}
	for _, rr := range p.Rules {
		for _, s := range rr.Steps {
			if s.Before.Equal(s.After.Decimal) && s.Step != contract.StepGroup {
				continue
			}
			t.Rows = append(t.Rows, []string{rr.ID, f.stepName(s), f.ExactAmount(s.Before.Decimal), f.ExactAmount(s.After.Decimal), s.Note})
		}
	}
	for _, s := range p.Steps {
		t.Rows = append(t.Rows, []string{f.tr("(period)"), f.stepName(s), f.ExactAmount(s.Before.Decimal), f.ExactAmount(s.After.Decimal), s.Note})
	}
	if len(t.Rows) == 0 {
		return
	}
	b.doc.add(heading{level: 3, text: b.f.tr("Penalty pipeline")})
	b.doc.add(tableBlock{t})
}

// openLabel marks a missed item still running past its deadline with
// what that means under the rule's choice of where it counts.
func openLabel(f Format, l contract.LateOpen) string {
	if l == contract.LateOpenAttribution {
		return f.tr(" (open when extracted)")
	}
	return f.tr(" (open at period end)")
}

func (b *builder) missed(p *sla.PeriodReport) {
	f := b.f
	t := &Table{Header: []string{b.f.tr("rule"), b.f.tr("item"), b.f.tr("at"), b.f.tr("measured"), b.f.tr("deadline"), b.f.tr("late"), b.cur("amount")},
		Align: []Align{Left, Left, Left, Right, Left, Right, Right}, MaxWidth: []int{0, 24, 0, 18, 0, 10}}
	var notes []string
	title := "Missed items of the rules breached"
	for _, rr := range p.Rules {
		// A rule met may still be charged (a penalty per late item): its
		// items say what for. A group's missed items are its members'.
		charged := rr.Status != sla.StatusBreached && !rr.RawPenalty.IsZero()
		if rr.Status != sla.StatusBreached && !charged || rr.Group != nil {
			continue
		}
		if charged {
			title = "Missed items of the rules breached or charged"
		}
		items := rr.MissedItems
		if b.o.MaxMissed > 0 && len(items) > b.o.MaxMissed {
			items = items[:b.o.MaxMissed]
		}
		for _, it := range items {
			id := it.ID
			if it.Open {
				id += openLabel(f, rr.LateOpen)
			}
			if it.Adjustment != "" {
				id += f.tr(" (adjusted)")
				notes = append(notes, it.ID+f.colon()+it.Adjustment)
			}
			amount := ""
			if it.Amount != nil {
				amount = f.Amount(it.Amount.Decimal)
			}
			t.Rows = append(t.Rows, []string{rr.ID, id, formatTime(it.At), f.measured(it.Measured), formatTime(it.Deadline), f.Lateness(time.Duration(it.Late)), amount})
		}
		if len(items) < rr.Missed {
			notes = append(notes, f.trf("%s: %d of %d missed items listed", rr.ID, len(items), rr.Missed))
		}
	}
	if len(t.Rows) == 0 && len(notes) == 0 {
		return
	}
	b.doc.add(heading{level: 3, text: b.f.tr(title)})
	if len(t.Rows) > 0 {
		b.doc.add(tableBlock{t})
		b.doc.add(para{b.f.tr("at: the instant that placed the item in this period (a ticket's resolution, a call's offer, an outage's start, unless the rule names another); measured: the open time its clock ran, the call's wait or the outage's duration, to the second, rounded up; deadline: when its clock ran out; late: open time beyond the deadline, rounded up to the second; (open): still running at the end of the period.")})
	}
	if len(notes) > 0 {
		b.doc.add(para{strings.Join(notes, f.semicolon()) + "."})
	}
}

// excluded lists the items exclusions left out of the period's rules,
// met or not: what was left out of a rule met is what the parties argue
// about. A group's are its members'.
func (b *builder) excluded(p *sla.PeriodReport) {
	f := b.f
	t := &Table{Header: []string{f.tr("rule"), f.tr("item"), f.tr("at"), f.tr("reason")},
		Align: []Align{Left, Left, Left, Left}, MaxWidth: []int{0, 24, 0, 46}}
	var notes []string
	shortAbandons := false
	for _, rr := range p.Rules {
		if rr.Group != nil {
			continue
		}
		items := rr.ExcludedItems
		if b.o.MaxMissed > 0 && len(items) > b.o.MaxMissed {
			items = items[:b.o.MaxMissed]
		}
		for _, it := range items {
			id := it.ID
			if it.Adjustment != "" {
				id += f.tr(" (adjusted)")
				notes = append(notes, it.ID+f.colon()+it.Adjustment)
			}
			t.Rows = append(t.Rows, []string{rr.ID, id, formatTime(it.At), it.Reason})
		}
		short := 0
		if rr.Calls != nil {
			short = rr.Calls.ShortAbandons
		}
		shortAbandons = shortAbandons || short > 0
		if listable := sumCounts(rr.Excluded) - short; len(items) < listable {
			notes = append(notes, f.trf("%s: %d of %d excluded items listed", rr.ID, len(items), listable))
		}
	}
	if len(t.Rows) == 0 && len(notes) == 0 {
		return
	}
	b.doc.add(heading{level: 3, text: f.tr("Excluded items")})
	if len(t.Rows) > 0 {
		b.doc.add(tableBlock{t})
		legend := f.tr("at: the instant that placed the item in this period; reason: the exclusion that left it out of the rule (agreed: one both parties agreed).")
		if shortAbandons {
			legend += f.tr(" Short abandons are counted among the excluded items, not listed.")
		}
		b.doc.add(para{legend})
	}
	if len(notes) > 0 {
		b.doc.add(para{strings.Join(notes, f.semicolon()) + "."})
	}
}

func (b *builder) totals() {
	r, f := b.r, b.f
	b.doc.add(heading{level: 2, text: b.f.tr("Totals"), id: "totals"})
	t := &Table{Header: []string{"", b.cur("invoice"), b.cur("penalties"), b.cur("bonuses"), b.cur("net")},
		Align: []Align{Left, Right, Right, Right, Right}}
	years := slices.Collect(maps.Keys(r.Totals.ContractYears))
	sort.Slice(years, func(i, j int) bool {
		a, errA := strconv.Atoi(years[i])
		c, errC := strconv.Atoi(years[j])
		if errA == nil && errC == nil {
			return a < c
		}
		return years[i] < years[j]
	})
	for _, y := range years {
		v := r.Totals.ContractYears[y]
		t.Rows = append(t.Rows, []string{f.tr("contract year ") + y, f.Amount(v.Invoice.Decimal), f.Amount(v.Penalties.Decimal), f.Amount(v.Bonuses.Decimal), f.Amount(v.Net.Decimal)})
	}
	tt := r.Totals
	t.Footer = [][]string{{b.f.tr("total"), f.Amount(tt.Invoice.Decimal), f.Amount(tt.Penalties.Decimal), f.Amount(tt.Bonuses.Decimal), f.Amount(tt.Net.Decimal)}}
	b.doc.add(tableBlock{t})
	b.doc.add(fields{keys: []string{f.tr("Net due")}, values: []string{f.Money(tt.Net.Decimal)}})
}

func (b *builder) records() {
	r, f := b.r, b.f
	if !b.section(b.f.tr("Records"), "records", len(r.Records), b.f.tr("No record was read.")) {
		return
	}
	t := &Table{Header: []string{b.f.tr("source"), b.f.tr("read"), b.f.tr("counted"), b.f.tr("excluded"), b.f.tr("rejected"), b.f.tr("why excluded")},
		Align: []Align{Left, Right, Right, Right, Right, Left}, MaxWidth: []int{0, 0, 0, 0, 0, 50}}
	srcs := slices.Sorted(maps.Keys(r.Records))
	var off, inferred []string
	n := func(i int) string { return f.Number(decimal.NewFromInt(int64(i))) }
	var total sla.RecordCount
	for _, s := range srcs {
		rc := r.Records[s]
		if rc == nil {
			continue
		}
		if len(rc.Inferred) > 0 {
			inferred = append(inferred, s+f.colon()+reasons(rc.Inferred))
		}
		t.Rows = append(t.Rows, []string{s, n(rc.Read), n(rc.Counted), n(rc.Excluded), n(rc.Rejected), reasons(rc.Reasons)})
		if rc.Read != rc.Counted+rc.Excluded+rc.Rejected {
			off = append(off, f.trf("%s: %d read, but %d counted + %d excluded + %d rejected = %d",
				s, rc.Read, rc.Counted, rc.Excluded, rc.Rejected, rc.Counted+rc.Excluded+rc.Rejected))
		}
		total.Read += rc.Read
		total.Counted += rc.Counted
		total.Excluded += rc.Excluded
		total.Rejected += rc.Rejected
	}
	t.Footer = [][]string{{b.f.tr("total"), n(total.Read), n(total.Counted), n(total.Excluded), n(total.Rejected), ""}}
	b.doc.add(tableBlock{t})
	if len(off) > 0 {
		b.doc.add(para{f.trf("The accounting does not add up: %s.", strings.Join(off, f.semicolon()))})
	} else {
		b.doc.add(para{b.f.tr("Every record read is counted by some rule or work unit, excluded, or rejected: read = counted + excluded + rejected.")})
	}
	if len(inferred) > 0 {
		b.doc.add(para{f.trf("Fields the reader inferred rather than read (a resolution taken from the status history): %s.", strings.Join(inferred, f.semicolon()))})
	}
}

// section adds a section's heading, and the sentence none when it has
// nothing to list (n is 0); it reports whether there is something to list.
// Both texts come translated, so that the translation test finds them.
func (b *builder) section(title, id string, n int, none string) bool {
	b.doc.add(heading{level: 2, text: title, id: id})
	if n == 0 {
		b.doc.add(para{none})
		return false
	}
	return true
}

func (b *builder) problems() {
	r := b.r
	if b.section(b.f.tr("Rejected records"), "rejected", len(r.Rejected), b.f.tr("None.")) {
		t := &Table{Header: []string{b.f.tr("source"), b.f.tr("line"), b.f.tr("column"), b.f.tr("id"), b.f.tr("error")},
			Align: []Align{Left, Right, Left, Left, Left}, MaxWidth: []int{24, 0, 14, 20, 50}}
		for _, x := range r.Rejected {
			line := ""
			if x.Line > 0 {
				line = strconv.Itoa(x.Line)
			}
			t.Rows = append(t.Rows, []string{x.Source, line, x.Column, x.ID, x.Error})
		}
		b.doc.add(tableBlock{t})
	}
	if b.section(b.f.tr("Rule errors"), "errors", len(r.Errors), b.f.tr("None.")) {
		t := &Table{Header: []string{b.f.tr("rule"), b.f.tr("period"), b.f.tr("item"), b.f.tr("error")}, MaxWidth: []int{0, 0, 20, 60}}
		for _, e := range r.Errors {
			t.Rows = append(t.Rows, []string{e.Rule, e.Period, e.Item, e.Error})
		}
		b.doc.add(tableBlock{t})
	}
	if len(r.Warnings) > 0 {
		b.doc.add(heading{level: 2, text: b.f.tr("Warnings"), id: "warnings"})
		b.doc.add(list{items: slices.Clone(r.Warnings)})
	}
	b.adjustments()
}

// adjustments lists the agreed adjustments applied before the
// evaluation, with the records each matched.
func (b *builder) adjustments() {
	if b.r.Provenance == nil || len(b.r.Provenance.Adjustments) == 0 {
		return
	}
	f := b.f
	b.doc.add(heading{level: 2, text: f.tr("Agreed adjustments"), id: "adjustments"})
	t := &Table{Header: []string{f.tr("item"), f.tr("decision"), f.tr("reason"), f.tr("agreed by"), f.tr("date"), f.tr("records")},
		Align: []Align{Left, Left, Left, Left, Left, Right}, MaxWidth: []int{20, 30, 40, 30, 0, 0}}
	for _, a := range b.r.Provenance.Adjustments {
		t.Rows = append(t.Rows, []string{a.Item, a.Decision, a.Reason, a.AgreedBy, a.Date, strconv.Itoa(a.Matched)})
	}
	b.doc.add(tableBlock{t})
}

// stepLabel is a step as the data of a chart names it, in English:
// "month cap". Format.stepLabel is the same for a reader.
func stepLabel(s contract.Step) string { return strings.ReplaceAll(string(s), "_", " ") }
