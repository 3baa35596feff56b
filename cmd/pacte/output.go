package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// checkOutput checks, before any work, that -o can be written: its folder
// exists and it is not a folder itself.
func checkOutput(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("-o %s is a folder", path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return usagef("-o %s: the folder %s does not exist", path, dir)
	}
	if !st.IsDir() {
		return usagef("-o %s: %s is not a folder", path, dir)
	}
	return nil
}

// readFile is a file a run reads, and what it is to the user.
type readFile struct{ path, what string }

// checkNotRead checks, before any work, that the file of flag (-o,
// -state-out) is none of the files the run reads, which the result
// would replace: the month's export, the contract, a state to merge. A
// device or a pipe is written to directly and replaces nothing.
func checkNotRead(flag, path string, inputs []readFile) error {
	if path == "" || path == "-" {
		return nil
	}
	out, err := os.Stat(path)
	if err == nil && !out.Mode().IsRegular() {
		return nil
	}
	for _, in := range inputs {
		if in.path == "" {
			continue
		}
		same := absPath("", path) == absPath("", in.path)
		if st, serr := os.Stat(in.path); err == nil && serr == nil {
			same = os.SameFile(out, st)
		}
		if same {
			return usagef("%s %s is %s, which the run would write over", flag, path, in.what)
		}
	}
	return nil
}

// writeOutput writes a result to standard output, or to the file of -o
// through a temporary file in the same folder renamed over it once the
// whole result is written: a run that fails leaves the file as it was,
// and a file replaced keeps its permissions (a new one is 0644). A
// device or a pipe (-o /dev/null) is written to directly.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		mode = st.Mode().Perm() // a file replaced keeps its permissions
	} else if err == nil {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		err = write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*")
	if err != nil {
		return err
	}
	if err = write(f); err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// checkProgress reads -progress: auto (on when standard error is a
// terminal), on or off.
func checkProgress(mode string, e *env) (bool, error) {
	switch mode {
	case "auto":
		return e.stderrTerminal, nil
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, usagef("-progress %q: want auto, on or off", mode)
}

// progress shows on standard error how far a long run has gone: done of
// total units (total 0 when unknown), the rate and what is left. It draws
// at most five times a second, from the first second on, and says at the
// end whether the run was done or interrupted.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	unit    string
	total   int
	done    int
	start   time.Time
	last    time.Time
	drawn   bool
	stopped bool
}

func newProgress(w io.Writer, on bool, unit string, total int) *progress {
	return &progress{w: w, on: on, unit: unit, total: total, start: time.Now()}
}

const barWidth = 30

// update records the units done.
func (p *progress) update(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	if !p.on || p.stopped {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	p.draw(now, "…")
}

func (p *progress) draw(now time.Time, end string) {
	elapsed := now.Sub(p.start)
	rate := float64(p.done) / max(elapsed.Seconds(), 1e-9)
	var b strings.Builder
	b.WriteString("\r")
	if p.total > 0 {
		filled := min(p.done*barWidth/p.total, barWidth)
		fmt.Fprintf(&b, "[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), p.done, p.total, p.unit)
	} else {
		fmt.Fprintf(&b, "%d %s", p.done, p.unit)
	}
	fmt.Fprintf(&b, " in %s, %.1f %s/s", elapsed.Round(time.Second), rate, p.unit)
	if p.total > 0 && rate > 0 && p.done < p.total && end == "…" {
		fmt.Fprintf(&b, ", %s left", (time.Duration(float64(p.total-p.done)/rate) * time.Second).Round(time.Second))
	}
	b.WriteString(end + "   ")
	io.WriteString(p.w, b.String())
	p.drawn = true
}

// stop ends the line of progress: "done" when err is nil, "interrupted"
// when the run was, "failed" otherwise.
func (p *progress) stop(err error, interrupted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	p.stopped = true
	if !p.drawn {
		return
	}
	end := ", done"
	switch {
	case interrupted:
		end = ", interrupted"
	case err != nil && !errors.Is(err, errFailed):
		end = ", failed"
	}
	p.draw(time.Now(), end)
	io.WriteString(p.w, "\n")
}
