package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// LineChart is a chart of one or more series over shared x values. It
// writes itself as a standalone SVG element, with a <title> and a <desc>
// for assistive technology, that an HTML page can inline as it is.
type LineChart struct {
	Title, XLabel, YLabel string
	X                     []string // the x values, as labels, in order
	Series                []Series

	// Desc describes the chart; "" for a description listing the values.
	Desc string
	// Width and Height are in pixels; 0 for 480 × 260.
	Width, Height int
	// Scale says how the y values read, and so where the ticks go.
	Scale Scale
	// Format formats the y values (ticks, tooltips) for its locale.
	Format Format
	// YFormat, when set, formats the y values instead (Format.Money, say).
	YFormat func(decimal.Decimal) string
	// YZero starts the y axis at zero.
	YZero bool
	// HighlightLabel names the highlighted points in the legend; "" for
	// "flagged".
	HighlightLabel string
}

// Series is one line of a LineChart.
type Series struct {
	Name   string
	Values []decimal.Decimal // one per X; same length as X
	Dashed bool

	// Missing, when set, is true where the series has no value: its line
	// breaks there. Same length as X.
	Missing []bool
	// Highlight, when set, is true for the points to flag (a breach):
	// drawn as a larger diamond in a warning colour rather than a dot.
	Highlight []bool
	// Colour is a CSS colour; "" for the next of the palette's.
	Colour string
}

// Scale says how the values of an axis read.
type Scale int

// The scales.
const (
	ScaleNumber  Scale = iota // plain numbers
	ScalePercent              // fractions, shown as percentages (0.95 → 95 %)
	ScaleSeconds              // durations in seconds, shown as 4h30min
)

func (s Scale) kind() kind {
	switch s {
	case ScalePercent:
		return kindPercent
	case ScaleSeconds:
		return kindDuration
	}
	return kindNumber
}

// palette is Okabe and Ito's colour-blind safe palette, then Tol's muted
// one, for the series and rules of charts.
var palette = []string{
	"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
	"#332288", "#44AA99", "#882255", "#999933", "#AA4499", "#117733", "#88CCEE", "#DDCC77", "#661100",
}

const (
	colourFlag      = "#C0392B" // highlighted points, breaches, increases
	colourObjective = "#444444" // dashed objective lines
	colourGrid      = "#E3E3E3"
	colourAxis      = "#777777"
	colourText      = "#222222"
	colourMuted     = "#666666"
)

// WriteSVG writes the chart as an SVG element.
func (c LineChart) WriteSVG(w io.Writer) error {
	var buf bytes.Buffer
	if err := c.svg(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (c LineChart) validate() error {
	for _, s := range c.Series {
		if len(s.Values) != len(c.X) {
			return fmt.Errorf("report: series %q has %d values for %d x values", s.Name, len(s.Values), len(c.X))
		}
		if s.Missing != nil && len(s.Missing) != len(c.X) {
			return fmt.Errorf("report: series %q has %d missing flags for %d x values", s.Name, len(s.Missing), len(c.X))
		}
		if s.Highlight != nil && len(s.Highlight) != len(c.X) {
			return fmt.Errorf("report: series %q has %d highlight flags for %d x values", s.Name, len(s.Highlight), len(c.X))
		}
	}
	return nil
}

func (c LineChart) yText(d decimal.Decimal) string {
	if c.YFormat != nil {
		return c.YFormat(d)
	}
	return c.Format.kindValue(c.Scale.kind(), d, 4)
}

func (s Series) missing(i int) bool { return s.Missing != nil && s.Missing[i] }

func (c LineChart) svg(buf *bytes.Buffer) error {
	if err := c.validate(); err != nil {
		return err
	}
	width, height := c.Width, c.Height
	if width <= 0 {
		width = 480
	}
	if height <= 0 {
		height = 260
	}
	var values []decimal.Decimal
	for _, s := range c.Series {
		for i, v := range s.Values {
			if !s.missing(i) {
				values = append(values, v)
			}
		}
	}
	k := c.Scale.kind()
	// About one tick per 45 pixels of plot.
	sc := niceScale(values, k, c.YZero, min(max((height-90)/45, 2), 8))
	sc.format = func(d decimal.Decimal, places int32) string {
		if c.YFormat != nil {
			return c.YFormat(d)
		}
		return c.Format.kindValue(k, d, places)
	}
	colours := c.colours()
	fr := newFrame(width, height, c.Title, c.YLabel, c.XLabel, c.legend(colours), sc, len(c.X))
	desc := c.Desc
	if desc == "" {
		desc = c.describe()
	}
	fr.open(buf, c.Title, desc)
	fr.axes(buf, c.X)
	if len(c.X) == 0 || len(values) == 0 {
		fr.note(buf, c.Format.tr("no data"))
	}
	for i, s := range c.Series {
		c.line(buf, fr, sc, s, colours[i])
		if !s.Dashed {
			c.points(buf, fr, sc, s, colours[i])
		}
	}
	buf.WriteString("</svg>\n")
	return nil
}

// colours are the series' colours: their own, the objective's for a
// dashed one, else the next of the palette.
func (c LineChart) colours() []string {
	colours := make([]string, len(c.Series))
	next := 0
	for i, s := range c.Series {
		switch {
		case s.Colour != "":
			colours[i] = s.Colour
		case s.Dashed:
			colours[i] = colourObjective
		default:
			colours[i] = palette[next%len(palette)]
			next++
		}
	}
	return colours
}

// legend names the series and the flagged points; none for a single
// series without flags.
func (c LineChart) legend(colours []string) []legendItem {
	var legend []legendItem
	flagged := false
	for i, s := range c.Series {
		legend = append(legend, legendItem{label: s.Name, colour: colours[i], shape: shapeLine, dashed: s.Dashed})
		for j, h := range s.Highlight {
			if h && !s.missing(j) {
				flagged = true
			}
		}
	}
	if flagged {
		label := c.HighlightLabel
		if label == "" {
			label = c.Format.tr("flagged")
		}
		legend = append(legend, legendItem{label: label, colour: colourFlag, shape: shapeDiamond})
	}
	if len(c.Series) < 2 && !flagged {
		return nil
	}
	return legend
}

// line draws a series' line, broken where values are missing. A dashed
// series (a threshold) is drawn as steps across the bands, so that a
// value alone between gaps still shows.
func (c LineChart) line(buf *bytes.Buffer, fr *frame, sc *scale, s Series, colour string) {
	var path strings.Builder
	pen := false
	point := func(x, y float64) {
		if pen {
			path.WriteString(" L")
		} else {
			if path.Len() > 0 {
				path.WriteByte(' ')
			}
			path.WriteString("M")
		}
		path.WriteString(px(x) + " " + px(y))
		pen = true
	}
	half := fr.bandWidth() / 2
	for j, v := range s.Values {
		if s.missing(j) {
			pen = false
			continue
		}
		x, y := fr.xAt(j), sc.pos(v)
		if s.Dashed {
			point(x-half, y)
			point(x+half, y)
		} else {
			point(x, y)
		}
	}
	if path.Len() > 0 {
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(buf, `<path class="series" d="%s" fill="none" stroke="%s" stroke-width="2"%s stroke-linejoin="round"><title>%s</title></path>`+"\n",
			path.String(), escapeHTML(colour), dash, escapeHTML(s.Name))
	}
}

// points draws a series' points, each with its value as a tooltip: a
// dot, or a diamond in the warning colour where it is flagged.
func (c LineChart) points(buf *bytes.Buffer, fr *frame, sc *scale, s Series, colour string) {
	for j, v := range s.Values {
		if s.missing(j) {
			continue
		}
		x, y := fr.xAt(j), sc.pos(v)
		tip := escapeHTML(s.Name + ", " + c.X[j] + c.Format.colon() + c.yText(v))
		if s.Highlight != nil && s.Highlight[j] {
			fmt.Fprintf(buf, `<path class="point flagged" d="M%s %sl5.5 5.5l-5.5 5.5l-5.5 -5.5z" fill="%s" stroke="#fff" stroke-width="1"><title>%s</title></path>`+"\n",
				px(x), px(y-5.5), colourFlag, tip)
		} else {
			fmt.Fprintf(buf, `<circle class="point" cx="%s" cy="%s" r="3.5" fill="%s" stroke="#fff" stroke-width="1"><title>%s</title></circle>`+"\n",
				px(x), px(y), escapeHTML(colour), tip)
		}
	}
}

// describe lists the values of the chart, for a screen reader.
func (c LineChart) describe() string {
	var b strings.Builder
	if c.Title != "" {
		b.WriteString(c.Title + ". ")
	}
	for i, s := range c.Series {
		if i > 0 {
			b.WriteString(c.Format.semicolon())
		}
		b.WriteString(s.Name + strings.TrimSuffix(c.Format.colon(), " "))
		for j, v := range s.Values {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(" " + c.X[j] + " ")
			if s.missing(j) {
				b.WriteString(c.Format.tr("none"))
			} else {
				b.WriteString(c.yText(v))
			}
		}
	}
	return b.String()
}

// scale maps values to the vertical pixels of a plot.
type scale struct {
	kind   kind
	lo, hi decimal.Decimal
	ticks  []decimal.Decimal
	places int32 // decimals of the tick labels
	// top and bottom are the pixels of hi and lo, set by the frame.
	top, bottom float64
	format      func(decimal.Decimal, int32) string
}

func (s *scale) pos(v decimal.Decimal) float64 {
	span := s.hi.Sub(s.lo)
	if !span.IsPositive() {
		return s.bottom
	}
	frac := v.Sub(s.lo).Div(span).InexactFloat64()
	return s.bottom - frac*(s.bottom-s.top)
}

func (s *scale) label(v decimal.Decimal) string {
	if s.format == nil {
		return v.String()
	}
	return s.format(v, s.places)
}

// floorLog10 is the exponent of the leading digit of d > 0.
func floorLog10(d decimal.Decimal) int32 {
	return int32(d.NumDigits()) + d.Exponent() - 1
}

var niceMantissas = []decimal.Decimal{
	decimal.NewFromInt(1), decimal.NewFromInt(2), decimal.RequireFromString("2.5"), decimal.NewFromInt(5), decimal.NewFromInt(10),
}

var niceSeconds = []int64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400}

// niceStep is the smallest nice step at least raw: 1, 2, 2.5 or 5 times a
// power of ten; for durations, a round number of seconds, minutes or
// hours.
func niceStep(raw decimal.Decimal, k kind) decimal.Decimal {
	if !raw.IsPositive() {
		return decimal.NewFromInt(1)
	}
	if k == kindDuration && raw.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		for _, s := range niceSeconds {
			if d := decimal.NewFromInt(s); d.GreaterThanOrEqual(raw) {
				return d
			}
		}
		day := decimal.NewFromInt(86400)
		return niceStep(raw.DivRound(day, 12), kindNumber).Mul(day)
	}
	mag := decimal.New(1, floorLog10(raw))
	for _, m := range niceMantissas {
		if c := m.Mul(mag); c.GreaterThanOrEqual(raw) {
			return c
		}
	}
	return mag.Mul(decimal.NewFromInt(10))
}

// niceScale picks a range and ticks that hold the values, in target to
// target+2 intervals on round values: the tightest range of the three.
func niceScale(values []decimal.Decimal, k kind, zero bool, target int) *scale {
	var best *scale
	for t := target; t <= target+2; t++ {
		s := niceScaleN(values, k, zero, t)
		if best == nil || s.hi.Sub(s.lo).LessThan(best.hi.Sub(best.lo)) {
			best = s
		}
	}
	return best
}

func niceScaleN(values []decimal.Decimal, k kind, zero bool, target int) *scale {
	s := &scale{kind: k}
	if len(values) == 0 {
		values = []decimal.Decimal{decimal.Zero}
		if k == kindPercent {
			values = append(values, decimal.NewFromInt(1))
		} else {
			values = append(values, decimal.NewFromInt(1))
		}
	}
	lo, hi := values[0], values[0]
	for _, v := range values[1:] {
		lo = decimal.Min(lo, v)
		hi = decimal.Max(hi, v)
	}
	if zero {
		lo = decimal.Min(lo, decimal.Zero)
		hi = decimal.Max(hi, decimal.Zero)
	}
	span := hi.Sub(lo)
	if span.IsZero() {
		switch {
		case k == kindPercent:
			span = decimal.New(1, -2)
		case k == kindDuration:
			span = decimal.NewFromInt(60)
		case !hi.IsZero():
			span = hi.Abs().Div(decimal.NewFromInt(5))
		default:
			span = decimal.NewFromInt(1)
		}
		if !zero {
			lo = lo.Sub(span.Div(decimal.NewFromInt(2)))
			if k == kindPercent && !hi.IsNegative() && hi.LessThanOrEqual(decimal.NewFromInt(1)) && lo.IsNegative() {
				lo = decimal.Zero
			}
		}
		hi = lo.Add(span)
		if hi.LessThan(values[0]) {
			hi = values[0]
		}
	}
	step := niceStep(span.Div(decimal.NewFromInt(int64(target))), k)
	integral := k == kindInt
	if !integral && k == kindNumber {
		integral = true
		for _, v := range values {
			if !v.Equal(v.Truncate(0)) {
				integral = false
				break
			}
		}
	}
	if integral && step.LessThan(decimal.NewFromInt(1)) {
		step = decimal.NewFromInt(1)
	}
	s.lo = lo.Div(step).Floor().Mul(step)
	s.hi = hi.Div(step).Ceil().Mul(step)
	// Keep the lowest values off the axis, unless the axis is zero.
	if lo.Sub(s.lo).LessThan(step.Div(decimal.NewFromInt(4))) && !s.lo.IsZero() && !zero {
		s.lo = s.lo.Sub(step)
	}
	if s.hi.Equal(s.lo) {
		s.hi = s.lo.Add(step)
	}
	// Shares stay within 0 and 100 % when the values do.
	if k == kindPercent {
		if s.lo.IsNegative() && !lo.IsNegative() {
			s.lo = decimal.Zero
		}
		one := decimal.NewFromInt(1)
		if s.hi.GreaterThan(one) && hi.LessThanOrEqual(one) {
			s.hi = one
		}
	}
	for v := s.lo; v.LessThanOrEqual(s.hi) && len(s.ticks) < 100; v = v.Add(step) {
		s.ticks = append(s.ticks, v)
	}
	// Decimals of the labels: those of the step, in the unit shown.
	shown := step
	if k == kindPercent {
		shown = step.Shift(2)
	}
	if str := trimZeros(shown.String()); strings.Contains(str, ".") {
		_, frac, _ := strings.Cut(str, ".")
		s.places = int32(len(frac))
	}
	return s
}

// px formats a pixel coordinate with one decimal.
func px(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

type shape int

const (
	shapeLine shape = iota
	shapeBox
	shapeHatched
	shapeDiamond
	shapeTick
)

type legendItem struct {
	label  string
	colour string
	shape  shape
	dashed bool
}

// frame lays out a chart: title, legend, y axis with its ticks and grid,
// x labels in bands, axis labels.
type frame struct {
	width, height            int
	title, yLabel, xLabel    string
	legend                   []legendItem
	legendRows               [][]legendItem
	sc                       *scale
	n                        int // x bands
	left, right, top, bottom float64
	hatch                    string // id of the hatch pattern, when used
}

const (
	fontSize  = 11.0
	charWidth = 6.2 // an estimate of the average advance at fontSize
)

func estWidth(s string, size float64) float64 {
	return float64(textWidth(s)) * charWidth * size / fontSize
}

func newFrame(width, height int, title, yLabel, xLabel string, legend []legendItem, sc *scale, n int) *frame {
	f := &frame{width: width, height: height, title: title, yLabel: yLabel, xLabel: xLabel, legend: legend, sc: sc, n: n}
	// The y tick labels set the left margin.
	tickW := 0.0
	for _, t := range sc.ticks {
		tickW = max(tickW, estWidth(sc.label(t), fontSize))
	}
	f.left = tickW + 14
	f.right = float64(width) - 14
	// Legend rows, wrapped to the width.
	if len(legend) > 0 {
		var row []legendItem
		x := 8.0
		for _, it := range legend {
			w := 22 + estWidth(it.label, fontSize) + 14
			if len(row) > 0 && x+w > float64(width)-8 {
				f.legendRows = append(f.legendRows, row)
				row, x = nil, 8
			}
			row = append(row, it)
			x += w
		}
		f.legendRows = append(f.legendRows, row)
	}
	top := 10.0
	if title != "" {
		top += 18
	}
	top += 16 * float64(len(f.legendRows))
	if yLabel != "" {
		top += 16
	}
	f.top = top + 8
	bottom := float64(height) - 22
	if xLabel != "" {
		bottom -= 16
	}
	f.bottom = bottom
	sc.top, sc.bottom = f.top, f.bottom
	return f
}

func (f *frame) bandWidth() float64 {
	if f.n == 0 {
		return f.right - f.left
	}
	return (f.right - f.left) / float64(f.n)
}

// xAt is the centre of band i.
func (f *frame) xAt(i int) float64 { return f.left + (float64(i)+0.5)*f.bandWidth() }

// truncate shortens s to fit a width in pixels, with an ellipsis.
func truncate(s string, widthPx, size float64) string {
	if estWidth(s, size) <= widthPx {
		return s
	}
	limit := widthPx - estWidth("…", size)
	w := 0.0
	for i, r := range s {
		w += float64(runeWidth(r)) * charWidth * size / fontSize
		if w > limit {
			return s[:i] + "…"
		}
	}
	return s
}

// open writes the svg element, its title and description, the visible
// title and the legend.
func (f *frame) open(buf *bytes.Buffer, title, desc string) {
	fmt.Fprintf(buf, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" font-family="system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif" font-size="%s" fill="%s">`+"\n",
		f.width, f.height, f.width, f.height, px(fontSize), colourText)
	fmt.Fprintf(buf, "<title>%s</title>\n<desc>%s</desc>\n", escapeHTML(title), escapeHTML(desc))
	buf.WriteString(`<rect width="100%" height="100%" fill="#fff"/>` + "\n")
	y := 10.0
	if title != "" {
		y += 14
		fmt.Fprintf(buf, `<text class="chart-title" x="8" y="%s" font-size="13" font-weight="600">%s</text>`+"\n",
			px(y), escapeHTML(truncate(title, float64(f.width)-16, 13)))
		y += 4
	}
	for _, row := range f.legendRows {
		y += 16
		x := 8.0
		for _, it := range row {
			cy := y - 4
			switch it.shape {
			case shapeLine:
				dash := ""
				if it.dashed {
					dash = ` stroke-dasharray="6 4"`
				}
				fmt.Fprintf(buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>`, px(x), px(cy), px(x+18), px(cy), escapeHTML(it.colour), dash)
			case shapeBox, shapeHatched:
				fmt.Fprintf(buf, `<rect x="%s" y="%s" width="14" height="10" fill="%s"/>`, px(x+2), px(cy-5), escapeHTML(it.colour))
				if it.shape == shapeHatched && f.hatch != "" {
					fmt.Fprintf(buf, `<rect x="%s" y="%s" width="14" height="10" fill="url(#%s)"/>`, px(x+2), px(cy-5), f.hatch)
				}
			case shapeDiamond:
				fmt.Fprintf(buf, `<path d="M%s %sl5 5l-5 5l-5 -5z" fill="%s"/>`, px(x+9), px(cy-5), escapeHTML(it.colour))
			case shapeTick:
				fmt.Fprintf(buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>`, px(x+2), px(cy), px(x+16), px(cy), escapeHTML(it.colour))
			}
			fmt.Fprintf(buf, `<text class="legend" x="%s" y="%s">%s</text>`+"\n", px(x+22), px(y), escapeHTML(it.label))
			x += 22 + estWidth(it.label, fontSize) + 14
		}
	}
}

// axes writes the grid, the tick labels, the x labels and the axis
// labels.
func (f *frame) axes(buf *bytes.Buffer, xs []string) {
	sc := f.sc
	if f.yLabel != "" {
		fmt.Fprintf(buf, `<text class="axis-label" x="8" y="%s" fill="%s">%s</text>`+"\n", px(f.top-10), colourMuted, escapeHTML(truncate(f.yLabel, float64(f.width)-16, fontSize)))
	}
	for _, t := range sc.ticks {
		y := sc.pos(t)
		stroke := colourGrid
		if t.IsZero() {
			stroke = colourAxis
		}
		fmt.Fprintf(buf, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, px(f.left), px(y), px(f.right), px(y), stroke)
		fmt.Fprintf(buf, `<text class="tick" x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", px(f.left-6), px(y+4), colourMuted, escapeHTML(sc.label(t)))
	}
	fmt.Fprintf(buf, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`+"\n", px(f.left), px(f.bottom), px(f.right), px(f.bottom), colourAxis)
	// X labels, every k-th when they would overlap.
	bw := f.bandWidth()
	widest := 0.0
	for _, x := range xs {
		widest = max(widest, estWidth(x, fontSize))
	}
	every := 1
	for every < len(xs) && widest+6 > bw*float64(every) {
		every++
	}
	for i, x := range xs {
		if i%every != 0 {
			continue
		}
		fmt.Fprintf(buf, `<text class="xtick" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`+"\n", px(f.xAt(i)), px(f.bottom+15), colourMuted, escapeHTML(x))
	}
	if f.xLabel != "" {
		fmt.Fprintf(buf, `<text class="axis-label" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`+"\n",
			px((f.left+f.right)/2), px(float64(f.height)-8), colourMuted, escapeHTML(f.xLabel))
	}
}

// note writes a line of text in the middle of the plot.
func (f *frame) note(buf *bytes.Buffer, s string) {
	fmt.Fprintf(buf, `<text class="note" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`+"\n",
		px((f.left+f.right)/2), px((f.top+f.bottom)/2), colourMuted, escapeHTML(s))
}
