package report

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// The charts of the HTML page: penalties and bonuses per period, each
// rule's achieved value against its objective, and each period's
// pipeline as a waterfall.

const (
	colourTotal    = "#44546A" // waterfall totals
	colourDecrease = "#009E73" // a step that lowers the amount due
	colourIncrease = "#D55E00" // a step that raises it
	colourBonus    = "#0072B2" // bonuses set off
)

// ruleColours gives each rule of the report its colour, the same in every
// chart.
func ruleColours(rules []ruleInfo) map[string]string {
	m := make(map[string]string, len(rules))
	for i, r := range rules {
		m[r.id] = palette[i%len(palette)]
	}
	return m
}

// hatchDefs writes a pattern of white stripes, laid over a colour to mark
// bonuses.
func hatchDefs(buf *bytes.Buffer, id string) {
	fmt.Fprintf(buf, `<defs><pattern id="%s" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#fff" fill-opacity="0.55"/></pattern></defs>`+"\n", id)
}

func (b *builder) charts() {
	b.doc.add(heading{level: 2, text: b.f.tr("Charts"), id: "charts"})
	b.doc.add(chartBlock{class: "wide", svg: b.penaltyChart})
	b.doc.add(heading{level: 3, text: b.f.tr("Service levels: achieved against objective")})
	b.doc.add(groupBlock{open: true, class: "grid"})
	for _, lc := range b.ruleCharts() {
		b.doc.add(chartBlock{class: "small", svg: lc.svg})
	}
	b.doc.add(groupBlock{open: false})
}

// ruleCharts returns one line chart per rule: what it achieved in each
// period, its objective dashed, its breaches flagged.
func (b *builder) ruleCharts() []LineChart {
	r, f := b.r, b.f
	xs := make([]string, len(r.Periods))
	for i, p := range r.Periods {
		xs[i] = p.Period
	}
	var out []LineChart
	for _, ri := range ruleList(r) {
		// The rule's report in each period.
		per := make([]*sla.RuleReport, len(r.Periods))
		for i := range r.Periods {
			for k := range r.Periods[i].Rules {
				if rr := &r.Periods[i].Rules[k]; rr.ID == ri.id {
					per[i] = rr
					break
				}
			}
		}
		// The measure charted: the full-volume one if any period has it,
		// else the small-volume one.
		var pick *sla.RuleReport
		for _, rr := range per {
			if rr == nil || rr.Measure == contract.MeasureNone {
				continue
			}
			if pick == nil || pick.SmallVolume && !rr.SmallVolume {
				pick = rr
			}
		}
		lc := LineChart{Title: ri.id, X: xs, Width: 300, Height: 200, Format: f, HighlightLabel: f.tr("breached")}
		achieved := Series{Name: f.tr("achieved"), Values: make([]decimal.Decimal, len(xs)), Missing: make([]bool, len(xs)), Highlight: make([]bool, len(xs)), Colour: palette[0]}
		objective := Series{Name: f.tr("objective"), Values: make([]decimal.Decimal, len(xs)), Missing: make([]bool, len(xs)), Dashed: true}
		if pick != nil {
			k := kindOf(unitOf(pick), pick.Objective)
			switch k {
			case kindPercent:
				lc.Scale = ScalePercent
			case kindDuration:
				lc.Scale = ScaleSeconds
			}
			lc.Title = ri.id + "  " + f.objective(pick)
			lc.YLabel = f.tr(strings.ReplaceAll(string(pick.Measure), "_", " "))
			for i, rr := range per {
				same := rr != nil && rr.Measure == pick.Measure && rr.Objective.Type == pick.Objective.Type
				objective.Missing[i] = true
				achieved.Missing[i] = true
				if !same {
					continue
				}
				objective.Values[i], objective.Missing[i] = rr.Objective.Number(), false
				if rr.Achieved != nil {
					achieved.Values[i], achieved.Missing[i] = rr.Achieved.Number(), false
					achieved.Highlight[i] = rr.Status == sla.StatusBreached
				}
			}
		} else {
			for i := range xs {
				achieved.Missing[i], objective.Missing[i] = true, true
			}
			lc.YLabel = f.tr("not applicable")
		}
		lc.Series = []Series{achieved, objective}
		lc.Desc = ri.id + ", " + ri.name + f.colon() + lc.describe()
		out = append(out, lc)
	}
	return out
}

// penaltyChart draws, per period, the penalties due stacked by rule above
// the axis, the bonuses due hatched below it, and the net as a tick.
func (b *builder) penaltyChart(buf *bytes.Buffer) error {
	r, f := b.r, b.f
	rules := ruleList(r)
	colours := ruleColours(rules)
	// Rules with an amount, in rule order.
	used := map[string]bool{}
	values := []decimal.Decimal{decimal.Zero}
	for _, p := range r.Periods {
		up, down := decimal.Zero, decimal.Zero
		for _, rr := range p.Rules {
			if rr.Penalty.IsPositive() {
				up = up.Add(rr.Penalty.Decimal)
				used[rr.ID] = true
			}
			if rr.Bonus.IsPositive() {
				down = down.Sub(rr.Bonus.Decimal)
				used[rr.ID] = true
			}
		}
		values = append(values, up, down, p.Net.Decimal)
	}
	var legend []legendItem
	for _, ri := range rules {
		if used[ri.id] {
			legend = append(legend, legendItem{label: ri.id, colour: colours[ri.id], shape: shapeBox})
		}
	}
	legend = append(legend,
		legendItem{label: f.tr("bonus (below the axis)"), colour: "#888888", shape: shapeHatched},
		legendItem{label: f.tr("net due"), colour: colourText, shape: shapeTick})
	sc := niceScale(headroom(values), kindNumber, true, 5)
	sc.format = func(d decimal.Decimal, places int32) string { return f.Fixed(d, places) }
	n := len(r.Periods)
	width := min(max(160+90*n, 760), 1100)
	title := f.tr("Penalties and bonuses due per period, by rule")
	fr := newFrame(width, 340, title, b.cur("amount"), "", legend, sc, n)
	fr.hatch = "hatch-periods"

	var desc strings.Builder
	desc.WriteString(title + ".")
	for _, p := range r.Periods {
		desc.WriteString(f.trf(" %s: penalties %s, bonuses %s, net %s.", p.Period, f.Money(p.Penalties.Decimal), f.Money(p.Bonuses.Decimal), f.Money(p.Net.Decimal)))
	}
	fr.open(buf, title, desc.String())
	hatchDefs(buf, fr.hatch)
	fr.axes(buf, periodLabels(r))
	barW := min(fr.bandWidth()*0.6, 64)
	any := false
	for i, p := range r.Periods {
		x := fr.xAt(i) - barW/2
		up, down := decimal.Zero, decimal.Zero
		for _, rr := range p.Rules {
			if rr.Penalty.IsPositive() {
				next := up.Add(rr.Penalty.Decimal)
				y0, y1 := sc.pos(next), sc.pos(up)
				fmt.Fprintf(buf, `<rect class="bar penalty" data-rule="%s" data-period="%s" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"><title>%s</title></rect>`+"\n",
					escapeHTML(rr.ID), escapeHTML(p.Period), px(x), px(y0), px(barW), px(max(y1-y0, 0.5)), colours[rr.ID],
					escapeHTML(f.trf("%s, %s: penalty %s", rr.ID, p.Period, f.Money(rr.Penalty.Decimal))))
				segmentLabel(buf, rr.ID, colours[rr.ID], x, y0, barW, y1-y0)
				up = next
				any = true
			}
			if rr.Bonus.IsPositive() {
				next := down.Sub(rr.Bonus.Decimal)
				y0, y1 := sc.pos(down), sc.pos(next)
				tip := escapeHTML(f.trf("%s, %s: bonus %s", rr.ID, p.Period, f.Money(rr.Bonus.Decimal)))
				fmt.Fprintf(buf, `<g class="bar bonus" data-rule="%s" data-period="%s"><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"/><rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s)"/></g>`+"\n",
					escapeHTML(rr.ID), escapeHTML(p.Period), tip, px(x), px(y0), px(barW), px(max(y1-y0, 0.5)), colours[rr.ID],
					px(x), px(y0), px(barW), px(max(y1-y0, 0.5)), fr.hatch)
				down = next
				any = true
			}
		}
		if up.IsPositive() {
			// The label reads what is due, beside the net mark: the
			// penalties less the bonuses set off, not the bar's height.
			label := f.Amount(p.Net.Decimal)
			if estWidth(label, 10) < fr.bandWidth()-4 {
				fmt.Fprintf(buf, `<text class="value" x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`+"\n", px(fr.xAt(i)), px(sc.pos(up)-4), escapeHTML(label))
			}
		}
		if !up.IsZero() || !down.IsZero() {
			y := sc.pos(p.Net.Decimal)
			fmt.Fprintf(buf, `<line class="net" data-period="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"><title>%s</title></line>`+"\n",
				escapeHTML(p.Period), px(x-5), px(y), px(x+barW+5), px(y), colourText, escapeHTML(f.trf("%s: net due %s", p.Period, f.Money(p.Net.Decimal))))
		}
	}
	if !any {
		fr.note(buf, f.tr("No penalty or bonus is due in any period."))
	}
	buf.WriteString("</svg>\n")
	return nil
}

// headroom adds to values a value 8 % above the highest, so that the
// labels over the tallest bar stay clear of the top of the plot.
func headroom(values []decimal.Decimal) []decimal.Decimal {
	hi := decimal.Zero
	for _, v := range values {
		hi = decimal.Max(hi, v)
	}
	return append(values, hi.Mul(decimal.RequireFromString("1.08")))
}

// segmentLabel writes a rule's id inside its bar segment when it fits,
// in black or white, whichever reads better on the segment's colour: the
// bars do not rely on colour alone.
func segmentLabel(buf *bytes.Buffer, id, colour string, x, y, w, h float64) {
	const size = 9.0
	if h < size+4 || estWidth(id, size) > w-4 {
		return
	}
	ink := "#000"
	if luminance(colour) < 0.4 {
		ink = "#fff"
	}
	fmt.Fprintf(buf, `<text class="segment" x="%s" y="%s" text-anchor="middle" font-size="9" fill="%s" pointer-events="none">%s</text>`+"\n",
		px(x+w/2), px(y+h/2+3), ink, escapeHTML(id))
}

// luminance is the relative luminance of a #RRGGBB colour, 0 to 1.
func luminance(hex string) float64 {
	if len(hex) != 7 || hex[0] != '#' {
		return 1
	}
	var c [3]float64
	for i := range 3 {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return 1
		}
		x := float64(v) / 255
		if x <= 0.03928 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func periodLabels(r *sla.Report) []string {
	xs := make([]string, len(r.Periods))
	for i, p := range r.Periods {
		xs[i] = p.Period
	}
	return xs
}

type wbarKind int

const (
	wTotal wbarKind = iota
	wStep
	wBonus
)

// wbar is a bar of a waterfall: from one level to another.
type wbar struct {
	label    string
	from, to decimal.Decimal
	kind     wbarKind
	note     string
}

// flows returns the waterfall of a period: the raw penalties, the effect
// of each step of the pipeline on the penalties, the penalties due, the
// bonuses set off and the net. Steps are added up from the rules' trace
// lines; what they leave unexplained, if anything, is a bar of its own.
func (f Format) flows(p *sla.PeriodReport) []wbar {
	raw := decimal.Zero
	deltas := map[contract.Step]decimal.Decimal{}
	var order []contract.Step
	seen := map[contract.Step]bool{}
	for _, s := range contract.DefaultOrder {
		seen[s] = true
	}
	bonusCapped := false
	for _, rr := range p.Rules {
		raw = raw.Add(rr.RawPenalty.Decimal)
		for _, s := range rr.Steps {
			if s.Kind != sla.PenaltyAmount {
				if s.Kind == sla.BonusAmount && s.Step == contract.StepBonus {
					bonusCapped = true
				}
				continue
			}
			deltas[s.Step] = deltas[s.Step].Add(s.After.Sub(s.Before.Decimal))
			if !seen[s.Step] {
				seen[s.Step] = true
				order = append(order, s.Step)
			}
		}
	}
	bars := []wbar{{label: "raw", from: decimal.Zero, to: raw, kind: wTotal, note: f.tr("raw penalties, as the rules' formulas give them")}}
	level := raw
	for _, s := range append(slices.Clone(contract.DefaultOrder), order...) {
		d := deltas[s]
		if d.IsZero() {
			continue
		}
		bars = append(bars, wbar{label: stepLabel(s), from: level, to: level.Add(d), kind: wStep})
		level = level.Add(d)
	}
	if other := p.Penalties.Sub(level); !other.IsZero() {
		bars = append(bars, wbar{label: "other", from: level, to: p.Penalties.Decimal, kind: wStep, note: f.tr("not explained by the trace lines")})
	}
	bars = append(bars, wbar{label: "due", from: decimal.Zero, to: p.Penalties.Decimal, kind: wTotal, note: f.tr("penalties due")})
	if p.Bonuses.IsPositive() && p.Net.Equal(p.Penalties.Sub(p.Bonuses.Decimal)) {
		note := f.tr("bonuses set off")
		if bonusCapped {
			note = f.tr("bonuses set off, after their cap")
		}
		bars = append(bars,
			wbar{label: "bonuses", from: p.Penalties.Decimal, to: p.Net.Decimal, kind: wBonus, note: note},
			wbar{label: "net", from: decimal.Zero, to: p.Net.Decimal, kind: wTotal, note: f.tr("net due")})
	}
	return bars
}

// hasFlows tells whether a period has anything to show in a waterfall.
func hasFlows(p *sla.PeriodReport) bool {
	for _, rr := range p.Rules {
		if !rr.RawPenalty.IsZero() || !rr.RawBonus.IsZero() || !rr.Penalty.IsZero() || !rr.Bonus.IsZero() {
			return true
		}
	}
	return !p.Penalties.IsZero() || !p.Bonuses.IsZero()
}

// waterfall draws a period's pipeline: from the raw penalties, each
// step's effect, to the penalties due, then the bonuses set off and the
// net.
func (b *builder) waterfall(buf *bytes.Buffer, idx int, p *sla.PeriodReport) error {
	f := b.f
	bars := f.flows(p)
	values := []decimal.Decimal{decimal.Zero}
	for _, w := range bars {
		values = append(values, w.from, w.to)
	}
	sc := niceScale(headroom(values), kindNumber, true, 4)
	sc.format = func(d decimal.Decimal, places int32) string { return f.Fixed(d, places) }
	labels := make([]string, len(bars))
	for i, w := range bars {
		labels[i] = f.tr(w.label)
	}
	width := max(80+72*len(bars), 380)
	title := f.trf("%s: from raw penalties to the amount due", p.Period)
	legend := []legendItem{
		{label: f.tr("total"), colour: colourTotal, shape: shapeBox},
		{label: f.tr("lowers"), colour: colourDecrease, shape: shapeBox},
		{label: f.tr("raises"), colour: colourIncrease, shape: shapeBox},
	}
	if bars[len(bars)-1].kind == wTotal && len(bars) > 1 && bars[len(bars)-2].kind == wBonus {
		legend = append(legend, legendItem{label: f.tr("bonuses set off"), colour: colourBonus, shape: shapeHatched})
	}
	fr := newFrame(width, 280, title, b.cur("amount"), "", legend, sc, len(bars))
	fr.hatch = fmt.Sprintf("hatch-wf-%d", idx)
	var desc strings.Builder
	desc.WriteString(title + ":")
	for i, w := range bars {
		if i > 0 {
			desc.WriteString(",")
		}
		if w.kind == wTotal {
			fmt.Fprintf(&desc, " %s %s", f.tr(w.label), f.Money(w.to))
		} else {
			fmt.Fprintf(&desc, " %s %s", f.tr(w.label), signed(f, w.to.Sub(w.from)))
		}
	}
	desc.WriteString(".")
	fr.open(buf, title, desc.String())
	hatchDefs(buf, fr.hatch)
	fr.axes(buf, labels)
	barW := min(fr.bandWidth()*0.62, 56)
	for i, w := range bars {
		x := fr.xAt(i) - barW/2
		lo, hi := decimal.Min(w.from, w.to), decimal.Max(w.from, w.to)
		y0, y1 := sc.pos(hi), sc.pos(lo)
		h := max(y1-y0, 1)
		colour, class := colourTotal, "total"
		value := f.Amount(w.to)
		switch w.kind {
		case wStep:
			class = "step"
			colour = colourDecrease
			if w.to.GreaterThan(w.from) {
				colour = colourIncrease
			}
			value = signed(f, w.to.Sub(w.from))
		case wBonus:
			class = "bonus"
			colour = colourBonus
			value = signed(f, w.to.Sub(w.from))
		}
		tip := f.tr(w.label) + f.colon() + value
		if w.note != "" {
			tip += " (" + w.note + ")"
		}
		fmt.Fprintf(buf, `<g class="wbar %s" data-step="%s"><title>%s</title><rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
			class, escapeHTML(w.label), escapeHTML(tip), px(x), px(y0), px(barW), px(h), colour)
		if w.kind == wBonus {
			fmt.Fprintf(buf, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#%s)"/>`, px(x), px(y0), px(barW), px(h), fr.hatch)
		}
		buf.WriteString("</g>\n")
		// The value, above the bar (below it when the bar goes below zero).
		ty := y0 - 4
		if hi.IsNegative() || hi.IsZero() && lo.IsNegative() {
			ty = y1 + 12
		}
		fmt.Fprintf(buf, `<text class="value" x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`+"\n", px(fr.xAt(i)), px(ty), escapeHTML(value))
		// A connector to the next bar, at the level this one ends.
		if i+1 < len(bars) {
			y := sc.pos(w.to)
			fmt.Fprintf(buf, `<line class="connector" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-dasharray="2 2"/>`+"\n",
				px(x+barW), px(y), px(fr.xAt(i+1)-barW/2), px(y), colourAxis)
		}
	}
	buf.WriteString("</svg>\n")
	return nil
}

// signed formats an amount with its sign: "+1 000,00", "−2 661,63".
func signed(f Format, d decimal.Decimal) string {
	if d.IsNegative() {
		return "−" + f.Amount(d.Neg())
	}
	return "+" + f.Amount(d)
}
