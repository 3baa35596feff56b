package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// parseBool reads the yes/no answers of English and French exports.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "yes", "y", "1", "oui", "o", "vrai", "t":
		return true, nil
	case "false", "no", "n", "0", "non", "faux", "f":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q (want true/false, yes/no, oui/non or 1/0)", ErrBool, v)
}

// parseDecimal reads a decimal written the English or the French way:
// "4.5", "4,5", "1 234,5" and "1,234.5" are all read. A lone comma is a
// decimal comma, since French exports write "4,5" and a thousands
// separator would rarely stand alone in a score or a count. Thousands
// separators (spaces, apostrophes, and the comma or the point that is not
// the decimal mark) must group the digits by three: "4 5" or "1,2,3.4" is
// no number, not 45 or 123.4. Values are never routed through float64, so
// "0.1" stays exactly 0.1.
func parseDecimal(v string) (decimal.Decimal, error) {
	bad := func() (decimal.Decimal, error) { return decimal.Decimal{}, fmt.Errorf("%w: %q", ErrNumber, v) }
	comma, dot := strings.LastIndexByte(v, ','), strings.LastIndexByte(v, '.')
	thousands, mark := " \u00a0\u202f'", -1
	switch {
	case comma >= 0 && dot >= 0 && comma > dot: // 1.234,5
		thousands, mark = thousands+".", comma
	case comma >= 0 && dot >= 0: // 1,234.5
		thousands, mark = thousands+",", dot
	case comma >= 0:
		if strings.Count(v, ",") > 1 {
			return bad()
		}
		mark = comma
	case dot >= 0:
		mark = dot
	}
	whole, frac := v, ""
	if mark >= 0 {
		whole, frac = v[:mark], v[mark+1:]
	}
	if strings.ContainsAny(frac, thousands) {
		return bad()
	}
	if strings.ContainsAny(whole, thousands) {
		if !groupedByThree(whole, thousands) {
			return bad()
		}
		whole = strings.Map(func(r rune) rune {
			if strings.ContainsRune(thousands, r) {
				return -1
			}
			return r
		}, whole)
	}
	s := whole
	if mark >= 0 {
		s += "." + frac
	}
	if s == "" || !decimalChars(s) {
		return bad()
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return bad()
	}
	return d, nil
}

// groupedByThree reports whether the separators of whole split it into a
// group of one to three characters (a sign may lead it) then groups of
// three.
func groupedByThree(whole, separators string) bool {
	n, first := 0, true
	for _, r := range whole + " " { // a separator ends the last group
		if !strings.ContainsRune(separators, r) {
			n++
			continue
		}
		lead := n
		if first && n > 0 && (whole[0] == '-' || whole[0] == '+') {
			lead--
		}
		if (first && (lead < 1 || lead > 3)) || (!first && n != 3) {
			return false
		}
		n, first = 0, false
	}
	return true
}

// decimalChars rejects what decimal.NewFromString would accept but no
// export means as a number, and bounds exponents so that "1e999999999"
// cannot make the engine allocate a huge integer later.
func decimalChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+':
		case c == 'e' || c == 'E':
			exp := s[i+1:]
			if len(exp) > 0 && (exp[0] == '-' || exp[0] == '+') {
				exp = exp[1:]
			}
			if len(exp) == 0 || len(exp) > 3 {
				return false
			}
			for j := 0; j < len(exp); j++ {
				if exp[j] < '0' || exp[j] > '9' {
					return false
				}
			}
			return true
		default:
			return false
		}
	}
	return true
}

// parseLevel reads a support level written as "2", "L2", "N2" (niveau)
// or "Level 2": the first run of digits.
func parseLevel(v string) (int, error) {
	start := strings.IndexAny(v, "0123456789")
	if start < 0 {
		return 0, fmt.Errorf("%w: level %q has no number", ErrNumber, v)
	}
	end := start
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(v[start:end])
	if err != nil || n > 99 {
		return 0, fmt.Errorf("%w: level %q", ErrNumber, v)
	}
	return n, nil
}

// parseCount reads a non-negative counter such as sys_mod_count. JSON
// exports sometimes write counters as "3.0", which is accepted.
func parseCount(v string) (int64, error) {
	s := strings.TrimSuffix(v, ".0")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: count %q", ErrNumber, v)
	}
	return n, nil
}

// normalisePriority applies the mapping's priorities, then the leading
// number rule. It is the slow path: readers memoise its results.
func (c *compiled) normalisePriority(v string) (string, error) {
	if p, ok := lookup(c.priorities, c.prioritiesFolded, v); ok {
		return p, nil
	}
	if !c.prioritiesStrict {
		if p, ok := leadingNumberPriority(v); ok {
			return p, nil
		}
		return "", fmt.Errorf("%w: %q is not in the mapping's priorities and does not start with a number", ErrPriority, v)
	}
	return "", fmt.Errorf("%w: %q is not in the mapping's priorities", ErrPriority, v)
}

// leadingNumberPriority reads "1 - Critical", "2-High", "P3", "p3" and
// "4" as P1…P4: the convention of ServiceNow, iTop and most contracts.
// A number followed by a letter ("1st") is not read, as it is not a
// priority rank.
func leadingNumberPriority(v string) (string, bool) {
	s := v
	if len(s) > 0 && (s[0] == 'P' || s[0] == 'p') {
		s = s[1:]
	}
	n := 0
	for n < len(s) && n < 3 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || (n < len(s) && isAlnum(s[n])) {
		return "", false
	}
	rank, err := strconv.Atoi(s[:n])
	if err != nil {
		return "", false
	}
	return "P" + strconv.Itoa(rank), true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
