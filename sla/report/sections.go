package report

import (
	"bytes"
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
	b := &builder{r: r, o: o, f: NewFormat(r, o), html: html, doc: &document{title: o.title(r)}}
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
		addField("Contract", r.Contract)
	}
	addField("File", r.File)
	if n := len(r.Periods); n > 0 {
		span := r.Periods[0].Period
		if n > 1 {
			span += " to " + r.Periods[n-1].Period
		}
		addField("Periods", fmt.Sprintf("%s (%d)", span, n))
	} else {
		addField("Periods", "none")
	}
	if !r.AsOf.IsZero() {
		addField("As of", formatTime(r.AsOf)+" "+zoneName(r.AsOf))
	}
	addField("Currency", r.Currency)
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
	b.doc.add(heading{level: 2, text: "Summary", id: "summary"})
	if len(r.Periods) == 0 {
		b.doc.add(para{"No period was evaluated."})
		return
	}
	t := &Table{
		Header: []string{"period", "contract year", b.cur("invoice"), b.cur("penalties"), b.cur("bonuses"), b.cur("net")},
		Align:  []Align{Left, Right, Right, Right, Right, Right},
	}
	for _, p := range r.Periods {
		t.Rows = append(t.Rows, []string{p.Period, strconv.Itoa(p.ContractYear), f.Amount(p.Invoice.Total.Decimal),
			f.Amount(p.Penalties.Decimal), f.Amount(p.Bonuses.Decimal), f.Amount(p.Net.Decimal)})
	}
	tt := r.Totals
	t.Footer = [][]string{{"total", "", f.Amount(tt.Invoice.Decimal), f.Amount(tt.Penalties.Decimal), f.Amount(tt.Bonuses.Decimal), f.Amount(tt.Net.Decimal)}}
	b.doc.add(tableBlock{t})
	b.doc.add(para{"Penalties and bonuses are due after every step of the contract's pipeline; net is what the provider owes (negative: a bonus paid)."})
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
	for i := range out {
		if out[i].objective == "" {
			// Only ever measured below its minimum volume.
			out[i].objective = small[out[i].id]
		}
	}
	return out
}

func (b *builder) rules() {
	rules := ruleList(b.r)
	if len(rules) == 0 {
		return
	}
	b.doc.add(heading{level: 2, text: "Rules", id: "rules"})
	t := &Table{Header: []string{"rule", "objective", "name"}, MaxWidth: []int{0, 42, 43}}
	for _, ri := range rules {
		t.Rows = append(t.Rows, []string{ri.id, ri.objective, ri.name})
	}
	b.doc.add(tableBlock{t})
}

func statusText(s sla.Status) string {
	switch s {
	case sla.StatusMet:
		return "met"
	case sla.StatusBreached:
		return "BREACHED"
	case sla.StatusNotApplicable:
		return "n/a"
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
		title += ", contract year " + strconv.Itoa(p.ContractYear)
	}
	b.doc.add(groupBlock{open: true, class: "period"})
	defer b.doc.add(groupBlock{open: false})
	b.doc.add(heading{level: 2, text: title, id: periodID(p)})
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
	}
	b.doc.add(heading{level: 3, text: "Due for " + p.Period})
	b.doc.add(fields{
		keys:   []string{"Penalties", "Bonuses", "Net"},
		values: []string{f.Money(p.Penalties.Decimal), f.Money(p.Bonuses.Decimal), f.Money(p.Net.Decimal)},
	})
}

// invoice is the period's bill: a line per work unit, and a line per
// volume band it used; the revision coefficient when prices are revised.
func (b *builder) invoice(inv *sla.InvoiceReport) {
	f := b.f
	b.doc.add(heading{level: 3, text: "Invoice: " + f.Money(inv.Total.Decimal)})
	if len(inv.Lines) > 0 {
		revised := false
		for _, l := range inv.Lines {
			if !l.Revision.IsZero() && !l.Revision.Equal(decimal.NewFromInt(1)) {
				revised = true
			}
		}
		t := &Table{Header: []string{"unit", "name", "quantity", b.cur("unit price"), b.cur("amount")},
			Align: []Align{Left, Left, Right, Right, Right}, MaxWidth: []int{0, 46}}
		if revised {
			t.Header = append(t.Header[:4:4], "revision", b.cur("amount"))
			t.Align = append(t.Align[:4:4], Right, Right)
		}
		for _, l := range inv.Lines {
			t.Rows = append(t.Rows, b.invoiceLine(l, revised)...)
		}
		b.doc.add(tableBlock{t})
	}
	for _, w := range inv.Warnings {
		b.doc.add(para{"Warning: " + w})
	}
}

// invoiceLine is the rows of a line of the bill: the line, then its bands.
func (b *builder) invoiceLine(l sla.InvoiceLine, revised bool) [][]string {
	f := b.f
	price, qty := "", f.Number(l.Quantity.Decimal)
	switch {
	case l.UnitPrice != nil:
		price = f.Amount(l.UnitPrice.Decimal)
	case len(l.Bands) > 0:
		price = "bands"
	default:
		price = "fixed"
		if l.Quantity.IsZero() {
			qty = ""
		}
	}
	row := []string{l.Unit, l.Name, qty, price}
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
			span = "from " + f.Number(bl.From.Decimal)
		}
		row := []string{"", nbsp + nbsp + "band " + span, f.Number(bl.Quantity.Decimal), f.Amount(bl.UnitPrice.Decimal)}
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
	b.doc.add(heading{level: 3, text: "Service levels"})
	if len(p.Rules) == 0 {
		b.doc.add(para{"No rule was evaluated in this period."})
		return
	}
	t := &Table{
		Header: []string{"rule", "elig", "met", "miss", "excl", "achieved", "objective", "status", b.cur("raw"), b.cur("penalty"), b.cur("bonus")},
		Align:  []Align{Left, Right, Right, Right, Right, Right, Left, Left, Right, Right, Right},
	}
	small, excluded := false, []string{}
	for k := range p.Rules {
		rr := &p.Rules[k]
		id := rr.ID
		if rr.Period != "" && rr.Period != p.Period {
			// A rule measured over a longer period, ending in this one.
			id += " (" + rr.Period + ")"
		}
		t.Rows = append(t.Rows, []string{id, f.Number(decimal.NewFromInt(int64(rr.Eligible))), f.Number(decimal.NewFromInt(int64(rr.Met))),
			f.Number(decimal.NewFromInt(int64(rr.Missed))), f.Number(decimal.NewFromInt(int64(sumCounts(rr.Excluded)))),
			f.achieved(rr), f.objective(rr), statusText(rr.Status), b.nonZero(rr.RawPenalty), b.nonZero(rr.Penalty), b.nonZero(rr.Bonus)})
		t.RowClass = append(t.RowClass, statusClass(rr.Status))
		small = small || rr.SmallVolume
		if len(rr.Excluded) > 0 {
			excluded = append(excluded, rr.ID+": "+reasons(rr.Excluded))
		}
	}
	b.doc.add(tableBlock{t})
	legend := "elig: items counted; miss: items that missed; excl: items excluded; raw: the penalty as the rule's formulas give it, before the pipeline; blank amounts are zero; n/a: not applicable (nothing measured, or too few items)."
	if small {
		legend += " An objective that names its measure (missed ≤ 1) is the one that applies below the rule's minimum volume."
	}
	b.doc.add(para{legend})
	if len(excluded) > 0 {
		b.doc.add(para{"Excluded: " + strings.Join(excluded, "; ") + "."})
	}
}

// stepName names a step of the pipeline for a reader.
func stepName(s sla.TraceLine) string {
	name := stepLabel(s.Step)
	switch s.Step {
	case contract.StepRuleCaps:
		name = "rule cap"
	case contract.StepBonus:
		switch s.Kind {
		case sla.NetAmount:
			return "netting"
		case sla.BonusAmount:
			return "bonus cap"
		}
	}
	if s.Kind == sla.BonusAmount {
		name += " (bonus)"
	}
	return name
}

// stepLabel is a step as a reader reads it: "month cap".
func stepLabel(s contract.Step) string { return strings.ReplaceAll(string(s), "_", " ") }

func (b *builder) trace(p *sla.PeriodReport) {
	f := b.f
	t := &Table{Header: []string{"rule", "step", b.cur("before"), b.cur("after"), "note"},
		Align: []Align{Left, Left, Right, Right, Left}, MaxWidth: []int{0, 0, 0, 0, 46}}
	for _, rr := range p.Rules {
		for _, s := range rr.Steps {
			if s.Before.Equal(s.After.Decimal) {
				continue
			}
			t.Rows = append(t.Rows, []string{rr.ID, stepName(s), f.Amount(s.Before.Decimal), f.Amount(s.After.Decimal), s.Note})
		}
	}
	for _, s := range p.Steps {
		t.Rows = append(t.Rows, []string{"(period)", stepName(s), f.Amount(s.Before.Decimal), f.Amount(s.After.Decimal), s.Note})
	}
	if len(t.Rows) == 0 {
		return
	}
	b.doc.add(heading{level: 3, text: "Penalty pipeline"})
	b.doc.add(tableBlock{t})
}

// late is open time beyond the deadline, "" for none.
func late(d sla.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// openLabel marks a missed item still running past its deadline with
// what that means under the rule's choice of where it counts.
func openLabel(l contract.LateOpen) string {
	if l == contract.LateOpenAttribution {
		return " (open when extracted)"
	}
	return " (open at period end)"
}

func (b *builder) missed(p *sla.PeriodReport) {
	f := b.f
	t := &Table{Header: []string{"rule", "item", "at", "measured", "deadline", "late", b.cur("amount")},
		Align: []Align{Left, Left, Left, Right, Left, Right, Right}, MaxWidth: []int{0, 24, 0, 14, 0, 10}}
	var notes []string
	for _, rr := range p.Rules {
		if rr.Status != sla.StatusBreached {
			continue
		}
		items := rr.MissedItems
		if b.o.MaxMissed > 0 && len(items) > b.o.MaxMissed {
			items = items[:b.o.MaxMissed]
		}
		for _, it := range items {
			id := it.ID
			if it.Open {
				id += openLabel(rr.LateOpen)
			}
			amount := ""
			if it.Amount != nil {
				amount = f.Amount(it.Amount.Decimal)
			}
			t.Rows = append(t.Rows, []string{rr.ID, id, formatTime(it.At), it.Measured, formatTime(it.Deadline), late(it.Late), amount})
		}
		if len(items) < rr.Missed {
			notes = append(notes, fmt.Sprintf("%s: %d of %d missed items listed", rr.ID, len(items), rr.Missed))
		}
	}
	if len(t.Rows) == 0 && len(notes) == 0 {
		return
	}
	b.doc.add(heading{level: 3, text: "Missed items of the rules breached"})
	if len(t.Rows) > 0 {
		b.doc.add(tableBlock{t})
	}
	if len(notes) > 0 {
		b.doc.add(para{strings.Join(notes, "; ") + "."})
	}
}

func (b *builder) totals() {
	r, f := b.r, b.f
	b.doc.add(heading{level: 2, text: "Totals", id: "totals"})
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
		t.Rows = append(t.Rows, []string{"contract year " + y, f.Amount(v.Invoice.Decimal), f.Amount(v.Penalties.Decimal), f.Amount(v.Bonuses.Decimal), f.Amount(v.Net.Decimal)})
	}
	tt := r.Totals
	t.Footer = [][]string{{"total", f.Amount(tt.Invoice.Decimal), f.Amount(tt.Penalties.Decimal), f.Amount(tt.Bonuses.Decimal), f.Amount(tt.Net.Decimal)}}
	b.doc.add(tableBlock{t})
	b.doc.add(fields{keys: []string{"Net due"}, values: []string{f.Money(tt.Net.Decimal)}})
}

func (b *builder) records() {
	r, f := b.r, b.f
	b.doc.add(heading{level: 2, text: "Records", id: "records"})
	if len(r.Records) == 0 {
		b.doc.add(para{"No record was read."})
		return
	}
	t := &Table{Header: []string{"source", "read", "counted", "excluded", "rejected", "why excluded"},
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
			inferred = append(inferred, s+": "+reasons(rc.Inferred))
		}
		t.Rows = append(t.Rows, []string{s, n(rc.Read), n(rc.Counted), n(rc.Excluded), n(rc.Rejected), reasons(rc.Reasons)})
		if rc.Read != rc.Counted+rc.Excluded+rc.Rejected {
			off = append(off, fmt.Sprintf("%s: %d read, but %d counted + %d excluded + %d rejected = %d",
				s, rc.Read, rc.Counted, rc.Excluded, rc.Rejected, rc.Counted+rc.Excluded+rc.Rejected))
		}
		total.Read += rc.Read
		total.Counted += rc.Counted
		total.Excluded += rc.Excluded
		total.Rejected += rc.Rejected
	}
	t.Footer = [][]string{{"total", n(total.Read), n(total.Counted), n(total.Excluded), n(total.Rejected), ""}}
	b.doc.add(tableBlock{t})
	if len(off) > 0 {
		b.doc.add(para{"The accounting does not add up: " + strings.Join(off, "; ") + "."})
	} else {
		b.doc.add(para{"Every record read is counted by some rule or work unit, excluded, or rejected: read = counted + excluded + rejected."})
	}
	if len(inferred) > 0 {
		b.doc.add(para{"Fields the reader inferred rather than read (a resolution taken from the status history): " + strings.Join(inferred, "; ") + "."})
	}
}

func (b *builder) problems() {
	r := b.r
	b.doc.add(heading{level: 2, text: "Rejected records", id: "rejected"})
	if len(r.Rejected) == 0 {
		b.doc.add(para{"None."})
	} else {
		t := &Table{Header: []string{"source", "line", "column", "id", "error"},
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
	b.doc.add(heading{level: 2, text: "Rule errors", id: "errors"})
	if len(r.Errors) == 0 {
		b.doc.add(para{"None."})
	} else {
		t := &Table{Header: []string{"rule", "period", "item", "error"}, MaxWidth: []int{0, 0, 20, 60}}
		for _, e := range r.Errors {
			t.Rows = append(t.Rows, []string{e.Rule, e.Period, e.Item, e.Error})
		}
		b.doc.add(tableBlock{t})
	}
	if len(r.Warnings) > 0 {
		b.doc.add(heading{level: 2, text: "Warnings", id: "warnings"})
		b.doc.add(list{items: slices.Clone(r.Warnings)})
	}
}
