package calendar_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

// benchStarts are instants spread over 2027 in Europe/Paris, so that a
// benchmark does not measure one lucky instant.
func benchStarts(b *testing.B) []time.Time {
	paris := mustLoad(b, "Europe/Paris")
	r := rand.New(rand.NewPCG(11, 12))
	out := make([]time.Time, 1024)
	base := time.Date(2027, 1, 1, 0, 0, 0, 0, paris)
	for i := range out {
		out[i] = base.Add(time.Duration(r.Int64N(int64(360 * 24 * time.Hour)))).Truncate(time.Second)
	}
	return out
}

// BenchmarkBetween compares Calendar.Between with rickar/cal's
// WorkHoursInRange on the same Mon–Fri 09:00–17:00 calendar with French
// holidays, for spans of 1 hour, 3 days and 60 days.
func BenchmarkBetween(b *testing.B) {
	ours := calendar.MustParse(referenceSpec)
	theirs := calReference()
	starts := benchStarts(b)
	for _, span := range []struct {
		name string
		d    time.Duration
	}{{"1h", time.Hour}, {"3d", 72 * time.Hour}, {"60d", 60 * 24 * time.Hour}} {
		b.Run("span="+span.name+"/impl=pacte", func(b *testing.B) {
			ours.Between(starts[0], starts[0].Add(span.d)) // build the tables outside the timing
			b.ReportAllocs()
			var sink time.Duration
			i := 0
			for b.Loop() {
				from := starts[i&1023]
				sink += ours.Between(from, from.Add(span.d))
				i++
			}
			_ = sink
		})
		b.Run("span="+span.name+"/impl=rickar-cal", func(b *testing.B) {
			b.ReportAllocs()
			var sink time.Duration
			i := 0
			for b.Loop() {
				from := starts[i&1023]
				sink += theirs.WorkHoursInRange(from, from.Add(span.d))
				i++
			}
			_ = sink
		})
	}
}

// BenchmarkAdd compares Calendar.Add with rickar/cal's AddWorkHours,
// adding 40 hours of working time.
func BenchmarkAdd(b *testing.B) {
	ours := calendar.MustParse(referenceSpec)
	theirs := calReference()
	starts := benchStarts(b)
	b.Run("hours=40/impl=pacte", func(b *testing.B) {
		ours.Add(starts[0], 40*time.Hour)
		b.ReportAllocs()
		var sink int64
		i := 0
		for b.Loop() {
			sink += ours.Add(starts[i&1023], 40*time.Hour).Unix()
			i++
		}
		_ = sink
	})
	b.Run("hours=40/impl=rickar-cal", func(b *testing.B) {
		b.ReportAllocs()
		var sink int64
		i := 0
		for b.Loop() {
			sink += theirs.AddWorkHours(starts[i&1023], 40*time.Hour).Unix()
			i++
		}
		_ = sink
	})
}

func BenchmarkEndOfOpenDay(b *testing.B) {
	ho := calendar.MustParse(hoSpec)
	starts := benchStarts(b)
	ho.EndOfOpenDay(starts[0], 3)
	b.ReportAllocs()
	var sink int64
	i := 0
	for b.Loop() {
		sink += ho.EndOfOpenDay(starts[i&1023], 3).Unix()
		i++
	}
	_ = sink
}

func BenchmarkIsOpen(b *testing.B) {
	ho := calendar.MustParse(hoSpec)
	starts := benchStarts(b)
	ho.IsOpen(starts[0])
	b.ReportAllocs()
	n := 0
	i := 0
	for b.Loop() {
		if ho.IsOpen(starts[i&1023]) {
			n++
		}
		i++
	}
	_ = n
}

// BenchmarkBuildYear measures the cost a calendar pays once per year it
// touches.
func BenchmarkBuildYear(b *testing.B) {
	paris := mustLoad(b, "Europe/Paris")
	from := time.Date(2027, 6, 1, 0, 0, 0, 0, paris)
	b.ReportAllocs()
	for b.Loop() {
		c := calendar.MustParse(hoSpec)
		c.IsOpen(from)
	}
}
