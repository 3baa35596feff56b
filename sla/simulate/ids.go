package simulate

import (
	"strconv"
	"sync"
)

// idChunk is how many identifiers an idTable writes at once.
const idChunk = 1024

// idTable holds the identifiers of one stream of records (CALL-1,
// CALL-2…), shared by every run of a simulation: run after run numbers
// its records from 1, so the strings are the same and are written once,
// a chunk at a time when a run first needs them, instead of half a
// million times a run. A chunk, once written, never changes; the table
// only grows, to the largest run drawn.
type idTable struct {
	prefix string
	mu     sync.Mutex
	chunks []*idText // guarded by mu
}

// idText is a chunk of identifiers, end to end in one string.
type idText struct {
	text string
	ends [idChunk + 1]int32 // identifier i is text[ends[i]:ends[i+1]]
}

func newIDTable(prefix string) *idTable { return &idTable{prefix: prefix} }

// chunk returns chunk k, the identifiers k·idChunk+1 to (k+1)·idChunk,
// writing it if no run has yet.
func (t *idTable) chunk(k int) *idText {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.chunks) <= k {
		t.chunks = append(t.chunks, nil)
	}
	if c := t.chunks[k]; c != nil {
		return c
	}
	c := &idText{}
	first := k*idChunk + 1
	digits := strconv.AppendInt(nil, int64(first), 10)
	buf := make([]byte, 0, idChunk*(len(t.prefix)+len(digits)+1))
	for i := range idChunk {
		buf = append(append(buf, t.prefix...), digits...)
		c.ends[i+1] = int32(len(buf))
		digits = increment(digits)
	}
	c.text = string(buf)
	t.chunks[k] = c
	return c
}

// increment adds one to the decimal number in digits.
func increment(digits []byte) []byte {
	for j := len(digits) - 1; j >= 0; j-- {
		if digits[j] < '9' {
			digits[j]++
			return digits
		}
		digits[j] = '0'
	}
	return append([]byte{'1'}, digits...)
}

// idMaker hands out the identifiers of a stream during one run, from its
// table, taking the table's lock once a chunk.
type idMaker struct {
	table *idTable
	first int     // number of the chunk's first identifier
	chunk *idText // nil before the first
}

// id returns the identifier of record n ≥ 1.
func (m *idMaker) id(n int) string {
	i := n - m.first
	if m.chunk == nil || uint(i) >= idChunk {
		k := (n - 1) / idChunk
		m.chunk, m.first = m.table.chunk(k), k*idChunk+1
		i = n - m.first
	}
	c := m.chunk
	return c.text[c.ends[i]:c.ends[i+1]]
}
