package dsl

import (
	"context"
	"fmt"
	"math"
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/pacte-sla/pacte/internal/exact"
)

// The cost of an evaluation. The language has no loops but its
// predicates (all, any, filter, map, count…), which visit the elements of
// a list, and may nest: all(r, all(r, true)) over 1..40000 visits 1.6
// billion elements. The cost of an evaluation is the number of nodes of
// the syntax tree it evaluates, a predicate's body counted once for each
// element of its list, plus, within the body of a predicate, one unit
// for each element of a list or a map and for each 8 bytes of a text
// the body reads or builds (so that a predicate over a short list of
// long texts costs what it reads). uniq over n elements costs n × n.
//
// Where the lengths of the lists are known when the expression compiles
// (ranges between constants, list literals, let names bound to them),
// the cost is computed then, and an expression over the budget is
// refused. Otherwise the program charges the cost as it runs, through
// calls the compiler inserts (meterVisit and the others below), and an
// evaluation over the budget fails.

// DefaultCostLimit is the budget of one evaluation, in units of cost: a
// few tens of milliseconds of work at most.
const DefaultCostLimit = 1_000_000

// CostLimit sets the budget of one evaluation, in units of cost (see
// Limits in the package documentation). Zero keeps [DefaultCostLimit].
func CostLimit(units uint64) Option {
	return func(c *config) error {
		if units > 0 {
			c.costLimit = units
		}
		return nil
	}
}

// The functions the compiler inserts to charge the cost as the program
// runs. Each takes the environment first, which holds the evaluation's
// meter, and returns its second argument unchanged.
const (
	meterVisit = placeholderPrefix + "_visit" // (env, list, k): len(list) × k
	meterSize  = placeholderPrefix + "_size"  // (env, value): a text's bytes / 8, a list's or a map's elements
	meterPairs = placeholderPrefix + "_pairs" // (env, list): len(list)²
)

// textUnit is the number of bytes of text one unit of cost pays for.
const textUnit = 8

// interruptEvery is how often, in units of cost, a metered evaluation
// asks its context whether it was cancelled.
const interruptEvery = 1 << 14

// meter counts the cost of one evaluation.
type meter struct {
	used, limit uint64
	next        uint64 // the cost at which to ask ctx
	ctx         context.Context
}

func (m *meter) charge(n uint64) error {
	m.used = satAdd(m.used, n)
	if m.used > m.limit {
		return &exact.LimitError{Msg: fmt.Sprintf("the evaluation costs more than its budget of %d units: its predicates visit too many elements, or read or build too much text", m.limit)}
	}
	if m.ctx != nil && m.used >= m.next {
		m.next = satAdd(m.used, interruptEvery)
		return m.ctx.Err()
	}
	return nil
}

// metered is embedded in every environment: the meter of the evaluation
// running on it, set on the evaluation's own copy of the environment.
type metered struct{ m *meter }

func (x metered) meterOf() *meter    { return x.m }
func (x *metered) setMeter(m *meter) { x.m = m }

// meterFunctions are the charging functions.
func meterFunctions() []*builtin.Function {
	charge := func(env any, n uint64) error {
		if h, ok := env.(interface{ meterOf() *meter }); ok && h.meterOf() != nil {
			return h.meterOf().charge(n)
		}
		return nil
	}
	return []*builtin.Function{
		builtinFunction(meterVisit, func(args ...any) (any, error) {
			return args[1], charge(args[0], satMul(uint64(lengthOf(args[1])), uint64(args[2].(int))))
		}, []any{new(func(any, any, int) any)}),
		builtinFunction(meterSize, func(args ...any) (any, error) {
			n := lengthOf(args[1])
			if _, text := args[1].(string); text {
				n /= textUnit
			}
			return args[1], charge(args[0], uint64(n))
		}, []any{new(func(any, any) any)}),
		builtinFunction(meterPairs, func(args ...any) (any, error) {
			n := uint64(lengthOf(args[1]))
			return args[1], charge(args[0], satMul(n, n))
		}, []any{new(func(any, any) any)}),
	}
}

// lengthOf is the length of a list, a map or a text; 0 for other values.
func lengthOf(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case []any:
		return len(x)
	case []int:
		return len(x)
	case nil:
		return 0
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return r.Len()
	}
	return 0
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

func satMul(a, b uint64) uint64 {
	if a != 0 && b > math.MaxUint64/a {
		return math.MaxUint64
	}
	return a * b
}

// loopBuiltins are expr's builtins whose predicate runs once per element
// of their first argument.
var loopBuiltins = map[string]bool{
	"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true, "count": true, "sum": true,
	"find": true, "findIndex": true, "findLast": true, "findLastIndex": true, "groupBy": true, "sortBy": true, "reduce": true,
}

// sameLength are the builtins whose list is at most as long as their
// first argument.
var sameLength = map[string]bool{"map": true, "filter": true, "sortBy": true, "sort": true, "reverse": true, "uniq": true}

// costModel computes the cost of an expression as it compiles: the part
// known then, and where the program must charge the rest as it runs.
type costModel struct {
	lets    []letLength
	charges []charge
	dynamic int // depth of predicates over lists of unknown length
	// worst is the predicate of known length that costs the most outside
	// predicates of unknown length, for the error of an expression over
	// its budget.
	worst     ast.Node
	worstCost uint64
	// tooDear is a predicate whose one visit costs more than the budget,
	// over a list of unknown length; tooDearCost its cost per visit.
	tooDear     ast.Node
	tooDearCost uint64
	limit       uint64
}

// letLength is a name declared with let, and the length of its list when
// known.
type letLength struct {
	name   string
	length uint64
	known  bool
}

// charge is a call to insert: fn(env, *slot[, k]).
type charge struct {
	slot *ast.Node
	fn   string
	k    uint64
}

// place is where a node stands, for the charge of its size.
type place int

const (
	anywhere place = iota // charged by its size in a predicate's body; a call may take its place
	inChain               // on the path of an optional chain, whose members jump to its end on nil: no call between them
	loopList              // the list of a predicate, charged by its visits
)

// cost returns the cost of evaluating *slot once, but for the predicates
// over lists of unknown length, which will charge theirs. inBody: the
// node is in a predicate's body.
func (m *costModel) cost(slot *ast.Node, inBody bool, at place) uint64 {
	switch n := (*slot).(type) {
	case *ast.BuiltinNode:
		if loopBuiltins[n.Name] && len(n.Arguments) > 1 {
			return m.loop(n, inBody)
		}
		if n.Name == "uniq" && len(n.Arguments) == 1 {
			c := 1 + m.cost(&n.Arguments[0], inBody, loopList)
			if l, ok := m.staticLen(n.Arguments[0]); ok {
				pairs := satMul(l, l)
				if m.dynamic == 0 && pairs > m.worstCost {
					m.worst, m.worstCost = n, pairs
				}
				return satAdd(c, pairs)
			}
			m.charges = append(m.charges, charge{slot: &n.Arguments[0], fn: meterPairs})
			return c
		}
	case *ast.VariableDeclaratorNode:
		c := 1 + m.cost(&n.Value, inBody, anywhere)
		l, ok := m.staticLen(n.Value)
		m.lets = append(m.lets, letLength{n.Name, l, ok})
		c = satAdd(c, m.cost(&n.Expr, inBody, anywhere))
		m.lets = m.lets[:len(m.lets)-1]
		return c
	}
	inner := anywhere
	switch (*slot).(type) {
	case *ast.ChainNode:
		inner = inChain
	case *ast.MemberNode:
		if at == inChain {
			inner = inChain
		}
	}
	c := uint64(1)
	for _, s := range children(*slot) {
		c = satAdd(c, m.cost(s, inBody, inner))
	}
	if inBody && at == anywhere && readsSized(*slot) {
		if l, ok := m.staticLen(*slot); ok {
			return satAdd(c, l)
		}
		m.charges = append(m.charges, charge{slot: slot, fn: meterSize})
	}
	return c
}

// loop is the cost of a predicate builtin: its list, evaluated once,
// and its body, once per element.
func (m *costModel) loop(n *ast.BuiltinNode, inBody bool) uint64 {
	c := 1 + m.cost(&n.Arguments[0], inBody, loopList)
	l, known := m.staticLen(n.Arguments[0])
	if !known {
		m.dynamic++
	}
	var k uint64
	for i := 1; i < len(n.Arguments); i++ {
		if p, ok := n.Arguments[i].(*ast.PredicateNode); ok {
			k = satAdd(k, m.cost(&p.Node, true, anywhere))
		} else {
			c = satAdd(c, m.cost(&n.Arguments[i], inBody, anywhere))
		}
	}
	if n.Map != nil {
		k = satAdd(k, m.cost(&n.Map, true, anywhere))
	}
	k = max(k, 1)
	if !known && k > m.limit && m.tooDear == nil {
		m.tooDear, m.tooDearCost = n, k
	}
	if !known {
		m.dynamic--
		m.charges = append(m.charges, charge{slot: &n.Arguments[0], fn: meterVisit, k: k})
		return c
	}
	visits := satMul(l, k)
	if m.dynamic == 0 && visits > m.worstCost {
		m.worst, m.worstCost = n, visits
	}
	return satAdd(c, visits)
}

// staticLen is the length of a list known when the expression compiles.
func (m *costModel) staticLen(n ast.Node) (uint64, bool) {
	switch n := n.(type) {
	case *ast.BinaryNode:
		if n.Operator != ".." {
			return 0, false
		}
		from, ok1 := constantOf[int](n.Left)
		to, ok2 := constantOf[int](n.Right)
		if !ok1 || !ok2 {
			return 0, false
		}
		if to < from {
			return 0, true
		}
		return uint64(to) - uint64(from) + 1, true // modulo 2⁶⁴: exact for every range but the whole of int64
	case *ast.ArrayNode:
		return uint64(len(n.Nodes)), true
	case *ast.MapNode:
		return uint64(len(n.Pairs)), true
	case *ast.ConstantNode:
		switch reflect.ValueOf(n.Value).Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			return uint64(reflect.ValueOf(n.Value).Len()), true
		}
	case *ast.IdentifierNode:
		for i := len(m.lets) - 1; i >= 0; i-- {
			if m.lets[i].name == n.Value {
				return m.lets[i].length, m.lets[i].known
			}
		}
	case *ast.BuiltinNode:
		if sameLength[n.Name] && len(n.Arguments) > 0 {
			return m.staticLen(n.Arguments[0])
		}
	}
	return 0, false
}

// readsSized reports whether a node in a predicate's body is a text, a
// list or a map whose size is not known when the expression compiles,
// and is charged by it.
func readsSized(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.StringNode, *ast.ConstantNode, *ast.ArrayNode, *ast.MapNode, *ast.NilNode, *ast.PredicateNode, *ast.PairNode:
		return false
	case *ast.BinaryNode:
		if x.Operator == ".." {
			return false // a range is charged by the memory budget, its visits by the predicate
		}
	}
	t := n.Type()
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

// children returns the slots of a node's children.
func children(n ast.Node) []*ast.Node {
	var out []*ast.Node
	add := func(slots ...*ast.Node) {
		for _, s := range slots {
			if *s != nil {
				out = append(out, s)
			}
		}
	}
	each := func(nodes []ast.Node) {
		for i := range nodes {
			add(&nodes[i])
		}
	}
	switch n := n.(type) {
	case *ast.UnaryNode:
		add(&n.Node)
	case *ast.BinaryNode:
		add(&n.Left, &n.Right)
	case *ast.ChainNode:
		add(&n.Node)
	case *ast.MemberNode:
		add(&n.Node, &n.Property)
	case *ast.SliceNode:
		add(&n.Node, &n.From, &n.To)
	case *ast.CallNode:
		each(n.Arguments)
	case *ast.BuiltinNode:
		each(n.Arguments)
		add(&n.Map)
	case *ast.PredicateNode:
		add(&n.Node)
	case *ast.ConditionalNode:
		add(&n.Cond, &n.Exp1, &n.Exp2)
	case *ast.VariableDeclaratorNode:
		add(&n.Value, &n.Expr)
	case *ast.SequenceNode:
		each(n.Nodes)
	case *ast.ArrayNode:
		each(n.Nodes)
	case *ast.MapNode:
		each(n.Pairs)
	case *ast.PairNode:
		add(&n.Key, &n.Value)
	}
	return out
}

var (
	reflectAny    = reflect.TypeFor[any]()
	meterTypes    = map[string]reflect.Type{meterVisit: reflect.TypeFor[func(any, any, int) any](), meterSize: reflect.TypeFor[func(any, any) any](), meterPairs: reflect.TypeFor[func(any, any) any]()}
	meterCallArgs = map[string]int{meterVisit: 3, meterSize: 2, meterPairs: 2}
)

// insert puts the charging calls in the tree, typed as the checker would
// have typed them: each call has the type of the value it passes on.
func (c charge) insert() {
	n := *c.slot
	env := &ast.IdentifierNode{Value: "$env"}
	env.SetType(reflectAny)
	callee := &ast.IdentifierNode{Value: c.fn}
	callee.SetType(meterTypes[c.fn])
	args := []ast.Node{env, n}
	if meterCallArgs[c.fn] == 3 {
		k := &ast.IntegerNode{Value: int(min(c.k, math.MaxInt))}
		k.SetType(reflectInt)
		args = append(args, k)
	}
	call := &ast.CallNode{Callee: callee, Arguments: args}
	t := n.Type()
	if t == nil {
		t = reflectAny
	}
	call.SetType(t)
	for _, x := range []ast.Node{env, callee, call} {
		x.SetLocation(n.Location())
	}
	*c.slot = call
}

// meterCost computes the cost of a checked tree against the budget, and
// inserts the calls that charge at run time what is not known at compile
// time. It returns the cost known at compile time and whether the
// program charges at run time, or the error of an expression over its
// budget.
func meterCost(root *ast.Node, limit uint64) (base uint64, charged bool, err *Error, at ast.Node) {
	m := &costModel{limit: limit}
	base = m.cost(root, false, anywhere)
	switch {
	case m.tooDear != nil:
		b := m.tooDear.(*ast.BuiltinNode)
		return 0, false, &Error{Code: ErrLimit, Msg: fmt.Sprintf("each element %s visits costs %s units, more than the budget of %d of the whole evaluation", b.Name, units(m.tooDearCost), limit),
			Hint: costHint}, b
	case base > limit:
		e := &Error{Code: ErrLimit, Msg: fmt.Sprintf("evaluating this expression costs %s units, more than its budget of %d", units(base), limit), Hint: costHint}
		b, ok := m.worst.(*ast.BuiltinNode)
		switch {
		case !ok:
			return 0, false, e, nil
		case b.Name == "uniq":
			e.Msg += ": uniq compares too many elements"
		default:
			e.Msg += fmt.Sprintf(": %s visits too many elements", b.Name)
		}
		return 0, false, e, b
	}
	for _, c := range m.charges {
		c.insert()
	}
	return base, len(m.charges) > 0, nil, nil
}

const costHint = "each element a predicate visits costs the size of its body: iterate over fewer elements, or nest fewer predicates"

// units writes a cost, "more than 18446744073709551615" when it is
// beyond counting.
func units(n uint64) string {
	if n == math.MaxUint64 {
		return fmt.Sprintf("more than %d", uint64(math.MaxUint64-1))
	}
	return fmt.Sprint(n)
}
