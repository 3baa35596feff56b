package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// bar is a progress bar on standard error.
type bar struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	auto    bool // on only for totals of 10 or more
	start   time.Time
	last    time.Time
	drawn   bool
	stopped bool
}

const barWidth = 30

func newBar(w io.Writer, mode string) *bar {
	b := &bar{w: w, on: mode == "on", start: time.Now()}
	if mode == "auto" {
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				b.on, b.auto = true, true
			}
		}
	}
	return b
}

// update draws done of total runs; a question that draws its runs in
// passes starts again from zero at each.
func (b *bar) update(done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.on || b.stopped || (b.auto && total < 10) || total < 1 {
		return
	}
	now := time.Now()
	if done < total && now.Sub(b.last) < 200*time.Millisecond {
		return
	}
	b.last = now
	filled := min(done*barWidth/total, barWidth)
	rate := float64(done) / now.Sub(b.start).Seconds()
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d runs  %.1f runs/s  ETA %s   ", strings.Repeat("#", filled),
		strings.Repeat(".", barWidth-filled), done, total, rate, eta)
	b.drawn = true
}

func (b *bar) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn && !b.stopped {
		fmt.Fprintln(b.w)
	}
	b.stopped = true
}
