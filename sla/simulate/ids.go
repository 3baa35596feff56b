package simulate

import "strconv"

// idBlock is how many identifiers an idMaker writes at once.
const idBlock = 128

// idMaker numbers the records of a stream (CALL-1, CALL-2…). It writes
// the identifiers a block at a time into one string and hands out
// substrings of it: one allocation per block instead of one per record,
// which matters when a run makes half a million calls. Within a block the
// number is incremented in place, digit by digit, rather than formatted.
type idMaker struct {
	prefix string
	first  int    // number of the block's first identifier
	block  string // the block's identifiers, end to end
	ends   [idBlock + 1]int
	buf    []byte
	digits []byte
}

// id returns the identifier of record n; n counts up from 1, one by one.
func (m *idMaker) id(n int) string {
	i := n - m.first
	if m.block == "" || i < 0 || i >= idBlock {
		m.first, i = n, 0
		m.buf = m.buf[:0]
		m.digits = strconv.AppendInt(m.digits[:0], int64(n), 10)
		for k := range idBlock {
			m.buf = append(append(m.buf, m.prefix...), m.digits...)
			m.ends[k+1] = len(m.buf)
			m.increment()
		}
		m.block = string(m.buf)
	}
	return m.block[m.ends[i]:m.ends[i+1]]
}

// increment adds one to the decimal number in digits.
func (m *idMaker) increment() {
	for j := len(m.digits) - 1; j >= 0; j-- {
		if m.digits[j] < '9' {
			m.digits[j]++
			return
		}
		m.digits[j] = '0'
	}
	m.digits = append([]byte{'1'}, m.digits...)
}
