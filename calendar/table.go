package calendar

import (
	"time"
)

// A yearTable holds, for each civil day of a year in the calendar's zone,
// the instant the day starts, its open spans as instants, and the open
// seconds before it. Open time between two instants is then a lookup and
// a subtraction, and adding open time a binary search.
type yearTable struct {
	year     int
	start    int64   // dayStart[0] and dayStart[days], kept with the header:
	end      int64   // locate reads them first, for every instant
	dayStart []int64 // unix seconds; len = days+1, the last is the next year's start
	cum      []int64 // open seconds before each day; cum[days] is the year's total
	first    []int32 // index in spans of each day's first span; len = days+1
	spans    []span
}

// span is an open interval [start, end) in unix seconds. Window bounds are
// whole seconds and zone offsets too, so seconds are exact; the
// nanoseconds of an instant are added on the way out.
type span struct{ start, end int64 }

func (t *yearTable) days() int { return len(t.dayStart) - 1 }

func (t *yearTable) total() int64 { return t.cum[len(t.cum)-1] }

func (t *yearTable) daySpans(i int) []span { return t.spans[t.first[i]:t.first[i+1]] }

// table returns the year's table, building it on first use. Two
// goroutines may build the same year at once; one table wins, both are
// equal.
func (c *Calendar) table(year int) *yearTable {
	if t := c.years[year-MinYear].Load(); t != nil {
		return t
	}
	return c.build(year)
}

// build builds a year's table on first use.
func (c *Calendar) build(year int) *yearTable {
	p := &c.years[year-MinYear]
	t := c.def.buildYear(year)
	if p.CompareAndSwap(nil, t) {
		return t
	}
	return p.Load()
}

func (d *definition) buildYear(year int) *yearTable {
	n := 365
	if daysIn(year, time.February) == 29 {
		n = 366
	}
	t := &yearTable{
		year:     year,
		dayStart: make([]int64, n+1),
		cum:      make([]int64, n+1),
		first:    make([]int32, n+1),
		spans:    make([]span, 0, 2*n),
	}
	holidays := d.holidaysOf(year)
	base := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	var open int64
	for i := range n {
		wall := base + int64(i)*secPerDay // the civil day's midnight, read as if in UTC
		date := time.Unix(wall, 0).UTC()
		t.dayStart[i] = resolveWall(d.loc, wall)
		t.cum[i] = open
		t.first[i] = int32(len(t.spans))
		ws := d.windowsOn(year, date.Month(), date.Day(), holidays)
		if d.inverted {
			ws = invertWindows(ws)
		}
		for _, w := range ws {
			s := resolveWall(d.loc, wall+int64(w.Start))
			e := resolveWall(d.loc, wall+int64(w.End))
			if e > s {
				t.spans = append(t.spans, span{s, e})
				open += e - s
			}
		}
	}
	t.dayStart[n] = resolveWall(d.loc, base+int64(n)*secPerDay)
	t.start, t.end = t.dayStart[0], t.dayStart[n]
	t.cum[n] = open
	t.first[n] = int32(len(t.spans))
	return t
}

// resolveWall turns a local wall-clock reading into an instant. The wall
// reading is given as the unix seconds it would be in UTC.
//
// The rule, for the readings a daylight-saving change skips or repeats:
// a reading maps to the earliest instant at which the local clock shows
// that reading or later. A reading inside a skipped hour is the instant of
// the change (02:30 on the spring-forward day of Europe/Paris is 03:00
// CEST); a repeated reading is its first occurrence (02:30 on the
// fall-back day is 02:30 CEST, not CET). The mapping never decreases, so
// windows never invert; a window wholly inside a skipped hour is empty.
func resolveWall(loc *time.Location, wall int64) int64 {
	offsetAt := func(u int64) int64 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return int64(off)
	}
	// Zone offsets within a day either side cover any change that could
	// make this reading ambiguous.
	oA, oB := offsetAt(wall-secPerDay), offsetAt(wall+secPerDay)
	candidates := [4]int64{oA, oB, offsetAt(wall - oA), offsetAt(wall - oB)}
	best, found := int64(0), false
	maxOff := candidates[0]
	for _, o := range candidates {
		maxOff = max(maxOff, o)
		if u := wall - o; offsetAt(u) == o && (!found || u < best) {
			best, found = u, true
		}
	}
	if found {
		return best
	}
	// A skipped reading: wall−maxOff lies before the change, in the zone
	// period that the change ends.
	_, end := time.Unix(wall-maxOff, 0).In(loc).ZoneBounds()
	if end.IsZero() {
		return wall - maxOff
	}
	return end.Unix()
}

// locate returns the table of the civil year that contains the instant u
// (unix seconds) and the index of its civil day. Instants before MinYear
// give index −1, instants after MaxYear the table's day count.
func (c *Calendar) locate(u int64) (*yearTable, int) {
	// An estimate of the civil year, right within a day of New Year: the
	// checks against the table's bounds below correct it.
	y := 1970 + int(floorDiv(u, secPerGregorianYear))
	y = min(max(y, MinYear), MaxYear)
	t := c.years[y-MinYear].Load() // c.table(y), inlined by hand
	if t == nil {
		t = c.build(y)
	}
	n := t.days()
	switch {
	case u < t.start:
		if y == MinYear {
			return t, -1
		}
		t = c.table(y - 1)
		n = t.days()
	case u >= t.end:
		if y == MaxYear {
			return t, n
		}
		t = c.table(y + 1)
		n = t.days()
	}
	i := int((u - t.start) / secPerDay)
	i = min(max(i, 0), n-1)
	for i+1 < n && t.dayStart[i+1] <= u {
		i++
	}
	for i > 0 && t.dayStart[i] > u {
		i--
	}
	return t, i
}

// openBefore is the open time, in nanoseconds, from the start of the
// table's year to the instant (u, ns) which lies in day i.
func (t *yearTable) openBefore(i int, u, ns int64) int64 {
	if i < 0 {
		return 0
	}
	if i >= t.days() {
		return t.total() * nsPerSec
	}
	acc := t.cum[i]
	for _, s := range t.daySpans(i) {
		if u >= s.end {
			acc += s.end - s.start
			continue
		}
		if u >= s.start {
			return (acc+u-s.start)*nsPerSec + ns
		}
		break
	}
	return acc * nsPerSec
}

const nsPerSec = int64(time.Second)

// secPerGregorianYear is the mean length of a Gregorian year, 365.2425
// days.
const secPerGregorianYear = 31556952

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
