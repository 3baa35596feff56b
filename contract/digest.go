package contract

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"reflect"
	"slices"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
)

// Digest is the identity of the contract's compiled meaning: a SHA-256 of
// a canonical encoding of its term, calendars, work units, prices,
// revision, indices, rules (each expression by its source text) and
// penalty pipeline. What does not change the meaning does not change it:
// comments, layout, the order of a mapping's keys, the file's name and the
// positions of its clauses. An edited clause, an expression, a threshold
// or a calendar, does. Evaluator states carry it, so that a state is
// never read against another contract.
func (c *Contract) Digest() [32]byte {
	h := sha256.New()
	d := digester{h: h}
	d.str("pacte contract digest 1")
	d.value(reflect.ValueOf(struct {
		Name      string
		Parties   Parties
		Start     time.Time
		End       time.Time
		Currency  string
		Location  string
		Locale    string
		Period    PeriodKind
		Calendars map[string]string
		Units     []WorkUnit
		Revision  *Revision
		Indices   Indices
		Rules     []Rule
		Pipeline  Pipeline
	}{c.name, c.parties, c.start, c.end, c.currency, c.loc.String(), c.locale, c.period,
		c.calSpecs, c.units, c.revision, c.indices, c.rules, c.pipeline}))
	if len(c.groups) > 0 { // a contract without groups keeps the digest it had before they existed
		d.str("Groups")
		d.value(reflect.ValueOf(c.groups))
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// digester writes values to a hash in a canonical form: every value
// prefixed by its length or kind, maps in the order of their keys, and
// what carries no meaning (positions, compiled programs) left out.
type digester struct{ h hash.Hash }

var (
	positionType = reflect.TypeFor[Position]()
	exprType     = reflect.TypeFor[Expr]()
	timeType     = reflect.TypeFor[time.Time]()
	decimalType  = reflect.TypeFor[decimal.Decimal]()
	calendarType = reflect.TypeFor[*calendar.Calendar]()
	locationType = reflect.TypeFor[*time.Location]()
	// A rule without versions keeps the digest it had before they existed.
	ruleVersionsType = reflect.TypeFor[[]RuleVersion]()
)

func (d digester) str(s string) {
	d.int(int64(len(s)))
	d.h.Write([]byte(s))
}

func (d digester) int(n int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	d.h.Write(b[:])
}

func (d digester) value(v reflect.Value) {
	switch v.Type() {
	case exprType:
		d.str(v.Interface().(Expr).Text)
		return
	case timeType:
		t := v.Interface().(time.Time)
		d.int(t.UnixNano())
		d.str(t.Location().String())
		return
	case decimalType:
		d.str(v.Interface().(decimal.Decimal).String())
		return
	case calendarType:
		if cal := v.Interface().(*calendar.Calendar); cal != nil {
			d.str(cal.String())
		} else {
			d.str("")
		}
		return
	case locationType:
		d.str(fmt.Sprint(v.Interface()))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Type == positionType || (f.Type == ruleVersionsType && v.Field(i).Len() == 0) {
				continue
			}
			d.str(f.Name)
			d.value(v.Field(i))
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			d.int(0)
			return
		}
		d.int(1)
		d.value(v.Elem())
	case reflect.Slice, reflect.Array:
		d.int(int64(v.Len()))
		for i := range v.Len() {
			d.value(v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		d.int(int64(len(keys)))
		for _, k := range keys {
			d.value(k)
			d.value(v.MapIndex(k))
		}
	case reflect.String:
		d.str(v.String())
	case reflect.Bool:
		d.int(map[bool]int64{false: 0, true: 1}[v.Bool()])
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.int(int64(v.Uint()))
	case reflect.Float32, reflect.Float64:
		d.str(fmt.Sprint(v.Float()))
	default: // functions, channels: behaviour, whose source is digested where it is written
		d.str(v.Kind().String())
	}
}
